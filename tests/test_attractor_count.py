"""Counting attractors without listing them (analysis/attractor_count.py): cross-checks against
the explicit search on random networks, biobalm's counts on the corpus, the command line."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.parallel import can_fork
from logicbone_cli.main import cli

from _helpers import (BENCH, MOTIF_AVOIDANT, corpus_params, expected, random_bnet,
                      random_formula_bnet)


#: the symbolic count under settings that force each of its routes on small networks
NO_SUMS = {"max_groups": 0, "max_downstream": 0, "max_downstream_late": 0}
ROUTES = {
    "default": {},
    "split on inputs": {"max_seeds": -1, "swept_seconds": 0, **NO_SUMS},
    "swept to fixed points": {"max_seeds": -1, **NO_SUMS},
    "swept, the states left searched": {"max_seeds": -1, "sweep_target": 10 ** 9, **NO_SUMS},
    "upstream sums over many values": {"max_seeds": -1, "max_groups": 0},
    "upstream sums over many values, some given up": {"max_seeds": -1, "max_groups": 0,
                                                       "max_downstream": 1,
                                                       "max_downstream_late": 0},
    "upstream sums over many values, given up, then over more": {
        "max_seeds": -1, "max_groups": 0, "max_downstream": 1, "max_downstream_late": 10 ** 6,
        "swept_seconds": 0},
    "seeded only without moving candidates": {"max_seeds": 0},
    "upstream sums": {"max_seeds": -1},
    "upstream, then whole": {"max_seeds": -1, "many_downstream": 0, "direct_after": 0.0},
    "upstream, a network too long": {"max_seeds": -1, "many_downstream": 0,
                                     "direct_after": 1e-6},
    "upstream, whole given up": {"max_seeds": -1, "many_downstream": 0, "direct_after": 0.0,
                                 "direct_seconds": 1e-9},
    "upstream, whole not listed": {"max_seeds": -1, "many_downstream": 0, "direct_after": 0.0,
                                   "max_walks": 0, "max_candidates_listed": 0,
                                   "direct_candidates": 0},
    "direct": {"split_above": 10 ** 9},
    "direct, candidates by the solver": {"split_above": 10 ** 9, "max_seed_nodes": 0},
    "direct, few listed": {"split_above": 3, "max_searched": 0, "small_space": 0},
    "no lists": {"split_above": 10 ** 9, "max_listed": 0, "max_min_spaces": 0,
                 "small_space": 0},
    "no lists, swept": {"split_above": 10 ** 9, "max_listed": 0, "max_min_spaces": 0,
                        "small_space": 0, "max_avoided": 0, "max_seeds": -1, "sweep_target": 0,
                        "stagnant_sweeps": 2},
    "no lists, backward": {"split_above": 10 ** 9, "max_listed": 0, "max_min_spaces": 0,
                           "small_space": 0, "max_avoided": 0, "max_seeds": -1,
                           "sweep_nodes": 0},
    "seeds off the fixed points backward": {"seed_forward_seconds": 0},
    "seeds forward cut short, then backward": {"seed_forward_seconds": 1e-9},
    "seeds walked again at once": {"seed_forward_seconds": 1e-9, "seed_patience": 1},
    "narrowed by walks": {"split_above": 10 ** 9, "small_space": 0, "race_seconds": 0.0,
                          "reduce_seconds": 1e-9},
}


def _network(kind: str, seed: int):
    text = random_bnet(11, seed) if kind == "table" else random_formula_bnet(seed, 11)
    return lb.parse_bnet(text)


CASES = [(kind, seed) for kind in ("table", "formula") for seed in range(12)]


def _route(name: str) -> lb.EngineSettings:
    # explicit_part=0: no part is small enough to enumerate
    return lb.EngineSettings(explicit_part=0, **ROUTES[name])


@pytest.fixture(params=sorted(ROUTES))
def route(request):
    return _route(request.param)


@pytest.mark.parametrize("kind, seed", CASES)
def test_symbolic_count_equals_the_explicit_search(kind, seed, route):
    net = _network(kind, seed)
    expected = len(lb.attractors(net, update="async", method="explicit").attractors)
    assert lb.count_attractors(net, "async", method="symbolic", settings=route) == expected


def test_the_random_cases_have_inputs_and_complex_attractors():
    # the cross-check above means something only if the cases hold what it is about
    with_inputs = with_complex = both = 0
    for kind, seed in CASES:
        net = _network(kind, seed)
        res = lb.attractors(net, update="async", method="explicit")
        cx = any(a.type != "fixed_point" for a in res.attractors)
        with_inputs += bool(net.inputs)
        with_complex += cx
        both += bool(net.inputs) and cx
    assert with_inputs >= 5 and with_complex >= 5 and both >= 3


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_attractors_outside_the_minimal_trap_spaces_are_counted(name):
    # {000, 100, 010} lies in no minimal trap space; gated by an input it exists only when
    # the input is ON, and a second copy multiplies
    route = _route(name)
    gated = ("I, I\nA, I & (!A & !B | C) | !I & A\nB, I & (!A & !B | C) | !I & B\n"
             "C, A & B\nD, D & C")
    net = lb.parse_bnet(gated)
    expected = len(lb.attractors(net, "async", method="explicit").attractors)
    assert lb.count_attractors(net, method="symbolic", settings=route) == expected
    plain = lb.parse_bnet(MOTIF_AVOIDANT)
    assert lb.count_attractors(plain, method="symbolic", settings=route) == 2
    two = lb.parse_bnet(MOTIF_AVOIDANT + "\n" + MOTIF_AVOIDANT.replace("A", "X")
                        .replace("B", "Y").replace("C", "Z"))
    assert lb.count_attractors(two, method="symbolic", settings=route) == 4


def _cascade(seed: int) -> str:
    """bnet text: a random network with inputs above a random network that may oscillate,
    and an acyclic tail of outputs below both."""
    import random
    rng = random.Random(seed)
    top = random_bnet(6, seed, p_input=0.4).replace("x", "u")
    low = random_bnet(6, seed + 100, p_input=0.0).replace("x", "d")
    lines = low.splitlines()
    for i in range(2):        # the lower network reads the upper one
        k = rng.randrange(len(lines))
        target, rule = lines[k].split(", ", 1)
        op = rng.choice(["&", "|"])
        lines[k] = f"{target}, ({rule}) {op} {'!' if rng.random() < 0.5 else ''}u{rng.randrange(6)}"
    outs = [f"o0, d{rng.randrange(6)} & !u{rng.randrange(6)}", "o1, o0 | d1", "o2, !o1 & u0"]
    return "\n".join([top, *lines, *outs])


@pytest.mark.parametrize("seed", range(16))
def test_cascades_with_inputs_and_outputs_count_as_the_explicit_search(seed, route):
    net = lb.parse_bnet(_cascade(seed))
    expected = len(lb.attractors(net, update="async", method="explicit").attractors)
    assert lb.count_attractors(net, "async", method="symbolic", settings=route) == expected


def test_the_cascades_have_complex_attractors_and_several_inputs():
    nets = [lb.parse_bnet(_cascade(seed)) for seed in range(16)]
    complex_ = sum(any(a.type != "fixed_point" for a in
                       lb.attractors(net, update="async", method="explicit").attractors)
                   for net in nets)
    assert complex_ >= 4 and sum(len(net.inputs) >= 2 for net in nets) >= 4


#: inputs above modules that fall apart once A and B are fixed. B, read most, is expanded
#: first; A off then leaves the same rest whatever B (merged: four values, three rests,
#: six on the way rather than seven), which holds three bistable pairs, counted apart and multiplied. X and W
#: oscillate under A, else M and N are bistable; U and V oscillate under A and B, else P
#: and Q, R and S are bistable.
SPLIT_BELOW = """I1, I1
I2, I2
I3, I3
A, I1 | I2
B, I3
X, A & !W
W, X
M, N | X
N, M
U, !V & A & B
V, U
P, Q | (U & B)
Q, P
R, S | (V & B)
S, R
O, M & P"""


@pytest.mark.parametrize("name", ["default", "upstream sums"])
def test_rests_left_alike_and_parts_below_the_upstream_part_count_as_the_explicit(name):
    net = lb.parse_bnet(SPLIT_BELOW)
    expected = len(lb.attractors(net, "async", method="explicit").attractors)
    # A off (one value of I1, I2; either I3): 2 x 4; A on (three values): 1 x 4 with B
    # off, 1 x 1 with B on
    assert expected == 2 * (2 * 4) + 3 * (4 + 1)
    said: list[str] = []
    assert lb.count_attractors(net, method="symbolic", settings=_route(name),
                               progress=said.append) == expected
    if name == "upstream sums":    # the route this is about
        assert "3 different networks downstream (6 rests on the way)" in said


@pytest.mark.parametrize("late, summed", [(3, True), (2, False)])
def test_a_part_given_up_for_its_networks_is_summed_over_more_before_a_split(late, summed):
    # three networks downstream: more than max_downstream, then at most the later limit
    net = lb.parse_bnet(SPLIT_BELOW)
    settings = lb.EngineSettings(explicit_part=0, max_seeds=-1, max_groups=0,
                                 max_downstream=2, max_downstream_late=late, swept_seconds=0)
    said: list[str] = []
    assert lb.count_attractors(net, method="symbolic", settings=settings,
                               progress=said.append) == 2 * (2 * 4) + 3 * (4 + 1)
    assert ("3 different networks downstream (6 rests on the way)" in said) is summed


def test_outputs_change_no_count():
    # an acyclic tail read by no cycle: each attractor of the rest extends to exactly one
    base = "A, !B\nB, A\nC, C | A\nI, I"
    tail = "\nO1, A & I\nO2, !O1 | C\nO3, O2 & !B"
    for text in (base, base + tail):
        net = lb.parse_bnet(text)
        assert len(lb.attractors(net, "async", method="explicit").attractors) == 2
        assert lb.count_attractors(net, method="symbolic",
                                   settings=lb.EngineSettings(explicit_part=0)) == 2


@pytest.mark.parametrize("kind, seed", CASES)
def test_the_lower_and_upper_bounds_hold(kind, seed):
    from logicbone.analysis.attractor_count import lower_bound, upper_bound
    net = _network(kind, seed)
    expected = len(lb.attractors(net, update="async", method="explicit").attractors)
    assert lower_bound(net, 30.0) <= expected <= upper_bound(net, 30.0)


def test_after_an_interrupt_small_parts_are_still_counted_and_bounds_that_meet_count():
    # interrupted before any work, each part is tried briefly, then bounded
    net = lb.parse_bnet(MOTIF_AVOIDANT + "\nI, I\nJ, J")     # 4 * 2 attractors
    budget = lb.Budget()
    budget.interrupt()
    assert lb.count_attractors(net, method="symbolic", budget=budget,
                               settings=lb.EngineSettings(explicit_part=0)) == 8
    # no time to try: bounded, and the bounds of the inputs (2 values, 2 candidates) meet
    tuned = lb.EngineSettings(explicit_part=0, quick_seconds=1e-9)
    inputs = lb.parse_bnet("I, I\nJ, J\nK, K\nA, I & !J | K")
    assert lb.count_attractors(inputs, method="symbolic", budget=budget, settings=tuned) == 8
    with pytest.raises(lb.AnalysisTimeout) as err:
        lb.count_attractors(net, method="symbolic", budget=budget, settings=tuned)
    assert err.value.at_least == 4 and err.value.at_most == 12
    assert "(A, B, C: 1 to 3) resists" in str(err.value)


def _explicit_count(net) -> int:
    return len(lb.attractors(net, update="async", method="explicit").attractors)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10 ** 6), cascade=st.booleans(), wait=st.floats(0.001, 0.3))
def test_a_count_cut_anywhere_bounds_the_exact_count(seed, cascade, wait):
    # wherever the time limit falls (while parts are counted, expanded or bounded), the
    # answer is the exact count or proven bounds around it
    net = lb.parse_bnet(_cascade(seed) if cascade else random_bnet(11, seed, p_input=0.3))
    exact = _explicit_count(net)
    tuned = lb.EngineSettings(explicit_part=0, count_share=0.5, quick_seconds=0.001)
    try:
        got = lb.count_attractors(net, method="symbolic", timeout=wait, settings=tuned)
    except lb.AnalysisTimeout as err:
        assert err.at_least is not None and err.at_most is not None
        assert 1 <= err.at_least <= exact <= err.at_most
        # each value of the inputs holds an attractor, whatever was left unexamined
        assert err.at_least >= 2 ** len(net.inputs)
        assert err.at_least < err.at_most        # bounds that meet are an exact count
        assert f"at most {err.at_most:,}" in str(err) and "resists" in str(err)
    else:
        assert got == exact


def test_parts_bounded_after_an_interrupt_hold_the_exact_count():
    # an interrupt before any work: every part is bounded (no time for an exact attempt),
    # by its minimal trap spaces and candidate states; the products and sums of the bounds
    # hold the count (a motif-avoidant attractor keeps the bounds apart)
    bounded = 0
    for seed in range(10):
        net = lb.parse_bnet(random_bnet(11, seed, p_input=0.3) + "\nI, I\n" + MOTIF_AVOIDANT)
        exact = _explicit_count(net)
        budget = lb.Budget()
        budget.interrupt()
        tuned = lb.EngineSettings(explicit_part=0, quick_seconds=1e-9)
        try:
            got = lb.count_attractors(net, method="symbolic", budget=budget, settings=tuned)
        except lb.AnalysisTimeout as err:
            assert 2 <= err.at_least <= exact <= err.at_most      # input I: 2 at least
            assert err.at_least >= lb.count_fixed_points(net)      # each an attractor
            assert err.reason is lb.StopReason.INTERRUPTED
            bounded += 1
        else:
            assert got == exact
    assert bounded == 10


@pytest.mark.parametrize("kind, seed", CASES)
def test_the_trivial_bound_holds(kind, seed):
    # 2^k for a feedback vertex set of k nodes bounds the attractors, cycles included
    from logicbone.analysis.attractor_count import feedback_bound
    net = _network(kind, seed)
    assert _explicit_count(net) <= feedback_bound(net)


def test_free_inputs_multiply_without_listing():
    # an oscillator, and 40 inputs each switching a latch on: 3^40 complex attractors
    rules = ["A, !B", "B, A"] + [f"I{i}, I{i}\nT{i}, I{i} | T{i}" for i in range(40)]
    net = lb.parse_bnet("\n".join(rules))
    assert lb.count_attractors(net) == 3 ** 40
    gated = net.with_rules({"T0": lb.parse_expr("I0 & A | T0 & !A")})
    assert lb.count_attractors(gated) == 2 * 3 ** 39


@pytest.mark.parametrize("update", ["sync", "general", "async", "mp"])
def test_small_networks_count_what_the_lists_hold(update):
    net = lb.parse_bnet(random_formula_bnet(7, 9))
    res = lb.attractors(net, update)
    assert lb.count_attractors(net, update) == len(res.attractors)


def test_most_permissive_count_is_the_number_of_minimal_trap_spaces():
    net = lb.parse_bnet("\n".join(f"I{i}, I{i}" for i in range(30)) + "\nA, !A & I0")
    assert lb.count_attractors(net, "mp") == lb.count_trap_spaces(net, "min") == 2 ** 30


def test_synchronous_count_of_a_large_network_is_refused_in_one_line():
    net = lb.parse_bnet("\n".join(f"I{i}, I{i}" for i in range(40)))
    with pytest.raises(lb.StateSpaceTooLarge, match="explicit search") as err:
        lb.count_attractors(net, "sync")
    assert "\n" not in str(err.value) and "async" in str(err.value)


@pytest.mark.corpus_sample
def test_timeout_gives_a_lower_bound():
    path = BENCH / "bbm" / "002_signal-transduction-in-fibroblasts.bnet"
    if not path.exists():
        pytest.skip("benchmark corpus not found")
    net = lb.read_network(path)
    with pytest.raises(lb.AnalysisTimeout) as err:
        lb.count_attractors(net, timeout=2)
    assert 1 <= err.value.at_least
    assert err.value.at_most is None or err.value.at_least <= err.value.at_most


# ---------------------------------------------------------------- corpus

ROWS = expected("async_attractors")


def _with_inputs() -> list[str]:
    out = []
    for rel, row in sorted(ROWS.items()):
        if row.get("solved") and lb.read_network(BENCH / rel).inputs:
            out.append(rel)
    return out


#: free inputs, hundreds to thousands of attractors, quick
FAST = [
    "bbm/163_drosophila-egf-pathway.bnet",
    "bbm/166_drosophila-jak-stat-pathway.bnet",
    "bbm/213_dopamine-transcription.bnet",
    "bbm/257_hoxa9-cancer-switch.bnet",
    "pyboolnet_repo/klamt_tcr.bnet",
]


@pytest.mark.corpus_sample
@pytest.mark.skipif(not ROWS, reason="benchmark corpus not found")
@pytest.mark.parametrize("rel", FAST)
def test_fast_subset_counts_as_biobalm(rel):
    assert ROWS[rel]["solved"]
    net = lb.read_network(BENCH / rel)
    assert net.inputs
    assert lb.count_attractors(net, timeout=60) == ROWS[rel]["count"]


@pytest.mark.corpus
@pytest.mark.skipif(not ROWS, reason="benchmark corpus not found")
@pytest.mark.parametrize("rel", corpus_params(_with_inputs()) if ROWS else [])
def test_every_solved_model_with_inputs_counts_as_biobalm(rel):
    net = lb.read_network(BENCH / rel)
    assert lb.count_attractors(net, timeout=60) == ROWS[rel]["count"]


@pytest.mark.corpus_sample
@pytest.mark.parametrize("rel", ["bbm/112_coagulation-pathway.bnet", "bbm/114_etc.bnet"])
def test_astronomically_many_fixed_points_are_counted_exactly(rel):
    # 10^8 and 10^12 fixed points (27 and 38 free inputs), beyond biobalm; every minimal
    # trap space holds an attractor, and per combination of the inputs the count is what
    # the listing engine finds
    import random
    path = BENCH / rel
    if not path.exists():
        pytest.skip("benchmark corpus not found")
    net = lb.read_network(path)
    total = lb.count_attractors(net, timeout=120)
    fixed = lb.count_fixed_points(net)
    assert fixed > 10 ** 8 and total >= fixed
    try:
        minimal = lb.count_trap_spaces(net, "min", timeout=5)
    except lb.AnalysisTimeout as err:      # a lower bound is enough
        minimal = err.at_least
    assert total >= minimal > 0
    rng = random.Random(rel)
    for _ in range(3):
        sub = net.fix({n: rng.randint(0, 1) for n in net.inputs})
        listed = lb.attractors(sub, "async", timeout=60)
        assert listed.complete
        assert lb.count_attractors(sub) == len(listed.attractors)


# ---------------------------------------------------------------- command line

def test_cli_count_in_json(tmp_path):
    model = tmp_path / "osc.bnet"
    model.write_text("\n".join(["A, !B", "B, A", "I1, I1", "I2, I2", "C, I1 | C"]) + "\n")
    out = CliRunner().invoke(cli, ["attractors", str(model), "--count", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    # the oscillation, times C's two values when I1 is OFF and one when ON, times I2's two
    assert data["count"] == (2 + 1) * 2 == len(
        lb.attractors(lb.read_network(model), "async", method="explicit").attractors)
    assert data["exact"] is True and data["update"] == "asynchronous"
    assert data["nodes"] == ["A", "B", "I1", "I2", "C"]


def test_cli_count_with_perturbation_and_csv(tmp_path):
    model = tmp_path / "osc.bnet"
    model.write_text("A, !B\nB, A\nI1, I1\nC, I1 | C\n")
    out = CliRunner().invoke(cli, ["attractors", str(model), "--count", "--inputs", "I1=0",
                                   "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == ["model,update,count,exact",
                                       f"{model},asynchronous,2,True"]


@pytest.mark.parametrize("extra", [["--basins"], ["--limit", "3"]])
def test_cli_count_excludes_basins_and_limit(tmp_path, extra):
    model = tmp_path / "m.bnet"
    model.write_text("A, !B\nB, A\n")
    out = CliRunner().invoke(cli, ["attractors", str(model), "--count", *extra])
    assert out.exit_code == 2
    assert out.stdout == ""
    assert out.stderr.strip().count("\n") == 0 and extra[0] in out.stderr


@pytest.mark.parametrize("jobs", ["2", "auto"])
def test_cli_count_and_listing_take_jobs_a_synchronous_search_refuses_them(tmp_path, jobs):
    model = tmp_path / "gated.bnet"
    model.write_text(GATED + "\n")
    out = CliRunner().invoke(cli, ["attractors", str(model), "--count", "-j", jobs,
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["count"] == _explicit_count(lb.read_network(model))
    for update in ("async", "mp"):
        alone, shared = (CliRunner().invoke(cli, ["attractors", str(model), "--update", update,
                                                  "--format", "json", *more])
                         for more in ([], ["-j", jobs]))
        assert shared.exit_code == 0, shared.output
        assert json.loads(shared.stdout)["attractors"] == json.loads(alone.stdout)["attractors"]
    out = CliRunner().invoke(cli, ["attractors", str(model), "--update", "sync", "-j", "2"])
    assert out.exit_code == 2 and out.stdout == ""
    assert "--jobs" in out.stderr and out.stderr.strip().count("\n") == 0


@pytest.mark.corpus_sample
def test_cli_timeout_gives_exact_false():
    path = BENCH / "bbm" / "002_signal-transduction-in-fibroblasts.bnet"
    if not path.exists():
        pytest.skip("benchmark corpus not found")
    out = CliRunner().invoke(cli, ["attractors", str(path), "--count", "--timeout", "1",
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["exact"] is False and data["count"] >= 1
    assert "lower bound" in out.stderr


@pytest.mark.parametrize("seed", range(20))
def test_spaces_with_one_key_percolate_to_one_sub_network(seed):
    # the key (free nodes, values of their fixed regulators) decides the rules left
    from logicbone.analysis._async_pipeline import SubNetworks
    from logicbone.analysis.symbolic import AsyncSTG
    net = lb.parse_bnet(random_formula_bnet(seed, 11))
    subs, seen = SubNetworks(net), {}
    for space in lb.trap_spaces(net, kind="min").spaces:
        fixed = {v: c == "1" for v, c in zip(net.names, space) if c != "*"}
        where = AsyncSTG(net, fixed)
        rules = (where.free, tuple(str(where.rules[n]) for n in where.free))
        assert seen.setdefault(subs.key(space), rules) == rules


@pytest.mark.parametrize("kind, seed", CASES)
def test_attractors_counted_from_any_seeds_meeting_them_all(kind, seed):
    """The count from a set of seed states that meets every attractor (candidate states,
    every state, candidates with random states added), on the network's graph and on a
    graph built from its BDDs alone, is the explicit count: seeds that reach other seeds
    are dropped, walks settle those that reach fixed points, and a last seed left is
    counted without a search."""
    import random

    from logicbone.analysis.attractor_count import _count_from_seeds
    from logicbone.analysis.symbolic import AsyncSTG
    net = _network(kind, seed)
    want = len(lb.attractors(net, update="async", method="explicit").attractors)
    full = AsyncSTG(net, percolate=False)
    mgr = full.mgr
    rng = random.Random(seed)
    extra = mgr.false
    for _ in range(20):
        extra |= mgr.cube({n: rng.random() < 0.5 for n in full.free})
    for stg in (full, AsyncSTG.of_functions(mgr, {n: full.f[n] for n in full.free})):
        candidates = stg.candidate_states()
        for seeds in (candidates, mgr.true, candidates | extra):
            for walks in (0, 8):     # walks one at a time, or together
                # and without the coupled walks (every seed left searched from, many of
                # them reaching an attractor found before), the last seed decided by a
                # brief forward search or by the backward set of the attractors found
                for opts in (lb.EngineSettings(plain_walks=walks),
                             lb.EngineSettings(plain_walks=walks, max_reduced=0),
                             lb.EngineSettings(plain_walks=walks, max_reduced=0,
                                               seed_forward_seconds=0)):
                    assert _count_from_seeds(stg, seeds, opts) == want


def test_candidates_not_listed_stop_a_search_told_to_list_only():
    # the cycle {000, 100, 010} lies outside the one minimal trap space (111); with no
    # walks allowed and none listed (and none searched from directly) the solver gives up
    # listing the candidates outside it
    from logicbone.analysis._async_pipeline import outside_spaces, space_union
    from logicbone.analysis.symbolic import AsyncSTG
    net = lb.parse_bnet(MOTIF_AVOIDANT)
    budget = lb.Budget()
    opts = lb.EngineSettings(max_walks=0, max_candidates_listed=0, direct_candidates=0)

    def search(listed_only: bool) -> list[int]:
        stg = AsyncSTG(net)
        known = space_union(stg, ["111"], budget)
        return [stg.count(a) for a in outside_spaces(stg, ["111"], known, budget, opts,
                                                     listed_only=listed_only)]

    assert search(False) == [3]
    with pytest.raises(lb.BudgetExceeded):
        search(True)


def test_a_whole_part_whose_candidates_are_not_listed_gives_way_to_its_networks(caplog):
    # the route "upstream, whole not listed" is not vacuous: the part whole is tried and
    # given up for the networks downstream, which count as the explicit search (above)
    import logging
    tuned = _route("upstream, whole not listed")
    given_up = 0
    for seed in range(16):
        net = lb.parse_bnet(_cascade(seed))
        with caplog.at_level(logging.DEBUG, logger="logicbone"):
            caplog.clear()
            lb.count_attractors(net, "async", method="symbolic", settings=tuned,
                                progress=lambda msg: logging.getLogger("logicbone").debug(msg))
            given_up += "counting the networks downstream instead" in caplog.text
    assert given_up > 0


def test_candidates_swept_to_fixed_points_count_every_input_value_at_once(caplog):
    # the route above is not vacuous: on the cascades with inputs, some parts are counted
    # by the sweeps (every candidate state reaches a fixed point, or few are left to
    # search), and the counts are the explicit search's there (test above)
    import logging
    tuned = _route("swept to fixed points")
    outcomes = set()
    for seed in range(16):
        net = lb.parse_bnet(_cascade(seed))
        with caplog.at_level(logging.DEBUG, logger="logicbone"):
            caplog.clear()
            lb.count_attractors(net, "async", method="symbolic", settings=tuned)
        outcomes |= {m.split(": ")[-1].split(" in ")[0] for m in caplog.messages
                     if "candidates swept forward in a part" in m}
    assert "counted" in outcomes


def test_an_expansion_crowded_out_leaves_reordering_on(monkeypatch):
    # the expansion downstream takes cofactors without reordering (a sifting there cannot
    # stop at the deadline); crowded out, it leaves the manager reordering again for the
    # methods that follow on it
    from logicbone.analysis import attractor_count as ac
    real, seen = ac._Counter.cascade, []

    def spy(self, net, stg, *args, **kwargs):
        stg.mgr.configure(reordering=True)
        try:
            return real(self, net, stg, *args, **kwargs)
        except ac._Crowded:
            seen.append(stg.mgr.configure()["reordering"])
            raise

    monkeypatch.setattr(ac._Counter, "cascade", spy)
    for seed in range(16):
        net = lb.parse_bnet(_cascade(seed))
        assert lb.count_attractors(net, "async", method="symbolic", settings=_route(
            "upstream sums over many values, some given up")) == len(
                lb.attractors(net, update="async", method="explicit").attractors)
    assert seen and all(seen)


#: three inputs, each gating a module below them: an oscillation (X, Y) and a switch (M, N)
#: that the oscillation and the next input turn on. Eight values of the inputs leave eight
#: networks downstream.
GATED = "\n".join(
    [f"I{k}, I{k}" for k in range(3)]
    + [line for k in range(3) for line in (
        f"X{k}, !Y{k} & I{k}", f"Y{k}, X{k}", f"M{k}, N{k} | (X{k} & I{(k + 1) % 3})",
        f"N{k}, M{k}")])


@pytest.mark.skipif(not can_fork(), reason="no os.fork here")
@pytest.mark.parametrize("jobs", [2, 3])
def test_networks_downstream_shared_out_to_forked_copies_count_the_same(jobs, monkeypatch):
    import logicbone.parallel

    net = lb.parse_bnet(GATED)
    exact = _explicit_count(net)
    shared: list[int] = []
    real = logicbone.parallel.forked_map

    def spy(fn, count, jobs, **kw):
        shared.append(count)
        return real(fn, count, jobs, **kw)

    monkeypatch.setattr(logicbone.parallel, "forked_map", spy)
    tuned = lb.EngineSettings(explicit_part=0, max_seeds=-1, max_groups=0, fork_after=0.0)
    assert lb.count_attractors(net, method="symbolic", settings=tuned, jobs=jobs) == exact
    # the different parts of the six networks left after two, shared out once
    assert len(shared) == 1 and shared[0] >= 2
    assert lb.count_attractors(net, method="symbolic", settings=tuned) == exact


@pytest.mark.skipif(not can_fork(), reason="no os.fork here")
@pytest.mark.parametrize("wait", [0.02, 0.05, 0.1, 0.2])
def test_a_count_shared_out_and_cut_short_bounds_the_exact_count(wait):
    net = lb.parse_bnet(GATED)
    exact = _explicit_count(net)
    tuned = lb.EngineSettings(explicit_part=0, max_seeds=-1, max_groups=0, fork_after=0.0,
                              count_share=0.5, quick_seconds=0.001)
    try:
        got = lb.count_attractors(net, method="symbolic", timeout=wait, settings=tuned, jobs=2)
    except lb.AnalysisTimeout as err:
        assert 1 <= err.at_least <= exact <= err.at_most
    else:
        assert got == exact


@pytest.mark.parametrize("seed", range(5))
def test_networks_left_when_the_bounds_run_out_keep_one_attractor_per_input_value(seed):
    # no time left for bounds after the count stopped: a network not examined still holds
    # at least one attractor per value of its inputs
    import time

    from logicbone.analysis.attractor_count import _Counter, feedback_bound

    net = lb.parse_bnet(random_bnet(14, seed, p_input=0.4))
    tuned = lb.EngineSettings(bound_seconds=0.0001)
    counter = _Counter(lb.Budget(), tuned, lambda msg: None)
    counter.stopped(lb.BudgetExceeded(lb.StopReason.INTERRUPTED))
    time.sleep(0.01)
    assert counter.bounding and counter.bounds.expired()
    lo, hi = counter.network(net)
    assert (lo, hi) == (2 ** len(net.inputs), feedback_bound(net))
    assert lo <= _explicit_count(net) <= hi
