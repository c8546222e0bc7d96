"""Whole-command time of synchronous attractor search: logicbone vs R's BoolNet (exhaustive).

For random N-K networks (n = 16, 18, 20, 22 by default, K = 2, fixed seeds, no constant rules) this times

    logicbone attractors MODEL --update sync --method explicit --format json
    Rscript -e 'getAttractors(loadNetwork(MODEL), type="synchronous", method="exhaustive")'

as separate processes (start-up included), side by side, takes the median of ``--runs`` runs, checks that
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


def run_measured(cmd: list[str]) -> tuple[float, int, str, float]:
    """Wall time, peak RSS (bytes, from ``wait4``), stdout and CPU time (user + system) of
    one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed: {err.strip()[-300:]}")
    return wall, usage.ru_maxrss * 1024, out, usage.ru_utime + usage.ru_stime


def have_boolnet() -> bool:
    """Whether ``Rscript`` with the BoolNet package is installed here."""
    return shutil.which("Rscript") is not None and subprocess.run(
        ["Rscript", "-e", "library(BoolNet)"], capture_output=True).returncode == 0


def measure(sizes: list[int], k: int = 2, runs: int = 3, echo=print) -> list[dict]:
    """Time both whole commands on one seeded N-K network per size, side by side (ours,
    then BoolNet's, ``runs`` times); one record per size: medians, ratio, attractor counts
    and logicbone's peak bytes per state. ``echo`` receives the printed table's lines."""
    have_r = have_boolnet()
    if not have_r:
        print("R's BoolNet is not installed: timing logicbone only", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.bnet"
        small.write_text(lb.to_bnet(random_nk(4, 2, 0)))
        base = min(run_measured([*LOGICBONE, "attractors", str(small), "--update", "sync",
                                 "--format", "json"])[1] for _ in range(2))
        echo(f"{'n':>3} {'states':>9} {'logicbone s':>12} {'BoolNet s':>10} {'ratio':>6} "
             f"{'attractors':>10} {'bytes/state':>11} {'CPU ratio':>9}")
        for n in sizes:
            path = Path(tmp) / f"nk{n}.bnet"
            path.write_text(lb.to_bnet(random_nk(n, k, 1000 + n)))
            ours, peaks, theirs, ours_cpu, theirs_cpu = [], [], [], [], []
            r_count = None
            for _ in range(runs):
                wall, peak, out, cpu = run_measured(
                    [*LOGICBONE, "attractors", str(path), "--update", "sync", "--method",
                     "explicit", "--format", "json", "--max-states", "0", "--force"])
                ours.append(wall)
                ours_cpu.append(cpu)
                peaks.append(peak)
                if have_r:
                    wall, _, rout, cpu = run_measured(["Rscript", "-e", R_CODE, str(path)])
                    theirs.append(wall)
                    theirs_cpu.append(cpu)
                    r_count = int(rout.split()[0])
            count = len(json.loads(out)["attractors"])
            row = {"n": n, "logicbone_s": statistics.median(ours),
                   "bytes_per_state": max(0, min(peaks) - base) / 2 ** n,
                   "attractors": count, "boolnet_s": None, "ratio": None,
                   "boolnet_attractors": r_count, "cpu_ratio": None}
            if have_r:
                row["boolnet_s"] = statistics.median(theirs)
                row["ratio"] = row["logicbone_s"] / row["boolnet_s"]
                row["cpu_ratio"] = statistics.median(ours_cpu) / statistics.median(theirs_cpu)
            rows.append(row)
            flag = "" if r_count in (None, count) else f" (BoolNet: {r_count})"
            t_r = "-" if row["boolnet_s"] is None else f"{row['boolnet_s']:.2f}"
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
            cpu_ratio = "-" if row["cpu_ratio"] is None else f"{row['cpu_ratio']:.2f}"
            echo(f"{n:>3} {2**n:>9} {row['logicbone_s']:>12.2f} {t_r:>10} {ratio:>6} "
                 f"{count:>10}{flag} {row['bytes_per_state']:>11.1f} {cpu_ratio:>9}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 18, 20, 22])
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", default=None, help="Also write the records here (a JSON list).")
    args = ap.parse_args()
    rows = measure(args.sizes, args.k, args.runs, echo=lambda line: print(line, flush=True))
    if args.json:
        Path(args.json).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
