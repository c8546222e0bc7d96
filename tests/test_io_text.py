"""The one reader of input files (io/text.py), located YAML (io/yamltext.py) and the warnings
held back until a read succeeds (errors.deferred_warnings)."""
from __future__ import annotations

import logging
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone.io.yamltext import load_yaml, where


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(lb.InputFileError, match=r"nope\.rules: no such file$"):
        lb.read_text(tmp_path / "nope.rules", "model")


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(lb.InputFileError, match="is a folder, not a model file"):
        lb.read_text(tmp_path, "model")


def test_a_device_is_refused_before_reading():
    # /dev/zero never ends: reading it would exhaust memory
    with pytest.raises(lb.InputFileError, match="is a character device, not a regular file"):
        lb.read_network("/dev/zero", format="rules")


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "m.rules"
    os.mkfifo(fifo)
    out: list[BaseException] = []
    t = threading.Thread(target=lambda: out.append(
        pytest.raises(lb.InputFileError, lb.read_network, fifo).value), daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), "reading a FIFO blocked"
    assert "FIFO" in str(out[0])


def test_size_limit_argument_and_environment(tmp_path, monkeypatch):
    p = tmp_path / "m.rules"
    p.write_text("".join(f"A{i:02}* = A{i:02}\n" for i in range(70)))
    with pytest.raises(lb.InputFileError, match=r"770 bytes, above the size limit of 100 bytes"):
        lb.read_text(p, "model", max_bytes=100)
    monkeypatch.setenv("LOGICBONE_MAX_INPUT_BYTES", "50")
    with pytest.raises(lb.InputFileError, match="LOGICBONE_MAX_INPUT_BYTES"):
        lb.read_network(p)
    monkeypatch.setenv("LOGICBONE_MAX_INPUT_BYTES", "lots")
    with pytest.raises(lb.InputError, match="whole number"):
        lb.read_network(p)
    monkeypatch.delenv("LOGICBONE_MAX_INPUT_BYTES")
    assert lb.MAX_INPUT_BYTES == 64 * 1024 * 1024
    assert lb.read_network(p).names[:2] == ("A00", "A01")


def test_byte_order_mark_is_dropped(tmp_path):
    p = tmp_path / "m.bnet"
    p.write_bytes(b"\xef\xbb\xbfA, B\nB, A\n")
    assert lb.read_network(p).names == ("A", "B")


@pytest.mark.parametrize("data, where, byte", [
    (b"\xffA* = A\n", "1:1", "0xff"),
    (b"A* = B\nB* = A \x80\n", "2:8", "0x80"),
    (b"\xef\xbb\xbfA* = \xc3(\n", "1:6", "0xc3"),
    ("A* = B # caf\u00e9\nB* = \u00e9\xe9".encode("utf-8")[:-1] + b"\xe9", "2:7", "0xc3"),
])
def test_undecodable_bytes_are_located(tmp_path, data, where, byte):
    p = tmp_path / "m.rules"
    p.write_bytes(data)
    with pytest.raises(lb.InputFileError, match=rf"m\.rules:{where}: not UTF-8 text \(byte {byte}\)"):
        lb.read_network(p)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.binary(min_size=1, max_size=3), st.text(max_size=20))
def test_the_located_byte_is_the_first_bad_one(before, bad, after):
    data = before.encode() + bad + after.encode()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        with pytest.raises(lb.InputFileError, match=rf"^x:{line}:\d+: not UTF-8 text "
                                                    rf"\(byte 0x{data[err.start]:02x}\)$"):
            from logicbone.io.text import decode_text
            decode_text(data, "x")


@pytest.mark.parametrize("reader, name", [
    (lb.read_scenarios, "m.scenarios.yaml"), (lb.read_expectations, "m.expectations.yaml"),
    (lb.read_screen, "s.csv"), (lambda p: lb.read_maboss(p), "m.bnd"),
    (lb.read_sbml, "m.sbml"), (lb.read_rates, "r.txt")])
def test_every_reader_goes_through_the_one_reader(tmp_path, reader, name):
    p = tmp_path / name
    p.write_bytes(b"ok: 1\n\x00\xfe\xff\n")
    with pytest.raises(lb.InputError, match=rf"{name}:2:2: not UTF-8 text \(byte 0xfe\)"):
        reader(p)
    if not name.endswith(".csv"):  # a screen is named by its extension first
        with pytest.raises(lb.InputError, match="is a character device"):
            reader("/dev/zero")


# ---------------------------------------------------------------- located YAML

def test_yaml_places_and_booleans():
    data = load_yaml("base:\n  on: 1\n  NO: off\n  yes: true\n", "s.yaml")
    assert data == {"base": {"on": 1, "NO": "off", "yes": True}}
    assert where(data["base"], "NO") == "s.yaml:3:7"
    assert where(data["base"], "yes", key=True) == "s.yaml:4:3"


@pytest.mark.parametrize("text, match", [
    ("a: [1,\n", r"^s\.yaml:\d+:\d+: not valid YAML"),
    ("a: 1\n\x07b: 2\n", r"^s\.yaml:2:1: not valid YAML: character '\\x07' is not allowed"),
    ("a: 1\nb: 2\na: 3\n", r"^s\.yaml:3:1: key 'a' given twice \(first on line 1\)"),
    ("[" * 1000 + "]" * 1000, r"^s\.yaml: nested more than"),
    ("a: !!python/object:os.system x\n", r"^s\.yaml:1:4: not valid YAML"),
    ("? [a, b]\n: 1\n", r"^s\.yaml:1:3: a key must be a name"),
    ('- "\\U10010000"\n', r"^s\.yaml:1:\d+: not valid YAML: chr\(\) arg"),  # found by fuzzing
])
def test_yaml_errors_are_located(text, match):
    with pytest.raises(lb.InputError, match=match):
        load_yaml(text, "s.yaml")


@pytest.mark.parametrize("text, match", [
    ("a: {X: 2}\n", r"^s:1:8: scenario 'a': 'X: 2': the value must be 0, 1"),
    ("a:\n  X: [1]\n", r"^s:2:6: scenario 'a': 'X: a list'"),
    ("a: {fix: {X: 1}, extends: [b]}\n", r"^s:1:27: scenario 'a': 'extends' names one"),
    ("a: {fix: {X: 1}, description: {x: 1}}\n", r"^s:1:31: .*'description' must be text"),
    ("true: {X: 1}\n", r"^s:1:1: scenario name True is not a name"),
    ("a: {fix: {X: 1}, extend: b}\n", r"^s:1:18: scenario 'a': unknown key 'extend'"),
    ("a: {1: 0}\n", r"^s:1:5: node 1 is not a name"),
])
def test_scenario_errors_are_located(text, match):
    with pytest.raises(lb.PerturbationError, match=match):
        lb.parse_scenarios(text, "s")


def test_on_and_off_are_names_in_scenarios():
    sc = lb.parse_scenarios("off: {ON: 1, No: off, yes: on}\n")
    assert dict(sc["off"].perturbation) == {"ON": 1, "No": 0, "yes": 1}


@pytest.mark.parametrize("text, match", [
    ("- expect: {B: [1]}\n", r"^e:1:3: statement 1: 'B': expected one of"),
    ("- expect: {B: on}\n  source: [a]\n", r"^e:1:3: statement 1: 'source' must be text"),
    ("- expect: {B: on}\n- condition: {scenario: 3}\n  expect: {B: on}\n",
     r"^e:2:3: statement 2: 'scenario' names a scenario"),
    ("- expect: {B: on}\n  when: {A: {x: 1}}\n", r"^e:1:3: statement 1: 'A': the value"),
])
def test_expectation_errors_are_located(text, match):
    with pytest.raises(lb.ExpectationError, match=match):
        lb.parse_expectations(text, "e")


# ---------------------------------------------------------------- deferred warnings

def test_warnings_are_released_after_success_and_dropped_on_error(caplog):
    log = logging.getLogger("logicbone.io.rules")
    with caplog.at_level(logging.WARNING):
        with lb.deferred_warnings():
            log.warning("first")
            assert "first" not in caplog.text
        assert "first" in caplog.text
        with pytest.raises(lb.RuleSyntaxError):
            with lb.deferred_warnings():
                log.warning("second")
                lb.parse_booleannet("IL-6 *= A\nA *= A &&")
        assert "second" not in caplog.text and "IL-6" not in caplog.text
        log.warning("third")
        assert "third" in caplog.text


@pytest.mark.parametrize("fmt", ["rules", "bnet", "sbml", "boolnet", "cellcollective", "maboss"])
def test_an_empty_network_is_not_written(tmp_path, fmt):
    from logicbone.network import Network

    with pytest.raises(lb.UsageError, match="no nodes"):
        lb.format_network(Network((), {}), fmt)
    with pytest.raises(lb.UsageError, match="no nodes"):
        lb.write_network(Network((), {}), tmp_path / "x.out", format=fmt)
    assert list(tmp_path.iterdir()) == []
