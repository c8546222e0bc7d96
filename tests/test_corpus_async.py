"""Asynchronous attractors of the corpus models against biobalm's answers
(../shared/benchmarks/expected/async_attractors.jsonl): per attractor its hull (our subspace),
its size in states, and its smallest enclosing trap space. A fast subset runs with the normal
suite; every model biobalm solved runs with ``-m corpus``."""
from __future__ import annotations

from collections import Counter

import pytest

import logicbone as lb
from logicbone.analysis.async_attractors import async_attractors_symbolic

from _helpers import BENCH, corpus_params, expected


#: small and quick, with complex attractors, free inputs or many attractors
FAST = [
    "bbm/003_mammalian-cell-cycle.bnet",
    "bbm/032_t-cell-signalling-2006.bnet",
    "bbm/049_oxidative-stress-pathway.bnet",
    "bbm/074_t-lgl-survival-network-2011-reduced.bnet",
    "bbm/134_rheumatoid-arthritis.bnet",
    "bbm/178_mast-cell-activation.bnet",
    "pyboolnet_repo/faure_cellcycle.bnet",
    "pyboolnet_repo/klamt_tcr.bnet",
]


ROWS = expected("async_attractors")
SOLVED = sorted(f for f, r in ROWS.items() if r.get("solved"))


def _in_sorted_order(net, text: str) -> str:
    """A subspace string re-ordered from bit order to sorted(names) order."""
    pos = {n: i for i, n in enumerate(net.names)}
    return "".join(text[pos[n]] for n in sorted(net.names))


def check_model(rel: str, timeout: float = 60.0) -> None:
    row = ROWS[rel]
    net = lb.read_network(BENCH / rel)
    res = async_attractors_symbolic(net, timeout=timeout, max_states=0)
    if not res.complete:
        pytest.fail(f"{rel}: no complete answer within {timeout:g} s ({'; '.join(res.notes)})")
    assert len(res.attractors) == row["count"]
    ours = Counter((_in_sorted_order(net, a.subspace), a.size) for a in res.attractors)
    if "attractors" in row and len(row["attractors"]) == row["count"]:
        assert ours == Counter((a["hull"], a["size"]) for a in row["attractors"])
    if "list" in row:
        spaces = sorted(_in_sorted_order(net, a.extra["trap_space"]) for a in res.attractors)
        assert spaces == row["list"]


@pytest.mark.corpus_sample
@pytest.mark.skipif(not ROWS, reason="benchmark corpus not found")
@pytest.mark.parametrize("rel", FAST)
def test_fast_subset_agrees_with_biobalm(rel):
    assert ROWS[rel]["solved"]
    check_model(rel)


@pytest.mark.corpus
@pytest.mark.skipif(not ROWS, reason="benchmark corpus not found")
@pytest.mark.parametrize("rel", corpus_params(SOLVED))
def test_every_solved_model_agrees_with_biobalm(rel):
    check_model(rel)
