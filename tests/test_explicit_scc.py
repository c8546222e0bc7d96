"""Terminal SCCs by numpy label propagation equal those of scipy's strong components."""
from __future__ import annotations


import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.analysis import explicit
from logicbone.dynamics.kernel import compile_network
from logicbone.dynamics.scc import terminal_sccs, terminal_sccs_numpy
from logicbone.dynamics.transitions import transition_csr
from logicbone.dynamics.update import Update

pytest.importorskip("scipy")


def by_scipy(indptr, indices):
    from scipy.sparse import csr_matrix
    total = indptr.size - 1
    graph = csr_matrix((np.ones(indices.size, dtype=np.int8), indices, indptr),
                       shape=(total, total))
    return terminal_sccs(graph)[1]


def as_lists(groups):
    return [g.tolist() for g in groups]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 9), k=st.integers(1, 4), seed=st.integers(0, 10**6),
       update=st.sampled_from([Update.ASYNCHRONOUS, Update.GENERAL]))
def test_numpy_terminal_sccs_equal_strong_components(n, k, seed, update):
    net = lb.random_network(n, min(k, n), seed)
    indptr, indices, _ = transition_csr(compile_network(net), update, 1 << 30)
    got = terminal_sccs_numpy(indptr, indices, 1 << 20)
    assert got is not None
    assert as_lists(got) == as_lists(by_scipy(indptr, indices))


@given(edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40))
def test_arbitrary_graphs(edges):
    total = 12
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int32)
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    indptr = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=total), out=indptr[1:])
    got = terminal_sccs_numpy(indptr, dst, 1 << 20)
    assert as_lists(got) == as_lists(by_scipy(indptr, dst))


def test_a_long_path_needs_many_rounds():
    total = 200  # the path 0 -> 1 -> ... -> 199
    indptr = np.minimum(np.arange(total + 1), total - 1).astype(np.int64)
    indices = np.arange(1, total, dtype=np.int32)
    assert terminal_sccs_numpy(indptr, indices, 50) is None
    assert as_lists(terminal_sccs_numpy(indptr, indices, 300)) == [[total - 1]]


@pytest.mark.parametrize("seed", range(4))
def test_fallback_to_strong_components_gives_the_same_result(monkeypatch, seed):
    net = lb.random_network(9, 2, seed)
    want = explicit.explicit_attractors(net, "async").to_dict()
    monkeypatch.setattr(explicit, "_NUMPY_SCC_MAX_ROUNDS", 1)
    assert explicit.explicit_attractors(net, "async").to_dict() == want
    monkeypatch.setattr(explicit, "_NUMPY_SCC_MAX_NODES", 0)
    assert explicit.explicit_attractors(net, "async").to_dict() == want
