"""Corpus benchmark: logicbone's whole-command time against the reference tools.

For every corpus model and every question in :data:`QUESTIONS`, run the logicbone command
in a fresh process (start-up included, like the reference's ``seconds_total``), check its
answer against ../shared/benchmarks/expected/<question>.jsonl (sha256 of the sorted list in
sorted-name order), and print per model: logicbone's time, the reference's time and their
ratio; then the medians and the worst ratio. With ``--live``, the reference is also run here
(same machine, same moment) when it is installed.

    python benchmarks/corpus.py                       # every question, every model
    python benchmarks/corpus.py -q fixed_points --match bbm/00 --live

To add a question, add a :class:`Question` to :data:`QUESTIONS`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"
LOGICBONE = [str(ROOT / ".venv" / "bin" / "logicbone")]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


@dataclass(frozen=True)
class Question:
    """One question: the logicbone command, where its answer list is in the JSON output,
    the expected-answers file, and (optionally) a live reference run as Python code that
    prints one JSON list of answer strings in sorted-name order (``PATH`` is the model)."""

    command: tuple[str, ...]
    answer_key: str
    expected: str
    live_reference: str | None = None
    live_name: str = ""
    answer_field: str = ""      # when the answers are objects: the field holding the string


_MPBN_FIXED = """
import json, sys, mpbn
bn = mpbn.load(sys.argv[1])
names = sorted(bn)
print(json.dumps(sorted("".join(str(a[n]) for n in names) for a in bn.fixedpoints())))
"""
_MPBN_MIN_TRAPS = """
import json, sys, mpbn
bn = mpbn.load(sys.argv[1])
names = sorted(bn)
print(json.dumps(sorted("".join(str(a[n]) for n in names) for a in bn.attractors())))
"""

_BIOBALM_ASYNC = """
import json, sys, biobalm
sd = biobalm.SuccessionDiagram.from_file(sys.argv[1])
sd.build()
names = sorted(sd.network.variable_names())
out = []
for i, seeds in sd.expanded_attractor_seeds().items():
    space = sd.node_data(i)["space"]
    out += ["".join(str(space[n]) if n in space else "*" for n in names)] * len(seeds)
print(json.dumps(sorted(out)))
"""

#: question -> how to ask it (extend this table for new questions)
QUESTIONS: dict[str, Question] = {
    "fixed_points": Question(("fixed-points", "{model}", "--format", "json"),
                             "fixed_points", "fixed_points.jsonl", _MPBN_FIXED, "mpbn"),
    "min_trap_spaces": Question(("trap-spaces", "{model}", "--min", "--format", "json"),
                                "trap_spaces", "min_trap_spaces.jsonl", _MPBN_MIN_TRAPS,
                                "mpbn"),
    # per attractor its smallest enclosing trap space, as in the expected answers; the method
    # is left to auto (explicit for small spaces), as a user runs it; like biobalm's answer,
    # without the number of states of the attractors too large to list (--no-sizes)
    "async_attractors": Question(("attractors", "{model}", "--update", "async",
                                  "--max-states", "0", "--no-sizes", "--format", "json"),
                                 "attractors", "async_attractors.jsonl", _BIOBALM_ASYNC,
                                 "biobalm", answer_field="trap_space"),
}


#: runs quicker than this many seconds are repeated (--repeat) and their median taken
QUICK = 2.0


def _digest(strings) -> str:
    return hashlib.sha256("\n".join(sorted(strings)).encode()).hexdigest()


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run_timed(cmd: list[str], timeout: float) -> tuple[dict, Any, str]:
    """One whole-command run of logicbone, killed 30 s past ``timeout``: ``(run, data,
    stderr)`` with ``run`` its seconds and CPU seconds (or ``solved: False`` and an
    ``error``) and ``data`` its JSON output (None when it failed)."""
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        cpu = children_cpu()
        try:
            proc = run_group(cmd, timeout + 30, stdout=out, stderr=subprocess.PIPE)
        except subprocess.TimeoutExpired:
            return {"seconds": time.monotonic() - start, "solved": False,
                    "error": "killed"}, None, ""
        run = {"seconds": time.monotonic() - start, "cpu": children_cpu() - cpu}
        err = proc.stderr.decode(errors="replace")
        if proc.returncode != 0:
            return dict(run, solved=False, error=err.strip().splitlines()[-1:]), None, err
        out.seek(0)
        return run, json.load(out), err


def run_logicbone(q: Question, model: Path, timeout: float, extra: tuple[str, ...] = ()
                  ) -> dict:
    cmd = (LOGICBONE + [a.format(model=model) for a in q.command] + ["--timeout", str(timeout)]
           + list(extra))
    run, data, _ = _run_timed(cmd, timeout)
    if data is None:
        return run
    nodes = data["nodes"]
    order = sorted(range(len(nodes)), key=lambda i: nodes[i])
    items = data[q.answer_key]
    if q.answer_field:
        items = [x[q.answer_field] for x in items]
    answers = ["".join(s[i] for i in order) for s in items]
    solved = bool(data.get("complete", True))
    return dict(run, solved=solved, count=len(answers),
                sha256=_digest(answers) if solved else None)


def resisting_part(stderr: str) -> str:
    """The part an inexact count names as resisting ("N nodes with K inputs"), from its
    note ("... the widest of N nodes with K inputs (A, B, ...: lo to hi) resists"), or
    ``""``."""
    return stderr.partition("the widest of ")[2].partition(" (")[0]


def run_count(model: Path, timeout: float) -> dict:
    """``logicbone attractors MODEL --count`` with ``--timeout``: solved when the count is
    exact; otherwise its proven bounds (``count``, ``at_most``) and the part that resists,
    in ``error``."""
    cmd = LOGICBONE + ["attractors", str(model), "--update", "async", "--count",
                       "--format", "json", "--timeout", str(timeout)]
    run, data, err = _run_timed(cmd, timeout)
    if data is None:
        return run
    run.update(solved=bool(data["exact"]), count=data["count"])
    if not data["exact"]:
        most, where = data.get("at_most"), resisting_part(err)
        run["at_most"] = most
        run["error"] = (f"at least {data['count']:,}"
                        + (f", at most {most:,}" if most is not None else "")
                        + (f"; a part of {where} resists" if where else ""))
    return run


def run_group(cmd: list[str], timeout: float, **kw) -> subprocess.CompletedProcess:
    """``subprocess.run`` in a session of its own: on timeout the whole process group is
    killed (a tool's own children, such as the clingo processes trappist starts, would
    otherwise run on and load the machine for the runs after), then ``TimeoutExpired``."""
    import signal
    with subprocess.Popen(cmd, start_new_session=True, **kw) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def run_live(q: Question, model: Path, timeout: float) -> dict:
    start = time.monotonic()
    try:
        proc = run_group([PYTHON, "-c", q.live_reference, str(model)], timeout,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except subprocess.TimeoutExpired:
        return {"seconds": time.monotonic() - start, "solved": False}
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        return {"seconds": seconds, "solved": False}
    answers = json.loads(proc.stdout)
    return {"seconds": seconds, "solved": True, "count": len(answers),
            "sha256": _digest(answers)}


def _fmt(x, spec=".2f") -> str:
    return "-" if x is None else format(x, spec)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-q", "--question", action="append", choices=sorted(QUESTIONS),
                    help="Questions to time (default: all). Repeatable.")
    ap.add_argument("--match", default="", help="Only models whose path contains this.")
    ap.add_argument("--timeout", type=float, default=60.0, help="Seconds per model.")
    ap.add_argument("--live", action="store_true",
                    help="Also run the reference tool here (when installed).")
    ap.add_argument("--jsonl", default=None, help="Also write one record per line here.")
    ap.add_argument("--repeat", type=int, default=3,
                    help=f"Time runs under {QUICK:g} s this many times and take the median.")
    ap.add_argument("--solved-only", action="store_true",
                    help="Only models the reference answered (enough for the ratios).")
    args = ap.parse_args(argv)
    # byte-compile logicbone first, as Python does on first import where it may write
    # (PYTHONDONTWRITEBYTECODE would otherwise make every timed run compile its sources)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src"), str(ROOT / "cli")],
                   check=True, stdout=subprocess.DEVNULL)
    sink = open(args.jsonl, "w") if args.jsonl else None
    for name in args.question or sorted(QUESTIONS):
        q = QUESTIONS[name]
        with open(BENCH / "expected" / q.expected) as fh:
            refs = [json.loads(line) for line in fh]
        refs = [r for r in refs if args.match in r["file"]
                and (r["solved"] or not args.solved_only)]
        print(f"\n## {name}: logicbone vs {refs[0]['reference'] if refs else '?'}"
              f"{' and live ' + q.live_name if args.live else ''}")
        head = f"{'model':58s} {'lb_s':>7s} {'count':>8s} {'ref_s':>7s} {'ref':>8s} {'ratio':>6s}  check"
        if args.live:
            head += f" {'live_s':>7s} {'live_ratio':>10s}"
        print(head, flush=True)
        ratios, live_ratios = [], []
        lb_solved = ref_solved = both = 0
        wrong = []
        for ref in refs:
            model = BENCH / ref["file"]
            mine = run_logicbone(q, model, args.timeout)
            if mine["solved"] and mine["seconds"] < QUICK and args.repeat > 1:
                # quick runs are at the mercy of a noisy machine: the median of several
                times = [mine["seconds"]] + [run_logicbone(q, model, args.timeout)["seconds"]
                                             for _ in range(args.repeat - 1)]
                mine["seconds"] = statistics.median(times)
            ok_mine = mine["solved"] and mine["seconds"] <= args.timeout
            ok_ref = ref["solved"] and ref["seconds_total"] <= args.timeout
            lb_solved += ok_mine
            ref_solved += ok_ref
            check = ""
            if mine["solved"] and ref["solved"]:
                check = "same" if mine["sha256"] == ref["sha256"] else "DIFFERENT"
                if check != "same":
                    wrong.append(ref["file"])
            ratio = None
            if ok_ref:
                ratio = mine["seconds"] / ref["seconds_total"] if ok_mine else float("inf")
                ratios.append(ratio)
            both += ok_mine and ok_ref
            ref_count = ref.get("count", ref.get("at_least"))
            line = (f"{ref['file'][:58]:58s} {_fmt(mine['seconds']):>7s} "
                    f"{str(mine.get('count', '-')) + ('' if mine['solved'] else '+'):>8s} "
                    f"{_fmt(ref['seconds_total']):>7s} "
                    f"{str(ref_count) + ('' if ref['solved'] else '+'):>8s} "
                    f"{_fmt(ratio):>6s}  {check or mine.get('error', '') or ''}")
            rec = {"question": name, "file": ref["file"], "logicbone": mine,
                   "reference_seconds_total": ref["seconds_total"],
                   "reference_solved": ref["solved"], "ratio": ratio, "check": check}
            if args.live and q.live_reference:
                live = run_live(q, model, args.timeout)
                lr = mine["seconds"] / live["seconds"] if live["solved"] and ok_mine else None
                if live["solved"]:
                    live_ratios.append(lr if lr is not None else float("inf"))
                line += f" {_fmt(live['seconds']):>7s} {_fmt(lr):>10s}"
                rec["live"] = live
            print(line, flush=True)
            if sink:
                sink.write(json.dumps(rec) + "\n")
                sink.flush()
        print(f"\n{name}: {len(refs)} models; answered within {args.timeout:g}s: "
              f"logicbone {lb_solved}, reference {ref_solved}, both {both}")
        if ratios:
            finite = [r for r in ratios if r != float("inf")]
            print(f"ratio logicbone/reference (models the reference answered): median "
                  f"{statistics.median(ratios):.3f}, worst "
                  f"{max(ratios):.3f}{' (unanswered)' if len(finite) < len(ratios) else ''}")
        if live_ratios:
            print(f"ratio logicbone/live {q.live_name}: median {statistics.median(live_ratios):.3f}, "
                  f"worst {max(live_ratios):.3f}")
        if wrong:
            print("DIFFERENT answers: " + ", ".join(wrong))
    if sink:
        sink.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
