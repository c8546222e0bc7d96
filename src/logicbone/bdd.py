"""Binary decision diagrams of rules, through the ``dd`` package (CUDD when available).

The only module that touches ``dd``. A :class:`RuleBDDs` holds one manager with a variable per
node (named as the node) and the BDD of every rule, built without recursion.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable

from .budget import BudgetExceeded, poll
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


def new_manager(names: Iterable[str] = ()):
    """A BDD manager (CUDD if the ``dd.cudd`` extension is installed) with these variables."""
    _dd = _load_dd()
    if _dd.__name__ == "dd.cudd":
        # a small initial cache (CUDD grows it as it is used): a new manager then costs
        # about 2 ms instead of 8 ms, which counts where many small spaces get their own
        mgr = _dd.BDD(initial_cache_size=INITIAL_CACHE)
    else:
        mgr = _dd.BDD()
    names = list(names)
    if names:
        mgr.declare(*names)
    return mgr


def expr_to_bdd(mgr, expr: Expr, rename: dict[str, str] | None = None):
    """The BDD of ``expr`` in ``mgr`` (variables named as in the rule, or renamed)."""
    rename = rename or {}

    def leaf(e):
        if isinstance(e, Const):
            return mgr.true if e.value else mgr.false
        return mgr.var(rename.get(e.name, e.name))

    def node(e, vals):
        poll()  # a rule whose BDD blows up stops at the time limit or Ctrl-C
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
        self.f = {}
        for n in net.names:
            try:
                self.f[n] = expr_to_bdd(self.mgr, net.rules[n])
            except BudgetExceeded as err:
                raise BudgetExceeded(err.reason, what=f"{err.reason.describe()} while building "
                                     f"the BDD of the rule of '{n}'") from err

    def essential(self, name: str) -> tuple[str, ...]:
        """Regulators the function of ``name`` really depends on, in bit order."""
        return tuple(sorted(self.mgr.support(self.f[name]), key=self.net.index))

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
