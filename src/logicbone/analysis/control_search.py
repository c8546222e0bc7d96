"""The engine of :func:`logicbone.control`: minimal intervention sets by increasing size.

Not public API: :mod:`logicbone.analysis.control` is the front.

The search rests on one fact. Fixing a set of nodes P (on top of a condition) and propagating
constants gives a closure W(P): every node whose value is forced. Every attractor of the
perturbed network lies in the subspace of W(P) (a node whose rule is constant there takes that
value and keeps it, under asynchronous and most permissive update alike), and there the
dynamics depend on W(P) alone. So whether P controls the target is a function of W(P):

* the target nodes all forced to their target values: P works;
* one of them forced to the other value: P fails;
* otherwise an exact decision, once per distinct closure (memoised). Under asynchronous
  update only the free nodes upstream of the target matter (a part, :func:`upstream`), so
  one decision serves every closure with the same part and the same values of its fixed
  regulators: a known fixed point of the part that misses the target refutes it
  (:class:`Witnesses`); a small part is searched state by state
  (:func:`explicit_async_decide`); a larger one is refuted by a fixed point the solver finds
  (:class:`FixedPointQueries`, one program for the whole search), else decided by two
  backward reachabilities on BDDs (:class:`ReachQueries`). Under most permissive update the
  attractor engine decides on the network with W(P) fixed.

Sets are taken one size at a time (sets found at one size prune only larger ones, so a whole
size is one batch), and their closures are computed together in numpy: a node's value over
three-valued states (0, 1, unknown) is a lookup in a table of 3^d entries over its d
regulators, swept in rounds until nothing changes.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..budget import Budget
from ..network import Network, upstream_closure

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ..bdd import BDD
    from ..dynamics.kernel import Kernel
    from .symbolic import AsyncSTG

__all__ = ["Atom", "Percolator", "Search", "SearchOutcome", "minimal_sets",
           "explicit_async_meets", "upstream", "fixed_point_against", "EXPLICIT_FREE",
           "part_key", "part_successors", "PartModel", "Witnesses", "explicit_async_decide",
           "fixed_point_witness", "solver_witness", "SOLVER_MAX_REGS", "FixedPointQueries",
           "reach_decide", "ReachQueries",
           "reachable", "reachable_attractors", "ReachTooLarge"]

log = logging.getLogger(__name__)

#: rules with more regulators than this get no three-valued table; they are evaluated once
#: all their regulators are known
MAX_TRIT_INPUTS = 9

#: rules with more regulators than this get no table at all (2**d entries): the rule itself
#: is evaluated once all its regulators are known, and a part (:class:`PartModel`) tabulates
#: it over its regulators inside the part only
MAX_TABLE_INPUTS = 16

#: sets whose closures are computed in one numpy batch
BATCH = 8192

UNKNOWN = 2


@dataclass(frozen=True)
class Atom:
    """One elementary intervention: a node fixing (``mTOR=0``) or a drug (several fixings)."""

    label: str
    fixes: tuple[tuple[int, int], ...]
    drug: str | None = None


class Percolator:
    """Constant propagation over batches of three-valued states (int8: 0, 1, 2 = unknown)."""

    def __init__(self, net: Network):
        import numpy as np

        from ..expr import truth_table, variables
        self.net = net
        self.n = n = len(net.names)
        index = {name: i for i, name in enumerate(net.names)}
        self.regs: list[np.ndarray] = []
        self.tables: list[np.ndarray] = []
        self.trits: list[bool] = []
        self.weights: list[np.ndarray] = []
        self.big: list[bool] = []       # no table: the rule is evaluated (see MAX_TABLE_INPUTS)
        for name in net.names:
            regs = sorted(index[v] for v in set(variables(net.rules[name])))
            d = len(regs)
            self.regs.append(np.array(regs, dtype=np.intp))
            self.big.append(d > MAX_TABLE_INPUTS)
            if d > MAX_TABLE_INPUTS:
                self.tables.append(np.zeros(0, dtype=np.int8))
                self.weights.append(np.zeros(d, dtype=np.int64))
                self.trits.append(False)
                continue
            table = truth_table(net.rules[name], [net.names[r] for r in regs]).astype(np.int8)
            if d <= MAX_TRIT_INPUTS:
                self.tables.append(_trit_table(table, d))
                self.weights.append(3 ** np.arange(d, dtype=np.int32))
                self.trits.append(True)
            else:
                self.tables.append(table)
                self.weights.append(2 ** np.arange(d, dtype=np.int64))
                self.trits.append(False)
        # sweep in an order where regulators tend to come first
        self.order = _sweep_order(n, [list(r) for r in self.regs])
        self._flat: np.ndarray | None = None
        self._offsets: np.ndarray | None = None

    def flat_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """Every node's table in one array, and where each starts (built once)."""
        import numpy as np

        if self._flat is None or self._offsets is None:
            sizes = [t.size for t in self.tables]
            self._offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
            self._flat = np.concatenate(self.tables).astype(np.int8)
        return self._flat, self._offsets

    def close(self, states: np.ndarray) -> np.ndarray:
        """Propagate constants in every row of ``states`` (rows x nodes, int8, 2 = unknown),
        in place; known entries are never changed (a fixing wins over its rule)."""
        import numpy as np

        while True:
            changed = False
            for i in self.order:
                col = states[:, i]
                open_rows = col == UNKNOWN
                if not open_rows.any():
                    continue
                regs = self.regs[i]
                sub = states[open_rows][:, regs]
                if self.trits[i]:
                    idx = (sub.astype(np.int32) @ self.weights[i] if regs.size
                           else np.zeros(int(open_rows.sum()), dtype=np.int32))
                    new = self.tables[i][idx]
                else:
                    known = np.asarray(sub != UNKNOWN).all(axis=1)
                    new = np.full(sub.shape[0], UNKNOWN, dtype=np.int8)
                    if self.big[i]:
                        if known.any():
                            new[known] = self._evaluate(i, sub[known])
                    else:
                        idx = sub[known].astype(np.int64) @ self.weights[i]
                        new[known] = self.tables[i][idx]
                if (new != UNKNOWN).any():
                    col[open_rows] = new
                    changed = True
            if not changed:
                return states

    def _evaluate(self, i: int, values: np.ndarray) -> np.ndarray:
        """The rule of node ``i`` (one without a table) on rows of its regulators' values."""
        import numpy as np

        from ..expr import evaluate
        names = self.net.names
        out = evaluate(self.net.rules[names[i]],
                       {names[r]: values[:, t] == 1 for t, r in enumerate(self.regs[i].tolist())})
        return np.broadcast_to(np.asarray(out, dtype=np.int8), (values.shape[0],))

    def closures(self, base: Mapping[int, int],
                 fixes: Sequence[Sequence[tuple[int, int]]]) -> np.ndarray:
        """The closures of ``base`` plus each list of fixings (which win over ``base``)."""
        import numpy as np

        states = np.full((len(fixes), self.n), UNKNOWN, dtype=np.int8)
        for i, v in base.items():
            states[:, i] = v
        for row, fx in enumerate(fixes):
            for i, v in fx:
                states[row, i] = v
        return self.close(states)


def _trit_table(table, d: int):
    """The three-valued table of a rule: entry for each assignment of 0/1/unknown to its d
    regulators (regulator j is trit j, base 3): the value every completion agrees on, else
    unknown. Built one regulator at a time: its unknown slice is where its 0 and 1 slices
    agree, else unknown."""
    import numpy as np

    # axis a of the reshaped table is regulator d-1-a (bit j of the row index is regulator j)
    cube = np.asarray(table, dtype=np.int8).reshape((2,) * d) if d else np.asarray(
        table, dtype=np.int8).reshape(())
    for axis in range(d):
        low = np.take(cube, 0, axis=axis)
        high = np.take(cube, 1, axis=axis)
        unknown = np.where(low == high, low, np.int8(UNKNOWN)).astype(np.int8)
        cube = np.concatenate([cube, np.expand_dims(unknown, axis)], axis=axis)
    # trit j (weight 3**j) is regulator j: the last axis varies fastest in C order
    return np.ascontiguousarray(cube).reshape(-1)


def _sweep_order(n: int, regs: list[list[int]]) -> list[int]:
    """Nodes in an order where, outside cycles, every regulator comes before its target."""
    order, state = [], [0] * n

    def visit(root: int) -> None:
        stack = [(root, iter(regs[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            for r in it:
                if state[r] == 0:
                    state[r] = 1
                    stack.append((r, iter(regs[r])))
                    break
            else:
                stack.pop()
                order.append(node)
    for i in range(n):
        if state[i] == 0:
            visit(i)
    return order


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
    decide : callable(condition index, fixed) -> bool or None
        Whether every attractor with ``fixed`` (node index -> value, a closure) held meets
        the target (None: undecided within the budget).
    target : dict node index -> value
    joint : bool
        Track "works in every condition" (key ``"all"``) besides each condition.
    """

    def __init__(self, perc: Percolator, conditions: list[dict[int, int]], atoms: list[Atom],
                 decide: Callable[[int, dict[int, int]], bool | None],
                 target: Mapping[int, int], joint: bool):
        import numpy as np

        self.perc = perc
        self.conditions = conditions
        self.atoms = atoms
        self.decide_engine = decide
        self.tpos = np.array(sorted(target), dtype=np.intp)
        self.tval = np.array([target[i] for i in sorted(target)], dtype=np.int8)
        self.trackers: list[object] = list(range(len(conditions)))
        if joint:
            self.trackers.append("all")
        self.memo: list[dict[bytes, bool | None]] = [{} for _ in conditions]
        self.engine_calls = 0
        nodes = [frozenset(i for i, _ in a.fixes) for a in atoms]
        self.clash = [[bool(nodes[a] & nodes[b]) for b in range(len(atoms))]
                      for a in range(len(atoms))]

    def _decide_rows(self, c: int, states) -> list[bool | None]:
        """Whether each closure (row) meets the target in condition ``c``."""
        import numpy as np

        t = states[:, self.tpos]
        met = (t == self.tval).all(axis=1)
        missed = ((t != self.tval) & (t != UNKNOWN)).any(axis=1)
        out: list[bool | None] = [bool(m) for m in met]
        memo = self.memo[c]
        for row in np.flatnonzero(~met & ~missed).tolist():
            values = states[row]
            key = values.tobytes()
            if key not in memo:
                self.engine_calls += 1
                known = np.flatnonzero(values != UNKNOWN)
                fixed = dict(zip(known.tolist(), values[known].tolist()))
                memo[key] = self.decide_engine(c, fixed)
            out[row] = memo[key]
        return out

    def run(self, max_size: int, budget: Budget, limit_tracker: object) -> SearchOutcome:
        # sets are sorted tuples of atom indices; a set is active for a tracker while no
        # proper subset of it was found for that tracker
        found: dict[object, list[tuple[int, ...]]] = {t: [] for t in self.trackers}
        found_sets: dict[object, set[tuple[int, ...]]] = {t: set() for t in self.trackers}
        undecided: dict[object, set[tuple[int, ...]]] = {t: set() for t in self.trackers}
        ncond = len(self.conditions)
        level: dict[tuple[int, ...], list[object]] = {(): list(self.trackers)}
        searched = -1
        clean = True
        candidates = 0
        stopped = False
        for size in range(0, max_size + 1):
            combos = (iter([((), list(self.trackers))]) if size == 0
                      else self._extensions(level, found_sets))
            nxt: dict[tuple[int, ...], list[object]] = {}
            while not stopped:
                chunk = list(itertools.islice(combos, BATCH))
                if not chunk:
                    break
                if budget.expired():
                    stopped = True
                    break
                candidates += len(chunk)
                fixes = [[f for a in combo for f in self.atoms[a].fixes] for combo, _ in chunk]
                results: list[list[bool | None]] = []
                for c in range(ncond):
                    if any("all" in act or c in act for _, act in chunk):
                        results.append(self._decide_rows(
                            c, self.perc.closures(self.conditions[c], fixes)))
                    else:
                        results.append([None] * len(chunk))
                for row, (combo, active) in enumerate(chunk):
                    per = [results[c][row] for c in range(ncond)]
                    left: list[object] = []
                    for t in active:
                        if t == "all":
                            ok: bool | None = (False if any(r is False for r in per) else
                                               None if any(r is None for r in per) else True)
                        else:
                            ok = per[int(t)]  # type: ignore[call-overload]
                        if ok and _has_subset(combo, undecided[t]):
                            ok = None               # minimality not proven: left out
                        if ok is None:
                            undecided[t].add(combo)
                            left.append(t)
                        elif ok:
                            found[t].append(combo)
                            found_sets[t].add(combo)
                            if t == limit_tracker:
                                budget.take(1)
                        else:
                            left.append(t)
                    if left:
                        nxt[combo] = left
                    if budget.limit_reached:
                        stopped = True
                        break
                budget.report(lambda: f"control: size {size}, {candidates:,} sets, "
                                      f"{self.engine_calls:,} attractor searches, "
                                      f"{sum(len(v) for v in found.values()):,} found")
            if stopped:
                break
            clean = clean and not any(undecided.values())
            if clean:
                searched = size         # every set up to this size decided
            level = nxt
            if not level:
                if clean:
                    searched = max_size
                break
        unknown = sum(len(v) for v in undecided.values())
        notes = []
        if unknown:
            notes.append(f"{unknown} candidate sets could not be decided within the budget")
        return SearchOutcome(found, not stopped and unknown == 0, searched, unknown,
                             self.engine_calls, candidates, notes)

    def _extensions(self, level: Mapping[tuple[int, ...], list[object]],
                    found: Mapping[object, set[tuple[int, ...]]]
                    ) -> Iterator[tuple[tuple[int, ...], list[object]]]:
        """Sets one atom larger than those of ``level`` (each once, in lexicographic order
        of atom indices), with the trackers they are active for: those of the prefix for
        which no subset holding the new atom was found. Atoms that touch a node twice are
        skipped."""
        m = len(self.atoms)
        clash = self.clash
        for prefix, active in level.items():
            start = prefix[-1] + 1 if prefix else 0
            subs = [s for k in range(len(prefix)) for s in itertools.combinations(prefix, k)]
            for a in range(start, m):
                row = clash[a]
                if any(row[b] for b in prefix):
                    continue
                left = [t for t in active if not any(s + (a,) in found[t] for s in subs)]
                if left:
                    yield prefix + (a,), left


def _has_subset(combo: tuple[int, ...], sets: set[tuple[int, ...]]) -> bool:
    """Whether a proper subset of ``combo`` (a sorted tuple) is in ``sets``."""
    if not sets:
        return False
    return any(s in sets for k in range(len(combo))
               for s in itertools.combinations(combo, k))


# ------------------------------------------------------------------ small closures

#: parts of at most this many nodes are decided by an explicit search over their states
#: (asynchronous update); larger ones by the solver (a fixed point that misses the target)
#: and then by reachability on BDDs (:class:`ReachQueries`), which is the faster of the two
#: above about 10 nodes on the corpus
EXPLICIT_FREE = 10


def upstream(free: Sequence[int], target: Mapping[int, int], regs: Sequence[Sequence[int]]
             ) -> list[int]:
    """The free nodes that the free target nodes depend on (themselves included), through
    free regulators: a part of the network closed upstream. Under asynchronous update the
    attractors of the whole network project exactly onto those of this part, so whether every
    attractor meets the target is decided on it alone."""
    free_set = set(free)
    return sorted(upstream_closure((i for i in target if i in free_set),
                                   lambda i: (r for r in regs[i] if r in free_set)))


def part_key(fixed: Mapping[int, int], part: Sequence[int], regs: Sequence[Sequence[int]]
             ) -> tuple:
    """What decides the dynamics of ``part`` (free nodes closed upstream): the part itself
    and the values of the fixed nodes that regulate it. Closures with the same key have the
    same attractors on the part, so one decision serves them all."""
    inside = set(part)
    inputs = sorted({r for i in part for r in regs[i] if r not in inside})
    return tuple(part), tuple((r, fixed[r]) for r in inputs)


class PartModel:
    """The update functions of ``part`` (free nodes closed upstream), with every other
    regulator at its value in ``fixed``, compiled for batches of part codes (bit j is node
    ``part[j]``): one matrix product gives every node's table index. Works on networks of
    any size: only the part is encoded."""

    def __init__(self, perc: Percolator, fixed: Mapping[int, int], part: Sequence[int]):
        import numpy as np

        from ..expr import substitute, truth_table

        flat, offsets = perc.flat_tables()
        k = len(part)
        pos = {i: j for j, i in enumerate(part)}
        self.k = k
        self.weights = np.zeros((k, k), dtype=np.int64)
        self.base = np.zeros(k, dtype=np.int64)
        extra: list[np.ndarray] = []     # tables of rules without one, over the part only
        end = flat.size
        names = perc.net.names
        for j, i in enumerate(part):
            regs = perc.regs[i].tolist()
            if perc.big[i]:
                inner = [r for r in regs if r in pos]
                rule = substitute(perc.net.rules[names[i]],
                                  {names[r]: bool(fixed[r]) for r in regs if r not in pos})
                table = truth_table(rule, [names[r] for r in inner]).astype(np.int8)
                for t, r in enumerate(inner):
                    self.weights[pos[r], j] += 1 << t
                self.base[j] = end
                end += table.size
                extra.append(table)
                continue
            const = int(offsets[i])
            for r, w in zip(regs, perc.weights[i].tolist()):
                if r in pos:
                    self.weights[pos[r], j] += w
                else:
                    const += fixed[r] * w
            self.base[j] = const
        self.flat = np.concatenate([flat, *extra]) if extra else flat
        self.shifts = np.arange(k, dtype=np.uint64)

    def successors(self, states: npt.ArrayLike) -> np.ndarray:
        """The synchronous image of a batch of part codes."""
        import numpy as np

        states = np.asarray(states, dtype=np.uint64)
        bits = ((states[:, None] >> self.shifts) & np.uint64(1)).astype(np.int64)
        values = self.flat[bits @ self.weights + self.base] == 1
        return np.bitwise_or.reduce(values.astype(np.uint64) << self.shifts, axis=1)


def part_successors(perc: Percolator, fixed: Mapping[int, int], part: Sequence[int],
                    states: npt.ArrayLike) -> np.ndarray:
    """The synchronous image of ``states`` (codes over ``part``), see :class:`PartModel`."""
    return PartModel(perc, fixed, part).successors(states)


def explicit_async_meets(perc: Percolator, fixed: Mapping[int, int], target: Mapping[int, int],
                         part: Sequence[int]) -> bool:
    """Whether every asynchronous attractor in the subspace of the closure ``fixed`` meets
    ``target``, by the terminal strongly connected components of the transition graph of
    ``part`` (free nodes closed upstream, see :func:`upstream`; the asynchronous attractors
    of the whole network project exactly onto those of the part)."""
    return explicit_async_decide(perc, fixed, target, part)[0]


def explicit_async_decide(perc: Percolator, fixed: Mapping[int, int],
                          target: Mapping[int, int], part: Sequence[int]
                          ) -> tuple[bool, dict[int, int] | None]:
    """:func:`explicit_async_meets`, with a fixed point of the part that misses the target
    when there is one (see :class:`Witnesses`)."""
    import numpy as np

    k = len(part)
    if k == 0:                  # every target node fixed: the closure alone decides
        return all(fixed.get(i) == v for i, v in target.items()), None
    m = 1 << k
    states = np.arange(m, dtype=np.uint64)
    diff = PartModel(perc, fixed, part).successors(states) ^ states
    bottom = _bottom_states(diff, k)
    tmask, tvals = _part_target(part, target)
    missing = bottom & ((states & np.uint64(tmask)) != np.uint64(tvals))
    if not missing.any():
        return True, None
    fixed_points = np.flatnonzero(missing & (diff == 0))
    witness = (_part_assignment(int(states[fixed_points[0]]), fixed, part, perc)
               if fixed_points.size else None)
    return False, witness


#: label-propagation rounds (one pass over the edges each) before :func:`_bottom_states`
#: falls back to the sparse-graph library
NUMPY_SCC_ROUNDS = 128


def _bottom_states(diff: np.ndarray, k: int) -> np.ndarray:
    """Which of the ``2**k`` part codes lie in a terminal strongly connected component of the
    asynchronous transition graph whose moves are ``diff`` (bit j of ``diff[s]``: node j may
    flip in state s). Label propagation in numpy first (no sparse-graph library to load, which
    costs more than the search on small parts), strong components when it is slow."""
    import numpy as np

    from ..dynamics.scc import terminal_sccs_numpy

    m = 1 << k
    move = ((diff[:, None] >> np.arange(k, dtype=np.uint64)) & np.uint64(1)).astype(bool)
    s, j = np.nonzero(move)             # sorted by source state: CSR order
    d = (s ^ (1 << j)).astype(np.int64)
    indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.count_nonzero(move, axis=1), out=indptr[1:])
    groups = terminal_sccs_numpy(indptr, d, NUMPY_SCC_ROUNDS)
    bottom = np.zeros(m, dtype=bool)
    if groups is not None:
        for g in groups:
            bottom[g] = True
        return bottom
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    graph = csr_matrix((np.ones(s.size, dtype=np.int8), (s, d)), shape=(m, m))
    ncomp, labels = connected_components(graph, directed=True, connection="strong")
    leaving = np.zeros(ncomp, dtype=bool)
    cross = labels[s] != labels[d]
    leaving[labels[s][cross]] = True
    return ~leaving[labels]


def _part_assignment(code: int, fixed: Mapping[int, int], part: Sequence[int],
                     perc: Percolator) -> dict[int, int]:
    """A part code as an assignment of the part and of its fixed regulators."""
    out = {i: (code >> j) & 1 for j, i in enumerate(part)}
    for i in part:
        for r in perc.regs[i].tolist():
            if r not in out:
                out[r] = fixed[r]
    return out


class Witnesses:
    """Fixed points of parts that miss the target, kept to refute later closures at once.

    A witness assigns a part (free nodes closed upstream) and its fixed regulators, such
    that every part node's rule gives back its value and a target node of the part misses
    the target. Under any closure that fixes those regulators to the same values and leaves
    each part node free or fixed at the witness's value, the witness's subspace is a trap
    space, so it holds an attractor that misses the target: the closure fails.
    """

    def __init__(self, n: int):
        import numpy as np

        self.n = n
        self.values = np.zeros((0, n), dtype=np.int8)
        self.part = np.zeros((0, n), dtype=bool)
        self.inputs = np.zeros((0, n), dtype=bool)

    def add(self, assignment: Mapping[int, int], part: Sequence[int]) -> None:
        import numpy as np

        values = np.full(self.n, UNKNOWN, dtype=np.int8)
        for i, v in assignment.items():
            values[i] = v
        in_part = np.zeros(self.n, dtype=bool)
        in_part[list(part)] = True
        inputs = (values != UNKNOWN) & ~in_part
        self.values = np.vstack([self.values, values])
        self.part = np.vstack([self.part, in_part])
        self.inputs = np.vstack([self.inputs, inputs])

    def refutes(self, row: np.ndarray) -> bool:
        """Whether a witness refutes the closure ``row`` (int8 over all nodes, 2 free)."""
        import numpy as np

        if not len(self.values):
            return False
        same = self.values == row
        ok_part = ~self.part | same | (row == UNKNOWN)
        ok_inputs = ~self.inputs | same
        return bool(np.any(np.all(ok_part & ok_inputs, axis=1)))


def _part_target(part: Sequence[int], target: Mapping[int, int]) -> tuple[int, int]:
    """The target nodes inside ``part`` as a mask and values over part codes."""
    pos = {i: j for j, i in enumerate(part)}
    mask = sum(1 << pos[i] for i in target if i in pos)
    vals = sum(1 << pos[i] for i, v in target.items() if i in pos and v)
    return mask, vals


def fixed_point_against(perc: Percolator, fixed: Mapping[int, int], target: Mapping[int, int],
                        part: Sequence[int], walks: int = 256, seed: int = 0) -> bool:
    """Whether random asynchronous walks in ``part`` (as in :func:`explicit_async_meets`)
    end on a fixed point that misses ``target``: a proof that some attractor misses it. A
    cheap certificate of failure; False proves nothing. Parts of at most 64 nodes."""
    return fixed_point_witness(perc, fixed, target, part, walks, seed) is not None


def fixed_point_witness(perc: Percolator, fixed: Mapping[int, int], target: Mapping[int, int],
                        part: Sequence[int], walks: int = 256, seed: int = 0
                        ) -> dict[int, int] | None:
    """The fixed point :func:`fixed_point_against` ends on, as an assignment of the part and
    its fixed regulators (see :class:`Witnesses`), or None."""
    import numpy as np

    k = len(part)
    if k > 64 or k == 0:
        return None
    rng = np.random.default_rng(seed)
    full = np.uint64((1 << k) - 1)
    states = rng.integers(0, 1 << 63, size=walks, dtype=np.uint64) << np.uint64(1)
    states = (states | rng.integers(0, 2, size=walks, dtype=np.uint64)) & full
    bits = np.array([1 << j for j in range(k)], dtype=np.uint64)
    model = PartModel(perc, fixed, part)
    tmask, tvals = _part_target(part, target)
    for step in range(3 * k + 10):
        diff = model.successors(states) ^ states
        if step % 8 == 7:
            hit = np.flatnonzero((diff == 0) & ((states & np.uint64(tmask)) != np.uint64(tvals)))
            if hit.size:
                return _part_assignment(int(states[hit[0]]), fixed, part, perc)
        states = states ^ (diff & bits[rng.integers(0, k, size=walks)])
    diff = model.successors(states) ^ states
    hit = np.flatnonzero((diff == 0) & ((states & np.uint64(tmask)) != np.uint64(tvals)))
    return _part_assignment(int(states[hit[0]]), fixed, part, perc) if hit.size else None


#: part nodes with more regulators inside the part than this are not encoded for the solver
#: (their tables would have too many rows); :func:`solver_witness` then answers None
SOLVER_MAX_REGS = 16


def _decision_cubes(values: np.ndarray, regs: Sequence[int], cube: tuple[tuple[int, int], ...],
                    ones: list[tuple[tuple[int, int], ...]],
                    zeros: list[tuple[tuple[int, int], ...]]) -> None:
    """Disjoint cubes (paths of a decision tree) covering the 1s and the 0s of a truth table
    (``values``, bit ``t`` of the row index is regulator ``regs[t]``); a regulator the
    table does not depend on at a branch is skipped."""
    import numpy as np

    if values.all():
        ones.append(cube)
        return
    if not values.any():
        zeros.append(cube)
        return
    m = len(regs)
    half = 1 << (m - 1)
    low, high = values[:half], values[half:]
    if np.array_equal(low, high):
        _decision_cubes(low, regs[:-1], cube, ones, zeros)
        return
    _decision_cubes(low, regs[:-1], cube + ((regs[-1], 0),), ones, zeros)
    _decision_cubes(high, regs[:-1], cube + ((regs[-1], 1),), ones, zeros)


def solver_witness(perc: Percolator, fixed: Mapping[int, int], target: Mapping[int, int],
                   part: Sequence[int]) -> tuple[bool, dict[int, int] | None]:
    """An exact search, by the ASP solver, for a fixed point of ``part`` (free nodes closed
    upstream, every other regulator at its value in ``fixed``) in which some target node of
    the part misses its target value.

    Returns ``(True, witness)`` with such a fixed point as an assignment of the part and its
    fixed regulators (see :class:`Witnesses`), ``(True, None)`` when there is none (proved),
    or ``(False, None)`` when the part could not be encoded (a node with more than
    :data:`SOLVER_MAX_REGS` regulators inside the part)."""
    import numpy as np

    from .asp import solve_models, trap_program

    k = len(part)
    tmask, tvals = _part_target(part, target)
    if k == 0 or not tmask:
        return True, None
    model = PartModel(perc, fixed, part)
    dnfs: list[tuple[list[tuple[tuple[int, int], ...]], list[tuple[tuple[int, int], ...]]]] = []
    for j in range(k):
        inner = np.flatnonzero(model.weights[:, j]).tolist()
        if len(inner) > SOLVER_MAX_REGS:
            return False, None
        rows = np.arange(1 << len(inner), dtype=np.int64)
        bits = (rows[:, None] >> np.arange(len(inner), dtype=np.int64)) & 1
        values = model.flat[bits @ model.weights[inner, j] + model.base[j]] == 1
        ones: list[tuple[tuple[int, int], ...]] = []
        zeros: list[tuple[tuple[int, int], ...]] = []
        _decision_cubes(values, inner, (), ones, zeros)
        dnfs.append((ones, zeros))
    program = trap_program(k, dnfs, fixed_points=True, chunk=1)
    # some target node of the part misses its value
    meet = ", ".join(f"h({j},{(tvals >> j) & 1})" for j in range(k) if tmask >> j & 1)
    program += f":- {meet}.\n"
    from ..budget import Budget
    answers, _ = solve_models(program, budget=Budget(limit=1),
                              extract=lambda m: [s.number for s in m.symbols(shown=True)])
    if not answers:
        return True, None
    code = 0
    for number in answers[0]:          # node j shows 2 * j + its value
        code |= (number & 1) << (number >> 1)
    return True, _part_assignment(code, fixed, part, perc)


class FixedPointQueries:
    """:func:`solver_witness` for many parts of one network, with one solver program ground
    once: every query is answered under assumptions, not by a program of its own.

    The program has a value atom ``v(i)`` per node and three switches per node, chosen by
    the assumptions of each query: ``in(i)`` (node i belongs to the part: its rule must give
    back its value), ``fx(i,0)`` and ``fx(i,1)`` (node i is held at that value). A node's rule
    comes as the disjoint cubes of its truth table over all its regulators (one constraint
    per cube, guarded by ``in(i)``), so a part's fixed points are exactly the answer sets
    with the part switched in and its outside regulators held; the target is missed when
    some target node of the part takes the other value.

    Nodes with more than :data:`SOLVER_MAX_REGS` regulators are not encoded: a part that
    holds one is left to :func:`solver_witness` (``encodes`` says which parts fit).
    """

    def __init__(self, perc: Percolator, target: Mapping[int, int]):
        import clingo
        import numpy as np

        self.perc = perc
        n = perc.n
        self.encoded = np.zeros(n, dtype=bool)
        out = [f"{{v({i})}}. {{in({i})}}. {{fx({i},0)}}. {{fx({i},1)}}.\n"
               f":- fx({i},1), not v({i}).\n:- fx({i},0), v({i}).\n" for i in range(n)]
        for i in range(n):
            regs = perc.regs[i].tolist()
            if len(regs) > SOLVER_MAX_REGS:
                continue
            self.encoded[i] = True
            table = perc.tables[i]
            if perc.trits[i]:        # the entries with no unknown regulator: the truth table
                rows = np.arange(1 << len(regs), dtype=np.int64)
                bits = (rows[:, None] >> np.arange(len(regs), dtype=np.int64)) & 1
                table = table[bits @ perc.weights[i].astype(np.int64)]
            ones: list[tuple[tuple[int, int], ...]] = []
            zeros: list[tuple[tuple[int, int], ...]] = []
            _decision_cubes(np.asarray(table) == 1, regs, (), ones, zeros)
            for b, cubes in ((0, ones), (1, zeros)):      # the rule gives 1 - b there
                for cube in cubes:
                    body = "".join(f", {'' if v else 'not '}v({j})" for j, v in cube)
                    out.append(f":- in({i}), {'' if b else 'not '}v({i}){body}.\n")
        for t, b in target.items():
            out.append(f"miss :- in({t}), {'not ' if b else ''}v({t}).\n")
        out.append(":- not miss.\n#show v/1.\n")
        self.ctl = ctl = clingo.Control(["--warn=none", "--models=1"])
        ctl.add("base", [], "".join(out))
        ctl.ground([("base", [])])
        atoms = ctl.symbolic_atoms

        def lit(name: str, *args: int) -> int:
            found = atoms[clingo.Function(name, [clingo.Number(a) for a in args])]
            return found.literal if found is not None else 0

        self.lit_in = [lit("in", i) for i in range(n)]
        self.lit_fx = [(lit("fx", i, 0), lit("fx", i, 1)) for i in range(n)]
        self.queries = 0

    def encodes(self, part: Sequence[int]) -> bool:
        """Whether every node of ``part`` is encoded."""
        return bool(self.encoded[list(part)].all()) if len(part) else True

    def witness(self, fixed: Mapping[int, int], part: Sequence[int]) -> dict[int, int] | None:
        """A fixed point of ``part`` (its outside regulators at their values in ``fixed``)
        where a target node of the part misses its value, as an assignment of the part and
        those regulators (see :class:`Witnesses`); None when there is none (proved)."""
        inside = set(part)
        held = {r: fixed[r] for i in part for r in self.perc.regs[i].tolist() if r not in inside}
        assumptions = []
        for i in range(self.perc.n):
            assumptions.append(self.lit_in[i] if i in inside else -self.lit_in[i])
            v = held.get(i)
            off, on = self.lit_fx[i]
            assumptions.append(on if v == 1 else -on)
            assumptions.append(off if v == 0 else -off)
        self.queries += 1
        values: dict[int, int] | None = None
        with self.ctl.solve(assumptions=[a for a in assumptions if a], yield_=True) as handle:
            for model in handle:
                true = {s.arguments[0].number for s in model.symbols(shown=True)}
                values = {i: int(i in true) for i in part}
                break
        if values is None:
            return None
        values.update(held)
        return values


def _reaches_safe(stg: AsyncSTG, good: BDD) -> bool:
    """Whether every asynchronous attractor of ``stg`` lies inside ``good``: every state
    reaches the states from which no state outside ``good`` can be reached.

    Those states form the largest trap set G inside ``good``. An attractor inside ``good``
    is a trap set there, so it lies in G, and every state reaches an attractor; conversely
    an attractor reached from every state is reached from G, a trap set, so it lies in G."""
    mgr = stg.mgr
    if good == mgr.true:
        return True
    if good == mgr.false:
        return False
    safe = ~stg.backward(~good)         # the largest trap set inside the target
    if safe == mgr.false:
        return False
    return bool(stg.backward(safe) == mgr.true)


def reach_decide(net: Network, fixed: Mapping[str, int], target: Mapping[str, int],
                 budget: Budget | None = None) -> bool:
    """Whether every asynchronous attractor of ``net`` with ``fixed`` held meets ``target``,
    by two backward reachabilities on BDDs, without listing the attractors (see
    :func:`_reaches_safe`).

    Raises :class:`~logicbone.budget.BudgetExceeded` when ``budget`` runs out.
    """
    from .symbolic import AsyncSTG

    stg = AsyncSTG(net, {n: bool(v) for n, v in fixed.items()}, budget=budget)
    return _reaches_safe(stg, stg.space({n: bool(v) for n, v in target.items()}))


class ReachQueries:
    """:func:`reach_decide` for many parts of one network, with the BDD of every rule built
    once in one manager: a part's functions are its rules with its outside regulators
    substituted."""

    def __init__(self, net: Network, target: Mapping[int, int]):
        from ..bdd import RuleBDDs

        self.net = net
        self.bdds = RuleBDDs(net)
        self.target = dict(target)
        self.regs = [[net.index(r) for r in net.regulators(x)] for x in net.names]

    def meets(self, fixed: Mapping[int, int], part: Sequence[int],
              budget: Budget | None = None) -> bool:
        """Whether every asynchronous attractor of ``part`` (free nodes closed upstream, its
        outside regulators at their values in ``fixed``) meets the target.

        Raises :class:`~logicbone.budget.BudgetExceeded` when ``budget`` runs out."""
        from .symbolic import AsyncSTG

        names = self.net.names
        mgr = self.bdds.mgr
        inside = set(part)
        held = {names[r]: bool(fixed[r]) for i in part for r in self.regs[i]
                if r not in inside}
        functions = {names[i]: (mgr.let(held, self.bdds.f[names[i]]) if held
                                else self.bdds.f[names[i]]) for i in part}
        stg = AsyncSTG.of_functions(mgr, functions, budget)
        good = mgr.cube({names[t]: bool(v) for t, v in self.target.items() if t in inside})
        return _reaches_safe(stg, good)


# ------------------------------------------------------------------ temporary control

class ReachTooLarge(Exception):
    """An explicit reachability search went beyond its state limit."""


def reachable(kernel: Kernel, starts: npt.ArrayLike, limit: int) -> np.ndarray:
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


def reachable_attractors(kernel: Kernel, starts: npt.ArrayLike, limit: int) -> list[np.ndarray]:
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
