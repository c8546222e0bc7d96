"""The solver's answers read as positions of the symbols a program can show."""
from __future__ import annotations

import clingo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicbone.analysis.asp import shown_reader


def _models(text: str, symbols: list[clingo.Symbol]) -> list[tuple[list[int], list[int]]]:
    """Each model of ``text`` as (positions read, positions of its symbols one by one)."""
    read = shown_reader(symbols)
    where = {s: i for i, s in enumerate(symbols)}
    ctl = clingo.Control(["--warn=none", "--models=0"])
    ctl.add("base", [], text)
    ctl.ground([("base", [])])
    out: list[tuple[list[int], list[int]]] = []
    ctl.solve(on_model=lambda m: out.append(
        (sorted(read(m).tolist()), sorted(where[s] for s in m.symbols(shown=True)))))
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=6), st.data())
def test_positions_read_are_those_of_the_symbols_shown(n, data):
    # atoms p(i) chosen freely, shown as p(i) or as numbers, some hidden
    numbers = data.draw(st.booleans())
    hidden = data.draw(st.sets(st.integers(min_value=0, max_value=n - 1)))
    text = "{ " + "; ".join(f"p({i})" for i in range(n)) + " }.\n#show.\n"
    text += "".join(f"#show {3 * i + 1} : p({i}).\n" if numbers else f"#show p({i}) : p({i}).\n"
                    for i in range(n) if i not in hidden)
    symbols = ([clingo.Number(v) for v in range(3 * n + 1)] if numbers
               else [clingo.Function("p", [clingo.Number(i)]) for i in range(n)])
    models = _models(text, symbols)
    assert len(models) == 1 << n
    for read, one_by_one in models:
        assert read == one_by_one
    assert {tuple(r) for r, _ in models} == {
        tuple(sorted((3 * i + 1 if numbers else i) for i in range(n)
                     if i not in hidden and mask >> i & 1))
        for mask in range(1 << n)}


def test_a_symbol_the_reader_was_not_given_is_an_error():
    with pytest.raises(ValueError, match="does not show"):
        _models("a. b.\n#show a/0. #show b/0.", [clingo.Function("a")])
