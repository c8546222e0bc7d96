"""Literature expectations: reading the YAML, the quantifiers, VACUOUS, and the shipped files."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import MODELS

# A* = A is bistable (00/11 for A, B); C toggles under sync and async
TOY = lb.parse_rules("A* = A\nB* = A\nC* = not C\nD* = not A")


def _one(text: str, update="async", net=TOY):
    return lb.check_expectations(net, lb.parse_expectations(text), update)


@pytest.mark.parametrize("node,quant,status", [
    ("B", "all_on", "FAIL"), ("B", "all_off", "FAIL"), ("B", "some_on", "PASS"),
    ("B", "some_off", "PASS"), ("B", "none_on", "FAIL"), ("B", "none_off", "FAIL"),
    ("C", "all_on", "FAIL"), ("C", "some_on", "FAIL"), ("C", "none_on", "PASS"),
    ("C", "none_off", "PASS"), ("C", "all_off", "FAIL"),
])
def test_quantifiers_on_a_bistable_switch_with_an_oscillator(node, quant, status):
    rep = _one(f"- condition: wt\n  expect: {{{node}: {quant}}}\n  source: toy\n")
    (r,) = rep.results
    assert r.status == status
    assert r.n_attractors == 2
    assert (r.witness is not None) == (status == "FAIL")


@pytest.mark.parametrize("quant,bad", [("all_on", "0"), ("none_off", "0"), ("none_on", "1"),
                                       ("all_off", "1")])
def test_witness_shows_the_offending_value(quant, bad):
    (r,) = _one(f"- expect: {{B: {quant}}}\n").results
    assert r.status == "FAIL"
    assert r.witness.subspace[TOY.index("B")] == bad


def test_condition_fix_and_aliases():
    rep = _one("- condition: {fix: {A: 1}}\n  expect: {B: on, D: off}\n")
    assert [(r.condition, r.expect, r.status) for r in rep.results] == \
        [("A=1", "all_on", "PASS"), ("A=1", "all_off", "PASS")]


def test_when_filter_and_vacuous():
    rep = _one("- when: {A: 1}\n  expect: {B: all_on}\n"
               "- condition: {fix: {A: 0}}\n  when: {A: 1}\n  expect: {B: all_on}\n")
    assert [(r.status, r.n_attractors) for r in rep.results] == [("PASS", 1), ("VACUOUS", 0)]
    assert rep.counts == {"PASS": 1, "FAIL": 0, "VACUOUS": 1} and rep.ok


def test_scenarios_in_conditions_are_resolved_in_order():
    sc = lb.parse_scenarios("up: {A: 1}\ndown: {A: 0}\n")
    exps = lb.parse_expectations("- condition: {scenario: [up, down]}\n  expect: {B: all_off}\n"
                                 "- condition: 'down+up'\n  expect: {B: all_on}\n")
    rep = lb.check_expectations(TOY, exps, scenarios=sc)
    assert [r.status for r in rep.results] == ["PASS", "PASS"]
    assert [r.condition for r in rep.results] == ["up+down", "down+up"]


def test_attractors_are_computed_once_per_condition():
    rep = _one("- expect: {B: some_on}\n- expect: {C: none_on}\n- condition: {fix: {A: 1}}\n"
               "  expect: {B: all_on}\n")
    assert sorted(rep.attractors) == ["A=1", "wt"]


@pytest.mark.parametrize("text,match", [
    ("- expect: {B: always}\n", r"statement 1: 'B: always'"),
    ("- condition: wt\n", r"statement 1: 'expect' must"),
    ("- expect: {B: on}\n  sauce: x\n", r"unknown key 'sauce'"),
    ("- condition: {scenery: x}\n  expect: {B: on}\n", r"unknown condition key 'scenery'"),
    ("- expect: {B: on}\n  when: {A: 2}\n", r"'A: 2'"),
    ("a: [1,\n", r"<expectations>:\d+:\d+: not valid YAML"),
    ("just text\n", r"expected a list"),
])
def test_malformed_files_name_the_statement(text, match):
    with pytest.raises(lb.ExpectationError, match=match):
        lb.parse_expectations(text)


def test_unknown_nodes_and_scenarios_are_errors():
    with pytest.raises(lb.UnknownNodeError):
        _one("- expect: {Bb: all_on}\n")
    with pytest.raises(lb.UnknownNodeError):
        _one("- condition: {fix: {Q: 1}}\n  expect: {B: all_on}\n")
    with pytest.raises(lb.PerturbationError, match="'nosuch'"):
        _one("- condition: {scenario: nosuch}\n  expect: {B: all_on}\n")


_RULES = ["A", "B", "C", "not A", "not B", "A and B", "A or C", "not (B and C)", "B and not C"]


@settings(max_examples=40, deadline=None)
@given(rules=st.lists(st.sampled_from(_RULES), min_size=3, max_size=3),
       update=st.sampled_from(["async", "sync"]), node=st.sampled_from("ABC"))
def test_none_is_the_negation_of_some_and_all_implies_some(rules, update, node):
    net = lb.parse_rules("".join(f"{n}* = {r}\n" for n, r in zip("ABC", rules)))
    text = "".join(f"- expect: {{{node}: {q}}}\n" for q in
                   ("all_on", "some_on", "none_on", "all_off", "some_off", "none_off"))
    s = {r.expect: r.status == "PASS" for r in _one(text, update, net).results}
    assert s["none_on"] == (not s["some_on"]) and s["none_off"] == (not s["some_off"])
    assert (not s["all_on"] or s["some_on"]) and (not s["all_off"] or s["some_off"])
    assert not (s["all_on"] and s["some_off"])


MODEL_FILES = ["muscle_fibre.rules", "bone.rules", "bone_muscle.rules"]


@pytest.mark.parametrize("name", MODEL_FILES)
def test_shipped_expectations_cite_seeds_and_pass_under_async(name):
    model = MODELS / name
    exps = lb.read_expectations(lb.expectation_path_for(model))
    assert all(e.source and any(d in e.source for d in ("D0", "D1", "D4")) for e in exps)
    rep = lb.check_expectations(lb.read_network(model), exps, "async",
                                scenarios=lb.read_scenarios(lb.scenario_path_for(model)))
    assert [(r.id, r.node) for r in rep.results if r.status != "PASS"] == []


def test_at_least_thirty_seed_statements_ship():
    total = sum(len(lb.read_expectations(lb.expectation_path_for(MODELS / n)))
                for n in MODEL_FILES)
    assert total >= 30


def test_report_to_dict_carries_the_witness():
    rep = _one("- expect: {B: all_on}\n  source: toy\n")
    d = rep.to_dict()
    assert d["counts"]["FAIL"] == 1 and d["nodes"] == ["A", "B", "C", "D"]
    (r,) = d["results"]
    assert r["witness"]["subspace"][1] == "0" and r["source"] == "toy"
