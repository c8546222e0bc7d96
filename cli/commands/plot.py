"""``logicbone plot attractors|stg|graph|trajectory MODEL -o FILE.png|.svg``: figures."""
from __future__ import annotations

import functools

import click

import logicbone as lb

from ..options import (MAX_PLOT_STEPS, Count, echo_err, load, output_check, steps_option, method_option, model_argument, model_format_option,
                       perturbation_from, perturbation_options, response_label, start_options,
                       start_states, undefined_option, update_option)

_output = click.option("-o", "--output", required=True,
                       help="Figure file: .png, .svg, .pdf, .eps or .ps (the format follows "
                            "the extension).")
_force = click.option("--force", is_flag=True, help="Overwrite the figure if it exists.")
#: the schemes of an explicit state-transition graph
_EXPLICIT = (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL)


def _network(model, undefined_as_input, model_format, ko, oe, fix_, inputs_):
    return perturbation_from(ko, oe, fix_, inputs_).apply(
        load(model, undefined_as_input, model_format))


def _save(fig, output, force):
    lb.save_figure(fig, output, force=force)
    click.echo(f"wrote {output}", err=True)


def _common(f):
    @functools.wraps(f)
    def checked(*args, output, force, **kwargs):
        # the figure's path and format are checked before any work
        output_check(output, force, lb.FIGURE_FORMATS, what="figure")
        return f(*args, output=output, force=force, **kwargs)

    for deco in reversed([model_argument, _output, _force, perturbation_options,
                          undefined_option, model_format_option]):
        checked = deco(checked)
    return checked


@click.group("plot")
def group():
    """Figures of a model: attractors, state-transition graph, interaction graph, trajectory."""


@group.command("attractors")
@_common
@update_option(lb.Update.ASYNCHRONOUS)
@method_option(lb.AttractorMethod, help="Attractor method (as for logicbone attractors).")
def attractors(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format,
               update, method):
    """Heatmap of the attractors (rows) by nodes (columns)."""
    net = _network(model, undefined_as_input, model_format, ko, oe, fix_, inputs_)
    _save(lb.plot_attractors(lb.attractors(net, update, method, model=model)), output, force)


@group.command("stg")
@_common
@update_option(lb.Update.ASYNCHRONOUS, _EXPLICIT)
@start_options()
@click.option("--color-by", default=None, metavar="NODE",
              help="Colour the states of a response by this node (red ON, blue OFF).")
@click.option("--max-states", type=Count(min=1), default=300, show_default=True,
              help="Draw a response state by state up to this many states, then by strongly "
                   "connected components, then by distance layers.")
@click.option("--limit", type=Count(min=1), default=1 << 16, show_default=True,
              help="Most states enumerated; an asynchronous response beyond is summarised by "
                   "distance layers computed on BDDs.")
def stg(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format, update,
        from_, from_scenario, color_by, max_states, limit):
    """A state-transition graph; with --from or --from-scenario, the response to a change.

    A response (e.g. --from-scenario baseline --scenario disuse) is laid out by distance from
    the start: the start ringed, attractor states as squares, the node that changes on each
    transition (Akt↓) and, above each step, the changes that appear there first.
    """
    pert = perturbation_from(ko, oe, fix_, inputs_)
    base = load(model, undefined_as_input, model_format)
    net = pert.apply(base)
    starts = start_states(model, base, from_, from_scenario, pert, update)
    if not starts:
        if color_by:
            raise click.UsageError("--color-by colours a response: give --from or "
                                   "--from-scenario")
        graph = lb.state_transition_graph(net, update, None, limit=1 << 16, model=model)
        _save(lb.plot_stg(graph), output, force)
        return
    label = response_label(from_scenario, pert)
    if color_by:
        net.check_nodes([color_by])
    try:
        response = lb.response_graph(net, starts, update, limit=limit, model=model, label=label)
    except lb.StateSpaceTooLarge:
        if update is not lb.Update.ASYNCHRONOUS:
            raise
        echo_err(f"note: more than {limit:,} states are reachable; summarising the response "
                 "by distance layers (on BDDs)")
        response = lb.response_layers(net, starts, readouts=[color_by] if color_by else [],
                                      model=model, label=label)
    _save(lb.plot_response(response, color_by=color_by, max_states=max_states), output, force)


@group.command("graph")
@_common
def graph(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format):
    """The interaction graph: arrows for activation, T-bars for inhibition."""
    net = _network(model, undefined_as_input, model_format, ko, oe, fix_, inputs_)
    _save(lb.plot_interaction_graph(lb.interaction_graph(net), title=model), output, force)


@group.command("trajectory")
@_common
@update_option(lb.Update.ASYNCHRONOUS, _EXPLICIT)
@start_options(multiple=False)
@steps_option(30, MAX_PLOT_STEPS, "a longer trajectory cannot be read in a figure: "
              "`logicbone simulate --format csv` prints the states")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the asynchronous choices.")
def trajectory(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format,
               update, from_, from_scenario, steps, seed):
    """One trajectory from a start state, as a nodes x steps heatmap."""
    pert = perturbation_from(ko, oe, fix_, inputs_)
    base = load(model, undefined_as_input, model_format)
    starts = start_states(model, base, from_, from_scenario, pert, update)
    if len(starts) > 1:
        echo_err(f"note: {len(starts)} start states; drawing the trajectory from the first")
    states = lb.simulate(pert.apply(base), update, starts[0], steps, seed=seed)
    _save(lb.plot_trajectory(base.names, states,
                             title=f"{model} ({update.label}, seed {seed})"),
          output, force)


commands = [group]
