"""Results in notebooks: to_frame() (pandas) and _repr_html_, and the example notebook runs."""
from __future__ import annotations

import subprocess
import sys

import pytest

import logicbone as lb

from conftest import ROOT

pd = pytest.importorskip("pandas")

NET = lb.parse_bnet("I, I\nA, I & !B\nB, A\nC, A | C\nR, C")


def test_attractor_frame_matches_the_subspaces():
    res = lb.attractors(NET, "async")
    frame = res.to_frame()
    assert list(frame.columns) == ["type", "size", *NET.names]
    assert list(frame.index) == list(range(1, len(res.attractors) + 1))
    for k, att in enumerate(res.attractors, 1):
        for i, name in enumerate(NET.names):
            cell = frame.loc[k, name]
            assert (pd.isna(cell) if att.subspace[i] == "*" else cell == int(att.subspace[i]))
        assert frame.loc[k, "size"] == att.size and frame.loc[k, "type"] == att.type
    assert "*" in "".join(a.subspace for a in res.attractors)  # the NA case is exercised


def test_basins_become_columns():
    res = lb.attractors(NET, "async", basins=True)
    frame = res.to_frame()
    assert frame["basin"].tolist() == [a.basin for a in res.attractors]
    assert frame["basin"].between(0, 1).all()


def test_fixed_point_and_trap_space_frames():
    fps = lb.fixed_points(NET)
    frame = fps.to_frame()
    assert ["".join(map(str, row)) for row in frame.itertuples(index=False)] == fps.strings()
    traps = lb.trap_spaces(NET, kind="min")
    tf = traps.to_frame()
    assert ["".join("*" if pd.isna(v) else str(v) for v in row)
            for row in tf.itertuples(index=False)] == list(traps.spaces)


def test_comparison_screen_and_expectations_frames():
    net = lb.models.load("bone")
    scen = lb.models.scenarios("bone")
    cmp = lb.compare(net, ["baseline", "disuse"], scenarios=scen)
    frame = cmp.to_frame()
    assert list(frame.columns) == ["baseline", "disuse"]
    assert frame.loc["BoneLoss"].tolist() == [c.summary["BoneLoss"] for c in cmp.conditions]
    scr = lb.screen(net, targets=["Akt", "mTOR"], readouts=["BoneLoss", "BoneFormation"],
                    base=lb.Perturbation(scen["baseline"].perturbation))
    sf = scr.to_frame()
    assert list(sf.index) == [r.perturbation for r in scr.records]
    assert sf["effect"].tolist() == [r.effect for r in scr.records]
    report = lb.check_expectations(net, lb.read_expectations(lb.models.expectations_path("bone")),
                                   scenarios=scen)
    ef = report.to_frame()
    assert len(ef) == len(report.results)
    assert (ef["status"] == "PASS").sum() == report.counts["PASS"]
    assert f"{report.counts['PASS']} pass" in report._repr_html_()
    assert "<td>Akt=0</td>" in scr._repr_html_()


def test_html_views_need_no_pandas_and_escape():
    res = lb.attractors(NET, "async")
    page = res._repr_html_()
    assert page.startswith('<div class="logicbone">') and "<table" in page
    cmp = lb.compare(NET, ["wt", "A=0"])
    assert "<th>A=0</th>" in cmp._repr_html_()
    assert "<table" in lb.fixed_points(NET)._repr_html_()
    assert "<table" in lb.trap_spaces(NET, kind="min")._repr_html_()
    code = ("import sys; sys.modules['pandas'] = None\n"
            "import logicbone as lb\n"
            "res = lb.attractors(lb.parse_bnet('A, B\\nB, A'), 'sync')\n"
            "assert '<table' in res._repr_html_()\n"
            "try:\n    res.to_frame()\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "logicbone[notebook]" in out.stdout


def test_pandas_is_not_imported_by_the_library():
    code = ("import sys, logicbone as lb\n"
            "res = lb.attractors(lb.parse_bnet('A, B\\nB, A'), 'sync'); res._repr_html_()\n"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_example_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:  # pragma: no cover
        pytest.skip("no python3 Jupyter kernel")
    nb = nbformat.read(ROOT / "examples" / "bone_muscle.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="logicbone"' in h for h in html)   # the attractors as a table
    assert any("<table" in h and "disuse" in h for h in html)  # the comparison DataFrame
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figure
