"""Which rules hold each literature expectation up.

For every statement of an expectation file (:mod:`logicbone.analysis.expectations`) that
passes, each rule it could depend on is changed in turn and the statement judged again on the
attractors of its condition. The statement *depends on* a change that makes it fail.

Two changes are offered (:class:`SensitivityMode`):

``RULE``
    The node's rule is replaced by the constant value the node takes *at rest*: in every
    attractor of the reference condition (the model's ``baseline`` scenario when it has one).
    The node then no longer responds to anything, so a statement that depends on it is one
    whose phenotype needs that node to change from its resting value (or to keep it against
    a condition that would move it).
``EDGE``
    One regulator in one rule is replaced by the regulator's resting value: that single
    arrow is cut while the rest of the rule keeps working. Reported as ``regulator->node``.
``FLIP``
    The node's rule is replaced by the *opposite* of its resting value (the node stuck away
    from rest, as a gain- or loss-of-function mutation). Statements that a knockout or drug
    removes something (an OFF that equals the resting value) cannot be broken by holding
    nodes at rest; this mode shows which nodes must stay at rest for them to hold.

A node (or regulator) without a resting value (not the same constant over every attractor
of the reference) is held at 0 and then at 1; the statement depends on it when either value
breaks it, and the value that did is reported. Only nodes upstream of the statement's nodes
(its ``expect`` and ``when`` nodes and everything that regulates them, directly or not) are
tried, since no other rule can change the attractors' values there; nodes that the
statement's own condition clamps, and inputs, are skipped (the condition overrides a rule).
Statements that fail unperturbed are reported without dependencies.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_rules("L* = L\\nA* = L\\nB* = A\\nC* = not B")
>>> exps = lb.parse_expectations('''
... - condition: {fix: {L: 1}}
...   expect: {C: all_off}
...   id: s1
... ''')
>>> rep = expectation_sensitivity(net, exps, reference="L=0")
>>> [(d.node, d.value) for d in rep.statements[0].dependencies]
[('A', 0), ('B', 0), ('C', 1)]
>>> rep = expectation_sensitivity(net, exps, reference="L=0", mode="edge")
>>> [d.label for d in rep.statements[0].dependencies]
['L->A', 'A->B', 'B->C']
>>> rep = expectation_sensitivity(net, exps, reference="L=0", mode="flip")
>>> rep.statements[0].dependencies   # C stays OFF with L ON whatever is stuck away from rest
()
>>> ko = lb.parse_expectations("- condition: {fix: {L: 0}}\\n  expect: {C: all_on}\\n")
>>> rep = expectation_sensitivity(net, ko, reference="L=0", mode="flip")
>>> [(d.node, d.value) for d in rep.statements[0].dependencies]
[('A', 1), ('B', 1), ('C', 0)]
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..dynamics.update import Update
from ..expr import FALSE, TRUE, Expr, substitute
from ..modes import AttractorMethod
from ..network import Network, upstream_closure
from .expectations import QUANTIFIERS, Expectation

__all__ = ["SensitivityMode", "RuleDependency", "StatementSensitivity", "SensitivityReport",
           "expectation_sensitivity", "resting_values"]

log = logging.getLogger(__name__)


class SensitivityMode(Enum):
    """What is changed: a whole rule, or one regulator edge of a rule."""

    RULE = "rule"
    EDGE = "edge"
    FLIP = "flip"

    @classmethod
    def parse(cls, value: "SensitivityMode | str") -> "SensitivityMode":
        """The mode named by ``value`` (``rule`` or ``edge``)."""
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            from ..errors import InputError
            raise InputError(f"unknown sensitivity mode '{value}' (use rule, edge or flip)") \
                from None


@dataclass(frozen=True)
class RuleDependency:
    """One change that makes a statement fail.

    Attributes
    ----------
    node : str
        The node whose rule was changed.
    regulator : str
        In ``EDGE`` mode, the regulator replaced by a constant; empty in ``RULE`` mode.
    value : int
        The constant used (the resting value, or 0/1 where there is none).
    broken : tuple of str
        The statement's nodes whose verdict turned from PASS.
    """

    node: str
    regulator: str
    value: int
    broken: tuple[str, ...]

    @property
    def label(self) -> str:
        """``node`` in RULE mode, ``regulator->node`` in EDGE mode."""
        return f"{self.regulator}->{self.node}" if self.regulator else self.node

    def to_dict(self) -> dict[str, Any]:
        return {"node": self.node, "regulator": self.regulator or None, "value": self.value,
                "broken": list(self.broken)}


@dataclass(frozen=True)
class StatementSensitivity:
    """The dependencies of one statement."""

    id: str
    condition: str
    source: str
    passes: bool
    tested: int
    dependencies: tuple[RuleDependency, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "condition": self.condition, "passes": self.passes,
                "tested": self.tested, "source": self.source,
                "dependencies": [d.to_dict() for d in self.dependencies]}


@dataclass(frozen=True)
class SensitivityReport:
    """Dependencies of every statement, with the resting values used."""

    model: str
    nodes: tuple[str, ...]
    update: Update
    mode: SensitivityMode
    reference: str
    resting: Mapping[str, int | None]
    statements: tuple[StatementSensitivity, ...]

    def by_change(self) -> dict[str, list[str]]:
        """Change label -> ids of the statements that depend on it, most depended-on first."""
        out: dict[str, list[str]] = {}
        for s in self.statements:
            for d in s.dependencies:
                ids = out.setdefault(d.label, [])
                if s.id not in ids:
                    ids.append(s.id)
        return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "nodes": list(self.nodes), "update": str(self.update),
                "mode": self.mode.value, "reference": self.reference,
                "resting": {n: v for n, v in self.resting.items()},
                "statements": [s.to_dict() for s in self.statements],
                "by_change": self.by_change()}


def _subspaces(net: Network, update: Update | str, method: str, **kw: Any) -> list[str]:
    """The attractors' subspaces; a network that percolation decides has one fixed point."""
    forced = net.percolate()
    if len(forced) == len(net.names):
        return ["".join("1" if forced[n] else "0" for n in net.names)]
    from .attractors import attractors

    res = attractors(net, update, method, **kw)
    if not res.complete:
        log.warning("an attractor search was incomplete; dependencies may be missed")
    return [a.subspace for a in res.attractors]


def _verdicts(net: Network, exp: Expectation, subspaces: list[str]) -> dict[str, bool]:
    """Node -> passes, for one statement over attractor subspaces (VACUOUS counts as not)."""
    kept = [s for s in subspaces if all(s[net.index(n)] == str(v) for n, v in exp.when)]
    out: dict[str, bool] = {}
    for node, quant in exp.expect:
        if not kept:
            out[node] = False
            continue
        target, mode = QUANTIFIERS[quant]
        values = [s[net.index(node)] for s in kept]
        if mode == "all":
            out[node] = all(v == target for v in values)
        elif mode == "some":
            out[node] = target in values
        else:
            out[node] = target not in values
    return out


def resting_values(net: Network, reference: str = "baseline",
                   scenarios: Mapping[str, Any] | None = None,
                   update: Update | str = Update.ASYNCHRONOUS,
                   method: AttractorMethod | str = AttractorMethod.AUTO,
                   **kw: Any) -> dict[str, int | None]:
    """Each node's value at rest: constant over every attractor of ``reference``, else None.

    Parameters
    ----------
    net : Network
    reference : str
        A condition (:func:`~logicbone.scenarios.resolve_condition` syntax).
    scenarios : mapping name -> Scenario, optional
    update : Update or str
    method : str

    Examples
    --------
    >>> import logicbone as lb
    >>> resting_values(lb.parse_rules("A* = A\\nB* = not A"), "A=1")
    {'A': 1, 'B': 0}
    """
    from ..scenarios import resolve_condition

    pert = resolve_condition(reference, scenarios, net)
    subs = _subspaces(pert.apply(net), Update.parse(update), method, **kw)
    out: dict[str, int | None] = {}
    for i, n in enumerate(net.names):
        vals = {s[i] for s in subs}
        out[n] = int(vals.pop()) if len(vals) == 1 and "*" not in vals else None
    return out


def expectation_sensitivity(net: Network, expectations: Iterable[Expectation],
                            update: Update | str = Update.ASYNCHRONOUS, *,
                            scenarios: Mapping[str, Any] | None = None,
                            reference: str | None = None,
                            mode: SensitivityMode | str = SensitivityMode.RULE,
                            method: AttractorMethod | str = AttractorMethod.AUTO,
                            model: str = "", **kw: Any) -> SensitivityReport:
    """For each statement, the rule (or edge) changes that make it fail.

    Parameters
    ----------
    net : Network
    expectations : iterable of Expectation
    update : Update or str
        Update scheme of the attractors (``async`` by default).
    scenarios : mapping name -> Scenario, optional
        The model's scenarios, for conditions (and the reference) that name them.
    reference : str, optional
        The condition that defines resting values; ``baseline`` when the scenarios have it,
        else ``wt`` (no perturbation).
    mode : SensitivityMode or str
        ``RULE`` (a rule replaced by its node's resting value), ``EDGE`` (one regulator in
        a rule replaced by the regulator's resting value) or ``FLIP`` (a rule replaced by the
        opposite of the resting value); see the module docstring.
    method : str
        Passed to :func:`~logicbone.analysis.attractors.attractors` where percolation does
        not decide the network.
    model : str
        A label carried into the report.

    Returns
    -------
    SensitivityReport
        One :class:`StatementSensitivity` per statement, in file order.

    Raises
    ------
    UnknownNodeError, PerturbationError
        As :func:`~logicbone.analysis.expectations.check_expectations`.
    """
    from ..scenarios import resolve_condition

    update = Update.parse(update)
    mode = SensitivityMode.parse(mode)
    exps = list(expectations)
    if reference is None:
        reference = "baseline" if scenarios and "baseline" in scenarios else "wt"
    rest = resting_values(net, reference, scenarios, update, method, **kw)
    inputs = set(net.inputs)
    out: list[StatementSensitivity] = []
    plain: dict[str, list[str]] = {}
    # attractors of (condition, changed node, regulator, value): statements share conditions
    seen: dict[tuple[str, str, str, int], list[str]] = {}
    for exp in exps:
        net.check_nodes(n for n, _ in exp.expect)
        net.check_nodes(n for n, _ in exp.when)
        pert = resolve_condition(exp.condition, scenarios, net)
        if exp.condition not in plain:
            plain[exp.condition] = _subspaces(pert.apply(net), update, method, **kw)
        before = _verdicts(net, exp, plain[exp.condition])
        if not all(before.values()):
            out.append(StatementSensitivity(exp.id, exp.condition, exp.source, False, 0, ()))
            continue
        clamped = set(pert)
        watched = [n for n, _ in exp.expect] + [n for n, _ in exp.when]
        upstream = upstream_closure(watched, net.regulators)
        candidates = [n for n in net.names
                      if n in upstream and n not in inputs and n not in clamped]
        changes: list[tuple[str, str, int, Expr]] = []
        for node in candidates:
            if mode is not SensitivityMode.EDGE:
                at_rest = rest[node]
                values = [0, 1] if at_rest is None else \
                    [at_rest if mode is SensitivityMode.RULE else 1 - at_rest]
                for v in values:
                    changes.append((node, "", v, TRUE if v else FALSE))
            else:
                for reg in net.regulators(node):
                    if reg == node:
                        continue
                    reg_rest = rest[reg]
                    for v in ([reg_rest] if reg_rest is not None else [0, 1]):
                        rule = substitute(net.rules[node], {reg: bool(v)})
                        changes.append((node, reg, v, rule))
        deps: list[RuleDependency] = []
        done: set[tuple[str, str]] = set()
        for node, reg, v, rule in changes:
            if (node, reg) in done:
                continue
            key = (exp.condition, node, reg, v)
            if key not in seen:
                changed = pert.apply(net.with_rules({node: rule}))
                seen[key] = _subspaces(changed, update, method, **kw)
            after = _verdicts(net, exp, seen[key])
            broken = tuple(n for n, ok in after.items() if not ok)
            if broken:
                done.add((node, reg))
                deps.append(RuleDependency(node, reg, v, broken))
        log.info("%s: %d changes tried, %d break it", exp.id, len(changes), len(deps))
        out.append(StatementSensitivity(exp.id, exp.condition, exp.source, True,
                                        len({(n, r) for n, r, _, _ in changes}), tuple(deps)))
    return SensitivityReport(model, net.names, update, mode, reference, rest, tuple(out))
