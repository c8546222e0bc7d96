"""Shared fixtures (golden files); the shared helpers are in _helpers.py."""
from __future__ import annotations

import re

import pytest

from _helpers import BENCH, ROOT
# still importable from here for test modules written before _helpers.py (test_layers asks
# them to import from _helpers instead)
from _helpers import MODELS, corpus_index  # noqa: F401


def pytest_collection_modifyitems(config, items):
    """Tests that read the benchmark corpus (markers ``corpus``, ``corpus_sample``) are skipped,
    with one reason, where it is not next to the checkout."""
    if BENCH.is_dir():
        return
    skip = pytest.mark.skip(reason=f"benchmark corpus not found at {BENCH}")
    for item in items:
        if item.get_closest_marker("corpus") or item.get_closest_marker("corpus_sample"):
            item.add_marker(skip)


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
