"""``logicbone screen MODEL --single --double``: knockouts and over-expressions ranked by effect."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (echo_err, emit, format_option, load, method_option, model_argument,
                       model_format_option, output_check, parallel_options, perturbation_from,
                       perturbation_options, render_table, undefined_option, update_option)


_RESULT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def _names(groups) -> list[str] | None:
    out = [n.strip() for g in groups for n in g.split(",") if n.strip()]
    return out or None


@click.command("screen")
@model_argument
@click.option("--single", is_flag=True, help="Every target knocked out and over-expressed.")
@click.option("--double", is_flag=True, help="Every pair of targets, in all four combinations.")
@click.option("--targets", multiple=True, metavar="A,B,C",
              help="Nodes to perturb (default: every node that is not an input, a constant, "
                   "a readout or clamped).")
@click.option("--readouts", multiple=True, metavar="X,Y",
              help="Nodes whose change ranks the perturbations (default: the outputs).")
@update_option(lb.Update.ASYNCHRONOUS, help="Update scheme of every attractor search.")
@method_option(lb.AttractorMethod, help="Attractor method.")
@click.option("-o", "--output", default=None,
              metavar="FILE.csv|FILE.jsonl",
              help="Append each record to this file as it finishes; rewritten in rank order "
                   "at the end.")
@click.option("--resume", is_flag=True,
              help="Continue the screen in --output: keep its records, run the rest.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option("--top", type=click.IntRange(min=0), default=30, show_default=True,
              help="Rows of the table (0: all); JSON and CSV hold every record.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
@perturbation_options
@parallel_options
@format_option
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, single, double, targets, readouts, update, method, output, resume,
            force, top, progress, ko, oe, fix_, inputs_, jobs, scheduler, fmt,
            undefined_as_input, model_format):
    """Screen single and double perturbations of MODEL, ranked by their effect on readouts.

    The perturbation options (--inputs, --scenario, ...) give the base under every
    perturbation; the base alone is the 'wt' record. Effect: the summed change of the
    readouts' mean activity over the attractors (ON 1, OFF 0, oscillating 1/2).

    \b
    logicbone screen models/muscle_fibre.rules --scenario baseline --single --double \\
        --readouts Hypertrophy,Atrophy -o screen.csv --jobs 2
    """
    if resume and not output:
        raise click.UsageError("--resume needs the -o/--output file of the screen to continue")
    if resume and force:
        raise click.UsageError("--resume and --force exclude each other")
    if not (single or double):
        single = True
    # an existing file is refused by the screen itself (its message tells of --resume)
    output_check(output, True, _RESULT_FORMATS, what="screen result")
    net = load(model, undefined_as_input, model_format)
    base = perturbation_from(ko, oe, fix_, inputs_)
    quiet = bool((ctx.find_root().obj or {}).get("quiet"))
    import sys

    show = (not quiet and sys.stderr.isatty()) if progress is None else progress
    bar = None

    def tick(done, total):
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, initial=done, unit="pert", file=sys.stderr,
                       dynamic_ncols=True, desc="screen")
        else:
            bar.update(done - bar.n)

    try:
        res = lb.screen(net, targets=_names(targets), readouts=_names(readouts), single=single,
                        double=double, base=base, update=update, method=method, output=output,
                        resume=resume, force=force, jobs=jobs, scheduler=scheduler,
                        progress=tick if show else None, model=model)
    except KeyboardInterrupt:
        if output:
            echo_err(f"note: {output} keeps the records computed so far; run the same "
                     "command with --resume to finish the screen")
        raise
    finally:
        if bar is not None:
            bar.close()
    for note in res.notes:
        echo_err(f"warning: {note}")
    if res.resumed:
        echo_err(f"resumed: {res.resumed} records were already in {output}")
    reads = list(res.readouts)
    header = lb.ScreenRecord.csv_header(reads)
    rows = [r.csv_row(reads) for r in res.records]

    def table() -> str:
        shown = res.records if not top else res.records[:top + 1]
        body = [[k or "", r.perturbation, r.kind, f"{r.effect:g}", r.lost, r.gained,
                 r.attractors] + [r.readouts[x] for x in reads]
                for k, r in enumerate(shown)]
        more = len(res.records) - len(shown)
        tail = f"\n... {more} more (all in --output or with --top 0)" if more > 0 else ""
        head = (f"{model}: {len(res.records) - 1} perturbations of {len(res.targets)} targets, "
                f"{res.update} update, readouts {' '.join(reads)}"
                + (f", base {base.label}" if base else ""))
        return head + "\n\n" + render_table(
            ["rank", "perturbation", "kind", "effect", "lost", "gained", "attractors"] + reads,
            body) + tail

    emit(fmt, res.to_dict(), header, rows, table)
    if output:
        echo_err(f"wrote {output} ({len(res.records)} records)")
