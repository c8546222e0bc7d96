"""Entry point: the click group, command discovery, and the one place errors become messages."""
from __future__ import annotations

import gc
import importlib
import logging
import os
import sys
import traceback

import click

# numpy's BLAS starts a thread pool when it loads (a third of numpy's import time); nothing
# here multiplies dense matrices, and worker processes parallelise instead. An explicit
# setting in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import logicbone as lb

from . import commands as _commands


#: libraries whose own failures (not bad input) are reported as failures of the analysis
_SOLVERS = ("clingo", "dd", "libsbml", "pyeda", "scipy", "networkx")


#: the modules of commands, in name order
_MODULES = sorted(name[:-3] for folder in _commands.__path__ for name in os.listdir(folder)
                  if name.endswith(".py") and not name.startswith("_"))


def _printable(text: str) -> str:
    """A message as it may go to a terminal: control characters (from the input) escaped."""
    return "".join(c if c.isprintable() or c == "\n" else f"\\x{ord(c):02x}" if ord(c) < 256
                   else f"\\u{ord(c):04x}" for c in text)


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) or "(no message)"


def _failure(err: BaseException) -> tuple[str, int] | None:
    """The message and exit status of an expected failure that is not a LogicboneError
    (None: unexpected, a bug)."""
    yaml = sys.modules.get("yaml")
    if yaml is not None and isinstance(err, yaml.YAMLError):
        mark = getattr(err, "problem_mark", None)
        where = f"{mark.name}:{mark.line + 1}:{mark.column + 1}: " if mark else ""
        return f"{where}not valid YAML: {_one_line(getattr(err, 'problem', None) or err)}", 2
    if isinstance(err, UnicodeError):
        return f"input is not UTF-8 text: {_one_line(err)}", 2
    if isinstance(err, OSError):
        name = err.filename if err.filename is not None else ""
        what = err.strerror or _one_line(err)
        return (f"{name}: {what}" if name else what), 2
    if isinstance(err, MemoryError):
        from . import guards  # the message names the cap and how to change it

        return guards.out_of_memory().removeprefix("error: "), 1
    if isinstance(err, RecursionError):
        return "the input is nested too deeply to be handled", 1
    tb = traceback.extract_tb(err.__traceback__) if err.__traceback__ else []
    if tb:
        parts = tb[-1].filename.replace("\\", "/").split("/")
        solver = next((s for s in _SOLVERS if s in parts), None)
        if solver:
            return f"{solver} failed: {type(err).__name__}: {_one_line(err)}", 1
    return None


class _Group(click.Group):
    """The one error boundary: every expected failure becomes one line ``error: ...`` on
    stderr and an exit status (2: the user's input, 1: the analysis); anything else is a bug,
    reported in one line (with the traceback under ``-v -v``), exit 1.

    Commands are imported when first asked for: the module named as the command (``-`` read
    as ``_``) first, every module when the name is not found there or for a listing."""

    def _load(self, module: str) -> None:
        mod = importlib.import_module(f"{_commands.__name__}.{module}")
        for cmd in getattr(mod, "commands", [getattr(mod, "command", None)]):
            if cmd is not None and cmd.name not in self.commands:
                self.add_command(cmd)

    def load_all(self) -> None:
        for module in _MODULES:
            self._load(module)

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands:
            module = cmd_name.replace("-", "_")
            if module in _MODULES:
                self._load(module)
            if cmd_name not in self.commands:
                self.load_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        self.load_all()
        return super().list_commands(ctx)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except lb.LogicboneError as err:
            excerpt = err.excerpt() if isinstance(err, lb.RuleSyntaxError) else str(err)
            click.echo(f"error: {_printable(excerpt)}", err=True)
            # the error hierarchy decides: the user's input (files, options, outputs, a refusal
            # of explosive work) exits 2, a failure of the analysis 1
            ctx.exit(2 if isinstance(err, lb.InputError) else 1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort):
            raise
        except Exception as err:  # the boundary: nothing escapes as a traceback
            known = _failure(err)
            if known is not None:
                click.echo(f"error: {_printable(known[0])}", err=True)
                ctx.exit(known[1])
            if (ctx.params.get("verbose") or 0) >= 2:
                click.echo("logicbone " + lb.__version__ + " crashed; please report this "
                           "traceback as a bug:", err=True)
                click.echo("".join(traceback.format_exception(err)).rstrip(), err=True)
            else:
                click.echo(f"error: internal error ({type(err).__name__}: "
                           f"{_one_line(err)[:200]}); this is a bug in logicbone: run again "
                           "with -v -v for a report", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(lb.__version__, prog_name="logicbone")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def cli(ctx, verbose, quiet):
    """Boolean network models of cell signalling: attractors, trap spaces, perturbations."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    # the libraries underneath (dd, clingo's wrappers ...) say only their warnings
    logging.basicConfig(level=max(level, logging.WARNING), format="%(levelname)s: %(message)s",
                        stream=sys.stderr)
    logging.getLogger("logicbone").setLevel(level)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet




def main() -> None:
    from . import guards  # the memory cap, and SIGTERM taken as Ctrl-C

    guards.install()
    try:
        cli(prog_name="logicbone")
    except MemoryError:
        click.echo(guards.out_of_memory(), err=True)
        sys.exit(1)
    except SystemExit as done:
        if done.code == 130:
            # interrupted: a further Ctrl-C or SIGTERM while the interpreter shuts down (its
            # threads, the workers' pipes) must not end in a traceback
            guards.ignore_interrupts()
        raise
    finally:
        # the answer is out: what the analysis left is not searched for cycles at exit (a
        # count bounded on bbm/243 leaves 5 million objects, 4.8 s of collections)
        gc.freeze()


if __name__ == "__main__":
    main()
