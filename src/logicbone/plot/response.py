"""Figures of a response: the states reachable from a start, laid out by distance from it.

Three views, by size:

* up to ``max_states`` states, every state: one column per distance from the start, the start
  ringed in black, attractor states drawn as squares and named, each transition labelled with
  the node that changes (``Akt↓``) where there is room, and above every gap between columns the
  changes that appear there first;
* up to ``max_states`` strongly connected components, the same with each component contracted
  (the title says so);
* beyond, or for a :class:`~logicbone.dynamics.response.ResponseLayers`, one row per distance:
  how many states, the share of them with the readout ON, and the changes that appear there
  first (the order in which the signal travels); runs of rows with nothing new are merged.

States are coloured by a readout (``color_by``: red ON, blue OFF) or, without one, by the
attractor they lie in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..dynamics.response import ResponseGraph, ResponseLayers

__all__ = ["plot_response", "layer_layout", "MAX_DRAWN_STATES"]

#: states (or components) drawn one by one; beyond, the layer view
MAX_DRAWN_STATES = 300
#: label each transition up to this many transitions
_MAX_EDGE_LABELS = 80

_ON, _OFF, _MID = "#d6604d", "#4393c3", "#bbbbbb"


def plot_response(response: ResponseGraph | ResponseLayers, color_by: str | None = None,
                  title: str = "", max_states: int = MAX_DRAWN_STATES) -> Figure:
    """A :class:`matplotlib.figure.Figure` of a response graph.

    Parameters
    ----------
    response : ResponseGraph or ResponseLayers
    color_by : str, optional
        A node: states coloured by its value (red ON, blue OFF; a component or layer by the
        share of its states with it ON). Default: by attractor.
    title : str
    max_states : int
        Draw states (then components) one by one up to this many; beyond, by layers.

    Raises
    ------
    UnknownNodeError
        When ``color_by`` is not a node.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("S, S\\nA, S\\nB, A")
    >>> g = lb.response_graph(net, lb.initial_states(net, "S=1"))
    >>> fig = plot_response(g, color_by="B")
    >>> fig.axes[0].get_title(loc="left").splitlines()[0]
    '3 states reachable from 1 start state (asynchronous), 1 attractor'
    """
    from ..dynamics.response import ResponseLayers

    if color_by is not None and color_by not in response.names:
        from ..errors import UnknownNodeError
        raise UnknownNodeError(color_by, response.names, what="node (--color-by)")
    if isinstance(response, ResponseLayers):
        return _layers_figure(response, color_by, title, "")
    if response.n_states <= max_states:
        return _states_figure(response, color_by, title)
    collapsed = response.collapse()
    if collapsed.n_components <= max_states:
        return _components_figure(response, collapsed, color_by, title)
    return _layers_figure(response.layers(), color_by, title,
                          f"{response.n_states:,} states, {collapsed.n_components:,} strongly "
                          "connected components: drawn by distance from the start")


# ---------------------------------------------------------------- the layered layout

def layer_layout(n: int, layer: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """y of each node: within its layer, ordered by the mean position of its predecessors in
    the layer before (barycentre heuristic, two sweeps), centred on 0."""
    y = np.zeros(n)
    order_key = np.arange(n, dtype=float)
    depth = int(layer.max()) + 1 if n else 0
    forward = layer[dst] == layer[src] + 1
    fs, fd = src[forward], dst[forward]
    for _ in range(2):
        for d in range(depth):
            members = np.flatnonzero(layer == d)
            if d:
                acc = np.zeros(n)
                cnt = np.zeros(n)
                np.add.at(acc, fd, y[fs])
                np.add.at(cnt, fd, 1)
                key = np.where(cnt[members] > 0, acc[members] / np.maximum(cnt[members], 1),
                               order_key[members])
            else:
                key = order_key[members]
            ranked = members[np.argsort(key, kind="stable")]
            y[ranked] = np.arange(ranked.size) - (ranked.size - 1) / 2
            order_key[ranked] = y[ranked]
    return y


def _draw_graph(ax, x, y, src, dst, labels, colors, sizes, start, attractor, names_of_attr,
                edge_labels: bool):
    from matplotlib.patches import FancyArrowPatch

    for a, b, lab in zip(src.tolist(), dst.tolist(), labels):
        ax.add_patch(FancyArrowPatch((x[a], y[a]), (x[b], y[b]), arrowstyle="-|>",
                                     mutation_scale=7, color="#9a9a9a", lw=0.5,
                                     shrinkA=4, shrinkB=4, zorder=1,
                                     connectionstyle="arc3,rad=0.0" if x[a] != x[b]
                                     else "arc3,rad=0.4"))
        if edge_labels and lab:
            ax.text((x[a] + x[b]) / 2, (y[a] + y[b]) / 2, lab, fontsize=5, ha="center",
                    va="center", color="#444444", zorder=3,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
    transient = attractor < 0
    ax.scatter(x[transient], y[transient], s=sizes[transient], c=colors[transient], marker="o",
               edgecolors="#555555", linewidths=0.4, zorder=2)
    ax.scatter(x[~transient], y[~transient], s=sizes[~transient] * 1.6, c=colors[~transient],
               marker="s", edgecolors="#111111", linewidths=1.4, zorder=2)
    ax.scatter(x[start], y[start], s=sizes[start] * 3.2, facecolors="none", edgecolors="black",
               linewidths=2.0, zorder=4)
    for i in np.flatnonzero(start).tolist():
        ax.annotate("start", (x[i], y[i]), xytext=(0, 14), textcoords="offset points",
                    ha="center", fontsize=8, fontweight="bold")
    shown: set[int] = set()
    for i in np.flatnonzero(~transient).tolist():
        k = int(attractor[i])
        if k in shown:
            continue
        shown.add(k)
        ax.annotate(names_of_attr(k), (x[i], y[i]), xytext=(8, -4), textcoords="offset points",
                    ha="left", va="top", fontsize=7, fontweight="bold",
                    bbox=dict(boxstyle="round,pad=0.2", fc="#fff7d6", ec="#999999", lw=0.5))


def _gap_labels(ax, first_changes: list[list[str]], top: float) -> None:
    """Above the gap after each column, the changes that appear there first."""
    for d, changes in enumerate(first_changes):
        if changes:
            ax.text(d + 0.5, top, "\n".join(changes), fontsize=6, ha="center", va="bottom",
                    color="#7a3b00")


def _colors(values, color_by, attractor):
    from matplotlib import colormaps

    if color_by is None:
        palette = colormaps["tab10"]
        return np.array(["#d9d9d9" if a < 0 else _hex(palette(int(a) % 10))
                         for a in attractor.tolist()], dtype=object)
    cmap = colormaps["coolwarm"]
    return np.array([_hex(cmap(float(v))) for v in values], dtype=object)


def _hex(rgba) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])


def _phenotype(response, state_index: int, color_by: str | None) -> str:
    if color_by is None:
        return ""
    return f"\n{color_by} {'ON' if response.values(color_by)[state_index] else 'OFF'}"


def _legend(ax, color_by: str | None) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", mfc="none", mec="black", mew=2, ms=10,
                      label="start"),
               Line2D([], [], marker="s", ls="", mfc="#eeeeee", mec="#111111", mew=1.4, ms=8,
                      label="attractor state")]
    if color_by:
        handles += [Line2D([], [], marker="o", ls="", mfc=_hex_of(1.0), mec="#555555",
                           label=f"{color_by} ON"),
                    Line2D([], [], marker="o", ls="", mfc=_hex_of(0.0), mec="#555555",
                           label=f"{color_by} OFF")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7,
              frameon=False)


def _hex_of(v: float) -> str:
    from matplotlib import colormaps
    return _hex(colormaps["coolwarm"](v))


def _frame(response, what: str, title: str) -> str:
    head = title or (f"{response.label}: " if response.label else "")
    starts = int(np.count_nonzero(response.start))
    return (f"{head}{what} reachable from {starts} start state{'s' * (starts != 1)} "
            f"({response.update.value}), {response.n_attractors} attractor"
            f"{'s' * (response.n_attractors != 1)}")


def _states_figure(response, color_by, title):
    from matplotlib.figure import Figure

    g = response.graph
    dist = response.distance
    n = response.n_states
    depth = int(dist.max()) + 1 if n else 1
    width_layer = int(np.bincount(dist).max()) if n else 1
    y = layer_layout(n, dist, g.src, g.dst)
    x = dist.astype(float)
    values = response.values(color_by) if color_by else np.zeros(n)
    colors = _colors(values, color_by, response.attractor)
    size = 220.0 if n <= 40 else (90.0 if n <= 150 else 45.0)
    sizes = np.full(n, size)
    fig = Figure(figsize=(min(30.0, 2.0 + 1.0 * depth), min(22.0, 2.5 + 0.32 * width_layer)))
    ax = fig.subplots()
    labels = response.edge_labels()
    first_attr: dict[int, int] = {}
    for i, k in enumerate(response.attractor.tolist()):
        first_attr.setdefault(k, i)

    def name(k: int) -> str:
        size_k = int((response.attractor == k).sum())
        kind = "fixed point" if size_k == 1 else f"{size_k} states"
        return f"attractor {k} ({kind}){_phenotype(response, first_attr[k], color_by)}"

    _draw_graph(ax, x, y, g.src, g.dst, labels, colors, sizes, response.start,
                response.attractor, name, edge_labels=g.n_edges <= _MAX_EDGE_LABELS)
    top = float(y.max()) + 0.8 if n else 1.0
    _gap_labels(ax, response.layers().first_changes(), top)
    _finish(ax, fig, depth, float(y.min()) - 0.8 if n else -1, top, color_by,
            _frame(response, f"{n:,} states", title) + "\n" + _subtitle(color_by))
    return fig


def _components_figure(response, col, color_by, title):
    from matplotlib.figure import Figure

    m = col.n_components
    src = np.array([e[0] for e in col.edges], dtype=np.int64)
    dst = np.array([e[1] for e in col.edges], dtype=np.int64)
    labels = [e[2] for e in col.edges]
    y = layer_layout(m, col.distance, src, dst)
    x = col.distance.astype(float)
    if color_by:
        on = np.bincount(col.component, weights=response.values(color_by), minlength=m)
        values = on / col.size
    else:
        values = np.zeros(m)
    colors = _colors(values, color_by, col.attractor)
    sizes = 30.0 + 40.0 * np.log2(col.size)
    depth = int(col.distance.max()) + 1
    width_layer = int(np.bincount(col.distance).max())
    fig = Figure(figsize=(min(30.0, 2.0 + 1.0 * depth), min(22.0, 2.5 + 0.32 * width_layer)))
    ax = fig.subplots()

    def name(k: int) -> str:
        return f"attractor {k} ({int((response.attractor == k).sum())} states)"

    _draw_graph(ax, x, y, src, dst, labels, colors, sizes, col.start, col.attractor, name,
                edge_labels=len(labels) <= _MAX_EDGE_LABELS)
    top = float(y.max()) + 0.8
    _gap_labels(ax, response.layers().first_changes(), top)
    _finish(ax, fig, depth, float(y.min()) - 0.8, top, color_by,
            _frame(response, f"{response.n_states:,} states", title)
            + f"\ncollapsed to {m:,} strongly connected components (area ~ log size); "
            + _subtitle(color_by))
    return fig


def _subtitle(color_by) -> str:
    return (f"colour: {color_by} (red ON, blue OFF)" if color_by else
            "colour: the attractor a state lies in (grey: transient)")


def _finish(ax, fig, depth, bottom, top, color_by, title):
    ax.set_xlim(-0.6, depth - 0.4)
    ax.set_ylim(bottom, top + 1.5)
    ax.set_xticks(range(depth))
    ax.set_xlabel("distance from the start (transitions)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=9, loc="left")
    _legend(ax, color_by)
    _tight(fig)


# ---------------------------------------------------------------- by layers

def _layers_figure(layers, color_by, title, note):
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    rows = _merged_rows(layers)
    cmap = colormaps["coolwarm"]
    fraction = layers.fraction_on(color_by) if color_by else None
    biggest = max(layer.size for layer in layers.layers)
    scale = np.log10(biggest + 1) or 1.0
    fig = Figure(figsize=(13.0, 1.6 + 0.3 * len(rows)))
    ax = fig.subplots()
    for r, (lo, hi, new) in enumerate(rows):
        size = sum(layer.size for layer in layers.layers[lo:hi + 1])
        attr = sum(layer.attractor_states for layer in layers.layers[lo:hi + 1])
        length = np.log10(size + 1) / scale
        if fraction is not None:
            share = (sum(fraction[d] * layers.layers[d].size for d in range(lo, hi + 1))
                     / size)
            color = cmap(share)
            readout = f"{color_by} ON in {share:.0%}"
        else:
            color, readout = ("#e8c547" if attr else "#cccccc"), ""
        ax.barh(-r, length, height=0.7, color=color, edgecolor="#111111" if attr else "#777777",
                linewidth=1.5 if attr else 0.4)
        dist = f"{lo}" if lo == hi else f"{lo}-{hi}"
        ax.text(-0.02, -r, dist, ha="right", va="center", fontsize=7)
        mark = ("start  " if lo == 0 else "") + (f"{attr:,} in attractors  " if attr else "")
        info = f"{size:,} state{'s' * (size != 1)}  {readout}  {mark}".rstrip()
        ax.text(length + 0.01, -r, info, ha="left", va="center", fontsize=7)
        if new:
            ax.text(2.1, -r, "  ".join(new), ha="left", va="center", fontsize=7,
                    color="#7a3b00")
    ax.text(-0.02, 0.9, "distance", ha="right", va="bottom", fontsize=7, fontweight="bold")
    ax.text(2.1, 0.9, "changes first possible at this distance (the way the signal travels)",
            ha="left", va="bottom", fontsize=7, fontweight="bold")
    ax.set_xlim(-0.12, 4.8)
    ax.set_ylim(-len(rows) + 0.3, 1.6)
    ax.set_axis_off()
    head = title or (f"{layers.label}: " if layers.label else "")
    lines = [f"{head}{layers.n_states:,} states reachable ({layers.update.value}), "
             f"{layers.n_attractors} attractor{'s' * (layers.n_attractors != 1)}, by distance "
             "from the start"]
    if note:
        lines.append(note)
    lines.append("bar length ~ log(number of states); " + (
        f"colour: share with {color_by} ON (blue 0%, red 100%)" if color_by else
        "yellow, framed: holds attractor states"))
    ax.set_title("\n".join(lines), fontsize=9, loc="left")
    _tight(fig)
    return fig


def _tight(fig) -> None:
    import warnings

    with warnings.catch_warnings():  # a very small figure keeps the margins it has
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout()


def _merged_rows(layers) -> list[tuple[int, int, list[str]]]:
    """(first layer, last layer, new changes) per row; layers with no new change after one
    that had none are merged into it."""
    rows: list[tuple[int, int, list[str]]] = []
    for d, new in enumerate(layers.first_changes()):
        has_attr = layers.layers[d].attractor_states > 0
        if rows and not new and not rows[-1][2] and d > 0 and not has_attr \
                and layers.layers[rows[-1][0]].attractor_states == 0:
            rows[-1] = (rows[-1][0], d, [])
        else:
            rows.append((d, d, list(new)))
    return rows
