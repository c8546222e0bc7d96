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
2. a part without a negative cycle has only fixed points as attractors; they are counted on
   a BDD (:func:`count_fixed_points`);
3. a part with free inputs is counted as the sum over the two values of one input (the one
   read by most nodes): inputs never change under asynchronous update, and each value
   percolates and splits again;
4. otherwise the fixed points are counted, and the minimal trap spaces with free nodes are
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
   searched symbolically; with too many to list, backward reachability from the fixed
   points and the minimal trap spaces decides: if that is every state there is no other
   attractor, otherwise the states left form a trap set whose terminal SCCs are counted.

A time limit gives :class:`~logicbone.errors.AnalysisTimeout` with ``at_least``, a proven
lower bound (every part has at least one attractor, every minimal trap space holds one).

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, A\\n" + "\\n".join(f"I{i}, I{i}" for i in range(60)))
>>> count_attractors(net) == 2 ** 60
True
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ..dynamics.update import Update
from ..errors import AnalysisTimeout, LogicboneError, StateSpaceTooLarge
from ..network import Network

__all__ = ["count_attractors"]

log = logging.getLogger(__name__)

#: ``method="auto"`` counts asynchronous attractors explicitly up to this many states (after
#: percolating constants), as :func:`~logicbone.analysis.attractors.attractors` does
EXPLICIT_MAX_STATES = 1 << 15

#: synchronous and general asynchronous attractors are counted only explicitly, up to this
#: many states
STATE_LIMIT = 1 << 26

#: trap spaces where at most this many nodes can change are searched in the part's own BDD
#: manager; larger ones get a manager of their own
SMALL_SPACE = 12

#: most candidate states (outside the minimal trap spaces) listed; above it, backward
#: reachability decides
MAX_LISTED = 200_000

#: most candidate states searched one by one after the random walks
MAX_SEARCHED = 2000

#: parts of at most this many nodes are counted explicitly
EXPLICIT_PART = 10

#: a part with inputs (and a negative cycle) is counted as the sum over the two values of
#: one input, unless it has at most this many minimal trap spaces (0: always split)
SPLIT_ABOVE = 0

#: most minimal trap spaces listed in a part without inputs; above it, the trap spaces
#: minimal among those with a free node are enumerated instead
MAX_MIN_SPACES = 200_000


class _Stopped(Exception):
    """A part's count ran out of time; ``at_least`` is a lower bound for the part."""

    def __init__(self, why: str, at_least: int):
        super().__init__(why)
        self.at_least = at_least


class _FixedPointOracle:
    """One ground fixed-point program, asked many questions through assumptions."""

    def __init__(self, net: Network, show: list[int] | None = None):
        import clingo

        from .asp import trap_program
        from .primes import rule_dnfs

        self.n = len(net.names)
        self.show = list(range(self.n)) if show is None else show
        self.ctl = clingo.Control(["--warn=none"])
        self.ctl.add("base", [], trap_program(self.n, rule_dnfs(net), fixed_points=True,
                                              show=self.show))
        self.ctl.ground([("base", [])])
        self._atom = {}
        self._clingo = clingo

    def atom(self, i: int, value: int):
        key = (i, value)
        if key not in self._atom:
            c = self._clingo
            self._atom[key] = c.Function("h", [c.Number(i), c.Number(value)])
        return self._atom[key]

    def solve(self, assume: list[tuple[int, int]], limit: int | None, deadline: float | None):
        """The fixed points with ``assume`` (pairs node index, value), as lists of shown
        numbers; at most ``limit`` + 1 of them (``None``: all)."""
        self.ctl.configuration.solve.models = 0 if limit is None else limit + 1
        found: list[list[int]] = []

        def on_model(model):
            found.append([s.number for s in model.symbols(shown=True)])

        _check(deadline, "in the solver")
        assumptions = [(self.atom(i, v), True) for i, v in assume]
        with self.ctl.solve(on_model=on_model, assumptions=assumptions, async_=True) as handle:
            while not handle.wait(0.05):
                if deadline is not None and time.monotonic() > deadline:
                    handle.cancel()
                    raise AnalysisTimeout("time limit reached in the solver")
            handle.get()
        return found

    def decode(self, rows: list[list[int]], chunk: int = 8):
        """Shown numbers (packed as :func:`~logicbone.analysis.asp.trap_program` packs
        them) -> a bool matrix over the shown nodes."""
        import numpy as np
        x = np.zeros((len(rows), len(self.show)), dtype=bool)
        for r, row in enumerate(rows):
            for s in row:
                group, v = s >> chunk, s & ((1 << chunk) - 1)
                for t in range(chunk):
                    k = group * chunk + t
                    if k < len(self.show) and v >> t & 1:
                        x[r, k] = True
        return x


def _deadline_left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.01, deadline - time.monotonic())


def _check(deadline: float | None, what: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise AnalysisTimeout(f"time limit reached {what}")


def _complex_spaces(net: Network, deadline: float | None, limit: int | None = None
                    ) -> list[str] | None:
    """The trap spaces minimal among those with at least one free node (strings in bit
    order), or None when there are more than ``limit``; raises :class:`AnalysisTimeout`
    (carrying the spaces found) when time runs out."""
    from .asp import SolveOutcome, solve_models, trap_program
    from .primes import rule_dnfs
    from .trap_spaces import _decoder

    n = len(net.names)
    program = trap_program(n, rule_dnfs(net))
    program += "".join(f"free :- h({i},0), h({i},1).\n" for i in range(n)) + ":- not free.\n"
    extract, decode = _decoder(n)
    outcome = SolveOutcome()
    spaces = decode(solve_models(program, mode="min", limit=limit,
                                 timeout=_deadline_left(deadline), outcome=outcome,
                                 extract=extract))
    if outcome.complete:
        return spaces
    if outcome.reason == "limit":
        return None
    err = AnalysisTimeout(f"trap spaces not all found ({outcome.reason})")
    err.spaces = spaces
    raise err


def _count_inside(stg, space: str, deadline: float | None, seeds=None) -> int:
    """The number of attractors in a minimal trap space (a string in bit order); ``seeds``
    (rows of a bool matrix over ``stg.free``), if given, meet every attractor in it."""
    from .async_attractors import _candidates, _cubes
    from .symbolic import AsyncSTG

    cube = stg.space(space)
    moving = stg.movable(cube)
    if len(moving) <= SMALL_SPACE:
        return sum(1 for _ in stg.terminal_sccs(
            cube, nodes=moving, seeds=None if seeds is None else _cubes(stg, seeds)))
    fixed = {v: c == "1" for v, c in zip(stg.net.names, space) if c != "*"}
    where = AsyncSTG(stg.net, fixed, deadline=deadline)
    if seeds is None:
        rows = _candidates(where, [], deadline)
    else:   # the same states over the nodes left free in the space
        rows = seeds[:, [stg.free.index(n) for n in where.free]]
    return sum(1 for _ in where.terminal_sccs(where.mgr.true, seeds=_cubes(where, rows)))


def _extra_candidates(stg, deadline: float | None):
    """The candidate states (fixed points of the retained network) that are not fixed points
    of the network, as a bool matrix over ``stg.free``; None when there are more than
    :data:`MAX_LISTED`.

    A fixed point of the retained network fails to be one of the network only at a node
    whose rule was changed, where the node disagrees with its own rule: the solver is asked
    for exactly those, per changed node, on the retained network extended by a copy of the
    node's original rule.
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
    oracle = _FixedPointOracle(Network(names, rules), show=free_cols)
    rows: list[list[int]] = []
    for n in changed:
        for value in (0, 1):
            rows += oracle.solve([(index[n], value), (index[copies[n]], 1 - value)],
                                 MAX_LISTED - len(rows), deadline)
            if len(rows) > MAX_LISTED:
                return None
    x = oracle.decode(rows)
    return np.unique(x, axis=0) if len(x) else x


class _Counter:
    """Counts of asynchronous attractors of networks without constants, remembered by rules.

    :meth:`network` percolates and splits into independent parts (the counts multiply);
    :meth:`part` counts one part: explicitly when small, all fixed points when it has no
    negative cycle, as the sum over the two values of an input when it has inputs (each
    value percolates and splits again), otherwise by :meth:`direct`. Counts are pairs ``(fixed points, attractors)``.
    """

    def __init__(self, deadline: float | None, say: Callable[[str], None]):
        self.deadline = deadline
        self.say = say
        self.memo: dict[tuple, tuple[int, int]] = {}

    def network(self, net: Network) -> tuple[int, int]:
        from .fixed_points import _decompose
        _, parts = _decompose(net)
        fp = total = bound = 1
        stopped = None
        for part in sorted(parts, key=lambda p: len(p.index)):
            if stopped is not None:       # every part holds at least one attractor
                continue
            try:
                f, t = self.part(part.net)
            except _Stopped as err:
                stopped, bound = err, bound * err.at_least
                continue
            fp, total, bound = fp * f, total * t, bound * t
        if stopped is not None:
            raise _Stopped(str(stopped), bound)
        return fp, total

    def part(self, net: Network) -> tuple[int, int]:
        from ..expr import to_text
        key = (net.names, tuple(to_text(net.rules[n]) for n in net.names))
        if key not in self.memo:
            t = time.monotonic()
            self.memo[key] = self._part(net)
            log.debug("part of %d nodes, %d inputs: %s in %.2f s", len(net.names),
                      len(net.inputs), self.memo[key], time.monotonic() - t)
        return self.memo[key]

    def _part(self, net: Network) -> tuple[int, int]:
        from ..expr import variables
        from .symbolic import AsyncSTG

        _check_stopped(self.deadline)
        if len(net.names) <= EXPLICIT_PART:
            atts = _explicit_attractors(net)
            return sum(a.type == "fixed_point" for a in atts), len(atts)
        try:
            stg = AsyncSTG(net, deadline=self.deadline)
            if not stg.negative_feedback_vertex_set():
                fp = self.fixed_points(net)
                return fp, fp        # every attractor holds a candidate: a fixed point
            inputs = net.inputs
            if inputs and SPLIT_ABOVE:
                fp = self.fixed_points(net)
                total = self.direct(net, fp, stg, SPLIT_ABOVE)
                if total is not None:
                    return fp, total
        except AnalysisTimeout as err:
            raise _Stopped(str(err), 1) from None
        if not inputs:
            fp = self.fixed_points(net)
            return fp, self.direct(net, fp, stg)
        readers = {x: 0 for x in inputs}
        for n in net.names:
            for v in variables(net.rules[n]):
                if v in readers and v != n:
                    readers[v] += 1
        x = max(inputs, key=lambda v: (readers[v], v))
        fp = total = 0
        for value in (0, 1):
            try:
                f, t = self.network(net.fix({x: value}))
            except _Stopped as err:
                raise _Stopped(str(err), total + err.at_least + 1 - value) from None
            fp, total = fp + f, total + t
        return fp, total

    def fixed_points(self, net: Network) -> int:
        from .fixed_points import count_fixed_points
        try:
            return count_fixed_points(net, timeout=_deadline_left(self.deadline))
        except AnalysisTimeout as err:
            raise _Stopped(str(err), max(1, getattr(err, "at_least", 0))) from None

    def spaces(self, net: Network, fp: int, limit: int | None) -> list[str] | None:
        """The minimal trap spaces with free nodes, or None when there are more than
        ``limit`` minimal trap spaces. Without a limit, when there are too many to list
        (many fixed points), the trap spaces minimal among those with a free node are
        enumerated instead and those that hold a fixed point dropped."""
        from .trap_spaces import trap_spaces
        deadline = self.deadline
        res = trap_spaces(net, "min", limit=MAX_MIN_SPACES if limit is None else limit,
                          timeout=_deadline_left(deadline))
        if res.complete:
            return [s for s in res if "*" in s]
        if res.reason != "limit":      # each minimal trap space holds an attractor
            raise _Stopped(f"minimal trap spaces not all found ({res.reason})",
                           max(fp, len(res)))
        if limit is not None:
            return None
        oracle = _FixedPointOracle(net)
        try:
            found = _complex_spaces(net, deadline)
        except AnalysisTimeout as err:
            # the spaces found that hold no fixed point are minimal trap spaces
            found, deadline, pending = getattr(err, "spaces", []), time.monotonic() + 1.0, 0
            try:
                for space in found:
                    if not oracle.solve([(i, int(c)) for i, c in enumerate(space)
                                         if c != "*"], 0, deadline):
                        pending += 1
            except AnalysisTimeout:
                pass
            raise _Stopped(str(err), max(1, fp + pending)) from None
        return [space for space in found if not oracle.solve(
            [(i, int(c)) for i, c in enumerate(space) if c != "*"], 0, deadline)]

    def direct(self, net: Network, fp: int, stg, limit: int | None = None) -> int | None:
        """The number of attractors of one part with ``fp`` fixed points, or None when it
        has more than ``limit`` minimal trap spaces."""
        import numpy as np

        from .async_attractors import _outside_by_candidates, _union
        deadline, say = self.deadline, self.say
        total = fp          # attractors counted so far
        pending = 0         # minimal trap spaces not yet searched (one attractor each, at least)
        try:
            spaces = self.spaces(net, fp, limit)
            if spaces is None:
                return None
            pending = len(spaces)
            say(f"{fp:,} fixed points and {len(spaces):,} minimal trap spaces with free "
                f"nodes in a part of {len(net.names)} nodes")
            extra = _extra_candidates(stg, deadline)
            if extra is None:      # too many candidates to list: each space searched alone
                for space in spaces:
                    c = _count_inside(stg, space, deadline)
                    total, pending = total + c, pending - 1
            else:
                # every attractor in a minimal trap space holds one of its candidates: one
                # candidate, one attractor
                where = _which_space(spaces, net.names, list(stg.free), extra)
                counts = np.bincount(where[where >= 0], minlength=len(spaces))
                for k, space in enumerate(spaces):
                    c = 1 if counts[k] == 1 else _count_inside(stg, space, deadline,
                                                               extra[where == k])
                    total, pending = total + c, pending - 1
                extra = extra[where < 0]
                if not len(extra):
                    return total
            mgr = stg.mgr
            fixed = mgr.true
            for can in stg.flip.values():
                fixed &= ~can
            known = _union(mgr, [stg.space(s) for s in spaces] + [fixed])
            if extra is not None and len(extra):     # walks end in spaces or fixed points
                say(f"{len(extra):,} candidate states outside the minimal trap spaces")
                extra = _walk_filter(stg, extra, spaces)
                say(f"{len(extra):,} of them not settled by random walks")
            if extra is not None and len(extra) <= MAX_SEARCHED:
                new = _outside_by_candidates(stg, extra, known)
            else:
                say("backward reachability from the fixed points and minimal trap spaces")
                rest = ~stg.backward(known)
                new = stg.terminal_sccs(rest) if rest != mgr.false else ()
            for _ in new:
                total += 1
            return total
        except AnalysisTimeout as err:
            raise _Stopped(str(err), max(1, total + pending)) from None


def _walk_filter(stg, x, spaces: list[str]):
    """The rows of ``x`` (candidate states) whose random walks did not reach the ``spaces``."""
    from .async_attractors import _unsettled
    return x[_unsettled(stg, x, spaces)]


def _which_space(spaces: list[str], names, free: list[str], x):
    """For each row of a bool matrix over ``free``, the index of the subspace (of
    ``spaces``, disjoint) that holds it, or -1."""
    from .async_attractors import _Membership
    return _Membership(spaces, names, free).which(x)


def _check_stopped(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise _Stopped("time limit reached", 1)


def _explicit_attractors(net: Network):
    from .explicit import explicit_attractors
    return explicit_attractors(net, "async", max_states=0, force=True).attractors


def _explicit_count(net: Network, update: Update) -> int:
    from .explicit import explicit_attractors
    return len(explicit_attractors(net, update, max_states=0, state_limit=STATE_LIMIT,
                                   force=True).attractors)


def count_attractors(net: Network, update: Update | str = Update.ASYNCHRONOUS, *,
                     method: str = "auto", timeout: float | None = None,
                     progress: Callable[[str], None] | None = None) -> int:
    """The number of attractors of ``net``, exactly, without listing them.

    Parameters
    ----------
    net : Network
        Inputs are free (every combination counts) unless fixed beforehand.
    update : Update or str
        ``async`` (any size), ``mp`` (the minimal trap spaces, any size), ``sync`` and
        ``general`` (only when the state space is small enough to search explicitly).
    method : {"auto", "symbolic", "explicit"}
        For ``async``: the symbolic count, or the explicit search of all states;
        ``auto`` searches explicitly up to :data:`EXPLICIT_MAX_STATES` states.
    timeout : float, optional
        Seconds; on expiry :class:`~logicbone.errors.AnalysisTimeout` is raised.
    progress : callable(str), optional
        Receives one-line progress messages.

    Returns
    -------
    int

    Raises
    ------
    AnalysisTimeout
        When time runs out; its ``at_least`` attribute holds a proven lower bound.
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
    if method not in ("auto", "symbolic", "explicit"):
        raise LogicboneError(f"unknown method '{method}'; use auto, symbolic or explicit")
    start = time.monotonic()
    deadline = None if timeout is None else start + timeout
    say = progress or (lambda msg: None)
    if update is Update.MOST_PERMISSIVE:
        from .trap_spaces import count_trap_spaces
        return count_trap_spaces(net, "min", timeout=timeout)
    _, free = free_nodes(net)
    if update is not Update.ASYNCHRONOUS:
        if (1 << len(free)) > STATE_LIMIT:
            raise StateSpaceTooLarge(
                len(free), STATE_LIMIT, "count asynchronous (async) or most permissive (mp) "
                "attractors, or list these with --method sat --limit N",
                what=f"counting {update.value} attractors needs the explicit search, and "
                     f"2^{len(free)} states are above its limit of 2^{STATE_LIMIT.bit_length() - 1}")
        return _explicit_count(net, update)
    if method == "explicit" or (method == "auto" and (1 << len(free)) <= EXPLICIT_MAX_STATES):
        return _explicit_count(net, update)

    counter = _Counter(deadline, say)
    try:
        total = counter.network(net)[1]
    except _Stopped as err:
        raise _timeout(err) from None
    log.info("attractors counted in %.2f s (%d parts counted)", time.monotonic() - start,
             len(counter.memo))
    return total


def _timeout(err: _Stopped) -> AnalysisTimeout:
    out = AnalysisTimeout(f"counting asynchronous attractors stopped early ({err}); at least "
                          f"{err.at_least:,}")
    out.at_least = err.at_least
    return out
