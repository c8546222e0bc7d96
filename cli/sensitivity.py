"""Output of ``logicbone check --sensitivity``: which rules hold each statement up."""
from __future__ import annotations

import logicbone as lb

from .options import emit, render_table


def emit_sensitivity(report: "lb.SensitivityReport", fmt: str) -> None:
    """Write a sensitivity report: one row per (statement, change that breaks it).

    The table lists each statement with the changes it depends on, then the changes that
    most statements depend on; CSV has one row per dependency (a statement without any has
    one row with empty change columns); JSON is :meth:`SensitivityReport.to_dict`.
    """
    header = ["id", "condition", "passes", "tested", "change", "node", "regulator", "value",
              "broken"]
    rows = []
    for s in report.statements:
        if not s.dependencies:
            rows.append([s.id, s.condition, s.passes, s.tested, "", "", "", "", ""])
        for d in s.dependencies:
            rows.append([s.id, s.condition, s.passes, s.tested, d.label, d.node, d.regulator,
                         d.value, " ".join(d.broken)])

    def table() -> str:
        what = "edges" if report.mode is lb.SensitivityMode.EDGE else "rules"
        body = []
        for s in report.statements:
            deps = " ".join(d.label for d in s.dependencies)
            shown = deps if s.passes else "(fails unperturbed: not analysed)"
            body.append([s.id, s.condition, f"{len(s.dependencies)}/{s.tested}", shown or "-"])
        lines = [render_table(["id", "condition", "breaks/tried", f"depends on ({what})"], body)]
        top = list(report.by_change().items())[:15]
        if top:
            lines.append("")
            lines.append(render_table([what[:-1], "statements", "ids"],
                                      [[k, len(v), " ".join(v)] for k, v in top]))
        held = {lb.SensitivityMode.RULE: "its resting value",
                lb.SensitivityMode.EDGE: "the regulator's resting value",
                lb.SensitivityMode.FLIP: "the opposite of its resting value"}[report.mode]
        n_free = sum(1 for s in report.statements if s.passes and not s.dependencies)
        lines.append(f"{len(report.statements)} statements, {report.update} update; each "
                     f"{what[:-1]} held at {held} (reference: {report.reference}); "
                     f"{n_free} passing statements depend on no single {what[:-1]}")
        return "\n".join(lines)

    emit(fmt, report.to_dict(), header, rows, table)
