"""Answer-set programs over rule DNFs, shared by the fixed-point and trap-space searches.

A subspace is described by the atoms ``h(i,0)`` and ``h(i,1)``: "node ``i`` can take value
0 (1) in the subspace"; a node with both is free (``*``). The subspace is a trap space when
every rule maps it into itself: for each cube ``c`` of a DNF of ``f_i = b``, if the
subspace meets ``c`` (every literal of ``c`` is possible) then ``b`` must be possible for
``i``. A fixed point is a trap space with no free node. Minimal and maximal trap spaces are
the subset-minimal and subset-maximal answer sets over the ``h`` atoms, which clingo
enumerates with its domain heuristic (``enum-mode=domRec``).

The program is written already ground (one constraint per cube), so grounding is linear in
the size of the DNFs. A rule side whose DNF would be too large comes as the decision nodes
of its BDD (:class:`~logicbone.analysis.primes.BddCover`): one auxiliary atom ``m(k,t)``
per node ``t`` of the ``k``-th such side, "the subspace meets the node's function", derived
by ``m(k,t) :- h(x,1), m(k,high).`` and ``m(k,t) :- h(x,0), m(k,low).``, and the
constraint ``:- not h(i,b), m(k,root).``. These rules are exact for subspaces, not only
states (a subspace meets ``ite(x, high, low)`` iff it allows ``x = 1`` and meets ``high``
or allows ``x = 0`` and meets ``low``), their least model is a function of the ``h`` atoms,
and it grows with them, so subset-minimal and -maximal answer sets are unchanged.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

__all__ = ["trap_program", "solve_models", "SolveOutcome"]


def trap_program(n: int, dnfs, *, fixed_points: bool = False, nonempty_fixed: bool = False,
                 show=None, chunk: int = 8) -> str:
    """The ground program whose answer sets are the trap spaces (or fixed points).

    Parameters
    ----------
    n : int
        Number of nodes.
    dnfs : list of (ones, zeros)
        From :func:`~logicbone.analysis.primes.rule_dnfs`.
    fixed_points : bool
        Forbid free nodes (answer sets = fixed points).
    nonempty_fixed : bool
        Forbid the whole space (at least one node fixed), for maximal trap spaces.
    show : list of int, optional
        With ``fixed_points``, the nodes whose values are shown (default: all), packed
        ``chunk`` nodes to a number: the ``k``-th group of ``chunk`` nodes shows
        ``k * 2**chunk + v`` where bit ``t`` of ``v`` is the value of the group's node ``t``
        (few symbols per answer set are much cheaper to read than one per node).
    chunk : int
    """
    from .primes import BddCover

    out = [f"{{h({i},0);h({i},1)}}.\n:- not h({i},0), not h({i},1).\n" for i in range(n)]
    if fixed_points:
        out.extend(f":- h({i},0), h({i},1).\n" for i in range(n))
    covers = 0  # BDD-encoded sides so far
    for i, (ones, zeros) in enumerate(dnfs):
        for b, cubes in ((1, ones), (0, zeros)):
            if isinstance(cubes, BddCover):
                out.append(_cover_rules(covers, cubes, i, b))
                covers += 1
                continue
            for cube in cubes:
                if (i, b) in cube:  # "if b is possible then b is possible"
                    continue
                body = "".join(f", h({j},{v})" for j, v in cube)
                out.append(f":- not h({i},{b}){body}.\n")
    if nonempty_fixed:
        out.append(":- " + ", ".join(f"h({i},0), h({i},1)" for i in range(n)) + ".\n")
    if fixed_points:
        shown = list(range(n)) if show is None else list(show)
        out.append("#show.\n")
        for k in range(0, len(shown), chunk):
            group = shown[k:k + chunk]
            offset = (k // chunk) << chunk
            for v in range(1 << len(group)):
                body = ", ".join(f"h({j},{(v >> t) & 1})" for t, j in enumerate(group))
                out.append(f"#show {offset + v} : {body}.\n")
    else:
        out.append("#show h/2.\n")
    return "".join(out)


def _cover_rules(k: int, cover, i: int, b: int) -> str:
    """The rules of the ``k``-th BDD-encoded side: "if the subspace meets it, ``b`` is
    possible for node ``i``"."""
    out = []
    for t, (x, hi, lo) in enumerate(cover.nodes, start=2):
        for v, child in ((1, hi), (0, lo)):
            if child == 1:
                out.append(f"m({k},{t}) :- h({x},{v}).\n")
            elif child:
                out.append(f"m({k},{t}) :- h({x},{v}), m({k},{child}).\n")
    out.append(f":- not h({i},{b}), m({k},{cover.root}).\n")
    return "".join(out)


class SolveOutcome:
    """How an enumeration ended: ``complete`` (all answers listed), else ``reason``
    (``"limit"``, ``"timeout"`` or ``"interrupted"``)."""

    __slots__ = ("complete", "reason", "seconds")

    def __init__(self):
        self.complete = False
        self.reason = ""
        self.seconds = 0.0


def solve_models(program: str, *, mode: str = "all", limit: int | None = None,
                 timeout: float | None = None, progress: Callable[[int], None] | None = None,
                 stop_on_interrupt: bool = False, outcome: SolveOutcome | None = None,
                 extract: Callable | None = None) -> list:
    """The answer sets of ``program``: per answer set, the list of its shown symbols
    (or what ``extract(model)`` returns).

    The solver runs in clingo's own thread and hands over each answer set through a
    callback (far cheaper than stepping through them one by one), while this thread watches
    the clock, reports progress and listens for Ctrl-C.

    Parameters
    ----------
    mode : {"all", "min", "max"}
        All answer sets, or the subset-minimal / subset-maximal ones.
    limit : int, optional
        Stop after this many (``outcome.reason == "limit"`` if there are more).
    timeout : float, optional
        Stop after this many seconds (``outcome.reason == "timeout"``).
    progress : callable, optional
        Called with the number found so far, about once a second.
    stop_on_interrupt : bool
        On Ctrl-C, stop and return what was found (``outcome.reason == "interrupted"``)
        instead of raising ``KeyboardInterrupt``.
    outcome : SolveOutcome, optional
        Filled in on return.
    extract : callable, optional
        Applied to each clingo model in the solver's callback.
    """
    import clingo

    outcome = outcome if outcome is not None else SolveOutcome()
    start = time.monotonic()
    ctl = clingo.Control(["--warn=none", "--single-shot"])
    # one more than the limit tells whether the list is complete
    ctl.configuration.solve.models = 0 if limit is None else max(int(limit), 0) + 1
    if mode in ("min", "max"):
        ctl.configuration.solve.enum_mode = "domRec"
        ctl.configuration.solver[0].heuristic = "Domain"
        ctl.configuration.solver[0].dom_mod = "5,0" if mode == "min" else "3,0"
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    log.debug("grounded in %.2fs", time.monotonic() - start)
    found: list[list] = []
    deadline = None if timeout is None else start + timeout
    next_report = start + 1.0

    if extract is None:
        def on_model(model) -> None:
            found.append(model.symbols(shown=True))
    else:
        def on_model(model) -> None:
            found.append(extract(model))

    with ctl.solve(on_model=on_model, async_=True) as handle:
        try:
            while not handle.wait(0.1):
                now = time.monotonic()
                if deadline is not None and now > deadline:
                    handle.cancel()
                    outcome.reason = "timeout"
                    break
                if progress is not None and now > next_report:
                    progress(len(found))
                    next_report = now + 1.0
            else:
                result = handle.get()
                if result.exhausted:
                    outcome.complete = True
                elif limit is not None and len(found) > limit:
                    outcome.reason = "limit"
                else:
                    outcome.reason = "interrupted"
        except KeyboardInterrupt:
            handle.cancel()
            if not stop_on_interrupt:
                raise
            outcome.reason = "interrupted"
    if limit is not None and len(found) > limit:
        del found[limit:]
        outcome.complete = False
        outcome.reason = outcome.reason or "limit"
    outcome.seconds = time.monotonic() - start
    return found


def count_models(program: str, *, timeout: float | None = None,
                 stop_on_interrupt: bool = False) -> tuple[int, bool]:
    """Count the answer sets of ``program`` inside the solver (nothing is handed to Python).

    Returns ``(count, exhausted)``; ``exhausted`` is False when the time ran out (or Ctrl-C
    with ``stop_on_interrupt``) and ``count`` is then a lower bound.
    """
    import clingo

    start = time.monotonic()
    ctl = clingo.Control(["--warn=none", "--single-shot", "--models=0"])
    ctl.add("base", [], program + "#show.\n")
    ctl.ground([("base", [])])
    exhausted = False
    with ctl.solve(async_=True) as handle:
        try:
            while not handle.wait(0.1):
                if timeout is not None and time.monotonic() - start > timeout:
                    handle.cancel()
                    break
            else:
                exhausted = handle.get().exhausted
        except KeyboardInterrupt:
            handle.cancel()
            if not stop_on_interrupt:
                raise
    count = int(ctl.statistics["summary"]["models"]["enumerated"])
    return count, exhausted
