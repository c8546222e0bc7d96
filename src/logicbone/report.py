"""One self-contained HTML page about a model: what it is and what it does.

The page needs no network access to open: figures are PNG data URIs, the response graph is
inline SVG, and the little JavaScript that makes it interactive (hover a state to see it, type
to filter the table of states) is inline too, with no library.

Sections: the model (nodes, inputs, outputs, sources), its interaction graph, the attractors
of every scenario, their comparison with the reference scenario (heatmap), the literature
checks, and the response to a change of condition (by default from ``baseline`` to
``disuse``, or to the first other scenario).

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("S, S\\nA, S\\nB, A")
>>> sc = lb.parse_scenarios("rest: {S: 0}\\nstim: {S: 1}")
>>> rep = build_report(net, scenarios=sc, model="toy")
>>> [s.id for s in rep.sections]
['model', 'graph', 'attractors', 'comparison', 'checks', 'response']
>>> rep.html().startswith("<!DOCTYPE html>")
True
"""
from __future__ import annotations

import base64
import html
import io
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import UsageError
from .dynamics.update import Update
from .network import Network
from .analysis.results import size_text

if TYPE_CHECKING:
    from .analysis.expectations import Expectation
    from .scenarios import Scenario

__all__ = ["build_report", "write_report", "Report", "Section", "response_pair"]

log = logging.getLogger(__name__)

#: a response drawn state by state (interactive SVG) up to this many states
MAX_INTERACTIVE_STATES = 300
#: states enumerated for the report's response before it is summarised by layers
RESPONSE_LIMIT = 1 << 18


@dataclass(frozen=True)
class Section:
    """One part of the report: an anchor ``id``, a heading and its HTML body."""

    id: str
    title: str
    body: str


@dataclass(frozen=True)
class Report:
    """The sections of a report; :meth:`html` gives the page."""

    title: str
    sections: tuple[Section, ...]

    def html(self) -> str:
        """The whole page: one HTML document with everything inline."""
        nav = " · ".join(f'<a href="#{s.id}">{html.escape(s.title)}</a>' for s in self.sections)
        body = "\n".join(f'<section id="{s.id}">\n<h2>{html.escape(s.title)}</h2>\n{s.body}\n'
                         "</section>" for s in self.sections)
        return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f"<title>{html.escape(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n"
                f"<body>\n<h1>{html.escape(self.title)}</h1>\n<nav>{nav}</nav>\n{body}\n"
                f"<script>{_JS}</script>\n</body>\n</html>\n")


def write_report(report: Report, path: str | PathLike[str], *, force: bool = False) -> Path:
    """Write ``report`` to ``path`` atomically.

    Raises
    ------
    OutputError
        When the folder of ``path`` does not exist or the file cannot be written (nothing
        is left under ``path`` then).
    FileExistsRefused
        When ``path`` exists and ``force`` is false (nothing is written).
    """
    from .outputs import write_atomic

    path = Path(path)
    write_atomic(path, report.html(), force=force)
    return path


def response_pair(scenarios: Mapping) -> tuple[str, str] | None:
    """The default response of a report: ``baseline`` to ``disuse`` when both exist, else the
    first scenario to the next one; None with fewer than two scenarios."""
    names = list(scenarios)
    if len(names) < 2:
        return None
    start = "baseline" if "baseline" in names else names[0]
    if "disuse" in names and start != "disuse":
        return start, "disuse"
    return start, next(n for n in names if n != start)


# ---------------------------------------------------------------- building

def build_report(net: Network, *, model: str = "", scenarios: Mapping[str, Scenario] | None = None,
                 expectations: Sequence[Expectation] | None = None,
                 update: Update | str = Update.ASYNCHRONOUS,
                 response: tuple[str, str] | None = None, color_by: str | None = None,
                 progress: Callable[[str], None] | None = None) -> Report:
    """The report of a model.

    Parameters
    ----------
    net : Network
    model : str
        A label (the model path or name).
    scenarios : mapping name -> Scenario, optional
        The conditions of the attractor, comparison and response sections (the first, or
        ``baseline``, is the reference).
    expectations : sequence of Expectation, optional
        Literature statements, judged in the checks section.
    update : Update or str
        Update scheme of every analysis.
    response : (str, str), optional
        Start and new condition of the response section (default: :func:`response_pair`).
    color_by : str, optional
        The readout that colours the response (default: the first output that changes along
        it, else the first output).
    progress : callable, optional
        Called with one line per step.

    Returns
    -------
    Report

    Raises
    ------
    UnknownNodeError, PerturbationError
        On a ``response`` or ``color_by`` that names unknown scenarios or nodes.
    """
    from .dynamics.update import Update

    update = Update.parse(update)
    say = progress or (lambda msg: None)
    scenarios = dict(scenarios or {})
    if response is None:
        response = response_pair(scenarios)
    if color_by is not None:
        net.check_nodes([color_by])
    title = f"{net.metadata.title or model or 'model'}: report"
    sections = [_summary(net, model)]
    say("interaction graph")
    sections.append(_graph(net, model))
    say(f"attractors of {len(scenarios)} scenarios")
    cmp = _comparison(net, scenarios, update, model)
    sections.append(_attractors(cmp))
    sections.append(_heatmap(cmp))
    say("literature checks")
    sections.append(_checks(net, expectations, scenarios, update, model))
    if response is not None:
        say(f"response {response[0]} -> {response[1]}")
    sections.append(_response(net, scenarios, response, update, color_by, model))
    return Report(title, tuple(sections))


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _esc(x) -> str:
    return html.escape(str(x))


def _table(header: Sequence[str], rows: Sequence[Sequence], cls: str = "",
           filterable: bool = False, raw: bool = False) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(f"<td>{c if raw else _esc(c)}</td>" for c in r) + "</tr>"
                     for r in rows)
    box = ('<input class="filter" type="search" placeholder="filter rows...">'
           if filterable else "")
    return f'{box}<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _summary(net: Network, model: str) -> Section:
    meta = net.metadata
    inputs, outputs, consts = set(net.inputs), set(net.outputs), set(net.constants)
    facts = [("model", model), ("title", meta.title or ""), ("nodes", len(net.names)),
             ("inputs", " ".join(net.inputs) or "-"), ("outputs", " ".join(net.outputs) or "-"),
             ("constants", " ".join(net.constants) or "-")]
    sources = getattr(meta, "sources", ()) or ()
    if sources:
        facts.append(("sources", "; ".join(str(s) for s in sources)))
    dl = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in facts)
    rows = []
    for n in net.names:
        kind = ("input" if n in inputs else "constant" if n in consts
                else "output" if n in outputs else "")
        regs = net.regulators(n)
        rows.append([n, kind, len(regs), " ".join(regs)])
    table = _table(["node", "kind", "in-degree", "regulators"], rows, "nodes", filterable=True)
    return Section("model", "Model", f"<dl>{dl}</dl>\n<details><summary>all {len(rows)} nodes"
                                     f"</summary>{table}</details>")


def _graph(net: Network, model: str) -> Section:
    from .analysis.interaction_graph import interaction_graph
    from .plot.graph import plot_interaction_graph

    fig = plot_interaction_graph(interaction_graph(net), title=model)
    return Section("graph", "Interaction graph",
                   "<p>Green arrows activate, red T-bars inhibit, dashed edges do both; inputs "
                   f"are yellow.</p>\n{_png(fig)}")


def _comparison(net, scenarios, update, model):
    from .analysis.compare import compare

    names = list(scenarios) or ["wt"]
    if "baseline" in names:
        names.remove("baseline")
        names.insert(0, "baseline")
    return compare(net, names, update=update, scenarios=scenarios, model=model)


def _cell(c: str) -> str:
    cls = {"1": "on", "0": "off"}.get(c, "osc")
    text = {"1": "ON", "0": "OFF"}.get(c, "osc")
    return f'<span class="{cls}">{text}</span>'


def _attractors(cmp) -> Section:
    readouts = list(cmp.readouts)
    pos = [cmp.nodes.index(r) for r in readouts]
    rows = []
    for c in cmp.conditions:
        for k, a in enumerate(c.result.attractors):
            kind = a.type.replace("_", " ")
            rows.append([_esc(c.name), str(k), _esc(kind), size_text(a.size),
                         *(_cell(a.subspace[i]) for i in pos)])
        if not c.result.attractors:
            rows.append([_esc(c.name), "-", "none found", "", *([""] * len(pos))])
    table = _table(["scenario", "#", "type", "states", *readouts], rows, "attractors",
                   filterable=True, raw=True)
    return Section("attractors", "Attractors per scenario",
                   f"<p>{cmp.update} update; columns: the readouts (phenotypes). "
                   f"{len(cmp.conditions)} conditions.</p>\n{table}")


def _heatmap(cmp) -> Section:
    from .plot.compare import plot_comparison

    fig = plot_comparison(cmp)
    rows = [[c.name, len(c.result.attractors), c.lost, c.gained, " ".join(c.changed) or "-"]
            for c in cmp.conditions]
    return Section("comparison", f"Comparison with {cmp.reference.name}",
                   f"{_png(fig)}\n" + _table(["condition", "attractors", "lost", "gained",
                                              "changed nodes"], rows, "comparison"))


def _checks(net, expectations, scenarios, update, model) -> Section:
    from .analysis.expectations import check_expectations

    if not expectations:
        return Section("checks", "Literature checks", "<p>No expectation file.</p>")
    rep = check_expectations(net, expectations, update, scenarios=scenarios, model=model)
    c = rep.counts
    rows = [[_esc(r.id), _esc(r.condition), _esc(r.node), _esc(r.expect),
             f'<span class="{r.status.lower()}">{r.status}</span>', _esc(r.source)]
            for r in rep.results]
    return Section("checks", "Literature checks",
                   f"<p>{c['PASS']} pass, {c['FAIL']} fail, {c['VACUOUS']} vacuous "
                   f"({rep.update} update).</p>\n"
                   + _table(["id", "condition", "node", "expect", "status", "source"], rows,
                            "checks", filterable=True, raw=True))


# ---------------------------------------------------------------- the response

def _response(net, scenarios, pair, update, color_by, model) -> Section:
    from .analysis.response import initial_states, response_layers
    from .dynamics.response import response_graph
    from .errors import StateSpaceTooLarge
    from .scenarios import resolve_condition

    if pair is None:
        return Section("response", "Response", "<p>No two scenarios to go from one to the "
                                               "other.</p>")
    start, new = pair
    pert = resolve_condition(new, scenarios, net)
    target = pert.apply(net)
    starts = initial_states(net, condition=start, scenarios=scenarios, clamps=pert,
                            update=update)
    label = f"{start} -> {new}"
    try:
        g = response_graph(target, starts, update, limit=RESPONSE_LIMIT, model=model,
                           label=label)
    except StateSpaceTooLarge:
        if update is not Update.ASYNCHRONOUS:
            raise
        readout = color_by or (net.outputs[0] if net.outputs else net.names[0])
        layers = response_layers(target, starts, readouts=[readout], model=model, label=label)
        return Section("response", f"Response: {label}",
                       _layers_html(layers, readout, f"more than {RESPONSE_LIMIT:,} states"))
    readout = color_by or _changing_output(net, g)
    if g.n_states > MAX_INTERACTIVE_STATES:
        return Section("response", f"Response: {label}",
                       _layers_html(g.layers(), readout, f"{g.n_states:,} states"))
    return Section("response", f"Response: {label}", _states_html(g, readout))


def _changing_output(net: Network, g) -> str:
    for n in net.outputs:
        if np.unique(g.values(n)).size > 1:
            return n
    return net.outputs[0] if net.outputs else net.names[0]


def _states_html(g, readout: str) -> str:
    from .plot.response import layer_layout

    n = g.n_states
    dist = g.distance
    y = layer_layout(n, dist, g.graph.src, g.graph.dst)
    depth = int(dist.max()) + 1
    firsts = g.layers().first_changes()
    top = 30 + 13 * max((len(f) for f in firsts), default=0)  # room for the change labels
    xs = 60 + 110 * dist
    ys = top + 26 * (y - y.min())
    width, height = int(xs.max()) + 200, int(ys.max()) + 60
    values = g.values(readout)
    names = g.names
    chars = g.chars()
    first = int(np.flatnonzero(g.start)[0])
    ref = chars[first]
    labels = g.edge_labels()
    parts = [f'<svg id="stg" xmlns="http://www.w3.org/2000/svg" width="100%" '
             f'viewBox="0 0 {width} {height}" style="max-width:{width}px">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
             'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#999"/></marker></defs>']
    for d in range(depth):
        parts.append(f'<text class="layer" x="{60 + 110 * d}" y="16">{d}</text>')
        for j, change in enumerate(firsts[d]):  # what appears first between d and d + 1
            parts.append(f'<text class="change" x="{115 + 110 * d}" y="{30 + 13 * j}">'
                         f'{_esc(change)}</text>')
    for e, (a, b) in enumerate(zip(g.graph.src.tolist(), g.graph.dst.tolist())):
        parts.append(f'<line class="edge" data-s="{a}" data-t="{b}" x1="{xs[a]:.1f}" '
                     f'y1="{ys[a]:.1f}" x2="{xs[b]:.1f}" y2="{ys[b]:.1f}" '
                     f'marker-end="url(#arrow)"><title>{_esc(labels[e])}</title></line>')
    records: list[dict[str, Any]] = []
    for i in range(n):
        diff = [f"{names[k]}{'↑' if chars[i][k] == 49 else '↓'}"
                for k in np.flatnonzero(chars[i] != ref).tolist()]
        att = int(g.attractor[i])
        cls = ["state", "on" if values[i] else "off"]
        if g.start[i]:
            cls.append("start")
        if att >= 0:
            cls.append("attr")
        tip = (f"distance {int(dist[i])}; {readout} {'ON' if values[i] else 'OFF'}"
               + (f"; attractor {att}" if att >= 0 else "") + (" (start)" if g.start[i] else ""))
        shape = (f'<rect x="{xs[i] - 7:.1f}" y="{ys[i] - 7:.1f}" width="14" height="14"'
                 if att >= 0 else f'<circle cx="{xs[i]:.1f}" cy="{ys[i]:.1f}" r="7"')
        parts.append(f'{shape} class="{" ".join(cls)}" data-i="{i}"><title>{_esc(tip)}</title>'
                     f'{"</rect>" if att >= 0 else "</circle>"}')
        records.append({"d": int(dist[i]), "a": att, "s": bool(g.start[i]),
                        "r": int(values[i]), "diff": diff,
                        "on": [names[k] for k in np.flatnonzero(chars[i] == 49).tolist()]})
    parts.append("</svg>")
    data = json.dumps({"readout": readout, "states": records}).replace("</", "<\\/")
    rows = [[i, r["d"], r["a"] if r["a"] >= 0 else "", "yes" if r["s"] else "",
             "ON" if r["r"] else "OFF", " ".join(r["diff"]) or "-"]
            for i, r in sorted(enumerate(records), key=lambda ir: (ir[1]["d"], ir[0]))]
    table = _table(["state", "distance", "attractor", "start", readout,
                    "changed since the start"], rows, "states", filterable=True)
    return (f"<p>{n:,} states reachable from {int(g.start.sum())} start state(s), "
            f"{g.update.value} update, {g.n_attractors} attractor(s). Columns: distance from "
            f"the start; above each gap, the changes that appear there first; ringed: start; "
            f"squares: attractor states; colour: {_esc(readout)} (red ON, blue OFF). Hover a state to see it; hover an edge for the node that "
            "changes.</p>\n"
            f'<div class="stgbox">{"".join(parts)}</div>\n'
            '<pre id="stg-info">hover a state</pre>\n'
            f'<script type="application/json" id="stg-data">{data}</script>\n{table}')


def _layers_html(layers, readout: str, why: str) -> str:
    frac = layers.fraction_on(readout)
    firsts = layers.first_changes()
    biggest = max(layer.size for layer in layers.layers)
    rows = []
    for d, layer in enumerate(layers.layers):
        width = 4 + 200 * np.log10(layer.size + 1) / np.log10(biggest + 1)
        bar = (f'<svg class="bar" width="210" height="12"><rect width="{width:.0f}" height="12" '
               f'fill="{_share_color(frac[d])}"><title>{layer.size:,} states, {readout} ON in '
               f'{frac[d]:.0%}</title></rect></svg>')
        rows.append([str(d), bar, f"{layer.size:,}", f"{frac[d]:.0%}",
                     f"{layer.attractor_states:,}" if layer.attractor_states else "",
                     _esc(" ".join(firsts[d])) or "-"])
    table = _table(["distance", "states (log)", "states", f"{readout} ON", "in attractors",
                    "changes first possible here"], rows, "layers", filterable=True, raw=True)
    return (f"<p>{layers.n_states:,} states reachable ({layers.update.value} update, {why}): "
            "too many to draw one by one, so here by distance from the start. Each row: how "
            f"many states, the share with {_esc(readout)} ON, and the changes that become "
            "possible there first (the way the signal travels).</p>\n" + table)


def _share_color(share: float) -> str:
    r = int(67 + (214 - 67) * share)
    g = int(147 + (96 - 147) * share)
    b = int(195 + (77 - 195) * share)
    return f"#{r:02x}{g:02x}{b:02x}"


_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
nav{margin-bottom:1em}nav a{margin-right:.3em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
img{max-width:100%}
.on{color:#fff;background:#d6604d;padding:0 3px}.off{color:#fff;background:#4393c3;padding:0 3px}
.osc{background:#ddd;padding:0 3px}
.pass{color:#1a7f37;font-weight:bold}.fail{color:#c0392b;font-weight:bold}.vacuous{color:#888}
.filter{margin:.3em 0;padding:2px 6px;width:20em}
.stgbox{overflow:auto;border:1px solid #ddd;max-height:80vh}
#stg .edge{stroke:#aaa;stroke-width:1}#stg .edge.hl{stroke:#000;stroke-width:2}
#stg .state{stroke:#555;stroke-width:.8;cursor:pointer}
#stg .state.on{fill:#d6604d}#stg .state.off{fill:#4393c3}
#stg .state.start{stroke:#000;stroke-width:3}#stg .state.attr{stroke:#000;stroke-width:2}
#stg .state.sel{stroke:#f0a000;stroke-width:4}
#stg .layer{font-size:11px;fill:#666}
#stg .change{font-size:10px;fill:#7a3b00;text-anchor:middle}
#stg-info{background:#f8f8f8;border:1px solid #ddd;padding:.5em;white-space:pre-wrap;min-height:3em}
"""

_JS = """
(function () {
  document.querySelectorAll('input.filter').forEach(function (box) {
    var table = box.nextElementSibling;
    box.addEventListener('input', function () {
      var q = box.value.toLowerCase();
      table.querySelectorAll('tbody tr').forEach(function (tr) {
        tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
    });
  });
  document.documentElement.setAttribute('data-filters', String(
    document.querySelectorAll('input.filter').length));
  var svg = document.getElementById('stg');
  var dataNode = document.getElementById('stg-data');
  if (!svg || !dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var info = document.getElementById('stg-info');
  var edges = svg.querySelectorAll('.edge');
  svg.querySelectorAll('.state').forEach(function (el) {
    el.addEventListener('mouseenter', function () {
      var i = el.getAttribute('data-i');
      var s = data.states[Number(i)];
      svg.querySelectorAll('.state.sel').forEach(function (o) { o.classList.remove('sel'); });
      el.classList.add('sel');
      edges.forEach(function (e) {
        var on = e.getAttribute('data-s') === i || e.getAttribute('data-t') === i;
        e.classList.toggle('hl', on);
      });
      info.textContent = 'state ' + i + ': distance ' + s.d +
        (s.s ? ' (start)' : '') + (s.a >= 0 ? ', attractor ' + s.a : ', transient') +
        ', ' + data.readout + ' ' + (s.r ? 'ON' : 'OFF') +
        '\\nchanged since the start: ' + (s.diff.join(' ') || '-') +
        '\\nON: ' + s.on.join(' ');
    });
  });
  document.documentElement.setAttribute('data-stg-states', String(data.states.length));
})();
"""
