"""``logicbone demo MODEL``: the main job on a model, readable in a terminal."""
from __future__ import annotations

import click

from ..options import load, model_argument, render_table


@click.command("demo")
@model_argument
def command(model):
    """Run the main analysis on MODEL and print a summary."""
    net = load(model)
    click.echo(f"{net.metadata.title or model}")
    click.echo(f"{len(net.names)} nodes; inputs: {', '.join(net.inputs) or 'none'}")
    rows = [[n, " ".join(net.regulators(n))] for n in net.names if n not in net.inputs]
    click.echo(render_table(["node", "regulators"], rows))
