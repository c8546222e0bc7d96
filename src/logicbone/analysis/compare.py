"""Attractor repertoires under several conditions, side by side.

Each condition (wild type, a knockout, a drug scenario, an input combination) is applied to the
network and its attractors are computed under one update scheme. Against the first condition
(the reference):

* each attractor of a condition is ``identical`` to a reference attractor (the same states),
  has the ``same phenotype`` as one (the same values on the readout nodes), or is ``gained``;
* each reference attractor is ``kept`` (an identical one exists), ``shifted`` (only its
  phenotype survives) or ``lost``;
* each node is summarised as ``ON`` (1 in every attractor), ``OFF``, ``mixed`` (constant in each
  attractor, different across them) or ``oscillating`` (changes within some attractor), and
  nodes whose summary differs from the reference's are marked.

Examples
--------
>>> import logicbone as lb
>>> from logicbone.analysis.compare import compare
>>> net = lb.parse_bnet("A, A\\nB, A\\nC, !B")
>>> cmp = compare(net, ["wt", "B=0"], readouts=["C"])
>>> cmp.conditions[0].summary
{'A': 'mixed', 'B': 'mixed', 'C': 'mixed'}
>>> cmp.conditions[1].summary
{'A': 'mixed', 'B': 'OFF', 'C': 'ON'}
>>> cmp.conditions[1].changed
('B', 'C')
>>> [m.status for m in cmp.conditions[1].matches]
['identical', 'same phenotype']
>>> cmp.conditions[1].reference_status
('kept', 'lost')
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..dynamics.update import Update
from ..errors import LogicboneError
from ..modes import AttractorMethod
from ..network import Network
from ..perturb import Perturbation
from .results import Attractor, AttractorResult

__all__ = ["compare", "summarise", "Comparison", "ConditionResult", "AttractorMatch",
           "phenotype", "SUMMARY_VALUES"]

log = logging.getLogger(__name__)

#: the per-node summaries, in the order a legend lists them
SUMMARY_VALUES = ("ON", "OFF", "mixed", "oscillating")


def phenotype(attractor: Attractor, positions: Sequence[int]) -> str:
    """The attractor's subspace on the readout positions (``0``, ``1``, ``*`` = oscillates)."""
    return "".join(attractor.subspace[i] for i in positions)


def summarise(result: AttractorResult) -> dict[str, str]:
    """Each node as ``ON``, ``OFF``, ``mixed`` or ``oscillating`` over the attractors.

    ``oscillating``: the node changes within at least one attractor; ``mixed``: constant in
    each attractor but not the same in all. With no attractor at all (possible only for an
    incomplete result) every node is ``mixed``.
    """
    out = {}
    for i, name in enumerate(result.nodes):
        chars = {a.subspace[i] for a in result.attractors}
        if "*" in chars:
            out[name] = "oscillating"
        elif chars == {"1"}:
            out[name] = "ON"
        elif chars == {"0"}:
            out[name] = "OFF"
        else:
            out[name] = "mixed"
    return out


def _identity(a: Attractor):
    return (a.subspace, frozenset(a.states)) if a.states is not None else (a.subspace, a.size)


def _sort_key(a: Attractor):
    return (a.subspace, a.size, a.states or ())


@dataclass(frozen=True)
class AttractorMatch:
    """How one attractor of a condition relates to the reference condition.

    ``status`` is ``identical``, ``same phenotype`` or ``gained``; ``reference`` is the index of
    the matching reference attractor (``None`` when gained).
    """

    status: str
    reference: int | None


@dataclass(frozen=True)
class ConditionResult:
    """One condition of a comparison."""

    name: str
    perturbation: Perturbation
    result: AttractorResult
    summary: dict[str, str]
    changed: tuple[str, ...]
    matches: tuple[AttractorMatch, ...]
    reference_status: tuple[str, ...]
    phenotypes: tuple[str, ...]

    @property
    def lost(self) -> int:
        return self.reference_status.count("lost")

    @property
    def gained(self) -> int:
        return sum(m.status == "gained" for m in self.matches)

    def to_dict(self, max_states: int = 1000) -> dict:
        n = len(self.result.nodes)
        attractors = []
        for a, m, ph in zip(self.result.attractors, self.matches, self.phenotypes):
            d = a.to_dict(n, max_states)
            d.update({"phenotype": ph, "match": m.status, "reference": m.reference})
            attractors.append(d)
        return {"name": self.name, "perturbation": dict(self.perturbation),
                "method": self.result.method, "complete": self.result.complete,
                "attractors": attractors, "summary": self.summary,
                "changed": list(self.changed),
                "reference_attractors": list(self.reference_status),
                "lost": self.lost, "gained": self.gained}


@dataclass(frozen=True)
class Comparison:
    """Attractor repertoires of several conditions; the first is the reference.

    ``to_dict()`` gives the JSON of ``logicbone compare --format json``.
    """

    model: str
    nodes: tuple[str, ...]
    readouts: tuple[str, ...]
    update: Update
    conditions: tuple[ConditionResult, ...]
    grid: tuple[str, ...] = field(default=())
    #: conditions not analysed because an interrupt (Ctrl-C, SIGTERM) came first
    skipped: tuple[str, ...] = field(default=())

    @property
    def interrupted(self) -> bool:
        return bool(self.skipped)

    @property
    def reference(self) -> ConditionResult:
        return self.conditions[0]

    @property
    def complete(self) -> bool:
        return not self.skipped and all(c.result.complete for c in self.conditions)

    def phenotype_table(self) -> list[tuple[str, dict[str, int]]]:
        """Every readout phenotype seen, with its number of attractors per condition."""
        seen: dict[str, dict[str, int]] = {}
        for c in self.conditions:
            for ph in c.phenotypes:
                seen.setdefault(ph, {}).setdefault(c.name, 0)
                seen[ph][c.name] += 1
        return sorted(seen.items())

    def to_frame(self) -> Any:
        """Nodes by conditions: ON, OFF, mixed or oscillating (a pandas DataFrame)."""
        from ..frames import comparison_frame

        return comparison_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import records_html

        shown = list(self.readouts) or list(self.nodes)
        return records_html(f"{len(self.conditions)} conditions, {self.update} update",
                            ["node", *(c.name for c in self.conditions)],
                            [[n, *(c.summary.get(n) for c in self.conditions)] for n in shown])

    def to_dict(self, max_states: int = 1000) -> dict:
        return {"model": self.model, "nodes": list(self.nodes), "readouts": list(self.readouts),
                "update": str(self.update), "reference": self.reference.name,
                "complete": self.complete,
                **({"grid_inputs": list(self.grid)} if self.grid else {}),
                **({"reason": "interrupted", "skipped": list(self.skipped)}
                   if self.skipped else {}),
                "conditions": [c.to_dict(max_states) for c in self.conditions],
                "phenotypes": [{"readouts": ph, "attractors": counts}
                               for ph, counts in self.phenotype_table()]}


def _analyse_task(task):
    from ..parallel import from_portable

    analyse, spec = task
    return analyse(from_portable(spec))


def _default_analyse(net: Network, update: Update, method: AttractorMethod | str
                     ) -> AttractorResult:
    from .attractors import attractors

    return attractors(net, update=update, method=method)


def default_analysis(update: Update | str = Update.ASYNCHRONOUS,
                     method: AttractorMethod | str = AttractorMethod.AUTO
                     ) -> Callable[[Network], AttractorResult]:
    """``lb.attractors`` with the given scheme and method, as a picklable one-argument function."""
    return functools.partial(_default_analyse, update=Update.parse(update), method=method)


def compare(net: Network, conditions: Iterable["Perturbation | str"], *,
            update: Update | str = Update.ASYNCHRONOUS,
            method: AttractorMethod | str = AttractorMethod.AUTO, readouts: Sequence[str] | None = None, scenarios: Mapping[str, Any] | None = None,
            analyse: Callable[[Network], AttractorResult] | None = None,
            model: str = "", jobs: int | None = 1, scheduler: Any = None,
            grid: Sequence[str] = ()) -> Comparison:
    """Compute and compare the attractors of ``net`` under each condition.

    Parameters
    ----------
    net : Network
    conditions : iterable of Perturbation or str
        The first is the reference. Text is resolved by
        :func:`~logicbone.scenarios.resolve_condition` (``wt``, ``A=0,B=1``, scenario names).
    update, method : str or Update, str
        Passed to :func:`logicbone.attractors` (unless ``analyse`` is given).
    readouts : sequence of str, optional
        Nodes that define a phenotype; default: the network's outputs (all nodes if none).
    scenarios : mapping name -> Scenario, optional
    analyse : callable, optional
        ``analyse(network) -> AttractorResult``, instead of :func:`logicbone.attractors`.
        Must be picklable when ``jobs`` > 1 or ``scheduler`` is given.
    model : str
        Model path, carried into the result.
    jobs, scheduler
        Where the conditions run; see :func:`logicbone.parallel_map`.
    grid : sequence of str
        Names of the inputs varied by an input grid (kept in the result for display).

    Returns
    -------
    Comparison

    Raises
    ------
    UnknownNodeError
        A condition or readout names a node the network lacks.
    PerturbationError
        A condition text cannot be resolved.
    """
    from ..parallel import parallel_map, portable
    from ..scenarios import resolve_condition

    perts: list[Perturbation] = []
    for c in conditions:
        p = c if isinstance(c, Perturbation) else resolve_condition(str(c), scenarios)
        net.check_nodes(p)
        perts.append(p)
    if not perts:
        raise LogicboneError("compare needs at least one condition")
    names = [p.label for p in perts]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise LogicboneError(f"condition '{sorted(dup)[0]}' is given twice")
    if readouts is None:
        readouts = [n for n in net.outputs if n not in net.inputs] or list(net.names)
    readouts = list(dict.fromkeys(readouts))
    net.check_nodes(readouts)
    positions = [net.index(r) for r in readouts]
    scheme = Update.parse(update)
    if analyse is None:
        analyse = default_analysis(scheme, method)

    results: list[AttractorResult | None] = [None] * len(perts)
    tasks = [(analyse, portable(p.apply(net))) for p in perts]
    skipped: tuple[str, ...] = ()
    try:
        for i, res in parallel_map(_analyse_task, tasks, jobs=jobs, scheduler=scheduler):
            log.info("condition %s: %d attractors", names[i], len(res.attractors))
            results[i] = res
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM: the conditions analysed so far, compared with the reference
        if results[0] is None:
            raise
        skipped = tuple(p.label for p, r in zip(perts, results) if r is None)
        perts = [p for p, r in zip(perts, results) if r is not None]
        results[:] = [r for r in results if r is not None]
        log.warning("interrupted: %d conditions not analysed", len(skipped))

    conds: list[ConditionResult] = []
    ref_attrs: tuple[Attractor, ...] = ()
    ref_summary: dict[str, str] = {}
    for k, (p, found) in enumerate(zip(perts, results)):
        if found is None:  # parallel_map yields every task once
            raise LogicboneError(f"condition {p.label}: no result")
        res = found
        if tuple(res.nodes) != tuple(net.names):
            raise LogicboneError(f"condition {p.label}: the analysis returned other nodes")
        attrs = tuple(sorted(res.attractors, key=_sort_key))
        res = replace(res, model=model or res.model, attractors=attrs)
        summary = summarise(res)
        phs = tuple(phenotype(a, positions) for a in attrs)
        if k == 0:
            ref_attrs, ref_summary = attrs, summary
        ref_ids = {_identity(a): j for j, a in enumerate(ref_attrs)}
        ref_ph: dict[str, int] = {}
        for j, a in enumerate(ref_attrs):
            ref_ph.setdefault(phenotype(a, positions), j)
        matches = []
        for a, ph in zip(attrs, phs):
            same = ref_ids.get(_identity(a))
            if same is not None:
                matches.append(AttractorMatch("identical", same))
            elif ph in ref_ph:
                matches.append(AttractorMatch("same phenotype", ref_ph[ph]))
            else:
                matches.append(AttractorMatch("gained", None))
        ids = {_identity(a) for a in attrs}
        status = tuple("kept" if _identity(a) in ids else
                       ("shifted" if phenotype(a, positions) in phs else "lost")
                       for a in ref_attrs)
        changed = tuple(n for n in net.names if summary[n] != ref_summary[n])
        conds.append(ConditionResult(p.label, p, res, summary, changed, tuple(matches),
                                     status, phs))
    return Comparison(model, tuple(net.names), tuple(readouts), scheme, tuple(conds),
                      tuple(grid), skipped)
