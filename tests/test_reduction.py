"""Nodes eliminated for the proof outside the minimal trap spaces
(:mod:`logicbone.analysis.reduction`): what the proof needs of the reduced network, checked
on explicit graphs of random networks."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import MOTIF_AVOIDANT, async_graph, random_bnet, random_formula_bnet
from logicbone.analysis.reduction import eliminated
from logicbone.analysis.async_attractors import async_attractors_symbolic
from logicbone.expr import variables, written_size
from logicbone.network import Network


def lifted(cut, reduced: Network, states, names) -> set[int]:
    """Reduced states (ints over ``reduced.names``) lifted to ints over ``names``."""
    states = sorted(states)
    rows = np.array([[bool(s >> i & 1) for i in range(len(reduced.names))] for s in states],
                    dtype=bool).reshape(len(states), len(reduced.names))
    full = cut.lift_rows(rows, reduced.names, {}, names)
    return {sum(1 << j for j, b in enumerate(row) if b) for row in full}


def networks():
    return st.one_of(
        st.builds(lambda n, seed: random_bnet(n, seed, p_input=0.1),
                  st.integers(3, 8), st.integers(0, 10 ** 6)),
        st.builds(lambda seed, n: random_formula_bnet(seed, n),
                  st.integers(0, 10 ** 6), st.integers(3, 8)))


@settings(max_examples=80, deadline=None)
@given(text=networks(), most_read=st.sampled_from([1, 2, 20]),
       most_written=st.sampled_from([4, 12, 120]))
def test_every_attractor_has_one_of_the_reduced_network_lifted_inside_it(text, most_read,
                                                                        most_written):
    net = lb.parse_bnet(text)
    cut = eliminated(net.rules, most_read=most_read, most_written=most_written, most_vars=30)
    gone = [n for n, _ in cut.eliminated]
    assert sorted(gone + list(cut.kept)) == sorted(net.names)
    # each rule eliminated reads neither itself nor a node eliminated before it
    for k, (node, rule) in enumerate(cut.eliminated):
        assert not set(variables(rule)) & {node, *gone[:k]}
    assert all(set(variables(e)) <= set(cut.kept) for e in cut.rules.values())
    # a rule written into stays within the limits
    assert all(e is net.rules[n] or (written_size(e) <= most_written
                                     and len(variables(e)) <= 30)
               for n, e in cut.rules.items())
    if not cut.kept:
        return
    reduced = Network(cut.kept, cut.rules)
    below = [lifted(cut, reduced, a, net.names)
             for a in nx.attracting_components(async_graph(reduced))]
    for a in nx.attracting_components(async_graph(net)):
        assert any(lift <= a for lift in below)


@settings(max_examples=60, deadline=None)
@given(text=networks())
def test_a_trap_space_projected_lifts_into_itself(text):
    # so the minimal trap spaces, their eliminated positions dropped, stand for them there
    net = lb.parse_bnet(text)
    cut = eliminated(net.rules)
    if not cut.kept or not cut.eliminated:
        return
    reduced = Network(cut.kept, cut.rules)
    at = [net.names.index(n) for n in reduced.names]
    for space in lb.trap_spaces(net).spaces:
        space = str(space)
        inside = [s for s in range(1 << len(reduced.names))
                  if all(space[at[i]] in "*" + "01"[s >> i & 1] for i in range(len(at)))]
        for s in lifted(cut, reduced, inside, net.names):
            assert all(c == "*" or int(c) == (s >> j & 1) for j, c in enumerate(space))


def test_relays_go_and_self_loops_stay():
    net = lb.parse_bnet("A, !C\nB, A\nC, B & D\nD, D | C\nE, !E & A\n")
    cut = eliminated(net.rules, most_read=1)
    assert [n for n, _ in cut.eliminated] == ["B", "A"]     # B has the fewer targets
    assert str(cut.rules["C"]) == "!C & D"       # B = A, then A = !C, written into C
    assert set(cut.kept) == {"C", "D", "E"}
    assert str(cut.rules["E"]) == "!E & !C"


@pytest.mark.parametrize("walked", [True, False])
@pytest.mark.parametrize("eliminate", [True, False])
@pytest.mark.parametrize("seed", range(8))
def test_the_swept_listing_agrees_with_or_without_elimination(seed, eliminate, walked):
    # not walked (the walks give up at once): the states the sweeps leave are searched
    # from, on the reduced network first where there is one
    net = lb.parse_bnet(random_formula_bnet(7000 + seed, 8) if seed else MOTIF_AVOIDANT)
    tuned = lb.EngineSettings(listing_share=1e-12, sweep_target=0, stagnant_sweeps=2,
                              direct_candidates=0, eliminate=eliminate,
                              stagnant=100 if walked else 0, walks=2048 if walked else 1)
    res = async_attractors_symbolic(net, timeout=600, settings=tuned)
    assert res.complete
    assert (sorted(a.states for a in res.attractors)
            == sorted(tuple(sorted(c)) for c in nx.attracting_components(async_graph(net))))


@pytest.mark.parametrize("first", [0.0, 2.0])
@pytest.mark.parametrize("seed", range(10))
def test_listing_agrees_whether_the_candidates_are_swept_or_listed_first(seed, first):
    # swept first where their BDD builds in time (the solver told to skip no space), or
    # listed by the solver
    net = lb.parse_bnet(random_formula_bnet(8000 + seed, 9) if seed else MOTIF_AVOIDANT)
    res = async_attractors_symbolic(net, timeout=600, settings=lb.EngineSettings(
        sweep_first_seconds=first, sweep_first_nodes=0, max_avoided=0))
    assert res.complete
    assert (sorted(a.states for a in res.attractors)
            == sorted(tuple(sorted(c)) for c in nx.attracting_components(async_graph(net))))


def test_where_the_solver_skips_the_spaces_it_lists_the_candidates_first(monkeypatch):
    # it lists a few outside the spaces at once: searched from directly, without the
    # reduced network's BDD (nor numpy for its rows)
    import logicbone.analysis._async_pipeline as pipeline

    def not_here(*args, **kwargs):
        raise AssertionError("swept though the candidates are few")

    monkeypatch.setattr(pipeline, "_swept_first", not_here)
    net = lb.parse_bnet(MOTIF_AVOIDANT)
    res = async_attractors_symbolic(net, settings=lb.EngineSettings(sweep_first_nodes=0))
    assert res.complete
    assert (sorted(a.states for a in res.attractors)
            == sorted(tuple(sorted(c)) for c in nx.attracting_components(async_graph(net))))
