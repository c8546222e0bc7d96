"""Binary decision diagrams of rules, through the ``dd`` package (CUDD when available).

The only module that touches ``dd``. A :class:`RuleBDDs` holds one manager with a variable per
node (named as the node) and the BDD of every rule, built without recursion.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from .expr import And, Const, Expr, Not, fold
from .network import Network

__all__ = ["new_manager", "expr_to_bdd", "RuleBDDs"]


def _load_dd():
    """The ``dd`` backend module, loaded without networkx.

    ``dd`` loads networkx (about 0.15 s) only for its optional graph export, which is not
    used here; it runs without it. networkx is hidden while ``dd`` loads for the first time
    and stays importable afterwards.
    """
    hide = "dd" not in sys.modules and "networkx" not in sys.modules
    if hide:
        sys.modules["networkx"] = None  # type: ignore[assignment]  # import now raises
    try:
        try:
            from dd import cudd as backend
        except ImportError:  # pure-Python fallback
            from dd import autoref as backend
    finally:
        if hide and sys.modules.get("networkx", 0) is None:
            del sys.modules["networkx"]
    return backend


#: initial CUDD cache slots (the default is 2^18)
INITIAL_CACHE = 1 << 14

#: managers of at most this many variables are told to expect little memory
SMALL_MANAGER = 64

#: the memory CUDD is told to expect for those (it sizes its tables by it; not a limit)
SMALL_MEMORY = 1 << 27


def new_manager(names: Iterable[str] = ()):
    """A BDD manager (CUDD if the ``dd.cudd`` extension is installed) with these variables."""
    _dd = _load_dd()
    names = list(names)
    if _dd.__name__ == "dd.cudd":
        # a small initial cache (CUDD grows it as it is used): a new manager then costs
        # about 2 ms instead of 8 ms, which counts where many small spaces get their own;
        # with few variables, a small memory estimate too (0.4 ms instead of 20 ms)
        extra = {"memory_estimate": SMALL_MEMORY} if len(names) <= SMALL_MANAGER else {}
        mgr = _dd.BDD(initial_cache_size=INITIAL_CACHE, **extra)
    else:
        mgr = _dd.BDD()
    if names:
        mgr.declare(*names)
    return mgr


def expr_to_bdd(mgr, expr: Expr, rename: dict[str, str] | None = None,
                check: Callable[[], None] | None = None):
    """The BDD of ``expr`` in ``mgr`` (variables named as in the rule, or renamed);
    ``check`` is called before each operation (a budget's check stops a long one)."""
    rename = rename or {}

    def leaf(e):
        if isinstance(e, Const):
            return mgr.true if e.value else mgr.false
        return mgr.var(rename.get(e.name, e.name))

    def node(e, vals):
        if check is not None:
            check()
        if isinstance(e, Not):
            return ~vals[0]
        acc = vals[0]
        if isinstance(e, And):
            for v in vals[1:]:
                acc = acc & v
        else:
            for v in vals[1:]:
                acc = acc | v
        return acc

    return fold(expr, leaf, node)


class RuleBDDs:
    """The BDD of every rule of a network in one shared manager.

    Attributes
    ----------
    mgr : dd manager
    f : dict name -> BDD
    """

    def __init__(self, net: Network, mgr=None):
        self.net = net
        self.mgr = mgr or new_manager(net.names)
        self.f = {n: expr_to_bdd(self.mgr, net.rules[n]) for n in net.names}

    def essential(self, name: str) -> tuple[str, ...]:
        """Regulators the function of ``name`` really depends on, in bit order."""
        sup = self.mgr.support(self.f[name])
        return tuple(n for n in self.net.names if n in sup)

    def sign(self, target: str, regulator: str) -> int | None:
        """+1 (activating), -1 (inhibiting), 0 (both ways: non-monotone), None (no effect)."""
        f = self.f[target]
        lo = self.mgr.let({regulator: self.mgr.false}, f)
        hi = self.mgr.let({regulator: self.mgr.true}, f)
        if lo == hi:
            return None
        up = (lo & ~hi) == self.mgr.false    # f(x=0) implies f(x=1)
        down = (hi & ~lo) == self.mgr.false
        return 1 if up else (-1 if down else 0)
