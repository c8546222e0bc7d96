"""Counting attractors without listing them.

Models with free inputs can have astronomically many attractors (every combination of
input values has its own), so :func:`count_attractors` counts them the way fixed points are
counted: symbolically, never listing what is too many to list.

Asynchronous update, for a network of any size:

1. constants and what they force are percolated (every attractor lies in the subspace they
   force), and the rest splits into independent parts that share no rule. Under
   asynchronous update the attractors of such a union are the products of the parts'
   attractors, so the count is the product of the parts' counts (parts are remembered by
   their rules, so a part met twice is counted once);
2. nodes upstream of no cycle (outputs, and acyclic cascades that lead only to them) are
   dropped: every attractor of the rest extends to exactly one attractor;
3. a part without a negative cycle has only fixed points as attractors; they are counted on
   a BDD (:func:`count_fixed_points`);
4. a part with few candidate states (see 6) is counted from them on its BDD: the terminal
   SCCs searched from the candidates alone are all its attractors;
5. a part whose upstream part (closed under regulators; inputs belong to it) has no
   negative cycle is counted as a sum over that part's fixed points (its only attractors):
   each fixes the rest's view of it, so the rest's values read from upstream are expanded
   one node at a time (Shannon expansion on the BDDs, percolating and dropping the nodes
   left upstream of no cycle as it goes) until the rest reads none. The expansion is one
   frontier in which rests left the same by different values are merged and expanded
   once; each different rest is counted once, times the number of upstream fixed points
   that lead to it, its independent parts apart (a part met again, in this sum or
   another, is remembered by its rules). With too many values, a part with free inputs
   has its candidate states (see 6) swept forward all at once on their BDD, every
   combination of input values in one sweep; when all but a few reach fixed points, the
   count is the fixed points and the attractors searched from those few. Otherwise it is
   counted as the sum over the two values of one input (the one whose values force most
   nodes, :func:`~logicbone.network.forcing_input`): inputs never change under
   asynchronous update, and each value percolates and splits again;
6. otherwise the fixed points are counted, and the minimal trap spaces with free nodes are
   listed (or, when the fixed points are too many to list with them, the trap spaces
   minimal among those with a free node, less those that hold a fixed point, which the
   fixed-point program decides by one solver call with the space's values as assumptions).
   Every attractor that is not a fixed point holds a candidate state: a fixed point of the
   network in which a negative feedback vertex set may only move towards retained values
   (:meth:`AsyncSTG.retained_network`) that is not a fixed point of the network itself.
   The solver lists exactly those (the retained network plus a copy of each changed node's
   own rule, with "the node disagrees with its rule" as assumptions), never the fixed
   points. A minimal trap space holding one candidate holds one attractor; one holding
   several is searched for its terminal SCCs (:meth:`AsyncSTG.terminal_sccs`, seeded with
   them). Candidates outside the minimal trap spaces are walked at random and the rest
   searched symbolically; with too many to list, their BDD is first swept forward (each
   state along one asynchronous path) until few are left outside, which are then walked
   and searched the same way; only where that BDD grows too large does backward
   reachability from the fixed points and the minimal trap spaces decide: if that is every
   state there is no other attractor, otherwise the states left form a trap set whose
   terminal SCCs are counted.

The steps are those of the listing (:mod:`logicbone.analysis._async_pipeline`), tuned by
the same :class:`~logicbone.analysis.settings.EngineSettings`. A few candidate states (step
4, and each rest of step 5) are searched one after the other: a candidate that reaches a
known attractor is transient, a complete forward set holds an attractor, and every
candidate that reaches an attractor found (its backward set) is dropped.

A time limit or an interrupt gives :class:`~logicbone.budget.BudgetExceeded` with
``at_least`` and ``at_most``, proven bounds. With a time limit, ``settings.count_share`` of
it goes to the count; when that runs out, the part being counted and each part left are
bounded (after a short attempt at an exact count, ``settings.quick_seconds``): at least one
attractor per value of its inputs, per minimal trap space counted in the time given
(:func:`lower_bound`) or per one found on the way, at most its candidate
states (each attractor holds one), else ``2^k`` for a feedback vertex set of ``k`` nodes
(:func:`feedback_bound`). The bounds are summed and multiplied as the counts would be, and
the candidate states of the whole network may lower the upper bound. Bounds that meet are
the count; otherwise the message names the widest part bounded, the one that resists.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, A\\n" + "\\n".join(f"I{i}, I{i}" for i in range(60)))
>>> count_attractors(net) == 2 ** 60
True
"""
from __future__ import annotations

import dataclasses
import heapq
import itertools
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from ..budget import Budget, BudgetExceeded, StopReason
from ..dynamics.update import Update
from ..errors import StateSpaceTooLarge, UsageError
from ..modes import AttractorMethod, TrapSpaceKind
from ..network import (Network, connected_parts, forcing_input, upstream_closure,
                       upstream_of_no_cycle, without_outputs)
from ._async_pipeline import (Detail, FixedPointOracle, Membership, OneWalk, SubNetworks,
                              attractors_in_space, complex_spaces, cubes, extra_candidates,
                              narrowed, outside, outside_spaces, space_union, state_rows,
                              swept_off_fixed_points, union)
from .settings import DEFAULT, EngineSettings
from .symbolic import AsyncSTG

__all__ = ["count_attractors", "CountGivenUp"]

log = logging.getLogger(__name__)

#: the methods that count asynchronous attractors
_COUNT_METHODS = (AttractorMethod.AUTO, AttractorMethod.SYMBOLIC, AttractorMethod.EXPLICIT)


def _bounded(err: BudgetExceeded, at_least: int) -> BudgetExceeded:
    """The same stop, carrying a proven lower bound."""
    return BudgetExceeded(err.reason, at_least=at_least, what=str(err))


#: proven bounds ``(at least, at most)`` of a number of attractors; equal when exact
Span = tuple[int, int]


class CountGivenUp(Exception):
    """A count that would list more minimal trap spaces of a part without inputs than
    ``settings.whole_spaces`` allows (it would have to show that no attractor lies
    outside them, the very proof a listing's check of its count stands in for)."""


class _Crowded(Exception):
    """The values of an upstream part leave too many different networks downstream:
    ``ends`` true when that many were found, false when the expansion that finds them
    took too many steps first."""

    def __init__(self, ends: bool) -> None:
        super().__init__()
        self.ends = ends


class _Counter:
    """Counts of asynchronous attractors of networks without constants, remembered by rules.

    :meth:`network` percolates and splits into independent parts (the counts multiply);
    :meth:`part` counts one part: explicitly when small, all fixed points when it has no
    negative cycle, as the sum over the two values of an input when it has inputs (each
    value percolates and splits again), otherwise by :meth:`direct`. Counts are spans
    ``(at least, at most)``, equal when exact.

    Counting runs under ``budget``; when it stops (its time is up, or an interrupt), the
    part being counted is bounded instead (:meth:`bound`) and the count goes on in bounding
    mode under ``bounds``: each part left is tried for ``settings.quick_seconds``, then
    bounded. So a time limit turns into proven bounds of every part, and the sums and
    products above them, rather than into nothing.
    """

    def __init__(self, budget: Budget, settings: EngineSettings, say: Callable[[str], None],
                 bounds: Budget | None = None, jobs: int = 1):
        self.budget = budget
        self.jobs = jobs      # processes for the networks downstream (:meth:`forked`)
        self.bounds = bounds if bounds is not None else budget
        self.settings = settings
        self.say = say
        self.memo: dict[tuple[Any, ...], Span] = {}     # by nodes and rules
        # the nodes of networks below an upstream part with too many candidate states (or
        # too large a BDD of them) to count from on their BDDs: counted as networks, their
        # candidates are not built again when they come back as a part
        self.unseeded: set[tuple[str, ...]] = set()
        self.open: list[Network] = []      # the parts being counted, outermost first
        self.stop: BudgetExceeded | None = None     # why counting stopped, if it did
        self.quick = False                 # inside a short attempt in bounding mode
        self.trying = False                # inside a trial: a stop is raised, not bounded
        self.splitting = False             # inside the split of a part on an input
        self.whole: Network | None = None  # the network counted, bounded whole on a stop
        self.most: int | None = None       # its candidate states
        self.least: int | None = None      # its fixed points
        # the parts bounded rather than counted: (nodes, inputs, span), largest gap first
        self.bounded: list[tuple[tuple[str, ...], int, Span]] = []

    @property
    def bounding(self) -> bool:
        return self.stop is not None

    def stopped(self, err: BudgetExceeded) -> None:
        """Counting stopped: switch to bounding (after an interrupt, for a few seconds);
        within a :meth:`trial`, ``err`` is raised again instead."""
        if self.trying:
            raise err
        if self.stop is not None:
            return
        self.stop = err
        if err.reason is StopReason.INTERRUPTED or self.bounds.expired():
            # bounds are still found, for settings.bound_seconds, whatever stopped the count
            self.bounds = Budget(timeout=self.settings.bound_seconds)
        if self.whole is not None:    # first the whole network's fixed points and candidates
            self.least = _fixed_point_floor(self.whole, self.bounds.child(share=0.3),
                                            self.settings)
            self.most = upper_bound(self.whole, budget=self.bounds.child(share=0.5),
                                    settings=self.settings)

    def network(self, net: Network) -> Span:
        if self.bounding and self.bounds.expired():
            return 1 << len(net.inputs), feedback_bound(net)
        try:
            _, parts = net.decompose()
        except BudgetExceeded as err:
            self.stopped(err)
            return 1 << len(net.inputs), feedback_bound(net)
        lo = hi = 1
        for part in sorted(parts, key=lambda p: len(p.index)):
            a, b = self.part(part.net)
            lo, hi = lo * a, hi * b
        return lo, hi

    def part(self, net: Network) -> Span:
        key = (net.names, tuple(net.rules[n] for n in net.names))    # (structurally)
        if key in self.memo:
            return self.memo[key]
        t = time.monotonic()
        if self.bounding and not self.quick:
            # a short attempt at an exact count, then bounds
            saved, self.quick = self.budget, True
            self.budget = self.bounds.child(timeout=self.settings.quick_seconds)
            try:
                span = self.attempt(net)
            finally:
                self.budget, self.quick = saved, False
        else:
            span = self.attempt(net)
        self.memo[key] = span
        log.debug("part of %d nodes, %d inputs: %s in %.2f s", len(net.names),
                  len(net.inputs), span, time.monotonic() - t)
        return span

    def attempt(self, net: Network) -> Span:
        """The count of one part, or its bounds when counting stops inside it."""
        self.open.append(net)
        try:
            return self._part(net)
        except BudgetExceeded as err:
            self.stopped(err)
            return self.bound(net, err.at_least, err.at_most)
        finally:
            self.open.pop()

    def bound(self, net: Network, at_least: int | None, at_most: int | None = None
              ) -> Span:
        """Proven bounds of a part whose count was cut short (``at_least``: a lower bound
        found on the way; each value of its inputs holds an attractor, and so does each
        minimal trap space counted by :func:`lower_bound`): at most its candidate
        states (:func:`upper_bound`), else ``2^k`` for a feedback vertex set of ``k`` nodes
        (:func:`feedback_bound`), or ``at_most`` if smaller."""
        lo = max(1 << len(net.inputs), at_least or 0)
        hi = feedback_bound(net) if at_most is None else min(at_most, feedback_bound(net))
        if not self.bounds.expired():
            lo = max(lo, lower_bound(net, budget=self.bounds.child(share=0.15),
                                     settings=self.settings))
            most = upper_bound(net, budget=self.bounds.child(share=0.3), settings=self.settings)
            if most is not None:
                hi = min(hi, most)
        span = (lo, max(lo, hi))
        self.bounded.append((net.names, len(net.inputs), span))
        return span

    def _part(self, net: Network) -> Span:
        self.budget.check()
        if len(net.names) <= self.settings.explicit_part:
            n = len(_explicit_attractors(net))
            return n, n
        core = without_outputs(net)
        if len(core.names) < len(net.names):
            return self.network(core)
        # a part of a decomposed network has nothing left to percolate
        stg = AsyncSTG(net, budget=self.budget, percolate=False)
        if not stg.negative_feedback_vertex_set():
            fp = self.fixed_points(net)
            return fp, fp        # every attractor holds a candidate: a fixed point
        seeded = None if net.names in self.unseeded else self.seeded(stg)
        if seeded is not None:
            return seeded, seeded
        crowded = False      # (by the networks found, not by the steps to find them)
        try:
            cascade = self.cascade(net, stg)
        except _Crowded as err:
            cascade, crowded = None, err.ends
        if cascade is not None:
            return cascade
        inputs = net.inputs
        if inputs and not self.splitting and self.settings.swept_seconds > 0:
            swept = self.swept(stg)
            if swept is not None:
                return swept, swept
        if crowded and self.settings.max_downstream_late > self.settings.max_downstream:
            try:
                cascade = self.cascade(net, stg, self.settings.max_downstream_late)
            except _Crowded:
                pass
            if cascade is not None:
                return cascade
        if inputs and self.settings.split_above:
            total = self.direct(net, stg, self.settings.split_above)
            if total is not None:
                return total, total
        if not inputs:
            counted = self.direct(net, stg, self.settings.whole_spaces or None)
            if counted is None:
                raise CountGivenUp(f"a part of {len(net.names)} nodes without inputs has "
                                   f"more than {self.settings.whole_spaces:,} minimal trap "
                                   "spaces")
            return counted, counted
        x = forcing_input(net)
        lo = hi = 0
        was, self.splitting = self.splitting, True
        try:
            for value in (0, 1):
                a, b = self.network(net.fix({x: value}))
                lo, hi = lo + a, hi + b
        finally:
            self.splitting = was
        return lo, hi

    def swept(self, stg: AsyncSTG) -> int | None:
        """The count of a part whose candidate states, swept forward all at once
        (:func:`swept_off_fixed_points`), reach fixed points but for at most
        ``settings.max_rest_seeds`` (then counted from those, :func:`_count_from_seeds`);
        None otherwise, or when that takes more than ``settings.swept_seconds`` (and
        ``settings.swept_share`` of the time left), the candidates more than
        ``settings.swept_build_seconds`` (and ``settings.swept_build_share`` of it).

        Inputs never change, so with inputs free one sweep moves the states of every
        combination of their values, where a split on them counts each combination apart
        (bbm/144: 202 nodes with 56 inputs, 9 x 10^27 candidates that are not fixed
        points, none left after 12 sweeps; split on inputs, it was not counted in 6
        minutes)."""
        def count() -> tuple[int, int]:
            saved, stg.budget = stg.budget, self.budget
            try:
                got = swept_off_fixed_points(stg, self.settings, self.say, build,
                                             first="upstream")
                if got is None or got[0].count(got[1]) > self.settings.max_rest_seeds:
                    raise BudgetExceeded(StopReason.LIMIT, what="too many states left")
                where, left, fixed = got
                where.mgr.configure(reordering=False)
                total = _count_from_seeds(where, fixed | left, self.settings, fixed,
                                         swept=True)
                return total, total
            finally:
                stg.budget = saved

        t = time.monotonic()
        seconds, build = self.settings.swept_seconds, self.settings.swept_build_seconds
        left = self.budget.remaining()
        if left is not None:      # a fair part of the time left, for an attempt that may fail
            seconds = min(seconds, self.settings.swept_share * left)
            build = min(build, self.settings.swept_build_share * left)
        counted = self.trial(seconds, count)
        log.debug("candidates swept forward in a part of %d nodes, %d inputs: %s in %.2f s",
                  len(stg.free), len(stg.net.inputs),
                  "counted" if counted else "given up", time.monotonic() - t)
        return None if counted is None else counted[0]

    def seeded(self, stg: AsyncSTG, most: int | None = None) -> int | None:
        """The count of a part from its candidate states, all on its BDD, or None when
        more than ``settings.max_seeds`` of them are not fixed points.

        Every attractor holds a candidate (:meth:`AsyncSTG.candidate_states`; the fixed
        points are candidates), so the terminal SCCs searched from the candidates alone
        (:func:`_count_from_seeds`) are all the attractors. ``most`` replaces
        ``settings.max_seeds``.
        """
        mgr = stg.mgr
        was = mgr.configure(reordering=False)["reordering"]
        try:     # sifting a growing BDD costs more than the BDD; it is given up instead
            found = stg.candidate_states(max_nodes=self.settings.max_seed_nodes)
        finally:
            mgr.configure(reordering=was)
        most = self.settings.max_seeds if most is None else most
        if found is None:
            return None
        if stg.count(found) > most and stg.count(found & stg.moving()) > most:
            # (fixed points cost nothing to count)
            return None
        return _count_from_seeds(stg, found, self.settings)

    def on_bdds(self, mgr: Any, functions: dict[str, Any]) -> Span | None:
        """The count of the nodes whose rules are ``functions`` (BDDs in ``mgr`` that read
        only these nodes) found on those BDDs, without a network: all fixed points when
        there is no negative cycle, else from the candidate states (:meth:`seeded`); None
        when there are too many of those."""
        if not functions:
            return 1, 1
        stg = AsyncSTG.of_functions(mgr, functions, self.budget)
        if not stg.negative_feedback_vertex_set():
            fixed = mgr.true
            for can in stg.flip.values():
                fixed &= ~can
            fp = stg.count(fixed)
            return fp, fp
        # more seeds than for a part: the other way builds a network from rule text
        n = self.seeded(stg, self.settings.max_rest_seeds)
        return None if n is None else (n, n)

    def bound_bdds(self, mgr: Any, functions: dict[str, Any]) -> Span:
        """Bounds of the nodes whose rules are ``functions`` (as :meth:`on_bdds`): at least
        one attractor, at most their candidate states (else ``2^n``)."""
        hi = 1 << len(functions)
        if not self.bounds.expired():
            stg = AsyncSTG.of_functions(mgr, functions, self.bounds.child(share=0.1))
            was = mgr.configure(reordering=False)["reordering"]
            try:
                found = stg.candidate_states(max_nodes=self.settings.max_seed_nodes)
                if found is not None:
                    hi = stg.count(found)
            except BudgetExceeded:
                pass
            finally:
                mgr.configure(reordering=was)
        return 1, max(1, hi)

    def cascade(self, net: Network, stg: AsyncSTG, most: int | None = None) -> Span | None:
        """The counts of a part as a sum over the fixed points of its upstream part without
        a negative cycle (:meth:`AsyncSTG.upstream_without_negative_cycle`), grouped by the
        values the rest reads; None when there is no such split. With more than
        ``settings.max_groups`` values, :class:`_Crowded` when they leave more than
        ``most`` different networks (default ``settings.max_downstream``).

        The upstream part evolves on its own and its attractors are its fixed points; with
        one of them, ``u``, the states that agree with ``u`` there form a trap set whose
        attractors are those of the rest with ``u``'s values percolated. So the count is
        the sum over ``u`` of the rest's count, and ``u`` matters only through the values
        the rest's rules read (its interface): each value of the interface is percolated
        into the rest on the BDDs of its rules, and each different rest left (the same
        functions of the same nodes) is counted once, times the number of fixed points
        that lead to it.
        """
        from ..expr import Expr, substitute, variables
        from .symbolic import exact_count

        upstream = stg.upstream_without_negative_cycle()
        if not upstream or len(upstream) == len(stg.free):
            return None
        mgr = stg.mgr
        top = set(upstream)
        rest = [n for n in net.names if n not in top]
        face = sorted({v for n in rest for v in variables(net.rules[n]) if v in top},
                      key=net.index)
        fixed = mgr.true
        for n in upstream:
            fixed &= ~mgr.apply("xor", mgr.var(n), stg.f[n])
        shown = mgr.exist([n for n in upstream if n not in set(face)], fixed)
        groups = exact_count(mgr, shown, len(stg.free)) >> (len(stg.free) - len(face))
        # above max_groups values, summed only when they leave few different networks
        if groups <= self.settings.max_groups:
            most = None
        elif most is None:
            most = self.settings.max_downstream
        self.say(f"{groups:,} values of {len(face)} nodes read downstream of {len(upstream)} "
                 f"upstream nodes, in a part of {len(net.names)} nodes")
        regs = stg.regulators()
        readers: dict[str, list[str]] = {}
        for n in rest:
            for v in regs[n]:
                readers.setdefault(v, []).append(n)
        faces = set(face)
        true, false = mgr.true, mgr.false
        # how many fixed points lead to each rest left (the same functions of the same
        # nodes, those on or above a cycle), and that rest's values
        weights: dict[tuple[Any, ...], int] = {}
        forced: dict[tuple[Any, ...], dict[str, bool]] = {}

        Rest = tuple[dict[str, Any], dict[str, set[str]], dict[str, bool]]

        def percolate(g: dict[str, Any], supp: dict[str, set[str]], consts: dict[str, bool],
                      node: str, value: bool) -> Rest:
            # (each function's support kept beside it, changed only where a value lands)
            g, supp, consts = dict(g), dict(supp), dict(consts)
            todo = [(node, value)]
            while todo:
                n, b = todo.pop()
                if n in consts:
                    continue
                consts[n] = b
                g.pop(n, None)
                supp.pop(n, None)
                for r in readers.get(n, ()):
                    if r in g:
                        g[r] = mgr.let({n: true if b else false}, g[r])
                        supp[r] = set(mgr.support(g[r]))
                        if g[r] == true or g[r] == false:
                            todo.append((r, g[r] == true))
            return strip(g, supp, consts)

        def strip(g: dict[str, Any], supp: dict[str, set[str]], consts: dict[str, bool]
                  ) -> Rest:
            # without the nodes upstream of no cycle (as without_outputs: they change no
            # count)
            drop = upstream_of_no_cycle(supp)
            if not drop:
                return g, supp, consts
            return ({n: f for n, f in g.items() if n not in drop},
                    {n: vs for n, vs in supp.items() if n not in drop}, consts)

        # Shannon expansion on the interface values the rest still reads, one frontier:
        # rests left the same by different values (the same functions of the same nodes)
        # are merged, their upstream values joined, and expanded once. Every value
        # expanded removes at least one interface node from what the rest reads, so a rest
        # taken with most interface nodes read first has met every path to it.
        frontier: dict[tuple[Any, ...], list[Any]] = {}
        order: list[tuple[int, int, tuple[Any, ...]]] = []
        pushed = itertools.count()
        ends: list[tuple[Any, ...]] = []      # the rests that read no interface node

        def push(rest_: Rest, where: Any) -> None:
            g, supp, consts = rest_
            key = tuple(g.items())
            entry = frontier.get(key)
            if entry is not None:
                entry[3] = entry[3] | where
                return
            read: set[str] = set()
            for vs in supp.values():
                read |= vs & faces
            frontier[key] = [g, supp, consts, where]
            heapq.heappush(order, (-len(read), next(pushed), key))
            if not read:
                ends.append(key)

        start = {n: stg.f[n] for n in rest}
        supp0 = {n: regs[n] for n in start}     # (replaced, never changed, as values land)
        first: Rest = (start, supp0, {})
        for n in rest:
            g0 = first[0]
            if n in g0 and (g0[n] == true or g0[n] == false):
                first = percolate(*first, n, g0[n] == true)
        push(strip(*first), fixed)
        steps = 0
        # the reorderings on the way keep the frontier small and fit the variable order to
        # the networks left (bbm/268, 4,458 networks: 37 s in all, 67 s without them); they
        # stop once a step takes longer than half the time left, to the deadline or to a
        # trial's cutoff (a sifting of the 10^5 nodes of a frontier that keeps growing,
        # bbm/243's, takes seconds and cannot stop; the cofactors a step takes never grow
        # a BDD)
        was = mgr.configure()["reordering"]
        last = time.monotonic()
        try:
            while order:
                steps += 1
                self.budget.check()
                now = time.monotonic()
                if was and not self.budget.fits(2 * (now - last)):
                    mgr.configure(reordering=False)
                last = now
                if most is not None and (len(ends) > most or steps > 8 * most):
                    log.debug("%d values of %d nodes: more than %d networks downstream "
                              "(%d found in %d steps)", groups, len(face), most, len(ends),
                              steps)
                    raise _Crowded(len(ends) > most)
                _, _, key = heapq.heappop(order)
                g, supp, consts, where = frontier.pop(key)
                counts: dict[str, int] = {}
                for vs in supp.values():
                    for v in vs & faces:
                        counts[v] = counts.get(v, 0) + 1
                if not counts:
                    # (where reads only upstream nodes: its count over them is the number
                    # of upstream fixed points that lead here)
                    weights[key] = weights.get(key, 0) + exact_count(mgr, where,
                                                                     len(upstream))
                    if key not in forced:     # the values the rules still name, of no effect
                        unread = {v: False for v in faces | set(rest) if v not in g}
                        forced[key] = {**unread, **consts}
                    continue
                x = max(counts, key=lambda v: (counts[v], -net.index(v)))
                for b in (False, True):
                    sub = where & (mgr.var(x) if b else ~mgr.var(x))
                    if sub != false:
                        push(percolate(g, supp, consts, x, b), sub)
        except BudgetExceeded as err:
            # each fixed point above has an attractor, and at most 2^k for a feedback
            # vertex set of k nodes of the rest (whatever values it reads)
            above = max(1, exact_count(mgr, fixed, len(stg.free)) >> len(rest))
            below = {n: set(mgr.support(stg.f[n])) for n in rest}
            raise BudgetExceeded(err.reason, at_least=above,
                                 at_most=above * _feedback_bound(below), what=str(err)
                                 ) from None
        finally:
            mgr.configure(reordering=was)
        self.say(f"{len(weights):,} different networks downstream "
                 f"({steps:,} rests on the way)")
        items = sorted(weights.items(), key=lambda kv: len(kv[0]))
        many = len(items) > self.settings.many_downstream
        if many:    # a fair sample first: the time the rest will take is projected from it
            random.Random(len(items)).shuffle(items)
        began, sample = time.monotonic(), min(max(8, len(items) // 10), len(items) // 4)

        # the networks downstream fall apart into independent parts (their counts
        # multiply) that recur across them, and across cascades (by their rules)
        seen: dict[tuple[Any, ...], Span] = {}
        parts: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}   # of networks shared out
        # each node's rule with the values it reads from upstream put in, by those values:
        # the networks downstream share most (bbm/143 with inputs free, 3,709 parts below
        # its upstream fixed points: 107,805 substitutions, a fifth of its count)
        reads = {n: tuple(variables(net.rules[n])) for n in net.names}
        put: dict[tuple[Any, ...], Expr] = {}

        def rule_under(n: str, consts: dict[str, bool]) -> Expr:
            key = (n, *(consts.get(v) for v in reads[n]))
            rule = put.get(key)
            if rule is None:
                rule = put[key] = substitute(net.rules[n], {v: consts[v] for v in reads[n]
                                                            if v in consts})
            return rule

        def downstream(key: tuple[Any, ...]) -> Span:
            if self.bounding and self.bounds.expired():     # bounded as it stands
                return bounded(key)
            lo = hi = 1
            split = parts.pop(key, None)
            for comp in _components(mgr, key) if split is None else split:
                span = seen.get(comp)
                if span is None:
                    span = seen[comp] = component(comp, forced[key])
                lo, hi = lo * span[0], hi * span[1]
            return lo, hi

        def share_out(keys: list[tuple[Any, ...]]) -> None:
            # the different parts of these networks not counted yet, counted by forked
            # copies (:meth:`forked`): each once, as here (they recur across the networks)
            todo: dict[tuple[Any, ...], dict[str, bool]] = {}
            for key in keys:
                parts[key] = _components(mgr, key)      # (kept for downstream())
                for comp in parts[key]:
                    if comp not in seen and comp not in todo:
                        todo[comp] = forced[key]     # (whose values it does not read)
            comps = list(todo)
            seen.update(zip(comps, self.forked(
                comps, lambda comp: component(comp, todo[comp]))))

        def bounded(functions: tuple[Any, ...]) -> Span:
            span = self.bound_bdds(mgr, dict(functions))
            if span[0] != span[1]:
                self.bounded.append((tuple(n for n, _ in functions), 0, span))
            return span

        def component(comp: tuple[Any, ...], consts: dict[str, bool]) -> Span:
            names = tuple(n for n, _ in comp)
            rules = {n: rule_under(n, consts) for n in names}
            known = (names, tuple(rules[n] for n in names))
            counted = self.memo.get(known)
            if counted is not None:
                return counted
            if not self.bounding or not self.bounds.expired():
                budget, quick = self.budget, self.bounding
                if quick:      # a short attempt at an exact count, then bounds
                    self.budget = self.bounds.child(timeout=self.settings.quick_seconds)
                try:
                    counted = self.on_bdds(mgr, dict(comp))
                except BudgetExceeded as err:
                    self.stopped(err)
                finally:
                    self.budget = budget
            if counted is None and self.bounding:
                counted = bounded(comp)
            if counted is None:      # the part as a network of its own
                self.unseeded.add(names)
                inside = set(names)    # (what it reads from the others, of no effect)
                unread = {v: False for n in names for v in variables(rules[n])
                          if v not in inside}
                counted = self.network(Network(names, {n: substitute(rules[n], unread)
                                                       for n in names}))
            self.memo[known] = counted
            return counted

        was, self.splitting = self.splitting, True      # (a sum, as a split on inputs)
        try:
            return self._sum_downstream(net, stg, items, many, began, sample, downstream,
                                        share_out)
        finally:
            self.splitting = was

    def _sum_downstream(self, net: Network, stg: AsyncSTG,
                        items: list[tuple[tuple[Any, ...], int]], many: bool, began: float,
                        sample: int, downstream: Callable[[tuple[Any, ...]], Span],
                        share_out: Callable[[list[tuple[Any, ...]]], None]) -> Span:
        """The sum over the networks downstream (:meth:`cascade`), each counted once and
        weighted by the fixed points upstream that lead to it. With ``jobs`` above one, once
        the networks left project to more than ``settings.fork_after`` seconds, their parts
        are counted by forked copies first (``share_out``)."""
        lo = hi = 0
        shared = False
        for done, (key, times) in enumerate(items):
            ahead = (time.monotonic() - began) / max(1, done) * (len(items) - done)
            # with many networks, the part is tried whole (below) when those left would
            # take more than half the time left (and more than settings.direct_after) on
            # all processes, or one of them alone a quarter of that
            limit = max(self.settings.direct_after, 0.5 * (self.budget.remaining() or 0.0))
            whole = many and done >= sample and ahead / self.jobs >= limit
            if (self.jobs > 1 and not shared and not self.bounding and done >= 2
                    and (not many or done >= sample) and not whole
                    and ahead > self.settings.fork_after):
                share_out([k for k, _ in items[done:]])
                shared, many = True, False     # (the rest are counted: no trials)
            counted: Span | None = None
            if many and not self.bounding:
                if limit > 0 and not whole:
                    try:
                        counted = self.trial(limit / 4, lambda: downstream(key))
                    except BudgetExceeded as err:
                        self.stopped(err)
                if counted is None and not self.bounding:
                    many = False       # tried once
                    log.debug("%d of %d networks downstream counted in %.1f s, %.1f s "
                              "projected for the rest: the part whole first", done,
                              len(items), time.monotonic() - began, ahead / self.jobs)
                    total = self.try_whole(net, stg)
                    if total is not None:
                        return total, total
            if counted is None:
                counted = downstream(key)
            lo, hi = lo + times * counted[0], hi + times * counted[1]
        return lo, hi

    def forked(self, keys: list[tuple[Any, ...]], count: Callable[[tuple[Any, ...]], Span]
               ) -> list[Span]:
        """``count(key)`` of each part (its functions), shared out between this process
        and ``jobs - 1`` forked copies of it (:func:`~logicbone.parallel.forked_map`): the
        copies hold the BDDs as they stand here. A copy reports only its spans, the parts
        it bounded and why it stopped, if it did (its time ran out, or an interrupt reached
        it): the count here then goes on as bounds too."""
        from ..parallel import forked_map

        jobs, self.jobs = self.jobs, 1      # no copies of copies, nor more copies meanwhile
        first = len(self.bounded)

        def prepare() -> None:
            self.say = lambda msg: None
            self.budget.mute()
            self.bounds.mute()

        def last() -> tuple[tuple[StopReason, str] | None, list[Any]]:
            stop = self.stop
            return (None if stop is None else (stop.reason, str(stop)), self.bounded[first:])

        try:
            spans, ends = forked_map(lambda i: count(keys[i]), len(keys), jobs,
                                     prepare=prepare, last=last)
        finally:
            self.jobs = jobs
        for stop, bounded in ends:
            self.bounded.extend(bounded)
            if stop is not None and self.stop is None:
                self.stopped(BudgetExceeded(stop[0], what=stop[1]))
        return [spans[i] for i in range(len(keys))]

    def trial(self, seconds: float, count: Callable[[], Span]) -> Span | None:
        """``count()`` within ``seconds``, or None when it takes longer, with nothing
        recorded on the way (no bounds, no memo, counting not stopped); BudgetExceeded when
        the time of the count as a whole is up or an interrupt arrived."""
        saved, was = self.budget, self.trying
        # a cutoff, not a deadline: the count inside chooses its methods by the time left
        # as it would outside a trial (with a deadline 5 s away, bbm/050 took 54 s not 33)
        self.budget, self.trying = saved.child(cutoff=seconds), True
        try:
            return count()
        except BudgetExceeded:
            if saved.expired():
                raise
            return None
        finally:
            self.budget, self.trying = saved, was

    def try_whole(self, net: Network, stg: AsyncSTG) -> int | None:
        """The count of a part whole (:meth:`direct`) within ``settings.direct_seconds``
        and 70 % of the time left; None when it has too many minimal trap spaces, the
        solver does not list its candidate states outside them, or the time ran out first
        (each network downstream costs its own trap spaces, candidates and searches: the
        part whole is often quicker when its minimal trap spaces are few, but proving none
        lies outside them can take far longer: bbm/277 with inputs free, 163 nodes with 7
        inputs, 1,324 fixed points and 46 minimal trap spaces, its candidates not built in
        30 s; the 187 networks downstream took 34 s after it)."""
        saved = self.budget
        self.budget = saved.child(share=0.7, timeout=self.settings.direct_seconds)
        try:
            return self.direct(net, stg, self.settings.direct_spaces, listed_only=True)
        except BudgetExceeded:
            if saved.expired():
                raise
            self.say("counting the networks downstream instead")
            return None
        finally:
            self.budget = saved

    def fixed_points(self, net: Network) -> int:
        from .fixed_points import count_fixed_points
        try:
            return count_fixed_points(net, budget=self.budget)
        except BudgetExceeded as err:
            raise _bounded(err, max(1, err.at_least or 0)) from None

    def spaces(self, net: Network, limit: int | None
               ) -> tuple[list[str], list[str] | None, int] | None:
        """The minimal trap spaces with free nodes, the fixed points (None: not listed) and
        their number, or None when there are more than ``limit`` minimal trap spaces.
        Without a limit, when there are too many to list (many fixed points), they are
        counted on a BDD, and the trap spaces minimal among those with a free node are
        enumerated instead and those that hold a fixed point dropped."""
        from .trap_spaces import trap_spaces
        budget = self.budget
        res = trap_spaces(net, TrapSpaceKind.MIN, budget=budget.child(
            limit=self.settings.max_min_spaces if limit is None else limit))
        if res.complete:
            points = [s for s in res if "*" not in s]
            return [s for s in res if "*" in s], points, len(points)
        if res.reason is not StopReason.LIMIT:   # each minimal trap space holds an attractor
            why = res.reason or StopReason.TIMEOUT
            raise BudgetExceeded(why, at_least=max(1, len(res)),
                                 what=f"minimal trap spaces not all found ({why.value})")
        if limit is not None:
            return None
        fp = self.fixed_points(net)
        oracle = FixedPointOracle(net)
        found, outcome = complex_spaces(net, budget)
        if not outcome.complete:
            # the spaces found that hold no fixed point are minimal trap spaces
            witness, pending = Budget(timeout=1.0), 0
            try:
                for space in found:
                    if not oracle.solve([(i, int(c)) for i, c in enumerate(space)
                                         if c != "*"], 0, witness):
                        pending += 1
            except BudgetExceeded:
                pass
            stop = outcome.reason or StopReason.TIMEOUT
            raise BudgetExceeded(stop, at_least=max(1, fp + pending),
                                 what=f"trap spaces not all found ({stop.value})")
        return [space for space in found if not oracle.solve(
            [(i, int(c)) for i, c in enumerate(space) if c != "*"], 0, budget)], None, fp

    def direct(self, net: Network, stg: AsyncSTG, limit: int | None = None, *,
               listed_only: bool = False) -> int | None:
        """The number of attractors of one part, or None when it has more than ``limit``
        minimal trap spaces; with ``listed_only``, BudgetExceeded when its candidate states
        outside them are not listed by the solver (:func:`outside_spaces`)."""
        import numpy as np

        budget, settings, say = self.budget, self.settings, self.say
        total = 0           # attractors counted so far
        pending = 0         # minimal trap spaces not yet searched (one attractor each, at least)
        try:
            listed = self.spaces(net, limit)
            if listed is None:
                return None
            spaces, points, fp = listed
            total, pending = fp, len(spaces)
            say(f"{fp:,} fixed points and {len(spaces):,} minimal trap spaces with free "
                f"nodes in a part of {len(net.names)} nodes")
            # a space's attractors counted once per sub-network it percolates to
            subs, counted = SubNetworks(net), {}
            prefer = ["upstream", "downstream"]

            def in_space(space: str) -> int:
                key = subs.key(space)
                if key not in counted:
                    counted[key] = sum(1 for _ in attractors_in_space(
                        stg, space, budget, settings, prefer=prefer, detail=Detail.COUNT))
                return counted[key]

            if points is not None and len(spaces) + len(points) <= settings.max_avoided:
                # few: each counted, then the candidates outside them all listed by the
                # solver, as when listing
                for space in spaces:
                    total += in_space(space)
                    pending -= 1
                stg.mgr.configure(reordering=False)
                known = space_union(stg, spaces + points, budget)
                for _ in outside_spaces(stg, spaces + points, known, budget, settings, say,
                                        listed_only=listed_only):
                    total += 1
                return total
            extra = _candidate_rows(stg, settings)
            if extra is None:      # listed by the solver when the BDD grows too large
                # (with time left after it: reading many rows back cannot stop)
                extra = extra_candidates(stg, budget.child(share=0.6), settings)
            if extra is None:      # too many candidates to list: each space searched alone
                for space in spaces:
                    total, pending = total + in_space(space), pending - 1
            else:
                # every attractor in a minimal trap space holds one of its candidates: one
                # candidate, one attractor
                where = Membership(spaces, net.names, list(stg.free)).which(extra)
                counts = np.bincount(where[where >= 0], minlength=len(spaces))
                # the rows of each space, by one sort (not a pass over them all per space)
                order = np.argsort(where, kind="stable")
                ends = np.searchsorted(where[order], np.arange(-1, len(spaces)), side="right")
                for k, space in enumerate(spaces):
                    if counts[k] == 1:
                        c = 1
                    else:     # searched from its candidates, once per sub-network
                        key = subs.key(space)
                        if key not in counted:
                            counted[key] = sum(1 for _ in attractors_in_space(
                                stg, space, budget, settings, extra[order[ends[k]:ends[k + 1]]],
                                detail=Detail.COUNT))
                        c = counted[key]
                    total, pending = total + c, pending - 1
                extra = extra[where < 0]
                if not len(extra):
                    return total
            mgr = stg.mgr
            if points is not None:     # listed: their cubes (their BDD can be costly)
                known = space_union(stg, spaces + points, budget)
            else:
                fixed = mgr.false   # without fixed points their BDD is not built: on the way
                if fp:              # to empty it can grow huge (40 s on bbm/002 under a condition)
                    fixed = mgr.true
                    for can in stg.flip.values():
                        fixed &= ~can
                known = space_union(stg, spaces, budget) | fixed
            if extra is not None and len(extra):     # walks end in spaces or fixed points
                say(f"{len(extra):,} candidate states outside the minimal trap spaces")
            for _ in outside(stg, extra, known, spaces, settings, say):
                total += 1
            return total
        except BudgetExceeded as err:
            if err.at_least is not None:
                raise
            raise _bounded(err, max(1, total + pending)) from None


def _components(mgr: Any, functions: tuple[tuple[str, Any], ...]
                ) -> list[tuple[tuple[str, Any], ...]]:
    """``functions`` (pairs of a node and its BDD in ``mgr``, reading only these nodes)
    split into the weakly connected parts of their interaction graph, each in the order
    given."""
    by_node = dict(functions)
    return [tuple((n, by_node[n]) for n in part)
            for part in connected_parts(by_node, lambda n: mgr.support(by_node[n]))]


def feedback_bound(net: Network) -> int:
    """``2^k`` for a feedback vertex set of ``k`` nodes (inputs included), a proven upper
    bound of the number of asynchronous attractors: with the set frozen the other nodes
    settle to one state (they form no cycle), which lies in every attractor holding a state
    with those values, so two attractors that agree on the set meet.

    Examples
    --------
    >>> import logicbone as lb
    >>> feedback_bound(lb.parse_bnet("A, !B\\nB, A\\nI, I"))
    4
    """
    from ..expr import variables
    return _feedback_bound({n: set(variables(net.rules[n])) for n in net.names})


def _feedback_bound(regs: dict[str, set[str]]) -> int:
    """:func:`feedback_bound` of the nodes of ``regs`` (each node's regulators; others are
    left out: a feedback vertex set of this graph is one whatever values they take)."""
    from .fixed_points import feedback_vertex_set
    names = list(regs)
    index = {n: i for i, n in enumerate(names)}
    graph = [{index[v] for v in regs[n] if v in index} for n in names]
    return 1 << len(feedback_vertex_set(len(names), graph)[0])


def upper_bound(net: Network, seconds: float | None = None, *,
                budget: Budget | None = None,
                settings: EngineSettings | None = None) -> int | None:
    """A proven upper bound of the number of asynchronous attractors, found within
    ``seconds`` or ``budget`` (None if not): the number of candidate states
    (:meth:`AsyncSTG.candidate_states`, the fixed points of the retained network), since
    every attractor holds one and attractors are disjoint. They are counted as fixed
    points are, the BDD given ``settings.bound_bdd_seconds`` before the model counter.

    Examples
    --------
    >>> import logicbone as lb
    >>> upper_bound(lb.parse_bnet("A, !B\\nB, A\\nI, I"), 5.0) >= 2
    True
    """
    from .fixed_points import count_fixed_points
    budget = Budget.of(budget, timeout=seconds)
    quick = _bounding(settings)
    try:
        stg = AsyncSTG(net, budget=budget, checked=True)
        if not stg.negative_feedback_vertex_set():
            return count_fixed_points(net, budget=budget, settings=quick)
        return count_fixed_points(stg.retained_network(), budget=budget, settings=quick)
    except BudgetExceeded:
        return None


def _bounding(settings: EngineSettings | None) -> EngineSettings:
    """``settings`` for the fixed-point counts of bounds: the BDD given
    ``settings.bound_bdd_seconds`` before the model counter."""
    settings = settings or DEFAULT
    return dataclasses.replace(settings, bdd_counter_seconds=settings.bound_bdd_seconds)


def _fixed_point_floor(net: Network, budget: Budget, settings: EngineSettings) -> int:
    """The fixed points of ``net`` (each an attractor), counted within ``budget`` as by
    :func:`upper_bound`, or as many as are proven when that stops."""
    from .fixed_points import fixed_points_at_least
    return fixed_points_at_least(net, budget, _bounding(settings))


def lower_bound(net: Network, seconds: float | None = None, *,
                budget: Budget | None = None,
                settings: EngineSettings | None = None) -> int:
    """A proven lower bound of the number of asynchronous attractors, found within
    ``seconds`` or ``budget``: the minimal trap spaces (each holds an attractor, and they
    are disjoint), as many as are counted in that time, or the fixed points (at least 1),
    counted first (half the time) as by :func:`upper_bound`.

    Examples
    --------
    >>> import logicbone as lb
    >>> lower_bound(lb.parse_bnet("A, !B\\nB, A\\nI, I"), 5.0)
    2
    """
    from .trap_spaces import count_trap_spaces
    budget = Budget.of(budget, timeout=seconds)
    # (fixed points are minimal trap spaces, often counted where those are not)
    least = _fixed_point_floor(net, budget.child(share=0.5), settings or DEFAULT)
    try:
        return max(1, least, count_trap_spaces(net, TrapSpaceKind.MIN, budget=budget,
                                               settings=settings))
    except BudgetExceeded as err:
        return max(1, least, err.at_least or 0)


def _candidate_rows(stg: AsyncSTG, settings: EngineSettings) -> Any:
    """The candidate states that are not fixed points (as
    :func:`~logicbone.analysis._async_pipeline.extra_candidates`: a bool matrix over
    ``stg.free``) read off their BDD; None when that grows past ``settings.max_seed_nodes``
    nodes or holds more than ``settings.max_listed`` states."""
    mgr = stg.mgr
    was = mgr.configure(reordering=False)["reordering"]
    try:
        found = stg.candidate_states(max_nodes=settings.max_seed_nodes)
    finally:
        mgr.configure(reordering=was)
    if found is None:
        return None
    found &= stg.moving()
    if stg.count(found) > settings.max_listed:
        return None
    return state_rows(stg, found)


def _count_from_seeds(stg: AsyncSTG, seeds: Any, settings: EngineSettings = DEFAULT,
                      fixed: Any = None, swept: bool = False) -> int:
    """The number of attractors of ``stg`` when every one holds a state of ``seeds`` (a
    BDD of states, such as :meth:`AsyncSTG.candidate_states`); ``fixed``: the fixed points
    among them, when known.

    Fixed points among the seeds are attractors, and the other seeds that reach one are
    transient: the seeds are first swept forward on their BDD (each along one path, so the
    states they reach meet the same attractors) and those that reach a fixed point dropped
    (:func:`_swept_off`; ``swept``: they were already), then the rest of them
    (:func:`_off_fixed_points`; a few are walked first, below). Coupled walks then drop each
    seed that reaches another one (:func:`narrowed`). The seeds left (states that meet every
    attractor not a fixed point) are kept while the invariant holds that every attractor not
    yet found holds a kept seed. A seed whose forward set meets another kept seed lies in
    that one's attractor if in any: it leaves, and the invariant still holds; so does a seed
    whose forward set meets a found attractor (it is transient: no kept seed lies in a found
    attractor). A seed whose complete forward set meets neither lies in an attractor (that
    forward set holds one not found, and only this seed can be in it): the forward set is
    that attractor. Before any search, a seed alone in the smallest trap space around it
    (:meth:`AsyncSTG.trap_closure`: no other kept seed, no fixed point and nothing found in
    it) lies in the one attractor of that space, which every attractor there would hold a
    kept seed of: it is counted, and the space stands for that attractor among those found
    (a state in it reaches no other; bbm/143 with inputs free, 3,145 networks: 16 s counting
    from their seeds, 9.5 s with this). The forward searches stop where they meet a kept
    seed or a found attractor, which costs far less than the backward set of each attractor
    found (bbm/101, 84 networks below upstream fixed points: 480 backward searches were half
    its count). When one seed is left and it reaches no found attractor (a brief forward
    search, else the backward set of those found), it lies in the only attractor not found:
    it is counted without a search to the end (its forward set, on a large attractor, is the
    costly part).

    The walks give up after ``settings.stagnant`` sweeps without a drop; when the first
    forward search then takes more than ``settings.seed_forward_seconds``, the seeds are
    walked again with ``settings.seed_patience`` (bbm/255: the two seeds left of 22 in a
    part of 76 nodes meet a little later, where the forward search from one did not end in
    30 s; on bbm/106 the longer walks on every network below its upstream fixed points
    cost half its count again).
    """
    mgr = stg.mgr
    false = mgr.false
    if fixed is None:
        fixed = seeds & ~stg.moving()
    total = stg.count(fixed)
    rest = seeds & ~fixed

    found = false       # the attractors found, or trap spaces that hold one found

    def alone(s: Any, others: Any) -> bool:
        # s is the only kept seed in the smallest trap space around it, where no
        # attractor was found: it lies in the one attractor there, which that space marks
        nonlocal found
        trap = stg.trap_closure(s)
        if (others | fixed | found) & trap != false:
            return False
        found |= trap
        return True

    def settle(total: int, rest: Any) -> tuple[int, Any]:
        # every seed alone counted before the first forward search, whose stops then
        # include their spaces (bbm/223 with inputs free: 8.6 s; with only the check of
        # each seed as the loop below picks it, 35 s)
        for values in list(mgr.pick_iter(rest, care_vars=set(stg.free))):
            s = mgr.cube(values)
            if alone(s, rest & ~s):
                total += 1
                rest &= ~s
        return total, rest

    def narrow(rest: Any, patience: int) -> Any:
        # seeds whose walk reaches another kept seed leave, no search from them
        if not 1 < stg.count(rest) <= settings.max_reduced:
            return rest
        kept, _ = narrowed(stg, state_rows(stg, rest), stg.budget, settings, hull=False,
                           patience=patience)
        return union(mgr, cubes(stg, kept))

    walked = patient = False
    if rest != false and fixed != false:      # seeds that reach a fixed point are transient
        if not swept:
            rest = _swept_off(stg, rest, fixed, settings)
        if stg.count(rest) <= settings.plain_walks:     # a few: walked first
            rest, walked = narrow(rest, settings.stagnant), True
        if rest != false:
            rest = _off_fixed_points(stg, rest, fixed, settings)
    if not walked:
        rest = narrow(rest, settings.stagnant)
    if stg.count(rest) <= settings.max_reduced:
        total, rest = settle(total, rest)
    while rest != false:
        s = stg.pick(rest)
        assert s is not None
        others = rest & ~s
        if alone(s, others):
            total += 1
            rest = others
            continue
        if stg.count(rest) == 1:
            # the last seed reaches a found attractor, or lies in the one not found
            if found != false:
                fwd = _forward_briefly(stg, rest, found, settings.seed_forward_seconds)
                if fwd is None:
                    rest &= ~stg.backward(found)
                elif fwd & found != false:
                    rest = false
            return total + (rest != false)
        stop = others | found
        if patient or stg.count(rest) > settings.max_reduced:
            fwd = stg.forward(s, stop=stop)
        else:
            fwd = _forward_briefly(stg, s, stop, settings.seed_forward_seconds)
            if fwd is None:       # a long search: the walks first, for longer
                rest, patient = narrow(rest, settings.seed_patience), True
                continue
        rest = others
        if fwd & stop != false:   # s reaches another kept seed, or a found attractor
            continue
        total += 1
        found |= fwd
    return total


def _forward_briefly(stg: AsyncSTG, state: Any, stop: Any, seconds: float) -> Any:
    """:meth:`AsyncSTG.forward` from ``state`` until it meets ``stop``, or None when that
    takes more than ``seconds``."""
    if seconds <= 0:
        return None
    budget = stg.budget
    stg.budget = budget.child(timeout=seconds)
    try:
        return stg.forward(state, stop=stop)
    except BudgetExceeded:
        if budget.expired():
            raise
        return None
    finally:
        stg.budget = budget


def _off_fixed_points(stg: AsyncSTG, seeds: Any, fixed: Any,
                      settings: EngineSettings) -> Any:
    """The states of ``seeds`` that reach none of the states of ``fixed`` (fixed points).

    Up to ``settings.plain_walks`` seeds are first walked at random for
    ``settings.plain_sweeps`` sweeps: one whose walk ends on a fixed point is transient
    (bbm/223 with inputs free: 148 networks below upstream fixed points, most with one or
    two seeds that reach a fixed point; 11 to 21 s in forward searches, 0.3 s walked). The
    others are searched from, each until it meets a fixed point, for
    ``settings.seed_forward_seconds`` in all: a seed on its way to a
    fixed point gets there in a few steps, where the backward search from the fixed points can
    cover all but a few states of a large network (bbm/255, a part of 77 nodes: 0.01 s
    against 22 s). The seeds not decided so are decided by the backward search from the
    fixed points (on another part of 78 nodes it covers every state in 23 s, where the
    forward search from the one seed left did not end in 60 s)."""
    false = stg.mgr.false
    if stg.count(seeds) > settings.plain_walks:
        return seeds & ~stg.backward(fixed)
    kept = todo = false
    deadline = time.monotonic() + settings.seed_forward_seconds
    walks = OneWalk(stg)
    for s in list(stg.mgr.pick_iter(seeds, care_vars=set(stg.free))):
        if walks.settles(s, [], settings.plain_sweeps):     # it reaches a fixed point
            continue
        cube = stg.mgr.cube(s)
        fwd = _forward_briefly(stg, cube, fixed, deadline - time.monotonic())
        if fwd is None:
            todo |= cube
        elif fwd & fixed == false:
            kept |= cube         # its whole forward set, and no fixed point in it
    return kept if todo == false else kept | (todo & ~stg.backward(fixed))


def _swept_off(stg: AsyncSTG, states: Any, off: Any, settings: EngineSettings) -> Any:
    """``states`` swept forward all at once less ``off`` (a trap set) after each sweep
    (:meth:`AsyncSTG.swept_off`), until none is left or four sweeps in a row drop none (the
    backward search after them decides the states left, mostly in oscillations, where
    more sweeps would drop none); ``states`` themselves when the BDD grows past
    ``settings.max_seed_nodes`` nodes.

    Each state follows one asynchronous path, so the states left meet every attractor
    that ``states`` meet outside ``off``. On the BDD of a few dozen variables a sweep costs
    a few BDD operations per node, far less than listing the states to walk them (bbm/144
    with inputs free: 3,710 networks below upstream fixed points, their candidates walked
    in 11 s, swept off in 2 s, none left)."""
    swept = stg.swept_off(states, off, stagnant=4, max_nodes=settings.max_seed_nodes)
    return states if swept is None else swept[0]


def _explicit_attractors(net: Network) -> tuple[Any, ...]:
    from .explicit import explicit_attractors
    return explicit_attractors(net, Update.ASYNCHRONOUS, max_states=0, force=True).attractors


def _explicit_count(net: Network, update: Update, settings: EngineSettings) -> int:
    from .explicit import explicit_attractors
    return len(explicit_attractors(net, update, max_states=0,
                                   state_limit=settings.state_limit, force=True).attractors)


def count_attractors(net: Network, update: Update | str = Update.ASYNCHRONOUS, *,
                     method: AttractorMethod | str = AttractorMethod.AUTO,
                     timeout: float | None = None,
                     progress: Callable[[str], None] | None = None,
                     budget: Budget | None = None, settings: EngineSettings | None = None,
                     jobs: int = 1) -> int:
    """The number of attractors of ``net``, exactly, without listing them.

    Parameters
    ----------
    net : Network
        Inputs are free (every combination counts) unless fixed beforehand.
    update : Update or str
        ``async`` (any size), ``mp`` (the minimal trap spaces, any size), ``sync`` and
        ``general`` (only when the state space is small enough to search explicitly).
    method : AttractorMethod or {"auto", "symbolic", "explicit"}
        For ``async``: the symbolic count, or the explicit search of all states;
        ``auto`` searches explicitly up to ``settings.explicit_max_states`` states.
    timeout : float, optional
        Seconds; on expiry :class:`~logicbone.budget.BudgetExceeded` is raised.
    progress : callable(str), optional
        Receives one-line progress messages.
    budget : Budget, optional
        Instead of (or narrowed by) ``timeout``; its interrupts stop the count too.
    settings : EngineSettings, optional
        Tuning of the asynchronous count; never changes the answer.
    jobs : int
        Processes for an asynchronous count: above one, the networks left below the fixed
        points of an upstream part are shared out to forked copies of this process (on
        Linux; elsewhere, and with one, all are counted here). Never changes the answer.

    Returns
    -------
    int

    Raises
    ------
    BudgetExceeded
        When time runs out or an interrupt arrives; its ``at_least`` and ``at_most`` hold
        proven lower and upper bounds, and its message names the part that resists.
    StateSpaceTooLarge
        For ``sync`` or ``general`` update on a state space too large to search.
    LogicboneError
        For an unknown method.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A & B\\nB, B | A\\nI, I")
    >>> count_attractors(net)
    6
    >>> count_attractors(lb.parse_bnet("A, !B\\nB, A"), "sync")
    1
    """
    from .explicit import free_nodes

    update = Update.parse(update)
    how = AttractorMethod.parse(method) if method in _COUNT_METHODS else None
    if how not in _COUNT_METHODS:
        raise UsageError(f"unknown method '{method}'; use auto, symbolic or explicit")
    settings = settings or DEFAULT
    budget = Budget.of(budget, timeout=timeout, progress=progress)
    say = progress or (lambda msg: budget.report(msg, every=0.0))
    if update is Update.MOST_PERMISSIVE:
        from .trap_spaces import count_trap_spaces
        return count_trap_spaces(net, TrapSpaceKind.MIN, budget=budget)
    from ..expr import Const
    if any(isinstance(net.rules[n], Const) for n in net.names):
        _, free = free_nodes(net)
    else:      # nothing to percolate
        free = net.names
    state_limit = settings.state_limit
    if update is not Update.ASYNCHRONOUS:
        if (1 << len(free)) > state_limit:
            # (SAT lists synchronous cycles only: no scalable method for general update)
            listed = ("list these with --method sat --limit N" if update is Update.SYNCHRONOUS
                      else "fix inputs (--inputs) to shrink the space")
            raise StateSpaceTooLarge(
                len(free), state_limit, "count asynchronous (async) or most permissive (mp) "
                f"attractors, or {listed}",
                what=f"counting {update.value} attractors needs the explicit search, and "
                     f"2^{len(free)} states are above its limit of 2^{state_limit.bit_length() - 1}")
        return _explicit_count(net, update, settings)
    if how is AttractorMethod.EXPLICIT or (how is AttractorMethod.AUTO
                                           and (1 << len(free)) <= settings.explicit_max_states):
        return _explicit_count(net, update, settings)

    # with a time limit: a share to count, then the bound of the whole and those of the
    # parts left, and a margin for the steps that cannot stop at once (solver calls)
    timed = budget.deadline is not None
    share = settings.count_share
    counter = _Counter(budget.child(share=share) if timed else budget, settings, say,
                       bounds=budget.child(share=min(1.0, 0.1 + share)) if timed else budget,
                       jobs=max(1, int(jobs)))
    counter.whole = net
    lo, hi = counter.network(net)
    stop = counter.stop
    final = budget.child(share=min(1.0, 0.1 + share)) if timed else budget
    if stop is not None and counter.least is None and lo < hi and not final.expired():
        counter.least = _fixed_point_floor(net, final.child(share=0.5), settings)
    if stop is not None and counter.most is None and lo < hi and not final.expired():
        counter.most = upper_bound(net, budget=final, settings=settings)
    lo = max(lo, counter.least or 0)     # what time is left
    if counter.most is not None:
        hi = max(lo, min(hi, counter.most))
    if stop is None or lo == hi:       # counted, or bounds that meet
        log.info("attractors counted in %.2f s (%d parts counted)", budget.elapsed(),
                 len(counter.memo))
        return lo
    where = ""
    if counter.bounded:
        names, inputs, (a, b) = max(counter.bounded, key=lambda r: (r[2][1] - r[2][0],
                                                                     len(r[0])))
        where = (f"; {len(counter.bounded):,} parts bounded, the widest of {len(names)} "
                 f"nodes with {inputs} inputs ({', '.join(names[:4])}"
                 f"{', ...' if len(names) > 4 else ''}: {a:,} to {b:,}) resists")
    raise BudgetExceeded(stop.reason, at_least=lo, at_most=hi,
                         what=f"counting asynchronous attractors stopped early ({stop.reason.describe()}); "
                              f"at least {lo:,}, at most {hi:,}{where}")
