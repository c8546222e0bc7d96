"""``logicbone stochastic``: output formats, conditions, doses, figures and bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from logicbone_cli.main import cli

MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.fixture
def chain(tmp_path):
    p = tmp_path / "chain.bnet"
    p.write_text("A, A\nB, A\nC, B & !D\nD, D\n")
    return str(p)


def run(*args):
    res = CliRunner().invoke(cli, [str(a) for a in args])
    return res


def test_json_is_the_contract(chain):
    res = run("stochastic", chain, "--time", 2, "--tick", 1, "--initial", "A=1,B=0,C=0,D=0",
              "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["method"] == "exact" and d["nodes"] == ["A", "B", "C", "D"]
    assert d["times"] == [0.0, 1.0]
    assert d["node_probabilities"]["A"] == [1.0, 1.0]
    assert 0 < d["node_probabilities"]["C"][1] < d["node_probabilities"]["B"][1] < 1


def test_sampled_table_and_csv(chain):
    args = ["stochastic", chain, "--time", 2, "--tick", 1, "--initial", "A=1,B=0,C=0,D=0",
            "--method", "sampled", "--samples", 500, "--seed", 3, "--readouts", "B,C"]
    table = run(*args)
    assert table.exit_code == 0
    assert "500 trajectories, seed 3" in table.stdout and "±" in table.stdout
    csv = run(*args, "--format", "csv")
    lines = csv.stdout.strip().splitlines()
    assert lines[0] == "time,node,probability,error" and len(lines) == 1 + 2 * 2
    again = run(*args, "--format", "csv", "--jobs", 2)
    assert again.stdout == csv.stdout


def test_rate_option_slows_a_node(chain):
    def pb(*extra):
        out = run("stochastic", chain, "--time", 1, "--tick", 1, "--initial",
                  "A=1,B=0,C=0,D=0", "--format", "json", *extra)
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)["node_probabilities"]["B"][0]
    assert pb("--rate", "B.up*0.2") < pb() < pb("--rate", "B.up=A ? 3 : 1")


def test_rates_file_and_ko(chain, tmp_path):
    rates = tmp_path / "r.txt"
    rates.write_text("$k = 0\nB.up = $k\n")
    out = run("stochastic", chain, "--time", 1, "--rates", rates, "--initial", "A=1,B=0",
              "--format", "json")
    assert json.loads(out.stdout)["node_probabilities"]["B"] == [0.0] * 100
    out = run("stochastic", chain, "--time", 1, "--tick", 1, "--initial", "A=1,B=1,C=1",
              "--oe", "D", "--format", "json")
    d = json.loads(out.stdout)
    assert d["node_probabilities"]["D"] == [1.0] and d["node_probabilities"]["C"][0] < 1


def test_conditions_and_doses(chain, tmp_path):
    out = run("stochastic", chain, "--time", 2, "--tick", 1, "--initial", "A=1,B=0,C=0,D=0",
              "-c", "wt", "-c", "D=1", "--readouts", "C", "--format", "json")
    d = json.loads(out.stdout)
    assert [r["label"] for r in d["runs"]] == ["wt", "D=1"]
    assert d["runs"][1]["node_probabilities"]["C"] == [0.0, 0.0]
    fig = tmp_path / "dose.svg"
    out = run("stochastic", chain, "--time", 2, "--tick", 1, "--initial", "A=1,B=0,C=0,D=0",
              "--dose", "B.up=1,0.5,0.1", "--readouts", "B,C", "--plot", fig)
    assert out.exit_code == 0, out.output
    assert "B.up*0.1" in out.stdout and fig.read_text().startswith("<?xml")
    rows = [ln.split() for ln in out.stdout.splitlines() if ln.startswith("B.up*")][:3]
    pb = [float(r[1]) for r in rows]
    assert pb[0] > pb[1] > pb[2]


def test_plot_is_written_and_not_overwritten(chain, tmp_path):
    fig = tmp_path / "p.png"
    args = ["stochastic", chain, "--time", 1, "--initial", "A=1", "--plot", fig]
    assert run(*args).exit_code == 0 and fig.stat().st_size > 1000
    again = run(*args)
    assert again.exit_code == 2 and "exists" in again.stderr


def test_disuse_after_rest_raises_atrophy_and_bone_loss(tmp_path):
    out = run("stochastic", MODELS / "bone_muscle.rules", "--from-scenario", "baseline",
              "--scenario", "disuse", "--time", 20, "--tick", 5, "--samples", 400,
              "--readouts", "Atrophy,BoneLoss", "--format", "json")
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    for node in ("Atrophy", "BoneLoss"):
        p = d["node_probabilities"][node]
        assert p[0] < 0.05 and p[-1] > 0.5 and p == sorted(p)


@pytest.mark.parametrize("args, match", [
    (["--time", 0], "max time"),
    (["--time", -2], "max time"),
    (["--time", 1, "--tick", 2], "larger than the max time"),
    (["--samples", 0, "--method", "sampled"], "samples"),
    (["--rate", "B.up*-1"], ">= 0"),
    (["--rate", "B.up*fast"], "not a number"),
    (["--rate", "B.up=-1"], ">= 0"),
    (["--rate", "Zed.up*2"], "unknown node 'Zed'"),
    (["--rate", "B.sideways*2"], "NODE.up"),
    (["--rate", "B.up=A ?"], ":1:"),
    (["--initial", "A=1.5"], r"\[0, 1\]"),
    (["--initial", "Q=0.5"], "unknown node 'Q'"),
    (["--initial", "A=1", "--from-scenario", "x"], "not both"),
    (["--dose", "B.up=x"], "not a number"),
    (["--plot", "fig.gif"], "known: .eps, .pdf, .png, .ps, .svg"),
])
def test_bad_input_is_one_line_exit_2(chain, args, match):
    import re
    res = run("stochastic", chain, *args)
    assert res.exit_code == 2, res.output
    assert re.search(match, res.stderr)
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("error:") and len(res.stderr.strip().splitlines()) <= 3


def test_bad_rate_file_points_at_line_and_column(chain, tmp_path):
    rates = tmp_path / "bad.rates"
    rates.write_text("B.up = 1\nC.down = 2 +\n")
    res = run("stochastic", chain, "--rates", rates)
    assert res.exit_code == 2 and f"{rates}:2:13:" in res.stderr


def test_timeout_gives_a_partial_answer_marked_so(chain):
    res = run("stochastic", chain, "--method", "sampled", "--samples", 100_000, "--timeout",
              1e-9, "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["complete"] is False and d["reason"] == "timeout" and d["samples"] < 100_000
    assert "partial answer" in res.stderr
