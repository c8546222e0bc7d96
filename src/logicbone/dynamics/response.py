"""Start states and response graphs: where the state goes after a change of condition.

A *response* starts in given states (typically the attractor of one condition, e.g. rest) and
follows the dynamics of another condition (e.g. disuse). :func:`initial_states` reads the start
the way every command takes it; :func:`response_graph` builds the part of the state-transition
graph reachable from it, annotated with the distance from the start and the node that changes
along each transition.

The start, in :func:`initial_states`:

* a full state string (``0101...``, one 0/1 per node in node order) is taken as it is;
* a partial assignment ``A=1,B=0`` sets those nodes; every node it does not name takes its
  value in the start condition's attractor when one is given (``condition``), else 0;
* a start condition alone gives the states of its attractors;
* in every case the nodes that the new condition clamps (``clamps``) start at their clamped
  values: the change of condition is instantaneous.

The reachable states lie in the smallest trap space that holds the start states, so the graph
is built over the nodes free in that trap space only (the others keep their start values):
models larger than the 64 nodes of the explicit engine are fine as long as few nodes move.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("S, S\\nA, S\\nB, A")
>>> initial_states(net, "S=1")
(1,)
>>> g = response_graph(net, initial_states(net, "S=1"), "async")
>>> g.state_strings(), g.distance.tolist(), g.edge_labels()
(['100', '110', '111'], [0, 1, 2], ['A↑', 'B↑'])
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import UsageError
from ..network import Network
from .stg import DEFAULT_LIMIT, Masks, StateTransitionGraph, Text, state_chars
from .update import Update

__all__ = ["initial_states", "response_graph", "ResponseGraph", "CollapsedResponse",
           "response_layers", "ResponseLayers", "Layer", "restrict_to_moving", "MAX_START_STATES"]

log = logging.getLogger(__name__)

#: most start states a condition's attractors may give
MAX_START_STATES = 1 << 12

_UP, _DOWN = "\u2191", "\u2193"


def _parse_one(text: str, names: tuple[str, ...]) -> tuple[int | None, dict[str, int]]:
    """``(full state, {})`` for a 0/1 string of every node, ``(None, assignments)`` otherwise."""
    from ..perturb import parse_assignments

    text = text.strip()
    if text and set(text) <= {"0", "1"}:
        if len(text) != len(names):
            raise UsageError(f"start state '{text}' has {len(text)} characters; the network "
                             f"has {len(names)} nodes (one 0/1 per node in node order, or "
                             "NODE=0/1 assignments)")
        return sum(1 << i for i, c in enumerate(text) if c == "1"), {}
    return None, parse_assignments(text)


def _set(state: int, index: Mapping[str, int], values: Mapping[str, int]) -> int:
    for name, v in values.items():
        bit = 1 << index[name]
        state = (state | bit) if v else (state & ~bit)
    return state


def initial_states(net: Network, spec: str | Sequence[str] = (), *,
                   condition: str | None = None, scenarios: Mapping | None = None,
                   clamps: Mapping[str, int] | None = None,
                   update: Update | str = Update.ASYNCHRONOUS,
                   method: str = "auto") -> tuple[int, ...]:
    """The start states that ``spec`` and ``condition`` describe, one parser for every command.

    Parameters
    ----------
    net : Network
        The model, without the perturbation of the new condition (the start condition's
        attractors are computed on it).
    spec : str or sequence of str
        Each a full state string (``0101...``) or a partial assignment (``A=1,B=0``); an empty
        string is all nodes at 0 (or the start condition's attractor).
    condition : str, optional
        A condition (scenario name, ``wt``, ``A=0``, ``exercise+Akt=0``) whose attractors give
        the start states; a partial assignment is applied on top of each of their states.
    scenarios : mapping name -> Scenario, optional
        The scenarios ``condition`` may name.
    clamps : mapping name -> 0/1, optional
        The clamps of the new condition: the start states take these values.
    update : Update or str
        Update scheme of the start condition's attractors.
    method : str
        Attractor method for the start condition.

    Returns
    -------
    tuple of int
        Distinct start states (bit i = ``net.names[i]``), in order of first appearance; empty
        when neither ``spec`` nor ``condition`` is given.

    Raises
    ------
    UnknownNodeError
        On a node the network does not have (naming the closest ones).
    PerturbationError
        On an unknown scenario (naming the closest ones) or an unreadable assignment.
    UsageError
        On a state string of the wrong length, a full state together with ``condition``, or a
        start condition whose attractors are too large to start from.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("S, S\\nA, S\\nB, A")
    >>> [lb.state_to_str(s, 3) for s in initial_states(net, ["100", "B=1"], clamps={"A": 1})]
    ['110', '011']
    >>> [lb.state_to_str(s, 3) for s in initial_states(net, "B=0", condition="S=1")]
    ['110']
    """
    from ..scenarios import resolve_condition

    names = net.names
    index = {n: i for i, n in enumerate(names)}
    texts = [spec] if isinstance(spec, str) else list(spec)
    clamps = dict(clamps or {})
    net.check_nodes(clamps)
    parsed = [_parse_one(t, names) for t in texts]
    for _, values in parsed:
        net.check_nodes(values)
    if condition is not None:
        pert = resolve_condition(condition, scenarios or {}, net)
        if any(full is not None for full, _ in parsed):
            raise UsageError("a full start state leaves nothing to take from the start "
                             f"condition '{condition}'; give NODE=0/1 assignments instead")
        bases = _attractor_states(pert.apply(net), condition, update, method)
    elif not texts:
        return ()
    else:
        bases = [0]
    if not parsed:
        parsed = [(None, {})]
    out: dict[int, None] = {}
    for full, values in parsed:
        for base in ([full] if full is not None else bases):
            out[_set(_set(base, index, values), index, clamps)] = None
    return tuple(out)


def _attractor_states(net: Network, condition: str, update, method: str) -> list[int]:
    from ..analysis.attractors import attractors

    res = attractors(net, update, method, max_states=MAX_START_STATES)
    states: list[int] = []
    for a in res.attractors:
        if a.states is None:
            raise UsageError(f"an attractor of '{condition}' has {a.size:,} states, too many to "
                             "start from; fix inputs or give the start with NODE=0/1")
        states.extend(a.states)
    if not states:
        raise UsageError(f"no attractor found for '{condition}' to start from")
    if len(states) > MAX_START_STATES:
        raise UsageError(f"the attractors of '{condition}' have {len(states):,} states, more "
                         f"than {MAX_START_STATES:,} to start from; fix inputs")
    return states


# ---------------------------------------------------------------- the response graph

def _moving_nodes(net: Network, starts: Sequence[int]) -> tuple[list[int], int]:
    """The nodes free in the smallest trap space holding ``starts``, and the start values of
    the others (a state with the moving bits 0)."""
    from ..analysis.attractors import trap_closure
    from ..analysis.results import subspace_of

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


def _project(state: int, moving: list[int]) -> int:
    return sum(1 << j for j, i in enumerate(moving) if (state >> i) & 1)


def response_graph(net: Network, starts: Sequence[int], update: Update | str = "async", *,
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
    sub_starts = sorted({_project(s, moving) for s in starts})
    graph = state_transition_graph(sub, update, sub_starts, limit=limit, model=model)
    start = np.zeros(graph.n_states, dtype=bool)
    start[np.searchsorted(graph.states, np.asarray(sub_starts, dtype=np.uint64))] = True
    log.info("response graph: %d states, %d moving nodes", graph.n_states, len(moving))
    return ResponseGraph(net.names, update, graph, tuple(moving), base, start, model, label)


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
            return ((self.graph.states >> np.uint64(j)) & np.uint64(1)).astype(np.int64)
        return np.full(self.n_states, (self.base >> i) & 1, dtype=np.int64)

    # ------------------------------------------------------------ transitions
    @cached_property
    def _change_text(self) -> Text:
        g = self.graph
        a, b = g.states[g.src], g.states[g.dst]
        flip = a ^ b
        key = np.stack([flip, b & flip], axis=1) if flip.size else np.zeros((0, 2), np.uint64)
        uniq, codes = np.unique(key, axis=0, return_inverse=True)
        sub = g.names
        values = tuple(" ".join(f"{sub[j]}{_UP if (int(on) >> j) & 1 else _DOWN}"
                                for j in range(len(sub)) if (int(m) >> j) & 1)
                       for m, on in uniq.tolist())
        return Text(values, np.asarray(codes).reshape(-1))

    def edge_labels(self) -> list[str]:
        """Per transition, the nodes that change and how: ``Akt↓`` (``A↑ B↓`` when several)."""
        t = self._change_text
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
        text = self._change_text
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
        text = self._change_text
        forward = dist[g.dst] == dist[g.src] + 1
        counts = np.bincount(dist, minlength=int(dist.max()) + 1 if dist.size else 0)
        out = []
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

    # ------------------------------------------------------------ records (as write_stg reads)
    def node_columns(self) -> list[str]:
        """``state``, one column per node, ``attractor``, ``reaches``, ``distance``, ``start``."""
        reserved = {"state", "attractor", "reaches", "distance", "start", "label", "id"}
        return ["state", *(f"node_{n}" if n in reserved else n for n in self.names),
                "attractor", "reaches", "distance", "start"]

    def edge_columns(self) -> list[str]:
        return ["source", "target", "changed", "change"]

    def node_table(self, chunk: int = 1 << 16):
        """Node records as columns, in chunks (as :meth:`StateTransitionGraph.node_table`)."""
        at = 0
        for cols in self.graph.node_table(chunk):
            stop = at + len(cols[-2])
            chars = self.chars(slice(at, stop))
            bits = chars - np.uint8(ord("0"))
            yield [chars, *(bits[:, i] for i in range(len(self.names))), cols[-2], cols[-1],
                   self.distance[at:stop], self.start[at:stop].astype(np.int64)]
            at = stop

    def edge_table(self, chunk: int = 1 << 18):
        """Edge records as columns, in chunks: source, target, ``changed``, ``change``."""
        g = self.graph
        text = self._change_text
        for at in range(0, g.n_edges, chunk):
            src, dst = g.src[at:at + chunk], g.dst[at:at + chunk]
            yield [self.chars(src), self.chars(dst),
                   Masks(g.names, g.states[src] ^ g.states[dst]),
                   Text(text.values, text.codes[at:at + chunk])]

    def graph_attributes(self) -> dict:
        attrs = self.graph.graph_attributes()
        attrs["nodes"] = ",".join(self.names)
        attrs["moving"] = ",".join(self.graph.names)
        attrs["starts"] = int(self.start.sum())
        if self.label:
            attrs["response"] = self.label
        return attrs

    def to_networkx(self):
        """A :class:`networkx.DiGraph` keyed by full state strings, with the attributes of
        :meth:`node_columns`; edges with ``changed`` and ``change``."""
        import networkx as nx

        from .stg import table_rows

        g = nx.DiGraph(**self.graph_attributes())
        cols = self.node_columns()
        for columns in self.node_table():
            g.add_nodes_from((r[0], dict(zip(cols, r))) for r in table_rows(columns))
        for columns in self.edge_table():
            g.add_edges_from((a, b, {"changed": c, "change": t})
                             for a, b, c, t in table_rows(columns))
        return g


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
    edges: tuple

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
    on: dict
    changes: dict
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
    layers: tuple
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


def response_layers(net: Network, starts: Sequence[int], *, readouts: Sequence[str] = (),
                    model: str = "", label: str = "",
                    timeout: float | None = None) -> ResponseLayers:
    """The asynchronous response from ``starts`` by distance layers, computed on BDDs: no
    state is enumerated, so it scales to responses of billions of states.

    Parameters
    ----------
    net : Network
        The network of the new condition.
    starts : sequence of int
        Start states.
    readouts : sequence of str
        The nodes whose ON states are counted per layer (:meth:`ResponseLayers.fraction_on`).
    model, label : str
    timeout : float, optional
        Seconds; beyond, :class:`~logicbone.errors.AnalysisTimeout`.

    Returns
    -------
    ResponseLayers
        The same layers as :meth:`ResponseGraph.layers` of the asynchronous response graph.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("S, S\\nA, S\\nB, S")
    >>> r = response_layers(net, [1], readouts=["B"])
    >>> [(x.size, x.changes) for x in r.layers]
    [(1, {'A↑': 1, 'B↑': 1}), (2, {'A↑': 1, 'B↑': 1}), (1, {})]
    """
    import time

    from ..analysis.symbolic import AsyncSTG
    from ..errors import AnalysisTimeout

    starts = [int(s) for s in starts]
    if not starts:
        raise UsageError("a response needs at least one start state")
    moving, base = _moving_nodes(net, starts)
    sub = _restricted(net, moving, base)
    deadline = None if timeout is None else time.monotonic() + timeout
    stg = AsyncSTG(sub, percolate=False, deadline=deadline)
    mgr = stg.mgr
    false = mgr.false
    start = false
    for s in {_project(x, moving) for x in starts}:
        start |= mgr.cube({n: bool((s >> j) & 1) for j, n in enumerate(sub.names)})
    reached, layer = start, start
    raw = []
    while layer != false:
        if deadline is not None and time.monotonic() > deadline:
            raise AnalysisTimeout(f"time limit reached after {len(raw)} layers of the response")
        nxt = false
        changes: dict[str, object] = {}
        for n, can in stg.flip.items():
            if can & layer == false:
                continue
            img = stg.post(layer, n) & ~reached
            if img == false:
                continue
            x = mgr.var(n)
            for arrow, part in ((_UP, img & x), (_DOWN, img & ~x)):
                if part != false:
                    changes[f"{n}{arrow}"] = part
            nxt |= img
        raw.append((layer, changes))
        reached |= nxt
        layer = nxt
    attractors = list(stg.terminal_sccs(reached))
    in_attr = false
    for a in attractors:
        in_attr |= a
    nvars = len(sub.names)
    net.check_nodes(readouts)
    counted = set(readouts)

    def count(u) -> int:
        # CUDD counts in doubles: exact below 2^53 states, else the exact (slower) walk
        return round(mgr.count(u, nvars=nvars)) if nvars <= 52 else stg.count(u)

    layers = []
    for d, (u, changes) in enumerate(raw):
        on = {n: count(u & mgr.var(n)) for n in sub.names if n in counted}
        layers.append(Layer(d, count(u), on, {k: count(v) for k, v in changes.items()},
                            count(u & in_attr)))
    return ResponseLayers(net.names, Update.ASYNCHRONOUS, tuple(layers), len(attractors), base,
                          tuple(moving), model, label)
