"""The quotient of the state-transition graph by its strongly connected components.

Inputs never change, so the state space falls apart into one block per assignment of the
inputs; the blocks are built one at a time (:func:`~logicbone.dynamics.transitions.block_edges`)
and each is reduced to its components, which takes the quotient far beyond the size guard of
the explicit graph (:mod:`~logicbone.dynamics.stg`).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ..errors import StateSpaceTooLarge
from ..network import Network
from ..space import spaces_to_strings
from .kernel import compile_network
from .scc import (bits_for, group_starts, pair_key, reach_sets, strong_components,
                  terminal_components)
from .stg import ExplicitGraph, edges_among, initial_states
from .transitions import block_edges, block_states, reachable
from .update import Update

__all__ = ["QuotientGraph", "stg_quotient", "DEFAULT_BLOCK_LIMIT"]

log = logging.getLogger(__name__)

#: states per block of the quotient graph (one block per assignment of the inputs)
DEFAULT_BLOCK_LIMIT = 1 << 22
#: width of the packed sort key of the edges between components (source, target, nodes flipped);
#: wider edges are sorted indirectly
_KEY_BITS = 64

_BLOCK_HINT = "fix inputs or nodes (--inputs, --fix) or start from given states (--from)"


@dataclass(frozen=True, eq=False)
class QuotientGraph(ExplicitGraph):
    """The STG with each strongly connected component contracted to one node.

    Attributes
    ----------
    names : tuple of str
    update : Update
    size : ndarray of int64
        Number of states of each component.
    representative : ndarray of uint64
        The smallest state of each component.
    fixed_on, varying : ndarray of uint64
        Per component, bitmasks of the nodes ON in all its states and of those that vary.
    subspace : ndarray of str
        Per component, its nodes constant over its states as 0/1, the others ``*``.
    attractor : ndarray of int64
        Per component, its attractor index or -1 (transient).
    reach : ndarray of uint64 (components x words)
        Bitset of the attractors each component reaches.
    src, dst : ndarray of int64
        Edges between components; ``transitions`` counts the STG edges each one stands for and
        ``changed`` the nodes that change along any of them (bitmask).
    """

    names: tuple[str, ...]
    update: Update
    size: np.ndarray
    representative: np.ndarray
    fixed_on: np.ndarray
    varying: np.ndarray
    attractor: np.ndarray
    reach: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    transitions: np.ndarray
    changed: np.ndarray
    n_attractors: int
    n_states: int
    model: str = ""

    @property
    def n_components(self) -> int:
        return int(self.size.size)

    @cached_property
    def subspace(self) -> np.ndarray:
        return spaces_to_strings(self.fixed_on, self.varying, len(self.names))

    def graph_attributes(self) -> dict[str, Any]:
        """The attributes of the whole graph (model, nodes, update, sizes)."""
        return self._attributes({"states": self.n_states, "components": self.n_components})


def _block_quotient(states: np.ndarray, src: np.ndarray, dst: np.ndarray,
                    moved: np.ndarray, indptr: np.ndarray | None = None) -> tuple[Any, ...]:
    """The quotient arrays of one block: ``states`` sorted, edges ``src -> dst`` as indices
    into them, ``moved`` the nodes flipped along each edge (bitmask); ``indptr`` when they are
    in CSR order (see :func:`~logicbone.dynamics.transitions.block_edges`).

    Returns per component: size, smallest state, AND and OR of its states, attractor index
    (or -1), reach bitsets; per quotient edge (sorted by source, then target): source, target,
    number of STG edges, OR of their ``moved``; and the number of attractors.
    """
    count, labels = strong_components(states.size, src, dst, indptr)
    cs, cd = labels[src], labels[dst]
    cross = cs != cd
    cs, cd, moved = cs[cross], cd[cross], moved[cross]
    del cross
    size = np.bincount(labels, minlength=count).astype(np.int64)
    rep = np.full(count, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(rep, labels, states)
    all_and = np.full(count, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.bitwise_and.at(all_and, labels, states)
    any_or = np.zeros(count, dtype=np.uint64)
    np.bitwise_or.at(any_or, labels, states)
    # the edges between components, grouped by (source, target) with one sort
    cbits = bits_for(count)
    mbits = int(np.bitwise_or.reduce(moved)).bit_length() if moved.size else 0
    if 2 * cbits + mbits <= _KEY_BITS:  # one packed uint64 key: source, target, moved
        key = ((cs.astype(np.uint64) << np.uint64(cbits + mbits))
               | (cd.astype(np.uint64) << np.uint64(mbits)) | moved)
        key.sort()
        pair = key >> np.uint64(mbits)
        moved = key & np.uint64((1 << mbits) - 1)
        del key
    else:
        order = np.argsort(pair_key(cbits, cs, cd), kind="stable")
        pair = (cs[order].astype(np.uint64) << np.uint64(cbits)) | cd[order].astype(np.uint64)
        moved = moved[order]
    starts = group_starts(pair)
    pair = pair[starts]
    es = (pair >> np.uint64(cbits)).astype(np.int64)
    ed = (pair & np.uint64((1 << cbits) - 1)).astype(np.int64)
    ecount = np.diff(np.append(starts, moved.size))
    changed = np.bitwise_or.reduceat(moved, starts) if starts.size else moved[:0]
    # attractors numbered by their smallest state; reach of each component
    sinks, attractor = terminal_components(count, es, rep)
    reach = reach_sets(count, es, ed, sinks)
    return (size, rep, all_and, any_or, attractor, reach, es, ed, ecount, changed,
            int(sinks.size))


def stg_quotient(net: Network, update: Update | str = Update.ASYNCHRONOUS,
                 initial: Iterable[int | str] | None = None, *,
                 block_limit: int = DEFAULT_BLOCK_LIMIT, model: str = "") -> QuotientGraph:
    """The quotient of the STG by its strongly connected components.

    Attractors (terminal components) and transient components become nodes with their sizes.
    Inputs never change, so the STG falls apart into one block per assignment of the inputs;
    the blocks are built one at a time, each guarded by ``block_limit`` states, which takes the
    quotient far beyond the size guard of :func:`state_transition_graph`. Each block costs a
    few whole-array passes: the strong components (:mod:`scipy.sparse.csgraph`), one sort of
    the edges between components, and a backward sweep over the condensation, level by level,
    for the attractors each component reaches.

    Parameters
    ----------
    net : Network
    update : Update
        ``SYNCHRONOUS``, ``ASYNCHRONOUS`` or ``GENERAL`` (a name such as ``"async"`` is read
        by :meth:`Update.parse`).
    initial : iterable of int or str, optional
        Only the part reachable from these states (guarded by ``block_limit`` in total).
    block_limit : int
        At most this many states per block.

    Returns
    -------
    QuotientGraph

    Raises
    ------
    StateSpaceTooLarge
        When a block has more than ``block_limit`` states.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("I, I\\nA, !B | I\\nB, A")
    >>> q = lb.stg_quotient(net, "async")
    >>> q.n_states, q.n_components, q.n_attractors
    (8, 5, 2)
    >>> q.subspace.tolist(), q.size.tolist(), q.attractor.tolist()
    (['0**', '111', '110', '100', '101'], [4, 1, 1, 1, 1], [0, 1, -1, -1, -1])
    """
    update = Update.parse(update)
    n = len(net.names)
    kernel = compile_network(net)
    free: list[int] | None = None
    blocks: Iterable[np.ndarray]
    if initial is not None:
        states = reachable(kernel, initial_states(net, initial), update, block_limit,
                           "fix inputs or nodes (--inputs, --fix)")
        blocks = [states]
    else:
        inputs = [net.index(x) for x in net.inputs]
        free = [i for i in range(n) if i not in set(inputs)]
        if (1 << len(free)) > block_limit:
            raise StateSpaceTooLarge(
                n, block_limit << len(inputs),
                f"each assignment of the {len(inputs)} input(s) leaves 2^{len(free)} states, "
                f"above the block limit of {block_limit:,}; {_BLOCK_HINT}")
        blocks = _blocks(n, free, inputs)
    parts: list[tuple[Any, ...]] = []
    offset, attr_offset, total = 0, 0, 0
    for states in blocks:
        indptr: np.ndarray | None
        if free is None:
            src, dst, moved = edges_among(kernel, states, update, _BLOCK_HINT)
            indptr = None
        else:  # all states of the block, in rank order
            src, dst, moved, indptr = block_edges(kernel, states, update, free,
                                                  hint=_BLOCK_HINT)
        log.debug("quotient block: %d states, %d transitions", states.size, src.size)
        (size, rep, a_and, a_or, attr, reach, es, ed, ecount, changed,
         n_attr) = _block_quotient(states, src, dst, moved, indptr)
        del src, dst, moved
        attr[attr >= 0] += attr_offset
        es += offset  # component numbers of the whole graph
        ed += offset
        parts.append((size, rep, a_and, a_or, attr, reach, attr_offset, n_attr,
                      es, ed, ecount, changed))
        offset += size.size
        attr_offset += n_attr
        total += states.size
    n_attr = attr_offset
    words = max(1, (n_attr + 63) // 64)
    reach_all = []
    for size, _, _, _, _, reach, a_off, a_n, *_ in parts:
        if words == 1:  # shift the block's attractor bits to their global positions
            out = (reach[:, :1] << np.uint64(a_off)) if a_n else np.zeros((size.size, 1),
                                                                           dtype=np.uint64)
        else:
            out = np.zeros((size.size, words), dtype=np.uint64)
            for k in range(a_n):
                bit = (reach[:, k // 64] >> np.uint64(k % 64)) & np.uint64(1)
                g = a_off + k
                out[:, g // 64] |= bit << np.uint64(g % 64)
        reach_all.append(out)

    def cat(i: int, dtype: type) -> np.ndarray:
        arrays = [p[i] for p in parts]
        if len(arrays) == 1:
            one: np.ndarray = arrays[0].astype(dtype, copy=False)
            return one
        return np.concatenate(arrays).astype(dtype, copy=False) if arrays else \
            np.zeros(0, dtype=dtype)

    a_and, a_or = cat(2, np.uint64), cat(3, np.uint64)
    log.info("quotient graph: %d states, %d components, %d attractors", total, offset, n_attr)
    return QuotientGraph(tuple(net.names), update, cat(0, np.int64), cat(1, np.uint64), a_and,
                         a_and ^ a_or, cat(4, np.int64),
                         np.concatenate(reach_all) if reach_all else
                         np.zeros((0, words), dtype=np.uint64),
                         cat(8, np.int64), cat(9, np.int64), cat(10, np.int64), cat(11, np.uint64),
                         n_attr, total, model)


def _blocks(n: int, free: list[int], inputs: list[int]) -> Iterator[np.ndarray]:
    """The states of each block, one assignment of the inputs after the other."""
    for a in range(1 << len(inputs)):
        yield block_states(n, free, sum(1 << inputs[j] for j in range(len(inputs))
                                        if (a >> j) & 1))
