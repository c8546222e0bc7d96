"""Typed results of the analyses, with ``to_dict()`` giving the JSON contract of DESIGN.md.

States are ``int`` bitmasks (bit i = ``nodes[i]``); subspaces are strings with one character
per node in node order: ``0``, ``1`` or ``*``. The codecs live in :mod:`logicbone.space`;
``state_to_str``, ``str_to_state`` and ``subspace_of`` are re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..budget import Outcome, StopReason
from ..dynamics.update import Update
from ..modes import AttractorMethod
from ..space import state_to_str, str_to_state, subspace_of

__all__ = ["state_to_str", "str_to_state", "subspace_of", "Attractor", "AttractorResult"]


def size_text(size: int | None) -> str:
    """An attractor's size for people: ``1,024``, or ``unknown`` when not computed."""
    return "unknown" if size is None else f"{size:,}"


@dataclass(frozen=True)
class Attractor:
    """One attractor.

    Attributes
    ----------
    type : {"fixed_point", "cycle", "complex"}
        ``cycle``: a synchronous cycle (states in update order); ``complex``: an asynchronous
        attractor of more than one state; ``fixed_point``: a single state.
    size : int or None
        Number of states; None when not computed (an asynchronous attractor proven the
        only one of its minimal trap space, whose states lie beyond reach: its subspace is
        then that trap space).
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
    size: int | None
    subspace: str
    states: tuple[int, ...] | None = None
    basin: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self, n: int, max_states: int = 1000) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, "size": self.size, "subspace": self.subspace}
        if self.states is not None and len(self.states) <= max_states:
            d["states"] = [state_to_str(s, n) for s in self.states]
        if self.basin is not None:
            d["basin"] = self.basin
        d.update(self.extra)
        return d


@dataclass(frozen=True)
class AttractorResult:
    """The attractors of a network under one update scheme, by one method.

    ``complete`` is False when the list may lack attractors: ``reason`` (a
    :class:`~logicbone.budget.StopReason`) says why when a budget stopped the search (answer
    limit, time limit, interrupt), and is None when the method's own bound left others
    possible (cycles longer than the SAT method's ``max_length``); :attr:`outcome` gives
    both, as every engine reports the end of a search. ``notes`` say it in words.
    """

    model: str
    nodes: tuple[str, ...]
    update: Update
    method: AttractorMethod
    complete: bool
    attractors: tuple[Attractor, ...]
    notes: tuple[str, ...] = ()
    reason: StopReason | None = None
    seconds: float = 0.0

    @property
    def outcome(self) -> Outcome:
        """How the search ended, as every engine reports it."""
        return Outcome(self.complete, self.reason, None, self.seconds)

    def to_frame(self) -> Any:
        """The attractors as a pandas DataFrame, one row each (needs pandas)."""
        from ..frames import attractors_frame

        return attractors_frame(self)

    def _repr_html_(self) -> str:
        from ..frames import spaces_repr_html

        labels = ["fixed point" if a.type == "fixed_point" else f"{a.type} {size_text(a.size)}"
                  for a in self.attractors]
        return spaces_repr_html(f"{len(self.attractors):,} attractors, {self.update} update"
                                + ("" if self.complete else " (incomplete)"), self.nodes,
                                [a.subspace for a in self.attractors], labels)

    def to_dict(self, max_states: int = 1000) -> dict[str, Any]:
        n = len(self.nodes)
        d: dict[str, Any] = {"model": self.model, "nodes": list(self.nodes),
             "update": str(self.update), "method": str(self.method), "complete": self.complete,
             "attractors": [a.to_dict(n, max_states) for a in self.attractors]}
        if self.notes:
            d["notes"] = list(self.notes)
        return d
