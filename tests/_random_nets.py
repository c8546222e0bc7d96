"""Seeded random Boolean networks for property tests and cross-checks."""
from __future__ import annotations

import random


def random_bnet(n: int, seed: int, max_k: int = 3, p_input: float = 0.15) -> str:
    """bnet text of a random network: each node has 1..max_k regulators and a random truth
    table (any Boolean function, monotone or not); some nodes are inputs."""
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(n)]
    lines = []
    for name in names:
        if rng.random() < p_input:
            lines.append(f"{name}, {name}")
            continue
        k = rng.randint(1, min(max_k, n))
        regs = rng.sample(names, k)
        table = [rng.random() < 0.5 for _ in range(1 << k)]
        if not any(table):
            rule = "0"
        elif all(table):
            rule = "1"
        else:
            terms = []
            for row, val in enumerate(table):
                if val:
                    terms.append(" & ".join(r if (row >> j) & 1 else f"!{r}"
                                            for j, r in enumerate(regs)))
            rule = " | ".join(f"({t})" for t in terms)
        lines.append(f"{name}, {rule}")
    return "\n".join(lines) + "\n"


def random_formula_bnet(seed: int, n: int, k: int = 3) -> str:
    """bnet text of a random network whose rules are random and/or/not chains of <= k
    literals (some rules constant or the node itself): formula-shaped, unlike the truth
    tables of :func:`random_bnet`."""
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(n)]
    lines = []
    for v in names:
        regs = rng.sample(names, rng.randint(1, min(k, n)))
        lits = [("!" if rng.random() < 0.4 else "") + r for r in regs]
        expr = lits[0]
        for lit in lits[1:]:
            expr = f"({expr} {'&' if rng.random() < 0.5 else '|'} {lit})"
        if rng.random() < 0.1:
            expr = rng.choice(["0", "1", v])
        lines.append(f"{v}, {expr}")
    return "\n".join(lines)

