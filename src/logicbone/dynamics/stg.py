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

import numpy as np

from ..analysis.results import Attractor, AttractorResult, state_to_str, subspace_of
from ..errors import LogicboneError, StateSpaceTooLarge
from ..network import Network
from .update import Update

__all__ = ["StateTransitionGraph", "QuotientGraph", "state_transition_graph", "stg_quotient",
           "DEFAULT_LIMIT", "states_to_strings", "spaces_to_strings"]

log = logging.getLogger(__name__)

#: default size guard of the explicit STG (number of states)
DEFAULT_LIMIT = 1 << 20
#: states per block of the quotient graph (one block per assignment of the inputs)
DEFAULT_BLOCK_LIMIT = 1 << 22
#: guard on the number of edges of the general asynchronous STG
EDGE_LIMIT = 1 << 26
#: below this many nodes, reachability marks visited states in a dense bitmap
_DENSE_BITS = 26

_HINT = ("export the quotient graph of its strongly connected components instead (--collapse, "
         "stg_quotient), or only the part reachable from given states (--from)")


# ---------------------------------------------------------------- helpers on state batches

def states_to_strings(states: np.ndarray, n: int) -> np.ndarray:
    """``"0101..."`` strings (character i = bit i) of a batch of states, as a numpy str array.

    >>> states_to_strings(np.array([1, 6], dtype=np.uint64), 3).tolist()
    ['100', '011']
    """
    states = np.asarray(states, dtype=np.uint64)
    if n == 0:
        return np.full(states.shape, "", dtype="<U1")
    bits = ((states[:, None] >> np.arange(n, dtype=np.uint64)) & np.uint64(1)).astype(np.uint8)
    chars = (bits + ord("0")).astype(np.uint32)
    return np.ascontiguousarray(chars).view(f"<U{n}").ravel()


def mask_names(masks: np.ndarray, names: tuple[str, ...], sep: str = ",") -> np.ndarray:
    """For each bitmask, the names of its set bits joined by ``sep`` (object array)."""
    masks = np.asarray(masks, dtype=np.uint64)
    uniq, inv = np.unique(masks, return_inverse=True)
    text = [sep.join(names[i] for i in range(len(names)) if (int(m) >> i) & 1) for m in uniq]
    return np.asarray(text, dtype=object)[inv.reshape(masks.shape)]


def _edges(kernel, states: np.ndarray, update: Update) -> tuple[np.ndarray, np.ndarray]:
    """All transitions leaving ``states`` (no self-loops), as (source, target) state arrays."""
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
            raise StateSpaceTooLarge(len(kernel.names), EDGE_LIMIT,
                                     f"the general asynchronous graph has more than "
                                     f"{EDGE_LIMIT:,} transitions; {_HINT}")
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


def _reachable(kernel, initial: np.ndarray, update: Update, limit: int) -> np.ndarray:
    """The sorted states reachable from ``initial`` (included); guarded by ``limit``."""
    n = len(kernel.names)
    frontier = np.unique(np.asarray(initial, dtype=np.uint64))
    if n <= _DENSE_BITS:
        seen = np.zeros(1 << n, dtype=bool)
        seen[frontier] = True
        count = frontier.size
        while frontier.size:
            _, dst = _edges(kernel, frontier, update)
            dst = np.unique(dst)
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
            _, dst = _edges(kernel, frontier, update)
            new = [s for s in np.unique(dst).tolist() if s not in seen_set]
            seen_set.update(new)
            frontier = np.asarray(new, dtype=np.uint64)
            if len(seen_set) > limit:
                break
        else:
            return np.sort(np.fromiter(seen_set, dtype=np.uint64, count=len(seen_set)))
    raise StateSpaceTooLarge(n, limit, f"more than {limit:,} states are reachable from the "
                             f"given ones; {_HINT.split(', or')[0]}, or raise the limit")


def _scc(n_states: int, src: np.ndarray, dst: np.ndarray):
    """Strong components: (number, label per state, is-terminal per component)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    graph = csr_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n_states, n_states))
    count, labels = connected_components(graph, directed=True, connection="strong")
    cs, cd = labels[src], labels[dst]
    terminal = np.ones(count, dtype=bool)
    terminal[cs[cs != cd]] = False
    return count, labels, terminal


def _reach_sets(count: int, csrc: np.ndarray, cdst: np.ndarray, sinks: np.ndarray) -> np.ndarray:
    """Per component, the bitset (uint64 words) of the sink components it reaches.

    ``csrc -> cdst`` are the edges of the (acyclic) condensation; ``sinks[k]`` is the component
    of attractor ``k``. Propagates backwards level by level from the sinks (Kahn's order).
    """
    words = max(1, (sinks.size + 63) // 64)
    reach = np.zeros((count, words), dtype=np.uint64)
    k = np.arange(sinks.size)
    reach[sinks, k // 64] |= np.left_shift(np.uint64(1), (k % 64).astype(np.uint64))
    if csrc.size == 0:
        return reach
    outdeg = np.bincount(csrc, minlength=count)
    order = np.argsort(cdst, kind="stable")
    pred, by_dst = csrc[order], cdst[order]
    indptr = np.searchsorted(by_dst, np.arange(count + 1))
    frontier = np.flatnonzero(outdeg == 0)
    while frontier.size:
        starts, lens = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        total = int(lens.sum())
        if total == 0:
            break
        offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
        p, f = pred[offsets], by_dst[offsets]
        for w in range(words):
            np.bitwise_or.at(reach[:, w], p, reach[f, w])
        np.subtract.at(outdeg, p, 1)
        frontier = np.unique(p[outdeg[p] == 0])
    return reach


def _reach_text(reach: np.ndarray, n_attr: int) -> np.ndarray:
    """``"0,2"`` per row of a bitset array (object array)."""
    if reach.shape[0] == 0:
        return np.zeros(0, dtype=object)
    uniq, inv = np.unique(reach, axis=0, return_inverse=True)
    text = [",".join(str(k) for k in range(n_attr) if (int(row[k // 64]) >> (k % 64)) & 1)
            for row in uniq]
    return np.asarray(text, dtype=object)[inv.reshape(-1)]


def spaces_to_strings(on: np.ndarray, free: np.ndarray, n: int) -> np.ndarray:
    """Subspace strings (``0``, ``1``, ``*`` per node) from bitmasks of ON and of free nodes.

    >>> spaces_to_strings(np.array([1], dtype=np.uint64), np.array([4], dtype=np.uint64), 3)
    array(['10*'], dtype='<U3')
    """
    on, free = np.asarray(on, dtype=np.uint64), np.asarray(free, dtype=np.uint64)
    if n == 0:
        return np.full(on.shape, "", dtype="<U1")
    shifts = np.arange(n, dtype=np.uint64)
    bit_on = ((on[:, None] >> shifts) & np.uint64(1)).astype(bool)
    bit_free = ((free[:, None] >> shifts) & np.uint64(1)).astype(bool)
    chars = np.where(bit_free, ord("*"), np.where(bit_on, ord("1"), ord("0"))).astype(np.uint32)
    return np.ascontiguousarray(chars).view(f"<U{n}").ravel()


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
    def _reach_strings(self) -> np.ndarray:
        count = int(self.labels.max()) + 1 if self.labels.size else 0
        first = np.full(count, -1, dtype=np.int64)
        first[self.labels[::-1]] = np.arange(self.labels.size)[::-1]
        return _reach_text(self.reach[first], self.n_attractors)

    def node_columns(self) -> list[str]:
        """Column names of :meth:`node_rows`: ``state``, one per model node, ``attractor``,
        ``reaches``."""
        reserved = {"state", "attractor", "reaches", "label", "id"}
        return ["state", *(_attr_name(n, reserved) for n in self.names), "attractor", "reaches"]

    def node_rows(self, chunk: int = 1 << 16):
        """Rows ``[state, bit_0, ..., bit_n-1, attractor, reaches]``, in chunks (lists)."""
        n = len(self.names)
        for start in range(0, self.n_states, chunk):
            s = self.states[start:start + chunk]
            text = states_to_strings(s, n)
            bits = ((s[:, None] >> np.arange(n, dtype=np.uint64)) & np.uint64(1)).astype(np.int8)
            attr = self.attractor[start:start + chunk]
            reach = self._reach_strings[self.labels[start:start + chunk]]
            yield [[t, *b, int(a), r] for t, b, a, r in
                   zip(text.tolist(), bits.tolist(), attr.tolist(), reach.tolist())]

    def edge_rows(self, chunk: int = 1 << 18):
        """Rows ``[source, target, changed]`` (state strings and comma-joined node names)."""
        n = len(self.names)
        for start in range(0, self.n_edges, chunk):
            a = self.states[self.src[start:start + chunk]]
            b = self.states[self.dst[start:start + chunk]]
            changed = mask_names(a ^ b, self.names)
            yield [list(r) for r in zip(states_to_strings(a, n).tolist(),
                                        states_to_strings(b, n).tolist(), changed.tolist())]

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
    count, labels, terminal = _scc(states.size, src, dst)
    sink_comps = np.flatnonzero(terminal)
    # number the attractors by their smallest state (states are sorted: first occurrence)
    first = np.full(count, states.size, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(states.size))
    sink_comps = sink_comps[np.argsort(first[sink_comps])]
    comp_attr = np.full(count, -1, dtype=np.int64)
    comp_attr[sink_comps] = np.arange(sink_comps.size)
    cs, cd = labels[src], labels[dst]
    cross = cs != cd
    pairs = np.unique(np.stack([cs[cross], cd[cross]]), axis=1) if cross.any() else \
        np.zeros((2, 0), dtype=np.int64)
    reach_comp = _reach_sets(count, pairs[0], pairs[1], sink_comps)
    return StateTransitionGraph(tuple(names), update, states, src, dst, labels,
                                comp_attr[labels], reach_comp[labels], int(sink_comps.size),
                                model)


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
    subspace: np.ndarray
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

    def node_columns(self) -> list[str]:
        return ["component", "size", "attractor", "reaches", "subspace", "representative"]

    def node_rows(self, chunk: int = 1 << 16):
        n = len(self.names)
        reach = _reach_text(self.reach, self.n_attractors)
        for start in range(0, self.n_components, chunk):
            stop = min(self.n_components, start + chunk)
            rep = states_to_strings(self.representative[start:stop], n).tolist()
            sub = self.subspace[start:stop].tolist()
            yield [[f"c{i}", int(self.size[i]), int(self.attractor[i]), reach[i],
                    sub[i - start], rep[i - start]] for i in range(start, stop)]

    def edge_rows(self, chunk: int = 1 << 18):
        for start in range(0, self.n_edges, chunk):
            stop = min(self.n_edges, start + chunk)
            names = mask_names(self.changed[start:stop], self.names).tolist()
            yield [[f"c{int(a)}", f"c{int(b)}", c, int(t)] for a, b, c, t in
                   zip(self.src[start:stop], self.dst[start:stop], names,
                       self.transitions[start:stop])]

    def edge_columns(self) -> list[str]:
        return ["source", "target", "changed", "transitions"]

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
    """All states with the ``free`` bits enumerated and the others as in ``fixed_bits``."""
    idx = np.arange(1 << len(free), dtype=np.uint64)
    out = np.full(idx.size, fixed_bits, dtype=np.uint64)
    for j, p in enumerate(free):
        out |= ((idx >> np.uint64(j)) & np.uint64(1)) << np.uint64(p)
    return out


def _quotient_of(stg: StateTransitionGraph) -> tuple:
    """Per-block quotient arrays of an annotated STG (component ids local to the block)."""
    labels = stg.labels
    count = int(labels.max()) + 1 if labels.size else 0
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], np.arange(count))
    members = stg.states[order]
    size = np.bincount(labels, minlength=count)
    all_and = np.bitwise_and.reduceat(members, starts) if count else members[:0]
    any_or = np.bitwise_or.reduceat(members, starts) if count else members[:0]
    rep = np.minimum.reduceat(members, starts) if count else members[:0]
    first = np.zeros(count, dtype=np.int64)
    first[labels[order][::-1]] = order[::-1]
    attractor = stg.attractor[first]
    reach = stg.reach[first]
    cs, cd = labels[stg.src], labels[stg.dst]
    cross = cs != cd
    cs, cd = cs[cross], cd[cross]
    moved = stg.states[stg.src[cross]] ^ stg.states[stg.dst[cross]]
    key = cs.astype(np.int64) * max(count, 1) + cd
    order_e = np.argsort(key, kind="stable")
    key, moved = key[order_e], moved[order_e]
    uniq, estart, ecount = np.unique(key, return_index=True, return_counts=True)
    changed = np.bitwise_or.reduceat(moved, estart) if uniq.size else moved[:0]
    return (size, rep, all_and, any_or, attractor, reach, uniq // max(count, 1),
            uniq % max(count, 1), ecount, changed)


def stg_quotient(net: Network, update="async", initial=None, *,
                 block_limit: int = DEFAULT_BLOCK_LIMIT, model: str = "") -> QuotientGraph:
    """The quotient of the STG by its strongly connected components.

    Attractors (terminal components) and transient components become nodes with their sizes.
    Inputs never change, so the STG falls apart into one block per assignment of the inputs;
    the blocks are built one at a time, each guarded by ``block_limit`` states, which takes the
    quotient far beyond the size guard of :func:`state_transition_graph`.

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
    if initial is not None:
        states = _reachable(kernel, _initial_states(net, initial), update, block_limit)
        blocks = [states]
    else:
        inputs = [net.index(x) for x in net.inputs]
        free = [i for i in range(n) if i not in set(inputs)]
        if (1 << len(free)) > block_limit:
            raise StateSpaceTooLarge(
                n, block_limit << len(inputs),
                f"each assignment of the {len(inputs)} input(s) leaves 2^{len(free)} states, "
                f"above the block limit of {block_limit:,}; fix inputs or nodes (--inputs, "
                "--fix) or start from given states (--from)")
        blocks = (_block_states(n, free, sum(1 << inputs[j] for j in range(len(inputs))
                                             if (a >> j) & 1))
                  for a in range(1 << len(inputs)))
    parts, offset, attr_offset, total = [], 0, 0, 0
    for states in blocks:
        states = np.sort(states)
        src_s, dst_s = _edges(kernel, states, update)
        stg = _annotate(net.names, update, states, np.searchsorted(states, src_s),
                        np.searchsorted(states, dst_s), model)
        size, rep, a_and, a_or, attr, reach, es, ed, ecount, changed = _quotient_of(stg)
        attr = np.where(attr >= 0, attr + attr_offset, -1)
        parts.append((size, rep, a_and, a_or, attr, reach, attr_offset, stg.n_attractors,
                      es + offset, ed + offset, ecount, changed))
        offset += size.size
        attr_offset += stg.n_attractors
        total += states.size
    n_attr = attr_offset
    words = max(1, (n_attr + 63) // 64)
    reach_all = []
    for size, _, _, _, _, reach, a_off, a_n, *_ in parts:
        out = np.zeros((size.size, words), dtype=np.uint64)
        for k in range(a_n):  # shift the block's attractor bits to their global positions
            bit = (reach[:, k // 64] >> np.uint64(k % 64)) & np.uint64(1)
            g = a_off + k
            out[:, g // 64] |= bit << np.uint64(g % 64)
        reach_all.append(out)

    def cat(i, dtype):
        arrays = [p[i] for p in parts]
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)

    a_and, a_or = cat(2, np.uint64), cat(3, np.uint64)
    fixed_on, varying = a_and, a_and ^ a_or
    subspace = spaces_to_strings(fixed_on, varying, n)
    return QuotientGraph(tuple(net.names), update, cat(0, np.int64), cat(1, np.uint64), subspace,
                         cat(4, np.int64), np.concatenate(reach_all) if reach_all else
                         np.zeros((0, words), dtype=np.uint64),
                         cat(8, np.int64), cat(9, np.int64), cat(10, np.int64), cat(11, np.uint64),
                         n_attr, total, model)
