"""Trajectories: the state sequence from one state under an update scheme.

Synchronous update is deterministic. Asynchronous update is a seeded random walk: at each
step one node is drawn uniformly among those whose rule disagrees with their value (general
asynchronous: a uniformly drawn non-empty subset of them). A state with no such node is a
fixed point, where the walk stays.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, !B\\nB, A")
>>> [lb.state_to_str(s, 2) for s in simulate(net, "sync", 0, 4)]
['00', '10', '11', '01', '00']
>>> parse_state("B=1", net.names)
2
"""
from __future__ import annotations

import numpy as np

from ..errors import LogicboneError
from ..network import Network
from .kernel import compile_network
from .update import Update

__all__ = ["simulate", "parse_state"]


def parse_state(text: str, names) -> int:
    """A state from ``"0110"`` (character i = ``names[i]``) or ``"A=1,B=0"`` (others 0).

    Raises
    ------
    LogicboneError
        On a string of the wrong length or an unknown node.
    """
    from ..errors import UnknownNodeError
    from ..perturb import parse_assignments

    text = text.strip()
    names = tuple(names)
    if text and set(text) <= {"0", "1"} and "=" not in text:
        if len(text) != len(names):
            raise LogicboneError(f"state '{text}' has {len(text)} characters; the network has "
                                 f"{len(names)} nodes (one 0/1 per node, in node order)")
        return sum(1 << i for i, c in enumerate(text) if c == "1")
    values = parse_assignments(text)
    index = {n: i for i, n in enumerate(names)}
    state = 0
    for name, v in values.items():
        if name not in index:
            raise UnknownNodeError(name, names)
        if v:
            state |= 1 << index[name]
    return state


def simulate(net: Network, update: Update | str, start_state: int, steps: int,
             seed: int | None = 0) -> list[int]:
    """The trajectory of ``steps`` updates from ``start_state``.

    Parameters
    ----------
    net : Network
        Any size, as long as at most 64 nodes can change from the start (the others keep
        their start values: the smallest trap space holding the start fixes them).
    update : Update or str
        ``sync``, ``async`` or ``general``.
    start_state : int
        Bit i = ``net.names[i]``.
    steps : int
        Number of updates; the result has ``steps + 1`` states.
    seed : int or None
        Seed of the :class:`numpy.random.Generator` (asynchronous choices only).

    Returns
    -------
    list of int

    Raises
    ------
    LogicboneError
        On a negative number of steps, most permissive update, or a state out of range.
    """
    update = Update.parse(update)
    if update is Update.MOST_PERMISSIVE:
        raise LogicboneError("simulation needs sync, async or general update")
    if steps < 0:
        raise LogicboneError("the number of steps must be at least 0")
    n = len(net.names)
    if not 0 <= int(start_state) < (1 << n):
        raise LogicboneError(f"state {start_state} does not fit in {n} nodes")
    if n > 64:  # the nodes that can move from the start, within the 64 bits of the kernel
        from .response import restrict_to_moving

        sub, moving, base = restrict_to_moving(net, [int(start_state)])
        if len(sub.names) < n:
            start = sum(1 << j for j, i in enumerate(moving) if (int(start_state) >> i) & 1)
            return [base | sum(1 << i for j, i in enumerate(moving) if (s >> j) & 1)
                    for s in simulate(sub, update, start, steps, seed)]
    kernel = compile_network(net)
    rng = np.random.default_rng(seed)
    state = np.array([start_state], dtype=np.uint64)
    out = [int(start_state)]
    for _ in range(steps):
        succ = kernel.sync_successors(state)
        if update is not Update.SYNCHRONOUS:
            change = int((succ ^ state)[0])
            if change:
                bits = [i for i in range(n) if (change >> i) & 1]
                if update is Update.ASYNCHRONOUS:
                    flip = 1 << bits[int(rng.integers(len(bits)))]
                else:
                    pick = int(rng.integers(1, 1 << len(bits)))
                    flip = sum(1 << b for j, b in enumerate(bits) if (pick >> j) & 1)
                succ = state ^ np.uint64(flip)
            else:
                succ = state
        state = succ
        out.append(int(state[0]))
    return out
