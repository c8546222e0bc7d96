"""Whole-command time of ``logicbone stg --collapse`` (the quotient of the state-transition graph
by its strongly connected components), optionally against an earlier revision.

For seeded random N-K networks (``random_nk`` of ``explicit_sync.py``, K = 2) whose first
``--inputs`` nodes are made inputs (``x* = x``), this times

    logicbone stg MODEL --collapse --update U --format F -o FILE

as a separate process (start-up included) and prints the median of ``--runs`` runs (wall
time, and CPU time, user + system, which a busy machine disturbs less) with the number of
states, components and quotient edges. With ``--against REV`` the same command is
also run on the code of git revision ``REV`` (``src/`` and ``cli/`` unpacked by ``git archive``
into a temporary folder put first on ``PYTHONPATH``): the output files of both must be byte for
byte the same, and the ratio of the times is printed.

    .venv/bin/python benchmarks/stg.py [--sizes 18 20 22] [--inputs 2] [--seed 3] [--runs 3]
        [--update async] [--format csv] [--against REV]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import logicbone as lb
from logicbone.expr import Var

sys.path.insert(0, str(Path(__file__).resolve().parent))
from explicit_sync import random_nk  # noqa: E402  (the shared seeded N-K generator)

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "logicbone_cli.main"]


def random_nk_with_inputs(n: int, k: int, inputs: int, seed: int) -> lb.Network:
    """:func:`random_nk` with its first ``inputs`` nodes made inputs (``x_i* = x_i``), so that
    the state space falls apart into ``2**inputs`` blocks, as in signalling models."""
    net = random_nk(n, k, seed)
    rules = dict(net.rules)
    for name in net.names[:inputs]:
        rules[name] = Var(name)
    return lb.Network.from_rules(rules)


def unpack_revision(rev: str, into: Path) -> dict:
    """``src/`` and ``cli/`` of ``rev`` under ``into``; the environment that imports them."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src", "cli"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    pkgs = into / "pkgs"
    pkgs.mkdir()
    (pkgs / "logicbone").symlink_to(into / "src" / "logicbone")
    (pkgs / "logicbone_cli").symlink_to(into / "cli")
    return {**os.environ, "PYTHONPATH": str(pkgs)}


def timed(cmd: list[str], env: dict | None) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system, from ``wait4``) and stderr of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[2:5])}... failed: {err.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, err


def digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


def run(model: Path, out: Path, args, env=None) -> tuple[float, float, str, str]:
    """Median wall and CPU times, the command's summary line and the digest of the files."""
    cmd = [*COMMAND, "stg", str(model), "--collapse", "--update", args.update,
           "--format", args.format, "-o", str(out)]
    files = [out, lb.nodes_path(out)] if args.format == "csv" else [out]
    walls, cpus, summary = [], [], ""
    for _ in range(args.runs):
        for f in files:  # a fresh file each time: replacing a large one costs time of its own
            f.unlink(missing_ok=True)
        wall, cpu, err = timed(cmd, env)
        walls.append(wall)
        cpus.append(cpu)
        summary = err.strip().splitlines()[-1] if err.strip() else ""
    return statistics.median(walls), statistics.median(cpus), summary, digest(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[18, 20, 22])
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--inputs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--update", default="async", choices=["sync", "async", "general"])
    ap.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    ap.add_argument("--against", metavar="REV", help="also time the code of this git revision")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env_old = None
        if args.against:
            (tmp / "old").mkdir()
            env_old = unpack_revision(args.against, tmp / "old")
        head = f"{'n':>3} {'states':>9} {'components':>10} {'edges':>9} {'now s':>7} {'cpu s':>6}"
        if args.against:
            head += (f" {args.against[:8] + ' s':>10} {'cpu s':>6} {'speed-up':>8}"
                     f" {'same output':>11}")
        print(head, flush=True)
        for n in args.sizes:
            model = tmp / f"nk{n}.bnet"
            model.write_text(lb.to_bnet(random_nk_with_inputs(n, args.k, args.inputs,
                                                             args.seed)))
            t_now, c_now, summary, d_now = run(model, tmp / f"now.{args.format}", args)
            m = re.search(r"\((\d+) components of (\d+) states, (\d+) edges", summary)
            comps, states, edges = m.groups() if m else ("?", "?", "?")
            line = f"{n:>3} {states:>9} {comps:>10} {edges:>9} {t_now:>7.2f} {c_now:>6.2f}"
            if args.against:
                t_old, c_old, _, d_old = run(model, tmp / f"old.{args.format}", args, env_old)
                line += (f" {t_old:>10.2f} {c_old:>6.2f} {t_old / t_now:>7.1f}x "
                         f"{'yes' if d_old == d_now else 'NO':>11}")
            print(line, flush=True)


if __name__ == "__main__":
    main()
