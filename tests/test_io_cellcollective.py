"""Cell Collective expression text: names with blanks and symbols, operators, errors, round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.bdd import RuleBDDs, expr_to_bdd
from logicbone.expr import parse_expr, truth_table

from _helpers import BENCH, corpus_index


@pytest.mark.parametrize("rule,expected", [
    ("B AND NOT C", "B & !C"),
    ("(B OR C) AND NOT (B AND C)", "(B | C) & !(B & C)"),
    ("B and not C or 1", "1"),
    ("NOT NOT B", "B"),
    ("B & !C", "B & !C"),
])
def test_operators(rule, expected):
    net = lb.parse_cellcollective(f"A = {rule}\nB = B\nC = C")
    names = ("B", "C")
    assert (truth_table(net.rules["A"], names) == truth_table(parse_expr(expected), names)).all()


def test_names_with_blanks_and_symbols_become_identifiers_and_come_back():
    text = ("Cyclin D = (Wnt OR IGF-1) AND NOT p27/Kip1\nWnt = Wnt\nIGF-1 = IGF-1\n"
            "p27/Kip1 = NOT Cyclin  D\n")
    net = lb.parse_cellcollective(text)
    assert net.names == ("Cyclin_D", "Wnt", "IGF_1", "p27_Kip1")
    assert dict(net.metadata.name_map) == {"Cyclin D": "Cyclin_D", "IGF-1": "IGF_1",
                                           "p27/Kip1": "p27_Kip1"}
    assert str(net.rules["p27_Kip1"]) == "!Cyclin_D"
    written = lb.to_cellcollective(net)
    assert written.splitlines()[0] == "Cyclin D = (Wnt OR IGF-1) AND NOT p27/Kip1"
    assert lb.parse_cellcollective(written) == net


def test_external_components_without_lines():
    text = "Akt = PI3K AND NOT PTEN"
    with pytest.raises(lb.ModelError, match=r"'PI3K' regulates 'Akt' but has no rule"):
        lb.parse_cellcollective(text, "m.cc.txt")
    net = lb.parse_cellcollective(text, undefined="input")
    assert net.inputs == ("PI3K", "PTEN")
    assert "PI3K = PI3K" in lb.to_cellcollective(net)


@pytest.mark.parametrize("text,match", [
    ("A B AND C", r"m\.cc\.txt:1:10: expected '='"),
    ("= B", r":1:1: missing target name"),
    ("A = B AND", r":1:\d+: expected a node name"),
    ("A = (B OR C", r":1:5: '\(' is never closed"),
    ("AND = B", r":1:1: 'AND' is not a valid component name"),
])
def test_errors_say_where(text, match):
    with pytest.raises(lb.RuleSyntaxError, match=match):
        lb.parse_cellcollective(text, "m.cc.txt")


@pytest.mark.corpus_sample
@pytest.mark.parametrize("rel", sorted(r["file"] for r in corpus_index()
                                       if int(r["nodes"]) <= 30)[::7])
def test_round_trip_keeps_every_function(rel):
    net = lb.read_network(BENCH / rel, undefined="input")
    back = lb.parse_cellcollective(lb.to_cellcollective(net))
    assert back.names == net.names
    bdds = RuleBDDs(net)
    for n in net.names:
        assert expr_to_bdd(bdds.mgr, back.rules[n]) == bdds.f[n]


# a name's words hold a letter or digit and no '/' at an edge (a lone '/', '+' or '-' is
# refused as a foreign operator)
word = st.text(alphabet="abcXYZ019-/+.", min_size=1, max_size=6).filter(
    lambda w: w.lower() not in ("and", "or", "not", "xor", "true", "false", "0", "1")
    and any(c.isalnum() for c in w) and not w.startswith("/") and not w.endswith("/"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(word, min_size=1, max_size=3).map(" ".join), min_size=2, max_size=4,
                unique_by=lambda n: lb.parse_cellcollective(f"{n} = 1").names[0]))
def test_display_names_survive_write_and_read(names):
    rules = [f"{names[i]} = {names[(i + 1) % len(names)]} AND NOT {names[0]}"
             for i in range(len(names))]
    net = lb.parse_cellcollective("\n".join(rules))
    again = lb.parse_cellcollective(lb.to_cellcollective(net))
    assert again == net
    assert dict(again.metadata.name_map) == dict(net.metadata.name_map)


def test_extensions(tmp_path):
    net = lb.parse_bnet("A, B\nB, !A")
    for ext in (".cc.txt", ".cellcollective", ".cellcollective.txt"):
        lb.write_network(net, tmp_path / f"m{ext}")
        assert (tmp_path / f"m{ext}").read_text() == "A = B\nB = NOT A\n"
        assert lb.read_network(tmp_path / f"m{ext}") == net
