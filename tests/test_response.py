"""Start states (lb.initial_states) and response graphs (lb.response_graph, response_layers)."""
from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from conftest import MODELS

# S is a switch (input); A follows S, B follows A, C needs A and not B
CHAIN = "S, S\nA, S\nB, A\nC, A & !B\n"
SCENARIOS = "rest: {S: 0}\nstim: {S: 1}\n"


@pytest.fixture
def chain():
    return lb.parse_bnet(CHAIN)


@pytest.fixture
def scenarios():
    return lb.parse_scenarios(SCENARIOS)


def strings(states, n):
    return [lb.state_to_str(s, n) for s in states]


# ---------------------------------------------------------------- initial_states

@pytest.mark.parametrize("spec, kw, expected", [
    ("0110", {}, ["0110"]),                                   # a full state, as it is
    ("A=1,C=1", {}, ["0101"]),                                # the others 0
    (["1000", "B=1"], {}, ["1000", "0010"]),                  # several, in order
    ("A=1", {"clamps": {"S": 1}}, ["1100"]),                  # the new condition's clamps win
    ("0110", {"clamps": {"B": 0}}, ["0100"]),
    ((), {"condition": "stim"}, ["1110"]),                    # the attractor of 'stim'
    ("B=0", {"condition": "stim"}, ["1100"]),                 # the others from the attractor
    ((), {"condition": "rest", "clamps": {"S": 1}}, ["1000"]),  # rest, then switched on
    ((), {"condition": "S=1"}, ["1110"]),                     # any condition text
    ((), {}, []),                                             # nothing: no start
])
def test_initial_states(chain, scenarios, spec, kw, expected):
    got = lb.initial_states(chain, spec, scenarios=scenarios, **kw)
    assert strings(got, 4) == expected


def test_a_condition_with_several_attractors_gives_all_their_states():
    net = lb.parse_bnet("A, !B\nB, !A\nX, A")        # two fixed points
    got = lb.initial_states(net, (), condition="wt", update="async")
    assert sorted(strings(got, 3)) == ["010", "101"]  # (A,B,X) = (0,1,0) and (1,0,1)


@pytest.mark.parametrize("spec, kw, error, match", [
    ("Atk=1", {}, lb.UnknownNodeError, "unknown node 'Atk'"),
    ("A=1,Bx=0", {}, lb.UnknownNodeError, "did you mean B"),
    ((), {"condition": "stimm"}, lb.PerturbationError, "did you mean stim"),
    ((), {"condition": "nothing_like_it"}, lb.PerturbationError, "known scenarios: rest, stim"),
    ("010", {}, lb.UsageError, "has 3 characters; the network has 4 nodes"),
    ("0110", {"condition": "stim"}, lb.UsageError, "full start state"),
    ("A=2", {}, lb.PerturbationError, "must be 0, 1, ON or OFF"),
    ((), {"clamps": {"Q": 1}, "condition": "stim"}, lb.UnknownNodeError, "unknown node 'Q'"),
])
def test_bad_starts_are_input_errors(chain, scenarios, spec, kw, error, match):
    with pytest.raises(error, match=match) as info:
        lb.initial_states(chain, spec, scenarios=scenarios, **kw)
    assert isinstance(info.value, lb.InputError)  # exit 2 at the command line


# ---------------------------------------------------------------- the response graph

def test_response_of_the_chain(chain, scenarios):
    pert = lb.resolve_condition("stim", scenarios, chain)
    starts = lb.initial_states(chain, condition="rest", scenarios=scenarios, clamps=pert)
    g = lb.response_graph(pert.apply(chain), starts, "async", label="rest -> stim")
    by_state = dict(zip(g.state_strings(), g.distance.tolist()))
    # S on; then A; then B or C (C needs A and not B) ...; the end: A, B on and C off
    assert by_state == {"1000": 0, "1100": 1, "1110": 2, "1101": 2, "1111": 3}
    assert g.start.tolist() == [s == "1000" for s in g.state_strings()]
    assert g.n_attractors == 1
    assert [s for s, a in zip(g.state_strings(), g.attractor.tolist()) if a >= 0] == ["1110"]
    assert sorted(g.edge_labels()) == ["A↑", "B↑", "B↑", "C↑", "C↓"]
    assert g.graph.names == ("A", "B", "C")       # S does not move after the switch
    layers = g.layers()
    assert [x.size for x in layers.layers] == [1, 1, 2, 1]
    # a layer's changes lead on to the next layer (C↓ goes from distance 3 back to 2)
    assert [x.changes for x in layers.layers] == [{"A↑": 1}, {"B↑": 1, "C↑": 1}, {"B↑": 1}, {}]
    assert layers.first_changes() == [["A↑"], ["B↑", "C↑"], [], []]


def _reference(net, starts, update):
    """Breadth-first search over the full state space, one state at a time."""
    n = len(net.names)
    full = lb.state_transition_graph(net, update)
    succ: dict[int, list[int]] = {}
    for a, b in zip(full.src.tolist(), full.dst.tolist()):
        succ.setdefault(int(full.states[a]), []).append(int(full.states[b]))
    dist = {s: 0 for s in starts}
    todo = deque(starts)
    while todo:
        s = todo.popleft()
        for t in succ.get(s, ()):
            if t not in dist:
                dist[t] = dist[s] + 1
                todo.append(t)
    return {lb.state_to_str(s, n): d for s, d in dist.items()}


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 7), seed=st.integers(0, 10_000), update=st.sampled_from(
    ["async", "sync", "general"]), data=st.data())
def test_response_graph_is_the_reachable_part_of_the_stg(n, seed, update, data):
    net = lb.random_network(n, 2, seed=seed)
    starts = data.draw(st.lists(st.integers(0, (1 << n) - 1), min_size=1, max_size=3))
    g = lb.response_graph(net, starts, update)
    ref = _reference(net, starts, update)
    assert dict(zip(g.state_strings(), g.distance.tolist())) == ref
    # the same edges as the full graph, labelled with what changes
    edges = {(a, b) for a, b in zip(g.graph.src.tolist(), g.graph.dst.tolist())}
    assert len(edges) == g.n_edges
    strs = g.state_strings()
    for (a, b), label in zip(zip(g.graph.src.tolist(), g.graph.dst.tolist()), g.edge_labels()):
        flips = {f"{net.names[i]}{'↑' if strs[b][i] == '1' else '↓'}"
                 for i in range(n) if strs[a][i] != strs[b][i]}
        assert set(label.split()) == flips
    # attractors: the terminal components of the full graph that the start reaches
    full = lb.state_transition_graph(net, update, starts)
    assert g.n_attractors == full.n_attractors


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 7), seed=st.integers(0, 10_000), data=st.data())
def test_layers_on_bdds_equal_the_explicit_layers(n, seed, data):
    net = lb.random_network(n, 2, seed=seed)
    starts = data.draw(st.lists(st.integers(0, (1 << n) - 1), min_size=1, max_size=3))
    explicit = lb.response_graph(net, starts, "async").layers()
    symbolic = lb.response_layers(net, starts, readouts=list(net.names))
    assert symbolic.layers == explicit.layers
    assert symbolic.n_attractors == explicit.n_attractors
    for node in net.names:
        assert symbolic.fraction_on(node) == pytest.approx(explicit.fraction_on(node))


def test_more_than_64_nodes_when_few_move():
    """The joined model has more than 64 nodes; from rest, disuse moves fewer of them."""
    net = lb.read_network(MODELS / "bone_muscle.rules")
    n = len(net.names)
    assert n > 64
    sc = lb.read_scenarios(MODELS / "bone_muscle.scenarios.yaml")
    pert = lb.resolve_condition("disuse", sc, net)
    starts = lb.initial_states(net, condition="baseline", scenarios=sc, clamps=pert,
                               update="sync")
    g = lb.response_graph(pert.apply(net), starts, "sync")
    strs = g.state_strings()
    assert all(len(s) == n for s in strs) and len(g.graph.names) < n
    # a synchronous response is one path: every state but the last has one successor
    assert g.n_edges == g.n_states - 1
    # it ends in the attractor of disuse
    end = lb.attractors(pert.apply(net), "sync")
    assert {a.subspace for a in end.attractors} >= {
        s for s, a in zip(strs, g.attractor.tolist()) if a >= 0}
    # the trajectory that simulate takes (all nodes too) is that path
    traj = lb.simulate(pert.apply(net), "sync", starts[0], g.n_states - 1)
    assert sorted(lb.state_to_str(s, n) for s in traj) == sorted(strs)


def test_too_many_states_refused(chain):
    net = lb.random_network(12, 2, seed=3)
    with pytest.raises(lb.StateSpaceTooLarge):
        lb.response_graph(net, [0, (1 << 12) - 1], "general", limit=2)


def test_export_of_a_response(tmp_path, chain, scenarios):
    pert = lb.resolve_condition("stim", scenarios, chain)
    starts = lb.initial_states(chain, condition="rest", scenarios=scenarios, clamps=pert)
    g = lb.response_graph(pert.apply(chain), starts)
    lb.write_stg(g, tmp_path / "r.csv", "csv")
    nodes = (tmp_path / "r.nodes.csv").read_text().splitlines()
    assert nodes[0] == "state,S,A,B,C,attractor,reaches,distance,start"
    assert "1000,1,0,0,0,-1,0,0,1" in nodes
    assert "1110,1,1,1,0,0,0,2,0" in nodes
    edges = (tmp_path / "r.csv").read_text().splitlines()
    assert edges[0] == "source,target,changed,change"
    assert "1000,1100,A,A↑" in edges
    lb.write_stg(g, tmp_path / "r.graphml", "graphml")
    import networkx as nx
    h = nx.read_graphml(tmp_path / "r.graphml")
    assert h.nodes["1000"]["start"] == 1 and h.edges["1100", "1101"]["change"] == "C↑"


def test_collapse_contracts_components():
    # X starts ON and falls; then A and B cycle (S on)
    net = lb.parse_bnet("S, S\nX, 0\nA, S & !B & !X\nB, A")
    g = lb.response_graph(net, lb.initial_states(net, "S=1,X=1"), "async")
    col = g.collapse()
    assert sorted(col.size.tolist()) == [1, 4]
    assert col.size[col.start].tolist() == [1] and col.size[col.attractor >= 0].tolist() == [4]
    assert col.distance[col.start].tolist() == [0]
    assert col.edges == ((int(np.flatnonzero(col.start)[0]),
                          int(np.flatnonzero(col.attractor >= 0)[0]), "X↓"),)


# ---------------------------------------------------------------- figures

@pytest.mark.parametrize("max_states, view", [(100, "states"), (2, "components"),
                                              (1, "layers")])
def test_plot_response_views(chain, scenarios, max_states, view):
    net = lb.parse_bnet("S, S\nX, 0\nA, S & !B & !X\nB, A\nC, A")
    g = lb.response_graph(net, lb.initial_states(net, "S=1,X=1"), "async")
    assert g.collapse().n_components == 2 < g.n_states
    fig = lb.plot_response(g, color_by="C", max_states=max_states)
    title = fig.axes[0].get_title(loc="left")
    assert ("collapsed to 2 strongly connected components" in title) == (view == "components")
    assert ("by distance from the start" in title) == (view == "layers")
    texts = [t.get_text() for t in fig.axes[0].texts]
    if view == "states":
        assert "start" in texts
        assert "X↓" in texts                    # the change on the first step, on its edge


def test_plot_response_unknown_colour_node(chain):
    g = lb.response_graph(chain, [1])
    with pytest.raises(lb.UnknownNodeError, match="did you mean C"):
        lb.plot_response(g, color_by="Cc")
