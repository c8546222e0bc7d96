"""The cheap filters of the asynchronous attractor search (analysis/async_attractors.py):
subspace membership on bool matrices, and random walks that settle candidate states."""
from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.analysis._async_pipeline import (ManyWalks, Membership, narrowed, settles,
                                                unsettled, unsettled_few, walked_one)
from logicbone.analysis.symbolic import AsyncSTG

from _helpers import async_graph, random_formula_bnet as random_bnet


def _member(row, space, names, free) -> bool:
    col = {n: j for j, n in enumerate(free)}
    return all(c == "*" or bool(row[col[n]]) == (c == "1")
               for n, c in zip(names, space) if n in col)


@given(st.integers(0, 10**6), st.sampled_from([5, 40, 70, 130]))
@settings(max_examples=40, deadline=None)
def test_membership_equals_the_definition(seed, n):
    rng = random.Random(seed)
    names = tuple(f"v{i}" for i in range(n))
    free = [v for v in names if rng.random() < 0.9]
    rows = np.array([[rng.random() < 0.5 for _ in free] for _ in range(60)], dtype=bool)
    spaces = []
    # values many families fix alike (matched once for them all, on a tree of the values)
    shared = {v: rng.choice("01") for v in names if rng.random() < 0.4}
    for _ in range(rng.randint(1, 12)):
        # a family of spaces freeing the same nodes: some values alike in all of them
        # (read on bit planes first), the others differing (keyed; hashed above 63)
        stars = rng.random() * 0.6
        pattern = [rng.random() < stars for _ in names]
        alike = {v: rng.choice("01") for v in names if rng.random() < 0.5}
        if rng.random() < 0.7:
            alike.update(shared)
        for _ in range(rng.choice([1, 1, 3, 8])):
            if rng.random() < 0.5 and len(rows):       # a space through a row: hits happen
                row = rows[rng.randrange(len(rows))]
                base = {v: "1" if row[j] else "0" for j, v in enumerate(free)}
            else:
                base = alike
            spaces.append("".join("*" if star else base.get(v, rng.choice("01"))
                                  for v, star in zip(names, pattern)))
    inside = Membership(spaces, names, free)
    which = inside.which(rows)
    want = [any(_member(r, s, names, free) for s in spaces) for r in rows]
    assert (which >= 0).tolist() == want
    assert all(_member(r, spaces[k], names, free) for r, k in zip(rows, which) if k >= 0)
    among = rng.getrandbits(len(rows))
    planes = ManyWalks.planes(rows)
    assert inside.inside(planes, among, len(rows)) == sum(
        1 << k for k, w in enumerate(want) if w and among >> k & 1)


MOTIF_AVOIDANT = "A, !A & !B | C\nB, !A & !B | C\nC, A & B\nD, !D & C | A & !B"


def test_walks_never_settle_an_attractor_outside_the_minimal_trap_spaces():
    # {000, 100, 010} (D oscillating along) lies in no minimal trap space
    net = lb.parse_bnet(MOTIF_AVOIDANT)
    stg = AsyncSTG(net, percolate=False)
    spaces = list(lb.trap_spaces(net, kind="min").spaces)
    names = net.names
    bits = [(n, names.index(n)) for n in stg.free]
    starts = list(range(1 << len(names)))
    left = {starts[k] for k in unsettled_few(stg, starts, bits, spaces)}
    g = async_graph(net)
    outside = set().union(*(c for c in nx.attracting_components(g) if len(c) > 1
                            and not any(_member([(s >> i) & 1 for i in range(4)], sp,
                                                names, names) for s in c for sp in spaces)))
    assert outside and outside <= left


def test_membership_of_the_whole_space():
    assert Membership(["***"], ("a", "b", "c"), ["a", "c"])(np.zeros((3, 2), bool)).all()


@pytest.mark.parametrize("few, pinned, jobs", [(False, 64, 1), (False, -1, 1), (True, 64, 1),
                                               (False, -1, 2), (False, 64, 3)],
                         ids=["on planes", "looked up", "plain", "looked up, 2 processes",
                              "on planes, 3 processes"])
@pytest.mark.parametrize("seed", range(15))
def test_walks_settle_only_states_that_reach_a_trap_space(monkeypatch, seed, few, pinned,
                                                          jobs):
    from logicbone.analysis import _async_pipeline
    monkeypatch.setattr(_async_pipeline, "_PINNED_SPACES", pinned)
    # (with more than one process, every slice of the starts is walked in a copy)
    monkeypatch.setattr(_async_pipeline, "_WALKS_PER_JOB", 1)
    tuned = lb.EngineSettings(jobs=jobs)
    net = lb.parse_bnet(random_bnet(700 + seed, 8))
    g = async_graph(net)
    stg = AsyncSTG(net, percolate=False)
    spaces = list(lb.trap_spaces(net, kind="min").spaces)
    names = net.names
    inside = {s for s in g if any(_member([(s >> i) & 1 for i in range(len(names))], sp,
                                          names, names) for sp in spaces)}
    if few:      # every state a start, as ints over the nodes
        starts = sorted(g)
        bits = [(n, names.index(n)) for n in stg.free]
        left = {starts[k] for k in unsettled_few(stg, starts, bits, spaces)}
        assert len(left) < len(starts)       # (walks do settle states)
    else:
        x = np.array([[(s >> i) & 1 for i in range(len(names))] for s in g], dtype=bool)
        rows = x[unsettled(stg, x, spaces, tuned)]
        left = {int(sum(int(b) << i for i, b in enumerate(row))) for row in rows}
    assert not left & inside        # a start in a trap space is settled where it stands
    for s in set(g) - left:         # settled: some path leads into a trap space
        assert s in inside or nx.descendants(g, s) & inside
    # a state in an attractor outside every minimal trap space can never be settled
    for comp in nx.attracting_components(g):
        if not comp & inside:
            assert comp <= left


@pytest.mark.parametrize("seed", range(15))
def test_one_walk_in_plain_python_stays_on_paths_of_the_graph(seed):
    """walked_one ends at a state reachable from its start (a fixed point stays put), and
    settles() is True only for starts with a path into a minimal trap space or to a fixed
    point; an attractor outside every trap space never settles."""
    net = lb.parse_bnet(random_bnet(900 + seed, 8))
    g = async_graph(net)
    stg = AsyncSTG(net, percolate=False)
    names = net.names
    spaces = list(lb.trap_spaces(net, kind="min").spaces)
    inside = {s for s in g if any(_member([(s >> i) & 1 for i in range(len(names))], sp,
                                          names, names) for sp in spaces)}
    fixed = {s for s in g if g.out_degree(s) == 0}
    outside = set().union(*(c for c in nx.attracting_components(g) if not c & inside))
    rng = random.Random(seed)
    for s in rng.sample(sorted(g), 40) + sorted(outside)[:10]:
        values = {v: bool(s >> i & 1) for i, v in enumerate(names)}
        end = walked_one(stg, values, sweeps=rng.randint(0, 20), seed=s)
        e = sum(1 << i for i, v in enumerate(names) if end[v])
        assert e == s or e in nx.descendants(g, s)
        if s in fixed:
            assert e == s
        if settles(stg, values, spaces, sweeps=64):
            assert s in inside | fixed or nx.descendants(g, s) & (inside | fixed)
        if s in outside:
            assert not settles(stg, values, spaces, sweeps=64)


@given(st.integers(0, 10**6), st.integers(2, 9), st.integers(1, 5), st.integers(1, 200))
@settings(max_examples=60, deadline=None)
def test_rules_on_bit_planes_are_their_values_on_the_states_of_the_mask(seed, n, k, m):
    # every form of a decision node (constant children or not) on the walks of a mask
    # that leaves some out, their bits set at random: the rule's value on each walk of
    # the mask, 0 on the others
    from logicbone.analysis.primes import BddCover
    net = lb.parse_bnet(random_bnet(seed, n, k))
    stg = AsyncSTG(net, percolate=False)
    pos = {v: i for i, v in enumerate(stg.free)}
    rng = random.Random(seed)
    x = np.array([[rng.random() < 0.5 for _ in stg.free] for _ in range(m)], dtype=bool)
    mask = rng.getrandbits(m) | 1
    planes = ManyWalks.planes(x)
    for v in stg.free:
        cover = BddCover.from_bdd(stg.mgr, stg.f[v], pos)
        got = cover.planes(planes, mask)
        want = [bool(mask >> r & 1) and cover.value(list(x[r])) for r in range(m)]
        assert [bool(got >> r & 1) for r in range(m)] == want
        assert got >> m == 0


@pytest.mark.parametrize("seed", range(5))
def test_a_wide_rule_walks_through_its_bdd_as_its_formula_says(seed):
    # rules of many regulators are evaluated on their BDD in walks (one state, and many
    # at once on bit planes): the same values as the formula
    from logicbone.analysis.primes import BddCover
    rng = random.Random(seed)
    ins = [f"x{i}" for i in range(24)]
    order = rng.sample(ins, len(ins))           # every input read: 24 regulators
    groups = [order[k:k + 3] for k in range(0, 24, 3)] + [rng.sample(ins, 3) for _ in range(4)]
    terms = [" & ".join(("!" if rng.random() < 0.4 else "") + v for v in g) for g in groups]
    text = "\n".join([f"{v}, {v}" for v in ins] + ["w, " + " | ".join(terms) + " | w & x0"])
    net = lb.parse_bnet(text)
    stg = AsyncSTG(net, percolate=False)
    pos = {n: i for i, n in enumerate(stg.free)}
    cover = BddCover.from_bdd(stg.mgr, stg.f["w"], pos)
    states = [[rng.random() < 0.5 for _ in stg.free] for _ in range(200)]
    want = [bool(lb.expr.evaluate(net.rules["w"], dict(zip(stg.free, r)))) for r in states]
    assert [cover.value(row) for row in states] == want
    x = np.array(states, dtype=bool)
    got = cover.planes(ManyWalks.planes(x), (1 << len(x)) - 1)
    assert [bool(got >> k & 1) for k in range(len(x))] == want
    end = walked_one(stg, dict(zip(stg.free, states[0])), sweeps=8, seed=seed)
    moved = {n for n in stg.free if end[n] != dict(zip(stg.free, states[0]))[n]}
    assert moved <= {"w"}      # only w can move; x0..x23 are constant inputs
    planes = ManyWalks.planes(x)
    ManyWalks(stg).sweep(planes, (1 << len(x)) - 1, random.Random(seed))
    x2 = ManyWalks.rows(planes, len(x))
    assert (x2[:, [pos[v] for v in ins]] == x[:, [pos[v] for v in ins]]).all()


@given(st.integers(0, 300), st.integers(0, 40))
@settings(max_examples=60, deadline=None)
def test_bit_planes_hold_the_rows(m, n):
    rng = np.random.default_rng(m * 41 + n)
    x = rng.integers(0, 2, size=(m, n)).astype(bool)
    planes = ManyWalks.planes(x)
    assert len(planes) == n and all(0 <= p < 1 << m for p in planes)
    assert all(bool(planes[j] >> k & 1) == x[k, j] for k in range(m) for j in range(n))
    assert (ManyWalks.rows(planes, m) == x).all()


@pytest.mark.parametrize("coupled, greedy", [(False, False), (True, False), (False, True)])
@pytest.mark.parametrize("seed", range(8))
def test_walks_on_bit_planes_stay_on_paths_of_the_graph(seed, coupled, greedy):
    """A sweep of many walks at once moves each along a path of the asynchronous graph
    (a fixed point stays put, and only those say no node could move); coupled walks that
    stand on the same state stay together; so do greedy ones (every other walk moving
    every node its rule moves)."""
    net = lb.parse_bnet(random_bnet(1100 + seed, 8))
    g = async_graph(net)
    stg = AsyncSTG(net, percolate=False)
    col = [net.names.index(n) for n in stg.free]
    rng = random.Random(seed)
    starts = [rng.choice(sorted(g)) for _ in range(100)]
    x = np.array([[bool(s >> i & 1) for i in col] for s in starts], dtype=bool)
    walker, mask = ManyWalks(stg), (1 << len(x)) - 1
    planes = ManyWalks.planes(x)
    for _ in range(3):
        active = walker.sweep(planes, mask, rng, coupled=coupled,
                              greedy=mask // 3 if greedy else 0)
        ends = [sum(1 << col[j] for j, b in enumerate(row) if b)
                for row in ManyWalks.rows(planes, len(x))]
        for k, (s, e) in enumerate(zip(starts, ends)):
            assert e == s or e in nx.descendants(g, s)
            if not active >> k & 1:
                assert g.out_degree(e) == 0 and e == s
        if coupled:
            for k, e in enumerate(ends):
                assert all(ends[j] == e for j in range(len(starts)) if starts[j] == starts[k])
        starts = ends


@pytest.mark.parametrize("seed", range(4))
def test_greedy_walks_move_every_node_their_rules_move(seed):
    # each node reads only itself (x* = !x): whatever the order, a greedy walk flips every
    # node in each sweep, the others about half of them
    net = lb.parse_bnet("\n".join(f"x{i}, !x{i}" for i in range(12)))
    stg = AsyncSTG(net, percolate=False)
    walker, rng = ManyWalks(stg), random.Random(seed)
    x = np.zeros((64, 12), dtype=bool)
    planes, mask = ManyWalks.planes(x), (1 << 64) - 1
    walker.sweep(planes, mask, rng, greedy=mask // 3)
    rows = ManyWalks.rows(planes, 64)
    assert rows[0::2].all()
    assert 0.25 < rows[1::2].mean() < 0.75
    # coupled walks: the greedy ones move on every sweep, whatever the shared coin says
    planes = ManyWalks.planes(x)
    for _ in range(3):
        walker.sweep(planes, mask, rng, coupled=True, greedy=mask // 3)
    rows = ManyWalks.rows(planes, 64)
    assert rows[0::2].all()


@given(st.integers(0, 10**6), st.sampled_from([6, 9, 12]), st.integers(0, 3))
@settings(max_examples=30, deadline=None)
def test_walks_in_a_space_found_on_the_planes_or_looked_up_settle_the_same(seed, n, walks):
    # the same walks (one seed), whether the spaces are checked on the bit planes or in a
    # table of their values; with few copies allowed, the walks stagnate, are copied and
    # compacted on the way
    from logicbone.analysis import _async_pipeline
    net = lb.parse_bnet(random_bnet(seed, n))
    stg = AsyncSTG(net, percolate=False)
    spaces = list(lb.trap_spaces(net, kind="min").spaces)
    rng = random.Random(seed)
    x = np.array([[rng.random() < 0.5 for _ in stg.free] for _ in range(200)], dtype=bool)
    tuned = lb.EngineSettings(walks=(0, 50, 400, 4000)[walks], stagnant=2)
    got = []
    for pinned in (64, -1):
        _async_pipeline._PINNED_SPACES = pinned
        try:
            got.append(unsettled(stg, x, spaces, tuned, sweeps=60, seed=seed).tolist())
        finally:
            _async_pipeline._PINNED_SPACES = 64
    assert got[0] == got[1]


@pytest.mark.parametrize("seed", range(10))
def test_walks_on_a_graph_built_from_bdds_alone_stay_on_its_paths(seed):
    """A graph given by BDDs only (no rule text) walks one state at a time and many at
    once: every walk ends at a state reachable from its start, and a start left unsettled
    by walks towards the fixed points includes every state of a cyclic attractor."""
    net = lb.parse_bnet(random_bnet(950 + seed, 8))
    g = async_graph(net)
    full = AsyncSTG(net, percolate=False)
    stg = AsyncSTG.of_functions(full.mgr, {n: full.f[n] for n in full.free})
    names = net.names
    fixed = {s for s in g if g.out_degree(s) == 0}
    cyclic = set().union(*(c for c in nx.attracting_components(g) if not c <= fixed))
    rng = random.Random(seed)
    starts = rng.sample(sorted(g), 30) + sorted(cyclic)[:10]
    for s in starts:
        values = {v: bool(s >> i & 1) for i, v in enumerate(names)}
        end = walked_one(stg, values, sweeps=rng.randint(0, 20), seed=s)
        e = sum(1 << i for i, v in enumerate(names) if end[v])
        assert e == s or e in nx.descendants(g, s)
    x = np.array([[bool(s >> i & 1) for i in range(len(names))] for s in starts], dtype=bool)
    left = {starts[k] for k in unsettled(stg, x, [])}
    assert cyclic & set(starts) <= left
    for s in set(starts) - left:       # settled: a path to a fixed point
        assert s in fixed or nx.descendants(g, s) & fixed


@given(st.integers(0, 10**6), st.sampled_from([6, 9, 11]))
@settings(max_examples=40, deadline=None)
def test_states_swept_off_the_fixed_points_meet_every_other_attractor(seed, n):
    # swept forward all at once, the candidate states keep meeting every attractor that is
    # not a fixed point, and the fixed points come out exact (the explicit search's)
    from logicbone.analysis._async_pipeline import swept_off_fixed_points
    net = lb.parse_bnet(random_bnet(seed, n))
    stg = AsyncSTG(net, percolate=False)
    tuned = lb.EngineSettings(sweep_target=0, stagnant_sweeps=2)
    got = swept_off_fixed_points(stg, tuned)
    assert got is not None
    where, left, fixed = got
    g = async_graph(net)
    cond = nx.condensation(g)
    found = [cond.nodes[c]["members"] for c in cond if cond.out_degree(c) == 0]

    def holds(u, state: int) -> bool:
        values = {v: bool(state >> i & 1) for i, v in enumerate(net.names)
                  if v in set(where.free)}
        return where.mgr.let({v: where.mgr.true if b else where.mgr.false
                              for v, b in values.items()}, u) == where.mgr.true

    points = [next(iter(a)) for a in found if len(a) == 1]
    assert where.count(fixed) == len(points)
    assert all(holds(fixed, s) for s in points)
    for a in found:
        if len(a) > 1:
            assert any(holds(left, s) for s in a)
            assert not any(holds(fixed, s) for s in a)


@pytest.mark.parametrize("seed", range(12))
def test_a_few_candidates_are_narrowed_alike_as_lists_and_as_arrays(seed):
    """narrowed() walks a few rows given as lists in plain Python: the same walks, the same
    rows kept (and the same nodes moved) as for the same rows in an array; an attractor
    that holds a row given holds a row kept."""
    net = lb.parse_bnet(random_bnet(3100 + seed, 9))
    stg = AsyncSTG(net, percolate=False)
    g = async_graph(net)
    rng = random.Random(seed)
    states = rng.sample(sorted(g), 6)
    lists = [[bool(s >> net.names.index(v) & 1) for v in stg.free] for s in states]
    for hull in (False, True):
        got, att = narrowed(stg, [list(r) for r in lists], stg.budget, hull=hull)
        want, watt = narrowed(stg, np.array(lists, dtype=bool), stg.budget, hull=hull)
        assert isinstance(got, list) and got == want.tolist()
        assert (att is None) == (watt is None)
    # every attractor holding a start holds a row kept
    def code(r):
        return sum(1 << net.names.index(v) for v, b in zip(stg.free, r) if b)
    for comp in nx.attracting_components(g):
        if any(code(r) in comp for r in lists):
            assert any(code(r) in comp for r in got)


@given(st.integers(0, 10**6), st.sampled_from([7, 9, 11]), st.sampled_from([0, 1, 3]))
@settings(max_examples=40, deadline=None)
def test_candidates_swept_down_meet_every_attractor(seed, n, most):
    # the candidate states swept down to at most max_reduced still meet every attractor
    # (None only where more are left)
    from logicbone.analysis._async_pipeline import swept_down
    net = lb.parse_bnet(random_bnet(seed, n))
    stg = AsyncSTG(net, percolate=False)
    tuned = lb.EngineSettings(max_reduced=most, sweep_target=0, stagnant_sweeps=3)
    found = stg.candidate_states()
    got = swept_down(stg, found, tuned)
    if got is None:
        assert stg.count(found) > most
        return
    assert stg.count(got) <= max(most, 0) or got == found
    assert stg.count(got) <= stg.count(found)
    states = {sum(1 << net.names.index(v) for v, b in zip(stg.free, r) if b)
              for r in stg.mgr.pick_iter(got, care_vars=set(stg.free))
              for r in [[r[v] for v in stg.free]]}
    for comp in nx.attracting_components(async_graph(net)):
        assert comp & states


@pytest.mark.parametrize("seed", range(8))
def test_fewer_candidates_from_candidates_built_already_are_the_same(seed):
    net = lb.parse_bnet(random_bnet(4200 + seed, 10))
    a, b = AsyncSTG(net, percolate=False), AsyncSTG(net, percolate=False)
    assert a.count(a.fewer_candidates()) == \
        b.count(b.fewer_candidates(found=b.candidate_states()))
    assert a.retained() == b.retained()


@given(st.integers(0, 10**6), st.sampled_from([3, 9, 14, 30]), st.integers(0, 300),
       st.booleans())
@settings(max_examples=60, deadline=None)
def test_the_union_of_spaces_is_that_of_their_cubes(seed, n, many, product):
    # by halves and shared sets of second halves, as one cube each: the same BDD, with
    # spaces that contradict a fixed value (none of their states) and short strings
    from logicbone.analysis._async_pipeline import space_union, union
    from logicbone.budget import Budget
    rng = random.Random(seed)
    net = lb.parse_bnet(random_bnet(seed, n) + "\nk0, k0 | !k0\nk1, k1 & !k1\n")
    stg = AsyncSTG(net)
    width = len(net.names)

    def one(k: int) -> str:
        return "".join(rng.choice("01**") for _ in range(k))
    if product:         # choices of two halves, as independent modules give
        half = width // 2
        firsts = {one(half) for _ in range(rng.randint(1, 20))}
        seconds = {one(width - half) for _ in range(rng.randint(1, 20))}
        spaces = [a + b for a in firsts for b in seconds][:many + 1]
    else:
        spaces = [one(width) for _ in range(many)]
    spaces = [s[:rng.randint(0, width)] if rng.random() < 0.1 else s for s in spaces]
    stg.mgr.configure(reordering=False)
    got = space_union(stg, spaces, Budget())
    assert got == union(stg.mgr, [stg.space(s) for s in spaces])


@pytest.mark.parametrize("seed", range(12))
def test_walks_tried_again_keep_a_row_in_every_attractor(seed):
    # the rows left by one try, walked again with other choices: no more rows, and every
    # attractor that holds a start still holds a row kept
    net = lb.parse_bnet(random_bnet(3300 + seed, 9))
    stg = AsyncSTG(net, percolate=False)
    g = async_graph(net)
    rng = random.Random(seed)
    states = rng.sample(sorted(g), 12)
    rows = np.array([[bool(s >> net.names.index(v) & 1) for v in stg.free] for s in states],
                    dtype=bool)
    once, _ = narrowed(stg, rows, stg.budget, hull=False, patience=3)
    again, _ = narrowed(stg, rows, stg.budget, hull=False, patience=3, tries=4)
    assert len(again) <= len(once)

    def code(r):
        return sum(1 << net.names.index(v) for v, b in zip(stg.free, r) if b)
    for comp in nx.attracting_components(g):
        if any(s in comp for s in states):
            assert any(code(r) in comp for r in again)


@pytest.mark.parametrize("fits", [True, False])
def test_sweeps_sift_only_where_the_sifting_ends_before_the_budget(monkeypatch, fits):
    # a sifting cannot stop on the way: the sweeps leave it out where it would end past
    # the deadline (Budget.fits), and the states left do not depend on the siftings
    from logicbone.analysis import symbolic
    sifted = []
    monkeypatch.setattr(symbolic, "sift", lambda mgr, **kw: sifted.append(mgr))
    monkeypatch.setattr(lb.Budget, "fits", lambda self, seconds: fits)
    net = lb.parse_bnet(random_bnet(5, 10))
    stg = AsyncSTG(net, percolate=False)
    got = stg.swept_off(stg.mgr.true, stg.mgr.false, stagnant=2, max_nodes=10**6, resift=True)
    assert got is not None
    assert bool(sifted) == fits
    plain = AsyncSTG(net, percolate=False)
    kept = plain.swept_off(plain.mgr.true, plain.mgr.false, stagnant=2, max_nodes=10**6)
    assert kept is not None and kept[1] == got[1]
