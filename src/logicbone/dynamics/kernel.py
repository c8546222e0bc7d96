"""Compiled update kernels: every rule turned once into vectorised numpy bit operations.

A :class:`Kernel` works on batches of states held in unsigned integer arrays (bit ``i`` is
``names[i]``). Each rule becomes a truth table over its regulators (for small in-degree):
the regulator bits of a whole batch are gathered into an index and looked up in one call.
Rules with many regulators are evaluated on the bit arrays directly.

The successors of the whole space (:meth:`Kernel.all_sync_successors`) are computed on bit
planes instead: 64 consecutive states per ``uint64`` word, one word array per node, each rule
evaluated once per word with bitwise and/or/not; the successor planes are then turned back
into one successor per state, eight nodes (one byte of every state) at a time.

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
from typing import Any, Union, cast

import numpy as np
import numpy.typing as npt

from ..errors import LogicboneError
from ..expr import And, Const, Expr, Not, Var, evaluate, fold, truth_table
from ..network import Network

__all__ = ["Kernel", "compile_network", "MAX_TABLE_INDEGREE"]

log = logging.getLogger(__name__)

#: rules with at most this many regulators are compiled into a lookup table
MAX_TABLE_INDEGREE = 14

#: states processed per batch by the whole-space helpers
CHUNK = 1 << 18

#: states per batch of the bit-plane pass (a multiple of 64)
PLANE_CHUNK = 1 << 20

#: the value of node i < 6 over 64 consecutive states (state 64w + s is bit s of word w)
_LOW_PLANES = tuple(sum(1 << s for s in range(64) if (s >> i) & 1) for i in range(6))
_ONES: np.uint64 = np.uint64(0xFFFFFFFFFFFFFFFF)
#: one node's values over a batch of 64-state words (a scalar when the same on all of them)
Plane = Union["np.ndarray[Any, np.dtype[np.uint64]]", np.uint64]
_ZERO: np.uint64 = np.uint64(0)


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
                    self._rules.append(_Rule("table", regs=pos, table=tt, expr=e, names=regs))
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
    def all_sync_successors(self, dtype: npt.DTypeLike | None = None, *,
                            planes: bool = True) -> np.ndarray:
        """The synchronous successor of every state ``0 .. 2**n - 1``, in one array.

        ``dtype`` defaults to uint32 for up to 32 nodes (4 bytes per state), else uint64.
        ``planes`` (the default) evaluates the rules on bit planes, 64 states per word;
        ``planes=False`` looks every state up in the rules' truth tables (same answer).
        """
        dt = np.dtype(dtype or _dtype_for(self.n)).type
        total = 1 << self.n
        out = np.empty(total, dtype=dt)
        if planes and self.n >= 6 and np.little_endian:
            words = PLANE_CHUNK // 64
            for start in range(0, total // 64, words):
                stop = min(total // 64, start + words)
                self._plane_successors(start, stop, out[64 * start:64 * stop])
            return out
        for start in range(0, total, CHUNK):
            stop = min(total, start + CHUNK)
            out[start:stop] = self.sync_successors(np.arange(start, stop, dtype=dt))
        return out

    def fixed_points(self) -> np.ndarray:
        """Every state that is its own synchronous successor, sorted (``uint64``).

        On bit planes: a word per 64 states holds, per node, whether its rule agrees with its
        value; the states where all nodes agree are read off the AND of these words.
        """
        total = 1 << self.n
        if self.n < 6 or not np.little_endian:
            states = np.arange(total, dtype=np.uint64)
            still: np.ndarray = states[self.sync_successors(states) == states]
            return still
        found: list[np.ndarray] = []
        words = PLANE_CHUNK // 64
        for start in range(0, total // 64, words):
            stop = min(total // 64, start + words)
            cache: dict[int, Plane] = {}
            agree = np.full(stop - start, _ONES)
            for i in range(self.n):
                same = np.invert(np.bitwise_xor(self._rule_plane(i, start, stop, cache),
                                                self._input_plane(i, start, stop, cache)))
                agree &= same
                if not agree.any():
                    break
            hit = np.flatnonzero(agree)
            if hit.size:
                bits = np.unpackbits(agree[hit].view(np.uint8).reshape(-1, 8), axis=1,
                                     bitorder="little")
                row, col = np.nonzero(bits)
                found.append((hit[row].astype(np.uint64) + np.uint64(start)) * np.uint64(64)
                             + col.astype(np.uint64))
        out: np.ndarray = np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)
        return out

    def _input_plane(self, i: int, start: int, stop: int, cache: dict[int, Plane]) -> Plane:
        """Node ``i``'s value on the states of words ``start .. stop`` (a scalar when it is
        the same on all of them)."""
        got = cache.get(i)
        if got is not None:
            return got
        plane: Plane
        if i < 6:
            plane = np.uint64(_LOW_PLANES[i])
        elif (start >> (i - 6)) == ((stop - 1) >> (i - 6)):
            plane = _ONES if (start >> (i - 6)) & 1 else _ZERO
        else:
            w = np.arange(start, stop, dtype=np.uint64)
            w >>= np.uint64(i - 6)
            w &= np.uint64(1)
            plane = np.negative(w)  # 1 -> all ones, 0 -> 0
        cache[i] = plane
        return plane

    def _rule_plane(self, i: int, start: int, stop: int,
                    cache: dict[int, Plane]) -> Plane:
        """Node ``i``'s next value on the states of words ``start .. stop``, as bit planes."""
        r = self._rules[i]
        if r.kind == "const":
            return _ONES if r.value else _ZERO
        if r.kind == "copy":
            return self._input_plane(r.regs[0], start, stop, cache)
        assert r.expr is not None
        where = dict(zip(r.names, r.regs))

        def leaf(e: Expr) -> Plane:
            if isinstance(e, Var):
                return self._input_plane(where[e.name], start, stop, cache)
            return _ONES if cast(Const, e).value else _ZERO

        def node(e: Expr, vals: list[Plane]) -> Plane:
            if isinstance(e, Not):
                return cast(Plane, np.invert(vals[0]))
            op = np.bitwise_and if isinstance(e, And) else np.bitwise_or
            acc = vals[0]
            for v in vals[1:]:
                acc = cast(Plane, op(acc, v))
            return acc

        out: Plane = fold(r.expr, leaf, node)
        return out

    def _plane_successors(self, start: int, stop: int, out: np.ndarray) -> None:
        """Successors of the states of words ``start .. stop`` (64 states each) into ``out``.

        Eight nodes at a time: byte ``b`` of each node's plane holds 8 states, so the eight
        planes form, per ``b``, an 8 x 8 bit matrix (node x state) packed in one word; its
        transpose holds, in byte ``j``, the eight successor bits of state ``8b + j``.
        """
        width = stop - start
        cache: dict[int, Plane] = {}
        rows = out.view(np.uint8).reshape(-1, out.dtype.itemsize)
        mat = np.empty(8 * width, dtype=np.uint64)
        cols = mat.view(np.uint8).reshape(-1, 8)
        tmp = np.empty_like(mat)
        for group in range(out.dtype.itemsize):
            if 8 * group >= self.n:
                rows[:, group] = 0
                continue
            for k in range(8):
                i = 8 * group + k
                if i >= self.n:
                    cols[:, k] = 0
                    continue
                plane = self._rule_plane(i, start, stop, cache)
                if np.ndim(plane) == 0:
                    plane = np.full(width, plane, dtype=np.uint64)
                cols[:, k] = np.ascontiguousarray(plane, dtype=np.uint64).view(np.uint8)
            _transpose8(mat, tmp)
            rows[:, group] = mat.view(np.uint8)


_T8 = ((np.uint64(7), np.uint64(0x00AA00AA00AA00AA)),
       (np.uint64(14), np.uint64(0x0000CCCC0000CCCC)),
       (np.uint64(28), np.uint64(0x00000000F0F0F0F0)))


def _transpose8(x: np.ndarray, t: np.ndarray) -> None:
    """Transpose, in place, the 8 x 8 bit matrix in each word (bit ``8r + c`` <-> ``8c + r``)."""
    for shift, mask in _T8:
        np.right_shift(x, shift, out=t)
        t ^= x
        t &= mask
        x ^= t
        t <<= shift
        x ^= t


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
