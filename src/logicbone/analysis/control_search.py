"""The engine of :func:`logicbone.control`: minimal intervention sets by increasing size.

Not public API: :mod:`logicbone.analysis.control` is the front.

The search rests on one fact. Fixing a set of nodes P (on top of a condition) and propagating
constants gives a closure W(P): every node whose value is forced. Every attractor of the
perturbed network lies in the subspace of W(P) (a node whose rule is constant there takes that
value and keeps it, under asynchronous and most permissive update alike), and there the
dynamics depend on W(P) alone. So whether P controls the target is a function of W(P):

* the target nodes all forced to their target values: P works;
* one of them forced to the other value: P fails;
* otherwise the exact attractor engine decides, on the network with W(P) fixed, once per
  distinct closure (memoised).

Closures are computed incrementally along the enumeration (a set extends its prefix), with
each rule held as a truth table over its regulators in a Python integer, so one step costs a
few big-integer operations per affected node.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..budget import Budget
from ..network import Network

__all__ = ["Atom", "Percolator", "Search", "SearchOutcome"]

log = logging.getLogger(__name__)

#: rules with more regulators than this are not tabulated; they become constant only once all
#: their regulators are
MAX_TABLE_INPUTS = 16


@dataclass(frozen=True)
class Atom:
    """One elementary intervention: a node fixing (``mTOR=0``) or a drug (several fixings)."""

    label: str
    fixes: tuple[tuple[int, int], ...]
    drug: str | None = None


def _bits(arr) -> int:
    """A bool array as a Python int (bit r = arr[r])."""
    import numpy as np
    return int.from_bytes(np.packbits(np.asarray(arr, dtype=bool), bitorder="little").tobytes(),
                          "little")


class Percolator:
    """Constant propagation on a network, on states held as two ints (known, values)."""

    def __init__(self, net: Network):
        import numpy as np

        from ..expr import Const, truth_table, variables
        self.net = net
        self.n = n = len(net.names)
        index = {name: i for i, name in enumerate(net.names)}
        self.regs: list[list[int]] = []
        self.table: list[int | None] = []
        self.masks: list[list[tuple[int, int]]] = []
        self.full: list[int] = []
        self.const: list[int | None] = []
        self.users: list[list[int]] = [[] for _ in range(n)]
        for i, name in enumerate(net.names):
            rule = net.rules[name]
            regs = sorted(index[v] for v in set(variables(rule)))
            self.regs.append(regs)
            for r in regs:
                if r != i:
                    self.users[r].append(i)
            self.const.append(int(rule.value) if isinstance(rule, Const) else None)
            d = len(regs)
            if d > MAX_TABLE_INPUTS:
                self.table.append(None)
                self.masks.append([])
                self.full.append(0)
                continue
            rows = np.arange(1 << d, dtype=np.uint32)
            self.table.append(_bits(truth_table(rule, [net.names[r] for r in regs])))
            self.masks.append([(_bits(((rows >> j) & 1) == 0), _bits(((rows >> j) & 1) == 1))
                               for j in range(d)])
            self.full.append((1 << (1 << d)) - 1)
        # reach[i]: the nodes downstream of i (i's targets, their targets, ...), as a bitmask
        self.reach: list[int] = []
        for i in range(n):
            seen = 0
            stack = list(self.users[i])
            while stack:
                u = stack.pop()
                if not (seen >> u) & 1:
                    seen |= 1 << u
                    stack.extend(self.users[u])
            self.reach.append(seen)

    def _value(self, i: int, known: int, values: int) -> int | None:
        """The value node ``i``'s rule is forced to by the known nodes, or None."""
        c = self.const[i]
        if c is not None:
            return c
        table = self.table[i]
        regs = self.regs[i]
        if table is None:
            if all((known >> r) & 1 for r in regs):
                from ..expr import Const, substitute
                out = substitute(self.net.rules[self.net.names[i]],
                                 {self.net.names[r]: bool((values >> r) & 1) for r in regs})
                return int(out.value) if isinstance(out, Const) else None
            return None
        m = self.full[i]
        masks = self.masks[i]
        for j, r in enumerate(regs):
            if (known >> r) & 1:
                m &= masks[j][(values >> r) & 1]
        t = table & m
        if t == 0:
            return 0
        if t == m:
            return 1
        return None

    def close(self, known: int, values: int, todo: Sequence[int]) -> tuple[int, int]:
        """Propagate from ``todo`` (nodes whose rules may have become constant)."""
        stack = list(todo)
        while stack:
            i = stack.pop()
            if (known >> i) & 1:
                continue
            v = self._value(i, known, values)
            if v is None:
                continue
            known |= 1 << i
            if v:
                values |= 1 << i
            stack.extend(u for u in self.users[i] if not (known >> u) & 1)
        return known, values

    def from_scratch(self, fixes: Mapping[int, int]) -> tuple[int, int]:
        """The closure of the network with ``fixes`` (node index -> value) held."""
        known = values = 0
        for i, v in fixes.items():
            known |= 1 << i
            if v:
                values |= 1 << i
        return self.close(known, values, range(self.n))

    def reseed(self, base_state: tuple[int, int], base: Mapping[int, int],
               fixes: Sequence[tuple[int, int]]) -> tuple[int, int]:
        """The closure of ``base`` plus ``fixes`` (which win), from the closure ``base_state``
        of ``base`` alone: nodes not downstream of a fixed node keep their status there (their
        derivation does not involve the fixings), the others are propagated again."""
        down = 0
        for i, _ in fixes:
            down |= self.reach[i] | (1 << i)
        keep = ~down
        known, values = base_state[0] & keep, base_state[1] & keep
        for i, v in (*base.items(), *fixes):
            known |= 1 << i
            values = values | (1 << i) if v else values & ~(1 << i)
        todo = [i for i in range(self.n) if (down >> i) & 1 and not (known >> i) & 1]
        return self.close(known, values, todo)

    def extend(self, state: tuple[int, int], base_state: tuple[int, int],
               base: Mapping[int, int], fixes: Sequence[tuple[int, int]],
               added: Sequence[tuple[int, int]]) -> tuple[int, int]:
        """The closure after adding ``added`` to the fixings ``fixes`` (which already hold
        ``added``) on top of ``base`` (whose own closure is ``base_state``), from the closure
        ``state`` before the addition: on free nodes the closure only grows; a fixing that
        overrides a forced value propagates again (:meth:`reseed`)."""
        known, values = state
        fresh = []
        for i, v in added:
            if (known >> i) & 1:
                if ((values >> i) & 1) != v:
                    return self.reseed(base_state, base, fixes)
                continue
            known |= 1 << i
            if v:
                values |= 1 << i
            fresh.extend(self.users[i])
        return self.close(known, values, fresh)


@dataclass
class SearchOutcome:
    """What the search found: minimal sets (tuples of atom indices) per tracker."""

    found: dict[object, list[tuple[int, ...]]]
    complete: bool
    searched_size: int          # every set up to this size was decided
    unknown: int                # closures the engine could not decide within the budget
    closures: int               # distinct closures decided by the attractor engine
    candidates: int             # sets whose closure was computed
    notes: list[str] = field(default_factory=list)


class Search:
    """Minimal intervention sets over ``atoms`` that work in each condition and in all.

    Parameters
    ----------
    perc : Percolator
    conditions : list of dict node index -> value
    atoms : list of Atom
    decide : callable(condition index, known, values) -> bool or None
        Whether every attractor with the closure (known, values) fixed meets the target
        (None: undecided within the budget).
    target : dict node index -> value
    joint : bool
        Track "works in every condition" (key ``"all"``) besides each condition.
    """

    def __init__(self, perc: Percolator, conditions: list[dict[int, int]], atoms: list[Atom],
                 decide: Callable[[int, int, int], bool | None], target: Mapping[int, int],
                 joint: bool):
        self.perc = perc
        self.conditions = conditions
        self.atoms = atoms
        self.decide_engine = decide
        self.target_known = sum(1 << i for i in target)
        self.target_values = sum(1 << i for i, v in target.items() if v)
        self.trackers: list[object] = list(range(len(conditions)))
        if joint:
            self.trackers.append("all")
        self.memo: list[dict[tuple[int, int], bool | None]] = [{} for _ in conditions]
        self.engine_calls = 0
        self.unknown = 0
        nodes = [frozenset(i for i, _ in a.fixes) for a in atoms]
        self.clash = [[bool(nodes[a] & nodes[b]) for b in range(len(atoms))]
                      for a in range(len(atoms))]

    # ------------------------------------------------------------ deciding one closure
    def decide(self, c: int, state: tuple[int, int]) -> bool | None:
        memo = self.memo[c]
        if state in memo:
            return memo[state]
        known, values = state
        tk, tv = self.target_known, self.target_values
        if known & tk == tk:
            out: bool | None = (values & tk) == tv
        elif (values ^ tv) & known & tk:
            out = False
        else:
            self.engine_calls += 1
            out = self.decide_engine(c, known, values)
            if out is None:
                self.unknown += 1
        memo[state] = out
        return out

    # ------------------------------------------------------------ the enumeration
    def run(self, max_size: int, budget: Budget, limit_tracker: object) -> SearchOutcome:
        found: dict[object, list[tuple[int, ...]]] = {t: [] for t in self.trackers}
        found_sets: dict[object, set[frozenset[int]]] = {t: set() for t in self.trackers}
        undecided: dict[object, set[frozenset[int]]] = {t: set() for t in self.trackers}
        ncond = len(self.conditions)
        empty = [self.perc.from_scratch(cond) for cond in self.conditions]
        level: dict[tuple[int, ...], list[tuple[int, int]]] = {(): empty}
        searched = -1
        candidates = 0
        stopped = False
        for size in range(0, max_size + 1):
            nxt: dict[tuple[int, ...], list[tuple[int, int]]] = {}
            combos: Iterator[tuple[int, ...]] = (
                iter([()]) if size == 0 else self._extensions(level))
            for count, combo in enumerate(combos):
                if count % 64 == 0:
                    budget.report(lambda: f"control: size {size}, {candidates:,} sets, "
                                          f"{self.engine_calls:,} attractor searches, "
                                          f"{sum(len(v) for v in found.values()):,} found")
                    if budget.expired():
                        stopped = True
                        break
                key = frozenset(combo)
                subsets = [frozenset(s) for k in range(size)
                           for s in itertools.combinations(combo, k)]
                active = [t for t in self.trackers
                          if not any(s in found_sets[t] for s in subsets)]
                if not active:
                    continue
                candidates += 1
                states = (empty if size == 0 else self._closures(level, combo, empty))
                results: list[bool | None] = []
                need = set(range(ncond)) if "all" in active else {t for t in active
                                                                  if t != "all"}
                for c in range(ncond):
                    results.append(self.decide(c, states[c]) if c in need else None)
                for t in active:
                    ok = (all(r is True for r in results) if t == "all"
                          else results[t])  # type: ignore[index]
                    unsure = (any(r is None for r in results) if t == "all"
                              else results[t] is None)  # type: ignore[index]
                    if ok:
                        if any(s in undecided[t] for s in subsets):
                            undecided[t].add(key)   # minimality not proven: left out
                            continue
                        found[t].append(combo)
                        found_sets[t].add(key)
                        if t == limit_tracker:
                            budget.take(1)
                    elif unsure:
                        undecided[t].add(key)
                if size < max_size:
                    nxt[combo] = states
                if budget.limit_reached:
                    stopped = True
                    break
            if stopped:
                break
            searched = size
            level = nxt
            if all(() in found_sets[t] for t in self.trackers):
                searched = max_size
                break
        unknown = sum(len(v) for v in undecided.values())
        notes = []
        if unknown:
            notes.append(f"{unknown} candidate sets could not be decided within the budget")
        return SearchOutcome(found, not stopped and unknown == 0, searched, self.unknown,
                             self.engine_calls, candidates, notes)

    def _extensions(self, level: Mapping[tuple[int, ...], object]
                    ) -> Iterator[tuple[int, ...]]:
        """Sets one atom larger than those of ``level``, each once (in lexicographic order
        of atom indices), skipping atoms that touch a node twice."""
        m = len(self.atoms)
        for prefix in level:
            start = prefix[-1] + 1 if prefix else 0
            for a in range(start, m):
                if any(self.clash[a][b] for b in prefix):
                    continue
                yield prefix + (a,)

    def _closures(self, level: Mapping[tuple[int, ...], list[tuple[int, int]]],
                  combo: tuple[int, ...], empty: list[tuple[int, int]]
                  ) -> list[tuple[int, int]]:
        """The closure of ``combo`` in each condition. Where one of its atoms is already
        forced (to the same values) by the others, the closure is theirs, found in ``level``;
        otherwise it extends the closure of the lexicographic prefix."""
        out = []
        fixes = None
        for c, cond in enumerate(self.conditions):
            state = None
            if len(combo) > 1:
                for k, a in enumerate(combo):
                    rest = level.get(combo[:k] + combo[k + 1:])
                    if rest is None:
                        continue
                    known, values = rest[c]
                    if all((known >> i) & 1 and ((values >> i) & 1) == v
                           for i, v in self.atoms[a].fixes):
                        state = rest[c]
                        break
            if state is None:
                if fixes is None:
                    fixes = [f for a in combo for f in self.atoms[a].fixes]
                state = self.perc.extend(level[combo[:-1]][c], empty[c], cond, fixes,
                                         self.atoms[combo[-1]].fixes)
            out.append(state)
        return out


# ------------------------------------------------------------------ temporary control

class ReachTooLarge(Exception):
    """An explicit reachability search went beyond its state limit."""


def reachable(kernel, starts, limit: int):
    """All states reachable from ``starts`` under fully asynchronous update, sorted."""
    import numpy as np

    seen = np.unique(np.asarray(starts, dtype=np.uint64))
    frontier = seen
    while frontier.size:
        _, dst = kernel.async_successors(frontier)
        dst = np.unique(dst)
        new = dst[~np.isin(dst, seen, assume_unique=True)]
        if not new.size:
            break
        seen = np.union1d(seen, new)
        if seen.size > limit:
            raise ReachTooLarge(seen.size)
        frontier = new
    return seen


def reachable_attractors(kernel, starts, limit: int) -> list:
    """The asynchronous attractors reachable from ``starts``: each as a sorted array of its
    states (the bottom strongly connected components of the reachable part of the graph)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    states = reachable(kernel, starts, limit)
    src, dst = kernel.async_successors(states)
    i, j = np.searchsorted(states, src), np.searchsorted(states, dst)
    m = states.size
    graph = csr_matrix((np.ones(i.size, dtype=np.int8), (i, j)), shape=(m, m))
    k, labels = connected_components(graph, directed=True, connection="strong")
    leaving = np.zeros(k, dtype=bool)
    leaving[labels[i][labels[i] != labels[j]]] = True
    return [states[labels == c] for c in range(k) if not leaving[c]]


def minimal_sets(atoms: Sequence[Atom], trackers: Sequence[object],
                 check: Callable[[tuple[int, ...], Sequence[object]], dict],
                 max_size: int, budget: Budget, limit_tracker: object) -> SearchOutcome:
    """Minimal sets of atoms, by increasing size, for a property that closures cannot decide
    (``check(combo, trackers)`` -> tracker -> True/False/None): supersets of sets found are
    skipped, sets with an undecided subset are not reported as minimal."""
    found: dict[object, list[tuple[int, ...]]] = {t: [] for t in trackers}
    found_sets: dict[object, set[frozenset[int]]] = {t: set() for t in trackers}
    undecided: dict[object, set[frozenset[int]]] = {t: set() for t in trackers}
    nodes = [frozenset(i for i, _ in a.fixes) for a in atoms]
    searched = -1
    candidates = 0
    stopped = False
    for size in range(max_size + 1):
        for combo in itertools.combinations(range(len(atoms)), size):
            if budget.expired() or budget.limit_reached:
                stopped = True
                break
            if any(nodes[a] & nodes[b] for a, b in itertools.combinations(combo, 2)):
                continue
            subsets = [frozenset(s) for k in range(size) for s in itertools.combinations(combo, k)]
            active = [t for t in trackers if not any(s in found_sets[t] for s in subsets)]
            if not active:
                continue
            candidates += 1
            budget.report(lambda: f"temporary control: size {size}, {candidates:,} sets")
            result = check(combo, active)
            for t in active:
                if result[t] is None:
                    undecided[t].add(frozenset(combo))
                elif result[t] and any(s in undecided[t] for s in subsets):
                    undecided[t].add(frozenset(combo))   # minimality not proven: left out
                elif result[t]:
                    found[t].append(combo)
                    found_sets[t].add(frozenset(combo))
                    if t == limit_tracker:
                        budget.take(1)
        if stopped:
            break
        searched = size
        if all(frozenset() in found_sets[t] for t in trackers):
            searched = max_size
            break
    unknown = sum(len(v) for v in undecided.values())
    notes = ([f"{unknown} candidate sets could not be decided within the limits"]
             if unknown else [])
    return SearchOutcome(found, not stopped and unknown == 0, searched, unknown, candidates,
                         candidates, notes)
