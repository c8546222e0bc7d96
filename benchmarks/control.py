"""Control benchmark: ``logicbone control`` against biobalm's ``succession_control``.

On the corpus models (``../shared/benchmarks/bbm``) of at most ``--max-nodes`` nodes: the
inputs are fixed OFF and the target is the first output, in name order, at 0 (or at 1 when it
is 0 in every minimal trap space). Each tool runs in a fresh process (start-up included)
with a wall-clock limit of ``--timeout`` seconds:

* logicbone: ``logicbone control MODEL --target OUT=0 -c INPUTS=0 --max-size K``, all minimal
  permanent interventions up to size K, each checked by the attractor search;
* biobalm: the succession diagram of the network with the inputs fixed, then
  ``succession_control(sd, target, strategy="internal")`` (interventions of any size, drivers
  inside stable motifs only; the target node itself forbidden as a driver).

Both tools' sources are compiled to bytecode first (as a pip install does for biobalm, and as
Python does on first import unless ``PYTHONDONTWRITEBYTECODE`` is set), so that no run
pays for compiling logicbone's modules.

The two answer related but different questions (see tests/test_control_reference.py), so the
counts are shown, not compared. Printed per model: both times and the ratio; then how many
models each answered within the limit and the median ratio where both did.

    python benchmarks/control.py --max-nodes 30 --first 20
    python benchmarks/control.py --match bbm/0 --max-size 3 --timeout 60
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

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"
LOGICBONE = str(ROOT / ".venv" / "bin" / "logicbone")
PYTHON = str(ROOT / ".venv" / "bin" / "python")

_BIOBALM = """
import json, sys, biobalm
from biobalm.control import succession_control
path, node, value = sys.argv[1], sys.argv[2], int(sys.argv[3])
sd = biobalm.SuccessionDiagram.from_file(path)
found = succession_control(sd, {node: value}, strategy="internal", forbidden_drivers={node})
print(json.dumps({"interventions": len(found),
                  "strategies": sum(1 for i in found for _ in i.all_control_strategies())}))
"""


def _setup(path: Path, tmp: Path):
    """The inputs, the target output and value, and the network with inputs fixed as a bnet
    file (for biobalm); None when every output is a constant."""
    import logicbone as lb

    net = lb.read_network(path)
    fixed = net.fix({x: 0 for x in net.inputs})
    spaces = lb.trap_spaces(fixed, "min", timeout=20)
    for out in sorted(o for o in fixed.outputs if o not in fixed.constants):
        i = fixed.index(out)
        values = {sp[i] for sp in spaces}
        bnet = tmp / (path.stem + ".fixed.bnet")
        bnet.write_text(lb.to_bnet(fixed))
        return list(net.inputs), out, 0 if values != {"0"} else 1, bnet
    return None


def _run(cmd: list[str], timeout: float) -> tuple[float | None, dict | None]:
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return None, {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    try:
        return seconds, json.loads(done.stdout)
    except json.JSONDecodeError:
        return None, {"error": "unreadable output"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-nodes", type=int, default=100)
    ap.add_argument("--max-size", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--match", default="", help="only models whose path contains this")
    ap.add_argument("--first", type=int, default=0, help="only the first N models")
    ap.add_argument("--skip", type=int, default=0,
                    help="leave out the first N models (before --first applies)")
    args = ap.parse_args(argv)

    import logicbone as lb

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src"), str(ROOT / "cli")],
                   check=True)
    models = sorted((BENCH / "bbm").glob("*.bnet"))
    models = [m for m in models if args.match in f"bbm/{m.name}"]
    models = [m for m in models if len(lb.read_network(m).names) <= args.max_nodes]
    models = models[args.skip:]
    if args.first:
        models = models[:args.first]
    rows, ours_done, theirs_done, ratios = [], 0, 0, []
    with tempfile.TemporaryDirectory() as tmpdir:
        for path in models:
            setup = _setup(path, Path(tmpdir))
            if setup is None:
                print(f"{path.name[:44]:44}  every output is a constant", flush=True)
                continue
            inputs, out, value, bnet = setup
            cmd = [LOGICBONE, "-q", "control", str(path), "--target", f"{out}={value}",
                   "--max-size", str(args.max_size), "--format", "json"]
            if inputs:
                cmd += ["-c", ",".join(f"{x}=0" for x in inputs)]
            t_ours, d_ours = _run(cmd, args.timeout)
            ours = (len(d_ours["interventions"]) if d_ours and "interventions" in d_ours
                    and d_ours.get("complete") else None)
            t_theirs, d_theirs = _run([PYTHON, "-c", _BIOBALM, str(bnet), out, str(value)],
                                      args.timeout)
            theirs = d_theirs.get("strategies") if d_theirs else None
            ours_done += ours is not None
            theirs_done += theirs is not None
            ratio = (t_ours / t_theirs if t_ours and t_theirs and ours is not None
                     and theirs is not None else None)
            if ratio is not None:
                ratios.append(ratio)

            def fmt(t, count):
                return "timeout" if t is None else f"{t:6.2f} s ({count})"
            print(f"{path.name[:44]:44}  {out[:16]:16}={value}  logicbone {fmt(t_ours, ours):18}  "
                  f"biobalm {fmt(t_theirs, theirs):18}  "
                  f"ratio {'-' if ratio is None else f'{ratio:.2f}'}", flush=True)
            rows.append((path.name, ratio))
    print()
    print(f"models: {len(rows)}; answered within {args.timeout:g} s: logicbone {ours_done} "
          f"(all minimal sets up to size {args.max_size}), biobalm {theirs_done}")
    if ratios:
        print(f"whole-command time ratio logicbone/biobalm: median {statistics.median(ratios):.2f}"
              f", worst {max(ratios):.2f}, best {min(ratios):.2f} over {len(ratios)} models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
