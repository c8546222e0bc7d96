"""Seeded random Boolean networks: null models for modellers, and test and benchmark inputs.

Examples
--------
>>> net = random_network(6, 2, seed=1, inputs=1)
>>> net.names, net.inputs
(('x0', 'x1', 'x2', 'x3', 'x4', 'x5'), ('x0',))
>>> random_network(6, 2, seed=1, inputs=1) == net
True
"""
from __future__ import annotations

import numpy as np

from .errors import UsageError
from .expr import FALSE, TRUE, Expr, Not, Var, mk_and, mk_or
from .network import Network

__all__ = ["random_network"]


def random_network(n: int, k: int | tuple[int, int], seed: int | None = None, *,
                   inputs: int = 0, constant_rules: bool = True,
                   prefix: str = "x") -> Network:
    """A random N-K network: each non-input node has ``k`` distinct random regulators and a
    uniformly random truth table over them (any Boolean function, monotone or not).

    Parameters
    ----------
    n : int
        Number of nodes, named ``x0 .. x{n-1}`` (with ``prefix``).
    k : int or (int, int)
        In-degree, or an inclusive range drawn uniformly per node.
    seed : int, optional
        Seed of the numpy Generator: the same seed gives the same network.
    inputs : int
        The first ``inputs`` nodes are inputs (their rule is themselves).
    constant_rules : bool
        Allow constant truth tables; with ``False`` they are drawn again, so that nothing
        percolates and the whole state space stays free.
    prefix : str
        Node name prefix.

    Raises
    ------
    UsageError
        On ``k`` outside 0..n or ``inputs`` outside 0..n.
    """
    kmin, kmax = (k, k) if isinstance(k, int) else k
    if not (0 <= kmin <= kmax <= n) or not 0 <= inputs <= n:
        raise UsageError(f"random network: need 0 <= k <= n and 0 <= inputs <= n (n={n}, k={k}, "
                         f"inputs={inputs})")
    rng = np.random.default_rng(seed)
    names = [f"{prefix}{i}" for i in range(n)]
    rules: dict[str, Expr] = {}
    for i, name in enumerate(names):
        if i < inputs:
            rules[name] = Var(name)
            continue
        deg = int(rng.integers(kmin, kmax + 1))
        regs = sorted(int(r) for r in rng.choice(n, size=deg, replace=False))
        table = rng.integers(0, 2, size=1 << deg)
        while not constant_rules and deg and table.min() == table.max():
            table = rng.integers(0, 2, size=1 << deg)
        if deg == 0:
            rules[name] = TRUE if table[0] else FALSE
            continue
        rules[name] = mk_or(mk_and(Var(names[r]) if (row >> j) & 1 else Not(Var(names[r]))
                                   for j, r in enumerate(regs))
                            for row in np.flatnonzero(table))
    return Network.from_rules(rules)
