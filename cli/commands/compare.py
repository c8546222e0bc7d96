"""``logicbone compare MODEL --condition wt --condition Akt=0 ...``: repertoires side by side."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (current_scenarios, echo_err, emit, fit_table, format_option, load,
                       method_option, model_argument, model_format_option, output_check,
                       parallel_options,
                       perturbation_from, perturbation_options, undefined_option, update_option,
                       wrap_line)

_SHORT = {"ON": "ON", "OFF": "OFF", "mixed": "mix", "oscillating": "osc"}


def _names(text_groups) -> list[str] | None:
    out = [n.strip() for g in text_groups for n in g.split(",") if n.strip()]
    return out or None


def _cell(cond, node: str, ref_name: str) -> str:
    s = _SHORT[cond.summary[node]]
    return f"[{s}]" if cond.name != ref_name and node in cond.changed else s


def _tables(cmp, shown: list[str], grid_cells) -> str:
    ref = cmp.reference.name
    out = [wrap_line(f"{cmp.model}: {cmp.update} attractors under {len(cmp.conditions)} "
                     f"conditions; reference {ref}; phenotype = {' '.join(cmp.readouts)}")]
    if not cmp.complete:
        out.append("note: some attractor sets are incomplete")
    rows = []
    for c in cmp.conditions:
        st = [m.status for m in c.matches]
        rows.append([c.name, len(c.matches), st.count("identical"), st.count("same phenotype"),
                     c.gained, c.lost, len(c.changed)])
    out += ["", fit_table(["condition", "attractors", "identical", "same phenotype",
                           "gained", "lost", "nodes changed"], rows)]
    if grid_cells is not None:
        head, body = grid_cells
        out += ["", fit_table(head, body)]
    else:
        out += ["", fit_table(["node"] + [c.name for c in cmp.conditions],
                              [[n] + [_cell(c, n, ref) for c in cmp.conditions]
                               for n in shown])]
    out.append(wrap_line(f"ON / OFF in every attractor, mix: differs across attractors, osc: "
                         f"oscillates; [ ] differs from {ref}"))
    ph_rows = [[ph] + [counts.get(c.name, "") for c in cmp.conditions]
               for ph, counts in cmp.phenotype_table()]
    out += ["", wrap_line(f"phenotypes ({' '.join(cmp.readouts)}; * oscillates): attractors "
                          "per condition"),
            fit_table(["phenotype"] + [c.name for c in cmp.conditions], ph_rows)]
    return "\n".join(out)


@click.command("compare")
@model_argument
@click.option("-c", "--condition", "conditions", multiple=True, metavar="COND",
              help="A condition: wt, A=0,B=1, a scenario name, or parts joined by '+'. "
                   "Repeatable; the first is the reference (default: wt).")
@click.option("--inputs-grid", default=None, metavar="IN1,IN2,...",
              help="Run every ON/OFF combination of these inputs under each condition.")
@click.option("--readouts", multiple=True, metavar="A,B",
              help="Nodes that define a phenotype and that the table shows (default: the "
                   "outputs define phenotypes and every node is shown).")
@click.option("--changed-only", is_flag=True,
              help="Show only nodes whose summary differs from the reference somewhere.")
@update_option(lb.Update.ASYNCHRONOUS, help="Update scheme of every condition.")
@method_option(lb.AttractorMethod, help="Attractor method.")
@click.option("--plot", "plot", default=None, metavar="FILE.png|FILE.svg|FILE.pdf",
              help="Also draw the conditions x nodes heatmap (format from the extension).")
@click.option("--force", is_flag=True, help="Overwrite the --plot figure if it exists.")
@perturbation_options
@parallel_options
@format_option
@undefined_option
@model_format_option
def command(model, conditions, inputs_grid, readouts, changed_only, update, method, plot,
            force, ko, oe, fix_, inputs_, jobs, scheduler, fmt, undefined_as_input, model_format):
    """Compare the attractors of MODEL under several conditions.

    Attractors are matched to the reference (the first condition): identical, same
    phenotype on the readouts, or gained; reference attractors kept, shifted or lost. The
    perturbation options (--ko, --fix, --scenario, ...) apply under every condition.

    \b
    logicbone compare models/muscle_fibre.rules --scenario baseline \\
        -c wt -c Akt=0 -c rapamycin --readouts Hypertrophy,Atrophy
    """
    output_check(plot, force, lb.FIGURE_FORMATS, what="figure")
    net = load(model, undefined_as_input, model_format)
    base = perturbation_from(ko, oe, fix_, inputs_)
    net.check_nodes(base)
    scenarios = current_scenarios(model)
    genotypes = [lb.resolve_condition(c, scenarios, net) for c in (conditions or ("wt",))]
    grid_inputs = (_names([inputs_grid]) or []) if inputs_grid else []
    net.check_nodes(grid_inputs)
    not_inputs = [g for g in grid_inputs if g not in net.inputs]
    if not_inputs:
        echo_err(f"warning: {', '.join(not_inputs)} not inputs of the model; clamped anyway")
    perts = []
    for combo in (lb.input_grid(grid_inputs) if grid_inputs else [None]):
        for g in genotypes:
            values = dict(base)
            label = g.label
            if combo is not None:
                values.update(combo)
                label = combo.label if g.label == "wt" else f"{combo.label}+{g.label}"
            values.update(g)
            perts.append(lb.Perturbation(values, label=label))
    shown_readouts = _names(readouts)
    cmp = lb.compare(net, perts, update=update, method=method, readouts=shown_readouts,
                     model=model, jobs=jobs, scheduler=scheduler, grid=grid_inputs)
    shown = list(shown_readouts or net.names)
    if changed_only:
        changed = {n for c in cmp.conditions for n in c.changed}
        shown = [n for n in shown if n in changed]
    grid_cells = None
    if grid_inputs:
        head = grid_inputs + ["genotype"] + shown
        body = []
        for p, c in zip(perts, cmp.conditions):
            g = c.name.split("+", 1)[1] if "+" in c.name else "wt"
            body.append([p[i] for i in grid_inputs] + [g]
                        + [_cell(c, n, cmp.reference.name) for n in shown])
        grid_cells = (head, body)
    header = ["node"] + [c.name for c in cmp.conditions]
    rows = [[n] + [c.summary[n] for c in cmp.conditions] for n in shown]
    emit(fmt, cmp.to_dict(), header, rows, lambda: _tables(cmp, shown, grid_cells))
    if plot:
        lb.plot_comparison(cmp, plot, nodes=shown or None, force=force)
        echo_err(f"wrote {plot}")
    if cmp.interrupted:
        echo_err(f"note: partial comparison (interrupted): {', '.join(cmp.skipped)} not "
                 "analysed")
        click.get_current_context().exit(130)
    if not cmp.complete:
        echo_err("warning: some attractor sets are incomplete; matches may be missing")
