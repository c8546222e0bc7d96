"""Heatmap of a comparison: conditions (rows) by nodes (columns), coloured by their summary.

Each cell is the node's summary over the condition's attractors: ON, OFF, mixed across
attractors, or oscillating within one. Cells that differ from the reference condition (the
first row) carry a black frame, so knockout effects stand out at a glance.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LogicboneError
from ..outputs import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.compare import Comparison

__all__ = ["plot_comparison", "COLOURS"]

log = logging.getLogger(__name__)

#: colour of each summary value
COLOURS = {"OFF": "#f0f0f0", "ON": "#b2182b", "mixed": "#f4a582", "oscillating": "#6a51a3"}


def plot_comparison(comparison: Comparison, path: str | PathLike[str] | None = None,
                    nodes: Sequence[str] | None = None, title: str | None = None, *,
                    force: bool = False) -> Figure | None:
    """Draw the conditions x nodes heatmap of a :class:`~logicbone.analysis.compare.Comparison`.

    Parameters
    ----------
    comparison : Comparison
    path : path, optional
        Save the figure there, atomically (format from the extension: .png, .svg, .pdf,
        .eps, .ps); the figure is closed after saving.
    nodes : sequence of str, optional
        The columns; default: every node.
    title : str, optional
    force : bool
        Overwrite an existing file at ``path``.

    Returns
    -------
    matplotlib.figure.Figure or None
        The figure when no ``path`` is given.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A\\nB, A")
    >>> cmp = lb.compare(net, ["wt", "A=1"])
    >>> fig = plot_comparison(cmp)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['wt', 'A=1']
    """
    import matplotlib

    if path is not None:
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    nodes = list(nodes) if nodes is not None else list(comparison.nodes)
    unknown = [n for n in nodes if n not in comparison.nodes]
    if unknown:
        from ..errors import UnknownNodeError

        raise UnknownNodeError(unknown[0], comparison.nodes)
    if not nodes:
        raise LogicboneError("nothing to plot: no nodes selected")
    order = list(COLOURS)
    conds = comparison.conditions
    grid = [[order.index(c.summary[n]) for n in nodes] for c in conds]

    width = min(40.0, 2.5 + 0.32 * len(nodes))
    height = min(40.0, 1.6 + 0.32 * len(conds))
    fig, ax = plt.subplots(figsize=(width, height), constrained_layout=True)
    ax.imshow(grid, cmap=ListedColormap([COLOURS[k] for k in order]), vmin=-0.5,
              vmax=len(order) - 0.5, aspect="auto", interpolation="nearest")
    for r, c in enumerate(conds):
        changed = set(c.changed)
        for k, n in enumerate(nodes):
            if r and n in changed:
                ax.add_patch(Rectangle((k - 0.5, r - 0.5), 1, 1, fill=False, lw=1.8,
                                       edgecolor="black"))
    ax.set_xticks(range(len(nodes)))
    ax.set_xticklabels(nodes, rotation=90, fontsize=8)
    ax.set_yticks(range(len(conds)))
    ax.set_yticklabels([c.name for c in conds], fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, len(nodes))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(conds))], minor=True)
    ax.grid(which="minor", color="white", lw=0.8)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(facecolor=COLOURS[k], edgecolor="grey", label=k) for k in order]
    handles.append(Patch(facecolor="white", edgecolor="black", lw=1.8,
                         label=f"differs from {conds[0].name}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
              frameon=False)
    ax.set_title(title or f"{comparison.model or 'model'}: {comparison.update} attractors",
                 fontsize=9)
    if path is None:
        return fig
    path = Path(path)
    try:
        save_figure(fig, path, force=force)
    finally:
        plt.close(fig)
    log.info("wrote %s", path)
    return None
