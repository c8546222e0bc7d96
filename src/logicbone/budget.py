"""Budgets: the one way every engine stops early and says so.

A :class:`Budget` goes in (a time limit, a limit on the number of answers, a progress
callback, and interruption by Ctrl-C or SIGTERM); an :class:`Outcome` comes out (complete or
not, why not, and a proven lower bound where a count was cut short). Engines poll
:meth:`Budget.check` (or :meth:`Budget.expired`) in their loops and hand a :meth:`Budget.child`
to the parts they call, so one limit holds at every level: a decomposition into parts, a
solver run inside one part, a reader.

Readers and converters, whose signatures carry no budget, poll the budget of the enclosing
:meth:`Budget.active` block with :func:`poll` (nothing happens outside such a block).

Interrupts: :meth:`Budget.catch_interrupts` (used by front ends around one command) turns
the first SIGINT or SIGTERM into a flag that every budget sharing it sees, so engines stop at
their next poll and return what they found, marked partial; a second signal raises
:class:`KeyboardInterrupt` at once.

Examples
--------
>>> b = Budget(limit=2)
>>> b.take(1); b.take(1)
>>> b.limit_reached
True
>>> b.outcome().reason
<StopReason.LIMIT: 'limit'>
"""
from __future__ import annotations

import enum
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import AnalysisTimeout, LogicboneError, UsageError

__all__ = ["Budget", "Outcome", "StopReason", "BudgetExceeded", "poll"]


class StopReason(str, enum.Enum):
    """Why a search ended before it was complete."""

    LIMIT = "limit"
    TIMEOUT = "timeout"
    INTERRUPTED = "interrupted"

    def describe(self) -> str:
        """A short phrase for messages: ``--limit reached``, ``--timeout reached``, ..."""
        return {"limit": "--limit reached", "timeout": "--timeout reached",
                "interrupted": "interrupted"}[self.value]


@dataclass
class Outcome:
    """How a search ended.

    Attributes
    ----------
    complete : bool
        Every answer was found (or the count is exact).
    reason : StopReason or None
        Why not, when not complete.
    at_least : int or None
        A proven lower bound, where a count was cut short.
    at_most : int or None
        A proven upper bound, where a count was cut short and one is known.
    seconds : float
        Wall-clock time spent.
    """

    complete: bool = True
    reason: StopReason | None = None
    at_least: int | None = None
    seconds: float = 0.0
    at_most: int | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"complete": self.complete}
        if self.reason is not None:
            out["reason"] = self.reason.value
        if self.at_least is not None:
            out["at_least"] = self.at_least
        if self.at_most is not None:
            out["at_most"] = self.at_most
        return out


class BudgetExceeded(AnalysisTimeout):
    """Raised by :meth:`Budget.check` when time ran out or an interrupt arrived.

    ``reason`` says which; ``at_least`` and ``at_most`` may be filled in by the engine that
    catches it on its way out (proven lower and upper bounds for a count).
    """

    def __init__(self, reason: StopReason, at_least: int | None = None, what: str = "",
                 at_most: int | None = None):
        self.reason = reason
        self.at_least = at_least
        self.at_most = at_most
        super().__init__(what or reason.describe())


class _Shared:
    """State shared by a budget and all its children."""

    __slots__ = ("interrupted", "progress", "last_report")

    def __init__(self, progress: Callable[[str], None] | None):
        self.interrupted = False
        self.progress = progress
        self.last_report = time.monotonic()


def _check_timeout(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    try:
        value = float(timeout)
    except (TypeError, ValueError):
        raise UsageError(f"timeout must be a number of seconds, got {timeout!r}") from None
    if math.isnan(value) or value <= 0:
        raise UsageError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return None if math.isinf(value) else value


def _check_limit(limit: int | None) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise UsageError(f"limit must be a positive whole number, got {limit!r}")
    return limit


#: The budget :func:`poll` checks: set by :meth:`Budget.active`.
_ACTIVE: ContextVar[Budget | None] = ContextVar("logicbone_active_budget", default=None)


class Budget:
    """A time limit, a limit on answers, progress and interruption, shared by one search.

    Parameters
    ----------
    timeout : float, optional
        Seconds from now; ``None`` for no limit. Must be positive (``nan`` is refused).
    limit : int, optional
        Stop after this many answers (counted with :meth:`take`).
    progress : callable, optional
        Receives short progress messages, at most about once a second (:meth:`report`).
    """

    def __init__(self, *, timeout: float | None = None, limit: int | None = None,
                 progress: Callable[[str], None] | None = None,
                 _deadline: float | None = None, _shared: _Shared | None = None,
                 _cutoff: float | None = None,
                 _stops: tuple[Callable[[], bool], ...] = ()):
        self.start = time.monotonic()
        # stops of the budgets above as well: each says when work elsewhere made this
        # budget's own needless (an answer found beside it)
        self._stops = _stops
        # a stop that shortens no share of the time left (see child's ``cutoff``)
        self.cutoff = _cutoff
        timeout = _check_timeout(timeout)
        self.limit = _check_limit(limit)
        own = None if timeout is None else self.start + timeout
        if _deadline is not None:
            own = _deadline if own is None else min(own, _deadline)
        self.deadline = own
        self.taken = 0
        self._shared = _shared if _shared is not None else _Shared(progress)

    @classmethod
    def unlimited(cls) -> Budget:
        """A budget without limits (interrupts still reach it inside catch_interrupts)."""
        return cls()

    # ------------------------------------------------------------------ limits

    @property
    def timeout(self) -> float | None:
        """Seconds left, as a timeout for a callee (``None`` when unlimited)."""
        return self.remaining()

    def remaining(self, floor: float = 0.01) -> float | None:
        """Seconds left before the deadline (at least ``floor``), or ``None`` without one."""
        if self.deadline is None:
            return None
        return max(floor, self.deadline - time.monotonic())

    def fits(self, seconds: float) -> bool:
        """Whether a step that takes ``seconds`` and cannot stop on the way (a BDD operation,
        a sifting) would end before this budget stops, at its deadline or its cutoff (always,
        without either)."""
        ends = [t for t in (self.deadline, self.cutoff) if t is not None]
        return not ends or time.monotonic() + seconds <= min(ends)

    @property
    def interrupted(self) -> bool:
        return self._shared.interrupted

    def interrupt(self) -> None:
        """Mark this budget (and every budget that shares it) as interrupted."""
        self._shared.interrupted = True

    @property
    def timed_out(self) -> bool:
        now = time.monotonic()
        return ((self.deadline is not None and now > self.deadline)
                or (self.cutoff is not None and now > self.cutoff)
                or (bool(self._stops) and any(stop() for stop in self._stops)))

    @property
    def limit_reached(self) -> bool:
        return self.limit is not None and self.taken >= self.limit

    def stop_reason(self) -> StopReason | None:
        """Why the search must stop now, or ``None`` to go on (the answer limit included)."""
        if self._shared.interrupted:
            return StopReason.INTERRUPTED
        if self.timed_out:
            return StopReason.TIMEOUT
        if self.limit_reached:
            return StopReason.LIMIT
        return None

    def expired(self) -> bool:
        """Time is up or an interrupt arrived (the answer limit is not counted here)."""
        return self._shared.interrupted or self.timed_out

    def check(self) -> None:
        """Raise :class:`BudgetExceeded` when time is up or an interrupt arrived."""
        if self._shared.interrupted:
            raise BudgetExceeded(StopReason.INTERRUPTED)
        if self.timed_out:
            raise BudgetExceeded(StopReason.TIMEOUT)

    def take(self, n: int = 1) -> None:
        """Count ``n`` answers against the limit."""
        self.taken += n

    def left(self) -> int | None:
        """Answers still allowed (``None`` without a limit)."""
        return None if self.limit is None else max(0, self.limit - self.taken)

    def refuse_listing(self, total: int, most: int, what: str, limit: int | None) -> None:
        """Refuse to list ``total`` answers (``what``) above ``most`` where nothing would
        stop the listing: no ``limit`` and no time limit (after an interrupt, what was found
        is listed). The list of a product of parts is made whole, so the error comes first."""
        if limit is None and self.deadline is None and total > most and not self.interrupted:
            raise LogicboneError(f"{total:,} {what}, above the limit of {most:,} to list; "
                                 "count them, or give a limit or a time limit")

    # ------------------------------------------------------------------ children

    @classmethod
    def of(cls, budget: Budget | None = None, *, timeout: float | None = None,
           limit: int | None = None, progress: Callable[[str], None] | None = None) -> Budget:
        """The budget a public function runs under: ``budget`` if given (narrowed by
        ``timeout`` and ``limit`` when these are given too), else a new one from
        ``timeout``, ``limit`` and ``progress``."""
        if budget is None:
            return cls(timeout=timeout, limit=limit, progress=progress)
        if timeout is None and limit is None:
            return budget
        return budget.child(timeout=timeout, limit=limit)

    def child(self, *, share: float | None = None, limit: int | None = None,
              timeout: float | None = None, cutoff: float | None = None,
              stop: Callable[[], bool] | None = None) -> Budget:
        """A budget for a sub-search: the same interrupts and progress, a deadline no later
        than this one's (``share`` of the time left, if given, and at most ``timeout``
        seconds from now), and its own answer limit (default: the answers this budget
        still allows). ``cutoff``: seconds from now after which it stops too, without
        the deadline moving: the shares of the time left that its own sub-searches are
        given (and the methods they choose by them) stay those of the deadline.
        ``stop``: called at each check, true once the sub-search is needless (its answer
        found another way, beside it): the child and its own children then stop as at a
        deadline, and the caller that gave ``stop`` tells the two apart."""
        deadline = self.deadline
        if share is not None and deadline is not None:
            deadline = time.monotonic() + share * max(0.0, deadline - time.monotonic())
        timeout = _check_timeout(timeout)
        if timeout is not None:
            own = time.monotonic() + timeout
            deadline = own if deadline is None else min(deadline, own)
        if limit is None:
            limit = self.left()
        # a limit of 0 (nothing more allowed) is a limit of 1 already reached
        ends = self.cutoff
        if cutoff is not None:
            own = time.monotonic() + cutoff
            ends = own if ends is None else min(ends, own)
        child = Budget(_deadline=deadline, _shared=self._shared, _cutoff=ends,
                       limit=None if limit is None else max(limit, 1),
                       _stops=self._stops + ((stop,) if stop is not None else ()))
        if limit is not None and limit <= 0:
            child.taken = 1
        return child

    # ------------------------------------------------------------------ progress

    def report(self, message: str | Callable[[], str], *, every: float = 1.0) -> None:
        """Send a progress message, at most once per ``every`` seconds (``message`` may be
        a callable, built only when sent)."""
        shared = self._shared
        if shared.progress is None:
            return
        now = time.monotonic()
        if now - shared.last_report < every:
            return
        shared.last_report = now
        shared.progress(message() if callable(message) else message)

    def mute(self) -> None:
        """No progress messages from now on, from this budget or any sharing its state (a
        forked copy's, whose parent reports)."""
        self._shared.progress = None

    @property
    def has_progress(self) -> bool:
        return self._shared.progress is not None

    # ------------------------------------------------------------------ outcome

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def outcome(self, *, complete: bool | None = None, at_least: int | None = None) -> Outcome:
        """The outcome of a search run under this budget. Without ``complete``, the search is
        complete unless a limit, the deadline or an interrupt stopped it."""
        reason = self.stop_reason()
        if complete is None:
            complete = reason is None
        if complete:
            reason = None
        elif reason is None:
            reason = StopReason.LIMIT
        return Outcome(complete=complete, reason=reason, at_least=at_least,
                       seconds=self.elapsed())

    # ------------------------------------------------------------------ readers

    @contextmanager
    def active(self) -> Iterator[Budget]:
        """Within the block, :func:`poll` checks this budget: readers and converters (which
        take no budget argument) stop with :class:`BudgetExceeded` when its time is up or
        an interrupt arrived.

        >>> b = Budget(timeout=1e-9)
        >>> with b.active():
        ...     poll()
        Traceback (most recent call last):
        ...
        logicbone.budget.BudgetExceeded: --timeout reached
        """
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    # ------------------------------------------------------------------ interrupts

    @contextmanager
    def catch_interrupts(self) -> Iterator[Budget]:
        """Within the block, the first SIGINT/SIGTERM marks this budget interrupted (engines
        stop at their next poll and return what they have); a second raises
        :class:`KeyboardInterrupt`. Outside the main thread this does nothing."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        shared = self._shared

        def handler(signum: int, frame: object) -> None:
            if shared.interrupted:
                raise KeyboardInterrupt
            shared.interrupted = True

        old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for sig, h in old.items():
                signal.signal(sig, h)



def poll() -> None:
    """Raise :class:`BudgetExceeded` if the budget of the enclosing :meth:`Budget.active`
    block is spent (time up or interrupted); do nothing outside such a block. Cheap enough
    to call once per rule or per few thousand tokens."""
    budget = _ACTIVE.get()
    if budget is not None:
        budget.check()
