"""Answer-set programs over rule DNFs, shared by the fixed-point and trap-space searches.

A subspace is described by the atoms ``h(i,0)`` and ``h(i,1)``: "node ``i`` can take value
0 (1) in the subspace"; a node with both is free (``*``). The subspace is a trap space when
every rule maps it into itself: for each cube ``c`` of a DNF of ``f_i = b``, if the
subspace meets ``c`` (every literal of ``c`` is possible) then ``b`` must be possible for
``i``. A fixed point is a trap space with no free node. Minimal and maximal trap spaces are
the subset-minimal and subset-maximal answer sets over the ``h`` atoms, which clingo
enumerates with its domain heuristic (``enum-mode=domRec``).

The program is ground already (one constraint per cube) and goes to the solver through its
backend (:class:`Program`), in time linear in the size of the DNFs. A rule side whose DNF
would be too large comes as the decision nodes of its BDD
(:class:`~logicbone.analysis.primes.BddCover`): one auxiliary atom ``m(k,t)`` per node
``t`` of the ``k``-th such side, "the subspace meets the node's function", derived by
``m(k,t) :- h(x,1), m(k,high).`` and ``m(k,t) :- h(x,0), m(k,low).``, and the constraint
``:- not h(i,b), m(k,root).`` (for a constant side, ``:- not h(i,b).`` or nothing). These
rules are exact for subspaces, not only states (a subspace meets ``ite(x, high, low)`` iff
it allows ``x = 1`` and meets ``high`` or allows ``x = 0`` and meets ``low``), their least
model is a function of the ``h`` atoms, and it grows with them, so subset-minimal and
-maximal answer sets are unchanged.
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..budget import Budget, Outcome
from ..modes import TrapSpaceKind

if TYPE_CHECKING:
    from .primes import BddCover, Side

log = logging.getLogger(__name__)

__all__ = ["trap_program", "Program", "solve_models", "count_models", "wait", "symbol_code",
           "shown_codes", "raw_shown_codes"]


def trap_program(n: int, dnfs: Sequence[tuple[Side, Side]], *, fixed_points: bool = False,
                 nonempty_fixed: bool = False, show: Sequence[int] | None = None,
                 chunk: int = 8) -> Program:
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
    out = []
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
    return Program(n, dnfs, fixed_points, "".join(out))


class Program:
    """A program of :func:`trap_program`: its rules over the ``h`` atoms (one per node and
    value, ground), given to the solver through its backend, and the statements that
    need the grounder (what is shown, and what a caller adds: ``program + text``) as text.
    Written out as text and parsed, the rules took as long again as the solve on the
    networks below bbm/280's inputs (150 nodes, 9 ms to parse and 11 ms to ground, against
    10 ms in all through the backend)."""

    __slots__ = ("n", "dnfs", "fixed_points", "text", "nogoods")

    def __init__(self, n: int, dnfs: Sequence[tuple[Side, Side]], fixed_points: bool,
                 text: str, nogoods: Sequence[Sequence[tuple[int, int]]] = ()):
        self.n, self.dnfs, self.fixed_points, self.text = n, dnfs, fixed_points, text
        self.nogoods = tuple(nogoods)

    def __add__(self, text: str) -> Program:
        return Program(self.n, self.dnfs, self.fixed_points, self.text + text, self.nogoods)

    def without(self, nogoods: Sequence[Sequence[tuple[int, int]]]) -> Program:
        """The program with the subspaces in which each of ``nogoods`` is possible left out:
        each a set of ``(node, value)`` pairs, ``h(node, value)`` not all true at once
        (through the backend: thousands of them are no text to parse)."""
        return Program(self.n, self.dnfs, self.fixed_points, self.text,
                       self.nogoods + tuple(nogoods))

    def load(self, ctl: Any) -> None:
        """Add the program to ``ctl`` (a ``clingo.Control``) and ground it."""
        import clingo

        from .primes import BddCover
        fn, num = clingo.Function, clingo.Number
        with ctl.backend() as b:
            atom, rule = b.add_atom, b.add_rule
            h = [(atom(fn("h", [num(i), num(0)])), atom(fn("h", [num(i), num(1)])))
                 for i in range(self.n)]
            for pair in h:       # each node takes a value (or both: free)
                rule(list(pair), [], True)
                rule([], [-pair[0], -pair[1]])
                if self.fixed_points:
                    rule([], list(pair))
            covers = 0      # BDD-encoded sides so far
            for i, sides in enumerate(self.dnfs):
                for v, side in ((1, sides[0]), (0, sides[1])):
                    if isinstance(side, BddCover):
                        meets = self._cover(b, h, covers, side)
                        if meets is not None:
                            rule([], [-h[i][v], meets])
                        elif side.root == 1:       # a constant side: v always possible
                            rule([], [-h[i][v]])
                        covers += 1
                        continue
                    for cube in side:
                        if (i, v) not in cube:   # "if v is possible then v is possible"
                            rule([], [-h[i][v]] + [h[j][w] for j, w in cube])
            for nogood in self.nogoods:
                rule([], [h[j][v] for j, v in nogood])
        ctl.add("base", [], self.text)
        ctl.ground([("base", [])])

    @staticmethod
    def _cover(b: Any, h: list[tuple[int, int]], k: int, cover: BddCover) -> int | None:
        """The rules of the ``k``-th BDD-encoded side through backend ``b``: an atom
        ``m(k,t)`` per decision node ``t``, "the subspace meets its function"; the root's
        atom, or None for a constant side."""
        import clingo
        m = {t: b.add_atom(clingo.Function("m", [clingo.Number(k), clingo.Number(t)]))
             for t in range(2, len(cover.nodes) + 2)}
        for t, (x, hi, lo) in enumerate(cover.nodes, start=2):
            for val, child in ((1, hi), (0, lo)):
                if child == 1:
                    b.add_rule([m[t]], [h[x][val]])
                elif child:
                    b.add_rule([m[t]], [h[x][val], m[child]])
        return m.get(cover.root)


def symbol_code(symbol: Any) -> Any:
    """The key of a clingo symbol that :func:`shown_codes` gives for it: its 64-bit code
    (the symbol itself where this clingo build keeps none)."""
    return getattr(symbol, "_rep", symbol)


def shown_codes(model: Any) -> Iterable[Any]:
    """The symbols a model shows, as :func:`symbol_code` keys, for the solver's callback.

    Reading a symbol through the clingo API makes a Python object of it, and making and
    freeing one costs more than the solver spends on a model where a model shows a few
    hundred (bbm/004 under a condition: 199,258 minimal trap spaces of 198 nodes, 5.7 s of
    solving, 14 s more to read them, 6 s now). So the codes are read from the array of
    them that clingo's own ``Model.symbols`` fills, through a buffer of the C interface
    clingo is built on; where this clingo build keeps them otherwise, one by one.
    """
    shown = model.symbols(shown=True)
    raw = getattr(shown, "_p_symbols", None)
    buffer = _buffer()
    if raw is None or buffer is None:     # pragma: no cover - another clingo build
        return [symbol_code(s) for s in shown]
    codes: Iterable[Any] = memoryview(buffer(raw)).cast("Q")
    return codes


def raw_shown_codes(model: Any) -> bytes | None:
    """The codes of the symbols a model shows (:func:`shown_codes`) as the bytes of their
    64-bit values, copied out of clingo's array at once; None where this clingo build
    keeps them otherwise."""
    raw = getattr(model.symbols(shown=True), "_p_symbols", None)
    buffer = _buffer()
    if raw is None or buffer is None:     # pragma: no cover - another clingo build
        return None
    return bytes(buffer(raw))


@functools.lru_cache(maxsize=None)
def _buffer() -> Callable[[Any], Any] | None:
    """A reader of C arrays as buffers (``cffi``, which clingo is built on), if installed."""
    try:
        import cffi
    except ImportError:     # pragma: no cover - another clingo build
        return None
    buffer: Callable[[Any], Any] = cffi.FFI().buffer
    return buffer


def unpack_shown(rows: Sequence[Sequence[int]], width: int, chunk: int) -> Any:
    """The numbers a fixed-point program of :func:`trap_program` shows (one per group of
    ``chunk`` shown nodes, in any order, per model) -> a bool matrix of one row per model
    over the ``width`` shown nodes."""
    import numpy as np
    groups = -(-width // chunk)
    if not width:
        return np.zeros((len(rows), 0), dtype=bool)
    packed = np.array(rows, dtype=np.int64).reshape(len(rows), groups)
    values = np.zeros_like(packed)
    np.put_along_axis(values, packed >> chunk, packed & ((1 << chunk) - 1), axis=1)
    bits = (values[:, :, None] >> np.arange(chunk)) & 1
    return bits.reshape(len(rows), groups * chunk)[:, :width].astype(bool)


def wait(handle: Any, budget: Budget, tick: Callable[[], None] | None = None,
         every: float = 0.1, stop: Callable[[], bool] | None = None) -> bool:
    """Wait for a clingo solve handle (``Control.solve(..., async_=True)``) under ``budget``:
    the one polling loop of every solver call.

    The solver runs in clingo's own thread; this thread watches the budget (deadline,
    interrupts) every ``every`` seconds and calls ``tick`` (progress) in between. Returns
    True when the solver finished, False when it was cancelled because the budget expired.
    ``stop`` (when given) is asked in the same loop: True cancels the solver too (an answer
    limit the callback keeps). A ``KeyboardInterrupt`` (outside
    :meth:`Budget.catch_interrupts`) cancels the solver and propagates.
    """
    try:
        while not handle.wait(every):
            if budget.expired() or (stop is not None and stop()):
                handle.cancel()
                return False
            if tick is not None:
                tick()
        return True
    except KeyboardInterrupt:
        # interrupt the search and keep the handle until the solver has returned: a solve
        # left running when its Control is collected prints an error from clingo
        handle.cancel()
        handle.wait()
        raise


#: clingo's preset for enumerating subset-minimal or -maximal answer sets. Each answer
#: adds a nogood that excludes the answers above (below) it, and clingo's own default
#: ("tweety") slows as they pile up; "jumpy" (restarts every 100 conflicts, a more
#: aggressive deletion of learnt nogoods) keeps the rate: 199,258 minimal trap spaces of
#: bbm/004 under a condition in 5.7 s of solving instead of 19.5 s; with inputs free, on the 87
#: corpus models with more than 10^4, a rate 1.33 times as high at the median (0.87-2.6,
#: lower on 10). Plain enumeration (all answers: fixed points) stays on the default,
#: which "jumpy" slows 7-100 times.
SUBSET_PRESET = "--configuration=jumpy"


def solve_models(program: Program, *, mode: TrapSpaceKind = TrapSpaceKind.ALL,
                 budget: Budget | None = None,
                 what: str = "answers", extract: Callable[[Any], Any] | None = None
                 ) -> tuple[list[Any], Outcome]:
    """The answer sets of ``program``: per answer set, the list of its shown symbols
    (or what ``extract(model)`` returns), and how the enumeration ended.

    The solver hands over each answer set through a callback (far cheaper than stepping
    through them one by one) while :func:`wait` watches the budget.

    Parameters
    ----------
    program : Program
        A ground program (:func:`trap_program`).
    mode : TrapSpaceKind
        All answer sets, or the subset-minimal / subset-maximal ones.
    budget : Budget, optional
        Deadline, interrupts, progress and the answer limit (answers found are counted
        against it with :meth:`Budget.take`). Default: unlimited.
    what : str
        What the answers are, for progress messages (``"fixed points"``).
    extract : callable, optional
        Applied to each clingo model in the solver's callback.

    Returns
    -------
    (list, Outcome)
        ``Outcome.complete`` when every answer set was listed; otherwise ``reason`` says
        why not (the answer limit, the deadline or an interrupt).
    """
    import clingo

    budget = budget if budget is not None else Budget()
    start = time.monotonic()
    ctl = clingo.Control(["--warn=none", "--single-shot"]
                         + ([] if mode is TrapSpaceKind.ALL else [SUBSET_PRESET]))
    left = budget.left()
    conf: Any = ctl.configuration
    # one more than the limit tells whether the list is complete
    conf.solve.models = 0 if left is None else left + 1
    if mode is not TrapSpaceKind.ALL:
        conf.solve.enum_mode = "domRec"
        conf.solver[0].heuristic = "Domain"
        conf.solver[0].dom_mod = "5,0" if mode is TrapSpaceKind.MIN else "3,0"
    program.load(ctl)
    log.debug("grounded in %.2fs", time.monotonic() - start)
    found: list[Any] = []

    if extract is None:
        def on_model(model: Any) -> None:
            found.append(model.symbols(shown=True))
    else:
        def on_model(model: Any) -> None:
            found.append(extract(model))

    def tick() -> None:
        budget.report(lambda: f"{len(found):,} {what} so far")

    exhausted = False
    with ctl.solve(on_model=on_model, async_=True) as handle:
        if wait(handle, budget, tick if budget.has_progress else None):
            exhausted = bool(handle.get().exhausted)
    cut = left is not None and len(found) > left
    if cut:
        del found[left:]
    budget.take(len(found) + cut)       # past the limit when there were more
    return found, budget.outcome(complete=exhausted and not cut)


def count_models(program: Program, *, budget: Budget | None = None) -> tuple[int, bool]:
    """Count the answer sets of ``program`` inside the solver (nothing is handed to Python).

    Returns ``(count, exhausted)``; ``exhausted`` is False when the budget expired (time or
    an interrupt) and ``count`` is then a lower bound.
    """
    import clingo

    budget = budget if budget is not None else Budget()
    ctl = clingo.Control(["--warn=none", "--single-shot", "--models=0"])
    (program + "#show.\n").load(ctl)
    log.debug("grounded; counting answer sets")
    exhausted = False
    with ctl.solve(async_=True) as handle:
        if wait(handle, budget):
            exhausted = bool(handle.get().exhausted)
    count = int(ctl.statistics["summary"]["models"]["enumerated"])
    return count, exhausted
