"""Reading and writing models: every dialect, every corpus file, and broken files."""
from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.expr import And, Const, Not, Or, Var, truth_table
from logicbone_cli.main import cli

from _helpers import BENCH, corpus_index

# (file name, text, line, col, words in the message)
BROKEN = [
    ("paren.bnet", "targets, factors\nA, B\nB, (A & (C | B)\nC, C\n", 3, 4, "never closed"),
    ("operator.bnet", "A, B\nB, A + C\nC, C\n", 2, 6, "unexpected character '+'"),
    ("duplicate.bnet", "A, B\nB, A\nA, !B\n", 3, 1, "duplicate rule for 'A'"),
    ("empty.bnet", "A, B\nB,   \n", 2, 3, "empty rule"),
    ("identifier.bnet", "A, B\n2B, A\n", 2, 1, "not a valid node name"),
    ("star.bnet", "A, B\nB, A*\n", 2, 5, "unexpected character '*'"),
    ("comma.bnet", "A, B\nB A & C\nC, C\n", 2, 2, "expected ','"),
    ("twoops.rules", "A* = B\nB* = A and or A\n", 2, 12, "expected a node name"),
    ("nostar.rules", "A* = B\nB = A\n", 2, 2, "expected '*'"),
    ("undefined.rules", "A* = B\nB* = A and not Ghost\n", 2, 16, "'Ghost' regulates 'B'"),
    ("metadata.rules", "#! title Muscle\nA* = A\n", 1, 1, "#! key: value"),
    ("badname.rules", "A* = A\nIL-6* = A\n", 2, 3, "not a valid node name"),
    ("unmatched.rules", "A* = A)\n", 1, 7, "unmatched ')'"),
    ("juxtaposed.rules", "A* = A B\nB* = B\n", 1, 8, "expected an operator"),
]


@pytest.mark.parametrize("name, text, line, col, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_reports_line_and_column(tmp_path, name, text, line, col, words):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(lb.LogicboneError) as info:
        lb.read_network(path)
    assert str(info.value).startswith(f"{path}:{line}:{col}: "), str(info.value)
    assert words in str(info.value)

    result = CliRunner().invoke(cli, ["info", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {path}:{line}:{col}: ")
    assert "Traceback" not in result.stderr
    if isinstance(info.value, lb.RuleSyntaxError):  # the line and a caret under the column
        shown, caret = result.stderr.splitlines()[1:3]
        assert caret.index("^") == col - 1 + 4
        assert shown.strip() == text.splitlines()[line - 1].strip()


def test_bnet_flavours_read_alike():
    variants = [
        "targets, factors\nA, B & !C\nB, A\nC, C\n",
        "targets,factors\nA,B&!C\nB,A\nC,C\n",
        "# a comment\nA ,  B & ! C   # trailing comment\n\n  B,A\nC, C\n",
        "A, B & !C\r\nB, A\r\nC, C\r\n",
    ]
    nets = [lb.parse_bnet(v) for v in variants]
    assert all(n == nets[0] for n in nets)


def test_bnet_constants():
    net = lb.parse_bnet("A, 1\nB, false\nC, A & true\n")
    assert net.constants == ("A", "B")
    assert net.percolate() == {"A": True, "B": False, "C": True}


def test_rules_metadata_and_notes():
    text = ("#! title: Muscle\n#! source: D0 = seeds/000\n#! source: D1 = seeds/001\n"
            "#! version: 2\n\n# section header, not a note\n\n"
            "# D0: Akt activates mTOR\n# D0: AMPK inhibits it\nmTOR* = Akt and not AMPK\n"
            "Akt* = Akt   # an input\nAMPK* = AMPK\n")
    net = lb.parse_rules(text)
    md = net.metadata
    assert md.title == "Muscle"
    assert md.sources == ("D0 = seeds/000", "D1 = seeds/001")
    assert md.extra == {"version": "2"}
    assert md.notes == {"mTOR": "D0: Akt activates mTOR D0: AMPK inhibits it", "Akt": "an input"}
    again = lb.parse_rules(lb.to_rules(net))
    assert again == net and again.metadata.sources == md.sources
    assert again.metadata.notes["mTOR"] == md.notes["mTOR"]


def test_booleannet_initial_values_ranks_and_names():
    text = "A = True\nIL-6 = Random\n1: IL-6* = not A\nA *= A or IL-6\nTSC1/2 *= IL-6\n"
    pm = lb.parse_booleannet_model(text, "x.txt")
    assert any("initial value" in w for w in pm.warnings)
    assert any("IL-6 -> IL_6" in w for w in pm.warnings)
    net = pm.to_network()
    assert net.names == ("IL_6", "A", "TSC1_2")
    assert dict(net.metadata.name_map) == {"IL-6": "IL_6", "TSC1/2": "TSC1_2"}
    assert str(net.rules["A"]) == "A | IL_6"


def test_undefined_regulators_as_inputs():
    with pytest.raises(lb.ModelError, match="'X' regulates 'A'"):
        lb.parse_bnet("A, X & B\nB, A\n")
    net = lb.parse_bnet("A, X & B\nB, A\n", undefined="input")
    assert net.inputs == ("X",)


# ------------------------------------------------------------------ round trips

def networks(max_nodes=5):
    def build(n):
        names = [f"n{i}" for i in range(n)]
        leaves = st.one_of(st.sampled_from(names).map(Var), st.booleans().map(Const))
        expr = st.recursive(leaves, lambda k: st.one_of(
            k.map(Not), st.lists(k, min_size=2, max_size=3).map(And),
            st.lists(k, min_size=2, max_size=3).map(Or)), max_leaves=8)
        return st.lists(expr, min_size=n, max_size=n).map(
            lambda rules: lb.Network(tuple(names), dict(zip(names, rules))))
    return st.integers(1, max_nodes).flatmap(build)


@settings(max_examples=60, deadline=None)
@given(networks(), st.sampled_from(["bnet", "rules", "booleannet"]))
def test_write_then_read_keeps_every_truth_table(net, fmt):
    back = lb.parse_network(lb.format_network(net, fmt), fmt)
    assert back.names == net.names
    for n in net.names:
        regs = net.names
        assert (truth_table(back.rules[n], regs) == truth_table(net.rules[n], regs)).all(), n


def test_write_network_is_atomic_and_refuses_to_overwrite(tmp_path):
    net = lb.parse_bnet("A, !A\n")
    out = tmp_path / "m.rules"
    lb.write_network(net, out)
    with pytest.raises(lb.FileExistsRefused):
        lb.write_network(net, out)
    lb.write_network(net.fix({"A": 1}), out, force=True)
    assert lb.read_network(out).constants == ("A",)
    assert [p.name for p in tmp_path.iterdir()] == ["m.rules"]


# ------------------------------------------------------------------ the corpus

CORPUS = corpus_index()


@pytest.mark.corpus_sample
@pytest.mark.skipif(not CORPUS, reason="benchmark corpus not present")
def test_every_corpus_model_loads_with_its_node_count():
    start = time.perf_counter()
    wrong = []
    for row in CORPUS:
        net = lb.read_network(BENCH / row["file"])
        if len(net.names) != int(row["nodes"]):
            wrong.append((row["file"], len(net.names), row["nodes"]))
    assert not wrong
    assert len(CORPUS) == 317
    elapsed = time.perf_counter() - start
    assert elapsed < 120, f"loading the corpus took {elapsed:.0f} s"


@pytest.mark.corpus_sample
@pytest.mark.skipif(not CORPUS, reason="benchmark corpus not present")
@pytest.mark.parametrize("row", [r for r in CORPUS if int(r["nodes"]) <= 12][:25],
                         ids=lambda r: r["file"].split("/")[-1])
def test_corpus_roundtrip_through_rules(row):
    net = lb.read_network(BENCH / row["file"])
    back = lb.parse_rules(lb.to_rules(net))
    for n in net.names:
        regs = net.regulators(n)
        assert (truth_table(back.rules[n], regs) == truth_table(net.rules[n], regs)).all()


@pytest.mark.corpus_sample
@pytest.mark.skipif(not CORPUS, reason="benchmark corpus not present")
def test_related_booleannet_original_matches_its_bnet():
    row = next(r for r in CORPUS if r.get("original_file", "").endswith(".booleannet.txt"))
    orig = lb.read_network(BENCH / row["original_file"], undefined="input")
    bnet = lb.read_network(BENCH / row["file"])
    assert set(orig.names) == set(bnet.names)
    for n in bnet.names:
        regs = sorted(set(orig.regulators(n)) | set(bnet.regulators(n)))
        assert (truth_table(orig.rules[n], regs) == truth_table(bnet.rules[n], regs)).all(), n
