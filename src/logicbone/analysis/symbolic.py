"""Sets of states as BDDs, and reachability in the asynchronous state-transition graph.

A :class:`AsyncSTG` holds one BDD variable per node that is not fixed by percolation of the
network's constants (fixed nodes keep their forced value in every state it reports), the BDD
of every rule, and for every node the set of states in which an asynchronous step can flip it.
Forward and backward reachability use saturation-like chaining: the single-node image is
applied node by node, from the bottom of the variable order up, and the sweep restarts at the
bottom whenever a node adds states, which keeps the intermediate BDDs small.

Terminal strongly connected components (the attractors) inside a trap set are found with the
Xie-Beerel scheme: the forward set of a state is an attractor exactly when every state of it
can reach back; otherwise a state of it that cannot reach back is picked and the search goes
deeper; once an attractor is found its whole basin is removed.

Examples
--------
>>> import logicbone as lb
>>> stg = AsyncSTG(lb.parse_bnet("A, !B\\nB, A\\nC, C | A"))
>>> [stg.describe(a) for a in stg.terminal_sccs(stg.space())]
[('**1', 4)]
"""
from __future__ import annotations

import copy
import heapq
import logging
import random
import time
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from ..bdd import BDD, Manager, sift
from ..budget import Budget, BudgetExceeded
from ..expr import Expr, substitute
from ..network import Network

__all__ = ["AsyncSTG", "exact_count", "strongly_connected"]

log = logging.getLogger(__name__)

H = TypeVar("H", bound=Hashable)


def exact_count(mgr: Manager, u: BDD, nvars: int) -> int:
    """The number of satisfying assignments of ``u`` over ``nvars`` variables, as an exact int.

    CUDD counts in floating point: below 2^50 every partial count it sums is a whole
    number held exactly, and its count is taken; above, this walks the BDD once (without
    recursion) with Python integers, taking complemented edges into account; the
    variables ``u`` reads may sit anywhere in the order (counted among ``nvars``).
    """
    if nvars < 1000:      # (above, 2^nvars overflows a double: CUDD's count raises)
        quick = mgr.count(u, nvars=nvars)
        if quick < 2.0 ** 50:
            return int(quick)

    # counted over the variables ``u`` reads, ranked by level (they need not be the first
    # levels), then times 2 for each other variable
    levels = sorted(mgr.level_of_var(v) for v in mgr.support(u))
    rank = {lv: i for i, lv in enumerate(levels)}
    spread, nvars = nvars - len(levels), len(levels)

    def level(w: BDD) -> int:
        return nvars if w.var is None else rank[w.level]

    memo: dict[int, int] = {}   # regular node -> count over the variables at its level and below

    def value(w: BDD) -> int:
        r = ~w if w.negated else w
        c = memo[int(r)]
        return (1 << (nvars - level(w))) - c if w.negated else c

    stack = [u]
    while stack:
        w = stack[-1]
        r = ~w if w.negated else w
        key = int(r)
        if key in memo:
            stack.pop()
            continue
        if r.var is None:          # the regular terminal is TRUE
            memo[key] = 1
            stack.pop()
            continue
        lo, hi = r.low, r.high
        todo = [c for c in (lo, hi) if int(~c if c.negated else c) not in memo]
        if todo:
            stack.extend(todo)
            continue
        lv = level(r)
        memo[key] = (value(lo) << (level(lo) - lv - 1)) + (value(hi) << (level(hi) - lv - 1))
        stack.pop()
    return (value(u) << level(u)) << spread


def _sccs(nodes: Iterable[H], succ: Mapping[H, Iterable[H]]) -> list[list[H]]:
    """The strongly connected components of a directed graph (Tarjan's algorithm, without
    recursion), targets before their sources; ``succ`` maps a node to its successors."""
    index: dict[H, int] = {}
    low: dict[H, int] = {}
    on_stack: set[H] = set()
    stack: list[H] = []
    out: list[list[H]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ.get(root, ())))]
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ.get(w, ()))))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out


def strongly_connected(nodes: list[str], succ: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of a directed graph, targets before their sources;
    ``succ`` maps a node to its successors."""
    return _sccs(nodes, succ)


def _variable_order(free: tuple[str, ...], rules: Mapping[str, Expr], how: str) -> list[str]:
    """An initial BDD variable order: ``network`` order, or by the interaction graph:
    ``upstream`` (regulators before their targets, strongly connected components in
    topological order, ties broken by network order) or ``downstream`` (the reverse)."""
    if how == "network":
        return list(free)
    if how not in ("upstream", "downstream"):
        raise ValueError(f"unknown variable order '{how}'")
    from ..expr import variables
    pos = {n: i for i, n in enumerate(free)}
    succ: dict[str, set[str]] = {n: set() for n in free}
    for n in free:
        for r in variables(rules[n]):
            if r != n and r in pos:
                succ[r].add(n)
    comps = [sorted(c, key=pos.__getitem__) for c in _sccs(free, succ)]
    where = {n: k for k, c in enumerate(comps) for n in c}
    indeg = [0] * len(comps)
    down: list[set[int]] = [set() for _ in comps]
    for a, targets in succ.items():
        for b in targets:
            ka, kb = where[a], where[b]
            if ka != kb and kb not in down[ka]:
                down[ka].add(kb)
                indeg[kb] += 1
    heap = [(pos[c[0]], k) for k, c in enumerate(comps) if not indeg[k]]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        _, k = heapq.heappop(heap)
        order += comps[k]
        for j in down[k]:
            indeg[j] -= 1
            if not indeg[j]:
                heapq.heappush(heap, (pos[comps[j][0]], j))
    if how == "downstream":
        order.reverse()
    return order


def _balanced(comp: list[str], succ: Mapping[str, set[str]],
              signs: Mapping[tuple[str, str], set[int]]) -> bool:
    """Whether a strongly connected signed graph has no negative cycle: its nodes split in
    two so that positive edges stay within a side and negative edges cross."""
    inside = set(comp)
    near: dict[str, dict[str, set[int]]] = {n: {} for n in comp}
    for a in comp:
        for b in succ[a]:
            if b in inside:
                sg = signs[(a, b)]
                near[a].setdefault(b, set()).update(sg)
                near[b].setdefault(a, set()).update(sg)
    side: dict[str, int] = {}
    for start in comp:
        if start in side:
            continue
        side[start] = 0
        todo = [start]
        while todo:
            a = todo.pop()
            for b, sg in near[a].items():
                if len(sg) > 1:
                    return False
                want = side[a] ^ (1 if -1 in sg else 0)
                if b not in side:
                    side[b] = want
                    todo.append(b)
                elif side[b] != want:
                    return False
    return True


def _pruned(removed: list[str], succ: dict[str, set[str]], pred: dict[str, set[str]],
            signs: Mapping[tuple[str, str], set[int]]) -> list[str]:
    """``removed`` (a negative feedback vertex set, ``succ``/``pred`` the graph without it)
    less the nodes that it does not need: each, latest first, is put back when the strongly
    connected component it then lies in has no negative cycle (a new negative cycle would
    pass through it). The graph is left with the nodes put back."""
    targets: dict[str, set[str]] = {v: set() for v in removed}
    sources: dict[str, set[str]] = {v: set() for v in removed}
    for a, b in signs:
        if a in targets:
            targets[a].add(b)
        if b in sources:
            sources[b].add(a)
    kept: list[str] = []
    for v in reversed(removed):
        out = {b for b in targets[v] if b in succ or b == v}
        into = {a for a in sources[v] if a in succ or a == v}
        succ[v], pred[v] = set(out), set(into)
        for w in out - {v}:
            pred[w].add(v)
        for w in into - {v}:
            succ[w].add(v)
        forward, todo = {v}, [v]
        while todo:
            for w in succ[todo.pop()]:
                if w not in forward:
                    forward.add(w)
                    todo.append(w)
        back, todo = {v}, [v]
        while todo:
            for w in pred[todo.pop()]:
                if w not in back and w in forward:
                    back.add(w)
                    todo.append(w)
        if (len(back) == 1 and v not in succ[v]) or _balanced(list(back), succ, signs):
            continue
        _drop(v, succ, pred)
        kept.append(v)
    return kept[::-1]


def _drop(v: str, succ: dict[str, set[str]], pred: dict[str, set[str]]) -> None:
    """Take ``v`` and its edges out of the graph ``succ``/``pred``."""
    for w in succ.pop(v):
        if w != v:
            pred[w].discard(v)
    for w in pred.pop(v):
        if w != v:
            succ[w].discard(v)


#: signed interaction graph (its signed edges) -> a negative feedback vertex set of it
_NFVS: dict[frozenset[tuple[str, str, int, int]], list[str]] = {}


class AsyncSTG:
    """The asynchronous state-transition graph of a network, symbolically.

    Parameters
    ----------
    net : Network
    fixed : mapping name -> bool, optional
        Values to hold. These nodes, and with ``percolate`` every node their values and the
        network's constants force, are left out of the BDD variables.
    percolate : bool
        Propagate constants and ``fixed`` (default). Without it the state space is all of
        ``2^n`` minus only the ``fixed`` nodes.
    budget : Budget, optional
        Long operations poll it (:meth:`Budget.check`) and raise
        :class:`~logicbone.budget.BudgetExceeded` (an
        :class:`~logicbone.errors.AnalysisTimeout`) when its time runs out or an interrupt
        arrives.
    deadline : float, optional
        A ``time.monotonic()`` instant: the same as a budget with that deadline.
    checked : bool
        Poll the budget while the BDDs of the rules are built too (raising
        :class:`~logicbone.budget.BudgetExceeded` from the constructor).
    order : {"upstream", "downstream", "network"}
        Initial BDD variable order: regulators above their targets (by the strongly
        connected components of the interaction graph), the reverse, or the network's order.
        CUDD reorders dynamically from there.

    Attributes
    ----------
    mgr : dd BDD manager
    free : tuple of str
        Nodes with a BDD variable, in bit order.
    fixed : dict name -> bool
    f : dict name -> BDD
        The rule of each free node with the fixed values substituted.
    """

    def __init__(self, net: Network, fixed: Mapping[str, bool] | None = None, *,
                 percolate: bool = True, budget: Budget | None = None,
                 deadline: float | None = None, order: str = "upstream",
                 checked: bool = False) -> None:
        from ..bdd import expr_to_bdd, new_manager
        self.net = net
        simplified: dict[str, Expr] | None = None
        if percolate:
            self.fixed, simplified = net.percolated(fixed)
        else:
            self.fixed = {n: bool(int(v)) for n, v in (fixed or {}).items()}
        self.free = tuple(n for n in net.names if n not in self.fixed)
        if deadline is not None:
            timeout = max(deadline - time.monotonic(), 1e-9)
            budget = Budget(timeout=timeout) if budget is None else budget.child(timeout=timeout)
        self.budget = budget if budget is not None else Budget()
        # with ``checked``, building the BDDs stops too when the budget does
        check = self.budget.check if checked else None
        rules = {}
        for n in self.free:
            if check is not None:
                check()
            rules[n] = (simplified[n] if simplified is not None else
                        substitute(net.rules[n], self.fixed) if self.fixed else net.rules[n])
        self.rules = rules
        self.mgr = new_manager(_variable_order(self.free, rules, order))
        mgr = self.mgr
        self.f: dict[str, BDD] = {n: expr_to_bdd(mgr, rules[n], check=check)
                                  for n in self.free}
        self._moves()
        self._index = {n: i for i, n in enumerate(net.names)}
        self._nfvs: list[str] | None = None
        self._retained: dict[str, bool] | None = None
        self._fewer_at = 0        # how many retained values fewer_candidates has tried
        # a build of the candidate states stopped by the budget, to resume: (upward, the
        # nodes in their order, how many are conjoined, the conjunction)
        self._built: tuple[bool, list[str], int, BDD] | None = None

    def with_order(self, order: str) -> "AsyncSTG":
        """The same graph in a new manager, under another initial variable order (the
        rules, fixed values and percolation are reused)."""
        from ..bdd import expr_to_bdd, new_manager
        other = copy.copy(self)
        other.mgr = new_manager(_variable_order(self.free, self.rules, order))
        other.f = {n: expr_to_bdd(other.mgr, self.rules[n]) for n in self.free}
        other._moves()
        # the feedback vertex set and the retained values hold in any order (copied: the
        # retained values may still be chosen on either graph)
        other._retained = None if self._retained is None else dict(self._retained)
        other._built = None
        return other

    def reorder(self, order: str) -> None:
        """Put the variables in the initial order ``order`` (as for the constructor) now;
        the diagrams alive follow. Not for a graph of :meth:`of_functions` (no rules)."""
        from ..bdd import set_order
        set_order(self.mgr, _variable_order(self.free, self.rules, order))

    @classmethod
    def of_functions(cls, mgr: Any, functions: Mapping[str, Any],
                     budget: Budget | None = None) -> "AsyncSTG":
        """The graph of nodes whose rules are given as BDDs in an existing manager (they
        read only these nodes), for the searches on BDDs alone (:meth:`candidate_states`,
        :meth:`terminal_sccs`, :meth:`count`); the manager's other variables are left out
        of every count. It has no network: what needs rules or strings is not available.
        """
        self = cls.__new__(cls)
        self.mgr = mgr
        self.budget = budget if budget is not None else Budget()
        self.fixed = {}
        self.free = tuple(functions)
        self.rules = {}
        self.f = dict(functions)
        self._moves()
        self._index = {n: i for i, n in enumerate(self.free)}
        self._nfvs = None
        self._retained = None
        self._fewer_at = 0
        self._built = None
        return self

    def _moves(self) -> None:
        """From the update functions ``f``: where each node can change (``flip``), the
        negated literals, and which movable nodes read one another (``_neighbours``)."""
        mgr = self.mgr
        self.flip: dict[str, BDD] = {}     # node -> states in which an asynchronous step changes it
        for n, f in self.f.items():
            can = mgr.apply("xor", mgr.var(n), f)
            if can != mgr.false:
                self.flip[n] = can
        self._var = {n: mgr.var(n) for n in self.flip}
        self._moving: BDD | None = None
        self._regulators: dict[str, set[str]] | None = None
        self._neighbours = {n: {n} for n in self.flip}
        for n in self.flip:
            for r in mgr.support(self.f[n]):
                if r in self.flip:
                    self._neighbours[n].add(r)
                    self._neighbours[r].add(n)

    # ------------------------------------------------------------ sets
    def space(self, subspace: Mapping[str, bool] | str | None = None) -> BDD:
        """The BDD of a subspace (dict of fixed values, or a string in bit order)."""
        if subspace is None:
            return self.mgr.true
        cube: dict[str, bool] = {}
        if isinstance(subspace, str):      # a million fixed points, listed: positions once
            at = self.positions()
            if len(subspace) < len(self.net.names):      # (the rest free)
                subspace = subspace.ljust(len(self.net.names), "*")
            for i, c in at[0]:
                if subspace[i] != c and subspace[i] != "*":
                    return self.mgr.false
            cube = {n: subspace[i] == "1" for i, n in at[1] if subspace[i] != "*"}
            return self.mgr.cube(cube) if cube else self.mgr.true
        for n, v in subspace.items():
            v = bool(int(v))
            if n in self.fixed:
                if self.fixed[n] != v:
                    return self.mgr.false
            else:
                cube[n] = v
        return self.mgr.cube(cube) if cube else self.mgr.true

    def positions(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Where the nodes stand in a subspace string (bit order): ``(fixed, free)``, the
        fixed nodes as (position, their value's character), the free ones as (position,
        name); computed once (a million subspaces read as strings look them up)."""
        at = self.__dict__.get("_positions")
        if at is None:
            names, fixed = self.net.names, self.fixed
            at = self._positions = (
                [(i, "1" if fixed[n] else "0") for i, n in enumerate(names) if n in fixed],
                [(i, n) for i, n in enumerate(names) if n not in fixed])
        return at

    def count(self, u: BDD) -> int:
        """Number of states in ``u`` (exact). In a manager shared with other nodes, on which
        ``u`` does not depend, it is counted over the free nodes alone: CUDD's count is the
        fraction of assignments times ``2^nvars`` whatever other variables the manager
        has (counted over all of them, it would pass the exact range far sooner)."""
        return exact_count(self.mgr, u, len(self.free))

    def pick(self, u: BDD) -> BDD | None:
        """One state of ``u`` as a BDD (a full cube), or None if ``u`` is empty."""
        if u == self.mgr.false:
            return None
        return self.mgr.cube(self.mgr.pick(u, care_vars=set(self.free)))

    def states(self, u: BDD) -> Iterator[int]:
        """The states of ``u`` as int bitmasks over all nodes of the network (fixed included)."""
        base = sum(1 << self._index[n] for n, v in self.fixed.items() if v)
        if not self.free:
            if u != self.mgr.false:
                yield base
            return
        for a in self.mgr.pick_iter(u, care_vars=set(self.free)):
            yield base + sum(1 << self._index[n] for n, v in a.items() if v)

    def hull(self, u: BDD) -> str:
        """The smallest subspace holding ``u``, as a string in bit order."""
        mgr = self.mgr
        out = []
        for n in self.net.names:
            if n in self.fixed:
                out.append("1" if self.fixed[n] else "0")
                continue
            x = mgr.var(n)
            if u & ~x == mgr.false:
                out.append("1")
            elif u & x == mgr.false:
                out.append("0")
            else:
                out.append("*")
        return "".join(out)

    def describe(self, u: BDD) -> tuple[str, int]:
        """``(hull, size)`` of a set of states."""
        return self.hull(u), self.count(u)

    # ------------------------------------------------------------ images
    def _check_time(self) -> None:
        self.budget.check()

    def _order(self, nodes: Iterable[str] | None = None) -> list[str]:
        """Flippable nodes (of ``nodes`` if given) from the bottom of the variable order up."""
        lv = self.mgr.level_of_var
        return sorted(self.flip if nodes is None else [n for n in nodes if n in self.flip],
                      key=lv, reverse=True)

    def moving(self) -> BDD:
        """The states where some node can change (all but the fixed points), kept once
        built."""
        if self._moving is None:
            moving = self.mgr.false
            for can in self.flip.values():
                moving |= can
            self._moving = moving
        return self._moving

    def movable(self, u: BDD) -> list[str]:
        """The nodes that some state of ``u`` can flip."""
        false = self.mgr.false
        return [n for n, can in self.flip.items() if can & u != false]

    def post(self, u: BDD, node: str) -> BDD:
        """States reached from ``u`` by flipping ``node`` (where its rule allows)."""
        return self._flipped(u & self.flip[node], node)

    def pre(self, u: BDD, node: str) -> BDD:
        """States that reach ``u`` by flipping ``node``."""
        return self.flip[node] & self._flipped(u, node)

    def _flipped(self, u: BDD, node: str) -> BDD:
        # ``u`` with ``node`` negated, as ``ite(node, u[node=0], u[node=1])``: two
        # cofactors and an ite cost less than composing ``u`` with the negated variable
        # (bbm/004 under a condition: its first five sweeps 32 s instead of 41 s)
        mgr = self.mgr
        return mgr.ite(self._var[node], mgr.let({node: False}, u), mgr.let({node: True}, u))

    def _saturate(self, u: BDD, step: Callable[[BDD, str], BDD], within: BDD | None,
                  nodes: Iterable[str] | None, stop: BDD | None = None,
                  keep: list[BDD] | None = None) -> BDD:
        # Worklist chaining: a node is tried again only after a neighbour (a regulator or a
        # target of it, or itself) has added states. Flipping u cannot enable a new move of a
        # node v that neither regulates nor is regulated by u: the new states differ from old
        # ones in u alone, and v's move from them is matched by a u-move from v's old move.
        mgr = self.mgr
        false = mgr.false
        allowed = set(self._order(nodes))
        lv = mgr.level_of_var
        heap = [(-lv(n), n) for n in allowed]
        heapq.heapify(heap)
        dirty = set(allowed)
        result = u
        while heap:
            self._check_time()
            _, v = heapq.heappop(heap)
            dirty.discard(v)
            new = step(result, v) & ~result
            if within is not None:
                new = new & within
            if new == false:
                continue
            result = result | new
            if keep is not None:
                keep[:] = [result]
            if stop is not None and new & stop != false:
                return result
            for w in self._neighbours[v]:
                if w in allowed and w not in dirty:
                    dirty.add(w)
                    heapq.heappush(heap, (-lv(w), w))
        return result

    def forward(self, u: BDD, within: BDD | None = None, nodes: Iterable[str] | None = None,
                stop: BDD | None = None, keep: list[BDD] | None = None) -> BDD:
        """All states reachable from ``u`` (inside ``within``, flipping only ``nodes``).

        With ``stop``, return early (a subset) as soon as a state of ``stop`` is reached.
        With ``keep`` (a list), ``keep[0]`` holds the states reached so far as they grow:
        a search cut short by the budget is taken up from there by another.
        """
        return self._saturate(u, self.post, within, nodes, stop, keep)

    def backward(self, u: BDD, within: BDD | None = None,
                 nodes: Iterable[str] | None = None) -> BDD:
        """All states that can reach ``u`` (inside ``within``, flipping only ``nodes``)."""
        return self._saturate(u, self.pre, within, nodes)

    def swept(self, u: BDD, order: Iterable[str], off: BDD | None = None) -> BDD:
        """Where the states of ``u`` stand after one sweep: each node of ``order`` in turn
        set to the value of its rule. Each state of ``u`` follows one asynchronous path
        (a step per node that can change) to one state of the result, so the result meets
        every trap set that ``u`` meets, and has no more states than ``u``.

        ``off``: a trap set whose states are dropped on the way (every 16 steps) and at
        the end; the others' paths are the same, on smaller diagrams (bbm/004 under a
        condition: a tenth of the time of its sweeps)."""
        for k, n in enumerate(order, 1):
            self._check_time()
            u = (u & ~self.flip[n]) | self.post(u, n)
            if off is not None and k % 16 == 0:
                u &= ~off
        return u if off is None else u & ~off

    def swept_off(self, u: BDD, off: BDD, *, stagnant: int, max_nodes: int,
                  target: int = 0, resift: bool = False, most: int | None = None,
                  cheap: float = 0.0, per_state: float = 0.0, floor: float = 0.0
                  ) -> tuple[BDD, int] | None:
        """``u`` swept forward (:meth:`swept`, the nodes in a seeded random order each
        sweep) less ``off`` (a trap set) after each sweep, until at most ``target`` states
        are left or ``stagnant`` sweeps in a row drop none: ``(states left, their
        number)``, or None when the BDD grows past ``max_nodes`` nodes. With ``most``, the
        sweeps stop too while more than ``most`` states are left when the last
        ``stagnant`` sweeps have not halved them (a caller that can take at most ``most``
        would wait long: bbm/143 with inputs free, from 2.6 x 10^9 to 1.5 x 10^9 states in
        20 sweeps and 1 to 2 % a sweep after them), unless those sweeps took less than
        ``cheap`` seconds or a quarter of the time of all the sweeps: a small BDD can stand
        still for a dozen sweeps, then empty in a few (bbm/239 with inputs free: 1.6 x
        10^10 states left for 17 sweeps of 10-60 ms each, none five sweeps later).
        With ``per_state`` (the seconds a caller takes per state left, by other means), the
        sweeps stop too once at most ``most`` states are left and the last sweep took
        longer than the caller would on all of them, and longer than ``floor``.

        Each state follows one asynchronous path, so the states left meet every
        attractor that ``u`` meets outside ``off``. With ``resift`` the manager is sifted
        whenever the BDD has doubled since the last time (for sweeps run with automatic
        reordering off, which costs most of their time on the first sweeps)."""
        rng = random.Random(0)
        nodes = sorted(self.flip)
        u = u & ~off
        left, still, sifted = self.count(u), 0, u.dag_size
        per_node = 0.0          # seconds the last sifting took per node
        history = [left]
        times = [time.perf_counter()]
        while left > target and still < stagnant:
            if (per_state and most is not None and left <= most and len(times) > 1
                    and times[-1] - times[-2] > max(per_state * left, floor)):
                break
            # (cheap: against a quarter of all the sweeps' time too, which a loaded
            # machine stretches alike; bbm/239 with inputs free stood still for 17 sweeps
            # of 10-60 ms after 10 s of larger ones, then emptied in five)
            if (most is not None and left > most and len(history) > stagnant
                    and 2 * left > history[-1 - stagnant]
                    and times[-1] - times[-1 - stagnant] > max(cheap,
                                                               (times[-1] - times[0]) / 4)):
                break
            rng.shuffle(nodes)
            u = self.swept(u, nodes, off)
            size = after = u.dag_size       # (a walk over the BDD: taken once)
            if size > max_nodes:
                return None
            # (a sifting cannot stop on the way: only where it ends before the budget does,
            # reckoned from the last one per node, or from the sweep before the first;
            # bbm/004 under a condition sifted 134,000 nodes for 5 s past its deadline)
            if resift and size > 2 * sifted and self.budget.fits(
                    size * per_node if per_node else time.perf_counter() - times[-1]):
                began = time.perf_counter()
                # each variable moved only while the diagrams grow by at most 5 %: the
                # sifting takes a half to two thirds of the time, and the sweeps after it
                # no longer (bbm/004 under a condition: the sweeps 30 s instead of 36 s)
                sift(self.mgr, max_growth=1.05)
                per_node = (time.perf_counter() - began) / size
                sifted = after = u.dag_size
            now = self.count(u)
            log.debug("a sweep: %d states left, a BDD of %d nodes (%d after sifting), "
                      "%.2f s", now, size, after, time.perf_counter() - times[-1])
            still = still + 1 if now == left else 0
            left = now
            history.append(left)
            times.append(time.perf_counter())
        return u, left

    def trap_closure(self, u: BDD) -> BDD:
        """The smallest trap space that holds the states of ``u``, as a BDD (a cube): from
        the values ``u`` holds constant, as :func:`~logicbone.space.closed_values`, with
        each rule restricted to the space on its BDD."""
        from ..space import closed_values
        mgr = self.mgr
        false, true = mgr.false, mgr.true
        fixed: dict[str, bool] = {}
        for n in self.free:
            x = mgr.var(n)
            if u & ~x == false:
                fixed[n] = True
            elif u & x == false:
                fixed[n] = False
        supports = self.regulators()

        def keeps(n: str, values: Mapping[str, bool]) -> bool:
            known = {r: values[r] for r in supports[n] if r in values}
            g = mgr.let(known, self.f[n]) if known else self.f[n]
            return bool(g == (true if values[n] else false))

        # (a node that never moves keeps its value: only those that move, with their
        # neighbours, are freed)
        values = closed_values(fixed, keeps, self._neighbours)
        return mgr.cube(values) if values else true

    def is_trap(self, u: BDD) -> bool:
        """Whether no asynchronous step leaves ``u``."""
        mgr = self.mgr
        return all(self.post(u, n) & ~u == mgr.false for n in self.flip)

    # ------------------------------------------------------------ attractor candidates
    def signs(self) -> dict[tuple[str, str], set[int]]:
        """The signed interaction graph: ``(regulator, target) -> {+1}, {-1} or {+1, -1}``."""
        mgr = self.mgr
        out: dict[tuple[str, str], set[int]] = {}
        for t in self.flip:
            self._check_time()
            f = self.f[t]
            for r in mgr.support(f):
                if r not in self.flip:
                    continue
                lo = mgr.let({r: mgr.false}, f)
                hi = mgr.let({r: mgr.true}, f)
                sign: set[int] = set()
                if lo & ~hi != mgr.false:
                    sign.add(-1)
                if hi & ~lo != mgr.false:
                    sign.add(+1)
                out[(r, t)] = sign
        return out

    def negative_feedback_vertex_set(self) -> list[str]:
        """Nodes whose removal leaves no negative cycle: chosen greedily, then pruned to the
        nodes it needs (without any one of them a negative cycle is left; not necessarily a
        minimum set).

        A strongly connected signed graph has no negative cycle exactly when its nodes can be
        split in two so that positive edges stay within a side and negative edges cross.
        """
        if self._nfvs is None:
            # one set per signed graph: a network below an upstream part is often met on
            # its BDDs first, then as a network of its own (bbm/280: 123 networks of
            # 100-157 nodes, 10-15 ms each)
            signs = self.signs()
            key = frozenset((a, b, min(sg), max(sg)) for (a, b), sg in signs.items())
            held = _NFVS.get(key)
            if held is None:
                if len(_NFVS) >= 1024:
                    _NFVS.clear()
                held = _NFVS[key] = self._negative_feedback_vertex_set(signs)
            self._nfvs = held
        return list(self._nfvs)

    def _negative_feedback_vertex_set(self, signs: dict[tuple[str, str], set[int]]
                                      ) -> list[str]:
        succ: dict[str, set[str]] = {n: set() for n in self.flip}
        pred: dict[str, set[str]] = {n: set() for n in self.flip}
        for a, b in signs:
            succ[a].add(b)
            pred[b].add(a)
        removed: list[str] = []
        while True:
            bad: list[set[str]] = []
            for comp in _sccs(list(succ), succ):
                if len(comp) == 1 and comp[0] not in succ[comp[0]]:
                    continue
                if not _balanced(comp, succ, signs):
                    bad.append(set(comp))
            if not bad:
                return _pruned(removed, succ, pred, signs)
            for members in bad:
                v = max(members, key=lambda x: (len(pred[x] & members)
                                                * len(succ[x] & members), x))
                removed.append(v)
                _drop(v, succ, pred)

    def regulators(self) -> dict[str, set[str]]:
        """The free nodes each free node's rule depends on (functionally, from its BDD),
        kept once built (not to be changed)."""
        if self._regulators is None:
            mgr = self.mgr
            self._regulators = {n: set(mgr.support(self.f[n])) for n in self.free}
        return self._regulators

    def upstream_without_negative_cycle(self) -> list[str]:
        """The largest set of free nodes closed under regulators (its rules read only its own
        nodes) whose interaction graph has no negative cycle, in bit order.

        It evolves on its own whatever the other nodes do, and its attractors are fixed
        points; inputs always belong to it.
        """
        regs = self.regulators()
        succ: dict[str, set[str]] = {n: set() for n in self.free}
        for t, rs in regs.items():
            for r in rs:
                succ[r].add(t)
        signs = dict(self.signs())
        for n in self.free:
            if n not in self.flip and n in regs[n]:     # an input: x* = x, a positive loop
                signs[(n, n)] = {1}
        inside: set[str] = set()
        for comp in reversed(_sccs(list(self.free), succ)):   # regulators first
            members = set(comp)
            if any(r not in inside for t in comp for r in regs[t] if r not in members):
                continue
            if _balanced(comp, succ, signs):
                inside |= members
        return [n for n in self.free if n in inside]

    def retained_network(self) -> Network:
        """The network whose fixed points are :meth:`candidate_states` (fixed nodes constant).

        Each node ``u`` of a negative feedback vertex set gets the rule ``u | f_u`` (it may
        only rise) or ``u & f_u`` (only fall), towards its retained value
        (:meth:`retained`).
        """
        from ..expr import FALSE, TRUE, Var, mk_and, mk_or
        retained = self.retained()
        rules: dict[str, Expr] = {}
        for n in self.net.names:
            if n in self.fixed:
                rules[n] = TRUE if self.fixed[n] else FALSE
            elif n in retained:
                rules[n] = (mk_or if retained[n] else mk_and)([Var(n), self.rules[n]])
            else:
                rules[n] = self.rules[n]
        return Network(self.net.names, rules)

    def retained(self) -> dict[str, bool]:
        """The retained value of each node of the negative feedback vertex set: by default
        the value its rule takes more often, or as :meth:`fewer_candidates` chose."""
        if self._retained is None:
            half = 1 << len(self.free)
            self._retained = {n: 2 * self.count(self.f[n]) >= half
                              for n in self.negative_feedback_vertex_set()}
        return self._retained

    def fewer_candidates(self, max_nodes: int | None = None,
                         seconds: float | None = None, found: BDD | None = None
                         ) -> BDD | None:
        """:meth:`candidate_states`, after the retained values are chosen greedily: each
        node of the negative feedback vertex set in turn takes the other value when that
        leaves fewer candidates (any retained values give candidates that meet every
        attractor; fewer mean fewer searches, and one in a minimal trap space means one
        attractor), for at most ``seconds``. The choice is kept for
        :meth:`retained_network`; a call cut short by ``seconds`` (or by the budget) is
        taken up where it stopped by the next. None as for :meth:`candidate_states`.

        ``found``: the candidate states under the retained values chosen so far, if
        built: the same build again can take far longer under the variable order the
        first left (bbm/079's minimal trap space under a condition: 0.4 s, then past
        ``max_nodes`` after 2.8 s)."""
        best = found if found is not None else self.candidate_states(max_nodes=max_nodes)
        retained = self.retained()
        nodes = list(retained)
        if best is None or self._fewer_at >= len(nodes) or (seconds is not None
                                                            and seconds <= 0):
            return best
        most = self.count(best)
        budget = self.budget
        if seconds is not None:
            self.budget = budget.child(timeout=seconds)
        try:
            while self._fewer_at < len(nodes) and most > 1:
                u = nodes[self._fewer_at]
                retained[u] = not retained[u]
                try:
                    other = self.candidate_states(max_nodes=max_nodes)
                except BudgetExceeded:
                    retained[u] = not retained[u]
                    if seconds is None or budget.expired():
                        raise
                    return best         # out of seconds: the next call goes on from u
                except BaseException:
                    retained[u] = not retained[u]
                    raise
                k = self.count(other) if other is not None else most
                if k < most:
                    best, most = other, k
                else:
                    retained[u] = not retained[u]
                self._fewer_at += 1
        finally:
            self.budget = budget
        self._fewer_at = len(nodes)
        return best

    def candidate_states(self, avoid: BDD | None = None, max_nodes: int | None = None,
                         upward: bool = False, resume: bool = False) -> BDD | None:
        """States that together meet every attractor outside ``avoid``, as one BDD (None
        when its BDD grows past ``max_nodes`` nodes on the way).

        Each node ``u`` of a negative feedback vertex set may only move towards a retained
        value ``r_u``. Every attractor of this restricted graph is a fixed point (once the
        set is frozen no negative cycle is left), and every attractor of the network, a trap
        set of the restricted graph too, holds one of them; these fixed points are returned.

        The conditions are conjoined from the top of the variable order down, or with
        ``upward`` from the bottom up: without reordering, top-down keeps the BDDs on the
        way smaller (on corpus spaces of 60-90 free nodes, a third to a half of the time);
        with reordering on, on whole networks of 150-250 free nodes, bottom-up does
        (bbm/079 under a condition: 2.5 s against 25 s).

        With ``resume``, a build the budget stopped is taken up where it stopped by the
        next call with ``resume`` (in the same direction).
        """
        mgr = self.mgr
        retained = self.retained()
        fp = mgr.true
        names = sorted(self.free, key=mgr.level_of_var, reverse=upward)
        start = 0
        if resume and self._built is not None and self._built[0] == upward:
            _, names, start, fp = self._built
        self._built = None
        for k in range(start, len(names)):
            n = names[k]
            x = mgr.var(n)
            f = self.f[n]
            if n in retained:
                f = (x | f) if retained[n] else (x & f)
            fp = fp & ~mgr.apply("xor", x, f)
            if fp == mgr.false:
                break
            try:
                self.budget.check()
            except BudgetExceeded:
                if resume:
                    self._built = (upward, names, k + 1, fp)
                raise
            if max_nodes is not None and fp.dag_size > max_nodes:
                return None
        if avoid is not None:
            fp = fp & ~avoid
        return fp

    @property
    def candidates_built(self) -> float:
        """The share of the conditions of :meth:`candidate_states` conjoined by a build
        stopped with ``resume`` (0 where none stopped)."""
        if self._built is None or not self._built[1]:
            return 0.0
        return self._built[2] / len(self._built[1])

    # ------------------------------------------------------------ attractors
    def terminal_sccs(self, trap: BDD, *, remove_basins: bool = True,
                      nodes: Collection[str] | None = None,
                      seeds: Iterable[BDD] | None = None) -> Iterator[BDD]:
        """The attractors (terminal SCCs) inside the trap set ``trap``, one BDD each.

        Parameters
        ----------
        trap : BDD
            A set of states no step leaves (not checked).
        nodes : list of str, optional
            The nodes that can change inside ``trap`` (default: found out).
        remove_basins : bool
            Remove each attractor's basin before searching on (needed to find them all; the
            last attractor's basin is not computed).
        seeds : iterable of BDD, optional
            States (full cubes) of which every attractor inside ``trap`` holds at least one,
            such as :meth:`candidate_states`. Then only seeds are tested: a seed lies in an
            attractor exactly when every state it reaches can reach it back, and that
            attractor is its forward set; no basin is computed.

        Yields
        ------
        BDD
            Each attractor once.
        """
        mgr = self.mgr
        remaining = trap
        if nodes is None:
            nodes = self.movable(trap)
        if seeds is not None:
            yield from self._seeded_sccs(trap, seeds, nodes)
            return
        while remaining != mgr.false:
            s = self.pick(remaining)
            while True:
                fwd = self.forward(s, nodes=nodes)
                back = self.backward(s, within=fwd, nodes=nodes)
                rest = fwd & ~back
                if rest == mgr.false:
                    break
                s = self.pick(rest)
            yield fwd
            if not remove_basins:
                return
            if remaining == fwd:
                return
            remaining = remaining & ~self.backward(fwd, within=remaining, nodes=nodes)

    def attractors_among(self, candidates: BDD, trap: BDD | None = None, *,
                         known: BDD | None = None,
                         nodes: Collection[str] | None = None,
                         deepen: Callable[[BDD], BDD] | None = None,
                         basins_above: int = 8, meets_all: bool = True) -> Iterator[BDD]:
        """The attractors inside the trap set ``trap`` (default: every state), given a set of
        ``candidates`` (one BDD) that meets each of them, such as :meth:`candidate_states`.

        A candidate is picked (and, with ``deepen``, replaced by a state it reaches:
        ``deepen`` maps a full cube to one); its forward set, stopped as soon as it meets
        an attractor already found, is an attractor when it holds no other candidate (the
        attractor it holds holds a candidate; no backward search is needed) or when each
        of its states can reach it back. Otherwise a state that cannot is picked and the
        search goes deeper (as in :meth:`terminal_sccs`); the states that reach a
        transient state are transient and leave the candidates, so do those of a new
        attractor. A candidate whose search
        meets a known attractor lies in none other: it leaves alone, or, while more than
        ``basins_above`` candidates are left, with every state that reaches a known
        attractor (one backward search). The candidates live in one BDD: thousands of
        them cost no more than a few.

        ``known``, if given, is a union of trap sets whose attractors are known already
        (such as minimal trap spaces): only the attractors outside it are yielded.

        ``meets_all`` false: the candidates need not meet every attractor (only those
        searched from are wanted); a forward set is then an attractor only once each of
        its states reaches back, never for holding no other candidate.
        """
        mgr = self.mgr
        false = mgr.false
        if trap is None:
            trap = mgr.true
        if nodes is None:
            nodes = self.movable(trap)
        candidates = candidates & trap
        if known is not None:
            candidates &= ~known
        found = candidates       # the fixed points among the candidates (a small set
        for n in nodes:          # first: the union of the moves can be large)
            if found == false:
                break
            found &= ~self.flip[n]
        if found != false:
            for a in mgr.pick_iter(found, care_vars=set(self.free)):
                yield mgr.cube(a)
        candidates &= ~found
        if known is not None:
            found |= known
        basin = found       # states known to reach a known attractor
        while candidates != false:
            start = mgr.cube(mgr.pick(candidates, care_vars=set(self.free)))
            s = start if deepen is None else deepen(start)
            while True:
                fwd = self.forward(s, nodes=nodes, stop=found)
                if found != false and fwd & found != false:
                    candidates &= ~start
                    if self.count(candidates) > basins_above:
                        basin = self.backward(basin | found, within=trap, nodes=nodes)
                        candidates &= ~basin
                    break
                if meets_all and fwd & candidates & ~start == false:
                    # no other candidate in it: the attractor it holds (none found yet)
                    # holds a candidate, so start, and the forward set is that attractor
                    yield fwd
                    found |= fwd
                    candidates &= ~(fwd | start)
                    break
                back = self.backward(s, within=fwd, nodes=nodes)
                rest = fwd & ~back
                if rest == false:
                    yield fwd
                    found |= fwd
                    candidates &= ~(fwd | start)
                    break
                candidates &= ~(back | start)       # they reach a transient state
                s = self.pick(rest)

    def _seeded_sccs(self, trap: BDD, seeds: Iterable[BDD],
                     nodes: Collection[str]) -> Iterator[BDD]:
        mgr = self.mgr
        false = mgr.false
        meeting = [s for s in seeds if s & trap != false]
        if len(meeting) == 1:        # the trap set holds an attractor, and it holds this seed
            yield self.forward(meeting[0], nodes=nodes)
            return
        found = false
        moving = false      # the states where some node can change
        for n in nodes:
            moving |= self.flip[n]
        rest = []
        for s in meeting:    # the fixed points first: a search that meets one stops there
            if s & moving == false:
                if s & found == false:
                    found = found | s
                    yield s
            else:
                rest.append(s)
        for s in rest:
            if s & found != false:
                continue
            fwd = self.forward(s, nodes=nodes, stop=found)
            if fwd & found != false:     # s reaches a known attractor: it lies in none other
                continue
            if fwd & ~self.backward(s, within=fwd, nodes=nodes) != false:
                continue                 # some state reached cannot return: s is transient
            found = found | fwd
            yield fwd

    def __repr__(self) -> str:
        return (f"<AsyncSTG {len(self.free)} free nodes, {len(self.fixed)} fixed, "
                f"{len(self.flip)} can change>")
