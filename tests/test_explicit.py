"""Explicit attractors and basins: against per-state reference code, the reference tools'
answers on the corpus, live BoolNet and biobalm, and hypothesis invariants."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import BENCH, corpus_index, random_formula_bnet, random_nk, step
from logicbone.expr import Not, Var, mk_and, mk_or

EXPECTED = BENCH / "expected"


# ---------------------------------------------------------------- helpers

def ref_sync(net: lb.Network):
    """Synchronous attractors (frozensets) and the attractor of every state, by walking."""
    n = len(net.names)
    succ = [step(net, s) for s in range(1 << n)]
    owner: dict[int, frozenset] = {}
    for s in range(1 << n):
        seen = []
        x = s
        while x not in owner and x not in seen:
            seen.append(x)
            x = succ[x]
        if x in owner:
            att = owner[x]
        else:
            att = frozenset(seen[seen.index(x):])
        for y in seen:
            owner[y] = att
    return succ, owner


def ref_async(net: lb.Network, general: bool = False):
    """Terminal SCCs of the (general) asynchronous graph, with networkx (reference code)."""
    import networkx as nx
    n = len(net.names)
    g = nx.DiGraph()
    g.add_nodes_from(range(1 << n))
    for s in range(1 << n):
        change = step(net, s) ^ s
        if general:
            sub = change
            while sub:
                g.add_edge(s, s ^ sub)
                sub = (sub - 1) & change
        else:
            for i in range(n):
                if (change >> i) & 1:
                    g.add_edge(s, s ^ (1 << i))
    cond = nx.condensation(g)
    return g, [frozenset(cond.nodes[c]["members"]) for c in cond if cond.out_degree(c) == 0]


def state_sets(res: lb.AttractorResult) -> set[frozenset]:
    return {frozenset(a.states) for a in res.attractors}


def attractor_of(res: lb.AttractorResult) -> dict[int, int]:
    return {s: i for i, a in enumerate(res.attractors) for s in a.states}


nets = st.builds(random_nk, st.integers(1, 7), st.integers(0, 3), st.integers(0, 2**32 - 1))


# ---------------------------------------------------------------- against reference code

@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n,k", [(4, 1), (6, 2), (8, 3)])
def test_sync_matches_reference(n, k, seed):
    net = random_nk(n, k, seed)
    _, owner = ref_sync(net)
    res = lb.explicit_attractors(net, "sync", basins=True)
    assert state_sets(res) == set(owner.values())
    sizes = Counter(owner.values())
    for a in res.attractors:
        assert a.basin == pytest.approx(sizes[frozenset(a.states)] / 2 ** n)
        assert a.type == ("fixed_point" if a.size == 1 else "cycle")
        # a cycle's states in update order
        assert [step(net, s) for s in a.states] == list(a.states[1:]) + [a.states[0]]


@pytest.mark.parametrize("update", ["async", "general"])
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n,k", [(4, 2), (6, 2), (7, 3)])
def test_async_matches_reference(n, k, seed, update):
    import networkx as nx
    net = random_nk(n, k, seed)
    g, expected = ref_async(net, general=update == "general")
    res = lb.explicit_attractors(net, update, basins=True)
    assert state_sets(res) == set(expected)
    reach = [nx.ancestors(g, next(iter(a.states))) | set(a.states) for a in res.attractors]
    for i, a in enumerate(res.attractors):
        strong = set(reach[i]).difference(*[reach[j] for j in range(len(reach)) if j != i])
        assert a.basin == pytest.approx(len(strong) / 2 ** n)
    assert sum(a.extra["reach_probability"] for a in res.attractors) == pytest.approx(1.0)


def test_reach_probability_of_a_two_way_choice():
    # from 01 and 10 a random update goes to 00 or 11 with probability 1/2 each
    res = lb.explicit_attractors(lb.parse_bnet("A, B\nB, A"), "async", basins=True)
    assert [(a.subspace, a.basin, a.extra["reach_probability"]) for a in res.attractors] == \
        [("00", 0.25, 0.5), ("11", 0.25, 0.5)]


def test_reach_probability_matches_a_monte_carlo_walk():
    net = random_nk(6, 2, 11)
    res = lb.explicit_attractors(net, "async", basins=True)
    where = np.full(64, -1)
    for i, a in enumerate(res.attractors):
        where[list(a.states)] = i
    kernel = lb.compile_network(net)
    rng = np.random.default_rng(0)
    walkers = rng.integers(64, size=4000).astype(np.uint64)
    for _ in range(200):  # 4000 random walks side by side, one random changeable node each
        change = kernel.changeable(walkers)
        moving = (change != 0) & (where[walkers.astype(np.int64)] < 0)
        if not moving.any():
            break
        bits = [np.flatnonzero([(int(c) >> i) & 1 for i in range(6)]) for c in change[moving]]
        flip = np.array([1 << int(rng.choice(b)) for b in bits], dtype=np.uint64)
        walkers[moving] ^= flip
    ends = where[walkers.astype(np.int64)]
    assert (ends >= 0).all()
    for i, a in enumerate(res.attractors):
        assert np.mean(ends == i) == pytest.approx(a.extra["reach_probability"], abs=0.04)


def test_constants_are_percolated_but_basins_count_the_whole_space():
    net = lb.parse_bnet("A, 1\nB, A\nC, B | !A")
    res = lb.explicit_attractors(net, "sync")
    assert [a.subspace for a in res.attractors] == ["111"]
    assert res.notes == ("3 nodes forced by constants; searched 2^0 states",)
    with_basins = lb.explicit_attractors(net, "sync", basins=True)
    assert with_basins.attractors[0].basin == 1.0 and with_basins.notes == ()


def test_free_inputs_give_one_attractor_per_combination():
    net = lb.parse_bnet("I, I\nJ, J\nX, I & !J")
    res = lb.explicit_attractors(net, "async")
    assert sorted(a.subspace for a in res.attractors) == ["000", "010", "101", "110"]
    fixed = lb.explicit_attractors(net.fix({"I": 1}), "async")
    assert sorted(a.subspace for a in fixed.attractors) == ["101", "110"]


def test_state_limit_names_the_scalable_method():
    net = random_nk(12, 2, 0)
    with pytest.raises(lb.StateSpaceTooLarge, match="--method sat"):
        lb.attractors(net, "sync", "explicit", state_limit=1000)
    with pytest.raises(lb.StateSpaceTooLarge, match="--method symbolic"):
        lb.attractors(net, "async", "explicit", state_limit=1000)
    assert lb.attractors(net, "sync", "explicit", state_limit=1000, force=True).complete


def test_dispatcher_accepts_strings_and_rejects_unknown_methods():
    net = lb.parse_bnet("A, !A")
    assert lb.attractors(net, "sync").method == "explicit"
    assert lb.attractors(net, lb.Update.GENERAL).update == "general"
    with pytest.raises(lb.LogicboneError, match="unknown method"):
        lb.attractors(net, "sync", "magic")


def test_long_transient_uses_pointer_doubling():
    # a 12-bit counter that stops at 4095: one fixed point reached after up to 4095 steps
    n = 12
    names = [f"b{i}" for i in range(n)]
    rules = {}
    for i, name in enumerate(names):
        lower = [Var(b) for b in names[:i]]
        full = mk_and([Var(b) for b in names])
        carry = mk_and(lower)  # flip when all lower bits are 1
        flip = mk_or([mk_and([Var(name), Not(carry)]), mk_and([Not(Var(name)), carry])])
        rules[name] = mk_or([full, mk_and([Not(full), flip])])
    net = lb.Network.from_rules(rules)
    res = lb.explicit_attractors(net, "sync", basins=True)
    assert [(a.type, a.subspace, a.basin) for a in res.attractors] == \
        [("fixed_point", "1" * n, 1.0)]


def test_output_is_deterministic():
    net = random_nk(10, 3, 5)
    a = lb.explicit_attractors(net, "async", basins=True).to_dict()
    b = lb.explicit_attractors(net, "async", basins=True).to_dict()
    assert json.dumps(a) == json.dumps(b)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.builds(random_nk, st.integers(6, 12), st.integers(1, 4),
                           st.integers(0, 2**32 - 1)),
                 st.builds(lambda seed, n: lb.parse_bnet(random_formula_bnet(seed, n)),
                           st.integers(0, 2**32 - 1), st.integers(6, 12))))
def test_sync_cycles_match_walks_on_random_networks(net):
    # the bit-plane successors and the image search (small images sorted, not scanned)
    # against walks from every state; cycles listed in update order
    _, owner = ref_sync(net)
    res = lb.explicit_attractors(net, "sync", max_states=1 << 12)
    assert state_sets(res) == set(owner.values())
    for a in res.attractors:
        assert all(step(net, x) == y for x, y in zip(a.states, a.states[1:] + a.states[:1]))


def test_sync_cycle_search_on_a_long_transient_and_a_small_image():
    # a shift register whose first bit latches on: every state but 0 fills with ones, after
    # up to 2n steps; the image shrinks a little each step down to the two fixed points
    n = 14
    rules = "\n".join(f"x{i}, x{i - 1}" if i else f"x0, x0 | x{n - 1}" for i in range(n))
    res = lb.explicit_attractors(lb.parse_bnet(rules), "sync")
    assert [a.subspace for a in res.attractors] == ["0" * n, "1" * n]


# ---------------------------------------------------------------- hypothesis invariants

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets, st.sampled_from(["sync", "async", "general"]))
def test_attractors_are_closed_under_their_successors(net, update):
    kernel = lb.compile_network(net)
    for a in lb.explicit_attractors(net, update).attractors:
        states = np.array(a.states, dtype=np.uint64)
        if update == "sync":
            succ = kernel.sync_successors(states)
        elif update == "async":
            succ = kernel.async_successors(states)[1]
        else:  # the general successors include the synchronous one and the async ones
            succ = np.concatenate([kernel.sync_successors(states),
                                   kernel.async_successors(states)[1]])
        assert set(int(s) for s in succ) <= set(a.states)


@settings(max_examples=60, deadline=None)
@given(nets)
def test_every_state_reaches_the_attractor_of_its_basin(net):
    n = len(net.names)
    res = lb.explicit_attractors(net, "sync", basins=True)
    where = attractor_of(res)
    kernel = lb.compile_network(net)
    ends = np.arange(1 << n, dtype=np.uint64)
    for _ in range(1 << n):  # 2^n steps from every state at once: all are on their cycles
        ends = kernel.sync_successors(ends)
    counts = Counter(where[int(s)] for s in ends)
    assert [a.basin for a in res.attractors] == [counts[i] / 2 ** n
                                                 for i in range(len(res.attractors))]


@settings(max_examples=60, deadline=None)
@given(nets, st.sampled_from(["sync", "async", "general"]))
def test_a_fixed_point_is_its_own_successor(net, update):
    kernel = lb.compile_network(net)
    for a in lb.explicit_attractors(net, update).attractors:
        if a.type == "fixed_point":
            (s,) = a.states
            assert int(kernel.sync_successors(np.array([s], dtype=np.uint64))[0]) == s
            assert int(kernel.changeable(np.array([s], dtype=np.uint64))[0]) == 0


@settings(max_examples=40, deadline=None)
@given(nets)
def test_fixed_points_agree_across_schemes(net):
    # every fixed point is one under each scheme
    fps = {u: {a.states for a in lb.explicit_attractors(net, u).attractors
               if a.type == "fixed_point"} for u in ("sync", "async", "general")}
    assert fps["sync"] == fps["async"] == fps["general"]


# ---------------------------------------------------------------- the corpus

def _expected(name: str) -> dict[str, dict]:
    path = EXPECTED / name
    if not path.exists():
        return {}
    return {r["file"]: r for r in map(json.loads, path.read_text().splitlines()) if r.get("solved")}


def _corpus(max_nodes: int, min_nodes: int = 0):
    return [r["file"] for r in corpus_index() if min_nodes <= int(r["nodes"]) <= max_nodes]


def _sync_answers(net: lb.Network) -> list:
    net = net.reorder(sorted(net.names))
    n = len(net.names)
    out = []
    for a in lb.explicit_attractors(net, "sync", force=True).attractors:
        strings = sorted(lb.state_to_str(s, n) for s in a.states)
        out.append(strings[0] if len(strings) == 1 else strings)
    return sorted(out, key=json.dumps)


def _async_answers(net: lb.Network) -> list:
    net = net.reorder(sorted(net.names))
    return sorted((a.subspace, a.size) for a in
                  lb.explicit_attractors(net, "async", force=True).attractors)


def _check_sync(file):
    ref = _expected("sync_attractors.jsonl").get(file)
    if ref is None:
        pytest.skip("no complete reference answer")
    got = _sync_answers(lb.read_network(BENCH / file))
    assert len(got) == ref["count"]
    if "list" in ref:  # left out of the reference file above 1000 answers
        assert got == sorted(ref["list"], key=json.dumps)


def _check_async(file):
    ref = _expected("async_attractors.jsonl").get(file)
    if ref is None or "attractors" not in ref:
        pytest.skip("no complete reference answer")
    got = _async_answers(lb.read_network(BENCH / file))
    theirs = sorted((a["hull"], a["size"]) for a in ref["attractors"])
    assert len(got) == ref["count"]
    if len(theirs) == ref["count"]:
        assert got == theirs
    else:  # a truncated list: each listed attractor is one of ours
        assert set(theirs) <= set(got)


@pytest.mark.corpus_sample
@pytest.mark.parametrize("file", _corpus(16))
def test_corpus_sync_matches_boolnet_answers(file):
    _check_sync(file)


@pytest.mark.corpus_sample
@pytest.mark.parametrize("file", _corpus(14))
def test_corpus_async_matches_biobalm_answers(file):
    _check_async(file)


@pytest.mark.corpus
@pytest.mark.parametrize("file", _corpus(24, 17))
def test_corpus_sync_larger(file):
    _check_sync(file)


@pytest.mark.corpus
@pytest.mark.parametrize("file", _corpus(20, 15))
def test_corpus_async_larger(file):
    _check_async(file)


# ---------------------------------------------------------------- live reference tools

_R_SCRIPT = r"""
suppressMessages(library(BoolNet))
for (f in commandArgs(trailingOnly = TRUE)) {
  net <- loadNetwork(f)
  a <- getAttractors(net, type = "synchronous", method = "exhaustive")
  cat("##", f, "\n")
  cat(paste(net$genes, collapse = " "), "\n")
  for (i in seq_along(a$attractors)) {
    s <- getAttractorSequence(a, i)
    cat(apply(s, 1, paste, collapse = ""), "\n")
  }
}
"""


def _boolnet_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    r = subprocess.run(["Rscript", "-e", "library(BoolNet)"], capture_output=True)
    return r.returncode == 0


def boolnet_sync(paths) -> dict[str, set[frozenset[frozenset[str]]]]:
    """BoolNet's synchronous attractors per file, each as a set of states, each state the
    set of its ON nodes (so node order and renaming do not matter)."""
    r = subprocess.run(["Rscript", "-e", _R_SCRIPT, *map(str, paths)], capture_output=True,
                       text=True, check=True)
    out: dict = {}
    genes: list[str] = []
    for line in r.stdout.splitlines():
        if line.startswith("## "):
            current = out.setdefault(line[3:].strip(), set())
            genes = []
        elif not genes:
            genes = line.split()
        elif line.strip():
            current.add(frozenset(frozenset(g for g, c in zip(genes, s) if c == "1")
                                  for s in line.split()))
    return out


def on_sets(net: lb.Network, res: lb.AttractorResult):
    return {frozenset(frozenset(n for i, n in enumerate(net.names) if (s >> i) & 1)
                      for s in a.states) for a in res.attractors}


@pytest.mark.reference
def test_sync_matches_live_boolnet(tmp_path):
    if not _boolnet_available():
        pytest.skip("R's BoolNet is not installed")
    cases = {}
    for n in (5, 8, 11, 13, 16):
        for k in (1, 2, 3, 4):
            net = random_nk(n, k, 100 * n + k)
            path = tmp_path / f"nk_{n}_{k}.bnet"
            path.write_text(lb.to_bnet(net))
            cases[str(path)] = net
    for file in _corpus(12)[:12]:
        net = lb.read_network(BENCH / file)
        path = tmp_path / (file.replace("/", "_"))
        path.write_text(lb.to_bnet(net))
        cases[str(path)] = net
    got = boolnet_sync(cases)
    assert set(got) == set(cases)
    for path, net in cases.items():
        assert on_sets(net, lb.explicit_attractors(net, "sync")) == got[path], path


@pytest.mark.reference
@pytest.mark.parametrize("n,k,seed", [(5, 2, 1), (8, 2, 2), (10, 3, 3), (12, 2, 4), (12, 4, 5),
                                      (14, 1, 6), (16, 2, 7), (9, 3, 8)])
def test_async_matches_live_biobalm(n, k, seed):
    biobalm = pytest.importorskip("biobalm")
    net = random_nk(n, k, seed)
    sd = biobalm.SuccessionDiagram.from_rules(lb.to_bnet(net))
    sd.build()
    theirs = set()
    for sets in sd.expanded_attractor_sets().values():
        for vs in sets:
            theirs.add(frozenset(frozenset(k for k, v in m.to_named_dict().items() if v)
                                 for m in vs.items()))
    assert on_sets(net, lb.explicit_attractors(net, "async")) == theirs


@pytest.mark.parametrize("seed", [1, 8, 11])
def test_iterative_reach_probabilities_agree_with_lu(monkeypatch, seed):
    from logicbone.analysis import explicit
    net = random_nk(9, 2, seed)
    direct = lb.explicit_attractors(net, "async", basins=True)
    monkeypatch.setattr(explicit, "_LU_MAX_UNKNOWNS", 0)
    iterative = lb.explicit_attractors(net, "async", basins=True)
    assert [a.extra["reach_probability"] for a in iterative.attractors] == pytest.approx(
        [a.extra["reach_probability"] for a in direct.attractors], abs=1e-9)


@pytest.mark.parametrize("update", ["sync", "async"])
@pytest.mark.parametrize("method", ["explicit", "auto"])
def test_an_interrupt_stops_the_explicit_search_and_the_result_says_why(update, method):
    net = lb.parse_bnet("A, !B\nB, A\nC, C")
    budget = lb.Budget()
    budget.interrupt()
    res = lb.attractors(net, update, method, budget=budget)
    # auto answers the asynchronous question symbolically at every size; stopped the same
    assert res.method == ("symbolic" if (method, update) == ("auto", "async") else "explicit")
    assert not res.complete and res.attractors == ()
    assert res.outcome == lb.Outcome(False, lb.StopReason.INTERRUPTED, None, res.seconds)
    assert res.to_dict()["complete"] is False and "interrupted" in res.to_dict()["notes"][0]


def test_a_complete_explicit_search_reports_its_outcome_and_modes_as_enums():
    res = lb.explicit_attractors(lb.parse_bnet("A, !B\nB, A"), "sync", timeout=60)
    assert res.complete and res.reason is None and res.outcome.complete
    assert res.update is lb.Update.SYNCHRONOUS and res.method is lb.AttractorMethod.EXPLICIT
    assert json.loads(json.dumps(res.to_dict()))["update"] == "synchronous"
