"""Fixed points: every engine against brute force, counts, limits, mpbn and the corpus."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.analysis.fixed_points import feedback_vertex_set
from logicbone.expr import evaluate

from _helpers import BENCH, digest, expected, fast_subset, random_bnet

METHODS = ["explicit", "asp", "sat", "bdd", "auto"]


def _successor(net, state: int) -> int:
    values = {n: bool((state >> i) & 1) for i, n in enumerate(net.names)}
    return sum(1 << i for i, n in enumerate(net.names) if evaluate(net.rules[n], values))


def _brute(net) -> list[int]:
    return [s for s in range(1 << len(net.names)) if _successor(net, s) == s]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=10**6))
def test_every_method_matches_brute_force(n, seed):
    net = lb.parse_bnet(random_bnet(n, seed))
    truth = _brute(net)
    for method in METHODS:
        res = lb.fixed_points(net, method)
        assert res.complete
        assert sorted(res) == truth, method
    assert lb.count_fixed_points(net) == len(truth)
    assert lb.count_fixed_points(net, "asp") == len(truth)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_fixed_points_are_their_own_successor(seed):
    net = lb.parse_bnet(random_bnet(40, seed, max_k=4, p_input=0.1))
    res = lb.fixed_points(net, "asp", limit=200)
    for s in res:
        assert _successor(net, s) == s
    if res.complete:
        assert lb.count_fixed_points(net) == len(res)
        assert sorted(lb.fixed_points(net, "sat")) == sorted(res)


def test_feedback_vertex_set_breaks_every_cycle():
    regs = [{1}, {2}, {0, 3}, {3}, {2}]
    fvs, order = feedback_vertex_set(5, regs)
    assert 3 in fvs                        # a self-loop
    assert set(fvs) & {0, 1, 2}            # the cycle 0 -> 2 -> 1 -> 0
    assert sorted(fvs + order) == list(range(5))
    done = set(fvs)
    for v in order:                        # every node is computable when reached
        assert regs[v] <= done
        done.add(v)


def test_independent_parts_multiply():
    # 100 independent toggles: 2**100 fixed points, counted and listed lazily
    text = "\n".join(f"a{i}, b{i}\nb{i}, a{i}" for i in range(100))
    net = lb.parse_bnet(text)
    assert lb.count_fixed_points(net) == 2 ** 100
    r = lb.fixed_points(net, limit=10)
    assert len(r) == 10 and not r.complete and r.reason == "limit"
    for s in r:
        assert _successor(net, s) == s


def test_result_contract_and_limit():
    net = lb.parse_bnet("A, A\nB, B\nC, A | B")
    r = lb.fixed_points(net, model="m")
    assert r.to_dict() == {"model": "m", "nodes": ["A", "B", "C"], "complete": True,
                           "fixed_points": ["000", "011", "101", "111"]}
    r = lb.fixed_points(net, limit=3)
    d = r.to_dict()
    assert d["complete"] is False and d["reason"] == "limit" and d["count"] == 4
    assert len(d["fixed_points"]) == 3
    with pytest.raises(lb.LogicboneError, match="unknown method"):
        lb.fixed_points(net, "magic")


def test_no_fixed_point_and_constants():
    assert list(lb.fixed_points(lb.parse_bnet("A, !A"))) == []
    assert lb.count_fixed_points(lb.parse_bnet("A, !A\nB, B")) == 0
    assert lb.fixed_points(lb.parse_bnet("A, 1\nB, A")).strings() == ["11"]


@pytest.mark.reference
@pytest.mark.parametrize("seed", range(8))
def test_fixed_points_match_mpbn(seed):
    mpbn = pytest.importorskip("mpbn")
    net = lb.parse_bnet(random_bnet(30, seed, max_k=3))
    bn = mpbn.MPBooleanNetwork({n: lb.to_text(net.rules[n]) for n in net.names})
    theirs = sorted("".join(str(a[n]) for n in net.names) for a in bn.fixedpoints())
    assert lb.fixed_points(net).strings() == theirs


@pytest.mark.corpus_sample
@pytest.mark.parametrize("file", fast_subset("fixed_points"))
def test_corpus_fixed_points(file):
    ref = expected("fixed_points")[file]
    net = lb.read_network(BENCH / file)
    res = lb.fixed_points(net.reorder(sorted(net.names)), timeout=60)
    assert res.complete
    assert len(res) == ref["count"]
    assert digest(res.strings()) == ref["sha256"]


@pytest.mark.corpus_sample
def test_corpus_counts_where_the_reference_timed_out():
    """Counting is exact and fast even where listing took the reference over 60 s."""
    ref = expected("fixed_points").get("bbm/001_signaling-in-macrophage-activation.bnet")
    if ref is None:
        pytest.skip("corpus not available")
    net = lb.read_network(BENCH / ref["file"])
    count = lb.count_fixed_points(net, timeout=60)
    assert count >= ref["at_least"]
    assert lb.count_fixed_points(net, "asp", timeout=120) == count


def _cli(*args):
    from logicbone_cli.main import cli
    return CliRunner().invoke(cli, list(args))


def test_cli_fixed_points(tmp_path):
    model = tmp_path / "m.bnet"
    model.write_text("A, A\nB, B\nC, A | B\n")
    r = _cli("fixed-points", str(model), "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["fixed_points"] == ["000", "011", "101", "111"]
    r = _cli("fixed-points", str(model), "--count", "--format", "json")
    assert json.loads(r.stdout)["count"] == 4 and json.loads(r.stdout)["exact"] is True
    r = _cli("fixed-points", str(model), "--limit", "1", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines() == ["A,B,C", "0,0,0"]
    assert "partial list" in r.stderr and "of 4" in r.stderr
    r = _cli("fixed-points", str(model), "--ko", "A", "--oe", "B", "--method", "sat")
    assert r.exit_code == 0 and "1 fixed points" in r.stdout and "B C" in r.stdout
    r = _cli("fixed-points", str(model), "--ko", "Z")
    assert r.exit_code == 2 and "unknown node 'Z'" in r.stderr


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=8), st.integers(min_value=0, max_value=10**6),
       st.sampled_from([0, 1]))
def test_bdd_encoded_rules_fixed_points(n, seed, cap):
    """Rules kept as BDDs (every non-constant side with cap 0) give the same fixed points
    in every engine that reads the covers."""
    from logicbone.analysis import primes

    net = lb.parse_bnet(random_bnet(n, seed))
    truth = _brute(net)
    old = primes.MAX_COVER_CUBES
    primes.MAX_COVER_CUBES = cap
    try:
        for method in ("asp", "bdd"):
            assert sorted(lb.fixed_points(net, method)) == truth, method
            assert lb.count_fixed_points(net, method) == len(truth), method
    finally:
        primes.MAX_COVER_CUBES = old


@pytest.mark.parametrize("second, expected", [
    ("C, !E\nD, C\nE, D", 0),        # a negative cycle: no fixed point, so none at all
    ("C, C\nD, C\nE, D", 5),         # fixed points exist: the partial count is a bound
])
def test_count_timeout_bound_accounts_for_the_parts_not_counted(monkeypatch, second,
                                                                expected):
    from logicbone.analysis import fixed_points as fp
    real = fp._count_part

    def count_part(net, method, *args, **kwargs):   # the two-node part runs out of time
        return (5, False) if len(net.names) == 2 else real(net, method, *args, **kwargs)

    monkeypatch.setattr(fp, "_count_part", count_part)
    net = lb.parse_bnet("A, A | B\nB, B\n" + second)
    if expected == 0:
        assert lb.count_fixed_points(net, timeout=5) == 0
    else:
        with pytest.raises(lb.AnalysisTimeout) as err:
            lb.count_fixed_points(net, timeout=5)
        assert err.value.at_least == expected


def _latched_pairs(k: int, second_part: bool = True) -> str:
    """X reads k positive two-node loops (2^k fixed points in one part); with a second
    independent part, a loop C <-> D (twice as many in all): the model of issue 20."""
    lines = ["X, " + " | ".join(f"A{i}" for i in range(k))]
    lines += [f"A{i}, B{i}\nB{i}, A{i}" for i in range(k)]
    if second_part:
        lines.append("C, D\nD, C")
    return "\n".join(lines) + "\n"


@pytest.fixture
def solver_calls(monkeypatch):
    """The number of answers each clingo enumeration handed over."""
    import logicbone.analysis.asp as asp
    sizes: list[int] = []
    real = asp.solve_models

    def spy(*args, **kwargs):
        rows, outcome = real(*args, **kwargs)
        sizes.append(len(rows))
        return rows, outcome

    monkeypatch.setattr(asp, "solve_models", spy)
    return sizes


@pytest.mark.parametrize("limit", [1, 5])
def test_limit_holds_in_every_independent_part(solver_calls, limit):
    net = lb.parse_bnet(_latched_pairs(12))    # 2^13 fixed points in two parts
    res = lb.fixed_points(net, "asp", limit=limit)
    assert len(res) == limit and not res.complete and res.reason == "limit"
    assert res.to_dict()["reason"] == "limit" and res.count is None
    assert res.outcome.reason is lb.StopReason.LIMIT and not res.outcome.complete
    assert solver_calls and max(solver_calls) <= limit      # no part listed more
    everything = set(lb.fixed_points(net, "bdd"))
    assert set(res) <= everything and len(everything) == 2 ** 13


def test_limit_above_the_product_is_complete(solver_calls):
    net = lb.parse_bnet(_latched_pairs(2))     # 4 * 2 fixed points
    res = lb.fixed_points(net, "asp", limit=8)
    assert len(res) == 8 and res.complete and res.count == 8
    res = lb.fixed_points(net, "asp", limit=7)
    assert len(res) == 7 and not res.complete and res.reason == "limit"


def test_cli_limit_answers_at_once_when_the_model_splits(tmp_path):
    # issue 20: 2^26 fixed points in two parts; the first part alone has 2^25
    model = tmp_path / "p.bnet"
    model.write_text(_latched_pairs(25))
    r = _cli("fixed-points", str(model), "--limit", "5", "--timeout", "300", "--format",
             "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["fixed_points"]) == 5
    assert data["complete"] is False and data["reason"] == "limit"
    assert "partial list (--limit reached)" in r.stderr


@pytest.mark.parametrize("n", [53, 60, 70, 1100])
def test_counts_past_the_precision_of_a_float_are_exact(n: int) -> None:
    # z can stay ON only where every input is ON: 2^n fixed points with z OFF, one with
    # z ON; 2^n + 1 is not a float, so a count through CUDD's floating point loses the 1
    # (and past 2^1023 it overflows)
    text = "\n".join(f"x{i}, x{i}" for i in range(n))
    text += "\nz, z & " + " & ".join(f"x{i}" for i in range(n)) + "\n"
    net = lb.parse_bnet(text)
    assert lb.count_fixed_points(net) == 2 ** n + 1
    assert lb.count_attractors(net) == 2 ** n + 1


def test_a_product_too_long_to_list_is_refused_or_cut():
    """Independent parts multiply: without a limit the list holds at most
    ``max_listed_product`` (refused without a time limit, cut with one), and the count is
    still exact."""
    net = lb.parse_bnet("\n".join(f"A{i}, A{i}" for i in range(10)) + "\nB, A0 & A1\n")
    few = lb.EngineSettings(max_listed_product=100)
    with pytest.raises(lb.LogicboneError, match="1,024 fixed points, above the limit of 100"):
        lb.fixed_points(net, settings=few)
    res = lb.fixed_points(net, timeout=60, settings=few)
    assert len(res.states) == 100 and not res.complete and res.reason == "limit"
    assert res.count == 1024 and len(set(res.states)) == 100
    assert all(lb.is_trap_space(net, s) for s in res.strings())    # each a fixed point
    assert len(lb.fixed_points(net, limit=500, settings=few).states) == 500
    assert len(lb.fixed_points(net, settings=lb.EngineSettings(max_listed_product=1024)).states) \
        == 1024


def test_a_list_cut_at_the_most_listed_at_once_says_so():
    from logicbone_cli.options import partial_note
    assert "--limit reached" in partial_note("fixed points", "limit", 5, 9)
    note = partial_note("fixed points", "limit", 5, 9, limited=False)
    assert "most listed at once" in note and "--count" in note and "--limit" not in note


def test_a_bdd_step_longer_than_the_time_left_is_not_begun(monkeypatch, caplog):
    """Steps of the BDD build cannot stop at the deadline: where the last one took longer
    than the time left, the count goes to the model counter or the solver instead (and is
    the same)."""
    import dataclasses
    import logging
    import types

    from logicbone.analysis import fixed_points as fp

    # a part too large to count explicitly, with a negative and a positive loop
    text = "\n".join(f"A{i}, !B{i} | A{(i + 1) % 12}\nB{i}, A{i} & B{(i + 1) % 12}"
                     for i in range(12))
    net = lb.parse_bnet(text)
    expect = lb.count_fixed_points(net, "asp")
    clock = iter(range(0, 10**6, 10))     # each reading 10 s after the last: 5 s left
    monkeypatch.setattr(fp, "time", types.SimpleNamespace(monotonic=lambda: next(clock)))
    with caplog.at_level(logging.INFO, logger="logicbone.analysis.fixed_points"):
        assert lb.count_fixed_points(net, timeout=5) == expect
    assert "fixed-point BDD too large" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="logicbone.analysis.fixed_points"):
        # no deadline (nor a limit on the BDD before the model counter): the BDD count
        patient = dataclasses.replace(lb.EngineSettings(), bdd_counter_seconds=10.0**9)
        assert lb.count_fixed_points(net, settings=patient) == expect
    assert "fixed-point BDD too large" not in caplog.text


def _counter():
    from logicbone.analysis import fixed_points as fp
    if not fp._has_counter():
        pytest.skip("no model counter here (pyganak, fork)")
    return fp._model_count


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=10**6))
def test_model_counter_matches_brute_force(n, seed):
    count = _counter()
    net = lb.parse_bnet(random_bnet(n, seed))
    assert count(net, lb.Budget()) == len(_brute(net))


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_model_counter_matches_the_bdd_on_larger_networks(seed):
    count = _counter()
    net = lb.parse_bnet(random_bnet(60, seed, max_k=3, p_input=0.15))
    assert count(net, lb.Budget()) == lb.count_fixed_points(net, "bdd")


@pytest.mark.corpus_sample
@pytest.mark.parametrize("file", fast_subset("fixed_points"))
def test_corpus_model_counter(file):
    count = _counter()
    ref = expected("fixed_points")[file]
    _, parts = lb.read_network(BENCH / file).decompose()
    total = 1
    for part in parts:
        total *= count(part.net, lb.Budget())
    assert total == ref["count"]


def test_model_counter_stops_with_the_budget():
    count = _counter()
    # 100 independent switches (3^100 fixed points, counted at once): a passed deadline
    # stops the count before its answer is read
    net = lb.parse_bnet("\n".join(f"A{i}, A{i} | B{i}\nB{i}, A{i} & B{i}" for i in range(100)))
    assert count(net, lb.Budget()) == 3 ** 100      # (each pair: 00, 10 and 11)
    with pytest.raises(lb.BudgetExceeded):
        count(net, lb.Budget(timeout=1e-6))


def test_the_bdd_is_not_cut_short_for_a_counter_that_cannot_take_the_rules(monkeypatch,
                                                                            caplog):
    """Where a rule's DNF has too many cubes for the model counter's clauses, the BDD is not
    given up after ``bdd_counter_seconds`` (for the answer-set count, far slower): it has
    the time a count without the counter has."""
    import dataclasses
    import logging

    from logicbone.analysis import fixed_points as fp
    from logicbone.analysis import primes
    _counter()
    text = "\n".join(f"A{i}, !B{i} | A{(i + 1) % 12}\nB{i}, A{i} & B{(i + 1) % 12}"
                     for i in range(12))
    net = lb.parse_bnet(text)
    expect = lb.count_fixed_points(net, "asp")
    hasty = dataclasses.replace(lb.EngineSettings(), bdd_counter_seconds=1e-9)
    with caplog.at_level(logging.INFO, logger="logicbone.analysis.fixed_points"):
        assert lb.count_fixed_points(net, timeout=60, settings=hasty) == expect
    assert "fixed-point BDD too large" in caplog.text      # cut short for the counter
    caplog.clear()
    monkeypatch.setattr(primes, "MAX_COVER_CUBES", 0)       # every rule kept as its BDD
    assert fp._counter_clauses(net) is None
    with caplog.at_level(logging.INFO, logger="logicbone.analysis.fixed_points"):
        assert lb.count_fixed_points(net, timeout=60, settings=hasty) == expect
    assert "fixed-point BDD too large" not in caplog.text


def test_a_cover_too_large_is_not_tried_again(caplog):
    import logging

    from logicbone.analysis.primes import BddCover, rule_dnfs
    net = lb.parse_bnet("A, B & C | !B & D | C & !D\nB, A\nC, B | A\nD, !C")
    with caplog.at_level(logging.INFO, logger="logicbone.analysis.primes"):
        first = rule_dnfs(net, max_cubes=1)
    assert "has more than 1 cubes" in caplog.text and isinstance(first[0][0], BddCover)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="logicbone.analysis.primes"):
        again = rule_dnfs(net, max_cubes=1)
    assert "has more than" not in caplog.text and isinstance(again[0][0], BddCover)
    assert [len(d[1]) for d in again[1:]] == [len(d[1]) for d in first[1:]]
    # under another cap the same rules are covered again
    assert not isinstance(rule_dnfs(net, max_cubes=None)[0][0], BddCover)
