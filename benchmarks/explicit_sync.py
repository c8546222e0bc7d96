"""Whole-command time of synchronous attractor search: logicbone vs R's BoolNet (exhaustive).

For random N-K networks (n = 16, 18, 20, 22 by default, K = 2, fixed seeds, no constant rules) this times

    logicbone attractors MODEL --update sync --method explicit --format json
    Rscript -e 'getAttractors(loadNetwork(MODEL), type="synchronous", method="exhaustive")'

as separate processes (start-up included), takes the median of ``--runs`` runs, checks that
both find the same number of attractors, and prints the ratio logicbone / BoolNet and
logicbone's peak memory per state (peak RSS above that of the same command on a 4-node
network, divided by 2^n).

    .venv/bin/python benchmarks/explicit_sync.py [--sizes 16 18 20 22] [--k 2] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import logicbone as lb

LOGICBONE = [sys.executable, "-m", "logicbone_cli.main"]
R_CODE = ('suppressMessages(library(BoolNet)); '
          'a <- getAttractors(loadNetwork(commandArgs(TRUE)[1]), type="synchronous", '
          'method="exhaustive"); cat(length(a$attractors), "\\n")')


def random_nk(n: int, k: int, seed: int) -> lb.Network:
    """Random N-K network with no constant rules (nothing percolates: the whole space of 2^n
    states is searched)."""
    return lb.random_network(n, k, seed, constant_rules=False)


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (bytes, from ``wait4``) and stdout of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed: {err.strip()[-300:]}")
    return wall, usage.ru_maxrss * 1024, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 18, 20, 22])
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    have_r = shutil.which("Rscript") is not None and subprocess.run(
        ["Rscript", "-e", "library(BoolNet)"], capture_output=True).returncode == 0
    if not have_r:
        print("R's BoolNet is not installed: timing logicbone only", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.bnet"
        small.write_text(lb.to_bnet(random_nk(4, 2, 0)))
        base = min(run_measured([*LOGICBONE, "attractors", str(small), "--update", "sync",
                                 "--format", "json"])[1] for _ in range(2))
        print(f"{'n':>3} {'states':>9} {'logicbone s':>12} {'BoolNet s':>10} {'ratio':>6} "
              f"{'attractors':>10} {'bytes/state':>11}")
        for n in args.sizes:
            path = Path(tmp) / f"nk{n}.bnet"
            path.write_text(lb.to_bnet(random_nk(n, args.k, 1000 + n)))
            ours, peaks = [], []
            for _ in range(args.runs):
                wall, peak, out = run_measured([*LOGICBONE, "attractors", str(path), "--update",
                                                "sync", "--method", "explicit", "--format",
                                                "json", "--max-states", "0"])
                ours.append(wall)
                peaks.append(peak)
            count = len(json.loads(out)["attractors"])
            t_ours = statistics.median(ours)
            bps = max(0, min(peaks) - base) / 2 ** n
            if have_r:
                theirs = []
                for _ in range(args.runs):
                    wall, _, rout = run_measured(["Rscript", "-e", R_CODE, str(path)])
                    theirs.append(wall)
                t_r = statistics.median(theirs)
                r_count = int(rout.split()[0])
                flag = "" if r_count == count else f" (BoolNet: {r_count})"
                print(f"{n:>3} {2**n:>9} {t_ours:>12.2f} {t_r:>10.2f} {t_ours / t_r:>6.2f} "
                      f"{count:>10}{flag} {bps:>11.1f}", flush=True)
            else:
                print(f"{n:>3} {2**n:>9} {t_ours:>12.2f} {'-':>10} {'-':>6} {count:>10} "
                      f"{bps:>11.1f}", flush=True)


if __name__ == "__main__":
    main()
