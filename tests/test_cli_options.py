"""Option values checked once, before any work (cli/options.py): meaningless numbers,
conflicting clamps, exclusive flags, scheduler addresses and explosive requests are refused
in one line with exit 2."""
from __future__ import annotations

import json

import math
import socket
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone_cli.main import cli
from logicbone_cli.options import MAX_PLOT_STEPS, MAX_SIMULATE_STEPS, Count, Seconds, json_text

from _helpers import MODELS, small_model_file

@pytest.fixture
def model(tmp_path):
    return small_model_file(tmp_path)


def _refused(args) -> str:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr, r.exception)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert r.stdout == ""
    return lines[0]


@pytest.mark.parametrize("args, says", [
    (["simulate", "{m}", "--steps", "-1"], "--steps -1: must be at least 0"),
    (["plot", "trajectory", "{m}", "-o", "{tmp}/t.png", "--steps", "-3"], "at least 0"),
    (["attractors", "{m}", "--max-states", "-1"], "--max-states -1"),
    (["attractors", "{m}", "--state-limit", "-1"], "--state-limit -1"),
    (["attractors", "{m}", "--state-limit", "0"], "--state-limit 0"),
    (["fixed-points", "{m}", "--timeout", "nan"], "--timeout nan"),
    (["fixed-points", "{m}", "--timeout", "-1"], "--timeout -1"),
    (["fixed-points", "{m}", "--timeout", "inf"], "--timeout inf"),
    (["trap-spaces", "{m}", "--timeout", "0"], "--timeout 0"),
    (["stochastic", "{m}", "--time", "1", "--timeout", "nan"], "--timeout nan"),
    (["fixed-points", "{m}", "--limit", "0"], "--limit 0"),
    (["attractors", "{m}", "--limit", "-2"], "--limit -2"),
    (["stg", "{m}", "-o", "{tmp}/s.csv", "--limit", "0"], "--limit 0"),
    (["screen", "{m}", "--jobs", "0"], "--jobs 0"),
    (["compare", "{m}", "--jobs", "-1"], "--jobs -1"),
    (["stochastic", "{m}", "--time", "1", "-j", "x"], "--jobs x: not a whole number"),
    (["trap-spaces", "{m}", "--min", "--max"], "--min and --max exclude each other"),
    (["trap-spaces", "{m}", "--max", "--all"], "--max and --all exclude each other"),
])
def test_meaningless_values_are_refused(args, says, model, tmp_path):
    line = _refused([a.replace("{m}", str(model)).replace("{tmp}", str(tmp_path))
                     for a in args])
    assert says in line


@pytest.mark.parametrize("args", [
    ["--ko", "Akt", "--oe", "Akt"],
    ["--fix", "Akt=0", "--fix", "Akt=1"],
    ["--ko", "Akt", "--fix", "Akt=1"],
    ["--inputs", "IGF1=1", "--fix", "IGF1=0"],
    ["--fix", "Akt=0,Akt=1"],
])
@pytest.mark.parametrize("command", [["fixed-points"], ["attractors"], ["trap-spaces"],
                                     ["simulate"]])
def test_conflicting_clamps_across_options_are_refused(command, args, model):
    line = _refused([*command, model, *args])
    assert "is set both ON and OFF" in line


def test_agreeing_clamps_across_options_are_fine(model):
    r = CliRunner().invoke(cli, ["fixed-points", str(model), "--ko", "Akt", "--fix", "Akt=0",
                                 "--ko", "Akt", "--format", "json"])
    assert r.exit_code == 0, r.stderr


def test_options_override_scenarios_without_conflict():
    r = CliRunner().invoke(cli, ["fixed-points", str(MODELS / "bone.rules"), "--scenario",
                                 "baseline", "--fix", "Loading=1", "--limit", "1",
                                 "--format", "json"])
    assert r.exit_code == 0, r.stderr


def test_jobs_auto_is_one_per_core(model):
    r = CliRunner().invoke(cli, ["screen", str(model), "--jobs", "auto", "--format", "json"])
    assert r.exit_code == 0, r.stderr


@settings(max_examples=60, deadline=None)
@given(n=st.one_of(st.integers(-10**15, 10**15),
                   st.floats(allow_nan=True, allow_infinity=True)))
def test_counts_accept_exactly_the_whole_numbers_in_range(n):
    kind = Count(min=1, max=10**6)
    whole = isinstance(n, int) or (math.isfinite(n) and n == int(n))
    ok = whole and 1 <= int(n) <= 10**6
    try:
        got = kind.convert(str(n), None, None)
    except lb.UsageError:
        assert not ok
    else:
        assert ok and got == int(n)


@settings(max_examples=60, deadline=None)
@given(x=st.floats(allow_nan=True, allow_infinity=True))
def test_seconds_are_finite_and_positive(x):
    try:
        got = Seconds().convert(str(x), None, None)
    except lb.UsageError:
        assert not (math.isfinite(x) and x > 0)
    else:
        assert got == x and math.isfinite(x) and x > 0


# ------------------------------------------------------------ explosive requests

def test_a_very_long_simulation_is_refused_naming_the_maximum(model):
    line = _refused(["simulate", model, "--steps", "1e12"])
    assert f"{MAX_SIMULATE_STEPS:,}" in line and "attractors" in line


def test_a_very_long_trajectory_figure_is_refused_naming_the_maximum(model, tmp_path):
    line = _refused(["plot", "trajectory", model, "-o", tmp_path / "t.png", "--steps", "1e9"])
    assert f"{MAX_PLOT_STEPS:,}" in line and "simulate" in line
    assert list(tmp_path.iterdir()) == [model]


def test_steps_may_be_written_as_powers_of_ten(model):
    r = CliRunner().invoke(cli, ["simulate", str(model), "--steps", "1e1", "--format", "json"])
    assert r.exit_code == 0 and len(__import__("json").loads(r.stdout)["states"]) == 11


def test_every_trap_space_of_a_large_model_is_refused_with_what_to_do():
    start = time.perf_counter()
    line = _refused(["-q", "trap-spaces", MODELS / "bone.rules", "--all"])
    assert time.perf_counter() - start < 60
    for hint in ("more than 10,000", "--min", "--limit", "--count", "--force"):
        assert hint in line


def test_every_trap_space_of_a_small_model_is_listed(model):
    r = CliRunner().invoke(cli, ["trap-spaces", str(model), "--all", "--format", "json"])
    assert r.exit_code == 0 and r.stderr == ""
    import json

    data = json.loads(r.stdout)
    assert data["kind"] == "all" and len(data["trap_spaces"]) > 1


def test_all_with_a_limit_is_not_refused():
    r = CliRunner().invoke(cli, ["trap-spaces", str(MODELS / "bone.rules"), "--all",
                                 "--limit", "3", "--format", "json"])
    assert r.exit_code == 0, r.stderr


# ------------------------------------------------------------ scheduler addresses

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address, says", [
    ("", "not a scheduler address"),
    ("garbage", "not a scheduler address"),
    ("nonsense://x", "not a scheduler address"),
    ("tcp://host:99999", "not a scheduler address"),
    ("CLOSED", "cannot reach the Dask scheduler"),
])
def test_a_bad_scheduler_is_refused_and_the_process_exits(address, says, model):
    """As filed: a traceback, then the process never exited. Now one line, exit 2, promptly."""
    address = address.replace("CLOSED", f"tcp://127.0.0.1:{_closed_port()}")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "logicbone_cli.main", "screen", str(model),
                           "--scheduler", address], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --scheduler") and says in lines[0]
    assert proc.stdout == "" and time.perf_counter() - start < 60


def test_a_bad_scheduler_file_is_refused(tmp_path):
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(lb.UsageError, match="not a Dask scheduler file"):
        lb.check_scheduler(str(tmp_path / "bad.json"))


def test_without_dask_the_refusal_says_so(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    with pytest.raises(lb.UsageError, match="needs dask.distributed, which is not installed"):
        lb.check_scheduler("tcp://127.0.0.1:8786")


def test_a_server_that_never_answers_is_refused_within_the_timeout():
    """Something listens but says nothing: the client's handshake would wait forever."""
    pytest.importorskip("distributed")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        start = time.perf_counter()
        with pytest.raises(lb.UsageError, match="no answer within 1 s"):
            lb.check_scheduler(f"tcp://127.0.0.1:{port}", timeout=1)
        assert time.perf_counter() - start < 10


def test_a_real_scheduler_is_accepted_and_runs_the_screen(model, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert lb.check_scheduler(address) == address
        assert lb.check_scheduler(address.replace("tcp://", "")) == address
        f = tmp_path / "scheduler.json"
        f.write_text(f'{{"address": "{address}"}}')
        assert lb.check_scheduler(str(f)) == address
        out = tmp_path / "s.csv"
        r = CliRunner().invoke(cli, ["screen", str(model), "--scheduler", address, "-o",
                                     str(out), "--format", "json"])
        assert r.exit_code == 0, (r.stderr, r.exception)
    serial = tmp_path / "serial.csv"
    r = CliRunner().invoke(cli, ["screen", str(model), "-o", str(serial)])
    assert r.exit_code == 0 and out.read_bytes() == serial.read_bytes()


@pytest.mark.parametrize("n", [0, 3, 1000, 1001, 5000])
def test_json_of_long_results_reads_back_and_keeps_one_item_per_line(n):
    data = {"model": "m.bnet", "nodes": ["A", "B"], "complete": True,
            "attractors": [{"type": "fixed_point", "size": 1, "subspace": format(k, "b"),
                            "trap_space": "1\n*"} for k in range(n)],
            "notes": ["a", {"b": [1, 2]}]}
    text = json_text(data)
    assert json.loads(text) == data
    assert list(json.loads(text)) == list(data)          # the keys in their order
    if n <= 1000:
        assert text == json.dumps(data, indent=1)
    else:
        lines = text.splitlines()
        assert sum(line.startswith('  {"type": ') for line in lines) == n
        assert len(lines) == n + len(json.dumps({k: v for k, v in data.items()
                                                 if k != "attractors"}, indent=1).splitlines()) + 2
