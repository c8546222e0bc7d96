"""``logicbone convert`` between every pair of formats keeps every rule's function."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone.bdd import RuleBDDs, expr_to_bdd
from logicbone_cli.main import cli

from conftest import MODELS

# format -> file extension that selects it
EXT = {"rules": ".rules", "bnet": ".bnet", "booleannet": ".booleannet", "sbml": ".sbml",
       "boolnet": ".bn", "cellcollective": ".cc.txt", "maboss": ".bnd"}


def test_every_registered_format_is_covered():
    from logicbone.io import FORMATS
    assert set(FORMATS) == set(EXT)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The shipped muscle-fibre model written once in every format."""
    d = tmp_path_factory.mktemp("src")
    net = lb.read_network(MODELS / "muscle_fibre.rules")
    out = {}
    for fmt, ext in EXT.items():
        path = d / f"model{ext}"
        lb.write_network(net, path, format=fmt)
        out[fmt] = path
    return net, out


@pytest.mark.parametrize("dst", sorted(EXT))
@pytest.mark.parametrize("src", sorted(EXT))
def test_convert_pair(src, dst, sources, tmp_path):
    net, files = sources
    target = tmp_path / f"out{EXT[dst]}"
    result = CliRunner().invoke(cli, ["convert", str(files[src]), str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    back = lb.read_network(target)
    assert set(back.names) == set(net.names)
    bdds = RuleBDDs(net)
    for n in net.names:
        assert expr_to_bdd(bdds.mgr, back.rules[n]) == bdds.f[n], (src, dst, n)


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_convert_to_stdout_in_each_format(fmt, sources):
    net, files = sources
    result = CliRunner().invoke(cli, ["convert", str(files["bnet"]), "-", "--to", fmt])
    assert result.exit_code == 0, result.output
    assert lb.parse_network(result.stdout, fmt) == lb.read_network(files[fmt])


def test_unknown_extension_is_refused(sources, tmp_path):
    _, files = sources
    result = CliRunner().invoke(cli, ["convert", str(files["bnet"]), str(tmp_path / "m.xyz")])
    assert result.exit_code != 0
    assert not (tmp_path / "m.xyz").exists()
    assert "cannot tell the model format" in result.stderr
