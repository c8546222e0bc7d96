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
