"""SBML-qual import and export: hand-written documents, signs, errors, round trips over the
corpus with identical truth tables, and the exported files read by biodivine_aeon / biobalm
with the same fixed points."""
from __future__ import annotations

import hashlib
import json
import textwrap
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.bdd import RuleBDDs, expr_to_bdd
from logicbone.expr import And, Not, Or, Var, parse_expr, truth_table
from logicbone.io.sbml_qual import MAX_MATH_DEPTH

from _helpers import BENCH, corpus_index

pytest.importorskip("libsbml")

QUAL = "http://www.sbml.org/sbml/level3/version1/qual/version1"


def document(species: str, transitions: str) -> str:
    """A GINsim-style SBML-qual document around the given species and transitions."""
    text = textwrap.dedent(f"""\
        <?xml version="1.0" encoding="UTF-8"?>
        <sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"
              xmlns:qual="{QUAL}" qual:required="true">
          <model id="m" name="Test model">
            <listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
            <qual:listOfQualitativeSpecies>
        {species}
            </qual:listOfQualitativeSpecies>
            <qual:listOfTransitions>
        {transitions}
            </qual:listOfTransitions>
          </model>
        </sbml>
        """)
    return "\n".join(line.strip() for line in text.splitlines()) + "\n"


def species(*ids: str, max_level: int = 1) -> str:
    return "\n".join(f'<qual:qualitativeSpecies qual:id="{i}" qual:compartment="c" '
                     f'qual:constant="false" qual:maxLevel="{max_level}"/>' for i in ids)


def transition(target: str, maths: list[tuple[int, str]], default: int = 0,
               inputs: tuple[str, ...] = (), tid: str | None = None,
               thresholds: dict[str, int] | None = None) -> str:
    ins = "".join(
        f'<qual:input qual:id="{target}_in_{s}" qual:qualitativeSpecies="{s}" '
        f'qual:transitionEffect="none"'
        + (f' qual:thresholdLevel="{thresholds[s]}"' if thresholds and s in thresholds else "")
        + "/>" for s in inputs)
    terms = "".join(
        f'<qual:functionTerm qual:resultLevel="{lvl}">'
        f'<math xmlns="http://www.w3.org/1998/Math/MathML">{m}</math></qual:functionTerm>'
        for lvl, m in maths)
    head = f'<qual:transition qual:id="{tid or "tr_" + target}">'
    if ins:
        head += f"<qual:listOfInputs>{ins}</qual:listOfInputs>"
    return (head + f'<qual:listOfOutputs><qual:output qual:qualitativeSpecies="{target}" '
            f'qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>'
            f'<qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="{default}"/>'
            f'{terms}</qual:listOfFunctionTerms></qual:transition>')


def eq(name: str, level: int, op: str = "eq") -> str:
    return f'<apply><{op}/><ci>{name}</ci><cn type="integer">{level}</cn></apply>'


def same_function(a, b, names) -> bool:
    names = tuple(sorted(names))
    return bool((truth_table(a, names) == truth_table(b, names)).all())


# ---------------------------------------------------------------- reading MathML

MATH_CASES = [
    # (MathML of the level-1 term, default level, expected rule of T over A, B, C)
    (eq("A", 1), 0, "A"),
    (eq("A", 0), 0, "!A"),
    (eq("A", 1, "geq"), 0, "A"),
    (eq("A", 0, "gt"), 0, "A"),
    (eq("A", 1, "lt"), 0, "!A"),
    (eq("A", 0, "leq"), 0, "!A"),
    (eq("A", 0, "neq"), 0, "A"),
    (eq("A", 0, "geq"), 0, "1"),
    (eq("A", 2, "eq"), 0, "0"),
    ('<apply><eq/><cn type="integer">1</cn><ci>B</ci></apply>', 0, "B"),
    ('<apply><eq/><ci>A</ci><ci>B</ci></apply>', 0, "A & B | !A & !B"),
    (f'<apply><and/>{eq("A", 1)}<apply><not/>{eq("B", 1)}</apply></apply>', 0, "A & !B"),
    (f'<apply><or/>{eq("A", 1)}{eq("B", 1)}{eq("C", 0)}</apply>', 0, "A | B | !C"),
    (f'<apply><xor/>{eq("A", 1)}{eq("B", 1)}</apply>', 0, "A ^ B"),
    (f'<apply><xor/>{eq("A", 1)}{eq("B", 1)}{eq("C", 1)}</apply>', 0, "A ^ B ^ C"),
    (f'<apply><implies/>{eq("A", 1)}{eq("B", 1)}</apply>', 0, "!A | B"),
    ("<true/>", 0, "1"),
    ("<false/>", 0, "0"),
    ("<ci>A</ci>", 0, "A"),  # a bare level in a logical context
    # default level 1 with a level-0 term: T is on unless the term holds
    (f'<apply><and/>{eq("A", 1)}{eq("B", 1)}</apply>', 1, "!(A & B)"),
]


@pytest.mark.parametrize("math,default,expected", MATH_CASES)
def test_mathml_is_read_as_the_boolean_function(math, default, expected):
    level = 1 - default
    xml = document(species("A", "B", "C", "T"),
                   transition("T", [(level, math)], default=default, inputs=("A", "B", "C")))
    net = lb.parse_sbml(xml)
    assert same_function(net.rules["T"], parse_expr(expected), ("A", "B", "C"))


def test_input_ids_stand_for_their_threshold_level():
    math = '<apply><geq/><ci>A</ci><ci>T_in_A</ci></apply>'
    xml = document(species("A", "T"), transition("T", [(1, math)], inputs=("A",),
                                                  thresholds={"A": 1}))
    assert lb.parse_sbml(xml).rules["T"] == Var("A")


def test_terms_of_both_levels_with_default_one():
    maths = [(1, eq("A", 1)), (0, f'<apply><and/>{eq("A", 0)}{eq("B", 1)}</apply>')]
    xml = document(species("A", "B", "T"), transition("T", maths, default=1, inputs=("A", "B")))
    assert same_function(lb.parse_sbml(xml).rules["T"], parse_expr("A | !B"), ("A", "B"))


def test_species_without_transition_are_inputs_and_names_are_display_names():
    xml = document(
        '<qual:qualitativeSpecies qual:id="IL6" qual:name="IL-6" qual:compartment="c" '
        'qual:constant="true" qual:maxLevel="1">'
        '<notes><body xmlns="http://www.w3.org/1999/xhtml"><p>secreted by muscle</p></body>'
        '</notes></qual:qualitativeSpecies>\n' + species("STAT3"),
        transition("STAT3", [(1, eq("IL6", 1))], inputs=("IL6",)))
    net = lb.parse_sbml(xml, "x.sbml")
    assert net.names == ("IL6", "STAT3")
    assert net.inputs == ("IL6",)
    assert dict(net.metadata.name_map) == {"IL-6": "IL6"}
    assert net.metadata.notes["IL6"] == "secreted by muscle"
    assert net.metadata.title == "Test model"
    again = lb.parse_sbml(lb.to_sbml(net))   # display names, notes and title survive export
    assert dict(again.metadata.name_map) == {"IL-6": "IL6"}
    assert again.metadata.notes["IL6"] == "secreted by muscle"
    assert again.metadata.title == "Test model"


# ---------------------------------------------------------------- errors

def test_multivalued_species_are_refused_by_id():
    xml = document(species("A", max_level=2) + species("T"), transition("T", [(1, eq("A", 2))],
                                                                        inputs=("A",)))
    with pytest.raises(lb.SBMLQualError, match=r"qualitativeSpecies 'A' has maxLevel 2"):
        lb.parse_sbml(xml)


def test_unknown_name_in_math_names_the_transition():
    xml = document(species("A", "T"), transition("T", [(1, eq("Z", 1))], inputs=("A",),
                                                  tid="t_weird"))
    with pytest.raises(lb.SBMLQualError, match=r"transition 't_weird'.*'Z'"):
        lb.parse_sbml(xml, "m.sbml")
    net = lb.parse_sbml(xml, "m.sbml", undefined="input")
    assert net.inputs == ("A", "Z")


def test_result_level_two_is_refused():
    xml = document(species("A", "T"), transition("T", [(2, eq("A", 1))], inputs=("A",)))
    with pytest.raises(lb.SBMLQualError, match=r"transition 'tr_T': functionTerm 1 has "
                                               r"resultLevel 2"):
        lb.parse_sbml(xml)


def test_unsupported_mathml_names_the_element():
    math = '<apply><plus/><ci>A</ci><cn>1</cn></apply>'
    xml = document(species("A", "T"), transition("T", [(1, math)], inputs=("A",)))
    with pytest.raises(lb.SBMLQualError, match=r"tr_T.*not supported"):
        lb.parse_sbml(xml)


def test_two_transitions_for_one_species():
    xml = document(species("A", "T"), transition("T", [(1, eq("A", 1))], inputs=("A",))
                   + transition("T", [(1, eq("A", 0))], inputs=("A",), tid="second"))
    with pytest.raises(lb.SBMLQualError, match=r"transition 'second'.*already set by "
                                               r"transition 'tr_T'"):
        lb.parse_sbml(xml)


def test_malformed_xml_has_line_and_column():
    xml = document(species("A"), "").replace("</qual:listOfTransitions>", "</oops>")
    with pytest.raises(lb.RuleSyntaxError, match=r"^bad\.sbml:\d+:\d+: not readable SBML"):
        lb.parse_sbml(xml, "bad.sbml")


def test_plain_sbml_without_qual():
    xml = ('<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" '
           'level="3" version="1"><model id="kinetic"/></sbml>')
    with pytest.raises(lb.SBMLQualError, match=r"<text>:1:\d+: model 'kinetic': core SBML "
                                           r"without the qual package"):
        lb.parse_sbml(xml)


def test_too_deep_mathml_is_refused_not_crashed():
    d = MAX_MATH_DEPTH + 10
    math = "<apply><not/>" * d + eq("A", 1) + "</apply>" * d
    xml = document(species("A", "T"), transition("T", [(1, math)], inputs=("A",)))
    with pytest.raises(lb.SBMLQualError, match=r"nested more than"):
        lb.parse_sbml(xml)


# ---------------------------------------------------------------- writing

SIGNS = [
    ("A & !B", {"A": "positive", "B": "negative"}),
    ("A ^ B", {"A": "dual", "B": "dual"}),
    ("A | A & B", {"A": "positive"}),   # B has no effect: not an input of the transition
    ("!(A | B)", {"A": "negative", "B": "negative"}),
]


@pytest.mark.parametrize("rule,signs", SIGNS)
def test_export_signs_follow_monotonicity(rule, signs):
    import libsbml
    net = lb.parse_bnet(f"A, A\nB, B\nT, {rule}")
    doc = libsbml.readSBMLFromString(lb.to_sbml(net))
    qual = doc.getModel().getPlugin("qual")
    tr = next(qual.getTransition(i) for i in range(qual.getNumTransitions())
              if qual.getTransition(i).getOutput(0).getQualitativeSpecies() == "T")
    names = {libsbml.INPUT_SIGN_POSITIVE: "positive", libsbml.INPUT_SIGN_NEGATIVE: "negative",
             libsbml.INPUT_SIGN_DUAL: "dual"}
    got = {tr.getInput(i).getQualitativeSpecies(): names[tr.getInput(i).getSign()]
           for i in range(tr.getNumInputs())}
    assert got == signs


def test_export_is_valid_sbml():
    import libsbml
    net = lb.parse_bnet("A, A\nB, A & !C\nC, B | 0\nD, 1")
    doc = libsbml.readSBMLFromString(lb.to_sbml(net))
    doc.checkConsistency()
    errors = [doc.getError(i).getMessage() for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    assert errors == []


def test_deep_rules_are_flattened_on_export():
    d = MAX_MATH_DEPTH * 3
    net = lb.parse_bnet("A, " + "A & !(" * d + "B" + ")" * d + "\nB, A")
    back = lb.parse_sbml(lb.to_sbml(net))
    assert same_function(back.rules["A"], net.rules["A"], ("A", "B"))


# ---------------------------------------------------------------- round trips

names3 = st.sampled_from(["A", "B", "C", "D"])


def exprs():
    return st.recursive(
        names3.map(Var) | st.sampled_from([lb.parse_expr("0"), lb.parse_expr("1")]),
        lambda kids: kids.map(Not)
        | st.lists(kids, min_size=2, max_size=4).map(And)
        | st.lists(kids, min_size=2, max_size=4).map(Or),
        max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(exprs(), min_size=4, max_size=4))
def test_random_networks_round_trip(rules):
    net = lb.Network.from_rules(dict(zip("ABCD", rules)))
    back = lb.parse_sbml(lb.to_sbml(net))
    assert back.names == net.names
    for n in net.names:
        assert same_function(back.rules[n], net.rules[n], "ABCD")


def same_network_functions(net, back) -> None:
    assert back.names == net.names
    bdds = RuleBDDs(net)
    for n in net.names:
        assert expr_to_bdd(bdds.mgr, back.rules[n]) == bdds.f[n], n


def corpus_files(max_nodes: int | None = None, max_bytes: int | None = None) -> list[str]:
    out = []
    for row in corpus_index():
        path = BENCH / row["file"]
        if not path.exists():
            continue
        if max_nodes is not None and int(row["nodes"]) > max_nodes:
            continue
        if max_bytes is not None and path.stat().st_size > max_bytes:
            continue
        out.append(row["file"])
    return sorted(out)


ALL = corpus_files()
SMALL = corpus_files(max_nodes=30)
FAST = [f for f in corpus_files(max_bytes=4000) if not f.startswith("bbm/")] + \
    corpus_files(max_bytes=4000)[::12]


@lru_cache(maxsize=None)
def load(rel: str):
    return lb.read_network(BENCH / rel, undefined="input")


@pytest.mark.corpus_sample
@pytest.mark.parametrize("rel", FAST)
def test_corpus_round_trip_fast_subset(rel):
    net = load(rel)
    same_network_functions(net, lb.parse_sbml(lb.to_sbml(net), rel))


@pytest.mark.corpus
@pytest.mark.parametrize("rel", ALL)
def test_corpus_round_trip(rel):
    net = load(rel)
    same_network_functions(net, lb.parse_sbml(lb.to_sbml(net), rel))


# ---------------------------------------------------------------- other tools

def bdd_fixed_points(net) -> list[str]:
    """Fixed points from the rules' BDDs, as strings over the sorted node names."""
    bdds = RuleBDDs(net)
    mgr = bdds.mgr
    u = mgr.true
    for n in net.names:
        x, f = mgr.var(n), bdds.f[n]
        u &= (x & f) | (~x & ~f)
    order = sorted(net.names)
    return sorted("".join("1" if m[n] else "0" for n in order)
                  for m in mgr.pick_iter(u, care_vars=set(net.names)))


@lru_cache(maxsize=None)
def expected_fixed_points() -> dict:
    path = BENCH / "expected" / "fixed_points.jsonl"
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {r["file"]: r for r in rows}


def check_with_other_tools(rel: str) -> None:
    ba = pytest.importorskip("biodivine_aeon")
    net = load(rel)
    ours = bdd_fixed_points(net)
    ref = expected_fixed_points().get(rel)
    if ref and ref.get("solved"):
        if "list" in ref:
            assert ours == ref["list"], "BDD fixed points differ from the reference answer"
        else:
            assert hashlib.sha256("\n".join(ours).encode()).hexdigest() == ref["sha256"]

    bn = ba.BooleanNetwork.from_sbml(lb.to_sbml(net))
    assert sorted(bn.variable_names()) == sorted(net.names)
    fps = ba.FixedPoints.symbolic_vertices(ba.AsynchronousGraph(bn))
    order = sorted(net.names)
    aeon = sorted("".join("1" if v.to_named_dict()[n] else "0" for n in order) for v in fps)
    assert aeon == ours

    biobalm = pytest.importorskip("biobalm")
    from biobalm.trappist_core import trappist
    sd = biobalm.SuccessionDiagram(bn)
    balm = sorted("".join(str(s[n]) for n in order)
                  for s in trappist(sd.network, problem="fix"))
    assert balm == ours


@pytest.mark.reference
@pytest.mark.parametrize("rel", [f for f in SMALL if f in FAST])
def test_exported_sbml_has_same_fixed_points_in_aeon_and_biobalm(rel):
    check_with_other_tools(rel)


@pytest.mark.corpus
@pytest.mark.parametrize("rel", SMALL)
def test_exported_sbml_has_same_fixed_points_in_aeon_and_biobalm_corpus(rel):
    check_with_other_tools(rel)


def test_read_network_and_write_network_by_extension(tmp_path):
    net = lb.parse_bnet("A, B\nB, !A & C\nC, C")
    for ext in (".sbml", ".xml"):
        out = tmp_path / f"m{ext}"
        lb.write_network(net, out)
        assert lb.read_network(out) == net
