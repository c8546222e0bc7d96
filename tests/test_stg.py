"""The explicit state-transition graph: edges, attractors, reachability, quotient, size guard."""
from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from _helpers import BENCH, corpus_index
from logicbone.analysis.results import subspace_of
from logicbone.dynamics.scc import reach_sets
from logicbone.expr import Var, evaluate

NAMES = ("a", "b", "c", "d", "e")


@st.composite
def networks(draw):
    def rule(depth):
        if depth == 0 or draw(st.booleans()):
            return draw(st.sampled_from(NAMES))
        op = draw(st.sampled_from(["&", "|", "!"]))
        if op == "!":
            return f"!({rule(depth - 1)})"
        return f"({rule(depth - 1)} {op} {rule(depth - 1)})"
    n = draw(st.integers(2, 5))
    names = NAMES[:n]
    rules = []
    for name in names:
        text = rule(2)
        for other in NAMES[n:]:  # keep to the first n names
            text = text.replace(other, name)
        rules.append(f"{name}, {text}")
    return lb.parse_bnet("\n".join(rules))


def reference_stg(net, update):
    """Per-state reference: the STG as a networkx graph, built one state at a time."""
    n = len(net.names)
    g = nx.DiGraph()
    for s in range(1 << n):
        env = {name: bool((s >> i) & 1) for i, name in enumerate(net.names)}
        f = sum(1 << i for i, name in enumerate(net.names) if evaluate(net.rules[name], env))
        g.add_node(s)
        change = f ^ s
        if update == "sync":
            targets = [f] if f != s else []
        elif update == "async":
            targets = [s ^ (1 << i) for i in range(n) if (change >> i) & 1]
        else:
            targets = [s ^ m for m in range(1, 1 << n) if m & change == m]
        g.add_edges_from((s, t) for t in targets)
    return g


def as_sets(stg):
    states = [int(x) for x in stg.states]
    edges = {(states[a], states[b]) for a, b in zip(stg.src.tolist(), stg.dst.tolist())}
    return states, edges


@settings(max_examples=40, deadline=None)
@given(networks(), st.sampled_from(["sync", "async", "general"]))
def test_matches_per_state_reference(net, update):
    ref = reference_stg(net, update)
    stg = lb.state_transition_graph(net, update)
    states, edges = as_sets(stg)
    assert states == sorted(ref.nodes) and edges == set(ref.edges)
    assert stg.n_edges == len(edges)  # no duplicate edges
    # attractors are the terminal strong components
    want = sorted(sorted(c) for c in nx.attracting_components(ref))
    got = sorted(sorted(int(x) for x in stg.attractor_states(k)) for k in range(stg.n_attractors))
    assert got == want
    # every state reaches exactly the attractors its descendants contain
    for k in range(stg.n_attractors):
        target = int(stg.attractor_states(k)[0])
        can = stg.reaches(k)
        for i, s in enumerate(states):
            assert can[i] == (s == target or nx.has_path(ref, s, target))


@settings(max_examples=25, deadline=None)
@given(networks(), st.sampled_from(["sync", "async", "general"]), st.data())
def test_from_gives_the_reachable_part(net, update, data):
    n = len(net.names)
    start = data.draw(st.integers(0, (1 << n) - 1))
    ref = reference_stg(net, update)
    stg = lb.state_transition_graph(net, update, initial=[lb.state_to_str(start, n)])
    states, edges = as_sets(stg)
    assert set(states) == nx.descendants(ref, start) | {start}
    assert edges == set(ref.subgraph(states).edges)


@settings(max_examples=25, deadline=None)
@given(networks(), st.sampled_from(["sync", "async", "general"]))
def test_quotient_is_the_condensation(net, update):
    ref = reference_stg(net, update)
    cond = nx.condensation(ref)
    q = lb.stg_quotient(net, update)
    assert q.n_states == 1 << len(net.names)
    assert q.n_components == cond.number_of_nodes()
    assert q.n_edges == cond.number_of_edges()
    assert sorted(q.size.tolist()) == sorted(len(m) for _, m in cond.nodes(data="members"))
    assert int(q.transitions.sum()) == sum(
        1 for u, v in ref.edges if cond.graph["mapping"][u] != cond.graph["mapping"][v])
    assert q.n_attractors == sum(1 for c in cond if cond.out_degree(c) == 0)
    assert all(q.subspace[i].count("*") <= len(net.names) for i in range(q.n_components))


@st.composite
def networks_with_inputs(draw):
    """Random networks with some nodes made inputs (``x, x``): quotients built block by block."""
    net = draw(networks())
    made = draw(st.sets(st.sampled_from(net.names), max_size=2))
    return lb.Network.from_rules({**net.rules, **{x: Var(x) for x in made}})


def check_quotient(q, ref, n):
    """Every part of the quotient ``q`` against the condensation of the networkx graph ``ref``."""
    cond = nx.condensation(ref)
    where = cond.graph["mapping"]
    members = {c: sorted(m) for c, m in cond.nodes(data="members")}
    comp = [where[int(r)] for r in q.representative]  # q component -> condensation node
    assert sorted(comp) == sorted(cond.nodes)
    sinks = {c for c in cond if cond.out_degree(c) == 0}
    attractor_of = {int(q.attractor[i]): comp[i] for i in range(q.n_components)
                    if q.attractor[i] >= 0}
    assert set(attractor_of.values()) == sinks and len(attractor_of) == len(sinks)
    for i, c in enumerate(comp):
        assert int(q.representative[i]) == members[c][0]
        assert int(q.size[i]) == len(members[c])
        assert q.subspace[i] == subspace_of(members[c], n)
        assert (q.attractor[i] >= 0) == (c in sinks)
        reached = {k for k in range(q.n_attractors)
                   if (int(q.reach[i, k // 64]) >> (k % 64)) & 1}
        assert {attractor_of[k] for k in reached} == (nx.descendants(cond, c) | {c}) & sinks
    # edges: one per pair of components, with the STG edges they stand for
    got = {(comp[a], comp[b]): (int(t), int(m)) for a, b, t, m in
           zip(q.src.tolist(), q.dst.tolist(), q.transitions.tolist(), q.changed.tolist())}
    assert len(got) == q.n_edges
    want = {}
    for u, v in ref.edges:
        cu, cv = where[u], where[v]
        if cu != cv:
            t, m = want.get((cu, cv), (0, 0))
            want[(cu, cv)] = (t + 1, m | (u ^ v))
    assert got == want
    # sorted by source, then target
    assert sorted(zip(q.src.tolist(), q.dst.tolist())) == list(zip(q.src.tolist(),
                                                                q.dst.tolist()))


@settings(max_examples=40, deadline=None)
@given(networks_with_inputs(), st.sampled_from(["sync", "async", "general"]))
def test_quotient_nodes_and_edges_match_the_condensation(net, update):
    ref = reference_stg(net, update)
    q = lb.stg_quotient(net, update)
    check_quotient(q, ref, len(net.names))


@settings(max_examples=15, deadline=None)
@given(networks_with_inputs(), st.sampled_from(["sync", "async", "general"]))
def test_quotient_without_packed_keys_is_the_same(net, update):
    from logicbone.dynamics import quotient
    q = lb.stg_quotient(net, update)
    saved = quotient._KEY_BITS
    quotient._KEY_BITS = 0  # every block sorts its edges indirectly
    try:
        other = lb.stg_quotient(net, update)
    finally:
        quotient._KEY_BITS = saved
    for field in ("size", "representative", "fixed_on", "varying", "attractor", "reach", "src",
                  "dst", "transitions", "changed"):
        assert np.array_equal(getattr(q, field), getattr(other, field)), field


@settings(max_examples=25, deadline=None)
@given(networks_with_inputs(), st.sampled_from(["sync", "async", "general"]), st.data())
def test_quotient_from_states_is_the_condensation_of_the_reachable_part(net, update, data):
    n = len(net.names)
    start = data.draw(st.integers(0, (1 << n) - 1))
    ref = reference_stg(net, update)
    part = ref.subgraph(nx.descendants(ref, start) | {start}).copy()
    q = lb.stg_quotient(net, update, initial=[lb.state_to_str(start, n)])
    assert q.n_states == part.number_of_nodes()
    check_quotient(q, part, n)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_reach_methods_agree_with_descendants(data):
    # a random DAG (edges from higher to lower numbers) with up to ~150 sinks: several words
    count = data.draw(st.integers(1, 160))
    raw = data.draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)),
                             max_size=250))
    pairs = sorted({(max(a, b), min(a, b)) for a, b in raw if a != b})
    g = nx.DiGraph()
    g.add_nodes_from(range(count))
    g.add_edges_from(pairs)
    sinks = np.array(data.draw(st.permutations([v for v in range(count)
                                                if g.out_degree(v) == 0])), dtype=np.int64)
    csrc = np.array([a for a, _ in pairs], dtype=np.int64)
    cdst = np.array([b for _, b in pairs], dtype=np.int64)
    index = {int(s): k for k, s in enumerate(sinks)}
    for method in ("auto", "search", "levels"):
        reach = reach_sets(count, csrc, cdst, sinks, method)
        assert reach.shape == (count, max(1, (sinks.size + 63) // 64))
        for v in range(count):
            want = {index[s] for s in nx.descendants(g, v) | {v} if s in index}
            got = {k for k in range(sinks.size) if (int(reach[v, k // 64]) >> (k % 64)) & 1}
            assert got == want, (method, v)


@pytest.mark.parametrize("update", ["sync", "async", "general"])
@pytest.mark.parametrize("n", [6, 34], ids=["uint32", "uint64"])
def test_block_edges_are_the_transitions_of_the_block(n, update):
    from logicbone.dynamics import transitions
    rules = {f"x{i}": f"x{(i + 1) % n} & !x{(i + 3) % n} | x{(i + 5) % n}" for i in range(n)}
    inputs = [i for i in range(n) if i % 7 != 3] if n > 6 else [0]  # free: 3, 10, 17, ...
    text = "\n".join(f"x{i}, {'x' + str(i) if i in inputs else rules[f'x{i}']}"
                     for i in range(n))
    net = lb.parse_bnet(text)
    kernel = lb.compile_network(net)
    free = [i for i in range(n) if i not in inputs]
    fixed = sum(1 << i for i in inputs[::3])
    states = transitions.block_states(n, free, fixed)
    assert np.array_equal(states, np.sort(states)) and len(set(states.tolist())) == 1 << len(free)
    src, dst, moved, _ = transitions.block_edges(kernel, states, lb.Update.parse(update), free)
    got = sorted(zip(states[src].tolist(), states[dst].tolist(), moved.tolist()))
    a, b = transitions.successors(kernel, states, lb.Update.parse(update))
    want = sorted(zip(a.tolist(), b.tolist(), (a ^ b).tolist()))
    assert got == want and len(got) > 0


def test_size_guard_names_collapse():
    net = lb.parse_bnet("\n".join(f"x{i}, x{(i + 1) % 12}" for i in range(12)))
    with pytest.raises(lb.StateSpaceTooLarge, match="--collapse"):
        lb.state_transition_graph(net, "async", limit=1000)
    with pytest.raises(lb.StateSpaceTooLarge, match="reachable"):
        lb.state_transition_graph(net, "general", initial=["1" + "0" * 11], limit=100)
    # the quotient is not bound by that limit
    q = lb.stg_quotient(net, "sync")
    assert q.n_states == 4096 and q.n_attractors == 352  # necklaces of 12 beads


def test_quotient_refusals_name_what_helps():
    net = lb.parse_bnet("\n".join(f"x{i}, !x{(i + 1) % 12}" for i in range(12)))
    with pytest.raises(lb.StateSpaceTooLarge, match="--inputs") as err:
        lb.stg_quotient(net, "sync", block_limit=1000)
    assert "--collapse" not in str(err.value)
    with pytest.raises(lb.StateSpaceTooLarge, match="reachable") as err:
        lb.stg_quotient(net, "async", initial=["1" * 12], block_limit=100)
    assert "--collapse" not in str(err.value) and "--fix" in str(err.value)


def test_quotient_works_block_by_block():
    # 4 inputs and 16 other nodes: 2^20 states, beyond a limit of 2^18, in 16 blocks of 2^16
    inputs = [f"i{k}" for k in range(4)]
    rules = [f"{x}, {x}" for x in inputs]
    rules += [f"v{k}, i{k % 4} | !v{(k + 1) % 16}" for k in range(16)]
    net = lb.parse_bnet("\n".join(rules))
    with pytest.raises(lb.StateSpaceTooLarge):
        lb.state_transition_graph(net, "sync", limit=1 << 18)
    q = lb.stg_quotient(net, "sync", block_limit=1 << 16)
    assert q.n_states == 1 << 20
    assert int(q.size.sum()) == 1 << 20
    # every component lies inside one assignment of the inputs
    assert all(set(s[:4]) <= {"0", "1"} for s in q.subspace.tolist())


def _sorted_order(net):
    return sorted(range(len(net.names)), key=lambda i: net.names[i])


def _small(question, max_nodes):
    path = BENCH / "expected" / f"{question}.jsonl"
    if not path.exists():
        return []
    small = {r["file"] for r in corpus_index() if int(r["nodes"]) <= max_nodes}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["file"] in small and r.get("solved")][:12]


@pytest.mark.corpus_sample
@pytest.mark.reference
@pytest.mark.parametrize("ref", _small("sync_attractors", 12), ids=lambda r: r["file"])
def test_sync_attractors_match_boolnet(ref):
    net = lb.read_network(BENCH / ref["file"], undefined="input")
    order = _sorted_order(net)
    stg = lb.state_transition_graph(net, "sync")
    n = len(net.names)

    def key(s):
        text = lb.state_to_str(int(s), n)
        return "".join(text[i] for i in order)
    got = [key(stg.attractor_states(k)[0]) if stg.attractor_states(k).size == 1
           else sorted(key(s) for s in stg.attractor_states(k))
           for k in range(stg.n_attractors)]
    want = sorted(ref["list"], key=lambda x: (isinstance(x, list), x))
    assert sorted(got, key=lambda x: (isinstance(x, list), x)) == want


@pytest.mark.corpus_sample
@pytest.mark.reference
@pytest.mark.parametrize("ref", [r for r in _small("async_attractors", 12) if "attractors" in r],
                         ids=lambda r: r["file"])
def test_async_attractors_match_biobalm(ref):
    net = lb.read_network(BENCH / ref["file"], undefined="input")
    order = _sorted_order(net)
    res = lb.explicit_attractors(net, "async")
    got = sorted(("".join(a.subspace[i] for i in order), a.size) for a in res.attractors)
    want = sorted((a["hull"], a["size"]) for a in ref["attractors"])
    assert got == want
