"""Fixed points (steady states): states that every rule maps to themselves.

Fixed points are the same under every update scheme. Four ways to find them:

``"explicit"``
    a vectorised scan of all ``2**n`` states (small networks only);
``"asp"``
    answer-set programming with clingo over DNFs of the rules;
``"sat"``
    PicoSAT (through pyeda) over the clauses ``cube -> x_i`` and ``cube -> !x_i``;
``"bdd"``
    the conjunction of ``x_i <-> f_i(x)`` as one BDD (CUDD), for counting and listing.

Before any of them the network is simplified: constants are percolated (every fixed point
agrees with them), and what remains is split into independent parts (nodes that share no
rule). The fixed points are then the product of the parts' fixed points, so models whose free
inputs drive separate modules get astronomically many fixed points counted in milliseconds
and listed as fast as they can be written.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, B\\nB, A")
>>> sorted(lb.fixed_points(net))
[0, 3]
>>> lb.fixed_points(net).to_dict()["fixed_points"]
['00', '11']
>>> lb.count_fixed_points(lb.parse_bnet("A, A\\nB, B\\nC, A & !C"))
2
"""
from __future__ import annotations

import functools
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..budget import Budget, BudgetExceeded, Outcome, StopReason
from ..errors import UsageError
from ..modes import FixedPointMethod
from ..network import Network, Part
from ..space import state_to_str
from .settings import DEFAULT, EngineSettings

__all__ = ["fixed_points", "count_fixed_points", "fixed_points_at_least", "FixedPointResult",
           "FIXED_POINT_METHODS"]

log = logging.getLogger(__name__)

FIXED_POINT_METHODS = tuple(FixedPointMethod.labels())



@dataclass(frozen=True)
class FixedPointResult:
    """Fixed points as ``int`` states (bit i = ``nodes[i]``).

    Iterating gives the states in increasing order of their strings. ``complete`` is False
    when the list was cut short (``reason``: a :class:`~logicbone.budget.StopReason`,
    equal to ``"limit"``, ``"timeout"`` or ``"interrupted"``; :attr:`outcome` gives both as
    an :class:`~logicbone.budget.Outcome`); ``count`` is the exact total when known (it may exceed the listed
    states).
    """

    model: str
    nodes: tuple[str, ...]
    states: tuple[int, ...]
    method: str
    complete: bool = True
    reason: StopReason | None = None
    count: int | None = None
    seconds: float = 0.0
    extra: dict = field(default_factory=dict, compare=False)

    def __iter__(self) -> Iterator[int]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)

    def __contains__(self, state: object) -> bool:
        return state in self.states

    @property
    def outcome(self) -> Outcome:
        """How the search ended, as every engine reports it."""
        return Outcome(self.complete, self.reason, None, self.seconds)

    def to_frame(self) -> Any:
        """The fixed points as a pandas DataFrame, one 0/1 row each (needs pandas)."""
        from ..frames import fixed_points_frame

        return fixed_points_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import spaces_repr_html

        return spaces_repr_html(f"{len(self.states):,} fixed points"
                                + ("" if self.complete else " (partial list)"), self.nodes,
                                self.strings())

    def strings(self) -> list[str]:
        """The states as strings, character i = ``nodes[i]``."""
        n = len(self.nodes)
        return [state_to_str(s, n) for s in self.states]

    def to_dict(self) -> dict:
        """The JSON contract ``{"model", "nodes", "fixed_points"}`` plus ``complete``
        (and ``count`` and ``reason`` when the list is partial)."""
        d = {"model": self.model, "nodes": list(self.nodes), "fixed_points": self.strings(),
             "complete": self.complete}
        if not self.complete and self.reason is not None:
            d["reason"] = self.reason.value
        if self.count is not None and (not self.complete or self.count != len(self.states)):
            d["count"] = self.count
        return d


def _ints_to_matrix(states, k: int):
    """Python-int states of ``k`` nodes -> bool matrix (row per state)."""
    import numpy as np

    nbytes = max((k + 7) // 8, 1)
    buf = b"".join(s.to_bytes(nbytes, "little") for s in states)
    arr = np.frombuffer(buf, dtype=np.uint8).reshape(len(states), nbytes)
    return np.unpackbits(arr, axis=1, bitorder="little")[:, :k].astype(bool)


def _matrix_to_ints(mat, index: list[int], n: int, rows: int = 1 << 16) -> list[int]:
    """Bool matrix over a part's nodes -> int states of the whole network (bit ``index[t]``
    = column ``t``)."""
    import numpy as np

    out: list[int] = []
    for lo in range(0, mat.shape[0], rows):
        block = mat[lo:lo + rows]
        g = np.zeros((block.shape[0], max(n, 1)), dtype=bool)
        g[:, index] = block
        packed = np.packbits(g, axis=1, bitorder="little")
        out.extend(int.from_bytes(r.tobytes(), "little") for r in packed)
    return out


# ---------------------------------------------------------------- engines

def _explicit(net: Network) -> Any:
    """The fixed points of ``net`` by scanning all its states (on bit planes, 64 at a time)."""
    from ..dynamics.kernel import compile_network

    n = len(net.names)
    if n > 26:
        from ..errors import StateSpaceTooLarge
        raise StateSpaceTooLarge(n, 1 << 26, "use method='asp', 'sat' or 'bdd'")
    return _ints_to_matrix([int(s) for s in compile_network(net).fixed_points()], n)


def feedback_vertex_set(n: int, regulators: list[set[int]]) -> tuple[list[int], list[int]]:
    """A (small, not minimum) feedback vertex set and a topological order of the rest.

    ``regulators[i]`` holds the nodes ``i``'s rule depends on. Nodes on no cycle are peeled
    off (no regulator left, or no target left); when none is left to peel, the node with the
    largest ``in-degree * out-degree`` joins the set. Self-regulated nodes always join.
    Returns ``(fvs, order)``: the values of ``fvs`` determine every other node of a fixed
    point, computed in ``order``.
    """
    preds = [set(r) for r in regulators]
    succs: list[set[int]] = [set() for _ in range(n)]
    for i, r in enumerate(preds):
        for j in r:
            succs[j].add(i)
    alive = set(range(n))
    fvs: list[int] = []
    head: list[int] = []   # peeled because nothing alive regulates them: computed first
    tail: list[int] = []   # peeled because nothing alive reads them: computed last

    def drop(v):
        alive.discard(v)
        for u in preds[v]:
            succs[u].discard(v)
        for w in succs[v]:
            preds[w].discard(v)

    for v in range(n):
        if v in preds[v]:
            fvs.append(v)
            drop(v)
    while alive:
        queue = [v for v in alive if not preds[v] or not succs[v]]
        if not queue:
            v = max(alive, key=lambda u: (len(preds[u]) * len(succs[u]), -u))
            fvs.append(v)
            drop(v)
            continue
        while queue:
            v = queue.pop()
            if v not in alive:
                continue
            (head if not preds[v] else tail).append(v)
            touched = preds[v] | succs[v]
            drop(v)
            queue.extend(u for u in touched if u in alive and (not preds[u] or not succs[u]))
    return sorted(fvs), head + tail[::-1]


def _asp(net: Network, budget: Budget) -> tuple[Any, Outcome]:
    """Fixed points by clingo, as a bool matrix (one row per fixed point, one column per
    node). The solver lists the values of a feedback vertex set, packed eight nodes to a
    number; numpy computes the other nodes for all fixed points at once."""
    import numpy as np

    from .asp import shown_codes, solve_models, symbol_code, trap_program, unpack_shown
    from .primes import rule_dnfs, side_support

    n = len(net.names)
    dnfs = rule_dnfs(net)
    regs = [side_support(pair[0]) | side_support(pair[1]) for pair in dnfs]
    fvs, order = feedback_vertex_set(n, regs)
    chunk = 8
    program = trap_program(n, dnfs, fixed_points=True, show=fvs, chunk=chunk)
    groups = (len(fvs) + chunk - 1) // chunk

    if groups:
        import clingo
        # (the k-th group shows a number from k << chunk on)
        number = {symbol_code(clingo.Number(v)): v for v in range(groups << chunk)}.__getitem__

        def numbers(model: Any) -> list[int]:
            return list(map(number, shown_codes(model)))

    rows, outcome = solve_models(program, budget=budget, what="fixed points",
                                 extract=numbers if groups else (lambda m: []))
    m = len(rows)
    values: dict[int, np.ndarray] = {j: np.zeros(m, dtype=bool) for j in fvs}
    if groups and m:
        shown = unpack_shown(rows, len(fvs), chunk)
        for t, j in enumerate(fvs):
            values[j] = shown[:, t]
    return complete_rows(values, dnfs, order, n, m), outcome


def _sat(net: Network, budget: Budget) -> tuple[list[int], Outcome]:
    """Fixed points by PicoSAT (through pyeda): the states, and how the listing ended."""
    from pyeda.boolalg import picosat

    from .primes import rule_dnfs

    clauses = []
    for i, (ones, zeros) in enumerate(rule_dnfs(net, max_cubes=None)):
        for b, cubes in ((1, ones), (0, zeros)):
            lit = (i + 1) if b else -(i + 1)
            for cube in cubes:
                if (i, b) in cube:
                    continue
                clauses.append(tuple(-(j + 1) if v else (j + 1) for j, v in cube) + (lit,))
    n = len(net.names)
    left = budget.left()
    found: list[int] = []
    sols: Iterable[Sequence[int]] = (itertools.product((-1, 1), repeat=n) if not clauses
                                     else picosat.satisfy_all(n, clauses))
    complete = True
    for sol in sols:       # not clauses: every node is an input, every state
        if left is not None and len(found) >= left:
            budget.take(1)      # there are more
            complete = False
            break
        found.append(sum(1 << i for i, v in enumerate(sol) if v > 0))
        if budget.expired():
            complete = False
            break
        budget.report(lambda: f"{len(found):,} fixed points so far")
    budget.take(len(found))
    return found, budget.outcome(complete=complete)


class _TooBig(Exception):
    pass


def _bdd_of(net: Network, max_nodes: int | None = None, budget: Budget | None = None,
            max_memory: int | None = None
            ) -> tuple[Any, Any, list[str], list[Any], list[int], list[int]]:
    """The fixed-point condition as a BDD over a feedback vertex set.

    Every node outside the set is a function of the set (computed in topological order by
    composing DNFs), so the fixed points correspond one to one to the assignments ``y`` of
    the set with ``y_v = f_v(y, g(y))`` for every ``v`` in it. Returns
    ``(manager, condition, fvs_names, dnfs, fvs, order)``; raises ``_TooBig`` when the
    manager grows past ``max_nodes`` nodes or ``budget`` expires.
    """
    from ..bdd import new_manager
    from .primes import BddCover, rule_dnfs, side_support

    n = len(net.names)
    dnfs = rule_dnfs(net)
    regs = [side_support(pair[0]) | side_support(pair[1]) for pair in dnfs]
    fvs, order = feedback_vertex_set(n, regs)
    names = [net.names[i] for i in fvs]
    mgr = new_manager(names)
    if max_memory is not None and hasattr(mgr, "configure"):
        try:  # CUDD: a hard memory ceiling as well as the node count
            mgr.configure(max_memory=max_memory)
        except (TypeError, ValueError, AttributeError):
            pass
    g = {i: mgr.var(net.names[i]) for i in fvs}

    last = [time.monotonic(), 0.0]      # when the last step ended, and how long it took

    def check() -> None:
        if max_nodes is not None and len(mgr) > max_nodes:
            raise _TooBig()
        if budget is not None and budget.expired():
            raise _TooBig()
        now = time.monotonic()
        last[:] = [now, now - last[0]]

    def ahead() -> None:
        # a step cannot stop at the deadline, and with reordering on each takes longer
        # (bbm/243, 1,060 nodes: 0.4, 0.7, 1.2, 2.1, 3.3, 7.2 s ...): none is begun with
        # less time left than the last one took
        if budget is not None and not budget.fits(last[1]):
            raise _TooBig()

    def dnf_bdd(cubes):
        if isinstance(cubes, BddCover):
            return cubes.to_bdd(mgr, g)
        acc = mgr.false
        for cube in cubes:
            term = mgr.true
            for j, b in cube:
                term &= g[j] if b else ~g[j]
            acc |= term
        return acc

    for i in order:
        ahead()
        g[i] = dnf_bdd(dnfs[i][0])
        check()
    cond = mgr.true
    for i in fvs:
        ahead()
        cond &= mgr.apply("<->", mgr.var(net.names[i]), dnf_bdd(dnfs[i][0]))
        if cond == mgr.false:
            break
        check()
    return mgr, cond, names, dnfs, fvs, order


def _bdd_list(net: Network):
    """Fixed points from the BDD over a feedback vertex set, as a bool matrix."""
    import numpy as np

    mgr, cond, names, dnfs, fvs, order = _bdd_of(net)
    rows = [[cube[v] for v in names] for cube in mgr.pick_iter(cond, care_vars=set(names))]
    m = len(rows)
    mat = np.array(rows, dtype=bool).reshape(m, len(fvs))
    values = {j: mat[:, t] for t, j in enumerate(fvs)}
    return complete_rows(values, dnfs, order, len(net.names), m)


def complete_rows(values: dict[int, Any], dnfs: Sequence[Any], order: Sequence[int], n: int,
                  m: int) -> Any:
    """The nodes in ``order`` computed from their DNFs (as ``rule_dnfs`` gives them) and
    ``values`` (node index -> bool array of ``m`` rows, filled in), for ``m`` rows at once;
    a bool matrix of ``m`` rows over the ``n`` nodes."""
    import numpy as np

    from .primes import BddCover

    for i in order:  # the DNF mentions only the essential regulators
        if isinstance(dnfs[i][0], BddCover):
            values[i] = dnfs[i][0].evaluate(values, m)
            continue
        acc = np.zeros(m, dtype=bool)
        for cube in dnfs[i][0]:
            term = np.ones(m, dtype=bool)
            for j, b in cube:
                term &= values[j] if b else ~values[j]
            acc |= term
        values[i] = acc
    return np.stack([values[i] for i in range(n)], axis=1) if n else np.zeros((m, 0), bool)


def _count_part(net: Network, method: FixedPointMethod, budget: Budget,
                settings: EngineSettings = DEFAULT) -> tuple[int, bool]:
    """(count, exact) for one independent part."""
    auto = method is FixedPointMethod.AUTO
    if method is FixedPointMethod.EXPLICIT or (auto
                                               and len(net.names) <= settings.explicit_max_nodes):
        return len(_explicit(net)), True
    # auto: the BDD for half the time left (or settings.bdd_count_seconds), then the ASP
    # count; where the model counter takes the clauses, settings.bdd_counter_seconds at
    # most, then the counter (bbm/122 with inputs free: a part of 146 nodes whose BDD
    # takes 1.5 s, a rule with too many cubes for the counter, and the ASP count 38 s)
    clauses = _counter_clauses(net) if auto and _has_counter() else None
    if auto or method is FixedPointMethod.BDD:
        log.debug("counting the fixed points of a part of %d nodes by BDD", len(net.names))
        try:
            seconds = (settings.bdd_counter_seconds if clauses is not None
                       else None if budget.deadline else settings.bdd_count_seconds)
            mgr, cond, names, *_ = _bdd_of(
                net, max_nodes=settings.bdd_max_nodes if auto else None,
                budget=budget.child(share=0.5, timeout=seconds) if auto else budget,
                max_memory=settings.bdd_max_memory if auto else None)
            from .symbolic import exact_count     # (CUDD's own count is a float)
            return exact_count(mgr, cond, len(names)), True
        except (_TooBig, MemoryError, RuntimeError):
            if not auto:
                if budget.expired():
                    return 0, False
                raise
            log.info("fixed-point BDD too large for a part of %d nodes", len(net.names))
    if clauses is not None:
        counted = _model_count(net, budget, clauses)
        if counted is not None:
            return counted, True
    if auto or method is FixedPointMethod.ASP:
        log.info("counting the fixed points of a part of %d nodes by ASP", len(net.names))
        from .asp import count_models, trap_program
        from .primes import rule_dnfs

        program = trap_program(len(net.names), rule_dnfs(net), fixed_points=True, show=[])
        return count_models(program, budget=budget)
    unlimited = budget.child()
    unlimited.limit = None
    states, outcome = _sat(net, unlimited)
    return len(states), outcome.complete


# ---------------------------------------------------------------- public functions

@functools.cache
def _has_counter() -> bool:
    """Whether :func:`_model_count` can count (``pyganak`` installed, processes forked);
    asked once (every part counted asks)."""
    import importlib.util

    from ..parallel import can_fork
    return can_fork() and importlib.util.find_spec("pyganak") is not None


def _counter_clauses(net: Network) -> list[list[int]] | None:
    """The clauses whose models are the fixed points of ``net``: "each cube of the DNF of a
    rule implies its node, each cube of the DNF of its negation implies its negation", one
    variable per node (DIMACS numbering, in bit order) and no other; None when a rule's DNF
    has too many cubes (:data:`~logicbone.analysis.primes.MAX_COVER_CUBES`)."""
    from .primes import BddCover, rule_dnfs
    clauses: list[list[int]] = []
    for i, (ones, zeros) in enumerate(rule_dnfs(net)):
        if isinstance(ones, BddCover) or isinstance(zeros, BddCover):
            return None
        for cubes, head in ((ones, i + 1), (zeros, -(i + 1))):
            for cube in cubes:
                clauses.append([-(j + 1) if b else j + 1 for j, b in cube] + [head])
    return clauses


def _model_count(net: Network, budget: Budget,
                 clauses: list[list[int]] | None = None) -> int | None:
    """The number of fixed points of ``net`` counted by an exact model counter (Ganak,
    through ``pyganak``) on :func:`_counter_clauses` (``clauses``, when already built):
    their models are the fixed points. Ganak splits the clauses into
    components and caches them, where a BDD of the conjunction grows too large and the
    answer-set solver lists the models one by one (bbm/261 with inputs free, 400 nodes:
    2.9 x 10^17 fixed points in 4 s; neither the BDD nor the listing counts them in a
    minute).

    The counter, C code that does not stop on its own, runs in a forked copy of this
    process (:func:`~logicbone.parallel.forked_call`), killed when ``budget`` ends. None
    when ``pyganak`` is not installed, where processes cannot be forked, when a rule's
    DNF has too many cubes, or when the copy gives no answer.
    """
    from ..parallel import forked_call
    if not _has_counter():
        return None
    import pyganak
    if clauses is None:
        clauses = _counter_clauses(net)
        if clauses is None:
            return None
    given = clauses

    def count() -> int:
        counter = pyganak.Counter()
        counter.new_vars(len(net.names))
        counter.add_clauses(given)
        return int(counter.count())

    log.debug("counting the fixed points of a part of %d nodes with a model counter",
              len(net.names))
    try:
        return int(forked_call(count, budget.check))
    except ChildProcessError:
        return None


def _check_method(method: FixedPointMethod | str) -> FixedPointMethod:
    if method not in FIXED_POINT_METHODS:
        raise UsageError(f"unknown method '{method}'; expected one of "
                         f"{', '.join(FIXED_POINT_METHODS)}")
    return FixedPointMethod(method)


def count_fixed_points(net: Network, method: FixedPointMethod | str = FixedPointMethod.AUTO,
                       *, timeout: float | None = None,
                       budget: Budget | None = None,
                       settings: EngineSettings | None = None) -> int:
    """The number of fixed points, without listing them.

    Percolates constants, splits the rest into independent parts and multiplies their
    counts. Each part is counted symbolically on a BDD (``"bdd"``), inside the ASP solver
    (``"asp"``), or ``"auto"``: explicitly when small, else by BDD unless the BDD grows too
    large, then by ASP.

    Parameters
    ----------
    timeout : float, optional
        Give up after about this many seconds.
    budget : Budget, optional
        Instead of (or narrowed by) ``timeout``; its interrupts also stop the count.
    settings : EngineSettings, optional
        Tuning (:class:`~logicbone.analysis.settings.EngineSettings`).

    Raises
    ------
    BudgetExceeded
        When the time runs out or an interrupt arrives; its ``at_least`` attribute holds a
        lower bound.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("\\n".join(f"I{i}, I{i}" for i in range(100)))
    >>> lb.count_fixed_points(net) == 2 ** 100
    True
    """
    how = _check_method(method)
    settings = settings or DEFAULT
    budget = Budget.of(budget, timeout=timeout)
    _, parts = net.decompose()
    parts = sorted(parts, key=lambda p: len(p.index))
    total = 1
    for k, part in enumerate(parts):
        aborted = False
        try:
            with budget.active():  # compiling a large part's rules stops at once too
                c, ok = _count_part(part.net, how, budget, settings=settings)
        except BudgetExceeded:
            # stopped before counting: this part counts 1 if it has a fixed point
            c, ok, aborted = 1, False, True
        if not ok:
            # the parts not counted multiply the bound only if each has a fixed point
            factor = _all_have_fixed_points(parts[k if aborted else k + 1:],
                                            settings.witness_seconds)
            if factor == 0:
                return 0
            bound = total * c * (factor or 0)
            why = budget.stop_reason() or StopReason.TIMEOUT
            raise BudgetExceeded(why, at_least=bound,
                                 what=f"counting fixed points stopped early "
                                      f"({why.describe()}); at least {bound:,}")
        total *= c
        if total == 0:
            break
    return total


def fixed_points_at_least(net: Network, budget: Budget,
                          settings: EngineSettings | None = None) -> int:
    """The number of fixed points of ``net`` counted within ``budget``, or as many as are
    proven when the count stops there: a lower bound for whatever each fixed point is one
    of (minimal trap spaces, asynchronous attractors)."""
    try:
        return count_fixed_points(net, budget=budget, settings=settings)
    except BudgetExceeded as err:
        return err.at_least or 0


def _all_have_fixed_points(parts: list[Part], seconds: float) -> int | None:
    """1 if every part has a fixed point, 0 if one has none, None if that is not settled
    within about ``seconds`` (one solver call per part, stopping at the first answer)."""
    own = Budget(timeout=seconds)
    for part in parts:
        if own.expired():
            return None
        try:
            with own.active():  # compiling a large part's rules counts against the time too
                res = fixed_points(part.net, budget=own.child(limit=1))
        except BudgetExceeded:
            return None
        if res.states:
            continue
        return 0 if res.complete else None
    return 1


def _pick_method(n: int, settings: EngineSettings) -> FixedPointMethod:
    return FixedPointMethod.EXPLICIT if n <= settings.explicit_max_nodes else FixedPointMethod.ASP


def fixed_points(net: Network, method: FixedPointMethod | str = FixedPointMethod.AUTO, *,
                 limit: int | None = None,
                 timeout: float | None = None, progress: Callable[[str], None] | None = None,
                 budget: Budget | None = None, settings: EngineSettings | None = None,
                 model: str = "") -> FixedPointResult:
    """The fixed points of ``net``.

    Parameters
    ----------
    net : Network
    method : {"auto", "asp", "sat", "bdd", "explicit"}
        The engine for each independent part of the percolated network; ``"auto"`` scans
        small parts explicitly and gives the others to clingo.
    limit : int, optional
        List at most this many (the result says if there are more, and counts them when
        every part was listed whole). No part lists more than ``limit``: the answers are
        the product of the parts', formed lazily.
    timeout : float, optional
        Stop after about this many seconds with a partial list (the solver stops at 4/5
        of it, leaving time to build the list).
    progress : callable(str), optional
        Receives a one-line message about once a second (fixed points found so far).
    budget : Budget, optional
        Instead of (or narrowed by) ``timeout``, ``limit`` and ``progress``; its
        interrupts (:meth:`Budget.catch_interrupts`) stop the search with a partial list.
    settings : EngineSettings, optional
        Tuning (:class:`~logicbone.analysis.settings.EngineSettings`).
    model : str
        The name to carry into the result.

    Returns
    -------
    FixedPointResult

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A\\nB, B\\nC, A | B")
    >>> r = lb.fixed_points(net, limit=2)
    >>> r.strings(), r.complete, r.count
    (['000', '101'], False, 4)
    >>> lb.fixed_points(net, "sat").strings() == lb.fixed_points(net, "explicit").strings()
    True
    """
    how = _check_method(method)
    settings = settings or DEFAULT
    budget = Budget.of(budget, timeout=timeout, limit=limit, progress=progress)
    limit = budget.left()
    # the solver gets 4/5 of the time: the rest is for completing and sorting the list
    solver = budget.child(share=settings.solver_share)
    forced, parts = net.decompose()
    base = net.forced_bits(forced)
    parts.sort(key=lambda p: len(p.index))
    log.debug("%d forced nodes, %d independent parts (largest %d nodes)",
              len(forced), len(parts), max((len(p.index) for p in parts), default=0))
    # each part lists at most ``limit`` (the product needs no more from any part); after a
    # part stopped early (time, interrupt), the others give one witness each
    per_part: list[list[int]] = []
    complete, reason, stopped = True, None, False
    for part in parts:
        m = _pick_method(len(part.index), settings) if how is FixedPointMethod.AUTO else how
        own = (Budget(timeout=settings.witness_seconds, limit=1) if stopped
               else solver.child(limit=limit))
        states, outcome = _solve_part(part.net, m, own)
        per_part.append(_matrix_to_ints(states, list(part.index), len(net.names)))
        if not outcome.complete and not stopped:
            complete, reason = False, outcome.reason
            stopped = outcome.reason is not StopReason.LIMIT
        if not len(states):
            per_part = [[]]
            break
    count = None
    if complete:
        count = 1
        for states in per_part:
            count *= len(states)
    # without a limit, at most max_listed_product (bbm/144 under a condition: 2.5 * 10^9,
    # thirteen million listed in 24 s, then out of memory writing them)
    cap = settings.max_listed_product if limit is None else limit
    if count is not None:
        budget.refuse_listing(count, cap, "fixed points", limit)
    out, cut = _product_states(base, per_part, cap, solver, bool(parts))
    if cut is not None and (complete or reason is StopReason.LIMIT):
        complete, reason = False, cut
    if out:
        out.sort(key=lambda s: _sort_key(s, len(net.names)))
    seconds = budget.elapsed()
    used = str(how) if how is not FixedPointMethod.AUTO else "auto:" + "+".join(sorted(
        {str(_pick_method(len(p.index), settings)) for p in parts}) or ["percolation"])
    log.info("%d fixed points in %.2fs%s", len(out), seconds,
             "" if complete or reason is None else f" ({reason.value})")
    return FixedPointResult(model, tuple(net.names), tuple(out), used, complete, reason,
                            count, seconds)


def _solve_part(net: Network, method: FixedPointMethod, budget: Budget
                ) -> tuple[Any, Outcome]:
    """One part's fixed points by one engine, as a bool matrix, and how the listing ended."""
    if method is FixedPointMethod.EXPLICIT:
        return _explicit(net), Outcome()
    if method is FixedPointMethod.BDD:
        return _bdd_list(net), Outcome()
    if method is FixedPointMethod.ASP:
        return _asp(net, budget)
    states, outcome = _sat(net, budget)
    return _ints_to_matrix(states, len(net.names)), outcome


def _product_states(base: int, per_part: list[list[int]], limit: int | None,
                    budget: Budget, any_part: bool) -> tuple[list[int], StopReason | None]:
    """The product of the parts' lists (each state or-ed with ``base``), at most ``limit``,
    stopping when ``budget`` expires; and why it was cut short (None if not)."""
    if not any_part:
        return [base], None
    if len(per_part) == 1:
        states = per_part[0]
        cut = StopReason.LIMIT if limit is not None and len(states) > limit else None
        return [base | x for x in states[:limit]], cut
    out: list[int] = []
    if not all(per_part):
        return out, None
    for k, combo in enumerate(itertools.product(*per_part)):
        if limit is not None and len(out) >= limit:
            return out, StopReason.LIMIT
        if k and not k & 0xFFFF and budget.expired():
            return out, budget.stop_reason()
        s = base
        for x in combo:
            s |= x
        out.append(s)
    return out, None


def _sort_key(state: int, n: int) -> str:
    return format(state, f"0{n}b")[::-1] if n else ""
