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

import itertools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import LogicboneError
from ..expr import Const, Expr, substitute, variables
from ..network import Network

__all__ = ["fixed_points", "count_fixed_points", "FixedPointResult", "FIXED_POINT_METHODS"]

log = logging.getLogger(__name__)

FIXED_POINT_METHODS = ("auto", "asp", "sat", "bdd", "explicit")

#: the explicit scan is used up to this many (non-percolated) nodes
EXPLICIT_MAX_NODES = 20

#: memory ceiling (bytes) of the counting BDD before falling back to the ASP count
BDD_MAX_MEMORY = 1 << 30

#: share of a ``timeout`` given to the solver (the rest builds the list)
SOLVER_SHARE = 0.8


@dataclass(frozen=True)
class FixedPointResult:
    """Fixed points as ``int`` states (bit i = ``nodes[i]``).

    Iterating gives the states in increasing order of their strings. ``complete`` is False
    when the list was cut short (``reason``: ``"limit"``, ``"timeout"`` or
    ``"interrupted"``); ``count`` is the exact total when known (it may exceed the listed
    states).
    """

    model: str
    nodes: tuple[str, ...]
    states: tuple[int, ...]
    method: str
    complete: bool = True
    reason: str = ""
    count: int | None = None
    seconds: float = 0.0
    extra: dict = field(default_factory=dict, compare=False)

    def __iter__(self) -> Iterator[int]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)

    def __contains__(self, state: object) -> bool:
        return state in self.states

    def to_frame(self):
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
        return ["".join("1" if (s >> i) & 1 else "0" for i in range(n)) for s in self.states]

    def to_dict(self) -> dict:
        """The JSON contract ``{"model", "nodes", "fixed_points"}`` plus ``complete``
        (and ``count`` and ``reason`` when the list is partial)."""
        d = {"model": self.model, "nodes": list(self.nodes), "fixed_points": self.strings(),
             "complete": self.complete}
        if not self.complete:
            d["reason"] = self.reason
        if self.count is not None and (not self.complete or self.count != len(self.states)):
            d["count"] = self.count
        return d


# ---------------------------------------------------------------- decomposition

@dataclass
class _Part:
    """An independent part of the percolated network: its node indices and rules."""

    index: list[int]
    net: Network


def _percolate(net: Network) -> tuple[dict[str, bool], dict[str, Expr]]:
    """Constants and what they force (every fixed point and minimal trap space agrees
    with them), and the simplified rules of the other nodes. A worklist: a rule is
    simplified again only when one of its regulators has just been fixed."""
    rules: dict[str, Expr] = dict(net.rules)
    readers: dict[str, list[str]] = {n: [] for n in net.names}
    for n in net.names:
        for v in variables(rules[n]):
            readers[v].append(n)
    forced: dict[str, bool] = {}
    todo = [n for n in net.names if isinstance(rules[n], Const)]
    while todo:
        n = todo.pop()
        if n in forced:
            continue
        forced[n] = rules.pop(n).value
        for r in readers[n]:
            if r in rules:
                rules[r] = substitute(rules[r], {n: forced[n]})
                if isinstance(rules[r], Const):
                    todo.append(r)
    return forced, rules


def _decompose(net: Network) -> tuple[int, list[_Part]]:
    """Percolate constants and split the rest into parts that share no rule.

    Returns the state bits forced by percolation and the parts (each a small network over
    its own nodes, its ``index`` the nodes' positions in ``net``).
    """
    forced, rules = _percolate(net)
    base = sum(1 << net.index(k) for k, v in forced.items() if v)
    rest = [n for n in net.names if n not in forced]
    parent = {n: n for n in rest}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for n in rest:
        for v in variables(rules[n]):
            ra, rb = find(n), find(v)
            if ra != rb:
                parent[ra] = rb
    groups: dict[str, list[str]] = {}
    for n in rest:
        groups.setdefault(find(n), []).append(n)
    parts = []
    for members in groups.values():
        sub = Network(tuple(members), {m: rules[m] for m in members})
        parts.append(_Part([net.index(m) for m in members], sub))
    return base, parts


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

def _explicit(net: Network) -> list[int]:
    import numpy as np

    from ..expr import evaluate

    n = len(net.names)
    if n > 26:
        from ..errors import StateSpaceTooLarge
        raise StateSpaceTooLarge(n, 1 << 26, "use method='asp', 'sat' or 'bdd'")
    out = []
    chunk = 1 << min(n, 20)
    for lo in range(0, 1 << n, chunk):
        states = np.arange(lo, min(lo + chunk, 1 << n), dtype=np.uint64)
        bits = {name: ((states >> np.uint64(i)) & np.uint64(1)).astype(bool)
                for i, name in enumerate(net.names)}
        ok = np.ones(len(states), dtype=bool)
        for name in net.names:
            v = evaluate(net.rules[name], bits)
            ok &= (v == bits[name])
        out.extend(int(s) for s in states[ok])
    return _ints_to_matrix(out, n)


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


def _asp(net: Network, **kw):
    """Fixed points by clingo, as a bool matrix (one row per fixed point, one column per
    node). The solver lists the values of a feedback vertex set, packed eight nodes to a
    number; numpy computes the other nodes for all fixed points at once."""
    import numpy as np

    from .asp import solve_models, trap_program
    from .primes import rule_dnfs, side_support

    n = len(net.names)
    dnfs = rule_dnfs(net)
    regs = [side_support(pair[0]) | side_support(pair[1]) for pair in dnfs]
    fvs, order = feedback_vertex_set(n, regs)
    chunk = 8
    program = trap_program(n, dnfs, fixed_points=True, show=fvs, chunk=chunk)
    groups = (len(fvs) + chunk - 1) // chunk

    def numbers(model):
        return sorted(s.number for s in model.symbols(shown=True))

    rows = solve_models(program, extract=numbers if groups else (lambda m: []), **kw)
    m = len(rows)
    values: dict[int, np.ndarray] = {j: np.zeros(m, dtype=bool) for j in fvs}
    if groups and m:
        codes = np.array(rows, dtype=np.int64).reshape(m, groups) & ((1 << chunk) - 1)
        for t, j in enumerate(fvs):
            values[j] = ((codes[:, t // chunk] >> (t % chunk)) & 1).astype(bool)
    return _complete(values, dnfs, order, n, m)


def _sat(net: Network, limit=None, timeout=None, progress=None, stop_on_interrupt=False,
         outcome=None) -> Iterator[int]:
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
    start = time.monotonic()
    next_report = start + 1.0
    found = 0
    try:
        if not clauses:  # every node is an input: every state
            sols = itertools.product((-1, 1), repeat=n)
        else:
            sols = picosat.satisfy_all(n, clauses)
        for sol in sols:
            if limit is not None and found >= limit:
                outcome.reason = "limit"
                return
            found += 1
            s = 0
            for i, v in enumerate(sol):
                if v > 0:
                    s |= 1 << i
            yield s
            now = time.monotonic()
            if timeout is not None and now - start > timeout:
                outcome.reason = "timeout"
                return
            if progress is not None and now > next_report:
                progress(found)
                next_report = now + 1.0
        outcome.complete = True
    except KeyboardInterrupt:
        if not stop_on_interrupt:
            raise
        outcome.reason = "interrupted"
    finally:
        outcome.seconds = time.monotonic() - start


class _TooBig(Exception):
    pass


def _bdd_of(net: Network, max_nodes: int | None = None, timeout: float | None = None):
    """The fixed-point condition as a BDD over a feedback vertex set.

    Every node outside the set is a function of the set (computed in topological order by
    composing DNFs), so the fixed points correspond one to one to the assignments ``y`` of
    the set with ``y_v = f_v(y, g(y))`` for every ``v`` in it. Returns
    ``(manager, condition, fvs_names, dnfs, fvs, order)``; raises ``_TooBig`` when the
    manager grows past ``max_nodes`` nodes or the time runs out.
    """
    from ..bdd import new_manager
    from .primes import BddCover, rule_dnfs, side_support

    start = time.monotonic()
    n = len(net.names)
    dnfs = rule_dnfs(net)
    regs = [side_support(pair[0]) | side_support(pair[1]) for pair in dnfs]
    fvs, order = feedback_vertex_set(n, regs)
    names = [net.names[i] for i in fvs]
    mgr = new_manager(names)
    if max_nodes is not None and hasattr(mgr, "configure"):
        try:  # CUDD: a hard memory ceiling as well as the node count
            mgr.configure(max_memory=BDD_MAX_MEMORY)
        except (TypeError, ValueError, AttributeError):
            pass
    g = {i: mgr.var(net.names[i]) for i in fvs}

    def check():
        if max_nodes is not None and len(mgr) > max_nodes:
            raise _TooBig()
        if timeout is not None and time.monotonic() - start > timeout:
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
        g[i] = dnf_bdd(dnfs[i][0])
        check()
    cond = mgr.true
    for i in fvs:
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
    return _complete(values, dnfs, order, len(net.names), m)


def _complete(values: dict, dnfs, order, n: int, m: int):
    """Compute the nodes in ``order`` from their DNFs, for ``m`` rows at once."""
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


def _count_part(net: Network, method: str, timeout: float | None = None) -> tuple[int, bool]:
    """(count, exact) for one independent part."""
    start = time.monotonic()
    if method == "explicit" or (method == "auto" and len(net.names) <= EXPLICIT_MAX_NODES):
        return len(_explicit(net)), True
    if method in ("auto", "bdd"):
        try:
            auto = method == "auto"
            mgr, cond, names, *_ = _bdd_of(net, max_nodes=2_000_000 if auto else None,
                                           timeout=(timeout / 2 if timeout else 60.0)
                                           if auto else None)
            return int(mgr.count(cond, nvars=len(names))), True
        except (_TooBig, MemoryError, RuntimeError):
            if not auto:
                raise
            log.info("fixed-point BDD too large for a part of %d nodes; counting by ASP",
                     len(net.names))
    if method in ("auto", "asp"):
        from .asp import count_models, trap_program
        from .primes import rule_dnfs

        program = trap_program(len(net.names), rule_dnfs(net), fixed_points=True, show=[])
        left = None if timeout is None else max(timeout - (time.monotonic() - start), 0.01)
        return count_models(program, timeout=left)
    return sum(1 for _ in _sat(net, outcome=_Outcome())), True


class _Outcome:
    def __init__(self):
        self.complete = False
        self.reason = ""
        self.seconds = 0.0


# ---------------------------------------------------------------- public functions

def count_fixed_points(net: Network, method: str = "auto", *, timeout: float | None = None
                       ) -> int:
    """The number of fixed points, without listing them.

    Percolates constants, splits the rest into independent parts and multiplies their
    counts. Each part is counted symbolically on a BDD (``"bdd"``), inside the ASP solver
    (``"asp"``), or ``"auto"``: explicitly when small, else by BDD unless the BDD grows too
    large, then by ASP.

    Parameters
    ----------
    timeout : float, optional
        Give up after about this many seconds.

    Raises
    ------
    AnalysisTimeout
        When the time runs out; its ``at_least`` attribute holds a lower bound.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("\\n".join(f"I{i}, I{i}" for i in range(100)))
    >>> lb.count_fixed_points(net) == 2 ** 100
    True
    """
    from ..errors import AnalysisTimeout

    if method not in FIXED_POINT_METHODS:
        raise LogicboneError(f"unknown method '{method}'; expected one of "
                             f"{', '.join(FIXED_POINT_METHODS)}")
    start = time.monotonic()
    _, parts = _decompose(net)
    parts = sorted(parts, key=lambda p: len(p.index))
    total = 1
    for k, part in enumerate(parts):
        left = None if timeout is None else max(timeout - (time.monotonic() - start), 0.01)
        c, ok = _count_part(part.net, method, left)
        if not ok:
            # the parts not counted multiply the bound only if each has a fixed point
            factor = _all_have_fixed_points(parts[k + 1:])
            if factor == 0:
                return 0
            bound = total * c * (factor or 0)
            err = AnalysisTimeout(f"counting fixed points stopped after {timeout:g}s "
                                  f"(at least {bound:,})")
            err.at_least = bound
            raise err
        total *= c
        if total == 0:
            break
    return total


def _all_have_fixed_points(parts, seconds: float = 1.0) -> int | None:
    """1 if every part has a fixed point, 0 if one has none, None if that is not settled
    within about ``seconds`` (one solver call per part, stopping at the first answer)."""
    deadline = time.monotonic() + seconds
    for part in parts:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        res = fixed_points(part.net, limit=1, timeout=left)
        if res.states:
            continue
        return 0 if res.complete else None
    return 1


def _pick_method(n: int) -> str:
    return "explicit" if n <= EXPLICIT_MAX_NODES else "asp"


def fixed_points(net: Network, method: str = "auto", *, limit: int | None = None,
                 timeout: float | None = None, progress: Callable[[str], None] | None = None,
                 stop_on_interrupt: bool = False, model: str = "") -> FixedPointResult:
    """The fixed points of ``net``.

    Parameters
    ----------
    net : Network
    method : {"auto", "asp", "sat", "bdd", "explicit"}
        The engine for each independent part of the percolated network; ``"auto"`` scans
        small parts explicitly and gives the others to clingo.
    limit : int, optional
        List at most this many (the result says if there are more, and counts them).
    timeout : float, optional
        Stop after about this many seconds with a partial list (the solver stops at 4/5
        of it, leaving time to build the list).
    progress : callable(str), optional
        Receives a one-line message about once a second (fixed points found so far).
    stop_on_interrupt : bool
        On Ctrl-C return the partial list instead of raising ``KeyboardInterrupt``.
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
    if method not in FIXED_POINT_METHODS:
        raise LogicboneError(f"unknown method '{method}'; expected one of "
                             f"{', '.join(FIXED_POINT_METHODS)}")
    start = time.monotonic()
    # the solver gets 4/5 of the time: the rest is for completing and sorting the list
    deadline = None if timeout is None else start + SOLVER_SHARE * timeout
    base, parts = _decompose(net)
    log.debug("%d forced nodes, %d independent parts (largest %d nodes)",
              len(net.names) - sum(len(p.index) for p in parts), len(parts),
              max((len(p.index) for p in parts), default=0))
    # solve every part completely (parts are small or few), then combine lazily
    per_part: list[list[int]] = []
    complete, reason = True, ""
    for part in parts:
        m = _pick_method(len(part.index)) if method == "auto" else method
        left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        outcome = _Outcome()
        if m == "explicit":
            states = _explicit(part.net)
            outcome.complete = True
        elif m == "bdd":
            states = _bdd_list(part.net)
            outcome.complete = True
        else:
            report = None if progress is None else (
                lambda k: progress(f"{k:,} fixed points so far"))
            kw = dict(timeout=left, stop_on_interrupt=stop_on_interrupt, outcome=outcome,
                      progress=report)
            if len(parts) == 1:
                kw["limit"] = limit
            states = (_asp(part.net, **kw) if m == "asp" else
                      _ints_to_matrix(list(_sat(part.net, **kw)), len(part.index)))
        per_part.append(_matrix_to_ints(states, part.index, len(net.names)))
        if not outcome.complete:
            complete, reason = False, outcome.reason
            if reason != "limit":
                break
        if not len(states):
            per_part = [[]]
            break
    count = None
    if complete:
        count = 1
        for states in per_part:
            count *= len(states)
    # combine: the product of the parts' lists, cut at the limit
    out: list[int] = []
    if len(per_part) == 1:
        out = [base | x for x in per_part[0][:limit]]
        if limit is not None and len(per_part[0]) > limit:
            complete, reason = False, "limit"
    elif per_part and all(per_part):
        try:
            for k, combo in enumerate(itertools.product(*per_part)):
                if limit is not None and len(out) >= limit:
                    complete, reason = False, "limit"
                    break
                if k and not k & 0xFFFF and deadline is not None and time.monotonic() > deadline:
                    complete, reason = False, "timeout"
                    break
                s = base
                for x in combo:
                    s |= x
                out.append(s)
        except KeyboardInterrupt:
            if not stop_on_interrupt:
                raise
            complete, reason = False, "interrupted"
    elif not parts:
        out = [base]
    if complete and limit is not None and len(out) > limit:
        out = out[:limit]
        complete, reason = False, "limit"
    if out:
        out.sort(key=lambda s: _sort_key(s, len(net.names)))
    seconds = time.monotonic() - start
    used = method if method != "auto" else "auto:" + "+".join(sorted(
        {_pick_method(len(p.index)) for p in parts}) or ["percolation"])
    log.info("%d fixed points in %.2fs%s", len(out), seconds,
             "" if complete else f" ({reason})")
    return FixedPointResult(model, tuple(net.names), tuple(out), used, complete, reason,
                            count, seconds)


def _sort_key(state: int, n: int) -> str:
    return format(state, f"0{n}b")[::-1] if n else ""
