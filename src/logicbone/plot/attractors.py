"""Heatmap of attractors x nodes: 1 (ON), 0 (OFF), or the fraction of the attractor's states
in which the node is ON (an oscillating node)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.results import AttractorResult, size_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["attractor_matrix", "plot_attractors"]


def attractor_matrix(result: AttractorResult) -> np.ndarray:
    """Per attractor (rows) and node (columns), the fraction of its states with the node ON.

    Without the states, a free node of the subspace counts 0.5.

    >>> import logicbone as lb
    >>> res = lb.attractors(lb.parse_bnet("A, !B\\nB, A"), "sync")
    >>> attractor_matrix(res).tolist()
    [[0.5, 0.5]]
    """
    n = len(result.nodes)
    rows = []
    for a in result.attractors:
        if a.states:
            bits = (np.asarray(a.states, dtype=np.uint64)[:, None]
                    >> np.arange(n, dtype=np.uint64)) & np.uint64(1)
            rows.append(bits.mean(axis=0))
        else:
            rows.append([{"1": 1.0, "0": 0.0}.get(c, 0.5) for c in a.subspace])
    return np.asarray(rows, dtype=float).reshape(len(rows), n)


def plot_attractors(result: AttractorResult, title: str | None = None) -> Figure:
    """A :class:`matplotlib.figure.Figure`: attractors as rows, nodes as columns.

    >>> import logicbone as lb
    >>> fig = plot_attractors(lb.attractors(lb.parse_bnet("A, B\\nB, A"), "async"))
    >>> len(fig.axes[0].get_yticklabels())
    2
    """
    from matplotlib.figure import Figure

    m = attractor_matrix(result)
    n_attr, n = m.shape
    fig = Figure(figsize=(max(4.0, 0.32 * n + 2), max(2.0, 0.4 * n_attr + 1.5)))
    ax = fig.subplots()
    im = ax.imshow(m, cmap="RdYlBu_r", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(n), result.nodes, rotation=90, fontsize=8)
    labels = [f"{k}: {a.type.replace('_', ' ')} ({size_text(a.size)})" for k, a in
              enumerate(result.attractors)]
    ax.set_yticks(range(n_attr), labels, fontsize=8)
    ax.set_xticks(np.arange(-0.5, n, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_attr, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    fig.colorbar(im, ax=ax, label="fraction of states ON", fraction=0.04)
    ax.set_title(title or f"{result.model or 'attractors'} ({result.update})", fontsize=9)
    return fig
