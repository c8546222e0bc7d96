"""Whole corpus: fixed points and minimal trap spaces against the reference answers.

Run with ``make test-corpus`` (``pytest -m corpus``). Where the reference finished, the
answers must be identical (sha256 of the sorted list, in sorted-name order); where it did
not, logicbone's count must be at least what the reference had found.
"""
from __future__ import annotations

import pytest

import logicbone as lb

from _helpers import BENCH, digest, expected

pytestmark = pytest.mark.corpus

FIXED = expected("fixed_points")
MIN_TRAPS = expected("min_trap_spaces")


def _load(file):
    net = lb.read_network(BENCH / file)
    return net.reorder(sorted(net.names))


@pytest.mark.parametrize("file", sorted(FIXED))
def test_fixed_points(file):
    ref = FIXED[file]
    net = _load(file)
    if ref["solved"]:
        res = lb.fixed_points(net, timeout=60)
        assert res.complete, f"not answered in 60 s ({len(res)} listed)"
        assert len(res) == ref["count"]
        assert digest(res.strings()) == ref["sha256"]
        assert lb.count_fixed_points(net, timeout=60) == ref["count"]
    else:
        try:
            count = lb.count_fixed_points(net, timeout=60)
        except lb.AnalysisTimeout as err:     # no exact count in 60 s: its proven bound
            count = err.at_least
        assert count >= (ref.get("at_least") or 0)
        listed = lb.fixed_points(net, limit=1000, timeout=60)
        assert len(listed) == min(count, 1000)


@pytest.mark.parametrize("file", sorted(MIN_TRAPS))
def test_min_trap_spaces(file):
    ref = MIN_TRAPS[file]
    net = _load(file)
    res = lb.trap_spaces(net, "min", timeout=60)
    if ref["solved"]:
        assert res.complete, f"not answered in 60 s ({len(res)} listed)"
        assert len(res) == ref["count"]
        assert digest(res) == ref["sha256"]
    else:
        assert len(res) >= min(ref.get("at_least") or 0, 1)
