"""``logicbone simulate MODEL``: the state sequence from one state."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (emit, format_option, load, model_argument, model_format_option,
                       perturbation_from, perturbation_options, render_table, undefined_option,
                       update_option)


@click.command("simulate")
@model_argument
@update_option(lb.Update.SYNCHRONOUS,
               (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL),
               help="sync: all nodes at once (deterministic); async: one random node that can "
                    "change per step; general: a random non-empty set of them.")
@click.option("--from", "from_", default="", metavar="STATE",
              help="Start state: 0/1 per node in node order, or A=1,B=0 (others 0). "
                   "Default: all OFF. Perturbed nodes start at their fixed value.")
@click.option("--steps", type=click.IntRange(min=0), default=20, show_default=True,
              help="Number of updates.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the random choices (async, general).")
@perturbation_options
@format_option
@undefined_option
@model_format_option
def command(model, update, from_, steps, seed, ko, oe, fix_, inputs_, fmt, undefined_as_input,
            model_format):
    """Print the trajectory of MODEL from --from for --steps updates."""
    pert = perturbation_from(ko, oe, fix_, inputs_)
    net = pert.apply(load(model, undefined_as_input, model_format))
    try:
        start = lb.parse_state(from_, net.names) if from_ else 0
    except lb.LogicboneError as err:
        raise click.BadParameter(str(err), param_hint="--from") from err
    for name, value in pert.items():
        bit = 1 << net.index(name)
        start = (start | bit) if value else (start & ~bit)
    traj = lb.simulate(net, update, start, steps, seed)
    n = len(net.names)
    states = [lb.state_to_str(s, n) for s in traj]
    data = {"model": model, "nodes": list(net.names), "update": update.value,
            "seed": seed, "states": states}
    rows = [[t, *s] for t, s in enumerate(states)]

    def table() -> str:
        return (f"nodes: {' '.join(net.names)}\n\n"
                + render_table(["step", "state"], [[t, s] for t, s in enumerate(states)]))

    emit(fmt, data, ["step", *net.names], rows, table)
