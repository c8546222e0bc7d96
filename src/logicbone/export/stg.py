"""Writing state-transition graphs (and their quotient graphs) to files.

GraphML, GEXF, DOT and JSON (networkx node-link data) go through a networkx graph and are
kept to graphs of at most ``max_edges`` transitions. CSV and JSON lines are streamed from the
arrays in chunks, without a networkx graph, for graphs of any size:

``csv``
    two tables, as Gephi and Cytoscape import them: the edges in ``FILE``
    (``source,target,changed``) and the nodes in ``FILE`` with ``.nodes`` before the extension
    (``state``, one 0/1 column per model node, ``attractor`` (-1: transient), ``reaches``).
``jsonl``
    one JSON object per line: first ``{"graph": {...}}``, then one ``{"node": ..., ...}`` per
    state, then one ``{"source": ..., "target": ..., "changed": ...}`` per transition.

For a quotient graph the nodes are components ``c0, c1, ...`` with ``size``, ``attractor``,
``reaches``, ``subspace`` and ``representative`` (smallest state); edges also carry
``transitions`` (how many STG edges they stand for).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from ..errors import LogicboneError
from .files import atomic_open, refuse_existing
from .graphs import graph_to_text

__all__ = ["STG_FORMATS", "write_stg", "nodes_path"]

STG_FORMATS = ("graphml", "gexf", "dot", "json", "csv", "jsonl")

#: largest graph (in transitions) written through networkx
MAX_NETWORKX_EDGES = 1 << 19


def nodes_path(path) -> Path:
    """The node table that goes with the CSV edge table ``path``: ``stg.csv`` -> ``stg.nodes.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.nodes{path.suffix or '.csv'}")


def _edge_columns(graph) -> list[str]:
    cols = getattr(graph, "edge_columns", None)
    return cols() if cols else ["source", "target", "changed"]


def write_stg(graph, path, format: str, *, force: bool = False,
              max_edges: int = MAX_NETWORKX_EDGES) -> list[Path]:
    """Write a :class:`~logicbone.dynamics.stg.StateTransitionGraph` or
    :class:`~logicbone.dynamics.stg.QuotientGraph` atomically.

    Parameters
    ----------
    graph : StateTransitionGraph or QuotientGraph
    path : str or Path
    format : {"graphml", "gexf", "dot", "json", "csv", "jsonl"}
    force : bool
        Overwrite existing files.
    max_edges : int
        Largest graph written through networkx (GraphML, GEXF, DOT, JSON).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsRefused
        If an output exists and ``force`` is false (nothing is written then).
    LogicboneError
        For an unknown format, or a graph too large for a non-streaming format.

    Examples
    --------
    >>> import tempfile, pathlib, logicbone as lb
    >>> stg = lb.state_transition_graph(lb.parse_bnet("A, !A"), "async")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "stg.csv"
    >>> [p.name for p in lb.write_stg(stg, out, "csv")]
    ['stg.csv', 'stg.nodes.csv']
    >>> print(out.read_text().strip())
    source,target,changed
    0,1,A
    1,0,A
    """
    if format not in STG_FORMATS:
        raise LogicboneError(f"unknown format '{format}'; known: {', '.join(STG_FORMATS)}")
    path = Path(path)
    if format == "csv":
        npath = nodes_path(path)
        refuse_existing([path, npath], force)
        with atomic_open(npath, force=True, newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(graph.node_columns())
            for rows in graph.node_rows():
                w.writerows(rows)
        with atomic_open(path, force=True, newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(_edge_columns(graph))
            for rows in graph.edge_rows():
                w.writerows(rows)
        return [path, npath]
    if format == "jsonl":
        with atomic_open(path, force=force) as fh:
            fh.write(json.dumps({"graph": graph.graph_attributes()}) + "\n")
            cols = graph.node_columns()
            for rows in graph.node_rows():
                fh.writelines(json.dumps({"node": r[0], **dict(zip(cols[1:], r[1:]))}) + "\n"
                              for r in rows)
            ecols = _edge_columns(graph)
            for rows in graph.edge_rows():
                fh.writelines(json.dumps(dict(zip(ecols, r))) + "\n" for r in rows)
        return [path]
    if graph.n_edges > max_edges:
        raise LogicboneError(
            f"{graph.n_edges:,} transitions are too many for {format} (at most {max_edges:,}); "
            "use --format csv or jsonl, which stream, or --collapse")
    refuse_existing([path], force)
    text = graph_to_text(graph.to_networkx(), format)
    with atomic_open(path, force=True) as fh:
        fh.write(text)
    return [path]
