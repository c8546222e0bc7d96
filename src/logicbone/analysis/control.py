"""``control(net, target, ...)``: the minimal interventions that guarantee a target phenotype.

Permanent (phenotype) control: all *minimal* sets of node fixings (and drugs, named sets of
fixings) such that **every** attractor of the perturbed network, under a condition, meets the
target (a partial assignment such as ``BoneLoss=0,Atrophy=0``). Sets are searched by
increasing size; supersets of a set found are never reported, so no returned set contains
another. A set's fate is decided on its closure under constant propagation (the engine in
:mod:`.control_search`), by an exact search where propagation does not decide it;
and every set returned is checked once more on the whole perturbed network by
:func:`~logicbone.attractors` (which also gives its side effects).

Several conditions at once: the interventions that work in every condition, and those of
each condition.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("S, S\\nA, S & !B\\nB, !A\\nR, A")
>>> res = lb.control(net, "R=0", condition={"S": 1}, max_size=1)
>>> [i.label for i in res.interventions]
['A=0', 'B=1']
>>> res.complete
True
"""
from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from ..budget import Budget, Outcome, StopReason
from ..dynamics.update import Update
from ..errors import LogicboneError, UsageError
from ..network import Network
from ..perturb import Perturbation, parse_assignments

#: a condition: a perturbation, its text (``A=0,B=1``), the fixings, or None (wild type)
Condition = Union[Perturbation, str, Mapping[str, int], None]

__all__ = ["control", "ControlKind", "ControlResult", "Intervention", "ConditionControl",
           "parse_target", "drug_interventions"]

log = logging.getLogger(__name__)


class ControlKind(str, enum.Enum):
    """Permanent interventions (held for ever) or temporary ones (applied, then released)."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"

    @classmethod
    def parse(cls, value: "ControlKind | str") -> "ControlKind":
        if isinstance(value, ControlKind):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise UsageError(f"unknown kind of control '{value}'; use permanent or temporary"
                             ) from None


@dataclass(frozen=True)
class Intervention:
    """One minimal intervention.

    Attributes
    ----------
    fix : dict node -> 0/1
        Every fixing it makes (a drug's included).
    drugs : tuple of str
        The drugs (scenario names) among its parts.
    size : int
        Number of parts (a node fixing or a drug counts one).
    side_effects : int
        Readouts whose summary over the attractors differs from the reference (the
        condition without intervention).
    readouts : dict readout -> ON/OFF/mixed/oscillating
        Over the attractors of the perturbed network (of the first condition, for joint
        results).
    verified : bool
        Checked on the whole perturbed network by the attractor engine (False only when that
        check ran out of time).
    steps : tuple of dict node -> 0/1
        Temporary control: the fixings of each step, applied in order (each held until the
        system settles, then replaced by the next; the last one released). One step for a
        single intervention; empty for permanent control.
    step_parts : tuple of tuple of str
        The parts of each step (``parts`` holds them all, in order).
    """

    parts: tuple[str, ...]
    fix: dict[str, int]
    drugs: tuple[str, ...] = ()
    side_effects: int = 0
    readouts: dict[str, str] = field(default_factory=dict)
    verified: bool = True
    steps: tuple[dict[str, int], ...] = ()
    step_parts: tuple[tuple[str, ...], ...] = ()

    @property
    def size(self) -> int:
        return len(self.parts)

    @property
    def label(self) -> str:
        if len(self.steps) > 1:
            return " ; ".join(f"step {k}: " + " + ".join(p)
                              for k, p in enumerate(self.step_parts, 1))
        return " + ".join(self.parts) if self.parts else "(none)"

    def to_dict(self) -> dict:
        d: dict[str, object] = {"fix": dict(self.fix), "size": self.size}
        if self.drugs:
            d["drugs"] = list(self.drugs)
        d["parts"] = list(self.parts)
        d["side_effects"] = self.side_effects
        d["readouts"] = dict(self.readouts)
        if not self.verified:
            d["verified"] = False
        if self.steps:
            d["steps"] = [dict(step) for step in self.steps]
        return d


@dataclass(frozen=True)
class ConditionControl:
    """The search of one condition: its label, reference readouts and minimal sets."""

    label: str
    fix: dict[str, int]
    reference: dict[str, str]
    interventions: tuple[Intervention, ...]

    @property
    def already_met(self) -> bool:
        return any(i.size == 0 for i in self.interventions)

    def to_dict(self) -> dict:
        return {"condition": self.label, "fix": dict(self.fix), "reference": dict(self.reference),
                "already_met": self.already_met,
                "interventions": [i.to_dict() for i in self.interventions]}


@dataclass(frozen=True)
class ControlResult:
    """Minimal interventions, ranked by size, then side effects, then name.

    ``interventions`` are those that work in every condition (the only condition, when there
    is one); ``conditions`` holds each condition's own search.
    """

    model: str
    nodes: tuple[str, ...]
    target: dict[str, int]
    kind: str
    update: str
    max_size: int
    complete: bool
    interventions: tuple[Intervention, ...]
    conditions: tuple[ConditionControl, ...]
    readouts: tuple[str, ...]
    searched_size: int
    reason: StopReason | None = None
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    max_steps: int = 1

    @property
    def sequences(self) -> tuple[tuple[dict[str, int], ...], ...]:
        """Temporary control: each answer as its steps, each step a dict node -> 0/1."""
        return tuple(i.steps for i in self.interventions)

    @property
    def outcome(self) -> Outcome:
        """How the search ended, as every engine reports it."""
        return Outcome(self.complete, self.reason, None, self.seconds)

    @property
    def already_met(self) -> bool:
        """The target holds without intervention (the empty set is the one minimal set)."""
        return any(i.size == 0 for i in self.interventions)

    @property
    def unreachable(self) -> bool:
        """The search was complete and found no set up to ``max_size``."""
        return self.complete and not self.interventions

    @property
    def bound(self) -> str:
        """The size bound in words: ``at most 2 parts``."""
        return f"at most {self.max_size} part{'s' if self.max_size != 1 else ''}"

    def summary(self) -> str:
        """One plain sentence on the outcome."""
        where = ("in every condition" if len(self.conditions) > 1 else
                 f"under {self.conditions[0].label}" if self.conditions else "")
        if self.already_met:
            return f"the target already holds without intervention {where}".rstrip()
        if self.unreachable:
            return (f"no intervention of {self.bound} guarantees the target "
                    f"{where}").rstrip()
        n = len(self.interventions)
        steps = max((len(i.steps) for i in self.interventions), default=1)
        if steps > 1:
            state = ("complete" if self.complete else
                     f"partial ({self.reason.describe() if self.reason else 'stopped'})")
            return (f"no single intervention works; {n} minimal sequence{'s' if n != 1 else ''}"
                    f" of {steps} steps of {self.bound} each {where}: "
                    f"{state}").replace("  ", " ")
        done = (f"every set up to size {self.searched_size} was searched"
                if self.searched_size >= 0 else "no size was searched completely")
        state = ("complete" if self.complete else
                 f"partial ({self.reason.describe() if self.reason else 'stopped'}; {done})")
        return (f"{n} minimal intervention{'s' if n != 1 else ''} of {self.bound} {where}: "
                f"{state}").replace("  ", " ")

    def to_dict(self) -> dict:
        d: dict[str, object] = {
            "model": self.model, "nodes": list(self.nodes), "target": dict(self.target),
            "kind": self.kind, "update": self.update, "max_size": self.max_size,
            "complete": self.complete}
        if self.kind == ControlKind.TEMPORARY.value:
            d["max_steps"] = self.max_steps
        if self.reason is not None:
            d["reason"] = self.reason.value
        d["searched_size"] = self.searched_size
        d["already_met"] = self.already_met
        d["readouts"] = list(self.readouts)
        d["interventions"] = [i.to_dict() for i in self.interventions]
        d["conditions"] = [c.to_dict() for c in self.conditions]
        if self.notes:
            d["notes"] = list(self.notes)
        return d


# ------------------------------------------------------------------ input

def parse_target(net: Network, target: "str | Mapping[str, int]") -> dict[str, int]:
    """A target as a dict node -> 0/1, checked against ``net``.

    Raises
    ------
    UsageError
        When it is empty.
    PerturbationError, UnknownNodeError
        On a value that is not 0/1 or a node that is not in the network.
    """
    values = parse_assignments(target) if isinstance(target, str) else dict(target)
    if not values:
        raise UsageError("the target is empty; give it as NODE=0/1 pairs, e.g. BoneLoss=0")
    net.check_nodes(values)
    out = {}
    for node, v in values.items():
        if isinstance(v, bool) or v in (0, 1):
            out[node] = int(v)
        else:
            raise UsageError(f"target '{node}={v}': the value must be 0 or 1")
    return out


def drug_interventions(scenarios: Mapping, exclude: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """The drugs a scenario file defines: each scenario's own clamps (not those it inherits
    unchanged through ``extends``), for every scenario not in ``exclude`` that sets any.

    Parameters
    ----------
    scenarios : mapping name -> Scenario
    exclude : names to leave out (the conditions searched, typically)
    """
    skip = set(exclude)
    out: dict[str, dict[str, int]] = {}
    for name, scn in scenarios.items():
        if name in skip:
            continue
        parent = scenarios.get(scn.extends) if scn.extends else None
        inherited = dict(parent.perturbation) if parent is not None else {}
        own = {n: int(v) for n, v in scn.perturbation.items() if inherited.get(n) != v}
        if own:
            out[name] = own
    return out


def _allowed_atoms(net: Network, allowed: Iterable[str] | None, drugs: Mapping | None,
                   target: Mapping[str, int]):
    from .control_search import Atom

    atoms: list[Atom] = []
    drugs = dict(drugs or {})
    for name, fixes in drugs.items():
        net.check_nodes(fixes)
        atoms.append(Atom(name, tuple(sorted((net.index(n), int(v)) for n, v in fixes.items())),
                          drug=name))
    if allowed is None:
        if drugs:
            return atoms
        skip = set(net.inputs) | set(net.constants) | set(target)
        allowed = [n for n in net.names if n not in skip]
    items: list[tuple[str, tuple[int, ...]]] = []
    for item in allowed:
        item = item.strip()
        if not item:
            continue
        if "=" in item or ":" in item:
            ((node, v),) = parse_assignments(item).items()
            items.append((node, (v,)))
        else:
            items.append((item, (0, 1)))
    net.check_nodes(n for n, _ in items)
    seen = set()
    for node, values in items:
        for v in values:
            if (node, v) not in seen:
                seen.add((node, v))
                atoms.append(Atom(f"{node}={v}", ((net.index(node), v),)))
    return atoms


def _conditions(condition: Condition,
                conditions: Sequence[Condition] | None) -> list[Perturbation]:
    if conditions is not None and condition is not None:
        raise UsageError("give either condition or conditions, not both")
    if conditions is None:
        conditions = [condition]
    out = []
    for c in conditions:
        if c is None:
            out.append(Perturbation({}, "wt"))
        elif isinstance(c, Perturbation):
            out.append(c)
        elif isinstance(c, str):
            out.append(Perturbation.parse(c))
        else:
            out.append(Perturbation(dict(c)))
    if not out:
        raise UsageError("no condition to search")
    return out


# ------------------------------------------------------------------ the exact check

def _attractor_check(net: Network, update: Update, timeout: float | None,
                     max_states: int = 0):
    """The attractors of ``net`` (exact), or None when the engine ran out of time."""
    from ..errors import AnalysisTimeout
    from .attractors import attractors
    try:
        res = attractors(net, update, max_states=max_states, timeout=timeout)
    except AnalysisTimeout:
        return None
    return res if res.complete else None


def _meets(res, positions: Mapping[int, int]) -> bool:
    return all(a.subspace[i] == str(v) for a in res.attractors for i, v in positions.items())


# ------------------------------------------------------------------ the front

def control(net: Network, target: str | Mapping[str, int], condition: Condition = None, *,
            conditions: Sequence[Condition] | None = None, allowed: Iterable[str] | None = None,
            drugs: Mapping[str, Mapping[str, int]] | None = None, max_size: int = 3,
            update: Update | str = Update.ASYNCHRONOUS,
            kind: ControlKind | str = ControlKind.PERMANENT, max_steps: int = 2,
            readouts: Sequence[str] | None = None, budget: Budget | None = None,
            timeout: float | None = None, limit: int | None = None,
            progress: Callable[[str], None] | None = None, state_limit: int = 1 << 22,
            jobs: int | None = 1, scheduler: str | Any | None = None,
            model: str = "") -> ControlResult:
    """All minimal interventions under which every attractor meets ``target``.

    Parameters
    ----------
    net : Network
    target : str or mapping node -> 0/1
        ``"BoneLoss=0,Atrophy=0"``: every attractor must hold these values (a node that
        oscillates in an attractor does not meet it).
    condition : Perturbation, mapping or str, optional
        The fixings the search starts from (inputs, a scenario); default none.
    conditions : sequence, optional
        Several conditions at once (instead of ``condition``): the result's
        ``interventions`` work in all of them, and ``conditions`` holds each one's own.
    allowed : iterable of str, optional
        Nodes that may be fixed (both values), or ``NODE=v`` for one value. Default: every
        node that is not an input, a constant or a target node; with ``drugs`` and no
        ``allowed``, the drugs alone.
    drugs : mapping name -> mapping node -> 0/1, optional
        Named sets of fixings usable as one part (see :func:`drug_interventions`).
    max_size : int
        Largest number of parts in a set.
    update : Update or str
        ``async`` (exact asynchronous attractors) or ``mp`` (most permissive: minimal trap
        spaces).
    kind : ControlKind or str
        ``permanent``: held for ever. ``temporary``: applied in the attractors of the
        condition that miss the target, held until the system settles in an attractor of the
        perturbed network, then released; it works when every attractor reachable after the
        release meets the target (asynchronous update; exact, by explicit reachability on
        networks of at most 64 nodes, within ``state_limit`` reachable states).
    max_steps : int
        Temporary control: when no single intervention works, sequences of up to this many
        steps are searched, breadth-first (the shortest sequences are returned, each minimal
        step by step: no step can lose a part). Each step is held until the system settles
        in the attractors it reaches, then the next replaces it; the last is released.
    readouts : sequence of str, optional
        Nodes whose change counts as a side effect (default: the outputs not in the target).
    state_limit : int
        Temporary control: the most states one explicit reachability search may visit.
    jobs : int or None
        Worker processes for the final check of the sets found (``None``/0: every core).
    scheduler : str or dask.distributed.Client, optional
        Run that check on a Dask cluster instead (see :func:`~logicbone.parallel_map`).
    budget : Budget, optional
        Time limit, answer limit, progress and interrupts (else built from ``timeout``,
        ``limit``, ``progress``); the limit counts interventions.
    model : str
        A label carried into the result.

    Returns
    -------
    ControlResult
        ``complete`` when every set up to ``max_size`` was decided.

    Raises
    ------
    UsageError
        On an empty target or allowed set, ``max_size`` < 1, or an update scheme other than
        async and mp.
    UnknownNodeError, PerturbationError
        On a node or value that the network does not have.
    """
    from .control_search import Percolator, Search

    kind = ControlKind.parse(kind)
    update = Update.parse(update)
    if kind is ControlKind.TEMPORARY and update is not Update.ASYNCHRONOUS:
        raise UsageError("temporary control is answered under asynchronous update; use async")
    if update not in (Update.ASYNCHRONOUS, Update.MOST_PERMISSIVE):
        raise UsageError(f"control answers asynchronous and most permissive update, not "
                         f"{update.value}; use async or mp")
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
        raise UsageError(f"max_size must be a whole number >= 1, got {max_size!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise UsageError(f"max_steps must be a whole number >= 1, got {max_steps!r}")
    goal = parse_target(net, target)
    conds = _conditions(condition, conditions)
    for c in conds:
        net.check_nodes(c)
    atoms = _allowed_atoms(net, allowed, drugs, goal)
    if not atoms:
        raise UsageError("the allowed set is empty: no node or drug to intervene on")
    if readouts is None:
        readouts = [n for n in net.outputs if n not in goal]
    else:
        readouts = list(readouts)
        net.check_nodes(readouts)
    if budget is None:
        budget = Budget(timeout=timeout, limit=limit, progress=progress)

    positions = {net.index(n): v for n, v in goal.items()}
    cond_fixes = [{net.index(n): int(v) for n, v in c.items()} for c in conds]
    names = net.names
    if kind is ControlKind.TEMPORARY:
        return _temporary(net, goal, conds, atoms, readouts, max_size, budget, model,
                          state_limit, max_steps)

    perc = Percolator(net)
    regs = [[int(r) for r in rs] for rs in perc.regs]
    # decisions by what decides them: under asynchronous update the free part upstream of
    # the target and the values of its fixed regulators (many closures share one)
    decided: dict[tuple, bool] = {}
    searches = [0]
    from .control_search import Witnesses, UNKNOWN
    witnesses = Witnesses(len(names))
    # one solver program for every fixed-point query of this search (built when first needed)
    queries: list[Any] = [None]
    reach: list[Any] = [None]

    def decide(c: int, fixed: dict[int, int]) -> bool | None:
        import numpy as np

        from . import control_search
        if budget.expired():
            return None             # undecided: the search is then marked partial
        free = [i for i in range(len(names)) if i not in fixed]
        key: tuple = (c, tuple(sorted(fixed.items())))
        if update is Update.ASYNCHRONOUS:
            # the part upstream of the target decides (asynchronous attractors project onto
            # its attractors); the rest is held at 0
            part = control_search.upstream(free, positions, regs)
            key = control_search.part_key(fixed, part, regs)
            if key in decided:
                return decided[key]
            row = np.full(len(names), UNKNOWN, dtype=np.int8)
            row[list(fixed)] = list(fixed.values())
            if witnesses.refutes(row):
                decided[key] = False    # a known fixed point of a part is one here too
                return False
            searches[0] += 1
            if len(part) <= control_search.EXPLICIT_FREE:
                out, witness = control_search.explicit_async_decide(perc, fixed, positions,
                                                                    part)
                if witness is not None:
                    witnesses.add(witness, part)
                decided[key] = out
                return out
            # an exact query for a fixed point of the part that misses the target (a trap,
            # so a refutation); random walks only where the part cannot be encoded
            if queries[0] is None:
                queries[0] = control_search.FixedPointQueries(perc, positions)
            if queries[0].encodes(part):
                encoded, witness = True, queries[0].witness(fixed, part)
            else:
                encoded, witness = control_search.solver_witness(perc, fixed, positions, part)
            if not encoded:
                witness = control_search.fixed_point_witness(perc, fixed, positions, part)
            if witness is not None:
                witnesses.add(witness, part)
                decided[key] = False    # a fixed point (an attractor) that misses the target
                return False
            # no fixed point misses it: whether some complex attractor does, by reachability
            # on the part alone (the rule BDDs built once per search)
            from ..errors import AnalysisTimeout
            try:
                if reach[0] is None:
                    reach[0] = control_search.ReachQueries(net, positions)
                out = reach[0].meets(fixed, part, Budget(timeout=budget.remaining()))
            except AnalysisTimeout:
                return None
            decided[key] = out
            return out
        elif key in decided:
            return decided[key]
        else:
            searches[0] += 1
        res = _attractor_check(net.fix({names[i]: v for i, v in fixed.items()}), update,
                               budget.remaining())
        if res is None:
            return None
        decided[key] = _meets(res, positions)
        return decided[key]

    search = Search(perc, cond_fixes, atoms, decide, positions, joint=len(conds) > 1)
    primary: object = "all" if len(conds) > 1 else 0
    out = search.run(max_size, budget, primary)
    log.info("control: %d sets, %d closures, %d searches, %d found", out.candidates,
             out.closures, searches[0], sum(len(v) for v in out.found.values()))

    # reference readouts per condition, then every set found checked on the whole network
    # (in worker processes with ``jobs``), which also gives its readouts
    notes = list(out.notes)
    wanted: dict[tuple[int, tuple], None] = {(ci, ()): None for ci in range(len(conds))}
    for ci in range(len(conds)):
        for combo in out.found[ci]:
            wanted[(ci, combo)] = None
    if len(conds) > 1:
        for combo in out.found["all"]:
            for ci in range(len(conds)):
                wanted[(ci, combo)] = None
    keys = list(wanted)

    def fixes_of(combo) -> dict[str, int]:
        return {names[i]: v for a in combo for i, v in atoms[a].fixes}

    from ..parallel import parallel_map, portable
    spec = portable(net)
    # with a time limit, the checks may run past it by a grace of VERIFY_TIMEOUT seconds (or
    # a fifth of the limit); a set left unchecked then is marked so
    import time
    until = None
    if budget.deadline is not None:
        grace = max(VERIFY_TIMEOUT, 0.2 * (budget.deadline - budget.start))
        until = time.time() + (budget.remaining() or 0.0) + grace
    tasks = [(spec, {**dict(conds[ci]), **fixes_of(combo)}, update.value, until)
             for ci, combo in keys]
    checked: dict[tuple[int, tuple], list[str] | None] = {}
    for k, spaces in parallel_map(_verify_task, tasks, jobs=jobs, scheduler=scheduler):
        checked[keys[k]] = spaces
    reference = [_readouts_of(checked[(ci, ())], readouts, net) for ci in range(len(conds))]

    def build(combo: tuple[int, ...], cs: Sequence[int]) -> Intervention:
        parts = tuple(atoms[a].label for a in combo)
        fix = fixes_of(combo)
        verified = True
        readout_values: dict[str, str] = {}
        effects = 0
        for k, ci in enumerate(cs):
            spaces = checked[(ci, combo)]
            if spaces is None:
                verified = False
                continue
            if not all(sp[i] == str(v) for sp in spaces for i, v in positions.items()):
                raise LogicboneError(
                    f"internal error: intervention {' + '.join(parts) or '(none)'} was found "
                    f"by propagation but fails on the whole network under {conds[ci].label}")
            summary = _readouts_of(spaces, readouts, net)
            effects += sum(summary[r] != reference[ci].get(r) for r in readouts)
            if k == 0:
                readout_values = summary
        drugs_used = tuple(atoms[a].drug for a in combo if atoms[a].drug)
        return Intervention(parts, fix, drugs_used, effects, readout_values,
                            verified)

    def ranked(items: list[Intervention]) -> tuple[Intervention, ...]:
        return tuple(sorted(items, key=lambda i: (i.size, i.side_effects, i.parts)))

    per_condition = []
    for ci, c in enumerate(conds):
        items = ranked([build(combo, [ci]) for combo in out.found[ci]])
        per_condition.append(ConditionControl(c.label, dict(c), reference[ci], items))
    if len(conds) > 1:
        joint = ranked([build(combo, range(len(conds))) for combo in out.found["all"]])
    else:
        joint = per_condition[0].interventions
    if any(not i.verified for i in joint):
        notes.append("some interventions could not be re-checked on the whole network "
                     "within the time limit")
    outcome = budget.outcome(complete=out.complete)
    return ControlResult(model, names, goal, kind.value, update.value, max_size,
                         outcome.complete, joint, tuple(per_condition), tuple(readouts),
                         out.searched_size, outcome.reason, tuple(notes), outcome.seconds)


#: seconds the final checks of the sets found may run past the time limit (at least; a fifth
#: of the limit when that is longer); a set not checked by then is marked unverified
VERIFY_TIMEOUT = 5.0


def _verify_task(task) -> list[str] | None:
    """Worker side: the attractor subspaces of the network with ``fixes`` held (None when
    the engine did not finish)."""
    import time

    from ..parallel import from_portable
    spec, fixes, update, until = task
    timeout = None if until is None else until - time.time()
    if timeout is not None and timeout <= 0:
        return None
    res = _attractor_check(from_portable(spec).fix(fixes), Update.parse(update), timeout)
    return None if res is None else [a.subspace for a in res.attractors]


def _readouts_of(spaces: list[str] | None, readouts: Sequence[str], net: Network
                 ) -> dict[str, str]:
    """Each readout as ON, OFF, mixed or oscillating over attractor subspaces (as
    :func:`~logicbone.analysis.compare.summarise` does)."""
    if spaces is None:
        return {}
    out = {}
    for r in readouts:
        chars = {sp[net.index(r)] for sp in spaces}
        out[r] = ("oscillating" if "*" in chars else "ON" if chars == {"1"} else
                  "OFF" if chars == {"0"} else "mixed")
    return out


def _summary(res, readouts: Sequence[str]) -> dict[str, str]:
    from .compare import summarise
    if res is None:
        return {}
    full = summarise(res)
    return {r: full[r] for r in readouts}


# ------------------------------------------------------------------ temporary control

def _temporary(net: Network, goal: Mapping[str, int], conds: Sequence[Perturbation], atoms,
               readouts: Sequence[str], max_size: int, budget: Budget, model: str,
               state_limit: int, max_steps: int = 1) -> ControlResult:
    """Temporary (source-target) control under asynchronous update, by explicit search."""
    import numpy as np

    from ..dynamics.kernel import compile_network
    from ..errors import StateSpaceTooLarge
    from .control_search import ReachTooLarge, reachable_attractors, minimal_sets

    names = net.names
    tmask = sum(1 << net.index(n) for n in goal)
    tvals = sum(1 << net.index(n) for n, v in goal.items() if v)

    def meets(states) -> bool:
        return bool(np.all((states & np.uint64(tmask)) == np.uint64(tvals)))

    # the attractors of each condition: those that miss the target are the sources
    notes: list[str] = []
    status: list[str] = []        # per condition: undecided, none_good, all_good or mixed
    sources: list = []
    reference: list[dict[str, str]] = []
    kernels: list = []
    for c in conds:
        cnet = net.fix(dict(c))
        res = _attractor_check(cnet, Update.ASYNCHRONOUS, budget.remaining(), state_limit)
        reference.append(_summary(res, readouts))
        sources.append(None)
        kernels.append(None)
        if res is None:
            status.append("undecided")
            continue
        bad = [a for a in res.attractors
               if any(a.subspace[net.index(n)] != str(v) for n, v in goal.items())]
        if not bad:
            status.append("all_good")
        elif len(bad) == len(res.attractors):
            status.append("none_good")
            notes.append(f"under {c.label} every attractor misses the target: after any "
                         f"release the system settles in one of them, so no temporary "
                         f"intervention can work")
        else:
            if len(names) > 64:
                raise StateSpaceTooLarge(
                    len(names), 64, "temporary control needs the explicit state space of the "
                    "free part, searched on networks of at most 64 nodes; use permanent "
                    "control (kind permanent), which scales",
                    what=f"under {c.label} some attractors meet the target and some do not, "
                         f"and the network has {len(names)} nodes")
            if any(a.states is None for a in bad):
                raise StateSpaceTooLarge(
                    len(names), state_limit, "temporary control starts from every state of "
                    "the attractors that miss the target",
                    what=f"under {c.label} an attractor that misses the target has more than "
                         f"{state_limit:,} states")
            status.append("mixed")
            sources[-1] = np.array([s for a in bad for s in (a.states or ())], dtype=np.uint64)
            kernels[-1] = compile_network(cnet)

    full = (1 << len(names)) - 1
    settled: dict[tuple, object] = {}
    memo: dict[tuple, bool | None] = {}
    held_kernels: dict[tuple, Any] = {}

    def step_states(ci: int, states, fix: Mapping[str, int]):
        """The states of the attractors reached from ``states`` with ``fix`` held (under
        condition ``ci``); raises ReachTooLarge."""
        key = (ci, tuple(sorted(fix.items())))
        kernel = held_kernels.get(key)
        if kernel is None:
            kernel = held_kernels[key] = compile_network(net.fix({**dict(conds[ci]), **fix}))
        pmask = sum(1 << net.index(n) for n in fix)
        pvals = sum(1 << net.index(n) for n, v in fix.items() if v)
        forced = np.unique((states & np.uint64(~pmask & full)) | np.uint64(pvals))
        held = reachable_attractors(kernel, forced, state_limit)
        return np.unique(np.concatenate(held)) if held else forced

    def released_ok(ci: int, states) -> bool:
        """Whether every attractor reached from ``states`` once released meets the target;
        raises ReachTooLarge."""
        return all(meets(a) for a in reachable_attractors(kernels[ci], states, state_limit))

    def settle(ci: int, seq: tuple[tuple[tuple[str, int], ...], ...]):
        """The states of the attractors reached after the steps ``seq`` (held, not yet
        released), from the sources of condition ``ci``; raises ReachTooLarge."""
        key = (ci, seq)
        if key in settled:
            return settled[key]
        states = sources[ci] if not seq else settle(ci, seq[:-1])
        if seq and seq[-1]:
            states = step_states(ci, states, dict(seq[-1]))
        settled[key] = states
        return states

    def works_seq(ci: int, seq: Sequence[Mapping[str, int]]) -> bool | None:
        if status[ci] != "mixed":
            return {"undecided": None, "none_good": False, "all_good": True}[status[ci]]
        key = (ci, tuple(tuple(sorted(f.items())) for f in seq))
        if key in memo:
            return memo[key]
        try:
            out: bool | None = released_ok(ci, settle(ci, key[1]))
        except ReachTooLarge:
            out = None
        memo[key] = out
        return out

    def works(ci: int, fix: dict[str, int]) -> bool | None:
        return works_seq(ci, [fix])

    def fixes_of(combo) -> dict[str, int]:
        return {names[i]: v for a in combo for i, v in atoms[a].fixes}

    def check(combo, active):
        fix = fixes_of(combo)
        per = [works(ci, fix) for ci in range(len(conds))]
        out: dict[object, bool | None] = {}
        for t in active:
            if t == "all":
                out[t] = (False if any(r is False for r in per) else
                          None if any(r is None for r in per) else True)
            else:
                out[t] = per[t]
        return out

    trackers: list[object] = list(range(len(conds))) + (["all"] if len(conds) > 1 else [])
    primary: object = "all" if len(conds) > 1 else 0
    if "mixed" not in status and "undecided" not in status:
        # no intervention changes anything: after release every condition returns to its
        # own attractors, all of which meet the target or none of which does
        from .control_search import SearchOutcome
        good: dict[object, bool] = {ci: status[ci] == "all_good" for ci in range(len(conds))}
        good["all"] = all(good[ci] for ci in range(len(conds)))
        found = SearchOutcome({t: [()] if good[t] else [] for t in trackers}, True, max_size,
                              0, 0, 0)
    else:
        found = minimal_sets(atoms, trackers, check, max_size, budget, primary)
    notes.extend(found.notes)
    # sequences: one result per tracker, a list of steps (each a combo of atoms)
    answers: dict[object, list[tuple[tuple[int, ...], ...]]] = {
        t: [(c,) if c else () for c in found.found[t]] for t in trackers}
    complete = found.complete
    if max_steps > 1 and found.complete and any(not answers[t] for t in trackers):
        seq_found, seq_complete = _sequences(
            atoms, trackers, answers, _SequenceModel(status, sources, step_states, released_ok),
            fixes_of, max_size, max_steps, budget, primary)
        for t, seqs in seq_found.items():
            if not answers[t]:
                answers[t] = seqs
        complete = seq_complete
        if not seq_complete:
            notes.append("the search of sequences stopped before its end")

    def build(seq: tuple[tuple[int, ...], ...]) -> Intervention:
        combos = [a for combo in seq for a in combo]
        parts = tuple(atoms[a].label for a in combos)
        drugs_used = tuple(atoms[a].drug for a in combos if atoms[a].drug)
        steps = tuple(fixes_of(combo) for combo in seq)
        merged: dict[str, int] = {}
        for step in steps:
            merged.update(step)
        return Intervention(parts, merged, drugs_used, steps=steps,
                            step_parts=tuple(tuple(atoms[a].label for a in combo)
                                             for combo in seq))

    def ranked(seqs) -> tuple[Intervention, ...]:
        return tuple(sorted((build(q) for q in seqs),
                            key=lambda i: (len(i.steps), i.size, i.parts)))

    per_condition = tuple(ConditionControl(c.label, dict(c), reference[ci],
                                           ranked(answers[ci]))
                          for ci, c in enumerate(conds))
    joint = ranked(answers["all"]) if len(conds) > 1 else per_condition[0].interventions
    outcome = budget.outcome(complete=complete)
    return ControlResult(model, names, dict(goal), ControlKind.TEMPORARY.value,
                         Update.ASYNCHRONOUS.value, max_size, outcome.complete, joint,
                         per_condition, tuple(readouts), found.searched_size, outcome.reason,
                         tuple(notes), outcome.seconds, max_steps)


@dataclass
class _SequenceModel:
    """What the search of sequences needs of temporary control, per condition: its status
    (``mixed`` when some attractors meet the target and some do not; otherwise no
    intervention changes the answer), the states it starts from, a step (the states of the
    attractors reached with a fix held) and the final check after release."""

    status: Sequence[str]
    sources: Sequence[Any]
    step: Callable[[int, Any, Mapping[str, int]], Any]
    released: Callable[[int, Any], bool]

    def verdict(self, ci: int, states: Any) -> bool | None:
        """The answer of condition ``ci`` for a sequence that led to ``states`` (None when
        a reachability search went beyond its limit)."""
        from .control_search import ReachTooLarge

        if self.status[ci] != "mixed":
            return {"undecided": None, "none_good": False, "all_good": True}[self.status[ci]]
        if not _is_states(states):
            return None
        try:
            return self.released(ci, states)
        except ReachTooLarge:
            return None


def _is_states(value: Any) -> bool:
    return value is not None and hasattr(value, "tobytes")


def _sequences(atoms: Sequence[Any], trackers: Sequence[object],
               answers: Mapping[object, list], model: _SequenceModel,
               fixes_of: Callable[..., dict[str, int]], max_size: int,
               max_steps: int, budget: Budget, primary: object
               ) -> tuple[dict[object, list[tuple[tuple[int, ...], ...]]], bool]:
    """Sequences of 2..``max_steps`` steps, breadth-first, for the trackers with no answer
    yet: the shortest that work, each minimal step by step (no sequence of as many steps
    whose every step is a subset of the corresponding one works, or is undecided).

    A sequence's fate depends only on the states its steps but the last lead to (in each
    condition) and on its last step. So prefixes are grouped by those states, and each
    group is tried once with each last step; a prefix that leads back to states reached by
    a shorter prefix is dropped (each of its continuations acts as a shorter sequence, which
    failed), which keeps the search far below candidates**steps."""
    import itertools

    from .control_search import ReachTooLarge

    nodes = [frozenset(i for i, _ in a.fixes) for a in atoms]
    cands = [combo for size in range(1, max_size + 1)
             for combo in itertools.combinations(range(len(atoms)), size)
             if not any(nodes[a] & nodes[b] for a, b in itertools.combinations(combo, 2))]
    n_conds = len(model.status)
    mixed = [model.status[ci] == "mixed" for ci in range(n_conds)]
    steps_done: dict[tuple[int, bytes, tuple[int, ...]], Any] = {}

    def step(ci: int, states: Any, combo: tuple[int, ...]) -> Any:
        """The states after one more step (a fresh token when undecided)."""
        if not mixed[ci]:
            return None
        if not _is_states(states):
            return object()
        key = (ci, states.tobytes(), combo)
        if key not in steps_done:
            try:
                steps_done[key] = model.step(ci, states, fixes_of(combo))
            except ReachTooLarge:
                steps_done[key] = object()
        return steps_done[key]

    def signature(states: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(s.tobytes() if _is_states(s) else s for s in states)

    def decided(states: tuple[Any, ...]) -> bool:
        return all(_is_states(s) or not mixed[ci] for ci, s in enumerate(states))

    def combine(t: object, per: Sequence[bool | None]) -> bool | None:
        if t == "all":
            return (False if any(x is False for x in per) else
                    None if any(x is None for x in per) else True)
        return per[t] if isinstance(t, int) else None

    start = tuple(model.sources[ci] if mixed[ci] else None for ci in range(n_conds))
    seen = {signature(start)}
    # prefixes of the current length, grouped by the states they lead to
    level: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[tuple[tuple[int, ...], ...]]]] = {
        signature(start): (start, [()])}
    out: dict[object, list[tuple[tuple[int, ...], ...]]] = {}
    open_ = [t for t in trackers if not answers[t]]
    checked = 0
    for k in range(2, max_steps + 1):
        if not open_:
            break
        # the prefixes one step longer (k - 1 steps)
        longer: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[tuple[tuple[int, ...], ...]]]] = {}
        for states, prefixes in level.values():
            for combo in cands:
                if budget.expired():
                    return out, False
                after = tuple(step(ci, states[ci], combo) for ci in range(n_conds))
                sig = signature(after)
                if decided(after) and sig in seen:
                    continue            # back to states that a shorter prefix reached
                grown = [p + (combo,) for p in prefixes if not p or p[-1] != combo]
                if grown:
                    longer.setdefault(sig, (after, []))[1].extend(grown)
        seen.update(longer)
        level = longer
        # every group with every last step; the sequences that do not fail, in order
        records: list[tuple[tuple[tuple[int, ...], ...], list[bool | None]]] = []
        for states, prefixes in level.values():
            for combo in cands:
                if budget.expired():
                    return out, False
                checked += 1
                budget.report(lambda: f"temporary control: {k} steps, {checked:,} groups")
                per = [model.verdict(ci, step(ci, states[ci], combo)) for ci in range(n_conds)]
                if all(combine(t, per) is False for t in open_):
                    continue
                records.extend((p + (combo,), per) for p in prefixes if p[-1] != combo)
        records.sort(key=lambda r: (sum(len(c) for c in r[0]), r[0]))
        found: dict[object, list[tuple[frozenset[int], ...]]] = {t: [] for t in open_}
        undecided: dict[object, list[tuple[frozenset[int], ...]]] = {t: [] for t in open_}
        for seq, per in records:
            if budget.limit_reached:
                return out, False
            sets = tuple(frozenset(c) for c in seq)

            def below(other: tuple[frozenset[int], ...]) -> bool:
                return all(o <= x for o, x in zip(other, sets))

            for t in open_:
                if any(below(f) for f in found[t]):
                    continue
                r = combine(t, per)
                if r is None or (r and any(below(u) for u in undecided[t])):
                    undecided[t].append(sets)
                elif r:
                    found[t].append(sets)
                    out.setdefault(t, []).append(seq)
                    if t == primary:
                        budget.take(1)
        if any(undecided[t] for t in open_):
            return out, False
        open_ = [t for t in open_ if not found[t]]
    return out, True
