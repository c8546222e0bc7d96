"""The explicit state-transition graph (STG), size-guarded, and its quotient by strongly
connected components.

Everything is held in numpy arrays: the states (``uint64``, sorted), the edges as index
pairs into them, the strongly connected components (``scipy.sparse.csgraph``), the attractors
(terminal components) and, per state, the set of attractors it can reach. A networkx graph
is built only on request (:meth:`StateTransitionGraph.to_networkx`); the streaming writers of
:mod:`logicbone.export` read the arrays in chunks.

Conventions: no self-loops (a state without successors is a fixed point); an edge carries the
node(s) whose value changes along it; attractors are numbered by their smallest state.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, A")
>>> stg = lb.state_transition_graph(net, "async")
>>> stg.n_states, stg.n_edges, stg.n_attractors
(4, 4, 1)
>>> [lb.state_to_str(int(s), 2) for s in stg.attractor_states(0)]
['00', '10', '01', '11']
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from ..analysis.results import Attractor, AttractorResult, subspace_of
from ..errors import LogicboneError, StateSpaceTooLarge
from ..network import Network
from .update import Update

__all__ = ["StateTransitionGraph", "QuotientGraph", "state_transition_graph", "stg_quotient",
           "DEFAULT_LIMIT", "states_to_strings", "spaces_to_strings", "state_chars",
           "space_chars", "Text", "Ids", "Masks", "table_rows"]

log = logging.getLogger(__name__)

#: default size guard of the explicit STG (number of states)
DEFAULT_LIMIT = 1 << 20
#: states per block of the quotient graph (one block per assignment of the inputs)
DEFAULT_BLOCK_LIMIT = 1 << 22
#: guard on the number of edges of the general asynchronous STG
EDGE_LIMIT = 1 << 26
#: width of the packed sort key of the edges between components (source, target, nodes flipped);
#: wider edges are sorted indirectly
_KEY_BITS = 64
#: up to this many attractors in a block, which ones each component reaches is found by one
#: breadth-first search per attractor; above, by one sweep over the condensation
_SEARCH_SINKS = 8
#: below this many nodes, reachability marks visited states in a dense bitmap
_DENSE_BITS = 26

_HINT = ("export the quotient graph of its strongly connected components instead (--collapse, "
         "stg_quotient), or only the part reachable from given states (--from)")

_BLOCK_HINT = "fix inputs or nodes (--inputs, --fix) or start from given states (--from)"


# ---------------------------------------------------------------- helpers on state batches

def state_chars(states: np.ndarray, n: int) -> np.ndarray:
    """The characters ``0``/``1`` (bytes) of a batch of states: a ``(len, n)`` uint8 array,
    column i = bit i.

    >>> state_chars(np.array([1, 6], dtype=np.uint64), 3).tobytes()
    b'100011'
    """
    states = np.ascontiguousarray(states, dtype="<u8")  # bytes from the lowest bit up
    bits = np.unpackbits(states.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    return bits[:, :n] + np.uint8(ord("0"))


def _chars_to_str(chars: np.ndarray) -> np.ndarray:
    """``(len, n)`` ASCII bytes -> numpy str array ``<Un``."""
    n = chars.shape[1]
    if n == 0:
        return np.full(chars.shape[0], "", dtype="<U1")
    return np.ascontiguousarray(chars, dtype=np.uint32).view(f"<U{n}").ravel()


def states_to_strings(states: np.ndarray, n: int) -> np.ndarray:
    """``"0101..."`` strings (character i = bit i) of a batch of states, as a numpy str array.

    >>> states_to_strings(np.array([1, 6], dtype=np.uint64), 3).tolist()
    ['100', '011']
    """
    return _chars_to_str(state_chars(np.atleast_1d(states), n))


def space_chars(on: np.ndarray, free: np.ndarray, n: int) -> np.ndarray:
    """Subspace characters (``0``, ``1``, ``*``; bytes) from bitmasks of ON and of free
    nodes: a ``(len, n)`` uint8 array.

    >>> space_chars(np.array([1], dtype=np.uint64), np.array([4], dtype=np.uint64), 3).tobytes()
    b'10*'
    """
    chars = state_chars(on, n)
    chars[state_chars(free, n) == ord("1")] = ord("*")
    return chars


def spaces_to_strings(on: np.ndarray, free: np.ndarray, n: int) -> np.ndarray:
    """Subspace strings (``0``, ``1``, ``*`` per node) from bitmasks of ON and of free nodes.

    >>> spaces_to_strings(np.array([1], dtype=np.uint64), np.array([4], dtype=np.uint64), 3)
    array(['10*'], dtype='<U3')
    """
    return _chars_to_str(space_chars(np.atleast_1d(on), np.atleast_1d(free), n))


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
    return values[keep]


def _group_starts(values: np.ndarray) -> np.ndarray:
    """Start index of each run of equal values in a sorted array."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.empty(values.size, dtype=bool)
    change[0] = True
    np.not_equal(values[1:], values[:-1], out=change[1:])
    return np.flatnonzero(change)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(distinct, codes)`` with ``distinct[codes] == values`` (1-D)."""
    distinct = sorted_unique(values)
    return distinct, np.searchsorted(distinct, values)


def mask_names(masks: np.ndarray, names: tuple[str, ...], sep: str = ",") -> np.ndarray:
    """For each bitmask, the names of its set bits joined by ``sep`` (object array).

    >>> mask_names(np.array([5, 2], dtype=np.uint64), ("A", "B", "C")).tolist()
    ['A,C', 'B']
    """
    text = mask_text(masks, names, sep)
    return np.asarray(text.values, dtype=object)[text.codes]


class Text(NamedTuple):
    """A column of strings drawn from a few distinct ones: row i is ``values[codes[i]]``.

    Writers escape or quote the few ``values`` once, then index them with ``codes``.
    """

    values: tuple
    codes: np.ndarray


class Ids(NamedTuple):
    """A column of identifiers ``prefix + str(number)`` (``c0``, ``c1``, ...)."""

    prefix: str
    numbers: np.ndarray


class Masks(NamedTuple):
    """A column of bitmasks written as the names of their set bits joined by commas."""

    names: tuple
    masks: np.ndarray


def table_rows(columns: list) -> list[list]:
    """Rows of Python values (str, int) from a list of columns: :class:`Text`, :class:`Ids`,
    :class:`Masks`, ``(rows, width)`` uint8 characters, or 1-D integer arrays.

    >>> table_rows([Ids("c", np.array([0, 1])), Text(("x", "y"), np.array([1, 1]))])
    [['c0', 'y'], ['c1', 'y']]
    """
    lists = []
    for col in columns:
        if isinstance(col, Text):
            lists.append(np.asarray(col.values, dtype=object)[col.codes].tolist()
                         if col.values else [""] * len(col.codes))
        elif isinstance(col, Masks):
            lists.append(mask_names(col.masks, col.names).tolist())
        elif isinstance(col, Ids):
            lists.append([f"{col.prefix}{i}" for i in col.numbers.tolist()])
        elif col.ndim == 2:
            lists.append(_chars_to_str(col).tolist())
        else:
            lists.append(col.tolist())
    return [list(r) for r in zip(*lists)]


def mask_text(masks: np.ndarray, names: tuple[str, ...], sep: str = ",") -> Text:
    """:class:`Text` column of the names of the set bits of each bitmask, joined by ``sep``."""
    masks = np.asarray(masks, dtype=np.uint64).ravel()
    uniq, codes = _codes(masks)
    values = tuple(sep.join(names[i] for i in range(len(names)) if (int(m) >> i) & 1)
                   for m in uniq.tolist())
    return Text(values, codes)


def _edges(kernel, states: np.ndarray, update: Update,
           hint: str = _HINT) -> tuple[np.ndarray, np.ndarray]:
    """All transitions leaving ``states`` (no self-loops), as (source, target) state arrays;
    ``hint`` ends the message when they are too many."""
    states = np.asarray(states, dtype=np.uint64)
    if update is Update.SYNCHRONOUS:
        succ = kernel.sync_successors(states).astype(np.uint64)
        moving = succ != states
        return states[moving], succ[moving]
    if update is Update.ASYNCHRONOUS:
        src, dst = kernel.async_successors(states)
        return src.astype(np.uint64), dst.astype(np.uint64)
    if update is Update.GENERAL:
        change = kernel.changeable(states).astype(np.uint64)
        width = np.bitwise_count(change) if hasattr(np, "bitwise_count") else None
        if width is not None and int((np.left_shift(np.uint64(1), width.astype(np.uint64))
                                      - np.uint64(1)).sum()) > EDGE_LIMIT:
            raise StateSpaceTooLarge(len(kernel.names), EDGE_LIMIT, hint,
                                     what="the general asynchronous graph has more than "
                                          f"{EDGE_LIMIT:,} transitions")
        # every non-empty subset of the changeable nodes, by the (sub - 1) & mask walk
        src, dst = [], []
        sub, base = change.copy(), states.copy()
        mask = change.copy()
        while sub.size:
            keep = sub != 0
            sub, base, mask = sub[keep], base[keep], mask[keep]
            src.append(base)
            dst.append(base ^ sub)
            sub = (sub - np.uint64(1)) & mask
        if not src:
            return states[:0], states[:0]
        return np.concatenate(src), np.concatenate(dst)
    raise LogicboneError(f"no explicit state-transition graph for {update.value} update; "
                         "use sync, async or general")


def _reachable(kernel, initial: np.ndarray, update: Update, limit: int,
               hint: str | None = None) -> np.ndarray:
    """The sorted states reachable from ``initial`` (included); guarded by ``limit``, the
    refusal ending with ``hint``."""
    n = len(kernel.names)
    frontier = sorted_unique(np.asarray(initial, dtype=np.uint64))
    if n <= _DENSE_BITS:
        seen = np.zeros(1 << n, dtype=bool)
        seen[frontier] = True
        count = frontier.size
        while frontier.size:
            _, dst = _edges(kernel, frontier, update, hint or _HINT)
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
            _, dst = _edges(kernel, frontier, update, hint or _HINT)
            new = [s for s in sorted_unique(dst).tolist() if s not in seen_set]
            seen_set.update(new)
            frontier = np.asarray(new, dtype=np.uint64)
            if len(seen_set) > limit:
                break
        else:
            return np.sort(np.fromiter(seen_set, dtype=np.uint64, count=len(seen_set)))
    hint = hint or f"{_HINT.split(', or')[0]}, or raise the limit"
    raise StateSpaceTooLarge(n, limit, hint, what=f"more than {limit:,} states are reachable "
                                                  "from the given ones")


def _scc(n_states: int, src: np.ndarray, dst: np.ndarray,
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
        bits = _bits(n_states)
        key = _pair_key(bits, src, dst)
        key.sort()
        indices = (key & ((1 << bits) - 1)).astype(np.int32)
        del key
        indptr = _indptr(src, n_states)
    else:
        indices = dst.astype(np.int32, copy=False)
    graph = csr_matrix((np.ones(indices.size), indices, indptr.astype(np.int32)),
                       shape=(n_states, n_states))
    graph.has_sorted_indices = True
    count, labels = connected_components(graph, directed=True, connection="strong")
    return int(count), labels


def _bits(count: int) -> int:
    """Bits that hold the numbers ``0 .. count - 1``."""
    return max(1, (count - 1).bit_length())


def _pair_key(bits: int, cs: np.ndarray, cd: np.ndarray) -> np.ndarray:
    """``cs << bits | cd`` as int64 (``cd < 2**bits``): sorting the keys sorts the pairs by
    (cs, cd)."""
    key = cs.astype(np.int64)
    key <<= bits
    key |= cd
    return key


def _reach_sets(count: int, csrc: np.ndarray, cdst: np.ndarray, sinks: np.ndarray,
                method: str = "auto") -> np.ndarray:
    """Per component, the bitset (uint64 words) of the sink components it reaches.

    ``csrc -> cdst`` are the distinct edges of the (acyclic) condensation; ``sinks[k]`` is the
    component of attractor ``k``. Every component reaches some sink, so with one sink all reach
    it. ``method="search"``: one breadth-first search backwards from each sink
    (:func:`scipy.sparse.csgraph.breadth_first_order`), the fastest for a few sinks;
    ``"levels"``: propagation backwards level by level from the sinks (Kahn's order), each level
    a handful of array operations over the edges into it, whatever the number of sinks.
    ``"auto"`` searches for up to ``_SEARCH_SINKS`` sinks.
    """
    words = max(1, (sinks.size + 63) // 64)
    reach = np.zeros((words, count), dtype=np.uint64)  # one contiguous row per word
    if method == "auto":
        if sinks.size == 1:
            reach[0] = 1
            return np.ascontiguousarray(reach.T)
        method = "search" if sinks.size <= _SEARCH_SINKS else "levels"
    if method == "search":
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import breadth_first_order

        back = csr_matrix((np.ones(csrc.size), (cdst, csrc)), shape=(count, count))
        for k, sink in enumerate(sinks.tolist()):
            found = breadth_first_order(back, sink, directed=True, return_predecessors=False)
            reach[k // 64, found] |= np.uint64(1 << (k % 64))
        return np.ascontiguousarray(reach.T)
    k = np.arange(sinks.size)
    reach[k // 64, sinks] |= np.left_shift(np.uint64(1), (k % 64).astype(np.uint64))
    if csrc.size == 0:
        return np.ascontiguousarray(reach.T)
    outdeg = np.bincount(csrc, minlength=count)
    # predecessors grouped by target: sort the edges by (cdst, csrc) in one key
    bits = _bits(count)
    by_dst = _pair_key(bits, cdst, csrc)
    by_dst.sort()
    pred = by_dst & ((1 << bits) - 1)
    indptr = _indptr(cdst, count)
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


def _indptr(rows: np.ndarray, count: int) -> np.ndarray:
    """CSR row pointers of edges sorted by row: ``indptr[r] .. indptr[r + 1]`` are row r's."""
    return _indptr_of_counts(np.bincount(rows, minlength=count))


def _indptr_of_counts(counts: np.ndarray) -> np.ndarray:
    """CSR row pointers from the number of entries of each row."""
    indptr = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr


def _reach_codes(reach: np.ndarray, n_attr: int) -> Text:
    """``"0,2"`` per row of a bitset array, as a :class:`Text` column."""
    if reach.shape[1] == 1:
        uniq, codes = _codes(reach[:, 0])
        rows = [[int(w)] for w in uniq.tolist()]
    else:
        uniq, codes = np.unique(reach, axis=0, return_inverse=True)
        codes = codes.reshape(-1)
        rows = [[int(w) for w in row] for row in uniq.tolist()]
    text = tuple(",".join(str(k) for k in range(n_attr) if (row[k // 64] >> (k % 64)) & 1)
                 for row in rows)
    return Text(text, codes)


def _attractors(count: int, cs: np.ndarray, first: np.ndarray):
    """Terminal components (no edge ``cs`` leaves them) numbered in the order of ``first``:
    (sink components in attractor order, attractor index per component or -1)."""
    terminal = np.ones(count, dtype=bool)
    terminal[cs] = False
    sinks = np.flatnonzero(terminal)
    sinks = sinks[np.argsort(first[sinks], kind="stable")]
    comp_attr = np.full(count, -1, dtype=np.int64)
    comp_attr[sinks] = np.arange(sinks.size)
    return sinks, comp_attr


def _first_index(count: int, labels: np.ndarray) -> np.ndarray:
    """Per component, the smallest index of its members."""
    first = np.full(count, labels.size, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(labels.size, dtype=np.int64))
    return first


def _attr_name(name: str, reserved: set[str]) -> str:
    return f"node_{name}" if name in reserved else name


# ---------------------------------------------------------------- the explicit STG

@dataclass(frozen=True, eq=False)
class StateTransitionGraph:
    """An explicit state-transition graph with its attractors.

    Attributes
    ----------
    names : tuple of str
        The network's nodes (bit order of the states).
    update : Update
    states : ndarray of uint64
        The states of the graph, sorted (all ``2**n``, or those reachable from the start).
    src, dst : ndarray of int64
        Edges as indices into ``states``.
    labels : ndarray of int64
        Strong component of each state.
    attractor : ndarray of int64
        Per state, the index of its attractor, or -1 for a transient state.
    reach : ndarray of uint64, shape (n_states, words)
        Per state, the bitset of the attractors it can reach.
    """

    names: tuple[str, ...]
    update: Update
    states: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    labels: np.ndarray
    attractor: np.ndarray
    reach: np.ndarray
    n_attractors: int
    model: str = ""

    @property
    def n_states(self) -> int:
        return int(self.states.size)

    @property
    def n_edges(self) -> int:
        return int(self.src.size)

    def attractor_states(self, k: int) -> np.ndarray:
        """The states of attractor ``k``, sorted."""
        return self.states[self.attractor == k]

    def reaches(self, k: int) -> np.ndarray:
        """Boolean mask of the states that can reach attractor ``k``."""
        return ((self.reach[:, k // 64] >> np.uint64(k % 64)) & np.uint64(1)).astype(bool)

    def attractor_result(self) -> AttractorResult:
        """The attractors as an :class:`~logicbone.analysis.results.AttractorResult`."""
        n = len(self.names)
        out = []
        for k in range(self.n_attractors):
            members = [int(s) for s in self.attractor_states(k)]
            if len(members) == 1:
                kind = "fixed_point"
            else:
                kind = "cycle" if self.update is Update.SYNCHRONOUS else "complex"
            if kind == "cycle":  # in update order, from the smallest state
                nxt = {int(self.states[a]): int(self.states[b])
                       for a, b in zip(self.src, self.dst) if self.attractor[a] == k}
                cyc, s = [members[0]], nxt[members[0]]
                while s != members[0]:
                    cyc.append(s)
                    s = nxt[s]
                members = cyc
            out.append(Attractor(kind, len(members), subspace_of(members, n), tuple(members)))
        return AttractorResult(self.model, self.names, self.update.value, "stg", True, tuple(out))

    # ------------------------------------------------------------ records
    @cached_property
    def _reach_by_component(self) -> Text:
        count = int(self.labels.max()) + 1 if self.labels.size else 0
        return _reach_codes(self.reach[_first_index(count, self.labels)], self.n_attractors)

    def node_columns(self) -> list[str]:
        """Column names of :meth:`node_rows`: ``state``, one per model node, ``attractor``,
        ``reaches``."""
        reserved = {"state", "attractor", "reaches", "label", "id"}
        return ["state", *(_attr_name(n, reserved) for n in self.names), "attractor", "reaches"]

    def edge_columns(self) -> list[str]:
        """Column names of :meth:`edge_rows`."""
        return ["source", "target", "changed"]

    def node_table(self, chunk: int = 1 << 16):
        """The node records as columns, in chunks: per chunk a list (one entry per
        :meth:`node_columns`) of a ``(rows, width)`` uint8 array of characters (the state),
        integer arrays (the bits, ``attractor``) and a :class:`Text` column (``reaches``)."""
        n = len(self.names)
        reach = self._reach_by_component
        for start in range(0, self.n_states, chunk):
            stop = min(self.n_states, start + chunk)
            chars = state_chars(self.states[start:stop], n)
            bits = chars - np.uint8(ord("0"))
            yield [chars, *(bits[:, i] for i in range(n)), self.attractor[start:stop],
                   Text(reach.values, reach.codes[self.labels[start:stop]])]

    def edge_table(self, chunk: int = 1 << 18):
        """The edge records as columns, in chunks: source and target states (characters) and
        ``changed`` (:class:`Masks`)."""
        n = len(self.names)
        for start in range(0, self.n_edges, chunk):
            a = self.states[self.src[start:start + chunk]]
            b = self.states[self.dst[start:start + chunk]]
            yield [state_chars(a, n), state_chars(b, n), Masks(self.names, a ^ b)]

    def node_rows(self, chunk: int = 1 << 16):
        """Rows ``[state, bit_0, ..., bit_n-1, attractor, reaches]``, in chunks (lists)."""
        for columns in self.node_table(chunk):
            yield table_rows(columns)

    def edge_rows(self, chunk: int = 1 << 18):
        """Rows ``[source, target, changed]`` (state strings and comma-joined node names)."""
        for columns in self.edge_table(chunk):
            yield table_rows(columns)

    def graph_attributes(self) -> dict:
        return {"model": self.model, "nodes": ",".join(self.names), "update": self.update.value,
                "states": self.n_states, "transitions": self.n_edges,
                "attractors": self.n_attractors}

    def to_networkx(self):
        """A :class:`networkx.DiGraph`: nodes keyed by state string, with the attributes of
        :meth:`node_columns`; edges with ``changed``."""
        import networkx as nx

        g = nx.DiGraph(**self.graph_attributes())
        cols = self.node_columns()
        for rows in self.node_rows():
            g.add_nodes_from((r[0], dict(zip(cols, r))) for r in rows)
        for rows in self.edge_rows():
            g.add_edges_from((a, b, {"changed": c}) for a, b, c in rows)
        return g


def _compile(net: Network):
    from .kernel import compile_network
    return compile_network(net)


def _initial_states(net: Network, initial) -> np.ndarray:
    from ..analysis.results import str_to_state

    out = []
    for s in initial:
        if isinstance(s, str):
            if len(s) != len(net.names) or set(s) - {"0", "1"}:
                raise LogicboneError(f"state '{s}': expected {len(net.names)} characters "
                                     "0/1, one per node in node order")
            s = str_to_state(s)
        out.append(int(s))
    return np.asarray(out, dtype=np.uint64)


def _annotate(names, update, states, src, dst, model) -> StateTransitionGraph:
    count, labels = _scc(states.size, src, dst)
    cs, cd = labels[src], labels[dst]
    cross = cs != cd
    bits = _bits(count)
    pairs = sorted_unique(_pair_key(bits, cs[cross], cd[cross]))
    csrc, cdst = pairs >> bits, pairs & ((1 << bits) - 1)
    # attractors numbered by their smallest state (states are sorted: first occurrence)
    sinks, comp_attr = _attractors(count, csrc, _first_index(count, labels))
    reach_comp = _reach_sets(count, csrc, cdst, sinks)
    return StateTransitionGraph(tuple(names), update, states, src, dst, labels,
                                comp_attr[labels], reach_comp[labels], int(sinks.size), model)


def state_transition_graph(net: Network, update="async", initial=None, *,
                           limit: int = DEFAULT_LIMIT, model: str = "") -> StateTransitionGraph:
    """The explicit state-transition graph of ``net``.

    Parameters
    ----------
    net : Network
    update : Update or {"sync", "async", "general"}
    initial : iterable of int or str, optional
        Start states (ints, or 0/1 strings in node order); only the part of the graph
        reachable from them is built. By default, all ``2**n`` states.
    limit : int
        Size guard: at most this many states (default ``2**20``).
    model : str
        A label stored in the graph attributes.

    Returns
    -------
    StateTransitionGraph

    Raises
    ------
    StateSpaceTooLarge
        Above ``limit`` states; the message names the quotient graph (``--collapse``).

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A\\nB, A")
    >>> stg = lb.state_transition_graph(net, "sync", initial=["10"])
    >>> [lb.state_to_str(int(s), 2) for s in stg.states], stg.n_edges, stg.n_attractors
    (['10', '11'], 1, 1)
    """
    update = Update.parse(update)
    n = len(net.names)
    kernel = _compile(net)
    if initial is not None:
        states = _reachable(kernel, _initial_states(net, initial), update, limit)
    else:
        if (1 << n) > limit:
            raise StateSpaceTooLarge(n, limit, _HINT)
        states = np.arange(1 << n, dtype=np.uint64)
    src_s, dst_s = _edges(kernel, states, update)
    if initial is None:
        src, dst = src_s.astype(np.int64), dst_s.astype(np.int64)
    else:
        src, dst = np.searchsorted(states, src_s), np.searchsorted(states, dst_s)
    log.info("state-transition graph: %d states, %d transitions", states.size, src.size)
    return _annotate(net.names, update, states, src, dst, model)


# ---------------------------------------------------------------- the quotient graph

@dataclass(frozen=True, eq=False)
class QuotientGraph:
    """The STG with each strongly connected component contracted to one node.

    Attributes
    ----------
    names : tuple of str
    update : Update
    size : ndarray of int64
        Number of states of each component.
    representative : ndarray of uint64
        The smallest state of each component.
    fixed_on, varying : ndarray of uint64
        Per component, bitmasks of the nodes ON in all its states and of those that vary.
    subspace : ndarray of str
        Per component, its nodes constant over its states as 0/1, the others ``*``.
    attractor : ndarray of int64
        Per component, its attractor index or -1 (transient).
    reach : ndarray of uint64 (components x words)
        Bitset of the attractors each component reaches.
    src, dst : ndarray of int64
        Edges between components; ``transitions`` counts the STG edges each one stands for and
        ``changed`` the nodes that change along any of them (bitmask).
    """

    names: tuple[str, ...]
    update: Update
    size: np.ndarray
    representative: np.ndarray
    fixed_on: np.ndarray
    varying: np.ndarray
    attractor: np.ndarray
    reach: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    transitions: np.ndarray
    changed: np.ndarray
    n_attractors: int
    n_states: int
    model: str = ""

    @property
    def n_components(self) -> int:
        return int(self.size.size)

    @property
    def n_edges(self) -> int:
        return int(self.src.size)

    @cached_property
    def subspace(self) -> np.ndarray:
        return spaces_to_strings(self.fixed_on, self.varying, len(self.names))

    @cached_property
    def _reach_text(self) -> Text:
        return _reach_codes(self.reach, self.n_attractors)

    def node_columns(self) -> list[str]:
        return ["component", "size", "attractor", "reaches", "subspace", "representative"]

    def edge_columns(self) -> list[str]:
        return ["source", "target", "changed", "transitions"]

    def node_table(self, chunk: int = 1 << 16):
        """The node records as columns, in chunks (see
        :meth:`StateTransitionGraph.node_table`)."""
        n = len(self.names)
        reach = self._reach_text
        for start in range(0, self.n_components, chunk):
            stop = min(self.n_components, start + chunk)
            yield [Ids("c", np.arange(start, stop)), self.size[start:stop],
                   self.attractor[start:stop], Text(reach.values, reach.codes[start:stop]),
                   space_chars(self.fixed_on[start:stop], self.varying[start:stop], n),
                   state_chars(self.representative[start:stop], n)]

    def edge_table(self, chunk: int = 1 << 18):
        """The edge records as columns, in chunks."""
        for start in range(0, self.n_edges, chunk):
            stop = min(self.n_edges, start + chunk)
            yield [Ids("c", self.src[start:stop]), Ids("c", self.dst[start:stop]),
                   Masks(self.names, self.changed[start:stop]),
                   self.transitions[start:stop]]

    def node_rows(self, chunk: int = 1 << 16):
        """Rows ``[component, size, attractor, reaches, subspace, representative]``."""
        for columns in self.node_table(chunk):
            yield table_rows(columns)

    def edge_rows(self, chunk: int = 1 << 18):
        """Rows ``[source, target, changed, transitions]``."""
        for columns in self.edge_table(chunk):
            yield table_rows(columns)

    def graph_attributes(self) -> dict:
        return {"model": self.model, "nodes": ",".join(self.names), "update": self.update.value,
                "states": self.n_states, "components": self.n_components,
                "attractors": self.n_attractors}

    def to_networkx(self):
        """A :class:`networkx.DiGraph` with nodes ``c0, c1, ...`` and the attributes of
        :meth:`node_columns`."""
        import networkx as nx

        g = nx.DiGraph(**self.graph_attributes())
        cols = self.node_columns()
        for rows in self.node_rows():
            g.add_nodes_from((r[0], dict(zip(cols[1:], r[1:]))) for r in rows)
        ecols = self.edge_columns()
        for rows in self.edge_rows():
            g.add_edges_from((r[0], r[1], dict(zip(ecols[2:], r[2:]))) for r in rows)
        return g


def _block_states(n: int, free: list[int], fixed_bits: int) -> np.ndarray:
    """All states with the ``free`` bits enumerated and the others as in ``fixed_bits``,
    sorted (the enumeration index is the rank of the state)."""
    idx = np.arange(1 << len(free), dtype=np.uint64)
    out = np.full(idx.size, fixed_bits, dtype=np.uint64)
    for lo, hi, at in _runs(free):
        out |= (idx >> np.uint64(at) & np.uint64((1 << (hi - lo)) - 1)) << np.uint64(lo)
    return out


def _runs(positions: list[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of consecutive bit positions: (first, past-the-end, rank of first)."""
    runs, at = [], 0
    for p in sorted(positions):
        if runs and runs[-1][1] == p:
            runs[-1][1] = p + 1
        else:
            runs.append([p, p + 1, at])
        at += 1
    return [tuple(r) for r in runs]


def _block_rank(states: np.ndarray, free: list[int]) -> np.ndarray:
    """The index of each state within its block (its free bits packed together)."""
    out = np.zeros(states.size, dtype=np.int64)
    for lo, hi, at in _runs(free):
        part = (states >> np.uint64(lo)) & np.uint64((1 << (hi - lo)) - 1)
        out |= part.astype(np.int64) << at
    return out


def _block_edges(kernel, states: np.ndarray, update: Update, free: list[int]) -> tuple:
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
        total = int(np.bitwise_count(change).sum()) if hasattr(np, "bitwise_count") else \
            sum(int(np.count_nonzero(change & dt(1 << i))) for i in free)
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
        src = np.flatnonzero(moving)
        del narrow
        succ = succ[src].astype(np.uint64)
        return (src, _block_rank(succ, free), states[src] ^ succ,
                _indptr_of_counts(moving.astype(np.int64)))
    src_s, dst_s = _edges(kernel, states, update, _BLOCK_HINT)
    return _block_rank(src_s, free), _block_rank(dst_s, free), src_s ^ dst_s, None


def _block_quotient(states: np.ndarray, src: np.ndarray, dst: np.ndarray,
                    moved: np.ndarray, indptr: np.ndarray | None = None) -> tuple:
    """The quotient arrays of one block: ``states`` sorted, edges ``src -> dst`` as indices
    into them, ``moved`` the nodes flipped along each edge (bitmask); ``indptr`` when they are
    in CSR order (see :func:`_block_edges`).

    Returns per component: size, smallest state, AND and OR of its states, attractor index
    (or -1), reach bitsets; per quotient edge (sorted by source, then target): source, target,
    number of STG edges, OR of their ``moved``; and the number of attractors.
    """
    count, labels = _scc(states.size, src, dst, indptr)
    cs, cd = labels[src], labels[dst]
    cross = cs != cd
    cs, cd, moved = cs[cross], cd[cross], moved[cross]
    del cross
    size = np.bincount(labels, minlength=count).astype(np.int64)
    rep = np.full(count, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(rep, labels, states)
    all_and = np.full(count, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.bitwise_and.at(all_and, labels, states)
    any_or = np.zeros(count, dtype=np.uint64)
    np.bitwise_or.at(any_or, labels, states)
    # the edges between components, grouped by (source, target) with one sort
    cbits = _bits(count)
    mbits = int(np.bitwise_or.reduce(moved)).bit_length() if moved.size else 0
    if 2 * cbits + mbits <= _KEY_BITS:  # one packed uint64 key: source, target, moved
        key = ((cs.astype(np.uint64) << np.uint64(cbits + mbits))
               | (cd.astype(np.uint64) << np.uint64(mbits)) | moved)
        key.sort()
        pair = key >> np.uint64(mbits)
        moved = key & np.uint64((1 << mbits) - 1)
        del key
    else:
        order = np.argsort(_pair_key(cbits, cs, cd), kind="stable")
        pair = (cs[order].astype(np.uint64) << np.uint64(cbits)) | cd[order].astype(np.uint64)
        moved = moved[order]
    starts = _group_starts(pair)
    pair = pair[starts]
    es = (pair >> np.uint64(cbits)).astype(np.int64)
    ed = (pair & np.uint64((1 << cbits) - 1)).astype(np.int64)
    ecount = np.diff(np.append(starts, moved.size))
    changed = np.bitwise_or.reduceat(moved, starts) if starts.size else moved[:0]
    # attractors numbered by their smallest state; reach of each component
    sinks, attractor = _attractors(count, es, rep)
    reach = _reach_sets(count, es, ed, sinks)
    return (size, rep, all_and, any_or, attractor, reach, es, ed, ecount, changed,
            int(sinks.size))


def stg_quotient(net: Network, update="async", initial=None, *,
                 block_limit: int = DEFAULT_BLOCK_LIMIT, model: str = "") -> QuotientGraph:
    """The quotient of the STG by its strongly connected components.

    Attractors (terminal components) and transient components become nodes with their sizes.
    Inputs never change, so the STG falls apart into one block per assignment of the inputs;
    the blocks are built one at a time, each guarded by ``block_limit`` states, which takes the
    quotient far beyond the size guard of :func:`state_transition_graph`. Each block costs a
    few whole-array passes: the strong components (:mod:`scipy.sparse.csgraph`), one sort of
    the edges between components, and a backward sweep over the condensation, level by level,
    for the attractors each component reaches.

    Parameters
    ----------
    net : Network
    update : Update or {"sync", "async", "general"}
    initial : iterable of int or str, optional
        Only the part reachable from these states (guarded by ``block_limit`` in total).
    block_limit : int
        At most this many states per block.

    Returns
    -------
    QuotientGraph

    Raises
    ------
    StateSpaceTooLarge
        When a block has more than ``block_limit`` states.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("I, I\\nA, !B | I\\nB, A")
    >>> q = lb.stg_quotient(net, "async")
    >>> q.n_states, q.n_components, q.n_attractors
    (8, 5, 2)
    >>> q.subspace.tolist(), q.size.tolist(), q.attractor.tolist()
    (['0**', '111', '110', '100', '101'], [4, 1, 1, 1, 1], [0, 1, -1, -1, -1])
    """
    update = Update.parse(update)
    n = len(net.names)
    kernel = _compile(net)
    free = None
    if initial is not None:
        states = _reachable(kernel, _initial_states(net, initial), update, block_limit,
                            "fix inputs or nodes (--inputs, --fix)")
        blocks = [states]
    else:
        inputs = [net.index(x) for x in net.inputs]
        free = [i for i in range(n) if i not in set(inputs)]
        if (1 << len(free)) > block_limit:
            raise StateSpaceTooLarge(
                n, block_limit << len(inputs),
                f"each assignment of the {len(inputs)} input(s) leaves 2^{len(free)} states, "
                f"above the block limit of {block_limit:,}; {_BLOCK_HINT}")
        blocks = (_block_states(n, free, sum(1 << inputs[j] for j in range(len(inputs))
                                             if (a >> j) & 1))
                  for a in range(1 << len(inputs)))
    parts, offset, attr_offset, total = [], 0, 0, 0
    for states in blocks:
        if free is None:
            src_s, dst_s = _edges(kernel, states, update, _BLOCK_HINT)
            moved = src_s ^ dst_s
            src, dst = np.searchsorted(states, src_s), np.searchsorted(states, dst_s)
            del src_s, dst_s
            indptr = None
        else:  # all states of the block, in rank order
            src, dst, moved, indptr = _block_edges(kernel, states, update, free)
        log.debug("quotient block: %d states, %d transitions", states.size, src.size)
        (size, rep, a_and, a_or, attr, reach, es, ed, ecount, changed,
         n_attr) = _block_quotient(states, src, dst, moved, indptr)
        del src, dst, moved
        attr[attr >= 0] += attr_offset
        es += offset  # component numbers of the whole graph
        ed += offset
        parts.append((size, rep, a_and, a_or, attr, reach, attr_offset, n_attr,
                      es, ed, ecount, changed))
        offset += size.size
        attr_offset += n_attr
        total += states.size
    n_attr = attr_offset
    words = max(1, (n_attr + 63) // 64)
    reach_all = []
    for size, _, _, _, _, reach, a_off, a_n, *_ in parts:
        if words == 1:  # shift the block's attractor bits to their global positions
            out = (reach[:, :1] << np.uint64(a_off)) if a_n else np.zeros((size.size, 1),
                                                                           dtype=np.uint64)
        else:
            out = np.zeros((size.size, words), dtype=np.uint64)
            for k in range(a_n):
                bit = (reach[:, k // 64] >> np.uint64(k % 64)) & np.uint64(1)
                g = a_off + k
                out[:, g // 64] |= bit << np.uint64(g % 64)
        reach_all.append(out)

    def cat(i, dtype):
        arrays = [p[i] for p in parts]
        if len(arrays) == 1:
            return arrays[0].astype(dtype, copy=False)
        return np.concatenate(arrays).astype(dtype, copy=False) if arrays else \
            np.zeros(0, dtype=dtype)

    a_and, a_or = cat(2, np.uint64), cat(3, np.uint64)
    log.info("quotient graph: %d states, %d components, %d attractors", total, offset, n_attr)
    return QuotientGraph(tuple(net.names), update, cat(0, np.int64), cat(1, np.uint64), a_and,
                         a_and ^ a_or, cat(4, np.int64),
                         np.concatenate(reach_all) if reach_all else
                         np.zeros((0, words), dtype=np.uint64),
                         cat(8, np.int64), cat(9, np.int64), cat(10, np.int64), cat(11, np.uint64),
                         n_attr, total, model)
