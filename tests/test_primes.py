"""Prime implicants and irredundant covers, checked against brute force and pyboolnet."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.analysis.primes import PrimeLimitExceeded, rule_dnfs
from logicbone.expr import truth_table, variables

from _helpers import random_bnet


def _cube_holds(cube: dict, names, table_rows) -> np.ndarray:
    ok = np.ones(len(table_rows[names[0]]) if names else 1, dtype=bool)
    for k, v in cube.items():
        ok &= table_rows[k] == bool(v)
    return ok


def _brute_primes(expr, names):
    """All prime implicants of expr (value 1) over ``names`` by enumerating every cube."""
    tt = truth_table(expr, names)
    rows = np.arange(1 << len(names))
    bits = {n: ((rows >> j) & 1).astype(bool) for j, n in enumerate(names)}
    implicants = []
    for choice in itertools.product((None, 0, 1), repeat=len(names)):
        cube = {n: v for n, v in zip(names, choice) if v is not None}
        inside = _cube_holds(cube, names, bits)
        if tt[inside].all():
            implicants.append(cube)
    primes = [c for c in implicants
              if not any(d != c and d.items() <= c.items() for d in implicants)]
    return sorted(sorted(c.items()) for c in primes)


@pytest.mark.parametrize("rule", [
    "a", "!a", "a & b", "a | b", "a & !b | !a & b", "a & b | b & c | a & c",
    "(a | b) & (c | !d)", "a & !a", "a | !a", "a & (b | !b)",
])
def test_primes_match_brute_force(rule):
    names = ["a", "b", "c", "d"]
    text = "\n".join([f"t, {rule}"] + [f"{n}, {n}" for n in names])
    net = lb.parse_bnet(text)
    ones, zeros = lb.prime_implicants(net)["t"]
    expr = net.rules["t"]
    assert sorted(sorted(c.items()) for c in ones) == _brute_primes(expr, names)
    neg = lb.parse_bnet(f"t, !({rule})\n" + "\n".join(f"{n}, {n}" for n in names)).rules["t"]
    assert sorted(sorted(c.items()) for c in zeros) == _brute_primes(neg, names)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_primes_and_dnfs_of_random_rules(seed):
    net = lb.parse_bnet(random_bnet(5, seed, max_k=4, p_input=0.0))
    primes = lb.prime_implicants(net)
    dnfs = rule_dnfs(net)
    rows = np.arange(1 << 5)
    bits = {n: ((rows >> j) & 1).astype(bool) for j, n in enumerate(net.names)}
    for i, name in enumerate(net.names):
        tt = truth_table(net.rules[name], net.names)
        ones, zeros = primes[name]
        assert sorted(sorted(c.items()) for c in ones) == _brute_primes(net.rules[name], list(net.names))
        for side, value in ((ones, True), (zeros, False)):
            covered = np.zeros(len(rows), dtype=bool)
            for cube in side:
                covered |= _cube_holds(cube, net.names, bits)
            assert (covered == (tt == value)).all()
        # the irredundant covers describe the same function, with no redundant cube
        for side, value in zip(dnfs[i], (True, False)):
            cubes = [{net.names[j]: v for j, v in c} for c in side]
            covers = [_cube_holds(c, net.names, bits) for c in cubes]
            total = np.zeros(len(rows), dtype=bool)
            for c in covers:
                total |= c
            assert (total == (tt == value)).all()
            for k in range(len(covers)):
                rest = np.zeros(len(rows), dtype=bool)
                for j, c in enumerate(covers):
                    if j != k:
                        rest |= c
                assert not (rest == total).all(), "a redundant cube"


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.randoms(use_true_random=False))
def test_covers_kept_across_networks_sharing_rules(seed, rnd):
    """A network sharing rules with one already covered (parts, fixed copies: the same
    objects; networks left alike below an upstream part: equal rules) reads the kept covers
    in its own indices: the same cubes by name, the same functions."""
    from logicbone.analysis import primes as pr

    text = random_bnet(6, seed, max_k=4, p_input=0.0)
    net = lb.parse_bnet(text)
    pr._COVERS.clear()
    first = rule_dnfs(net)
    names = list(net.names)
    rnd.shuffle(names)
    again = lb.parse_bnet(text).rules        # equal rules, other objects
    assert all(again[n] is not net.rules[n] for n in names if len(variables(again[n])) > 1)
    rules = dict(net.rules) if rnd.random() < 0.5 else dict(again)
    other = lb.Network(tuple(names), rules)
    kept = rule_dnfs(other)
    assert rule_dnfs(net) == first

    def by_name(dnfs, nodes):
        return {n: [sorted(sorted((nodes[j], v) for j, v in c) for c in side) for side in pair]
                for n, pair in zip(nodes, dnfs)}

    assert by_name(kept, other.names) == by_name(first, net.names)
    rows = np.arange(1 << len(names))
    bits = {n: ((rows >> j) & 1).astype(bool) for j, n in enumerate(other.names)}
    for i, name in enumerate(other.names):
        tt = truth_table(other.rules[name], other.names)
        for side, value in zip(kept[i], (True, False)):
            total = np.zeros(len(rows), dtype=bool)
            for c in side:
                total |= _cube_holds({other.names[j]: v for j, v in c}, other.names, bits)
            assert (total == (tt == value)).all()


def test_high_in_degree_is_fast():
    # 24 regulators: 12 pairs in an Or; its negation has 2**12 primes
    pairs = [f"(a{i} & b{i})" for i in range(12)]
    regs = [f"a{i}" for i in range(12)] + [f"b{i}" for i in range(12)]
    text = "t, " + " | ".join(pairs) + "\n" + "\n".join(f"{r}, {r}" for r in regs)
    net = lb.parse_bnet(text)
    ones, zeros = lb.prime_implicants(net, nodes=["t"])["t"]
    assert len(ones) == 12 and len(zeros) == 2 ** 12
    assert all(len(c) == 12 for c in zeros)
    # the irredundant cover of the negation is what the solvers use
    assert len(rule_dnfs(net)[0][0]) == 12


def test_prime_cap():
    pairs = [f"(a{i} & b{i})" for i in range(12)]
    text = "t, " + " | ".join(pairs) + "\n" + "\n".join(
        f"{r}{i}, {r}{i}" for i in range(12) for r in "ab")
    with pytest.raises(PrimeLimitExceeded):
        lb.prime_implicants(lb.parse_bnet(text), max_primes=1000)


@pytest.mark.reference
@pytest.mark.parametrize("seed", range(5))
def test_primes_match_pyboolnet(seed):
    fe = pytest.importorskip("pyboolnet.file_exchange")
    text = random_bnet(8, seed, max_k=4)
    theirs = fe.bnet2primes(text)
    ours = lb.prime_implicants(lb.parse_bnet(text))
    for name, (ones, zeros) in ours.items():
        norm = lambda side: sorted(sorted(c.items()) for c in side)  # noqa: E731
        assert norm(ones) == norm(theirs[name][1]), name
        assert norm(zeros) == norm(theirs[name][0]), name
