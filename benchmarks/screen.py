"""Time one screen serially, on 2 local worker processes and on a local Dask cluster of 2 workers.

The screen is the one of BBM 161 (differentiation of monocytes, 96 nodes): every single and
double knockout/over-expression of 20 of its nodes, 801 records with the wild type:

    logicbone screen MODEL --single --double --targets T1,...,T20 -o FILE.csv [--jobs 2 |
        --scheduler tcp://...]

Each mode runs ``--runs`` times as a separate process (start-up included), the modes taking
turns, and the median wall time of each is printed with the speed-up over the serial run. The
output files of every run must be byte for byte the same. The Dask cluster (2 worker
processes, one thread each) is started once, before the timings, as a user's cluster would be.
A busy machine disturbs the figures: compare medians, and read the load average printed with
them.

    .venv/bin/python benchmarks/screen.py [--model FILE] [--targets 20] [--runs 3] [--no-dask]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import logicbone as lb

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT.parent / "shared" / "benchmarks" / "bbm" / "161_differentiation-of-monocytes.bnet"
COMMAND = [sys.executable, "-m", "logicbone_cli.main", "-q", "screen"]


def default_targets(net: lb.Network, n: int) -> list[str]:
    """The first ``n`` nodes in file order that are neither inputs, outputs nor constants."""
    skip = set(net.inputs) | set(net.outputs) | set(net.constants)
    return [name for name in net.names if name not in skip][:n]


def run(model: Path, targets: list[str], out: Path, extra: list[str]) -> float:
    """One screen as a separate process; its wall time in seconds."""
    args = [*COMMAND, str(model), "--single", "--double", "--targets", ",".join(targets),
            "-o", str(out), "--force", "--format", "json", "--top", "1", *extra]
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=MODEL)
    ap.add_argument("--targets", type=int, default=20, help="number of targets (default 20)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each mode (median; default 3)")
    ap.add_argument("--jobs", type=int, default=2, help="local worker processes (default 2)")
    ap.add_argument("--no-dask", action="store_true", help="leave out the Dask cluster")
    opts = ap.parse_args(argv)
    if not opts.model.exists():
        print(f"{opts.model}: not found (the benchmark corpus sits next to the checkout)",
              file=sys.stderr)
        return 2
    net = lb.read_network(opts.model)
    targets = default_targets(net, opts.targets)
    n = len(targets)
    print(f"{opts.model.name}: {len(net.names)} nodes; {2 * n + 2 * n * (n - 1) + 1} records "
          f"({n} targets: {','.join(targets)})")

    modes: dict[str, list[str]] = {"serial": [], f"{opts.jobs} processes": ["--jobs",
                                                                           str(opts.jobs)]}
    cluster = None
    if not opts.no_dask:
        try:
            from distributed import LocalCluster
        except ImportError:
            print("dask.distributed not installed: no Dask timing", file=sys.stderr)
        else:
            cluster = LocalCluster(n_workers=opts.jobs, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
            modes[f"Dask, {opts.jobs} workers"] = ["--scheduler", cluster.scheduler_address]
    times: dict[str, list[float]] = {m: [] for m in modes}
    digests: set[bytes] = set()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for k in range(opts.runs):
                for mode, extra in modes.items():
                    out = Path(tmp) / f"{k}-{len(times[mode])}.csv"
                    times[mode].append(run(opts.model, targets, out, extra))
                    digests.add(out.read_bytes())
                    print(f"  run {k + 1}: {mode:>18} {times[mode][-1]:7.1f} s "
                          f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    finally:
        if cluster is not None:
            cluster.close()
    serial = statistics.median(times["serial"])
    print(f"{'mode':>18}  median wall   speed-up   (runs: {opts.runs})")
    for mode, ts in times.items():
        med = statistics.median(ts)
        print(f"{mode:>18}  {med:9.1f} s  {serial / med:8.2f}x")
    print(f"outputs byte for byte identical: {'yes' if len(digests) == 1 else 'NO'}")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
