"""States and subspaces: the codecs agree with each other and with their definitions."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.space import (Space, masks_to_str, space_masks, spaces_to_strings,
                             state_chars, states_to_strings, subspace_of, trap_closure)

from _helpers import random_bnet

widths = st.integers(1, 64)


@given(st.data())
def test_state_text_round_trips_with_bit_i_as_character_i(data):
    n = data.draw(widths)
    s = data.draw(st.integers(0, (1 << n) - 1))
    text = lb.state_to_str(s, n)
    assert len(text) == n and set(text) <= {"0", "1"}
    assert all(text[i] == "01"[(s >> i) & 1] for i in range(n))
    assert lb.str_to_state(text) == s


@given(st.data())
def test_batches_equal_the_one_state_codec(data):
    n = data.draw(widths)
    states = data.draw(st.lists(st.integers(0, (1 << n) - 1), max_size=20))
    arr = np.array(states, dtype=np.uint64)
    assert states_to_strings(arr, n).tolist() == [lb.state_to_str(s, n) for s in states]
    assert state_chars(arr, n).shape == (len(states), n)
    free = data.draw(st.lists(st.integers(0, (1 << n) - 1), min_size=len(states),
                              max_size=len(states)))
    on = [s & ~f for s, f in zip(states, free)]
    got = spaces_to_strings(np.array(on, dtype=np.uint64), np.array(free, dtype=np.uint64), n)
    assert got.tolist() == [masks_to_str(o, f, n) for o, f in zip(on, free)]


@given(st.data())
def test_space_text_masks_and_dict_agree(data):
    n = data.draw(st.integers(1, 12))
    text = "".join(data.draw(st.lists(st.sampled_from("01*"), min_size=n, max_size=n)))
    names = tuple(f"x{i}" for i in range(n))
    sp = Space.parse(text)
    assert str(sp) == text and space_masks(text) == (sp.on, sp.free)
    assert sp.size == 2 ** text.count("*")
    assert sp.to_dict(names) == {f"x{i}": int(c) for i, c in enumerate(text) if c != "*"}
    assert Space.from_dict(sp.to_dict(names), names) == sp
    members = [s for s in range(1 << n) if sp.contains(s)]
    assert len(members) == sp.size
    assert all(all(c == "*" or c == lb.state_to_str(s, n)[i] for i, c in enumerate(text))
               for s in members)
    # the smallest subspace of its states is itself
    assert subspace_of(members, n) == text == str(Space.of_states(members, n))


@given(st.lists(st.integers(0, 255), min_size=1, max_size=12))
def test_subspace_of_states_is_the_smallest_holding_them(states):
    text = subspace_of(states, 8)
    sp = Space.parse(text)
    assert all(sp.contains(s) for s in states)
    for i, c in enumerate(text):  # fixing any free node would lose a state
        if c == "*":
            assert {(s >> i) & 1 for s in states} == {0, 1}


def test_bad_input_is_refused():
    with pytest.raises(lb.InputError, match="character 2 is 'x'"):
        Space.parse("0x1")
    with pytest.raises(lb.UnknownNodeError):
        Space.from_dict({"Q": 1}, ("A", "B"))


def _is_trap(net, text):
    n = len(net.names)
    sp = Space.parse(text)
    kernel = lb.compile_network(net)
    for s in range(1 << n):
        if sp.contains(s):
            change = int(kernel.changeable(np.array([s], dtype=np.uint64))[0])
            for i in range(n):  # every asynchronous successor stays inside
                if (change >> i) & 1 and not sp.contains(s ^ (1 << i)):
                    return False
    return True


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.data())
def test_trap_closure_is_the_smallest_trap_space_holding_the_subspace(seed, data):
    net = lb.parse_bnet(random_bnet(6, seed))
    n = len(net.names)
    text = "".join(data.draw(st.lists(st.sampled_from("01*"), min_size=n, max_size=n)))
    closure = trap_closure(net, text)
    assert _is_trap(net, closure)
    assert all(c == "*" or c == d for c, d in zip(closure, text))  # it holds the subspace
    # the smallest: every trap space holding the subspace (each node fixed as in it, or
    # free) holds the closure
    fixed = [i for i, c in enumerate(text) if c != "*"]
    for free in itertools.product((False, True), repeat=len(fixed)):
        t = list(text)
        for i, f in zip(fixed, free):
            if f:
                t[i] = "*"
        if _is_trap(net, "".join(t)):
            assert all(c == "*" or c == d for c, d in zip(t, closure))


@given(st.integers(0, 100).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, 2 ** n - 1))))
def test_state_strings_put_bit_i_at_character_i(case):
    n, state = case
    text = lb.state_to_str(state, n)
    assert len(text) == n
    assert all(c == "01"[state >> i & 1] for i, c in enumerate(text))
    assert lb.str_to_state(text) == state
