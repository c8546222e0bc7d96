"""The signed interaction graph: signs from monotonicity, against brute force and pyboolnet."""
from __future__ import annotations

import itertools

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import BENCH, ROOT, corpus_index
from logicbone.expr import evaluate

NAMES = ("a", "b", "c", "d")


def brute_signs(net):
    """Edges and signs by flipping each regulator in every assignment of the others."""
    out = {}
    for target in net.names:
        rule = net.rules[target]
        for reg in net.names:
            up = down = False
            others = [n for n in net.names if n != reg]
            for values in itertools.product((False, True), repeat=len(others)):
                env = dict(zip(others, values))
                lo = bool(evaluate(rule, {**env, reg: False}))
                hi = bool(evaluate(rule, {**env, reg: True}))
                up |= hi and not lo
                down |= lo and not hi
            if up or down:
                out[(reg, target)] = "both" if (up and down) else ("+" if up else "-")
    return out


@st.composite
def rule_text(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(NAMES + ("0", "1")))
    op = draw(st.sampled_from(["&", "|", "!", "^"]))
    if op == "!":
        return f"!({draw(rule_text(depth - 1))})"
    return f"({draw(rule_text(depth - 1))} {op} {draw(rule_text(depth - 1))})"


@settings(max_examples=60, deadline=None)
@given(st.lists(rule_text(), min_size=4, max_size=4))
def test_signs_match_brute_force(rules):
    net = lb.parse_bnet("\n".join(f"{n}, {r}" for n, r in zip(NAMES, rules)))
    g = lb.interaction_graph(net)
    got = {(u, v): d["sign"] for u, v, d in g.edges(data=True)}
    assert got == brute_signs(net)
    assert all(g.edges[e]["weight"] == {"+": 1, "-": -1, "both": 0}[s] for e, s in got.items())


def test_sign_ignores_the_text():
    # 'b' is written twice with both polarities but the rule is monotone in it
    net = lb.parse_bnet("a, a\nb, b\nc, (a & b) | (a & !b) | (a & b & !b)")
    g = lb.interaction_graph(net)
    assert list(g.in_edges("c", data="sign")) == [("a", "c", "+")]
    net = lb.parse_bnet("a, a\nb, b\nc, (a & !b) | (!a & b)")
    assert {d for _, _, d in lb.interaction_graph(net).in_edges("c", data="sign")} == {"both"}


def _small_corpus(max_nodes=40):
    return [r["file"] for r in corpus_index() if int(r["nodes"]) <= max_nodes][:25]


@pytest.mark.corpus_sample
@pytest.mark.reference
@pytest.mark.parametrize("rel", _small_corpus())
def test_matches_pyboolnet(rel):
    pytest.importorskip("pyboolnet")
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.interaction_graphs import primes2igraph

    path = BENCH / rel
    ref = primes2igraph(bnet2primes(str(path)))
    net = lb.read_network(path, undefined="input")
    ours = lb.interaction_graph(net)
    code = {"+": {1}, "-": {-1}, "both": {1, -1}}
    got = {(u, v): code[d["sign"]] for u, v, d in ours.edges(data=True)}
    want = {(u, v): set(d["sign"]) for u, v, d in ref.edges(data=True)}
    assert got == want


GOLDEN_MODEL = "A, A\nB, A & !C\nC, (A & !B) | (!A & B)\nD, !D | C\n"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "dot", "json", "sif"])
def test_cli_golden(fmt, tmp_path, golden):
    model = tmp_path / "small.bnet"
    model.write_text(GOLDEN_MODEL)
    out = tmp_path / f"ig.{fmt}"
    r = CliRunner().invoke(_cli(), ["graph", str(model), "--format", fmt, "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text().replace(str(model), "small.bnet")
    golden(text, f"interaction_graph.{fmt}")
    r = CliRunner().invoke(_cli(), ["graph", str(model), "--format", fmt, "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    r = CliRunner().invoke(_cli(), ["graph", str(model), "--format", fmt, "-o", str(out),
                                    "--force"])
    assert r.exit_code == 0


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_loads_back(fmt, reader, tmp_path):
    net = lb.read_network(ROOT / "models" / "muscle_fibre.rules")
    g = lb.interaction_graph(net)
    lb.write_graph(g, tmp_path / f"g.{fmt}")
    back = reader(tmp_path / f"g.{fmt}")
    assert back.number_of_nodes() == len(net.names)
    assert {(u, v, d["sign"]) for u, v, d in back.edges(data=True)} == \
        {(u, v, d["sign"]) for u, v, d in g.edges(data=True)}


def test_stdout_and_perturbation():
    model = str(ROOT / "models" / "muscle_fibre.rules")
    r = CliRunner().invoke(_cli(), ["graph", model, "--format", "sif", "--ko", "Akt"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines and not any(line.endswith("\tAkt") for line in lines)
    assert any(line.startswith("Akt\t") for line in lines)


def _cli():
    from logicbone_cli.main import cli
    return cli
