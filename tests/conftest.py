"""Shared fixtures: where the repository, the shipped models and the benchmark corpus are."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
BENCH = ROOT.parent / "shared" / "benchmarks"


def corpus_index() -> list[dict]:
    """Every row of the corpus index files (empty if the corpus is not next to the checkout)."""
    rows = []
    for sub in ("bbm", "pyboolnet_repo", "related"):
        idx = BENCH / sub / "index.csv"
        if idx.exists():
            with open(idx, newline="") as fh:
                rows += list(csv.DictReader(fh))
    return rows


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files under tests/golden from the current output.")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


#: the date GEXF writers stamp into the file: not compared with the golden file
_GEXF_DATE = re.compile(r'lastmodifieddate="[0-9-]+"')


@pytest.fixture
def golden(update_golden):
    """``golden(text, name)``: compare with (or, with --update-golden, rewrite)
    tests/golden/NAME; a GEXF file's date stamp is left out of the comparison."""
    def check(text: str, name: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update_golden:
            path.write_text(text)
        assert _GEXF_DATE.sub("", text) == _GEXF_DATE.sub("", path.read_text()), name
    return check
