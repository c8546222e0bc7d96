"""Network: immutability, queries, perturbation, percolation, pickling."""
from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.expr import Const, depth, parse_expr, substitute, truth_table, variables

from _helpers import MODELS, random_bnet

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


def _percolated_from_the_rules(net, values):
    """Constant propagation done plainly: substitute everything fixed into every rule until
    nothing changes."""
    fixed = {k: bool(v) for k, v in values.items()}
    rules = {n: e for n, e in net.rules.items() if n not in fixed}
    changed = True
    while changed:
        changed = False
        for n in list(rules):
            s = substitute(rules[n], fixed)
            if isinstance(s, Const):
                fixed[n] = s.value
                del rules[n]
                changed = True
            else:
                rules[n] = s
    return fixed, rules


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), data=st.data())
def test_percolated_from_the_networks_own_percolation(seed, data):
    """Values given on top of the cached percolation of the constants (rules made short
    included) force the same nodes, and leave the same functions, as propagating them
    through the rules as written; values against a constant included."""
    net = lb.parse_bnet(random_bnet(9, seed, max_k=7, p_input=0.2))
    consts = data.draw(st.dictionaries(st.sampled_from(net.names), st.booleans(), max_size=2))
    net = net.fix(consts)
    values = data.draw(st.dictionaries(st.sampled_from(net.names), st.booleans(), max_size=3))
    net.percolated()                       # the cached percolation, used from here on
    forced, rules = net.percolated(values)
    want_forced, want_rules = _percolated_from_the_rules(net, values)
    assert forced == want_forced
    assert set(rules) == set(want_rules)
    for n, e in rules.items():
        names = sorted(set(variables(e)) | set(variables(want_rules[n])))
        assert (truth_table(e, names) == truth_table(want_rules[n], names)).all(), n


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=100_000))
def test_the_split_input_forces_most_on_its_worse_side(seed):
    """forcing_input: no other input forces more nodes (by percolation) on the worse of its
    two values, nor as many there and more on both."""
    from logicbone.network import forcing_input

    net = lb.parse_bnet(random_bnet(9, seed, max_k=3, p_input=0.35))
    if not net.inputs:
        return
    x = forcing_input(net)
    assert x in net.inputs

    def forced(y):
        off, on = len(net.percolate({y: 0})), len(net.percolate({y: 1}))
        return min(off, on), off + on

    assert all(forced(y) <= forced(x) for y in net.inputs)


def test_the_split_input_is_not_the_most_read_one_when_that_forces_less():
    from logicbone.network import forcing_input, most_read_input

    # B is read by three rules but forces only itself when off; A forces C and D both ways
    net = lb.parse_bnet("A, A\nB, B\nC, A\nD, C\nE, B | D\nF, B | E\nG, B | F\nH, H")
    assert most_read_input(net) == "B"
    assert forcing_input(net) == "A"
