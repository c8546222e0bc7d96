"""``logicbone simulate MODEL``: the state sequence from one state."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (MAX_SIMULATE_STEPS, steps_option, echo_err, emit, format_option, load, model_argument,
                       model_format_option, perturbation_from, perturbation_options, render_table,
                       start_options, start_states, undefined_option, update_option)


@click.command("simulate")
@model_argument
@update_option(lb.Update.SYNCHRONOUS,
               (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL),
               help="sync: all nodes at once (deterministic); async: one random node that can "
                    "change per step; general: a random non-empty set of them.")
@start_options(multiple=False)
@steps_option(20, MAX_SIMULATE_STEPS, "to see where trajectories end use `logicbone "
              "attractors`; for long-run probabilities `logicbone stochastic`")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the random choices (async, general).")
@perturbation_options
@format_option
@undefined_option
@model_format_option
def command(model, update, from_, from_scenario, steps, seed, ko, oe, fix_, inputs_, fmt, undefined_as_input,
            model_format):
    """Print the trajectory of MODEL from --from for --steps updates.

    Without --from the start is all nodes OFF (the perturbed ones at their clamped value);
    --from-scenario starts in that condition's attractor.
    """
    pert = perturbation_from(ko, oe, fix_, inputs_)
    base = load(model, undefined_as_input, model_format)
    starts = start_states(model, base, from_, from_scenario, pert, update)
    if len(starts) > 1:
        echo_err(f"note: {len(starts)} start states; simulating from the first "
                 "(choose with --from)")
    start = starts[0]
    net = pert.apply(base)
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
