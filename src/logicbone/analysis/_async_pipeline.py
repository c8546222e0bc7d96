"""The asynchronous pipeline, shared by listing and counting attractors.

Both :func:`~logicbone.analysis.async_attractors.async_attractors_symbolic` (listing) and
:func:`~logicbone.analysis.attractor_count.count_attractors` (counting) run the same steps:
the minimal trap spaces, the terminal SCCs inside each (:func:`attractors_in_space`), the
candidate states outside them (:func:`candidates`, :func:`extra_candidates`), random walks
that settle most of those (:func:`unsettled`), and the symbolic search for the attractors
left outside (:func:`outside`). Their tuning is part of
:class:`~logicbone.analysis.settings.EngineSettings`.

Every step runs under a :class:`~logicbone.budget.Budget` and raises
:class:`~logicbone.budget.BudgetExceeded` when it expires.
"""
from __future__ import annotations

import dataclasses
import enum
import itertools
import logging
import operator
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..budget import Budget, BudgetExceeded, Outcome, StopReason
from ..modes import TrapSpaceKind
from ..network import Network
from ..parallel import Beside, can_fork, forked_map
from .settings import DEFAULT, EngineSettings
from .symbolic import AsyncSTG

if TYPE_CHECKING:
    import numpy as np

__all__ = ["min_trap_spaces", "attractors_in_space", "candidates", "candidate_list",
           "deepener", "outside_direct",
           "extra_candidates", "cubes", "outside", "outside_by_candidates",
           "Membership", "unsettled", "union", "FixedPointOracle", "complex_spaces",
           "Unmeasured", "Detail", "narrowed", "outside_spaces", "SearchCache", "SubNetworks",
           "space_union", "OneWalk", "state_rows", "swept_candidates", "outside_swept",
           "swept_off_fixed_points", "swept_down", "candidate_bdd", "chars_at", "distinct_at",
           "FIXED_AS_DOTS"]

log = logging.getLogger(__name__)




def _unlimited(budget: Budget) -> Budget:
    """A child of ``budget`` without an answer limit (a list that must be complete)."""
    child = budget.child()
    child.limit = None
    return child


def min_trap_spaces(net: Network, budget: Budget, limit: int | None = None,
                    settings: EngineSettings = DEFAULT, *, partial: bool = False
                    ) -> tuple[list[str], StopReason | None]:
    """The minimal trap spaces (strings in bit order), at most ``limit`` of them (without
    one, at most ``settings.max_listed_product``), and why the list stops short (None: it
    is all of them); raises :class:`BudgetExceeded` when time runs out or an interrupt
    arrives. With ``partial``, the spaces found when the time runs out (the solver stops
    at four fifths of it) come back instead, if there are any, with ``TIMEOUT``; an
    interrupt still raises."""
    from .trap_spaces import trap_spaces
    found = trap_spaces(net, kind=TrapSpaceKind.MIN, budget=budget.child(limit=limit) if limit
                        else _unlimited(budget), settings=settings)
    if not found.complete and found.reason is not StopReason.LIMIT:
        why = found.reason or StopReason.TIMEOUT
        if not (partial and why is StopReason.TIMEOUT and found.spaces):
            raise BudgetExceeded(why, what=f"minimal trap spaces not all found "
                                           f"({why.describe()})")
        return list(found.spaces), why
    return list(found.spaces), None if found.complete else StopReason.LIMIT


class Detail(enum.Enum):
    """What a search of a minimal trap space must give of an attractor it proves the only
    one there by walks (:func:`attractors_in_space`)."""

    STATES = "states"
    """Its states (a BDD), when built within ``settings.measure_seconds``; else as HULL."""
    HULL = "hull"
    """Its hull: an :class:`Unmeasured` attractor where walks move every free node."""
    COUNT = "count"
    """Only that it is there (a count): an :class:`Unmeasured` one with no nodes named."""


def attractors_in_space(stg: AsyncSTG, space: str, budget: Budget,
                        settings: EngineSettings = DEFAULT, seeds: Any = None,
                        cache: SearchCache | None = None,
                        prefer: list[str] | None = None, detail: Detail = Detail.STATES
                        ) -> Iterator[tuple[AsyncSTG, Any]]:
    """The attractors in a minimal trap space (a string in bit order, with free nodes), as
    pairs ``(stg they belong to, BDD)``.

    A space where at most ``settings.small_space`` nodes can move is searched in ``stg``
    (unless a ``cache`` is given); a larger one gets an :class:`AsyncSTG` of its own with
    the space's values percolated, and its search starts from candidate states (``seeds``:
    rows of a bool matrix over ``stg.free`` that meet every attractor in the space; by
    default its own candidates).

    With ``cache`` (kept across the spaces of one network, searched without ``seeds``), a
    space, small or large, that percolates to a sub-network searched before
    (:class:`SubNetworks`) reuses that search: its attractors are the same sets of states
    over the free nodes, with this space's fixed values (trap spaces that differ only in
    inputs or in an independent part often do; thousands of them cost no graph each, and
    small ones no search in ``stg``'s large manager: bbm/004 under a condition, 17,252
    spaces in 5 s against 12 s). They come with the graph searched, whose fixed values
    may be another space's: the caller puts in this space's.

    A large space is first tried briefly under the variable order not in favour
    (:func:`_search_raced`); ``prefer``, kept across the spaces of one network, says which
    is (the one that won last). A search that does not end within
    ``settings.reduce_seconds`` is preceded by :func:`narrowed`: an attractor proven the
    only one of the space may come as :class:`Unmeasured`, as ``detail`` asks.
    """
    names = stg.net.names
    if cache is None or seeds is not None:
        # the nodes free in the space that can change at all (in a minimal trap space, each)
        moving = sum(1 for n, c in zip(names, space) if c == "*" and n in stg.flip)
        if moving <= settings.small_space:
            cube = stg.space(space)
            for att in stg.terminal_sccs(cube, nodes=stg.movable(cube), seeds=None
                                         if seeds is None else cubes(stg, seeds)):
                yield stg, att
            return

    def fixed() -> dict[str, bool]:
        return {v: c == "1" for v, c in zip(names, space) if c != "*"}
    if cache is not None and seeds is None:
        seen, atts = cache.search(space, lambda: AsyncSTG(stg.net, fixed(), budget=budget),
                                  lambda where: _search_raced(where, budget, settings, None,
                                                              prefer, detail))
        for att in atts:
            yield seen, att
        return
    where = AsyncSTG(stg.net, fixed(), budget=budget)
    rows = None if seeds is None else seeds[:, [stg.free.index(n) for n in where.free]]
    searched, atts = _search_raced(where, budget, settings, rows, prefer, detail)
    for att in atts:
        yield searched, att


#: a space's string -> where its free nodes are ("*"), each fixed value a dot
FIXED_AS_DOTS = str.maketrans("01", "..")


def chars_at(positions: Sequence[int]) -> Callable[[str], str]:
    """A map from a string to its characters at ``positions``, as a string (in C: a
    Python loop over a hundred positions costs ten times as much)."""
    if not positions:
        return lambda text: ""
    if len(positions) == 1:
        at = positions[0]
        return lambda text: text[at]
    get = operator.itemgetter(*positions)
    return lambda text: "".join(get(text))


def distinct_at(spaces: Sequence[str], positions: Sequence[int],
                agree: Sequence[tuple[int, str]] = ()) -> set[str]:
    """The distinct strings of the characters of ``spaces`` (strings of one length) at
    ``positions``, of those that agree with ``agree`` (positions and characters: a
    string with another ``0`` or ``1`` there is left out). Many go through one array
    (bbm/004 under a condition, 547,288 minimal trap spaces of 194 nodes: 0.3 s,
    against 2 s a string at a time)."""
    if len(spaces) * len(positions) <= 1 << 16:
        pick, held = chars_at(positions), chars_at([i for i, _ in agree])
        want = "".join(c for _, c in agree)
        return {pick(space) for space in spaces if not agree or held(space) == want
                or all(a == b or a == "*" for a, b in zip(held(space), want))}
    import numpy as np
    rows = np.frombuffer("".join(spaces).encode("ascii"),
                         dtype=np.uint8).reshape(len(spaces), len(spaces[0]))
    if agree:
        values = np.frombuffer("".join(c for _, c in agree).encode("ascii"), dtype=np.uint8)
        there = np.take(rows, [i for i, _ in agree], axis=1)
        rows = rows[((there == values) | (there == ord("*"))).all(axis=1)]
    k = len(positions)
    if not k:
        return {""} if len(rows) else set()
    # (numpy.take: a few times quicker than indexing by a list of columns)
    picked = np.take(rows, list(positions), axis=1).tobytes().decode("ascii")
    return {picked[i:i + k] for i in range(0, len(picked), k)}


class SubNetworks:
    """Which minimal trap spaces of a network percolate to the same sub-network: the key
    of a space (a string in bit order) is its free nodes with the values of their fixed
    regulators, which decide the rules left (no rule is built to tell); :meth:`rules`
    is a coarser key, the rules themselves with the fixed values put in."""

    def __init__(self, net: Network):
        from ..expr import variables
        index = {n: i for i, n in enumerate(net.names)}
        self._net = net
        # the rules as the network's percolation leaves them (short forms of long ones)
        self._simplified = {**net.rules, **net.percolated()[1]}
        self._regs = [[index[r] for r in variables(self._simplified[n])] for n in net.names]
        self._bounds: dict[str, Callable[[str], str]] = {}
        self._rules: dict[tuple[int, str], str] = {}

    def key(self, space: str) -> tuple[str, str]:
        # where the free nodes are (as a string with each fixed value a dot: str.translate
        # is a C loop), and the values of their fixed regulators (152,092 spaces of bbm/004
        # under a condition: 0.2 s, against 1.2 s for Python loops over the characters)
        where = space.translate(FIXED_AS_DOTS)
        bound = self._bounds.get(where)
        if bound is None:
            free = [i for i, c in enumerate(space) if c == "*"]
            inside = set(free)
            bound = self._bounds[where] = chars_at(sorted(
                {r for i in free for r in self._regs[i]} - inside))
        return where, bound(space)

    def rules(self, space: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The free nodes of ``space`` and their rules with its fixed values put in (each
        rule simplified once per set of values of its regulators): spaces with the same
        percolate to the same sub-network, whatever values their other regulators take
        (bbm/004 under a condition: 1,412 keys, 120 sub-networks)."""
        from ..expr import substitute
        free = tuple(i for i, c in enumerate(space) if c == "*")
        names = self._net.names
        out = []
        for i in free:
            values = "".join(space[j] for j in self._regs[i])
            rule = self._rules.get((i, values))
            if rule is None:
                fixed = {names[j]: c == "1" for j, c in zip(self._regs[i], values)
                         if c != "*"}
                rule = self._rules[i, values] = str(substitute(self._simplified[names[i]],
                                                               fixed))
            out.append(rule)
        return free, tuple(out)


class SearchCache:
    """The searches of the minimal trap spaces of one network, by the sub-network each
    percolates to: the graph searched and its attractors. A space is looked up first by
    :meth:`SubNetworks.key`, then by :meth:`SubNetworks.rules` (no graph built for
    either), then by the percolated rules themselves."""

    def __init__(self, net: Network):
        self.subs = SubNetworks(net)
        self._by_key: dict[Any, tuple[AsyncSTG, list[Any]]] = {}
        self._by_rules: dict[Any, tuple[AsyncSTG, list[Any]]] = {}

    def search(self, space: str, graph: Callable[[], AsyncSTG],
               search: Callable[[AsyncSTG], tuple[AsyncSTG, list[Any]]]
               ) -> tuple[AsyncSTG, list[Any]]:
        """The search of ``space`` (a string in bit order) found before, else
        ``search(graph())``."""
        key = self.subs.key(space)
        found = self._by_key.get(key)
        if found is None:
            given = self.subs.rules(space)
            found = self._by_rules.get(given)
            if found is None:
                where = graph()
                rules = (where.free, tuple(str(where.rules[n]) for n in where.free))
                found = self._by_rules.get(rules)
                if found is None:
                    found = self._by_rules[rules] = search(where)
                self._by_rules[given] = found
            self._by_key[key] = found
        return found


def _search_raced(where: AsyncSTG, budget: Budget, settings: EngineSettings,
                  rows: Any, prefer: list[str] | None = None,
                  detail: Detail = Detail.STATES) -> tuple[AsyncSTG, list[Any]]:
    """:func:`_search_space` of ``where``, first tried briefly under the other initial
    variable order: the time a reachability takes can differ tenfold between the two,
    either way, and nothing tells beforehand which is quicker.

    ``prefer`` (the two orders, kept across the spaces of one network) puts first the
    order searched without a limit; the other is tried first for
    ``settings.race_seconds``, and when it finishes it goes first from then on. Where the
    other order suits the spaces, searches of seconds take a few hundredths; where it does
    not, a try costs that fraction of a second. Returns the graph that finished and its
    attractors.
    """
    if prefer is None:
        prefer = ["upstream", "downstream"]
    large = len(where.free) > settings.small_space
    first: AsyncSTG | None = None     # in the order in favour: built once needed
    found = None                      # its candidate states, once built
    walked = False
    if large and settings.plain_walks > 0 and detail is not Detail.STATES:
        first = where if prefer[0] == "upstream" else where.with_order(prefer[0])
        # a few candidates: walks first, which prove most minimal trap spaces to hold one
        # attractor (rarely more) in a fraction of the searches' time. Not where the
        # states are wanted: the search from the candidates (raced between two orders)
        # is often quicker than the forward search from the one the walks leave.
        if rows is None:
            found = candidate_bdd(first, settings)
            few = None if found is None or first.count(found) > settings.plain_walks else \
                state_list(first, found)
        else:
            few = rows if len(rows) <= settings.plain_walks else None
        if few is not None:
            # (one candidate: the space's only attractor holds it, nothing to narrow)
            rows = few if len(few) == 1 else narrowed(first, few, budget, settings,
                                                      hull=False,
                                                      tries=settings.walk_seeds)[0]
            walked = True
            if len(rows) == 1:
                log.debug("a space of %d free nodes: one attractor, by walks from %d "
                          "candidates", len(first.free), len(few))
                return first, [_measured(first, rows, budget, settings, detail)]
    if settings.race_seconds > 0 and large:
        other = where if prefer[1] == "upstream" else where.with_order(prefer[1])
        turn = budget.child(timeout=settings.race_seconds)
        other.budget = turn
        try:
            atts = [att for _, att in _search_space(other, turn, settings, rows)]
        except BudgetExceeded:
            if budget.expired():
                raise
        else:
            log.debug("a space of %d free nodes searched first in the %s order",
                      len(other.free), prefer[1])
            prefer.reverse()
            return other, atts
        finally:
            other.budget = budget
    if first is None:
        first = where if prefer[0] == "upstream" else where.with_order(prefer[0])
    if settings.reduce_seconds > 0 and large:
        turn = budget.child(timeout=settings.reduce_seconds)
        first.budget = turn
        try:
            return first, [att for _, att in _search_space(first, turn, settings, rows)]
        except BudgetExceeded:
            if budget.expired():
                raise
        finally:
            first.budget = budget
        if not walked:
            if rows is None and found is not None:
                rows = _listed_candidates(first, settings, found)
            elif rows is None:
                # the candidates, listed to walk: the builds cut short above left the
                # variable order where they stood, where another build can grow past
                # max_seed_nodes (bbm/251's space of 113 nodes), so in a manager of
                # their own (the retained values chosen so far come along)
                rows = _listed_candidates(first.with_order(prefer[0]), settings)
            if rows is not None:
                rows, _ = narrowed(first, rows, budget, settings, hull=False,
                                   tries=settings.walk_seeds)
            log.debug("a space of %d free nodes narrowed down by walks: %s candidates left",
                      len(first.free), "too many" if rows is None else len(rows))
        if rows is not None and len(rows) == 1:
            return first, [_measured(first, rows, budget, settings, detail)]
    return first, [att for _, att in _search_space(first, budget, settings, rows)]


def candidate_bdd(stg: AsyncSTG, settings: EngineSettings) -> Any:
    """The candidate states of ``stg`` (:meth:`AsyncSTG.candidate_states`, up to
    ``settings.max_seed_nodes`` nodes; None past them), after
    :meth:`AsyncSTG.fewer_candidates` (for ``settings.fewer_seconds``) where the default
    retained values leave more than ``settings.plain_walks``."""
    found = stg.candidate_states(max_nodes=settings.max_seed_nodes)
    if found is not None and stg.count(found) > settings.plain_walks:
        found = stg.fewer_candidates(max_nodes=settings.max_seed_nodes,
                                     seconds=settings.fewer_seconds, found=found)
    return found


def _listed_candidates(stg: AsyncSTG, settings: EngineSettings, found: Any = None) -> Any:
    """States that together meet every attractor of ``stg`` as rows over ``stg.free``:
    its candidate states (``found``, if built already, else :func:`candidate_bdd`), swept
    down (:func:`swept_down`) where more than ``settings.max_reduced`` are left; None
    where that leaves too many or a BDD grows too large."""
    if found is None:
        found = candidate_bdd(stg, settings)
    if found is not None:
        found = swept_down(stg, found, settings)
    return None if found is None else state_rows(stg, found)


def swept_down(stg: AsyncSTG, found: Any, settings: EngineSettings) -> Any:
    """``found`` (a BDD of states that together meet every attractor of ``stg``) with at
    most ``settings.max_reduced`` states: as it is, or swept forward all at once
    (:meth:`AsyncSTG.swept_off`, nothing taken off) until at most
    ``settings.sweep_target`` are left or the sweeps stall; None where more than
    ``settings.max_reduced`` are left or the BDD grows past ``settings.sweep_nodes``.

    Each state follows one asynchronous path and stays in every attractor it lies in,
    so the states left meet every attractor ``found`` meets; the sweeps move them all
    with the same choices (coupled), and paths that meet go on as one. bbm/079 under a
    condition (seed 6 of ``benchmarks/async_free.py``): the one minimal trap space of
    137 free nodes has 18,984 candidate states, too many to walk one by one; 7 are left
    after 0.5 s of sweeps, and walks narrow them to one, where a forward search from a
    candidate took 43 s."""
    if stg.count(found) <= settings.max_reduced:
        return found
    was = stg.mgr.configure(reordering=False)["reordering"]
    try:
        swept = stg.swept_off(found, stg.mgr.false, stagnant=settings.stagnant_sweeps,
                              max_nodes=settings.sweep_nodes, target=settings.sweep_target,
                              resift=True, most=settings.max_reduced,
                              cheap=settings.cheap_sweeps)
    finally:
        stg.mgr.configure(reordering=was)
    if swept is None or swept[1] > settings.max_reduced:
        return None
    log.debug("%d candidate states swept down to %d", stg.count(found), swept[1])
    return swept[0]


def _measured(stg: AsyncSTG, row: Any, budget: Budget, settings: EngineSettings,
              detail: Detail) -> Any:
    """The only attractor of a minimal trap space, proven by walks to hold the state
    ``row`` (a one-row matrix over ``stg.free``), in the ``detail`` asked
    (:class:`Detail`): its forward set (no backward search needed), first tried for
    ``settings.measure_seconds`` for :attr:`Detail.STATES`; else, where walks from ``row``
    move every free node (the hull is the space), an :class:`Unmeasured` one, and the
    forward set without that limit where they do not."""
    if detail is Detail.COUNT:
        return Unmeasured(())
    start = stg.mgr.cube({n: bool(v) for n, v in zip(stg.free, row[0])})
    reached = [start]       # (a forward search cut short goes on from where it stood)
    if detail is not Detail.HULL and settings.measure_seconds > 0:
        turn = budget.child(timeout=settings.measure_seconds)
        stg.budget = turn
        try:
            return stg.forward(start, keep=reached)
        except BudgetExceeded:
            if budget.expired():
                raise
        finally:
            stg.budget = budget
    if all(_moves(stg, row[0], settings)):
        return Unmeasured(stg.free)
    return stg.forward(reached[0])


class Unmeasured:
    """An attractor proven to be the only one in its minimal trap space, whose states were
    not computed (beyond the BDDs in the time given); every free node of the space moves
    in it, so its hull is the space (none named: not sought, :attr:`Detail.COUNT`).

    Proof (:func:`narrowed`): each attractor holds a candidate state, a minimal trap space
    holds at least one attractor, and a candidate whose walk reaches another candidate lies
    in the attractor of that one, if in any; one candidate left means one attractor, and
    it holds that candidate and every state a walk from it visits.
    """

    __slots__ = ("nodes",)

    def __init__(self, nodes: Sequence[str]):
        self.nodes = tuple(nodes)

    def __repr__(self) -> str:
        return f"Unmeasured({len(self.nodes)} free nodes)"


def narrowed(stg: AsyncSTG, rows: Any, budget: Budget, settings: EngineSettings = DEFAULT,
             *, hull: bool = True, patience: int | None = None, tries: int = 1
             ) -> tuple[Any, Unmeasured | None]:
    """The candidate states of ``stg`` (a minimal trap space, percolated) narrowed down by
    coupled random walks (:func:`_reduce`): ``rows`` (a bool matrix over ``stg.free`` that
    meets every attractor; None: :func:`_listed_candidates`), less each whose walk
    met another kept walk or its row; the rows left still meet every attractor. Returns
    them (None: too many to walk) and, when one is left and its walk moved every free
    node, the attractor as :class:`Unmeasured`. ``rows`` as a list of lists (a few) are
    walked and returned as lists, without numpy.

    Without ``hull`` the walks stop as soon as one row is left (whatever they moved);
    ``patience``: the sweeps without a drop after which they stop (default ten times
    ``settings.stagnant``, or as many as had passed at the last drop). ``tries``: where
    more than one row is left, the walks run again from those, with other random
    choices, up to this many times in all (for a minimal trap space, which mostly holds
    one attractor: ``settings.walk_seeds``)."""
    free = list(stg.free)
    if rows is None:
        rows = _listed_candidates(stg, settings)
        if rows is None:
            return None, None
    else:
        rows = _distinct_rows(rows)
    if not len(rows) or len(rows) > settings.max_reduced or not stg.flip:
        return rows, None
    patience = 10 * settings.stagnant if patience is None else patience
    rows, moved = _reduce(stg, rows, budget, settings, hull, patience)
    for seed in range(1, tries):
        if len(rows) <= 1:
            break
        # the rows left still meet every attractor: walked again, other choices
        rows, moved = _reduce(stg, rows, budget, settings, hull, patience, seed)
    if hull and len(rows) == 1 and all(moved):
        return rows, Unmeasured(free)
    return rows, None


def _reduce(stg: AsyncSTG, x: Any, budget: Budget, settings: EngineSettings,
            hull: bool, patience: int, seed: int = 0) -> tuple[Any, Any]:
    """The walks of :func:`narrowed`: for each walk kept, the row it started from, or where
    it stands if it met another walk; and, with ``hull`` and one walk left (it stands in
    the only attractor), the nodes walks from there move (:func:`_moves`).

    The walks share their randomness (one order of the nodes and one coin per node and
    sweep), so two walks that meet stay together: coupled walks in one attractor tend to
    meet, where independent walks almost never visit each other's states. A walk leaves
    when it stands on the row another kept walk started from, or where another kept walk
    stands (the attractor holding it, if any, holds that walk's state). The rows returned
    meet every attractor ``x`` meets: a walk's state lies in every attractor its row and
    the rows of the walks it met lie in. A row is kept rather than the state (a forward
    search from a candidate state is often far quicker than from a state deep in the
    attractor) unless the walk met another.

    A few rows (given as lists, or at most ``settings.plain_walks``) walk as lists in plain
    Python (:meth:`OneWalk.sweep`: no tables to build, a few times quicker there, and no
    numpy for lists, which come back as lists); many walk on bit planes
    (:meth:`ManyWalks.sweep`)."""
    plain = isinstance(x, list) or len(x) <= settings.plain_walks
    step, keys, select = _coupled_walks(stg, plain, seed)
    rows = x.tolist() if plain and not isinstance(x, list) else x
    index = {key: i for i, key in enumerate(keys(rows))}
    alive = [True] * len(rows)
    met = [False] * len(rows)
    walk, owner = select(rows, alive), list(range(len(rows)))
    last = 0
    for sweep in range(1, settings.reduce_sweeps + 1):
        if len(owner) == 1:
            break
        if sweep % 16 == 0:
            budget.check()
        step(walk)
        seen: dict[Any, int] = {}
        for k, key in enumerate(keys(walk)):
            j = index.get(key)
            if key in seen:
                alive[owner[k]] = False
                met[owner[seen[key]]] = True
            elif j is not None and j != owner[k] and alive[j]:
                alive[owner[k]] = False
            else:
                seen[key] = k
        keep = [alive[o] for o in owner]
        if not all(keep):
            walk, owner, last = select(walk, keep), [o for o in owner if alive[o]], sweep
        if sweep - last > max(patience, last):
            break
    moved = _moves(stg, walk[0], settings) if hull and len(owner) == 1 else \
        [False] * len(stg.free)
    out = [list(walk[k]) if met[o] else list(rows[o]) for k, o in enumerate(owner)]
    if isinstance(x, list):
        return out, moved
    import numpy as np
    return np.array(out, dtype=bool).reshape(len(out), x.shape[1]), moved


def _moves(stg: AsyncSTG, row: Any, settings: EngineSettings) -> list[bool]:
    """The free nodes (a bool per node of ``stg.free``) that ``settings.hull_walks``
    independent random walks from the state ``row`` move; they stop once every node has
    moved, after ``settings.hull_sweeps`` sweeps, or when no node was seen to move for the
    first time in as many sweeps as had passed before (at least twice ``settings.stagnant``).
    A node that moves only in rare states is seen much sooner by many walks than by one.
    (No numpy: a model whose only search is this one starts quicker without it.)"""
    walker, rng = ManyWalks(stg), random.Random(0)
    mask = (1 << settings.hull_walks) - 1
    start = [mask if v else 0 for v in row]
    planes = list(start)
    moved = [False] * len(start)
    seen, last = 0, 0
    for sweep in range(1, settings.hull_sweeps + 1):
        if sweep % 16 == 0:
            stg.budget.check()
        walker.sweep(planes, mask, rng)
        for j, (p, s) in enumerate(zip(planes, start)):
            if not moved[j] and p != s:
                moved[j] = True
                seen, last = seen + 1, sweep
        if seen == len(moved) or sweep - last > max(2 * settings.stagnant, last):
            break
    return moved


def _coupled_walks(stg: AsyncSTG, plain: bool, seed: int = 0
                   ) -> tuple[Callable[[Any], None], Callable[[Any], list[Any]],
                              Callable[[Any, list[bool]], Any]]:
    """The coupled walks of :func:`_reduce`: one sweep (changing the walks in place), a
    hashable key per walk, and the walks kept by a list of bools (a copy). ``plain``:
    walks as lists of bools, moved by :meth:`OneWalk.sweep`; else rows of a bool matrix,
    moved on bit planes (:meth:`ManyWalks.sweep`). ``seed`` seeds their random choices."""
    if plain:
        walker, rng = OneWalk(stg), random.Random(seed)

        def sweep(walks: list[list[bool]]) -> None:
            walker.sweep(walks, rng)
        return (sweep, lambda walks: [tuple(w) for w in walks],
                lambda walks, keep: [list(w) for w, k in zip(walks, keep) if k])
    import numpy as np
    many, generator = ManyWalks(stg), random.Random(seed)

    def sweep_planes(x: Any) -> None:
        planes = many.planes(x)
        many.sweep(planes, (1 << len(x)) - 1, generator, coupled=True)
        x[:] = many.rows(planes, len(x))
    return (sweep_planes, lambda x: [r.tobytes() for r in np.packbits(x, axis=1)],
            lambda x, keep: x[np.array(keep, dtype=bool)])


def _search_space(where: AsyncSTG, budget: Budget, settings: EngineSettings,
                  rows: Any) -> Iterator[tuple[AsyncSTG, Any]]:
    """The attractors of ``where`` (a whole percolated space), from candidate ``rows``
    over ``where.free`` if given, else from its candidate states
    (:meth:`AsyncSTG.candidate_states`, every state when their BDD grows too large; more
    than ``settings.plain_walks`` of them: :meth:`AsyncSTG.fewer_candidates`).

    The candidates stay one BDD (:meth:`AsyncSTG.attractors_among`): a cube per candidate
    would keep thousands of diagrams alive through every reordering. Each candidate picked
    is first walked at random (a forward set from deep inside an attractor is that
    attractor, not most of the space).
    """
    mgr = where.mgr
    if rows is None:
        # many: each may cost a search, so fewer are sought (a few are searched from at
        # once; the choice can move them to states slower to search from)
        found = candidate_bdd(where, settings)
        if found is None:
            found = mgr.true
    else:
        was = mgr.configure(reordering=False)["reordering"]
        try:
            found = union(mgr, cubes(where, _distinct_rows(rows)))
        finally:
            mgr.configure(reordering=was)
    # one candidate lies in the only attractor: no walk deepens it (a forward search from
    # a candidate state is often far quicker than from a state deep in the attractor)
    deepen = None if where.count(found) == 1 else \
        deepener(where, settings.seed_sweeps, settings.small_space)
    for att in where.attractors_among(found, deepen=deepen):
        yield where, att


def deepener(stg: AsyncSTG, sweeps: int, small: int = 0) -> Callable[[Any], Any] | None:
    """A map from a state (a full cube of ``stg``) to where a random walk of ``sweeps``
    sweeps from it stands (a state it reaches); None where there is nothing to walk or
    ``stg`` has at most ``small`` free nodes (a forward set there is cheaper than the
    walk's set-up)."""
    if sweeps <= 0 or not stg.flip or len(stg.free) <= small:
        return None
    free = set(stg.free)
    walker: list[OneWalk] = []          # set up at the first call (often there is none)

    def deepen(cube: Any) -> Any:
        if not walker:
            walker.append(OneWalk(stg))
        values = {n: bool(v) for n, v in stg.mgr.pick(cube, care_vars=free).items()}
        return stg.mgr.cube(walker[0].end(values, sweeps))
    return deepen


class OneWalk:
    """Random asynchronous walks of ``stg``, one at a time, in plain Python (one walk is
    quicker this way than through arrays, and needs no numpy): each sweep visits the
    nodes that can move in a random order and moves each with probability 1/2 if its
    rule says so. Rules are read off their BDDs (:class:`BddCover`), a hundred times
    quicker than evaluating their formulas, and there for graphs built from BDDs alone."""

    def __init__(self, stg: AsyncSTG):
        from .primes import BddCover
        self.stg = stg
        self.pos = {n: i for i, n in enumerate(stg.free)}
        self.rules = {n: BddCover.from_bdd(stg.mgr, stg.f[n], self.pos) for n in stg.flip}

    def steps(self, values: dict[str, bool], sweeps: int, seed: int = 0
              ) -> Iterator[tuple[dict[str, bool], bool]]:
        """The states of one walk from ``values`` (a state over ``stg.free``) after each
        sweep, with whether any node could move; it ends at a fixed point or after
        ``sweeps``."""
        stg, pos, rules = self.stg, self.pos, self.rules
        rng = random.Random(seed)
        values = dict(values)
        row = [values[n] for n in stg.free]      # the same state by position
        movers = list(stg.flip)
        for sweep in range(sweeps):
            if sweep % 16 == 0:
                stg.budget.check()
            rng.shuffle(movers)
            active = False
            for n in movers:
                new = rules[n].value(row)
                if new != values[n]:
                    active = True
                    if rng.random() < 0.5:
                        values[n] = row[pos[n]] = new
            yield values, active
            if not active:
                return

    def sweep(self, rows: list[list[bool]], rng: random.Random) -> None:
        """One sweep of coupled walks (states over ``stg.free``, changed in place): the
        nodes that can move in one random order, each moved with probability 1/2 in every
        walk at once, if its rule says so (walks that meet stay together)."""
        pos, rules = self.pos, self.rules
        movers = list(self.stg.flip)
        rng.shuffle(movers)
        for n in movers:
            if rng.random() < 0.5:
                i, rule = pos[n], rules[n]
                for row in rows:
                    row[i] = rule.value(row)

    def end(self, values: dict[str, bool], sweeps: int, seed: int = 0) -> dict[str, bool]:
        """Where one walk from ``values`` stands after ``sweeps`` sweeps."""
        for values, _ in self.steps(values, sweeps, seed):
            pass
        return values

    def pins(self, spaces: Sequence[str]) -> list[list[tuple[str, bool]]]:
        """The values each subspace (a string in bit order) fixes on ``stg.free``."""
        return [[(n, c == "1") for n, c in zip(self.stg.net.names, space)
                 if c != "*" and n in self.pos] for space in spaces]

    def settles(self, values: dict[str, bool], pins: list[list[tuple[str, bool]]],
                sweeps: int) -> bool:
        """Whether a walk from ``values`` enters one of the subspaces ``pins``
        (:meth:`pins`) or reaches a fixed point within ``sweeps`` sweeps: :func:`unsettled`
        for one start."""
        for k, (state, moved) in enumerate(self.steps(values, sweeps)):
            if not moved:
                return True
            if k % 4 == 0 and any(all(state[n] == v for n, v in p) for p in pins):
                return True
        return False


#: random orders of the nodes that the sweeps of ManyWalks choose from
_ORDERS = 32
#: random draws per sweep of uncoupled walks (ManyWalks.sweep), and their pairs
_COIN_DRAWS = 8
_COIN_PAIRS = list(itertools.combinations(range(_COIN_DRAWS), 2))


class ManyWalks:
    """Random asynchronous walks of ``stg``, many at once in plain Python: the values of a
    node in every walk are one int (bit ``k``: walk ``k``), so a rule moves all the walks
    with a few integer operations per decision node of its BDD
    (:meth:`BddCover.planes`), where arrays cost a few calls per node and sweep whatever
    the number of walks (bbm/210: 80 sweeps of 302 walks, 0.19 s over arrays)."""

    def __init__(self, stg: AsyncSTG):
        one = OneWalk(stg)          # the same rules, read off their BDDs
        self.rules = [(one.pos[n], cover) for n, cover in one.rules.items()]
        self.one = one
        self._orders: list[list[tuple[int, Any]]] = []

    def pins(self, spaces: Sequence[str]) -> list[list[tuple[int, bool]]]:
        """The values each subspace (a string in bit order) fixes on ``stg.free``, by
        plane."""
        pos = self.one.pos
        return [[(pos[n], v) for n, v in pin] for pin in self.one.pins(spaces)]

    @staticmethod
    def inside(planes: Sequence[int], pins: list[list[tuple[int, bool]]], among: int) -> int:
        """The walks of ``among`` (bits) that stand in one of the subspaces ``pins``
        (:meth:`pins`): a few integer operations per value a subspace fixes."""
        hit = 0
        for pin in pins:
            found = among & ~hit
            for j, v in pin:
                found &= planes[j] if v else ~planes[j]
                if not found:
                    break
            hit |= found
        return hit

    @staticmethod
    def planes(x: Any) -> list[int]:
        """The columns of ``x`` (a bool matrix, a row per walk) as ints."""
        import numpy as np
        packed = np.ascontiguousarray(np.packbits(x, axis=0, bitorder="little").T)
        return [int.from_bytes(row.tobytes(), "little") for row in packed]

    @staticmethod
    def rows(planes: Sequence[int], m: int) -> Any:
        """The bool matrix of ``m`` rows whose columns are ``planes``: the inverse of
        :meth:`planes`."""
        import numpy as np
        width = (m + 7) // 8
        raw = b"".join(p.to_bytes(width, "little") for p in planes)
        bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8).reshape(len(planes), width),
                             axis=1, count=m, bitorder="little")
        return np.ascontiguousarray(bits.T, dtype=bool)

    def sweep(self, planes: list[int], mask: int, rng: random.Random,
              coupled: bool = False, greedy: int = 0) -> int:
        """One random sequential sweep of every walk (``planes``, changed in place; ``mask``:
        a bit per walk): the nodes that can move in a random order, each moved with
        probability 1/2 where its rule says so; returns the walks where some node could
        move. ``coupled``: one coin per node for every walk (walks that stand on the same
        state stay together), else one per walk; the walks of ``greedy`` (bits) move every
        node whose rule says so, each sweep a path through the nodes in their order."""
        # one of a few random orders of the nodes, drawn once: shuffling them again each
        # sweep took a quarter of the sweeps' time (bbm/207 with inputs free: 8 s of 30 s)
        if not self._orders:
            for _ in range(_ORDERS):
                order = list(self.rules)
                rng.shuffle(order)
                self._orders.append(order)
        order = self._orders[rng.randrange(_ORDERS)]
        m = mask.bit_length()
        # the coins of a node: two of a few draws of m bits each sweep, XORed (a draw of
        # 80,000 bits costs forty times an operation on them; each coin is still fair)
        pool = [] if coupled else [rng.getrandbits(m) for _ in range(_COIN_DRAWS)]
        active = 0
        for i, rule in order:
            change = rule.planes(planes, mask) ^ planes[i]
            if change:
                active |= change
                if coupled:
                    planes[i] ^= change if rng.random() < 0.5 else change & greedy
                else:
                    a, b = _COIN_PAIRS[rng.randrange(len(_COIN_PAIRS))]
                    planes[i] ^= change & ((pool[a] ^ pool[b]) | greedy)
        return active


def walked_one(stg: AsyncSTG, values: dict[str, bool], sweeps: int,
               seed: int = 0) -> dict[str, bool]:
    """Where one random walk from ``values`` (a state over ``stg.free``) stands after
    ``sweeps`` sweeps (:meth:`OneWalk.end`)."""
    return OneWalk(stg).end(values, sweeps, seed)


def settles(stg: AsyncSTG, values: dict[str, bool], spaces: list[str], sweeps: int) -> bool:
    """Whether a random walk from ``values`` (a state over ``stg.free``) enters one of the
    trap ``spaces`` or reaches a fixed point within ``sweeps`` sweeps
    (:meth:`OneWalk.settles`)."""
    walker = OneWalk(stg)
    return walker.settles(values, walker.pins(spaces), sweeps)


def outside_spaces(stg: AsyncSTG, spaces: list[str], known: Any, budget: Budget,
                   settings: EngineSettings = DEFAULT,
                   say: Callable[[str], None] = lambda msg: None, *,
                   listed_only: bool = False, list_beside: bool = True) -> Iterator[Any]:
    """The attractors outside the minimal trap ``spaces`` (every one of them, fixed points
    included, strings in bit order; ``known``: their union as a BDD of ``stg``).

    Their candidate states outside the spaces are listed by the solver, told to skip
    those inside (up to ``settings.max_avoided`` spaces), within a share of the time left:
    a few are searched from on the BDD (:func:`outside_direct`), more are walked first
    (:func:`outside`); too many, or not listed in time, stay one BDD searched from
    (:meth:`AsyncSTG.attractors_among`, each candidate walked first). With
    ``listed_only``, candidates not listed stop the search instead (BudgetExceeded, for a
    caller with a surer way to the answer). With ``settings.jobs`` above one, the listing
    runs in a forked copy beside the sweeps of their BDD (not with ``list_beside`` false:
    a copy that runs beside other work already). With more than ``settings.max_avoided``
    spaces (the solver cannot skip the candidates inside them), they are swept first
    where their BDD is built within ``settings.sweep_first_seconds``
    (:func:`outside_swept`).
    """
    # found before reordering is on: with the trap spaces' BDDs alive, the cofactors it
    # takes could set off reorderings of them all (30 s with 100,000 spaces)
    negative = stg.negative_feedback_vertex_set()
    stg.mgr.configure(reordering=True)
    # without a negative cycle every candidate is a fixed point: none lies outside
    listed: list[int] | None = []
    # the solver skips the candidates inside the trap spaces, and gives up above as many
    # as random walks would settle (with too many spaces to skip, above as many and a few
    # per space: bbm/004 under a condition has 85 million)
    avoidable = len(spaces) <= settings.max_avoided

    def listing(within: Budget) -> list[int] | None:
        start = time.perf_counter()
        try:    # listed within a share of the time left, else not listed
            listed = candidate_list(stg, within.child(share=settings.listing_share),
                                    settings.direct_candidates,
                                    avoid=spaces if avoidable else (),
                                    most=settings.max_candidates_listed
                                    + (0 if avoidable else 4 * len(spaces)))
        except BudgetExceeded:
            if within.expired():
                raise
            listed = None
        log.debug("candidate states %s in %.2f s", "not listed" if listed is None
                  else f"listed: {len(listed)}", time.perf_counter() - start)
        return listed

    swept: Iterator[Any] | None = None
    tried = False       # (the sweeps, beside the listing)
    if negative and list_beside and settings.jobs > 1 and can_fork() and not listed_only:
        # the listing raced beside the sweeps of their BDD, in a copy of this process:
        # too many to list, the sweeps lose no time waiting (bbm/004 under a condition:
        # 2.7 s to learn that 930 million are too many); listed, the sweeps stop
        def list_in_copy() -> list[int] | None:
            budget.mute()
            return listing(budget)

        with Beside(list_in_copy) as beside:
            def listed_beside() -> bool:
                return beside.answered() and beside.answer is not None

            was, stg.budget = stg.budget, budget.child(stop=listed_beside)
            try:
                swept = outside_swept(stg, known, spaces, settings, say)
                tried = True
            except BudgetExceeded:
                if not listed_beside():
                    raise
            finally:
                stg.budget = was
            if swept is not None:
                listed = None
            else:       # listed beside, or the sweeps gave up: the list, when it comes
                listed = beside.wait(budget.check)
    elif negative:
        # too many spaces for the solver to skip the candidates inside them: swept
        # first where their BDD is built soon (on the reduced network, most are: bbm/004
        # under a condition, 4 x 10^8 candidates in 0.4-1.6 s, where the solver gave up
        # listing them after 2.4-5.4 s), else listed. Where it skips them, it lists a few
        # hundred in hundredths of a second, where building their BDD can take seconds
        # (bbm/280's parts with inputs free: 543-978 in 0.03-0.04 s, against 1.3-2 s)
        if not avoidable:
            swept, tried = _swept_first(stg, known, spaces, settings, say)
            if swept is not None:
                yield from swept
                return
        listed = listing(budget)
    if listed is None and listed_only:
        raise BudgetExceeded(StopReason.LIMIT, what="candidate states not listed")
    if listed is None:
        # too many to list: their BDD swept forward, most leave for the trap spaces
        if not tried:
            swept = outside_swept(stg, known, spaces, settings, say)
        if swept is not None:
            yield from swept
            return
        # their BDD instead (its reorderings also fit the variable order to the rules,
        # which the backward search from the trap spaces then profits from)
        say("candidate states not listed: searched from on the BDD")
        seeds = stg.candidate_states(avoid=known, max_nodes=settings.max_seed_nodes)
        # each candidate picked is walked first: most walks end in a trap space, which
        # settles it without a search
        if seeds is None:      # (swept already: backward reachability alone is left)
            yield from _outside_backward(stg, known, say)
        else:
            yield from stg.attractors_among(seeds, known=known,
                                            deepen=deepener(stg, settings.seed_sweeps))
    elif len(listed) <= settings.direct_candidates:
        say(f"{len(listed)} candidate states: searched from on the BDD")
        yield from outside_direct(stg, listed, known, spaces, settings)
    else:
        # (those inside the spaces the solver skipped are not looked for again: on 79,199
        # candidates of a network of 157 nodes below bbm/280's inputs, 1.3 s)
        rows = candidates(stg, [] if avoidable else spaces, budget, listed)
        say(f"{len(rows)} candidate states outside the minimal trap spaces")
        yield from outside(stg, rows, known, spaces, settings, say)


def _swept_first(stg: AsyncSTG, known: Any, spaces: list[str], settings: EngineSettings,
                 say: Callable[[str], None]) -> tuple[Iterator[Any] | None, bool]:
    """``(attractors, tried)``: :func:`outside_swept` with the candidates' BDD given
    ``settings.sweep_first_seconds`` to build, where the nodes may be eliminated
    (``settings.eliminate``) and ``stg`` has ``settings.sweep_first_nodes`` free nodes or
    more; ``(None, False)`` where it was not built in time (nothing
    else was done), ``(None, True)`` where too many states were left after the sweeps."""
    if not (settings.eliminate and stg.rules and settings.sweep_first_seconds > 0
            and len(stg.free) >= settings.sweep_first_nodes):
        return None, False
    try:
        return outside_swept(stg, known, spaces, settings, say,
                             build_seconds=settings.sweep_first_seconds), True
    except BudgetExceeded:
        if stg.budget.expired():
            raise
        log.debug("candidate states not built within %.1f s: listed first",
                  settings.sweep_first_seconds)
        return None, False


def outside(stg: AsyncSTG, left: Any, known: Any, spaces: list[str],
            settings: EngineSettings = DEFAULT,
            say: Callable[[str], None] = lambda msg: None) -> Iterator[Any]:
    """The attractors outside ``known`` (a BDD: a union of trap spaces, with the fixed
    points) that hold one of the candidate states ``left`` (rows of a bool matrix over
    ``stg.free``; None: too many to list).

    Candidates are first walked at random (up to ``settings.max_walks`` of them; a walk
    that reaches one of ``spaces`` or a fixed point settles its start); up to
    ``settings.direct_candidates`` left are searched from one by one, each until it meets
    an attractor (:meth:`AsyncSTG.attractors_among`), up to ``settings.max_searched`` all
    at once (:func:`outside_by_candidates`);
    otherwise backward reachability from ``known`` decides: the states that cannot reach it
    form a trap set whose terminal SCCs are the attractors outside.
    """
    mgr = stg.mgr
    if left is None and known != mgr.false:
        swept = outside_swept(stg, known, spaces, settings, say)
        if swept is not None:
            yield from swept
            return
    if left is not None and len(left) and len(left) <= walks_at_once(settings):
        left = left[unsettled(stg, left, spaces, settings)]
        say(f"{len(left):,} of them not settled by random walks")
    if left is not None and len(left) <= min(settings.direct_candidates,
                                             settings.max_searched):
        # a few: each searched from until it meets an attractor, which ends early where
        # it reaches a trap space (bbm/004 under a condition: the one state walks left
        # settled in 21 s, where its whole forward set did not end)
        yield from _searched_among(stg, union(mgr, cubes(stg, left)), known, settings)
        return
    if left is not None and len(left) <= settings.max_searched:
        yield from outside_by_candidates(stg, left, known)
        return
    yield from _outside_backward(stg, known, say)


def _outside_backward(stg: AsyncSTG, known: Any,
                      say: Callable[[str], None] = lambda msg: None) -> Iterator[Any]:
    """The attractors outside ``known`` (a union of trap sets): the terminal SCCs of the
    states that cannot reach it (backward reachability from it)."""
    mgr = stg.mgr
    say("too many candidates: backward reachability from the trap spaces")
    rest = ~stg.backward(known) if known != mgr.false else mgr.true
    if rest != mgr.false:
        yield from stg.terminal_sccs(rest)


def swept_off_fixed_points(stg: AsyncSTG, settings: EngineSettings = DEFAULT,
                           say: Callable[[str], None] = lambda msg: None,
                           build_seconds: float | None = None, first: str = "downstream"
                           ) -> tuple[AsyncSTG, Any, Any] | None:
    """``(graph, left, fixed)``: states that together meet every attractor of ``stg`` that
    is not a fixed point, and the fixed points, as BDDs of ``graph`` (``stg`` in a manager
    of its own); None when more than ``settings.max_walks`` are left (as
    :func:`swept_candidates`, with the fixed points for ``known``).

    The fixed points are found among the candidates (every fixed point is one), in their
    manager: the network's own manager, reordered for other diagrams, can take far
    longer to build them (bbm/083 with inputs free: more than 40 s). Inputs never change,
    so with inputs free every combination of their values is swept at once (bbm/144,
    202 nodes with 56 inputs: 9 x 10^27 candidates that are not fixed points, none left
    after 12 sweeps). ``build_seconds``: the most the candidates may take to build
    (BudgetExceeded after them); ``first``: the variable order tried first for them
    (:func:`_raced_candidates`)."""
    return swept_candidates(stg, None, settings, say, build_seconds, first)


def swept_candidates(stg: AsyncSTG, known: Any, settings: EngineSettings = DEFAULT,
                     say: Callable[[str], None] = lambda msg: None,
                     build_seconds: float | None = None, first: str = "downstream",
                     walked: bool = False) -> tuple[AsyncSTG, Any, Any] | None:
    """``(graph, left, known)``: states that together meet every attractor outside
    ``known`` (a union of trap sets; None: the fixed points, found among the candidates),
    and ``known``, as BDDs of ``graph``, the graph the candidates were built in (``stg``
    in a manager of its own, :func:`_raced_candidates`; ``known`` copied in once they
    are built); None when more than ``settings.max_walks`` are left.

    The candidate states outside ``known`` (:meth:`AsyncSTG.candidate_states`) meet every
    such attractor. Swept forward all at once (:meth:`AsyncSTG.swept`, the nodes in a
    seeded random order each sweep), each stays in the attractors it meets, and those
    that enter ``known`` leave; most enter it within a few sweeps. Sweeps stop once
    ``settings.sweep_target`` states are left or ``settings.stagnant_sweeps`` in a row
    drop none; a BDD past ``settings.sweep_nodes`` nodes gives None too. ``walked``: the
    states left go to random walks (:func:`unsettled`), which take over from the sweeps
    once they cost more than the walks would (``settings.walk_seconds``, ``walk_floor``).
    """
    start = time.perf_counter()
    budget = stg.budget
    if build_seconds is not None:
        stg.budget = budget.child(cutoff=build_seconds)
    try:
        raced = _raced_candidates(stg, settings, first)
    finally:
        stg.budget = budget
    if raced is None:
        return None
    where, seeds = raced
    where.budget = budget       # (it was built under the budget of the build)
    was = where.mgr.configure(reordering=False)["reordering"]
    if known is None:       # the fixed points, all candidates
        known_there = seeds
        for can in where.flip.values():
            where.budget.check()
            known_there &= ~can
    elif where is not stg:
        known_there = stg.mgr.copy(known, where.mgr)     # (into the order it has now)
    else:
        known_there = known
    where.mgr.configure(reordering=was)
    seeds &= ~known_there
    left = where.count(seeds)
    log.debug("%d candidate states outside, a BDD of %d nodes, in %.2f s", left,
              seeds.dag_size, time.perf_counter() - start)
    say(f"{left:,} candidate states outside the minimal trap spaces: swept forward")
    # without reordering inside a sweep, sifted again once the BDD doubles: automatic
    # reorderings during the first sweeps cost most of their time (bbm/004 under a
    # condition: 28 s for three sweeps, against 7 s)
    was = where.mgr.configure(reordering=False)["reordering"]
    try:
        swept = where.swept_off(seeds, known_there, stagnant=settings.stagnant_sweeps,
                                max_nodes=settings.sweep_nodes,
                                target=settings.sweep_target, resift=True,
                                most=walks_at_once(settings), cheap=settings.cheap_sweeps,
                                per_state=settings.walk_seconds / max(1, settings.jobs)
                                if walked else 0.0,
                                floor=settings.walk_floor)
    finally:
        where.mgr.configure(reordering=was)
    if swept is None:
        return None
    seeds, left = swept
    log.debug("%d states left after the sweeps, in %.2f s", left, time.perf_counter() - start)
    say(f"{left:,} states left after the sweeps")
    if left > walks_at_once(settings):
        return None
    return where, seeds, known_there


def _raced_candidates(stg: AsyncSTG, settings: EngineSettings = DEFAULT,
                      first: str = "downstream") -> tuple[AsyncSTG, Any] | None:
    """:meth:`AsyncSTG.candidate_states` (bottom-up, up to ``settings.sweep_nodes``
    nodes), as ``(graph, BDD)``, built in a manager of its own from the downstream, then
    the upstream order of the interaction graph, in turn (None: the BDD grew too large).
    Each try takes up the build where the last try of its order stopped, so the orders
    are given the same time, ``settings.candidate_seconds`` each, then twice that each,
    and so on: the order that needs the least is done after at most about twice its
    time (bbm/004 under a condition: the downstream order stopped at 6 s, the upstream
    one at 12 s, then the downstream one was built from scratch again in 6.7 s; taken up
    where it stopped, it was done in 1 s).

    With reordering on, the time this build takes swings tenfold with the order it starts
    from and with the diagrams alive beside it (bbm/004 under a condition: 4 to 90 s, in
    the network's manager after the searches of the trap spaces), so none is trusted for
    long; in a new manager, the time of each order is the same from run to run (bbm/004:
    4 s downstream, 75 s upstream; bbm/079: 4 s and 1.5 s). With inputs free, their
    values on top (upstream) tend to serve better (bbm/239 with inputs free, a part of 184
    nodes with 53 inputs: 4 s upstream, not built in 6 s downstream; bbm/144: 1.3 s either
    way, the sweeps 1.5 s against 3.8 s). A graph with no rules
    (:meth:`AsyncSTG.of_functions`) is tried in its own manager, sifted.
    """
    from ..bdd import sift
    budget = stg.budget
    orders: list[str | None] = [first, "upstream" if first == "downstream" else "downstream"
                                ] if stg.rules else [None]
    graphs: dict[str | None, AsyncSTG] = {}
    for k in itertools.count():
        began = time.perf_counter()
        order = orders[k % len(orders)]
        seconds = settings.candidate_seconds * 2 ** (k // len(orders))
        if order in graphs:     # taken up where its last try stopped
            where = graphs[order]
        elif order is None:
            where = graphs[order] = stg
            sift(stg.mgr)
        else:
            where = graphs[order] = stg.with_order(order)
            where.mgr.configure(reordering=True)
        # a try stopped with most conditions conjoined goes on for half its time more
        # (bbm/004 under the condition of benchmarks/run.py --seed 0: the downstream
        # order stopped at 150 of 179, 0.04 s from done, and the upstream one took 6 s
        # before it was taken up again)
        for turn in (seconds, seconds / 2):
            where.budget = budget.child(timeout=turn)
            try:
                seeds = where.candidate_states(max_nodes=settings.sweep_nodes, upward=True,
                                               resume=True)
                log.debug("candidate states %s in %.1f s from the %s order",
                          "built" if seeds is not None else "too large",
                          time.perf_counter() - began, order or "sifted")
                return None if seeds is None else (where, seeds)
            except BudgetExceeded:
                if budget.expired():
                    raise
            finally:
                where.budget = budget
            if where.candidates_built < settings.candidates_nearly:
                break
        log.debug("candidate states not built in %.1f s from the %s order (%.0f %% of "
                  "the conditions)", time.perf_counter() - began, order or "sifted",
                  100 * where.candidates_built)
    raise AssertionError("unreachable")


def outside_swept(stg: AsyncSTG, known: Any, spaces: list[str],
                  settings: EngineSettings = DEFAULT,
                  say: Callable[[str], None] = lambda msg: None,
                  build_seconds: float | None = None) -> Iterator[Any] | None:
    """The attractors outside ``known`` (a union of the trap ``spaces``, with their
    attractors known), from the states the candidates are swept to
    (:func:`swept_candidates`), listed and walked (:func:`outside`); None when too many
    are left for that (then nothing was searched). Walks settle the states left quicker
    than searches from them on the BDD (bbm/079 under a condition: 1,632 states in 7 s,
    against 21 s for 64 of them). ``build_seconds``: the most the candidates' BDD may
    take to build (BudgetExceeded after them)."""
    graph, known_in, lift = _eliminated(stg, known, settings)
    swept = swept_candidates(graph, known_in, settings, say, build_seconds, walked=True)
    if swept is None:
        return None
    # (read where they were swept, over the same nodes: copying a BDD of 86,000 nodes
    # back took 3.7 s)
    where, seeds, known_there = swept
    reduced = state_rows(where, seeds)
    rows = lift(reduced)
    if len(rows) > settings.sweep_target:
        # handed over to the walks before the sweeps were done: the few states the walks
        # leave are the ones furthest from the trap spaces, and are swept on, as they
        # would have been (bbm/004 under a condition: 3,358 states handed over, 9 left by
        # the walks; searched from one by one, they took 122 s)
        left = unsettled(stg, rows, spaces, settings)
        rows, reduced = rows[left], reduced[left]
        say(f"{len(rows):,} of them not settled by random walks: swept on")
        if len(rows):
            was = where.mgr.configure(reordering=False)["reordering"]
            try:
                again = where.swept_off(union(where.mgr, cubes(where, reduced)),
                                        known_there, stagnant=settings.stagnant_sweeps,
                                        max_nodes=settings.sweep_nodes, resift=True)
            finally:
                where.mgr.configure(reordering=was)
            if again is None:
                return None
            reduced = state_rows(where, again[0])
            rows = lift(reduced)
    if graph is stg:
        return outside(stg, rows, known, spaces, settings, say)
    return _outside_lifted(stg, where, reduced, rows, known, known_there, spaces, settings,
                           say, lift)


def _outside_lifted(stg: AsyncSTG, where: AsyncSTG, reduced: Any, rows: Any, known: Any,
                    known_there: Any, spaces: list[str], settings: EngineSettings,
                    say: Callable[[str], None], lift: Callable[[Any], Any]) -> Iterator[Any]:
    """The attractors of ``stg`` outside ``known`` from the states the sweeps left on a
    reduced network (``where``, :func:`_eliminated`): ``reduced`` (rows over its free
    nodes) and ``rows`` (the same, lifted), such that every attractor outside ``known``
    holds the lift of one of them.

    They are walked in ``stg`` first (a walk that reaches a space drops its state). The
    rest are searched from on the reduced network, where a search is far cheaper: a state
    whose lift lies in an attractor ``A`` can only reach states whose lifts lie in ``A``
    (:mod:`~logicbone.analysis.reduction`), so each attractor it reaches there lifts into
    ``A`` whole, and ``A`` is then searched from one lifted state in ``stg``. One found
    there whose lift reaches ``known`` in ``stg`` stands for no attractor (bbm/004 under
    seed 5 of ``benchmarks/run.py``: 3 states the walks left; searched from in ``stg``
    they took more than 50 s)."""
    if len(rows) and len(rows) <= walks_at_once(settings):
        left = unsettled(stg, rows, spaces, settings)
        rows, reduced = rows[left], reduced[left]
        say(f"{len(rows):,} of them not settled by random walks")
    if not len(rows):
        return
    false = stg.mgr.false
    seeds = union(where.mgr, cubes(where, reduced))
    found = known
    # (the walks in ``stg`` may have dropped states of attractors of the reduced network
    # that stand for none: what is found there is checked to be an attractor, so that a
    # state that reaches it reaches the whole of it)
    for there in _searched_among(where, seeds, known_there, settings, meets_all=False):
        one = lift(state_rows(where, where.pick(there)))
        start = cubes(stg, one)[0]
        if start & found != false:
            continue
        for att in _searched_among(stg, start, found, settings):
            yield att
            found = found | att


def _eliminated(stg: AsyncSTG, known: Any, settings: EngineSettings
                ) -> tuple[AsyncSTG, Any, Callable[[Any], Any]]:
    """``(graph, known there, lift)``: the graph of ``stg`` with the nodes
    :func:`~logicbone.analysis.reduction.eliminated` that its rules let go, ``known`` (a
    union of trap sets of ``stg``) projected onto it, and the function that lifts rows
    over its free nodes to rows over ``stg.free``. States there that meet every attractor
    outside the projection lift to states that meet every attractor of ``stg`` outside
    ``known`` (:mod:`~logicbone.analysis.reduction`). ``stg`` itself where none goes, or
    where it has no rules (a graph of BDDs alone)."""
    def same(rows: Any) -> Any:
        return rows

    if not stg.rules or not settings.eliminate:
        return stg, known, same
    from .reduction import eliminated
    cut = eliminated(stg.rules)
    if not cut.eliminated or not cut.kept:
        return stg, known, same
    start = time.perf_counter()
    graph = AsyncSTG(Network(cut.kept, cut.rules), budget=stg.budget)
    columns, order = list(graph.free), list(stg.free)

    def lift(rows: Any) -> Any:
        return cut.lift_rows(rows, columns, graph.fixed, order)

    mgr = stg.mgr
    was = mgr.configure(reordering=False)["reordering"]
    try:
        projected = mgr.exist([n for n, _ in cut.eliminated], known)
        if graph.fixed:     # (a rule written into another may be constant)
            projected = mgr.let(graph.fixed, projected)
    finally:
        mgr.configure(reordering=was)
    known_there = mgr.copy(projected, graph.mgr)
    log.debug("%d of %d nodes eliminated, %d left free, in %.2f s", len(cut.eliminated),
              len(stg.free), len(graph.free), time.perf_counter() - start)
    return graph, known_there, lift


def _searched_among(stg: AsyncSTG, seeds: Any, known: Any,
                    settings: EngineSettings, meets_all: bool = True) -> Iterator[Any]:
    """The attractors outside ``known`` that meet ``seeds`` (a BDD of a few states), each
    seed walked a little, then searched from until it meets an attractor: for a few,
    cheaper than the backward search of the whole space from them all. ``meets_all``
    false: the seeds need not meet every attractor outside ``known``, and one is yielded
    only once checked to be one (:meth:`AsyncSTG.attractors_among`)."""
    mgr = stg.mgr
    if seeds == mgr.false:
        return
    was = mgr.configure(reordering=False)["reordering"]
    try:
        yield from stg.attractors_among(seeds, known=known,
                                        deepen=deepener(stg, settings.seed_sweeps),
                                        basins_above=stg.count(seeds),
                                        meets_all=meets_all)
    finally:
        mgr.configure(reordering=was)


def _distinct(a: Any) -> Any:
    """The sorted distinct values of a 1-D array, found by sorting (unlike ``np.unique``,
    this does not load numpy.ma, a noticeable share of a small command's start-up)."""
    import numpy as np
    a = np.sort(np.asarray(a).ravel())
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def _distinct_rows(x: Any) -> Any:
    """The distinct rows of a 2-D bool matrix (or of a list of lists), in lexicographic
    order."""
    if len(x) < 2:
        return x
    if isinstance(x, list):
        return [list(row) for row in sorted({tuple(map(bool, row)) for row in x})]
    import numpy as np
    packed = np.packbits(np.ascontiguousarray(x, dtype=bool), axis=1)
    order = np.lexsort(packed.T[::-1])
    packed = packed[order]
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.any(packed[1:] != packed[:-1], axis=1, out=keep[1:])
    return x[order[keep]]


def candidate_list(stg: AsyncSTG, budget: Budget, few: int = 0, *,
                   avoid: Sequence[str] = (), most: int | None = None) -> list[int] | None:
    """The candidate states (:meth:`AsyncSTG.candidate_states`) as ints over every node of
    the network; found by the fixed-point solver on the retained network.

    First they are counted, up to ``few`` + 1 (or ``most`` + 1), by a solver program that
    shows only a feedback vertex set (its values determine the rest; reading a value per
    node would cost more than the solve: bbm/210, 302 candidates, 0.12 s against 0.01 s),
    four of them to a number (reading a model costs per number shown: 79,199 candidates
    of a network of 157 nodes below bbm/280's inputs, 42 in the set, read in 1.4 s, 3.8 s
    with one to a number; the solver evaluates 2^4 conditions per number and model):
    when there are no more than ``few``, they are read off it without numpy (a small
    command's start-up); otherwise the same program, or the fixed-point engine, lists
    them all.

    With ``avoid`` (subspaces in bit order, such as the minimal trap spaces), only the
    candidates outside all of them are listed, the solver told to skip the others; with
    ``most``, None is returned as soon as more than ``most`` are found (too many to be
    searched from one by one: they are better kept as one BDD).
    """
    from .fixed_points import fixed_points
    if any("0" not in space and "1" not in space for space in avoid):
        return []                                   # the whole space avoided
    retained = stg.retained_network()
    if avoid or few or most is not None:
        # one program: a feedback vertex set shown (it determines the rest), enough to
        # count them, to read a few without numpy and to list many
        oracle = FixedPointOracle(retained, chunk=4, avoid=avoid, determined=True)
        unlimited = _unlimited(budget)
        seen, read = oracle.count_reading([], few if most is None else max(few, most),
                                          unlimited, few)
        if read is not None:
            return oracle.states(read)
        if most is not None and seen > most:
            return None
        if avoid or most is not None:
            import numpy as np
            x = oracle.rows(oracle.solve([], None, unlimited))
            raw = np.packbits(x, axis=1, bitorder="little").tobytes()
            width = (x.shape[1] + 7) // 8
            return [int.from_bytes(raw[k:k + width], "little")
                    for k in range(0, len(raw), width)] if width else [0] * len(x)
    res = fixed_points(retained, budget=_unlimited(budget))
    if not res.complete:
        raise BudgetExceeded(res.reason or StopReason.TIMEOUT,
                             what="candidate states not all found")
    return list(res.states)


def candidates(stg: AsyncSTG, spaces: list[str], budget: Budget,
               states: list[int] | None = None) -> Any:
    """The candidate states (:meth:`AsyncSTG.candidate_states`) outside the ``spaces``, as
    rows of a bool matrix over ``stg.free``; found by the fixed-point solver on the
    retained network (unless listed already: ``states``, from :func:`candidate_list`)."""
    import numpy as np
    if states is None:
        states = candidate_list(stg, budget)
        assert states is not None
    names = stg.net.names
    width = (len(names) + 7) // 8
    raw = b"".join(state.to_bytes(width, "little") for state in states)
    bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8).reshape(len(states), width),
                         axis=1, count=len(names), bitorder="little").astype(bool)
    index = {n: i for i, n in enumerate(names)}
    x = bits[:, [index[n] for n in stg.free]]
    return x[~Membership(spaces, names, list(stg.free))(x)] if spaces else x


def state_list(stg: AsyncSTG, u: Any) -> list[list[bool]]:
    """The states of ``u`` (a BDD of ``stg``) as lists of bools over ``stg.free``."""
    free = list(stg.free)
    return [[bool(a[n]) for n in free] for a in stg.mgr.pick_iter(u, care_vars=set(free))]


def state_rows(stg: AsyncSTG, u: Any) -> Any:
    """The states of ``u`` (a BDD of ``stg``) as rows of a bool matrix over ``stg.free``:
    the inverse of :func:`cubes`."""
    from ..bdd import assignments
    return assignments(stg.mgr, u, list(stg.free), stg.budget.check)


def cubes(stg: AsyncSTG, x: Any) -> list[Any]:
    """The rows of a bool matrix over ``stg.free`` as BDD cubes."""
    mgr = stg.mgr
    return [mgr.cube(dict(zip(stg.free, map(bool, row)))) if stg.free else mgr.true
            for row in x]


def outside_direct(stg: AsyncSTG, states: list[int], known: Any,
                   spaces: list[str] | None = None,
                   settings: EngineSettings = DEFAULT) -> Iterator[Any]:
    """The attractors outside ``known`` (a BDD: a union of trap sets, with their attractors
    known) that hold one of a few candidate ``states`` (ints over every node), searched
    from them on the BDD (:meth:`AsyncSTG.attractors_among`), each until it meets an
    attractor, without numpy while none lies outside ``known``.

    With ``spaces`` (the trap spaces ``known`` is made of, strings in bit order), the
    candidates outside are first walked at random (:func:`unsettled`): a walk that enters
    one of them settles its start without a search.
    """
    mgr = stg.mgr
    index = {n: i for i, n in enumerate(stg.net.names)}
    bits = [(n, index[n]) for n in stg.free]
    seeds = [mgr.cube({n: bool(s >> i & 1) for n, i in bits}) if bits else mgr.true
             for s in states]
    outside = [k for k, c in enumerate(seeds) if c & known == mgr.false]
    if outside and spaces is not None and bits and len(spaces) <= settings.pinned_spaces:
        # walked at once on bit planes, without numpy (bbm/178 under a condition: 9
        # candidates outside, numpy's import was a fifth of the whole command)
        left = unsettled_few(stg, [states[k] for k in outside], bits, spaces, settings)
        outside = [outside[k] for k in left]
    if outside and spaces is not None and bits:
        # those left walked again over arrays, copied when they stagnate (bbm/204 under a
        # condition: one of three candidates left by the plain walks, settled there; the
        # search from it took 17 s)
        import numpy as np
        rows = np.array([[bool(states[k] >> i & 1) for _, i in bits] for k in outside],
                        dtype=bool)
        outside = [outside[k] for k in unsettled(stg, rows, spaces, settings)]
    seeds = [seeds[k] for k in outside]
    if seeds:
        yield from _searched_among(stg, union(mgr, seeds), known, settings)


def outside_by_candidates(stg: AsyncSTG, left: Any, known: Any) -> Iterator[Any]:
    """The attractors that hold one of the candidate states ``left`` and lie outside
    ``known`` (a BDD: a union of trap spaces).

    ``F`` is the set of states the candidates reach without entering ``known``, ``B`` the
    states of ``F`` that can reach ``known``. ``F`` minus ``B`` is a trap set (a step out of
    it would lead into ``known`` or into ``B``), and it holds every attractor outside
    ``known``, since each holds a candidate; its terminal SCCs, searched from the
    candidates in it, are the new attractors.
    """
    mgr = stg.mgr
    seeds = [c for c in cubes(stg, left) if c & known == mgr.false]
    if not seeds:
        return
    reach = stg.forward(union(mgr, seeds), within=~known)
    rest = reach & ~stg.backward(known, within=reach)
    if rest != mgr.false:
        yield from stg.terminal_sccs(rest, seeds=seeds)


def _core_tree(cores: list[list[tuple[int, bool]]], width: int) -> Any:
    """The values ``cores`` fix (lists of ``(column, value)``), shared as a tree: a node
    is ``(values, ends, children)``, the values every core below it fixes that its parent
    has not matched yet, the indices of the cores matched in full there, and the nodes
    below. Each child takes the cores that fix the value most of the node's open cores
    fix, the next child the most common among the rest, and so on. Walks are matched to
    a shared value once instead of once per core: bbm/004 under a condition, 143 groups
    of minimal trap spaces whose cores fix 108-159 values (37 alike in all): 2,010
    operations on bit planes instead of 19,612."""
    import numpy as np
    fixes = np.zeros((len(cores), 2 * width), dtype=bool)   # column j, value v: 2j + v
    for g, core in enumerate(cores):
        for j, v in core:
            fixes[g, 2 * j + v] = True
    root: list[Any] = []
    work = [(root, np.arange(len(cores)), np.zeros(2 * width, dtype=bool))]
    while work:
        node, at, matched = work.pop()
        open_ = fixes[at] & ~matched
        common = open_.all(axis=0)
        matched = matched | common
        open_ &= ~common
        going = open_.any(axis=1)
        children: list[Any] = []
        node.extend(([(int(k) // 2, bool(k % 2)) for k in np.flatnonzero(common)],
                     at[~going].tolist(), children))
        at, open_ = at[going], open_[going]
        while len(at):
            has = open_[:, int(open_.sum(axis=0).argmax())]
            child: list[Any] = []
            children.append(child)
            work.append((child, at[has], matched))
            at, open_ = at[~has], open_[~has]
    return root


def _set_bits(x: int) -> Any:
    """The positions of the bits set in ``x`` (an int >= 0), ascending, as an int64 array:
    only the bytes that hold some are unpacked (a check of many walks against the groups
    of :class:`Membership` reads a sparse int per group)."""
    import numpy as np
    raw = np.frombuffer(x.to_bytes((x.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    at = np.flatnonzero(raw)
    bits = np.unpackbits(raw[at, None], axis=1, bitorder="little").view(bool)
    return (at[:, None] * 8 + np.arange(8))[bits]


class Membership:
    """Which rows of a bool matrix (columns: the free nodes) lie in which of some subspaces.

    Subspaces are grouped by their fixed columns. In each group, the values every member
    fixes alike (its core) are matched first on bit planes, a bit per row, a few integer
    operations per column, most rows dropping out within a few columns; only the rows
    left have their values on the columns where the members differ packed into a 64-bit
    key (a hash above 63 columns, then checked exactly) and looked up in the sorted keys
    of the group's spaces. bbm/004 under a condition: 289,024 minimal trap spaces in 229
    groups that fix 171-215 values alike and differ on at most 22; 163,000 rows took
    110 s when every row was keyed on every fixed column of every group. The cores of
    the groups share most of their values: they are matched on a tree of the values
    (:func:`_core_tree`), each value once for all the groups below it.

    Calling it gives a bool per row (in some space); :meth:`which` gives the index of a
    space holding the row, or -1; :meth:`inside` the same as bits, on bit planes.
    """

    def __init__(self, spaces: list[str], names: tuple[str, ...], free: list[str]):
        import numpy as np
        col = {n: j for j, n in enumerate(free)}
        at = [(i, col[n]) for i, n in enumerate(names) if n in col]
        self.groups = []
        if not spaces:
            return
        # the spaces as a matrix of characters over the free columns (a string each,
        # shorter ones free at the end): 152,092 spaces of 187 nodes in 1.3 s, where a
        # loop over their characters took 4.3 s
        width = len(names)
        text = np.frombuffer("".join(s.ljust(width, "*") for s in spaces).encode("ascii"),
                             dtype=np.uint8).reshape(len(spaces), width)
        text = text[:, [i for i, _ in at]]
        stars = text == ord("*")
        # the spaces grouped by their free columns: sorted on those, packed into 64-bit
        # words (np.unique over the rows of bytes took 1.5 s for 289,024 spaces)
        packed = np.packbits(stars, axis=1, bitorder="little")
        packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
        words = np.ascontiguousarray(packed).view("<u8")
        by_label = (np.lexsort(words.T[::-1]) if words.shape[1]
                    else np.arange(len(words)))
        ordered = words[by_label]
        starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
        columns = np.array([j for _, j in at], dtype=np.int64)
        rng = np.random.default_rng(12345)
        # the groups in the order of their first space
        for start, end in sorted(zip(starts, np.r_[starts[1:], len(by_label)]),
                                 key=lambda se: by_label[se[0]]):
            members = by_label[start:end]
            fixed = ~stars[members[0]]
            vals = text[members][:, fixed] == ord("1")
            alike = (vals == vals[0]).all(axis=0)
            core = [(int(j), bool(v)) for j, v in zip(columns[fixed][alike], vals[0][alike])]
            cols, vals = columns[fixed][~alike], vals[:, ~alike]
            if len(cols) <= 63:
                weights = np.left_shift(np.uint64(1), np.arange(len(cols), dtype=np.uint64))
                exact = True
            else:
                weights = rng.integers(1, 2**63, size=len(cols), dtype=np.uint64)
                exact = False
            keys = self._keys(vals, weights)
            order = np.argsort(keys)
            self.groups.append((core, cols, weights, keys[order], vals[order],
                                members[order], exact))
        self.tree = _core_tree([g[0] for g in self.groups], len(free))

    @staticmethod
    def _keys(x, weights):
        import numpy as np
        if x.shape[1] <= 63:    # weights 2^j: the bits packed, read as one word
            packed = np.zeros((len(x), 8), dtype=np.uint8)
            bits = np.packbits(x, axis=1, bitorder="little")
            packed[:, :bits.shape[1]] = bits
            return packed.view("<u8").ravel().astype(np.uint64)
        with np.errstate(over="ignore"):
            return (x.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)

    def _found(self, planes: Sequence[int], among: int, rows: Callable[[Any, Any], Any]
               ) -> Iterator[tuple[Any, Any]]:
        """Per group, the rows of ``among`` (bits) in one of its spaces and those spaces'
        indices: the rows matching the group's core on ``planes``, then keyed (``rows``:
        the bool matrix of some row indices and columns)."""
        import numpy as np
        if not self.groups:
            return
        stack = [(self.tree, among)]
        while stack:
            (values, ends, children), found = stack.pop()
            for j, v in values:
                found &= planes[j] if v else ~planes[j]
                if not found:
                    break
            if not found:
                continue
            stack.extend((child, found) for child in reversed(children))
            for g in ends:
                yield self._keyed(self.groups[g], found, rows)

    def _keyed(self, group: tuple[Any, ...], found: int, rows: Callable[[Any, Any], Any]
               ) -> tuple[Any, Any]:
        """The rows of ``found`` (bits: rows that match the core of ``group``) in one of its
        spaces, and those spaces' indices."""
        import numpy as np
        _, cols, weights, keys, vals, members, exact = group
        idx = _set_bits(found)
        sub = rows(idx, cols)
        k = self._keys(sub, weights)
        pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        hit = keys[pos] == k
        if not exact:    # a 64-bit hash matched: compare the values themselves
            at = np.flatnonzero(hit)
            hit[at] = (vals[pos[at]] == sub[at]).all(axis=1)
        return idx[hit], members[pos[hit]]

    def which(self, x: Any) -> Any:
        import numpy as np
        out = np.full(len(x), -1, dtype=np.int64)
        if not len(x):
            return out
        planes = ManyWalks.planes(x)
        for idx, spaces in self._found(planes, (1 << len(x)) - 1,
                                       lambda idx, cols: x[np.ix_(idx, cols)]):
            out[idx] = spaces
        return out

    def inside(self, planes: Sequence[int], among: int, m: int) -> int:
        """The rows of ``among`` (bits) that lie in one of the spaces, as bits: ``m`` rows
        given as bit planes, a plane per column."""
        import numpy as np
        hit = np.zeros(m, dtype=bool)
        width = (m + 7) // 8
        column: dict[int, Any] = {}      # the planes read as bools, each when first asked

        def rows(idx: Any, cols: Any) -> Any:
            for j in cols:
                if j not in column:
                    raw = np.frombuffer(planes[j].to_bytes(width, "little"), dtype=np.uint8)
                    column[j] = np.unpackbits(raw, count=m, bitorder="little").view(bool)
            if not len(cols):
                return np.zeros((len(idx), 0), dtype=bool)
            return np.stack([column[j][idx] for j in cols], axis=1)
        for idx, _ in self._found(planes, among, rows):
            hit[idx] = True
        return int.from_bytes(np.packbits(hit, bitorder="little").tobytes(), "little")

    def __call__(self, x):
        return self.which(x) >= 0


#: most trap spaces a walk is found in on the bit planes (:func:`unsettled`); more are
#: looked up in a table of their values
_PINNED_SPACES = 64


def unsettled_few(stg: AsyncSTG, states: list[int], bits: list[tuple[str, int]],
                  spaces: list[str], settings: EngineSettings = DEFAULT,
                  sweeps: int = 5000, seed: int = 0) -> list[int]:
    """:func:`unsettled` for a few start ``states`` (ints over every node; ``bits``: the
    bit of each node of ``stg.free``), in plain Python: the walks move on bit planes
    (:class:`ManyWalks`), and a walk in one of the trap ``spaces`` is read off the planes
    (a few integer operations per value a space fixes); no copies of the walks are made
    when they stagnate. Returns the indices of the states not settled."""
    walker, rng = ManyWalks(stg), random.Random(seed)
    m = len(states)
    mask = (1 << m) - 1
    planes = [sum(1 << k for k, s in enumerate(states) if s >> i & 1) for _, i in bits]
    pins = walker.pins(spaces)
    settled, best, since = 0, 0, 0
    for sweep in range(sweeps + 1):
        if sweep % 4 == 0:
            stg.budget.check()
            settled |= walker.inside(planes, pins, mask & ~settled)
            done = settled.bit_count()
            if done == m:
                break
            if done > best:
                best, since = done, 0
            elif since >= settings.stagnant:
                break
        since += 1
        settled |= mask & ~walker.sweep(planes, mask, rng)    # (on a fixed point)
    return [k for k in range(m) if not settled >> k & 1]


#: the fewest start states per process where walks are shared out to forked copies
_WALKS_PER_JOB = 50_000


def walks_at_once(settings: EngineSettings) -> int:
    """The most start states walked at random (:func:`unsettled`): ``settings.max_walks``
    per process."""
    return settings.max_walks * max(1, settings.jobs)


def unsettled(stg: AsyncSTG, x: Any, spaces: list[str], settings: EngineSettings = DEFAULT,
              sweeps: int = 5000, seed: int = 0) -> Any:
    """:func:`unsettled_walks`, with the start states shared out to ``settings.jobs``
    processes (forked copies, each walking a slice of them with its own seed), where each
    gets at least ``_WALKS_PER_JOB``: the states settled differ with the number of
    processes, never the attractors found from those left."""
    jobs = min(settings.jobs, len(x) // _WALKS_PER_JOB)
    if jobs <= 1 or not can_fork():
        return unsettled_walks(stg, x, spaces, settings, sweeps, seed)
    import numpy as np
    cuts = np.array_split(np.arange(len(x)), jobs)
    alone = dataclasses.replace(settings, jobs=1)
    left, _ = forked_map(lambda i: cuts[i][unsettled_walks(stg, x[cuts[i]], spaces, alone,
                                                           sweeps, seed + i)],
                         len(cuts), jobs, prepare=stg.budget.mute)
    return np.concatenate([left[i] for i in range(len(cuts))])


def unsettled_walks(stg: AsyncSTG, x: Any, spaces: list[str],
                    settings: EngineSettings = DEFAULT, sweeps: int = 5000, seed: int = 0
                    ) -> Any:
    """The indices of the start states (rows of a bool matrix over ``stg.free``) whose
    random asynchronous walks reached neither the trap ``spaces`` nor a fixed point (the
    callers know every fixed point as an attractor already).

    A cheap filter before symbolic search: an attractor holding a start state holds every
    state a walk from it reaches, so a walk that enters a trap space settles its start. The
    walks advance together in random sequential sweeps: the nodes are visited in a random
    order, and each walk moves the visited node, if its rule says so, with probability 1/2;
    every move is one asynchronous step, so a sweep is a path of many steps for the cost of
    one evaluation of every rule (on bit planes, a bit per walk). When a stretch of sweeps
    settles no start, the walks still going are copied (up to ``settings.walks`` in all)
    and go on independently, since any copy that arrives settles its start; after that,
    the next such stretch ends the search.

    Every fourth sweep the walks in a space are found on the planes themselves, a few
    integer operations per value a space fixes, where the spaces are few (up to
    ``_PINNED_SPACES``); else on the walks' states (:class:`Membership`). The walks settled
    are masked out, and the planes compacted once fewer than half are left (bbm/280 with
    inputs free, 79,199 candidates of a network of 157 nodes with 3 spaces: 10 s walked
    with every walk's state read out every fourth sweep and the planes rebuilt, 2.6 s).
    """
    import numpy as np

    free = list(stg.free)
    if not len(x) or not stg.flip:
        return np.arange(len(x))
    starts = x
    walker, rng = ManyWalks(stg), random.Random(seed)
    if len(spaces) <= _PINNED_SPACES:
        pins, inside = walker.pins(spaces), None
    else:   # (no spaces: a graph from BDDs alone may have no network to name its nodes)
        inside = Membership(spaces, stg.net.names if spaces else tuple(free), free)
    owner = np.arange(len(x))          # the start state each walk comes from
    planes, width = walker.planes(x), len(x)
    live = (1 << width) - 1            # the walks still going
    stuck = 0           # the walks that stood on a fixed point (a known attractor)

    def as_bools(v: int) -> Any:
        raw = np.frombuffer(v.to_bytes((width + 7) // 8, "little"), dtype=np.uint8)
        return np.unpackbits(raw, count=width, bitorder="little").astype(bool)

    def as_int(b: Any) -> int:
        return int.from_bytes(np.packbits(b, bitorder="little").tobytes(), "little")

    best, since, copied = len(x), 0, False
    for sweep in range(sweeps + 1):
        if sweep % 4 == 0 or sweep == sweeps:
            stg.budget.check()
            hit = stuck & live
            if inside is None:
                hit |= walker.inside(planes, pins, live & ~hit)
            else:
                hit |= inside.inside(planes, live & ~hit, width)
            if hit:
                if copied:      # every copy of a start settled goes
                    gone = np.isin(owner, owner[as_bools(hit)])
                    live &= ~as_int(gone)
                else:
                    live &= ~hit
            left = live.bit_count()
            if not left or sweep == sweeps:
                break
            if 2 * left < width:        # compacted: the sweeps cost per walk held
                keep = as_bools(live)
                x, owner = walker.rows(planes, width)[keep], owner[keep]
                planes, width = walker.planes(x), len(x)
                live, stuck = (1 << width) - 1, 0
            alive = len(_distinct(owner[as_bools(live)])) if copied else left
            if alive < best:
                best, since = alive, 0
            elif since >= settings.stagnant:         # no start settled for a while
                if copied or left >= settings.walks:
                    break
                keep = as_bools(live)
                x, owner = walker.rows(planes, width)[keep], owner[keep]
                copies = settings.walks // len(x)
                x, owner = np.repeat(x, copies, axis=0), np.repeat(owner, copies)
                planes, width = walker.planes(x), len(x)
                live, stuck = (1 << width) - 1, 0
                copied, since = True, 0
        since += 1
        # every other walk (bits 0, 2, ...) moves every node its rules move (a sweep
        # through the nodes in a random order), the others each with probability 1/2: the
        # first kind reaches a fixed point in far fewer sweeps where the second wanders
        # (bbm/280 with inputs free: 30 of 9,829 candidates left after the sweeps of the
        # second kind, where a forward search from them did not end in a minute; none with
        # both), the second leaves the cycles the first can fall into
        stuck |= live & ~walker.sweep(planes, live, rng, greedy=live & (((1 << width) - 1) // 3))
    owner = owner[as_bools(live)]
    if not len(owner):
        return owner
    left_starts = _distinct(owner)
    log.debug("%d of %d candidate walks still outside after the sweeps", len(left_starts),
              len(starts))
    return left_starts


def space_union(stg: AsyncSTG, spaces: Sequence[str], budget: Budget) -> Any:
    """The union of the subspaces ``spaces`` (strings in bit order; shorter ones free at
    the end) as one BDD of ``stg``, built with reordering off, ``budget`` checked as it
    goes.

    Minimal trap spaces come by the hundred thousand as products of the choices of
    independent modules. The strings are read in the order of the BDD variables and cut
    in two: the union is that of the unions of the first halves that share the same set
    of second halves, each conjoined with the union of that set, and so on down both
    halves; a product costs its factors, not their product. bbm/004 under a condition
    (seed 4 of ``benchmarks/async_free.py``): 152,092 spaces of 160 free nodes in
    1.0 s, against 11.8 s for a cube each and their union."""
    mgr = stg.mgr
    width = len(stg.net.names)
    fixed, free = stg.positions()
    was = mgr.configure(reordering=False)["reordering"]
    try:
        free = sorted(free, key=lambda i_n: mgr.level_of_var(i_n[1]))
        order = [n for _, n in free]
        # (a space that contradicts a fixed value holds no state of the graph)
        rows = distinct_at([space.ljust(width, "*") if len(space) < width else space
                            for space in spaces], [i for i, _ in free], fixed)
        if not rows:
            return mgr.false
        memo: dict[tuple[int, frozenset[str]], Any] = {}
        return _union_rows(mgr, order, 0, frozenset(rows), memo, budget)
    finally:
        mgr.configure(reordering=was)


def _union_rows(mgr: Any, order: list[str], lo: int, rows: frozenset[str],
                memo: dict[tuple[int, frozenset[str]], Any], budget: Budget) -> Any:
    """:func:`space_union` of ``rows`` (strings over the variables ``order[lo:]``)."""
    key = (lo, rows)
    done = memo.get(key)
    if done is not None:
        return done
    budget.check()
    width = len(next(iter(rows)))
    if len(rows) <= 4 or width <= 8:
        out = mgr.false
        for row in rows:
            out |= mgr.cube({order[lo + j]: c == "1" for j, c in enumerate(row) if c != "*"})
    else:
        cut = width // 2
        tails: dict[str, set[str]] = {}
        for row in rows:
            tails.setdefault(row[:cut], set()).add(row[cut:])
        heads: dict[frozenset[str], list[str]] = {}
        for head, ends in tails.items():
            heads.setdefault(frozenset(ends), []).append(head)
        out = mgr.false
        for common, firsts in heads.items():
            out |= (_union_rows(mgr, order, lo, frozenset(firsts), memo, budget)
                    & _union_rows(mgr, order, lo + cut, common, memo, budget))
    memo[key] = out
    return out


def union(mgr: Any, sets: list[Any], budget: Budget | None = None) -> Any:
    """The union of many BDDs, merged pairwise (balanced) to keep the operands small;
    ``budget`` is checked every 256 merges (100,000 trap spaces take seconds)."""
    sets = list(sets) or [mgr.false]
    while len(sets) > 1:
        merged = []
        for i in range(0, len(sets), 2):
            if budget is not None and i % 512 == 0:
                budget.check()
            merged.append(sets[i] | sets[i + 1] if i + 1 < len(sets) else sets[i])
        sets = merged
    return sets[0]



class FixedPointOracle:
    """One ground fixed-point program, asked many questions through assumptions."""

    def __init__(self, net: Network, show: list[int] | None = None, chunk: int = 8,
                 avoid: Sequence[str] = (), differ: Sequence[tuple[int, int]] = (),
                 determined: bool = False):
        """``determined``: only the values of a feedback vertex set are shown (they
        determine a fixed point), for :meth:`rows` to compute the rest; reading a model
        costs per number shown."""
        import clingo

        from .asp import trap_program
        from .fixed_points import feedback_vertex_set
        from .primes import rule_dnfs, side_support

        self.n = len(net.names)
        self.dnfs = rule_dnfs(net)
        self.order: list[int] = []
        if determined:
            regs = [side_support(ones) | side_support(zeros) for ones, zeros in self.dnfs]
            show, self.order = feedback_vertex_set(self.n, regs)
        self.show = list(range(self.n)) if show is None else show
        self.chunk = chunk
        self.ctl = clingo.Control(["--warn=none"])
        program = trap_program(self.n, self.dnfs, fixed_points=True, show=self.show,
                               chunk=chunk)
        # no fixed point inside the subspaces to avoid: their values as facts, read by one
        # rule (grounded far quicker than a constraint each: bbm/083 with inputs free,
        # 2,760 spaces of 116 nodes, 0.5 s against 2.7 s with the two below)
        pins = self._avoided(avoid, determined)
        if pins:
            # (a pin without values, the state every value shown determines, avoids all)
            program += "".join(f"avoid({k},{i},{c})." for k, pin in enumerate(pins)
                               for i, c in pin) + "\n"
            program += "".join(f"avoided({k}).\n" for k, pin in enumerate(pins) if not pin)
            program += "avoided(K) :- avoid(K,_,_), h(I,V) : avoid(K,I,V).\n:- avoided(K).\n"
        # at least one of the pairs of nodes differs (each fixed point found once, however
        # many of the pairs differ in it)
        if differ:
            program += "".join(f"differ :- h({i},{b}), h({j},{1 - b}).\n"
                               for i, j in differ for b in (0, 1)) + ":- not differ.\n"
        program.load(self.ctl)
        self._atom: dict[tuple[int, int], Any] = {}
        self._clingo = clingo

    #: most states to avoid that are pinned by every value they fix (more are pinned on
    #: the shown set alone, found with numpy)
    _FEW_STATES = 64

    def _avoided(self, avoid: Sequence[str], determined: bool) -> list[list[tuple[int, str]]]:
        """The values (node index, "0" or "1") each subspace to avoid fixes.

        A fixed point found by a ``determined`` program is the one its values on the shown
        set determine: a state to avoid (a subspace that fixes every node) is pinned there
        alone when it is the state those values determine, and left out when it is not (no
        fixed point is that state); bbm/083's 2,460 fixed points, 28 values each instead
        of 116."""
        spaces = [space for space in avoid if space.count("*") < self.n]
        states = [space for space in spaces if "*" not in space]
        if not determined or len(states) <= self._FEW_STATES:
            return [[(i, c) for i, c in enumerate(space) if c != "*"] for space in spaces]
        import numpy as np

        from .fixed_points import complete_rows
        x = np.array([[c == "1" for c in state] for state in states], dtype=bool)
        whole = complete_rows({j: x[:, j] for j in self.show}, self.dnfs, self.order,
                              self.n, len(states))
        same = (whole == x).all(axis=1)
        return ([[(i, c) for i, c in enumerate(space) if c != "*"]
                 for space in spaces if "*" in space]
                + [[(j, state[j]) for j in self.show]
                   for state, kept in zip(states, same.tolist()) if kept])

    def atom(self, i: int, value: int) -> Any:  # a clingo Symbol (clingo is untyped here)
        key = (i, value)
        if key not in self._atom:
            c = self._clingo
            self._atom[key] = c.Function("h", [c.Number(i), c.Number(value)])
        return self._atom[key]

    def solve(self, assume: list[tuple[int, int]], limit: int | None, budget: Budget
              ) -> list[list[int]]:
        """The fixed points with ``assume`` (pairs node index, value), as lists of shown
        numbers; at most ``limit`` + 1 of them (``None``: all)."""
        found: list[list[int]] = []

        def on_model(model):
            found.append([s.number for s in model.symbols(shown=True)])

        self._run(assume, limit, budget, on_model)
        return found

    def count(self, assume: list[tuple[int, int]], limit: int | None, budget: Budget) -> int:
        """How many fixed points have ``assume``, counting up to ``limit`` + 1 (their values
        are not read: much faster than :meth:`solve` for many)."""
        return self.count_reading(assume, limit, budget, 0)[0]

    def count_reading(self, assume: list[tuple[int, int]], limit: int | None, budget: Budget,
                      read: int) -> tuple[int, list[list[int]] | None]:
        """:meth:`count`, reading the first ``read`` of them too: (how many, the fixed
        points as :meth:`solve` gives them, or None when there were more than ``read``),
        which saves a second solve when they are few."""
        seen = [0]
        found: list[list[int]] = []

        def on_model(model):
            seen[0] += 1
            if seen[0] <= read:
                found.append([s.number for s in model.symbols(shown=True)])

        self._run(assume, limit, budget, on_model)
        return seen[0], found if seen[0] <= read else None

    def _run(self, assume: list[tuple[int, int]], limit: int | None, budget: Budget,
             on_model: Callable[[Any], None]) -> None:
        from .asp import wait
        conf: Any = self.ctl.configuration
        conf.solve.models = 0 if limit is None else limit + 1
        budget.check()
        assumptions = [(self.atom(i, v), True) for i, v in assume]
        with self.ctl.solve(on_model=on_model, assumptions=assumptions, async_=True) as handle:
            if not wait(handle, budget, every=0.05):
                budget.check()
            handle.get()

    def rows(self, found: list[list[int]]) -> np.ndarray:
        """Fixed points found (by :meth:`solve`, of an oracle made ``determined``) as a bool
        matrix over every node, the nodes not shown computed from those shown."""
        from .fixed_points import complete_rows
        part = self.decode(found)
        values = {j: part[:, k] for k, j in enumerate(self.show)}
        return complete_rows(values, self.dnfs, self.order, self.n, len(found))

    def states(self, found: list[list[int]]) -> list[int]:
        """Fixed points found (by :meth:`solve`) as ints over every node, the nodes not
        shown computed from those shown (as :meth:`rows`, for a few, without numpy)."""
        from .primes import BddCover
        out = []
        for row in found:
            bits = self.state(row)
            values = [False] * self.n
            for k, j in enumerate(self.show):
                values[j] = bool(bits >> k & 1)
            for i in self.order:
                side = self.dnfs[i][0]
                values[i] = side.value(values) if isinstance(side, BddCover) else \
                    any(all(values[j] == bool(b) for j, b in cube) for cube in side)
            out.append(sum(1 << i for i, v in enumerate(values) if v))
        return out

    def state(self, row: list[int]) -> int:
        """Shown numbers of one fixed point -> the state as an int over the shown nodes
        (bit k: ``show[k]``; over every node with the default ``show``)."""
        chunk = self.chunk
        mask = (1 << chunk) - 1
        out = 0
        for s in row:
            out |= (s & mask) << ((s >> chunk) * chunk)
        return out & ((1 << len(self.show)) - 1)

    def decode(self, rows: list[list[int]]) -> np.ndarray:
        """Shown numbers (packed as :func:`~logicbone.analysis.asp.trap_program` packs
        them) -> a bool matrix over the shown nodes."""
        from .asp import unpack_shown
        return unpack_shown(rows, len(self.show), self.chunk)



def complex_spaces(net: Network, budget: Budget) -> tuple[list[str], Outcome]:
    """The trap spaces minimal among those with at least one free node (strings in bit
    order), as many as ``budget`` allows, and how their enumeration ended."""
    from .asp import solve_models, trap_program
    from .primes import rule_dnfs
    from .trap_spaces import subspace_decoder

    n = len(net.names)
    program = trap_program(n, rule_dnfs(net))
    program += "".join(f"free :- h({i},0), h({i},1).\n" for i in range(n)) + ":- not free.\n"
    extract, decode = subspace_decoder(n)
    rows, outcome = solve_models(program, mode=TrapSpaceKind.MIN, budget=_unlimited(budget),
                                 extract=extract)
    return decode(rows), outcome


def extra_candidates(stg: AsyncSTG, budget: Budget, settings: EngineSettings = DEFAULT
                     ) -> Any:
    """The candidate states (fixed points of the retained network) that are not fixed points
    of the network, as a bool matrix over ``stg.free``; None when there are more than
    ``settings.max_listed``.

    A fixed point of the retained network fails to be one of the network only at a node
    whose rule was changed, where the node disagrees with its own rule: the solver is asked
    once for those where at least one changed node does, on the retained network extended
    by a copy of each changed node's original rule (each state found once).
    """
    import numpy as np

    retained = stg.retained_network()
    changed = [n for n in stg.free if retained.rules[n] != stg.rules[n]]
    if not changed:
        return np.zeros((0, len(stg.free)), dtype=bool)
    copies = {n: f"{n}__rule" for n in changed}
    names = tuple(retained.names) + tuple(copies.values())
    rules = dict(retained.rules)
    rules.update({copies[n]: stg.rules[n] for n in changed})
    index = {n: i for i, n in enumerate(names)}
    free_cols = [index[n] for n in stg.free]
    # a feedback vertex set shown, six nodes to a number: the solver evaluates 2^6
    # conditions per group and model, and Python reads few numbers (bbm/083: 46,564 states
    # read in 4 s with every node shown, 7 s with eight to a number, 10 s with one)
    oracle = FixedPointOracle(Network(names, rules), chunk=6, determined=True,
                              differ=[(index[n], index[copies[n]]) for n in changed])
    # counted first (values not read): too many are found out quickly
    if oracle.count([], settings.max_listed, budget) > settings.max_listed:
        return None
    return oracle.rows(oracle.solve([], settings.max_listed, budget))[:, free_cols]
