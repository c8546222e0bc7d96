"""Rule expressions: parsing, printing, evaluation, and error locations."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicbone.errors import ExpressionTooLarge, RuleSyntaxError
from logicbone.expr import (MAX_WRITTEN, And, Const, Not, Or, Var, compact, depth, evaluate,
                            parse_expr, substitute, to_text, truth_table, variables,
                            written_size, xor_operands)

NAMES = ("A", "B", "C", "D")


def _brute(text_fn, env):
    """Reference semantics via Python's own operators on a tree built by hand."""
    return text_fn(env)


@pytest.mark.parametrize("text, fn", [
    ("A & B | C", lambda e: (e["A"] and e["B"]) or e["C"]),
    ("A | B & C", lambda e: e["A"] or (e["B"] and e["C"])),
    ("!A & B", lambda e: (not e["A"]) and e["B"]),
    ("not (A or B) and C", lambda e: (not (e["A"] or e["B"])) and e["C"]),
    ("A ^ B", lambda e: e["A"] != e["B"]),
    ("A && !!B || 0", lambda e: e["A"] and e["B"]),
    ("TRUE & A", lambda e: e["A"]),
    ("(((A)))", lambda e: e["A"]),
    ("~A | false", lambda e: not e["A"]),
])
def test_precedence_and_operators(text, fn):
    e = parse_expr(text)
    for bits in itertools.product([False, True], repeat=3):
        env = dict(zip("ABC", bits))
        assert evaluate(e, env) == fn(env), (text, env)


def test_chains_are_flattened():
    e = parse_expr("((((A | B) | C) | D) | A)")
    assert isinstance(e, Or) and len(e.args) == 5
    assert depth(parse_expr("A & (B & (C & D))")) == 1


def test_deep_nesting_needs_no_recursion():
    n = 20_000
    text = "(" * n + "A" + "".join(f" & !B{i})" if i % 2 else f" | B{i})" for i in range(n))
    e = parse_expr(text)
    assert len(variables(e)) == n + 1
    assert depth(e) == n
    assert to_text(parse_expr(to_text(e))) == to_text(e)
    assert truth_table(substitute(e, {f"B{i}": False for i in range(n)}), ["A"]).tolist() == [False, True]


@pytest.mark.parametrize("text, col, what", [
    ("A & (B | C", 5, "never closed"),
    ("A & B)", 6, "unmatched ')'"),
    ("A & & B", 5, "expected a node name"),
    ("A B", 3, "expected an operator"),
    ("", 1, "empty rule"),
    ("A + B", 3, "unexpected character '+'"),
    ("A* & B", 2, "'*'"),
    ("A & 2B", 5, "not a node name"),
    ("A & ", 4, "got the end of the rule"),
    ("IL-6 & A", 3, "letters, digits and '_'"),
])
def test_errors_point_at_the_offending_column(text, col, what):
    with pytest.raises(RuleSyntaxError) as info:
        parse_expr(text, path="m.bnet", line=3)
    err = info.value
    assert (err.line, err.col) == (3, col), str(err)
    assert what in str(err)
    assert str(err).startswith(f"m.bnet:3:{col}: ")
    assert err.excerpt().splitlines()[-1].index("^") == 4 + col - 1


# ------------------------------------------------------------------ properties

def exprs():
    leaves = st.one_of(st.sampled_from(NAMES).map(Var), st.booleans().map(Const))
    return st.recursive(leaves, lambda kids: st.one_of(
        kids.map(Not),
        st.lists(kids, min_size=2, max_size=4).map(And),
        st.lists(kids, min_size=2, max_size=4).map(Or)), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(exprs(), st.sampled_from(["bnet", "rules", "cellcollective"]))
def test_printing_then_parsing_keeps_the_function(e, dialect):
    back = parse_expr(to_text(e, dialect))
    assert (truth_table(back, NAMES) == truth_table(e, NAMES)).all()


def _xor(ab):
    a, b = ab
    return Or([And([a, Not(b)]), And([Not(a), b])])


def exprs_with_xor():
    leaves = st.one_of(st.sampled_from(NAMES).map(Var), st.booleans().map(Const))
    return st.recursive(leaves, lambda kids: st.one_of(
        kids.map(Not), st.tuples(kids, kids).map(_xor),
        st.lists(kids, min_size=2, max_size=3).map(And),
        st.lists(kids, min_size=2, max_size=3).map(Or)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(exprs_with_xor(), st.sampled_from(["bnet", "rules"]))
def test_printing_with_xor_keeps_the_function_and_is_never_longer(e, dialect):
    text = to_text(e, dialect, xor=True)
    back = parse_expr(text)
    assert (truth_table(back, NAMES) == truth_table(e, NAMES)).all()
    assert written_size(e, xor=True) <= written_size(e)
    assert len(text) <= len(to_text(e, dialect))


def _xor_chain(k: int) -> str:
    return " xor ".join(f"x{i}" for i in range(1, k + 1))


def test_a_long_xor_chain_is_cheap_to_query_and_print_with_xor():
    e = parse_expr(_xor_chain(40))  # 2**39 symbols written out with and/or/not
    assert variables(e) == tuple(f"x{i}" for i in range(1, 41))
    assert written_size(e) > 2 ** 40
    assert xor_operands(e) is not None
    assert to_text(e, "rules", xor=True) == _xor_chain(40)
    assert parse_expr(to_text(e, xor=True)) == e


def test_printing_an_enormous_rule_is_refused_naming_it():
    e = parse_expr(_xor_chain(22))
    assert written_size(e) > MAX_WRITTEN
    with pytest.raises(ExpressionTooLarge, match="'A'.*16,777,209 symbols.*xor"):
        to_text(e, "bnet", node="A")


@settings(max_examples=200, deadline=None)
@given(exprs(), st.dictionaries(st.sampled_from(NAMES), st.booleans(), max_size=2))
def test_substitution_agrees_with_evaluation(e, fixed):
    s = substitute(e, fixed)
    for bits in itertools.product([False, True], repeat=len(NAMES)):
        env = dict(zip(NAMES, bits))
        env.update(fixed)
        assert bool(evaluate(s, env)) == bool(evaluate(e, env))


def test_structural_equality():
    assert parse_expr("A & !B") == parse_expr("(A) and not B")
    assert parse_expr("A & B") != parse_expr("B & A")
    assert len({parse_expr("A | B"), parse_expr("A|B")}) == 1


def _literals(e) -> int:
    return sum(len(t.args) if isinstance(t, And) else 1
               for t in (e.args if isinstance(e, Or) else (e,)))


@settings(max_examples=80, deadline=None)
@given(data=st.data(), k=st.integers(1, 7))
def test_compact_keeps_the_function_and_never_grows(data, k):
    """A rule written out from its truth table (one term per true row) made short by espresso
    is the same function, with at most as many literals."""
    names = [f"v{i}" for i in range(k)]
    rows = data.draw(st.lists(st.booleans(), min_size=1 << k, max_size=1 << k))
    terms = [" & ".join(n if (r >> j) & 1 else f"!{n}" for j, n in enumerate(names))
             for r, on in enumerate(rows) if on]
    if not terms:
        return
    e = parse_expr(" | ".join(f"({t})" for t in terms))
    c = compact(e, above=0)
    assert (truth_table(c, names) == truth_table(e, names)).all()
    assert isinstance(c, Const) or _literals(c) <= _literals(e)


def test_compact_shortens_long_covers_only():
    names = [f"r{i}" for i in range(10)]
    # "r0 and any of the others", written out over every row of the table
    rows = [r for r in range(1 << 10) if r & 1 and r >> 1]
    long = parse_expr(" | ".join(
        " & ".join(n if (r >> j) & 1 else f"!{n}" for j, n in enumerate(names)) for r in rows))
    short = compact(long)
    assert (truth_table(short, names) == truth_table(long, names)).all()
    assert _literals(short) == 18 and _literals(long) > 5000
    assert compact(long) is short                      # made once per rule object
    nested = parse_expr("(a | b) & (c | d & e)")
    assert compact(nested, above=0) is nested          # not a disjunction of terms
    few = parse_expr("a & b | !a & c")
    assert compact(few) is few                         # short enough already
