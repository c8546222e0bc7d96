"""The benchmark as a report: where logicbone stands against the reference tools.

For every corpus model (../shared/benchmarks) and every question -- fixed points, minimal
trap spaces, asynchronous attractors -- in two modes:

``conditions``
    every input fixed to a seeded value (the same file goes to every tool);
``free``
    inputs free: the exact answer over all input values (and, for asynchronous
    attractors, their exact count, or proven bounds and the part that resists);

this runs logicbone's whole command and each installed reference tool's (mpbn, trappist,
biobalm) in fresh processes, side by side (the repeats of quick runs interleaved), checks
that the answers are the same, and writes one table per question and mode: answered /
total, the median and worst whole-command time ratio logicbone / reference against each
reference and against the fastest one, the models logicbone does not answer or answers
differently, and those where a reference is faster. A reference that is not installed is
replaced, inputs free, by its recorded answer and time (expected/*.jsonl; the times were
taken on another day); inputs free, a reference whose recorded run gave no answer within a
limit at least as long is not run again (it counts as unanswered there). Then the
asynchronous attractors of the hardest models under several seeded conditions
(:data:`HARD`, ``--hard-seeds``), and the synchronous exhaustive search against R's BoolNet
on random N-K networks (benchmarks/explicit_sync.py).

The report is markdown, rewritten atomically after every model (an interrupted run leaves
the figures so far), and printed at the end; ``--jsonl`` keeps one record per run.

    python benchmarks/run.py                      # what `make bench` runs: every model, 60 s
    python benchmarks/run.py --quick              # a few minutes: 8 small models, 20 s
    python benchmarks/run.py --sample 40 --timeout 30 -o /tmp/report.md
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (the logicbone side of each question and the answer digests)

import logicbone as lb  # noqa: E402

ROOT = HERE.parent
BENCH = corpus.BENCH
PYTHON = corpus.PYTHON
MODES = ("conditions", "free")
QUESTION_TITLES = {"fixed_points": "Fixed points",
                   "min_trap_spaces": "Minimal trap spaces",
                   "async_attractors": "Asynchronous attractors",
                   "async_count": "Asynchronous attractor counts"}
#: questions asked with inputs free only (under a condition the list is the count)
FREE_ONLY = {"async_count"}
#: the expected answers a question's recorded reference runs are in
EXPECTED = {"async_count": "async_attractors.jsonl"}
#: the conditions hardest for asynchronous attractors: each listed under several seeds
HARD = ("bbm/004_erbb-receptor-signaling.bnet", "bbm/079_colorectal-tumorigenesis.bnet",
        "bbm/251_cell-cycle-pool.bnet")
#: runs faster than this many seconds are repeated and their median taken
QUICK = 2.0


# ---------------------------------------------------------------- reference tools

_PROLOGUE = "import json, sys, warnings\nwarnings.filterwarnings('ignore')\n"
_MPBN = _PROLOGUE + """import mpbn
bn = mpbn.load(sys.argv[1])
names = sorted(bn)
found = bn.fixedpoints() if sys.argv[2] == "fix" else bn.attractors()
print(json.dumps(sorted("".join(str(a[n]) for n in names) for a in found)))
"""
# trappist prints the node order first, then one answer per line ('-': free)
_TRAPPIST = _PROLOGUE + """import contextlib, io, trappist
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    for _ in trappist.compute_trap_spaces(sys.argv[1], display=True, computation=sys.argv[2]):
        pass
lines = [l.split() for l in buf.getvalue().splitlines() if l and not l.startswith("Return")]
places, rows = lines[0], lines[1:]
order = sorted(range(len(places)), key=lambda i: places[i])
print(json.dumps(sorted("".join(r[i].replace("-", "*") for i in order) for r in rows)))
"""
_BIOBALM = _PROLOGUE + """import biobalm
sd = biobalm.SuccessionDiagram.from_file(sys.argv[1])
sd.build()
names = sorted(sd.network.variable_names())
out = []
for i, seeds in sd.expanded_attractor_seeds().items():
    space = sd.node_data(i)["space"]
    out += ["".join(str(space[n]) if n in space else "*" for n in names)] * len(seeds)
print(json.dumps(sorted(out)))
"""


@dataclass(frozen=True)
class Reference:
    """A reference tool: the module that must be importable, its driver (prints the sorted
    answer strings as one JSON list) and the driver's argument per question."""

    name: str
    module: str
    code: str
    argument: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def installed(self) -> bool:
        """Whether the benchmark's interpreter (the project's venv) can import it."""
        return importlib.util.find_spec(self.module) is not None


REFERENCES = (
    Reference("mpbn", "mpbn", _MPBN, {"fixed_points": "fix", "min_trap_spaces": "min"}),
    # trappist's ASP method computes minimal trap spaces only (its "fix" is ignored there)
    Reference("trappist", "trappist", _TRAPPIST, {"min_trap_spaces": "min"},
              "runs the clingo executable; where only the clingo Python package is installed, "
              "through a shim `python -m clingo` (one interpreter start-up more per call)"),
    Reference("biobalm", "biobalm", _BIOBALM, {"async_attractors": "", "async_count": ""}),
)


def _tool_env(tmp: Path) -> dict[str, str]:
    """The environment of the reference runs: a ``clingo`` executable on PATH for trappist
    (the clingo Python package as a command when no binary is installed)."""
    env = dict(os.environ)
    bindir = Path(PYTHON).parent
    if not (bindir / "clingo").exists():
        shim = tmp / "bin" / "clingo"
        shim.parent.mkdir(exist_ok=True)
        shim.write_text(f'#!/bin/sh\nexec "{PYTHON}" -m clingo "$@"\n')
        shim.chmod(0o755)
        bindir = shim.parent
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_reference(ref: Reference, question: str, model: Path, timeout: float,
                  env: dict[str, str]) -> dict:
    """One whole-command run of a reference; answers as digests, like logicbone's."""
    cmd = [PYTHON, "-c", ref.code, str(model), ref.argument[question]]
    start = time.monotonic()
    cpu = corpus.children_cpu()
    try:
        proc = corpus.run_group(cmd, timeout, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env)
    except subprocess.TimeoutExpired:
        return {"seconds": time.monotonic() - start, "solved": False, "error": "timeout"}
    seconds = time.monotonic() - start
    cpu = corpus.children_cpu() - cpu
    if proc.returncode != 0:
        last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        return {"seconds": seconds, "cpu": cpu, "solved": False, "error": last[0][:120]}
    answers = json.loads(proc.stdout)
    return {"seconds": seconds, "cpu": cpu, "solved": True, "count": len(answers),
            "sha256": corpus._digest(answers)}


# ---------------------------------------------------------------- models and conditions

def corpus_models() -> list[str]:
    """Every corpus model (relative to shared/benchmarks), in the expected answers' order."""
    with open(BENCH / "expected" / "fixed_points.jsonl") as fh:
        return [json.loads(line)["file"] for line in fh]


def recorded(question: str) -> dict[str, dict]:
    """The reference answers and times recorded in expected/ (inputs free)."""
    name = EXPECTED.get(question) or corpus.QUESTIONS[question].expected
    with open(BENCH / "expected" / name) as fh:
        return {r["file"]: r for r in map(json.loads, fh)}


def condition_file(file: str, tmp: Path, seed: int) -> tuple[Path, dict[str, int]]:
    """The model with every input fixed to a value drawn from ``seed`` and its name.

    ``file`` is a path inside the corpus (``bbm/004_...bnet``), as in the index; the file
    written goes under ``tmp`` and nowhere else (an absolute ``file`` would make
    ``tmp / "conditions" / file`` the model itself, overwritten with its condition)."""
    if Path(file).is_absolute() or ".." in Path(file).parts:
        raise ValueError(f"{file}: a path inside the corpus is expected, such as bbm/004_...")
    net = lb.read_network(BENCH / file)
    rng = random.Random(f"{seed}:{file}")
    values = {name: rng.randint(0, 1) for name in net.inputs}
    out = tmp / "conditions" / file
    if not out.resolve().is_relative_to(tmp.resolve()):
        raise ValueError(f"{out}: outside {tmp}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(lb.to_bnet(net.fix(values)))
    return out, values


# ---------------------------------------------------------------- one model, side by side

def time_side_by_side(question: str, model: Path, refs: list[Reference], timeout: float,
                      repeat: int, env: dict[str, str]) -> dict[str, dict]:
    """logicbone and each reference on one file, interleaved; quick runs repeated."""
    def once(tool: str) -> dict:
        if tool == "logicbone":
            if question == "async_count":
                return corpus.run_count(model, timeout)
            return corpus.run_logicbone(corpus.QUESTIONS[question], model, timeout)
        ref = next(r for r in refs if r.name == tool)
        return run_reference(ref, question, model, timeout, env)

    tools = ["logicbone"] + [r.name for r in refs]
    runs = {tool: [once(tool)] for tool in tools}
    quick = [t for t in tools if runs[t][0]["solved"] and runs[t][0]["seconds"] < QUICK]
    for _ in range(repeat - 1):
        for tool in quick:
            runs[tool].append(once(tool))
    out = {}
    for tool, got in runs.items():
        first = dict(got[0])
        first["seconds"] = statistics.median(r["seconds"] for r in got)
        if all("cpu" in r for r in got):
            first["cpu"] = statistics.median(r["cpu"] for r in got)
        first["runs"] = len(got)
        out[tool] = first
    return out


def hard_conditions(seeds: int, timeout: float, tmp: Path, commit: str = "", jobs: int = 1
                    ) -> list[dict]:
    """The asynchronous attractors of each :data:`HARD` model under the conditions of
    seeds ``0 .. seeds - 1`` (as ``--seed`` draws them), listed by logicbone's whole
    command (with ``--jobs`` above one: that many processes): one row per run."""
    q = corpus.QUESTIONS["async_attractors"]
    rows = []
    for file in HARD:
        if not (BENCH / file).is_file():
            continue
        for seed in range(seeds):
            path, values = condition_file(file, tmp / f"hard{seed}", seed)
            run = corpus.run_logicbone(q, path, timeout,
                                       ("--jobs", str(jobs)) if jobs > 1 else ())
            rows.append({"question": "hard_conditions", "file": file, "seed": seed,
                         "inputs": values, "logicbone": run, "commit": commit,
                         "jobs": jobs})
            print(f"hard condition {file[:40]:40s} seed {seed} -j {jobs}: "
                  f"{run['seconds']:6.1f} s "
                  f"{'complete' if run['solved'] else 'partial'} {run.get('count', '')}",
                  flush=True)
    return rows


# ---------------------------------------------------------------- summaries

def _answered(run: dict | None, timeout: float) -> bool:
    return bool(run and run["solved"] and run["seconds"] <= timeout)


def _ratio(mine: dict, ref_seconds: float, timeout: float) -> float:
    return mine["seconds"] / ref_seconds if _answered(mine, timeout) else math.inf


def summarise(records: list[dict], timeout: float) -> dict:
    """Figures of one (question, mode) table."""
    tools = sorted({t for r in records for t in r["tools"] if t != "logicbone"})
    out: dict = {"total": len(records),
                 "answered": {"logicbone": sum(_answered(r["tools"]["logicbone"], timeout)
                                               for r in records)},
                 "ratios": {}, "failing": [], "different": [], "slower": [], "cpu_ratios": []}
    for tool in tools:
        out["answered"][tool] = sum(_answered(r["tools"].get(tool), timeout) for r in records)
    best_name = "fastest reference"
    per_tool: dict[str, list[tuple[float, str]]] = {t: [] for t in tools + [best_name]}
    for r in records:
        mine = r["tools"]["logicbone"]
        times = {t: r["tools"][t]["seconds"] for t in tools
                 if _answered(r["tools"].get(t), timeout)}
        for t, sec in times.items():
            per_tool[t].append((_ratio(mine, sec, timeout), r["file"]))
        cpus = {t: r["tools"][t]["cpu"] for t in times if "cpu" in r["tools"][t]}
        if cpus and len(cpus) == len(times) and "cpu" in mine:
            cpu_ratio = (mine["cpu"] / max(min(cpus.values()), 1e-9)
                         if _answered(mine, timeout) else math.inf)
            out["cpu_ratios"].append(cpu_ratio)
        if times:
            best = min(times.values())
            ratio = _ratio(mine, best, timeout)
            per_tool[best_name].append((ratio, r["file"]))
            if ratio > 1:
                fastest = min(times, key=lambda t: times[t])
                out["slower"].append((r["file"], mine["seconds"], fastest, best, ratio))
        if not _answered(mine, timeout):
            out["failing"].append((r["file"], mine.get("error") or
                                   ("partial" if mine["solved"] is False else "over time")))
        if r["different"]:
            out["different"].append((r["file"], r["different"]))
    for t, pairs in per_tool.items():
        if pairs:
            worst = max(pairs)
            out["ratios"][t] = {"models": len(pairs),
                                "median": statistics.median(p[0] for p in pairs),
                                "worst": worst[0], "worst_model": worst[1],
                                "above_1": sum(p[0] > 1 for p in pairs)}
    return out


def check_answers(tools: dict[str, dict], recorded_run: dict | None) -> list[str]:
    """The tools (and the recorded reference) whose complete answer differs from logicbone's."""
    mine = tools["logicbone"]
    others = [(t, r) for t, r in tools.items() if t != "logicbone" and r["solved"]]
    if recorded_run and recorded_run.get("solved"):
        others.append((f"{recorded_run['reference']} (recorded)", recorded_run))
    if "sha256" not in mine and "count" in mine:     # a count: equal, or within the bounds
        most = mine["count"] if mine["solved"] else mine.get("at_most")
        return [t for t, r in others
                if not (mine["count"] <= r["count"] and (most is None or r["count"] <= most))]
    if not mine["solved"]:
        return []
    return [t for t, r in others if r["sha256"] != mine["sha256"]]


def _fmt_ratio(x: float) -> str:
    return "unanswered" if x == math.inf else f"{x:.2f}"


def _cell(s: str) -> str:
    return s.replace("|", "\\|")


def render(meta: dict, tables: dict[tuple[str, str], list[dict]], sync_rows: list[dict] | None,
           timeout: float, hard_rows: list[dict] | None = None) -> str:
    """The markdown report."""
    lines = ["# logicbone benchmark report", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    lines += ["", "Ratios are logicbone's whole-command time over the reference's, measured "
              "side by side on the same file (interpreter start-up included on both sides; "
              f"runs under {QUICK:g} s repeated and the median taken); `unanswered`: "
              f"logicbone gave no complete answer within {timeout:g} s where the reference "
              "did. A reference is compared on the models it answered. The CPU-time ratio (user + "
              "system time of the whole process tree, against the reference with the least) "
              "is steadier than wall time on a loaded machine.", ""]
    headline = ["## Headline", "",
                "| question | mode | logicbone answered | median ratio vs fastest reference "
                "| worst ratio | models where a reference is faster | different answers "
                "| median CPU-time ratio |",
                "|---|---|---|---|---|---|---|---|"]
    body: list[str] = []
    for (question, mode), records in tables.items():
        if not records:
            continue
        s = summarise(records, timeout)
        best = s["ratios"].get("fastest reference")
        headline.append(
            f"| {QUESTION_TITLES[question]} | {mode} | {s['answered']['logicbone']}/{s['total']} "
            f"| {_fmt_ratio(best['median']) if best else '-'} "
            f"| {_fmt_ratio(best['worst']) if best else '-'} "
            f"| {best['above_1'] if best else '-'} | {len(s['different'])} "
            f"| {_fmt_ratio(statistics.median(s['cpu_ratios'])) if s['cpu_ratios'] else '-'} |")
        body += [f"## {QUESTION_TITLES[question]}, {mode}", "",
                 "| tool | answered / total | median ratio | worst ratio (model) | ratio > 1 |",
                 "|---|---|---|---|---|",
                 f"| logicbone | {s['answered']['logicbone']}/{s['total']} | | | |"]
        for tool, fig in s["ratios"].items():
            answered = s["answered"].get(tool)
            shown = "-" if answered is None else f"{answered}/{s['total']}"
            body.append(f"| {tool} | {shown} "
                        f"| {_fmt_ratio(fig['median'])} | {_fmt_ratio(fig['worst'])} "
                        f"(`{fig['worst_model']}`) | {fig['above_1']}/{fig['models']} |")
        body.append("")
        if s["failing"]:
            body.append(("No exact count within the limit (proven bounds, and the part "
                         "that resists): " if question in FREE_ONLY else
                         "Not answered by logicbone: ") + ", ".join(
                f"`{f}` ({_cell(str(why))})" for f, why in s["failing"]) + ".")
        else:
            body.append("logicbone answered every model.")
        if s["different"]:
            body.append("**Different answers**: " + ", ".join(
                f"`{f}` (vs {', '.join(who)})" for f, who in s["different"]) + ".")
        if s["slower"]:
            body.append("A reference faster: " + ", ".join(
                f"`{f}` ({mine:.2f} s vs {tool} {best_s:.2f} s, {ratio:.2f})"
                for f, mine, tool, best_s, ratio in sorted(s["slower"], key=lambda x: -x[4]))
                + ".")
        body.append("")
    lines += headline + [""] + body
    if hard_rows:
        hard_rows = sorted(hard_rows, key=lambda r: (r.get("jobs", 1), r["file"], r["seed"]))
        within = []
        for jobs in sorted({r.get("jobs", 1) for r in hard_rows}):
            mine = [r for r in hard_rows if r.get("jobs", 1) == jobs]
            done = sum(_answered(r["logicbone"], timeout) for r in mine)
            within.append(f"{done} of {len(mine)} listed completely within {timeout:g} s "
                          + ("in one process" if jobs == 1 else f"with `--jobs {jobs}`"))
        lines += ["## Hard conditions", "",
                  "Asynchronous attractors of the models hardest under a condition, each "
                  "input fixed to a value drawn with the seed (as `--seed` draws them): "
                  f"{'; '.join(within)}.", "",
                  "| model | seed | processes | logicbone s | answer |", "|---|---|---|---|---|"]
        for r in hard_rows:
            run = r["logicbone"]
            many = "" if run.get("count") == 1 else "s"
            answer = (f"{run['count']:,} attractor{many}" if run["solved"] else
                      f"incomplete, {run['count']:,} listed" if "count" in run else
                      _cell(str(run.get("error") or "no answer")))
            lines.append(f"| `{r['file']}` | {r['seed']} | {r.get('jobs', 1)} | "
                         f"{run['seconds']:.1f} | {answer} |")
        lines.append("")
    if sync_rows is not None:
        lines += ["## Synchronous exhaustive search against BoolNet", "",
                  "Random N-K networks (K = 2, no constant rules), `logicbone attractors "
                  "--update sync --method explicit` against BoolNet's `getAttractors(..., "
                  "method=\"exhaustive\")`, whole commands side by side.", "",
                  "| n | states | logicbone s | BoolNet s | ratio | CPU-time ratio | attractors | "
                  "bytes per state |", "|---|---|---|---|---|---|---|---|"]
        for r in sync_rows:
            same = "" if r["boolnet_attractors"] in (None, r["attractors"]) else \
                f" (BoolNet {r['boolnet_attractors']})"
            lines.append(
                f"| {r['n']} | {2 ** r['n']} | {r['logicbone_s']:.2f} | "
                f"{'-' if r['boolnet_s'] is None else format(r['boolnet_s'], '.2f')} | "
                f"{'-' if r['ratio'] is None else format(r['ratio'], '.2f')} | "
                f"{'-' if r.get('cpu_ratio') is None else format(r['cpu_ratio'], '.2f')} | "
                f"{r['attractors']}{same} | {r['bytes_per_state']:.1f} |")
        lines.append("")
    return "\n".join(lines)


def _shown(path: Path) -> str:
    """A path as the report names it: inside the project, relative to it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# ---------------------------------------------------------------- main

def latest_records(names: list[str]) -> list[dict]:
    """The records of these ``--jsonl`` files, in order, where a later record of the same
    run (question, mode and model; a hard condition: model, seed and processes) replaces an
    earlier one: a few models run again are rendered with the rest."""
    latest: dict[tuple, dict] = {}
    for name in names:
        with open(name) as fh:
            for rec in map(json.loads, fh):
                key = ((rec["question"], rec["file"], rec.get("seed"), rec.get("jobs", 1))
                       if rec["question"] == "hard_conditions" else
                       (rec["question"], rec["file"], rec.get("mode")))
                latest.pop(key, None)
                latest[key] = rec
    return list(latest.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="A few minutes: 8 small models, 20 s each, sync n <= 20.")
    ap.add_argument("-q", "--question", action="append", choices=sorted(QUESTION_TITLES),
                    help="Questions (default: all). Repeatable.")
    ap.add_argument("--mode", action="append", choices=MODES, help="Modes (default: both).")
    ap.add_argument("--match", action="append", default=[],
                    help="Only models whose path contains this (repeatable: any of them).")
    ap.add_argument("--skip", type=int, default=0,
                    help="Skip the first N models (to share a long run between processes; "
                         "merge their --jsonl records with --records).")
    ap.add_argument("--only", type=int, default=0,
                    help="At most this many models (after --skip).")
    ap.add_argument("--sample", type=int, default=0,
                    help="Only this many models, drawn with --seed.")
    ap.add_argument("--seed", type=int, default=0,
                    help="Seed of the input values (conditions) and of --sample.")
    ap.add_argument("--timeout", type=float, default=None, help="Seconds per run (60).")
    ap.add_argument("--repeat", type=int, default=3,
                    help=f"Runs under {QUICK:g} s are repeated this many times.")
    ap.add_argument("--no-live", action="store_true",
                    help="Use the recorded reference times only (inputs free).")
    ap.add_argument("--no-sync", action="store_true", help="Skip the BoolNet comparison.")
    ap.add_argument("--hard-jobs", type=int, default=1,
                    help="Processes for the hard conditions (--jobs of the listing; 1).")
    ap.add_argument("--hard-seeds", type=int, default=None,
                    help="List the asynchronous attractors of the hardest models under "
                         "this many seeded conditions (8 on a whole run; 0: not).")
    ap.add_argument("--sync-sizes", type=int, nargs="+", default=None)
    ap.add_argument("-o", "--output", default=None,
                    help="The markdown report (default benchmarks/REPORT.md, or "
                         "benchmarks/REPORT-quick.md with --quick).")
    ap.add_argument("--jsonl", default=None, help="Also write one record per model here.")
    ap.add_argument("--records", action="append", default=None,
                    help="Report the records of an earlier --jsonl instead of running the "
                         "corpus again (the synchronous comparison still runs). Repeatable; "
                         "a later record of the same question, mode and model replaces an "
                         "earlier one.")
    args = ap.parse_args(argv)
    timeout = args.timeout or (20.0 if args.quick else 60.0)
    output = Path(args.output or HERE / ("REPORT-quick.md" if args.quick else "REPORT.md"))
    questions = args.question or list(QUESTION_TITLES)
    modes = args.mode or list(MODES)
    models = [m for m in corpus_models() if not args.match or any(k in m for k in args.match)]
    if args.quick:
        models = [m for m in models if m.startswith("pyboolnet_repo/")][:8]
    models = models[args.skip:args.skip + args.only if args.only else None]
    if args.sample and args.sample < len(models):
        models = sorted(random.Random(args.seed).sample(models, args.sample),
                        key=models.index)
    sync_sizes = args.sync_sizes or ([16, 18, 20] if args.quick else [16, 18, 20, 22, 24])
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src"), str(ROOT / "cli")],
                   check=True, stdout=subprocess.DEVNULL)
    live = [] if args.no_live else [r for r in REFERENCES if r.installed()]
    versions = {}
    for r in REFERENCES:
        try:
            from importlib.metadata import version
            versions[r.name] = version(r.name) if r in live else "not run"
        except Exception:
            versions[r.name] = "not installed"
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "logicbone": commit or "?",
            "references": ", ".join(f"{k} {v}" for k, v in versions.items()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, load average at start "
                       f"{os.getloadavg()[0]:.1f}",
            "models": f"{len(models)} of {len(corpus_models())}"
                      f"{' (--quick)' if args.quick else ''}"
                      f"{f' (--sample {args.sample}, seed {args.seed})' if args.sample else ''}",
            "time limit": f"{timeout:g} s per run"}
    notes = [r.note for r in live if r.note]
    if notes:
        meta["note"] = "; ".join(f"{r.name} {r.note}" for r in live if r.note)
    if not live:
        meta["note"] = ("no reference installed: recorded times (expected/*.jsonl, another "
                        "day) for inputs free only")
    tables: dict[tuple[str, str], list[dict]] = {(q, m): [] for q in questions for m in modes
                                                  if not (q in FREE_ONLY and m != "free")}
    hard_rows: list[dict] = []
    hard_seeds = args.hard_seeds if args.hard_seeds is not None else \
        0 if args.quick or args.match or args.sample or args.skip or args.only else 8
    if args.records:
        for rec in latest_records(args.records):
            if rec["question"] == "hard_conditions":
                hard_rows.append(rec)
            elif (rec["question"], rec["mode"]) in tables:
                tables[(rec["question"], rec["mode"])].append(rec)
        for q in questions:  # models without inputs: the free run stands for both
            if (q, "free") in tables and (q, "conditions") in tables:
                done = {r["file"] for r in tables[(q, "conditions")]}
                for rec in tables[(q, "free")]:
                    if rec["file"] not in done and not lb.read_network(BENCH / rec["file"]).inputs:
                        tables[(q, "conditions")].append(dict(rec, mode="conditions"))
        models = []
        meta["models"] = (f"{len({r['file'] for t in tables.values() for r in t})} of "
                          f"{len(corpus_models())}, records of "
                          f"{', '.join(_shown(Path(r)) for r in args.records)}")
        ran = sorted({r.get("commit", "?") for t in tables.values() for r in t}
                     | {r.get("commit", "?") for r in hard_rows})
        meta["logicbone"] = f"the records' runs at {', '.join(ran)} (rendered at {commit})"
    sink = open(args.jsonl, "w") if args.jsonl else None
    recs = {q: recorded(q) for q in questions}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        env = _tool_env(tmp)
        for i, file in enumerate(models, 1):
            cond_path, values = condition_file(file, tmp, args.seed)
            for question in questions:
                refs = [r for r in live if question in r.argument]
                for mode in modes:
                    if mode == "conditions" and question in FREE_ONLY:
                        continue
                    if mode == "conditions" and not values and "free" in modes and \
                            tables[(question, "free")] and \
                            tables[(question, "free")][-1]["file"] == file:
                        rec = dict(tables[(question, "free")][-1], mode=mode,
                                   note="no inputs: the free run")
                        tables[(question, mode)].append(rec)
                        if sink:
                            sink.write(json.dumps(rec) + "\n")
                        continue
                    path = cond_path if mode == "conditions" else BENCH / file
                    old = recs[question].get(file) if mode == "free" else None
                    # a reference that did not answer in its recorded run (a longer limit)
                    # is not run again: it stands as unanswered, its recorded time kept
                    gave_up = [r for r in refs if old and not old["solved"]
                               and old["reference"].split()[0] == r.name
                               and old["seconds_total"] >= timeout]
                    # the count's reference run is the list's, when that ran just now
                    listed = tables.get(("async_attractors", mode))
                    reuse = {t: r for t, r in listed[-1]["tools"].items() if t != "logicbone"
                             } if question == "async_count" and listed and \
                        listed[-1]["file"] == file else {}
                    tools = time_side_by_side(question, path,
                                              [r for r in refs if r not in gave_up
                                               and r.name not in reuse],
                                              timeout, args.repeat, env)
                    tools.update((t, r) for t, r in reuse.items() if t not in tools)
                    for r in gave_up:
                        tools[r.name] = {"seconds": old["seconds_total"], "solved": False,
                                         "note": "recorded: no answer", "runs": 0}
                    if mode == "free" and not refs and old:
                        tools[f"{old['reference']} (recorded)"] = {
                            "seconds": old["seconds_total"], "solved": old["solved"],
                            "sha256": old.get("sha256"), "count": old.get("count")}
                    rec = {"question": question, "mode": mode, "file": file, "tools": tools,
                           "commit": meta["logicbone"],
                           "inputs": values if mode == "conditions" else None,
                           "different": check_answers(
                               {t: r for t, r in tools.items() if "recorded" not in t}, old)}
                    tables[(question, mode)].append(rec)
                    if sink:
                        sink.write(json.dumps(rec) + "\n")
                        sink.flush()
                    mine = tools["logicbone"]
                    print(f"[{i}/{len(models)}] {question:16s} {mode:10s} {file[:50]:50s} "
                          f"logicbone {mine['seconds']:6.2f}{'' if mine['solved'] else '+'} "
                          + " ".join(f"{t} {r['seconds']:6.2f}{'' if r['solved'] else '+'}"
                                     for t, r in tools.items() if t != "logicbone")
                          + (f"  DIFFERENT vs {rec['different']}" if rec["different"] else ""),
                          flush=True)
            write_atomic(output, render(meta, tables, None, timeout))
        if hard_seeds and not args.records:
            print("\n### hard conditions", flush=True)
            hard_rows = hard_conditions(hard_seeds, timeout, tmp, meta["logicbone"],
                                        args.hard_jobs)
            if sink:
                sink.writelines(json.dumps(r) + "\n" for r in hard_rows)
            write_atomic(output, render(meta, tables, None, timeout, hard_rows))
    if sink:
        sink.close()
    sync_rows = None
    if not args.no_sync:
        print("\n### synchronous exhaustive search against BoolNet", flush=True)
        # in a process of its own: a child's peak memory counts its parent's image
        with tempfile.TemporaryDirectory() as tmpdir:
            rows_file = Path(tmpdir) / "sync.json"
            subprocess.run([PYTHON, str(HERE / "explicit_sync.py"), "--sizes",
                            *map(str, sync_sizes), "--runs", "1" if args.quick else "3",
                            "--json", str(rows_file)], check=True)
            sync_rows = json.loads(rows_file.read_text())
    meta["load average at end"] = f"{os.getloadavg()[0]:.1f}"
    report = render(meta, tables, sync_rows, timeout, hard_rows)
    write_atomic(output, report)
    print("\n" + report)
    print(f"written to {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
