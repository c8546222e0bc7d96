"""Answer-set programs over rule DNFs, shared by the fixed-point and trap-space searches.

A subspace is described by the atoms ``h(i,0)`` and ``h(i,1)``: "node ``i`` can take value
0 (1) in the subspace"; a node with both is free (``*``). The subspace is a trap space when
every rule maps it into itself: for each cube ``c`` of a DNF of ``f_i = b``, if the
subspace meets ``c`` (every literal of ``c`` is possible) then ``b`` must be possible for
``i``. A fixed point is a trap space with no free node. Minimal and maximal trap spaces are
the subset-minimal and subset-maximal answer sets over the ``h`` atoms, which clingo
enumerates with its domain heuristic (``enum-mode=domRec``).

The program is written already ground (one constraint per cube), so grounding is linear in
the size of the DNFs.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

__all__ = ["trap_program", "solve_models", "SolveOutcome"]


def trap_program(n: int, dnfs, *, fixed_points: bool = False, nonempty_fixed: bool = False
                 ) -> str:
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
    """
    out = [f"{{h({i},0);h({i},1)}}.\n:- not h({i},0), not h({i},1).\n" for i in range(n)]
    if fixed_points:
        out.extend(f":- h({i},0), h({i},1).\n" for i in range(n))
    for i, (ones, zeros) in enumerate(dnfs):
        for b, cubes in ((1, ones), (0, zeros)):
            for cube in cubes:
                if (i, b) in cube:  # "if b is possible then b is possible"
                    continue
                body = "".join(f", h({j},{v})" for j, v in cube)
                out.append(f":- not h({i},{b}){body}.\n")
    if nonempty_fixed:
        out.append(":- " + ", ".join(f"h({i},0), h({i},1)" for i in range(n)) + ".\n")
    if fixed_points:
        out.append("#show.\n" + "".join(f"#show {i} : h({i},1).\n" for i in range(n)))
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
                 ) -> Iterator[list]:
    """Enumerate the answer sets of ``program``, yielding each one's shown symbols.

    Parameters
    ----------
    mode : {"all", "min", "max"}
        All answer sets, or the subset-minimal / subset-maximal ones.
    limit : int, optional
        Stop after this many.
    timeout : float, optional
        Stop after this many seconds (``outcome.reason == "timeout"``).
    progress : callable, optional
        Called with the number found so far, about once a second.
    stop_on_interrupt : bool
        On Ctrl-C, stop and end the enumeration (``outcome.reason == "interrupted"``)
        instead of raising ``KeyboardInterrupt``.
    outcome : SolveOutcome, optional
        Filled in when the generator ends.
    """
    import clingo

    outcome = outcome if outcome is not None else SolveOutcome()
    start = time.monotonic()
    ctl = clingo.Control(["--warn=none", "--single-shot"])
    ctl.configuration.solve.models = 0 if limit is None else max(int(limit), 0) + 1
    if mode in ("min", "max"):
        ctl.configuration.solve.enum_mode = "domRec"
        ctl.configuration.solver[0].heuristic = "Domain"
        ctl.configuration.solver[0].dom_mod = "5,0" if mode == "min" else "3,0"
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    log.debug("grounded in %.2fs", time.monotonic() - start)
    deadline = None if timeout is None else start + timeout
    found = 0
    next_report = start + 1.0
    handle = ctl.solve(yield_=True, async_=True)
    handle.__enter__()
    try:
        while True:
            handle.resume()
            while not handle.wait(0.2):
                now = time.monotonic()
                if deadline is not None and now > deadline:
                    outcome.reason = "timeout"
                    return
                if progress is not None and now > next_report:
                    progress(found)
                    next_report = now + 1.0
            model = handle.model()
            if model is None:
                outcome.complete = True
                return
            if limit is not None and found >= limit:
                outcome.reason = "limit"
                return
            found += 1
            yield model.symbols(shown=True)
            now = time.monotonic()
            if deadline is not None and now > deadline:
                outcome.reason = "timeout"
                return
            if progress is not None and now > next_report:
                progress(found)
                next_report = now + 1.0
    except KeyboardInterrupt:
        if not stop_on_interrupt:
            raise
        outcome.reason = "interrupted"
    finally:
        handle.cancel()
        handle.__exit__(None, None, None)
        outcome.seconds = time.monotonic() - start
