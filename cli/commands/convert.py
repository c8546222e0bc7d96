"""``logicbone convert IN OUT``: translate a model between dialects."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import Seconds, output_check, reading, undefined_option


@click.command("convert")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target")
@click.option("--from", "from_", default=None, help="Dialect of SOURCE (default: its extension).")
@click.option("--to", "to", default=None, help="Dialect of TARGET (default: its extension).")
@click.option("--force", is_flag=True, help="Overwrite TARGET if it exists.")
@click.option("--timeout", type=Seconds(), default=None,
              metavar="SECONDS", help="Give up after this many seconds (exit 1, nothing "
                                      "written).")
@undefined_option
def command(source, target, from_, to, force, timeout, undefined_as_input):
    """Convert SOURCE into TARGET ('-' for stdout), e.g. a .bnet into .rules."""
    if target != "-":
        output_check(target, force, lb.MODEL_EXTENSIONS, lb.format_for_path(target, to))
    with reading(f"{source}: converting"):
        _convert(source, target, from_, to, force, undefined_as_input)


def _convert(source, target, from_, to, force, undefined_as_input):
    with lb.deferred_warnings():
        net = lb.read_network(source, format=from_,
                              undefined="input" if undefined_as_input else "error")
    if target == "-":
        click.echo(lb.format_network(net, to or "rules"), nl=False)
        return
    if lb.format_for_path(target, to) == "maboss":
        # a MaBoSS model is a pair: the .bnd and its .cfg beside it
        bnd, cfg = lb.write_maboss(target, net, force=force)
        click.echo(f"wrote {bnd} and {cfg} ({len(net.names)} nodes)", err=True)
        return
    lb.write_network(net, target, format=to, force=force)
    click.echo(f"wrote {target} ({len(net.names)} nodes)", err=True)
