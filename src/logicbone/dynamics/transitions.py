"""The transitions of the explicit state space, enumerated in numpy: the one place that
turns a compiled :class:`~logicbone.dynamics.kernel.Kernel` and an update scheme into edges.

Three shapes of the same enumeration serve the explicit engines:

:func:`successors`
    the edges leaving a batch of states, as ``(source, target)`` state arrays (the STG, and
    reachability from given states: :func:`reachable`);
:func:`transition_csr`
    the whole space ``0 .. 2**n - 1`` as a CSR adjacency (row pointers and targets, 4 bytes
    per edge), for the attractor and basin searches;
:func:`block_edges`
    one block of states (inputs fixed, the other nodes enumerated) as index pairs, for the
    quotient graph.

Conventions: no self-loops (a state without successors is a fixed point). Synchronous update
gives at most one edge per state, asynchronous one per node that can change, general
asynchronous one per non-empty subset of them. Every shape counts its edges with
:func:`edge_count` before it builds them and refuses more than its ``edge_limit``.

Examples
--------
>>> import numpy as np, logicbone as lb
>>> from logicbone.dynamics.kernel import compile_network
>>> k = compile_network(lb.parse_bnet("A, !B\\nB, A"))
>>> src, dst = successors(k, np.arange(4, dtype=np.uint64), Update.ASYNCHRONOUS)
>>> src.tolist(), dst.tolist()
([0, 3, 1, 2], [1, 2, 3, 0])
>>> indptr, indices, deg = transition_csr(k, Update.GENERAL)
>>> indptr.tolist(), indices.tolist()
([0, 1, 2, 3, 4], [1, 3, 0, 2])
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..errors import LogicboneError, StateSpaceTooLarge
from .kernel import Kernel
from .update import Update

__all__ = ["EDGE_LIMIT", "CSR_EDGE_LIMIT", "MAX_GENERAL_CHANGES", "popcount", "edge_count",
           "successors", "all_changeable", "transition_csr", "reachable", "sorted_unique",
           "block_states", "block_rank", "block_edges", "indptr_of_counts"]

#: largest explicit transition graph built as ``(source, target)`` pairs (16 bytes per edge)
EDGE_LIMIT = 1 << 26
#: largest whole-space CSR transition graph (4 bytes per edge)
CSR_EDGE_LIMIT = 1 << 29
#: a state of the whole-space graph may let at most this many nodes change under general
#: asynchronous update (``2**20 - 1`` successors)
MAX_GENERAL_CHANGES = 20
#: states per batch of the whole-space enumerations
CHUNK = 1 << 20
#: below this many nodes, reachability marks visited states in a dense bitmap
DENSE_BITS = 26


def popcount(x: np.ndarray) -> np.ndarray:
    """Number of set bits of each entry (uint8).

    >>> popcount(np.array([0, 7, 5], dtype=np.uint32)).tolist()
    [0, 3, 2]
    """
    if hasattr(np, "bitwise_count"):
        out: np.ndarray = np.bitwise_count(x).astype(np.uint8)
        return out
    b = x.view(np.uint8).reshape(x.shape + (x.dtype.itemsize,))
    table = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
    summed: np.ndarray = table[b].sum(axis=-1, dtype=np.uint8)
    return summed


def out_degrees(change: np.ndarray, update: Update) -> np.ndarray:
    """Per state, its number of transitions (int64) from the bitmask of the nodes that can
    change (:meth:`Kernel.changeable`)."""
    if update is Update.SYNCHRONOUS:
        moving: np.ndarray = (change != 0).astype(np.int64)
        return moving
    ones = popcount(change).astype(np.int64)
    if update is Update.GENERAL:
        out: np.ndarray = np.left_shift(np.int64(1), ones) - 1
        return out
    return ones


def edge_count(change: np.ndarray, update: Update) -> int:
    """The number of transitions leaving states whose changeable nodes are ``change``.

    >>> edge_count(np.array([0, 3, 1], dtype=np.uint64), Update.GENERAL)
    4
    """
    return int(out_degrees(change, update).sum())


def _explicit_update(update: Update) -> None:
    if update not in (Update.SYNCHRONOUS, Update.ASYNCHRONOUS, Update.GENERAL):
        raise LogicboneError(f"no explicit state-transition graph for {update.value} update; "
                             "use sync, async or general")


def successors(kernel: Kernel, states: np.ndarray, update: Update, *,
               edge_limit: int = EDGE_LIMIT, hint: str = "") -> tuple[np.ndarray, np.ndarray]:
    """All transitions leaving ``states`` (no self-loops), as (source, target) state arrays.

    Asynchronous edges come grouped by node, in node order; general asynchronous ones by the
    ``(sub - 1) & mask`` walk over the non-empty subsets of the nodes that can change.

    Raises
    ------
    StateSpaceTooLarge
        For general asynchronous update, above ``edge_limit`` edges (``hint`` ends the
        message).
    LogicboneError
        For most permissive update.
    """
    _explicit_update(update)
    states = np.asarray(states, dtype=np.uint64)
    if update is Update.SYNCHRONOUS:
        succ = kernel.sync_successors(states).astype(np.uint64)
        moving = succ != states
        return states[moving], succ[moving]
    if update is Update.ASYNCHRONOUS:
        src, dst = kernel.async_successors(states)
        return src.astype(np.uint64), dst.astype(np.uint64)
    change = kernel.changeable(states).astype(np.uint64)
    total = edge_count(change, update)
    if total > edge_limit:
        raise StateSpaceTooLarge(len(kernel.names), edge_limit, hint,
                                 what="the general asynchronous graph has more than "
                                      f"{edge_limit:,} transitions")
    # every non-empty subset of the changeable nodes, by the (sub - 1) & mask walk
    srcs, dsts = [], []
    sub, base, mask = change.copy(), states.copy(), change.copy()
    while sub.size:
        keep = sub != 0
        sub, base, mask = sub[keep], base[keep], mask[keep]
        srcs.append(base)
        dsts.append(base ^ sub)
        sub = (sub - np.uint64(1)) & mask
    if not srcs:
        return states[:0], states[:0]
    return np.concatenate(srcs), np.concatenate(dsts)


def all_changeable(kernel: Kernel) -> np.ndarray:
    """:meth:`Kernel.changeable` of every state ``0 .. 2**n - 1`` (uint32 up to 32 nodes)."""
    dt = np.uint32 if kernel.n <= 32 else np.uint64
    total = 1 << kernel.n
    out = np.empty(total, dtype=dt)
    for start in range(0, total, CHUNK):
        stop = min(total, start + CHUNK)
        out[start:stop] = kernel.changeable(np.arange(start, stop, dtype=dt))
    return out


def transition_csr(kernel: Kernel, update: Update, edge_limit: int = CSR_EDGE_LIMIT,
                   hint: str = "") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The asynchronous (or general asynchronous) transition graph of the whole space:
    ``indptr``, ``indices`` (CSR, targets in the order of :func:`successors`) and the
    out-degree of each state.

    Raises
    ------
    StateSpaceTooLarge
        Above ``edge_limit`` edges (``hint`` ends the message), or (general) where a state
        lets more than :data:`MAX_GENERAL_CHANGES` nodes change.
    """
    _explicit_update(update)
    change = all_changeable(kernel)
    total = change.size
    if update is Update.GENERAL and int(popcount(change).max(initial=0)) > MAX_GENERAL_CHANGES:
        raise StateSpaceTooLarge(kernel.n, total, "use --update async",
                                 what=f"a state has over 2^{MAX_GENERAL_CHANGES} general "
                                      "asynchronous successors")
    deg = out_degrees(change, update)
    indptr = indptr_of_counts(deg)
    edges = int(indptr[-1])
    if edges > edge_limit:
        raise StateSpaceTooLarge(kernel.n, total, hint,
                                 what=f"the {update.value} transition graph has {edges:,} "
                                      f"edges, above the limit of {edge_limit:,}")
    idx_t = np.int32 if total < (1 << 31) else np.int64
    indices = np.empty(edges, dtype=idx_t)
    fill = indptr[:-1].copy()
    states = np.arange(total, dtype=change.dtype)
    if update is Update.GENERAL:
        sub = change.copy()
        live = np.flatnonzero(sub)
        while live.size:  # every non-empty submask of each state's changeable set
            s = sub[live]
            indices[fill[live]] = (states[live] ^ s).astype(idx_t)
            fill[live] += 1
            sub[live] = (s - 1) & change[live]
            live = live[sub[live] != 0]
    elif update is Update.ASYNCHRONOUS:
        for i in range(kernel.n):
            bit = change.dtype.type(1 << i)
            live = np.flatnonzero(change & bit)
            indices[fill[live]] = (states[live] ^ bit).astype(idx_t)
            fill[live] += 1
    else:
        live = np.flatnonzero(change)
        indices[fill[live]] = (states[live] ^ change[live]).astype(idx_t)
    del fill, change, states
    return indptr, indices, deg


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: :func:`numpy.unique` by one :func:`numpy.sort`
    (``np.unique`` is many times slower on large integer arrays).

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    values = np.sort(np.asarray(values), kind="quicksort")
    if values.size < 2:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    out: np.ndarray = values[keep]
    return out


def reachable(kernel: Kernel, initial: np.ndarray, update: Update, limit: int,
              hint: str, *, edge_limit: int = EDGE_LIMIT, edge_hint: str | None = None
              ) -> np.ndarray:
    """The sorted states reachable from ``initial`` (included).

    Raises
    ------
    StateSpaceTooLarge
        Above ``limit`` states (the message ends with ``hint``), or above ``edge_limit``
        transitions from one frontier (ending with ``edge_hint``, by default ``hint``).
    """
    n = len(kernel.names)
    edge_hint = hint if edge_hint is None else edge_hint
    frontier = sorted_unique(np.asarray(initial, dtype=np.uint64))
    if n <= DENSE_BITS:
        seen = np.zeros(1 << n, dtype=bool)
        seen[frontier] = True
        count = frontier.size
        while frontier.size:
            _, dst = successors(kernel, frontier, update, edge_limit=edge_limit, hint=edge_hint)
            dst = sorted_unique(dst)
            frontier = dst[~seen[dst]]
            seen[frontier] = True
            count += frontier.size
            if count > limit:
                break
        else:
            return np.flatnonzero(seen).astype(np.uint64)
    else:
        seen_set = set(frontier.tolist())
        while frontier.size:
            _, dst = successors(kernel, frontier, update, edge_limit=edge_limit, hint=edge_hint)
            new = [s for s in sorted_unique(dst).tolist() if s not in seen_set]
            seen_set.update(new)
            frontier = np.asarray(new, dtype=np.uint64)
            if len(seen_set) > limit:
                break
        else:
            return np.sort(np.fromiter(seen_set, dtype=np.uint64, count=len(seen_set)))
    raise StateSpaceTooLarge(n, limit, hint, what=f"more than {limit:,} states are reachable "
                                                  "from the given ones")


# ---------------------------------------------------------------- blocks of states

def indptr_of_counts(counts: np.ndarray) -> np.ndarray:
    """CSR row pointers from the number of entries of each row.

    >>> indptr_of_counts(np.array([2, 0, 1])).tolist()
    [0, 2, 2, 3]
    """
    indptr = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr


def _runs(positions: Iterable[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of consecutive bit positions: (first, past-the-end, rank of first)."""
    runs: list[list[int]] = []
    at = 0
    for p in sorted(positions):
        if runs and runs[-1][1] == p:
            runs[-1][1] = p + 1
        else:
            runs.append([p, p + 1, at])
        at += 1
    return [(r[0], r[1], r[2]) for r in runs]


def block_states(n: int, free: list[int], fixed_bits: int) -> np.ndarray:
    """All states with the ``free`` bits enumerated and the others as in ``fixed_bits``,
    sorted (the enumeration index is the rank of the state).

    >>> block_states(3, [0, 2], 0b010).tolist()
    [2, 3, 6, 7]
    """
    idx = np.arange(1 << len(free), dtype=np.uint64)
    out = np.full(idx.size, fixed_bits, dtype=np.uint64)
    for lo, hi, at in _runs(free):
        out |= (idx >> np.uint64(at) & np.uint64((1 << (hi - lo)) - 1)) << np.uint64(lo)
    return out


def block_rank(states: np.ndarray, free: list[int]) -> np.ndarray:
    """The index of each state within its block (its free bits packed together).

    >>> block_rank(np.array([2, 3, 6, 7], dtype=np.uint64), [0, 2]).tolist()
    [0, 1, 2, 3]
    """
    out = np.zeros(states.size, dtype=np.int64)
    for lo, hi, at in _runs(free):
        part = (states >> np.uint64(lo)) & np.uint64((1 << (hi - lo)) - 1)
        out |= part.astype(np.int64) << at
    return out


def block_edges(kernel: Kernel, states: np.ndarray, update: Update, free: list[int], *,
                edge_limit: int = EDGE_LIMIT, hint: str = ""
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """The transitions of one block (all states with the inputs fixed, in rank order) as
    indices into ``states``: (sources, targets, nodes flipped as bitmasks, row pointers or
    ``None``). Inputs never change, so a flip of node ``free[r]`` flips bit ``r`` of the rank.

    With row pointers, the edges come in CSR order (by source, then target) and
    ``indptr[s] .. indptr[s + 1]`` are those of source ``s``.
    """
    dt = np.uint32 if len(kernel.names) <= 32 else np.uint64
    narrow = states.astype(dt)
    if update is Update.ASYNCHRONOUS:
        change = kernel.changeable(narrow)
        del narrow
        total = edge_count(change, update)
        src = np.empty(total, dtype=np.int32)
        dst = np.empty(total, dtype=np.int32)
        moved = np.empty(total, dtype=dt)
        at = 0
        for r, i in enumerate(free):  # grouped by node, in node order
            sel = np.flatnonzero(change & dt(1 << i)).astype(np.int32)
            stop = at + sel.size
            src[at:stop] = sel
            np.bitwise_xor(sel, np.int32(1 << r), out=dst[at:stop])
            moved[at:stop] = 1 << i
            at = stop
        return src, dst, moved, None
    if update is Update.SYNCHRONOUS:  # at most one edge per source: already in CSR order
        succ = kernel.sync_successors(narrow)
        moving = succ != narrow
        src_i = np.flatnonzero(moving)
        del narrow
        succ = succ[src_i].astype(np.uint64)
        return (src_i, block_rank(succ, free), states[src_i] ^ succ,
                indptr_of_counts(moving.astype(np.int64)))
    src_s, dst_s = successors(kernel, states, update, edge_limit=edge_limit, hint=hint)
    return block_rank(src_s, free), block_rank(dst_s, free), src_s ^ dst_s, None
