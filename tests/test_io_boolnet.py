"""BoolNet network files: operators, errors, round trips, and R's BoolNet reading our files."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.bdd import RuleBDDs, expr_to_bdd
from logicbone.expr import parse_expr, truth_table

from _helpers import BENCH, corpus_index

HEAD = "targets, factors\n"
INPUTS = "A, A\nB, B\nC, C\nD, D\n"


def rule_of(rule: str) -> lb.Expr:
    return lb.parse_boolnet(HEAD + INPUTS + f"T, {rule}\n").rules["T"]


def count_table(k: int) -> np.ndarray:
    """Number of true arguments among A, B, C, D on each row of truth_table's order."""
    rows = np.arange(16)
    return sum((rows >> j) & 1 for j in range(k))


@pytest.mark.parametrize("rule,expected", [
    ("all(A, B, !C)", "A & B & !C"),
    ("any(A, B & C)", "A | B & C"),
    ("all(A)", "A"),
    ("maj(A, B, C)", "A & B | A & C | B & C"),
    ("!maj(A, B) | D", "!(A & B) | D"),
    ("sumgt(A, B, C, 1)", "A & B | A & C | B & C"),
    ("sumlt(A, B, C, 1)", "!A & !B & !C"),
    ("sumgt(A, B, 5)", "0"),
    ("any(all(A, B), maj(C, D, !A))", "A & B | C & D | C & !A | D & !A"),
])
def test_convenience_operators(rule, expected):
    names = ("A", "B", "C", "D")
    assert (truth_table(rule_of(rule), names) == truth_table(parse_expr(expected), names)).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(-1, 5), st.sampled_from(["sumgt", "sumlt", "maj"]))
def test_threshold_operators_count_true_arguments(k, threshold, op):
    args = ", ".join("ABCD"[:k])
    rule = f"maj({args})" if op == "maj" else f"{op}({args}, {max(threshold, 0)})"
    got = truth_table(rule_of(rule), ("A", "B", "C", "D"))
    count = count_table(k)
    want = {"maj": count > k / 2, "sumgt": count > max(threshold, 0),
            "sumlt": count < max(threshold, 0)}[op]
    assert (got == want).all()


def test_header_comments_names_and_notes():
    net = lb.parse_boolnet("# Bone model\ntargets, functions\n# note on A\n"
                           "Akt.p, PI3K\nPI3K, Akt.p  # feedback\n")
    assert net.names == ("Akt_p", "PI3K")
    assert dict(net.metadata.name_map) == {"Akt.p": "Akt_p"}
    assert net.metadata.title == "Bone model"
    assert net.metadata.notes["Akt_p"] == "note on A"
    assert net.metadata.notes["PI3K"] == "feedback"


def test_probability_column_of_one_is_accepted():
    net = lb.parse_boolnet("targets, factors, probabilities\nA, !A, 1\n")
    assert str(net.rules["A"]) == "!A"


@pytest.mark.parametrize("text,error,match", [
    ("targets, factors\nA, A[-1]\n", lb.RuleSyntaxError, r":2:5: temporal predicate"),
    ("targets, factors\nA, timeis(3)\n", lb.RuleSyntaxError, r":2:4: temporal operator"),
    ("targets, factors\nA, all[t=1..2](A)\n", lb.RuleSyntaxError, r":2:7: temporal"),
    ("targets, factors\nA, B\nA, !B\nB, B\n", lb.ModelError,
     r":3:1: a second rule for 'A' \(first on line 2\): probabilistic"),
    ("targets, factors, probabilities\nA, B, 0.5\nB, B\n", lb.ModelError, r"probability 0.5"),
    ("targets, things\nA, A\n", lb.RuleSyntaxError, r":1:1: the header reads"),
    ("targets, factors\nA B\n", lb.RuleSyntaxError, r":2:4: expected ','"),
    ("targets, factors\nA, maj(A, B\n", lb.RuleSyntaxError, r":2:7: 'maj\(' is never closed"),
    ("targets, factors\nA, sumgt(A, B, x)\n", lb.RuleSyntaxError, r":2:16: the last argument"),
    ("targets, factors\nA, B &\n", lb.RuleSyntaxError, r":2:"),
    ("targets, factors\nA, A, B\n", lb.RuleSyntaxError, r":2:5: unexpected ','"),
])
def test_errors_say_where_and_what(text, error, match):
    with pytest.raises(error, match=match):
        lb.parse_boolnet(text, "m.bn")


def small_corpus(max_nodes=30):
    return sorted(r["file"] for r in corpus_index()
                  if int(r["nodes"]) <= max_nodes and (BENCH / r["file"]).exists())


@pytest.mark.corpus_sample
@pytest.mark.parametrize("rel", small_corpus()[::6])
def test_round_trip_keeps_every_function(rel):
    net = lb.read_network(BENCH / rel, undefined="input")
    back = lb.parse_boolnet(lb.to_boolnet(net))
    assert back.names == net.names
    bdds = RuleBDDs(net)
    for n in net.names:
        assert expr_to_bdd(bdds.mgr, back.rules[n]) == bdds.f[n]


R_SCRIPT = r"""
suppressMessages(library(BoolNet))
args <- commandArgs(trailingOnly = TRUE)
for (i in seq(1, length(args), 2)) {
  net <- loadNetwork(args[i])
  saveNetwork(net, args[i + 1], generateDNFs = "canonical", saveFixed = FALSE)
}
"""


@pytest.mark.reference
def test_r_boolnet_reads_our_files_as_the_same_functions(tmp_path):
    """BoolNet loads our export, writes each function as its canonical DNF, and we read
    that back: every function must be the one we wrote."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript not installed")
    if subprocess.run([rscript, "-e", "library(BoolNet)"], capture_output=True).returncode:
        pytest.skip("R package BoolNet not installed")
    rels = [r for r in small_corpus(12) if "bbm/" not in r][:6] + small_corpus(12)[:4]
    if not rels:
        pytest.skip("benchmark corpus not present")
    pairs, nets = [], {}
    for k, rel in enumerate(rels):
        net = lb.read_network(BENCH / rel, undefined="input")
        src, dst = tmp_path / f"m{k}.bn", tmp_path / f"m{k}.dnf.bn"
        lb.write_network(net, src, format="boolnet")
        pairs += [str(src), str(dst)]
        nets[dst] = (rel, net)
    script = tmp_path / "roundtrip.R"
    script.write_text(R_SCRIPT)
    run = subprocess.run([rscript, str(script), *pairs], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    for dst, (rel, net) in nets.items():
        back = lb.read_network(dst, format="boolnet")
        assert set(back.names) == set(net.names), rel
        bdds = RuleBDDs(net)
        for n in net.names:
            assert expr_to_bdd(bdds.mgr, back.rules[n]) == bdds.f[n], (rel, n)


def test_extensions(tmp_path):
    net = lb.parse_bnet("A, B\nB, !A")
    for ext in (".bn", ".boolnet", ".boolnet.txt"):
        lb.write_network(net, tmp_path / f"m{ext}")
        assert (tmp_path / f"m{ext}").read_text().startswith("targets, factors")
        assert lb.read_network(tmp_path / f"m{ext}") == net

