"""Node probabilities over time, with error bands; several conditions side by side."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.stochastic import StochasticResult

__all__ = ["plot_stochastic", "plot_dose_response"]


def plot_stochastic(results: StochasticResult | Mapping[str, StochasticResult],
                    readouts: Sequence[str], title: str = "") -> Figure:
    """A :class:`matplotlib.figure.Figure` of P(node ON) over time.

    Parameters
    ----------
    results : StochasticResult or mapping label -> StochasticResult
        One run (one panel, a line per readout), or several conditions (a panel per readout,
        a line per condition).
    readouts : sequence of str
        Nodes to draw.
    title : str

    Each point is a window's average, drawn at the window's middle; the band is two
    standard errors either side (sampled runs; none for exact ones).

    >>> import logicbone as lb
    >>> res = lb.stochastic(lb.parse_bnet("A, A\\nB, A"), 2, 0.5, initial="A=1,B=0")
    >>> fig = plot_stochastic(res, ["B"])
    >>> fig.axes[0].get_ylabel()
    'P(ON)'
    """
    from matplotlib.figure import Figure

    runs = dict(results) if isinstance(results, Mapping) else {"": results}
    readouts = list(readouts)
    several = len(runs) > 1
    panels = readouts if several else [""]
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig = Figure(figsize=(4.2 * cols + 1.5, 3.0 * rows + 0.6))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    colours = [f"C{i % 10}" for i in range(max(len(runs), len(readouts)))]
    for k, panel in enumerate(panels):
        ax = axes[k]
        lines = [(label, panel, colours[j]) for j, label in enumerate(runs)] if several \
            else [("", node, colours[j]) for j, node in enumerate(readouts)]
        for label, node, colour in lines:
            res = runs[label]
            mid = res.times + np.diff(np.append(res.times, res.max_time)) / 2
            p, e = res.probability(node), res.error(node)
            ax.plot(mid, p, color=colour, label=label or node, lw=1.6)
            if np.any(e > 0):
                ax.fill_between(mid, np.clip(p - 2 * e, 0, 1), np.clip(p + 2 * e, 0, 1),
                                color=colour, alpha=0.2, lw=0)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlim(0, max(r.max_time for r in runs.values()))
        ax.set_xlabel("time")
        ax.set_ylabel("P(ON)")
        if several:
            ax.set_title(panel, fontsize=9)
        ax.legend(fontsize=7, frameon=False)
        ax.grid(alpha=0.3)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    first = next(iter(runs.values()))
    how = f"{first.method}" + (f", {first.samples:,} trajectories, bands: 2 standard errors"
                               if first.method == "sampled" else "")
    fig.suptitle(f"{title}{' - ' if title else ''}{how}", fontsize=9)
    fig.tight_layout()
    return fig


def plot_dose_response(results: Mapping[str, StochasticResult], readouts: Sequence[str],
                       title: str = "") -> Figure:
    """P(readout ON) in the last window against the dose (one run per rate factor).

    ``results`` maps labels ``KEY*FACTOR`` (as the command line makes them) to runs; the
    factor is read after the last ``*``. Error bars: two standard errors.

    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A\\nB, A")
    >>> runs = {f"B.up*{f}": lb.stochastic(net, 1, 1, initial="A=1,B=0",
    ...         rates=lb.Rates().scaled({"B.up": f})) for f in (1, 0.5)}
    >>> plot_dose_response(runs, ["B"]).axes[0].get_xlabel()
    'rate factor (B.up)'
    """
    from matplotlib.figure import Figure

    labels = list(results)
    key = labels[0].rpartition("*")[0] if labels else ""
    doses = np.array([float(k.rpartition("*")[2]) for k in labels])
    order = np.argsort(doses)
    fig = Figure(figsize=(5.5, 3.6))
    ax = fig.subplots()
    for j, node in enumerate(readouts):
        p = np.array([results[labels[i]].probability(node)[-1] for i in order])
        e = np.array([results[labels[i]].error(node)[-1] for i in order])
        ax.errorbar(doses[order], p, yerr=2 * e, marker="o", color=f"C{j % 10}", label=node,
                    capsize=3, lw=1.4)
    ax.set_xlabel(f"rate factor ({key})")
    ax.set_ylabel("P(ON) at the last window")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False)
    first = results[labels[0]] if labels else None
    ax.set_title(f"{title}{' - ' if title else ''}dose response"
                 + (f" at t = {first.max_time:g}" if first else ""), fontsize=9)
    fig.tight_layout()
    return fig
