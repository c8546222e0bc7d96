"""Compiled update kernels: every rule turned once into vectorised numpy bit operations.

A :class:`Kernel` works on batches of states held in unsigned integer arrays (bit ``i`` is
``names[i]``). Each rule becomes a truth table over its regulators (for small in-degree):
the regulator bits of a whole batch are gathered into an index and looked up in one call.
Rules with many regulators are evaluated on the bit arrays directly.

Examples
--------
>>> import numpy as np
>>> from logicbone.io.bnet import parse_bnet
>>> k = compile_network(parse_bnet("A, B\\nB, A & !C\\nC, C"))
>>> k.names, k.n
(('A', 'B', 'C'), 3)
>>> [int(x) for x in k.sync_successors(np.arange(8, dtype=np.uint64))]
[0, 2, 1, 3, 4, 4, 5, 5]
>>> [int(x) for x in k.changeable(np.array([0b001], dtype=np.uint64))]
[3]
>>> src, dst = k.async_successors(np.array([0b001], dtype=np.uint64))
>>> [int(x) for x in src], [int(x) for x in dst]
([1, 1], [0, 3])
"""
from __future__ import annotations

import logging

import numpy as np
import numpy.typing as npt

from ..errors import LogicboneError
from ..expr import Const, Expr, Var, evaluate, truth_table
from ..network import Network

__all__ = ["Kernel", "compile_network", "MAX_TABLE_INDEGREE"]

log = logging.getLogger(__name__)

#: rules with at most this many regulators are compiled into a lookup table
MAX_TABLE_INDEGREE = 14

#: states processed per batch by the whole-space helpers
CHUNK = 1 << 18


def _dtype_for(n: int) -> type:
    return np.uint32 if n <= 32 else np.uint64


class _Rule:
    """One compiled rule: ``kind`` is ``const``, ``copy`` (the value of one node), ``table``
    (lookup over the regulator bits) or ``expr`` (bitwise evaluation)."""

    __slots__ = ("kind", "value", "regs", "table", "expr", "names")

    def __init__(self, kind: str, value: bool = False, regs: tuple[int, ...] = (),
                 table: np.ndarray | None = None, expr: Expr | None = None,
                 names: tuple[str, ...] = ()) -> None:
        self.kind, self.value, self.regs, self.table = kind, value, regs, table
        self.expr, self.names = expr, names


class Kernel:
    """The compiled update functions of a network (at most 64 nodes).

    Parameters
    ----------
    net : Network

    Attributes
    ----------
    n : int
        Number of nodes (bits of a state).
    names : tuple of str
        Node names, in bit order.
    """

    def __init__(self, net: Network):
        if len(net.names) > 64:
            raise LogicboneError(
                f"the explicit engine holds states in 64-bit words; this network has "
                f"{len(net.names)} nodes (use a symbolic method)")
        self.names = net.names
        self.n = len(net.names)
        index = {name: i for i, name in enumerate(net.names)}
        self._rules: list[_Rule] = []
        for name in net.names:
            e = net.rules[name]
            if isinstance(e, Const):
                self._rules.append(_Rule("const", value=e.value))
            elif isinstance(e, Var):
                self._rules.append(_Rule("copy", regs=(index[e.name],)))
            else:
                regs = net.regulators(name)
                pos = tuple(index[r] for r in regs)
                if len(regs) <= MAX_TABLE_INDEGREE:
                    tt = truth_table(e, regs)
                    self._rules.append(_Rule("table", regs=pos, table=tt))
                else:
                    self._rules.append(_Rule("expr", regs=pos, expr=e, names=regs))
        self.const_mask = sum(1 << i for i, r in enumerate(self._rules) if r.kind == "const")
        self.const_on = sum(1 << i for i, r in enumerate(self._rules)
                            if r.kind == "const" and r.value)
        self._tables: dict[tuple[int, type], np.ndarray] = {}

    def __repr__(self) -> str:
        return f"<Kernel with {self.n} nodes>"

    # ------------------------------------------------------------ core
    def _typed_table(self, i: int, dt: type) -> np.ndarray:
        key = (i, dt)
        t = self._tables.get(key)
        if t is None:
            table = self._rules[i].table
            assert table is not None  # a "table" rule
            t = table.astype(dt) << dt(i)
            self._tables[key] = t
        return t

    def node_values(self, i: int, states: np.ndarray) -> np.ndarray:
        """The value (0/1, same dtype as ``states``) of node ``i``'s rule on every state."""
        dt = states.dtype.type
        r = self._rules[i]
        one = dt(1)
        out: np.ndarray
        if r.kind == "const":
            out = np.full(states.shape, int(r.value), dtype=dt)
        elif r.kind == "copy":
            out = (states >> dt(r.regs[0])) & one
        elif r.kind == "table" and r.table is not None:
            idx = np.empty(states.shape, dtype=dt)
            self._gather_index(r.regs, states, idx, np.empty_like(states), dt)
            out = r.table[idx].astype(dt)
        else:
            assert r.expr is not None  # an "expr" rule
            values = {name: ((states >> dt(p)) & one).astype(bool)
                      for name, p in zip(r.names, r.regs)}
            value = evaluate(r.expr, values)
            out = np.broadcast_to(np.asarray(value, dtype=dt), states.shape).copy()
        return out

    def sync_successors(self, states: np.ndarray) -> np.ndarray:
        """Synchronous successors of a batch of states (an unsigned integer array).

        Returns an array of the same dtype; states wider than the network are not allowed.
        """
        states = np.asarray(states)
        if states.dtype.kind != "u":
            states = states.astype(np.uint64)
        dt = states.dtype.type
        out = np.zeros(states.shape, dtype=dt)
        idx = np.empty(states.shape, dtype=dt)
        tmp = np.empty(states.shape, dtype=dt)
        for i, r in enumerate(self._rules):
            if r.kind == "const":
                if r.value:
                    out |= dt(1 << i)
            elif r.kind == "copy":
                shift = r.regs[0] - i
                if shift >= 0:
                    np.right_shift(states, dt(shift), out=tmp)
                else:
                    np.left_shift(states, dt(-shift), out=tmp)
                tmp &= dt(1 << i)
                out |= tmp
            elif r.kind == "table":
                self._gather_index(r.regs, states, idx, tmp, dt)
                out |= self._typed_table(i, dt)[idx]
            else:
                v = self.node_values(i, states)
                v <<= dt(i)
                out |= v
        return out

    @staticmethod
    def _gather_index(regs: tuple[int, ...], states: np.ndarray, idx: np.ndarray,
                      tmp: np.ndarray, dt: type) -> None:
        """``idx[:] = sum_j bit(states, regs[j]) << j`` without temporaries per regulator."""
        one = dt(1)
        first = True
        for j, p in enumerate(regs):
            np.right_shift(states, dt(p), out=tmp)
            tmp &= one
            if j:
                tmp <<= dt(j)
            if first:
                idx[...] = tmp
                first = False
            else:
                idx |= tmp
        if first:
            idx[...] = 0

    def changeable(self, states: np.ndarray) -> np.ndarray:
        """Bit ``i`` set where node ``i``'s rule differs from its current value."""
        states = np.asarray(states)
        if states.dtype.kind != "u":
            states = states.astype(np.uint64)
        out: np.ndarray = self.sync_successors(states) ^ states
        return out

    def async_successors(self, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Edges of the fully asynchronous transition graph leaving ``states``.

        Returns ``(sources, targets)``: one edge per node that can change, the target being
        the source with that node flipped. Edges are grouped by node, in node order.
        """
        states = np.asarray(states)
        if states.dtype.kind != "u":
            states = states.astype(np.uint64)
        dt = states.dtype.type
        change = self.changeable(states)
        src, dst = [], []
        for i in range(self.n):
            bit = dt(1 << i)
            sel = (change & bit) != 0
            s = states[sel]
            src.append(s)
            dst.append(s ^ bit)
        if not src:
            return states[:0], states[:0]
        return np.concatenate(src), np.concatenate(dst)

    # ------------------------------------------------------------ whole space
    def all_sync_successors(self, dtype: npt.DTypeLike | None = None) -> np.ndarray:
        """The synchronous successor of every state ``0 .. 2**n - 1``, in one array.

        ``dtype`` defaults to uint32 for up to 32 nodes (4 bytes per state), else uint64.
        """
        dt = np.dtype(dtype or _dtype_for(self.n)).type
        total = 1 << self.n
        out = np.empty(total, dtype=dt)
        for start in range(0, total, CHUNK):
            stop = min(total, start + CHUNK)
            out[start:stop] = self.sync_successors(np.arange(start, stop, dtype=dt))
        return out


def compile_network(net: Network) -> Kernel:
    """Compile each rule of ``net`` once into vectorised numpy operations.

    Parameters
    ----------
    net : Network
        At most 64 nodes.

    Returns
    -------
    Kernel

    Raises
    ------
    LogicboneError
        When the network has more than 64 nodes.

    Examples
    --------
    >>> import numpy as np, logicbone as lb
    >>> k = lb.compile_network(lb.parse_bnet("A, !B\\nB, A"))
    >>> [int(x) for x in k.sync_successors(np.arange(4, dtype=np.uint64))]
    [1, 3, 0, 2]
    """
    return Kernel(net)
