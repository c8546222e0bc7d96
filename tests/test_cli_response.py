"""--from / --from-scenario on stg, simulate and plot stg|trajectory, and ``logicbone report``."""
from __future__ import annotations

import csv
import json
import re

import pytest
from click.testing import CliRunner

import logicbone as lb
from conftest import MODELS
from logicbone_cli.main import cli

CHAIN = "S, S\nA, S\nB, A\nC, A & !B\n"
SCENARIOS = "rest: {S: 0}\nstim: {S: 1}\n"
EXPECTATIONS = """\
- id: E1
  condition: stim
  expect: {B: all_on}
  source: a test statement
- id: E2
  condition: rest
  expect: {A: all_off}
  source: another
"""


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def model(tmp_path):
    (tmp_path / "chain.bnet").write_text(CHAIN)
    (tmp_path / "chain.scenarios.yaml").write_text(SCENARIOS)
    (tmp_path / "chain.expectations.yaml").write_text(EXPECTATIONS)
    return str(tmp_path / "chain.bnet")


def test_simulate_from_a_scenario(model):
    r = invoke("simulate", model, "--from-scenario", "rest", "--scenario", "stim",
               "--update", "sync", "--steps", "3", "--format", "json")
    assert r.exit_code == 0, r.stderr
    # rest's attractor (all OFF), S switched on at once, then A, then B and C, then C off
    assert json.loads(r.stdout)["states"] == ["1000", "1100", "1111", "1110"]


@pytest.mark.parametrize("start, expected", [
    (["--from", "A=1"], "0100"),                             # unnamed nodes 0
    (["--from", "0011"], "0011"),                            # a full state
    (["--from-scenario", "stim", "--from", "B=0"], "1100"),  # unnamed: from stim's attractor
    ([], "0000"),                                            # nothing: all OFF
])
def test_simulate_starts(model, start, expected):
    r = invoke("simulate", model, *start, "--steps", "0", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["states"] == [expected]


def test_stg_exports_the_response(model, tmp_path):
    out = tmp_path / "resp.csv"
    r = invoke("stg", model, "--from-scenario", "rest", "--scenario", "stim", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "5 states, 5 transitions, 1 attractors" in r.stderr
    rows = list(csv.DictReader(open(tmp_path / "resp.nodes.csv")))
    assert {(x["state"], x["distance"], x["start"]) for x in rows} == {
        ("1000", "0", "1"), ("1100", "1", "0"), ("1110", "2", "0"), ("1101", "2", "0"),
        ("1111", "3", "0")}
    edges = list(csv.DictReader(open(out)))
    assert {(e["source"], e["target"], e["change"]) for e in edges} >= {("1000", "1100", "A↑")}


@pytest.mark.parametrize("cmd", [
    ["simulate"], ["stg", "-o", "{tmp}/x.json"], ["plot", "stg", "-o", "{tmp}/x.png"],
    ["plot", "trajectory", "-o", "{tmp}/x.png"]])
@pytest.mark.parametrize("bad, message", [
    (["--from-scenario", "stimm"], "did you mean stim"),
    (["--from", "Bb=1"], "unknown node 'Bb'; did you mean B"),
    (["--from", "010"], "has 3 characters; the network has 4 nodes"),
])
def test_bad_starts_exit_2_with_one_line(model, tmp_path, cmd, bad, message):
    cmd = [c.replace("{tmp}", str(tmp_path)) for c in cmd]
    if cmd[0] == "plot":
        r = invoke(*cmd[:2], model, *cmd[2:], *bad)
    else:
        r = invoke(cmd[0], model, *cmd[1:], *bad)
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not list(tmp_path.glob("x.*"))


def test_plot_response_and_trajectory(model, tmp_path):
    r = invoke("plot", "stg", model, "--from-scenario", "rest", "--scenario", "stim",
               "--color-by", "C", "-o", tmp_path / "r.png")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    r = invoke("plot", "stg", model, "--from-scenario", "rest", "--scenario", "stim",
               "--color-by", "Cx", "-o", tmp_path / "q.png")
    assert r.exit_code == 2 and "did you mean C" in r.stderr
    r = invoke("plot", "trajectory", model, "--from-scenario", "rest", "--scenario", "stim",
               "-o", tmp_path / "t.svg")
    assert r.exit_code == 0, r.stderr
    assert "<svg" in (tmp_path / "t.svg").read_text()


def test_plot_response_of_the_joined_model_is_summarised_by_layers(tmp_path):
    """88 nodes; the asynchronous response to disuse from rest is far above --limit."""
    r = invoke("plot", "stg", MODELS / "bone_muscle.rules", "--from-scenario", "baseline",
               "--scenario", "exercise", "--limit", "1000", "--color-by", "Hypertrophy",
               "-o", tmp_path / "big.png")
    assert r.exit_code == 0, r.stderr
    assert "summarising the response by distance layers" in r.stderr
    assert (tmp_path / "big.png").stat().st_size > 10_000


# ---------------------------------------------------------------- report

def test_report_writes_one_self_contained_page(model, tmp_path):
    out = tmp_path / "report.html"
    r = invoke("report", model, "-o", out)
    assert r.exit_code == 0, r.stderr
    page = out.read_text()
    for section in ("model", "graph", "attractors", "comparison", "checks", "response"):
        assert f'<section id="{section}">' in page
    assert "2 pass, 0 fail, 0 vacuous" in page
    assert "Response: rest -&gt; stim" in page
    assert page.count('class="state ') == 5                 # the interactive response
    assert "data:image/png;base64," in page
    # nothing to fetch: no external script, style sheet, image or font
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "<link" not in page and "@import" not in page


def test_report_refuses_to_overwrite_and_missing_folders(model, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("mine")
    r = invoke("report", model, "-o", out)
    assert r.exit_code == 2 and "use --force" in r.stderr
    assert out.read_text() == "mine"
    r = invoke("report", model, "-o", out, "--force")
    assert r.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    r = invoke("report", model, "-o", tmp_path / "nowhere" / "r.html")
    assert r.exit_code == 2 and "does not exist" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("opt, message", [
    (["--response", "rest:stimm"], "did you mean stim"),
    (["--response", "rest"], "expected FROM:TO"),
    (["--color-by", "Q"], "unknown node 'Q'"),
])
def test_report_bad_options(model, tmp_path, opt, message):
    r = invoke("report", model, "-o", tmp_path / "r.html", *opt)
    assert r.exit_code == 2 and message in r.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_layers_view_when_the_response_is_large(tmp_path):
    net = lb.read_network(MODELS / "muscle_fibre.rules")
    sc = lb.read_scenarios(MODELS / "muscle_fibre.scenarios.yaml")
    rep = lb.build_report(net, model="muscle", scenarios=sc,
                          response=("baseline", "chronic_inflammation"))
    body = rep.sections[-1].body
    assert "by distance from the start" in body and 'id="stg"' not in body
    assert "13,594 states reachable" in body
