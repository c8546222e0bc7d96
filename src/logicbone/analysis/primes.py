"""Prime implicants of every rule, computed on binary decision diagrams.

A prime implicant of a rule ``f`` is a smallest conjunction of literals (a cube) that forces
``f`` to 1; the primes of ``not f`` force it to 0. Together they describe exactly which
subspaces fix a node, which is what trap-space and fixed-point searches need.

The primes are read off the BDD of the rule (one manager per network, CUDD through ``dd``)
with the classical cofactor recursion: for ``f = ite(x, f1, f0)``,
``P(f) = P(f0 & f1)  +  {!x p : p in P(f0) - P(f0 & f1)}  +  {x p : p in P(f1) - P(f0 & f1)}``,
memoised on BDD nodes and run on an explicit stack. The cost depends on the size of the BDD
and on the number of primes, not on ``2**in-degree``, so rules with 20-30 regulators are
routine.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, B | C\\nB, !A\\nC, C")
>>> ones, zeros = lb.prime_implicants(net)["A"]
>>> sorted(sorted(p.items()) for p in ones)
[[('B', 1)], [('C', 1)]]
>>> zeros
[{'B': 0, 'C': 0}]
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from ..bdd import cofactors
from ..budget import poll
from ..errors import LogicboneError
from ..network import Network

if TYPE_CHECKING:
    import numpy as np

    from ..bdd import BDD, Manager

__all__ = ["prime_implicants", "rule_dnfs", "Implicant", "PrimeLimitExceeded", "BddCover",
           "side_support"]

log = logging.getLogger(__name__)

Implicant = dict  # node name -> 0/1

#: default cap on the number of primes of one rule (either value)
MAX_PRIMES = 200_000


#: default cap on the cubes of one side of a rule in :func:`rule_dnfs`; a larger side
#: is kept as its BDD (:class:`BddCover`)
MAX_COVER_CUBES = 20_000


#: one conjunction of a DNF side: ``(node index, value)`` pairs
Cube = tuple[tuple[int, int], ...]


class PrimeLimitExceeded(LogicboneError):
    """A rule has more prime implicants than the configured cap."""


class _CoverTooLarge(Exception):
    pass


# the forms of a decision node in BddCover.planes: x ? high : low, with constant children
_ITE, _AND, _AND_NOT, _OR, _VAR, _NOT, _OR_NOT = range(7)


class BddCover:
    """One side of a rule (``f`` or ``not f``) whose DNF would be too large, kept as the
    decision nodes of its BDD.

    ``nodes[t - 2]`` is ``(var, high, low)`` for node id ``t``: the node tests the node of
    index ``var`` and continues to ``high`` when it is 1 and to ``low`` when it is 0. Ids 0
    and 1 are the constants false and true; children come before their parents and the
    last node is the root (or, for a constant, the root is its id and there is no node).
    ``support`` is the set of tested node indices.

    A subspace (a product of per-node value sets) meets the function of node
    ``ite(x, high, low)`` exactly when it allows ``x = 1`` and meets ``high``, or allows
    ``x = 0`` and meets ``low`` (the children do not depend on ``x``), which is what lets the
    answer-set programs use one auxiliary atom per node instead of a DNF.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, B & C\\nB, B\\nC, C")
    >>> cover = rule_dnfs(net, max_cubes=0)[0][0]
    >>> cover.nodes, sorted(cover.support)
    ([(2, 1, 0), (1, 2, 0)], [1, 2])
    """

    __slots__ = ("nodes", "support", "_root", "_plan")

    def __init__(self, nodes: list[tuple[int, int, int]], root: int | None = None):
        self.nodes = nodes
        self.support = {x for x, _, _ in nodes}
        self._root = len(nodes) + 1 if root is None else root
        self._plan: list[tuple[int, int, int, int]] | None = None

    @property
    def root(self) -> int:
        return self._root

    def __repr__(self) -> str:
        return f"BddCover({len(self.nodes)} nodes)"

    def evaluate(self, values: Sequence[np.ndarray], m: int) -> np.ndarray:
        """The side's value on ``m`` states at once; ``values[j]`` is node ``j``'s bool
        array."""
        import numpy as np

        val: list[np.ndarray] = [np.zeros(m, dtype=bool), np.ones(m, dtype=bool)]
        for x, hi, lo in self.nodes:
            val.append(np.where(values[x], val[hi], val[lo]))
        return val[self._root]

    def value(self, values: Sequence[bool]) -> bool:
        """The side's value on one state; ``values[j]`` is node ``j``'s value."""
        val = [False, True]
        for x, hi, lo in self.nodes:
            val.append(val[hi] if values[x] else val[lo])
        return val[self._root]

    def planes(self, values: Sequence[int], mask: int) -> int:
        """The side's value on many states at once, bit for bit: ``values[j]`` is node
        ``j``'s value in every state (an int, bit ``k`` for state ``k``; the states are
        the bits of ``mask``, the others 0 in the result).

        Most decision nodes have a constant child (on bbm/280's rules, 70 %): each is one
        integer operation or none, by the kind :meth:`_planned` gives it, where the general
        form takes three (each a pass over the ints, which hold a bit per walk)."""
        plan = self._plan
        if plan is None:
            plan = self._plan = self._planned()
        val = [0, mask]
        put = val.append
        for kind, x, hi, lo in plan:
            v = values[x]
            if kind == _ITE:
                low = val[lo]
                put(low ^ ((low ^ val[hi]) & v))
            elif kind == _AND:
                put(v & val[hi])
            elif kind == _AND_NOT:
                low = val[lo]
                put((low | v) ^ v)
            elif kind == _OR:
                put(v | val[lo])
            elif kind == _VAR:
                put(v)
            elif kind == _NOT:
                put(mask ^ v)
            else:                   # _OR_NOT
                put((mask ^ v) | val[hi])
        # (each bit is its own state: the bits outside mask, where some forms leave
        # the values' own, are cleared once)
        return val[self._root] & mask

    def _planned(self) -> list[tuple[int, int, int, int]]:
        """Each decision node ``(var, high, low)`` as ``(kind, var, high, low)``: which of
        the forms of :meth:`planes` its constant children (ids 0 and 1) allow."""
        plan = []
        for x, hi, lo in self.nodes:
            if hi > 1 and lo > 1:
                kind = _ITE
            elif lo == 0:
                kind = _VAR if hi == 1 else _AND
            elif hi == 0:
                kind = _NOT if lo == 1 else _AND_NOT
            elif hi == 1:
                kind = _OR
            else:                   # lo == 1, high a node
                kind = _OR_NOT
            plan.append((kind, x, hi, lo))
        return plan

    def to_bdd(self, mgr: Manager, g: Mapping[int, BDD] | Sequence[BDD]) -> BDD:
        """The side as a BDD of ``mgr``, with node ``j`` replaced by the BDD ``g[j]``."""
        val = [mgr.false, mgr.true]
        for x, hi, lo in self.nodes:
            val.append(mgr.ite(g[x], val[hi], val[lo]))
        return val[self._root]

    @classmethod
    def from_bdd(cls, mgr: Manager, f: BDD, idx: Mapping[str, int]) -> BddCover:
        """The decision nodes of BDD ``f`` of ``mgr``, its variables numbered by ``idx``."""
        false, true = mgr.false, mgr.true
        if f == false or f == true:
            return cls([], root=int(f == true))
        ids = {false: 0, true: 1}
        nodes: list[tuple[int, int, int]] = []
        stack = [f]
        while stack:
            g = stack[-1]
            if g in ids:
                stack.pop()
                continue
            x = g.var
            lo, hi = cofactors(mgr, g, x)
            missing = [h for h in (hi, lo) if h not in ids]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            nodes.append((idx[x], ids[hi], ids[lo]))
            ids[g] = len(nodes) + 1
        return cls(nodes)


#: one side of a rule in :func:`rule_dnfs`: its cubes, or its BDD
Side = Union[Sequence[Cube], BddCover]


def side_support(side: Side) -> set[int]:
    """The node indices one side of :func:`rule_dnfs` mentions (a cube list or a
    :class:`BddCover`)."""
    if isinstance(side, BddCover):
        return set(side.support)
    return {j for cube in side for j, _ in cube}


def _bdd_primes(mgr, f, memo: dict, cap: int) -> frozenset:
    """The primes of BDD ``f`` as a frozenset of frozensets of (name, value) pairs."""
    false, true = mgr.false, mgr.true
    stack = [f]
    while stack:
        g = stack[-1]
        if g in memo:
            stack.pop()
            continue
        if g == false:
            memo[g] = frozenset()
            stack.pop()
            continue
        if g == true:
            memo[g] = frozenset([frozenset()])
            stack.pop()
            continue
        x = g.var
        g0, g1 = cofactors(mgr, g, x)
        gb = g0 & g1
        missing = [h for h in (g0, g1, gb) if h not in memo]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        pb, p0, p1 = memo[gb], memo[g0], memo[g1]
        lit0, lit1 = (x, 0), (x, 1)
        out = set(pb)
        out.update(p | {lit0} for p in p0 - pb)
        out.update(p | {lit1} for p in p1 - pb)
        if len(out) > cap:
            raise PrimeLimitExceeded(
                f"a rule has more than {cap:,} prime implicants; raise the cap (max_primes=)")
        memo[g] = frozenset(out)
    return memo[f]


def prime_implicants(net: Network, *, nodes: Iterable[str] | None = None,
                     max_primes: int = MAX_PRIMES
                     ) -> dict[str, tuple[list[Implicant], list[Implicant]]]:
    """The prime implicants of every rule, for both values.

    Parameters
    ----------
    net : Network
    nodes : iterable of str, optional
        Only these nodes (default: all).
    max_primes : int
        Raise :class:`PrimeLimitExceeded` if one rule has more primes than this.

    Returns
    -------
    dict
        ``name -> (ones, zeros)``: ``ones`` lists the primes of the rule (cubes that force the
        node's next value to 1), ``zeros`` those of its negation; each prime is a dict
        ``regulator -> 0/1``. A constant-1 rule has ``ones == [{}]`` and ``zeros == []``.

    Raises
    ------
    PrimeLimitExceeded

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A & !B | !A & B\\nB, 1")
    >>> p = lb.prime_implicants(net)
    >>> sorted(sorted(c.items()) for c in p["A"][0])
    [[('A', 0), ('B', 1)], [('A', 1), ('B', 0)]]
    >>> p["B"]
    ([{}], [])
    """
    from ..bdd import RuleBDDs

    wanted = list(net.names if nodes is None else nodes)
    net.check_nodes(wanted)
    bdds = RuleBDDs(net)
    mgr = bdds.mgr
    order = {n: i for i, n in enumerate(net.names)}
    memo: dict = {}
    out: dict[str, tuple[list[Implicant], list[Implicant]]] = {}
    for name in wanted:
        f = bdds.f[name]
        pair = []
        for g in (f, ~f):
            primes = _bdd_primes(mgr, g, memo, max_primes)
            pair.append([{k: v for k, v in sorted(p, key=lambda kv: order[kv[0]])}
                         for p in sorted(primes, key=lambda p: (len(p), sorted(
                             (order[k], v) for k, v in p)))])
        out[name] = (pair[0], pair[1])
    log.debug("prime implicants of %d rules", len(out))
    return out


def primes_as_indices(net: Network, primes: Mapping[str, Any] | None = None
                      ) -> list[tuple[list[tuple[tuple[int, int], ...]], ...]]:
    """The primes with node indices: per node ``(ones, zeros)``, each a list of
    tuples of ``(index, value)`` (the form the solvers use)."""
    primes = prime_implicants(net) if primes is None else primes
    idx = {n: i for i, n in enumerate(net.names)}
    return [tuple([tuple((idx[k], v) for k, v in p.items()) for p in side]
                  for side in primes[name]) for name in net.names]


def _isop(mgr, lower, upper, memo: dict, cap: int | None = None) -> list:
    """An irredundant sum of products between two BDDs (Minato-Morreale), as a list of
    tuples of (name, value): a compact DNF of any ``f`` with ``lower <= f <= upper``.

    Runs as a trampoline over generators, so the depth of the BDD never meets Python's
    recursion limit. Raises ``_CoverTooLarge`` as soon as a partial cover has more than
    ``cap`` cubes.
    """
    false, true = mgr.false, mgr.true

    def step(lo, up):
        if lo == false:
            return [], false
        if up == true:
            return [()], true
        lv = mgr.level_of_var(lo.var) if lo.var is not None else 1 << 30
        uv = mgr.level_of_var(up.var) if up.var is not None else 1 << 30
        x = lo.var if lv <= uv else up.var
        l0, l1 = cofactors(mgr, lo, x)
        u0, u1 = cofactors(mgr, up, x)
        c0, r0 = yield (l0 & ~u1, u0)
        c1, r1 = yield (l1 & ~u0, u1)
        cd, rd = yield ((l0 & ~r0) | (l1 & ~r1), u0 & u1)
        if cap is not None and len(c0) + len(c1) + len(cd) > cap:
            raise _CoverTooLarge()
        cubes = [((x, 0),) + c for c in c0] + [((x, 1),) + c for c in c1] + list(cd)
        xv = mgr.var(x)
        return cubes, (xv & r1) | (~xv & r0) | rd

    def run(lo, up):
        key = (lo, up)
        if key in memo:
            return memo[key], None
        gen = step(lo, up)
        if not hasattr(gen, "send"):  # a terminal case returned directly
            memo[key] = gen
            return gen, None
        return None, gen

    result, gen = run(lower, upper)
    if gen is None:
        return result[0]
    stack = [((lower, upper), gen)]
    value = None
    while stack:
        key, g = stack[-1]
        try:
            sub = g.send(value)
        except StopIteration as stop:
            memo[key] = stop.value
            stack.pop()
            value = stop.value
            continue
        res, child = run(*sub)
        if child is None:
            value = res
        else:
            stack.append((sub, child))
            value = None
    return memo[(lower, upper)][0]


def rule_dnfs(net: Network, *, max_cubes: int | None = -1) -> list[tuple[Any, Any]]:
    """A compact DNF of every rule and of its negation, with node indices.

    Returns, per node in bit order, ``(ones, zeros)``: lists of cubes, each a tuple of
    ``(index, value)``; a side whose cover would have more than ``max_cubes`` cubes is a
    :class:`BddCover` instead (``max_cubes=None``: always cubes; by default
    :data:`MAX_COVER_CUBES`, read at each call). Any DNF of ``f`` and of ``not f`` is enough to decide trap spaces and
    fixed points (a subspace meets ``f = b`` exactly when it meets one cube of the DNF of
    ``f = b``), so irredundant covers are used: never more cubes than the primes, and often
    far fewer.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, B | C\\nB, !A\\nC, C")
    >>> rule_dnfs(net)[0]
    ([((1, 1),), ((2, 1),)], [((1, 0), (2, 0))])
    """
    from ..bdd import new_manager, rule_bdd

    if max_cubes == -1:
        max_cubes = MAX_COVER_CUBES
    mgr = None
    idx = {n: i for i, n in enumerate(net.names)}
    memo: dict[Any, Any] = {}
    out: list[tuple[Any, Any]] = []
    for name in net.names:
        poll()
        rule = net.rules[name]
        held = _COVERS.get(rule)
        known = held[1] if held is not None and held[0] == max_cubes else (None, None)
        if known[0] is not None and known[1] is not None:
            out.append((_indexed(known[0], idx), _indexed(known[1], idx)))
            continue
        if mgr is None:
            mgr = new_manager(net.names)
        f = rule_bdd(mgr, net, name)
        pair: list[Any] = []
        named: list[Any] = []
        for g in (f, ~f):
            if held is not None and held[0] == max_cubes:
                cubes = known[len(named)]        # None: known to be too large
            else:
                try:
                    cubes = _isop(mgr, g, g, memo, max_cubes)
                except _CoverTooLarge:
                    log.info("the cover of %s%s has more than %d cubes; kept as its BDD",
                             "" if g == f else "not ", name, max_cubes)
                    cubes = None
            named.append(cubes)
            pair.append(BddCover.from_bdd(mgr, g, idx) if cubes is None
                        else _indexed(cubes, idx))
        if len(_COVERS) >= 4096:
            _COVERS.clear()
        _COVERS[rule] = (max_cubes, (named[0], named[1]))
        out.append((pair[0], pair[1]))
    return out


def _indexed(cubes: list, idx: Mapping[str, int]) -> list[Cube]:
    """Cubes of ``(name, value)`` pairs as sorted cubes of ``(index, value)``, sorted."""
    return sorted(tuple(sorted((idx[k], v) for k, v in c)) for c in cubes)


#: rule -> (cap, covers of the rule and of its negation by name), by the rule's structure:
#: networks made by fixing nodes or cut into parts share their rules, and so do the
#: networks left below an upstream part by its values (any cover is a DNF of the rule; a
#: cover by a BDD is tied to its manager and not kept: None, a side known to need more
#: cubes than the cap, so that it is not tried again)
_COVERS: dict[Any, tuple[int | None, tuple[list | None, list | None]]] = {}
