"""Trajectories: synchronous iteration, seeded asynchronous walks, start states."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import random_nk, step

nets = st.builds(random_nk, st.integers(1, 8), st.integers(0, 3), st.integers(0, 2**32 - 1))


@settings(max_examples=40, deadline=None)
@given(nets, st.integers(0, 255), st.integers(0, 30))
def test_sync_trajectory_iterates_the_successor(net, start, steps):
    start %= 1 << len(net.names)
    traj = lb.simulate(net, "sync", start, steps)
    assert len(traj) == steps + 1 and traj[0] == start
    assert all(b == step(net, a) for a, b in zip(traj, traj[1:]))


@settings(max_examples=40, deadline=None)
@given(nets, st.integers(0, 255), st.integers(0, 2**31))
def test_async_walk_flips_one_changeable_node_or_rests(net, start, seed):
    start %= 1 << len(net.names)
    traj = lb.simulate(net, "async", start, 25, seed)
    for a, b in zip(traj, traj[1:]):
        change = step(net, a) ^ a
        if change == 0:
            assert b == a
        else:
            flip = a ^ b
            assert flip and flip & (flip - 1) == 0 and flip & change == flip


@settings(max_examples=40, deadline=None)
@given(nets, st.integers(0, 255), st.integers(0, 2**31))
def test_general_walk_flips_a_non_empty_subset(net, start, seed):
    start %= 1 << len(net.names)
    traj = lb.simulate(net, "general", start, 25, seed)
    for a, b in zip(traj, traj[1:]):
        change = step(net, a) ^ a
        assert (a ^ b) & ~change == 0
        assert (a ^ b != 0) == (change != 0)


def test_walks_are_reproducible_and_depend_on_the_seed():
    net = random_nk(10, 2, 3)
    runs = {seed: lb.simulate(net, "async", 0b1011001110, 200, seed) for seed in range(5)}
    assert lb.simulate(net, "async", 0b1011001110, 200, 3) == runs[3]
    assert len({tuple(t) for t in runs.values()}) > 1


def test_general_walk_uses_multi_node_steps():
    net = lb.parse_bnet("A, !A\nB, !B\nC, !C")
    traj = lb.simulate(net, "general", 0, 300, 1)
    sizes = {bin(a ^ b).count("1") for a, b in zip(traj, traj[1:])}
    assert sizes == {1, 2, 3}


@pytest.mark.parametrize("text,state", [("0110", 6), ("B=1,D=1", 10), ("A=1", 1), ("", 0)])
def test_parse_state(text, state):
    assert lb.parse_state(text, ("A", "B", "C", "D")) == state


@pytest.mark.parametrize("text,match", [("011", "4 nodes"), ("E=1", "unknown node 'E'"),
                                        ("A=2", "0, 1")])
def test_parse_state_errors(text, match):
    with pytest.raises(lb.LogicboneError, match=match):
        lb.parse_state(text, ("A", "B", "C", "D"))


def test_bad_arguments():
    net = lb.parse_bnet("A, !A")
    with pytest.raises(lb.LogicboneError, match="steps"):
        lb.simulate(net, "sync", 0, -1)
    with pytest.raises(lb.LogicboneError, match="does not fit"):
        lb.simulate(net, "sync", 2, 3)
    with pytest.raises(lb.LogicboneError, match="sync, async or general"):
        lb.simulate(net, "mp", 0, 3)
