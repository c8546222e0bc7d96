"""Entry point: the click group, command discovery, and the one place errors become messages."""
from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys

import click

# numpy's BLAS starts a thread pool when it loads (a third of numpy's import time); nothing
# here multiplies dense matrices, and worker processes parallelise instead. An explicit
# setting in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import logicbone as lb

from . import commands as _commands


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except lb.LogicboneError as err:
            excerpt = err.excerpt() if isinstance(err, lb.RuleSyntaxError) else str(err)
            click.echo(f"error: {excerpt}", err=True)
            # the error hierarchy decides: the user's input (files, options, outputs, a refusal
            # of explosive work) exits 2, a failure of the analysis 1
            ctx.exit(2 if isinstance(err, lb.InputError) else 1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(lb.__version__, prog_name="logicbone")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def cli(ctx, verbose, quiet):
    """Boolean network models of cell signalling: attractors, trap spaces, perturbations."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


for _info in sorted(pkgutil.iter_modules(_commands.__path__), key=lambda m: m.name):
    _mod = importlib.import_module(f"{_commands.__name__}.{_info.name}")
    for _cmd in getattr(_mod, "commands", [getattr(_mod, "command", None)]):
        if _cmd is not None:
            cli.add_command(_cmd)


def main() -> None:
    from . import guards  # the memory cap, and SIGTERM taken as Ctrl-C

    guards.install()
    try:
        cli(prog_name="logicbone")
    except MemoryError:
        click.echo(guards.out_of_memory(), err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
