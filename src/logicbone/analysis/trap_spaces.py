"""Trap spaces: subspaces that the dynamics never leaves, under any update scheme.

A subspace (some nodes fixed at 0/1, the others free, written ``"01*"``) is a trap space
when every rule maps each of its states back into it. Minimal trap spaces hold at least one
attractor of every update scheme and are exactly the attractors of the most permissive
update; maximal trap spaces are the largest proper ones.

They are found without enumerating states, by answer-set programming over DNFs of the rules
(see :mod:`logicbone.analysis.asp`).

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, !A\\nC, A & C")
>>> sorted(lb.trap_spaces(net, "min"))
['010', '100', '101']
>>> sorted(lb.trap_spaces(net, "max"))
['**0', '01*', '10*']
>>> lb.is_trap_space(net, "01*")
True
"""
from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..errors import LogicboneError
from ..network import Network

__all__ = ["trap_spaces", "count_trap_spaces", "is_trap_space", "TrapSpaceResult",
           "mp_attractors"]

log = logging.getLogger(__name__)

_KINDS = ("min", "max", "all")

#: share of a ``timeout`` given to the solver (the rest builds the list)
SOLVER_SHARE = 0.8

#: most minimal trap spaces listed from a product of parts without a limit or time limit
MAX_LISTED = 10_000_000


@dataclass(frozen=True)
class TrapSpaceResult:
    """Trap spaces of one kind, as subspace strings in node order.

    Iterating gives the strings. ``complete`` is False when the list was cut short
    (``reason``: ``"limit"``, ``"timeout"`` or ``"interrupted"``); ``count`` is the exact
    total when known (it may exceed the listed spaces).
    """

    model: str
    nodes: tuple[str, ...]
    kind: str
    spaces: tuple[str, ...]
    complete: bool = True
    reason: str = ""
    seconds: float = 0.0
    extra: dict = field(default_factory=dict, compare=False)
    count: int | None = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.spaces)

    def __len__(self) -> int:
        return len(self.spaces)

    def __contains__(self, space: object) -> bool:
        return space in self.spaces

    def to_frame(self):
        """The trap spaces as a pandas DataFrame; free nodes are <NA> (needs pandas)."""
        from ..frames import trap_spaces_frame

        return trap_spaces_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import spaces_repr_html

        return spaces_repr_html(f"{len(self.spaces):,} {self.kind} trap spaces"
                                + ("" if self.complete else " (partial list)"), self.nodes,
                                list(self.spaces))

    def to_dict(self) -> dict:
        """The JSON contract: ``{"model", "nodes", "kind", "trap_spaces"}`` (plus
        ``complete``, and ``reason`` when the list is partial)."""
        d = {"model": self.model, "nodes": list(self.nodes), "kind": self.kind,
             "trap_spaces": list(self.spaces), "complete": self.complete}
        if not self.complete:
            d["reason"] = self.reason
        if self.count is not None and self.count != len(self.spaces):
            d["count"] = self.count
        return d


def _decoder(n: int):
    """``(extract, decode)``: ``extract`` runs in the solver's callback and keeps the shown
    ``h(i,b)`` atoms of an answer set as cheaply as possible (the symbols' 64-bit codes
    where clingo exposes them: hashing or inspecting symbols costs far more than solving);
    ``decode`` turns the kept answer sets into subspace strings, all at once with numpy."""
    import clingo
    import numpy as np

    atoms = [clingo.Function("h", [clingo.Number(i), clingo.Number(b)])
             for i in range(n) for b in (0, 1)]
    if all(hasattr(a, "_rep") for a in atoms[:1]):
        def key(s):
            return s._rep
    else:  # pragma: no cover - other clingo builds
        def key(s):
            return s
    keys = [key(a) for a in atoms]
    code = {k: t for t, k in enumerate(keys)}  # t = 2 * i + b

    def extract(model) -> list[int]:
        return [code[key(s)] for s in model.symbols(shown=True)]

    def decode(rows: list[list[int]]) -> list[str]:
        m = len(rows)
        if not m or not n:
            return [""] * m
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=m)
        flat = np.fromiter((t for r in rows for t in r), dtype=np.int64,
                           count=int(lengths.sum()))
        seen = np.zeros((m, n), dtype=np.uint8)
        np.add.at(seen, (np.repeat(np.arange(m), lengths), flat >> 1), (flat & 1) + 1)
        text = np.frombuffer(b"?01*", dtype=np.uint8)[seen].tobytes().decode("ascii")
        return [text[r * n:(r + 1) * n] for r in range(m)]

    return extract, decode


def trap_spaces(net: Network, kind: str = "min", *, limit: int | None = None,
                timeout: float | None = None, progress: Callable[[str], None] | None = None,
                stop_on_interrupt: bool = False, model: str = "") -> TrapSpaceResult:
    """The minimal, maximal, or all trap spaces of ``net``.

    Parameters
    ----------
    net : Network
    kind : {"min", "max", "all"}
        Minimal (inclusion-wise; the most permissive attractors), maximal proper, or every
        trap space (including the whole space).
    limit : int, optional
        List at most this many; the result says whether the list is complete.
    timeout : float, optional
        Stop after about this many seconds with a partial list (the solver stops at 4/5
        of it, leaving time to build the list).
    progress : callable(str), optional
        Receives a one-line message about once a second (the number found so far).
    stop_on_interrupt : bool
        On Ctrl-C return the partial list instead of raising ``KeyboardInterrupt``.
    model : str
        The name to carry into the result (e.g. the file path).

    Returns
    -------
    TrapSpaceResult
        Subspace strings in node order (``names``), sorted when complete.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A\\nB, A | B")
    >>> list(lb.trap_spaces(net, "min"))
    ['00', '01', '11']
    >>> r = lb.trap_spaces(net, "min", limit=1)
    >>> len(r), r.complete
    (1, False)
    """
    if kind not in _KINDS:
        raise LogicboneError(f"unknown kind of trap space '{kind}'; expected min, max or all")
    start = time.monotonic()
    report = None if progress is None else (
        lambda k: progress(f"{k:,} {kind} trap spaces so far"))
    solver_time = None if timeout is None else SOLVER_SHARE * timeout
    if kind != "min":
        spaces, outcome = _solve(net, kind, limit, solver_time, report, stop_on_interrupt)
        complete, reason = outcome.complete, outcome.reason
        count = len(spaces) if complete else None
    else:
        parts, complete, reason = _min_parts(net, limit, solver_time, report,
                                             stop_on_interrupt)
        count = _product(len(p[1]) for p in parts) if complete else None
        spaces, cut = _combine(len(net.names), parts, limit,
                               None if timeout is None else start + solver_time)
        if cut and (complete or reason == "limit"):
            complete, reason = False, cut
    spaces.sort()
    seconds = time.monotonic() - start
    log.info("%d %s trap spaces in %.2fs%s", len(spaces), kind, seconds,
             "" if complete else f" ({reason})")
    return TrapSpaceResult(model, tuple(net.names), kind, tuple(spaces), complete, reason,
                           seconds, count=count)


def _solve(net: Network, kind: str, limit, timeout, report, stop_on_interrupt):
    """One solver run: (subspace strings, SolveOutcome)."""
    from .asp import SolveOutcome, solve_models, trap_program
    from .primes import rule_dnfs

    n = len(net.names)
    program = trap_program(n, rule_dnfs(net), nonempty_fixed=(kind == "max"))
    outcome = SolveOutcome()
    extract, decode = _decoder(n)
    spaces = decode(solve_models(
        program, mode=kind, limit=limit, timeout=timeout, progress=report,
        stop_on_interrupt=stop_on_interrupt, outcome=outcome, extract=extract))
    return spaces, outcome


def _product(counts) -> int:
    total = 1
    for c in counts:
        total *= c
    return total


def _min_parts(net: Network, limit, timeout, report, stop_on_interrupt):
    """Minimal trap spaces per independent part of the percolated network.

    Every minimal trap space fixes the constants and what they force (a trap space that
    leaves such a node free contains a smaller one that fixes it), and the trap spaces of
    parts that share no rule are the products of theirs. Returns ``(parts, complete,
    reason)`` with ``parts`` a list of ``(node indices, subspace strings)``; the forced
    nodes form a part of their own with a single string. After a part stops early, the
    remaining parts contribute one minimal trap space each (every network has one), so
    the partial product is still a list of minimal trap spaces.
    """
    from .fixed_points import _decompose

    start = time.monotonic()
    base, parts = _decompose(net)
    inside = {i for p in parts for i in p.index}
    forced = [i for i in range(len(net.names)) if i not in inside]
    out = [(forced, ["".join("1" if base >> i & 1 else "0" for i in forced)])] if forced else []
    complete, reason = True, ""
    log.debug("%d forced nodes, %d independent parts", len(forced), len(parts))
    for part in sorted(parts, key=lambda p: len(p.index)):
        left = None if timeout is None else max(timeout - (time.monotonic() - start), 0.01)
        if not complete:  # one witness for each remaining part
            left, lim = (None if left is None else min(left, 1.0)), 1
        else:
            lim = limit if len(parts) == 1 else None
        spaces, outcome = _solve(part.net, "min", lim, left, report, stop_on_interrupt)
        if complete and not outcome.complete:
            complete, reason = False, outcome.reason
        out.append((part.index, spaces))
    return out, complete, reason


def _combine(n: int, parts, limit, deadline) -> tuple[list[str], str]:
    """The product of the parts' lists as subspace strings (at most ``limit``; stopping at
    ``deadline``); returns ``(strings, reason cut short or "")``."""
    if not parts:
        return ([""] if n == 0 else []), ""
    if len(parts) == 1:
        spaces = parts[0][1]
        if limit is not None and len(spaces) > limit:
            return spaces[:limit], "limit"
        return list(spaces), ""
    total = _product(len(p[1]) for p in parts)
    if limit is None and deadline is None and total > MAX_LISTED:
        raise LogicboneError(
            f"{total:,} minimal trap spaces, above the limit of {MAX_LISTED:,} to list; "
            "count them, or give a limit or a time limit")
    out: list[str] = []
    chars = ["*"] * n
    for k, combo in enumerate(itertools.product(*(p[1] for p in parts))):
        if limit is not None and k >= limit:
            return out, "limit"
        if k and not k & 0xFFFF and deadline is not None and time.monotonic() > deadline:
            return out, "timeout"
        for (index, _), s in zip(parts, combo):
            for j, c in zip(index, s):
                chars[j] = c
        out.append("".join(chars))
    return out, ""


def mp_attractors(net: Network, *, max_states: int = 1000, model: str = "", **kw):
    """The attractors of the most permissive update: the minimal trap spaces.

    Returns an :class:`~logicbone.analysis.results.AttractorResult` (update
    ``most_permissive``, method ``mp``): a trap space without free nodes is a
    ``fixed_point``, the others ``complex`` with ``2**free`` states (listed up to
    ``max_states``). ``kw`` goes to :func:`trap_spaces` (``limit``, ``timeout``,
    ``progress``, ``stop_on_interrupt``).

    Examples
    --------
    >>> import logicbone as lb
    >>> res = lb.attractors(lb.parse_bnet("A, !B\\nB, A"), "mp")
    >>> [(a.type, a.size, a.subspace) for a in res.attractors]
    [('complex', 4, '**')]
    """
    from .results import Attractor, AttractorResult

    res = trap_spaces(net, "min", model=model, **kw)
    atts = []
    for space in res:
        free = [i for i, c in enumerate(space) if c == "*"]
        size = 1 << len(free)
        states = None
        if size <= max_states:
            base = sum(1 << i for i, c in enumerate(space) if c == "1")
            states = tuple(sorted(base | sum(1 << free[t] for t in range(len(free)) if k >> t & 1)
                                  for k in range(size)))
        atts.append(Attractor("fixed_point" if not free else "complex", size, space, states))
    notes = () if res.complete else (f"list stopped early ({res.reason})",)
    return AttractorResult(model, tuple(net.names), "most_permissive", "mp", res.complete,
                           tuple(atts), notes)


def count_trap_spaces(net: Network, kind: str = "min", *, timeout: float | None = None,
                      stop_on_interrupt: bool = False) -> int:
    """The number of trap spaces of one kind.

    Minimal trap spaces are counted per independent part of the percolated network and
    multiplied, never listed as a whole.

    Raises
    ------
    AnalysisTimeout
        When the time runs out (or on Ctrl-C with ``stop_on_interrupt``); its
        ``at_least`` attribute holds a lower bound.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("\\n".join(f"A{i}, !B{i}\\nB{i}, !A{i}" for i in range(40)))
    >>> lb.count_trap_spaces(net, "min") == 2 ** 40
    True
    """
    from ..errors import AnalysisTimeout

    if kind not in _KINDS:
        raise LogicboneError(f"unknown kind of trap space '{kind}'; expected min, max or all")
    solver_time = None if timeout is None else SOLVER_SHARE * timeout
    if kind == "min":
        parts, complete, reason = _min_parts(net, None, solver_time, None, stop_on_interrupt)
        total = _product(len(p[1]) for p in parts)
    else:
        spaces, outcome = _solve(net, kind, None, solver_time, None, stop_on_interrupt)
        complete, reason, total = outcome.complete, outcome.reason, len(spaces)
    if not complete:
        err = AnalysisTimeout(f"counting {kind} trap spaces stopped early ({reason}); "
                              f"at least {total:,}")
        err.at_least = total
        raise err
    return total


def _as_space(net: Network, space) -> dict[str, int]:
    if isinstance(space, str):
        if len(space) != len(net.names) or set(space) - set("01*-"):
            raise LogicboneError(
                f"a subspace string needs one of 0, 1, * per node ({len(net.names)} characters)")
        return {n: int(c) for n, c in zip(net.names, space) if c in "01"}
    if isinstance(space, Mapping):
        net.check_nodes(space)
        return {k: int(v) for k, v in space.items()}
    raise LogicboneError("a subspace is a string such as '01*' or a dict node -> 0/1")


def is_trap_space(net: Network, space) -> bool:
    """Whether ``space`` (a string ``"01*..."`` in node order, or a dict of fixed nodes)
    is a trap space: every rule of a fixed node is constant, at the node's value, on it.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, !B\\nB, !A")
    >>> lb.is_trap_space(net, "10"), lb.is_trap_space(net, "1*"), lb.is_trap_space(net, {})
    (True, False, True)
    """
    from ..bdd import expr_to_bdd, new_manager

    fixed = _as_space(net, space)
    mgr = new_manager(net.names)
    values = {k: bool(v) for k, v in fixed.items()}
    for name, value in fixed.items():
        f = mgr.let(values, expr_to_bdd(mgr, net.rules[name])) if values else None
        if f != (mgr.true if value else mgr.false):
            return False
    return True
