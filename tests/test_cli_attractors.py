"""``logicbone attractors`` and ``logicbone simulate`` through click's CliRunner."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli
from _helpers import random_nk

TOGGLE = "A, B\nB, A\nI, I\nX, I & A\n"


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "toggle.bnet"
    path.write_text(TOGGLE)
    return str(path)


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_json_follows_the_contract(model):
    r = invoke("attractors", model, "--update", "async", "--basins", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["nodes"] == ["A", "B", "I", "X"]
    assert (data["update"], data["method"], data["complete"]) == ("asynchronous", "explicit", True)
    # the input I is free: both values are explored
    assert [a["states"] for a in data["attractors"]] == [["0000"], ["0010"], ["1100"], ["1111"]]
    for a in data["attractors"]:
        assert set(a) >= {"type", "size", "subspace", "states", "basin", "reach_probability"}
        assert a["type"] == "fixed_point" and a["subspace"] == a["states"][0]
    assert sum(a["reach_probability"] for a in data["attractors"]) == pytest.approx(1)
    assert r.stderr == ""


def test_same_answer_as_the_library(model):
    r = invoke("attractors", model, "--update", "sync", "--format", "json")
    net = lb.read_network(model)
    assert json.loads(r.stdout) == lb.attractors(net, "sync", model=model).to_dict()


def test_table_summarises_cycles(model):
    r = invoke("attractors", model, "--update", "sync", "--inputs", "I=1")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    # the head line is wrapped to the terminal's width (the temporary path is long)
    assert "3 attractors, synchronous update, method explicit" in " ".join(lines[:2])
    cycle = next(line for line in lines if " cycle " in line)
    assert cycle.split()[1:] == ["cycle", "2", "I", "-", "A", "B", "X"]


def test_csv_has_one_column_per_node(model):
    r = invoke("attractors", model, "--update", "sync", "--basins", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["attractor", "type", "size", "basin", "A", "B", "I", "X"]
    assert sum(float(row["basin"]) for row in rows) == pytest.approx(1)


def test_perturbations_apply(model):
    r = invoke("attractors", model, "--ko", "A", "--oe", "I", "--format", "json")
    assert [a["states"] for a in json.loads(r.stdout)["attractors"]] == [["0010"]]


def test_above_the_limit_refuses_in_one_line(tmp_path):
    path = tmp_path / "nk.bnet"
    path.write_text(lb.to_bnet(random_nk(12, 2, 1)))
    r = invoke("attractors", str(path), "--update", "sync", "--method", "explicit",
               "--state-limit", "100")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "--method sat" in r.stderr
    r = invoke("attractors", str(path), "--update", "sync", "--state-limit", "100", "--force",
               "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["complete"]


def test_output_is_the_same_on_every_run(tmp_path):
    path = tmp_path / "nk.bnet"
    path.write_text(lb.to_bnet(random_nk(9, 3, 2)))
    outs = {invoke("attractors", str(path), "--update", u, "--basins").stdout
            for u in ("async",) for _ in range(3)}
    assert len(outs) == 1


def test_simulate_sync_and_async(model):
    r = invoke("simulate", model, "--update", "sync", "--from", "1010", "--steps", "3",
               "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["states"] == ["1010", "0111", "1010", "0111"]
    a = invoke("simulate", model, "--update", "async", "--from", "A=1,I=1", "--steps", "10",
               "--seed", "4", "--format", "csv")
    b = invoke("simulate", model, "--update", "async", "--from", "A=1,I=1", "--steps", "10",
               "--seed", "4", "--format", "csv")
    assert a.stdout == b.stdout and a.stdout.startswith("step,A,B,I,X\n0,1,0,1,0\n")


def test_simulate_table_and_bad_state(model):
    r = invoke("simulate", model, "--from", "10", "--steps", "1")
    assert r.exit_code == 2 and "4 nodes" in r.stderr
    r = invoke("simulate", model, "--ko", "B", "--from", "0100", "--steps", "1")
    assert r.stdout.splitlines()[0] == "nodes: A B I X"
    assert r.stdout.split()[-3:] == ["0000", "1", "0000"]


@pytest.mark.parametrize("update", ["async", "mp"])
def test_limit_answers_at_once_when_the_model_splits(tmp_path, update):
    # issue 20: 2^25 minimal trap spaces in one part, times two in another
    lines = ["X, " + " | ".join(f"A{i}" for i in range(25))]
    lines += [f"A{i}, B{i}\nB{i}, A{i}" for i in range(25)]
    model = tmp_path / "p.bnet"
    model.write_text("\n".join(lines + ["C, D\nD, C"]) + "\n")
    r = CliRunner().invoke(cli, ["attractors", str(model), "--update", update, "--limit", "5",
                                 "--timeout", "300", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["attractors"]) == 5 and data["complete"] is False
    assert any("limit" in note for note in data["notes"])


ISSUE_20 = ["bbm/124_nsp9-protein.bnet", "bbm/242_*.bnet", "bbm/243_*.bnet", "bbm/252_*.bnet"]


@pytest.mark.corpus
@pytest.mark.parametrize("pattern", ISSUE_20)
@pytest.mark.parametrize("command", [["fixed-points"], ["trap-spaces"],
                                     ["attractors", "--update", "async"],
                                     ["attractors", "--update", "mp"]], ids=" ".join)
def test_corpus_limit_answers_at_once_when_the_model_splits(pattern, command):
    from _helpers import BENCH
    found = sorted(BENCH.glob(pattern))
    if not found:
        pytest.skip(f"{pattern} is not in the corpus here")
    r = CliRunner().invoke(cli, [*command, str(found[0]), "--limit", "5", "--timeout", "300",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    answers = next(data[k] for k in ("fixed_points", "trap_spaces", "attractors") if k in data)
    assert len(answers) == 5 and data["complete"] is False
    assert data.get("reason", "limit") == "limit"
    assert "reason" in data or any("limit" in note for note in data["notes"])


def test_no_sizes_leaves_a_large_attractor_unmeasured(tmp_path):
    # a negative ring of 16 nodes: one complex attractor filling its trap space (every
    # node free); without sizes it is proven by walks and its size left unknown
    n = 16
    path = tmp_path / "ring.bnet"
    path.write_text("".join(f"x{i}, {'!' if i == 0 else ''}x{(i - 1) % n}\n" for i in range(n)))
    runs = {flag: invoke("attractors", str(path), "--method", "symbolic", flag,
                         "--max-states", "0", "--format", "json")
            for flag in ("--sizes", "--no-sizes")}
    assert all(r.exit_code == 0 for r in runs.values())
    sized, unsized = (json.loads(runs[f].stdout)["attractors"] for f in ("--sizes", "--no-sizes"))
    assert [a["subspace"] for a in sized] == [a["subspace"] for a in unsized] == ["*" * n]
    assert sized[0]["size"] > 1 and unsized[0]["size"] is None
    assert "not computed" in " ".join(json.loads(runs["--no-sizes"].stdout)["notes"])


def test_basins_of_a_space_too_large_say_why_not_which_method_refuses(tmp_path):
    # 30 nodes: no scalable method gives basins, and the message says what would
    path = tmp_path / "m.bnet"
    path.write_text("\n".join(f"x{i}, x{(i + 1) % 30}" for i in range(30)))
    r = invoke("attractors", str(path), "--basins")
    assert r.exit_code == 2
    assert "2^30 states" in r.stderr and "drop --basins" in r.stderr
    assert "symbolic" not in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("update, hint", [("sync", "--method sat"), ("general", "--inputs")])
def test_counts_too_large_to_search_name_a_way_that_exists(tmp_path, update, hint):
    path = tmp_path / "m.bnet"
    path.write_text("\n".join(f"x{i}, x{(i + 1) % 30}" for i in range(30)))
    r = invoke("attractors", str(path), "--update", update, "--count")
    assert r.exit_code == 2 and hint in r.stderr
    if update == "general":     # (SAT lists synchronous cycles only)
        assert "--method sat" not in r.stderr
        assert invoke("attractors", str(path), "--update", update, "--method", "sat",
                      "--limit", "2").exit_code != 0
