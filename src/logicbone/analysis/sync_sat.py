"""Synchronous attractors beyond the explicit limit: cycles up to a length bound, by ASP.

For each length ``k = 1, 2, ..., max_length`` the network is unrolled ``k`` steps with clingo
(through its backend: no text program, no grounding of rule text): ``x_{t+1} = F(x_t)`` for
``t < k``, ``x_k = x_0``, and ``x_t != x_0`` for ``0 < t < k`` so that the period is exactly
``k``. Every answer is one state of a cycle of length ``k``; the enumeration lists each cycle
once per state, and the states are grouped into cycles. This is what BoolNet's SAT-based
methods do.

Completeness. A cycle longer than the bound is missed, so the answer is complete only when
no such cycle can exist: when the bound is at least the number of states, or when there is no
path of ``max_length + 1`` pairwise distinct states (every cycle of length ``L`` holds such a
path). That second check is one more solver call; it succeeds on networks with short
transients and fails (honestly) on most others, and the result's ``notes`` say which.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !C\\nB, A\\nC, B\\nD, D")
>>> res = sync_attractors_sat(net, max_length=8)
>>> [(a.type, a.size) for a in res.attractors], res.complete
([('cycle', 2), ('cycle', 6), ('cycle', 2), ('cycle', 6)], True)
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..budget import Budget, StopReason
from ..dynamics.update import Update
from ..errors import LogicboneError
from ..expr import And, Const, Not, fold, substitute
from ..modes import AttractorMethod
from ..network import Network
from .results import Attractor, AttractorResult

__all__ = ["sync_attractors_sat"]

log = logging.getLogger(__name__)

METHOD = AttractorMethod.SAT


class _Unrolling:
    """Atoms and rules of a ``steps``-step unrolling, written through clingo's backend."""

    def __init__(self, backend, names: tuple[str, ...], rules: dict):
        self.b = backend
        self.names = names
        self.rules = rules
        self.true = backend.add_atom()
        backend.add_rule([self.true])

    def state(self):
        """Fresh free atoms for one state."""
        atoms = {}
        for n in self.names:
            a = self.b.add_atom()
            self.b.add_rule([a], choice=True)
            atoms[n] = a
        return atoms

    def step(self, cur: dict) -> dict:
        """Literals of the successor of the state ``cur`` (rules folded into derived atoms).

        A negative literal ``-a`` is the negation of atom ``a``: default negation in a body,
        which is classical here since every atom is chosen or defined without loops.
        """
        b = self.b
        nxt = {}

        def leaf(e):
            if isinstance(e, Const):
                return self.true if e.value else -self.true
            return cur[e.name]

        def node(e, vals):
            if isinstance(e, Not):
                return -vals[0]
            g = b.add_atom()
            if isinstance(e, And):
                b.add_rule([g], [v for v in vals])
            else:
                for v in vals:
                    b.add_rule([g], [v])
            return g

        for n in self.names:
            nxt[n] = fold(self.rules[n], leaf, node)
        return nxt

    def equal(self, x: dict, y: dict) -> None:
        """Constrain two states to be equal."""
        for n in self.names:
            self.b.add_rule([], [x[n], -y[n]])
            self.b.add_rule([], [-x[n], y[n]])

    def differ(self, x: dict, y: dict) -> None:
        """Constrain two states to differ in some node."""
        d = self.b.add_atom()
        for n in self.names:
            self.b.add_rule([d], [x[n], -y[n]])
            self.b.add_rule([d], [-x[n], y[n]])
        self.b.add_rule([], [-d])


def _solve(ctl: Any, on_model: Callable[[Any], None], budget: Budget,
           limit_hit: Callable[[], bool], tick: Callable[[], None] | None = None
           ) -> StopReason | None:
    """Run the solver under ``budget`` (``tick``: progress, called while it runs): None
    when it finished, else why it stopped."""
    from .asp import wait

    handle = ctl.solve(on_model=on_model, async_=True)
    try:
        finished = wait(handle, budget, tick, every=0.2, stop=limit_hit)
        if finished:
            handle.get()
    finally:
        handle.cancel()
    if limit_hit():
        return StopReason.LIMIT
    if not finished:
        return budget.stop_reason() or StopReason.TIMEOUT
    return None


def sync_attractors_sat(net: Network, *, max_length: int = 16, limit: int | None = None,
                        max_states: int = 1000, timeout: float | None = None,
                        prove: bool = True, progress: Callable[[str], None] | None = None,
                        budget: Budget | None = None, model: str = "") -> AttractorResult:
    """Synchronous attractors (fixed points and cycles) of length up to ``max_length``.

    Parameters
    ----------
    net : Network
    max_length : int
        The longest cycle searched for.
    limit : int, optional
        Stop after this many attractors.
    max_states : int
        Keep the states of attractors up to this size (all found cycles are short).
    timeout : float, optional
        Seconds; on expiry the attractors found so far are returned, ``complete=False``.
    prove : bool
        Try to prove that no longer cycle exists (see the module notes).
    progress : callable(str), optional
        Receives one-line progress messages.
    budget : Budget, optional
        Instead of (or narrowed by) ``timeout`` and ``limit``; its interrupts
        (:meth:`Budget.catch_interrupts`) stop the search with a partial list.
    model : str
        Name of the model, carried into the result.

    Returns
    -------
    AttractorResult
        ``update="synchronous"``, ``method="sat"``; a cycle's states are in update order,
        starting from its smallest state. ``notes`` state the bound and whether it is proven.

    Raises
    ------
    LogicboneError
        If ``max_length`` is below 1.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, B\\nB, A")
    >>> res = sync_attractors_sat(net, max_length=1)
    >>> [a.subspace for a in res.attractors], res.complete
    (['00', '11'], False)
    >>> sync_attractors_sat(net, max_length=2).complete
    True
    """
    import clingo

    if max_length < 1:
        raise LogicboneError("max_length must be at least 1")
    budget = Budget.of(budget, timeout=timeout, limit=limit, progress=progress)
    limit = budget.left()
    say = progress or (lambda msg: budget.report(msg, every=0.0))
    names = tuple(net.names)
    index = {n: i for i, n in enumerate(names)}
    fixed = net.percolate()
    free = tuple(n for n in names if n not in fixed)
    rules = {n: substitute(net.rules[n], fixed) for n in free}
    base = sum(1 << index[n] for n, v in fixed.items() if v)
    say(f"{len(fixed)} of {len(names)} nodes fixed by percolation; {len(free)} left")

    cycles: dict[frozenset, tuple[int, ...]] = {}
    notes: list[str] = []
    stopped: StopReason | None = None

    def full() -> bool:
        return limit is not None and len(cycles) >= limit

    lengths = range(1, min(max_length, 1 << min(len(free), 62)) + 1)
    for k in lengths:
        if full():
            stopped = StopReason.LIMIT
            break
        if budget.expired():
            stopped = budget.stop_reason()
            break
        log.debug("cycles of length %d: unrolling", k)
        ctl = clingo.Control(["--models=0"])
        with ctl.backend() as backend:
            u = _Unrolling(backend, free, rules)
            xs = [u.state()]
            for t in range(1, k):
                xs.append(u.step(xs[-1]))
            u.equal(u.step(xs[-1]), xs[0])
            for t in range(1, k):
                u.differ(xs[0], xs[t])

        def on_model(m, xs=xs, k=k):
            states = []
            for x in xs:
                s = base
                for n in free:
                    lit = x[n]
                    if (m.is_true(lit) if lit > 0 else not m.is_true(-lit)):
                        s |= 1 << index[n]
                states.append(s)
            key = frozenset(states)
            if key not in cycles and not full():
                i = states.index(min(states))
                cycles[key] = tuple(states[i:] + states[:i])

        # (a length can take minutes: bone_muscle with its 17 inputs free has 10^5 fixed
        # points and more cycles)
        def tick(k: int = k) -> None:
            budget.report(lambda: f"{len(cycles):,} attractors so far (cycles of length {k} "
                                  f"of at most {max_length})")

        why = _solve(ctl, on_model, budget, full, tick)
        say(f"cycles of length {k}: done ({len(cycles)} attractors so far)")
        if why is not None:
            stopped = why
            break

    searched = k if not stopped else k - 1
    if stopped is StopReason.LIMIT:
        notes.append(f"stopped after {limit} attractors (limit); others may exist")
    elif stopped is StopReason.TIMEOUT:
        notes.append(f"time limit reached while searching cycles of length {k}; "
                     "the list is partial")
    elif stopped is StopReason.INTERRUPTED:
        notes.append("interrupted; the list is partial")
    complete = False
    if not stopped:
        if (1 << min(len(free), 62)) <= max_length:
            complete = True
            notes.append(f"cycles searched up to length {max_length}, at least the number of "
                         "states: complete")
        elif prove:
            outcome = _no_long_path(free, rules, max_length, budget)
            complete = outcome == "unsat"
            notes.append(f"cycles searched up to length {max_length}; " + (
                f"no path of {max_length + 1} distinct states exists, so there are no longer "
                "cycles: complete" if complete else
                f"longer cycles were not ruled out ({outcome}): the list may be incomplete"))
        else:
            notes.append(f"cycles searched up to length {max_length}; longer cycles were not "
                         "ruled out: the list may be incomplete")
    else:
        notes.append(f"cycles searched completely up to length {searched}")

    from .results import subspace_of
    n = len(names)
    attractors = []
    for states in cycles.values():
        attractors.append(Attractor(
            type="fixed_point" if len(states) == 1 else "cycle", size=len(states),
            subspace=subspace_of(states, n),
            states=states if len(states) <= max_states else None))
    attractors.sort(key=lambda a: (a.size, a.states[0] if a.states else 0))
    attractors.sort(key=lambda a: a.subspace)
    log.info("%d synchronous attractors in %.2f s", len(attractors), budget.elapsed())
    return AttractorResult(model=model, nodes=names, update=Update.SYNCHRONOUS, method=METHOD,
                           complete=complete, attractors=tuple(attractors), notes=tuple(notes),
                           reason=stopped, seconds=budget.elapsed())


def _no_long_path(free: tuple[str, ...], rules: dict[str, Any], length: int,
                  budget: Budget) -> str:
    """Is there a path of ``length + 1`` pairwise distinct states? ``"unsat"`` proves not."""
    import clingo
    ctl = clingo.Control(["--models=1"])
    with ctl.backend() as backend:
        u = _Unrolling(backend, free, rules)
        xs = [u.state()]
        for _ in range(length):
            xs.append(u.step(xs[-1]))
        for i in range(len(xs)):
            for j in range(i + 1, len(xs)):
                u.differ(xs[i], xs[j])
    found = []
    why = _solve(ctl, lambda m: found.append(True), budget, lambda: False)
    if why is not None:
        return why.value
    return "sat" if found else "unsat"
