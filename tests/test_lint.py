"""lint: findings, their codes and locations, and the CLI's exit codes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

MODEL = """#! title: lint sample
Loading* = Loading
Const* = 1
# B's rule mentions C, which cannot change it
B* = Loading or (C and not C)
C* = B
"""


def _codes(text, **kw):
    return [(i.code, i.node, i.line) for i in lb.lint(lb.parse_rules_model(text, "m.rules"), **kw)]


def test_findings_on_a_clean_parse():
    assert _codes(MODEL) == [
        ("input", "Loading", 2), ("constant", "Const", 3), ("ineffective-regulator", "B", 5)]


def test_duplicate_and_undefined_are_errors():
    found = lb.lint(lb.parse_rules_model("A* = B\nB* = Ghost\nA* = 0\n", "m.rules"))
    got = {(i.severity, i.code, i.node, i.line, i.col) for i in found}
    assert ("error", "undefined-regulator", "Ghost", 2, 6) in got
    assert ("error", "duplicate-target", "A", 3, 1) in got


def test_undefined_as_input_downgrades_to_a_warning():
    found = lb.lint(lb.parse_rules_model("A* = Ghost\n"), undefined_as_input=True)
    assert [(i.severity, i.code) for i in found] == [("warning", "undefined-regulator")]


def test_high_in_degree_rule_is_checked_symbolically():
    regs = [f"x{i}" for i in range(30)]
    rule = " | ".join(regs) + " | (y & !y)"
    text = "".join(f"{r}* = {r}\n" for r in regs) + f"y* = y\nT* = {rule}\n"
    found = [i for i in lb.lint(lb.parse_rules_model(text)) if i.severity == "warning"]
    assert [(i.node, i.message.split("'")[1]) for i in found] == [("T", "y")]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_cli_lint(tmp_path, fmt):
    path = tmp_path / "m.rules"
    path.write_text(MODEL)
    result = CliRunner().invoke(cli, ["lint", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        issues = json.loads(result.stdout)["issues"]
        assert [i["code"] for i in issues] == ["input", "constant", "ineffective-regulator"]
        assert issues[2]["line"] == 5 and issues[2]["col"] == 18
    elif fmt == "csv":
        assert result.stdout.splitlines()[0] == "path,line,col,severity,code,node,message"
    else:
        assert f"{path}:5:18: warning:" in result.stdout
    strict = CliRunner().invoke(cli, ["lint", str(path), "--strict"])
    assert strict.exit_code == 2


def test_cli_lint_error_exit_code(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("A, B\nA, !B\n")
    result = CliRunner().invoke(cli, ["lint", str(path)])
    assert result.exit_code == 2
    assert "duplicate-target" in result.stdout
