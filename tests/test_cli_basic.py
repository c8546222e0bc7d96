"""The CLI skeleton: --version, info, convert; stdout/stderr separation and exit codes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

from _helpers import MODELS, SMALL_BNET, small_model_file

@pytest.fixture
def model(tmp_path):
    return small_model_file(tmp_path)


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and lb.__version__ in result.stdout


def test_info_json(model):
    result = CliRunner().invoke(cli, ["info", str(model), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["nodes"] == ["IGF1", "Akt", "mTOR", "AMPK", "S6K"]
    assert data["inputs"] == ["IGF1", "AMPK"]
    assert data["outputs"] == ["S6K"]
    assert data["regulators"]["mTOR"] == ["Akt", "AMPK"]
    assert data["in_degree"]["mTOR"] == 2


def test_info_csv_and_table(model):
    csv_out = CliRunner().invoke(cli, ["info", str(model), "--format", "csv"]).stdout
    assert csv_out.splitlines()[0] == "node,kind,in_degree,regulators"
    assert "mTOR,,2,Akt AMPK" in csv_out
    table = CliRunner().invoke(cli, ["info", str(model)]).stdout
    assert "5 nodes, 2 inputs, 1 outputs" in table


@pytest.mark.parametrize("ext", ["rules", "bnet", "booleannet"])
def test_convert_roundtrip(model, tmp_path, ext):
    out = tmp_path / f"out.{ext}"
    result = CliRunner().invoke(cli, ["convert", str(model), str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    assert lb.read_network(out) == lb.read_network(model)
    again = CliRunner().invoke(cli, ["convert", str(model), str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert CliRunner().invoke(cli, ["convert", str(model), str(out), "--force"]).exit_code == 0


def test_convert_to_stdout(model):
    result = CliRunner().invoke(cli, ["convert", str(model), "-", "--to", "rules"])
    assert result.exit_code == 0
    assert "mTOR* = Akt and not AMPK" in result.stdout


def test_missing_file_and_unknown_extension(tmp_path):
    r = CliRunner().invoke(cli, ["info", str(tmp_path / "nope.bnet")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    weird = tmp_path / "m.weird"
    weird.write_text(SMALL_BNET)
    r = CliRunner().invoke(cli, ["info", str(weird)])
    assert r.exit_code == 2 and "extension" in r.stderr
    r = CliRunner().invoke(cli, ["convert", str(weird), str(tmp_path / "out.nope")])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1


def test_shipped_models_lint_clean():
    for path in sorted(MODELS.glob("*.rules")):
        issues = lb.lint(lb.parse_rules_model(path.read_text(), str(path)))
        assert [str(i) for i in issues if i.severity != "info"] == [], path
