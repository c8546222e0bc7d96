"""The interaction graph drawn with arrows for activation and T-bars for inhibition."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

__all__ = ["plot_interaction_graph"]

_STYLE = {"+": ("-|>", "#2a7f3f", "solid"),
          "-": ("-[", "#c0392b", "solid"),
          "both": ("-|>", "#7f7f7f", "dashed")}


def plot_interaction_graph(g: nx.DiGraph, title: str = "", seed: int = 0) -> Figure:
    """A :class:`matplotlib.figure.Figure` of a signed interaction graph.

    Activations end in arrows (green), inhibitions in T-bars (red), dual edges are dashed.

    >>> import logicbone as lb
    >>> fig = plot_interaction_graph(lb.interaction_graph(lb.parse_bnet("A, !B\\nB, A")))
    >>> len(fig.axes)
    1
    """
    import networkx as nx
    from matplotlib.figure import Figure

    n = g.number_of_nodes()
    size = min(14.0, max(4.0, 0.6 * n ** 0.5 * 3))
    fig = Figure(figsize=(size, size * 0.8))
    ax = fig.subplots()
    pos = _layout(g, seed)
    kinds = nx.get_node_attributes(g, "kind")
    colors = ["#ffe08a" if kinds.get(v) == "input" else "#d9e8f5" for v in g]
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colors, node_size=500,
                           edgecolors="#333333", linewidths=0.6)
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=7)
    for sign, (arrow, color, style) in _STYLE.items():
        edges = [(u, v) for u, v, s in g.edges(data="sign")
                 if s == sign and not (u == v and kinds.get(u) == "input")]
        if edges:
            nx.draw_networkx_edges(g, pos, edgelist=edges, ax=ax, arrows=True,
                                   arrowstyle=arrow if arrow != "-[" else "-[, widthB=0.4",
                                   edge_color=color, style=style, node_size=500,
                                   connectionstyle="arc3,rad=0.08", width=1.0)
    ax.set_title(title or g.graph.get("title") or "interaction graph", fontsize=9)
    ax.set_axis_off()
    return fig


def _layout(g: nx.DiGraph, seed: int) -> dict[Any, Any]:
    """Layered (Graphviz ``dot``: signals flow top to bottom) when Graphviz is installed,
    else a force-directed layout."""
    import shutil

    import networkx as nx

    n = g.number_of_nodes()
    if shutil.which("dot") and n > 1:
        plain = nx.DiGraph()
        plain.add_nodes_from(str(v) for v in g)
        plain.add_edges_from((str(u), str(v)) for u, v in g.edges() if u != v)
        try:
            pos = nx.nx_pydot.pydot_layout(plain, prog="dot")
            return {v: pos[str(v)] for v in g}
        except Exception:  # a Graphviz failure falls back to the force-directed layout
            pass
    layout: dict[Any, Any] = (nx.kamada_kawai_layout(g, weight=None) if 1 < n <= 200
                              else nx.spring_layout(g, seed=seed, weight=None))
    return layout

