"""``logicbone demo [MODEL]``: the main job on a model (default: the shipped crosstalk model).

Each step runs the command a user would type (shown with a ``$`` prompt), so the demo is also
a tour of the command line: the attractors at rest, knockouts and drugs side by side, the
same drugs against the diseases they treat, and the literature expectations.
"""
from __future__ import annotations

import shutil
import textwrap
import time

import click

import logicbone as lb

from ..options import load, scenarios_for, update_option

# Conditions shown when the model's scenario file has them (in this order).
_STATES = ["baseline", "exercise", "disuse", "aging", "estrogen_loss", "chronic_inflammation",
           "rapamycin", "akt_ko", "il6_ko", "igf1_overexpression"]
_TREATMENTS = [("estrogen_loss", "denosumab"), ("chronic_inflammation", "anakinra"),
               ("disuse", "anti_sclerostin"), ("aging", "exercise"), ("disuse", "leucine")]
# Readouts shown when the model has them: the phenotypes of VOCABULARY.md.
_PHENOTYPES = ["ProteinSynthesis", "ProteinDegradation", "Hypertrophy", "Atrophy",
               "SatelliteCells", "MuscleWeakness", "ExerciseCapacity", "OB_differentiation",
               "BoneFormation", "Mineralization", "Osteoclastogenesis", "BoneResorption",
               "BoneLoss", "Osteocyte_apoptosis"]


def _run(args: list[str]) -> int:
    """Run one logicbone command in this process, echoing it first; returns its exit code."""
    from ..main import cli

    click.secho("$ logicbone " + " ".join(args), bold=True)
    try:
        cli.main(args=args, prog_name="logicbone", standalone_mode=False)
    except SystemExit as stop:  # commands signal failures (e.g. a failed check) this way
        return int(stop.code or 0)
    except click.exceptions.Exit as stop:
        return stop.exit_code
    return 0


def _section(title: str) -> None:
    click.echo()
    click.secho(f"== {title}", bold=True, fg="cyan")


# Control: the healthy phenotype, and the conditions to reverse (when the model has them).
_HEALTHY = {"BoneLoss": 0, "Atrophy": 0}
_DISEASES = ["disuse", "aging"]


def _control_step(model: str, net, scenarios, readouts: list[str]) -> int:
    """The minimal drugs (then single node fixings) that reverse disuse and ageing."""
    target = ",".join(f"{n}={v}" for n, v in _HEALTHY.items() if n in net.names)
    diseases = [d for d in _DISEASES if d in scenarios]
    if not target or not diseases:
        return 0
    _section("Minimal interventions that reverse " + " and ".join(diseases)
             + f" ({target} in every attractor)")
    base = ["control", model, "--target", target, "--readouts",
            ",".join(r for r in readouts if r not in _HEALTHY), "--top", "8"]
    for d in diseases:
        base += ["--scenario", d]
    return _run(base + ["--drugs", "--max-size", "2"]) | _run(base + ["--max-size", "1"])


@click.command("demo")
@click.argument("model", required=False, default="bone_muscle")
@update_option(lb.Update.ASYNCHRONOUS,
               (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL))
def command(model, update):
    """Run the main analysis on MODEL: attractors at rest, knockouts and drugs compared,
    drugs against the conditions they treat, and the literature expectations.

    MODEL is a model file or a shipped model's name (default: bone_muscle, the muscle fibre
    and bone cells joined through secreted factors)."""
    start = time.perf_counter()
    path = str(lb.models.resolve(model))  # the commands shown take the name as it was given
    net = load(path)
    scenarios = scenarios_for(path)
    width = shutil.get_terminal_size((100, 20)).columns
    title = net.metadata.title or model
    click.secho(title, bold=True)
    click.echo(f"{len(net.names)} nodes, {len(net.inputs)} inputs, {len(net.outputs)} outputs; "
               f"{len(scenarios)} scenarios")

    readouts = [n for n in _PHENOTYPES if n in net.names] or list(net.outputs)
    states = [s for s in _STATES if s in scenarios]

    _section(f"Attractors at rest ({update.value} update, scenario baseline)"
             if "baseline" in scenarios else f"Attractors ({update.label} update, inputs free)")
    rest = lb.Perturbation(scenarios["baseline"].perturbation) if "baseline" in scenarios \
        else lb.Perturbation()
    result = lb.attractors(rest.apply(net), update=update, model=model)
    for i, att in enumerate(result.attractors, 1):
        on = [n for n, c in zip(result.nodes, att.subspace) if c == "1"]
        osc = [n for n, c in zip(result.nodes, att.subspace) if c == "*"]
        head = f"{i}. {att.type.replace('_', ' ')}, {lb.size_text(att.size)} state(s); ON: "
        click.echo(textwrap.fill(" ".join(on) or "-", width=width, initial_indent=head,
                                 subsequent_indent="   "))
        if osc:
            click.echo(textwrap.fill(" ".join(osc), width=width,
                                     initial_indent="   oscillating: ", subsequent_indent="   "))
    if not result.complete:
        click.echo("   (the list is partial)")

    code = 0
    if len(states) > 1:
        _section("Conditions, knockouts and drugs side by side (changes from baseline in [ ])")
        args = ["compare", model, "--update", update.label, "--readouts", ",".join(readouts)]
        for s in states:
            args += ["-c", s]
        code |= _run(args)
        pairs = [f"{d}+{t}" for d, t in _TREATMENTS if d in scenarios and t in scenarios]
        if pairs:
            _section("Treatments against the conditions they target")
            conds = ["baseline"]
            for d, t in _TREATMENTS:
                if d in scenarios and t in scenarios:
                    conds += [d, f"{d}+{t}"]
            args = ["compare", model, "--update", update.label, "--readouts",
                    ",".join(readouts)]
            for c in dict.fromkeys(conds):
                args += ["-c", c]
            code |= _run(args)

    code |= _control_step(model, net, scenarios, readouts)
    course = [n for n in ("Atrophy", "BoneLoss", "MuscleWeakness", "BoneFormation")
              if n in net.names]
    if {"baseline", "disuse"} <= set(scenarios) and course:
        _section("Time course after disuse, from the resting state (stochastic, rates 1)")
        code |= _run(["stochastic", model, "--from-scenario", "baseline", "--scenario",
                      "disuse", "--time", "20", "--tick", "2", "--samples", "2000",
                      "--readouts", ",".join(course)])

    exp = lb.expectation_path_for(path)
    if exp.exists():
        _section("Literature expectations")
        code |= _run(["check", model, "--update", update.label])
    click.echo()
    click.echo(f"done in {time.perf_counter() - start:.1f} s", err=True)
    if code:
        raise SystemExit(1)
