"""Exact asynchronous attractors of large networks (analysis/async_attractors.py): cross-checks
against explicit enumeration, the explicit engine and (when installed) biobalm."""
from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

import logicbone as lb
from logicbone.analysis.async_attractors import async_attractors_symbolic
from logicbone.analysis.results import subspace_of

from _helpers import MOTIF_AVOIDANT
from _helpers import random_formula_bnet as random_bnet


def reference_attractors(net) -> list[tuple[int, ...]]:
    """Attracting components of the explicit asynchronous graph (per-state reference loop)."""
    names = net.names
    g = nx.DiGraph()
    for s in range(1 << len(names)):
        g.add_node(s)
        values = {v: bool((s >> i) & 1) for i, v in enumerate(names)}
        for i, v in enumerate(names):
            if bool(lb.expr.evaluate(net.rules[v], values)) != values[v]:
                g.add_edge(s, s ^ (1 << i))
    return sorted(tuple(sorted(c)) for c in nx.attracting_components(g))


def summary(result):
    return sorted(a.states for a in result.attractors)


@pytest.mark.parametrize("seed", range(25))
def test_agrees_with_explicit_enumeration(seed):
    net = lb.parse_bnet(random_bnet(seed, 8))
    res = async_attractors_symbolic(net)
    assert res.complete and res.update == "asynchronous" and res.method == "symbolic"
    assert summary(res) == reference_attractors(net)
    n = len(net.names)
    for a in res.attractors:
        assert a.size == len(a.states)
        assert a.subspace == subspace_of(a.states, n)
        assert a.type == ("fixed_point" if a.size == 1 else "complex")
        space = a.extra["trap_space"]        # the enclosing trap space holds the attractor
        assert all(c == "*" or c == h for c, h in zip(space, a.subspace))


@pytest.mark.parametrize("seed", range(8))
def test_agrees_with_the_explicit_engine(seed):
    explicit = pytest.importorskip("logicbone.analysis.explicit")
    net = lb.parse_bnet(random_bnet(1000 + seed, 9))
    ours = async_attractors_symbolic(net)
    theirs = explicit.explicit_attractors(net, "async")
    assert [(a.subspace, a.size, a.states) for a in ours.attractors] == sorted(
        (a.subspace, a.size, a.states) for a in theirs.attractors)


@pytest.mark.parametrize("seed", range(12))
def test_the_explicit_engine_reports_the_same_trap_spaces_as_symbolic(seed):
    # `--method explicit` (and basins) on small spaces: each attractor carries its smallest
    # enclosing trap space there too, found by rule tables
    net = lb.parse_bnet(random_bnet(2000 + seed, 8))
    small = lb.attractors(net, "async", method="explicit")
    assert small.method == "explicit"
    ours = async_attractors_symbolic(net)
    assert sorted((a.subspace, a.extra["trap_space"]) for a in small.attractors) == sorted(
        (a.subspace, a.extra["trap_space"]) for a in ours.attractors)


@pytest.mark.parametrize("free", [1, 8, 15, 16])
def test_auto_answers_asynchronous_questions_symbolically_at_every_size(free):
    net = lb.parse_bnet("\n".join(f"x{i}, !x{(i + 1) % free}" for i in range(free)))
    assert lb.attractors(net, "async").method == "symbolic"
    assert lb.attractors(net, "async", basins=True).method == "explicit"
    assert lb.attractors(net, "sync").method == "explicit"


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("avoided", [2000, 0])
def test_motif_avoidant_attractor_is_found_outside_the_minimal_trap_spaces(avoided, jobs):
    # the only minimal trap space is the fixed point 111; {000, 100, 010} is an attractor
    # that lies in no minimal trap space, and the smallest trap space around it is everything
    # (with max_avoided=0, the count of attractors, 2, does not match the one found; with
    # two jobs, the count and the listing of the candidates run beside the search)
    net = lb.parse_bnet("A, !A & !B | C\nB, !A & !B | C\nC, A & B")
    assert list(lb.trap_spaces(net, "min")) == ["111"]
    res = async_attractors_symbolic(net, settings=lb.EngineSettings(max_avoided=avoided,
                                                                    jobs=jobs))
    assert res.complete
    assert [(a.subspace, a.size, a.states, a.extra["trap_space"]) for a in res.attractors] == [
        ("**0", 3, (0, 1, 2), "***"), ("111", 1, (7,), "111")]
    assert summary(res) == reference_attractors(net)


def test_free_inputs_give_one_attractor_per_combination():
    net = lb.parse_bnet("I1, I1\nI2, I2\nA, !B & I1\nB, A | I2")
    res = async_attractors_symbolic(net)
    assert summary(res) == reference_attractors(net)
    assert len(res.attractors) == 4
    fixed = async_attractors_symbolic(net.fix({"I1": 1, "I2": 0}))
    assert [a.subspace for a in fixed.attractors] == ["10**"]


def test_limit_stops_early_and_says_so():
    net = lb.parse_bnet("\n".join(f"I{i}, I{i}" for i in range(6)) + "\nA, I0 & !A | I1")
    full = async_attractors_symbolic(net)
    assert len(full.attractors) == 64 and full.complete
    part = async_attractors_symbolic(net, limit=5)
    assert len(part.attractors) == 5 and not part.complete
    assert any("limit" in note for note in part.notes)
    assert set(part.attractors) <= set(full.attractors)


def test_timeout_returns_a_partial_answer():
    net = lb.parse_bnet(random_bnet(3, 12))
    res = async_attractors_symbolic(net, timeout=1e-9)
    assert not res.complete
    assert any("time limit" in note or "not all found" in note for note in res.notes)


def test_states_are_left_out_above_max_states():
    net = lb.parse_bnet("A, !B\nB, A\nC, !D\nD, C")
    res = async_attractors_symbolic(net, max_states=10)
    (att,) = res.attractors
    assert att.size == 16 and att.states is None and att.subspace == "****"
    assert "states" not in att.to_dict(4) and res.to_dict()["attractors"][0]["size"] == 16


def test_candidates_must_be_trap_spaces():
    net = lb.parse_bnet("A, !B\nB, A")
    with pytest.raises(lb.LogicboneError, match="not a trap space"):
        async_attractors_symbolic(net, candidates=["0*"])


def test_progress_messages_go_to_the_callback():
    messages = []
    async_attractors_symbolic(lb.parse_bnet("A, !B\nB, A"), progress=messages.append)
    assert messages and all(isinstance(m, str) for m in messages)


@pytest.mark.reference
@pytest.mark.parametrize("seed", range(10))
def test_agrees_with_biobalm_on_random_networks(seed):
    biobalm = pytest.importorskip("biobalm")
    text = random_bnet(5000 + seed, 18, k=3)
    net = lb.parse_bnet(text)
    sd = biobalm.SuccessionDiagram.from_rules(text)
    sd.build()
    theirs = []
    for atts in sd.expanded_attractor_sets().values():
        for x in atts:
            hull = x.enclosing_named_subspace()
            theirs.append(("".join(str(int(hull[v])) if v in hull else "*" for v in net.names),
                           x.cardinality()))
    ours = async_attractors_symbolic(net)
    assert ours.complete
    assert sorted((a.subspace, a.size) for a in ours.attractors) == sorted(theirs)


def test_cli_symbolic_and_sat_methods(tmp_path):
    import json

    from click.testing import CliRunner

    from logicbone_cli.main import cli
    model = tmp_path / "m.bnet"
    model.write_text("\n".join(f"I{i}, I{i}" for i in range(3)) + "\nA, !B & I0\nB, A\n")
    runner = CliRunner()
    out = runner.invoke(cli, ["attractors", str(model), "--method", "symbolic", "--format",
                              "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["method"] == "symbolic" and data["complete"] and len(data["attractors"]) == 8
    assert all("trap_space" in a for a in data["attractors"])
    part = json.loads(runner.invoke(cli, ["attractors", str(model), "--method", "symbolic",
                                          "--limit", "3", "--format", "json"]).stdout)
    assert len(part["attractors"]) == 3 and not part["complete"]
    sync = runner.invoke(cli, ["attractors", str(model), "--update", "sync", "--method", "sat",
                               "--max-length", "2"])
    assert sync.exit_code == 0 and "up to length 2" in sync.stdout


def _latched_pairs(k: int) -> str:
    """X reads k positive two-node loops (2^k minimal trap spaces in one part), and an
    independent loop C <-> D: the model of issue 20."""
    lines = ["X, " + " | ".join(f"A{i}" for i in range(k))]
    lines += [f"A{i}, B{i}\nB{i}, A{i}" for i in range(k)]
    return "\n".join(lines + ["C, D\nD, C"]) + "\n"


@pytest.mark.parametrize("update", ["async", "mp"])
def test_limit_lists_no_more_trap_spaces_than_asked(monkeypatch, update):
    import logicbone.analysis.asp as asp
    sizes: list[int] = []
    real = asp.solve_models

    def spy(*args, **kwargs):
        rows, outcome = real(*args, **kwargs)
        sizes.append(len(rows))
        return rows, outcome

    monkeypatch.setattr(asp, "solve_models", spy)
    net = lb.parse_bnet(_latched_pairs(12))
    res = lb.attractors(net, update, "symbolic" if update == "async" else "mp", limit=5)
    assert len(res.attractors) == 5 and not res.complete
    assert any("limit" in note for note in res.notes)
    assert sizes and max(sizes) <= 5
    assert all(a.type == "fixed_point" and lb.is_trap_space(net, a.subspace)
               for a in res.attractors)


@pytest.mark.parametrize("module, function, update", [
    ("async_attractors", "async_attractors_symbolic", "async"),
    ("trap_spaces", "trap_spaces", "mp")])
def test_engine_settings_reach_the_engine(monkeypatch, module, function, update):
    import importlib
    engine = importlib.import_module(f"logicbone.analysis.{module}")
    real, seen = getattr(engine, function), []

    def spy(*args, **kwargs):
        seen.append(kwargs.get("settings"))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, function, spy)
    settings = lb.EngineSettings(max_walks=7)
    net = lb.parse_bnet("A, B\nB, A\nC, !C & A")
    assert lb.attractors(net, update, settings=settings).attractors
    assert seen == [settings]


@pytest.mark.parametrize("method, update", [("symbolic", "async"), ("mp", "mp"), ("sat", "sync")])
def test_every_scalable_method_reports_the_end_of_its_search_as_an_outcome(method, update):
    net = lb.parse_bnet("\n".join(f"I{i}, I{i}" for i in range(6)) + "\nA, I0 & !A | I1")
    cut = lb.attractors(net, update, method, limit=3)
    assert not cut.complete and cut.outcome.reason is lb.StopReason.LIMIT
    assert cut.reason is lb.StopReason.LIMIT and len(cut.attractors) == 3
    interrupted = lb.Budget()
    interrupted.interrupt()
    stopped = lb.attractors(net, update, method, budget=interrupted)
    # a search that ends before its first poll is complete; otherwise it says why not
    assert stopped.reason is (None if stopped.complete else lb.StopReason.INTERRUPTED)
    assert stopped.outcome == lb.Outcome(stopped.complete, stopped.reason, None,
                                         stopped.seconds)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("inputs", [1, 2])
def test_spaces_percolating_to_the_same_sub_network_reuse_one_search(seed, inputs):
    # inputs feed a node outside a random core: every input valuation percolates to the
    # same core, searched once (each space gets its own AsyncSTG with small_space=0)
    from logicbone.analysis.settings import EngineSettings
    core = random_bnet(seed, 5).strip().splitlines()
    ins = [f"I{k}" for k in range(inputs)]
    text = "\n".join(core + [f"{i}, {i}" for i in ins]
                     + ["Z, " + " & ".join(ins + [core[0].split(",")[0].strip()])])
    net = lb.parse_bnet(text)
    res = async_attractors_symbolic(net, settings=EngineSettings(small_space=0))
    assert res.complete
    assert summary(res) == reference_attractors(net)
    assert [a.subspace for a in res.attractors] == sorted(
        subspace_of(s, len(net.names)) for s in reference_attractors(net))


@pytest.mark.parametrize("few", [64, 0], ids=["every value", "shown values"])
@pytest.mark.parametrize("seed", range(30))
def test_candidates_listed_outside_trap_spaces_are_those_outside_of_all(monkeypatch, seed,
                                                                        few):
    # the solver told to skip the minimal trap spaces (and other subspaces: candidate
    # states, states that are none, wider spaces) lists exactly the candidate states that
    # the full listing has outside them, and gives up above ``most``; the states to skip
    # pinned by every value or by the shown values alone
    import random

    from logicbone.analysis._async_pipeline import (FixedPointOracle, candidate_list,
                                                    min_trap_spaces)
    from logicbone.analysis.symbolic import AsyncSTG
    from logicbone.budget import Budget
    monkeypatch.setattr(FixedPointOracle, "_FEW_STATES", few)
    net = lb.parse_bnet(random_bnet(7000 + seed, 10))
    stg = AsyncSTG(net)
    spaces, _ = min_trap_spaces(net, Budget())
    every = candidate_list(stg, Budget())
    assert every is not None
    n = len(net.names)
    rng = random.Random(seed)
    some = rng.sample(every, len(every) // 3) + [rng.getrandbits(n) for _ in range(3)]
    spaces = spaces + ["".join(str(s >> i & 1) for i in range(n)) for s in some] + [
        "".join(rng.choice("01**") for _ in range(n))]
    inside = {s for s in every if any(all(c == "*" or int(c) == s >> i & 1
                                          for i, c in enumerate(space)) for space in spaces)}
    assert all(len(space) == n for space in spaces)
    outside = sorted(set(every) - inside)
    assert sorted(candidate_list(stg, Budget(), avoid=spaces)) == outside
    assert sorted(candidate_list(stg, Budget(), avoid=spaces, most=len(outside))) == outside
    if outside:
        assert candidate_list(stg, Budget(), avoid=spaces, most=len(outside) - 1) is None


class _StopsAt:
    """A budget whose check stops the work at its ``k``-th call."""

    def __init__(self, k: int):
        self.k = k

    def check(self) -> None:
        self.k -= 1
        if self.k == 0:
            raise lb.BudgetExceeded(lb.StopReason.TIMEOUT)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("upward", [False, True])
def test_a_candidate_build_stopped_and_resumed_is_the_whole_build(seed, upward):
    from logicbone.analysis.symbolic import AsyncSTG
    net = lb.parse_bnet(random_bnet(7700 + seed, 12))
    stg = AsyncSTG(net, percolate=False)
    stg.retained()
    whole = stg.candidate_states(upward=upward)
    for k in (1, 3, 2, 4, 5, 6):    # stopped after k more nodes each time (fewer than all)
        stg.budget = _StopsAt(k)
        try:
            got = stg.candidate_states(upward=upward, resume=True)
            break
        except lb.BudgetExceeded:
            pass
    else:
        raise AssertionError("the build never ended: each try started over")
    assert got == whole
    # a build not asked to resume starts over
    stg.budget = _StopsAt(2)
    with pytest.raises(lb.BudgetExceeded):
        stg.candidate_states(upward=upward, resume=True)
    stg.budget = lb.Budget()
    assert stg.candidate_states(upward=not upward, resume=True) == whole
    assert stg.candidate_states(upward=upward) == whole


@pytest.mark.parametrize("seed", range(30))
def test_extra_candidates_are_the_candidates_that_are_not_fixed_points(seed):
    # listed once each by one solver call (however many changed rules a state disagrees
    # with), the same set as the candidate BDD has outside the fixed points
    import numpy as np

    from logicbone.analysis._async_pipeline import extra_candidates, state_rows
    from logicbone.analysis.symbolic import AsyncSTG
    from logicbone.budget import Budget
    net = lb.parse_bnet(random_bnet(7500 + seed, 12))
    stg = AsyncSTG(net)
    listed = extra_candidates(stg, Budget())
    bdd = stg.candidate_states() & stg.moving()
    expected = state_rows(stg, bdd)
    assert listed.shape == (stg.count(bdd), len(stg.free))
    assert len(np.unique(listed, axis=0)) == len(listed)
    assert sorted(map(bytes, np.packbits(listed, axis=1))) == sorted(
        map(bytes, np.packbits(expected, axis=1)))


@pytest.mark.parametrize("seed", range(12))
def test_either_variable_order_finds_the_same_attractors(seed):
    # a large trap space is searched under whichever variable order finishes first: the
    # attractors found (states and trap spaces) do not depend on which did. A negative
    # ring read by the random part makes complex attractors.
    from logicbone.analysis.settings import EngineSettings
    text = random_bnet(9000 + seed, 14, k=2)
    first = text.split(",", 1)[0].strip()
    text += f"\nr1, !r3\nr2, r1\nr3, r2\ny1, r1 & !{first}\ny2, y1 | r3\n"
    net = lb.parse_bnet(text)
    runs = [async_attractors_symbolic(net, settings=EngineSettings(race_seconds=t,
                                                                   small_space=2))
            for t in (0.0, 60.0)]     # never tried / always finished under the other order
    assert all(r.complete for r in runs)
    keys = [sorted((a.subspace, a.size, a.extra["trap_space"]) for a in r.attractors)
            for r in runs]
    assert keys[0] == keys[1]
    assert any(a.size > 4 for a in runs[0].attractors)


def _ring_network(seed: int, n: int = 8) -> lb.Network:
    """A random part read by a negative ring: complex attractors in large trap spaces."""
    text = random_bnet(9500 + seed, n, k=2)
    first = text.split(",", 1)[0].strip()
    text += f"\nr1, !r3\nr2, r1\nr3, r2\ny1, r1 & !{first}\ny2, y1 | r3\n"
    return lb.parse_bnet(text)


@pytest.mark.parametrize("seed", range(20))
def test_candidates_narrowed_by_walks_still_meet_every_attractor(seed):
    # a candidate whose walk reaches another lies in that one's attractor, if in any: the
    # rows left meet every attractor of the space; one left, whose walk moved every free
    # node, is the only attractor and its hull is the space
    from logicbone.analysis._async_pipeline import min_trap_spaces, narrowed
    from logicbone.analysis.symbolic import AsyncSTG
    from logicbone.budget import Budget
    net = _ring_network(seed)
    names = net.names
    atts = reference_attractors(net)
    spaces, _ = min_trap_spaces(net, Budget())
    for space in (s for s in spaces if "*" in s):
        fixed = {v: c == "1" for v, c in zip(names, space) if c != "*"}
        where = AsyncSTG(net, fixed)
        rows, sole = narrowed(where, None, Budget())
        base = sum(1 << i for i, v in enumerate(names) if fixed.get(v))
        col = {v: j for j, v in enumerate(where.free)}
        kept = {base | sum(1 << i for i, v in enumerate(names) if v in col and row[col[v]])
                for row in rows}
        inside = [a for a in atts if all(c == "*" or int(c) == a[0] >> i & 1
                                         for i, c in enumerate(space))]
        assert inside and all(kept & set(a) for a in inside)
        if sole is not None:
            assert len(inside) == 1 and subspace_of(inside[0], len(names)) == space


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("plain", [True, False])
@pytest.mark.parametrize("hull", [True, False])
def test_coupled_walks_keep_a_state_of_every_attractor(seed, plain, hull):
    # walks from every state at once (shared randomness: walks that meet merge): the rows
    # kept still meet every attractor; each kept row is a start or a state a start reaches
    import numpy as np

    from logicbone.analysis._async_pipeline import narrowed
    from logicbone.analysis.settings import EngineSettings
    from logicbone.analysis.symbolic import AsyncSTG
    from logicbone.budget import Budget
    net = lb.parse_bnet(random_bnet(7700 + seed, 7))
    names = net.names
    atts = reference_attractors(net)
    stg = AsyncSTG(net)
    free = list(stg.free)
    every = np.array([[bool(s >> i & 1) for i in range(len(free))]
                      for s in range(1 << len(free))], dtype=bool)
    settings = EngineSettings(plain_walks=1 << len(free) if plain else 0)
    rows, sole = narrowed(stg, every, Budget(), settings, hull=hull)
    col = {v: j for j, v in enumerate(free)}
    fixed = sum(1 << i for i, v in enumerate(names) if stg.fixed.get(v))
    kept = {fixed | sum(1 << i for i, v in enumerate(names) if v in col and row[col[v]])
            for row in rows}
    assert all(kept & set(a) for a in atts)
    assert len(rows) >= 1
    if sole is not None:
        assert len(atts) == 1 and len(rows) == 1


@pytest.mark.parametrize("seed", range(12))
def test_without_sizes_the_same_attractors(seed):
    # sizes=False: the same attractors and hulls, each size exact or unknown
    net = _ring_network(seed, n=10)
    ref = reference_attractors(net)
    n = len(net.names)
    for settings in (lb.EngineSettings(), lb.EngineSettings(small_space=0)):
        res = async_attractors_symbolic(net, sizes=False, settings=settings)
        assert res.complete and len(res.attractors) == len(ref)
        got = sorted((a.subspace, a.size) for a in res.attractors)
        want = sorted((subspace_of(a, n), len(a)) for a in ref)
        assert [s for s, _ in got] == [s for s, _ in want]
        assert all(size in (None, w) for (_, size), (_, w) in zip(got, want))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("measure", [1e-9, 60.0])
@pytest.mark.parametrize("listed", [4096, 2])
def test_attractors_proven_by_candidates_agree_with_enumeration(seed, measure, listed):
    # with the search of each large space cut short at once, the walks decide where they
    # can: the same attractors and trap spaces, sizes where computed (the forward set of
    # the candidate left, when given the time), counts equal. With at most 2 candidates
    # walked, more are swept down first (all at once, on the BDD)
    from logicbone.analysis.settings import EngineSettings
    net = _ring_network(seed)
    settings = EngineSettings(race_seconds=0.0, small_space=0, reduce_seconds=1e-9,
                              measure_seconds=measure, max_reduced=listed,
                              plain_walks=min(listed, 8), sweep_target=0)
    res = async_attractors_symbolic(net, settings=settings)
    ref = reference_attractors(net)
    n = len(net.names)
    assert res.complete and len(res.attractors) == len(ref)
    want = sorted((subspace_of(a, n), len(a)) for a in ref)
    got = sorted((a.subspace, a.size) for a in res.attractors)
    assert [s for s, _ in got] == [s for s, _ in want]
    assert all(size is None or size == w for (_, size), (_, w) in zip(got, want))
    unknown = sum(size is None for _, size in got)
    assert (unknown > 0) == any("not computed" in note for note in res.notes)
    if measure > 1:
        assert unknown == 0
    assert lb.count_attractors(net, method="symbolic", settings=settings) == len(ref)


@pytest.mark.parametrize("measure", [1e-9, 60.0])
def test_candidates_too_many_to_walk_are_swept_down_first(caplog, measure):
    # a negative ring drives a toggle switch: with the ring frozen at its retained value
    # the switch is bistable (two candidate states), one attractor holds both. With at most
    # one candidate walked, the two are swept down to one on the BDD, then proven alone
    import logging
    from logicbone.analysis.settings import EngineSettings
    net = lb.parse_bnet("r1, !r3\nr2, r1\nr3, r2\nc, r1 & r2\na, !b | c\nb, !a | c\n"
                        "d, a & !r3\n")
    settings = EngineSettings(race_seconds=0.0, small_space=0, reduce_seconds=1e-9,
                              measure_seconds=measure, max_reduced=1, plain_walks=1,
                              fewer_seconds=0.0, sweep_target=0)
    with caplog.at_level(logging.DEBUG, logger="logicbone"):
        res = async_attractors_symbolic(net, settings=settings)
    assert "2 candidate states swept down to 1" in caplog.text
    ref = reference_attractors(net)
    assert res.complete and len(res.attractors) == len(ref) == 1
    assert res.attractors[0].subspace == subspace_of(ref[0], len(net.names))
    assert res.attractors[0].size == (len(ref[0]) if measure > 1 else None)


@pytest.mark.parametrize("seed", range(15))
def test_a_count_equal_to_the_attractors_found_ends_the_search(seed):
    # above max_avoided minimal trap spaces, the attractors are counted once those in the
    # trap spaces are found: equal counts end the search, unequal ones search outside
    net = lb.parse_bnet(random_bnet(3000 + seed, 9))
    said: list[str] = []
    res = async_attractors_symbolic(net, settings=lb.EngineSettings(max_avoided=0),
                                    progress=said.append)
    assert res.complete and summary(res) == reference_attractors(net)
    inside = sum(1 for a in res.attractors if a.extra["trap_space"] in
                 set(lb.trap_spaces(net, "min").spaces))
    assert any("equals those found" in m for m in said) == (inside == len(res.attractors))


@pytest.mark.parametrize("seed", range(8))
def test_a_count_and_a_listing_beside_the_search_change_no_answer(seed):
    # with two jobs the count, and the listing of the candidate states, run in copies of
    # the process beside the search, and whichever ends first decides
    net = lb.parse_bnet(random_bnet(3000 + seed, 9))
    res = async_attractors_symbolic(net, settings=lb.EngineSettings(max_avoided=0, jobs=2,
                                                                    direct_candidates=0))
    assert res.complete and summary(res) == reference_attractors(net)


@pytest.mark.parametrize("seed", range(4))
def test_a_search_beside_the_records_that_fails_is_made_here(monkeypatch, seed):
    # the copy that searches outside the trap spaces dies: this process searches itself
    import os

    from logicbone.analysis import async_attractors as module
    if not lb.parallel.can_fork():
        pytest.skip("no os.fork here")
    parent = os.getpid()
    real = module._none_outside_core

    here = []

    def dies_in_the_copy(*args, **kw):
        if os.getpid() != parent:
            os._exit(3)
        here.append(True)
        return real(*args, **kw)

    monkeypatch.setattr(module, "_none_outside_core", dies_in_the_copy)
    net = lb.parse_bnet(random_bnet(3100 + seed, 9))
    res = async_attractors_symbolic(net, settings=lb.EngineSettings(jobs=2))
    assert res.complete and summary(res) == reference_attractors(net)
    assert here == [True]       # searched here, once, after the copy died


def test_a_count_beside_a_search_that_does_not_end_ends_it(monkeypatch):
    # the search outside the trap spaces never ends here; the count beside it, equal to
    # the attractors found, ends it
    import time

    from logicbone.analysis import async_attractors as module
    if not lb.parallel.can_fork():
        pytest.skip("no os.fork here")

    def endless(stg, kept, within, settings, say):
        while True:
            within.check()
            time.sleep(0.01)

    monkeypatch.setattr(module, "_none_outside_core", endless)
    net = lb.parse_bnet("A, A\nB, B\nC, !C & A | B")
    said: list[str] = []
    res = async_attractors_symbolic(net, settings=lb.EngineSettings(max_avoided=0, jobs=2),
                                    timeout=60, progress=said.append)
    assert res.complete and summary(res) == reference_attractors(net)
    assert any("equals those found" in m for m in said)


def test_spaces_that_percolate_alike_share_one_search():
    # a negative ring of 13 (one complex attractor, larger than a small space) read through
    # x3 = x2 & (A1 | A2), beside two switches: A1=1,A2=0 and A1=0,A2=1 leave the same
    # rules (one search, reused by rules), A1=A2=0 stops the ring (another), and the
    # switch values alone differ between spaces with the same key (reused by key)
    ring = "".join(f"x{i}, {'!' if i == 0 else ''}x{i - 1 if i else 12}"
                   f"{' & (A1 | A2)' if i == 3 else ''}\n" for i in range(13))
    net = lb.parse_bnet(ring + "A1, B1\nB1, A1\nA2, B2\nB2, A2\n")
    shared = async_attractors_symbolic(net, max_states=0)
    alone = async_attractors_symbolic(net, max_states=0, limit=10 ** 6)   # no sharing
    explicit = lb.attractors(net, "async", method="explicit", max_states=0)
    assert shared.complete and len(shared.attractors) == 4
    key = lambda res: sorted((a.subspace, a.size) for a in res.attractors)  # noqa: E731
    assert key(shared) == key(alone) == key(explicit)


#: the only minimal trap space is the fixed point 111; {000, 100, 010} is an attractor too


def _ints(stg, u) -> set[int]:
    """The states of a BDD of ``stg`` (every node a variable) as ints in bit order."""
    names = stg.net.names
    return {sum(1 << i for i, v in enumerate(names) if a[v])
            for a in stg.mgr.pick_iter(u, care_vars=set(names))}


def _sequential(net, state: int, order) -> int:
    """Where one state stands after each node of ``order`` in turn takes its rule's value."""
    names = list(net.names)
    values = {v: bool((state >> i) & 1) for i, v in enumerate(names)}
    for v in order:
        values[v] = bool(lb.expr.evaluate(net.rules[v], values))
    return sum(1 << i for i, v in enumerate(names) if values[v])


@pytest.mark.parametrize("seed", range(12))
def test_a_sweep_moves_each_state_as_the_rules_say(seed):
    import random

    from logicbone.analysis.symbolic import AsyncSTG
    net = lb.parse_bnet(random_bnet(3000 + seed, 7))
    stg = AsyncSTG(net, percolate=False)
    rng = random.Random(seed)
    order = list(net.names)
    rng.shuffle(order)
    states = rng.sample(range(1 << 7), 40)
    u = stg.mgr.false
    for s in states:
        u |= stg.mgr.cube({v: bool((s >> i) & 1) for i, v in enumerate(net.names)})
    got = stg.swept(u, [v for v in order if v in stg.flip])
    image = {_sequential(net, s, order) for s in states}
    assert _ints(stg, got) == image
    assert stg.count(got) <= len(states)


@pytest.mark.parametrize("seed", range(20))
def test_swept_candidates_meet_every_attractor_outside_the_minimal_trap_spaces(seed):
    from logicbone.analysis._async_pipeline import swept_candidates, union
    from logicbone.analysis.symbolic import AsyncSTG
    text = random_bnet(4000 + seed, 8) if seed else MOTIF_AVOIDANT
    net = lb.parse_bnet(text)
    stg = AsyncSTG(net, percolate=False)
    spaces = list(lb.trap_spaces(net, "min"))
    known = union(stg.mgr, [stg.space(s) for s in spaces])
    # sweep until none drops, whatever the number left
    settings = lb.EngineSettings(sweep_target=0, stagnant_sweeps=3)
    swept = swept_candidates(stg, known, settings)
    assert swept is not None
    where, left, known_there = swept
    assert left & known_there == where.mgr.false
    states = _ints(where, left)
    # an attractor meeting a trap space lies in it: its first state tells
    outside = [a for a in reference_attractors(net)
               if not any(all(c == "*" or int(c) == (a[0] >> i) & 1 for i, c in enumerate(sp))
                          for sp in spaces)]
    assert all(states & set(a) for a in outside)
    if seed == 0:
        assert outside          # the case holds what the test is about


@pytest.mark.parametrize("seed", range(10))
def test_candidates_built_again_from_other_orders_are_the_same_states(seed, caplog):
    # no time for any order at first: the orders in turn, each in a manager of its own,
    # the time doubled every two tries, each try taken up where its order stopped
    import logging

    from logicbone.analysis._async_pipeline import swept_candidates, union
    from logicbone.analysis.symbolic import AsyncSTG
    net = lb.parse_bnet(random_bnet(6000 + seed, 9))
    stg = AsyncSTG(net, percolate=False)
    known = union(stg.mgr, [stg.space(s) for s in lb.trap_spaces(net, "min")])
    settings = lb.EngineSettings(candidate_seconds=1e-7, sweep_target=1 << 20)
    with caplog.at_level(logging.DEBUG, logger="logicbone.analysis._async_pipeline"):
        swept = swept_candidates(stg, known, settings)
    plain = AsyncSTG(net, percolate=False)
    want = plain.candidate_states(avoid=union(plain.mgr, [plain.space(s) for s in
                                                          lb.trap_spaces(net, "min")]))
    assert swept is not None and _ints(swept[0], swept[1]) == _ints(plain, want)
    tries = [r.getMessage() for r in caplog.records if "not built" in r.getMessage()]
    assert any("downstream" in m for m in tries) and any("upstream" in m for m in tries)


@pytest.mark.parametrize("seed", range(12))
def test_spaces_with_the_same_rules_key_percolate_alike(seed):
    # the key from the rules with the fixed values put in, no graph built, never joins
    # spaces whose percolated sub-networks differ
    from logicbone.analysis._async_pipeline import SubNetworks
    from logicbone.analysis.symbolic import AsyncSTG
    core = random_bnet(7000 + seed, 6).strip().splitlines()
    text = "\n".join(core + ["I1, I1", "I2, I2", "I3, I3",
                             "Z, (I1 | I2) & " + core[0].split(",")[0].strip(),
                             "Y, !I3 & Z | I1", "R0, !R2 & !Y | Z & !I2", "R1, R0",
                             "R2, R1 | I3 & Z"])
    net = lb.parse_bnet(text)
    subs = SubNetworks(net)
    spaces = [s for s in lb.trap_spaces(net, "min") if "*" in s]
    assert spaces           # the ring oscillates under some inputs
    groups: dict = {}
    for space in spaces:
        groups.setdefault(subs.rules(space), []).append(space)
    for members in groups.values():
        seen = set()
        for space in members:
            stg = AsyncSTG(net, {v: c == "1" for v, c in zip(net.names, space) if c != "*"})
            seen.add((stg.free, tuple(str(stg.rules[n]) for n in stg.free)))
        assert len(seen) == 1
    assert len(groups) <= len({subs.key(s) for s in spaces})


@pytest.mark.parametrize("seed", range(16))
def test_listing_by_swept_candidates_agrees_with_explicit_enumeration(seed):
    # candidates not listed (no time for it): their BDD swept, then walked
    net = lb.parse_bnet(random_bnet(5000 + seed, 8) if seed else MOTIF_AVOIDANT)
    settings = lb.EngineSettings(listing_share=1e-12, sweep_target=0, stagnant_sweeps=2,
                                 direct_candidates=0)
    res = async_attractors_symbolic(net, timeout=600, settings=settings)
    assert res.complete
    assert summary(res) == reference_attractors(net)


def test_more_minimal_trap_spaces_than_listed_at_once():
    """Where the minimal trap spaces are cut at the most listed at once, the attractors
    of those listed come back marked partial (no search outside them as if they were all);
    without a time limit the request is refused."""
    net = lb.parse_bnet("\n".join(f"A{i}, !B{i}\nB{i}, !A{i}" for i in range(8)))
    few = lb.EngineSettings(max_listed_product=100)
    res = async_attractors_symbolic(net, timeout=60, settings=few)
    assert len(res.attractors) == 100 and not res.complete and res.reason == "limit"
    assert all(a.type == "fixed_point" for a in res.attractors)
    assert any("most listed at once" in note for note in res.notes)
    with pytest.raises(lb.LogicboneError, match="256 minimal trap spaces, above the limit"):
        async_attractors_symbolic(net, settings=few)
    whole = async_attractors_symbolic(net, timeout=60)
    assert whole.complete and len(whole.attractors) == 256


@pytest.mark.parametrize("seed", range(12))
def test_the_search_outside_the_trap_spaces_on_the_nodes_upstream_of_a_cycle(seed):
    # outputs (and a cascade of them) read the rest: the search outside the minimal trap
    # spaces runs on the rest alone, and an attractor found outside there (seed 0: a
    # motif-avoidant one) sends the search back to the whole network
    core = MOTIF_AVOIDANT if seed == 0 else random_bnet(7000 + seed, 7)
    first = core.splitlines()[0].split(",")[0].strip()
    net = lb.parse_bnet(core + f"\nOUT1, !{first}\nOUT2, OUT1 | {first}\nOUT3, OUT2 & !OUT1")
    said: list[str] = []
    res = async_attractors_symbolic(net, progress=said.append, max_states=1 << 10)
    assert res.complete and summary(res) == reference_attractors(net)
    outside = len(res.attractors) - len(lb.trap_spaces(net, "min").spaces)
    proven = any("nodes upstream of a cycle" in m for m in said)
    if proven:
        assert outside == 0
    assert (outside == 1) == (seed == 0)


def test_outputs_of_an_oscillation_are_left_out_of_the_search_outside():
    net = lb.parse_bnet("A, !B\nB, A\nC, B | C & A\nOUT1, !A\nOUT2, OUT1 | A\nOUT3, OUT2 & !OUT1")
    said: list[str] = []
    res = async_attractors_symbolic(net, progress=said.append, max_states=1 << 10)
    assert res.complete and summary(res) == reference_attractors(net)
    assert any("nodes upstream of a cycle" in m for m in said)


@pytest.mark.parametrize("switches", [1, 3])
@pytest.mark.parametrize("sizes", [True, False])
def test_spaces_that_share_a_search_carry_their_own_values(switches, sizes):
    # a negative ring oscillates beside independent toggle switches, one of which the ring
    # reads: the minimal trap spaces differ in the switches' values, the spaces that agree
    # on the one read share one search, and each attractor has its own space's values in
    # its hull and states
    text = "r1, !r3 | s0a & !r2\nr2, r1\nr3, r2\n" + "".join(
        f"s{i}a, !s{i}b\ns{i}b, !s{i}a\n" for i in range(switches))
    net = lb.parse_bnet(text)
    res = async_attractors_symbolic(net, max_states=1 << len(net.names), sizes=sizes)
    ref = reference_attractors(net)
    n = len(net.names)
    assert res.complete
    assert sorted(a.subspace for a in res.attractors) == sorted(subspace_of(a, n) for a in ref)
    if sizes:
        assert summary(res) == ref


@pytest.mark.parametrize("why", ["timeout", "interrupted"])
def test_minimal_trap_spaces_cut_by_time_still_give_their_attractors(monkeypatch, why):
    """When the time runs out listing the minimal trap spaces, the attractors of those
    found are searched and returned, marked partial; an interrupt gives none."""
    from logicbone.analysis import trap_spaces as ts
    from logicbone.budget import StopReason
    net = lb.parse_bnet("A, A & B\nB, B | A\nI, I\nX, !Y & I\nY, X")
    full = ts.trap_spaces(net, "min")
    assert full.complete and len(full.spaces) >= 3

    def cut(*args, **kwargs):
        return dataclasses.replace(full, spaces=full.spaces[:2], complete=False,
                                   reason=StopReason(why))
    monkeypatch.setattr(ts, "trap_spaces", cut)
    res = async_attractors_symbolic(net)
    assert not res.complete
    assert res.reason is StopReason(why)
    got = sorted(a.extra["trap_space"] for a in res.attractors)
    if why == "timeout":
        assert got == sorted(full.spaces[:2])
        assert any("listing the minimal trap spaces" in n for n in res.notes)
    else:
        assert got == []


@pytest.mark.parametrize("seed", range(4))
def test_distinct_characters_in_bulk_as_one_by_one(seed):
    """Many subspaces are projected through one array, a few string by string: the same
    distinct strings, those that contradict the agreed values left out."""
    import random
    from logicbone.analysis._async_pipeline import distinct_at
    rng = random.Random(seed)
    n = rng.randint(6, 40)
    spaces = ["".join(rng.choice("01**") for _ in range(n)) for _ in range(80_000 // n + 2)]
    positions = rng.sample(range(n), rng.randint(1, n - 2))
    rest = [i for i in range(n) if i not in positions]
    agree = [(i, rng.choice("01")) for i in rng.sample(rest, min(2, len(rest)))]
    want = {"".join(s[i] for i in positions) for s in spaces
            if all(s[i] in (c, "*") for i, c in agree)}
    assert distinct_at(spaces, positions, agree) == want
    assert distinct_at(spaces[:50], positions, agree) == {
        "".join(s[i] for i in positions) for s in spaces[:50]
        if all(s[i] in (c, "*") for i, c in agree)}
    assert distinct_at(spaces, positions) == {"".join(s[i] for i in positions) for s in spaces}
