"""Random networks: shape, determinism, and the promised absence of constants."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.bdd import RuleBDDs


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12), st.integers(0, 4), st.integers(0, 10**6), st.integers(0, 3))
def test_shape_and_determinism(n, k, seed, inputs):
    k, inputs = min(k, n), min(inputs, n)
    net = lb.random_network(n, k, seed, inputs=inputs)
    assert len(net.names) == n
    assert net.inputs[:inputs] == net.names[:inputs]
    for name in net.names[inputs:]:
        assert len(net.regulators(name)) <= k
    assert lb.random_network(n, k, seed, inputs=inputs) == net


@pytest.mark.parametrize("seed", range(5))
def test_no_constant_functions_when_asked(seed):
    net = lb.random_network(10, 2, seed, constant_rules=False)
    bdds = RuleBDDs(net)
    assert all(bdds.f[n] not in (bdds.mgr.true, bdds.mgr.false) for n in net.names)


def test_degree_range_and_errors():
    net = lb.random_network(20, (1, 3), seed=3, constant_rules=False)
    assert {len(net.regulators(n)) for n in net.names} <= {1, 2, 3}
    with pytest.raises(lb.UsageError):
        lb.random_network(3, 4)
