"""MaBoSS .bnd + .cfg: reading, writing, errors, and live agreement with MaBoSS itself."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone_cli.main import cli

BBM = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "bbm"
MODELS = Path(__file__).resolve().parents[1] / "models"

BND = """// a toy model
Node A {
  logic = A;            /* an input */
}
Node B {
  logic = A && !C;
  rate_up = @logic ? $u_B : 0;
  rate_down = @logic ? 0 : 2;
}
node C {
  logic = B OR C;
  rate_up = A ? 3 : 0.5;
  rate_down = 0;
}
"""
CFG = """$u_B = 0.5;
A.istate = 1;
[B].istate = 0.3 [1], 0.7 [0];
max_time = 4; time_tick = 0.5;
sample_count = 2000; seed_pseudorandom = 7;
thread_count = 4;
C.is_internal = 1;
"""


def test_read_the_pair():
    m = lb.parse_maboss(BND, CFG)
    assert m.network.names == ("A", "B", "C")
    assert lb.to_text(m.network.rules["B"]) == "A & !C"
    assert m.rates.up("B").text == "$u_B" and m.rates.down("B").text == "2"
    assert m.rates.ungated == {"C"} and m.rates.up("C").text == "A ? 3 : 0.5"
    assert m.rates.params == {"u_B": 0.5}
    assert (m.max_time, m.time_tick, m.sample_count, m.seed) == (4, 0.5, 2000, 7)
    assert m.internal == ("C",)
    assert m.initial.probabilities == ((1.0, 0.3, 0.5),)


def test_joint_istate_is_a_mixture():
    m = lb.parse_maboss(BND, "$u_B = 1; [A, B].istate = 0.25 [0, 1], 0.75 [1, 0];\nC.istate = 0;")
    assert m.initial.weights == (0.25, 0.75)
    assert m.initial.probabilities == ((0.0, 1.0, 0.0), (1.0, 0.0, 0.0))


def test_round_trip_gives_the_same_process():
    m = lb.parse_maboss(BND, CFG)
    bnd, cfg = lb.to_maboss(m.network, m.rates, m.initial, max_time=4, time_tick=0.5)
    again = lb.parse_maboss(bnd, cfg)
    assert again.network == m.network and again.initial == m.initial
    a = lb.stochastic(m.network, 4, 0.5, rates=m.rates, initial=m.initial, method="exact")
    b = lb.stochastic(again.network, 4, 0.5, rates=again.rates, initial=again.initial,
                      method="exact")
    assert np.allclose(a.node_probabilities, b.node_probabilities, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 12), st.integers(0, 10_000))
def test_export_round_trip_random(n, seed):
    net = lb.random_network(n, 3, seed=seed)
    bnd, cfg = lb.to_maboss(net)
    assert lb.parse_maboss(bnd, cfg).network == net
    assert lb.parse_bnd(bnd) == net


@pytest.mark.parametrize("bnd, cfg, where", [
    ("Node A { logic = A & ; }", "", "<text>:1:21:"),
    ("Node A {\n  logic = A;\n  rate_up = 1 +;\n}", "", "<text>:3:16:"),
    ("Node A { logic = A }", "", "<text>:1:"),
    ("Nod A { logic = A; }", "", "<text>:1:1:"),
    ("Node A { logic = A; }", "A.istate = maybe;", "<text>:1:12:"),
    ("Node A { logic = A; }", "Z.istate = 1;", "<text>:1:1:"),
    ("Node A { logic = A; }", "$k = A;", "<text>:1:6:"),
    ("Node A { logic = A; }", "max_time = 3", "<text>:1:"),
    ("Node A { logic = A; }", "[A].istate = 0.5 (1);", "<text>:1:14:"),
])
def test_errors_carry_line_and_column(bnd, cfg, where):
    with pytest.raises(lb.RuleSyntaxError, match=rf"^{where}"):
        lb.parse_maboss(bnd, cfg)


def test_discrete_time_is_refused():
    with pytest.raises(lb.UsageError, match="discrete_time"):
        lb.parse_maboss("Node A { logic = A; }", "discrete_time = 1;")


def test_cli_runs_a_bnd_with_its_cfg(tmp_path):
    (tmp_path / "toy.bnd").write_text(BND)
    (tmp_path / "toy.cfg").write_text(CFG)
    res = CliRunner().invoke(cli, ["stochastic", str(tmp_path / "toy.bnd"), "--method",
                                   "sampled", "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["samples"] == 2000 and d["seed"] == 7 and d["max_time"] == 4
    assert len(d["times"]) == 8 and d["node_probabilities"]["A"][0] == 1.0
    # options given on the command line win over the .cfg
    res = CliRunner().invoke(cli, ["stochastic", str(tmp_path / "toy.bnd"), "--time", "1",
                                   "--format", "json"])
    assert json.loads(res.stdout)["max_time"] == 1.0
    (tmp_path / "bad.cfg").write_text("max_time = ;\n")
    res = CliRunner().invoke(cli, ["stochastic", str(tmp_path / "toy.bnd"), "--cfg",
                                   str(tmp_path / "bad.cfg")])
    assert res.exit_code == 2 and "bad.cfg:1:" in res.stderr


def test_convert_writes_the_pair(tmp_path):
    out = tmp_path / "bone.bnd"
    res = CliRunner().invoke(cli, ["convert", str(MODELS / "bone.rules"), str(out)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "bone.cfg").exists()
    assert lb.read_network(out) == lb.read_network(MODELS / "bone.rules")
    again = CliRunner().invoke(cli, ["convert", str(MODELS / "bone.rules"), str(out)])
    assert again.exit_code == 2 and "exists" in again.stderr


# ---------------------------------------------------------------- live: MaBoSS itself

def _cmaboss(n):
    cm = pytest.importorskip("cmaboss", reason="MaBoSS (pip install --pre cmaboss) absent")
    if n <= 64:
        return cm
    import importlib
    try:
        return importlib.import_module("cmaboss_128n")
    except ImportError:
        pytest.skip("no 128-node MaBoSS build")


def maboss_last_window(bnd: Path, cfg: Path, n: int) -> dict[str, float]:
    cm = _cmaboss(n)
    res = cm.MaBoSSSim(network=str(bnd), config=str(cfg)).run()
    probs, _, names, _ = res.get_last_nodes_probtraj()
    return dict(zip(names, probs[0]))


def _agreement(net, tmp_path, initial, T=10.0, tick=0.5, samples=100_000, rates=None):
    bnd = tmp_path / "m.bnd"
    lb.write_maboss(bnd, net, rates, initial, max_time=T, time_tick=tick,
                    sample_count=samples, seed=1)
    theirs = maboss_last_window(bnd, tmp_path / "m.cfg", len(net.names))
    ours = lb.stochastic(net, T, tick, samples=samples, seed=1, rates=rates, initial=initial,
                         method="sampled")
    worst = 0.0
    for i, name in enumerate(net.names):
        p = theirs.get(name, 0.0)     # MaBoSS leaves out nodes never ON
        worst = max(worst, abs(ours.node_probabilities[-1, i] - p))
    return worst


@pytest.mark.reference
@pytest.mark.parametrize("name", [
    "184_p53-mdm2-network", "007_cortical-area-development",
    # 61 nodes: about a minute for both tools; with the whole-corpus checks (-m corpus)
    pytest.param("014_t-lgl-survival-network-2008", marks=pytest.mark.corpus)])
def test_live_agreement_with_maboss_on_corpus_models(name, tmp_path):
    path = BBM / f"{name}.bnet"
    if not path.exists():
        pytest.skip("the benchmark corpus is not beside the project")
    net = lb.read_network(path)
    init = lb.initial_condition(net, None).with_fixed(
        {i: int(net.rules[a].value) for i, a in enumerate(net.names) if a in net.constants})
    assert _agreement(net, tmp_path, init) < 0.01


@pytest.mark.reference
def test_live_agreement_with_maboss_on_our_export(tmp_path):
    """bone_muscle (over 64 nodes: the 128-node MaBoSS build) after disuse from rest, with a
    partial inhibition and a state-dependent rate."""
    base = lb.read_network(MODELS / "bone_muscle.rules")
    sc = lb.read_scenarios(MODELS / "bone_muscle.scenarios.yaml")
    init = lb.attractor_initial(sc["baseline"].perturbation.apply(base))
    net = sc["disuse"].perturbation.apply(base)
    init = init.with_fixed({i: int(net.rules[a].value) for i, a in enumerate(net.names)
                            if a in net.constants})
    rates = lb.parse_rates("mus_mTOR.up = 0.2\nFOXO.up = mus_Akt ? 0.5 : 2")
    assert _agreement(net, tmp_path, init, T=20, tick=1, rates=rates) < 0.01


def test_maboss_mutation_parameters():
    """MaBoSS's mutation idiom: rates guarded by $Low_X / $High_X parameters."""
    bnd = ("Node A { logic = A; }\n"
           "Node B {\n  logic = A;\n"
           "  rate_up = $Low_B ? 0 : ($High_B ? 1 : (@logic ? 1 : 0));\n"
           "  rate_down = $Low_B ? 1 : ($High_B ? 0 : (@logic ? 0 : 1));\n}\n")
    for low, high, want in ((0, 0, 0.0), (0, 1, 1.0), (1, 0, 0.0)):
        cfg = f"$Low_B = {low}; $High_B = {high}; A.istate = 0; B.istate = {1 - high};"
        m = lb.parse_maboss(bnd, cfg)
        assert m.rates.ungated == {"B"}
        res = lb.stochastic(m.network, 50, 50, rates=m.rates, initial=m.initial,
                            method="exact")
        assert res.final_states[0][0] >> 1 == want and res.final_states[0][1] > 0.99
