"""STG exports: formats load back with the exact counts, DOT renders, golden files, atomic writes."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import logicbone as lb
from logicbone.export import columns

MODEL = "I, I\nA, !B | I\nB, A\nC, A & !C\n"
FORMATS = ["graphml", "gexf", "dot", "json", "csv", "jsonl"]


def _cli():
    from logicbone_cli.main import cli
    return cli


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "small.bnet"
    path.write_text(MODEL)
    return path


def _outputs(path, fmt):
    return [path, lb.nodes_path(path)] if fmt == "csv" else [path]


@pytest.mark.parametrize("collapse", [False, True], ids=["stg", "quotient"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_golden(fmt, collapse, model, tmp_path, golden):
    out = tmp_path / f"out.{fmt}"
    args = ["stg", str(model), "--update", "async", "--format", fmt, "-o", str(out)]
    r = CliRunner().invoke(_cli(), args + (["--collapse"] if collapse else []))
    assert r.exit_code == 0, r.output
    for i, path in enumerate(_outputs(out, fmt)):
        text = path.read_text().replace(str(model), "small.bnet")
        golden(text, f"{'quotient' if collapse else 'stg'}{'.nodes' if i else ''}.{fmt}")


@pytest.mark.parametrize("update", ["sync", "async", "general"])
@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf),
                                        ("json", lambda p: nx.node_link_graph(
                                            json.loads(p.read_text()), edges="edges"))])
def test_loads_back_with_exact_counts(fmt, reader, update, tmp_path):
    net = lb.parse_bnet(MODEL)
    stg = lb.state_transition_graph(net, update)
    lb.write_stg(stg, tmp_path / f"s.{fmt}", fmt)
    g = reader(tmp_path / f"s.{fmt}")
    assert g.number_of_nodes() == stg.n_states and g.number_of_edges() == stg.n_edges
    attrs = g.nodes["1000"]
    assert int(attrs["I"]) == 1 and int(attrs["A"]) == 0
    assert {str(d["changed"]) for _, _, d in g.edges(data=True)} <= \
        {",".join(c) for c in _subsets(net.names)}


def _subsets(names):
    from itertools import combinations
    return [c for k in range(1, len(names) + 1) for c in combinations(names, k)]


def test_streaming_formats_have_exact_counts(tmp_path):
    net = lb.parse_bnet(MODEL)
    stg = lb.state_transition_graph(net, "general")
    lb.write_stg(stg, tmp_path / "s.csv", "csv")
    assert len((tmp_path / "s.csv").read_text().splitlines()) == stg.n_edges + 1
    assert len((tmp_path / "s.nodes.csv").read_text().splitlines()) == stg.n_states + 1
    lb.write_stg(stg, tmp_path / "s.jsonl", "jsonl")
    lines = [json.loads(x) for x in (tmp_path / "s.jsonl").read_text().splitlines()]
    assert lines[0]["graph"]["states"] == stg.n_states
    assert sum("node" in x for x in lines) == stg.n_states
    assert sum("source" in x for x in lines) == stg.n_edges


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz dot not installed")
@pytest.mark.parametrize("collapse", [False, True])
def test_dot_renders_with_graphviz(collapse, tmp_path):
    net = lb.parse_bnet(MODEL)
    graph = lb.stg_quotient(net, "async") if collapse else lb.state_transition_graph(net, "async")
    lb.write_stg(graph, tmp_path / "s.dot", "dot")
    subprocess.run(["dot", "-Tpng", str(tmp_path / "s.dot"), "-o", str(tmp_path / "s.png")],
                   check=True, capture_output=True, timeout=60)
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_refuses_to_overwrite_without_force(model, tmp_path):
    out = tmp_path / "s.csv"
    lb.nodes_path(out).write_text("keep")
    r = CliRunner().invoke(_cli(), ["stg", str(model), "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert not out.exists() and lb.nodes_path(out).read_text() == "keep"
    r = CliRunner().invoke(_cli(), ["stg", str(model), "-o", str(out), "--force"])
    assert r.exit_code == 0 and lb.nodes_path(out).read_text().startswith("state,")


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    out = tmp_path / "s.txt"
    out.write_text("old")
    with pytest.raises(RuntimeError):
        with lb.atomic_open(out, force=True) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s.txt"]


def test_size_guard_in_cli(tmp_path):
    model = tmp_path / "ring.bnet"
    model.write_text("\n".join(f"x{i}, !x{(i + 1) % 12}" for i in range(12)))
    r = CliRunner().invoke(_cli(), ["stg", str(model), "-o", str(tmp_path / "s.csv"),
                                    "--limit", "1000"])
    # a refusal of explosive work is a usage matter: exit 2, one line that names --collapse
    assert r.exit_code == 2 and not (tmp_path / "s.csv").exists()
    assert r.stderr.count("\n") == 1 and "--collapse" in r.stderr and r.stdout == ""
    r = CliRunner().invoke(_cli(), ["stg", str(model), "-o", str(tmp_path / "s.csv"),
                                    "--limit", "100", "--from", "1" * 12])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "reachable" in r.stderr
    r = CliRunner().invoke(_cli(), ["stg", str(model), "-o", str(tmp_path / "s.csv"),
                                    "--limit", "1000", "--collapse", "--update", "sync"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(_cli(), ["stg", str(model), "-o", str(tmp_path / "f.json"),
                                    "--limit", "1000", "--from", "1" * 12, "--update", "sync"])
    assert r.exit_code == 0, r.output
    g = nx.node_link_graph(json.loads((tmp_path / "f.json").read_text()), edges="edges")
    assert "111111111111" in g


def test_too_big_for_networkx_formats(tmp_path):
    net = lb.parse_bnet(MODEL)
    stg = lb.state_transition_graph(net, "general")
    with pytest.raises(lb.LogicboneError, match="stream"):
        lb.write_stg(stg, tmp_path / "s.graphml", "graphml", max_edges=3)
    assert not (tmp_path / "s.graphml").exists()


def test_perturbation_and_update_in_cli(model, tmp_path):
    out = tmp_path / "s.json"
    r = CliRunner().invoke(_cli(), ["stg", str(model), "--update", "sync", "--ko", "A",
                                    "-o", str(out)])
    assert r.exit_code == 0, r.output
    g = nx.node_link_graph(json.loads(out.read_text()), edges="edges")
    assert g.graph["update"] == "synchronous"
    # with A knocked out, every attractor has A = 0
    assert all(d["A"] == 0 for _, d in g.nodes(data=True) if d["attractor"] >= 0)


# eleven nodes, two inputs, several attractors: multi-node "changed" and multi-attractor "reaches"
# (quoted in CSV), transient states (attractor -1), a node called "state" (renamed column)
WIDE = """I1, I1
I2, I2
state, !B | I1
B, state & !C
C, B | I2
D, !D & C | I1 & !I2
E, D | state
F, !F | E
G, G & B | I1 & F
H, !J | I2 & G
J, !H
"""


def _reference_text(graph, fmt):
    """The files as the csv and json modules write the rows of ``node_rows``/``edge_rows``."""
    ecols = columns.edge_columns(graph)
    if fmt == "csv":
        out = []
        for cols, rows in ((ecols, columns.edge_rows(graph)), (columns.node_columns(graph), columns.node_rows(graph))):
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(cols)
            for chunk in rows:
                w.writerows(chunk)
            out.append(buf.getvalue())
        return out
    cols = columns.node_columns(graph)
    lines = [json.dumps({"graph": graph.graph_attributes()})]
    lines += [json.dumps({"node": r[0], **dict(zip(cols[1:], r[1:]))})
              for chunk in columns.node_rows(graph) for r in chunk]
    lines += [json.dumps(dict(zip(ecols, r))) for chunk in columns.edge_rows(graph) for r in chunk]
    return ["\n".join(lines) + "\n"]


@pytest.mark.parametrize("few_masks", [0, 1 << 20], ids=["names-by-node", "names-by-mask"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("collapse", [False, True], ids=["stg", "quotient"])
@pytest.mark.parametrize("update", ["sync", "async", "general"])
def test_streamed_text_is_what_csv_and_json_write(update, collapse, fmt, few_masks, tmp_path,
                                                  monkeypatch):
    from logicbone.export import stg as export_stg
    monkeypatch.setattr(export_stg, "_ROWS", 97)  # many blocks, a short last one
    monkeypatch.setattr(export_stg, "_FEW_MASKS", few_masks)
    net = lb.parse_bnet(WIDE)
    graph = lb.stg_quotient(net, update) if collapse else lb.state_transition_graph(net, update)
    assert graph.n_attractors > 1
    if update != "sync":  # a toggle switch: states that reach two attractors
        at = columns.node_columns(graph).index("reaches")
        assert any("," in row[at] for chunk in columns.node_rows(graph) for row in chunk)
    paths = lb.write_stg(graph, tmp_path / f"s.{fmt}", fmt)
    assert [p.read_text() for p in paths] == _reference_text(graph, fmt)


@given(st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=40))
def test_digits_are_decimal_text(values):
    from logicbone.export.stg import _const, _digits, _join
    arr = np.array(values, dtype=np.int64)
    text = _join([_digits(arr), _const(b";", arr.size)])
    assert text.decode() == "".join(f"{v};" for v in values)
    small = np.abs(arr) % 1000
    assert _join([_digits(small.astype(np.uint16)), _const(b" ", arr.size)]).decode() == \
        "".join(f"{v} " for v in small.tolist())
