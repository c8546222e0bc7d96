"""Typed results of the analyses, with ``to_dict()`` giving the JSON contract of DESIGN.md.

States are ``int`` bitmasks (bit i = ``nodes[i]``); subspaces are strings with one character
per node in node order: ``0``, ``1`` or ``*``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["state_to_str", "str_to_state", "subspace_of", "Attractor", "AttractorResult"]


def state_to_str(state: int, n: int) -> str:
    """``"0101..."`` with character i = bit i (node order, not binary-number order)."""
    return "".join("1" if (state >> i) & 1 else "0" for i in range(n))


def str_to_state(text: str) -> int:
    """Inverse of :func:`state_to_str`."""
    return sum(1 << i for i, c in enumerate(text) if c == "1")


def subspace_of(states, n: int) -> str:
    """The smallest subspace holding all ``states``: constant nodes as 0/1, others ``*``."""
    states = list(states)
    all_and = ~0
    any_or = 0
    for s in states:
        all_and &= s
        any_or |= s
    out = []
    for i in range(n):
        on, some = (all_and >> i) & 1, (any_or >> i) & 1
        out.append("1" if on else ("*" if some else "0"))
    return "".join(out)


@dataclass(frozen=True)
class Attractor:
    """One attractor.

    Attributes
    ----------
    type : {"fixed_point", "cycle", "complex"}
        ``cycle``: a synchronous cycle (states in update order); ``complex``: an asynchronous
        attractor of more than one state; ``fixed_point``: a single state.
    size : int
        Number of states.
    subspace : str
        Nodes constant over the attractor as 0/1, the others ``*``.
    states : tuple of int, optional
        All states when known and small (a cycle's in update order, else sorted).
    basin : float, optional
        Fraction of all states whose trajectories end here (synchronous), or that reach only
        this attractor (asynchronous strong basin).
    extra : dict
        Method-specific figures (e.g. ``reach_probability``, ``trap_space``).
    """

    type: str
    size: int
    subspace: str
    states: tuple[int, ...] | None = None
    basin: float | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def to_dict(self, n: int, max_states: int = 1000) -> dict:
        d = {"type": self.type, "size": self.size, "subspace": self.subspace}
        if self.states is not None and len(self.states) <= max_states:
            d["states"] = [state_to_str(s, n) for s in self.states]
        if self.basin is not None:
            d["basin"] = self.basin
        d.update(self.extra)
        return d


@dataclass(frozen=True)
class AttractorResult:
    """The attractors of a network under one update scheme, by one method."""

    model: str
    nodes: tuple[str, ...]
    update: str
    method: str
    complete: bool
    attractors: tuple[Attractor, ...]
    notes: tuple[str, ...] = ()

    def to_frame(self):
        """The attractors as a pandas DataFrame, one row each (needs pandas)."""
        from ..frames import attractors_frame

        return attractors_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import spaces_repr_html

        labels = ["fixed point" if a.type == "fixed_point" else f"{a.type} {a.size:,}"
                  for a in self.attractors]
        return spaces_repr_html(f"{len(self.attractors):,} attractors, {self.update} update"
                                + ("" if self.complete else " (incomplete)"), self.nodes,
                                [a.subspace for a in self.attractors], labels)

    def to_dict(self, max_states: int = 1000) -> dict:
        n = len(self.nodes)
        d = {"model": self.model, "nodes": list(self.nodes), "update": self.update,
             "method": self.method, "complete": self.complete,
             "attractors": [a.to_dict(n, max_states) for a in self.attractors]}
        if self.notes:
            d["notes"] = list(self.notes)
        return d
