"""Asynchronous attractors of corpus models, whole command, under a wall-time cap.

Two questions: the exact count with inputs free (``logicbone attractors MODEL --count``), and
the complete list under a condition (every input fixed to a value drawn from a seeded
generator, ``--inputs``). Each run is a fresh process killed at the cap; the table gives
per model the time, the answer (a count, or the proven bounds marked ``>=`` and ``<=``, with the
size of the part that resists) and, when
biobalm's count is in ../shared/benchmarks/expected/async_attractors.jsonl, whether it
agrees (free inputs only: biobalm leaves inputs free).

    .venv/bin/python benchmarks/async_free.py bbm/002 bbm/004 --cap 60
    .venv/bin/python benchmarks/async_free.py bbm/004 bbm/079 --condition 1
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from corpus import resisting_part

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"
LOGICBONE = str(ROOT / ".venv" / "bin" / "logicbone")


def model_path(key: str) -> Path:
    """``bbm/004`` or a path relative to the corpus -> the model file."""
    if (BENCH / key).is_file():
        return BENCH / key
    folder, _, prefix = key.partition("/")
    found = sorted((BENCH / folder).glob(prefix + "*.bnet"))
    if not found:
        raise SystemExit(f"no model matches {key}")
    return found[0]


def condition(path: Path, seed: int) -> str:
    """Every input of the model fixed to a seeded value, as ``--inputs`` text."""
    inputs = []
    for line in path.read_text().splitlines():
        target, _, rule = line.partition(",")
        if target.strip() and not target.startswith("#") and rule.strip() == target.strip():
            inputs.append(target.strip())
    rng = random.Random(seed)
    return ",".join(f"{x}={rng.randint(0, 1)}" for x in sorted(inputs))


def biobalm_counts() -> dict[str, int]:
    out = {}
    with open(BENCH / "expected" / "async_attractors.jsonl") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("solved"):
                out[row["file"]] = row["count"]
    return out


def run(path: Path, cap: float, seed: int | None, program: str = LOGICBONE,
        count_jobs: int = 1) -> tuple[float, str, bool | None]:
    """(seconds, answer, finished) for one model."""
    cmd = [program, "attractors", str(path), "--update", "async", "--timeout",
           str(max(1.0, cap - 6.0))]
    if seed is None:
        cmd += ["--count", "--format", "json", "--jobs", str(count_jobs)]
    else:
        inputs = condition(path, seed)
        cmd += (["--inputs", inputs] if inputs else []) + ["--format", "json",
                                                           "--max-states", "0"]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return time.monotonic() - start, "killed", None
    took = time.monotonic() - start
    if proc.returncode != 0:
        return took, f"exit {proc.returncode}: {proc.stderr.strip()[-80:]}", None
    if seed is None:
        row = json.loads(proc.stdout)
        if row["exact"]:
            return took, str(row["count"]), True
        most = f" <={row['at_most']}" if row.get("at_most") is not None else ""
        where = resisting_part(proc.stderr)      # "N nodes with K inputs"
        where = f"  [{where.replace(' nodes with ', ' nodes, ')}]" if where else ""
        return took, f">={row['count']}{most}{where}", False
    data = json.loads(proc.stdout)
    return took, str(len(data["attractors"])), bool(data["complete"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", help="bbm/004 or a path under the corpus")
    ap.add_argument("--cap", type=float, default=60.0, help="wall seconds per command")
    ap.add_argument("--condition", type=int, default=None, metavar="SEED",
                    help="fix every input to a value drawn with this seed (list, not count)")
    ap.add_argument("--jobs", type=int, default=1, help="models timed side by side")
    ap.add_argument("--count-jobs", type=int, default=1,
                    help="processes for each count (its --jobs)")
    ap.add_argument("--logicbone", default=LOGICBONE,
                    help="the command to time (another build, for before/after)")
    args = ap.parse_args()
    paths = [model_path(m) for m in args.models]
    ref = biobalm_counts()

    def one(path: Path) -> str:
        took, answer, done = run(path, args.cap, args.condition, args.logicbone,
                                 args.count_jobs)
        rel = str(path.relative_to(BENCH))
        check = ""
        if args.condition is None and rel in ref and done:
            check = "agrees" if answer == str(ref[rel]) else f"DIFFERS (biobalm {ref[rel]})"
        elif args.condition is None and rel in ref and answer.startswith(">="):
            lo = int(answer[2:].split()[0])
            hi = answer.partition("<=")[2].split()
            inside = lo <= ref[rel] and (not hi or ref[rel] <= int(hi[0]))
            check = "holds biobalm's" if inside else f"MISSES (biobalm {ref[rel]})"
        line = f"{rel[:44]:44} {took:6.1f} s  {'done' if done else 'open':4}  {answer:>16}  {check}"
        print(line, flush=True)
        return line

    with ThreadPoolExecutor(args.jobs) as pool:
        lines = list(pool.map(one, paths))
    done = sum(" done " in line for line in lines)
    print(f"answered {done} of {len(lines)} within {args.cap:g} s")


if __name__ == "__main__":
    main()
