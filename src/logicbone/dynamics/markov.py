"""The continuous-time Markov process over Boolean states (MaBoSS semantics): two engines.

*Sampling* (:func:`sample_batch`): Gillespie's direct method on a whole batch of trajectories
at once. States are held as a ``(nodes, trajectories)`` boolean array (any number of nodes);
every rule is compiled once into a lookup table over its regulators and all tables are
evaluated for the batch in a few numpy calls. Time is cut into windows; within a window the
trajectories whose next event falls before its end are advanced together, event by event, and
the time each trajectory spends with each node ON is accumulated, so a window's node
probability is the time average over the window (as MaBoSS reports it), with a standard error
from the spread across trajectories. Memory is proportional to the batch, not to the number
of trajectories: a run is a sequence of fixed-size batches, each with its own seed spawned
from one :class:`numpy.random.SeedSequence`, so results do not depend on how batches are
spread over workers.

*Exact* (:func:`exact_run`): the generator of the process on the states reachable from the
initial distribution, as a sparse matrix; each window is one call of
:func:`scipy.sparse.linalg.expm_multiply` on the generator augmented with an integrator, which
gives at once the distribution at the window's end and its time integral over the window.
The limit distribution (t -> infinity) comes from the terminal strongly connected components:
the mass absorbed into each, spread by its own stationary distribution.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import LogicboneError, StateSpaceTooLarge, UsageError
from ..expr import Const, evaluate, truth_table
from ..network import Network
from ..rates import InitialCondition, Rates

#: a ``scipy.sparse`` matrix (scipy has no type information)
Sparse = Any

__all__ = ["Compiled", "compile_process", "time_windows", "BatchSums",
           "sample_batch", "exact_run", "ExactRun", "DEFAULT_BATCH", "EXACT_LIMIT",
           "AUTO_EXACT_LIMIT", "STATIONARY_LIMIT", "key_to_state"]

log = logging.getLogger(__name__)

#: trajectories advanced together in one batch (the unit of work and of seeding)
DEFAULT_BATCH = 4096

#: largest reachable state space the exact engine builds
EXACT_LIMIT = 1 << 20

#: largest reachable state space ``method="auto"`` answers exactly (a few seconds); above it
#: sampling is faster
AUTO_EXACT_LIMIT = 1 << 14

#: largest reachable state space whose limit distribution (t -> infinity) is computed
STATIONARY_LIMIT = 1 << 15

#: rules with more regulators than this are evaluated on the arrays instead of a table
MAX_TABLE_INDEGREE = 12


# ---------------------------------------------------------------- compiled process

@dataclass
class Compiled:
    """Rules and rates compiled for boolean ``(n, m)`` state arrays."""

    names: tuple[str, ...]
    tables: np.ndarray           # flat lookup tables of all table rules
    offsets: np.ndarray          # (n,) start of node i's table in ``tables``
    regs: np.ndarray             # (n, K) regulator rows (n = the all-zero padding row)
    wide: list[tuple[int, Any, tuple[str, ...]]]   # (node, expr, regulator names) > K
    gated: np.ndarray            # (n, 1) bool
    up: np.ndarray               # (n, 1) constant up-rates (0 where state-dependent)
    down: np.ndarray
    dynamic: list[tuple[int, str, Any]]   # (node, "up"|"down", RateExpr) state-dependent
    params: dict[str, float]
    index: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.names)

    def wants(self, X: np.ndarray) -> np.ndarray:
        """The value of every rule on every state of ``X`` (``(n, m)`` bool)."""
        n, m = X.shape
        ext = np.zeros((n + 1, m), dtype=np.int32)
        ext[:n] = X
        idx = np.zeros((n, m), dtype=np.int32)
        for j in range(self.regs.shape[1]):
            g = ext[self.regs[:, j]]
            if j:
                g <<= j
            idx |= g
        idx += self.offsets[:, None].astype(np.int32)
        W = self.tables[idx]
        for i, e, regs in self.wide:
            values = {r: X[self.index[r]] for r in regs}
            W[i] = np.broadcast_to(np.asarray(evaluate(e, values), dtype=bool), (m,))
        return W

    def rate_matrix(self, X: np.ndarray) -> np.ndarray:
        """``(n, m)`` rates at which each node of each state flips (0 where it cannot)."""
        W = self.wants(X)
        up, down = self.up, self.down
        if self.dynamic:
            m = X.shape[1]
            up = np.broadcast_to(up, (self.n, m)).copy()
            down = np.broadcast_to(down, (self.n, m)).copy()
            values = {name: X[i] for i, name in enumerate(self.names)}
            for i, side, e in self.dynamic:
                v = np.broadcast_to(np.asarray(e.evaluate(values, self.params, W[i]),
                                               dtype=float), (m,))
                if not np.all(np.isfinite(v) & (v >= 0)):
                    bad = float(v[~(np.isfinite(v) & (v >= 0))][0])
                    raise UsageError(f"rate {self.names[i]}.{side} = {e.text} takes the "
                                     f"value {bad:g}; rates must be finite numbers >= 0")
                (up if side == "up" else down)[i] = v
        change = W != X
        gate = self.gated[:, 0]
        if not self.dynamic and self.uniform:
            R: np.ndarray = change * up           # the same rate both ways: one pass
            if not gate.all():
                R[~gate] = up[~gate]
            return R
        R = np.where(X, down, up)
        if gate.all():
            R *= change
        elif gate.any():
            R[gate] = np.where(change[gate], R[gate], 0.0)
        return R

    @property
    def uniform(self) -> bool:
        """Constant rates, equal up and down for every node."""
        return bool(np.array_equal(self.up, self.down))


def compile_process(net: Network, rates: Rates | None = None) -> Compiled:
    """Compile the rules of ``net`` and its ``rates`` for the engines.

    Raises
    ------
    UnknownNodeError, UsageError
        For rates on unknown nodes, or constant rates that are negative or not finite.
    """
    rates = rates or Rates()
    rates.check(net.names)
    names = net.names
    n = len(names)
    index = {nm: i for i, nm in enumerate(names)}
    per_node: list[tuple[int, ...]] = []
    tables: list[np.ndarray] = []
    wide = []
    for i, name in enumerate(names):
        e = net.rules[name]
        regs = net.regulators(name)
        if isinstance(e, Const):
            per_node.append(())
            tables.append(np.array([bool(e.value)]))
        elif len(regs) <= MAX_TABLE_INDEGREE:
            per_node.append(tuple(index[r] for r in regs))
            tables.append(np.asarray(truth_table(e, regs), dtype=bool))
        else:
            per_node.append(())
            tables.append(np.array([False]))
            wide.append((i, e, regs))
    K = max((len(r) for r in per_node), default=0)
    reg_arr = np.full((n, max(K, 1)), n, dtype=np.intp)
    for i, r in enumerate(per_node):
        reg_arr[i, :len(r)] = r
    offsets = np.cumsum([0] + [len(t) for t in tables[:-1]]).astype(np.intp)
    up = np.ones((n, 1))
    down = np.ones((n, 1))
    dynamic = []
    for i, name in enumerate(names):
        for side, arr in (("up", up), ("down", down)):
            rate = rates.up(name) if side == "up" else rates.down(name)
            c = rate.constant(rates.params)
            if c is None:
                arr[i] = 0.0
                dynamic.append((i, side, rate))
            else:
                arr[i] = c
    gated = np.array([[nm not in rates.ungated] for nm in names], dtype=bool)
    return Compiled(names, np.concatenate(tables) if tables else np.zeros(1, bool),
                    offsets, reg_arr, wide, gated, up, down, dynamic, dict(rates.params),
                    index)


def time_windows(max_time: float, tick: float) -> np.ndarray:
    """Window boundaries ``[0, tick, 2 tick, ..., max_time]`` (the last window may be
    shorter)."""
    k = max(1, math.ceil(max_time / tick - 1e-9))
    edges = np.arange(k + 1, dtype=float) * tick
    edges[-1] = max_time
    return edges


# ---------------------------------------------------------------- sampling

@dataclass
class BatchSums:
    """What one batch contributes: sums over its trajectories (merged by addition)."""

    samples: int
    node_sum: np.ndarray          # (windows, n) sum of per-trajectory window averages
    node_sumsq: np.ndarray        # (windows, n)
    final_states: dict[bytes, int]
    reached: np.ndarray | None = None     # (windows,) trajectories that reached the phenotype
    hit_sum: float = 0.0                  # sum of first-passage times (reached by max_time)
    hit_sumsq: float = 0.0

    def merge(self, other: BatchSums) -> BatchSums:
        final = dict(self.final_states)
        for k, v in other.final_states.items():
            final[k] = final.get(k, 0) + v
        reached = None if self.reached is None or other.reached is None else \
            self.reached + other.reached
        return BatchSums(self.samples + other.samples, self.node_sum + other.node_sum,
                         self.node_sumsq + other.node_sumsq, final, reached,
                         self.hit_sum + other.hit_sum, self.hit_sumsq + other.hit_sumsq)


def _pack(X: np.ndarray) -> list[bytes]:
    """One key per column of ``X`` (bit i = row i, little-endian bytes)."""
    packed = np.packbits(X.T, axis=1, bitorder="little")
    return [bytes(r) for r in packed]


def key_to_state(key: bytes) -> int:
    """The int state of a key made by the sampler."""
    return int.from_bytes(key, "little")


def sample_batch(proc: Compiled, initial: InitialCondition, edges: np.ndarray, size: int,
                 seed: np.random.SeedSequence,
                 phenotype: tuple[np.ndarray, np.ndarray] | None = None,
                 check: Callable[[], None] | None = None) -> BatchSums:
    """Simulate ``size`` trajectories over the windows ``edges``.

    Parameters
    ----------
    proc : Compiled
    initial : InitialCondition
    edges : ndarray
        Window boundaries from :func:`time_windows`.
    size : int
        Trajectories in this batch.
    seed : SeedSequence
        This batch's own seed.
    phenotype : (positions, values), optional
        Record the first time each trajectory has these nodes at these values.
    check : callable, optional
        Called once per window (a budget's ``check``: it raises to stop the batch).
    """
    rng = np.random.default_rng(seed)
    n = proc.n
    # trajectories in rows: a batch's subset is gathered row by row
    X = np.ascontiguousarray(initial.sample(rng, size).T)
    nxt = np.empty(size)
    pend = np.zeros(size, dtype=np.intp)

    def enter(rows: np.ndarray, t: np.ndarray) -> None:
        """Draw the next event (its time and which node flips) of trajectories ``rows``."""
        R = proc.rate_matrix(X[rows].T)
        cum = np.cumsum(R, axis=0)
        tot = cum[-1]
        u = rng.random(rows.size) * tot
        pend[rows] = np.minimum((cum <= u[None, :]).sum(axis=0), n - 1)
        wait = rng.exponential(size=rows.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            nxt[rows] = np.where(tot > 0, t + wait / tot, np.inf)

    everyone = np.arange(size)
    enter(everyone, np.zeros(size))
    windows = len(edges) - 1
    node_sum = np.zeros((windows, n))
    node_sumsq = np.zeros((windows, n))
    hit = None
    reached = None
    if phenotype is not None:
        pos, val = phenotype
        hit = np.where((X[:, pos] == val[None, :]).all(axis=1), 0.0, np.inf)
        reached = np.zeros(windows, dtype=np.int64)
    for w in range(windows):
        if check is not None:
            check()
        start, end = edges[w], edges[w + 1]
        width = end - start
        # time ON within the window: all of it for the nodes ON at its start, corrected at
        # each flip by the time left until its end
        acc = X * width
        while True:
            act = np.flatnonzero(nxt < end)
            if act.size == 0:
                break
            t = nxt[act]
            f = pend[act]
            was = X[act, f]
            X[act, f] = ~was
            acc[act, f] += np.where(was, t - end, end - t)
            enter(act, t)
            if hit is not None:
                pos, val = phenotype  # type: ignore[misc]
                new = np.isinf(hit[act]) & (X[act][:, pos] == val[None, :]).all(axis=1)
                hit[act[new]] = t[new]
        avg = acc / width
        node_sum[w] = avg.sum(axis=0)
        node_sumsq[w] = (avg * avg).sum(axis=0)
        if hit is not None and reached is not None:
            reached[w] = int(np.count_nonzero(hit <= end))
    X = X.T
    final: dict[bytes, int] = {}
    if size:
        packed = np.packbits(X.T, axis=1, bitorder="little")
        uniq, counts = np.unique(packed, axis=0, return_counts=True)
        final = {bytes(r): int(c) for r, c in zip(uniq, counts)}
    hs = hss = 0.0
    if hit is not None:
        got = hit[np.isfinite(hit)]
        hs, hss = float(got.sum()), float((got * got).sum())
    return BatchSums(size, node_sum, node_sumsq, final, reached, hs, hss)


# ---------------------------------------------------------------- exact

@dataclass
class ExactRun:
    """Exact answers over the reachable states."""

    states: np.ndarray                 # (S,) uint64, sorted
    node_probabilities: np.ndarray     # (windows, n) time averages
    final: np.ndarray                  # (S,) distribution at max_time
    limit: np.ndarray | None           # (S,) distribution as t -> infinity
    reached: np.ndarray | None = None  # (windows,) P(phenotype reached by each window's end)
    mean_hit: float | None = None      # E[first-passage time | reached by max_time]
    restricted_mean: float | None = None   # E[min(first-passage time, max_time)]


def _bits(states: np.ndarray, n: int) -> np.ndarray:
    bits: np.ndarray = ((states[None, :] >> np.arange(n, dtype=np.uint64)[:, None])
                        & np.uint64(1)).astype(bool)
    return bits


def _reachable(proc: Compiled, start: np.ndarray, limit: int,
               check: Callable[[], None] | None) -> np.ndarray:
    n = proc.n
    seen = np.unique(start.astype(np.uint64))
    frontier = seen
    one = np.uint64(1)
    while frontier.size:
        if check is not None:
            check()
        R = proc.rate_matrix(_bits(frontier, n))
        node, col = np.nonzero(R > 0)
        succ = np.unique(frontier[col] ^ (one << node.astype(np.uint64)))
        new = np.setdiff1d(succ, seen, assume_unique=True)
        if new.size:
            seen = np.union1d(seen, new)
            if seen.size > limit:
                raise StateSpaceTooLarge(n, limit, "sample instead (method='sampled')",
                                         what=f"more than {limit:,} states are reachable")
        frontier = new
    return seen


def _generator_t(proc: Compiled, states: np.ndarray) -> Sparse:
    """The transposed generator ``Q^T`` (columns: from-states) as CSR."""
    import scipy.sparse as sp

    n, S = proc.n, states.size
    R = proc.rate_matrix(_bits(states, n))
    node, col = np.nonzero(R > 0)
    dst = np.searchsorted(states, states[col] ^ (np.uint64(1) << node.astype(np.uint64)))
    rate = R[node, col]
    out = R.sum(axis=0)
    rows = np.concatenate([dst, np.arange(S)])
    cols = np.concatenate([col, np.arange(S)])
    data = np.concatenate([rate, -out])
    return sp.csr_matrix((data, (rows, cols)), shape=(S, S))


def _evolve(QT: Sparse, p0: np.ndarray, edges: np.ndarray,
            reduce: Callable[[int, np.ndarray, np.ndarray], None],
            check: Callable[[], None] | None) -> np.ndarray:
    """Evolve ``p0`` window by window; ``reduce(w, integral over window w, p at its end)``
    sees each window (nothing per window is kept here). Returns p at max_time."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import expm_multiply

    S = QT.shape[0]
    aug = sp.bmat([[QT, sp.csr_matrix((S, S))], [sp.identity(S, format="csr"),
                                                   sp.csr_matrix((S, S))]], format="csr")
    p: np.ndarray = p0.copy()
    for w in range(len(edges) - 1):
        if check is not None:
            check()
        h = edges[w + 1] - edges[w]
        v = expm_multiply(aug * h, np.concatenate([p, np.zeros(S)]))
        p = np.clip(v[:S], 0.0, None)
        reduce(w, np.clip(v[S:], 0.0, None), p)
    return p


def _limit(QT: Sparse, p0: np.ndarray, check: Callable[[], None] | None = None) -> np.ndarray:
    """The distribution as t -> infinity from ``p0``.

    The mass of every transient state flows, through the acyclic graph of the strongly
    connected components, into the terminal ones; each terminal component spreads what
    reaches it by its own stationary distribution. The components are swept in topological
    order, a whole level at a time (a direct sparse solve of the transient part fills in
    badly on these hypercube-like graphs).
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    S = QT.shape[0]
    A = QT.T.tocsr()                          # rows: from-states
    A.setdiag(0.0)
    A.eliminate_zeros()
    out_rate = np.asarray(A.sum(axis=1)).ravel()
    ncomp, label = connected_components(A, directed=True, connection="strong")
    coo = A.tocoo()
    src, dst, rate = coo.row, coo.col, coo.data
    cross = label[src] != label[dst]
    leaving = np.zeros(ncomp, dtype=bool)
    leaving[label[src[cross]]] = True
    size = np.bincount(label, minlength=ncomp)
    # component DAG: in-degrees from distinct component edges
    pairs = np.unique(label[src[cross]].astype(np.int64) * ncomp + label[dst[cross]])
    csrc, cdst = pairs // ncomp, pairs % ncomp
    indeg = np.bincount(cdst, minlength=ncomp)
    comp_edges = sp.csr_matrix((np.ones(pairs.size), (csrc, cdst)), shape=(ncomp, ncomp))
    members = sp.csr_matrix((np.ones(S), (label, np.arange(S))), shape=(ncomp, S))
    inflow = p0.astype(float).copy()          # mass arriving at (or starting in) each state
    out = np.zeros(S)
    frontier = np.flatnonzero(indeg == 0)
    while frontier.size:
        if check is not None:
            check()
        states = members[frontier].indices
        trans = states[leaving[label[states]]]
        multi = size[label[trans]] > 1
        single = trans[~multi]
        z = inflow[single] / out_rate[single]             # time spent in each state
        zs = [z]
        done = [single]
        for c in np.unique(label[trans[multi]]):
            idx = trans[label[trans] == c]
            sub = A[idx][:, idx].toarray()                # rates inside the component
            M = np.diag(out_rate[idx]) - sub.T
            zs.append(np.linalg.solve(M, inflow[idx]))
            done.append(idx)
        if trans.size:
            rows = np.concatenate(done)
            inflow += A[rows].T @ np.concatenate(zs)
            inflow[trans] = 0.0
        for c in np.unique(label[states[~leaving[label[states]]]]):
            idx = np.flatnonzero(label == c)
            m = inflow[idx].sum()
            if m <= 0:
                continue
            if idx.size == 1:
                out[idx] = m
                continue
            Q = (A[idx][:, idx].toarray().T - np.diag(out_rate[idx]))
            Q[-1, :] = 1.0
            rhs = np.zeros(idx.size)
            rhs[-1] = 1.0
            out[idx] = m * np.clip(np.linalg.solve(Q, rhs), 0.0, None)
        # next level: components whose predecessors are all done
        succ = comp_edges[frontier].indices
        np.subtract.at(indeg, succ, 1)
        succ = np.unique(succ)
        frontier = succ[indeg[succ] == 0]
    return out


def exact_run(proc: Compiled, initial: InitialCondition, edges: np.ndarray, *,
              limit: int = EXACT_LIMIT, stationary: bool = True,
              phenotype: tuple[np.ndarray, np.ndarray] | None = None,
              check: Callable[[], None] | None = None) -> ExactRun:
    """The exact time course (see the module docstring).

    Raises
    ------
    StateSpaceTooLarge
        When more than ``limit`` states are reachable, or the network has more than 64 nodes.
    """
    n = proc.n
    if n > 64:
        raise StateSpaceTooLarge(n, limit, "sample instead (method='sampled')",
                                 what=f"the exact engine holds states in 64-bit words; this "
                                      f"network has {n} nodes")
    init = initial.distribution(limit)
    start = np.array(sorted(init), dtype=np.uint64)
    states = _reachable(proc, start, limit, check)
    log.info("exact: %d reachable states", states.size)
    p0 = np.zeros(states.size)
    p0[np.searchsorted(states, start)] = [init[int(s)] for s in start]
    QT = _generator_t(proc, states)
    bits = _bits(states, n)
    Xf = bits.astype(float)
    widths = np.diff(edges)
    probs = np.zeros((len(widths), n))

    def nodes(w: int, integral: np.ndarray, p: np.ndarray) -> None:
        probs[w] = Xf @ integral / widths[w]

    final = _evolve(QT, p0, edges, nodes, check)
    # what is left of rounding in the matrix exponential (1e-16) is noise, not an answer
    probs = np.clip(np.round(probs, 12), 0.0, 1.0)
    final = np.round(final, 14)
    limit_dist = _limit(QT, p0, check) \
        if stationary and states.size <= STATIONARY_LIMIT else None
    reached = mean_hit = restricted = None
    if phenotype is not None:
        pos, val = phenotype
        inside = (bits[pos] == val[:, None]).all(axis=0)
        # the phenotype made absorbing: its mass at time t is P(first passage <= t)
        keep = np.where(inside, 0.0, 1.0)
        QTa = (QT @ _diag(keep)).tocsr()
        reached_arr = np.zeros(len(widths))
        integral_F = np.zeros(len(widths))

        def passage(w: int, integral: np.ndarray, p: np.ndarray) -> None:
            reached_arr[w] = p[inside].sum()
            integral_F[w] = integral[inside].sum()

        _evolve(QTa, p0, edges, passage, check)
        reached = reached_arr
        FT = float(reached[-1])
        mean_hit = (float(edges[-1]) * FT - float(integral_F.sum())) / FT if FT > 0 else None
        restricted = float(edges[-1]) - float(integral_F.sum())
    return ExactRun(states, probs, final, limit_dist, reached, mean_hit, restricted)


def _diag(v: np.ndarray) -> Sparse:
    import scipy.sparse as sp
    return sp.diags(v, format="csr")
