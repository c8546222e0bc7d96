"""``logicbone check MODEL [EXPECTATIONS]``: literature expectations against the attractors."""
from __future__ import annotations

from pathlib import Path

import click

import logicbone as lb

from ..options import (echo_err, emit, format_option, load, method_option, model_argument,
                       model_format_option, render_table, update_option)


def _witness(r: "lb.ExpectationResult", nodes: tuple[str, ...]) -> str:
    """A failure's attractor, shortened to what a reader needs: the node, then ON/OFF lists."""
    if r.witness is None:
        return ""
    sub = r.witness.subspace
    on = [n for n, c in zip(nodes, sub) if c == "1"]
    osc = [n for n, c in zip(nodes, sub) if c == "*"]
    text = f"{r.node}={sub[nodes.index(r.node)]} in a {r.witness.type} ({r.witness.size} states)"
    text += f"; ON: {' '.join(on) or '-'}"
    if osc:
        text += f"; oscillating: {' '.join(osc)}"
    return text


@click.command("check")
@model_argument
@click.argument("expectations", required=False, type=click.Path(dir_okay=False))
@update_option(lb.Update.ASYNCHRONOUS,
               (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL),
               help="Update scheme of the attractors the statements are judged on.")
@click.option("--scenarios", "scenarios_path", type=click.Path(dir_okay=False), default=None,
              help="Scenario file (default: <model stem>.scenarios.yaml next to MODEL).")
@method_option(lb.AttractorMethod, help="Attractor method.")
@click.option("--sources/--no-sources", default=False,
              help="Show each statement's source sentence in the table.")
@click.option("--sensitivity", is_flag=True,
              help="Instead of verdicts, report for each statement the rules it depends on: "
                   "those whose change makes it fail.")
@click.option("--perturb", "perturb", default="rule", show_default=True,
              type=click.Choice(["rule", "edge", "flip"]),
              help="With --sensitivity: hold a whole rule at its node's resting value, cut "
                   "one regulator edge (the regulator held at its resting value), or hold a "
                   "rule at the opposite of its resting value.")
@click.option("--reference", default=None,
              help="With --sensitivity: the condition that gives resting values "
                   "(default: baseline when the scenario file has it, else wt).")
@click.option("--graded/--no-graded", default=True, show_default=True,
              help="Also judge the graded statements (blunted, transient, slower effects) "
                   "with the stochastic engine.")
@click.option("--samples", type=click.IntRange(min=2), default=None,
              help="Trajectories per condition for the graded statements (default: each "
                   "statement's own, 2000 unless it says).")
@format_option
@model_format_option
def command(model, expectations, update, scenarios_path, method, sources, sensitivity, perturb,
            reference, graded, samples, fmt, model_format):
    """Check literature EXPECTATIONS (default: <model stem>.expectations.yaml) on MODEL.

    Each statement fixes a condition (scenarios and clamps) and says which nodes are ON or
    OFF in all, some or none of the attractors. Reports PASS, FAIL (with the attractor that
    witnesses it) or VACUOUS (no attractor to judge) per node; exits 1 if any fails.
    """
    net = load(model, model_format=model_format)
    exp_path = Path(expectations) if expectations else lb.expectation_path_for(model)
    sc_path = Path(scenarios_path) if scenarios_path else lb.scenario_path_for(model)
    try:
        statements = lb.read_expectations(exp_path)
    except lb.ExpectationError as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    scenarios = lb.read_scenarios(sc_path) if (scenarios_path or sc_path.exists()) else {}
    if sensitivity:
        from ..sensitivity import emit_sensitivity

        sens = lb.expectation_sensitivity(net, statements, update, scenarios=scenarios,
                                          reference=reference, mode=perturb, method=method,
                                          model=model)
        emit_sensitivity(sens, fmt)
        if not all(s.passes for s in sens.statements):
            raise SystemExit(1)
        return
    report = lb.check_expectations(net, statements, update, scenarios=scenarios,
                                   method=method, model=model)
    graded_report = graded_check(net, exp_path, scenarios, samples) if graded else None
    nodes = report.nodes
    header = ["id", "condition", "node", "expect", "status", "value", "witness", "source"]
    rows = [[r.id, r.condition, r.node, r.expect, r.status, r.value, _witness(r, nodes),
             r.source] for r in report.results]

    def table() -> str:
        cols = ["id", "condition", "node", "expect", "status"] + (["source"] if sources else [])
        body = [[r.id, r.condition, r.node, r.expect, r.status] + ([r.source] if sources else [])
                for r in report.results]
        lines = [render_table(cols, body)]
        for r in report.results:
            if r.status == "FAIL":
                lines.append(f"FAIL {r.id} [{r.condition}] {r.node} {r.expect}: "
                             f"{_witness(r, nodes)}")
        c = report.counts
        lines.append(f"{len(statements)} statements, {len(report.results)} checks, "
                     f"{report.update} update: {c['PASS']} pass, {c['FAIL']} fail, "
                     f"{c['VACUOUS']} vacuous")
        return "\n".join(lines)

    if graded_report is not None and graded_report.results:
        data = {**report.to_dict(), "graded": graded_report.to_dict()}
        rows += [[g.statement.id, g.statement.condition, g.statement.node or "", "graded",
                  g.status, f"{g.value:.4g} ± {g.error:.2g}", g.detail, g.statement.source]
                 for g in graded_report.results]
        emit(fmt, data, header, rows, lambda: table() + "\n\n" + graded_table(graded_report))
    else:
        emit(fmt, report.to_dict(), header, rows, table)
    if report.interrupted:
        echo_err(f"note: partial check (interrupted): {len(report.skipped)} statements not "
                 "checked")
        click.get_current_context().exit(130)
    if not report.ok or (graded_report is not None and not graded_report.ok):
        raise SystemExit(1)


def graded_check(net, exp_path, scenarios, samples) -> "lb.GradedReport | None":
    """The graded statements of the expectation file, judged (None when there are none)."""
    try:
        statements = lb.read_graded(exp_path)
    except lb.ExpectationError as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    if not statements:
        return None
    return lb.check_graded(net, statements, scenarios=scenarios, samples=samples)


def graded_table(rep: "lb.GradedReport") -> str:
    """Graded verdicts: the statement, PASS/FAIL, the measured difference and its error."""
    rows = [[g.statement.id, g.statement.describe(), g.status,
             f"{g.value:.3f} ± {g.error:.3f} (needs > {g.needed:g} + 2 se)", g.detail]
            for g in rep.results]
    ok = sum(g.status == "PASS" for g in rep.results)
    return ("graded statements (stochastic, MaBoSS semantics; seeded):\n"
            + render_table(["id", "statement", "status", "difference", "measured"], rows)
            + f"\n{len(rows)} graded: {ok} pass, {len(rows) - ok} fail")
