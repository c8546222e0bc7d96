"""Binary decision diagrams of rules, through the ``dd`` package (CUDD when available).

The only module that touches ``dd``. A :class:`RuleBDDs` holds one manager with a variable per
node (named as the node) and the BDD of every rule, built without recursion.
"""
from __future__ import annotations

import atexit
import gc
import importlib
import sys
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

from .budget import BudgetExceeded, poll
from .expr import And, Const, Expr, Not, Var, fold
from .network import Network

__all__ = ["new_manager", "expr_to_bdd", "RuleBDDs", "BDD", "Manager", "sift", "assignments"]

#: a BDD node of a ``dd`` manager (``dd`` has no type information)
BDD = Any
#: a ``dd`` BDD manager (``dd.cudd.BDD`` or ``dd.autoref.BDD``)
Manager = Any


def _load_dd() -> ModuleType:
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
            backend = importlib.import_module("dd.cudd")
        except ImportError:  # pure-Python fallback
            backend = importlib.import_module("dd.autoref")
    finally:
        if hide and sys.modules.get("networkx", 0) is None:
            del sys.modules["networkx"]
    return backend


#: initial CUDD cache slots (the default is 2^18)
INITIAL_CACHE = 1 << 14
#: CUDD's memory target, from which it sizes the "death row" of dereferenced nodes that it
#: allocates and clears at start (a quarter of the nodes up to which tables grow freely).
#: dd's default, 1 GiB, gives 8 MB cleared per new manager (up to 30 ms on a loaded
#: machine); 16 MiB gives 128 kB. The death row grows on its own where it is used.
MEMORY_TARGET = 1 << 24
#: nodes up to which CUDD grows its unique table without collecting garbage first: what
#: dd's default target gives, so large diagrams are built as before
LOOSE_UP_TO = 6710886


#: every CUDD manager made here, held until no diagram of it is left. The garbage collector
#: frees a reference cycle (a recursive closure, a traceback) in any order: a manager freed
#: there before the diagrams the cycle holds finds nodes still referenced, prints a warning
#: and leaks. Held here, a manager goes only once nothing else refers to it and its nodes
#: are all released, which is checked after each full collection and whenever the list has
#: doubled since the last check (so at a constant cost per manager made).
_MANAGERS: list[Manager] = []
_check_at = 16     # the list's length at which it is next checked


def _release_managers() -> None:
    """Drop the held managers that nothing else refers to and that hold no node."""
    global _check_at
    # getrefcount sees the list, the comprehension's variable and its own argument
    _MANAGERS[:] = [m for m in _MANAGERS if sys.getrefcount(m) > 3 or len(m) != 0]
    _check_at = max(16, 2 * len(_MANAGERS))


def _after_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        _release_managers()


def _hold(mgr: Manager) -> None:
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
        atexit.register(_collect_at_exit)
    if len(_MANAGERS) >= _check_at:
        _release_managers()
    _MANAGERS.append(mgr)


def _collect_at_exit() -> None:
    # cycles still holding diagrams go while their managers are held, not after the
    # interpreter has dropped this module's list
    gc.collect()


def sift(mgr: Manager, max_growth: float | None = None) -> None:
    """Reorder the variables of ``mgr`` once now, by sifting (on the diagrams alive).

    ``max_growth``: how far the diagrams may grow while one variable is moved before its
    move stops (CUDD's default 1.2; where the manager has the setting)."""
    if max_growth is None or "max_growth" not in mgr.configure():
        importlib.import_module(type(mgr).__module__).reorder(mgr)
        return
    was = mgr.configure(max_growth=max_growth)["max_growth"]
    try:
        importlib.import_module(type(mgr).__module__).reorder(mgr)
    finally:
        mgr.configure(max_growth=was)


def set_order(mgr: Manager, names: Iterable[str]) -> None:
    """Put the variables ``names`` of ``mgr`` first, in this order (the others after them,
    as they stand); the diagrams alive follow."""
    first = list(names)
    taken = set(first)
    rest = [v for v in sorted(mgr.vars, key=mgr.level_of_var) if v not in taken]
    importlib.import_module(type(mgr).__module__).reorder(
        mgr, {v: k for k, v in enumerate(first + rest)})


def new_manager(names: Iterable[str] = ()) -> Manager:
    """A BDD manager (CUDD if the ``dd.cudd`` extension is installed) with these variables."""
    _dd = _load_dd()
    names = list(names)
    if _dd.__name__ == "dd.cudd":
        # a small initial cache (CUDD grows it as it is used) and memory target: a new
        # manager then costs a few ms, which counts where many small spaces get their own
        mgr = _dd.BDD(memory_estimate=MEMORY_TARGET, initial_cache_size=INITIAL_CACHE)
        mgr.configure(loose_up_to=LOOSE_UP_TO)
        _hold(mgr)
    else:
        mgr = _dd.BDD()
    if names:
        mgr.declare(*names)
    return mgr


def cofactors(mgr: Manager, u: BDD, x: str) -> tuple[BDD, BDD]:
    """``(u with x = 0, u with x = 1)`` for a variable ``x`` at or above the top variable
    of ``u`` in the order: read off the node of ``u`` (a complemented edge negates both
    children), or ``u`` twice when it does not read ``x``; a substitution, eight times
    slower, is needed only below the top.

    >>> mgr = new_manager(["a", "b"])
    >>> u = ~(mgr.var("a") & mgr.var("b"))
    >>> cofactors(mgr, u, "a") == (mgr.true, ~mgr.var("b"))
    True
    """
    top = u.var
    if top == x:
        lo, hi = u.low, u.high
        return (~lo, ~hi) if u.negated else (lo, hi)
    if top is None or mgr.level_of_var(top) > mgr.level_of_var(x):
        return u, u
    return mgr.let({x: False}, u), mgr.let({x: True}, u)


def assignments(mgr: Manager, u: BDD, names: Sequence[str],
                check: Callable[[], None] | None = None) -> Any:
    """The satisfying assignments of ``u`` over ``names`` (every variable ``u`` reads
    among them) as the rows of a numpy bool matrix, a column per name, in no set order.

    The nodes are visited once each, in the order of their levels: the rows reaching a
    node are gathered there as one block, split between its two children and doubled
    over each level a path skips. Rows are kept as bits, 64 levels to a word, until the
    end (377,736 states over 179 variables, a BDD of 85,000 nodes: 0.95 s, against 2.8 s
    with a byte per level). Walking the cubes one by one (``pick_iter``) costs a
    dictionary per state: 163,000 states over 198 variables (a BDD of 86,000 nodes) took
    11 s that way. ``check`` is called at each node.

    >>> mgr = new_manager(["a", "b", "c"])
    >>> sorted(map(tuple, assignments(mgr, mgr.var("a") & ~mgr.var("c"), ["c", "a", "b"])
    ...                   .tolist()))
    [(False, True, False), (False, True, True)]
    """
    import heapq

    import numpy as np
    by_level = sorted(names, key=mgr.level_of_var)
    at = {n: k for k, n in enumerate(by_level)}
    n = len(by_level)
    words = max(1, (n + 63) // 64)
    out: list[Any] = []

    def position(v: BDD) -> int:
        return n if v.var is None else at[v.var]

    def doubled(rows: Any, first: int, k: int) -> Any:   # every value of levels first..+k
        if k == 0:
            return rows
        rows = np.repeat(rows, 1 << k, axis=0)
        combos = np.arange(1 << k, dtype=np.uint64)
        every = len(rows) >> k
        for j in range(k):
            level = first + j
            bit = ((combos >> np.uint64(j)) & np.uint64(1)) << np.uint64(level & 63)
            rows[:, level >> 6] |= np.tile(bit, every)
        return rows

    def reach(v: BDD, rows: Any, first: int) -> None:
        if v == mgr.false:
            return
        rows = doubled(rows, first, position(v) - first)
        if v == mgr.true:
            out.append(rows)
        else:
            key = int(v)
            if key not in waiting:
                waiting[key] = (v, [])
                heapq.heappush(heap, (position(v), key))
            waiting[key][1].append(rows)

    waiting: dict[int, tuple[BDD, list[Any]]] = {}
    heap: list[tuple[int, int]] = []
    reach(u, np.zeros((1, words), dtype=np.uint64), 0)
    while heap:
        level, key = heapq.heappop(heap)
        v, blocks = waiting.pop(key)
        if check is not None:
            check()
        rows = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
        low, high = (~v.low, ~v.high) if v.negated else (v.low, v.high)
        reach(low, rows, level + 1)
        if high != mgr.false:
            rows = rows.copy()
            rows[:, level >> 6] |= np.uint64(1 << (level & 63))
            reach(high, rows, level + 1)
    if not out:
        return np.zeros((0, n), dtype=bool)
    packed = np.ascontiguousarray(np.concatenate(out), dtype="<u8").view(np.uint8)
    bits = np.unpackbits(packed, axis=1, count=n, bitorder="little").view(bool)
    return bits[:, [at[m] for m in names]]


def expr_to_bdd(mgr: Manager, expr: Expr, rename: dict[str, str] | None = None,
                check: Callable[[], None] | None = None) -> BDD:
    """The BDD of ``expr`` in ``mgr`` (variables named as in the rule, or renamed);
    ``check`` is called before each operation (a budget's check stops a long one)."""
    rename = rename or {}

    def leaf(e: Expr) -> BDD:
        if isinstance(e, Const):
            return mgr.true if e.value else mgr.false
        assert isinstance(e, Var)
        return mgr.var(rename.get(e.name, e.name))

    def node(e: Expr, vals: list[BDD]) -> BDD:
        poll()  # a rule whose BDD blows up stops at the time limit or Ctrl-C
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


def rule_bdd(mgr: Manager, net: Network, name: str) -> BDD:
    """The BDD of the rule of ``name``; a time limit met while building it says which."""
    try:
        return expr_to_bdd(mgr, net.rules[name])
    except BudgetExceeded as err:
        raise BudgetExceeded(err.reason, what=f"{err.reason.describe()} while building "
                             f"the BDD of the rule of '{name}'") from err


class RuleBDDs:
    """The BDD of every rule of a network in one shared manager.

    Attributes
    ----------
    mgr : dd manager
    f : dict name -> BDD
    """

    def __init__(self, net: Network, mgr: Manager | None = None) -> None:
        self.net = net
        self.mgr = mgr or new_manager(net.names)
        self.f = {n: rule_bdd(self.mgr, net, n) for n in net.names}

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
