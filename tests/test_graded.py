"""Graded statements (blunted, transient, slower effects) judged on stochastic time courses."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

# B follows A; C switches on after B and then holds B down: B is transient
RULES = "A* = A\nB* = A and not C\nC* = B or C\nD* = C\n"


def judge(yaml_text, net=None):
    net = net or lb.parse_rules(RULES)
    return lb.check_graded(net, lb.parse_graded(yaml_text)).results


def test_lower_passes_when_the_gap_is_real_and_fails_when_asked_too_much():
    st = """
- graded: lower
  node: B
  condition: {fix: {A: 1}}
  rates: {B.up: 0.2}
  than: {fix: {A: 1}}
  start: {fix: {A: 1, B: 0, C: 0, D: 0}}
  at: 1
  by: {by}
"""
    ok = judge(st.replace("{by}", "0.1"))[0]
    assert ok.status == "PASS" and ok.value - 0.1 > 2 * ok.error
    too_much = judge(st.replace("{by}", "0.6"))[0]
    assert too_much.status == "FAIL"
    same = judge(st.replace("  rates: {B.up: 0.2}\n", "").replace("{by}", "0"))[0]
    assert same.status == "FAIL" and same.value == 0     # same seed, same condition


def test_higher_is_lower_the_other_way_round():
    st = """
- graded: higher
  node: B
  condition: {fix: {A: 1}}
  than: {fix: {A: 1}}
  than_rates: {B.up: 0.2}
  start: {fix: {A: 1, B: 0, C: 0, D: 0}}
  at: 1
  by: 0.1
"""
    assert judge(st)[0].status == "PASS"


def test_transient_and_sustained():
    st = """
- graded: transient
  node: {node}
  condition: {fix: {A: 1}}
  start: {fix: {A: 1, B: 0, C: 0, D: 0}}
  at: 8
  by: 0.1
"""
    assert judge(st.replace("{node}", "B"))[0].status == "PASS"
    assert judge(st.replace("{node}", "D"))[0].status == "FAIL"   # rises and stays


def test_later():
    st = """
- graded: later
  phenotype: {D: 1}
  condition: {fix: {A: 1}}
  rates: {C.up: 0.3}
  than: {fix: {A: 1}}
  start: {fix: {A: 1, B: 0, C: 0, D: 0}}
  at: 10
  by: 0.5
"""
    r = judge(st)[0]
    assert r.status == "PASS" and "first-passage" in r.detail
    assert judge(st.replace("C.up: 0.3", "C.up: 3"))[0].status == "FAIL"


def test_restricted_mean_agrees_with_exact():
    net = lb.parse_rules(RULES)
    kw = dict(max_time=4, tick=1, initial="A=1,B=0,C=0,D=0", phenotype="D=1")
    ex = lb.stochastic(net, method="exact", **kw).first_passage
    sa = lb.stochastic(net, method="sampled", samples=20_000, seed=4, **kw).first_passage
    assert abs(ex["restricted_mean_time"] - sa["restricted_mean_time"]) \
        < 4 * sa["restricted_mean_time_error"]


@pytest.mark.parametrize("text, match", [
    ("- graded: bigger\n  node: B\n  condition: wt\n  than: wt\n  at: 1", "use lower"),
    ("- graded: lower\n  condition: wt\n  than: wt\n  at: 1", "needs a node"),
    ("- graded: lower\n  node: B\n  condition: wt\n  at: 1", "'than' is required"),
    ("- graded: lower\n  node: B\n  condition: wt\n  than: wt\n  at: -1", "'at' must be"),
    ("- graded: later\n  condition: wt\n  than: wt\n  at: 1", "phenotype"),
    ("- graded: lower\n  node: B\n  condition: wt\n  than: wt\n  at: 1\n  colour: red",
     "unknown key 'colour'"),
    ("- graded: lower\n  node: B\n  condition: wt\n  than: wt\n  at: 1\n  rates: {B.up: x}",
     "must be a number"),
])
def test_malformed_graded_statements(text, match):
    with pytest.raises(lb.ExpectationError, match=match):
        lb.parse_graded(text)


def test_boolean_reader_skips_graded_statements():
    text = ("- condition: wt\n  expect: {B: all_off}\n"
            "- graded: transient\n  node: B\n  condition: wt\n  at: 1\n")
    assert len(lb.parse_expectations(text)) == 1 and len(lb.parse_graded(text)) == 1


def test_check_reports_graded_beside_boolean(tmp_path):
    model = tmp_path / "toy.rules"
    model.write_text(RULES)
    (tmp_path / "toy.expectations.yaml").write_text(
        "- condition: {fix: {A: 0}}\n  expect: {B: all_off}\n  source: toy\n"
        "- id: G1\n  graded: lower\n  node: B\n  condition: {fix: {A: 1}}\n"
        "  rates: {B.up: 0.2}\n  than: {fix: {A: 1}}\n  start: {fix: {A: 1, B: 0, C: 0, D: 0}}\n"
        "  at: 1\n  by: 0.1\n  source: toy\n")
    res = CliRunner().invoke(cli, ["check", str(model)])
    assert res.exit_code == 0, res.output
    assert "graded statements" in res.stdout and "1 graded: 1 pass" in res.stdout
    d = json.loads(CliRunner().invoke(cli, ["check", str(model), "--format", "json"]).stdout)
    assert d["counts"]["PASS"] == 1 and d["graded"][0]["status"] == "PASS"
    off = CliRunner().invoke(cli, ["check", str(model), "--no-graded"])
    assert "graded" not in off.stdout
    (tmp_path / "toy.expectations.yaml").write_text(
        "- graded: lower\n  node: B\n  condition: {fix: {A: 1}}\n  than: {fix: {A: 1}}\n"
        "  at: 1\n  by: 0.5\n")
    failing = CliRunner().invoke(cli, ["check", str(model)])
    assert failing.exit_code == 1 and "FAIL" in failing.stdout
