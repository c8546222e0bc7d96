"""Start-up of whole commands on small models: no heavy library is loaded that is not used."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import BENCH

HEAVY = ("scipy", "networkx", "dd", "clingo", "matplotlib", "libsbml", "dask", "pyeda")

MODEL = "A, B\nB, A & !C\nC, C | A\n"

_PROBE = """
import sys
from logicbone_cli.main import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    heavy = {heavy!r}
    print(sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy)), file=sys.stderr)
"""


def loaded(args: list[str], heavy: tuple[str, ...] = HEAVY) -> str:
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=heavy), *args],
                          capture_output=True, text=True, check=True)
    return proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("update", ["sync", "general"])
def test_explicit_attractors_load_no_heavy_library(tmp_path: Path, update: str):
    model = tmp_path / "small.bnet"
    model.write_text(MODEL)
    assert loaded(["attractors", str(model), "--update", update, "--format", "json"]) == "[]"


def test_small_asynchronous_attractors_load_only_the_symbolic_engines(tmp_path: Path):
    # the symbolic engine answers asynchronous questions at every size (faster than the
    # explicit one, which loads numpy): BDDs and the solver, nothing else
    model = tmp_path / "small.bnet"
    model.write_text(MODEL)
    assert loaded(["attractors", str(model), "--update", "async", "--format", "json"],
                  HEAVY + ("numpy",)) == "['clingo', 'dd']"


def test_blas_threads_default_to_one_but_an_explicit_setting_wins():
    code = "import os, logicbone_cli.main; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.strip()
    assert out == "1"
    env["OPENBLAS_NUM_THREADS"] = "3"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.strip()
    assert out == "3"


def test_minimal_trap_spaces_load_no_graph_library(tmp_path: Path):
    model = tmp_path / "small.bnet"
    model.write_text(MODEL)
    got = loaded(["trap-spaces", str(model), "--min", "--format", "json"])
    assert "networkx" not in got and "scipy" not in got


def python_output(code: str) -> str:
    """What a fresh Python process running ``code`` prints."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_networkx_stays_importable_after_the_bdd_backend_loads():
    assert python_output("import sys, logicbone as lb\n"
                         "from logicbone.bdd import RuleBDDs\n"
                         "RuleBDDs(lb.parse_bnet('A, B\\nB, A'))\n"
                         "assert 'networkx' not in sys.modules\n"
                         "import networkx\n"
                         "print(networkx.DiGraph([(1, 2)]).number_of_edges())") == "1"


def test_small_symbolic_run_loads_no_graph_library():
    assert python_output(
        "import sys, logicbone as lb\n"
        "from logicbone.analysis.async_attractors import async_attractors_symbolic\n"
        "res = async_attractors_symbolic(lb.parse_bnet('A, !B\\nB, A\\nC, C | A\\nD, D & !C'))\n"
        "assert res.complete and [a.size for a in res.attractors] == [4]\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'networkx', 'scipy'}))") == "[]"


def test_small_async_search_loads_no_sparse_graph_library():
    assert python_output(
        "import sys, logicbone as lb\n"
        "net = lb.random_network(10, 3, 7)\n"
        "lb.attractors(net, 'async')\n"
        "lb.attractors(net, 'general')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'networkx')))") == "[]"


@pytest.mark.parametrize("command", [["info"], ["convert", "-", "--to", "rules"]])
def test_reading_and_converting_need_not_even_numpy(tmp_path: Path, command: list[str]):
    model = tmp_path / "small.bnet"
    model.write_text(MODEL)
    args = [command[0], str(model), *command[1:]]
    code = _PROBE.format(heavy=HEAVY + ("numpy",))
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"


_MASKED_PROBE = """
import sys
from logicbone_cli.main import cli
cli(sys.argv[1:], standalone_mode=False)
print("numpy.ma" in sys.modules, file=sys.stderr)
"""


@pytest.mark.skipif(not (BENCH / "bbm").is_dir(), reason="benchmark corpus not present")
def test_async_pipeline_does_not_load_masked_arrays():
    # np.unique loads numpy.ma (numpy 2.x); the asynchronous pipeline's walks use a sort instead
    model = BENCH / "bbm" / "012_t-cell-receptor-signaling.bnet"
    proc = subprocess.run([sys.executable, "-c", _MASKED_PROBE, "attractors", str(model),
                           "--update", "async", "--format", "json"],
                          capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "False"


def test_one_attractor_proven_by_walks_needs_no_numpy():
    """bbm/145 (melanogenesis): a minimal trap space of 61 free nodes whose one candidate
    state walks prove the only attractor, and a fixed point outside it. Neither step needs
    arrays: the command starts without numpy (a tenth of a second)."""
    model = BENCH / "bbm" / "145_melanogenesis.bnet"
    if not model.exists():
        pytest.skip("the benchmark corpus is not next to the checkout")
    probe = _PROBE.replace("{heavy!r}", "('numpy',)").replace("{{", "{").replace("}}", "}")
    proc = subprocess.run([sys.executable, "-c", probe, "attractors", str(model),
                           "--update", "async", "--no-sizes", "--format", "json"],
                          capture_output=True, text=True, check=True)
    assert '"complete": true' in proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_a_command_ends_without_collecting_what_its_analysis_left(tmp_path: Path):
    # the answer is out before the interpreter shuts down; the objects left are frozen,
    # not searched for cycles (5 s after a count bounded on a large model)
    model = tmp_path / "small.bnet"
    model.write_text(MODEL)
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
            f"sys.argv = ['logicbone', 'attractors', {str(model)!r}, '--count']\n"
            "from logicbone_cli.main import main\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "frozen True"
