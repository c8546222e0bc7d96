"""``logicbone fixed-points MODEL``: steady states, listed or counted, without enumerating
the state space."""
from __future__ import annotations

from itertools import compress

import click

import logicbone as lb

from ..options import (analysis_budget, echo_err, emit, emit_count, exit_if_interrupted,
                      format_option, load, method_option, model_argument, model_format_option,
                      partial_answer_options, partial_note, perturbation_from, perturbation_options,
                      progress_printer, render_table, spaces_table, table_nodes_option,
                      undefined_option)


@click.command("fixed-points")
@model_argument
@method_option(lb.FixedPointMethod,
               help="asp: clingo; sat: PicoSAT; bdd: binary decision diagrams; explicit: scan "
                    "every state (small networks); auto: explicit for small parts, else asp.")
@click.option("--count", "count_only", is_flag=True,
              help="Only count them (exactly, symbolically), without listing.")
@partial_answer_options
@perturbation_options
@table_nodes_option
@format_option
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, method, count_only, limit, timeout, ko, oe, fix_, inputs_, table_nodes, fmt,
            undefined_as_input, model_format):
    """The fixed points (steady states) of MODEL, the same under every update scheme.

    Inputs are free unless fixed (--inputs); models with many free inputs can have
    astronomically many fixed points: use --count, or --limit N.
    """
    net = perturbation_from(ko, oe, fix_, inputs_).apply(
        load(model, undefined_as_input, model_format))
    nodes = list(net.names)
    if count_only:
        emit_count(fmt, model, nodes, "fixed points",
                   lambda budget: lb.count_fixed_points(net, method, budget=budget),
                   timeout=timeout)
        return
    with analysis_budget(timeout, limit, progress_printer(ctx)) as budget:
        res = lb.fixed_points(net, method, budget=budget, model=model)
    data = res.to_dict()
    states = data["fixed_points"]
    if not res.complete:
        echo_err(partial_note("fixed points", res.reason, len(states), res.count,
                              limited=limit is not None))

    def title() -> str:
        return (f"{model}: {len(states):,} fixed points" +
                ("" if res.complete else " (partial list)") + f", method {res.method}")

    def plain() -> str:
        head = title()
        if not states:
            return head
        rows = [[i, " ".join(compress(nodes, map("1".__eq__, s))) or "-"]
                for i, s in enumerate(states, 1)]
        return head + "\n\n" + render_table(["#", "ON (all other nodes OFF)"], rows)

    def table() -> str:
        if not states:
            return plain()
        head = title()
        return spaces_table(head, nodes, states, list(net.inputs), plain, table_nodes)

    emit(fmt, data, nodes, [list(s) for s in states], table)
    exit_if_interrupted(budget)
