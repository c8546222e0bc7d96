"""``logicbone trap-spaces MODEL --min|--max``: subspaces the dynamics never leaves."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (Jobs, analysis_budget, one_of_flags, echo_err, emit, emit_count, exit_if_interrupted,
                      format_option, load, model_argument,
                      model_format_option, partial_answer_options, partial_note,
                      perturbation_from, perturbation_options, progress_printer, render_table,
                      spaces_table, table_nodes_option, undefined_option)


#: the most trap spaces ``--all`` lists without --limit, --count or --force
MAX_ALL = 10_000


@click.command("trap-spaces")
@model_argument
@one_of_flags("kind", {"min": "Minimal trap spaces (the most permissive attractors).",
                       "max": "Maximal proper trap spaces.",
                       "all": f"Every trap space (refused above {MAX_ALL:,} without --limit, "
                              "--count or --force)."}, default="min")
@click.option("--count", "count_only", is_flag=True, help="Only count them.")
@click.option("--force", is_flag=True,
              help=f"List every trap space (--all) even beyond {MAX_ALL:,}.")
@click.option("-j", "--jobs", type=Jobs(), default="1", show_default=True,
              help="Processes sharing the listing of many minimal trap spaces ('auto': one "
                   "per core; copies of this one, on Linux). The list does not depend on it.")
@partial_answer_options
@perturbation_options
@table_nodes_option
@format_option
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, kind, count_only, force, jobs, limit, timeout, ko, oe, fix_, inputs_, table_nodes, fmt,
            undefined_as_input, model_format):
    """The minimal (--min) or maximal (--max) trap spaces of MODEL.

    A trap space fixes some nodes (0/1) and leaves the others free (*); no update scheme
    leaves it. Inputs are free unless fixed (--inputs).
    """
    net = perturbation_from(ko, oe, fix_, inputs_).apply(
        load(model, undefined_as_input, model_format))
    nodes = list(net.names)
    if count_only:
        emit_count(fmt, model, nodes, f"{kind} trap spaces",
                   lambda budget: lb.count_trap_spaces(net, kind, budget=budget),
                   {"kind": kind}, timeout=timeout)
        return
    # every trap space of a large model is an astronomical list: listed only up to MAX_ALL
    # unless asked for (--force), with --limit, or counted (--count)
    guard = kind == "all" and limit is None and not force
    with analysis_budget(timeout, MAX_ALL + 1 if guard else limit,
                         progress_printer(ctx)) as budget:
        res = lb.trap_spaces(net, kind, budget=budget, model=model,
                             settings=lb.EngineSettings(jobs=jobs) if jobs > 1 else None)
    if guard and not res.complete and res.reason == "limit":
        raise lb.UsageError(
            f"{model}: more than {MAX_ALL:,} trap spaces; listing all of them is refused: "
            "list the minimal (--min) or maximal (--max) ones, the first N (--limit N), "
            "count them (--count), or give --force to list them all")
    data = res.to_dict()
    spaces = data["trap_spaces"]
    if not res.complete:
        echo_err(partial_note(f"{kind} trap spaces", res.reason, len(spaces),
                              limited=limit is not None or guard))

    def title() -> str:
        return (f"{model}: {len(spaces):,} {kind} trap spaces"
                + ("" if res.complete else " (partial list)"))

    def plain() -> str:
        head = title()
        if not spaces:
            return head
        rows = []
        for i, s in enumerate(spaces, 1):
            on = " ".join(n for n, c in zip(nodes, s) if c == "1") or "-"
            off = " ".join(n for n, c in zip(nodes, s) if c == "0") or "-"
            free = " ".join(n for n, c in zip(nodes, s) if c == "*") or "-"
            rows.append([i, on, off, free])
        return head + "\n\n" + render_table(["#", "ON", "OFF", "free"], rows)

    def table() -> str:
        if not spaces:
            return plain()
        head = title()
        return spaces_table(head, nodes, spaces, list(net.inputs), plain, table_nodes,
                            star="free")

    emit(fmt, data, nodes, [list(s) for s in spaces], table)
    exit_if_interrupted(budget)
