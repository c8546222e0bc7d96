"""Digests of the engines' answers on a sample of the corpus, to show a refactoring changed none.

For each sampled model (the corpus models the reference tools answered quickly, by their
recorded times in ../shared/benchmarks/expected/), compute in this process: the fixed points,
the minimal trap spaces, the asynchronous attractors (each as its subspace, with its size) and
:func:`logicbone.count_attractors`; record per question the sha256 of the sorted answers (or
the count). ``--out FILE`` writes them as JSON lines; ``--check FILE`` recomputes and compares,
printing every difference (exit 1 if any).

    python benchmarks/digests.py --out before.jsonl
    python benchmarks/digests.py --check before.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"

#: per question, a model is sampled when the reference answered it within this many seconds
QUICK = 3.0
#: questions asked, each with a time limit (an answer cut short is recorded as such)
TIMEOUT = 30.0


def _records(name: str) -> dict[str, dict]:
    out = {}
    with open(BENCH / "expected" / name) as fh:
        for line in fh:
            rec = json.loads(line)
            out[rec["file"]] = rec
    return out


def sample(size: int) -> list[str]:
    """Models that mpbn answered (fixed points) within :data:`QUICK` seconds, spread evenly
    over their sizes (number of nodes), ``size`` of them."""
    fixed = _records("fixed_points.jsonl")
    quick = [f for f, r in fixed.items() if r.get("solved")
             and r.get("seconds_total", 1e9) <= QUICK and (BENCH / f).exists()]

    def nodes(f: str) -> int:
        return sum(1 for line in open(BENCH / f) if "," in line and not line.startswith("#")
                   and not line.startswith("targets"))

    quick.sort(key=lambda f: (nodes(f), f))
    if len(quick) <= size:
        return quick
    step = len(quick) / size
    return [quick[int(k * step)] for k in range(size)]


def _sha(items) -> str:
    return hashlib.sha256(json.dumps(sorted(items)).encode()).hexdigest()


def digest(path: str) -> dict:
    import logicbone as lb

    net = lb.read_network(str(BENCH / path))
    out: dict[str, object] = {"file": path, "nodes": len(net.names)}
    t = time.monotonic()
    fp = lb.fixed_points(net, timeout=TIMEOUT)
    out["fixed_points"] = [len(fp), fp.complete, _sha(fp.strings())]
    ts = lb.trap_spaces(net, "min", timeout=TIMEOUT)
    out["min_trap_spaces"] = [len(ts), ts.complete, _sha(list(ts))]
    at = lb.attractors(net, "async", timeout=TIMEOUT)
    out["async_attractors"] = [len(at.attractors), at.complete,
                               _sha([f"{a.subspace}:{a.size}" for a in at.attractors])]
    try:
        out["count_attractors"] = [lb.count_attractors(net, timeout=TIMEOUT), True]
    except lb.AnalysisTimeout as err:
        out["count_attractors"] = [getattr(err, "at_least", None), False]
    out["seconds"] = round(time.monotonic() - t, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the digests here (JSON lines)")
    group.add_argument("--check", type=Path, help="compare with the digests in this file")
    ap.add_argument("--size", type=int, default=40, help="models sampled (default 40)")
    args = ap.parse_args(argv)
    if args.check:
        before = {}
        for line in args.check.read_text().splitlines():
            rec = json.loads(line)
            before[rec["file"]] = rec
        models = list(before)
    else:
        models = sample(args.size)
    rows, differences = [], 0
    for path in models:
        rec = digest(path)
        rows.append(rec)
        status = ""
        if args.check:
            old = before[path]
            # an answer cut short by the time limit depends on the machine's speed: only
            # complete answers are compared
            asked = [k for k in ("fixed_points", "min_trap_spaces", "async_attractors",
                                 "count_attractors") if old[k][1]]
            late = [k for k in asked if not rec[k][1]]      # cut short this time
            diff = [k for k in asked if k not in late and old.get(k) != rec.get(k)]
            differences += bool(diff)
            status = (f"ok ({len(asked) - len(late)} compared"
                      + (f"; not finished in time now: {', '.join(late)}" if late else "")
                      + ")" if not diff else "DIFFERENT: " + ", ".join(
                f"{k} {old.get(k)} -> {rec.get(k)}" for k in diff))
        print(f"{path:70s} {rec['nodes']:4d} nodes {rec['seconds']:7.2f} s {status}",
              file=sys.stderr, flush=True)
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    total = sum(r["seconds"] for r in rows)
    print(f"{len(rows)} models, {total:.1f} s"
          + (f", {differences} with different answers" if args.check else ""), file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
