"""Shared fixtures: where the repository, the shipped models and the benchmark corpus are."""
from __future__ import annotations

import csv
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
