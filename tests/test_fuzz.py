"""Hostile but honest input, generated: mutated model files of every dialect (bytes flipped,
cut, operators and junk inserted, lines repeated), random and mutated scenario and expectation
YAML, fed to every reader in-process and to the main commands through the command line.

Whatever the input, the answer is an analysis (exit 0 or 1), or one located error line
(exit 2): never a traceback, never a bug report, never a half-written output file.

The default run is seeded and short. The long run is marked ``fuzz`` and excluded by
default; ``LOGICBONE_FUZZ_EXAMPLES`` sets its examples per test::

    LOGICBONE_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -m fuzz tests/test_fuzz.py \\
        --hypothesis-show-statistics
"""
from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone_cli.main import cli

from _helpers import MODELS, ROOT

LONG = int(os.environ.get("LOGICBONE_FUZZ_EXAMPLES", "0")) or 2000
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def both(*strategies: Any, quick: int, long_share: float = 1.0
         ) -> Callable[[Callable[..., None]], Any]:
    """A property as two tests: ``quick`` seeded examples in the default run, and the long run
    (``-m fuzz``) with ``LOGICBONE_FUZZ_EXAMPLES`` (times ``long_share``) examples."""
    def deco(prop: Callable[..., None]) -> tuple[Any, Any]:
        def fresh() -> Any:
            @functools.wraps(prop)
            def f(*args: Any, **kwargs: Any) -> None:
                prop(*args, **kwargs)
            return given(*strategies)(f)

        short = settings(max_examples=quick, deadline=None, derandomize=True, database=None,
                         suppress_health_check=_HEALTH)(fresh())
        n = max(1, int(LONG * long_share))
        long = pytest.mark.fuzz(seed(20261203)(settings(
            max_examples=n, deadline=None, database=None, suppress_health_check=_HEALTH)(
                fresh())))
        return short, long
    return deco


# ---------------------------------------------------------------- seeds: one valid file per dialect

# a small model with an input, a negative loop and a constant: every command answers at once
SMALL = lb.parse_rules("Loading* = Loading\nWnt* = Loading and not SOST\nSOST* = not Loading\n"
                       "Akt* = Wnt or IGF1\nIGF1* = 1\nmTOR* = Akt and not AMPK\nAMPK* = not mTOR\n")

EXTENSIONS = {"rules": ".rules", "bnet": ".bnet", "booleannet": ".booleannet",
              "boolnet": ".bn", "cellcollective": ".cc.txt", "maboss": ".bnd", "sbml": ".sbml"}


def _seeds() -> dict[str, tuple[str, bytes]]:
    out: dict[str, tuple[str, bytes]] = {}
    for fmt, ext in EXTENSIONS.items():
        out[f"small{ext}"] = (fmt, lb.format_network(SMALL, fmt).encode())
    bone = lb.read_network(MODELS / "bone.rules")
    for fmt in ("rules", "bnet", "cellcollective", "boolnet"):
        out[f"bone{EXTENSIONS[fmt]}"] = (fmt, lb.format_network(bone, fmt).encode())
    out["bone_native.rules"] = ("rules", (MODELS / "bone.rules").read_bytes())
    return out


SEEDS = _seeds()
SMALL_SEEDS = sorted(k for k in SEEDS if k.startswith("small"))
YAML_SEEDS = {p.name: p.read_bytes() for p in sorted(MODELS.glob("*.yaml"))}

#: what a hostile user types: other dialects' operators, stray characters, undecodable bytes
JUNK = [b"&&", b"||", b"!=", b"==", b"^", b"~", b"*", b"/", b"+", b"-", b"(", b")", b",", b"=",
        b"*=", b"#", b"#!", b"{", b"}", b";", b":", b"[", b"]", b"@", b"$", b"?", b"\t", b"\r",
        b"\n", b"\r\n", b" and ", b" or ", b"not ", b" AND ", b" xor ", b"\x00", b"\xff",
        b"\xc3", b"\xef\xbb\xbf", "\u00e9".encode(), "\U0001F9B4".encode(), b"0", b"1",
        b"true", b"sumgt(", b"maj(", b"A[-1]", b"Node X {", b"logic = ", b"<apply>",
        b"</model>", b"<!--", b"&amp;", b"&#0;", b"- ", b": ", b"&a ", b"*a", b"!!binary ",
        b"on", b"off", b"yes", b"\\", b"'", b'"', b"%", b"...", b"---"]


@st.composite
def mutated(draw: Any, data: bytes) -> bytes:
    """``data`` after one to five edits."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "repeat", "swap"]))
        pos = draw(st.integers(0, len(buf)))
        if op == "flip" and buf:
            i = min(pos, len(buf) - 1)
            buf[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del buf[pos:]
        elif op == "insert":
            buf[pos:pos] = draw(st.sampled_from(JUNK) | st.binary(max_size=4))
        elif op == "delete":
            del buf[pos:pos + draw(st.integers(1, 8))]
        elif op == "repeat":
            lines = bytes(buf).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i] * draw(st.integers(1, 3)))
            buf = bytearray(b"\n".join(lines))
        elif op == "swap":
            lines = bytes(buf).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            buf = bytearray(b"\n".join(lines))
    return bytes(buf)


@st.composite
def model_file(draw: Any, names: list[str] | None = None) -> tuple[str, str, bytes]:
    """(file name, dialect, mutated bytes)."""
    name = draw(st.sampled_from(names or sorted(SEEDS)))
    fmt, data = SEEDS[name]
    return name, fmt, draw(mutated(data))


LOCATED = re.compile(r":\d+:\d+: ")


def check_error(err: lb.LogicboneError) -> None:
    """An error about the text of a file says where."""
    msg = str(err)
    if isinstance(err, lb.RuleSyntaxError) or "not UTF-8" in msg or "not valid YAML" in msg:
        assert LOCATED.search(msg), msg
    assert "\n" not in msg or isinstance(err, lb.RuleSyntaxError), msg


# ---------------------------------------------------------------- every reader, in-process

def _read(path: Path, fmt: str) -> None:
    if fmt == "maboss":
        lb.read_maboss(path)
    lb.read_network(path, format=fmt)
    lb.read_network(path, format=fmt, undefined="input")
    text = lb.read_text(path, "model")
    lb.lint(lb.parse_model(text, fmt, str(path)))


@both(model_file(), quick=150)
def prop_readers(case: tuple[str, str, bytes]) -> None:
    name, fmt, data = case
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        try:
            _read(path, fmt)
        except lb.LogicboneError as err:
            check_error(err)


test_readers, test_readers_long = prop_readers

EXPR_DIALECTS = [None, "rules", "bnet", "boolnet", "cellcollective", "maboss"]


@both(st.sampled_from(EXPR_DIALECTS),
       st.lists(st.sampled_from(["A", "B", "c_1", "0", "1", "(", ")", "&", "|", "!", "&&",
                                 "||", "^", "~", "and", "or", "not", "xor", "=", "*", " ",
                                 "9x", "é", "\t"]), max_size=20).map("".join), quick=200)
def prop_expressions(dialect: str | None, text: str) -> None:
    try:
        lb.parse_expr(text, path="x", line=3, col=5, dialect=dialect)
    except lb.RuleSyntaxError as err:
        assert err.line == 3 and 5 <= err.col <= 5 + len(text), (err, text)


test_expressions, test_expressions_long = prop_expressions


# ---------------------------------------------------------------- YAML: random and mutated

_scalar = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
                    st.sampled_from(["on", "off", "ON", "yes", "no", "0", "1", "Akt", "mTOR",
                                     "baseline", "fix", "extends", "description", "expect",
                                     "condition", "when", "all_on", "some_off", "graded",
                                     "scenario", "source", "later", "than", "node"]),
                    st.text(max_size=6))
_yaml_data = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.one_of(_scalar.filter(lambda x: x is not None and not isinstance(x, float)),
              st.sampled_from(["fix", "expect", "condition", "when", "scenario", "graded"])),
    inner, max_size=4), max_leaves=12)


@st.composite
def yaml_text(draw: Any) -> bytes:
    if draw(st.booleans()):
        return draw(mutated(YAML_SEEDS[draw(st.sampled_from(sorted(YAML_SEEDS)))]))
    text = yaml.safe_dump(draw(_yaml_data), default_flow_style=draw(st.booleans()))
    return draw(mutated(text.encode())) if draw(st.booleans()) else text.encode()


@both(yaml_text(), quick=150)
def prop_yaml_readers(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.yaml"
        path.write_bytes(data)
        for reader in (lb.read_scenarios, lb.read_expectations, lb.read_graded):
            try:
                reader(path)
            except lb.InputError as err:
                check_error(err)


test_yaml_readers, test_yaml_readers_long = prop_yaml_readers


# ---------------------------------------------------------------- the commands, in-process

def run(*args: Any) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def check_result(r: Any, *, where: str = "") -> None:
    """No traceback, no bug report, an allowed exit status, one located line for parse
    errors."""
    assert r.exit_code in (0, 1, 2, 130), (r.exit_code, r.stderr, r.exception)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    if r.exit_code == 2 and r.stderr.startswith("error: "):
        first = r.stderr.splitlines()[0]
        if any(w in first for w in ("not UTF-8", "not valid YAML", "unexpected", "expected")):
            assert LOCATED.search(first), first


COMMANDS = [["info"], ["lint"], ["graph", "--format", "sif"], ["fixed-points"],
            ["trap-spaces", "--min"], ["attractors", "--update", "sync"], ["attractors"],
            ["convert", "{dir}/out.bnet"], ["convert", "-", "--to", "bnet"],
            ["simulate", "--steps", "5", "--seed", "1"]]


def _no_half_written(d: Path) -> None:
    left = [p.name for p in d.iterdir() if p.name.startswith(".") and ".tmp" in p.name]
    assert left == [], left
    out = d / "out.bnet"
    if out.exists():
        lb.read_network(out)  # complete, readable


@both(model_file(SMALL_SEEDS), st.sampled_from(COMMANDS), quick=50, long_share=0.5)
def prop_commands(case: tuple[str, str, bytes], command: list[str]) -> None:
    name, fmt, data = case
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        path = d / name
        path.write_bytes(data)
        args = [a.replace("{dir}", tmp) for a in command]
        r = run(args[0], path, *args[1:])
        check_result(r)
        _no_half_written(d)


test_commands, test_commands_long = prop_commands


@both(yaml_text(), st.sampled_from(["scenarios", "expectations"]), quick=30, long_share=0.3)
def prop_commands_with_yaml(data: bytes, kind: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        model = d / "m.rules"
        model.write_text(lb.to_rules(SMALL))
        (d / f"m.{kind}.yaml").write_bytes(data)
        if kind == "scenarios":
            r = run("attractors", model, "--scenario", "baseline")
        else:
            r = run("check", model)
        check_result(r)


test_commands_with_yaml, test_commands_with_yaml_long = prop_commands_with_yaml


# ---------------------------------------------------------------- a few real processes

@both(model_file(SMALL_SEEDS), st.sampled_from([["info"], ["lint"], ["fixed-points"]]),
      quick=3, long_share=0.01)
def prop_real_processes(case: tuple[str, str, bytes], command: list[str]) -> None:
    name, _, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        r = subprocess.run([sys.executable, "-m", "logicbone_cli.main", *command, str(path)],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert r.returncode in (0, 1, 2, 130), r.stderr
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
        lines = r.stderr.splitlines()
        if r.returncode == 2 and not (command == ["lint"] and r.stdout.strip()):
            # one error line; a file that fails to parse shows no warning before it
            errors = [i for i, line in enumerate(lines) if line.startswith("error: ")]
            assert len(errors) == 1, r.stderr
            if LOCATED.search(lines[errors[0]]):
                assert errors[0] == 0, r.stderr


test_real_processes, test_real_processes_long = prop_real_processes


def test_the_mutations_reach_every_kind_of_failure():
    """The generator is neither too gentle nor too rough: over a sample, each dialect's seeds
    give several kinds of answer, and most dialects' also files that still read."""
    seen: dict[str, set[str]] = {}
    example: dict[str, str] = {}

    @settings(max_examples=300, derandomize=True, database=None, deadline=None,
              suppress_health_check=_HEALTH)
    @given(model_file(SMALL_SEEDS))
    def sample(case: tuple[str, str, bytes]) -> None:
        name, fmt, data = case
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / name
            path.write_bytes(data)
            try:
                lb.read_network(path, format=fmt)
                kind = "ok"
            except lb.LogicboneError as err:
                kind = type(err).__name__
                example.setdefault(kind, str(err))
            seen.setdefault(fmt, set()).add(kind)

    sample()
    assert len(seen) == len(EXTENSIONS), seen
    assert all(len(kinds) >= 2 for kinds in seen.values()), seen
    assert sum("ok" in kinds for kinds in seen.values()) >= len(seen) // 2, (seen, example)
