"""Exact asynchronous attractors of large networks, by trap spaces and symbolic reachability.

The method, for a network of hundreds of nodes:

1. percolate the constants (and fixed inputs): every attractor lies in the subspace they force,
   so the other nodes alone get BDD variables;
2. take the minimal trap spaces as candidates: each holds at least one attractor, and a
   minimal trap space without free nodes is a fixed point;
3. inside each candidate with free nodes, find the terminal SCCs by symbolic forward and
   backward reachability (:meth:`AsyncSTG.terminal_sccs`);
4. prove that no attractor lies outside the candidates (a motif-avoidant attractor). Every
   attractor holds a fixed point of the network in which the nodes of a negative feedback
   vertex set may only move towards a retained value; those fixed points outside the
   minimal trap spaces are few. Random walks settle most of them (an attractor that
   reaches a trap space lies inside it); the states the others reach outside the trap
   spaces, less those that can still reach one, form a trap set whose terminal SCCs are
   the attractors outside (found as in 3). With too many candidates, backward
   reachability from the minimal trap spaces decides instead: if that is every state, the
   list is complete; otherwise the states left form a trap set searched the same way.

Free inputs never change under asynchronous update, so each combination of their values is its
own subnetwork; they stay BDD variables and all combinations are handled at once.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, A\\nC, C | A")
>>> res = async_attractors_symbolic(net)
>>> [(a.type, a.subspace, a.size) for a in res.attractors], res.complete
([('complex', '**1', 4)], True)
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from ..errors import AnalysisTimeout, LogicboneError
from ..network import Network
from .results import Attractor, AttractorResult, str_to_state
from .symbolic import AsyncSTG

__all__ = ["async_attractors_symbolic"]

log = logging.getLogger(__name__)

METHOD = "symbolic"

#: trap spaces where at most this many nodes can change are searched in the network's own
#: BDD manager; larger ones get a manager of their own with the space's values percolated
SMALL_SPACE = 12

#: above this many candidate states, motif-avoidant attractors are ruled out by backward
#: reachability from the minimal trap spaces instead of one forward search per candidate
MAX_CANDIDATES = 2000


def _min_trap_spaces(net: Network, timeout: float | None) -> tuple[list[str], str]:
    """The minimal trap spaces (strings in bit order), and why the list is partial ("" if not)."""
    from .trap_spaces import trap_spaces
    found = trap_spaces(net, kind="min", timeout=timeout)
    return list(found.spaces), ("" if found.complete else found.reason or "stopped")


def _candidates(stg: AsyncSTG, known, deadline: float | None) -> list[dict]:
    """The candidate states (:meth:`AsyncSTG.candidate_states`) outside ``known``, as
    assignments of the free nodes; found by the fixed-point solver on the retained network."""
    from .fixed_points import fixed_points
    mgr = stg.mgr
    left = None if deadline is None else max(0.01, deadline - time.monotonic())
    res = fixed_points(stg.retained_network(), timeout=left)
    if not res.complete:
        raise AnalysisTimeout("candidate states not all found")
    index = {n: i for i, n in enumerate(stg.net.names)}
    out = []
    for state in res.states:
        a = {n: bool((state >> index[n]) & 1) for n in stg.free}
        if (mgr.cube(a) if a else mgr.true) & known == mgr.false:
            out.append(a)
    return out


def _outside_by_candidates(stg: AsyncSTG, cands: list[dict], known):
    """The attractors that hold a candidate state and lie outside ``known`` (a BDD).

    Candidates whose random walks reach ``known`` are settled (their attractor is a known
    one: a trap space met is never left). The others are handled as one set: ``F``, the
    states they reach without entering ``known``, and ``B``, the states of ``F`` that can
    reach ``known``. ``F`` minus ``B`` is a trap set (a step out of it would lead into
    ``known`` or into ``B``), and it holds every attractor outside ``known``, since each
    holds a candidate; its terminal SCCs are the new attractors.
    """
    mgr = stg.mgr
    left = _unsettled(stg, cands, known)
    if not left:
        return
    starts = _union(mgr, [mgr.cube(a) if a else mgr.true for a in left]) & ~known
    if starts == mgr.false:
        return
    reach = stg.forward(starts, within=~known)
    rest = reach & ~stg.backward(known, within=reach)
    if rest != mgr.false:
        yield from stg.terminal_sccs(rest)


def _unsettled(stg: AsyncSTG, starts: list[dict], known, steps: int = 1000,
               seed: int = 0) -> list[dict]:
    """The start states whose random asynchronous walks did not reach ``known``.

    A cheap filter before symbolic search: all walks advance together, one random update of
    a node that can change per walk and step (numpy over the rules), and a walk that enters
    ``known`` is dropped. What is left is returned (in the given order).
    """
    import numpy as np
    from ..expr import evaluate, truth_table, variables

    free = list(stg.free)
    if not starts or not stg.flip:
        return starts
    mgr = stg.mgr
    rng = np.random.default_rng(seed)
    x = np.array([[bool(a.get(n, False)) for n in free] for a in starts], dtype=bool)
    alive = np.arange(len(starts))

    def settled() -> np.ndarray:
        return np.array([mgr.cube(dict(zip(free, map(bool, row)))) & known != mgr.false
                         for row in x], dtype=bool)

    pos = {n: i for i, n in enumerate(free)}
    compiled = []            # per node: (regulator columns, truth table) or (None, rule)
    for n in free:
        regs = variables(stg.rules[n])
        if len(regs) <= 20:      # tables of up to 2^20 rows: one lookup per step
            compiled.append(([pos[r] for r in regs], truth_table(stg.rules[n], regs)))
        else:
            compiled.append((None, stg.rules[n]))

    for step in range(steps):
        if step % 50 == 0:
            stg._check_time()
            keep = ~settled()
            x, alive = x[keep], alive[keep]
            if not len(alive):
                return []
        nxt = np.empty_like(x)
        for i, (cols, rule) in enumerate(compiled):   # a node that cannot change has f = x
            if cols is None:
                values = {n: x[:, j] for j, n in enumerate(free)}
                nxt[:, i] = np.broadcast_to(evaluate(rule, values), (len(alive),))
            else:
                idx = np.zeros(len(alive), dtype=np.int64)
                for j, c in enumerate(cols):
                    idx |= x[:, c].astype(np.int64) << j
                nxt[:, i] = rule[idx]
        can = nxt != x
        pick = np.argmax(rng.random(x.shape) * can, axis=1)
        rows = np.flatnonzero(can.any(axis=1))
        x[rows, pick[rows]] ^= True
    log.debug("%d of %d candidate walks still outside after %d steps", len(alive),
              len(starts), steps)
    return [starts[i] for i in alive]


def _union(mgr, sets: list):
    """The union of many BDDs, merged pairwise (balanced) to keep the operands small."""
    sets = list(sets) or [mgr.false]
    while len(sets) > 1:
        sets = [sets[i] | sets[i + 1] if i + 1 < len(sets) else sets[i]
                for i in range(0, len(sets), 2)]
    return sets[0]


def async_attractors_symbolic(net: Network, *, max_states: int = 1000, limit: int | None = None,
                              timeout: float | None = None,
                              progress: Callable[[str], None] | None = None,
                              candidates: Iterable[str] | None = None,
                              model: str = "") -> AttractorResult:
    """All attractors under fully asynchronous update, exactly, without enumerating states.

    Parameters
    ----------
    net : Network
    max_states : int
        List the states of attractors of at most this many states.
    limit : int, optional
        Stop after this many attractors (the result then says ``complete=False``).
    timeout : float, optional
        Seconds; on expiry the attractors found so far are returned with ``complete=False``.
    progress : callable(str), optional
        Receives one-line progress messages (the library itself never prints).
    candidates : iterable of str, optional
        The minimal trap spaces (strings in bit order), if already known; by default they are
        computed. Each must be a trap space.
    model : str
        Name of the model, carried into the result.

    Returns
    -------
    AttractorResult
        ``update="asynchronous"``, ``method="symbolic"``; each attractor carries
        ``extra["trap_space"]``, its smallest enclosing trap space. ``complete`` is True only
        when every attractor is proven found; ``notes`` say why not otherwise.

    Raises
    ------
    LogicboneError
        When a given candidate is not a trap space.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A & B\\nB, B | A\\nI, I")
    >>> res = async_attractors_symbolic(net)
    >>> sorted(a.subspace for a in res.attractors)
    ['000', '001', '010', '011', '110', '111']
    >>> len(async_attractors_symbolic(net, limit=2).attractors)
    2
    """
    start = time.monotonic()
    deadline = start + timeout if timeout else None
    say = progress or (lambda msg: None)
    stg = AsyncSTG(net, deadline=deadline)
    mgr = stg.mgr
    n = len(net.names)
    say(f"{len(stg.fixed)} of {n} nodes fixed by percolation; {len(stg.free)} left")

    found: list[Attractor] = []
    notes: list[str] = []
    complete = True

    def full() -> bool:
        return limit is not None and len(found) >= limit

    def record(where: AsyncSTG, att, space: str) -> None:
        size = where.count(att)
        states = tuple(sorted(where.states(att))) if size <= max_states else None
        found.append(Attractor(type="fixed_point" if size == 1 else "complex", size=size,
                               subspace=where.hull(att), states=states,
                               extra={"trap_space": space}))

    try:
        if candidates is not None:
            spaces = list(candidates)
        else:
            left = None if deadline is None else max(0.01, deadline - time.monotonic())
            spaces, why = _min_trap_spaces(net, left)
            if why:
                raise AnalysisTimeout(f"minimal trap spaces not all found ({why})")
        say(f"{len(spaces)} minimal trap spaces")
        cubes = []
        mgr.configure(reordering=False)     # thousands of small cubes: reordering only costs
        for k, space in enumerate(spaces):
            if full():
                break
            cube = stg.space(space)
            if cube == mgr.false:
                continue
            cubes.append(cube)
            if "*" not in space:               # a fixed point
                found.append(Attractor(type="fixed_point", size=1, subspace=space,
                                       states=(str_to_state(space),),
                                       extra={"trap_space": space}))
                continue
            if candidates is not None and not stg.is_trap(cube):
                raise LogicboneError(f"candidate {space} is not a trap space")
            moving = stg.movable(cube)
            if len(moving) <= SMALL_SPACE:
                where, inside = stg, cube
            else:   # a space of its own: fewer variables, simpler rules
                fixed = {v: c == "1" for v, c in zip(net.names, space) if c != "*"}
                where = AsyncSTG(net, fixed, deadline=deadline)
                inside, moving = where.mgr.true, None
            for att in where.terminal_sccs(inside, nodes=moving):
                record(where, att, space)
                if full():
                    break
            if k % 100 == 99:
                say(f"searched {k + 1} of {len(spaces)} trap spaces, {len(found)} attractors")
        if full():
            complete = False
            notes.append(f"stopped after {limit} attractors (limit); others may exist")
        else:
            say(f"{len(found)} attractors in trap spaces; proving there are no others")
            mgr.configure(reordering=True)
            union = _union(mgr, cubes)
            cands = _candidates(stg, union, deadline)
            say(f"{len(cands)} candidate states outside the minimal trap spaces")
            if len(cands) <= MAX_CANDIDATES:
                new = _outside_by_candidates(stg, cands, union)
            else:
                say("too many candidates: backward reachability from the trap spaces")
                rest = ~stg.backward(union) if union != mgr.false else mgr.true
                new = stg.terminal_sccs(rest) if rest != mgr.false else ()
            for att in new:
                record(stg, att, stg.trap_closure(stg.hull(att)))
                say(f"attractor outside the minimal trap spaces ({len(found)} in all)")
                if full():
                    complete = False
                    notes.append(f"stopped after {limit} attractors (limit); others may exist")
                    break
    except AnalysisTimeout as err:
        complete = False
        notes.append(f"{err}; the list is partial")
        log.info("timeout after %d attractors", len(found))
    except KeyboardInterrupt:
        complete = False
        notes.append("interrupted; the list is partial")
        log.info("interrupted after %d attractors", len(found))

    attractors = sorted(found, key=lambda a: (a.subspace, a.states or ()))
    log.info("%d attractors in %.2f s", len(attractors), time.monotonic() - start)
    return AttractorResult(model=model, nodes=tuple(net.names), update="asynchronous",
                           method=METHOD, complete=complete, attractors=tuple(attractors),
                           notes=tuple(notes))
