"""Graded literature statements, judged on stochastic time courses (MaBoSS semantics).

Boolean expectations say ON or OFF; the literature also speaks of effects that are
*blunted*, *transient* or *slower*. An expectation file may carry such statements beside the
Boolean ones, each with a ``graded`` key::

    - id: G1
      graded: lower                 # P(node ON) at time `at` under `condition` is lower
      node: Hypertrophy             # than under `than` by at least `by`
      condition: {scenario: exercise}
      rates: {mus_mTOR.up: 0.2}     # rate factors under `condition` (a partial inhibition)
      than: {scenario: exercise}
      start: {scenario: baseline}   # start in the attractors of this condition
      at: 20
      by: 0.1
      source: "..."
    - graded: higher                # the same, the other way round
    - graded: transient             # `node` rises then falls under `condition`: some window
                                    # above both the first and the last by `by`
    - graded: later                 # `phenotype` ({Atrophy: 1}) is reached later under
                                    # `condition` than under `than`: the mean first-passage
                                    # time, capped at `at`, larger by at least `by`

Each condition is simulated with a seeded sampler (``samples`` trajectories, default 2000;
``seed``, default 1; windows of ``tick``, default at/20). A statement PASSes only when the
measured difference exceeds what it needs by more than two standard errors of that
difference; otherwise it FAILs, with the difference and its error shown.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_rules("A* = A\\nB* = A")
>>> st = parse_graded('''
... - graded: lower
...   node: B
...   condition: {fix: {A: 1}}
...   rates: {B.up: 0.1}
...   than: {fix: {A: 1}}
...   start: {fix: {A: 1, B: 0}}
...   at: 2
...   by: 0.3
... ''')
>>> [r.status for r in check_graded(net, st).results]
['PASS']
"""
from __future__ import annotations

import enum
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

from ..network import Network
from .expectations import ExpectationError

__all__ = ["GradedKind", "GradedStatement", "GradedResult", "GradedReport", "parse_graded",
           "read_graded", "check_graded"]

log = logging.getLogger(__name__)

#: a statement passes when its margin exceeds this many standard errors
Z = 2.0

_KEYS = {"id", "graded", "node", "phenotype", "condition", "than", "rates", "than_rates",
         "start", "at", "by", "samples", "seed", "tick", "source", "note"}


class GradedKind(str, enum.Enum):
    """What a graded statement compares."""

    LOWER = "lower"
    HIGHER = "higher"
    TRANSIENT = "transient"
    LATER = "later"


@dataclass(frozen=True)
class GradedStatement:
    """One graded statement (see the module docstring)."""

    kind: GradedKind
    condition: str
    at: float
    node: str = ""
    phenotype: tuple[tuple[str, int], ...] = ()
    than: str = ""
    rates: tuple[tuple[str, float], ...] = ()
    than_rates: tuple[tuple[str, float], ...] = ()
    start: str | None = None
    by: float = 0.0
    samples: int = 2000
    seed: int = 1
    tick: float | None = None
    source: str = ""
    note: str = ""
    id: str = ""

    def describe(self) -> str:
        """The statement in one line."""
        rates = "".join(f" with {k}*{v:g}" for k, v in self.rates)
        if self.kind is GradedKind.TRANSIENT:
            return f"{self.node} rises then falls under {self.condition}{rates} (by {self.by:g})"
        if self.kind is GradedKind.LATER:
            ph = ",".join(f"{k}={v}" for k, v in self.phenotype)
            return (f"{ph} reached later under {self.condition}{rates} than under "
                    f"{self.than} (by {self.by:g})")
        return (f"P({self.node}) at t={self.at:g} {self.kind.value} under {self.condition}"
                f"{rates} than under {self.than} (by at least {self.by:g})")


@dataclass(frozen=True)
class GradedResult:
    """The verdict on one graded statement."""

    statement: GradedStatement
    status: str
    value: float
    error: float
    needed: float
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        s = self.statement
        return {"id": s.id, "graded": s.kind.value, "statement": s.describe(),
                "status": self.status, "value": self.value, "error": self.error,
                "needed": self.needed, "detail": self.detail, "samples": s.samples,
                "seed": s.seed, "source": s.source}


@dataclass(frozen=True)
class GradedReport:
    """All graded verdicts of one check."""

    results: tuple[GradedResult, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(r.status == "PASS" for r in self.results)

    def to_dict(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.results]


# ---------------------------------------------------------------- reading

def _cond(where: str, value: Any, key: str) -> str:
    if value is None:
        raise ExpectationError(f"{where}: '{key}' is required")
    if isinstance(value, str):
        return value.strip() or "wt"
    if not isinstance(value, Mapping):
        raise ExpectationError(f"{where}: '{key}' must be a mapping or a string")
    parts: list[str] = []
    names = value.get("scenario", value.get("scenarios"))
    if names is not None:
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ExpectationError(f"{where}: '{key}.scenario' names a scenario or a list "
                                   "of them")
        parts += [str(s) for s in names]
    fix = value.get("fix") or {}
    if not isinstance(fix, Mapping):
        raise ExpectationError(f"{where}: '{key}.fix' must map nodes to 0/1")
    if fix:
        parts.append(",".join(f"{k}={int(bool(v))}" for k, v in fix.items()))
    return "+".join(parts) or "wt"


def _num(where: str, value: Any, key: str, positive: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        shown = repr(value) if isinstance(value, (str, int, float)) else type(value).__name__
        raise ExpectationError(f"{where}: '{key}' must be a number, got {shown[:40]}") from None
    if not math.isfinite(x) or x < 0 or (positive and x == 0):
        raise ExpectationError(f"{where}: '{key}' must be a {'positive' if positive else 'non-negative'} "
                               f"number, got {value!r}")
    return x


def _factors(where: str, value: Any, key: str) -> tuple[tuple[str, float], ...]:
    if not value:
        return ()
    if not isinstance(value, Mapping):
        raise ExpectationError(f"{where}: '{key}' must map NODE.up / NODE.down to factors")
    return tuple((str(k), _num(where, v, f"{key}.{k}")) for k, v in value.items())


def parse_graded(text: str, path: str | None = None) -> list[GradedStatement]:
    """The graded statements of an expectation file's YAML text (others are skipped).

    Raises
    ------
    ExpectationError
        On a malformed graded statement.
    """
    from ..io.yamltext import load_yaml, where as at

    where0 = path or "<expectations>"
    data = load_yaml(text, where0, error=ExpectationError)
    if isinstance(data, Mapping) and "expectations" in data:
        data = data["expectations"]
    if not isinstance(data, list):
        return []
    out: list[GradedStatement] = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, Mapping) or "graded" not in item:
            continue
        where = f"{at(data, i - 1, path=where0)}: statement {i}"
        for key in ("node", "source", "note", "id", "graded"):
            if isinstance(item.get(key), (list, dict)):
                raise ExpectationError(f"{where}: '{key}' must be text")
        unknown = set(map(str, item)) - _KEYS
        if unknown:
            raise ExpectationError(f"{where}: unknown key '{sorted(unknown)[0]}' in a graded "
                                   f"statement (use {', '.join(sorted(_KEYS))})")
        try:
            kind = GradedKind(str(item["graded"]).strip().lower())
        except ValueError:
            raise ExpectationError(f"{where}: graded: '{item['graded']}': use "
                                   f"{', '.join(k.value for k in GradedKind)}") from None
        node = str(item.get("node") or "")
        phenotype: tuple[tuple[str, int], ...] = ()
        if kind is GradedKind.LATER:
            ph = item.get("phenotype")
            if not isinstance(ph, Mapping) or not ph:
                raise ExpectationError(f"{where}: 'later' needs a phenotype {{NODE: 0/1}}")
            phenotype = tuple((str(k), int(bool(v))) for k, v in ph.items())
        elif not node:
            raise ExpectationError(f"{where}: '{kind.value}' needs a node")
        than = ""
        if kind is not GradedKind.TRANSIENT:
            than = _cond(where, item.get("than"), "than")
        tick = item.get("tick")
        seed = item.get("seed", 1)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ExpectationError(f"{where}: 'seed' must be a whole number")
        samples = item.get("samples", 2000)
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
            raise ExpectationError(f"{where}: 'samples' must be a whole number >= 2")
        out.append(GradedStatement(
            kind=kind, condition=_cond(where, item.get("condition"), "condition"),
            at=_num(where, item.get("at"), "at", positive=True), node=node,
            phenotype=phenotype, than=than, rates=_factors(where, item.get("rates"), "rates"),
            than_rates=_factors(where, item.get("than_rates"), "than_rates"),
            start=None if item.get("start") is None else _cond(where, item["start"], "start"),
            by=_num(where, item.get("by", 0), "by"), samples=samples,
            seed=seed,
            tick=None if tick is None else _num(where, tick, "tick", positive=True),
            source=str(item.get("source") or ""), note=str(item.get("note") or ""),
            id=str(item.get("id") or i)))
    return out


def read_graded(path: str | PathLike[str]) -> list[GradedStatement]:
    """:func:`parse_graded` on a file."""
    from ..io import read_companion

    return parse_graded(read_companion(path, "expectation", ExpectationError), str(path))


# ---------------------------------------------------------------- checking

def check_graded(net: Network, statements: Iterable[GradedStatement], *,
                 scenarios: Mapping | None = None, samples: int | None = None,
                 jobs: int | None = 1, progress: Any = None) -> GradedReport:
    """Judge graded statements with the stochastic engine (sampled, seeded).

    Parameters
    ----------
    samples : int, optional
        Override every statement's trajectory count.

    Raises
    ------
    UnknownNodeError, PerturbationError, UsageError
    """
    from ..rates import Rates
    from ..scenarios import resolve_condition
    from .stochastic import attractor_initial, stochastic

    starts: dict[str | None, Any] = {}
    results = []

    def run(st: GradedStatement, cond: str, factors, phenotype=None):
        if st.start not in starts:
            starts[st.start] = None if st.start is None else attractor_initial(
                resolve_condition(st.start, scenarios, net).apply(net))
        rates = Rates().scaled(dict(factors)) if factors else None
        return stochastic(resolve_condition(cond, scenarios, net).apply(net), st.at, st.tick
                          or st.at / 20, samples=samples or st.samples, seed=st.seed,
                          rates=rates, initial=starts[st.start], method="sampled",
                          phenotype=phenotype, jobs=jobs, progress=progress)

    for st in statements:
        if st.node:
            net.index(st.node)
        if st.kind in (GradedKind.LOWER, GradedKind.HIGHER):
            a = run(st, st.condition, st.rates)
            b = run(st, st.than, st.than_rates)
            pa, pb = float(a.probability(st.node)[-1]), float(b.probability(st.node)[-1])
            ea, eb = float(a.error(st.node)[-1]), float(b.error(st.node)[-1])
            diff = pb - pa if st.kind is GradedKind.LOWER else pa - pb
            err = math.hypot(ea, eb)
            detail = f"P = {pa:.3f} ± {ea:.3f} against {pb:.3f} ± {eb:.3f}"
        elif st.kind is GradedKind.TRANSIENT:
            a = run(st, st.condition, st.rates)
            p, e = a.probability(st.node), a.error(st.node)
            k = int(p.argmax())
            rise, fall = float(p[k] - p[0]), float(p[k] - p[-1])
            diff = min(rise, fall)
            err = float(math.hypot(e[k], e[0] if rise <= fall else e[-1]))
            detail = (f"peak {p[k]:.3f} at t={a.times[k]:g}; first {p[0]:.3f}, "
                      f"last {p[-1]:.3f}")
        else:
            ph = dict(st.phenotype)
            a = run(st, st.condition, st.rates, ph)
            b = run(st, st.than, st.than_rates, ph)
            fa, fb = a.first_passage or {}, b.first_passage or {}
            ta, tb = fa["restricted_mean_time"], fb["restricted_mean_time"]
            ea, eb = fa["restricted_mean_time_error"], fb["restricted_mean_time_error"]
            diff, err = ta - tb, math.hypot(ea, eb)
            detail = (f"mean first-passage time (capped at {st.at:g}) {ta:.3g} ± {ea:.2g} "
                      f"against {tb:.3g} ± {eb:.2g}")
        ok = diff - st.by > Z * err
        results.append(GradedResult(st, "PASS" if ok else "FAIL", diff, err, st.by, detail))
    return GradedReport(tuple(results))
