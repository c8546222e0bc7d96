"""``logicbone fixed-points MODEL``: steady states, listed or counted, without enumerating
the state space."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (echo_err, emit, format_option, load, model_argument, model_format_option,
                      partial_answer_options, perturbation_from, perturbation_options,
                      render_table, undefined_option)


def progress_printer(ctx) -> "callable | None":
    """A progress callback that writes to stderr (None under ``-q``)."""
    if (ctx.find_root().obj or {}).get("quiet"):
        return None
    return lambda msg: echo_err(f"... {msg}")


def partial_note(what: str, reason: str, shown: int, count=None) -> str:
    why = {"limit": "--limit reached", "timeout": "--timeout reached",
           "interrupted": "interrupted"}.get(reason, reason)
    total = f" of {count:,}" if count is not None else ""
    return f"note: partial list ({why}): {shown:,}{total} {what} shown"


@click.command("fixed-points")
@model_argument
@click.option("--method", default="auto", show_default=True,
              type=click.Choice(["auto", "asp", "sat", "bdd", "explicit"]),
              help="asp: clingo; sat: PicoSAT; bdd: binary decision diagrams; explicit: scan "
                   "every state (small networks); auto: explicit for small parts, else asp.")
@click.option("--count", "count_only", is_flag=True,
              help="Only count them (exactly, symbolically), without listing.")
@partial_answer_options
@perturbation_options
@format_option
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, method, count_only, limit, timeout, ko, oe, fix_, inputs_, fmt,
            undefined_as_input, model_format):
    """The fixed points (steady states) of MODEL, the same under every update scheme.

    Inputs are free unless fixed (--inputs); models with many free inputs can have
    astronomically many fixed points: use --count, or --limit N.
    """
    net = perturbation_from(ko, oe, fix_, inputs_).apply(
        load(model, undefined_as_input, model_format))
    nodes = list(net.names)
    if count_only:
        try:
            count, exact = lb.count_fixed_points(net, method, timeout=timeout), True
        except lb.AnalysisTimeout as err:
            count, exact = err.at_least, False
            echo_err(f"note: {err}")
        data = {"model": model, "nodes": nodes, "count": count, "exact": exact}
        emit(fmt, data, ["model", "count", "exact"], [[model, count, exact]],
             lambda: f"{model}: {'' if exact else 'at least '}{count:,} fixed points")
        return
    res = lb.fixed_points(net, method, limit=limit, timeout=timeout,
                          progress=progress_printer(ctx), stop_on_interrupt=True, model=model)
    data = res.to_dict()
    states = data["fixed_points"]
    if not res.complete:
        echo_err(partial_note("fixed points", res.reason, len(states), res.count))

    def table() -> str:
        head = (f"{model}: {len(states):,} fixed points" +
                ("" if res.complete else " (partial list)") + f", method {res.method}")
        if not states:
            return head
        rows = [[i, " ".join(n for n, c in zip(nodes, s) if c == "1") or "-"]
                for i, s in enumerate(states, 1)]
        return head + "\n\n" + render_table(["#", "ON (all other nodes OFF)"], rows)

    emit(fmt, data, nodes, [list(s) for s in states], table)
