"""The solver's answers read by the codes of the symbols they show."""
from __future__ import annotations

import clingo
from hypothesis import given, settings
from hypothesis import strategies as st

from logicbone.analysis.asp import shown_codes, symbol_code


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=6), st.data())
def test_codes_read_are_those_of_the_symbols_shown(n, data):
    # atoms p(i) chosen freely, shown as p(i) or as numbers, some hidden
    numbers = data.draw(st.booleans())
    hidden = data.draw(st.sets(st.integers(min_value=0, max_value=n - 1)))
    text = "{ " + "; ".join(f"p({i})" for i in range(n)) + " }.\n#show.\n"
    text += "".join(f"#show {3 * i + 1} : p({i}).\n" if numbers else f"#show p({i}) : p({i}).\n"
                    for i in range(n) if i not in hidden)
    symbols = ([clingo.Number(3 * i + 1) for i in range(n)] if numbers
               else [clingo.Function("p", [clingo.Number(i)]) for i in range(n)])
    where = {symbol_code(s): i for i, s in enumerate(symbols)}
    ctl = clingo.Control(["--warn=none", "--models=0"])
    ctl.add("base", [], text)
    ctl.ground([("base", [])])
    models: list[tuple[list[int], list[int]]] = []
    ctl.solve(on_model=lambda m: models.append(
        (sorted(where[c] for c in shown_codes(m)),
         sorted(symbols.index(s) for s in m.symbols(shown=True)))))
    assert len(models) == 1 << n
    for read, one_by_one in models:
        assert read == one_by_one
    assert {tuple(r) for r, _ in models} == {
        tuple(i for i in range(n) if i not in hidden and mask >> i & 1)
        for mask in range(1 << n)}


def test_nogoods_leave_out_the_subspaces_where_their_values_are_all_possible():
    """``Program.without``: no answer allows every ``(node, value)`` of a nogood."""
    import itertools

    from logicbone import parse_bnet
    from logicbone.analysis.asp import solve_models, trap_program
    from logicbone.analysis.primes import rule_dnfs
    from logicbone.analysis.trap_spaces import subspace_decoder
    net = parse_bnet("A, A\nB, B\nC, C")     # every subspace is a trap space
    program = trap_program(3, rule_dnfs(net))
    extract, decode = subspace_decoder(3)
    nogoods = [[(0, 1)], [(1, 0), (2, 1)]]
    rows, outcome = solve_models(program.without(nogoods), extract=extract)
    got = set(decode(rows))
    want = {"".join(s) for s in itertools.product("01*", repeat=3)
            if s[0] == "0" and not (s[1] in "0*" and s[2] in "1*")}
    assert outcome.complete and got == want
