"""States and subspaces: how they are written, read and combined, in one place.

A *state* is an ``int`` bitmask: bit ``i`` is the value of ``names[i]``. Its text is one
character per node in node order (``"0110"``: character ``i`` is bit ``i``, not binary-number
order). A batch of states is a ``uint64`` numpy array.

A *subspace* (:class:`Space`) is a partial assignment: some nodes fixed at 0 or 1, the others
free. Its text has ``*`` for a free node (``"01*1"``); as bitmasks it is ``(on, free)``: the
nodes fixed ON, and the free ones.

Examples
--------
>>> state_to_str(6, 3), str_to_state("011")
('011', 6)
>>> subspace_of([1, 3], 3)
'1*0'
>>> sp = Space.parse("1*0")
>>> sp.on, sp.free, sp.size, sp.contains(3), str(sp)
(1, 2, 2, True, '1*0')
>>> Space.from_dict({"A": 1, "C": 0}, ("A", "B", "C")).to_dict(("A", "B", "C"))
{'A': 1, 'C': 0}
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError, UnknownNodeError

if TYPE_CHECKING:  # numpy and the Network load only when used
    import numpy as np
    import numpy.typing as npt

    from .expr import Expr
    from .network import Network

__all__ = ["state_to_str", "str_to_state", "subspace_of", "Space", "space_masks",
           "masks_to_str", "state_chars", "states_to_strings", "space_chars",
           "spaces_to_strings", "trap_closure", "closed_values"]


# ---------------------------------------------------------------- one state

def state_to_str(state: int, n: int) -> str:
    """``"0101..."`` with character i = bit i (node order, not binary-number order).

    >>> state_to_str(1, 3)
    '100'
    """
    # the binary numeral, most significant bit first, read backwards (C speed: a list of a
    # million fixed points is written in a second)
    return format(state, f"0{n}b")[::-1] if n > 0 else ""


def str_to_state(text: str) -> int:
    """Inverse of :func:`state_to_str` (any character but ``1`` reads as 0).

    >>> str_to_state("100")
    1
    """
    try:     # C speed: a million fixed points read in a second (str.replace scans for a
        # character it rarely finds far quicker than str.translate maps every one)
        return int(text[::-1].replace("*", "0").replace("-", "0"), 2) if text else 0
    except ValueError:
        return sum(1 << i for i, c in enumerate(text) if c == "1")


# ---------------------------------------------------------------- subspaces

def space_masks(text: str) -> tuple[int, int]:
    """``(on, free)`` bitmasks of a subspace string (``0``, ``1``, ``*`` or ``-`` per node).

    Raises
    ------
    InputError
        On another character.

    >>> space_masks("1*0")
    (1, 2)
    """
    on = free = 0
    for i, c in enumerate(text):
        if c == "1":
            on |= 1 << i
        elif c in "*-":
            free |= 1 << i
        elif c != "0":
            raise InputError(f"subspace '{text}': character {i + 1} is '{c}'; "
                             "expected 0, 1 or * per node")
    return on, free


def masks_to_str(on: int, free: int, n: int) -> str:
    """The subspace string of ``(on, free)`` bitmasks over ``n`` nodes.

    >>> masks_to_str(1, 2, 3)
    '1*0'
    """
    return "".join("*" if (free >> i) & 1 else ("1" if (on >> i) & 1 else "0")
                   for i in range(n))


def subspace_of(states: Iterable[int], n: int) -> str:
    """The smallest subspace holding all ``states``: constant nodes as 0/1, others ``*``.

    >>> subspace_of([0b01, 0b11], 2)
    '1*'
    """
    all_and, any_or = (1 << n) - 1, 0
    for s in states:
        all_and &= int(s)
        any_or |= int(s)
    return masks_to_str(all_and, any_or & ~all_and, n)


@dataclass(frozen=True)
class Space:
    """A subspace: a partial assignment of ``n`` nodes.

    Attributes
    ----------
    n : int
        Number of nodes.
    on : int
        Bitmask of the nodes fixed ON.
    free : int
        Bitmask of the free nodes (the others are fixed OFF unless in ``on``).
    """

    n: int
    on: int
    free: int

    @classmethod
    def parse(cls, text: str) -> Space:
        """From ``"01*1"`` (``-`` also means free)."""
        on, free = space_masks(text)
        return cls(len(text), on, free)

    @classmethod
    def from_dict(cls, values: Mapping[str, int | bool], names: Iterable[str]) -> Space:
        """From ``{node: 0/1}``; the nodes not named are free.

        Raises
        ------
        UnknownNodeError
            For a node not in ``names``.
        """
        names = tuple(names)
        index = {name: i for i, name in enumerate(names)}
        on, fixed = 0, 0
        for name, value in values.items():
            if name not in index:
                raise UnknownNodeError(name, names)
            fixed |= 1 << index[name]
            if value:
                on |= 1 << index[name]
        return cls(len(names), on, ((1 << len(names)) - 1) & ~fixed)

    @classmethod
    def of_states(cls, states: Iterable[int], n: int) -> Space:
        """The smallest subspace holding all ``states``."""
        return cls.parse(subspace_of(states, n))

    def to_dict(self, names: Iterable[str]) -> dict[str, int]:
        """``{node: 0/1}`` of the fixed nodes, in node order."""
        return {name: (self.on >> i) & 1 for i, name in enumerate(names)
                if not (self.free >> i) & 1}

    @property
    def fixed(self) -> int:
        """Bitmask of the fixed nodes."""
        return ((1 << self.n) - 1) & ~self.free

    @property
    def size(self) -> int:
        """Number of states in the subspace."""
        return 1 << bin(self.free).count("1")

    def contains(self, state: int) -> bool:
        """Whether ``state`` lies in the subspace."""
        return (state & self.fixed) == (self.on & self.fixed)

    def __str__(self) -> str:
        return masks_to_str(self.on, self.free, self.n)


# ---------------------------------------------------------------- numpy batches

def state_chars(states: npt.ArrayLike, n: int) -> np.ndarray:
    """The characters ``0``/``1`` (bytes) of a batch of states: a ``(len, n)`` uint8 array,
    column i = bit i. Past 64 nodes, ``states`` are Python integers.

    >>> import numpy as np
    >>> state_chars(np.array([1, 6], dtype=np.uint64), 3).tobytes()
    b'100011'
    >>> chr(state_chars([1 << 69], 70)[0, 69])
    '1'
    """
    import numpy as np

    if n > 64:      # (states past one machine integer: their bytes, lowest first)
        width = (n + 7) // 8
        data = b"".join(int(s).to_bytes(width, "little") for s in np.atleast_1d(states))
        arr = np.frombuffer(data, dtype=np.uint8).reshape(-1, width)
    else:
        arr = np.ascontiguousarray(states, dtype="<u8").view(np.uint8).reshape(-1, 8)
    bits = np.unpackbits(arr, axis=1, bitorder="little")
    out: np.ndarray = bits[:, :n] + np.uint8(ord("0"))
    return out


def chars_to_strings(chars: np.ndarray) -> np.ndarray:
    """``(len, n)`` ASCII bytes -> numpy str array ``<Un``.

    >>> import numpy as np
    >>> chars_to_strings(np.frombuffer(b"0110", dtype=np.uint8).reshape(2, 2)).tolist()
    ['01', '10']
    """
    import numpy as np

    n = chars.shape[1]
    if n == 0:
        return np.full(chars.shape[0], "", dtype="<U1")
    out: np.ndarray = np.ascontiguousarray(chars, dtype=np.uint32).view(f"<U{n}").ravel()
    return out


def states_to_strings(states: npt.ArrayLike, n: int) -> np.ndarray:
    """``"0101..."`` strings (character i = bit i) of a batch of states, as a numpy str array.

    >>> import numpy as np
    >>> states_to_strings(np.array([1, 6], dtype=np.uint64), 3).tolist()
    ['100', '011']
    """
    import numpy as np

    return chars_to_strings(state_chars(np.atleast_1d(states), n))


def space_chars(on: npt.ArrayLike, free: npt.ArrayLike, n: int) -> np.ndarray:
    """Subspace characters (``0``, ``1``, ``*``; bytes) from bitmasks of ON and of free
    nodes: a ``(len, n)`` uint8 array.

    >>> import numpy as np
    >>> space_chars(np.array([1], dtype=np.uint64), np.array([4], dtype=np.uint64), 3).tobytes()
    b'10*'
    """
    chars = state_chars(on, n)
    chars[state_chars(free, n) == ord("1")] = ord("*")
    return chars


def spaces_to_strings(on: npt.ArrayLike, free: npt.ArrayLike, n: int) -> np.ndarray:
    """Subspace strings (``0``, ``1``, ``*`` per node) from bitmasks of ON and of free nodes.

    >>> import numpy as np
    >>> spaces_to_strings(np.array([1], dtype=np.uint64), np.array([4], dtype=np.uint64), 3)
    array(['10*'], dtype='<U3')
    """
    import numpy as np

    return chars_to_strings(space_chars(np.atleast_1d(on), np.atleast_1d(free), n))


# ---------------------------------------------------------------- trap spaces

def _constant_on(rule: Expr, space: Mapping[str, bool]) -> bool | None:
    """The value of ``rule`` on every state of ``space`` (a partial assignment), or None
    when it takes both values there."""
    from .expr import Const, substitute, truth_table, variables

    rest = substitute(rule, space)
    if isinstance(rest, Const):
        return bool(rest.value)
    free = variables(rest)
    if len(free) <= 20:
        table = truth_table(rest, free)
        return bool(table[0]) if table.all() or not table.any() else None
    from .bdd import expr_to_bdd, new_manager

    mgr = new_manager(free)
    u = expr_to_bdd(mgr, rest)
    return True if u == mgr.true else False if u == mgr.false else None


def trap_closure(net: Network, subspace: str) -> str:
    """The smallest trap space holding ``subspace`` (a string in bit order): a node stays
    fixed only while its rule keeps its value on the whole space (:func:`closed_values`).

    >>> import logicbone as lb
    >>> trap_closure(lb.parse_bnet("A, !B\\nB, A\\nC, C | A"), "011")
    '**1'
    """
    fixed = {n: c == "1" for n, c in zip(net.names, subspace) if c != "*"}
    linked = {n: set(net.regulators(n)) | set(net.targets(n)) for n in net.names}
    kept = closed_values(fixed, lambda n, values: _constant_on(net.rules[n], values)
                         is values[n], linked)
    return "".join("*" if n not in kept else "1" if kept[n] else "0" for n in net.names)


def closed_values(fixed: Mapping[str, bool],
                  keeps: Callable[[str, Mapping[str, bool]], bool],
                  linked: Mapping[str, Iterable[str]]) -> dict[str, bool]:
    """The values of ``fixed`` that the smallest trap space holding it keeps: each node
    whose rule can take its other value on the space (``keeps(node, values)`` false) is
    freed, until none can. Every trap space holding ``fixed`` keeps what is left (a node
    freed can change from some state of it). A node is looked at again only once a node
    it reads is freed: ``linked[node]`` holds (at least) the nodes that read ``node``.
    """
    values = dict(fixed)
    todo = list(values)
    while todo:
        n = todo.pop()
        if n in values and not keeps(n, values):
            del values[n]
            todo.extend(m for m in linked[n] if m in values)
    return values
