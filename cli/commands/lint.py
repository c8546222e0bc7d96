"""``logicbone lint MODEL``: report problems in a model file."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (Seconds, emit, format_option, model_argument, model_format_option, reading,
                       undefined_option)


@click.command("lint")
@model_argument
@format_option
@undefined_option
@model_format_option
@click.option("--strict", is_flag=True, help="Exit 2 on warnings too.")
@click.option("--timeout", type=Seconds(), default=None, metavar="SECONDS",
              help="Give up after this many seconds (exit 1, nothing printed).")
def command(model, fmt, undefined_as_input, model_format, strict, timeout):
    """Check MODEL: duplicate targets, undefined regulators, constants, inputs, and
    regulators with no effect on their target. Exit 2 if there is an error."""
    fmt_name = lb.format_for_path(model, model_format)
    with reading(f"{model}: checking the model"), lb.deferred_warnings():
        # a parse error comes first and alone
        parsed = lb.parse_model(lb.read_text(model, "model"), fmt_name, model)
        issues = lb.lint(parsed, undefined_as_input=undefined_as_input)
    rows = [[i.path, i.line, i.col, i.severity, i.code, i.node, i.message] for i in issues]
    data = {"model": model, "issues": [i.to_dict() for i in issues]}
    errors = sum(i.severity == "error" for i in issues)
    warnings = sum(i.severity == "warning" for i in issues)
    emit(fmt, data, ["path", "line", "col", "severity", "code", "node", "message"], rows,
         lambda: "\n".join([str(i) for i in issues] +
                           [f"{errors} error(s), {warnings} warning(s), "
                            f"{len(issues) - errors - warnings} note(s)"]))
    if errors or (strict and warnings):
        raise SystemExit(2)
