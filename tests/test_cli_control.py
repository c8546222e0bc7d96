"""``logicbone control``: output formats, conditions, drugs, partial answers and bad input."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from logicbone_cli.main import cli

# S is the input; A and B are a toggle; R is the target readout, Q another readout
NET = "targets, factors\nS, S\nA, S & !B\nB, !A\nR, A\nQ, B | S\nK, 0\n"
SCENARIOS = """baseline: {fix: {S: 0}}
sick: {extends: baseline, fix: {S: 1}}
blocker: {extends: baseline, fix: {A: 0}}
booster: {extends: baseline, fix: {B: 1}}
"""


@pytest.fixture
def model(tmp_path):
    p = tmp_path / "m.bnet"
    p.write_text(NET)
    (tmp_path / "m.scenarios.yaml").write_text(SCENARIOS)
    return str(p)


def run(*args):
    return CliRunner().invoke(cli, ["control", *map(str, args)])


def test_table(model):
    out = run(model, "--target", "R=0", "-c", "S=1", "--max-size", "1")
    assert out.exit_code == 0, out.stderr
    assert "2 minimal interventions of at most 1 part under S=1: complete" in out.stdout
    lines = out.stdout.splitlines()
    assert any(line.split()[:3] == ["1", "1", "A=0"] for line in lines)
    assert any(line.split()[:3] == ["2", "1", "B=1"] for line in lines)
    assert all(line.startswith("... control:") for line in out.stderr.splitlines())  # progress


def test_json_contract(model):
    out = run(model, "--target", "R=0", "--scenario", "sick", "--max-size", "2",
              "--format", "json")
    assert out.exit_code == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["nodes"] == ["S", "A", "B", "R", "Q", "K"]
    assert d["target"] == {"R": 0} and d["kind"] == "permanent"
    assert d["update"] == "asynchronous" and d["max_size"] == 2 and d["complete"] is True
    assert [i["fix"] for i in d["interventions"]] == [{"A": 0}, {"B": 1}]
    assert [i["size"] for i in d["interventions"]] == [1, 1]
    assert d["conditions"][0]["condition"] == "sick"


def test_csv(model):
    out = run(model, "--target", "R=0", "-c", "S=1", "--max-size", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["intervention"] for r in rows] == ["A=0", "B=1"]
    assert {r["condition"] for r in rows} == {"S=1"}
    assert rows[0]["Q"] == rows[1]["Q"] == "ON"     # Q = B | S stays ON as S is ON
    assert rows[0]["side_effects"] == rows[1]["side_effects"] == "0"


def test_drugs_from_the_scenario_file(model):
    out = run(model, "--target", "R=0", "--scenario", "sick", "--drugs", "--format", "json")
    assert out.exit_code == 0, out.stderr
    d = json.loads(out.stdout)
    assert [(i["parts"], i["drugs"]) for i in d["interventions"]] == [
        (["blocker"], ["blocker"]), (["booster"], ["booster"])]
    # a drug named in --allowed next to a node
    out = run(model, "--target", "R=0", "--scenario", "sick", "--allowed", "booster,A=1",
              "--format", "json")
    assert [i["parts"] for i in json.loads(out.stdout)["interventions"]] == [["booster"]]


def test_several_conditions(model):
    out = run(model, "--target", "R=1", "--inputs-grid", "S", "--format", "json")
    assert out.exit_code == 0, out.stderr
    d = json.loads(out.stdout)
    assert [c["condition"] for c in d["conditions"]] == ["S=0", "S=1"]
    assert [i["fix"] for i in d["conditions"][0]["interventions"]] == [{"A": 1}]
    assert [i["fix"] for i in d["conditions"][1]["interventions"]] == [{"A": 1}, {"B": 0}]
    assert [i["fix"] for i in d["interventions"]] == [{"A": 1}]
    table = run(model, "--target", "R=1", "--inputs-grid", "S")
    assert "in every condition:" in table.stdout
    met = run(model, "--target", "Q=1", "--inputs-grid", "S")
    assert "already holds without intervention in every condition" in met.stdout


def test_already_met_and_unreachable_said_plainly(model):
    out = run(model, "--target", "R=0", "-c", "S=0")
    assert out.exit_code == 0
    assert "already holds without intervention" in out.stdout
    out = run(model, "--target", "K=1", "-c", "S=1", "--max-size", "2")
    assert out.exit_code == 0
    assert "no intervention of at most 2 parts guarantees the target" in out.stdout


def test_partial_answer_is_marked(model):
    out = run(model, "--target", "R=0", "-c", "S=1", "--limit", "1", "--format", "json")
    assert out.exit_code == 0
    d = json.loads(out.stdout)
    assert d["complete"] is False and d["reason"] == "limit" and len(d["interventions"]) == 1
    assert "partial answer (--limit reached)" in out.stderr


@pytest.mark.parametrize("args, message", [
    (["--target", "Nope=0"], "Nope"),
    (["--target", "R=5"], "R=5"),
    (["--target", "R=0", "--max-size", "0"], "--max-size"),
    (["--target", "R=0", "--allowed", ","], "--allowed"),
    (["--target", "R=0", "--allowed", "Zz"], "Zz"),
    (["--target", "R=0", "--scenario", "nosuch"], "nosuch"),
    (["--target", "R=0", "--allowed", "A", "--drugs"], "either --allowed or --drugs"),
])
def test_bad_input_is_one_line_exit_2(model, args, message):
    out = run(model, *args)
    assert out.exit_code == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert out.stdout == ""


def test_jobs_give_the_same_answer(model):
    one = run(model, "--target", "R=0", "-c", "S=1", "--format", "json")
    two = run(model, "--target", "R=0", "-c", "S=1", "--format", "json", "--jobs", "2")
    assert two.exit_code == 0, two.stderr
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_temporary_sequence_table_and_json(tmp_path):
    path = tmp_path / "ratchet.bnet"
    path.write_text("P, P\nQ, !M1\nM1, P | M1\nM2, (M1 & Q) | M2\n")
    args = [path, "--target", "M2=1", "-c", "P=0", "--allowed", "P,Q", "--max-size", 1,
            "--kind", "temporary"]
    table = run(*args)
    assert table.exit_code == 0, table.output
    assert "step 1: P=1 ; step 2: Q=1" in table.output
    assert "sequence of 2 steps" in table.output
    data = json.loads(run(*args, "--format", "json").output)
    assert data["max_steps"] == 2
    assert [i["steps"] for i in data["interventions"]] == [[{"P": 1}, {"Q": 1}]]
    one = run(*args, "--max-steps", 1)
    assert one.exit_code == 0 and "step 1" not in one.output
    bad = run(*args, "--max-steps", 0)
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1


def test_temporary_beyond_64_nodes_is_refused_in_one_line(tmp_path):
    path = tmp_path / "big.bnet"
    path.write_text("P, P\nQ, !M1\nM1, P | M1\nM2, (M1 & Q) | M2\n"
                    + "".join(f"X{i}, !M2\n" for i in range(62)))
    out = run(path, "--target", "M2=1", "-c", "P=0", "--allowed", "P,Q", "--kind",
              "temporary")
    assert out.exit_code == 2
    errors = [line for line in out.stderr.splitlines() if not line.startswith("...")]
    assert len(errors) == 1 and "66 nodes" in errors[0] and "permanent control" in errors[0]
    assert "Traceback" not in out.output
