"""The shipped bone-muscle models: they load, lint clean, cite the seeds, use the vocabulary,
come with complete scenario files, and behave as single-attractor switches under fixed inputs."""
from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from conftest import MODELS

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
    parsed = lb.parse_network(text, "rules", str(MODELS / name), parsed=True)
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


# ---------------------------------------------------------------- the claims table

SEEDS = {"D0": "000_7e7790064b1a9c4c.txt", "D1": "001_080f2dc278ee9fd0.txt",
         "D4": "004_f89a4b1db66499f9.txt"}
SEED_DIR = MODELS.parent.parent / "shared" / "seeds"
ACCOUNTS = ("rule", "expectation", "graded", "left out", "out of scope")
with open(MODELS / "claims.csv", newline="") as fh:
    CLAIMS = list(csv.DictReader(fh))


def _letters(text: str) -> str:
    """Letters and digits only, lower case: quotes match across line breaks and hyphens."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _accounts(row: dict) -> list[tuple[str, str]]:
    """(kind, rest) for each account of a claim; rule/expectation rest is 'model:name'."""
    out = []
    for item in row["account"].split(" | "):
        kind, _, rest = item.partition(":")
        out.append((kind.strip(), rest.strip()))
    return out


def _coverage() -> dict[str, int]:
    kinds = [{k for k, _ in _accounts(r)} for r in CLAIMS]
    return {"claims": len(CLAIMS),
            "encoded": sum("rule" in k for k in kinds),
            "checked": sum("expectation" in k for k in kinds),
            "graded": sum("graded" in k for k in kinds),
            "left out": sum("left out" in k for k in kinds),
            "out of scope": sum(k == {"out of scope"} for k in kinds)}


def test_claims_have_every_field_and_unique_ids():
    assert len({r["id"] for r in CLAIMS}) == len(CLAIMS) > 200
    for r in CLAIMS:
        assert all(r[k].strip() for k in r), r["id"]
        assert r["seed"] in SEEDS and r["id"].startswith(r["seed"] + ".")
        assert r["strength"] in {"direct", "inferred", "hypothesis", "contested"}, r["id"]
        assert r["sign"] in {"+", "-", "+/-", "0"}, r["id"]


@pytest.mark.skipif(not SEED_DIR.exists(), reason="the seed reviews are not next to the repo")
def test_every_claim_quotes_its_seed():
    text = {k: _letters((SEED_DIR / v).read_text()) for k, v in SEEDS.items()}
    missing = [r["id"] for r in CLAIMS if _letters(r["sentence"]) not in text[r["seed"]]]
    assert missing == []


def test_every_account_names_a_rule_or_statement_that_exists():
    nets = {f[:-6]: _net(f) for f in FILES}
    ids = {m: {e.id for e in lb.read_expectations(lb.expectation_path_for(MODELS / f"{m}.rules"))}
           for m in nets}
    bad = []
    for r in CLAIMS:
        accounts = _accounts(r)
        assert accounts and all(k in ACCOUNTS for k, _ in accounts), r["id"]
        for kind, rest in accounts:
            if kind in ("rule", "expectation"):
                model, _, name = rest.partition(":")
                known = nets[model].names if kind == "rule" else ids[model]
                if name not in known:
                    bad.append((r["id"], kind, rest))
            elif not rest:
                bad.append((r["id"], kind, "no reason given"))
    assert bad == []


def test_every_shipped_statement_rests_on_a_claim():
    cited = {rest for r in CLAIMS for k, rest in _accounts(r) if k == "expectation"}
    for f in FILES:
        model = f[:-6]
        for e in lb.read_expectations(lb.expectation_path_for(MODELS / f)):
            assert f"{model}:{e.id}" in cited, (model, e.id)


def test_readme_states_the_claims_coverage():
    c = _coverage()
    line = (f"{c['claims']} claims: {c['encoded']} encoded in rules, {c['checked']} checked by "
            f"statements, {c['graded']} graded, {c['left out']} left out, "
            f"{c['out of scope']} out of scope")
    assert line in (MODELS / "README.md").read_text()
