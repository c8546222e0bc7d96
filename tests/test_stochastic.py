"""The stochastic engines: exact CTMC against dense references, sampling against exact."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb

BBM = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "bbm"


# ---------------------------------------------------------------- reference code

def _rate_of(net, rates, name, up, state):
    e = rates.up(name) if up else rates.down(name)
    values = {a: (state >> i) & 1 for i, a in enumerate(net.names)}
    return float(e.evaluate(values, rates.params, None))


def dense_generator(net, rates):
    """Q[s, t]: the rate from s to t, one state and node at a time (reference loop)."""
    n = len(net.names)
    Q = np.zeros((1 << n, 1 << n))
    for s in range(1 << n):
        values = {a: bool((s >> i) & 1) for i, a in enumerate(net.names)}
        for i, a in enumerate(net.names):
            now = bool((s >> i) & 1)
            want = bool(lb.expr.evaluate(net.rules[a], values)) if False else \
                bool(_eval_rule(net.rules[a], values))
            if want == now:
                continue
            r = _rate_of(net, rates, a, not now, s)
            Q[s, s ^ (1 << i)] += r
    Q[np.diag_indices_from(Q)] = -Q.sum(axis=1)
    return Q


def _eval_rule(expr, values):
    from logicbone.expr import evaluate
    return evaluate(expr, values)


def random_rates(net, rng):
    text = "\n".join(f"{a}.up = {rng.uniform(0.2, 3):.3f}\n{a}.down = {rng.uniform(0.2, 3):.3f}"
                     for a in net.names)
    return lb.parse_rates(text)


def dense_course(Q, p0, edges):
    """Window averages and p(T) from dense matrix exponentials: Van Loan's block matrix
    [[Q, I], [0, 0]] gives the integral of exp(Q s) over a window in its top-right block."""
    from scipy.linalg import expm

    N = Q.shape[0]
    avgs = []
    for a, b in zip(edges[:-1], edges[1:]):
        block = np.block([[Q, np.eye(N)], [np.zeros((N, N)), np.zeros((N, N))]])
        integral = expm(block * (b - a))[:N, N:]
        avgs.append(p0 @ expm(Q * a) @ integral / (b - a))
    return np.array(avgs), p0 @ expm(Q * edges[-1])


def bits(n):
    return np.array([[(s >> i) & 1 for i in range(n)] for s in range(1 << n)], dtype=float)


# ---------------------------------------------------------------- exact

@settings(max_examples=15, deadline=None)
@given(st.integers(2, 5), st.integers(0, 10_000))
def test_exact_equals_dense_matrix_exponential(n, seed):
    net = lb.random_network(n, 2, seed=seed)
    rng = np.random.default_rng(seed)
    rates = random_rates(net, rng)
    probs = {a: float(rng.choice([0.0, 0.3, 1.0])) for a in net.names}
    res0 = lb.stochastic(net, 0.5, rates=rates, initial=probs, method="exact")
    for a in net.constants:     # a constant node starts at its value
        probs[a] = float(net.rules[a].value)
    res = lb.stochastic(net, 1.5, 0.5, rates=rates, initial=probs, method="exact")
    p0 = np.ones(1 << n)
    for s in range(1 << n):
        for i, a in enumerate(net.names):
            p0[s] *= probs[a] if (s >> i) & 1 else 1 - probs[a]
    Q = dense_generator(net, rates)
    avgs, final = dense_course(Q, p0, np.array([0, 0.5, 1.0, 1.5]))
    assert np.allclose(res.node_probabilities, avgs @ bits(n), atol=1e-8)
    got = np.zeros(1 << n)
    for s, p, e in res.final_states:
        got[s] = p
        assert e == 0
    top = sorted(final, reverse=True)[:len(res.final_states)]
    assert np.allclose(sorted(got, reverse=True)[:len(top)], top, atol=1e-8)
    assert sum(p for _, p, _ in res.final_states) == pytest.approx(
        sum(top), abs=1e-8)
    assert res0.final_states == lb.stochastic(net, 0.5, rates=rates, initial=probs,
                                              method="exact").final_states


@settings(max_examples=15, deadline=None)
@given(st.integers(3, 7), st.integers(0, 10_000))
def test_exact_distributions_sum_to_one(n, seed):
    net = lb.random_network(n, 2, seed=seed)
    res = lb.stochastic(net, 3, 1, method="exact", top=1 << n)
    assert sum(p for _, p, _ in res.final_states) == pytest.approx(1, abs=1e-8)
    assert sum(p for _, p in res.stationary) == pytest.approx(1, abs=1e-8)
    assert np.all((res.node_probabilities >= -1e-12) & (res.node_probabilities <= 1 + 1e-12))


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 8), st.integers(0, 10_000))
def test_stationary_mass_lies_on_the_attractors(n, seed):
    net = lb.random_network(n, 2, seed=seed)
    res = lb.stochastic(net, 1, method="exact")
    att = lb.attractors(net, "async", method="explicit")
    on_attractors = {s for a in att.attractors for s in a.states}
    assert sum(p for s, p in res.stationary if s in on_attractors) == pytest.approx(1, abs=1e-8)
    # every attractor is reachable from the uniform start, so each gets mass
    for a in att.attractors:
        assert sum(p for s, p in res.stationary if s in set(a.states)) > 0


def test_state_dependent_rate_closed_form():
    # B follows A; A is ON, so B rises at rate 2 (A ? 2 : 0.5): P(B)(t) = 1 - e^{-2t}
    net = lb.parse_bnet("A, A\nB, A")
    rates = lb.parse_rates("B.up = A ? 2 : 0.5")
    res = lb.stochastic(net, 2, 1, rates=rates, initial="A=1,B=0", method="exact")
    avg = [1 - (math.exp(-2 * a) - math.exp(-2 * b)) / 2 for a, b in ((0, 1), (1, 2))]
    assert res.probability("B") == pytest.approx(avg, abs=1e-9)
    res = lb.stochastic(net, 2, 1, rates=rates, initial="A=1,B=0", samples=20_000, seed=3,
                        method="sampled")
    assert np.all(np.abs(res.probability("B") - avg) < 4 * res.error("B"))


def test_scaled_rate_is_a_partial_inhibition():
    net = lb.parse_bnet("A, A\nB, A")
    base = lb.stochastic(net, 1, 1, initial="A=1,B=0", method="exact")
    slow = lb.stochastic(net, 1, 1, initial="A=1,B=0", method="exact",
                         rates=lb.Rates().scaled({"B.up": 0.2}))
    assert slow.probability("B")[0] == pytest.approx(1 - (1 - math.exp(-0.2)) / 0.2)
    assert slow.probability("B")[0] < base.probability("B")[0]


def test_ungated_rates_ignore_the_rule():
    # as a MaBoSS node whose rates do not test @logic: B flips both ways at rate 1
    net = lb.parse_bnet("A, A\nB, A")
    rates = lb.Rates(ungated=frozenset({"B"}))
    res = lb.stochastic(net, 20, 20, initial="A=1,B=0", method="exact", rates=rates)
    assert res.final_states[0][1] == pytest.approx(0.5, abs=1e-6)


def test_first_passage_exact_and_sampled():
    net = lb.parse_bnet("A, A\nB, A\nC, B")
    kw = dict(initial="A=1,B=0,C=0", phenotype="C=1")
    ex = lb.stochastic(net, 4, 1, method="exact", **kw)
    # C reached after two exponential(1) steps: P(tau <= t) = 1 - e^-t (1 + t)
    want = [1 - math.exp(-t) * (1 + t) for t in (1, 2, 3, 4)]
    assert ex.first_passage["reached"] == pytest.approx(want, abs=1e-8)
    sa = lb.stochastic(net, 4, 1, method="sampled", samples=20_000, seed=2, **kw)
    fp = sa.first_passage
    assert np.all(np.abs(np.array(fp["reached"]) - want) <= 4 * np.array(fp["reached_errors"]))
    assert abs(fp["mean_time"] - ex.first_passage["mean_time"]) < 4 * fp["mean_time_error"]


# ---------------------------------------------------------------- sampled against exact

def _agree(net, seed, **kw):
    ex = lb.stochastic(net, method="exact", **kw)
    sa = lb.stochastic(net, method="sampled", samples=8_000, seed=seed, **kw)
    err = sa.node_errors
    diff = np.abs(sa.node_probabilities - ex.node_probabilities)
    # where no trajectory varied the error is 0: then the answer must be exact
    assert np.all(diff <= 4 * err + 1e-9), np.max(diff / np.maximum(err, 1e-12))
    assert sa.samples == 8_000 and sa.complete


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sampled_within_four_errors_of_exact_random(seed):
    net = lb.random_network(9, 3, seed=seed)
    rates = random_rates(net, np.random.default_rng(seed))
    _agree(net, seed, max_time=4, tick=0.5, rates=rates)


@pytest.mark.parametrize("name", ["007_cortical-area-development", "184_p53-mdm2-network",
                                  "158_lambda-phage-lysogeny"])
def test_sampled_within_four_errors_of_exact_corpus(name):
    path = BBM / f"{name}.bnet"
    if not path.exists():
        pytest.skip("the benchmark corpus is not beside the project")
    _agree(lb.read_network(path), 7, max_time=5, tick=0.5)


def test_same_answer_whatever_the_workers():
    net = lb.random_network(7, 2, seed=5)
    kw = dict(max_time=3, tick=0.5, samples=5_000, seed=11, batch=1_000, method="sampled")
    one = lb.stochastic(net, jobs=1, **kw)
    two = lb.stochastic(net, jobs=2, **kw)
    assert np.array_equal(one.node_probabilities, two.node_probabilities)
    assert np.array_equal(one.node_errors, two.node_errors)
    assert one.final_states == two.final_states
    other = lb.stochastic(net, jobs=1, **{**kw, "seed": 12})
    assert not np.array_equal(one.node_probabilities, other.node_probabilities)


def test_more_than_64_nodes_are_sampled():
    # a chain of 70 copies: node k turns ON at the k-th step of a rate-1 relay
    text = "x0, x0\n" + "\n".join(f"x{k}, x{k - 1}" for k in range(1, 70))
    net = lb.parse_bnet(text)
    res = lb.stochastic(net, 2, 1, initial={"x0": 1, **{f"x{k}": 0 for k in range(1, 70)}},
                        samples=4_000, seed=1)
    assert res.method == "sampled"
    p1 = 1 - (1 - math.exp(-1)) / 1    # window average of 1 - e^-t over [0, 1]
    assert abs(res.probability("x1")[0] - p1) < 4 * res.error("x1")[0]
    assert res.probability("x69")[-1] == 0
    assert len(res.to_dict()["final_states"][0]["state"]) == 70


def test_constant_nodes_start_at_their_value_and_inputs_stay():
    net = lb.parse_bnet("A, A\nB, A\nC, C").fix({"A": 1})
    res = lb.stochastic(net, 1, 1, initial="A=0,B=0,C=0.3", method="exact")
    assert res.probability("A")[0] == 1
    assert res.probability("C")[0] == pytest.approx(0.3)


def test_attractor_initial_starts_in_the_attractors():
    net = lb.parse_bnet("A, A\nB, A\nC, !C & B")
    init = lb.attractor_initial(net.fix({"A": 1}))
    res = lb.stochastic(net, 1, 1, initial=init, method="exact")
    assert res.probability("A")[0] == pytest.approx(1)
    assert res.probability("B")[0] == pytest.approx(1)
    assert res.probability("C")[0] < 1


def test_json_contract():
    net = lb.parse_bnet("A, !B\nB, A")
    d = lb.stochastic(net, 2, 0.5, samples=100, seed=1, model="m").to_dict()
    assert d["method"] == "exact" and d["samples"] is None
    d = lb.stochastic(net, 2, 0.5, samples=100, seed=1, method="sampled").to_dict()
    assert d["nodes"] == ["A", "B"] and d["samples"] == 100 and d["seed"] == 1
    assert d["times"] == [0.0, 0.5, 1.0, 1.5]
    assert set(d["node_probabilities"]) == {"A", "B"} == set(d["node_errors"])
    assert all(len(v) == 4 for v in d["node_probabilities"].values())
    assert {"state", "probability", "error"} == set(d["final_states"][0])
    assert d["complete"] is True


def test_interrupted_run_is_partial():
    net = lb.random_network(6, 2, seed=1)
    budget = lb.Budget()
    budget.interrupt()
    res = lb.stochastic(net, 2, 1, samples=1000, method="sampled", budget=budget)
    assert not res.complete and res.reason is lb.StopReason.INTERRUPTED
    assert res.samples == 0 and res.to_dict()["complete"] is False


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("kw, match", [
    (dict(max_time=0), "max time"),
    (dict(max_time=-1), "max time"),
    (dict(max_time=1, tick=2), "larger than the max time"),
    (dict(samples=0), "samples"),
    (dict(initial={"A": 1.5}), r"\[0, 1\]"),
    (dict(initial={"Z": 0.5}), "unknown node 'Z'"),
    (dict(initial="A=x"), "must be a number"),
    (dict(rates=lb.parse_rates("A.up = -1")), ">= 0"),
    (dict(rates=lb.parse_rates("Zed.up = 1")), "unknown node"),
    (dict(rates=lb.parse_rates("A.up = $k")), r"\$k is not defined"),
    (dict(rates=lb.parse_rates("B.up = A ? -2 : 1"), initial="A=1,B=0", method="exact"),
     "-2"),
    (dict(method="fast"), "unknown method"),
])
def test_bad_input(kw, match):
    net = lb.parse_bnet("A, A\nB, A")
    with pytest.raises(lb.InputError, match=match):
        lb.stochastic(net, **{"max_time": 1, **kw})


def test_auto_samples_above_its_exact_limit():
    net = lb.parse_bnet("\n".join(f"x{i}, x{i}" for i in range(15)))   # 2^15 initial states
    assert lb.stochastic(net, 1, samples=50).method == "sampled"
    assert lb.stochastic(net, 1, initial="0" * 15).method == "exact"


def test_exact_refuses_large_spaces():
    net = lb.random_network(12, 2, seed=1)
    with pytest.raises(lb.StateSpaceTooLarge):
        lb.stochastic(net, 1, method="exact", exact_limit=100)
    assert lb.stochastic(net, 1, exact_limit=100, samples=50).method == "sampled"


# ---------------------------------------------------------------- rate expressions

@pytest.mark.parametrize("text, values, want", [
    ("2", {}, 2.0),
    ("A ? 2 : 0.5", {"A": 0}, 0.5),
    ("$k * (1 + A)", {"A": 1}, 6.0),
    ("A AND NOT B ? 1 : 0", {"A": 1, "B": 0}, 1.0),
    ("A && B || !A ? 3 : 4", {"A": 1, "B": 0}, 4.0),
    ("-1 + 2 * 3 / 4", {}, 0.5),
    ("A == 1 ? (B > 0 ? 1 : 2) : 3", {"A": 1, "B": 0}, 2.0),
    ("1e-1 + .5", {}, 0.6),
])
def test_rate_expressions(text, values, want):
    e = lb.parse_rate(text)
    assert float(e.evaluate({k: np.array([v]) for k, v in values.items()}, {"k": 3})[0]
                 if values else e.evaluate({}, {"k": 3})) == pytest.approx(want)


@pytest.mark.parametrize("text, col", [("A ? 1", 6), ("2 +", 4), ("A # B", 3), ("(1", 3),
                                        ("1 2", 3), ("__import__('os')", 12)])
def test_rate_syntax_errors_point_at_the_column(text, col):
    with pytest.raises(lb.RuleSyntaxError, match=rf"^<text>:1:{col}:"):
        lb.parse_rate(text)


def test_rate_file_errors_carry_the_line():
    with pytest.raises(lb.RuleSyntaxError, match=r"rates.txt:2:10:"):
        lb.parse_rates("A.up = 1\nB.down = ?", path="rates.txt")
    with pytest.raises(lb.RuleSyntaxError, match=r":1:1:"):
        lb.parse_rates("up A = 1")


def test_rate_file_round_trip():
    r = lb.parse_rates("$u = 2\nA.up = $u * 2\nB = A ? 1 : 0.5")
    again = lb.parse_rates(r.to_text())
    assert again.rates == r.rates and again.params == r.params


def test_the_end_of_a_run_is_reported_as_an_outcome():
    net = lb.random_network(6, 2, seed=1)
    budget = lb.Budget()
    budget.interrupt()
    cut = lb.stochastic(net, 2, 1, samples=1000, method="sampled", budget=budget)
    assert cut.outcome == lb.Outcome(False, lb.StopReason.INTERRUPTED)
    full = lb.stochastic(net, 2, 1, samples=50, method="sampled")
    assert full.outcome == lb.Outcome(True, None)
    assert full.method is lb.StochasticMethod.SAMPLED and full.to_dict()["method"] == "sampled"
