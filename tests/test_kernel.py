"""The compiled kernel against per-state evaluation of the rules."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.expr import Var, mk_and, mk_or, Not
from _helpers import random_formula_bnet, random_nk, step
from logicbone.dynamics import kernel as kernel_module

nets = st.builds(random_nk, st.integers(1, 9), st.integers(0, 4), st.integers(0, 2**32 - 1))


@settings(max_examples=80, deadline=None)
@given(nets, st.sampled_from([np.uint32, np.uint64]))
def test_sync_successors_match_per_state_evaluation(net, dtype):
    n = len(net.names)
    states = np.arange(1 << n, dtype=dtype)
    succ = lb.compile_network(net).sync_successors(states)
    assert succ.dtype == dtype
    assert succ.tolist() == [step(net, s) for s in range(1 << n)]


@settings(max_examples=40, deadline=None)
@given(nets)
def test_changeable_and_async_edges(net):
    n = len(net.names)
    kernel = lb.compile_network(net)
    states = np.arange(1 << n, dtype=np.uint64)
    change = kernel.changeable(states)
    ref = [step(net, s) ^ s for s in range(1 << n)]
    assert change.tolist() == ref
    src, dst = kernel.async_successors(states)
    got = sorted(zip(src.tolist(), dst.tolist()))
    want = sorted((s, s ^ (1 << i)) for s in range(1 << n) for i in range(n) if (ref[s] >> i) & 1)
    assert got == want


def test_all_sync_successors_is_the_whole_table():
    net = random_nk(11, 3, 4)
    kernel = lb.compile_network(net)
    table = kernel.all_sync_successors()
    assert table.dtype == np.uint32
    assert table.tolist() == kernel.sync_successors(np.arange(2048, dtype=np.uint64)).tolist()


def _whole_space_both_ways(net, dtype=None):
    kernel = lb.compile_network(net)
    planes = kernel.all_sync_successors(dtype, planes=True)
    table = kernel.all_sync_successors(dtype, planes=False)
    return planes, table


@settings(max_examples=80, deadline=None)
@given(st.one_of(nets.filter(lambda net: len(net.names) >= 6),
                 st.builds(lambda seed, n: lb.parse_bnet(random_formula_bnet(seed, n)),
                           st.integers(0, 2**32 - 1), st.integers(6, 12))),
       st.sampled_from([64, 128, 1024, 1 << 20]), st.sampled_from([None, np.uint64]))
def test_bit_planes_give_the_truth_table_successors(net, chunk, dtype):
    # small batches make nodes above the batch constant across it (scalar planes)
    old = kernel_module.PLANE_CHUNK
    kernel_module.PLANE_CHUNK = chunk
    try:
        planes, table = _whole_space_both_ways(net, dtype)
    finally:
        kernel_module.PLANE_CHUNK = old
    assert planes.dtype == table.dtype
    assert planes.tolist() == table.tolist()


@settings(max_examples=80, deadline=None)
@given(st.one_of(nets, st.builds(lambda seed, n: lb.parse_bnet(random_formula_bnet(seed, n)),
                                 st.integers(0, 2**32 - 1), st.integers(1, 12))),
       st.sampled_from([64, 256, 1 << 20]))
def test_fixed_points_on_bit_planes_are_the_states_that_do_not_move(net, chunk):
    n = len(net.names)
    old = kernel_module.PLANE_CHUNK
    kernel_module.PLANE_CHUNK = chunk
    try:
        got = lb.compile_network(net).fixed_points()
    finally:
        kernel_module.PLANE_CHUNK = old
    assert got.dtype == np.uint64
    assert got.tolist() == [s for s in range(1 << n) if step(net, s) == s]


@pytest.mark.parametrize("text", [
    "A, 1\nB, 0\nC, C\nD, !D\nE, A\nF, !(B | C)",   # constants, self-loops, copies
    "\n".join(f"v{i}, v{(i + 7) % 9} & !v{(i + 3) % 9}" for i in range(9)),
])
def test_bit_planes_on_constants_and_copies(text):
    planes, table = _whole_space_both_ways(lb.parse_bnet(text))
    assert planes.tolist() == table.tolist()


def test_bit_planes_with_many_regulators():
    # 16 regulators: not a lookup table; the bit planes evaluate the expression itself
    names = [f"r{i}" for i in range(16)]
    rules = {n: Var(n) for n in names}
    rules["T"] = mk_or([mk_and([Var(a), Not(Var(b))]) for a, b in zip(names[::2], names[1::2])])
    kernel = lb.compile_network(lb.Network.from_rules(rules))
    planes = kernel.all_sync_successors()
    states = np.arange(1 << 17, dtype=np.uint64)
    assert planes.tolist() == kernel.sync_successors(states).tolist()


def test_rules_with_many_regulators_are_evaluated_bitwise():
    # 16 regulators: above the lookup-table in-degree, evaluated on the bit arrays
    names = [f"r{i}" for i in range(16)]
    rules = {n: Var(n) for n in names}
    rules["T"] = mk_or([mk_and([Var(a), Not(Var(b))]) for a, b in zip(names[::2], names[1::2])])
    net = lb.Network.from_rules(rules)
    kernel = lb.compile_network(net)
    rng = np.random.default_rng(1)
    states = rng.integers(0, 1 << 17, size=500, dtype=np.uint64)
    assert kernel.sync_successors(states).tolist() == [step(net, int(s)) for s in states]


@pytest.mark.parametrize("text,succ", [
    ("A, 1\nB, 0", [1, 1, 1, 1]),
    ("A, A\nB, !B", [2, 3, 0, 1]),
    ("A, B\nB, A", [0, 2, 1, 3]),
])
def test_constants_inputs_and_copies(text, succ):
    kernel = lb.compile_network(lb.parse_bnet(text))
    assert kernel.sync_successors(np.arange(4, dtype=np.uint64)).tolist() == succ


def test_empty_batches_and_wide_networks():
    kernel = lb.compile_network(random_nk(5, 2, 0))
    empty = np.array([], dtype=np.uint64)
    assert kernel.sync_successors(empty).size == 0
    assert [a.size for a in kernel.async_successors(empty)] == [0, 0]
    big = lb.Network.from_rules({f"v{i}": Var(f"v{(i + 1) % 64}") for i in range(64)})
    k64 = lb.compile_network(big)
    top = np.array([1 << 63], dtype=np.uint64)
    assert int(k64.sync_successors(top)[0]) == 1 << 62
    with pytest.raises(lb.LogicboneError, match="64"):
        lb.compile_network(lb.Network.from_rules({f"v{i}": Var(f"v{i}") for i in range(65)}))
