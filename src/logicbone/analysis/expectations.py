"""Literature expectations: statements about a model's attractors under named conditions.

An expectation file is plain YAML, a list of statements (or a mapping with the list under
``expectations``)::

    - condition: {scenario: exercise}            # or {fix: {IL6: 0}}, or both
      expect: {Hypertrophy: all_on, Atrophy: none_on}
      source: "D0 §IGF-1: 'passive stretch or contraction ... stimulates the expression of IGF-1 Ea and MGF'"
    - condition: {scenario: [estrogen_loss, denosumab]}   # several scenarios, later ones win
      when: {Osteoclastogenesis: 1}              # optional: only attractors where these hold
      expect: {BoneResorption: all_on}
      source: "..."

``condition`` may also be a string in the syntax of
:func:`~logicbone.scenarios.resolve_condition` (``"exercise+IL6=0"``).

What ``expect`` may say about a node X, over the attractors of the condition (X counts as ON
in an attractor when it is ON in every state of it, OFF when OFF in every state):

========== =============================================== ==============
quantifier passes when                                     witness of a FAIL
========== =============================================== ==============
all_on     X is ON in every attractor                      an attractor where it is not
all_off    X is OFF in every attractor                     an attractor where it is not
some_on    X is ON in at least one attractor               the first attractor
some_off   X is OFF in at least one attractor              the first attractor
none_on    X is ON in no attractor                         an attractor where it is ON
none_off   X is OFF in no attractor                        an attractor where it is OFF
========== =============================================== ==============

``on``/``1`` and ``off``/``0`` are short for ``all_on`` and ``all_off``. A statement is
VACUOUS when no attractor is left to judge (none satisfies ``when``).

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_rules("A* = A\\nB* = A\\nC* = not B")
>>> exps = parse_expectations('''
... - condition: {fix: {A: 1}}
...   expect: {B: all_on, C: none_on}
...   source: "toy"
... - condition: wt
...   expect: {B: some_on, C: all_on}
...   source: "toy"
... ''')
>>> report = check_expectations(net, exps)
>>> [(r.condition, r.node, r.status) for r in report.results]
[('A=1', 'B', 'PASS'), ('A=1', 'C', 'PASS'), ('wt', 'B', 'PASS'), ('wt', 'C', 'FAIL')]
>>> report.counts
{'PASS': 3, 'FAIL': 1, 'VACUOUS': 0}
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from ..dynamics.update import Update
from ..errors import InputError
from ..modes import AttractorMethod
from ..network import Network
from .results import Attractor, AttractorResult

__all__ = ["Expectation", "ExpectationError", "ExpectationResult", "ExpectationReport",
           "QUANTIFIERS", "parse_expectations", "read_expectations", "check_expectations",
           "expectation_path_for"]

log = logging.getLogger(__name__)

#: quantifier -> (value looked for, mode): mode "all", "some" or "none"
QUANTIFIERS: dict[str, tuple[str, str]] = {
    "all_on": ("1", "all"), "all_off": ("0", "all"),
    "some_on": ("1", "some"), "some_off": ("0", "some"),
    "none_on": ("1", "none"), "none_off": ("0", "none"),
}
_ALIASES = {"on": "all_on", "1": "all_on", "true": "all_on",
            "off": "all_off", "0": "all_off", "false": "all_off"}
_ITEM_KEYS = {"condition", "expect", "source", "when", "note", "id"}
_CONDITION_KEYS = {"scenario", "scenarios", "fix"}


class ExpectationError(InputError):
    """An expectation file that cannot be read: ``path: statement N: what``."""


@dataclass(frozen=True)
class Expectation:
    """One statement of an expectation file.

    Attributes
    ----------
    condition : str
        The condition in :func:`~logicbone.scenarios.resolve_condition` syntax
        (``exercise+IL6=0``; ``wt`` for none).
    expect : tuple of (node, quantifier)
    source : str
        The sentence (document, section) the statement rests on.
    when : tuple of (node, 0/1)
        Only attractors in which each node is constantly at the value are judged.
    note : str
    id : str
        A short name; defaults to the statement's number.
    """

    condition: str
    expect: tuple[tuple[str, str], ...]
    source: str = ""
    when: tuple[tuple[str, int], ...] = ()
    note: str = ""
    id: str = ""


@dataclass(frozen=True)
class ExpectationResult:
    """The verdict on one node of one statement."""

    id: str
    condition: str
    node: str
    expect: str
    status: str
    source: str
    n_attractors: int
    witness: Attractor | None = None
    value: str = ""
    note: str = ""

    def to_dict(self, n: int) -> dict:
        d = {"id": self.id, "condition": self.condition, "node": self.node,
             "expect": self.expect, "status": self.status, "source": self.source,
             "attractors": self.n_attractors, "value": self.value}
        if self.witness is not None:
            d["witness"] = self.witness.to_dict(n, max_states=0)
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class ExpectationReport:
    """All verdicts of one check, with the attractor sets they were judged on."""

    model: str
    nodes: tuple[str, ...]
    update: Update
    results: tuple[ExpectationResult, ...]
    attractors: Mapping[str, AttractorResult] = field(default_factory=dict)
    #: statements not judged because an interrupt (Ctrl-C, SIGTERM) came first
    skipped: tuple[str, ...] = ()

    @property
    def interrupted(self) -> bool:
        return bool(self.skipped)

    @property
    def counts(self) -> dict[str, int]:
        """Number of PASS, FAIL and VACUOUS verdicts."""
        out = {"PASS": 0, "FAIL": 0, "VACUOUS": 0}
        for r in self.results:
            out[r.status] += 1
        return out

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not any(r.status == "FAIL" for r in self.results)

    def to_frame(self) -> Any:
        """One row per checked expectation (a pandas DataFrame)."""
        from ..frames import expectations_frame

        return expectations_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import records_html

        counts = ", ".join(f"{v} {k.lower()}" for k, v in self.counts.items())
        return records_html(f"{len(self.results)} checks, {self.update} update: {counts}",
                            ["id", "condition", "node", "expect", "status", "source"],
                            [[r.id, r.condition, r.node, r.expect, r.status, r.source]
                             for r in self.results])

    def to_dict(self) -> dict:
        n = len(self.nodes)
        partial = ({"complete": False, "reason": "interrupted", "skipped": list(self.skipped)}
                   if self.skipped else {})
        return {"model": self.model, "nodes": list(self.nodes), "update": str(self.update),
                "counts": self.counts, **partial,
                "results": [r.to_dict(n) for r in self.results]}


# ------------------------------------------------------------------------- reading

_SCALAR = (str, int, float)


def _scalar(where: str, what: str, value) -> str:
    """A scalar entry as text (``""`` for none); a list or mapping is an error."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, _SCALAR):
        if isinstance(value, bool):
            return str(value).lower()
        raise ExpectationError(f"{where}: '{what}' must be text, not a "
                               f"{'list' if isinstance(value, list) else type(value).__name__}")
    return str(value)


def _node(where: str, key) -> str:
    if isinstance(key, str) and key.strip():
        return key.strip()
    raise ExpectationError(f"{where}: node {key!r} is not a name (quote it to make it one)")


def _quantifier(where: str, node: str, value) -> str:
    if not isinstance(value, _SCALAR):
        raise ExpectationError(f"{where}: '{node}': expected one of {', '.join(QUANTIFIERS)} "
                               "(or on/off)")
    if isinstance(value, bool):
        value = int(value)
    key = str(value).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in QUANTIFIERS:
        raise ExpectationError(
            f"{where}: '{node}: {value}': expected one of {', '.join(QUANTIFIERS)} (or on/off)")
    return key


def _bit(where: str, node: str, value) -> int:
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return int(value)
    if not isinstance(value, _SCALAR):
        raise ExpectationError(f"{where}: '{node}': the value must be 0, 1, ON or OFF")
    text = str(value).strip().lower()
    if text in ("0", "off", "false"):
        return 0
    if text in ("1", "on", "true"):
        return 1
    raise ExpectationError(f"{where}: '{node}: {value}': the value must be 0, 1, ON or OFF")


def _condition_text(where: str, cond) -> str:
    if cond is None:
        return "wt"
    if isinstance(cond, str):
        return cond.strip() or "wt"
    if not isinstance(cond, Mapping):
        raise ExpectationError(f"{where}: 'condition' must be a mapping or a string")
    unknown = set(map(str, cond)) - _CONDITION_KEYS
    if unknown:
        raise ExpectationError(f"{where}: unknown condition key '{sorted(unknown)[0]}' "
                               "(use scenario and fix)")
    parts: list[str] = []
    names = cond.get("scenario", cond.get("scenarios"))
    if names is not None:
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip()
                                                  for n in names):
            raise ExpectationError(f"{where}: 'scenario' names a scenario or a list of them")
        parts += [str(s).strip() for s in names]
    fix = cond.get("fix") or {}
    if not isinstance(fix, Mapping):
        raise ExpectationError(f"{where}: 'fix' must be a mapping node: 0/1")
    if fix:
        parts.append(",".join(f"{_node(where, k)}={_bit(where, _node(where, k), v)}"
                              for k, v in fix.items()))
    return "+".join(parts) or "wt"


def parse_expectations(text: str, path: str | None = None) -> list[Expectation]:
    """Read expectations from YAML text (the format is in the module docstring).

    Raises
    ------
    ExpectationError
        On malformed YAML, a statement without ``expect``, an unknown key or quantifier.
    """
    from ..io.yamltext import load_yaml, where as at

    where = path or "<expectations>"
    data = load_yaml(text, where, error=ExpectationError)
    if data is None:
        return []
    if isinstance(data, Mapping) and "expectations" in data:
        data = data["expectations"]
    if not isinstance(data, list):
        raise ExpectationError(f"{at(data, path=where)}: expected a list of statements")
    out: list[Expectation] = []
    for i, item in enumerate(data, 1):
        here = f"{at(data, i - 1, path=where)}: statement {i}"
        if isinstance(item, Mapping) and "graded" in item:
            continue    # a graded statement: read and judged by analysis.graded
        if not isinstance(item, Mapping):
            raise ExpectationError(f"{here}: expected a mapping with condition, expect, source")
        unknown = set(map(str, item)) - _ITEM_KEYS
        if unknown:
            raise ExpectationError(f"{here}: unknown key '{sorted(unknown)[0]}' "
                                   f"(use {', '.join(sorted(_ITEM_KEYS))})")
        expect = item.get("expect")
        if not isinstance(expect, Mapping) or not expect:
            raise ExpectationError(f"{here}: 'expect' must map nodes to all_on, some_off, ...")
        when = item.get("when") or {}
        if not isinstance(when, Mapping):
            raise ExpectationError(f"{here}: 'when' must be a mapping node: 0/1")
        out.append(Expectation(
            condition=_condition_text(here, item.get("condition")),
            expect=tuple((_node(here, k), _quantifier(here, _node(here, k), v))
                         for k, v in expect.items()),
            source=_scalar(here, "source", item.get("source")),
            when=tuple((_node(here, k), _bit(here, _node(here, k), v)) for k, v in when.items()),
            note=_scalar(here, "note", item.get("note")),
            id=_scalar(here, "id", item.get("id")) or str(i)))
    return out


def read_expectations(path: str | PathLike[str]) -> list[Expectation]:
    """Read an expectation file; see :func:`parse_expectations`."""
    from ..io import read_companion

    text = read_companion(path, "expectation", ExpectationError)
    return parse_expectations(text, str(path))


def expectation_path_for(model_path: str | PathLike[str]) -> Path:
    """Where a model's expectations live: ``<model stem>.expectations.yaml`` next to it.

    Examples
    --------
    >>> expectation_path_for("models/bone.rules").as_posix()
    'models/bone.expectations.yaml'
    """
    from ..io import companion_path

    return companion_path(model_path, "expectations")


# ------------------------------------------------------------------------- checking

def _judge(values: list[str], target: str, mode: str) -> tuple[bool, int | None]:
    """Pass/fail and the index of the witnessing attractor (None when it passes)."""
    if mode == "all":
        bad = next((i for i, v in enumerate(values) if v != target), None)
        return bad is None, bad
    if mode == "some":
        ok = target in values
        return ok, None if ok else 0
    bad = next((i for i, v in enumerate(values) if v == target), None)
    return bad is None, bad


def check_expectations(net: Network, expectations: Iterable[Expectation],
                       update: Update | str = Update.ASYNCHRONOUS, *,
                       scenarios: Mapping[str, Any] | None = None,
                       method: AttractorMethod | str = AttractorMethod.AUTO,
                       model: str = "", **kw: Any) -> ExpectationReport:
    """Judge each statement on the attractors of its condition.

    Parameters
    ----------
    net : Network
    expectations : iterable of Expectation
        From :func:`read_expectations` or :func:`parse_expectations`.
    update : Update or str
        The update scheme (``async`` by default).
    scenarios : mapping name -> Scenario, optional
        The model's scenarios (:func:`~logicbone.scenarios.read_scenarios`), for conditions
        that name them.
    method : str
        Passed to :func:`~logicbone.analysis.attractors.attractors`, as are further keywords.
    model : str
        A label carried into the report.

    Returns
    -------
    ExpectationReport
        One :class:`ExpectationResult` per node of each statement, in file order; each
        condition's attractors are computed once.

    Raises
    ------
    UnknownNodeError
        When a condition, ``when`` or ``expect`` names no node of the network.
    PerturbationError
        When a condition names an unknown scenario.
    """
    from ..dynamics.update import Update

    update = Update.parse(update)
    cache: dict[str, AttractorResult] = {}
    results: list[ExpectationResult] = []
    expectations = list(expectations)
    k = 0
    try:
        for k, exp in enumerate(expectations):
            _check_one(net, exp, update, method, scenarios, model, kw, cache, results)
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM: the verdicts so far, and which statements are left
        skipped = tuple(e.id for e in expectations[k:])
        log.warning("interrupted: %d statements not checked", len(skipped))
        kept = tuple(r for r in results if r.id not in set(skipped))
        return ExpectationReport(model, net.names, update, kept, cache, skipped)
    return ExpectationReport(model, net.names, update, tuple(results), cache)


def _check_one(net: Network, exp: Expectation, update: Update, method: AttractorMethod | str,
               scenarios: Mapping[str, Any] | None,
               model: str, kw: dict[str, Any], cache: dict[str, AttractorResult],
               results: list[ExpectationResult]) -> None:
    """Judge one statement (its condition's attractors computed once, into ``cache``)."""
    from ..scenarios import resolve_condition
    from .attractors import attractors

    net.check_nodes(n for n, _ in exp.expect)
    net.check_nodes(n for n, _ in exp.when)
    if exp.condition not in cache:
        pert = resolve_condition(exp.condition, scenarios, net)
        log.info("attractors under %s", exp.condition)
        cache[exp.condition] = attractors(pert.apply(net), update, method, model=model, **kw)
    res = cache[exp.condition]
    atts = [a for a in res.attractors
            if all(a.subspace[net.index(n)] == str(v) for n, v in exp.when)]
    for node, quant in exp.expect:
        i = net.index(node)
        values = [a.subspace[i] for a in atts]
        if not atts:
            status, witness = "VACUOUS", None
        else:
            target, mode = QUANTIFIERS[quant]
            ok, w = _judge(values, target, mode)
            status, witness = ("PASS" if ok else "FAIL"), (None if w is None else atts[w])
        results.append(ExpectationResult(
            id=exp.id, condition=exp.condition, node=node, expect=quant, status=status,
            source=exp.source, n_attractors=len(atts), witness=witness,
            value="".join(sorted(set(values))), note=exp.note))
    if not res.complete:
        log.warning("%s: the attractor search was incomplete; verdicts may change",
                    exp.condition)
