"""``logicbone check``: verdicts on stdout, exit 1 on a failure, 2 on a bad file."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from logicbone_cli.main import cli

from _helpers import MODELS

RULES = "A* = A\nB* = A\nC* = not B\n"
SCEN = "baseline: {fix: {A: 0}}\nswitched_on: {extends: baseline, fix: {A: 1}}\n"
GOOD = ("- condition: {scenario: switched_on}\n  expect: {B: all_on, C: none_on}\n"
        "  source: 'toy §1'\n- condition: {scenario: baseline}\n  expect: {C: all_on}\n")
BAD = "- condition: {scenario: baseline}\n  expect: {B: all_on}\n  source: 'toy §2'\n"


@pytest.fixture
def model(tmp_path):
    p = tmp_path / "toy.rules"
    p.write_text(RULES)
    (tmp_path / "toy.scenarios.yaml").write_text(SCEN)
    return p


def _run(*args):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def test_passing_file_exits_0_with_a_summary(model):
    exp = model.with_name("toy.expectations.yaml")
    exp.write_text(GOOD)
    res = _run(model)  # the expectation file next to the model is the default
    assert res.exit_code == 0, res.output
    assert "3 checks" in res.stdout and "3 pass, 0 fail, 0 vacuous" in res.stdout
    assert res.stderr == ""


def test_failure_exits_1_and_shows_the_witness(model, tmp_path):
    exp = tmp_path / "bad.yaml"
    exp.write_text(BAD)
    res = _run(model, exp)
    assert res.exit_code == 1
    assert "FAIL 1 [baseline] B all_on: B=0 in a fixed_point" in res.stdout
    assert "ON: C" in res.stdout


def test_json_and_csv(model, tmp_path):
    exp = tmp_path / "e.yaml"
    exp.write_text(GOOD + BAD)
    data = json.loads(_run(model, exp, "--format", "json").stdout)
    assert data["counts"] == {"PASS": 3, "FAIL": 1, "VACUOUS": 0}
    assert data["update"] == "asynchronous" and data["nodes"] == ["A", "B", "C"]
    failed = [r for r in data["results"] if r["status"] == "FAIL"]
    assert failed[0]["witness"]["subspace"] == "001" and failed[0]["source"] == "toy §2"
    rows = list(csv.DictReader(io.StringIO(_run(model, exp, "--format", "csv").stdout)))
    assert [r["status"] for r in rows] == ["PASS", "PASS", "PASS", "FAIL"]


def test_sync_update_and_explicit_scenario_file(model, tmp_path):
    exp = tmp_path / "e.yaml"
    exp.write_text(GOOD)
    other = tmp_path / "other.yaml"
    other.write_text("baseline: {A: 0}\nswitched_on: {A: 1}\n")
    res = _run(model, exp, "--update", "sync", "--scenarios", other, "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["update"] == "synchronous"


@pytest.mark.parametrize("text,needle", [("- expect: {B: maybe}\n", "statement 1"),
                                         ("- expect: {Z: on}\n", "Z")])
def test_bad_expectations_exit_2_with_one_line(model, tmp_path, text, needle):
    exp = tmp_path / "e.yaml"
    exp.write_text(text)
    res = _run(model, exp)
    assert res.exit_code == 2
    assert res.stdout == "" and needle in res.stderr and res.stderr.count("\n") == 1


def test_shipped_joined_model_passes():
    res = _run(MODELS / "bone_muscle.rules")
    assert res.exit_code == 0, res.stdout[-2000:]
    assert ", 0 fail, 0 vacuous" in res.stdout
