"""Trap spaces: brute force on small random networks, mpbn, and the corpus answers."""
from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.expr import evaluate
from logicbone.parallel import can_fork

from _helpers import BENCH, digest, expected, fast_subset, random_bnet


def _states(space: str):
    free = [i for i, c in enumerate(space) if c == "*"]
    for bits in itertools.product((0, 1), repeat=len(free)):
        s = list(space)
        for i, b in zip(free, bits):
            s[i] = str(b)
        yield "".join(s)


def _brute_is_trap(net, space: str) -> bool:
    for state in _states(space):
        values = {n: c == "1" for n, c in zip(net.names, state)}
        for i, n in enumerate(net.names):
            nxt = bool(evaluate(net.rules[n], values))
            if space[i] != "*" and nxt != (space[i] == "1"):
                return False
    return True


def _inside(a: str, b: str) -> bool:
    """Subspace a lies inside subspace b."""
    return all(y == "*" or x == y for x, y in zip(a, b))


def _brute(net):
    traps = [s for s in map("".join, itertools.product("01*", repeat=len(net.names)))
             if _brute_is_trap(net, s)]
    mins = sorted(t for t in traps if not any(u != t and _inside(u, t) for u in traps))
    full = "*" * len(net.names)
    proper = [t for t in traps if t != full]
    maxs = sorted(t for t in proper if not any(u != t and _inside(t, u) for u in proper))
    return sorted(traps), mins, maxs


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2, max_value=5), st.integers(min_value=0, max_value=10**6))
def test_trap_spaces_match_brute_force(n, seed):
    net = lb.parse_bnet(random_bnet(n, seed))
    traps, mins, maxs = _brute(net)
    assert list(lb.trap_spaces(net, "all")) == traps
    assert list(lb.trap_spaces(net, "min")) == mins
    assert list(lb.trap_spaces(net, "max")) == maxs
    for t in traps[:10]:
        assert lb.is_trap_space(net, t)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_minimal_trap_spaces_are_minimal(seed):
    net = lb.parse_bnet(random_bnet(9, seed))
    mins = list(lb.trap_spaces(net, "min"))
    assert mins
    for m in mins:
        assert lb.is_trap_space(net, m)
        # no smaller trap space inside: fixing any free node to either value breaks it
        # for every proper sub-trap-space (checked on the solver's own list of all traps)
    traps = set(lb.trap_spaces(net, "all")) if len(net.names) <= 9 else set()
    for m in mins:
        assert not any(t != m and _inside(t, m) for t in traps)


def test_is_trap_space_inputs():
    net = lb.parse_bnet("A, !B\nB, !A")
    assert lb.is_trap_space(net, {"A": 1, "B": 0})
    assert not lb.is_trap_space(net, {"A": 1})
    with pytest.raises(lb.LogicboneError):
        lb.is_trap_space(net, "1")
    with pytest.raises(lb.UnknownNodeError):
        lb.is_trap_space(net, {"Z": 1})


def test_limit_and_result_contract():
    net = lb.parse_bnet("\n".join(f"I{i}, I{i}" for i in range(6)))
    r = lb.trap_spaces(net, "min", limit=5, model="m")
    assert len(r) == 5 and not r.complete and r.reason == "limit"
    d = r.to_dict()
    assert d["model"] == "m" and d["nodes"] == list(net.names) and d["kind"] == "min"
    assert d["complete"] is False and len(d["trap_spaces"]) == 5
    full = lb.trap_spaces(net, "min")
    assert full.complete and len(full) == 64 and set(r) <= set(full)
    assert lb.count_trap_spaces(net, "min") == 64


def test_unknown_kind():
    with pytest.raises(lb.LogicboneError, match="kind"):
        lb.trap_spaces(lb.parse_bnet("A, A"), "smallest")


def test_most_permissive_attractors():
    net = lb.parse_bnet("A, !B\nB, A\nC, C")
    res = lb.attractors(net, "mp")
    assert res.update == "most_permissive" and res.complete
    got = {(a.type, a.subspace, a.size) for a in res.attractors}
    assert got == {("complex", "**0", 4), ("complex", "**1", 4)}
    for a in res.attractors:
        assert len(a.states) == a.size


@pytest.mark.reference
@pytest.mark.parametrize("seed", range(8))
def test_min_trap_spaces_match_mpbn(seed):
    mpbn = pytest.importorskip("mpbn")
    text = random_bnet(14, seed, max_k=3)
    net = lb.parse_bnet(text)
    rules = {n: lb.to_text(net.rules[n]) for n in net.names}
    bn = mpbn.MPBooleanNetwork(rules)
    theirs = sorted("".join(str(a[n]) for n in net.names) for a in bn.attractors())
    assert list(lb.trap_spaces(net, "min")) == theirs


@pytest.mark.corpus_sample
@pytest.mark.parametrize("file", fast_subset("min_trap_spaces"))
def test_corpus_min_trap_spaces(file):
    ref = expected("min_trap_spaces")[file]
    net = lb.read_network(BENCH / file)
    res = lb.trap_spaces(net.reorder(sorted(net.names)), "min", timeout=60)
    assert res.complete
    assert len(res) == ref["count"]
    assert digest(res) == ref["sha256"]


def test_cli_trap_spaces(tmp_path):
    from logicbone_cli.main import cli

    model = tmp_path / "toggle.bnet"
    model.write_text("A, !B\nB, !A\nC, A & C\n")
    r = CliRunner().invoke(cli, ["trap-spaces", str(model), "--min", "--format", "json"])
    assert r.exit_code == 0, r.output
    import json
    data = json.loads(r.stdout)
    assert data["kind"] == "min" and data["trap_spaces"] == ["010", "100", "101"]
    r = CliRunner().invoke(cli, ["trap-spaces", str(model), "--min", "-j", "2",
                                 "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == data
    r = CliRunner().invoke(cli, ["trap-spaces", str(model), "--max", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "A,B,C"
    assert len(r.stdout.splitlines()) == 4
    r = CliRunner().invoke(cli, ["trap-spaces", str(model), "--limit", "1"])
    assert r.exit_code == 0 and "partial list" in r.stderr
    r = CliRunner().invoke(cli, ["trap-spaces", str(model), "--count", "--ko", "A"])
    assert r.exit_code == 0 and "1 min trap space\n" in r.stdout


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=2, max_value=5), st.integers(min_value=0, max_value=10**6),
       st.sampled_from([0, 1, 2]))
def test_bdd_encoded_rules_match_brute_force(n, seed, cap):
    """Sides with more than ``cap`` cubes go through one atom per BDD node (with cap 0,
    every non-constant side): the trap spaces of every kind stay exact."""
    from logicbone.analysis import primes

    net = lb.parse_bnet(random_bnet(n, seed))
    traps, mins, maxs = _brute(net)
    old = primes.MAX_COVER_CUBES
    primes.MAX_COVER_CUBES = cap
    try:
        assert list(lb.trap_spaces(net, "all")) == traps
        assert list(lb.trap_spaces(net, "min")) == mins
        assert list(lb.trap_spaces(net, "max")) == maxs
    finally:
        primes.MAX_COVER_CUBES = old


def _union(texts: list[str]) -> str:
    """bnet text of the disjoint union of networks (node ``x`` of part ``k`` -> ``pk_x``)."""
    import re

    out = []
    for k, text in enumerate(texts):
        out.append(re.sub(r"\b(x\d+)\b", rf"p{k}_\1", text))
    return "\n".join(out)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 10**6)), min_size=2, max_size=3),
       st.booleans())
def test_min_trap_spaces_of_independent_parts_match_brute_force(specs, constant):
    """Disjoint unions (with a constant feeding the first part, percolated away) are
    solved per part and combined: the same list as brute force, and the count agrees
    (with a limit it is known unless a single part is left, which the solver cuts)."""
    text = _union([random_bnet(n, seed) for n, seed in specs])
    if constant:
        text = text.replace("p0_x0,", "k, 1\np0_x0, k &", 1) if "p0_x0," in text else text
    net = lb.parse_bnet(text)
    _, mins, _ = _brute(net)
    res = lb.trap_spaces(net, "min")
    assert res.complete and list(res) == mins and res.count == len(mins)
    assert lb.count_trap_spaces(net, "min") == len(mins)
    cut = lb.trap_spaces(net, "min", limit=1)
    assert len(cut) == 1 and set(cut) <= set(mins)
    assert cut.complete == (len(mins) == 1) and cut.count in (None, len(mins))


def test_count_of_a_large_product_without_listing(tmp_path):
    from logicbone_cli.main import cli

    text = "\n".join(f"A{i}, !B{i}\nB{i}, !A{i}" for i in range(60))
    net = lb.parse_bnet(text)
    assert lb.count_trap_spaces(net, "min") == 2 ** 60
    with pytest.raises(lb.LogicboneError, match="above the limit"):
        lb.trap_spaces(net, "min")
    r = lb.trap_spaces(net, "min", limit=3)
    assert len(r) == 3 and r.count == 2 ** 60 and r.to_dict()["count"] == 2 ** 60
    model = tmp_path / "pairs.bnet"
    model.write_text(text + "\n")
    out = CliRunner().invoke(cli, ["trap-spaces", str(model), "--count", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["count"] == 2 ** 60


def _latched_pairs(k: int) -> str:
    """X reads k positive two-node loops (2^k minimal trap spaces in one part), and an
    independent loop C <-> D: the model of issue 20."""
    lines = ["X, " + " | ".join(f"A{i}" for i in range(k))]
    lines += [f"A{i}, B{i}\nB{i}, A{i}" for i in range(k)]
    return "\n".join(lines + ["C, D\nD, C"]) + "\n"


@pytest.mark.parametrize("limit", [1, 5])
def test_limit_holds_in_every_independent_part(monkeypatch, limit):
    import logicbone.analysis.asp as asp
    sizes: list[int] = []
    real = asp.solve_models

    def spy(*args, **kwargs):
        rows, outcome = real(*args, **kwargs)
        sizes.append(len(rows))
        return rows, outcome

    monkeypatch.setattr(asp, "solve_models", spy)
    net = lb.parse_bnet(_latched_pairs(12))
    res = lb.trap_spaces(net, "min", limit=limit)
    assert len(res) == limit and not res.complete and res.reason == "limit"
    assert res.outcome.reason is lb.StopReason.LIMIT
    assert sizes and max(sizes) <= limit       # no part listed more than asked
    assert all(lb.is_trap_space(net, s) and "*" not in s for s in res)
    assert len(set(res)) == limit


def test_cli_limit_answers_at_once_when_the_model_splits(tmp_path):
    model = tmp_path / "p.bnet"
    model.write_text(_latched_pairs(25))
    r = CliRunner().invoke(cli_main(), ["trap-spaces", str(model), "--limit", "5",
                                        "--timeout", "300", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["trap_spaces"]) == 5
    assert data["complete"] is False and data["reason"] == "limit"


def cli_main():
    from logicbone_cli.main import cli
    return cli


def _gated_modules(seed: int) -> lb.Network:
    """Small random modules that share only the input G (each also reads an input of its
    own): G free, the network is one part; G fixed, it falls into the modules."""
    import random
    rng = random.Random(seed)
    lines = ["G, G"]
    for k in range(3):
        nodes = [f"M{k}_{j}" for j in range(rng.randint(2, 4))]
        lines.append(f"I{k}, I{k}")
        for j, node in enumerate(nodes):
            a, b = rng.sample(nodes, 2) if len(nodes) > 1 else (nodes[0], nodes[0])
            op = rng.choice(["&", "|"])
            neg = rng.choice(["", "!"])
            gate = rng.choice([f"G & {neg}{a} {op} I{k}", f"!G & {a} | G & {neg}{b}",
                               f"({a} {op} {neg}{b}) & !G | G & I{k}"])
            lines.append(f"{node}, {gate}")
    return lb.parse_bnet("\n".join(lines))


@pytest.mark.parametrize("seed", range(20))
def test_minimal_trap_spaces_split_on_inputs_are_those_of_one_solver_run(seed):
    from logicbone.analysis.trap_spaces import _splits
    net = _gated_modules(seed)
    whole = lb.trap_spaces(net, "min", settings=lb.EngineSettings(split_spaces=0))
    split = lb.trap_spaces(net, "min", settings=lb.EngineSettings(split_spaces=1))
    assert split.complete and list(split.spaces) == list(whole.spaces)
    assert lb.count_trap_spaces(net, "min", settings=lb.EngineSettings(split_spaces=1)) \
        == len(whole.spaces)
    # the route is the split one: the part that holds G is cut by fixing it
    _, parts = net.decompose()
    assert _splits(max(parts, key=lambda p: len(p.index)).net)
    for space in split.spaces:       # each a trap space, and none smaller inside it
        assert lb.is_trap_space(net, space)


@pytest.mark.parametrize("limit", [1, 5, 40])
def test_a_limit_holds_where_minimal_trap_spaces_are_split_on_inputs(limit):
    net = _gated_modules(3)
    res = lb.trap_spaces(net, "min", limit=limit, settings=lb.EngineSettings(split_spaces=1))
    every = set(lb.trap_spaces(net, "min").spaces)
    assert len(res.spaces) == min(limit, len(every)) and set(res.spaces) <= every
    assert res.complete == (len(every) <= limit)


@pytest.mark.parametrize("seed", range(8))
def test_counted_on_inputs_without_listing_the_split(seed, monkeypatch):
    """A count splits on inputs as a count (sums over values of products of counts): the
    split's listing is never made, and the count is the length of the list."""
    from logicbone.analysis import trap_spaces as ts
    net = _gated_modules(seed)
    want = len(lb.trap_spaces(net, "min", settings=lb.EngineSettings(split_spaces=0)).spaces)

    def listed(*args, **kw):
        raise AssertionError("a count listed the split")
    monkeypatch.setattr(ts, "_split_on_input", listed)
    monkeypatch.setattr(ts, "_combine", listed)
    assert lb.count_trap_spaces(net, "min", settings=lb.EngineSettings(split_spaces=1)) == want


@pytest.mark.parametrize("seed", range(4))
def test_subspaces_packed_alike_in_bulk_and_one_by_one(seed):
    """Many subspaces are packed with numpy, a few character by character: the same ints."""
    import random
    from logicbone.analysis.trap_spaces import _packed
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    where = sorted(rng.sample(range(n), rng.randint(1, n)))
    spaces = ["".join(rng.choice("01*") for _ in where) for _ in range(70_000 // len(where) + 2)]
    bulk = _packed(spaces, where, n)
    one = [x for k in range(0, len(spaces), 7) for x in _packed(spaces[k:k + 7], where, n)]
    assert bulk == one
    assert all(v.to_bytes(n, "big")[w] == ord(s[j]) for v, s in zip(bulk[:50], spaces)
               for j, w in enumerate(where))


@pytest.mark.parametrize("seed", range(4))
def test_one_long_list_spliced_as_the_product_makes_it(seed):
    """Where every part but one has a single subspace, the long one is written into one
    template at once: the same strings, in the same order, as the product of packed ints,
    and cut at the limit alike."""
    import random
    from logicbone.analysis.trap_spaces import _combine
    rng = random.Random(seed)
    n = rng.randint(8, 60)
    nodes = list(range(n))
    rng.shuffle(nodes)
    cuts = sorted(rng.sample(range(1, n), 2))
    big, one, other = nodes[:cuts[0]], nodes[cuts[0]:cuts[1]], nodes[cuts[1]:]
    spaces = ["".join(rng.choice("01*") for _ in big) for _ in range(70_000 // len(big) + 2)]
    parts = [(sorted(one), ["".join(rng.choice("01") for _ in one)]), (big, spaces),
             (sorted(other), ["".join(rng.choice("01*") for _ in other)])]
    spliced, why = _combine(n, parts, None, lb.Budget(), 10 ** 7)
    # the product as ints: the long part padded with a second, unused string of its own
    padded = parts[:2] + [(parts[2][0], parts[2][1] + ["0" * len(other)])]
    product, _ = _combine(n, padded, None, lb.Budget(), 10 ** 7)
    assert why is None and spliced == product[::2]
    cut, why = _combine(n, parts, 1000, lb.Budget(), 10 ** 7)
    assert why is lb.StopReason.LIMIT and cut == spliced[:1000]


def _switches(seed: int) -> lb.Network:
    """Random networks without inputs, most nodes self-sustaining behind others: many
    minimal trap spaces, and maximal ones to split them on."""
    import random
    rng = random.Random(seed)
    names = [f"S{j}" for j in range(rng.randint(6, 14))]
    lines = []
    for j, node in enumerate(names):
        a, b = rng.sample(names, 2)
        pick = rng.random()
        if pick < 0.5:
            lines.append(f"{node}, {node} | {a} & {rng.choice(['', '!'])}{b}")
        elif pick < 0.8:
            lines.append(f"{node}, {node} & ({a} | !{b})")
        else:
            lines.append(f"{node}, {a} & !{b} | !{a} & {node}")
    return lb.parse_bnet("\n".join(lines))


@pytest.mark.parametrize("seed", range(24))
def test_minimal_trap_spaces_listed_in_pieces_are_those_of_one_solver_run(seed, monkeypatch):
    """Past ``piece_spaces`` answers, the list is made again in pieces, on the sides of
    maximal trap spaces: the same list (each piece's answers are minimal overall, and
    none is in two pieces), and the same count."""
    from logicbone.analysis import asp
    net = _switches(seed)
    whole = lb.trap_spaces(net, "min", settings=lb.EngineSettings(piece_spaces=0))
    runs = []
    solve = asp.solve_models

    def counted(*args, **kw):
        runs.append(args[0].nogoods)
        return solve(*args, **kw)
    monkeypatch.setattr(asp, "solve_models", counted)
    pieces = lb.EngineSettings(piece_spaces=2, piece_splits=3)
    split = lb.trap_spaces(net, "min", settings=pieces)
    assert split.complete and list(split.spaces) == list(whole.spaces)
    assert len(set(split.spaces)) == len(split.spaces)
    assert lb.count_trap_spaces(net, "min", settings=pieces) == len(whole.spaces)
    if len(whole.spaces) > 2:       # the route is the pieces': runs with nogoods
        assert any(runs)


@pytest.mark.skipif(not can_fork(), reason="copies of the process are forked on Linux")
@pytest.mark.parametrize("seed", range(0, 24, 3))
def test_pieces_of_minimal_trap_spaces_shared_by_processes_give_the_same_list(seed,
                                                                             monkeypatch):
    """With ``jobs``, the pieces run in forked copies of the process too; their lists are
    joined in the pieces' order: the list of one process, answer for answer."""
    from logicbone import parallel
    net = _switches(seed)
    pieces = lb.EngineSettings(piece_spaces=2, piece_splits=3)
    alone = lb.trap_spaces(net, "min", settings=pieces)
    shared = []
    forked = parallel.forked_map

    def counted(fn, count, jobs, **kw):
        shared.append((count, jobs))
        return forked(fn, count, jobs, **kw)
    monkeypatch.setattr(parallel, "forked_map", counted)
    both = lb.trap_spaces(net, "min", settings=lb.EngineSettings(piece_spaces=2,
                                                                 piece_splits=3, jobs=2))
    assert both.complete and list(both.spaces) == list(alone.spaces)
    if len(alone.spaces) > 2:       # listed in pieces, shared by two processes
        assert shared and shared[0][1] == 2 and shared[0][0] > 1


@pytest.mark.parametrize("limit", [1, 3, 7, 100])
def test_a_limit_holds_where_minimal_trap_spaces_are_listed_in_pieces(limit):
    for seed in range(6):
        net = _switches(seed)
        every = set(lb.trap_spaces(net, "min").spaces)
        res = lb.trap_spaces(net, "min", limit=limit,
                             settings=lb.EngineSettings(piece_spaces=1, piece_splits=3))
        assert len(res.spaces) == min(limit, len(every)) and set(res.spaces) <= every
        assert res.complete == (len(every) <= limit)


def test_a_count_of_minimal_trap_spaces_cut_short_is_at_least_the_fixed_points(monkeypatch):
    # each fixed point is a minimal trap space: a count cut short says at least as many
    # as there are fixed points, where they count in the time left
    from logicbone.analysis import trap_spaces as ts
    net = lb.parse_bnet("\n".join(f"A{i}, !B{i}\nB{i}, !A{i}" for i in range(12))
                        + "\nC, !C")
    monkeypatch.setattr(ts, "_min_count",
                        lambda *args: (3, False, lb.StopReason.TIMEOUT))
    with pytest.raises(lb.BudgetExceeded) as err:
        lb.count_trap_spaces(net, "min")
    # (no fixed point here: the count cut short stands)
    assert lb.count_fixed_points(net) == 0 and err.value.at_least == 3
    assert "fixed points" not in str(err.value)
    net = lb.parse_bnet("\n".join(f"A{i}, !B{i}\nB{i}, !A{i}" for i in range(12)))
    with pytest.raises(lb.BudgetExceeded) as err:
        lb.count_trap_spaces(net, "min")
    assert err.value.at_least == 4096 and "fixed points" in str(err.value)


@pytest.mark.parametrize("kind", ["min", "max", "all"])
@pytest.mark.parametrize("seed", range(6))
def test_answers_read_in_bulk_as_one_by_one(seed, kind):
    """Past the first ``batch`` answer sets, the shown codes are read in bulk over arrays:
    the same subspaces, in the same order, as read one code at a time, and cut alike."""
    from logicbone.analysis.asp import solve_models, trap_program
    from logicbone.analysis.primes import rule_dnfs
    from logicbone.analysis.trap_spaces import subspace_decoder
    net = _switches(seed)
    n = len(net.names)
    program = trap_program(n, rule_dnfs(net), nonempty_fixed=kind == "max")
    lists = []
    for batch, limit in ((10 ** 6, None), (3, None), (1, 7)):
        extract, decode = subspace_decoder(n, batch=batch)
        rows, _ = solve_models(program, mode=lb.TrapSpaceKind(kind), extract=extract,
                               budget=lb.Budget(limit=limit))
        lists.append(decode(rows))
    one, bulk, cut = lists
    assert len(one) > 3 and bulk == one
    assert cut == one[:7]
    # and they are the subspaces themselves, as the solver shows them
    assert set(one) == set(lb.trap_spaces(net, kind).spaces)
