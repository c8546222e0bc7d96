"""The benchmark's condition files: written under the scratch folder, never over a model."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

import logicbone as lb

from _helpers import BENCH

HERE = Path(__file__).resolve().parent.parent / "benchmarks"
MODEL = "bbm/209_aberrant-cell-cycle-progression.bnet"


@pytest.fixture()
def run_module(tmp_path, monkeypatch):
    """benchmarks/run.py reading a copy of one corpus model (a faulty version cannot
    overwrite the corpus itself)."""
    if not (BENCH / MODEL).is_file():
        pytest.skip("the corpus is not next to the repository")
    sys.path.insert(0, str(HERE))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_run"] = module       # its dataclasses look themselves up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(HERE))
    corpus = tmp_path / "corpus"
    (corpus / "bbm").mkdir(parents=True)
    shutil.copy(BENCH / MODEL, corpus / MODEL)
    monkeypatch.setattr(module, "BENCH", corpus)
    return module, corpus


def test_a_condition_is_written_under_the_scratch_folder(run_module, tmp_path):
    module, corpus = run_module
    before = (corpus / MODEL).read_bytes()
    out, values = module.condition_file(MODEL, tmp_path / "scratch", 5)
    assert out.is_relative_to(tmp_path / "scratch") and out.is_file()
    assert set(values) == {"v_GF_High", "v_Trail"}
    net = lb.read_network(out)
    assert not net.inputs
    assert net.percolate().items() >= {k: bool(v) for k, v in values.items()}.items()
    assert (corpus / MODEL).read_bytes() == before


@pytest.mark.parametrize("absolute", [True, False])
def test_a_path_outside_the_corpus_index_is_refused(run_module, tmp_path, absolute):
    module, corpus = run_module
    before = (corpus / MODEL).read_bytes()
    bad = str(corpus / MODEL) if absolute else "../corpus/" + MODEL
    with pytest.raises(ValueError, match="inside the corpus"):
        module.condition_file(bad, tmp_path / "scratch", 5)
    assert (corpus / MODEL).read_bytes() == before


def test_a_later_record_of_the_same_run_replaces_an_earlier_one(run_module, tmp_path):
    import json
    module, _ = run_module

    def rec(question, file, seconds, **key):
        return {"question": question, "file": file, "seconds": seconds, **key}
    first, again = tmp_path / "first.jsonl", tmp_path / "again.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in [
        rec("fixed_points", "a", 1, mode="free"), rec("fixed_points", "a", 2, mode="conditions"),
        rec("fixed_points", "b", 3, mode="free"), rec("hard_conditions", "h", 4, seed=0),
        rec("hard_conditions", "h", 5, seed=1)]))
    again.write_text("".join(json.dumps(r) + "\n" for r in [
        rec("fixed_points", "a", 6, mode="free"), rec("hard_conditions", "h", 7, seed=1)]))
    got = module.latest_records([str(first), str(again)])
    assert [(r["file"], r["seconds"]) for r in got] == [
        ("a", 2), ("b", 3), ("h", 4), ("a", 6), ("h", 7)]
