"""Nodes eliminated from a network, keeping what reaches what under asynchronous updates.

A node ``v`` whose rule does not read ``v`` is eliminated by writing its rule into the
rules of its targets. From the reduced network back, a state ``y`` is *lifted* to the state
that gives ``v`` the value of its rule, ``L(y) = (y, f_v(y))``:

- a step ``y -> y'`` of the reduced network is a path ``L(y) -> (y', f_v(y)) -> L(y')``
  (the target moves as its reduced rule says, then ``v`` follows its rule if it must);
- any state ``x`` reaches ``L(x without v)`` in at most one step (``v`` follows its rule).

So for a trap set ``T`` (a union of trap spaces, say) and ``T'`` its projection (the
states ``y`` with ``L(y)`` in ``T``; for a trap space, its string without ``v``): the
states whose lift lies in an attractor ``A`` outside ``T`` form a trap set of the reduced
network, which holds an attractor ``A'`` outside ``T'`` with ``L(A')`` inside ``A``. Every
attractor outside ``T`` thus has an attractor of the reduced network outside ``T'`` below
it. A proof that none lies outside ``T'`` there proves none lies outside ``T`` in the
network, and states that meet every attractor outside ``T'`` there lift to states that
meet every attractor outside ``T``. The attractors themselves are not kept (a node with a
rule of its own can add or merge cyclic ones); only this is used.

Elimination goes on, one node at a time, while the rules written stay small: the sweeps
that prove no attractor lies outside the minimal trap spaces work on fewer variables and
smaller diagrams (bbm/004 under the condition of ``benchmarks/run.py --seed 1``: 185 nodes
to 97; the candidate states outside its 217,608 minimal trap spaces built in 0.4 s instead
of 21 s, and swept down to 18 states in 5.5 s where the sweeps took 52 s down to 303,000).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..expr import Expr, evaluate, substitute, variables, written_size

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Elimination", "eliminated"]


@dataclass(frozen=True)
class Elimination:
    """The reduced rules (``kept``: the nodes left, in their order; ``rules``: theirs) and
    the nodes eliminated, each with its rule when it went (reading only nodes kept or
    eliminated after it), in the order they went."""

    kept: tuple[str, ...]
    rules: Mapping[str, Expr]
    eliminated: tuple[tuple[str, Expr], ...]

    def lift(self, columns: Mapping[str, Any], length: int) -> dict[str, Any]:
        """The values of every node, from ``columns`` (a value or a bool array of
        ``length`` rows for each node kept): each eliminated node takes the value of its
        rule, the last eliminated first."""
        import numpy as np

        values = dict(columns)
        for node, rule in reversed(self.eliminated):
            got = evaluate(rule, values)
            values[node] = np.broadcast_to(np.asarray(got, dtype=bool), (length,))
        return values

    def lift_rows(self, rows: "np.ndarray", columns: Sequence[str],
                  fixed: Mapping[str, bool], order: Sequence[str]) -> "np.ndarray":
        """The rows (a bool matrix, one column per name of ``columns``; ``fixed``: the
        values of the other nodes kept) lifted to rows over ``order``."""
        import numpy as np

        given: dict[str, Any] = {n: rows[:, j] for j, n in enumerate(columns)}
        given.update(fixed)
        values = self.lift(given, len(rows))
        out = np.empty((len(rows), len(order)), dtype=bool)
        for j, n in enumerate(order):
            out[:, j] = values[n]
        return out


def eliminated(rules: Mapping[str, Expr], *, most_read: int = 40, most_written: int = 400,
               most_vars: int = 50) -> Elimination:
    """Eliminate nodes from ``rules`` (``node -> rule``, reading only these nodes) while
    the rules stay small: a node is eliminated when its rule reads no more than
    ``most_read`` nodes and not itself, and each rule it is written into stays within
    ``most_written`` (:func:`~logicbone.expr.written_size`) and ``most_vars`` variables.
    Nodes are tried in passes, those that read fewest first (relays, a node that copies
    or negates one other, go first and cost nothing), until a pass eliminates none.

    The limits trade the nodes left against the rules' size. On bbm/004 under the
    conditions of seeds 0, 1 and 4, the proof outside their minimal trap spaces took
    7.2, 4.6 and 14.0 s with these (98-105 of 176-185 nodes eliminated), against 13.6,
    8.0 and 18.5 s with 20, 120 and 30 (82-88 eliminated); 10, 60 and 20 left 110 of
    176 nodes and took 29.8 s under seed 4.
    """
    rules = dict(rules)
    # the written size of each rule, kept: a target already near the limit is passed over
    # before any substitution into it (bbm/251's largest rules: 27 s of substitutions that
    # were all turned down)
    size = {n: written_size(e) for n, e in rules.items()}
    targets: dict[str, set[str]] = {n: set() for n in rules}
    for n, e in rules.items():
        for r in variables(e):
            targets[r].add(n)
    gone: list[tuple[str, Expr]] = []
    changed = True
    while changed:
        changed = False
        for v in sorted(rules, key=lambda n: (len(variables(rules[n])), len(targets[n]), n)):
            rule = rules[v]
            reads = variables(rule)
            if (v in reads or len(reads) > most_read
                    or any(size[t] + size[v] - 1 > most_written for t in targets[v])):
                continue
            new = {t: substitute(rules[t], {v: rule}) for t in targets[v]}
            if any(written_size(e) > most_written or len(variables(e)) > most_vars
                   for e in new.values()):
                continue
            for t, e in new.items():
                for r in variables(rules[t]):
                    targets[r].discard(t)
                rules[t], size[t] = e, written_size(e)
                for r in variables(e):
                    targets[r].add(t)
            for r in reads:
                targets[r].discard(v)
            del rules[v], targets[v], size[v]
            gone.append((v, rule))
            changed = True
    return Elimination(tuple(rules), rules, tuple(gone))
