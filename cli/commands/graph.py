"""``logicbone graph MODEL``: the signed interaction graph for other tools."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (load, output_check, model_argument, model_format_option, perturbation_from,
                       perturbation_options, undefined_option)

FORMATS = ["graphml", "gexf", "dot", "json", "sif"]


@click.command("graph")
@model_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Graph format (default: from the extension of -o, else graphml).")
@click.option("-o", "--output", default="-",
              show_default=True, help="Output file ('-' for stdout).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@perturbation_options
@undefined_option
@model_format_option
def command(model, fmt, output, force, ko, oe, fix_, inputs_, undefined_as_input, model_format):
    """Export the signed interaction graph of MODEL.

    One edge per regulator that the rule really depends on; its sign (+, -, or both) comes
    from the monotonicity of the rule, not from the text. SIF writes 1 / -1 (both: two lines).
    """
    if output == "-":
        fmt = fmt or "graphml"
    else:
        fmt = output_check(output, force, lb.GRAPH_EXTENSIONS, fmt, default="graphml")
    net = perturbation_from(ko, oe, fix_, inputs_).apply(
        load(model, undefined_as_input, model_format))
    g = lb.interaction_graph(net)
    g.graph["model"] = model
    if output == "-":
        click.echo(lb.graph_to_text(g, fmt), nl=False)
        return
    lb.write_graph(g, output, fmt, force=force)
    click.echo(f"wrote {output} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)",
               err=True)
