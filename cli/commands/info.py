"""``logicbone info MODEL``: nodes, inputs, outputs, in-degrees and regulators."""
from __future__ import annotations

import click

from ..options import emit, format_option, load, model_argument, model_format_option, undefined_option


@click.command("info")
@model_argument
@format_option
@undefined_option
@model_format_option
def command(model, fmt, undefined_as_input, model_format):
    """Describe MODEL: its nodes, inputs, outputs and each node's regulators."""
    net = load(model, undefined_as_input, model_format)
    inputs, outputs, consts = set(net.inputs), set(net.outputs), set(net.constants)
    rows = []
    for n in net.names:
        regs = net.regulators(n)
        kind = "input" if n in inputs else ("constant" if n in consts else
                                            ("output" if n in outputs else ""))
        rows.append([n, kind, len(regs), " ".join(regs)])
    data = {
        "model": model, "title": net.metadata.title, "nodes": list(net.names),
        "inputs": list(net.inputs), "outputs": list(net.outputs),
        "constants": list(net.constants),
        "regulators": {n: list(net.regulators(n)) for n in net.names},
        "in_degree": {n: len(net.regulators(n)) for n in net.names},
    }

    def table():
        from ..options import render_table
        head = [f"{net.metadata.title or model}: {len(net.names)} nodes, "
                f"{len(net.inputs)} inputs, {len(net.outputs)} outputs, "
                f"{len(net.constants)} constants"]
        return "\n".join(head) + "\n\n" + render_table(
            ["node", "kind", "in-degree", "regulators"], rows)

    emit(fmt, data, ["node", "kind", "in_degree", "regulators"], rows, table)
