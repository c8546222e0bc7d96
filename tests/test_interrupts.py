"""Ctrl-C (SIGINT) and SIGTERM during a long analysis: the commands write what they found,
marked partial, and exit 130 (the first signal; a second one aborts)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _helpers import BENCH

LOGICBONE = [sys.executable, "-m", "logicbone_cli.main"]


def _latched_pairs(k: int) -> str:
    """X reads k positive two-node loops: 2^k fixed points (and minimal trap spaces, and
    synchronous attractors by the billion) in one part, far too many to list in seconds."""
    lines = ["X, " + " | ".join(f"A{i}" for i in range(k))]
    lines += [f"A{i}, B{i}\nB{i}, A{i}" for i in range(k)]
    return "\n".join(lines) + "\n"


def _interrupt(args: list[str], started: str, sig: int = signal.SIGINT,
               settle: float = 1.0, within: float = 60.0) -> tuple[int, str, str]:
    """Run the command, wait until its stderr (at -vv) shows ``started`` (the analysis is
    under way), let it work ``settle`` seconds more, send ``sig``; return (exit code,
    stdout, stderr). The command must end within ``within`` seconds of the signal."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*LOGICBONE, "-vv", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    seen = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if started in line:
                break
        else:
            pytest.fail("the analysis never started:\n" + "".join(seen))
        time.sleep(settle)
        proc.send_signal(sig)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=within + 60)
        assert time.monotonic() - sent < within, "stopped too late after the signal"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, "".join(seen) + err


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("interrupts") / "pairs.bnet"
    path.write_text(_latched_pairs(24))
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_fixed_points_list_is_partial(big, sig):
    code, out, err = _interrupt(["fixed-points", str(big), "--method", "asp", "--format",
                                 "json"], "grounded", sig)
    assert code == 130, err
    data = json.loads(out)
    assert data["complete"] is False and data["reason"] == "interrupted"
    assert 0 < len(data["fixed_points"]) < 2 ** 24
    assert "partial list (interrupted)" in err


def test_fixed_points_count_is_a_lower_bound(big):
    code, out, err = _interrupt(["fixed-points", str(big), "--count", "--method", "asp",
                                 "--format", "json"], "counting answer sets")
    assert code == 130, err
    data = json.loads(out)
    assert data["exact"] is False and 0 <= data["count"] < 2 ** 24


def test_trap_spaces_list_is_partial(big):
    code, out, err = _interrupt(["trap-spaces", str(big), "--format", "json"], "grounded")
    assert code == 130, err
    data = json.loads(out)
    assert data["complete"] is False and data["reason"] == "interrupted"
    assert 0 < len(data["trap_spaces"]) < 2 ** 24


def test_trap_spaces_count_is_a_lower_bound(big):
    code, out, err = _interrupt(["trap-spaces", str(big), "--count", "--format", "json"],
                                "grounded")
    assert code == 130, err
    data = json.loads(out)
    assert data["exact"] is False and 0 <= data["count"] < 2 ** 24


def test_synchronous_sat_list_is_partial(big):
    code, out, err = _interrupt(["attractors", str(big), "--update", "sync", "--method",
                                 "sat", "--format", "json"], "cycles of length 1")
    assert code == 130, err
    data = json.loads(out)
    assert data["complete"] is False
    assert any("interrupted" in note for note in data["notes"])


CORPUS = {"243": "bbm/243_rheumatoid-arthritis-multi-cellular.bnet",
          "252": "bbm/252_mammalian-epidermis-2d.bnet",
          "261": "bbm/261_sars-cov-2-host-interaction.bnet"}


def _corpus(key: str) -> Path:
    path = BENCH / CORPUS[key]
    if not path.exists():
        pytest.skip("the benchmark corpus is not next to the checkout")
    return path


@pytest.mark.parametrize("key", ["243", "252"])
def test_trap_spaces_of_large_corpus_models_are_partial(key):
    """Parts multiply into more trap spaces than can be listed: an interrupt still lists
    the first few thousand (it used to refuse the whole list, exit 1)."""
    code, out, err = _interrupt(["trap-spaces", str(_corpus(key)), "--format", "json"],
                                "so far", settle=0.5, within=30)
    assert code == 130, err
    data = json.loads(out)
    assert data["complete"] is False and data["reason"] == "interrupted"
    assert 0 < len(data["trap_spaces"]) <= 70_000
    assert "partial list (interrupted)" in err


@pytest.mark.parametrize("key", ["252", "261"])
def test_fixed_point_counts_of_large_corpus_models_are_lower_bounds(key):
    code, out, err = _interrupt(["fixed-points", str(_corpus(key)), "--count", "--format",
                                 "json"], "by BDD", settle=2.0, within=30)
    assert code == 130, err
    data = json.loads(out)
    assert data["exact"] is False and data["count"] >= 0
    assert "a lower bound" in err


def test_compare_gives_the_conditions_analysed_so_far(tmp_path):
    model = tmp_path / "pairs.bnet"
    lines = ["X, " + " | ".join(f"A{i}" for i in range(12))]
    lines += [f"A{i}, B{i}\nB{i}, A{i} & !X" for i in range(12)]
    model.write_text("\n".join(lines) + "\n")  # 25 nodes: seconds per synchronous condition
    args = ["compare", str(model), "--update", "sync", "--method", "explicit", "--format",
            "json", "-c", "wt"] + [a for i in range(6) for a in ("-c", f"A{i}=0")]
    code, out, err = _interrupt(args, "condition wt:", settle=0.2, within=30)
    assert code == 130, err
    data = json.loads(out)
    assert data["complete"] is False and data["reason"] == "interrupted"
    assert data["conditions"][0]["name"] == "wt" and data["skipped"]
    assert len(data["conditions"]) + len(data["skipped"]) == 7
    assert "partial comparison (interrupted)" in err


def test_check_gives_the_verdicts_so_far(tmp_path):
    model = tmp_path / "pairs.bnet"
    lines = ["X, " + " | ".join(f"A{i}" for i in range(12))]
    lines += [f"A{i}, B{i}\nB{i}, A{i} & !X" for i in range(12)]
    model.write_text("\n".join(lines) + "\n")
    statements = [f"- id: E{i}\n  condition: {{fix: {{A{i}: 0}}}}\n  expect: {{A{i}: all_off}}\n"
                  for i in range(6)]
    expectations = tmp_path / "pairs.expectations.yaml"
    expectations.write_text("".join(statements))
    code, out, err = _interrupt(["check", str(model), "--update", "sync", "--method",
                                 "explicit", "--format", "json"],
                                "attractors under", settle=0.0, within=30)
    assert code == 130, err
    data = json.loads(out)
    assert data["complete"] is False and data["reason"] == "interrupted"
    assert data["skipped"] and len(data["results"]) + len(data["skipped"]) <= 6
    assert "partial check (interrupted)" in err
