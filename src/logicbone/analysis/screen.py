"""Screens: many knockouts and over-expressions, ranked by their effect on readout nodes.

Every perturbation of a screen is applied on top of a base perturbation (fixed inputs, a
scenario), its attractors are computed, and its record says how the readouts behave there
compared with the base alone (the ``wt`` record):

* ``readouts``: each readout as ``ON``/``OFF``/``mixed``/``oscillating`` over the attractors;
* ``effect``: the sum over readouts of the change in mean activity (a readout counts 1 in an
  attractor where it is ON, 0 where OFF, 1/2 where it oscillates), from 0 (no change) up to the
  number of readouts;
* ``lost`` / ``gained``: readout phenotypes of the wild type that no attractor shows any more,
  and new ones;
* ``phenotypes``: each readout phenotype shown (a string over the readouts, ``*`` where one
  oscillates) and how many attractors show it: a screen of a model with free inputs has
  thousands of attractors and only a few phenotypes.

Records are appended to the output file (``.csv`` or ``.jsonl``) as each perturbation finishes,
so a killed screen keeps its work; ``resume=True`` reads them back and computes only the rest.
When the screen completes, the file is rewritten in rank order (wild type first, then by
decreasing effect, then in screen order), so that it is the same whatever executed the screen
and however often it was interrupted.

Examples
--------
>>> import logicbone as lb
>>> from logicbone.analysis.screen import screen
>>> net = lb.parse_bnet("S, S\\nA, S\\nB, A\\nR, B & !C\\nC, 0")
>>> res = screen(net, targets=["A", "C"], readouts=["R"], base=lb.Perturbation({"S": 1}))
>>> [(r.perturbation, r.readouts["R"], r.effect) for r in res.records[:4]]
[('wt', 'ON', 0.0), ('A=0', 'OFF', 1.0), ('C=1', 'OFF', 1.0), ('A=1', 'ON', 0.0)]
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from ..dynamics.update import Update
from ..errors import FileExistsRefused, InputError, LogicboneError, OutputError
from ..outputs import output_error
from ..modes import AttractorMethod
from ..network import Network
from ..perturb import Perturbation, double_perturbations, single_perturbations
from .compare import default_analysis, phenotype, summarise
from .results import AttractorResult

__all__ = ["screen", "ScreenRecord", "ScreenResult", "read_screen", "ScreenFileError"]

log = logging.getLogger(__name__)


class ScreenFileError(InputError):
    """A screen output file that cannot be resumed (another screen's, or damaged)."""


@dataclass(frozen=True)
class ScreenRecord:
    """One perturbation of a screen: what it clamps, and what its attractors do."""

    perturbation: str
    kind: str
    update: str
    attractors: int
    complete: bool
    effect: float
    lost: int
    gained: int
    readouts: dict[str, str]
    activity: dict[str, float]
    #: (phenotype, number of attractors that show it), in phenotype order
    phenotypes: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict:
        return {"perturbation": self.perturbation, "kind": self.kind, "update": self.update,
                "attractors": self.attractors, "complete": self.complete,
                "effect": self.effect, "lost": self.lost, "gained": self.gained,
                "readouts": dict(self.readouts), "activity": dict(self.activity),
                "phenotypes": dict(self.phenotypes)}

    @classmethod
    def from_dict(cls, d: dict) -> "ScreenRecord":
        return cls(str(d["perturbation"]), str(d["kind"]), str(d["update"]),
                   int(d["attractors"]), bool(d["complete"]), float(d["effect"]),
                   int(d["lost"]), int(d["gained"]), dict(d["readouts"]),
                   {k: float(v) for k, v in d["activity"].items()},
                   _counted(d["phenotypes"]))

    # CSV: one column per readout summary and per readout activity
    @staticmethod
    def csv_header(readouts: Sequence[str]) -> list[str]:
        return (["perturbation", "kind", "update", "attractors", "complete", "effect", "lost",
                 "gained"] + list(readouts) + [f"activity:{r}" for r in readouts]
                + ["phenotypes"])

    def csv_row(self, readouts: Sequence[str]) -> list:
        return ([self.perturbation, self.kind, self.update, self.attractors,
                 "true" if self.complete else "false", _num(self.effect), self.lost,
                 self.gained] + [self.readouts[r] for r in readouts]
                + [_num(self.activity[r]) for r in readouts]
                + [" ".join(f"{ph}:{n}" for ph, n in self.phenotypes)])

    @classmethod
    def from_csv(cls, row: dict, readouts: Sequence[str]) -> "ScreenRecord":
        return cls.from_dict({
            **row, "complete": row["complete"] == "true",
            "readouts": {r: row[r] for r in readouts},
            "activity": {r: row[f"activity:{r}"] for r in readouts},
            "phenotypes": row["phenotypes"].split()})


def _num(x: float) -> str:
    return repr(float(x))


def _counted(phenotypes: Any) -> tuple[tuple[str, int], ...]:
    """``(phenotype, attractors)`` pairs in phenotype order, from a mapping, from
    ``phenotype:count`` words, or from one phenotype per attractor (files written before
    the counts: still resumed)."""
    if isinstance(phenotypes, dict):
        counts = {str(ph): int(n) for ph, n in phenotypes.items()}
    else:
        counts = {}
        for word in phenotypes:
            ph, _, n = str(word).partition(":")
            counts[ph] = counts.get(ph, 0) + (int(n) if n else 1)
    return tuple(sorted(counts.items()))


@dataclass(frozen=True)
class ScreenResult:
    """The records of a screen, wild type first, then ranked by effect."""

    model: str
    update: str
    readouts: tuple[str, ...]
    targets: tuple[str, ...]
    base: Perturbation
    records: tuple[ScreenRecord, ...]
    resumed: int = 0
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> Any:
        """One row per perturbation, in rank order (a pandas DataFrame)."""
        from ..frames import screen_frame

        return screen_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import records_html

        return records_html(f"screen of {len(self.records) - 1:,} perturbations",
                            ["perturbation", "effect", "lost", "gained", *self.readouts],
                            [[r.perturbation, r.effect, r.lost, r.gained,
                              *(r.readouts[k] for k in self.readouts)] for r in self.records])

    def to_dict(self) -> dict:
        return {"model": self.model, "update": self.update, "readouts": list(self.readouts),
                "targets": list(self.targets), "base": dict(self.base),
                "records": [r.to_dict() for r in self.records]}


# ------------------------------------------------------------ the work of one perturbation

def _activity(result: AttractorResult, positions: Sequence[int]) -> list[float]:
    if not result.attractors:
        return [0.0] * len(positions)
    value = {"1": 1.0, "0": 0.0, "*": 0.5}
    return [round(sum(value[a.subspace[i]] for a in result.attractors) / len(result.attractors), 9)
            for i in positions]


def _run_one(task) -> dict:
    """Worker side: the attractors of one perturbed network, reduced to readout figures."""
    from ..parallel import from_portable

    analyse, spec, values, readouts = task
    net = from_portable(spec)
    res = analyse(net.fix(values) if values else net)
    positions = [net.index(r) for r in readouts]
    summary = summarise(res)
    return {"attractors": len(res.attractors), "complete": bool(res.complete),
            "readouts": {r: summary[r] for r in readouts},
            "activity": dict(zip(readouts, _activity(res, positions))),
            "phenotypes": sorted(Counter(phenotype(a, positions)
                                         for a in res.attractors).items()),
            "update": res.update}


def _run_shared(shared, values) -> dict:
    """Worker side of a parallel screen: ``shared`` = (analyse, model, readouts), sent once."""
    analyse, spec, readouts = shared
    return _run_one((analyse, spec, values, readouts))


#: tasks per batch at most, and the batches each worker should get at least
MAX_BATCH = 16
BATCHES_PER_WORKER = 8


def _batch_size(tasks: int, jobs: int | None) -> int:
    """Tasks per submission: few round trips, yet enough batches to keep every worker busy."""
    from ..parallel import default_jobs

    workers = default_jobs() if not jobs else max(1, int(jobs))
    return max(1, min(MAX_BATCH, tasks // (BATCHES_PER_WORKER * workers)))


def _record(label: str, kind: str, raw: dict, wt: dict | None) -> ScreenRecord:
    wt = wt or raw
    effect = round(sum(abs(raw["activity"][r] - wt["activity"][r]) for r in raw["activity"]), 6)
    mine, theirs = dict(raw["phenotypes"]), dict(wt["phenotypes"])
    return ScreenRecord(label, kind, raw["update"], raw["attractors"], raw["complete"], effect,
                        len(theirs.keys() - mine.keys()), len(mine.keys() - theirs.keys()),
                        raw["readouts"], raw["activity"], _counted(mine))


# ------------------------------------------------------------ the output file

def _format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise InputError(f"{path}: screen results go to a .csv or .jsonl file")


def _line(rec: ScreenRecord, fmt: str, readouts: Sequence[str]) -> str:
    if fmt == "jsonl":
        return json.dumps(rec.to_dict(), separators=(",", ":")) + "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(rec.csv_row(readouts))
    return buf.getvalue()


def _header(fmt: str, readouts: Sequence[str]) -> str:
    if fmt == "jsonl":
        return ""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(ScreenRecord.csv_header(readouts))
    return buf.getvalue()


def read_screen(path: str | PathLike[str], readouts: Sequence[str] | None = None, *,
                repair: bool = False
                ) -> list[ScreenRecord]:
    """The records of a screen file, in file order.

    A last line cut short (the screen was killed while writing it) is ignored, and with
    ``repair=True`` removed from the file.

    Raises
    ------
    ScreenFileError
        If a complete line cannot be read, or (``readouts`` given) the file's readouts differ.
    """
    from ..io.text import decode_text, read_bytes

    path = Path(path)
    fmt = _format_for(path)
    data = read_bytes(path, "screen result", error=ScreenFileError)
    cut = data.rfind(b"\n") + 1
    if cut < len(data):
        log.warning("%s: ignoring an incomplete last line", path)
        if repair:
            with open(path, "r+b") as fh:
                fh.truncate(cut)
    text = decode_text(data[:cut], str(path), error=ScreenFileError)
    records = []
    try:
        if fmt == "jsonl":
            for k, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        records.append(ScreenRecord.from_dict(json.loads(line)))
                    except (ValueError, KeyError, TypeError, AttributeError) as err:
                        raise ScreenFileError(f"{path}:{k}: cannot read a screen record: "
                                              f"{err}") from err
            if readouts is not None and records and list(records[0].readouts) != list(readouts):
                raise ScreenFileError(
                    f"{path}: written by a screen of other readouts "
                    f"({', '.join(records[0].readouts)})")
        else:
            rows = list(csv.reader(io.StringIO(text)))
            if not rows:
                return []
            head = rows[0]
            reads = [h for h in head[8:] if not h.startswith("activity:") and h != "phenotypes"]
            if head != ScreenRecord.csv_header(reads):
                raise ScreenFileError(f"{path}: not a screen result file (unexpected columns)")
            if readouts is not None and reads != list(readouts):
                raise ScreenFileError(
                    f"{path}: written by a screen of other readouts ({', '.join(reads)})")
            for row in rows[1:]:
                records.append(ScreenRecord.from_csv(dict(zip(head, row)), reads))
    except ScreenFileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ScreenFileError(f"{path}: cannot read a screen record: {err}") from err
    return records


def _append(fh: Any, path: Path, text: str, records: int, fresh: bool) -> None:
    """Append ``text`` (whole lines) to the screen file ``fh``; on a write error (a full disk)
    cut the file back to its last complete line and raise :class:`OutputError`: the file then
    holds the header and ``records`` complete records (a fresh file with none is removed)."""
    data = text.encode("utf-8")
    end = fh.tell()
    try:
        view = memoryview(data)
        while view:
            view = view[fh.write(view):]
    except OSError as err:
        with contextlib.suppress(OSError):
            os.ftruncate(fh.fileno(), end)
        fh.close()
        kept = ""
        if fresh and end == 0:
            with contextlib.suppress(OSError):
                path.unlink()
        elif records:
            kept = (f"; the {records} records written before are kept "
                    "(continue with --resume)")
        raise OutputError(f"{output_error(path, err)}{kept}") from err


# ------------------------------------------------------------ the screen

def screen(net: Network, *, targets: Sequence[str] | None = None,
           readouts: Sequence[str] | None = None, single: bool = True, double: bool = False,
           perturbations: Iterable[Perturbation] | None = None,
           base: Perturbation | None = None, update: Update | str = Update.ASYNCHRONOUS,
           method: AttractorMethod | str = "auto",
           analyse: Callable[[Network], AttractorResult] | None = None,
           output: str | PathLike[str] | None = None, resume: bool = False, force: bool = False,
           jobs: int | None = 1, scheduler: Any = None,
           progress: Callable[[int, int], None] | None = None, model: str = "") -> ScreenResult:
    """Knock out and over-express targets, singly and in pairs, and rank them by effect.

    Parameters
    ----------
    net : Network
    targets : sequence of str, optional
        Nodes to perturb; default: every node that is not an input, a constant, a readout or
        clamped by ``base``.
    readouts : sequence of str, optional
        Nodes whose behaviour is scored; default: the outputs of the network.
    single, double : bool
        Every target OFF and ON; every pair of targets in all four combinations.
    perturbations : iterable of Perturbation, optional
        Run these instead of the single/double sets.
    base : Perturbation, optional
        Applied under every perturbation, and alone as the ``wt`` record.
    update, method
        Passed to :func:`logicbone.attractors` (unless ``analyse`` is given).
    analyse : callable, optional
        ``analyse(network) -> AttractorResult``; picklable for parallel runs.
    output : path, optional
        ``.csv`` or ``.jsonl`` file; each record is appended as it finishes.
    resume : bool
        Keep the records already in ``output`` and run only the missing perturbations.
    force : bool
        Overwrite an existing ``output`` (without ``resume``).
    jobs, scheduler
        Where to run; see :func:`logicbone.parallel_map`. The records do not depend on it.
    progress : callable, optional
        Called as ``progress(done, total)`` after each record.
    model : str
        The model path, carried into the result.

    Returns
    -------
    ScreenResult

    Raises
    ------
    UnknownNodeError
        A target or readout is not a node.
    FileExistsRefused
        ``output`` exists and neither ``resume`` nor ``force`` is set.
    ScreenFileError
        ``resume`` on a file written by a screen of other readouts or perturbations.
    """
    from ..dynamics.update import Update
    from ..parallel import parallel_map, portable

    base = base or Perturbation()
    net.check_nodes(base)
    if readouts is None:
        readouts = [n for n in net.outputs if n not in net.inputs] or list(net.names)
    readouts = list(dict.fromkeys(readouts))
    net.check_nodes(readouts)
    if targets is None:
        skip = set(net.inputs) | set(net.constants) | set(readouts) | set(base)
        targets = [n for n in net.names if n not in skip]
    targets = list(dict.fromkeys(targets))
    net.check_nodes(targets)
    update_value = Update.parse(update).value
    if analyse is None:
        analyse = default_analysis(update_value, method)

    if perturbations is None:
        perturbations = ((single_perturbations(targets) if single else [])
                         + (double_perturbations(targets) if double else []))
    todo: list[tuple[str, str, dict]] = [("wt", "wt", dict(base))]
    for p in perturbations:
        net.check_nodes(p)
        kind = {1: "single", 2: "double"}.get(len(p), f"{len(p)}-fold")
        todo.append((p.label, kind, dict(base.merged(p))))
    order = {label: k for k, (label, _, _) in enumerate(todo)}
    spec = portable(net)
    if len(order) != len(todo):
        raise LogicboneError("a perturbation is listed twice")

    done: dict[str, ScreenRecord] = {}
    fh = None
    path = Path(output) if output is not None else None
    fmt = _format_for(path) if path is not None else ""
    if path is not None:
        if path.exists() and path.stat().st_size and not resume and not force:
            raise FileExistsRefused(f"{path}: exists; use --resume to continue that screen or "
                                    "--force to start again")
        if resume and path.exists():
            for rec in read_screen(path, readouts, repair=True):
                if rec.perturbation not in order:
                    raise ScreenFileError(f"{path}: holds '{rec.perturbation}', which this screen "
                                          "does not run; was it started with other targets?")
                if rec.update != update_value:
                    raise ScreenFileError(f"{path}: was written under {rec.update} update, not "
                                          f"{update_value}")
                done.setdefault(rec.perturbation, rec)
            log.info("%s: resuming, %d of %d records present", path, len(done), len(todo))
        fresh = not (resume and path.exists() and path.stat().st_size)
        try:
            # unbuffered: each record reaches the file whole, or is cut off again below
            fh = open(path, "wb" if fresh else "ab", buffering=0)
        except OSError as err:
            raise output_error(path, err) from err
        if fresh:
            _append(fh, path, _header(fmt, readouts), 0, fresh)
    resumed = len(done)

    def emit(rec: ScreenRecord) -> None:
        done[rec.perturbation] = rec
        if fh is not None and path is not None:
            _append(fh, path, _line(rec, fmt, readouts), len(done) - 1, fresh)
        if progress is not None:
            progress(len(done), len(todo))

    try:
        if progress is not None and done:
            progress(len(done), len(todo))
        if "wt" in done:
            wt_raw = done["wt"].to_dict()
        else:
            wt_raw = _run_one((analyse, spec, dict(base), readouts))
            emit(_record("wt", "wt", wt_raw, None))
        rest = [t for t in todo if t[0] not in done]
        # the model goes to each worker once; the tasks are only the clamped values, in batches
        tasks = [values for _, _, values in rest]
        for i, raw in parallel_map(_run_shared, tasks, jobs=jobs, scheduler=scheduler,
                                   shared=(analyse, spec, readouts),
                                   batch=_batch_size(len(tasks), jobs)):
            label, kind, _ = rest[i]
            emit(_record(label, kind, raw, wt_raw))
    finally:
        if fh is not None:
            fh.close()

    records = sorted(done.values(), key=lambda r: (r.kind != "wt", -r.effect,
                                                   -(r.lost + r.gained), order[r.perturbation]))
    if path is not None:
        from ..outputs import write_atomic

        text = _header(fmt, readouts) + "".join(_line(r, fmt, readouts) for r in records)
        write_atomic(path, text, force=True)
        log.info("%s: %d records, in rank order", path, len(records))
    incomplete = sum(not r.complete for r in records)
    notes = (f"{incomplete} perturbations have incomplete attractor sets",) if incomplete else ()
    return ScreenResult(model, update_value, tuple(readouts), tuple(targets), base,
                        tuple(records), resumed, notes)
