"""Figures: each command writes a PNG (or SVG) that is not blank, atomically, never over a file."""
from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone.plot.attractors import attractor_matrix

MODEL = "I, I\nA, !B | I\nB, A\nC, A & !C\nD, B | C\n"


def _cli():
    from logicbone_cli.main import cli
    return cli


def _not_blank(path):
    import matplotlib.image as mpimg

    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 50 and img.shape[1] > 50
    rgb = img[..., :3].reshape(-1, 3)
    distinct = np.unique((rgb * 255).round().astype(np.uint8), axis=0)
    assert len(distinct) > 8, "the figure is blank"
    assert (rgb.std(axis=0) > 0.02).any()


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "small.bnet"
    path.write_text(MODEL)
    return path


@pytest.mark.parametrize("args", [
    ["attractors", "--update", "async"],
    ["attractors", "--update", "sync"],
    ["stg", "--update", "async"],
    ["stg", "--update", "sync", "--from", "01000"],
    ["graph"],
    ["trajectory", "--from", "10000", "--steps", "12", "--update", "async"],
], ids=lambda a: "-".join(a[:3]))
def test_png_is_not_blank(args, model, tmp_path):
    out = tmp_path / "fig.png"
    r = CliRunner().invoke(_cli(), ["plot", args[0], str(model), "-o", str(out), *args[1:]])
    assert r.exit_code == 0, r.output
    _not_blank(out)
    # not overwritten without --force, and no stray temporary file left
    before = out.read_bytes()
    r = CliRunner().invoke(_cli(), ["plot", args[0], str(model), "-o", str(out), *args[1:]])
    assert r.exit_code == 2 and "--force" in r.stderr and out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png", "small.bnet"]


def test_svg(model, tmp_path):
    out = tmp_path / "g.svg"
    r = CliRunner().invoke(_cli(), ["plot", "graph", str(model), "-o", str(out)])
    assert r.exit_code == 0 and out.read_text().lstrip().startswith("<?xml")


def test_other_extension_refused(model, tmp_path):
    r = CliRunner().invoke(_cli(), ["plot", "graph", str(model), "-o", str(tmp_path / "g.gif")])
    assert r.exit_code == 2 and ".png" in r.stderr and ".pdf" in r.stderr
    assert not (tmp_path / "g.gif").exists()


def test_attractor_matrix_rows():
    net = lb.parse_bnet(MODEL)
    res = lb.attractors(net, "async")
    m = attractor_matrix(res)
    assert m.shape == (len(res.attractors), len(net.names))
    for row, a in zip(m, res.attractors):  # constant nodes show their value
        for v, c in zip(row, a.subspace):
            if c != "*":
                assert v == int(c)
            else:
                assert 0 < v < 1


def test_attractor_matrix_of_states_past_64_bits():
    # 70 nodes: a cycle of two nodes at the end, the rest fixed ON or OFF
    rules = [f"x{i}, {'1' if i % 3 == 0 else '0'}" for i in range(68)]
    net = lb.parse_bnet("\n".join(rules + ["x68, !x69", "x69, x68"]))
    res = lb.attractors(net, "async")
    (a,) = res.attractors
    assert a.states and max(a.states) >= 1 << 64
    row = attractor_matrix(res)[0]
    assert row.tolist() == [1.0 if i % 3 == 0 else 0.0 for i in range(68)] + [0.5, 0.5]


def test_many_attractors_make_a_bounded_figure_of_sorted_rows():
    from logicbone.plot.attractors import MAX_LABELLED, MAX_ROWS

    # 10 free inputs, 1,024 fixed points; A follows I0, B is I1 and I2
    net = lb.parse_bnet("\n".join([f"I{i}, I{i}" for i in range(10)] + ["A, I0", "B, I1 & I2"]))
    res = lb.attractors(net, "async")
    assert len(res.attractors) == 1024 > MAX_ROWS > MAX_LABELLED
    fig = lb.plot_attractors(res)
    ax = fig.axes[0]
    assert fig.get_figheight() <= 0.4 * MAX_LABELLED + 1.5 and not ax.get_yticklabels()
    m = ax.images[0].get_array()
    assert m.shape == (MAX_ROWS, len(net.names))
    # each drawn row is the mean of two attractors, sorted: column A follows I0 exactly, and
    # the mean of every column is that of the attractors
    at = {n: i for i, n in enumerate(net.names)}
    assert np.array_equal(m[:, at["A"]], m[:, at["I0"]])
    assert np.allclose(m.mean(axis=0), attractor_matrix(res).mean(axis=0))
    assert "1,024 attractors" in ax.get_ylabel()


def test_stg_plot_refuses_big_graphs():
    net = lb.parse_bnet("\n".join(f"x{i}, !x{(i + 1) % 10}" for i in range(10)))
    with pytest.raises(lb.LogicboneError, match="too many"):
        lb.plot_stg(lb.state_transition_graph(net, "async"))
