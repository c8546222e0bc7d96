"""The one budget: time limits, answer limits, progress, interrupts, outcomes."""
from __future__ import annotations

import math
import os
import signal
import time

import pytest

import logicbone as lb


@pytest.mark.parametrize("bad", [0, -1, math.nan, "soon"])
def test_bad_timeouts_are_refused(bad):
    with pytest.raises(lb.UsageError, match="timeout"):
        lb.Budget(timeout=bad)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_limits_are_refused(bad):
    with pytest.raises(lb.UsageError, match="limit"):
        lb.Budget(limit=bad)


def test_deadline_passes_and_check_raises():
    b = lb.Budget(timeout=0.01)
    assert not b.expired()
    time.sleep(0.03)
    assert b.expired() and b.timed_out
    with pytest.raises(lb.BudgetExceeded) as info:
        b.check()
    assert info.value.reason is lb.StopReason.TIMEOUT
    assert isinstance(info.value, lb.AnalysisTimeout)
    out = b.outcome()
    assert not out.complete and out.reason is lb.StopReason.TIMEOUT


def test_a_step_that_cannot_stop_fits_before_the_deadline_or_the_cutoff():
    assert lb.Budget().fits(10 ** 6)                 # no deadline: any step fits
    timed = lb.Budget(timeout=60)
    assert timed.fits(1.0) and not timed.fits(120.0)
    trial = timed.child(cutoff=5)                     # a cutoff stops the step too
    assert trial.fits(1.0) and not trial.fits(10.0)
    assert trial.remaining() > 50                     # (while the deadline stays)


def test_child_never_outlives_its_parent_and_shares_interrupts():
    parent = lb.Budget(timeout=10, limit=5)
    parent.take(3)
    child = parent.child(share=0.5)
    assert child.deadline is not None and parent.deadline is not None
    assert child.deadline <= parent.deadline
    assert child.left() == 2
    child.interrupt()
    assert parent.interrupted and parent.stop_reason() is lb.StopReason.INTERRUPTED


def test_child_of_an_exhausted_limit_is_exhausted():
    parent = lb.Budget(limit=2)
    parent.take(2)
    assert parent.child().limit_reached


def test_unlimited_budget_completes():
    b = lb.Budget()
    b.take(10**6)
    out = b.outcome()
    assert out.complete and out.reason is None and out.at_least is None
    assert out.to_dict() == {"complete": True}
    assert b.remaining() is None


def test_progress_is_rate_limited():
    seen: list[str] = []
    b = lb.Budget(progress=seen.append)
    b.report("now", every=0.0)
    b.report("too soon", every=60.0)
    b.report(lambda: "lazy", every=0.0)
    assert seen == ["now", "lazy"]


def test_first_signal_sets_the_flag_second_raises():
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN when started in a shell's background
    b = lb.Budget()
    with b.catch_interrupts():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)
        assert b.interrupted
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
    assert b.outcome().reason is lb.StopReason.INTERRUPTED
    assert signal.getsignal(signal.SIGINT) is before


def test_poll_checks_the_active_budget_only():
    lb.budget.poll()  # no active budget: nothing happens
    b = lb.Budget()
    with b.active():
        lb.budget.poll()
        b.interrupt()
        with pytest.raises(lb.BudgetExceeded) as info:
            lb.budget.poll()
        assert info.value.reason is lb.StopReason.INTERRUPTED
    lb.budget.poll()  # the block is over


def test_reading_a_model_stops_when_the_active_budget_is_spent(tmp_path):
    model = tmp_path / "m.bnet"
    model.write_text("".join(f"x{i}, x{i} & !x{(i + 1) % 5000}\n" for i in range(5000)))
    b = lb.Budget(timeout=10)
    b.interrupt()
    with b.active(), pytest.raises(lb.BudgetExceeded):
        lb.read_network(model)
    assert len(lb.read_network(model).names) == 5000  # outside the block: read in full


def test_a_cutoff_stops_a_child_without_shortening_its_shares():
    parent = lb.Budget(timeout=100.0)
    child = parent.child(cutoff=0.3)
    # the time left, and so the shares given to sub-searches, are the parent's
    assert child.remaining() > 90.0
    assert child.child(share=0.5).remaining() > 45.0
    grandchild = child.child(share=0.5)
    assert not child.expired() and not grandchild.expired()
    time.sleep(0.35)
    assert child.expired() and grandchild.expired()     # the cutoff is inherited
    assert not parent.expired()
    with pytest.raises(lb.BudgetExceeded):
        grandchild.check()


def test_a_stop_ends_a_child_and_its_children_not_the_parent():
    # a sub-search made needless (its answer found beside it) stops as at a deadline
    parent = lb.Budget(timeout=100.0)
    flag = {"needless": False}
    child = parent.child(stop=lambda: flag["needless"])
    grandchild = child.child(share=0.5)
    other = parent.child()
    child.check()
    grandchild.check()
    flag["needless"] = True
    assert child.expired() and grandchild.expired()
    assert not parent.expired() and not other.expired()
    with pytest.raises(lb.BudgetExceeded):
        grandchild.check()
    assert child.remaining() > 90.0      # no deadline moved
