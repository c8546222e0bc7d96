"""Readable tables of many subspaces: the layout, the width, and the commands that show them."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone_cli.main import cli

from _helpers import BENCH, MODELS

TLGL = BENCH / "bbm" / "014_t-lgl-survival-network-2008.bnet"


@st.composite
def spaces(draw):
    n = draw(st.integers(1, 12))
    names = [draw(st.text("abcdefgXYZ_", min_size=1, max_size=14)) + f"_{i}" for i in range(n)]
    rows = draw(st.lists(st.text("01*", min_size=n, max_size=n), min_size=1, max_size=25))
    inputs = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    return names, rows, inputs


@given(spaces(), st.integers(20, 140), st.booleans())
@settings(max_examples=150, deadline=None)
def test_layout_partitions_the_nodes_and_rows_and_fits_the_width(case, width, labelled):
    names, rows, inputs = case
    lay = lb.layout_spaces(names, rows, inputs=inputs)
    grouping = {n for g in lay.groups for n, _ in g.inputs}
    # every node is constant ON, constant OFF, a grouping input, or a column: exactly one
    parts = [set(lay.constant_on), set(lay.constant_off), grouping, set(lay.columns)]
    assert sum(len(p) for p in parts) == len(names) and set().union(*parts) == set(names)
    for k, name in enumerate(names):
        col = {r[k] for r in rows}
        assert (name in lay.constant_on) == (col == {"1"})
        assert (name in lay.constant_off) == (col == {"0"})
    # the groups are a partition of the rows, and their rows share the inputs' values
    assert sorted(k for g in lay.groups for k in g.rows) == list(range(len(rows)))
    for g in lay.groups:
        for k in g.rows:
            assert all(rows[k][names.index(n)] == v for n, v in g.inputs)
    labels = [f"cycle {k * 37}" for k in range(len(rows))] if labelled else None
    text = lb.format_spaces(lay, width=width, labels=labels)
    assert all(len(line) <= width for line in text.splitlines()), text


def test_matrix_cells_and_list_view():
    nodes = ["In", "A", "B", "Cee"]
    rows = ["1101", "0101", "11*1"]
    lay = lb.layout_spaces(nodes, rows, inputs=["In"])
    assert lay.columns == ("B",) and lay.constant_on == ("A", "Cee")
    assert [lay.cells(k) for k in range(3)] == [["OFF"], ["OFF"], ["osc"]]
    assert lb.format_spaces(lay, width=30).splitlines() == [
        "constant in all 3: ON A Cee", "",
        "inputs In=0 (1)", "#  B", "-  ---", "2  OFF", "",
        "inputs In=1 (2)", "#  B", "-  ---", "1  OFF", "3  osc"]
    long = [f"{n}_with_a_long_name" for n in nodes]
    narrow = lb.format_spaces(lb.layout_spaces(long, rows), width=30)
    # too narrow for the matrix of In and B: the ON lists, "~" for oscillating, wrapped
    assert narrow.splitlines()[-4:] == ["1  In_with_a_long_name", "2  -",
                                        "3  In_with_a_long_name", "   ~B_with_a_long_name"]


def test_chosen_columns_that_do_not_fit_are_dropped_with_a_note():
    nodes = [f"node_with_a_long_name_{i}" for i in range(10)]
    rows = ["0101010101", "1010101010"]
    lay = lb.layout_spaces(nodes, rows, columns=nodes)
    text = lb.format_spaces(lay, width=60)
    assert all(len(line) <= 60 for line in text.splitlines())
    assert "note: 8 more columns do not fit the width" in text
    with pytest.raises(lb.UnknownNodeError, match="nope"):
        lb.layout_spaces(nodes, rows, columns=["nope"])


def test_html_table():
    lay = lb.layout_spaces(["I", "A<", "B"], ["110", "011"], inputs=["I"])
    page = lb.spaces_html(lay, title="t & u")
    assert "<table" in page and "A&lt;" in page and "t &amp; u" in page
    assert page.count("<tr>") == 1 + 2 + 2  # header, two input groups, two rows
    assert "inputs I=0 (1)" in page


# ---------------------------------------------------------------- the commands

def _run(args, width):
    return CliRunner(env={"COLUMNS": str(width)}).invoke(cli, args)


@pytest.mark.skipif(not TLGL.exists(), reason="benchmark corpus not present")
@pytest.mark.parametrize("command", [["attractors"], ["fixed-points"], ["trap-spaces", "--min"]])
@pytest.mark.parametrize("width", [60, 100])
def test_bbm_014_fits_the_terminal(command, width):
    res = _run([command[0], str(TLGL), *command[1:]], width)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert lines[0].startswith(str(TLGL)[:40])
    assert any(line.startswith("constant in all ") for line in lines)
    assert sum(line.startswith("inputs v_CD45=") for line in lines) > 10


@pytest.mark.skipif(not TLGL.exists(), reason="benchmark corpus not present")
def test_chosen_columns_and_unchanged_json():
    res = _run(["attractors", str(TLGL), "--nodes", "v_Apoptosis,v_P2"], 100)
    assert res.exit_code == 0
    assert any(line.split()[2:] == ["v_Apoptosis", "v_P2"] for line in res.stdout.splitlines()
               if line.startswith("#"))
    with_nodes = _run(["fixed-points", str(TLGL), "--readouts", "v_P2", "--format", "json"], 50)
    without = _run(["fixed-points", str(TLGL), "--format", "json"], 200)
    assert with_nodes.stdout == without.stdout
    assert len(json.loads(without.stdout)["fixed_points"]) == 172
    csv_narrow = _run(["trap-spaces", str(TLGL), "--format", "csv"], 40)
    assert max(len(line) for line in csv_narrow.stdout.splitlines()) > 40  # csv is not fitted


def test_small_tables_keep_their_plain_layout(tmp_path):
    model = tmp_path / "small.bnet"
    model.write_text("I, I\nA, I\nB, !A\n")
    res = _run(["attractors", str(model)], 100)
    assert res.exit_code == 0
    header = next(line for line in res.stdout.splitlines() if line.startswith("#"))
    assert header.split() == ["#", "type", "size", "ON", "OFF", "oscillating"]


def test_one_attractor_of_many_nodes_is_wrapped_not_cut():
    res = _run(["attractors", str(MODELS / "bone.rules"), "--scenario", "baseline"], 60)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert max(map(len, lines)) <= 60
    net = lb.models.load("bone")
    words = " ".join(lines).split()
    assert all(name in words for name in net.names)


def test_unknown_column_is_exit_2():
    res = _run(["attractors", str(MODELS / "bone.rules"), "--scenario", "baseline",
                "--nodes", "Nope,Akt"], 100)
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == ["error: unknown node 'Nope'"]


@pytest.mark.parametrize("width", [60, 100])
def test_compare_of_ten_conditions_fits_the_terminal(width):
    conds = ["baseline", "exercise", "disuse", "aging", "estrogen_loss", "chronic_inflammation",
             "rapamycin", "akt_ko", "il6_ko", "igf1_overexpression"]
    args = ["compare", "bone_muscle"] + [x for c in conds for x in ("-c", c)]
    res = _run(args, width)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(map(len, lines)) <= width
    # every condition still has its column, in some block
    heads = [line.split() for line in lines if line.startswith("node ")]
    assert sorted(c for h in heads for c in h[1:]) == sorted(conds)
    assert len(heads) > 1
    wide = _run(args, 400)
    assert [line.split() for line in wide.stdout.splitlines() if line.startswith("node ")] == \
        [["node", *conds]]
    assert _run(args + ["--format", "json"], width).stdout == \
        _run(args + ["--format", "json"], 400).stdout


# names such as modellers write them, hyphens and very long ones included
_names = st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,30}", fullmatch=True),
                  min_size=0, max_size=40)


@settings(max_examples=300, deadline=None)
@given(words=_names, width=st.integers(10, 120), first=st.integers(0, 30),
       rest=st.integers(0, 30))
def test_names_wrap_as_textwrap_does(words, width, first, rest):
    import textwrap

    from logicbone.tables import _wrapped
    head, lead = "#" * first + "  ", " " * rest
    words = words or ["-"]
    want = textwrap.wrap(" ".join(words), width=width, initial_indent=head,
                         subsequent_indent=lead, break_long_words=True) or [head.rstrip()]
    assert _wrapped(words, width, head, lead) == want
    fits = all(len(w) <= width - max(len(head), len(lead)) and "-" not in w for w in words)
    if fits:
        assert _wrapped(words, width, head, lead, plain=True) == want
