"""The command line's one error boundary (cli/main.py): every expected failure is one line
``error: path[:line:col]: what`` (a parse error adds the line and a caret), exit 2 for bad
input and 1 for a failed analysis; anything else is a bug, reported in one line (the
traceback only under ``-v -v``); warnings of a model that fails to read are not shown."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

from _helpers import MODELS, ROOT


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_one_error(r, code: int, pattern: str = "") -> str:
    """The result failed with ``code`` and an ``error:`` first line (matching ``pattern``)."""
    import re

    assert r.exit_code == code, (r.exit_code, r.stderr, r.exception)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    first = r.stderr.splitlines()[0]
    assert first.startswith("error: "), r.stderr
    assert re.search(pattern, first), first
    return first


@pytest.fixture
def bone(tmp_path):
    p = tmp_path / "m.rules"
    p.write_text((MODELS / "bone.rules").read_text())
    return p


# ---------------------------------------------------------------- files that cannot be read

def test_binary_scenario_file(bone):
    bone.with_name("m.scenarios.yaml").write_bytes(bytes(range(256)) * 4)
    r = run("attractors", bone, "--scenario", "baseline")
    assert_one_error(r, 2, r"m\.scenarios\.yaml:\d+:\d+: not UTF-8 text \(byte 0x80\)")


@pytest.mark.parametrize("text, pattern", [
    ("baseline: {fix: {Loading: 0}\n", r"m\.scenarios\.yaml:2:1: not valid YAML"),
    ("baseline: [1, 2]\n", r"m\.scenarios\.yaml:1:11: scenario 'baseline': expected a mapping"),
    ("baseline: {Loading: 2}\n", r"m\.scenarios\.yaml:1:21: .*'Loading: 2'"),
    ("baseline: {Loading: 0, Loading: 1}\n", r":1:24: key 'Loading' given twice"),
    ("baseline:\n  fix: {Loading: 0}\n  mood: calm\n", r":3:3: .*unknown key 'mood'"),
    ("\tbaseline: {}\n", r"m\.scenarios\.yaml:1:1: not valid YAML"),
    ("- a\n- b\n", r"m\.scenarios\.yaml:1:1: expected a mapping"),
])
def test_malformed_scenario_yaml(bone, text, pattern):
    bone.with_name("m.scenarios.yaml").write_text(text)
    assert_one_error(run("attractors", bone, "--scenario", "baseline"), 2, pattern)


@pytest.mark.parametrize("text, pattern", [
    ("- expect: {Osteoclast: sometimes}\n", r"e\.yaml:1:3: statement 1: 'Osteoclast: sometimes'"),
    ("- expect: {Osteoclast: on}\n  source: {a: 1}\n", r"e\.yaml:1:3: .*'source' must be text"),
    ("- expect: [\n", r"e\.yaml:2:1: not valid YAML"),
    ("\x00\x01", r"e\.yaml:1:1: not valid YAML: character '\\x00'"),
])
def test_malformed_expectation_yaml(bone, tmp_path, text, pattern):
    exp = tmp_path / "e.yaml"
    exp.write_text(text)
    assert_one_error(run("check", bone, exp), 2, pattern)


def test_a_device_or_folder_as_model(tmp_path):
    assert_one_error(run("info", "/dev/zero", "--model-format", "rules"), 2,
                     r"/dev/zero: is a character device")
    assert_one_error(run("info", tmp_path, "--model-format", "rules"), 2, r"is a folder")


def test_a_fifo_as_model_is_refused_at_once(tmp_path):
    fifo = tmp_path / "m.rules"
    os.mkfifo(fifo)
    r = subprocess.run([sys.executable, "-m", "logicbone_cli.main", "info", str(fifo)],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "FIFO" in r.stderr
    assert "Traceback" not in r.stderr


def test_undecodable_model_is_located(tmp_path):
    p = tmp_path / "m.bnet"
    p.write_bytes(b"A, B\nB, A & \xe9C\n")
    assert_one_error(run("info", p), 2, r"m\.bnet:2:8: not UTF-8 text \(byte 0xe9\)")


def test_too_large_model(tmp_path, monkeypatch):
    p = tmp_path / "m.rules"
    p.write_text("A* = A\n")
    monkeypatch.setenv("LOGICBONE_MAX_INPUT_BYTES", "4")
    assert_one_error(run("info", p), 2, r"above the size limit of 4 bytes")


# ---------------------------------------------------------------- strict parsing, every dialect

@pytest.mark.parametrize("name, text, where", [
    ("m.rules", "A* = B && C\nB* = A\nC* = C\n", ":1:8: '&&'"),
    ("m.rules", "A* = B\nB* = A || C\nC* = C\n", ":2:8: '||'"),
    ("m.rules", "A* = B ^ C\nB* = A\nC* = C\n", ":1:8: '\\^'"),
    ("m.rules", "A* = B != C\nB* = A\nC* = C\n", ":1:9: unexpected character '='"),
    ("m.rules", "A* = B == C\nB* = A\nC* = C\n", ":1:8: unexpected character '='"),
    ("m.rules", "A* = B $ C\nB* = A\nC* = C\n", ":1:8: unexpected character '\\$'"),
    ("m.booleannet", "A *= B && C\nB *= A\nC *= C\n", ":1:8: '&&'"),
    ("m.bnet", "A, B && C\nB, A\nC, C\n", ":1:6: '&&'"),
    ("m.bnet", "A, B\nB, ~A\n", ":2:4: '~'"),
    ("m.bn", "targets, factors\nA, B || C\nB, A\nC, C\n", ":2:6: '\\|\\|'"),
    ("m.bn", "targets, factors\nA, B ^ C\nB, A\nC, C\n", ":2:6: '\\^'"),
    ("m.cc.txt", "A = B * C\nB = A\nC = C\n", ":1:7: '\\*' is not an operator"),
    ("m.cc.txt", "A = B / C\nB = A\nC = C\n", ":1:7: '/' is not an operator"),
    ("m.cc.txt", "A = B + C\nB = A\nC = C\n", ":1:7: '\\+' is not an operator"),
    ("m.cc.txt", "A = B && C\nB = A\nC = C\n", ":1:7: '&&'"),
    ("m.bnd", "Node A { logic = B ~ C; }\nNode B { logic = A; }\nNode C { logic = C; }\n",
     ":1:20: '~'"),
])
@pytest.mark.parametrize("command", ["info", "lint"])
def test_foreign_operators_are_located_errors(tmp_path, command, name, text, where):
    p = tmp_path / name
    p.write_text(text)
    fmt = ["--model-format", "booleannet"] if name.endswith(".booleannet") else []
    r = run(command, p, *fmt)
    assert_one_error(r, 2, rf"{name.replace('.', '[.]')}{where}")


def test_lint_on_cell_collective_star_and_slash(tmp_path):
    for op in ("*", "/"):
        p = tmp_path / "m.cc.txt"
        p.write_text(f"A = B {op} C\nB = A\nC = C\n")
        r = run("lint", p)
        assert r.exit_code != 0 and "not an operator of Cell Collective text" in r.stderr


def test_cell_collective_names_may_still_hold_a_slash(tmp_path):
    p = tmp_path / "m.cc.txt"
    p.write_text("p27/Kip1 = NOT CycE\nCycE = NOT p27/Kip1\n")
    assert run("info", p).exit_code == 0


def test_maboss_has_its_own_operators(tmp_path):
    p = tmp_path / "m.bnd"
    p.write_text("Node A { logic = B && !C || B ^ C; }\nNode B { logic = A; }\n"
                 "Node C { logic = C; }\n")
    assert run("info", p).exit_code == 0


@pytest.mark.parametrize("name, text", [
    ("m.rules", ""), ("m.rules", "# only a comment\n\n"), ("m.bnet", "targets, factors\n"),
    ("m.bn", "targets, factors\n"), ("m.cc.txt", "\n"), ("m.bnd", "")])
def test_empty_models_are_refused_and_never_converted(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    assert_one_error(run("info", p), 2, r":1:1: the model has no rules")
    out = tmp_path / "out.sbml"
    assert_one_error(run("convert", p, out), 2, r"the model has no rules")
    assert not out.exists() and not list(tmp_path.glob(".out.sbml*"))
    r = run("lint", p)
    assert r.exit_code == 2 and "[empty]" in r.stdout


CORE = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
  <model id="kinetic">
    <listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
  </model>
</sbml>
"""


@pytest.mark.parametrize("text, pattern", [
    (CORE, r"m\.sbml:3:\d+: model 'kinetic': core SBML without the qual package"),
    ('<?xml version="1.0"?>\n<sbml>\n  <model>\n<oops>\n', r"m\.sbml:\d+:\d+: not readable SBML"),
    ("just some text\n", r"m\.sbml:\d+:\d+: not readable SBML"),
    ("<html><body/></html>\n", r"m\.sbml:\d+:\d+: not readable SBML"),
    ('<?xml version="1.0" encoding="UTF-8"?>\n<sbml>\xff</sbml>\n', r"not UTF-8 text"),
])
def test_bad_sbml_exits_2_located(tmp_path, text, pattern):
    p = tmp_path / "m.sbml"
    p.write_bytes(text.encode("latin-1"))
    assert_one_error(run("info", p), 2, pattern)


# ---------------------------------------------------------------- errors precede warnings

def logicbone(*args) -> subprocess.CompletedProcess:
    """A real run (logging goes to stderr as a user sees it; in-process runs under pytest
    log to pytest's capture)."""
    return subprocess.run([sys.executable, "-m", "logicbone_cli.main", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("command", ["info", "lint", "convert"])
def test_warnings_logged_before_a_parse_error_are_not_shown(tmp_path, command):
    # no header: BoolNet's reader warns at once; R-style names warn too; line 3 is broken
    p = tmp_path / "m.bn"
    p.write_text("A.1, B\nB, A.1\nC, A.1 & )\n")
    r = logicbone(command, p, *(["-"] if command == "convert" else []))
    assert r.returncode == 2 and r.stderr.startswith(f"error: {p}:3:10: "), r.stderr
    assert "WARNING" not in r.stderr and "header" not in r.stderr, r.stderr
    p.write_text("A.1, B\nB, A.1\n")
    r = logicbone(command, p, *(["-"] if command == "convert" else []))
    assert r.returncode == 0 and "header" in r.stderr


def test_a_parse_error_comes_first_and_alone(tmp_path):
    # renamed names and an initial-value line warn; the syntax error on line 4 is the answer
    p = tmp_path / "m.booleannet"
    p.write_text("IL-6 = True\nIL-6 *= TNF-a\nTNF-a *= IL-6\nX *= IL-6 &&\n")
    r = logicbone("info", p, "--model-format", "booleannet")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "'&&'" in r.stderr
    assert "WARNING" not in r.stderr and "initial value" not in r.stderr, r.stderr
    # the same file without the bad line reads, and then its warnings are shown
    p.write_text("IL-6 = True\nIL-6 *= TNF-a\nTNF-a *= IL-6\n")
    r = logicbone("info", p, "--model-format", "booleannet")
    assert r.returncode == 0 and "initial value line ignored" in r.stderr


def test_lint_shows_a_parse_error_without_warnings(tmp_path):
    p = tmp_path / "m.bn"
    p.write_text("A, B\nB, A &&\n")     # no header: a warning, then an error
    r = logicbone("lint", p)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and ":2:6: '&&'" in r.stderr
    assert "header" not in r.stderr, r.stderr


# ---------------------------------------------------------------- the boundary itself

def _raiser(exc: BaseException, filename: str = "<test>"):
    ns: dict = {}
    code = compile("def boom(*a, **k):\n    raise EXC\n", filename, "exec")
    exec(code, {"EXC": exc}, ns)
    return ns["boom"]


@pytest.mark.parametrize("exc, code, pattern", [
    (MemoryError(), 1, r"^error: out of memory"),
    (RecursionError("maximum recursion depth exceeded"), 1, r"^error: .*nested too deeply"),
    (PermissionError(13, "Permission denied", "x.rules"), 2, r"^error: x\.rules: Permission denied"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 2, r"not UTF-8"),
    (lb.AnalysisTimeout("gave up"), 1, r"^error: gave up$"),
])
def test_expected_failures_are_one_line(monkeypatch, bone, exc, code, pattern):
    monkeypatch.setattr(lb, "read_network", _raiser(exc))
    r = run("info", bone)
    assert_one_error(r, code, pattern)
    assert len(r.stderr.splitlines()) == 1


def test_yaml_errors_from_anywhere_exit_2(monkeypatch, bone):
    import yaml

    monkeypatch.setattr(lb, "read_network", _raiser(yaml.YAMLError("bad")))
    assert_one_error(run("info", bone), 2, r"not valid YAML")


def test_solver_failures_exit_1(monkeypatch, bone):
    monkeypatch.setattr(lb, "read_network",
                        _raiser(RuntimeError("atom undefined"), "/site-packages/clingo/control.py"))
    assert_one_error(run("info", bone), 1, r"^error: clingo failed: RuntimeError: atom undefined")


def test_a_bug_is_one_line_and_a_report_under_vv(monkeypatch, bone):
    monkeypatch.setattr(lb, "read_network", _raiser(TypeError("unsupported operand")))
    r = run("info", bone)
    first = assert_one_error(r, 1, r"internal error \(TypeError: unsupported operand\)")
    assert "bug" in first and "-v -v" in first and len(r.stderr.splitlines()) == 1
    r = run("-v", "-v", "info", bone)
    assert r.exit_code == 1
    assert "please report" in r.stderr and "Traceback" in r.stderr and "TypeError" in r.stderr


def test_usage_errors_stay_clicks(bone):
    r = run("info", bone, "--no-such-option")
    assert r.exit_code == 2 and "No such option" in r.stderr


def test_control_characters_of_the_input_do_not_reach_the_terminal(tmp_path):
    p = tmp_path / "m.rules"
    p.write_bytes(b"A* = B \x1b[2J\tC\nB* = A\n")
    r = run("info", p)
    assert_one_error(r, 2, r":1:8: unexpected character 'U\+001B'")
    assert "\x1b" not in r.stderr
    line, caret = r.stderr.splitlines()[1:3]
    assert line.index("\ufffd") == caret.index("^")


@pytest.mark.parametrize("flags", [["-v"], ["-v", "-v"]])
def test_verbose_messages_are_the_tools_not_its_libraries(tmp_path, flags):
    # a negative ring of 13 outside small spaces: BDD managers of their own are made (the
    # BDD library announces each at its INFO level), and the search says what it found
    model = tmp_path / "ring.bnet"
    model.write_text("".join(f"x{i}, {'!' if i == 0 else ''}x{i - 1 if i else 12}\n"
                             for i in range(13)))
    r = logicbone(*flags, "attractors", model, "--update", "async", "--method", "symbolic")
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert any(line.startswith("INFO: ") and "attractors in" in line for line in lines)
    assert not any("CUDD" in line for line in lines)
    assert any(line.startswith("DEBUG: ") for line in lines) == (len(flags) == 2)
