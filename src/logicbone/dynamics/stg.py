"""The explicit state-transition graph (STG), size-guarded.

Everything is held in numpy arrays: the states (``uint64``, sorted), the edges as index
pairs into them (:mod:`~logicbone.dynamics.transitions`), the strongly connected components
and the attractors, the terminal ones (:mod:`~logicbone.dynamics.scc`), and, per state, the
set of attractors it can reach. Records, files and networkx graphs are made from these
arrays by :mod:`logicbone.export`; the quotient by strong components is
:mod:`~logicbone.dynamics.quotient`.

Conventions: no self-loops (a state without successors is a fixed point); an edge carries the
node(s) whose value changes along it; attractors are numbered by their smallest state.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, A")
>>> stg = lb.state_transition_graph(net, "async")
>>> stg.n_states, stg.n_edges, stg.n_attractors
(4, 4, 1)
>>> [lb.state_to_str(int(s), 2) for s in stg.attractor_states(0)]
['00', '10', '01', '11']
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, StateSpaceTooLarge
from ..network import Network
from ..space import str_to_state
from .kernel import Kernel, compile_network
from .scc import (bits_for, first_index, pair_key, reach_sets, strong_components,
                  terminal_components)
from .transitions import reachable, sorted_unique, successors
from .update import Update

__all__ = ["StateTransitionGraph", "state_transition_graph", "initial_states", "edges_among",
           "ExplicitGraph", "DEFAULT_LIMIT", "HINT"]

log = logging.getLogger(__name__)

#: default size guard of the explicit STG (number of states)
DEFAULT_LIMIT = 1 << 20

#: what to do instead when the graph is too large
HINT = ("export the quotient graph of its strongly connected components instead (--collapse, "
        "stg_quotient), or only the part reachable from given states (--from)")


class ExplicitGraph:
    """What the explicit graphs (:class:`StateTransitionGraph`, the quotient graph) share:
    the network's nodes and update scheme, edges ``src -> dst``, their attractors, a label."""

    names: tuple[str, ...]
    update: Update
    src: np.ndarray
    n_attractors: int
    model: str

    @property
    def n_edges(self) -> int:
        return int(self.src.size)

    def _attributes(self, sizes: dict[str, int]) -> dict[str, Any]:
        return {"model": self.model, "nodes": ",".join(self.names), "update": self.update.value,
                **sizes, "attractors": self.n_attractors}


@dataclass(frozen=True, eq=False)
class StateTransitionGraph(ExplicitGraph):
    """An explicit state-transition graph with its attractors.

    Attributes
    ----------
    names : tuple of str
        The network's nodes (bit order of the states).
    update : Update
    states : ndarray of uint64
        The states of the graph, sorted (all ``2**n``, or those reachable from the start).
    src, dst : ndarray of int64
        Edges as indices into ``states``.
    labels : ndarray of int64
        Strong component of each state.
    attractor : ndarray of int64
        Per state, the index of its attractor, or -1 for a transient state.
    reach : ndarray of uint64, shape (n_states, words)
        Per state, the bitset of the attractors it can reach.
    """

    names: tuple[str, ...]
    update: Update
    states: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    labels: np.ndarray
    attractor: np.ndarray
    reach: np.ndarray
    n_attractors: int
    model: str = ""

    @property
    def n_states(self) -> int:
        return int(self.states.size)

    def attractor_states(self, k: int) -> np.ndarray:
        """The states of attractor ``k``, sorted."""
        out: np.ndarray = self.states[self.attractor == k]
        return out

    def reaches(self, k: int) -> np.ndarray:
        """Boolean mask of the states that can reach attractor ``k``."""
        out: np.ndarray = ((self.reach[:, k // 64] >> np.uint64(k % 64))
                           & np.uint64(1)).astype(bool)
        return out

    def graph_attributes(self) -> dict[str, Any]:
        """The attributes of the whole graph (model, nodes, update, sizes)."""
        return self._attributes({"states": self.n_states, "transitions": self.n_edges})


def initial_states(net: Network, initial: Iterable[int | str]) -> np.ndarray:
    """Start states (ints, or 0/1 strings in node order) as a ``uint64`` array.

    Raises
    ------
    InputError
        On a string that is not one 0/1 per node.
    """
    out = []
    for s in initial:
        if isinstance(s, str):
            if len(s) != len(net.names) or set(s) - {"0", "1"}:
                raise InputError(f"state '{s}': expected {len(net.names)} characters "
                                 "0/1, one per node in node order")
            s = str_to_state(s)
        out.append(int(s))
    return np.asarray(out, dtype=np.uint64)


def edges_among(kernel: Kernel, states: np.ndarray, update: Update, hint: str
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The transitions from ``states`` (sorted, and holding all their successors): source and
    target as indices into ``states``, and the nodes each one flips (bitmask)."""
    src_s, dst_s = successors(kernel, states, update, hint=hint)
    return np.searchsorted(states, src_s), np.searchsorted(states, dst_s), src_s ^ dst_s


def _annotate(names: tuple[str, ...], update: Update, states: np.ndarray, src: np.ndarray,
              dst: np.ndarray, model: str) -> StateTransitionGraph:
    count, labels = strong_components(states.size, src, dst)
    cs, cd = labels[src], labels[dst]
    cross = cs != cd
    bits = bits_for(count)
    pairs = sorted_unique(pair_key(bits, cs[cross], cd[cross]))
    csrc, cdst = pairs >> bits, pairs & ((1 << bits) - 1)
    # attractors numbered by their smallest state (states are sorted: first occurrence)
    sinks, comp_attr = terminal_components(count, csrc, first_index(count, labels))
    reach_comp = reach_sets(count, csrc, cdst, sinks)
    return StateTransitionGraph(tuple(names), update, states, src, dst, labels,
                                comp_attr[labels], reach_comp[labels], int(sinks.size), model)


def state_transition_graph(net: Network, update: Update | str = Update.ASYNCHRONOUS,
                           initial: Iterable[int | str] | None = None, *,
                           limit: int = DEFAULT_LIMIT, model: str = "") -> StateTransitionGraph:
    """The explicit state-transition graph of ``net``.

    Parameters
    ----------
    net : Network
    update : Update
        ``SYNCHRONOUS``, ``ASYNCHRONOUS`` or ``GENERAL`` (a name such as ``"async"`` is read
        by :meth:`Update.parse`).
    initial : iterable of int or str, optional
        Start states (ints, or 0/1 strings in node order); only the part of the graph
        reachable from them is built. By default, all ``2**n`` states.
    limit : int
        Size guard: at most this many states (default ``2**20``).
    model : str
        A label stored in the graph attributes.

    Returns
    -------
    StateTransitionGraph

    Raises
    ------
    StateSpaceTooLarge
        Above ``limit`` states; the message names the quotient graph (``--collapse``).

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, A\\nB, A")
    >>> stg = lb.state_transition_graph(net, "sync", initial=["10"])
    >>> [lb.state_to_str(int(s), 2) for s in stg.states], stg.n_edges, stg.n_attractors
    (['10', '11'], 1, 1)
    """
    update = Update.parse(update)
    n = len(net.names)
    kernel = compile_network(net)
    if initial is not None:
        states = reachable(kernel, initial_states(net, initial), update, limit,
                           f"{HINT.split(', or')[0]}, or raise the limit", edge_hint=HINT)
    else:
        if (1 << n) > limit:
            raise StateSpaceTooLarge(n, limit, HINT)
        states = np.arange(1 << n, dtype=np.uint64)
    if initial is None:  # every state: a state is its own index
        src_s, dst_s = successors(kernel, states, update, hint=HINT)
        src, dst = src_s.astype(np.int64), dst_s.astype(np.int64)
    else:
        src, dst, _ = edges_among(kernel, states, update, HINT)
    log.info("state-transition graph: %d states, %d transitions", states.size, src.size)
    return _annotate(net.names, update, states, src, dst, model)
