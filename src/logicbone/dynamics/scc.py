"""Strongly connected components of explicit transition graphs, their terminal components
(the attractors) and which of these each component reaches; numpy and
:mod:`scipy.sparse.csgraph` only.

Graphs are given as edge arrays ``src -> dst`` of state indices, or in CSR form.

Examples
--------
>>> import numpy as np
>>> src, dst = np.array([0, 1, 1, 2]), np.array([1, 0, 2, 3])
>>> count, labels = strong_components(4, src, dst)
>>> count, [int(labels[0] == labels[1]), int(labels[2] == labels[3])]
(3, [1, 0])
>>> [g.tolist() for g in terminal_sccs_numpy(np.array([0, 1, 3, 4, 4]),
...                                          np.array([1, 0, 2, 3]), 64)]
[[3]]
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import numpy as np

from .transitions import indptr_of_counts, sorted_unique

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["strong_components", "terminal_components", "reach_sets", "first_index",
           "group_by_label", "group_starts", "terminal_sccs", "terminal_sccs_numpy",
           "pair_key", "bits_for", "indptr_of_rows", "SEARCH_SINKS"]

log = logging.getLogger(__name__)

#: up to this many attractors, which ones each component reaches is found by one
#: breadth-first search per attractor; above, by one sweep over the condensation
SEARCH_SINKS = 8
#: rows of a CSR graph handled per batch
_CHUNK = 1 << 20


def bits_for(count: int) -> int:
    """Bits that hold the numbers ``0 .. count - 1``.

    >>> bits_for(1), bits_for(5)
    (1, 3)
    """
    return max(1, (count - 1).bit_length())


def pair_key(bits: int, cs: np.ndarray, cd: np.ndarray) -> np.ndarray:
    """``cs << bits | cd`` as int64 (``cd < 2**bits``): sorting the keys sorts the pairs by
    (cs, cd)."""
    key = cs.astype(np.int64)
    key <<= bits
    key |= cd
    return key


def indptr_of_rows(rows: np.ndarray, count: int) -> np.ndarray:
    """CSR row pointers of edges sorted by row: ``indptr[r] .. indptr[r + 1]`` are row r's."""
    return indptr_of_counts(np.bincount(rows, minlength=count))


def group_starts(values: np.ndarray) -> np.ndarray:
    """Start index of each run of equal values in a sorted array.

    >>> group_starts(np.array([1, 1, 2, 5, 5])).tolist()
    [0, 2, 3]
    """
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.empty(values.size, dtype=bool)
    change[0] = True
    np.not_equal(values[1:], values[:-1], out=change[1:])
    return np.flatnonzero(change)


def strong_components(n_states: int, src: np.ndarray, dst: np.ndarray,
                      indptr: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    """Strong components: (number, label per state).

    The adjacency matrix is built in CSR form with its column indices sorted in each row (one
    sort of ``src << b | dst``, unless ``indptr`` says the edges are in that order already), as
    :class:`scipy.sparse.csr_matrix` holds it after conversion from coordinates, so that the
    labels do not depend on the order of the edges.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    if indptr is None:
        bits = bits_for(n_states)
        key = pair_key(bits, src, dst)
        key.sort()
        indices = (key & ((1 << bits) - 1)).astype(np.int32)
        del key
        indptr = indptr_of_rows(src, n_states)
    else:
        indices = dst.astype(np.int32, copy=False)
    graph = csr_matrix((np.ones(indices.size), indices, indptr.astype(np.int32)),
                       shape=(n_states, n_states))
    graph.has_sorted_indices = True
    count, labels = connected_components(graph, directed=True, connection="strong")
    return int(count), labels


def terminal_components(count: int, cs: np.ndarray,
                        first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Terminal components (no edge ``cs`` of the condensation leaves them) numbered in the
    order of ``first``: (sink components in attractor order, attractor index per component
    or -1)."""
    terminal = np.ones(count, dtype=bool)
    terminal[cs] = False
    sinks = np.flatnonzero(terminal)
    sinks = sinks[np.argsort(first[sinks], kind="stable")]
    comp_attr = np.full(count, -1, dtype=np.int64)
    comp_attr[sinks] = np.arange(sinks.size)
    return sinks, comp_attr


def first_index(count: int, labels: np.ndarray) -> np.ndarray:
    """Per component, the smallest index of its members."""
    first = np.full(count, labels.size, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(labels.size, dtype=np.int64))
    return first


def reach_sets(count: int, csrc: np.ndarray, cdst: np.ndarray, sinks: np.ndarray,
               method: Literal["auto", "search", "levels"] = "auto") -> np.ndarray:
    """Per component, the bitset (uint64 words) of the sink components it reaches.

    ``csrc -> cdst`` are the distinct edges of the (acyclic) condensation; ``sinks[k]`` is the
    component of attractor ``k``. Every component reaches some sink, so with one sink all reach
    it. ``method="search"``: one breadth-first search backwards from each sink
    (:func:`scipy.sparse.csgraph.breadth_first_order`), the fastest for a few sinks;
    ``"levels"``: propagation backwards level by level from the sinks (Kahn's order), each level
    a handful of array operations over the edges into it, whatever the number of sinks.
    ``"auto"`` searches for up to :data:`SEARCH_SINKS` sinks.
    """
    words = max(1, (sinks.size + 63) // 64)
    reach = np.zeros((words, count), dtype=np.uint64)  # one contiguous row per word
    if method == "auto":
        if sinks.size == 1:
            reach[0] = 1
            return np.ascontiguousarray(reach.T)
        method = "search" if sinks.size <= SEARCH_SINKS else "levels"
    if method == "search":
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import breadth_first_order

        back = csr_matrix((np.ones(csrc.size), (cdst, csrc)), shape=(count, count))
        for k, sink in enumerate(sinks.tolist()):
            found = breadth_first_order(back, sink, directed=True, return_predecessors=False)
            reach[k // 64, found] |= np.uint64(1 << (k % 64))
        return np.ascontiguousarray(reach.T)
    ks = np.arange(sinks.size)
    reach[ks // 64, sinks] |= np.left_shift(np.uint64(1), (ks % 64).astype(np.uint64))
    if csrc.size == 0:
        return np.ascontiguousarray(reach.T)
    outdeg = np.bincount(csrc, minlength=count)
    # predecessors grouped by target: sort the edges by (cdst, csrc) in one key
    bits = bits_for(count)
    by_dst = pair_key(bits, cdst, csrc)
    by_dst.sort()
    pred = by_dst & ((1 << bits) - 1)
    indptr = indptr_of_rows(cdst, count)
    del by_dst
    frontier = np.flatnonzero(outdeg == 0)
    while frontier.size:
        starts = indptr[frontier]
        lens = indptr[frontier + 1] - starts
        total = int(lens.sum())
        if total == 0:
            break
        offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
        p = pred[offsets]
        f = np.repeat(frontier, lens)
        for w in range(words):
            np.bitwise_or.at(reach[w], p, reach[w, f])
        np.subtract.at(outdeg, p, 1)
        frontier = sorted_unique(p[outdeg[p] == 0])
    return np.ascontiguousarray(reach.T)


# ---------------------------------------------------------------- terminal SCCs of CSR graphs

def group_by_label(members: np.ndarray, labels: np.ndarray) -> list[np.ndarray]:
    """``members`` split by ``labels`` (each group sorted), groups sorted by smallest state."""
    order = np.argsort(labels, kind="stable")
    members, lab = members[order], labels[order]
    cuts = np.flatnonzero(np.diff(lab)) + 1
    groups = np.split(members, cuts) if members.size else []
    groups.sort(key=lambda g: int(g[0]))
    return groups


def terminal_sccs_numpy(indptr: np.ndarray, indices: np.ndarray,
                        max_rounds: int) -> list[np.ndarray] | None:
    """Terminal SCCs of a CSR graph by label propagation in numpy (no graph library).

    ``top[s]``, the largest state reachable from ``s``, is propagated backwards along the
    edges to its fixpoint. A terminal SCC ``C`` is then the set reachable from its largest
    state ``r = top[r]`` through states labelled ``r``, with no edge leaving the label: if
    every state reachable from ``r`` has ``top == r``, each of them reaches ``r`` back.
    Each round costs one pass over the edges; ``None`` when the propagation needs more
    than ``max_rounds`` rounds (very long shortest paths), so that the caller falls back
    to a linear-time SCC algorithm.
    """
    total = indptr.size - 1
    deg = np.diff(indptr)
    has_out = deg > 0
    starts = indptr[:-1][has_out]
    src = np.repeat(np.arange(total, dtype=indices.dtype), deg)
    top = np.arange(total, dtype=indices.dtype)
    for _ in range(max_rounds):
        best = np.maximum.reduceat(top[indices], starts) if starts.size else starts
        cur = top[has_out]
        if not (best > cur).any():
            break
        top[has_out] = np.maximum(cur, best)
    else:
        return None
    same = top[src] == top[indices]
    roots = top == np.arange(total, dtype=top.dtype)
    seen = roots.copy()
    e_src, e_dst = src[same], indices[same]
    for _ in range(max_rounds):
        step = e_dst[seen[e_src] & ~seen[e_dst]]
        if not step.size:
            break
        seen[step] = True
    else:
        return None
    leak = seen[src] & ~same
    bad = np.zeros(total, dtype=bool)
    bad[top[src[leak]]] = True
    members = np.flatnonzero(seen & ~bad[top])
    return group_by_label(members, top[members])


def terminal_sccs(graph: csr_matrix) -> tuple[np.ndarray, list[np.ndarray]]:
    """SCC labels and the terminal SCCs (sorted state arrays, sorted by smallest state) of a
    :class:`scipy.sparse.csr_matrix` graph."""
    from scipy.sparse.csgraph import connected_components

    _, labels = connected_components(graph, directed=True, connection="strong")
    total = graph.shape[0]
    terminal = np.ones(labels.max(initial=-1) + 1, dtype=bool)
    indptr, indices = graph.indptr, graph.indices
    for start in range(0, total, _CHUNK):
        stop = min(total, start + _CHUNK)
        lo, hi = int(indptr[start]), int(indptr[stop])
        if lo == hi:
            continue
        src = np.repeat(np.arange(start, stop), np.diff(indptr[start:stop + 1]))
        leaving = labels[src] != labels[indices[lo:hi]]
        terminal[labels[src[leaving]]] = False
    members = np.flatnonzero(terminal[labels])
    return labels, group_by_label(members, labels[members])
