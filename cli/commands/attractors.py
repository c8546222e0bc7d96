"""``logicbone attractors MODEL``: attractors under one update scheme, with basins."""
from __future__ import annotations

import sys

import click

import logicbone as lb

from ..options import (Count, Jobs, analysis_budget, emit, emit_count, exit_if_interrupted, format_option,
                       load, method_option, model_argument, model_format_option,
                       partial_answer_options, perturbation_from, perturbation_options,
                       render_table, spaces_table, table_nodes_option, undefined_option,
                       update_option)


def _summary(att: dict, nodes: list[str]) -> tuple[str, str, str]:
    sub = att["subspace"]
    on = " ".join(n for n, c in zip(nodes, sub) if c == "1")
    off = " ".join(n for n, c in zip(nodes, sub) if c == "0")
    osc = " ".join(n for n, c in zip(nodes, sub) if c == "*")
    return on or "-", off or "-", osc or "-"


def _fraction(x) -> str:
    return "" if x is None else f"{x:.4g}"


@click.command("attractors")
@model_argument
@update_option(lb.Update.ASYNCHRONOUS,
                help="sync: all nodes at once; async: one node per step (fully asynchronous); "
                    "general: any non-empty set of the nodes that can change; mp: most "
                    "permissive.")
@method_option(lb.AttractorMethod,
               help="auto, explicit (exhaustive search of the state space), or a scalable "
                    "method (sat, symbolic, mp) where available.")
@click.option("--basins", is_flag=True,
              help="Exact basin sizes as fractions of all states (asynchronous: the strong "
                   "basin, plus the probability of reaching each attractor).")
@click.option("--count", "count_only", is_flag=True,
              help="Only count them (exactly, symbolically for async and mp), without "
                   "listing; with --timeout, a lower bound marked inexact.")
@click.option("-j", "--jobs", type=Jobs(), default="1", show_default=True,
              help="Asynchronous and most permissive attractors: processes sharing the "
                   "count (--count), or the listing of many minimal trap spaces ('auto': "
                   "one per core; copies of this one, on Linux). Results do not depend on "
                   "it.")
@click.option("--max-states", type=Count(min=0), default=1000, show_default=True,
              help="List the states of attractors up to this size.")
@click.option("--sizes/--no-sizes", default=True, show_default=True,
              help="Count the states of every attractor. --no-sizes (asynchronous, "
                   "symbolic): a complex attractor proven the only one of its minimal trap "
                   "space keeps an unknown size; quicker where it holds 10^15 states or more.")
@click.option("--state-limit", type=Count(min=1), default=1 << 26, show_default=True,
              help="Largest state space searched explicitly.")
@click.option("--force", is_flag=True, help="Search explicitly above --state-limit.")
@partial_answer_options
@click.option("--max-length", type=click.IntRange(min=1), default=None,
              help="Longest synchronous cycle searched by --method sat (default 16).")
@perturbation_options
@table_nodes_option
@format_option
@undefined_option
@model_format_option
def command(model, update, method, basins, count_only, jobs, max_states, sizes, state_limit, force,
            limit, timeout,
            max_length, ko, oe, fix_, inputs_, table_nodes, fmt, undefined_as_input, model_format):
    """The attractors of MODEL: fixed points, cycles and complex attractors.

    Inputs are free (every combination is explored) unless fixed with --inputs.
    """
    if count_only and (basins or limit is not None):
        raise lb.UsageError("--count cannot be combined with "
                               + ("--basins" if basins else "--limit"))
    if jobs > 1 and update not in (lb.Update.ASYNCHRONOUS, lb.Update.MOST_PERMISSIVE):
        raise lb.UsageError("--jobs shares out asynchronous and most permissive searches "
                            f"and counts, not --update {update.value}")
    net = perturbation_from(ko, oe, fix_, inputs_).apply(
        load(model, undefined_as_input, model_format))
    progress = (lambda msg: click.echo(f"logicbone: {msg}", err=True)) \
        if sys.stderr.isatty() else None
    if count_only:
        how = lb.AttractorMethod.AUTO if (method is lb.AttractorMethod.MP and update
                                          is lb.Update.MOST_PERMISSIVE) else method
        if how not in (lb.AttractorMethod.AUTO, lb.AttractorMethod.SYMBOLIC,
                       lb.AttractorMethod.EXPLICIT):
            raise lb.UsageError(f"--count takes --method auto, symbolic or explicit, "
                                   f"not '{method}'")
        scheme = update.value
        emit_count(fmt, model, list(net.names), f"{scheme.replace('_', ' ')} attractors",
                   lambda budget: lb.count_attractors(net, update, method=how, budget=budget,
                                                     jobs=jobs),
                   {"update": scheme}, timeout=timeout, progress=progress)
        return
    with analysis_budget(timeout, limit, progress) as budget:
        res = lb.attractors(net, update, method, basins=basins, max_states=max_states,
                            state_limit=state_limit, force=force, model=model,
                            max_length=max_length, sizes=sizes, budget=budget,
                            settings=lb.EngineSettings(jobs=jobs) if jobs > 1 else None)
    data = res.to_dict(max_states)
    nodes = data["nodes"]
    atts = data["attractors"]
    show_prob = any("reach_probability" in a for a in atts)

    header = ["attractor", "type", "size", "basin"] + (["reach_probability"] if show_prob else [])
    rows = []     # (only CSV reads them: 2.6 s for 444,863 attractors of bbm/115)
    for i, a in enumerate(atts if fmt == "csv" else (), 1):
        rows.append([i, a["type"], a["size"], a.get("basin")]
                    + ([a.get("reach_probability")] if show_prob else [])
                    + list(a["subspace"]))

    head = (f"{model}: {len(atts)} attractors, {res.update} update, method {res.method}"
            + ("" if res.complete else " (incomplete)"))

    def label(a: dict) -> str:
        kind = "fixed point" if a["type"] == "fixed_point" else f"{a['type']} {lb.size_text(a['size'])}"
        extra = [f"basin {_fraction(a.get('basin'))}"] if basins else []
        extra += [f"reach {_fraction(a.get('reach_probability'))}"] if show_prob else []
        return ", ".join([kind, *extra])

    def plain() -> str:
        cols = ["#", "type", "size"] + (["basin"] if basins else []) + \
               (["reach"] if show_prob else []) + ["ON", "OFF", "oscillating"]
        body = []
        for i, a in enumerate(atts, 1):
            on, off, osc = _summary(a, nodes)
            if a["type"] == "fixed_point":
                osc = ""
            body.append([i, a["type"], lb.size_text(a["size"])]
                        + ([_fraction(a.get("basin"))] if basins else [])
                        + ([_fraction(a.get("reach_probability"))] if show_prob else [])
                        + [on, off, osc])
        notes = "".join(f"\nnote: {n}" for n in data.get("notes", []))
        return head + "\n\n" + render_table(cols, body) + notes

    def table() -> str:
        return spaces_table(head, nodes, [a["subspace"] for a in atts], list(net.inputs), plain,
                            table_nodes, [label(a) for a in atts], data.get("notes", []))

    emit(fmt, data, header + nodes, rows, table)
    exit_if_interrupted(budget)
