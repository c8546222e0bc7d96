"""``logicbone control MODEL --target ...``: minimal interventions that guarantee a target."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (echo_err, emit, format_option, load, model_argument, model_format_option,
                       parallel_options, partial_answer_options, progress_printer, render_table,
                       scenarios_for, undefined_option)


def _items(groups) -> list[str]:
    return [x.strip() for g in groups for x in g.split(",") if x.strip()]


def _conditions(net, scenario, condition, inputs_, grid, known) -> list:
    """The conditions searched: each --scenario/--condition, times each --inputs-grid
    combination, with --inputs on top of every one."""
    base = [lb.resolve_condition(c, known, net) for c in (*scenario, *condition)]
    if not base:
        base = [lb.Perturbation({}, "wt")]
    extra: dict[str, int] = {}
    for group in inputs_:
        extra.update(lb.parse_assignments(group))
    net.check_nodes(extra)
    grid_nodes = _items(grid)
    net.check_nodes(grid_nodes)
    combos = lb.input_grid(grid_nodes) if grid_nodes else [lb.Perturbation({})]
    out = []
    for b in base:
        for g in combos:
            added = {**extra, **dict(g)}
            text = ",".join(f"{k}={v}" for k, v in added.items())
            label = (b.label if not text else text if b.label == "wt" and not b
                     else f"{b.label}+{text}")
            out.append(lb.Perturbation({**dict(b), **added}, label))
    return out


def _allowed(net, allowed, drugs_flag, known, conditions):
    """Nodes (NODE or NODE=v) and drugs (scenario names) that may be used."""
    drugs: dict[str, dict[str, int]] = {}
    nodes: list[str] | None = None
    if allowed:
        nodes = []
        every = lb.drug_interventions(known)
        for item in _items(allowed):
            if item in every and item not in net.names:
                drugs[item] = every[item]
            else:
                nodes.append(item)
        if not nodes and not drugs:
            raise lb.UsageError("--allowed names no node or drug")
    if drugs_flag:
        if not known:
            raise lb.PerturbationError("--drugs needs a scenario file (next to the model, or "
                                       "--scenario-file)")
        used = {part.strip() for c in conditions for part in c.label.split("+")}
        parents = {known[c].extends for c in used if c in known and known[c].extends}
        for name, fixes in lb.drug_interventions(known, exclude=used | parents).items():
            drugs.setdefault(name, fixes)
        if not drugs:
            raise lb.UsageError("--drugs: the scenario file defines no drug for these conditions")
    return nodes, drugs


@click.command("control")
@model_argument
@click.option("-t", "--target", required=True, metavar="A=0,B=1",
              help="The phenotype every attractor must show (NODE=0/1 pairs).")
@click.option("--scenario", multiple=True, metavar="NAME",
              help="A condition to search from (a scenario name; A+B combines). Repeat it to "
                   "search several conditions at once.")
@click.option("-c", "--condition", multiple=True, metavar="COND",
              help="A condition as NODE=0/1 pairs or scenario names joined by '+'. "
                   "Repeatable.")
@click.option("--inputs", "inputs_", multiple=True, metavar="A=1,B=0",
              help="Fixings added to every condition. Repeatable.")
@click.option("--inputs-grid", "grid", multiple=True, metavar="A,B",
              help="Search every OFF/ON combination of these nodes (times each condition).")
@click.option("--scenario-file", type=click.Path(dir_okay=False), default=None,
              help="YAML file of named scenarios (default: <model stem>.scenarios.yaml next to "
                   "the model).")
@click.option("--allowed", multiple=True, metavar="NODES",
              help="Nodes that may be fixed (NODE for both values, NODE=v for one), and drugs "
                   "(scenario names). Default: every node that is not an input, a constant or "
                   "in the target.")
@click.option("--drugs", "drugs_flag", is_flag=True,
              help="Use the scenario file's drugs: each scenario's own clamps as one "
                   "intervention (not the conditions searched, nor what they extend).")
@click.option("--max-size", type=int, default=3, show_default=True,
              help="Largest number of parts (node fixings or drugs) in an intervention.")
@click.option("--kind", type=click.Choice(["permanent", "temporary"]), default="permanent",
              show_default=True, help="Interventions held for ever, or applied and released.")
@click.option("--max-steps", type=int, default=2, show_default=True,
              help="Temporary control: when no single intervention works, search sequences "
                   "of up to this many steps (each held until the system settles, then the "
                   "next; the last released).")
@click.option("--update", type=click.Choice(["async", "mp"]), default="async",
              show_default=True,
              help="Attractors every set is checked on: asynchronous, or most permissive.")
@click.option("--readouts", multiple=True, metavar="X,Y",
              help="Nodes whose change counts as a side effect (default: the outputs not in "
                   "the target).")
@click.option("--top", type=click.IntRange(min=0), default=30, show_default=True,
              help="Rows per table (0: all); JSON and CSV hold every intervention.")
@partial_answer_options
@parallel_options
@format_option
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, target, scenario, condition, inputs_, grid, scenario_file, allowed,
            drugs_flag, max_size, kind, max_steps, update, readouts, top, limit, timeout, jobs,
            scheduler, fmt, undefined_as_input, model_format):
    """Minimal interventions under which every attractor of MODEL shows --target.

    Searches all sets of node fixings (and drugs) by increasing size, up to --max-size;
    every set reported is minimal (no part can be dropped) and checked on the perturbed
    network by the exact attractor search. Ranked by size, then by side effects: readouts
    that change from the condition without intervention.

    \b
    logicbone control models/bone_muscle.rules --target BoneLoss=0 --scenario disuse
    logicbone control models/bone_muscle.rules --target BoneLoss=0 --scenario aging --drugs
    logicbone control MODEL.bnet --target Apoptosis=1 --inputs-grid EGF,TNF --format json
    """
    if max_size < 1:
        raise lb.UsageError(f"--max-size must be at least 1, got {max_size}")
    if max_steps < 1:
        raise lb.UsageError(f"--max-steps must be at least 1, got {max_steps}")
    if allowed and drugs_flag:
        raise lb.UsageError("give either --allowed or --drugs (a drug can be named in "
                            "--allowed)")
    net = load(model, undefined_as_input, model_format)
    known = scenarios_for(model, scenario_file, required=bool(scenario or drugs_flag))
    conditions = _conditions(net, scenario, condition, inputs_, grid, known)
    nodes, drugs = _allowed(net, allowed, drugs_flag, known, conditions)
    budget = lb.Budget(timeout=timeout, limit=limit, progress=progress_printer(ctx))
    with budget.catch_interrupts():
        res = lb.control(net, target, conditions=conditions, allowed=nodes, drugs=drugs or None,
                         max_size=max_size, update=update, kind=kind,
                         max_steps=max_steps,
                         readouts=_items(readouts) or None, budget=budget, jobs=jobs,
                         scheduler=scheduler, model=model)
    _report(res, fmt, model, top)


def _describe(i) -> str:
    return i.label if i.size else "(no intervention needed)"


def _fix_text(i) -> str:
    if len(i.steps) > 1:
        return " ; ".join(",".join(f"{n}={v}" for n, v in step.items()) for step in i.steps)
    return ",".join(f"{n}={v}" for n, v in i.fix.items())


def _rows(res):
    reads = list(res.readouts)
    sections = [("all", res.interventions)] if len(res.conditions) > 1 else []
    sections += [(c.label, c.interventions) for c in res.conditions]
    rows = []
    for label, items in sections:
        for k, i in enumerate(items, 1):
            rows.append([label, k, i.size, _describe(i),
                         _fix_text(i), " ".join(i.drugs),
                         i.side_effects] + [i.readouts.get(r, "") for r in reads])
    return ["condition", "rank", "size", "intervention", "fix", "drugs", "side_effects"] + reads, rows


def _report(res, fmt, model, top) -> None:
    target = ",".join(f"{n}={v}" for n, v in res.target.items())
    if not res.complete:
        reason = res.reason.describe() if res.reason else "stopped"
        done = (f"every set of up to {res.searched_size} parts was searched"
                if res.searched_size >= 0 else "no size was searched completely")
        echo_err(f"note: partial answer ({reason}): {done}; the sets listed are minimal")
    for note in res.notes:
        echo_err(f"note: {note}")
    header, rows = _rows(res)
    reads = list(res.readouts)

    def section(title: str, items) -> str:
        if not items:
            return f"{title}\n  none of {res.bound}"
        if items[0].size == 0:
            return f"{title}\n  the target already holds: no intervention needed"
        shown = items if not top else items[:top]
        body = [[k, i.size, _describe(i), i.side_effects] + [i.readouts.get(r, "")
                                                          for r in reads]
                for k, i in enumerate(shown, 1)]
        more = len(items) - len(shown)
        tail = f"\n... {more} more (all with --top 0, --format json or csv)" if more else ""
        return title + "\n" + render_table(["rank", "size", "intervention", "side effects"]
                                           + reads, body) + tail

    def table() -> str:
        head = (f"{model}: target {target}, {res.kind} control, {res.update} update, "
                f"{res.bound}\n{res.summary()}")
        parts = [head]
        if len(res.conditions) > 1:
            parts.append(section("in every condition:", res.interventions))
        for c in res.conditions:
            ref = " ".join(f"{r}={c.reference.get(r, '?')}" for r in reads)
            parts.append(section(f"under {c.label}" + (f" (reference: {ref})" if ref else "")
                                 + ":", c.interventions))
        return "\n\n".join(parts)

    emit(fmt, res.to_dict(), header, rows, table)
