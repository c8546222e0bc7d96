"""The shipped bone-muscle models: they load, lint clean, cite the seeds, use the vocabulary,
come with complete scenario files, and behave as single-attractor switches under fixed inputs."""
from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import MODELS

with open(MODELS / "index.csv", newline="") as fh:
    INDEX = list(csv.DictReader(fh))
FILES = [row["file"] for row in INDEX]

# identifiers of VOCABULARY.md that a protein present in both tissues carries with a prefix
SHARED_PROTEINS = {"IGF1R", "PI3K", "Akt", "GSK3B", "mTOR", "IL6R", "JAK", "STAT3", "RANK", "NFkB"}
CITATION = re.compile(r"\b(D0|D1|D4)\b.*§|\[outside")


def _net(name: str) -> lb.Network:
    return lb.read_network(MODELS / name)


def _scenarios(name: str) -> dict:
    return lb.read_scenarios(lb.scenario_path_for(MODELS / name))


def test_index_lists_every_model_file():
    assert sorted(FILES) == sorted(p.name for p in MODELS.glob("*.rules"))


@pytest.mark.parametrize("row", INDEX, ids=FILES)
def test_model_loads_with_the_indexed_size_and_title(row):
    net = _net(row["file"])
    assert len(net.names) == int(row["nodes"])
    assert net.metadata.title
    assert any(s.startswith("D0") for s in net.metadata.sources)


@pytest.mark.parametrize("name", FILES)
def test_model_lints_without_warnings(name):
    text = (MODELS / name).read_text()
    parsed = lb.parse_model(text, "rules", str(MODELS / name))
    issues = lb.lint(parsed)
    assert [str(i) for i in issues if i.severity != "info"] == []
    assert {i.code for i in issues} <= {"input"}


@pytest.mark.parametrize("name", FILES)
def test_every_rule_cites_a_seed_and_section(name):
    net = _net(name)
    uncited = [n for n in net.names if not CITATION.search(net.metadata.notes.get(n, ""))]
    assert uncited == []


def test_joined_model_prefixes_proteins_of_both_tissues():
    net = _net("bone_muscle.rules")
    names = set(net.names)
    assert names.isdisjoint(SHARED_PROTEINS)
    for p in SHARED_PROTEINS - {"JAK"} | {"JAK"}:
        assert f"mus_{p}" in names or f"bone_{p}" in names, p
    assert {"bone_mTOR", "bone_mTOR_OB", "mus_mTOR", "LAP", "LAP_OB", "LIP"} <= names


@pytest.mark.parametrize("name", FILES)
def test_baseline_fixes_every_input_and_scenarios_name_real_nodes(name):
    net, sc = _net(name), _scenarios(name)
    assert set(sc["baseline"].perturbation) == set(net.inputs)
    for s in sc.values():
        net.check_nodes(s.perturbation)
        assert s.name == "baseline" or s.extends == "baseline"


@pytest.mark.parametrize("name", FILES)
def test_scenarios_cover_the_issue_list(name):
    required = {"baseline", "exercise", "disuse", "aging", "chronic_inflammation",
                "estrogen_loss", "leucine", "rapamycin", "akt_ko", "il6_ko", "denosumab",
                "anakinra", "anti_sclerostin", "igf1_overexpression"}
    assert required <= set(_scenarios(name))


@pytest.mark.parametrize("name", FILES)
def test_rapamycin_clamps_every_mtor_copy(name):
    net, sc = _net(name), _scenarios(name)
    mtor = {n for n in net.names if re.fullmatch(r"(mus_|bone_)?mTOR(_OB)?", n)}
    assert mtor and {k for k, v in sc["rapamycin"].perturbation.items() if v == 0} >= mtor


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("scenario", ["baseline", "exercise", "disuse", "estrogen_loss"])
def test_fixed_inputs_leave_a_small_free_space_and_one_fixed_point(name, scenario):
    net = _scenarios(name)[scenario].perturbation.apply(_net(name))
    forced = net.percolate()
    assert len(net.names) - len(forced) <= 16
    for update in ("async", "sync"):
        res = lb.attractors(net, update)
        assert res.complete and len(res.attractors) == 1
        assert res.attractors[0].type == "fixed_point"


@pytest.mark.parametrize("name", ["muscle_fibre.rules", "bone.rules"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_input_combination_gives_the_percolated_fixed_point(name, data):
    """The single-tissue models have no feedback: fixing the inputs decides every node."""
    net = _net(name)
    values = {i: data.draw(st.integers(0, 1), label=i) for i in net.inputs}
    fixed = net.fix(values)
    forced = fixed.percolate()
    assert len(forced) == len(net.names)
    res = lb.attractors(fixed, "async")
    expected = "".join("1" if forced[n] else "0" for n in net.names)
    assert [a.subspace for a in res.attractors] == [expected]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("scenario", ["exercise", "aging", "chronic_inflammation"])
def test_attractors_agree_with_mpbn(name, scenario, tmp_path):
    mpbn = pytest.importorskip("mpbn")
    net = _scenarios(name)[scenario].perturbation.apply(_net(name))
    path = tmp_path / "m.bnet"
    lb.write_bnet(net, path)
    ref = sorted("".join(str(a[n]) if a[n] in (0, 1) else "*" for n in net.names)
                 for a in mpbn.MPBooleanNetwork(str(path)).attractors())
    ours = sorted(a.subspace for a in lb.attractors(net, "async").attractors)
    assert ours == ref
