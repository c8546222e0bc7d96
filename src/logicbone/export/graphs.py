"""networkx graphs to GraphML, GEXF, DOT, node-link JSON, SIF and CSV text, written atomically.

The writers are networkx's own (``networkx.readwrite`` for GraphML, GEXF and JSON, pydot for
DOT); SIF and CSV are plain tables. DOT output is styled for Graphviz: inhibiting edges of an
interaction graph end in a T-bar, dual ones in a dot; attractor states are filled.

JSON is networkx *node-link* data: ``{"directed": true, "multigraph": false, "graph": {...},
"nodes": [{"id": ..., attributes...}], "edges": [{"source": ..., "target": ...,
attributes...}]}``; read it back with ``networkx.node_link_graph(data)``.

Examples
--------
>>> import logicbone as lb
>>> g = lb.interaction_graph(lb.parse_bnet("A, A\\nB, !A"))
>>> lb.graph_to_text(g, "sif").splitlines()
['A\\t1\\tA', 'A\\t-1\\tB']
"""
from __future__ import annotations

import csv
import io
import json
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LogicboneError
from .files import atomic_open

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GRAPH_FORMATS", "graph_format_for_path", "graph_to_text", "write_graph"]

#: format name -> file extensions
GRAPH_FORMATS: dict[str, tuple[str, ...]] = {
    "graphml": (".graphml",),
    "gexf": (".gexf",),
    "dot": (".dot", ".gv"),
    "json": (".json",),
    "sif": (".sif",),
    "csv": (".csv",),
}

_DOT_ARROWS = {"+": "normal", "-": "tee", "both": "dot"}
_SIF_SIGNS = {"+": ("1",), "-": ("-1",), "both": ("1", "-1")}


def graph_format_for_path(path: str | PathLike[str], format: str | None = None) -> str:
    """The export format named by ``format`` or implied by the extension of ``path``."""
    if format:
        if format not in GRAPH_FORMATS:
            raise LogicboneError(
                f"unknown graph format '{format}'; known: {', '.join(GRAPH_FORMATS)}")
        return format
    suffix = Path(path).suffix.lower()
    for name, exts in GRAPH_FORMATS.items():
        if suffix in exts:
            return name
    raise LogicboneError(f"{path}: cannot tell the graph format from the extension; "
                         f"name one of {', '.join(GRAPH_FORMATS)}")


def _dot_text(g: nx.Graph) -> str:
    import networkx as nx

    h = g.copy()
    h.graph = {"graph": {"rankdir": "LR"}} if len(h) > 1 else {}
    for _, _, d in h.edges(data=True):
        if d.get("sign") in _DOT_ARROWS:
            d["arrowhead"] = _DOT_ARROWS[d["sign"]]
    for _, d in h.nodes(data=True):
        if d.get("attractor", -1) != -1:
            d["style"] = "filled"
            d["fillcolor"] = "lightblue"
    text: str = nx.nx_pydot.to_pydot(h).to_string()
    return text


def _sif_text(g: nx.Graph) -> str:
    lines = []
    for u, v, d in g.edges(data=True):
        for code in _SIF_SIGNS.get(d.get("sign"), ("->",)):
            lines.append(f"{u}\t{code}\t{v}")
    return "\n".join(lines)


def _csv_text(g: nx.Graph) -> str:
    keys: dict[str, None] = {}
    for _, _, d in g.edges(data=True):
        keys.update(dict.fromkeys(d))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source", "target", *keys])
    for u, v, d in g.edges(data=True):
        w.writerow([u, v, *(d.get(k, "") for k in keys)])
    return buf.getvalue().rstrip("\n")


def graph_to_text(g: nx.Graph, format: str) -> str:
    """The text of graph ``g`` in ``format`` (``graphml``, ``gexf``, ``dot``, ``json``, ``sif``,
    ``csv``).

    Parameters
    ----------
    g : networkx.DiGraph
        Attribute values must be str, int, float or bool (as GraphML and GEXF require).
    format : str

    Returns
    -------
    str

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", changed="A")
    >>> print(graph_to_text(g, "csv"), end="")
    source,target,changed
    a,b,A
    """
    import networkx as nx

    format = graph_format_for_path("", format)
    if format == "graphml":
        return "\n".join(nx.generate_graphml(g, prettyprint=True)) + "\n"
    if format == "gexf":
        return "\n".join(nx.generate_gexf(g, prettyprint=True)) + "\n"
    if format == "json":
        return json.dumps(nx.node_link_data(g, edges="edges"), indent=1) + "\n"
    if format == "dot":
        return _dot_text(g)
    if format == "sif":
        return _sif_text(g) + "\n"
    return _csv_text(g) + "\n"


def write_graph(g: nx.Graph, path: str | PathLike[str], format: str | None = None, *,
                force: bool = False) -> str:
    """Write ``g`` to ``path`` atomically; refuse to overwrite an existing file unless ``force``.

    Returns
    -------
    str
        The format written (from ``format`` or the extension).

    Raises
    ------
    FileExistsRefused, LogicboneError
    """
    fmt = graph_format_for_path(path, format)
    text = graph_to_text(g, fmt)
    with atomic_open(path, force=force) as fh:
        fh.write(text)
    return fmt
