"""Response graphs: where the state goes after a change of condition.

A *response* starts in given states (typically the attractor of one condition, e.g. rest) and
follows the dynamics of another condition (e.g. disuse). :func:`response_graph` builds the
part of the state-transition graph reachable from them, annotated with the distance from the
start and the node that changes along each transition. The start states come from
:func:`logicbone.initial_states` (:mod:`logicbone.analysis.response`, which also summarises
responses too large to enumerate by distance layers).

The reachable states lie in the smallest trap space that holds the start states, so the graph
is built over the nodes free in that trap space only (the others keep their start values):
models larger than the 64 nodes of the explicit engine are fine as long as few nodes move.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("S, S\\nA, S\\nB, A")
>>> lb.initial_states(net, "S=1")
(1,)
>>> g = response_graph(net, lb.initial_states(net, "S=1"), "async")
>>> g.state_strings(), g.distance.tolist(), g.edge_labels()
(['100', '110', '111'], [0, 1, 2], ['A↑', 'B↑'])
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from ..errors import UsageError
from ..network import Network
from ..space import state_chars, subspace_of, trap_closure
from .stg import DEFAULT_LIMIT, StateTransitionGraph
from .update import Update

__all__ = ["response_graph", "ResponseGraph", "CollapsedResponse", "ResponseLayers", "Layer",
           "Changes", "restrict_to_moving", "project_state", "UP", "DOWN"]

log = logging.getLogger(__name__)

#: the arrows of a change: a node switched ON (``Akt↑``) or OFF (``Akt↓``)
UP, DOWN = "\u2191", "\u2193"


# ---------------------------------------------------------------- the response graph

def _moving_nodes(net: Network, starts: Sequence[int]) -> tuple[list[int], int]:
    """The nodes free in the smallest trap space holding ``starts``, and the start values of
    the others (a state with the moving bits 0)."""
    n = len(net.names)
    space = trap_closure(net, subspace_of(starts, n))
    moving = [i for i, c in enumerate(space) if c == "*"]
    base = sum(1 << i for i, c in enumerate(space) if c == "1")
    return moving, base


def _restricted(net: Network, moving: list[int], base: int) -> Network:
    """The network over the ``moving`` nodes, the others replaced by their values in ``base``."""
    from ..expr import substitute

    names = net.names
    keep = {names[i] for i in moving}
    fixed = {n: bool((base >> i) & 1) for i, n in enumerate(names) if n not in keep}
    sub = tuple(names[i] for i in moving)
    return Network(sub, {n: substitute(net.rules[n], fixed) for n in sub}, net.metadata)


def restrict_to_moving(net: Network, starts: Sequence[int]) -> tuple[Network, tuple[int, ...], int]:
    """The network over the nodes that can move from ``starts`` (those free in the smallest
    trap space holding them), the others replaced by their start values.

    Returns
    -------
    (Network, tuple of int, int)
        The smaller network, the index in ``net.names`` of each of its nodes, and the values of
        the other nodes (bit i = ``net.names[i]``).

    Examples
    --------
    >>> import logicbone as lb
    >>> sub, moving, base = restrict_to_moving(lb.parse_bnet("S, S\\nA, S\\nB, A"), [1])
    >>> sub.names, moving, base
    (('A', 'B'), (1, 2), 1)
    """
    moving, base = _moving_nodes(net, starts)
    return _restricted(net, moving, base), tuple(moving), base


def project_state(state: int, moving: Sequence[int]) -> int:
    """``state`` over the ``moving`` nodes only (bit j = node ``moving[j]``)."""
    return sum(1 << j for j, i in enumerate(moving) if (state >> i) & 1)


def response_graph(net: Network, starts: Sequence[int],
                   update: Update | str = Update.ASYNCHRONOUS, *,
                   limit: int = DEFAULT_LIMIT, model: str = "",
                   label: str = "") -> "ResponseGraph":
    """The states reachable from ``starts`` under ``net`` (the new condition).

    Parameters
    ----------
    net : Network
        The network of the new condition (its perturbation applied).
    starts : sequence of int
        Start states (from :func:`initial_states`), any number of nodes.
    update : Update or {"sync", "async", "general"}
    limit : int
        At most this many reachable states.
    model, label : str
        Carried into the graph attributes (e.g. ``label="baseline -> disuse"``).

    Returns
    -------
    ResponseGraph

    Raises
    ------
    UsageError
        Without start states, or when more than 64 nodes move.
    StateSpaceTooLarge
        Above ``limit`` reachable states.
    """
    from .stg import state_transition_graph

    update = Update.parse(update)
    starts = [int(s) for s in starts]
    if not starts:
        raise UsageError("a response graph needs at least one start state")
    moving, base = _moving_nodes(net, starts)
    if len(moving) > 64:
        raise UsageError(f"{len(moving)} nodes can change from the start states, more than the "
                         "64 of the explicit engine; fix inputs or nodes")
    sub = _restricted(net, moving, base)
    sub_starts = sorted({project_state(s, moving) for s in starts})
    graph = state_transition_graph(sub, update, sub_starts, limit=limit, model=model)
    start = np.zeros(graph.n_states, dtype=bool)
    start[np.searchsorted(graph.states, np.asarray(sub_starts, dtype=np.uint64))] = True
    log.info("response graph: %d states, %d moving nodes", graph.n_states, len(moving))
    return ResponseGraph(net.names, update, graph, tuple(moving), base, start, model, label)


class Changes(NamedTuple):
    """The change along each transition of a response graph, drawn from a few distinct ones:
    transition i changes ``values[codes[i]]`` (``Akt↓``, ``A↑ B↓`` when several)."""

    values: tuple[str, ...]
    codes: np.ndarray


@dataclass(frozen=True, eq=False)
class ResponseGraph:
    """The part of a state-transition graph reachable from start states.

    Attributes
    ----------
    names : tuple of str
        All nodes of the network (the order of the state strings).
    update : Update
    graph : StateTransitionGraph
        The graph over the nodes that can move (``graph.names``); the other nodes keep their
        start values throughout.
    moving : tuple of int
        Index in ``names`` of each node of ``graph.names``.
    base : int
        The values of the nodes that do not move (bit i = ``names[i]``; moving bits 0).
    start : ndarray of bool
        Per state (in the order of ``graph.states``), whether it is a start state.
    model, label : str
    """

    names: tuple[str, ...]
    update: Update
    graph: StateTransitionGraph
    moving: tuple[int, ...]
    base: int
    start: np.ndarray
    model: str = ""
    label: str = ""

    # ------------------------------------------------------------ sizes and states
    @property
    def n_states(self) -> int:
        return self.graph.n_states

    @property
    def n_edges(self) -> int:
        return self.graph.n_edges

    @property
    def n_attractors(self) -> int:
        return self.graph.n_attractors

    @property
    def attractor(self) -> np.ndarray:
        """Per state, its attractor index, or -1 for a transient state."""
        return self.graph.attractor

    @cached_property
    def distance(self) -> np.ndarray:
        """Per state, the fewest transitions from a start state."""
        from scipy.sparse import csr_matrix

        g = self.graph
        adj = csr_matrix((np.ones(g.n_edges, dtype=np.int8), (g.src, g.dst)),
                         shape=(g.n_states, g.n_states))
        dist = np.full(g.n_states, -1, dtype=np.int64)
        frontier = np.flatnonzero(self.start)
        dist[frontier] = 0
        level = 0
        while frontier.size:  # breadth-first, one level of states at a time
            level += 1
            nxt = np.unique(adj[frontier].indices)
            frontier = nxt[dist[nxt] < 0]
            dist[frontier] = level
        return dist

    def chars(self, rows: slice | np.ndarray = slice(None)) -> np.ndarray:
        """The full states of ``rows`` as a ``(rows, len(names))`` uint8 array of ``0``/``1``."""
        n = len(self.names)
        sub = self.graph.states[rows]
        out = np.empty((sub.size, n), dtype=np.uint8)
        out[:] = np.frombuffer(bytes("".join("1" if (self.base >> i) & 1 else "0"
                                             for i in range(n)), "ascii"), dtype=np.uint8)
        if self.moving:
            out[:, list(self.moving)] = state_chars(sub, len(self.moving))
        return out

    def state_strings(self) -> list[str]:
        """The full 0/1 string of every state, in order."""
        return [row.tobytes().decode() for row in self.chars()]

    def full_state(self, i: int) -> int:
        """State ``i`` as an int over all nodes."""
        s = int(self.graph.states[i])
        return self.base | sum(1 << k for j, k in enumerate(self.moving) if (s >> j) & 1)

    def values(self, node: str) -> np.ndarray:
        """Per state, the 0/1 value of ``node``."""
        i = self.names.index(node) if node in self.names else -1
        if i < 0:
            from ..errors import UnknownNodeError
            raise UnknownNodeError(node, self.names)
        if i in self.moving:
            j = self.moving.index(i)
            bits: np.ndarray = (self.graph.states >> np.uint64(j)) & np.uint64(1)
            return bits.astype(np.int64)
        return np.full(self.n_states, (self.base >> i) & 1, dtype=np.int64)

    # ------------------------------------------------------------ transitions
    @cached_property
    def changes(self) -> Changes:
        """Per transition, the nodes that change and how, coded (:class:`Changes`)."""
        g = self.graph
        a, b = g.states[g.src], g.states[g.dst]
        flip = a ^ b
        key = np.stack([flip, b & flip], axis=1) if flip.size else np.zeros((0, 2), np.uint64)
        uniq, codes = np.unique(key, axis=0, return_inverse=True)
        sub = g.names
        values = tuple(" ".join(f"{sub[j]}{UP if (int(on) >> j) & 1 else DOWN}"
                                for j in range(len(sub)) if (int(m) >> j) & 1)
                       for m, on in uniq.tolist())
        return Changes(values, np.asarray(codes).reshape(-1))

    def edge_labels(self) -> list[str]:
        """Per transition, the nodes that change and how: ``Akt↓`` (``A↑ B↓`` when several)."""
        t = self.changes
        return [t.values[c] for c in t.codes.tolist()]

    # ------------------------------------------------------------ the SCC quotient
    def collapse(self) -> "CollapsedResponse":
        """The graph with each strongly connected component contracted to one node."""
        g = self.graph
        count = int(g.labels.max()) + 1 if g.labels.size else 0
        labels = g.labels
        size = np.bincount(labels, minlength=count)
        dist = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(dist, labels, self.distance)
        attractor = np.full(count, -1, dtype=np.int64)
        attractor[labels] = g.attractor
        start = np.zeros(count, dtype=bool)
        start[labels[self.start]] = True
        cs, cd = labels[g.src], labels[g.dst]
        cross = cs != cd
        text = self.changes
        pairs: dict[tuple[int, int], set[str]] = {}
        for u, v, c in zip(cs[cross].tolist(), cd[cross].tolist(),
                           text.codes[cross].tolist()):
            pairs.setdefault((u, v), set()).add(text.values[c])
        edges = tuple((u, v, " ".join(sorted(ls))) for (u, v), ls in sorted(pairs.items()))
        return CollapsedResponse(labels, size, dist, attractor, start, edges)

    def layers(self) -> "ResponseLayers":
        """The graph summarised by distance from the start (:class:`ResponseLayers`)."""
        g = self.graph
        dist = self.distance
        text = self.changes
        forward = dist[g.dst] == dist[g.src] + 1
        counts = np.bincount(dist, minlength=int(dist.max()) + 1 if dist.size else 0)
        out: list[Layer] = []
        attr = g.attractor >= 0
        for d, size in enumerate(counts.tolist()):
            here = dist == d
            changes: dict[str, int] = {}
            on_edge = forward & (dist[g.src] == d)
            for code, k in zip(*np.unique(text.codes[on_edge], return_counts=True)):
                label = text.values[int(code)]
                # the number of states of the next layer that the change reaches
                changes[label] = int(np.unique(g.dst[on_edge & (text.codes == code)]).size)
            out.append(Layer(d, int(size), self._on_counts(here), changes,
                             int((here & attr).sum())))
        return ResponseLayers(self.names, self.update, tuple(out), self.n_attractors,
                              self.base, self.moving, self.model, self.label)

    def _on_counts(self, rows: np.ndarray) -> dict[str, int]:
        """Per moving node, how many of the states ``rows`` have it ON."""
        sub = self.graph.states[rows]
        return {name: int(((sub >> np.uint64(j)) & np.uint64(1)).sum())
                for j, name in enumerate(self.graph.names)}

    def graph_attributes(self) -> dict[str, Any]:
        """The attributes of the graph itself (as the writers and networkx take them)."""
        attrs = self.graph.graph_attributes()
        attrs["nodes"] = ",".join(self.names)
        attrs["moving"] = ",".join(self.graph.names)
        attrs["starts"] = int(self.start.sum())
        if self.label:
            attrs["response"] = self.label
        return attrs


@dataclass(frozen=True, eq=False)
class CollapsedResponse:
    """A response graph with its strongly connected components contracted.

    Attributes
    ----------
    component : ndarray of int64
        Per state of the response graph, its component.
    size, distance, attractor : ndarray of int64
        Per component: number of states, fewest transitions from a start, attractor index
        (-1: transient).
    start : ndarray of bool
        Per component, whether it holds a start state.
    edges : tuple of (int, int, str)
        Distinct edges between components, with the changes along them (``Akt↓ FOXO↑``).
    """

    component: np.ndarray
    size: np.ndarray
    distance: np.ndarray
    attractor: np.ndarray
    start: np.ndarray
    edges: tuple[tuple[int, int, str], ...]

    @property
    def n_components(self) -> int:
        return int(self.size.size)


# ---------------------------------------------------------------- by layers, at any size

@dataclass(frozen=True)
class Layer:
    """The states at one distance from the start.

    Attributes
    ----------
    distance : int
        Fewest transitions from a start state.
    size : int
        Number of states.
    on : dict name -> int
        Per node that can move (of the readouts asked for, on BDDs), how many of the states
        have it ON.
    changes : dict label -> int
        The changes that lead on to the next layer (``Akt↓``), each with the number of states
        of the next layer it reaches.
    attractor_states : int
        How many of the states lie in an attractor.
    """

    distance: int
    size: int
    on: dict[str, int]
    changes: dict[str, int]
    attractor_states: int


@dataclass(frozen=True, eq=False)
class ResponseLayers:
    """A response summarised by distance from the start: what a graph of millions of states
    shows when drawn by layers.

    Attributes
    ----------
    names : tuple of str
        All nodes of the network.
    update : Update
    layers : tuple of Layer
    n_attractors : int
        Attractors reachable from the start.
    base : int
        Values of the nodes that do not move (bit i = ``names[i]``).
    moving : tuple of int
        Index in ``names`` of the nodes that can move.
    model, label : str
    """

    names: tuple[str, ...]
    update: Update
    layers: tuple[Layer, ...]
    n_attractors: int
    base: int
    moving: tuple[int, ...]
    model: str = ""
    label: str = ""

    @property
    def n_states(self) -> int:
        return sum(layer.size for layer in self.layers)

    def fraction_on(self, node: str) -> list[float]:
        """Per layer, the fraction of its states with ``node`` ON."""
        if node not in self.names:
            from ..errors import UnknownNodeError
            raise UnknownNodeError(node, self.names)
        i = self.names.index(node)
        if i not in self.moving:
            return [float((self.base >> i) & 1)] * len(self.layers)
        if any(node not in layer.on for layer in self.layers):
            raise UsageError(f"the layers do not count the states with {node} ON; ask for it "
                             "among the readouts")
        return [layer.on[node] / layer.size for layer in self.layers]

    def first_changes(self) -> list[list[str]]:
        """Per layer, the changes that appear there for the first time (the order in which
        the signal travels)."""
        seen: set[str] = set()
        out = []
        for layer in self.layers:
            new = [c for c in layer.changes if c not in seen]
            seen.update(new)
            out.append(new)
        return out
