"""Results as pandas DataFrames and as HTML tables, for notebooks.

Every main result type has ``to_frame()`` (pandas is imported then, and only then: it is the
optional extra ``logicbone[notebook]``) and ``_repr_html_()`` (no pandas needed), which Jupyter
calls to show the result as a table. The functions here do the work; the result classes call
them.

Node columns of attractors and trap spaces hold ``1``, ``0``, or ``<NA>`` where the node is not
fixed (it oscillates in the attractor, or is free in the trap space), as a nullable ``Int8``.

Examples
--------
>>> import logicbone as lb
>>> res = lb.attractors(lb.parse_bnet("A, B\\nB, A"), "sync")
>>> res.to_frame()                                         # doctest: +NORMALIZE_WHITESPACE
                  type  size     A     B
attractor
1          fixed_point     1     0     0
2                cycle     2  <NA>  <NA>
3          fixed_point     1     1     1
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["attractors_frame", "fixed_points_frame", "trap_spaces_frame", "comparison_frame",
           "screen_frame", "expectations_frame", "spaces_repr_html", "records_html"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as err:  # pragma: no cover - the extra is not installed
        raise ImportError("to_frame() needs pandas: pip install 'logicbone[notebook]'") from err
    return pandas


def _node_columns(pd: Any, nodes: Sequence[str], spaces: Sequence[str], index: Any) -> Any:
    value = {"0": 0, "1": 1, "*": None}
    data = {n: pd.array([value[s[i]] for s in spaces], dtype="Int8")
            for i, n in enumerate(nodes)}
    return pd.DataFrame(data, index=index)


def attractors_frame(result: Any) -> Any:
    """One row per attractor (numbered from 1): type, size, basin figures, then the nodes."""
    pd = _pandas()
    atts = result.attractors
    index = pd.RangeIndex(1, len(atts) + 1, name="attractor")
    head = pd.DataFrame({"type": [a.type for a in atts], "size": [a.size for a in atts]},
                        index=index)
    if any(a.basin is not None for a in atts):
        head["basin"] = [a.basin for a in atts]
    if any("reach_probability" in a.extra for a in atts):
        head["reach_probability"] = [a.extra.get("reach_probability") for a in atts]
    return pd.concat([head, _node_columns(pd, result.nodes, [a.subspace for a in atts], index)],
                     axis=1)


def fixed_points_frame(result: Any) -> Any:
    """One row per fixed point (numbered from 1), one 0/1 column per node."""
    pd = _pandas()
    states = result.strings()
    index = pd.RangeIndex(1, len(states) + 1, name="fixed_point")
    return _node_columns(pd, result.nodes, states, index).astype("int8")


def trap_spaces_frame(result: Any) -> Any:
    """One row per trap space (numbered from 1); free nodes are ``<NA>``."""
    pd = _pandas()
    index = pd.RangeIndex(1, len(result.spaces) + 1, name="trap_space")
    return _node_columns(pd, result.nodes, list(result.spaces), index)


def comparison_frame(cmp: Any) -> Any:
    """Nodes (rows) by conditions (columns): ``ON``, ``OFF``, ``mixed`` or ``oscillating``."""
    pd = _pandas()
    nodes = list(cmp.nodes)
    frame = pd.DataFrame({c.name: [c.summary.get(n) for n in nodes] for c in cmp.conditions},
                         index=pd.Index(nodes, name="node"))
    frame.columns.name = "condition"
    return frame


def screen_frame(result: Any) -> Any:
    """One row per perturbation, in rank order: kind, effect, lost/gained, readouts."""
    pd = _pandas()
    rows = []
    for r in result.records:
        row = {"perturbation": r.perturbation, "kind": r.kind, "attractors": r.attractors,
               "complete": r.complete, "effect": r.effect, "lost": r.lost, "gained": r.gained}
        row.update(r.readouts)
        row.update({f"activity:{k}": v for k, v in r.activity.items()})
        rows.append(row)
    return pd.DataFrame(rows).set_index("perturbation")


def expectations_frame(report: Any) -> Any:
    """One row per checked expectation: id, condition, node, expected, status, source."""
    pd = _pandas()
    return pd.DataFrame([{"id": r.id, "condition": r.condition, "node": r.node,
                          "expect": r.expect, "status": r.status, "value": r.value,
                          "attractors": r.n_attractors, "source": r.source, "note": r.note}
                         for r in report.results])


# ---------------------------------------------------------------- HTML without pandas

def spaces_repr_html(title: str, nodes: Sequence[str], spaces: Sequence[str],
                     labels: Sequence[str] | None = None, inputs: Sequence[str] = ()) -> str:
    """HTML of many subspaces: the readable layout of :mod:`logicbone.tables`."""
    from .tables import layout_spaces, spaces_html

    return spaces_html(layout_spaces(nodes, spaces, inputs=inputs), labels=labels, title=title)


def records_html(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
                 max_rows: int = 200) -> str:
    """A plain HTML table of rows (escaped), at most ``max_rows`` of them."""
    esc = html.escape
    head = "".join(f"<th>{esc(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc('' if c is None else str(c))}</td>" for c in r)
                   + "</tr>" for r in rows[:max_rows])
    more = (f"<p>{max_rows:,} of {len(rows):,} rows shown (<code>to_frame()</code> has them "
            "all)</p>") if len(rows) > max_rows else ""
    return (f'<div class="logicbone"><p><b>{esc(title)}</b></p><table border="1"><thead>'
            f"<tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</div>")
