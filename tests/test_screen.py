"""screen: ranked single/double perturbations, streamed to a file, resumable, executor-independent."""
from __future__ import annotations

import functools
import json

import pytest

import logicbone as lb
from logicbone.analysis.compare import compare
from logicbone.analysis.screen import ScreenFileError, read_screen, screen

from test_compare import enumerate_attractors as _enumerate

# the same perturbed network recurs across tests: enumerate each once
enumerate_attractors = functools.lru_cache(maxsize=None)(_enumerate)

# a small signalling cascade with a feedback loop and two readouts
NET = """S, S
A, S & !I
B, A | C
C, B & !D
D, A
I, 0
P, B & !D
Q, C | I
"""


@pytest.fixture(scope="module")
def net():
    return lb.parse_bnet(NET)


def _run(net, **kw):
    kw.setdefault("targets", ["A", "B", "C", "D", "I"])
    kw.setdefault("readouts", ["P", "Q"])
    kw.setdefault("base", lb.Perturbation({"S": 1}))
    return screen(net, single=True, double=True, analyse=enumerate_attractors, **kw)


def test_records_agree_with_compare(net):
    res = _run(net)
    assert len(res.records) == 1 + 10 + 10 * 4
    assert res.records[0].perturbation == "wt"
    conds = ["wt"] + [r.perturbation for r in res.records[1:]]
    base = {"S": 1}
    cmp = compare(net, [lb.Perturbation({**base, **lb.parse_assignments(c)} if c != "wt" else base,
                                        label=c) for c in conds],
                  readouts=["P", "Q"], analyse=enumerate_attractors)
    by_name = {c.name: c for c in cmp.conditions}
    wt_act = None
    for r in res.records:
        c = by_name[r.perturbation]
        assert r.readouts == {x: c.summary[x] for x in ("P", "Q")}
        assert r.attractors == len(c.result.attractors)
        # mean activity computed here from the subspaces, independently of the screen
        act = {x: sum({"1": 1, "0": 0, "*": .5}[a.subspace[net.index(x)]]
                      for a in c.result.attractors) / len(c.result.attractors) for x in ("P", "Q")}
        assert r.activity == pytest.approx(act)
        wt_act = wt_act or act
        assert r.effect == pytest.approx(sum(abs(act[x] - wt_act[x]) for x in act))
        ref = cmp.reference
        assert r.lost == len({ref.phenotypes[j] for j, s in enumerate(c.reference_status)
                              if s == "lost"})
        assert r.gained == len({c.phenotypes[k] for k, m in enumerate(c.matches)
                                if m.status == "gained"})
    effects = [r.effect for r in res.records[1:]]
    assert effects == sorted(effects, reverse=True)


def test_default_targets_and_readouts(net):
    res = screen(net, base=lb.Perturbation({"S": 1}), analyse=enumerate_attractors)
    assert res.readouts == ("P", "Q")
    assert set(res.targets) == {"A", "B", "C", "D"}  # not inputs, constants, readouts, clamps
    assert len(res.records) == 1 + 2 * 4


def test_unknown_target(net):
    with pytest.raises(lb.UnknownNodeError, match="did you mean"):
        _run(net, targets=["Bb"])


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_file_round_trip_and_refusal(net, tmp_path, suffix):
    out = tmp_path / f"s.{suffix}"
    res = _run(net, output=out)
    assert read_screen(out) == list(res.records)
    with pytest.raises(lb.FileExistsRefused):
        _run(net, output=out)
    again = _run(net, output=out, force=True)
    assert again.records == res.records


class _Stop(Exception):
    pass


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
@pytest.mark.parametrize("stop_after", [1, 23])
def test_interrupted_then_resumed_equals_uninterrupted(net, tmp_path, suffix, stop_after):
    whole = tmp_path / f"whole.{suffix}"
    _run(net, output=whole)
    part = tmp_path / f"part.{suffix}"

    def stop(done, total):
        if done >= stop_after:
            raise _Stop

    with pytest.raises(_Stop):
        _run(net, output=part, progress=stop)
    assert len(read_screen(part)) == stop_after
    # a kill in the middle of a write leaves half a line behind
    with open(part, "a") as fh:
        fh.write('B=1,C=0,"tr' if suffix == "csv" else '{"perturbation": "B=1,C=0", "ki')
    seen = []
    res = _run(net, output=part, resume=True, progress=lambda d, t: seen.append(d))
    assert res.resumed == stop_after
    assert seen[0] == stop_after and seen[-1] == 51 and len(seen) == 51 - stop_after + 1
    assert part.read_bytes() == whole.read_bytes()


def test_resume_refuses_another_screen(net, tmp_path):
    out = tmp_path / "s.jsonl"
    _run(net, output=out)
    with pytest.raises(ScreenFileError, match="other readouts"):
        _run(net, output=out, resume=True, readouts=["P"])
    with pytest.raises(ScreenFileError, match="other targets"):
        _run(net, output=out, resume=True, targets=["A", "B"])
    with pytest.raises(ScreenFileError, match="synchronous"):
        screen(net, targets=["A", "B", "C", "D", "I"], readouts=["P", "Q"], double=True,
               base=lb.Perturbation({"S": 1}), output=out, resume=True, update="sync",
               analyse=lambda n: _enumerate(n, "synchronous"))


def test_resume_of_a_finished_screen_computes_nothing(net, tmp_path):
    out = tmp_path / "s.csv"
    first = _run(net, output=out)

    def boom(n):
        raise AssertionError("nothing should be recomputed")

    again = screen(net, targets=["A", "B", "C", "D", "I"], readouts=["P", "Q"], double=True,
                   base=lb.Perturbation({"S": 1}), analyse=boom, output=out, resume=True)
    assert again.records == first.records


def test_jsonl_lines_are_self_contained(net, tmp_path):
    out = tmp_path / "s.jsonl"
    _run(net, output=out)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert {"perturbation", "attractors", "readouts", "effect", "phenotypes"} <= set(lines[0])
