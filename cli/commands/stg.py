"""``logicbone stg MODEL``: export the state-transition graph (or its SCC quotient)."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (Count, load, output_check, model_argument, model_format_option, perturbation_from,
                       perturbation_options, response_label, start_options, start_states,
                       undefined_option, update_option)

FORMATS = ["graphml", "gexf", "dot", "json", "csv", "jsonl"]


@click.command("stg")
@model_argument
@update_option(lb.Update.ASYNCHRONOUS,
               (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL))
@start_options()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the extension of -o). csv and jsonl stream "
                   "graphs of any size; csv also writes FILE.nodes.csv.")
@click.option("-o", "--output", required=True,
              help="Output file.")
@click.option("--force", is_flag=True, help="Overwrite output files that exist.")
@click.option("--collapse", is_flag=True,
              help="Export the quotient graph of strongly connected components (attractors "
                   "and transient components, with sizes), which scales far beyond --limit.")
@click.option("--limit", type=Count(min=1), default=1 << 20, show_default=True,
              help="Refuse state-transition graphs with more states than this.")
@perturbation_options
@undefined_option
@model_format_option
def command(model, update, from_, from_scenario, fmt, output, force, collapse, limit, ko, oe, fix_, inputs_,
            undefined_as_input, model_format):
    """Export the state-transition graph of MODEL to OUTPUT.

    Nodes are states (the 0/1 string and one attribute per model node) annotated with their
    attractor (-1: transient) and the attractors they can reach; edges carry the nodes that
    change.

    With --from or --from-scenario only the response is exported: the states reachable from
    the start, with their distance from it (distance), start (1 for a start state) and on
    each edge the change (e.g. Akt↓).
    """
    fmt = output_check(output, force, lb.STG_EXTENSIONS, fmt, what="graph")
    if fmt == "csv":
        output_check(str(lb.nodes_path(output)), force)
    pert = perturbation_from(ko, oe, fix_, inputs_)
    base = load(model, undefined_as_input, model_format)
    net = pert.apply(base)
    initial = list(start_states(model, base, from_, from_scenario, pert, update)) or None
    try:
        if initial is not None and not collapse:
            graph = lb.response_graph(net, initial, update, limit=limit, model=model,
                                      label=response_label(from_scenario, pert))
            what = (f"{graph.n_states} states, {graph.n_edges} transitions, "
                    f"{graph.n_attractors} attractors")
        elif collapse:
            graph = lb.stg_quotient(net, update, initial, model=model)
            what = (f"{graph.n_components} components of {graph.n_states} states, "
                    f"{graph.n_edges} edges, {graph.n_attractors} attractors")
        else:
            graph = lb.state_transition_graph(net, update, initial, limit=limit, model=model)
            what = (f"{graph.n_states} states, {graph.n_edges} transitions, "
                    f"{graph.n_attractors} attractors")
    except lb.StateSpaceTooLarge as err:
        # declining a graph too large to list is a matter of the options asked: usage, exit 2
        click.echo(f"error: {err}", err=True)
        click.get_current_context().exit(2)
    paths = lb.write_stg(graph, output, fmt, force=force)
    click.echo(f"wrote {', '.join(str(p) for p in paths)} ({what})", err=True)
