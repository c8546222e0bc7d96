"""``logicbone report MODEL -o report.html``: one self-contained HTML page about a model."""
from __future__ import annotations

from pathlib import Path

import click

import logicbone as lb

from ..options import (load, output_check, model_argument, model_format_option, progress_printer,
                       scenarios_for, undefined_option, update_option)


@click.command("report")
@model_argument
@click.option("-o", "--output", required=True,
              help="The HTML file to write.")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@update_option(lb.Update.ASYNCHRONOUS,
               (lb.Update.SYNCHRONOUS, lb.Update.ASYNCHRONOUS, lb.Update.GENERAL),
               help="Update scheme of every analysis.")
@click.option("--scenario-file", type=click.Path(dir_okay=False), default=None,
              help="Scenarios (default: <model stem>.scenarios.yaml next to MODEL).")
@click.option("--expectations", type=click.Path(dir_okay=False), default=None,
              help="Literature expectations (default: <model stem>.expectations.yaml).")
@click.option("--response", default=None, metavar="FROM:TO",
              help="The response shown: start in FROM's attractor, follow TO (default: "
                   "baseline:disuse when both exist, else the first two scenarios).")
@click.option("--color-by", default=None, metavar="NODE",
              help="Readout that colours the response (default: an output that changes).")
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, output, force, update, scenario_file, expectations, response, color_by,
            undefined_as_input, model_format):
    """Write a self-contained HTML report of MODEL: summary, interaction graph, attractors per
    scenario, comparison heatmap, literature checks and an interactive response graph.

    The page opens without network access (everything inline). It is written atomically and
    not overwritten without --force.
    """
    out = Path(output)
    output_check(output, force)
    net = load(model, undefined_as_input, model_format)
    scenarios = scenarios_for(model, scenario_file)
    exp_path = Path(expectations) if expectations else lb.expectation_path_for(model)
    statements = lb.read_expectations(exp_path) if (expectations or exp_path.exists()) else None
    pair = None
    if response:
        if ":" not in response:
            raise click.BadParameter("expected FROM:TO, e.g. baseline:disuse",
                                     param_hint="--response")
        pair = tuple(p.strip() for p in response.split(":", 1))
    report = lb.build_report(net, model=model, scenarios=scenarios, expectations=statements,
                             update=update, response=pair, color_by=color_by,
                             progress=progress_printer(ctx))
    lb.write_report(report, out, force=force)
    click.echo(f"wrote {out}", err=True)
