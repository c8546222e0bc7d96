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

import functools
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..budget import Budget, BudgetExceeded, Outcome, StopReason
from ..dynamics.update import Update
from ..errors import LogicboneError
from ..modes import AttractorMethod, TrapSpaceKind
from ..network import Network, most_read_input
from .settings import DEFAULT, EngineSettings

if TYPE_CHECKING:
    from .results import AttractorResult

__all__ = ["trap_spaces", "count_trap_spaces", "is_trap_space", "TrapSpaceResult",
           "mp_attractors"]

log = logging.getLogger(__name__)



def _kind(kind: TrapSpaceKind | str) -> TrapSpaceKind:
    try:
        return TrapSpaceKind.parse(kind)
    except LogicboneError:
        raise LogicboneError(f"unknown kind of trap space '{kind}'; expected min, max or all"
                             ) from None



@dataclass(frozen=True)
class TrapSpaceResult:
    """Trap spaces of one kind, as subspace strings in node order.

    Iterating gives the strings. ``complete`` is False when the list was cut short
    (``reason``: a :class:`~logicbone.budget.StopReason`, equal to ``"limit"``,
    ``"timeout"`` or ``"interrupted"``; :attr:`outcome` gives both as an
    :class:`~logicbone.budget.Outcome`); ``count`` is the exact
    total when known (it may exceed the listed spaces).
    """

    model: str
    nodes: tuple[str, ...]
    kind: TrapSpaceKind
    spaces: tuple[str, ...]
    complete: bool = True
    reason: StopReason | None = None
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    count: int | None = None

    @property
    def outcome(self) -> Outcome:
        """How the search ended, as every engine reports it."""
        return Outcome(self.complete, self.reason, None, self.seconds)

    def __iter__(self) -> Iterator[str]:
        return iter(self.spaces)

    def __len__(self) -> int:
        return len(self.spaces)

    def __contains__(self, space: object) -> bool:
        return space in self.spaces

    def to_frame(self) -> Any:
        """The trap spaces as a pandas DataFrame; free nodes are <NA> (needs pandas)."""
        from ..frames import trap_spaces_frame

        return trap_spaces_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import spaces_repr_html

        return spaces_repr_html(f"{len(self.spaces):,} {self.kind} trap spaces"
                                + ("" if self.complete else " (partial list)"), self.nodes,
                                list(self.spaces))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``{"model", "nodes", "kind", "trap_spaces"}`` (plus
        ``complete``, and ``reason`` when the list is partial)."""
        d: dict[str, Any] = {"model": self.model, "nodes": list(self.nodes), "kind": str(self.kind),
             "trap_spaces": list(self.spaces), "complete": self.complete}
        if not self.complete and self.reason is not None:
            d["reason"] = self.reason.value
        if self.count is not None and self.count != len(self.spaces):
            d["count"] = self.count
        return d


def subspace_decoder(n: int, batch: int = 4096
                     ) -> tuple[Callable[[Any], None], Callable[[list[Any]], list[str]]]:
    """``(extract, decode)``: ``extract`` runs in the solver's callback on each answer set;
    ``decode(rows)``, once the solver has stopped, gives the subspace strings of the first
    ``len(rows)`` answer sets (``rows``: what the solver kept of ``extract``'s results).

    The shown ``h(i,b)`` atoms are read by their codes
    (:func:`~logicbone.analysis.asp.shown_codes`: making a Python object of each symbol
    costs far more than solving) and marked in one byte per node (1: value 0 possible,
    2: value 1 possible). The first ``batch`` answer sets are marked one code at a time;
    after them the codes are only copied in the callback and marked ``batch`` answer sets
    at once, over arrays (where this clingo build hands over the codes' array and a few
    bits tell them apart, :func:`_code_table`): the loop over a few hundred codes took
    longer than the solver took to find the answer (bbm/004 under the seed-4 condition,
    547,288 minimal trap spaces of 247 nodes: 37 us per answer in the callback, against
    28 us of solving). So nothing long is left to do once the solver stops at a deadline."""
    import clingo

    from .asp import raw_shown_codes, shown_codes, symbol_code

    # per atom: the node and its mark
    where = {symbol_code(clingo.Function("h", [clingo.Number(i), clingo.Number(b)])):
             (i, b + 1) for i in range(n) for b in (0, 1)}
    get = where.__getitem__
    out: list[str] = []
    pending: list[bytes] = []
    table: list[tuple[int, int, Any] | None] = []     # looked up once batch answers came

    def extract(model: Any) -> None:
        if len(out) >= batch and not table:
            table.append(_code_table(tuple(where.items())))
        raw = raw_shown_codes(model) if table and table[0] is not None else None
        if raw is None:
            marks = bytearray(n)
            for i, m in map(get, shown_codes(model)):
                marks[i] |= m
            out.append(bytes(marks).translate(_MARKS).decode("ascii"))
            return
        pending.append(raw)
        if len(pending) >= batch:
            flush()

    def flush() -> None:
        if pending:
            assert table and table[0] is not None
            out.extend(_bulk_marked(pending, table[0], n))
            pending.clear()

    def decode(rows: list[Any]) -> list[str]:
        flush()
        return out[:len(rows)]

    return extract, decode


def _bulk_marked(raws: list[bytes], table: tuple[int, int, Any], n: int) -> list[str]:
    """Subspace strings from each answer's shown codes (``raws``: their 64-bit codes as
    bytes), all at once: each code is looked up in ``table`` (:func:`_code_table`) for
    its node and value, and a flag set per answer, node and value (0.016 s for 4,096
    answers of 247 nodes, 1.1 million codes)."""
    import numpy as np
    shift, mask, values = table
    codes = np.frombuffer(b"".join(raws), dtype=np.uint64)
    at = values[((codes >> np.uint64(shift)) & np.uint64(mask)).astype(np.intp)]
    # flag 2 * (answer * n + node) + value - 1, then the two flags of a node as its mark
    flags = np.zeros(2 * n * len(raws), dtype=np.uint8)
    flags[np.repeat(np.arange(len(raws)) * (2 * n), [len(r) >> 3 for r in raws]) + at] = 1
    pairs = flags.reshape(-1, 2)
    rows = pairs[:, 0] | (pairs[:, 1] << 1)
    text = rows.tobytes().translate(_MARKS).decode("ascii")
    return [text[i:i + n] for i in range(0, len(text), n)]


@functools.lru_cache(maxsize=8)
def _code_table(where: tuple[tuple[int, tuple[int, int]], ...]
                ) -> tuple[int, int, Any] | None:
    """``(shift, mask, table)``: ``table[(code >> shift) & mask]`` is ``2 * node + value``
    (0 or 1) for the code of each atom ``h(node, value)`` of ``where`` (codes and marks as
    :func:`subspace_decoder` keeps them), the first shift and the fewest bits (at most 24)
    that tell every code apart; None if none do (then the answers are read one by one).
    Symbols live as long as the process, so the table is made once."""
    import numpy as np
    codes = np.array([c for c, _ in where], dtype=np.uint64)
    values = np.array([2 * i + m - 1 for _, (i, m) in where], dtype=np.int32)
    for bits in range(max(1, len(where) - 1).bit_length(), 25):
        for shift in range(64 - bits + 1):
            keys = (codes >> np.uint64(shift)) & np.uint64((1 << bits) - 1)
            if len(np.unique(keys)) == len(where):
                table = np.zeros(1 << bits, dtype=np.int32)
                table[keys.astype(np.intp)] = values
                return shift, (1 << bits) - 1, table
    return None     # pragma: no cover


#: marks of a node in an answer set -> its character in a subspace string
_MARKS = bytes.maketrans(bytes(range(4)), b"?01*")


def trap_spaces(net: Network, kind: TrapSpaceKind | str = TrapSpaceKind.MIN, *, limit: int | None = None,
                timeout: float | None = None, progress: Callable[[str], None] | None = None,
                budget: Budget | None = None, settings: EngineSettings | None = None,
                model: str = "") -> TrapSpaceResult:
    """The minimal, maximal, or all trap spaces of ``net``.

    Parameters
    ----------
    net : Network
    kind : TrapSpaceKind or {"min", "max", "all"}
        Minimal (inclusion-wise; the most permissive attractors), maximal proper, or every
        trap space (including the whole space).
    limit : int, optional
        List at most this many; the result says whether the list is complete. The limit
        holds however the network splits into parts: no part lists more than ``limit``.
    timeout : float, optional
        Stop after about this many seconds with a partial list (the solver stops at 4/5
        of it, leaving time to build the list).
    progress : callable(str), optional
        Receives a one-line message about once a second (the number found so far).
    budget : Budget, optional
        Instead of (or narrowed by) ``timeout``, ``limit`` and ``progress``: a
        :class:`~logicbone.budget.Budget`, whose interrupts also stop the search with a
        partial list.
    settings : EngineSettings, optional
        Tuning (:class:`~logicbone.analysis.settings.EngineSettings`).
    model : str
        The name to carry into the result (e.g. the file path).

    Returns
    -------
    TrapSpaceResult
        Subspace strings in node order (``names``), sorted.

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
    kind = _kind(kind)
    settings = settings or DEFAULT
    budget = Budget.of(budget, timeout=timeout, limit=limit, progress=progress)
    solver = budget.child(share=settings.solver_share)
    what = f"{kind} trap spaces"
    if kind is not TrapSpaceKind.MIN:
        spaces, outcome = _solve(net, kind, solver, what)
        complete, reason = outcome.complete, outcome.reason
        count = len(spaces) if complete else None
    else:
        parts, complete, reason = _min_parts(net, solver, settings, what)
        count = _product(len(p[1]) for p in parts) if complete else None
        spaces, cut = _combine(len(net.names), parts, budget.left(), solver,
                               settings.max_listed_product)
        if cut is not None and (complete or reason is StopReason.LIMIT):
            complete, reason = False, cut
    spaces.sort()
    seconds = budget.elapsed()
    log.info("%d %s trap spaces in %.2fs%s", len(spaces), kind, seconds,
             "" if complete or reason is None else f" ({reason.value})")
    return TrapSpaceResult(model, tuple(net.names), kind, tuple(spaces), complete, reason,
                           seconds, count=count)


def _solve(net: Network, kind: TrapSpaceKind, budget: Budget, what: str = "trap spaces",
           nogoods: list[list[tuple[int, int]]] | None = None) -> tuple[list[str], Outcome]:
    """One solver run: (subspace strings, how it ended); ``nogoods`` leave out subspaces
    (:meth:`~logicbone.analysis.asp.Program.without`)."""
    from .asp import solve_models, trap_program
    from .primes import rule_dnfs

    n = len(net.names)
    program = trap_program(n, rule_dnfs(net), nonempty_fixed=kind is TrapSpaceKind.MAX)
    if nogoods:
        program = program.without(nogoods)
    extract, decode = subspace_decoder(n)
    rows, outcome = solve_models(program, mode=kind, budget=budget, what=what,
                                 extract=extract)
    return decode(rows), outcome


def _solve_min(net: Network, budget: Budget, settings: EngineSettings,
               what: str = "min trap spaces") -> tuple[list[str], Outcome]:
    """The minimal trap spaces of ``net`` by the solver, as :func:`_solve`, in pieces
    where there are many.

    Enumerating subset-minimal answers, the solver keeps a nogood per answer (it excludes
    the answers above), and slows as they pile up (bbm/004 under a condition has 547,288
    minimal trap spaces: 95 s in one run, 36 s in 64 pieces, on a loaded machine; 289,024
    under another: 22 s and 13 s). So where a run finds more than
    ``settings.piece_spaces``, the list is made again in pieces, split on up to
    ``settings.piece_splits`` maximal trap spaces (those fixing the fewest nodes first):
    for each, the answers inside it, or those disjoint from it (a node it fixes takes the
    other value), a piece per combination. A minimal trap space that meets a trap space
    lies inside it (their intersection is a trap space), so each is in one piece; and
    each side is closed under taking subspaces, so the subset-minimal answers of a piece
    are the minimal trap spaces in it."""
    most = settings.piece_spaces
    limit = budget.left()
    if most <= 0 or settings.piece_splits <= 0 or (limit is not None and limit <= most):
        return _solve(net, TrapSpaceKind.MIN, budget, what)
    spaces, outcome = _solve(net, TrapSpaceKind.MIN, budget.child(limit=most), what)
    if outcome.reason is not StopReason.LIMIT:
        return spaces, outcome
    tops, _ = _solve(net, TrapSpaceKind.MAX, budget.child(timeout=settings.witness_seconds),
                     "max trap spaces")
    cuts = [[(i, int(c)) for i, c in enumerate(space) if c != "*"]
            for space in sorted(tops, key=lambda t: len(t) - t.count("*"))
            ][:settings.piece_splits]
    pieces: list[list[list[tuple[int, int]]]] = []     # the nogoods of each piece
    for inside in itertools.product((True, False), repeat=len(cuts)):
        fixed: dict[int, int] = {}
        if any(fixed.setdefault(j, v) != v
               for cut, into in zip(cuts, inside) if into for j, v in cut):
            continue        # inside two spaces that fix a node apart: none
        # (inside: no node of the space takes the other value; apart: not all its values)
        pieces.append([[(j, 1 - v)] for j, v in fixed.items()] + [
            cut for cut, into in zip(cuts, inside) if not into])
    done: dict[int, tuple[list[str], Outcome]] = {}
    if limit is None and settings.jobs > 1:
        # no limit to share: the pieces run at once in copies of this process, their
        # lists joined in the order of the pieces (the same list as one process makes);
        # only this process reports progress
        from ..parallel import forked_map
        done, _ = forked_map(lambda i: _solve(net, TrapSpaceKind.MIN, budget.child(), what,
                                              pieces[i]), len(pieces), settings.jobs,
                             prepare=budget.mute)
    found: list[str] = []
    for i, nogoods in enumerate(pieces):
        piece, outcome = done[i] if done else _solve(
            net, TrapSpaceKind.MIN,
            budget.child(limit=None if limit is None else limit - len(found)), what, nogoods)
        found.extend(piece)
        if not outcome.complete:
            if outcome.reason is not StopReason.LIMIT and len(found) < len(spaces):
                found = spaces      # (cut short before the pieces listed more)
            budget.take(len(found) + (outcome.reason is StopReason.LIMIT))
            return found, budget.outcome(complete=False)
    log.debug("%d %s in %d pieces", len(found), what, len(pieces))
    budget.take(len(found))
    return found, budget.outcome(complete=True)


def _product(counts: Iterable[int]) -> int:
    total = 1
    for c in counts:
        total *= c
    return total


def _min_parts(net: Network, budget: Budget, settings: EngineSettings,
               what: str = "min trap spaces") -> tuple[list[tuple[list[int], list[str]]], bool, StopReason | None]:
    """Minimal trap spaces per independent part of the percolated network.

    Every minimal trap space fixes the constants and what they force (a trap space that
    leaves such a node free contains a smaller one that fixes it), and the trap spaces of
    parts that share no rule are the products of theirs. Returns ``(parts, complete,
    reason)`` with ``parts`` a list of ``(node indices, subspace strings)``; the forced
    nodes form a part of their own with a single string. Each part lists at most the
    answers ``budget`` allows (the product needs no more from any part). After a part
    stops early (time, interrupt), the remaining parts contribute one minimal trap space
    each (every network has one), so the partial product is still a list of minimal trap
    spaces. A part with inputs and more than ``settings.split_spaces`` minimal trap spaces
    is split on an input (:func:`_split_on_input`).
    """
    forced, parts = net.decompose()
    base = net.forced_bits(forced)
    inside = {i for p in parts for i in p.index}
    forced_at = [i for i in range(len(net.names)) if i not in inside]
    out = ([(forced_at, ["".join("1" if base >> i & 1 else "0" for i in forced_at)])]
           if forced_at else [])
    complete, reason = True, None
    stopped = False
    limit = budget.left()
    log.debug("%d forced nodes, %d independent parts", len(forced_at), len(parts))
    for part in sorted(parts, key=lambda p: len(p.index)):
        if stopped:  # one witness for each remaining part
            own = Budget(timeout=settings.witness_seconds, limit=1)
            spaces, outcome = _solve(part.net, TrapSpaceKind.MIN, own, what)
            done, why = outcome.complete, outcome.reason
        else:
            spaces, done, why = _part_spaces(part.net, budget, settings, what, limit)
        if not done and not stopped:
            complete, reason = False, why
            stopped = why is not StopReason.LIMIT
        out.append((list(part.index), spaces))
    return out, complete, reason


def _part_spaces(net: Network, budget: Budget, settings: EngineSettings, what: str,
                 limit: int | None) -> tuple[list[str], bool, StopReason | None]:
    """The minimal trap spaces of one part, as ``(strings, complete, why not)``: one solver
    run, or, for a part with inputs that has more than ``settings.split_spaces`` of them,
    the union over the values of its inputs (:func:`_split_on_input`)."""
    split = _may_split(net, settings, limit)
    most = settings.split_spaces if split else limit
    spaces, outcome = _solve_min(net, budget.child(limit=most), settings, what)
    if split and outcome.reason is StopReason.LIMIT and not _splits(net):
        spaces, outcome = _solve_min(net, budget.child(limit=limit), settings, what)
    if not (split and outcome.reason is StopReason.LIMIT):
        return spaces, outcome.complete, outcome.reason
    n = len(net.names)
    # (no more than the solver could have listed: the products are made, not walked)
    cap = settings.max_listed_product if limit is None else limit
    # with a time limit, the split gets half the time left: where it cannot finish
    # (bbm/122: more than ten million), one solver run lists more in the rest
    trial = budget.child(share=0.5) if budget.deadline is not None else budget
    packed, done, why = _split_on_input(net, list(range(n)), n, trial, settings, what,
                                        cap, {})
    if not done and why is not StopReason.LIMIT and not budget.expired():
        spaces, outcome = _solve_min(net, budget.child(limit=limit), settings, what)
        if len(spaces) >= len(packed):
            return spaces, outcome.complete, outcome.reason
    if not done and len(packed) < len(spaces):
        # cut short before it listed more: those of the first run (bbm/078 at 60 s)
        return spaces, False, why
    return [v.to_bytes(n, "big").decode("ascii") for v in packed], done, why


def _may_split(net: Network, settings: EngineSettings, limit: int | None) -> bool:
    """Whether a part is first solved for ``settings.split_spaces`` answers only, to be
    split on an input if it has more."""
    return settings.split_spaces > 0 and bool(net.inputs) and (
        limit is None or limit > settings.split_spaces)


#: a subspace of an n-node network packed in an int: node j's character in byte j from
#: the top (``int.to_bytes(n, "big")`` gives the string), the nodes of other parts 0; the
#: product of the lists of parts is then an OR of ints
Packed = int


def _packed(spaces: list[str], where: list[int], n: int) -> list[Packed]:
    if len(spaces) * len(where) > 1 << 16:
        # (bbm/056: two million strings of 90 characters, 87 s character by character)
        import numpy as np
        k = len(where)
        full = np.zeros((len(spaces), n), dtype=np.uint8)
        full[:, where] = np.frombuffer("".join(spaces).encode("ascii"),
                                       dtype=np.uint8).reshape(len(spaces), k)
        view = memoryview(full.tobytes())
        return [int.from_bytes(view[i:i + n], "big") for i in range(0, len(view), n)]
    shifts = [8 * (n - 1 - w) for w in where]
    return [sum(c << s for c, s in zip(space.encode("ascii"), shifts)) for space in spaces]


def _split_on_input(net: Network, where: list[int], n: int, budget: Budget,
                    settings: EngineSettings, what: str, limit: int | None,
                    memo: dict[Any, list[Packed]]
                    ) -> tuple[list[Packed], bool, StopReason | None]:
    """The minimal trap spaces of ``net`` (its nodes at positions ``where`` of ``n``,
    packed) as those with its input read by most rules OFF, then those with it ON: each
    fixes every input (one left free holds a smaller trap space that fixes it), so they
    are the minimal trap spaces of the network with that input fixed, each value
    percolated and split into parts, whose lists multiply (parts with the same rules,
    which recur across values, listed once: ``memo``). With inputs free, corpus networks
    have 10^4 to 10^6 minimal trap spaces, which the solver lists at a few thousand a
    second (bbm/001: 40,322 in 24 s of its 540,672)."""
    x = most_read_input(net)
    out: list[Packed] = []
    for value in (0, 1):
        sub = net.fix({x: value})
        forced, parts = sub.decompose()
        bits = sub.forced_bits(forced)
        inside = {i for p in parts for i in p.index}
        acc = [sum(ord("1" if bits >> i & 1 else "0") << 8 * (n - 1 - where[i])
                   for i in range(len(sub.names)) if i not in inside)]
        for part in sorted(parts, key=lambda p: len(p.index)):
            packed, done, why = _part_packed(part.net, [where[i] for i in part.index], n,
                                             budget, settings, what, limit, memo)
            if not done:       # (acc lacks the parts left: only whole ones go out)
                return out, False, why
            acc, cut = _times(acc, packed, limit, budget)
            if cut is not None and cut is not StopReason.LIMIT:
                return out, False, cut
        out.extend(acc)
        if limit is not None and len(out) >= limit:
            return out[:limit], False, StopReason.LIMIT
        if budget.expired():
            return out, False, budget.stop_reason()
    return out, True, None


def _times(acc: list[Packed], packed: list[Packed], limit: int | None, budget: Budget
           ) -> tuple[list[Packed], StopReason | None]:
    """Each of ``acc`` with each of ``packed`` (subspaces of disjoint parts, packed), at
    most ``limit`` of them, the budget checked every few thousand (bbm/122: ten million
    made before a limit of 8 s was looked at)."""
    out: list[Packed] = []
    check = 0
    for a in acc:
        out.extend(a | b for b in packed)
        if limit is not None and len(out) >= limit:
            return out[:limit], StopReason.LIMIT
        if len(out) >= check:
            check = len(out) + 4096
            if budget.expired():
                return out, budget.stop_reason() or StopReason.TIMEOUT
    return out, None


def _splits(net: Network) -> bool:
    """Whether fixing the input of ``net`` read by most rules, at either value, cuts it
    into independent parts whose lists multiply, the largest with at most three quarters
    of its nodes (bbm/001: 59 of 321, 016: 11 of 118, 072: 51 of 81). Where it does not,
    the split mostly sums solver runs, each preparing its rules again (bbm/255: 184 of
    185, its 8,192 minimal trap spaces listed in 4.8 s by one run, in 33 s split on its 13
    inputs; bbm/146: 47 of 50). Asked of the parts of the network, not of those met after
    a split: there a cut may take a few more inputs (bbm/001, a part of 233 nodes with 18
    inputs once one is fixed: not cut by the next, listed in 5 s split on them, not in 30 s
    in one run)."""
    if not net.inputs:
        return False
    x = most_read_input(net)
    most = 3 * len(net.names) // 4
    return any(max((len(p.index) for p in net.fix({x: value}).decompose()[1]), default=0)
               <= most for value in (0, 1))


def _rules_key(net: Network) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names and rules of a part as text: parts with the same are the same network
    (met again across the values of the inputs split on)."""
    from ..expr import to_text
    return net.names, tuple(to_text(net.rules[k], xor=True, node=k) for k in net.names)


def _part_packed(net: Network, where: list[int], n: int, budget: Budget,
                 settings: EngineSettings, what: str, limit: int | None,
                 memo: dict[Any, list[Packed]]
                 ) -> tuple[list[Packed], bool, StopReason | None]:
    """:func:`_part_spaces` of a part met in :func:`_split_on_input`, packed."""
    key = _rules_key(net)
    if key in memo:        # (the same names: the same positions)
        return memo[key], True, None
    split = _may_split(net, settings, limit)
    spaces, outcome = _solve_min(net, budget.child(limit=settings.split_spaces if split
                                                   else limit), settings, what)
    if split and outcome.reason is StopReason.LIMIT:
        packed, done, why = _split_on_input(net, where, n, budget, settings, what, limit,
                                            memo)
    else:
        packed, done, why = _packed(spaces, where, n), outcome.complete, outcome.reason
    if done:
        memo[key] = packed
    return packed, done, why


def _min_count(net: Network, budget: Budget, settings: EngineSettings
               ) -> tuple[int, bool, StopReason | None]:
    """The number of minimal trap spaces of ``net``: the product over the independent parts
    of the percolated network of their counts (:func:`_part_count`), as ``(count,
    complete, why not)``; cut short, the count is a lower bound (a part not counted has at
    least one)."""
    _, parts = net.decompose()
    total = 1
    memo: dict[Any, int] = {}
    for part in sorted(parts, key=lambda p: len(p.index)):
        count, done, why = _part_count(part.net, budget, settings, memo, top=True)
        total *= count
        if not done:
            return total, False, why
    return total, True, None


def _part_count(net: Network, budget: Budget, settings: EngineSettings,
                memo: dict[Any, int], top: bool = False) -> tuple[int, bool, StopReason | None]:
    """The number of minimal trap spaces of one part: one solver run, or, for a part with
    inputs and more than ``settings.split_spaces`` (at the top level: where fixing an input
    cuts it, :func:`_splits`), :func:`_split_count`. Parts with the same rules are counted
    once (``memo``)."""
    key = _rules_key(net)
    if key in memo:
        return memo[key], True, None
    split = _may_split(net, settings, None)
    spaces, outcome = _solve_min(net, budget.child(limit=settings.split_spaces if split
                                                   else None), settings)
    if split and outcome.reason is StopReason.LIMIT and (not top or _splits(net)):
        count, done, why = _split_count(net, budget, settings, memo)
    elif split and outcome.reason is StopReason.LIMIT:
        spaces, outcome = _solve_min(net, budget.child(limit=None), settings)
        count, done, why = len(spaces), outcome.complete, outcome.reason
    else:
        count, done, why = len(spaces), outcome.complete, outcome.reason
    if done:
        memo[key] = count
    return max(count, 1), done, why


def _split_count(net: Network, budget: Budget, settings: EngineSettings,
                 memo: dict[Any, int]) -> tuple[int, bool, StopReason | None]:
    """:func:`_split_on_input` as a count: over both values of the input read by most
    rules, the product of the counts of the parts the value leaves (each minimal trap space
    fixes every input, so they split by its value). Cut short: a lower bound (every
    network has a minimal trap space)."""
    x = most_read_input(net)
    total = 0
    for value in (0, 1):
        _, parts = net.fix({x: value}).decompose()
        acc = 1
        for part in sorted(parts, key=lambda p: len(p.index)):
            count, done, why = _part_count(part.net, budget, settings, memo)
            acc *= count
            if not done:
                return total + acc + (1 if value == 0 else 0), False, why
        total += acc
        if budget.expired():
            return total + (1 if value == 0 else 0), False, budget.stop_reason()
    return total, True, None


def _combine(n: int, parts: list[tuple[list[int], list[str]]], limit: int | None,
             budget: Budget, most: int) -> tuple[list[str], StopReason | None]:
    """The product of the parts' lists as subspace strings (at most ``limit``; stopping
    when ``budget`` expires; without either, refusing more than ``most``, unless an interrupt
    came, which lists a few thousand); returns ``(strings, why it was cut short or None)``."""
    if not parts:
        return ([""] if n == 0 else []), None
    if len(parts) == 1:
        spaces = parts[0][1]
        if limit is not None and len(spaces) > limit:
            return spaces[:limit], StopReason.LIMIT
        return list(spaces), None
    total = _product(len(p[1]) for p in parts)
    budget.refuse_listing(total, most, "minimal trap spaces", limit)
    cap = most if limit is None else limit
    many = [p for p in parts if len(p[1]) != 1]
    if len(many) == 1 and len(many[0][1]) * len(many[0][0]) > 1 << 16:
        # one part with many (the others, such as the forced nodes, with one): each of
        # its strings written into the one template, all at once (bbm/004 under a
        # condition, 547,288 of 194 free nodes: 0.4 s instead of 3.4 s as ints)
        index, spaces = many[0]
        return _spliced(n, [p for p in parts if p is not many[0]], index,
                        spaces[:cap]), StopReason.LIMIT if total > cap else None
    # each part's strings as ints holding their characters at their nodes' bytes, so a
    # combination is an OR of ints (each node belongs to one part): bbm/001 split on its
    # inputs, 540,672 of them, took 16 s character by character
    covered = {j for index, _ in parts for j in index}
    base = int.from_bytes(bytes(0 if j in covered else ord("*") for j in range(n)), "big")
    tables = [_packed(spaces, index, n) for index, spaces in parts]
    acc = [base]
    for table in tables[:-1]:      # (no more than could be listed: made lazily, cut)
        acc = list(itertools.islice((x | y for x in acc for y in table), cap))
    last = tables[-1]
    out: list[str] = []
    step = max(1, 4096 // max(1, len(last)))
    for start in range(0, len(acc), step):
        if start and budget.expired():     # after an interrupt: a few thousand
            return out, budget.stop_reason()
        out.extend((x | y).to_bytes(n, "big").decode("ascii")
                   for x in acc[start:start + step] for y in last)
        if len(out) >= cap:
            return out[:cap], StopReason.LIMIT if total > cap else None
    return out, None


def _spliced(n: int, singles: list[tuple[list[int], list[str]]], index: list[int],
             spaces: list[str]) -> list[str]:
    """Strings of ``n`` characters: ``spaces`` at the positions ``index``, each of
    ``singles`` (positions and one string) at its own. Each output column is gathered
    from the strings' columns or a constant one (``numpy.take``: writing the columns
    into place instead took 2.5 s for 547,288 strings of 194 of 247 nodes, 0.2 s so)."""
    import numpy as np
    k = len(index)
    source = np.full(n, k + 2)            # the column each position takes: "*" by default
    source[index] = np.arange(k)
    for where, (one,) in singles:
        source[where] = [k if c == "0" else k + 1 if c == "1" else k + 2 for c in one]
    columns = np.empty((len(spaces), k + 3), dtype=np.uint8)
    columns[:, :k] = np.frombuffer("".join(spaces).encode("ascii"),
                                   dtype=np.uint8).reshape(len(spaces), k)
    columns[:, k:] = np.frombuffer(b"01*", dtype=np.uint8)
    text = np.take(columns, source, axis=1).tobytes().decode("ascii")
    return [text[i:i + n] for i in range(0, len(text), n)]


def mp_attractors(net: Network, *, max_states: int = 1000, model: str = "",
                  **kw: Any) -> AttractorResult:
    """The attractors of the most permissive update: the minimal trap spaces.

    Returns an :class:`~logicbone.analysis.results.AttractorResult` (update
    ``most_permissive``, method ``mp``): a trap space without free nodes is a
    ``fixed_point``, the others ``complex`` with ``2**free`` states (listed up to
    ``max_states``). ``kw`` goes to :func:`trap_spaces` (``limit``, ``timeout``,
    ``progress``, ``budget``).

    Examples
    --------
    >>> import logicbone as lb
    >>> res = lb.attractors(lb.parse_bnet("A, !B\\nB, A"), "mp")
    >>> [(a.type, a.size, a.subspace) for a in res.attractors]
    [('complex', 4, '**')]
    """
    from .results import Attractor, AttractorResult

    res = trap_spaces(net, TrapSpaceKind.MIN, model=model, **kw)
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
    why = res.reason.value if res.reason is not None else "stopped"
    notes = () if res.complete else (f"list stopped early ({why})",)
    return AttractorResult(model, tuple(net.names), Update.MOST_PERMISSIVE, AttractorMethod.MP,
                           res.complete, tuple(atts), notes, res.reason, res.seconds)


def count_trap_spaces(net: Network, kind: TrapSpaceKind | str = TrapSpaceKind.MIN, *, timeout: float | None = None,
                      budget: Budget | None = None,
                      settings: EngineSettings | None = None) -> int:
    """The number of trap spaces of one kind.

    Minimal trap spaces are counted per independent part of the percolated network and
    multiplied, never listed as a whole; a part with inputs and many of them is counted as
    the sum over the values of an input of the products of the counts of the parts that
    value leaves (:func:`_split_count`), nothing listed but the smallest parts.

    Raises
    ------
    BudgetExceeded
        When the time runs out or an interrupt arrives (:meth:`Budget.catch_interrupts`);
        its ``at_least`` holds a lower bound.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("\\n".join(f"A{i}, !B{i}\\nB{i}, !A{i}" for i in range(40)))
    >>> lb.count_trap_spaces(net, "min") == 2 ** 40
    True
    """
    kind = _kind(kind)
    settings = settings or DEFAULT
    budget = Budget.of(budget, timeout=timeout)
    solver = budget.child(share=settings.solver_share)
    solver.limit = None     # a count takes every answer, whatever limit the budget holds
    if kind is TrapSpaceKind.MIN:
        total, complete, reason = _min_count(net, solver, settings)
    else:
        spaces, outcome = _solve(net, kind, solver)
        complete, reason, total = outcome.complete, outcome.reason, len(spaces)
    if not complete:
        why = reason or StopReason.TIMEOUT
        floor = ""
        if kind is TrapSpaceKind.MIN and not budget.interrupted:
            # each fixed point is a minimal trap space, and they count in the time left
            # where the spaces did not (bbm/004 with inputs free: 3,005,341,696 fixed
            # points in a second, 312,251 minimal trap spaces listed in the minute)
            from .fixed_points import fixed_points_at_least
            points = fixed_points_at_least(net, budget, settings)
            if points > total:
                total, floor = points, " (its fixed points)"
        raise BudgetExceeded(why, at_least=total,
                             what=f"counting {kind} trap spaces stopped early "
                                  f"({why.describe()}); at least {total:,}{floor}")
    return total


def _as_space(net: Network, space: str | Mapping[str, int | bool]) -> dict[str, int]:
    if isinstance(space, str):
        if len(space) != len(net.names) or set(space) - set("01*-"):
            raise LogicboneError(
                f"a subspace string needs one of 0, 1, * per node ({len(net.names)} characters)")
        return {n: int(c) for n, c in zip(net.names, space) if c in "01"}
    if isinstance(space, Mapping):
        net.check_nodes(space)
        return {k: int(v) for k, v in space.items()}
    raise LogicboneError("a subspace is a string such as '01*' or a dict node -> 0/1")


def is_trap_space(net: Network, space: str | Mapping[str, int | bool]) -> bool:
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
