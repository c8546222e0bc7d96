"""Small state-transition graphs, attractor states coloured."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import LogicboneError
from ..export.columns import to_networkx

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..dynamics.stg import StateTransitionGraph

__all__ = ["plot_stg", "MAX_PLOT_STATES"]

#: a drawing of more states than this is unreadable
MAX_PLOT_STATES = 512


def plot_stg(stg: StateTransitionGraph, title: str = "", seed: int = 0) -> Figure:
    """A :class:`matplotlib.figure.Figure` of a (small) state-transition graph.

    Transient states are grey; the states of each attractor share a colour.

    Raises
    ------
    LogicboneError
        Above :data:`MAX_PLOT_STATES` states.

    >>> import logicbone as lb
    >>> stg = lb.state_transition_graph(lb.parse_bnet("A, !B\\nB, A"), "async")
    >>> len(plot_stg(stg).axes)
    1
    """
    import networkx as nx
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    if stg.n_states > MAX_PLOT_STATES:
        raise LogicboneError(f"{stg.n_states} states are too many to draw (at most "
                             f"{MAX_PLOT_STATES}); start from given states (--from), fix "
                             "inputs, or export the graph (logicbone stg) instead")
    g = to_networkx(stg)
    palette = colormaps["tab10"]
    colors = ["#d0d0d0" if d["attractor"] < 0 else palette(d["attractor"] % 10)
              for _, d in g.nodes(data=True)]
    side = min(14.0, max(4.0, 0.5 * stg.n_states ** 0.5 * 2))
    fig = Figure(figsize=(side, side))
    ax = fig.subplots()
    pos = nx.kamada_kawai_layout(g, weight=None) if 1 < stg.n_states <= 128 else \
        nx.spring_layout(g, seed=seed)
    small = stg.n_states <= 64
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colors, node_size=300 if small else 60,
                           edgecolors="#555555", linewidths=0.4)
    nx.draw_networkx_edges(g, pos, ax=ax, arrows=True, arrowstyle="-|>", arrowsize=8,
                           edge_color="#888888", width=0.6, node_size=300 if small else 60)
    if small:
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=6)
    ax.set_title(title or f"{stg.update.value} STG: {stg.n_states} states, "
                          f"{stg.n_attractors} attractor(s)", fontsize=9)
    ax.set_axis_off()
    return fig
