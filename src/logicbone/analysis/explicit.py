"""Exact attractors and basins on the explicit state space (networks whose 2^n states fit).

Synchronous update
    The successor of every state is computed in one vectorised pass over bit planes (64
    states per word; 4 bytes per state for up to 32 nodes). The states on cycles are the limit of the images ``f(S), f(f(S)), ...``
    of the whole space: iteration stops when the image no longer shrinks (then ``f`` is a
    bijection on it, so it is exactly the union of the cycles). Long transients switch to
    pointer doubling. Basins follow by pointer jumping towards the labelled cycles.
Asynchronous and general asynchronous update
    The transition graph is built as a sparse matrix (one edge per node that can change, or
    per non-empty subset of them) and its terminal strongly connected components are found
    with :func:`scipy.sparse.csgraph.connected_components`. Basins: the strong basin (states
    that can reach this attractor only) and the probability of ending in it under uniformly
    random updates, from uniformly random initial states.

Nodes whose value is forced by constants (:meth:`Network.percolate`) are fixed on every
attractor, so attractors are searched in the space of the other nodes only; basins always
count the whole space.

A :class:`~logicbone.budget.Budget` (or ``timeout``) is polled between the vectorised passes
(each image round, basin round, attractor); when time runs out or an interrupt arrives the
result is incomplete (its ``reason`` says why) and lists no attractor, as none is proven
before the whole space is searched.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, B\\nB, A")
>>> [(a.type, a.subspace) for a in explicit_attractors(net, "sync").attractors]
[('fixed_point', '00'), ('cycle', '**'), ('fixed_point', '11')]
>>> res = explicit_attractors(net, "async", basins=True)
>>> [(a.subspace, a.basin, a.extra["reach_probability"]) for a in res.attractors]
[('00', 0.25, 0.5), ('11', 0.25, 0.5)]
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..budget import Budget, BudgetExceeded, StopReason
from ..dynamics.kernel import Kernel, compile_network
from ..dynamics.scc import terminal_sccs, terminal_sccs_numpy
from ..dynamics.transitions import CSR_EDGE_LIMIT, transition_csr
from ..dynamics.update import Update
from ..errors import LogicboneError, StateSpaceTooLarge
from ..expr import substitute
from ..modes import AttractorMethod
from ..network import Network
from ..space import masks_to_str, state_to_str, subspace_of
from .results import Attractor, AttractorResult

__all__ = ["explicit_attractors", "free_nodes", "DEFAULT_STATE_LIMIT", "DEFAULT_EDGE_LIMIT"]

log = logging.getLogger(__name__)

DEFAULT_STATE_LIMIT = 1 << 26
#: transitions of an asynchronous graph held at once (4 bytes each)
DEFAULT_EDGE_LIMIT = CSR_EDGE_LIMIT
_CHUNK = 1 << 20
#: absorbing chains up to this many unknowns are solved by sparse LU, larger ones iteratively
_LU_MAX_UNKNOWNS = 4000
#: asynchronous spaces up to 2^this many states: terminal SCCs by numpy label propagation
_NUMPY_SCC_MAX_NODES = 16
#: propagation rounds (one pass over the edges each) before falling back to scipy
_NUMPY_SCC_MAX_ROUNDS = 64
_SCALING_HINT = {
    Update.SYNCHRONOUS: "use --method sat (or --force)",
    Update.ASYNCHRONOUS: "use --method symbolic (or --force)",
    Update.GENERAL: "no scalable method handles general asynchronous update; fix some "
                    "inputs (--inputs) or use --update async (or --force)",
    Update.MOST_PERMISSIVE: "use --method mp",
}


def scaling_hint(update: Update) -> str:
    """What to ask for when the explicit space is too large for ``update``."""
    return _SCALING_HINT[update]


def free_nodes(net: Network) -> tuple[dict[str, bool], tuple[str, ...]]:
    """The values forced by constants, and the other nodes (in bit order)."""
    fixed = net.percolate()
    return fixed, tuple(n for n in net.names if n not in fixed)


class _Reduced:
    """The reduced network searched explicitly, and how its states embed in the full one."""

    def __init__(self, net: Network, reduce: bool):
        self.net = net
        if reduce:
            fixed, free = free_nodes(net)
        else:
            fixed, free = {}, net.names
        self.fixed = fixed
        self.free = free
        self.pos = [net.index(name) for name in free]
        self.on = sum(1 << net.index(k) for k, v in fixed.items() if v)
        if len(free) == len(net.names):
            sub = net
        else:
            rules = {name: substitute(net.rules[name], fixed) for name in free}
            sub = Network(free, rules)
        self.kernel: Kernel = compile_network(sub)
        self.n = len(free)

    def embed(self, states: Iterable[int] | np.ndarray) -> list[int]:
        """Reduced states (ints or an array) -> full states (Python ints)."""
        out = []
        for s in (int(x) for x in states):
            full = self.on
            j = 0
            while s:
                if s & 1:
                    full |= 1 << self.pos[j]
                s >>= 1
                j += 1
            out.append(full)
        return out


# ---------------------------------------------------------------- synchronous

def _nonzero(mask: np.ndarray, dtype: type[np.unsignedinteger[Any]]) -> np.ndarray:
    """``np.flatnonzero(mask)`` as ``dtype``, chunk by chunk (no 8-byte index per state,
    and the result allocated once)."""
    counts = [int(np.count_nonzero(mask[start:start + _CHUNK]))
              for start in range(0, mask.size, _CHUNK)]
    out = np.empty(sum(counts), dtype=dtype)
    at = 0
    for c, start in zip(counts, range(0, mask.size, _CHUNK)):
        if c:
            idx = np.flatnonzero(mask[start:start + _CHUNK])
            out[at:at + c] = idx
            out[at:at + c] += dtype(start)
            at += c
    return out


def _mark_image(mark: np.ndarray, succ: np.ndarray, states: np.ndarray | None) -> None:
    """Set ``mark`` on the successors of ``states`` (all states when None), chunk by chunk."""
    size = succ.size if states is None else states.size
    for start in range(0, size, _CHUNK):
        stop = min(size, start + _CHUNK)
        mark[succ[start:stop] if states is None else succ[states[start:stop]]] = True


def _cycle_states(succ: np.ndarray, check: Callable[[], None]) -> np.ndarray:
    """Sorted array of the states on cycles of ``succ``.

    The images ``f(S), f(f(S)), ...`` of the whole space shrink to the cycles; a small image
    is sorted, a large one read off a mark array (1 byte per state besides the successors'
    and the image's own 4). ``succ`` may be changed, but each entry still points to a state
    further downstream.
    """
    dt = succ.dtype.type
    total = succ.size
    mark = np.zeros(total, dtype=bool)
    _mark_image(mark, succ, None)
    active = _nonzero(mark, dt)
    mark[active] = False
    size = total
    rounds = 0
    while active.size != size:
        check()
        size = active.size
        rounds += 1
        if rounds > 48 and active.size > 4096:
            # a long transient: jump 2^k steps at once on the (forward-closed) active set
            # (every entry the same number of steps: the image is then exactly the cycles)
            jumped = np.empty_like(active)
            for _ in range(max(1, math.ceil(math.log2(active.size))) + 1):
                for start in range(0, active.size, _CHUNK):
                    part = active[start:start + _CHUNK]
                    jumped[start:start + _CHUNK] = succ[succ[part]]
                succ[active] = jumped
            del jumped
            cyc = np.unique(succ[active])
            log.debug("cycle search: %d image rounds, then pointer doubling", rounds)
            return cyc
        if active.size < total >> 6:
            # a small image: sorting it is cheaper than scanning the whole mark array
            active = np.unique(succ[active])
            continue
        _mark_image(mark, succ, active)
        del active
        active = _nonzero(mark, dt)
        mark[active] = False
    log.debug("cycle search: %d image rounds, %d cycle states", rounds, active.size)
    return active


def _cycles(kernel: Kernel, cyc: np.ndarray, budget: Budget | None = None
            ) -> tuple[list[np.ndarray], bool]:
    """Split sorted cycle states into cycles, each in update order from its smallest state;
    returns ``(cycles, complete)``: at most the answers ``budget`` allows, and fewer when its
    time runs out or an interrupt arrives (millions of fixed points are millions of
    answers)."""
    m = cyc.size
    if m == 0:
        return [], True
    left = budget.left() if budget is not None else None
    nxt = np.searchsorted(cyc, kernel.sync_successors(cyc))
    fixed = nxt == np.arange(m)
    where = np.flatnonzero(fixed)
    if left is not None and where.size > left:
        return [cyc[i:i + 1] for i in where[:left]], False
    out: list[np.ndarray] = []
    for k, i in enumerate(where.tolist()):
        if budget is not None and not k & 4095 and budget.expired():
            return out, False
        out.append(cyc[i:i + 1])
    rest = np.flatnonzero(~fixed)
    if rest.size and left is not None and len(out) >= left:
        return out, False
    if rest.size:
        label = np.arange(m)
        jump = nxt.copy()
        for _ in range(max(1, math.ceil(math.log2(m))) + 1):
            label = np.minimum(label, label[jump])
            jump = jump[jump]
        nxt_l = nxt.tolist()
        for start in np.unique(label[rest]).tolist():
            if budget is not None and (budget.expired() or (
                    left is not None and len(out) >= left)):
                return out, False
            order = [start]
            i = nxt_l[start]
            while i != start:
                order.append(i)
                i = nxt_l[i]
            out.append(cyc[np.array(order)])
    return out, True


def _sync_basins(succ: np.ndarray, cycles: list[np.ndarray],
                 check: Callable[[], None]) -> np.ndarray:
    """Number of states whose trajectory ends in each cycle (``succ`` is reused as pointers)."""
    k = len(cycles)
    lab_t = np.int16 if k < (1 << 15) else np.int32
    lab = np.full(succ.size, -1, dtype=lab_t)
    for c, states in enumerate(cycles):
        lab[states] = c
    total = succ.size
    while True:
        check()
        pending = False
        for start in range(0, total, _CHUNK):
            stop = min(total, start + _CHUNK)
            lc = lab[start:stop]
            un = lc < 0
            if not un.any():
                continue
            jc = succ[start:stop]
            t = jc[un]
            got = lab[t]
            lc[un] = got
            if (got < 0).any():
                pending = True
            jc[un] = succ[t]  # pointer jumping: any state further downstream will do
        if not pending:
            break
    return np.bincount(lab, minlength=k)


def _sync(space: _Reduced, basins: bool, max_states: int, budget: Budget
          ) -> tuple[list[Attractor], bool]:
    kernel = space.kernel
    succ = kernel.all_sync_successors()
    budget.check()
    cycles, complete = _cycles(kernel, _cycle_states(succ, budget.check), budget)
    budget.check()
    # basins need every attractor: the states of one not listed would never settle
    counts = _sync_basins(succ, cycles, budget.check) if basins and complete else None
    del succ
    total = float(1 << kernel.n)
    n = len(space.net.names)
    out: list[Attractor] = []
    for c, states in enumerate(cycles):
        if budget is not None and not c & 4095 and budget.expired():
            return out, False
        full = space.embed(states)
        kind = "fixed_point" if len(full) == 1 else "cycle"
        out.append(Attractor(kind, len(full), subspace_of(full, n),
                             tuple(full) if len(full) <= max_states else None,
                             None if counts is None else float(counts[c]) / total))
    return out, complete


# ---------------------------------------------------------------- asynchronous

def _transition_graph(kernel: Kernel, update: Update, edge_limit: int
                      ) -> tuple[Any, np.ndarray]:  # (scipy CSR matrix, out-degrees)
    """CSR matrix of the asynchronous (or general asynchronous) transition graph."""
    from scipy.sparse import csr_matrix

    indptr, indices, deg = transition_csr(kernel, update, edge_limit, scaling_hint(update))
    total = indptr.size - 1
    data = np.ones(indices.size, dtype=np.int8)
    if indptr[-1] < (1 << 31):
        indptr = indptr.astype(np.int32)
    graph = csr_matrix((data, indices, indptr), shape=(total, total))
    return graph, deg


def _solve_columns(system: Any, rhs: np.ndarray) -> np.ndarray:
    """Solve ``system @ x = rhs`` column by column: LU when small, else BiCGSTAB."""
    from scipy.sparse.linalg import bicgstab, splu

    if system.shape[0] <= _LU_MAX_UNKNOWNS:
        solved: np.ndarray = splu(system).solve(rhs)
        return solved
    out = np.zeros_like(rhs)
    for j in range(rhs.shape[1]):
        b = rhs[:, j]
        if not b.any():
            continue
        x, info = bicgstab(system, b, x0=b, rtol=1e-12, atol=0.0, maxiter=20000)
        if info != 0:
            log.warning("reach probabilities: the iterative solver did not converge (%d)", info)
        out[:, j] = x
    return out


def _async_basins(graph: Any, deg: np.ndarray, groups: list[np.ndarray],
                  check: Callable[[], None]) -> tuple[np.ndarray, np.ndarray]:
    """Strong basin sizes and mean absorption probabilities under uniform random updates."""
    from scipy.sparse import diags, identity
    from scipy.sparse.csgraph import breadth_first_order
    total = graph.shape[0]
    k = len(groups)
    back = graph.T.tocsr()
    reach_count = np.zeros(total, dtype=np.int32)
    only = np.full(total, -1, dtype=np.int32)
    for a, g in enumerate(groups):
        check()
        seen = breadth_first_order(back, int(g[0]), directed=True, return_predecessors=False)
        reach_count[seen] += 1
        only[seen] = a
    del back
    single = reach_count == 1
    strong = np.bincount(only[single], minlength=k)
    prob = np.bincount(only[single], minlength=k).astype(float)
    shared = np.flatnonzero(~single)
    if shared.size:
        # absorbing chain on the states that can reach several attractors
        pos = np.full(total, -1, dtype=np.int64)
        pos[shared] = np.arange(shared.size)
        weights = diags(1.0 / np.maximum(deg, 1).astype(float)) @ graph.astype(float)
        rows = weights[shared]
        inner = rows[:, shared]
        known = np.zeros((total, k))
        known[np.flatnonzero(single), only[single]] = 1.0
        rhs = rows @ known
        system = (identity(shared.size, format="csr") - inner).tocsc()
        prob += _solve_columns(system, np.asarray(rhs)).sum(axis=0)
    return strong, prob


def _async(space: _Reduced, update: Update, basins: bool, max_states: int,
           edge_limit: int, check: Callable[[], None]) -> list[Attractor]:
    groups = None
    if not basins and space.n <= _NUMPY_SCC_MAX_NODES:
        # small spaces: no sparse-graph library to load, which costs more than the search
        indptr, indices, _ = transition_csr(space.kernel, update, edge_limit,
                                            scaling_hint(update))
        groups = terminal_sccs_numpy(indptr, indices, _NUMPY_SCC_MAX_ROUNDS)
        if groups is None:
            log.debug("terminal SCCs: label propagation too slow, using strong components")
    if groups is None:
        graph, deg = _transition_graph(space.kernel, update, edge_limit)
        check()
        _, groups = terminal_sccs(graph)
    check()
    strong = prob = np.zeros(0)
    if basins:
        strong, prob = _async_basins(graph, deg, groups, check)
    total = float(1 << space.n)
    n = len(space.net.names)
    out = []
    for a, g in enumerate(groups):
        kind = "fixed_point" if g.size == 1 else "complex"
        sub = _subspace_array(space, g, n)
        states = tuple(sorted(space.embed(g))) if g.size <= max_states else None
        extra = {}
        basin = None
        if basins:
            basin = float(strong[a]) / total
            extra["reach_probability"] = float(prob[a]) / total
        out.append(Attractor(kind, int(g.size), sub, states, basin, extra))
    return out


# ---------------------------------------------------------------- helpers and entry point

def _subspace_array(space: _Reduced, states: np.ndarray, n: int) -> str:
    and_ = int(np.bitwise_and.reduce(states.astype(np.uint64)))
    or_ = int(np.bitwise_or.reduce(states.astype(np.uint64)))
    a, o = space.embed([and_, or_])
    # nodes outside the reduced space are fixed: embed gives their value in both
    return masks_to_str(a, o & ~a, n)


def _sort_key(att: Attractor, n: int) -> str:
    if att.states:
        return min(state_to_str(s, n) for s in att.states)
    return att.subspace.replace("*", "0")


def explicit_attractors(net: Network, update: Update | str = Update.ASYNCHRONOUS, *,
                        basins: bool = False, max_states: int = 1000,
                        state_limit: int = DEFAULT_STATE_LIMIT, force: bool = False,
                        edge_limit: int = DEFAULT_EDGE_LIMIT, model: str = "",
                        budget: Budget | None = None,
                        timeout: float | None = None) -> AttractorResult:
    """All attractors of ``net`` by exhaustive search of its state space.

    Parameters
    ----------
    net : Network
    update : Update or str
        ``sync``, ``async`` or ``general``.
    basins : bool
        Also compute basins over all ``2^n`` states: the fraction of states whose trajectory
        ends in each attractor (synchronous), or the strong basin and, in
        ``extra["reach_probability"]``, the probability of ending there under uniformly
        random updates (asynchronous and general).
    max_states : int
        Keep the states of attractors up to this size.
    state_limit : int
        Refuse more states than this unless ``force``.
    force : bool
    edge_limit : int
        Refuse asynchronous transition graphs with more edges than this unless ``force``.
    model : str
        A label for the result (the model path).
    budget : Budget, optional
        Polled between the passes (time limit, interrupts); ``timeout`` narrows it.
    timeout : float, optional
        Seconds.

    Returns
    -------
    AttractorResult
        Attractors sorted by their first state string; cycles in update order. Stopped by
        the budget: incomplete, with no attractor.

    Raises
    ------
    StateSpaceTooLarge
        Above ``state_limit`` (naming the method that scales) unless ``force``.

    Examples
    --------
    >>> import logicbone as lb
    >>> res = explicit_attractors(lb.parse_bnet("A, !B\\nB, A"), "sync")
    >>> res.attractors[0].type, [lb.state_to_str(s, 2) for s in res.attractors[0].states]
    ('cycle', ['00', '10', '11', '01'])
    >>> explicit_attractors(lb.parse_bnet("A, !B\\nB, A"), "async").attractors[0].size
    4
    """
    update = Update.parse(update)
    if update is Update.MOST_PERMISSIVE:
        raise LogicboneError("the explicit method does not do most permissive update; "
                             "use --method mp")
    space = _Reduced(net, reduce=not basins)
    n_space = space.n
    if (1 << n_space) > state_limit and not force:
        raise StateSpaceTooLarge(n_space, state_limit, scaling_hint(update))
    if n_space > 34 and force:
        log.warning("exhaustive search of 2^%d states", n_space)
    log.info("explicit %s search over 2^%d states", update.value, n_space)
    budget = Budget.of(budget, timeout=timeout)
    method = AttractorMethod.EXPLICIT
    complete = True
    try:
        if update is Update.SYNCHRONOUS:
            # millions of fixed points are millions of answers: the budget's limit, time and
            # interrupts cut the list
            atts, complete = _sync(space, basins, max_states, budget)
            budget.take(len(atts) + (not complete and budget.left() is not None))
        else:
            atts = _async(space, update, basins, max_states,
                          edge_limit if not force else max(edge_limit, 1 << 62), budget.check)
    except BudgetExceeded as err:
        why = "interrupted" if err.reason is StopReason.INTERRUPTED else "time limit reached"
        log.info("explicit search stopped (%s)", err.reason.value)
        return AttractorResult(model, net.names, update, method, False, (),
                               (f"{why} before the exhaustive search ended; no attractor "
                                "is listed",), err.reason, budget.elapsed())
    n = len(net.names)
    atts.sort(key=lambda a: _sort_key(a, n))
    notes: tuple[str, ...] = ()
    if space.fixed and not basins:
        notes = (f"{len(space.fixed)} nodes forced by constants; searched 2^{n_space} states",)
    reason = None
    if not complete:
        reason = budget.outcome(complete=False).reason
        notes = (*notes, f"partial list ({reason.describe() if reason else 'stopped'})")
    return AttractorResult(model, net.names, update, method, complete, tuple(atts), notes,
                           reason, budget.elapsed())
