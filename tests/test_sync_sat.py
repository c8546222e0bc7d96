"""Synchronous attractors by bounded unrolling (analysis/sync_sat.py): against explicit
enumeration, the explicit engine, and BoolNet's answers on small corpus models."""
from __future__ import annotations

import json

import pytest

import logicbone as lb
from logicbone.analysis.results import state_to_str
from logicbone.analysis.sync_sat import sync_attractors_sat

from _helpers import BENCH, random_formula_bnet as random_bnet


def reference_cycles(net) -> list[tuple[int, ...]]:
    """Every synchronous cycle, from smallest state on, by following each state (reference)."""
    names = net.names
    succ = []
    for s in range(1 << len(names)):
        values = {v: bool((s >> i) & 1) for i, v in enumerate(names)}
        succ.append(sum(1 << i for i, v in enumerate(names)
                        if lb.expr.evaluate(net.rules[v], values)))
    cycles = set()
    for s in range(len(succ)):
        seen = []
        x = s
        for _ in range(len(succ) + 1):
            seen.append(x)
            x = succ[x]
        start = x                         # after 2^n steps we are on the cycle
        cyc = [start]
        x = succ[start]
        while x != start:
            cyc.append(x)
            x = succ[x]
        i = cyc.index(min(cyc))
        cycles.add(tuple(cyc[i:] + cyc[:i]))
    return sorted(cycles)


@pytest.mark.parametrize("seed", range(20))
def test_complete_bound_agrees_with_enumeration(seed):
    net = lb.parse_bnet(random_bnet(seed, 5))
    res = sync_attractors_sat(net, max_length=1 << 5)
    assert res.complete and res.method == "sat" and res.update == "synchronous"
    assert sorted(a.states for a in res.attractors) == reference_cycles(net)
    for a in res.attractors:
        assert a.type == ("fixed_point" if a.size == 1 else "cycle")


@pytest.mark.parametrize("seed", range(20))
def test_short_bound_finds_exactly_the_short_cycles(seed):
    net = lb.parse_bnet(random_bnet(300 + seed, 8))
    bound = 3
    res = sync_attractors_sat(net, max_length=bound)
    expected = [c for c in reference_cycles(net) if len(c) <= bound]
    assert sorted(a.states for a in res.attractors) == expected
    longest = max(len(c) for c in reference_cycles(net))
    assert any(f"up to length {bound}" in note for note in res.notes)
    if longest > bound:                   # a longer cycle exists: never claim completeness
        assert not res.complete


def test_ring_oscillator_needs_a_long_enough_bound():
    # a negative ring of 4 nodes: cycles of length 8 (and 2 ... ) under synchronous update
    net = lb.parse_bnet("A, !D\nB, A\nC, B\nD, C")
    short = sync_attractors_sat(net, max_length=4)
    assert not short.complete
    assert all(a.size <= 4 for a in short.attractors)
    full = sync_attractors_sat(net, max_length=8)
    assert full.complete
    assert sorted(a.size for a in full.attractors) == sorted(len(c) for c in reference_cycles(net))
    assert 8 in [a.size for a in full.attractors]


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_the_explicit_engine(seed):
    explicit = pytest.importorskip("logicbone.analysis.explicit")
    net = lb.parse_bnet(random_bnet(700 + seed, 10))
    ours = sync_attractors_sat(net, max_length=10)
    theirs = explicit.explicit_attractors(net, "sync")
    assert sorted((a.subspace, a.size, a.states) for a in ours.attractors) == sorted(
        (a.subspace, a.size, a.states) for a in theirs.attractors if a.size <= 10)
    if ours.complete:
        assert all(a.size <= 10 for a in theirs.attractors)


def test_proof_of_completeness_on_a_short_transient_network():
    # fixed points only, and every trajectory settles within 3 steps
    net = lb.parse_bnet("A, A\nB, A\nC, B & !A")
    res = sync_attractors_sat(net, max_length=4, prove=True)
    assert res.complete and any("no path of 5 distinct states" in n for n in res.notes)
    assert not sync_attractors_sat(net, max_length=4, prove=False).complete


def test_limit_and_timeout():
    net = lb.parse_bnet("\n".join(f"I{i}, I{i}" for i in range(5)) + "\nA, !A")
    part = sync_attractors_sat(net, max_length=4, limit=3)
    assert len(part.attractors) == 3 and not part.complete
    assert any("limit" in n for n in part.notes)
    assert not sync_attractors_sat(net, max_length=4, timeout=1e-9).complete


def test_bad_bound():
    with pytest.raises(lb.LogicboneError, match="max_length"):
        sync_attractors_sat(lb.parse_bnet("A, A"), max_length=0)


SMALL_BOOLNET = ["bbm/003_mammalian-cell-cycle.bnet", "bbm/015_neurotransmitter-signaling-pathway.bnet",
                 "bbm/023_mammalian-cell-cycle-2006.bnet", "pyboolnet_repo/faure_cellcycle.bnet"]


@pytest.mark.corpus_sample
@pytest.mark.parametrize("rel", SMALL_BOOLNET)
def test_agrees_with_boolnet_on_small_corpus_models(rel):
    path = BENCH / "expected" / "sync_attractors.jsonl"
    if not path.exists():
        pytest.skip("benchmark corpus not found")
    rows = {r["file"]: r for r in map(json.loads, open(path))}
    row = rows[rel]
    net = lb.read_network(BENCH / rel)
    n = len(net.names)
    order = sorted(range(n), key=lambda i: net.names[i])

    def conv(s):
        text = state_to_str(s, n)
        return "".join(text[i] for i in order)

    res = sync_attractors_sat(net, max_length=16)
    assert res.complete
    ours = sorted(json.dumps(conv(a.states[0]) if a.size == 1 else sorted(map(conv, a.states)))
                  for a in res.attractors)
    assert ours == sorted(json.dumps(x) for x in row["list"])
