"""What the tests share: where the repository, the shipped models and the benchmark corpus
are; the reference answers on the corpus; seeded random networks; and per-state reference
code (one state at a time, for small networks) that the vectorised engines are checked
against. Test modules import from here, never from each other."""
from __future__ import annotations

import csv
import hashlib
import json
import random
from pathlib import Path

import networkx as nx

import logicbone as lb
from logicbone.analysis.results import Attractor, AttractorResult
from logicbone.expr import evaluate
from logicbone.space import subspace_of

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
BENCH = ROOT.parent / "shared" / "benchmarks"


def corpus_index() -> list[dict]:
    """Every row of the corpus index files (empty if the corpus is not next to the checkout)."""
    rows = []
    for sub in ("bbm", "pyboolnet_repo", "related"):
        idx = BENCH / sub / "index.csv"
        if idx.exists():
            with open(idx, newline="") as fh:
                rows += list(csv.DictReader(fh))
    return rows


# ------------------------------------------------------------ reference answers on the corpus
# (../shared/benchmarks/expected), in the node order they use (sorted names)

EXPECTED = BENCH / "expected"


def expected(question: str) -> dict[str, dict]:
    path = EXPECTED / f"{question}.jsonl"
    if not path.exists():
        return {}
    with open(path) as fh:
        return {r["file"]: r for r in map(json.loads, fh)}


def digest(strings) -> str:
    return hashlib.sha256("\n".join(sorted(strings)).encode()).hexdigest()


def fast_subset(question: str, max_seconds: float = 3.0, max_count: int = 2000,
                max_nodes: int = 120, every: int = 4) -> list[str]:
    """A spread of solved models that the reference answered quickly: every ``every``-th."""
    rows = [r for r in expected(question).values()
            if r["solved"] and r["seconds_total"] <= max_seconds and r["count"] <= max_count]
    out = []
    for r in sorted(rows, key=lambda r: r["file"]):
        path = BENCH / r["file"]
        try:
            n = sum(1 for line in open(path) if "," in line and not line.startswith("#"))
        except OSError:
            continue
        if n <= max_nodes:
            out.append(r["file"])
    return out[::every]


#: solved models that logicbone does not answer within 60 s yet, with why: they stay in the
#: corpus tests as expected failures (not strict: an answer turns them into XPASS)
NOT_YET: dict[str, str] = {}


def corpus_params(files):
    """pytest parameters for corpus files, those in :data:`NOT_YET` marked xfail."""
    import pytest
    return [pytest.param(f, marks=pytest.mark.xfail(reason=NOT_YET[f], strict=False))
            if f in NOT_YET else f for f in files]


# ------------------------------------------------------------ seeded random networks
#: a network whose one cyclic attractor lies in no minimal trap space (motif-avoidant)
MOTIF_AVOIDANT = "A, !A & !B | C\nB, !A & !B | C\nC, A & B"


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



def random_nk(n: int, k: int, seed: int) -> lb.Network:
    """A random N-K network: each node has ``k`` distinct regulators and a random rule."""
    return lb.random_network(n, min(k, n), seed)


def step(net: lb.Network, state: int) -> int:
    """Synchronous successor, one state at a time (reference code)."""
    values = {name: bool((state >> i) & 1) for i, name in enumerate(net.names)}
    return sum(1 << i for i, name in enumerate(net.names) if evaluate(net.rules[name], values))



# ------------------------------------------------------------ per-state reference code

def async_graph(net) -> nx.DiGraph:
    """The explicit asynchronous state-transition graph (reference code: a per-state loop)."""
    names = net.names
    g = nx.DiGraph()
    for s in range(1 << len(names)):
        g.add_node(s)
        values = {v: bool((s >> i) & 1) for i, v in enumerate(names)}
        for i, v in enumerate(names):
            if bool(lb.expr.evaluate(net.rules[v], values)) != values[v]:
                g.add_edge(s, s ^ (1 << i))
    return g


def successor(net, s: int) -> int:
    vals = {m: bool(s >> i & 1) for i, m in enumerate(net.names)}
    return sum(1 << i for i, m in enumerate(net.names) if evaluate(net.rules[m], vals))


def enumerate_attractors(net, update: str = "asynchronous") -> AttractorResult:
    """Attractors by walking every state one at a time (small networks only)."""
    n = len(net.names)
    succ = [successor(net, s) for s in range(1 << n)]
    atts = []
    if update == "synchronous":
        seen = set()
        for s in range(1 << n):
            path = []
            x = s
            while x not in seen and x not in path:
                path.append(x)
                x = succ[x]
            if x in path:  # a new cycle, in update order from its smallest state
                cyc = path[path.index(x):]
                k = cyc.index(min(cyc))
                cyc = cyc[k:] + cyc[:k]
                kind = "fixed_point" if len(cyc) == 1 else "cycle"
                atts.append(Attractor(kind, len(cyc), subspace_of(cyc, n), tuple(cyc)))
            seen.update(path)
    else:
        g = nx.DiGraph()
        g.add_nodes_from(range(1 << n))
        for s in range(1 << n):
            diff = s ^ succ[s]
            for i in range(n):
                if diff >> i & 1:
                    g.add_edge(s, s ^ (1 << i))
        for comp in nx.attracting_components(g):
            states = tuple(sorted(comp))
            kind = "fixed_point" if len(states) == 1 else "complex"
            atts.append(Attractor(kind, len(states), subspace_of(states, n), states))
    return AttractorResult("", net.names, update, "reference", True, tuple(atts))


#: a five-node IGF-1/Akt/mTOR model in bnet, for the command-line tests
SMALL_BNET = "targets, factors\nIGF1, IGF1\nAkt, IGF1\nmTOR, Akt & !AMPK\nAMPK, AMPK\nS6K, mTOR\n"


def small_model_file(tmp_path: Path) -> Path:
    """:data:`SMALL_BNET` written to ``tmp_path/m.bnet``."""
    p = tmp_path / "m.bnet"
    p.write_text(SMALL_BNET)
    return p
