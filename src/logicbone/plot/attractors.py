"""Heatmap of attractors x nodes: 1 (ON), 0 (OFF), or the fraction of the attractor's states
in which the node is ON (an oscillating node)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.results import AttractorResult, size_text
from ..space import state_chars

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
            rows.append((state_chars(list(a.states), n) - ord("0")).mean(axis=0))
        else:
            rows.append([{"1": 1.0, "0": 0.0}.get(c, 0.5) for c in a.subspace])
    return np.asarray(rows, dtype=float).reshape(len(rows), n)


#: attractors drawn one labelled row each; beyond, rows sorted and unlabelled in a figure
#: of bounded height (a model with free inputs has thousands: bone.rules 8,192)
MAX_LABELLED = 60
#: rows drawn at most: more attractors are averaged in runs of consecutive (sorted) ones,
#: so that the colour of a row is the fraction of them with the node ON
MAX_ROWS = 512


def plot_attractors(result: AttractorResult, title: str | None = None) -> Figure:
    """A :class:`matplotlib.figure.Figure`: attractors as rows, nodes as columns.

    Up to :data:`MAX_LABELLED` attractors, one labelled row each (number, type, size); more
    are drawn sorted by their values (similar attractors side by side), without labels, in a
    figure no taller than for :data:`MAX_LABELLED`; past :data:`MAX_ROWS`, each row is the
    mean of a run of them.

    >>> import logicbone as lb
    >>> fig = plot_attractors(lb.attractors(lb.parse_bnet("A, B\\nB, A"), "async"))
    >>> len(fig.axes[0].get_yticklabels())
    2
    """
    from matplotlib.figure import Figure

    m = attractor_matrix(result)
    n_attr, n = m.shape
    many = n_attr > MAX_LABELLED
    if many:    # sorted, then at most MAX_ROWS rows, each the mean of consecutive ones
        m = m[np.lexsort(m.T[::-1])]
        m = np.array([part.mean(axis=0) for part in np.array_split(m, min(n_attr, MAX_ROWS))])
    tall = MAX_LABELLED // 2 if many else n_attr     # (in rows of a labelled figure)
    fig = Figure(figsize=(max(4.0, 0.32 * n + 2), max(2.0, 0.4 * tall + 1.5)))
    ax = fig.subplots()
    im = ax.imshow(m, cmap="RdYlBu_r", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(n), result.nodes, rotation=90, fontsize=8)
    ax.set_xticks(np.arange(-0.5, n, 1), minor=True)
    if many:
        ax.set_yticks([])
        per = -(-n_attr // MAX_ROWS)
        ax.set_ylabel(f"{n_attr:,} attractors, sorted by their values"
                      + (f" (a row: the mean of up to {per})" if per > 1 else ""), fontsize=8)
        ax.grid(which="minor", axis="x", color="white", linewidth=0.5)
    else:
        labels = [f"{k}: {a.type.replace('_', ' ')} ({size_text(a.size)})" for k, a in
                  enumerate(result.attractors)]
        ax.set_yticks(range(n_attr), labels, fontsize=8)
        ax.set_yticks(np.arange(-0.5, n_attr, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    fig.colorbar(im, ax=ax, label="fraction of states ON", fraction=0.04)
    ax.set_title(title or f"{result.model or 'attractors'} ({result.update})", fontsize=9)
    return fig
