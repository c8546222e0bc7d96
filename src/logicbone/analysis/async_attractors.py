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
   the attractors outside, found from those candidates. With too many of them to list,
   their BDD (built in a BDD manager of its own, whose variable order does not depend on
   the searches before) is swept forward, each state along one asynchronous path, until
   few are left outside the trap spaces; those are walked and searched from the same way. Only where
   that BDD grows too large does backward reachability from the minimal trap spaces
   decide: if that is every state, the list is complete; otherwise the states left form
   a trap set searched the same way.

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

import dataclasses
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..budget import Budget, BudgetExceeded, StopReason
from ..dynamics.update import Update
from ..errors import AnalysisTimeout, LogicboneError
from ..modes import AttractorMethod
from ..network import Network, without_outputs
from ..parallel import Beside, can_fork
from ..space import space_masks, trap_closure
from ._async_pipeline import (FIXED_AS_DOTS, Detail, SearchCache, Unmeasured,
                              attractors_in_space, distinct_at, min_trap_spaces,
                              outside_spaces, space_union)
from .results import Attractor, AttractorResult, str_to_state
from .settings import DEFAULT, EngineSettings
from .symbolic import AsyncSTG

__all__ = ["async_attractors_symbolic"]

log = logging.getLogger(__name__)

METHOD = AttractorMethod.SYMBOLIC


def free_part(space: str, hull: str) -> str:
    """The characters of ``hull`` (a string of the same length, in bit order) at the free
    nodes ("*") of ``space``, in order: what :func:`with_free` puts in."""
    return "".join(h for h, c in zip(hull, space) if c == "*")


def with_free(space: str, inner: str) -> str:
    """``space`` with its free nodes ("*") taking the characters of ``inner``, one each, in
    order (:func:`free_part` of a hull)."""
    if "0" not in inner and "1" not in inner:       # (a hull that is the whole space)
        return space
    parts = space.split("*")
    return "".join(itertools.chain.from_iterable(zip(parts, inner))) + parts[-1]


def _counted(net: Network, budget: Budget, settings: EngineSettings) -> int | None:
    """The number of asynchronous attractors of ``net``, if counted within
    ``settings.check_seconds`` and a quarter of the time left (counting splits the network
    into parts and sums or multiplies their counts: often far quicker than proving that
    none lies outside many trap spaces)."""
    from .attractor_count import CountGivenUp, count_attractors
    try:
        return count_attractors(net, budget=budget.child(share=0.25,
                                                         timeout=settings.check_seconds),
                                settings=dataclasses.replace(
                                    settings, whole_spaces=settings.max_avoided))
    except CountGivenUp:
        return None
    except BudgetExceeded:
        if budget.expired():
            raise
        return None


def _none_outside_core(stg: AsyncSTG, spaces: list[str], budget: Budget,
                       settings: EngineSettings, say: Callable[[str], None], *,
                       list_beside: bool = True) -> bool:
    """Whether the network of ``stg`` without its nodes upstream of no cycle (outputs and
    the acyclic cascades that lead only to them; :func:`~logicbone.network.without_outputs`)
    is proven to have no attractor outside its minimal trap spaces, the projections of
    ``spaces`` (those of the whole network, strings in bit order); False too when no node
    is left out, or when the rest has one (then the whole network is searched).

    Every attractor of the rest extends to exactly one attractor of the network, and one
    in the projection of a minimal trap space to one in that space, so none lies outside
    the spaces when none lies outside their projections. The candidate states of the
    rest, and their sweeps, take far smaller BDDs (bbm/004 under a condition, 197 free
    nodes of which 20 are left out, 45,016 minimal trap spaces: the candidates in 4.6 s,
    a BDD of 6,785 nodes, swept in 16 s, against 25 s, 19,572 nodes and 47 s)."""
    from ..expr import FALSE, TRUE
    net = stg.net
    # (the percolated network: its constants, read by no free node, are left out too)
    rest = without_outputs(Network(net.names, {
        n: (TRUE if stg.fixed[n] else FALSE) if n in stg.fixed else stg.rules[n]
        for n in net.names}))
    if set(rest.names) >= set(stg.free):
        return False
    at = {n: i for i, n in enumerate(net.names)}
    keep = [at[n] for n in rest.names]
    where = AsyncSTG(rest, budget=budget)
    where.mgr.configure(reordering=False)
    projected = sorted(distinct_at(spaces, keep))
    known = space_union(where, projected, budget)
    log.debug("searched outside %d trap spaces of %d nodes, %d left out", len(projected),
              len(where.free), len(stg.free) - len(where.free))
    for _ in outside_spaces(where, projected, known, budget, settings, say,
                            list_beside=list_beside):
        return False
    return True


def async_attractors_symbolic(net: Network, *, max_states: int = 1000, limit: int | None = None,
                              timeout: float | None = None,
                              progress: Callable[[str], None] | None = None,
                              candidates: Iterable[str] | None = None,
                              budget: Budget | None = None,
                              settings: EngineSettings | None = None,
                              sizes: bool = True, model: str = "") -> AttractorResult:
    """All attractors under fully asynchronous update, exactly, without enumerating states.

    Parameters
    ----------
    net : Network
    max_states : int
        List the states of attractors of at most this many states.
    limit : int, optional
        Stop after this many attractors (the result then says ``complete=False``). Only as
        many minimal trap spaces as needed are listed (each holds an attractor), however
        the network splits into parts.
    timeout : float, optional
        Seconds; on expiry the attractors found so far are returned with ``complete=False``.
    progress : callable(str), optional
        Receives one-line progress messages (the library itself never prints).
    candidates : iterable of str, optional
        The minimal trap spaces (strings in bit order), if already known; by default they are
        computed. Each must be a trap space.
    budget : Budget, optional
        Instead of (or narrowed by) ``timeout``, ``limit`` and ``progress``; its interrupts
        (:meth:`Budget.catch_interrupts`) stop the search with a partial list.
    settings : EngineSettings, optional
        Tuning (:class:`~logicbone.analysis.settings.EngineSettings`); never changes
        the answer.
    sizes : bool
        Compute the states of every attractor (up to ``settings.measure_seconds`` each
        where nothing else needs them). False: an attractor proven the only one of its
        minimal trap space by walks from its candidate states, moving every node free
        there, keeps an unknown size (``size=None``), however large: quicker where such
        attractors hold 10^15 states or more.
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
    settings = settings or DEFAULT
    budget = Budget.of(budget, timeout=timeout, limit=limit, progress=progress)
    limit = budget.left()
    say = progress or (lambda msg: budget.report(msg, every=0.0))
    stg = AsyncSTG(net, budget=budget)
    mgr = stg.mgr
    n = len(net.names)
    say(f"{len(stg.fixed)} of {n} nodes fixed by percolation; {len(stg.free)} left")

    found: list[Attractor] = []
    notes: list[str] = []
    capped = False
    cut = False          # the time ran out listing the minimal trap spaces
    complete = True
    reason: StopReason | None = None

    def full() -> bool:
        return limit is not None and len(found) >= limit

    # (graph's manager, attractor, where the space's free nodes are) -> its size, hull at
    # the free nodes, states and free nodes as a bitmask: the spaces that share a search
    # share these
    measured: dict[tuple[int, Any, str], tuple[int, str, tuple[int, ...] | None, int]] = {}

    def record(where: AsyncSTG, att: Any, space: str) -> None:
        """An attractor ``att`` of the graph ``where`` in the trap space ``space``;
        ``where`` may be the graph of another space with the same free nodes whose search
        this one shares: ``att`` holds the same states over the free nodes, with this
        space's values elsewhere."""
        if isinstance(att, Unmeasured):     # its hull is the space; its states unknown
            found.append(Attractor(type="complex", size=None, subspace=space,
                                   extra={"trap_space": space}))
            return
        key = (id(where.mgr), att, space.translate(FIXED_AS_DOTS))
        got = measured.get(key)
        if got is None:
            size = where.count(att)
            # (only what the hull has at the free nodes: the rest is each space's)
            got = measured[key] = (
                size, free_part(space, where.hull(att)),
                tuple(sorted(where.states(att))) if size <= max_states else None,
                space_masks(space)[1])
        size, inner, states, free = got
        if states is not None:      # this space's values outside the free nodes
            ones = str_to_state(space)
            states = tuple(sorted(s & free | ones for s in states))
        add(size, with_free(space, inner), states, space)

    def measured_outside(att: Any) -> tuple[int, str, tuple[int, ...] | None, str]:
        """An attractor ``att`` of ``stg`` outside the minimal trap spaces: its size, hull,
        states (up to ``max_states``) and smallest trap space."""
        size = stg.count(att)
        hull = stg.hull(att)
        states = tuple(sorted(stg.states(att))) if size <= max_states else None
        return size, hull, states, trap_closure(net, hull)

    def add(size: int, hull: str, states: tuple[int, ...] | None, space: str) -> None:
        found.append(Attractor(type="fixed_point" if size == 1 else "complex", size=size,
                               subspace=hull, states=states, extra={"trap_space": space}))

    def emit(att: Any) -> bool:
        add(*measured_outside(att))
        say(f"attractor outside the minimal trap spaces ({len(found)} in all)")
        return not full()

    def search_outside(within: Budget, spaces: list[str], emit: Callable[[Any], bool],
                       beside: bool = True) -> bool:
        """The attractors outside the minimal trap ``spaces``, each given to ``emit``
        (False from it: the limit is reached; returned then); ``beside``: the listing of
        their candidate states may run beside the search (:func:`outside_spaces`)."""
        if candidates is None and _none_outside_core(stg, spaces, within, settings, say,
                                                     list_beside=beside):
            say("none outside the minimal trap spaces of the nodes upstream of a cycle")
            return True
        # one BDD, built without reordering; no cube of a space is kept: with reordering
        # on for the search outside, the BDDs of thousands of cubes make each reordering
        # slow (bbm/004 under a condition: the candidate states in minutes, not seconds)
        known = space_union(stg, spaces, within)
        was, stg.budget = stg.budget, within
        try:
            for att in outside_spaces(stg, spaces, known, within, settings, say,
                                      list_beside=beside):
                if not emit(att):
                    return False
        finally:
            stg.budget = was
        return True

    proving: Beside | None = None
    try:
        if candidates is not None:
            spaces = list(candidates)
        else:
            # with a limit, no more minimal trap spaces than attractors asked for (each
            # holds at least one)
            spaces, short = min_trap_spaces(net, budget, limit, settings, partial=True)
            if short is StopReason.TIMEOUT:
                # the time ran out listing them: the attractors of those found, as far as
                # the time left goes (a list cut short is better than none)
                cut = True
                complete, reason = False, StopReason.TIMEOUT
                notes.append(f"time limit reached listing the minimal trap spaces "
                             f"({len(spaces):,} found): the attractors of those searched in "
                             "the time left; the list is partial")
            # without a limit, a list cut short holds the most listed at once: the
            # attractors of those spaces, not a proof that there are no others
            capped = limit is None and short is StopReason.LIMIT
        say(f"{len(spaces)} minimal trap spaces")
        if (limit is None and candidates is None and not cut and not capped
                and settings.jobs > 1 and can_fork()):
            # the search outside the spaces, beside the searches inside them, in a copy
            # of this process (bbm/004 under a condition: 5.7 s of searches inside
            # 289,024 spaces, beside 48 s outside them); a count equal to those found
            # here still ends it
            def prove() -> list[tuple[int, str, tuple[int, ...] | None, str]]:
                # (its progress is reported from the copy: this process waits meanwhile)
                outside: list[tuple[int, str, tuple[int, ...] | None, str]] = []

                def keep(att: Any) -> bool:
                    outside.append(measured_outside(att))
                    return True

                # (no listing beside it: a third process, beside this one and the
                # searches inside the spaces, stretched the build of the candidates' BDD
                # from 7 s to 16 s; the walks at its end are still shared out, once the
                # searches inside the spaces are done)
                search_outside(budget, spaces, keep, beside=False)
                return outside

            proving = Beside(prove)
        kept: list[str] = []
        # percolated sub-network -> its attractors (searched whole: not with a limit)
        searched = SearchCache(net) if limit is None else None
        prefer = ["upstream", "downstream"]      # variable orders, the one in favour first
        mgr.configure(reordering=False)     # thousands of small cubes: reordering only costs
        for k, space in enumerate(spaces):
            if full():
                break
            if k % 64 == 63:
                budget.check()       # thousands of fixed points cost time too
            if candidates is not None:
                # (a minimal trap space fixes the constants, and so lies in the percolated
                # space: those found here need no BDD, 36 us each, until one is needed)
                cube = stg.space(space)
                if cube == mgr.false:
                    continue
                if not stg.is_trap(cube):
                    raise LogicboneError(f"candidate {space} is not a trap space")
            kept.append(space)
            if "*" not in space:               # a fixed point
                found.append(Attractor(type="fixed_point", size=1, subspace=space,
                                       states=(str_to_state(space),),
                                       extra={"trap_space": space}))
                continue
            for where, att in attractors_in_space(stg, space, budget, settings,
                                                  cache=searched, prefer=prefer,
                                                  detail=Detail.STATES if sizes
                                                  else Detail.HULL):
                record(where, att, space)
                if full():
                    break
            if k % 100 == 99:
                say(f"searched {k + 1} of {len(spaces)} trap spaces, {len(found)} attractors")
        if full():
            complete, reason = False, StopReason.LIMIT
            notes.append(f"stopped after {limit} attractors (limit); others may exist")
        elif capped:
            complete, reason = False, StopReason.LIMIT
            notes.append(f"the attractors of the first {len(spaces):,} minimal trap spaces "
                         "only, the most listed at once; count them all with --count")
        elif not cut:       # (cut: partial already, no proof that none lies elsewhere)
            say(f"{len(found)} attractors in trap spaces; proving there are no others")
            searched = None
            counting = len(kept) > settings.max_avoided and candidates is None
            if counting and _counted(net, budget, settings) == len(found):
                say("the count of attractors equals those found: there are no others")
                within_limit = True
            elif proving is not None:
                outside = proving.wait(budget.check)
                if outside is None:         # (the copy failed: the search is made here)
                    within_limit = search_outside(budget, kept, emit)
                else:
                    for got in outside:
                        add(*got)
                    within_limit = True
            else:
                within_limit = search_outside(budget, kept, emit)
            if not within_limit:
                complete, reason = False, StopReason.LIMIT
                notes.append(f"stopped after {limit} attractors (limit); others may exist")
    except BudgetExceeded as err:
        complete, reason = False, err.reason
        if not cut or err.reason is not StopReason.TIMEOUT:
            notes.append(("interrupted" if err.reason is StopReason.INTERRUPTED else
                          f"time limit reached ({err})") + "; the list is partial")
        log.info("stopped (%s) after %d attractors", err.reason.value, len(found))
    except AnalysisTimeout as err:
        complete, reason = False, StopReason.TIMEOUT
        notes.append(f"{err}; the list is partial")
        log.info("timeout after %d attractors", len(found))
    finally:
        if proving is not None:
            proving.close()

    unmeasured = sum(1 for a in found if a.size is None)
    if unmeasured:
        notes.append(f"the states of {unmeasured} attractor{'s' if unmeasured > 1 else ''} "
                     "were not computed (size unknown): each is proven the only attractor "
                     "of its minimal trap space, by its candidate states, and moves every "
                     "node free there")
    attractors = sorted(found, key=lambda a: (a.subspace, a.states or ()))
    log.info("%d attractors in %.2f s", len(attractors), budget.elapsed())
    return AttractorResult(model=model, nodes=tuple(net.names), update=Update.ASYNCHRONOUS,
                           method=METHOD, complete=complete, attractors=tuple(attractors),
                           notes=tuple(notes), reason=reason, seconds=budget.elapsed())
