"""Network: immutability, queries, perturbation, percolation, pickling."""
from __future__ import annotations

import pickle

import pytest

import logicbone as lb
from logicbone.expr import depth, parse_expr

from _helpers import MODELS

TEXT = "A, A\nB, A & !C\nC, B | C\nD, 1\nE, D & B\n"


def test_queries():
    net = lb.parse_bnet(TEXT)
    assert net.inputs == ("A",)
    assert net.constants == ("D",)
    assert net.outputs == ("E",)
    assert net.regulators("B") == ("A", "C")
    assert net.targets("B") == ("C", "E")
    assert net.index("C") == 2


def test_immutable_and_fix_returns_a_new_network():
    net = lb.parse_bnet(TEXT)
    with pytest.raises(TypeError):
        net.rules["A"] = parse_expr("0")
    with pytest.raises(AttributeError):
        net.names = ("x",)
    ko = net.fix({"B": 0})
    assert ko is not net and str(net.rules["B"]) == "A & !C" and str(ko.rules["B"]) == "0"
    with pytest.raises(lb.UnknownNodeError, match="did you mean"):
        net.fix({"Bb": 0})


def test_percolation():
    net = lb.parse_bnet(TEXT)
    assert net.percolate() == {"D": True}
    assert net.percolate({"A": 0}) == {"A": False, "D": True, "B": False, "E": False}


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.rules")), ids=lambda p: p.name)
def test_pickle_round_trip(path):
    net = lb.read_network(path)
    back = pickle.loads(pickle.dumps(net))
    assert back == net and back.metadata == net.metadata


def test_pickle_of_a_very_deep_rule():
    levels = 30_000
    text = "(" * levels + "A" + "".join(" & B)" if i % 2 else " | !B)" for i in range(levels))
    net = lb.Network(("A", "B"), {"A": parse_expr(text), "B": parse_expr("B")})
    assert depth(net.rules["A"]) >= levels
    assert pickle.loads(pickle.dumps(net)) == net
