"""Rules that would blow up when expanded: answered without expanding them, or refused in
seconds with the rule named (never minutes of work, never all the memory)."""
from __future__ import annotations

import os
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


# ------------------------------------------------------------------ the memory cap

def _pairs(k: int) -> str:
    lines = ["X, " + " | ".join(f"A{i}" for i in range(k))]
    lines += [f"A{i}, B{i}\nB{i}, A{i} & !X" for i in range(k)]
    return "\n".join(lines) + "\n"


def test_running_out_of_the_memory_cap_is_one_line_exit_1(tmp_path):
    model = tmp_path / "p25.bnet"
    model.write_text(_pairs(12))  # 25 nodes: every successor of 2^25 states takes 128 MB
    env = dict(os.environ, LOGICBONE_MEMORY_LIMIT="300M")
    done = subprocess.run([*LOGICBONE, "attractors", str(model), "--update", "sync",
                           "--method", "explicit"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("error: out of memory") and done.stderr.count("\n") == 1
    assert "LOGICBONE_MEMORY_LIMIT" in done.stderr


@pytest.mark.parametrize("bad", ["lots", "-1G", "150%", "1K"])
def test_a_bad_memory_setting_is_refused(tmp_path, bad):
    model = tmp_path / "m.bnet"
    model.write_text("A, A\n")
    done = subprocess.run([*LOGICBONE, "info", str(model)], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, LOGICBONE_MEMORY_LIMIT=bad))
    assert done.returncode == 2 and "LOGICBONE_MEMORY_LIMIT" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("setting, physical, cap", [
    (None, 8 << 30, 6 << 30), ("", 8 << 30, 6 << 30), ("4G", None, 4 << 30),
    ("512m", 1, 512 << 20), ("1.5GB", 1, 3 << 29), ("50%", 8 << 30, 4 << 30),
    ("off", 8 << 30, None), ("none", 8 << 30, None), ("2GiB", 1, 2 << 30),
])
def test_memory_settings(setting, physical, cap):
    from logicbone_cli.guards import memory_cap

    assert memory_cap(setting, physical) == cap


def test_the_cap_is_set_on_the_process():
    code = ("import resource, sys; from logicbone_cli.guards import cap_memory; "
            "cap = cap_memory({'LOGICBONE_MEMORY_LIMIT': '3G'}); "
            "print(cap, resource.getrlimit(resource.RLIMIT_AS)[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == [str(3 << 30)] * 2
