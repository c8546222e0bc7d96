"""Perturbations, scenario files and condition texts."""
from __future__ import annotations

import itertools
from math import comb

import pytest
from hypothesis import given
from hypothesis import strategies as st

import logicbone as lb

from _helpers import MODELS

NET = lb.parse_bnet("Akt, PI3K\nPI3K, PI3K\nmTOR, Akt & !AMPK\nAMPK, AMPK\nFOXO, !Akt")


@pytest.mark.parametrize("text, want", [
    ("Akt=0", {"Akt": 0}),
    ("Akt=0, mTOR=1", {"Akt": 0, "mTOR": 1}),
    ("Akt:OFF,mTOR:on", {"Akt": 0, "mTOR": 1}),
    ("Akt=false,mTOR=TRUE", {"Akt": 0, "mTOR": 1}),
    ("", {}),
])
def test_parse_assignments(text, want):
    assert lb.parse_assignments(text) == want


@pytest.mark.parametrize("text, message", [
    ("Akt", "expected NODE=0"),
    ("Akt=2", "must be 0, 1, ON or OFF"),
    ("Akt=0,Akt=1", "both ON and OFF"),
    ("1Akt=0", "expected NODE=0"),
])
def test_parse_assignments_errors(text, message):
    with pytest.raises(lb.PerturbationError, match=message):
        lb.parse_assignments(text)


def test_apply_and_unknown_names():
    net = lb.Perturbation.parse("Akt=0").apply(NET)
    assert net.rules["Akt"] == lb.parse_expr("0") and net.names == NET.names
    with pytest.raises(lb.UnknownNodeError, match="did you mean mTOR"):
        lb.Perturbation.parse("mTor=0").apply(NET)
    with pytest.raises(lb.UnknownNodeError, match="did you mean FOXO"):
        lb.check_perturbation(NET, {"FOXO1": 1})


SCEN = """
baseline:
  description: resting
  fix: {PI3K: 0, AMPK: 0}
fed:
  extends: baseline
  fix: {PI3K: 1}
fed_rapa:
  extends: fed
  description: fed, with rapamycin
  fix: {mTOR: OFF}
starved: {AMPK: on}
empty:
  extends: baseline
"""


def test_scenarios_extends_and_short_form():
    sc = lb.parse_scenarios(SCEN)
    assert list(sc) == ["baseline", "fed", "fed_rapa", "starved", "empty"]
    assert dict(sc["fed_rapa"].perturbation) == {"PI3K": 1, "AMPK": 0, "mTOR": 0}
    assert sc["fed_rapa"].description == "fed, with rapamycin"
    assert sc["fed_rapa"].perturbation.label == "fed_rapa"
    assert dict(sc["starved"].perturbation) == {"AMPK": 1}
    assert dict(sc["empty"].perturbation) == {"PI3K": 0, "AMPK": 0}


@pytest.mark.parametrize("text, message", [
    ("a: {extends: b}\nb: {extends: a}", "extends itself"),
    ("a: {extends: basline}\nbaseline: {X: 1}", "did you mean baseline"),
    ("a: {X: 2}", "must be 0, 1, ON or OFF"),
    ("a: [X, Y]", "expected a mapping"),
    ("a: {fix: {X: 1}, extend: b}", "unknown key 'extend'"),
    ("a: {X: 1\nb: 2", r"<scenarios>:\d+:\d+: not valid YAML"),
    ("- a\n- b", "expected a mapping of scenario names"),
])
def test_scenario_errors(text, message):
    with pytest.raises(lb.PerturbationError, match=message):
        lb.parse_scenarios(text)


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.scenarios.yaml")), ids=lambda p: p.name)
def test_shipped_scenario_files_name_only_their_model_nodes(path):
    model = path.with_name(path.name.replace(".scenarios.yaml", ".rules"))
    net = lb.read_network(model)
    assert lb.scenario_path_for(model) == path
    sc = lb.read_scenarios(path)
    assert "baseline" in sc and len(sc) > 1
    for s in sc.values():
        net.check_nodes(s.perturbation)
        assert set(s.perturbation) <= set(net.names)


def test_resolve_condition():
    sc = lb.parse_scenarios(SCEN)
    assert lb.resolve_condition("wt", sc) == {} and lb.resolve_condition("wt").label == "wt"
    p = lb.resolve_condition("fed + Akt=0", sc, NET)
    assert dict(p) == {"PI3K": 1, "AMPK": 0, "Akt": 0} and p.label == "fed + Akt=0"
    # later parts win
    assert lb.resolve_condition("fed+baseline", sc)["PI3K"] == 0
    assert lb.resolve_condition("Akt=0,FOXO=1").label == "Akt=0,FOXO=1"
    with pytest.raises(lb.PerturbationError, match="did you mean starved"):
        lb.resolve_condition("starve", sc)
    with pytest.raises(lb.PerturbationError, match="no scenario file"):
        lb.resolve_condition("starved")
    with pytest.raises(lb.UnknownNodeError, match="did you mean Akt"):
        lb.resolve_condition("fed+Atk=0", sc, NET)


@given(st.lists(st.sampled_from("ABCDEFGH"), unique=True, max_size=8))
def test_perturbation_sets(targets):
    singles = lb.single_perturbations(targets)
    doubles = lb.double_perturbations(targets)
    assert len(singles) == 2 * len(targets) and len(doubles) == 4 * comb(len(targets), 2)
    assert len({p.label for p in singles + doubles}) == len(singles) + len(doubles)
    assert all(len(p) == 2 and len(set(p)) == 2 for p in doubles)
    grid = lb.input_grid(targets[:4])
    assert len(grid) == 2 ** len(targets[:4])
    assert {tuple(p.values()) for p in grid} == set(itertools.product((0, 1), repeat=len(targets[:4])))


# ------------------------------------------------------------ command-line options

def _cli(*args):
    from click.testing import CliRunner

    from logicbone_cli.main import cli

    return CliRunner().invoke(cli, list(args))


def test_scenario_option_and_scenario_file(tmp_path):
    model = tmp_path / "net.bnet"
    model.write_text(lb.to_bnet(NET))
    # no scenario file next to the model
    r = _cli("compare", str(model), "--scenario", "fed")
    assert r.exit_code == 2 and "no scenario file" in r.stderr
    other = tmp_path / "other.yaml"
    other.write_text(SCEN)
    r = _cli("compare", str(model), "--scenario", "fed", "--scenario-file", str(other),
             "-c", "wt", "-c", "Akt=0", "--format", "csv", "--readouts", "mTOR,FOXO")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["node,wt,Akt=0", "mTOR,ON,OFF", "FOXO,OFF,ON"]
    # the default file next to the model; later options apply on top of the scenario
    (tmp_path / "net.scenarios.yaml").write_text(SCEN)
    r = _cli("compare", str(model), "--scenario", "fed", "--oe", "AMPK", "-c", "wt",
             "-c", "starved", "--format", "csv", "--readouts", "mTOR")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["node,wt,starved", "mTOR,OFF,OFF"]


def test_combined_scenarios_keep_what_each_sets_itself():
    from logicbone.scenarios import parse_scenarios, resolve_condition

    scn = parse_scenarios(
        "baseline: {fix: {Estrogen: 1, Loading: 0, RANKL: 1}}\n"
        "estrogen_loss: {extends: baseline, fix: {Estrogen: 0}}\n"
        "denosumab: {extends: baseline, fix: {RANKL: 0}}\n"
        "exercise: {extends: baseline, fix: {Loading: 1}}\n")
    both = resolve_condition("estrogen_loss+denosumab", scn)
    assert dict(both) == {"Estrogen": 0, "Loading": 0, "RANKL": 0}
    assert dict(resolve_condition("denosumab+estrogen_loss", scn)) == dict(both)
    assert dict(resolve_condition("estrogen_loss+Estrogen=1", scn))["Estrogen"] == 1
    assert dict(resolve_condition("estrogen_loss+denosumab+exercise", scn)) == {
        "Estrogen": 0, "Loading": 1, "RANKL": 0}
