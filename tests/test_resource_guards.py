"""Rules that would blow up when expanded: answered without expanding them, or refused in
seconds with the rule named (never minutes of work, never all the memory)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LOGICBONE = [sys.executable, "-m", "logicbone_cli.main"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*LOGICBONE, *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def xor22(tmp_path_factory) -> Path:
    """``A* = x1 xor ... xor x22``: its and/or/not form reads x1 2**21 times."""
    path = tmp_path_factory.mktemp("guards") / "xor22.rules"
    xs = [f"x{i}" for i in range(1, 23)]
    path.write_text("A* = " + " xor ".join(xs) + "\n" + "".join(f"{x}* = {x}\n" for x in xs))
    return path


@pytest.mark.parametrize("command", ["info", "graph", "lint"])
def test_describing_an_xor_chain_needs_no_expansion(xor22, command):
    done = run(command, str(xor22), timeout=30)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if command == "graph":
        assert "x22 ^" in done.stdout or "x21 ^ x22" in done.stdout  # the rule, kept short


def test_converting_it_to_a_dialect_without_xor_is_refused_naming_the_rule(xor22, tmp_path):
    out = tmp_path / "x.bnet"
    done = run("convert", str(xor22), str(out), timeout=30)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "'A'" in done.stderr and "xor" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("suffix", ["rules", "sbml"])
def test_dialects_with_xor_keep_it_short(xor22, tmp_path, suffix):
    out = tmp_path / f"x.{suffix}"
    done = run("convert", str(xor22), str(out), timeout=30)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size < 100_000
    back = run("convert", str(out), "-", timeout=30)
    assert back.returncode == 0, back.stderr
    assert "A* = x1 xor x2 xor" in back.stdout
