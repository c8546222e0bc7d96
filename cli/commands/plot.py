"""``logicbone plot attractors|stg|graph|trajectory MODEL -o FILE.png|.svg``: figures."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (load, method_option, model_argument, model_format_option,
                       perturbation_from, perturbation_options, undefined_option, update_option)

_output = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                       help="Figure file, .png or .svg.")
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
    for deco in reversed([model_argument, _output, _force, perturbation_options,
                          undefined_option, model_format_option]):
        f = deco(f)
    return f


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
@click.option("--from", "from_", multiple=True, metavar="STATE",
              help="Start state (0/1 per node, or A=1,B=1 with the others 0). Repeatable.")
def stg(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format, update,
        from_):
    """A small state-transition graph, attractor states coloured."""
    net = _network(model, undefined_as_input, model_format, ko, oe, fix_, inputs_)
    initial = [lb.parse_state(s, net.names) for s in from_] or None
    graph = lb.state_transition_graph(net, update, initial, limit=1 << 16, model=model)
    _save(lb.plot_stg(graph), output, force)


@group.command("graph")
@_common
def graph(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format):
    """The interaction graph: arrows for activation, T-bars for inhibition."""
    net = _network(model, undefined_as_input, model_format, ko, oe, fix_, inputs_)
    _save(lb.plot_interaction_graph(lb.interaction_graph(net), title=model), output, force)


@group.command("trajectory")
@_common
@update_option(lb.Update.ASYNCHRONOUS, _EXPLICIT)
@click.option("--from", "from_", required=True, metavar="STATE",
              help="Start state (0/1 per node, or A=1,B=1 with the others 0).")
@click.option("--steps", type=int, default=30, show_default=True, help="Number of updates.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the asynchronous choices.")
def trajectory(model, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format,
               update, from_, steps, seed):
    """One trajectory from a start state, as a nodes x steps heatmap."""
    net = _network(model, undefined_as_input, model_format, ko, oe, fix_, inputs_)
    states = lb.simulate(net, update, lb.parse_state(from_, net.names), steps, seed=seed)
    _save(lb.plot_trajectory(net.names, states, title=f"{model} ({update.label}, seed {seed})"),
          output, force)


commands = [group]
