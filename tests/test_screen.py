"""screen: ranked single/double perturbations, streamed to a file, resumable, executor-independent."""
from __future__ import annotations

import os
import signal

import functools
import json
from collections import Counter

import pytest

import logicbone as lb
from logicbone.analysis.compare import compare
from logicbone.analysis.screen import ScreenFileError, read_screen, screen

from _helpers import MODELS, enumerate_attractors as _enumerate

# the same perturbed network recurs across tests: enumerate each once
enumerate_attractors = functools.lru_cache(maxsize=None)(_enumerate)

# a small signalling cascade with a feedback loop and two readouts
NET = """S, S
A, S & !I
B, A | C
C, B & !D
D, A
I, 0
P, B & !D
Q, C | I
"""


@pytest.fixture(scope="module")
def net():
    return lb.parse_bnet(NET)


def _run(net, **kw):
    kw.setdefault("targets", ["A", "B", "C", "D", "I"])
    kw.setdefault("readouts", ["P", "Q"])
    kw.setdefault("base", lb.Perturbation({"S": 1}))
    return screen(net, single=True, double=True, analyse=enumerate_attractors, **kw)


def test_records_agree_with_compare(net):
    res = _run(net)
    assert len(res.records) == 1 + 10 + 10 * 4
    assert res.records[0].perturbation == "wt"
    conds = ["wt"] + [r.perturbation for r in res.records[1:]]
    base = {"S": 1}
    cmp = compare(net, [lb.Perturbation({**base, **lb.parse_assignments(c)} if c != "wt" else base,
                                        label=c) for c in conds],
                  readouts=["P", "Q"], analyse=enumerate_attractors)
    by_name = {c.name: c for c in cmp.conditions}
    wt_act = None
    for r in res.records:
        c = by_name[r.perturbation]
        assert r.readouts == {x: c.summary[x] for x in ("P", "Q")}
        assert r.attractors == len(c.result.attractors)
        # mean activity computed here from the subspaces, independently of the screen
        act = {x: sum({"1": 1, "0": 0, "*": .5}[a.subspace[net.index(x)]]
                      for a in c.result.attractors) / len(c.result.attractors) for x in ("P", "Q")}
        assert r.activity == pytest.approx(act)
        wt_act = wt_act or act
        assert r.effect == pytest.approx(sum(abs(act[x] - wt_act[x]) for x in act))
        ref = cmp.reference
        assert r.lost == len({ref.phenotypes[j] for j, s in enumerate(c.reference_status)
                              if s == "lost"})
        assert r.gained == len({c.phenotypes[k] for k, m in enumerate(c.matches)
                                if m.status == "gained"})
        assert dict(r.phenotypes) == Counter(c.phenotypes)
    effects = [r.effect for r in res.records[1:]]
    assert effects == sorted(effects, reverse=True)


def test_default_targets_and_readouts(net):
    res = screen(net, base=lb.Perturbation({"S": 1}), analyse=enumerate_attractors)
    assert res.readouts == ("P", "Q")
    assert set(res.targets) == {"A", "B", "C", "D"}  # not inputs, constants, readouts, clamps
    assert len(res.records) == 1 + 2 * 4


def test_unknown_target(net):
    with pytest.raises(lb.UnknownNodeError, match="did you mean"):
        _run(net, targets=["Bb"])


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_file_round_trip_and_refusal(net, tmp_path, suffix):
    out = tmp_path / f"s.{suffix}"
    res = _run(net, output=out)
    assert read_screen(out) == list(res.records)
    with pytest.raises(lb.FileExistsRefused):
        _run(net, output=out)
    again = _run(net, output=out, force=True)
    assert again.records == res.records


class _Stop(Exception):
    pass


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
@pytest.mark.parametrize("stop_after", [1, 23])
def test_interrupted_then_resumed_equals_uninterrupted(net, tmp_path, suffix, stop_after):
    whole = tmp_path / f"whole.{suffix}"
    _run(net, output=whole)
    part = tmp_path / f"part.{suffix}"

    def stop(done, total):
        if done >= stop_after:
            raise _Stop

    with pytest.raises(_Stop):
        _run(net, output=part, progress=stop)
    assert len(read_screen(part)) == stop_after
    # a kill in the middle of a write leaves half a line behind
    with open(part, "a") as fh:
        fh.write('B=1,C=0,"tr' if suffix == "csv" else '{"perturbation": "B=1,C=0", "ki')
    seen = []
    res = _run(net, output=part, resume=True, progress=lambda d, t: seen.append(d))
    assert res.resumed == stop_after
    assert seen[0] == stop_after and seen[-1] == 51 and len(seen) == 51 - stop_after + 1
    assert part.read_bytes() == whole.read_bytes()


def test_resume_refuses_another_screen(net, tmp_path):
    out = tmp_path / "s.jsonl"
    _run(net, output=out)
    with pytest.raises(ScreenFileError, match="other readouts"):
        _run(net, output=out, resume=True, readouts=["P"])
    with pytest.raises(ScreenFileError, match="other targets"):
        _run(net, output=out, resume=True, targets=["A", "B"])
    with pytest.raises(ScreenFileError, match="synchronous"):
        screen(net, targets=["A", "B", "C", "D", "I"], readouts=["P", "Q"], double=True,
               base=lb.Perturbation({"S": 1}), output=out, resume=True, update="sync",
               analyse=lambda n: _enumerate(n, "synchronous"))


def test_resume_of_a_finished_screen_computes_nothing(net, tmp_path):
    out = tmp_path / "s.csv"
    first = _run(net, output=out)

    def boom(n):
        raise AssertionError("nothing should be recomputed")

    again = screen(net, targets=["A", "B", "C", "D", "I"], readouts=["P", "Q"], double=True,
                   base=lb.Perturbation({"S": 1}), analyse=boom, output=out, resume=True)
    assert again.records == first.records


def test_phenotypes_are_counted_not_repeated(tmp_path):
    # four free inputs, 16 attractors, two readouts: at most 4 phenotypes, each with its count
    free = lb.parse_bnet("I1, I1\nI2, I2\nI3, I3\nI4, I4\nA, I1 | I2\nB, A & !I3\nR, B\nT, I4")
    res = screen(free, single=True, targets=["A", "B"], readouts=["R", "T"], base=lb.Perturbation(),
                 analyse=enumerate_attractors, output=tmp_path / "s.csv")
    wt = res.records[0]
    assert wt.attractors == 16
    assert wt.phenotypes == (("00", 5), ("01", 5), ("10", 3), ("11", 3))
    for r in res.records:
        assert sum(n for _, n in r.phenotypes) == r.attractors
    cell = (tmp_path / "s.csv").read_text().splitlines()[1].rsplit(",", 1)[1]
    assert cell == "00:5 01:5 10:3 11:3"
    assert read_screen(tmp_path / "s.csv") == list(res.records)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_resumes_a_file_with_one_phenotype_per_attractor(net, tmp_path, suffix):
    # files written before the counts list each attractor's phenotype: still read, as counts
    whole = _run(net)
    out = tmp_path / f"s{suffix}"
    _run(net, output=out)
    lines = out.read_text().splitlines(keepends=True)
    keep = lines[:6] if suffix == ".csv" else lines[:5]
    old = []
    for line in keep:
        if suffix == ".jsonl":
            d = json.loads(line)
            d["phenotypes"] = [ph for ph, n in sorted(d["phenotypes"].items()) for _ in range(n)]
            old.append(json.dumps(d) + "\n")
        elif line.startswith("perturbation,"):
            old.append(line)
        else:
            head, cell = line.rstrip("\n").rsplit(",", 1)
            words = [w.partition(":") for w in cell.split()]
            old.append(head + "," + " ".join(ph for ph, _, n in words for _ in range(int(n))) + "\n")
    out.write_text("".join(old))
    again = _run(net, output=out, resume=True)
    assert again.resumed == 5
    assert again.records == whole.records
    # rewritten on completion in the new form, byte for byte as a screen run in one go
    _run(net, output=tmp_path / f"fresh{suffix}")
    assert out.read_bytes() == (tmp_path / f"fresh{suffix}").read_bytes()


def test_jsonl_lines_are_self_contained(net, tmp_path):
    out = tmp_path / "s.jsonl"
    _run(net, output=out)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert {"perturbation", "attractors", "readouts", "effect", "phenotypes"} <= set(lines[0])


# ------------------------------------------------------------ command line

MUSCLE = str(MODELS / "muscle_fibre.rules")
TARGETS = ("IGF1,IGF1R,IRS1,PI3K,Akt,AMPK,mTOR,S6K,EIF4EBP1,eIF4E,GSK3B,eIF2B,FOXO,E3_ligases,"
           "IL6,STAT3")


def _cli(*args):
    from click.testing import CliRunner

    from logicbone_cli.main import cli

    return CliRunner().invoke(cli, list(args))


def _screen_args(out, *extra):
    return ["screen", MUSCLE, "--scenario", "baseline", "--single", "--double", "--targets",
            TARGETS, "--readouts", "Hypertrophy,Atrophy", "-o", str(out), *extra]


def test_cli_screen_table_and_file(tmp_path):
    out = tmp_path / "s.csv"
    r = _cli(*_screen_args(out), "--top", "3")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{MUSCLE}: ") and "base baseline" in lines[0]
    recs = read_screen(out)
    assert len(recs) == 1 + 2 * 16 + 120 * 4 and recs[0].perturbation == "wt"
    body = [x.split() for x in lines[4:8]]
    assert [b[0] for b in body] == ["wt", "1", "2", "3"]
    assert [b[1] for b in body[1:]] == [x.perturbation for x in recs[1:4]]
    assert "more" in lines[-1]
    assert f"wrote {out}" in r.stderr
    again = _cli(*_screen_args(out))
    assert again.exit_code == 2 and "--resume" in again.stderr


def test_cli_screen_killed_and_resumed_equals_uninterrupted(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    whole = tmp_path / "whole.jsonl"
    assert _cli(*_screen_args(whole)).exit_code == 0
    total = len(whole.read_text().splitlines())

    part = tmp_path / "part.jsonl"
    cmd = [sys.executable, "-m", "logicbone_cli.main", *_screen_args(part)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            if part.exists() and part.read_bytes().count(b"\n") >= 40:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    written = part.read_bytes().count(b"\n")
    assert 0 < written < total
    r = _cli(*_screen_args(part, "--resume", "--format", "json"))
    assert r.exit_code == 0, r.stderr
    assert f"resumed: {written} records" in r.stderr
    assert part.read_bytes() == whole.read_bytes()
    assert len(json.loads(r.stdout)["records"]) == total


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    from pathlib import Path

    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out.update(kids)
        todo += kids
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process table in /proc")
@pytest.mark.parametrize("signals", [(signal.SIGINT,), (signal.SIGINT, signal.SIGINT),
                                     (signal.SIGTERM,)])
def test_cli_screen_interrupted_on_workers_then_resumed_equals_uninterrupted(tmp_path, signals):
    """Ctrl-C (once or twice) or SIGTERM during a screen on two worker processes: it stops
    at once, leaves no process behind and no half-written line, and --resume then gives
    the very file an uninterrupted screen writes."""
    import subprocess
    import sys
    import time

    whole = tmp_path / "whole.csv"
    assert _cli(*_screen_args(whole)).exit_code == 0
    total = len(whole.read_text().splitlines())

    part = tmp_path / "part.csv"
    cmd = [sys.executable, "-m", "logicbone_cli.main", *_screen_args(part, "--jobs", "2")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 180
        while time.time() < deadline and proc.poll() is None:
            if part.exists() and part.read_bytes().count(b"\n") >= 30:
                break
            time.sleep(0.02)
        workers = _descendants(proc.pid)
        assert proc.poll() is None and workers, "the screen ended before it was interrupted"
        sent = time.monotonic()
        for sig in signals:
            proc.send_signal(sig)
            time.sleep(0.05)
        out, err = proc.communicate(timeout=60)
        stopped = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert stopped < 15, f"took {stopped:.1f}s to stop"
    assert "Traceback" not in err and "--resume" in err
    time.sleep(0.5)
    assert not {p for p in workers if os.path.exists(f"/proc/{p}")
                and "python" in _cmdline(p)}, "worker processes left behind"
    data = part.read_bytes()
    assert data.endswith(b"\n") and data.count(b"\n") < total
    r = _cli(*_screen_args(part, "--resume"))
    assert r.exit_code == 0, r.stderr
    assert part.read_bytes() == whole.read_bytes()


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_cli_screen_options_that_exclude_each_other(tmp_path):
    r = _cli("screen", MUSCLE, "--resume")
    assert r.exit_code == 2 and "--output" in r.stderr
    r = _cli("screen", MUSCLE, "--targets", "Atk", "--scenario", "baseline")
    assert r.exit_code == 2 and "did you mean Akt" in r.stderr
