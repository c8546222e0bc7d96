"""The records of state-transition graphs, quotient graphs and response graphs, as columns for
the writers.

A graph of :mod:`logicbone.dynamics` holds numpy arrays; the writers (:mod:`.stg`) and
networkx (:func:`to_networkx`) read it as records: per state (or component) and per edge,
the columns of :func:`node_columns` and :func:`edge_columns`. :func:`node_table` and
:func:`edge_table` give them in chunks as typed columns (:class:`Text`, :class:`Ids`,
:class:`Masks`, characters, integers) that the streaming writers turn into text with a few
array operations; :func:`node_rows` and :func:`edge_rows` give the same as Python rows.

Examples
--------
>>> import logicbone as lb
>>> stg = lb.state_transition_graph(lb.parse_bnet("A, !A"), "async")
>>> node_columns(stg), [r for rows in node_rows(stg) for r in rows]
(['state', 'A', 'attractor', 'reaches'], [['0', 0, 0, '0'], ['1', 1, 0, '0']])
>>> [r for rows in edge_rows(stg) for r in rows]
[['0', '1', 'A'], ['1', '0', 'A']]
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import numpy as np

from ..dynamics.quotient import QuotientGraph
from ..dynamics.response import ResponseGraph
from ..dynamics.scc import first_index
from ..dynamics.stg import StateTransitionGraph
from ..dynamics.transitions import sorted_unique
from ..space import chars_to_strings, space_chars, state_chars

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Text", "Ids", "Masks", "Column", "Graph", "mask_text", "mask_names", "table_rows",
           "reach_text", "node_columns", "edge_columns", "node_table", "edge_table",
           "node_rows", "edge_rows", "to_networkx"]

#: a graph the writers take
Graph = Union[StateTransitionGraph, QuotientGraph, ResponseGraph]


class Text(NamedTuple):
    """A column of strings drawn from a few distinct ones: row i is ``values[codes[i]]``.

    Writers escape or quote the few ``values`` once, then index them with ``codes``.
    """

    values: tuple[str, ...]
    codes: np.ndarray


class Ids(NamedTuple):
    """A column of identifiers ``prefix + str(number)`` (``c0``, ``c1``, ...)."""

    prefix: str
    numbers: np.ndarray


class Masks(NamedTuple):
    """A column of bitmasks written as the names of their set bits joined by commas."""

    names: tuple[str, ...]
    masks: np.ndarray


#: one column of a table: typed, ``(rows, width)`` uint8 characters, or 1-D integers
Column = Union[Text, Ids, Masks, np.ndarray]


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(distinct, codes)`` with ``distinct[codes] == values`` (1-D)."""
    distinct = sorted_unique(values)
    return distinct, np.searchsorted(distinct, values)


def mask_text(masks: np.ndarray, names: Sequence[str], sep: str = ",") -> Text:
    """:class:`Text` column of the names of the set bits of each bitmask, joined by ``sep``."""
    masks = np.asarray(masks, dtype=np.uint64).ravel()
    uniq, codes = _codes(masks)
    values = tuple(sep.join(names[i] for i in range(len(names)) if (int(m) >> i) & 1)
                   for m in uniq.tolist())
    return Text(values, codes)


def mask_names(masks: np.ndarray, names: Sequence[str], sep: str = ",") -> np.ndarray:
    """For each bitmask, the names of its set bits joined by ``sep`` (object array).

    >>> mask_names(np.array([5, 2], dtype=np.uint64), ("A", "B", "C")).tolist()
    ['A,C', 'B']
    """
    text = mask_text(masks, names, sep)
    out: np.ndarray = np.asarray(text.values, dtype=object)[text.codes]
    return out


def table_rows(columns: Sequence[Column]) -> list[list[Any]]:
    """Rows of Python values (str, int) from a list of columns: :class:`Text`, :class:`Ids`,
    :class:`Masks`, ``(rows, width)`` uint8 characters, or 1-D integer arrays.

    >>> table_rows([Ids("c", np.array([0, 1])), Text(("x", "y"), np.array([1, 1]))])
    [['c0', 'y'], ['c1', 'y']]
    """
    lists: list[list[Any]] = []
    for col in columns:
        if isinstance(col, Text):
            lists.append(np.asarray(col.values, dtype=object)[col.codes].tolist()
                         if col.values else [""] * len(col.codes))
        elif isinstance(col, Masks):
            lists.append(mask_names(col.masks, col.names).tolist())
        elif isinstance(col, Ids):
            lists.append([f"{col.prefix}{i}" for i in col.numbers.tolist()])
        elif col.ndim == 2:
            lists.append(chars_to_strings(col).tolist())
        else:
            lists.append(col.tolist())
    return [list(r) for r in zip(*lists)]


def reach_text(reach: np.ndarray, n_attr: int) -> Text:
    """``"0,2"`` per row of a bitset array (the attractors reached), as a :class:`Text`."""
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


def _attr_name(name: str, reserved: set[str]) -> str:
    return f"node_{name}" if name in reserved else name


def node_columns(graph: Graph) -> list[str]:
    """Column names of the node records: for a state-transition graph ``state``, one per
    model node, ``attractor``, ``reaches``; for a quotient graph ``component``, ``size``,
    ``attractor``, ``reaches``, ``subspace``, ``representative``; for a response graph
    those of its states (over all nodes) and ``distance``, ``start``."""
    if isinstance(graph, QuotientGraph):
        return ["component", "size", "attractor", "reaches", "subspace", "representative"]
    if isinstance(graph, ResponseGraph):
        reserved = {"state", "attractor", "reaches", "distance", "start", "label", "id"}
        return ["state", *(_attr_name(n, reserved) for n in graph.names),
                "attractor", "reaches", "distance", "start"]
    reserved = {"state", "attractor", "reaches", "label", "id"}
    return ["state", *(_attr_name(n, reserved) for n in graph.names), "attractor", "reaches"]


def edge_columns(graph: Graph) -> list[str]:
    """Column names of the edge records."""
    if isinstance(graph, QuotientGraph):
        return ["source", "target", "changed", "transitions"]
    if isinstance(graph, ResponseGraph):
        return ["source", "target", "changed", "change"]
    return ["source", "target", "changed"]


def node_table(graph: Graph, chunk: int = 1 << 16) -> Iterator[list[Column]]:
    """The node records as columns, in chunks: per chunk a list (one entry per
    :func:`node_columns`). A state is a ``(rows, width)`` uint8 array of characters, its bits
    and ``attractor`` integer arrays, ``reaches`` a :class:`Text` column."""
    if isinstance(graph, ResponseGraph):
        yield from _response_node_table(graph, chunk)
        return
    n = len(graph.names)
    if isinstance(graph, QuotientGraph):
        reach = reach_text(graph.reach, graph.n_attractors)
        for start in range(0, graph.n_components, chunk):
            stop = min(graph.n_components, start + chunk)
            yield [Ids("c", np.arange(start, stop)), graph.size[start:stop],
                   graph.attractor[start:stop], Text(reach.values, reach.codes[start:stop]),
                   space_chars(graph.fixed_on[start:stop], graph.varying[start:stop], n),
                   state_chars(graph.representative[start:stop], n)]
        return
    count = int(graph.labels.max()) + 1 if graph.labels.size else 0
    reach = reach_text(graph.reach[first_index(count, graph.labels)], graph.n_attractors)
    for start in range(0, graph.n_states, chunk):
        stop = min(graph.n_states, start + chunk)
        chars = state_chars(graph.states[start:stop], n)
        bits = chars - np.uint8(ord("0"))
        yield [chars, *(bits[:, i] for i in range(n)), graph.attractor[start:stop],
               Text(reach.values, reach.codes[graph.labels[start:stop]])]


def edge_table(graph: Graph, chunk: int = 1 << 18) -> Iterator[list[Column]]:
    """The edge records as columns, in chunks: source and target (state characters, or
    component :class:`Ids`), ``changed`` (:class:`Masks`) and, for a quotient graph,
    ``transitions``; for a response graph ``change`` (:class:`Text`) too."""
    if isinstance(graph, ResponseGraph):
        yield from _response_edge_table(graph, chunk)
        return
    if isinstance(graph, QuotientGraph):
        for start in range(0, graph.n_edges, chunk):
            stop = min(graph.n_edges, start + chunk)
            yield [Ids("c", graph.src[start:stop]), Ids("c", graph.dst[start:stop]),
                   Masks(graph.names, graph.changed[start:stop]),
                   graph.transitions[start:stop]]
        return
    n = len(graph.names)
    for start in range(0, graph.n_edges, chunk):
        a = graph.states[graph.src[start:start + chunk]]
        b = graph.states[graph.dst[start:start + chunk]]
        yield [state_chars(a, n), state_chars(b, n), Masks(graph.names, a ^ b)]


def _response_node_table(graph: ResponseGraph, chunk: int) -> Iterator[list[Column]]:
    """The records of the states of the graph over the moving nodes, with the full states,
    ``distance`` and ``start``."""
    at = 0
    for cols in node_table(graph.graph, chunk):
        stop = at + len(cols[-2])
        chars = graph.chars(slice(at, stop))
        bits = chars - np.uint8(ord("0"))
        yield [chars, *(bits[:, i] for i in range(len(graph.names))), cols[-2], cols[-1],
               graph.distance[at:stop], graph.start[at:stop].astype(np.int64)]
        at = stop


def _response_edge_table(graph: ResponseGraph, chunk: int) -> Iterator[list[Column]]:
    g = graph.graph
    changes = graph.changes
    for at in range(0, g.n_edges, chunk):
        src, dst = g.src[at:at + chunk], g.dst[at:at + chunk]
        yield [graph.chars(src), graph.chars(dst),
               Masks(g.names, g.states[src] ^ g.states[dst]),
               Text(changes.values, changes.codes[at:at + chunk])]


def node_rows(graph: Graph, chunk: int = 1 << 16) -> Iterator[list[list[Any]]]:
    """The node records as rows of :func:`node_columns`, in chunks (lists)."""
    for columns in node_table(graph, chunk):
        yield table_rows(columns)


def edge_rows(graph: Graph, chunk: int = 1 << 18) -> Iterator[list[list[Any]]]:
    """The edge records as rows of :func:`edge_columns`, in chunks (lists)."""
    for columns in edge_table(graph, chunk):
        yield table_rows(columns)


def to_networkx(graph: Graph) -> nx.DiGraph:
    """A :class:`networkx.DiGraph` of a state-transition graph (nodes keyed by state string)
    or a response graph (nodes keyed by full state string) or of a quotient graph (nodes
    ``c0, c1, ...``), with the attributes of
    :func:`node_columns` and :func:`edge_columns`.

    >>> import logicbone as lb
    >>> g = lb.stg_to_networkx(lb.state_transition_graph(lb.parse_bnet("A, !A"), "sync"))
    >>> sorted(g.edges(data="changed"))
    [('0', '1', 'A'), ('1', '0', 'A')]
    """
    import networkx as nx

    g = nx.DiGraph(**graph.graph_attributes())
    cols = node_columns(graph)
    keep = cols[1:] if isinstance(graph, QuotientGraph) else cols
    start = len(cols) - len(keep)
    for rows in node_rows(graph):
        g.add_nodes_from((r[0], dict(zip(keep, r[start:]))) for r in rows)
    ecols = edge_columns(graph)
    for rows in edge_rows(graph):
        g.add_edges_from((r[0], r[1], dict(zip(ecols[2:], r[2:]))) for r in rows)
    return g
