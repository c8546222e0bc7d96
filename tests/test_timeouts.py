"""``--timeout`` holds while a model is read and converted, not only while it is analysed:
each of these answers (marked partial) or gives up (exit 1) within seconds of the limit."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

LOGICBONE = [sys.executable, "-m", "logicbone_cli.main"]
#: the limit asked for, and how long past it a run may take on a busy machine (start-up,
#: writing the answer, a C library call that cannot be cut short)
LIMIT, SLACK = 1.0, 20.0


def timed(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    done = subprocess.run([*LOGICBONE, *args], capture_output=True, text=True,
                          timeout=LIMIT + SLACK + 60)
    return done, time.monotonic() - start


def _xor22(folder: Path) -> Path:
    xs = [f"x{i}" for i in range(1, 23)]
    path = folder / "xor22.rules"
    path.write_text("A* = " + " xor ".join(xs) + "\n" + "".join(f"{x}* = {x}\n" for x in xs))
    return path


def _sumgt40(folder: Path) -> Path:
    xs = [f"x{i}" for i in range(40)]
    path = folder / "sumgt40.bn"
    path.write_text("targets, factors\n" + f"A, sumgt({', '.join(xs)}, 20)\n"
                    + "".join(f"{x}, {x}\n" for x in xs))
    return path


def _literal(name: str, level: int) -> str:
    return f'<apply><eq/><ci> {name} </ci><cn type="integer"> {level} </cn></apply>'


def _sbml(folder: Path, n: int = 10_000) -> Path:
    """n species on a ring: n_i = n_{i+1} and not n_{7i+3}."""
    species, transitions = [], []
    for i in range(n):
        a, b = f"n{(i + 1) % n}", f"n{(7 * i + 3) % n}"
        species.append(f'<qual:qualitativeSpecies qual:id="n{i}" qual:compartment="c" '
                       'qual:constant="false" qual:maxLevel="1"/>')
        inputs = "".join(
            f'<qual:input qual:id="t{i}_{r}" qual:qualitativeSpecies="{r}" '
            'qual:transitionEffect="none"/>' for r in dict.fromkeys([a, b]))
        math = (f'<math xmlns="http://www.w3.org/1998/Math/MathML"><apply><and/>'
                f'{_literal(a, 1)}{_literal(b, 0)}</apply></math>')
        transitions.append(
            f'<qual:transition qual:id="t{i}"><qual:listOfInputs>{inputs}</qual:listOfInputs>'
            f'<qual:listOfOutputs><qual:output qual:id="t{i}_o" qual:qualitativeSpecies="n{i}" '
            'qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>'
            '<qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="0"/>'
            f'<qual:functionTerm qual:resultLevel="1">{math}</qual:functionTerm>'
            '</qual:listOfFunctionTerms></qual:transition>')
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1" '
            'xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" '
            'qual:required="true"><model id="ring">'
            '<listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>'
            f'<qual:listOfQualitativeSpecies>{"".join(species)}</qual:listOfQualitativeSpecies>'
            f'<qual:listOfTransitions>{"".join(transitions)}</qual:listOfTransitions>'
            '</model></sbml>\n')
    path = folder / "ring.sbml"
    path.write_text(text)
    return path


def _disjunction(folder: Path, terms: int = 100_000) -> Path:
    path = folder / "disj.bnet"
    rule = " | ".join(f"x{i} & !y{i}" for i in range(terms))
    path.write_text(f"A, {rule}\n" + "".join(f"x{i}, x{i}\ny{i}, y{i}\n"
                                               for i in range(terms)))
    return path


@pytest.mark.parametrize("make", [_xor22, _sumgt40, _sbml, _disjunction])
def test_fixed_points_answer_or_give_up_near_the_timeout(tmp_path, make):
    model = make(tmp_path)
    done, seconds = timed("fixed-points", str(model), "--timeout", str(LIMIT), "--format",
                          "json")
    assert seconds < LIMIT + SLACK, done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        data = json.loads(done.stdout)
        assert data["fixed_points"] or not data["complete"]
    else:
        assert done.returncode == 1 and "--timeout reached" in done.stderr, done.stderr


def test_converting_a_huge_disjunction_to_sbml_stops_at_the_timeout(tmp_path):
    model = _disjunction(tmp_path)
    out = tmp_path / "out.sbml"
    done, seconds = timed("convert", str(model), str(out), "--timeout", str(LIMIT))
    assert seconds < LIMIT + SLACK
    assert done.returncode == 1 and "--timeout reached" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [model]


@pytest.mark.parametrize("option", [("--limit", "3"), ("--timeout", str(LIMIT))])
def test_synchronous_attractors_of_millions_of_fixed_points_stop_at_the_limit(tmp_path, option):
    """22 free inputs: 2^22 synchronous fixed points, found explicitly; the list stops at
    the limit or the time limit instead of building every one (ten minutes before)."""
    model = _xor22(tmp_path)
    done, seconds = timed("attractors", str(model), "--update", "sync", *option,
                          "--format", "json")
    assert done.returncode == 0, done.stderr
    assert seconds < LIMIT + SLACK
    data = json.loads(done.stdout)
    assert data["complete"] is False and len(data["attractors"]) <= 3 + 2 ** 22
    if option[0] == "--limit":
        assert len(data["attractors"]) == 3
        assert any("--limit reached" in note for note in data["notes"])


def test_linting_a_huge_disjunction_stops_at_the_timeout(tmp_path):
    model = _disjunction(tmp_path)
    done, seconds = timed("lint", str(model), "--timeout", str(LIMIT))
    assert seconds < LIMIT + SLACK
    assert done.returncode == 1 and "--timeout reached" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and not done.stdout
