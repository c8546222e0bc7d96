"""Exact asynchronous attractors of large networks, by trap spaces and symbolic reachability.

The method, for a network of hundreds of nodes:

1. percolate the constants (and fixed inputs): every attractor lies in the subspace they force,
   so the other nodes alone get BDD variables;
2. take the minimal trap spaces as candidates: each holds at least one attractor, and a
   minimal trap space without free nodes is a fixed point;
3. inside each minimal trap space with free nodes, find the terminal SCCs by symbolic
   forward and backward reachability (:meth:`AsyncSTG.terminal_sccs`). A large space gets a
   BDD manager of its own, with its values percolated, and the search starts from its
   candidate states (see 4): a space holding one of them holds one attractor, its forward
   set;
4. prove that no attractor lies outside the minimal trap spaces (a motif-avoidant attractor).
   Every attractor holds a candidate state: a fixed point of the network in which the nodes
   of a negative feedback vertex set may only move towards a retained value. Random walks
   from the candidates outside the minimal trap spaces settle most of them (an attractor
   holding a state holds every state a walk from it reaches, so a walk that enters a trap
   space settles its start). For the others, the states they reach outside the trap
   spaces, less those that can still reach one, form a trap set whose terminal SCCs are
   the attractors outside, found from those candidates. With too many of them, backward
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

#: up to this many candidate states are first walked at random (a walk that reaches a
#: minimal trap space settles its start)
MAX_WALKS = 200_000

#: random sweeps give up after this many sweeps settle no walk
STAGNANT = 100

#: walks still going after a stagnant stretch are copied up to this many in all
WALKS = 2048


def _min_trap_spaces(net: Network, timeout: float | None) -> tuple[list[str], str]:
    """The minimal trap spaces (strings in bit order), and why the list is partial ("" if not)."""
    from .trap_spaces import trap_spaces
    found = trap_spaces(net, kind="min", timeout=timeout)
    return list(found.spaces), ("" if found.complete else found.reason or "stopped")


def _candidates(stg: AsyncSTG, spaces: list[str], deadline: float | None):
    """The candidate states (:meth:`AsyncSTG.candidate_states`) outside the ``spaces``, as
    rows of a bool matrix over ``stg.free``; found by the fixed-point solver on the
    retained network."""
    import numpy as np
    from .fixed_points import fixed_points
    left = None if deadline is None else max(0.01, deadline - time.monotonic())
    res = fixed_points(stg.retained_network(), timeout=left)
    if not res.complete:
        raise AnalysisTimeout("candidate states not all found")
    names = stg.net.names
    width = (len(names) + 7) // 8
    raw = b"".join(state.to_bytes(width, "little") for state in res.states)
    bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8).reshape(len(res.states), width),
                         axis=1, count=len(names), bitorder="little").astype(bool)
    index = {n: i for i, n in enumerate(names)}
    x = bits[:, [index[n] for n in stg.free]]
    return x[~_Membership(spaces, names, list(stg.free))(x)] if spaces else x


def _candidates_none(stg: AsyncSTG):
    import numpy as np
    return np.zeros((0, len(stg.free)), dtype=bool)


def _cubes(stg: AsyncSTG, x) -> list:
    """The rows of a bool matrix over ``stg.free`` as BDD cubes."""
    mgr = stg.mgr
    return [mgr.cube(dict(zip(stg.free, map(bool, row)))) if stg.free else mgr.true
            for row in x]


def _outside_by_candidates(stg: AsyncSTG, left, known):
    """The attractors that hold one of the candidate states ``left`` and lie outside
    ``known`` (a BDD: a union of trap spaces).

    ``F`` is the set of states the candidates reach without entering ``known``, ``B`` the
    states of ``F`` that can reach ``known``. ``F`` minus ``B`` is a trap set (a step out of
    it would lead into ``known`` or into ``B``), and it holds every attractor outside
    ``known``, since each holds a candidate; its terminal SCCs, searched from the
    candidates in it, are the new attractors.
    """
    mgr = stg.mgr
    seeds = [c for c in _cubes(stg, left) if c & known == mgr.false]
    if not seeds:
        return
    reach = stg.forward(_union(mgr, seeds), within=~known)
    rest = reach & ~stg.backward(known, within=reach)
    if rest != mgr.false:
        yield from stg.terminal_sccs(rest, seeds=seeds)


class _Membership:
    """Which rows of a bool matrix (columns: the free nodes) lie in which of some subspaces.

    Subspaces are grouped by their fixed columns; in each group a row's values there are
    packed into a 64-bit key (a hash above 63 columns, then checked exactly) and looked up
    in the sorted keys of the group's spaces, so thousands of spaces cost a few array
    operations. Calling it gives a bool per row (in some space); :meth:`which` gives the
    index of a space holding the row, or -1.
    """

    def __init__(self, spaces: list[str], names: tuple[str, ...], free: list[str]):
        import numpy as np
        col = {n: j for j, n in enumerate(free)}
        at = [(i, col[n]) for i, n in enumerate(names) if n in col]
        groups: dict[tuple[int, ...], list[int]] = {}
        for k, space in enumerate(spaces):
            groups.setdefault(tuple(j for i, j in at if space[i] != "*"), []).append(k)
        rng = np.random.default_rng(12345)
        self.groups = []
        for cols, members in groups.items():
            vals = np.array([[spaces[k][i] == "1" for i, j in at if spaces[k][i] != "*"]
                             for k in members], dtype=bool).reshape(len(members), len(cols))
            if len(cols) <= 63:
                weights = np.left_shift(np.uint64(1), np.arange(len(cols), dtype=np.uint64))
                exact = True
            else:
                weights = rng.integers(1, 2**63, size=len(cols), dtype=np.uint64)
                exact = False
            keys = self._keys(vals, weights)
            order = np.argsort(keys)
            self.groups.append((np.array(cols, dtype=np.int64), weights, keys[order],
                                vals[order], np.array(members)[order], exact))

    @staticmethod
    def _keys(x, weights):
        import numpy as np
        with np.errstate(over="ignore"):
            return (x.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)

    def which(self, x):
        import numpy as np
        out = np.full(len(x), -1, dtype=np.int64)
        for cols, weights, keys, vals, members, exact in self.groups:
            sub = x[:, cols]
            k = self._keys(sub, weights)
            pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
            hit = keys[pos] == k
            if not exact:    # a 64-bit hash matched: compare the values themselves
                rows = np.flatnonzero(hit)
                hit[rows] = (vals[pos[rows]] == sub[rows]).all(axis=1)
            out[hit] = members[pos[hit]]
        return out

    def __call__(self, x):
        return self.which(x) >= 0


def _unsettled(stg: AsyncSTG, x, spaces: list[str], sweeps: int = 5000, seed: int = 0):
    """The indices of the start states (rows of a bool matrix over ``stg.free``) whose
    random asynchronous walks reached neither the trap ``spaces`` nor a fixed point (the
    callers know every fixed point as an attractor already).

    A cheap filter before symbolic search: an attractor holding a start state holds every
    state a walk from it reaches, so a walk that enters a trap space settles its start. The
    walks advance together in random sequential sweeps: the nodes are visited in a random
    order, and each walk moves the visited node, if its rule says so, with probability 1/2;
    every move is one asynchronous step, so a sweep is a path of many steps for the cost of
    one evaluation of every rule (numpy over the walks). When a stretch of sweeps settles
    no start, the walks still going are copied (up to :data:`WALKS` in all) and go on
    independently, since any copy that arrives settles its start; after that, the next
    such stretch ends the search.
    """
    import numpy as np
    from ..expr import evaluate, truth_table, variables

    free = list(stg.free)
    if not len(x) or not stg.flip:
        return np.arange(len(x))
    starts = x
    x = x.copy()
    inside = _Membership(spaces, stg.net.names, free)
    rng = np.random.default_rng(seed)
    owner = np.arange(len(x))          # the start state each walk comes from
    pos = {n: i for i, n in enumerate(free)}
    movers = [pos[n] for n in stg.flip]
    compiled = {}            # per node: (regulator columns, truth table) or (None, rule)
    for n in stg.flip:
        regs = variables(stg.rules[n])
        if len(regs) <= 20:      # tables of up to 2^20 rows: one lookup per visit
            compiled[pos[n]] = ([pos[r] for r in regs], truth_table(stg.rules[n], regs))
        else:
            compiled[pos[n]] = (None, stg.rules[n])

    best, since, copied = len(x), 0, False
    for sweep in range(sweeps):
        if sweep % 4 == 0:
            stg._check_time()
            hit = inside(x)
            if hit.any():
                keep = ~np.isin(owner, owner[hit])
                x, owner = x[keep], owner[keep]
            if not len(x):
                return owner
            alive = len(np.unique(owner))
            if alive < best:
                best, since = alive, 0
            elif since >= STAGNANT:         # no start settled for a while
                if copied or len(x) >= WALKS:
                    break
                copies = WALKS // len(x)
                x, owner = np.repeat(x, copies, axis=0), np.repeat(owner, copies)
                copied, since = True, 0
        since += 1
        m = len(x)
        coins = np.unpackbits(np.frombuffer(rng.bytes(len(movers) * ((m + 7) // 8)),
                                            dtype=np.uint8).reshape(len(movers), -1),
                              axis=1, count=m).astype(bool)
        active = np.zeros(m, dtype=bool)      # some node could move during the sweep
        for k, i in enumerate(rng.permutation(movers)):
            cols, rule = compiled[i]
            if cols is None:
                values = {n: x[:, j] for j, n in enumerate(free)}
                new = np.broadcast_to(evaluate(rule, values), (m,))
            else:
                idx = np.zeros(m, dtype=np.int64)
                for j, c in enumerate(cols):
                    idx |= x[:, c].astype(np.int64) << j
                new = rule[idx]
            change = new != x[:, i]
            active |= change
            x[:, i] ^= change & coins[k]
        if not active.all():     # these walks stand on a fixed point: a known attractor
            keep = ~np.isin(owner, owner[~active])
            x, owner = x[keep], owner[keep]
            if not len(x):
                return owner
    left = np.unique(owner)
    log.debug("%d of %d candidate walks still outside after the sweeps", len(left),
              len(starts))
    return left


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
        cubes, kept = [], []
        mgr.configure(reordering=False)     # thousands of small cubes: reordering only costs
        for k, space in enumerate(spaces):
            if full():
                break
            cube = stg.space(space)
            if cube == mgr.false:
                continue
            cubes.append(cube)
            kept.append(space)
            if "*" not in space:               # a fixed point
                found.append(Attractor(type="fixed_point", size=1, subspace=space,
                                       states=(str_to_state(space),),
                                       extra={"trap_space": space}))
                continue
            if candidates is not None and not stg.is_trap(cube):
                raise LogicboneError(f"candidate {space} is not a trap space")
            moving = stg.movable(cube)
            seeds = None
            if len(moving) <= SMALL_SPACE:
                where, inside = stg, cube
            else:   # a space of its own: fewer variables, simpler rules
                fixed = {v: c == "1" for v, c in zip(net.names, space) if c != "*"}
                where = AsyncSTG(net, fixed, deadline=deadline)
                inside, moving = where.mgr.true, None
                seeds = _cubes(where, _candidates(where, [], deadline))
            for att in where.terminal_sccs(inside, nodes=moving, seeds=seeds):
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
            # without a negative cycle every candidate is a fixed point: none lies outside
            cands = (_candidates(stg, kept, deadline) if stg.negative_feedback_vertex_set()
                     else _candidates_none(stg))
            say(f"{len(cands)} candidate states outside the minimal trap spaces")
            if len(cands) <= MAX_WALKS:
                cands = cands[_unsettled(stg, cands, kept)]
                say(f"{len(cands)} of them not settled by random walks")
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
