"""A trajectory as a nodes x time heatmap."""
from __future__ import annotations

import numpy as np

__all__ = ["plot_trajectory"]


def plot_trajectory(names, states, title: str = ""):
    """A :class:`matplotlib.figure.Figure` of a trajectory (node rows, one column per step).

    Parameters
    ----------
    names : sequence of str
        Node names in bit order.
    states : sequence of int
        The states of the trajectory (bit i = ``names[i]``).

    >>> fig = plot_trajectory(("A", "B"), [0b01, 0b11, 0b10])
    >>> fig.axes[0].get_xlabel()
    'step'
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    n = len(names)
    states = [int(s) for s in states]  # Python ints: any number of nodes
    arr = np.asarray(states, dtype=object)
    bits = np.array([[(s >> i) & 1 for s in states] for i in range(n)], dtype=float)
    fig = Figure(figsize=(max(4.0, 0.15 * arr.size + 2.5), max(2.0, 0.25 * n + 1)))
    ax = fig.subplots()
    ax.imshow(bits, cmap=ListedColormap(["#f0f0f0", "#1f5fa8"]), vmin=0, vmax=1,
              aspect="auto", interpolation="nearest")
    ax.set_yticks(range(n), names, fontsize=8)
    ax.set_xlabel("step")
    ax.set_title(title or "trajectory (blue: ON)", fontsize=9)
    return fig
