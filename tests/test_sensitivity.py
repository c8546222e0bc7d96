"""Expectation sensitivity: the rules (or edges) whose change makes a statement fail."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _random_nets import random_bnet
from conftest import MODELS
from logicbone.analysis.expectations import QUANTIFIERS
from logicbone.expr import FALSE, TRUE, substitute
from logicbone_cli.main import cli

CHAIN = lb.parse_rules("L* = L\nA* = L\nB* = A\nC* = not B\nD* = L or A\n")


def _exps(text: str) -> list[lb.Expectation]:
    return lb.parse_expectations(text)


def _passes(net: lb.Network, exp: lb.Expectation, update: str) -> bool:
    """Reference verdict: the ordinary check, every node of the statement PASS."""
    rep = lb.check_expectations(net, [exp], update)
    return all(r.status == "PASS" for r in rep.results)


def _reference(net: lb.Network, exp: lb.Expectation, mode: str, update: str,
               rest: dict) -> set[str]:
    """Brute force over every non-input node (no pruning, no percolation shortcut)."""
    if not _passes(net, exp, update):
        return set()
    clamped = set(lb.resolve_condition(exp.condition, None, net))
    out = set()
    for node in net.names:
        if node in net.inputs or node in clamped:
            continue
        if mode == "edge":
            for reg in net.regulators(node):
                if reg == node:
                    continue
                vals = [rest[reg]] if rest[reg] is not None else [0, 1]
                if any(not _passes(net.with_rules(
                        {node: substitute(net.rules[node], {reg: bool(v)})}), exp, update)
                        for v in vals):
                    out.add(f"{reg}->{node}")
            continue
        if rest[node] is None:
            vals = [0, 1]
        else:
            vals = [rest[node] if mode == "rule" else 1 - rest[node]]
        if any(not _passes(net.with_rules({node: TRUE if v else FALSE}), exp, update)
               for v in vals):
            out.add(node)
    return out


@pytest.mark.parametrize("mode", ["rule", "edge", "flip"])
@pytest.mark.parametrize("update", ["async", "sync"])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_dependencies_equal_brute_force_on_random_networks(mode, update, seed, data):
    net = lb.parse_bnet(random_bnet(6, seed))
    node = data.draw(st.sampled_from(net.names), label="node")
    quant = data.draw(st.sampled_from(sorted(QUANTIFIERS)), label="quantifier")
    fix = data.draw(st.dictionaries(st.sampled_from(net.names), st.integers(0, 1),
                                    max_size=2), label="fix")
    cond = ",".join(f"{k}={v}" for k, v in fix.items()) or "wt"
    (exp,) = _exps(f"- condition: '{cond}'\n  expect: {{{node}: {quant}}}\n")
    rest = lb.resting_values(net, "wt", update=update)
    rep = lb.expectation_sensitivity(net, [exp], update, reference="wt", mode=mode)
    (s,) = rep.statements
    assert s.passes == _passes(net, exp, update)
    assert {d.label for d in s.dependencies} == _reference(net, exp, mode, update, rest)


def test_rule_mode_holds_each_rule_at_its_resting_value():
    (exp,) = _exps("- condition: {fix: {L: 1}}\n  expect: {C: all_off, D: all_on}\n  id: s\n")
    rep = lb.expectation_sensitivity(CHAIN, [exp], reference="L=0")
    (s,) = rep.statements
    assert rep.resting == {"L": 0, "A": 0, "B": 0, "C": 1, "D": 0}
    # D = L or A: holding A at rest leaves D ON through L, so only D's own rule breaks D
    assert {d.node: d.broken for d in s.dependencies} == {
        "A": ("C",), "B": ("C",), "C": ("C",), "D": ("D",)}
    assert s.tested == 4 and rep.by_change() == {"A": ["s"], "B": ["s"], "C": ["s"], "D": ["s"]}


def test_edge_mode_cuts_one_arrow():
    (exp,) = _exps("- condition: {fix: {L: 1}}\n  expect: {D: all_on}\n")
    rep = lb.expectation_sensitivity(CHAIN, [exp], reference="L=0", mode="edge")
    # D = L or A: cutting either arrow alone leaves the other
    assert rep.statements[0].dependencies == ()
    (exp,) = _exps("- condition: {fix: {L: 1}}\n  expect: {B: all_on}\n")
    rep = lb.expectation_sensitivity(CHAIN, [exp], reference="L=0", mode=lb.SensitivityMode.EDGE)
    assert [d.label for d in rep.statements[0].dependencies] == ["L->A", "A->B"]


def test_a_node_without_resting_value_is_tried_at_both_values():
    net = lb.parse_rules("O* = not O\nA* = O\nB* = A\n")
    (exp,) = _exps("- condition: {fix: {A: 1}}\n  expect: {B: all_on}\n")
    rest = lb.resting_values(net, "wt")
    assert rest == {"O": None, "A": None, "B": None}
    (s,) = lb.expectation_sensitivity(net, [exp]).statements
    assert [(d.node, d.value) for d in s.dependencies] == [("B", 0)]


def test_a_failing_statement_is_reported_without_dependencies():
    (exp,) = _exps("- condition: {fix: {L: 1}}\n  expect: {C: all_on}\n")
    (s,) = lb.expectation_sensitivity(CHAIN, [exp], reference="L=0").statements
    assert not s.passes and s.dependencies == () and s.tested == 0


def test_bad_mode_is_an_input_error():
    with pytest.raises(lb.InputError, match="rule, edge or flip"):
        lb.expectation_sensitivity(CHAIN, [], mode="nodes")


def test_shipped_bone_model_loading_statements_rest_on_osteocyte_igf1():
    model = MODELS / "bone.rules"
    exps = [e for e in lb.read_expectations(lb.expectation_path_for(model))
            if e.id in ("B1", "B12")]
    sc = lb.read_scenarios(lb.scenario_path_for(model))
    rep = lb.expectation_sensitivity(lb.read_network(model), exps, scenarios=sc)
    deps = {s.id: {d.node for d in s.dependencies} for s in rep.statements}
    assert rep.reference == "baseline"
    assert {"IGF1_Ocy", "IGF1", "IGF1R", "PI3K", "Akt", "GSK3B", "beta_catenin"} <= deps["B1"]
    # denosumab in estrogen loss: every node it needs is already at rest...
    assert deps["B12"] == set()
    # ...but each resorption node stuck ON breaks it
    flip = lb.expectation_sensitivity(lb.read_network(model), exps, scenarios=sc, mode="flip")
    assert {"RANK", "Osteoclastogenesis", "BoneResorption"} <= \
        {d.node for d in flip.statements[1].dependencies}


# ---------------------------------------------------------------- command line

RULES = "L* = L\nA* = L\nB* = A\nC* = not B\n"
SCEN = "baseline: {fix: {L: 0}}\nloaded: {extends: baseline, fix: {L: 1}}\n"
EXP = "- id: s1\n  condition: {scenario: loaded}\n  expect: {C: all_off}\n  source: 'toy'\n"


@pytest.fixture
def model(tmp_path):
    p = tmp_path / "toy.rules"
    p.write_text(RULES)
    (tmp_path / "toy.scenarios.yaml").write_text(SCEN)
    (tmp_path / "toy.expectations.yaml").write_text(EXP)
    return p


def _run(*args):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def test_cli_table(model):
    res = _run(model, "--sensitivity")
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    lines = res.stdout.splitlines()
    row = next(x for x in lines if x.startswith("s1 "))
    assert row.split()[1:] == ["loaded", "3/3", "A", "B", "C"]
    assert "reference: baseline" in lines[-1]


def test_cli_json_and_csv(model):
    res = _run(model, "--sensitivity", "--perturb", "edge", "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["mode"] == "edge" and d["reference"] == "baseline"
    assert [(x["regulator"], x["node"]) for x in d["statements"][0]["dependencies"]] == \
        [("L", "A"), ("A", "B"), ("B", "C")]
    res = _run(model, "--sensitivity", "--format", "csv")
    assert res.stdout.splitlines()[0] == \
        "id,condition,passes,tested,change,node,regulator,value,broken"
    assert res.stdout.splitlines()[1:] == ["s1,loaded,True,3,A,A,,0,C", "s1,loaded,True,3,B,B,,0,C",
                                               "s1,loaded,True,3,C,C,,1,C"]


def test_cli_exit_1_when_a_statement_fails_and_2_on_a_bad_mode(model):
    model.with_name("toy.expectations.yaml").write_text(EXP.replace("all_off", "all_on"))
    res = _run(model, "--sensitivity")
    assert res.exit_code == 1 and "fails unperturbed" in res.stdout
    res = _run(model, "--sensitivity", "--perturb", "nodes")
    assert res.exit_code == 2 and res.stdout == ""
