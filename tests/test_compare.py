"""compare: conditions side by side, checked against a per-state reference enumerator."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.analysis.compare import compare, summarise

from _helpers import MODELS, enumerate_attractors


def sync_reference(net):
    return enumerate_attractors(net, "synchronous")


TOGGLE = "A, !B\nB, !A\nC, A & !D\nD, C\nOut, A | C"


# ------------------------------------------------------------ behaviour

def test_reference_against_itself_is_all_identical():
    net = lb.parse_bnet(TOGGLE)
    cmp = compare(net, ["wt"], analyse=enumerate_attractors)
    ref = cmp.reference
    assert all(m.status == "identical" for m in ref.matches)
    assert set(ref.reference_status) == {"kept"}
    assert ref.changed == ()


def test_knockout_summary_and_matching():
    net = lb.parse_bnet(TOGGLE)
    cmp = compare(net, ["wt", "A=0", "A=1"], readouts=["Out"], analyse=enumerate_attractors)
    wt, ko, oe = cmp.conditions
    # the toggle A/B is bistable in the wild type; C, D oscillate when A is ON
    assert wt.summary["A"] == "mixed" and wt.summary["C"] == "oscillating"
    assert ko.summary["A"] == "OFF" and ko.summary["B"] == "ON" and ko.summary["C"] == "OFF"
    assert ko.summary["Out"] == "OFF"
    assert oe.summary["Out"] == "ON" and oe.summary["C"] == "oscillating"
    assert "A" in ko.changed and "Out" in ko.changed
    # the KO keeps exactly the wild type's A-OFF attractor and loses the other
    assert [m.status for m in ko.matches] == ["identical"]
    assert sorted(ko.reference_status) == ["kept", "lost"]
    assert ko.lost == 1 and ko.gained == 0


def test_same_phenotype_is_told_from_identical():
    # B only feeds a readout that ignores it: clamping B changes the states, not the phenotype
    net = lb.parse_bnet("A, A\nB, A\nR, A")
    cmp = compare(net, ["wt", "B=1"], readouts=["R"], analyse=enumerate_attractors)
    ko = cmp.conditions[1]
    assert sorted(m.status for m in ko.matches) == ["identical", "same phenotype"]
    assert sorted(ko.reference_status) == ["kept", "shifted"]


def test_gained_phenotype():
    net = lb.parse_bnet("A, A\nR, A & B\nB, 0")
    cmp = compare(net, ["wt", "B=1"], readouts=["R"], analyse=enumerate_attractors)
    assert [m.status for m in cmp.conditions[1].matches].count("gained") == 1
    table = dict(cmp.phenotype_table())
    assert table["1"] == {"B=1": 1} and table["0"] == {"wt": 2, "B=1": 1}


def test_scenarios_and_unknown_names():
    net = lb.parse_bnet(TOGGLE)
    sc = lb.parse_scenarios("ablate: {A: 0, C: 0}\nmore: {extends: ablate, fix: {D: 1}}")
    cmp = compare(net, ["wt", "ablate", "more"], scenarios=sc, analyse=enumerate_attractors)
    assert [c.name for c in cmp.conditions] == ["wt", "ablate", "more"]
    assert cmp.conditions[2].summary["D"] == "ON"
    with pytest.raises(lb.UnknownNodeError, match="did you mean Out"):
        compare(net, ["wt"], readouts=["Ot"], analyse=enumerate_attractors)
    with pytest.raises(lb.UnknownNodeError, match="unknown node 'AA'"):
        compare(net, ["wt", "AA=0"], analyse=enumerate_attractors)
    with pytest.raises(lb.PerturbationError, match="did you mean ablate"):
        compare(net, ["wt", "ablat"], scenarios=sc, analyse=enumerate_attractors)


def test_json_contract():
    net = lb.parse_bnet(TOGGLE)
    cmp = compare(net, ["wt", "C=0"], analyse=sync_reference, model="toggle.bnet")
    d = json.loads(json.dumps(cmp.to_dict()))
    assert d["nodes"] == list(net.names) and d["reference"] == "wt"
    assert [c["name"] for c in d["conditions"]] == ["wt", "C=0"]
    for c in d["conditions"]:
        for a in c["attractors"]:
            assert len(a["subspace"]) == len(net.names)
            assert a["match"] in ("identical", "same phenotype", "gained")
            assert len(a["phenotype"]) == len(d["readouts"])
            for s in a.get("states", []):
                assert all(ch == "*" or ch == s[i] for i, ch in enumerate(a["subspace"]))


# ------------------------------------------------------------ properties on random networks

_names = ["A", "B", "C", "D", "E"]


@st.composite
def networks(draw):
    n = draw(st.integers(2, 5))
    names = _names[:n]
    lines = []
    for x in names:
        k = draw(st.integers(0, min(2, n)))
        regs = draw(st.lists(st.sampled_from(names), min_size=k, max_size=k, unique=True))
        lits = [("!" if draw(st.booleans()) else "") + r for r in regs]
        op = draw(st.sampled_from([" & ", " | "]))
        lines.append(f"{x}, {op.join(lits) or draw(st.sampled_from(['0', '1', x]))}")
    return lb.parse_bnet("\n".join(lines))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks(), data=st.data(), update=st.sampled_from(["asynchronous", "synchronous"]))
def test_matching_invariants(net, data, update):
    node = data.draw(st.sampled_from(net.names))
    value = data.draw(st.integers(0, 1))
    analyse = enumerate_attractors if update == "asynchronous" else sync_reference
    cmp = compare(net, ["wt", f"{node}={value}"], readouts=list(net.names), analyse=analyse)
    wt, pert = cmp.conditions
    assert pert.summary[node] == ("ON" if value else "OFF")
    assert set(pert.changed) == {x for x in net.names if pert.summary[x] != wt.summary[x]}
    ref_sets = [frozenset(a.states) for a in wt.result.attractors]
    for k, (a, m) in enumerate(zip(pert.result.attractors, pert.matches)):
        # with every node a readout, a phenotype is a subspace; identical means the same states
        assert (m.status == "identical") == (frozenset(a.states) in ref_sets)
        if m.status != "gained":
            assert wt.phenotypes[m.reference] == pert.phenotypes[k]
    for a, s in zip(wt.result.attractors, pert.reference_status):
        assert (s == "kept") == any(frozenset(a.states) == frozenset(b.states)
                                    for b in pert.result.attractors)
    assert summarise(wt.result) == wt.summary


# ------------------------------------------------------------ command line

def _cli(*args):
    from click.testing import CliRunner

    from logicbone_cli.main import cli

    return CliRunner().invoke(cli, list(args))


MUSCLE = str(MODELS / "muscle_fibre.rules")


def test_cli_table_marks_knockout_effects():
    r = _cli("compare", MUSCLE, "--scenario", "baseline", "-c", "wt", "-c", "Akt=0",
             "-c", "rapamycin", "--readouts", "Hypertrophy,Atrophy,mTOR")
    assert r.exit_code == 0, r.stderr
    rows = {line.split()[0]: line.split()[1:] for line in r.stdout.splitlines() if line.strip()}
    assert rows["Atrophy"] == ["OFF", "[ON]", "OFF"]
    assert rows["mTOR"] == ["ON", "[OFF]", "[OFF]"]
    assert r.stderr == ""


def test_cli_json_and_csv():
    r = _cli("compare", MUSCLE, "--scenario", "baseline", "-c", "wt", "-c", "exercise",
             "--format", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert [c["name"] for c in d["conditions"]] == ["wt", "exercise"]
    assert d["conditions"][1]["summary"]["Loading"] == "ON"
    assert "Loading" in d["conditions"][1]["changed"]
    r = _cli("compare", MUSCLE, "--scenario", "baseline", "-c", "wt", "-c", "Akt=0",
             "--readouts", "Atrophy", "--format", "csv")
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["node,wt,Akt=0", "Atrophy,OFF,ON"]


def test_cli_inputs_grid():
    r = _cli("compare", MUSCLE, "--scenario", "baseline", "-c", "wt", "-c", "Akt=0",
             "--inputs-grid", "Loading,EnergyStress", "--readouts", "Hypertrophy", "--format",
             "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    names = [c["name"] for c in d["conditions"]]
    assert names[:2] == ["Loading=0,EnergyStress=0", "Loading=0,EnergyStress=0+Akt=0"]
    assert len(names) == 8
    hyper = {c["name"]: c["summary"]["Hypertrophy"] for c in d["conditions"]}
    # loading without energy stress builds muscle, unless Akt is knocked out
    assert hyper["Loading=1,EnergyStress=0"] == "ON"
    assert hyper["Loading=1,EnergyStress=0+Akt=0"] == "OFF"
    assert hyper["Loading=1,EnergyStress=1"] == "OFF"


def test_cli_plot(tmp_path):
    out = tmp_path / "ko.svg"
    r = _cli("compare", MUSCLE, "--scenario", "baseline", "-c", "wt", "-c", "akt_ko",
             "--changed-only", "--plot", str(out))
    assert r.exit_code == 0, r.stderr
    assert out.read_text().lstrip().startswith("<?xml") and "akt_ko" in out.read_text()


@pytest.mark.parametrize("args, message", [
    (["-c", "wt", "-c", "Atk=0"], "unknown node 'Atk'; did you mean Akt"),
    (["-c", "wt", "-c", "rapamicyn"], "did you mean rapamycin"),
    (["--readouts", "Hypertrophie"], "did you mean Hypertrophy"),
    (["--ko", "mTor"], "did you mean mTOR"),
])
def test_cli_unknown_names_exit_2(args, message):
    r = _cli("compare", MUSCLE, *args)
    assert r.exit_code == 2
    assert message in r.stderr and r.stdout == ""
