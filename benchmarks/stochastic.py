"""Whole-command time of stochastic simulation: logicbone vs MaBoSS (cmaboss), same model.

For each model, one MaBoSS pair (.bnd + .cfg: rates 1, the initial distribution, max time,
time tick, trajectory count, one thread) is written once, then timed through

    logicbone stochastic MODEL.bnd --method sampled --format json [--jobs J]
    python -c 'cmaboss.MaBoSSSim(network=MODEL.bnd, config=MODEL.cfg).run()' (+ its last window)

as separate processes (start-up included); the median of ``--runs`` runs is kept. The script
also checks that the two agree on the last window's node probabilities (largest difference
printed) and prints the ratio logicbone / MaBoSS.

Models: bbm/014 (T-LGL, 61 nodes, random initial states as MaBoSS draws them) and
models/bone_muscle.rules (over 64 nodes: MaBoSS's 128-node build) after disuse, from the resting
state (the attractor of scenario baseline).

    .venv/bin/python benchmarks/stochastic.py [--samples 100000] [--time 10] [--runs 1]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import logicbone as lb

ROOT = Path(__file__).resolve().parents[1]
BBM = ROOT.parent / "shared" / "benchmarks" / "bbm"
LOGICBONE = [sys.executable, "-m", "logicbone_cli.main"]
MABOSS = ("import json, sys, importlib\n"
          "cm = importlib.import_module(sys.argv[3])\n"
          "r = cm.MaBoSSSim(network=sys.argv[1], config=sys.argv[2]).run()\n"
          "p, t, names, e = r.get_last_nodes_probtraj()\n"
          "print(json.dumps(dict(zip(names, [float(x) for x in p[0]]))))\n")


def timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd[:5])}... failed: {proc.stderr.strip()[-400:]}")
    return wall, proc.stdout


def models(folder: Path, T: float, tick: float, samples: int):
    """(label, .bnd path, nodes) of the benchmark models, written into ``folder``."""
    fixed_start = {}
    tlgl = BBM / "014_t-lgl-survival-network-2008.bnet"
    if tlgl.exists():
        net = lb.read_network(tlgl)
        init = lb.initial_condition(net).with_fixed(
            {i: int(net.rules[a].value) for i, a in enumerate(net.names) if a in net.constants})
        fixed_start["bbm/014"] = (net, init)
    base = lb.read_network(ROOT / "models" / "bone_muscle.rules")
    sc = lb.read_scenarios(ROOT / "models" / "bone_muscle.scenarios.yaml")
    rest = lb.attractor_initial(sc["baseline"].perturbation.apply(base))
    disuse = sc["disuse"].perturbation.apply(base)
    rest = rest.with_fixed({i: int(disuse.rules[a].value) for i, a in enumerate(disuse.names)
                            if a in disuse.constants})
    fixed_start["bone_muscle disuse"] = (disuse, rest)
    for label, (net, init) in fixed_start.items():
        path = folder / (label.replace("/", "_").replace(" ", "_") + ".bnd")
        lb.write_maboss(path, net, None, init, max_time=T, time_tick=tick, sample_count=samples,
                        seed=1, force=True)
        yield label, path, len(net.names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--tick", type=float, default=0.5)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1, help="logicbone worker processes")
    args = ap.parse_args()
    try:
        import cmaboss  # noqa: F401
    except ImportError:
        sys.exit("MaBoSS is not installed (pip install --pre cmaboss)")
    print(f"{'model':<20} {'nodes':>5} {'logicbone s':>11} {'MaBoSS s':>9} {'ratio':>6} "
          f"{'max |dP|':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, bnd, n in models(Path(tmp), args.time, args.tick, args.samples):
            module = "cmaboss" if n <= 64 else "cmaboss_128n"
            ours, theirs = [], []
            for _ in range(args.runs):
                t, out = timed([*LOGICBONE, "-q", "stochastic", str(bnd), "--method", "sampled",
                                "--format", "json", "--jobs", str(args.jobs)])
                ours.append(t)
                t2, out2 = timed([sys.executable, "-c", MABOSS, str(bnd),
                                  str(bnd.with_suffix(".cfg")), module])
                theirs.append(t2)
            mine = json.loads(out)
            last = {k: v[-1] for k, v in mine["node_probabilities"].items()}
            ref = json.loads(out2)
            diff = max(abs(last[k] - ref.get(k, 0.0)) for k in last)
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"{label:<20} {n:>5} {a:>11.2f} {b:>9.2f} {a / b:>6.2f} {diff:>8.4f}",
                  flush=True)
    print(f"({args.samples:,} trajectories, max time {args.time:g}, tick {args.tick:g}, "
          f"logicbone --jobs {args.jobs}, MaBoSS one thread)")


if __name__ == "__main__":
    main()
