"""parallel_map and the executors: the same results in-process, on local processes and on Dask."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
import logicbone.parallel
from logicbone.parallel import from_portable, parallel_map, portable

from _helpers import BENCH, MODELS

# the BBM model of the acceptance screen: 67 nodes, 26 inputs (mTOR signalling)
MTOR_BBM = BENCH / "bbm" / "215_mtor-pathway.bnet"
# the 96-node model of the screen that did not scale (issue: 801 perturbations)
MONOCYTES_BBM = BENCH / "bbm" / "161_differentiation-of-monocytes.bnet"


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster


@given(st.lists(st.integers(0, 30), max_size=40), st.booleans())
@settings(max_examples=30, deadline=None)
def test_serial_map_is_enumerate(xs, ordered):
    got = list(parallel_map(math.factorial, xs, ordered=ordered))
    assert got == [(i, math.factorial(x)) for i, x in enumerate(xs)]


def test_process_pool_matches_serial():
    xs = list(range(60))
    got = list(parallel_map(math.factorial, xs, jobs=2, window=3))
    assert sorted(got) == [(i, math.factorial(x)) for i, x in enumerate(xs)]
    assert list(parallel_map(math.factorial, xs, jobs=2, ordered=True)) == sorted(got)


def test_errors_propagate():
    with pytest.raises(ValueError):
        list(parallel_map(math.factorial, [3, -1, 4], jobs=2))
    with pytest.raises(ValueError):
        list(parallel_map(math.factorial, [3, -1, 4]))


def test_dask_client_and_address(dask_cluster):
    from distributed import Client

    xs = list(range(25))
    want = [(i, math.factorial(x)) for i, x in enumerate(xs)]
    with Client(dask_cluster) as client:
        assert sorted(parallel_map(math.factorial, xs, scheduler=client, window=4)) == want
    assert list(parallel_map(math.factorial, xs, scheduler=dask_cluster.scheduler_address,
                             ordered=True)) == want


def test_unreachable_scheduler(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(lb.parallel, "CONNECT_TIMEOUT", 1)
    with pytest.raises(lb.ParallelError, match="cannot reach"):
        list(parallel_map(abs, [1], scheduler="tcp://127.0.0.1:9"))


def test_portable_round_trip_of_a_shipped_model():
    net = lb.read_network(MODELS / "muscle_fibre.rules")
    assert from_portable(portable(net)) == net


def _screen(net, **kw):
    base = lb.Perturbation({i: 1 for i in net.inputs})
    skip = set(net.inputs) | set(net.outputs)
    targets = [n for n in net.names if n not in skip][:kw.pop("n_targets")]
    return lb.screen(net, targets=targets, single=True, double=True, base=base, **kw)


def test_screen_is_the_same_on_every_executor(tmp_path, dask_cluster):
    net = lb.read_network(MODELS / "muscle_fibre.rules")
    outs = {}
    for name, kw in {"serial": {}, "pool": {"jobs": 2},
                     "dask": {"scheduler": dask_cluster.scheduler_address}}.items():
        outs[name] = tmp_path / f"{name}.jsonl"
        _screen(net, n_targets=6, output=outs[name], **kw)
    assert outs["serial"].read_bytes() == outs["pool"].read_bytes() == outs["dask"].read_bytes()


@pytest.mark.corpus
@pytest.mark.skipif(not MTOR_BBM.exists(), reason="benchmark corpus not present")
@pytest.mark.parametrize("model", [MTOR_BBM, MONOCYTES_BBM], ids=["mtor", "monocytes"])
def test_acceptance_screen_of_20_targets_on_a_bbm_model(tmp_path, model):
    """All 800 single and double perturbations of 20 targets: local pool == Dask == serial."""
    distributed = pytest.importorskip("distributed")
    net = lb.read_network(model)
    assert len(net.names) >= 60
    serial = _screen(net, n_targets=20, output=tmp_path / "serial.csv")
    assert len(serial.records) == 1 + 20 * 2 + 190 * 4
    assert all(r.complete for r in serial.records)
    _screen(net, n_targets=20, output=tmp_path / "pool.csv", jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        _screen(net, n_targets=20, output=tmp_path / "dask.csv",
                scheduler=cluster.scheduler_address)
    want = (tmp_path / "serial.csv").read_bytes()
    assert (tmp_path / "pool.csv").read_bytes() == want
    assert (tmp_path / "dask.csv").read_bytes() == want


# ---------------------------------------------------------------- shared data, batches

class _Counted:
    """Shared data that notes, in a file, every process that unpickles it."""

    def __init__(self, log, offset):
        self.log, self.offset = str(log), offset

    def __setstate__(self, state):
        self.__dict__.update(state)
        import os
        with open(self.log, "a") as fh:
            fh.write(f"{os.getpid()}\n")


def _add_offset(shared, x):
    return math.factorial(x) + shared.offset


@pytest.mark.parametrize("batch", [1, 4, 7, 100])
def test_shared_data_reaches_each_worker_once(tmp_path, batch):
    xs = list(range(50))
    want = [(i, math.factorial(x) + 3) for i, x in enumerate(xs)]
    shared = _Counted(tmp_path / "log", 3)
    assert list(parallel_map(_add_offset, xs, shared=shared, batch=batch)) == want
    got = list(parallel_map(_add_offset, xs, jobs=2, shared=shared, batch=batch, window=2))
    assert sorted(got) == want
    pids = (tmp_path / "log").read_text().split()
    # one copy per worker process, not one per task or per batch
    assert 1 <= len(pids) <= 2 and len(set(pids)) == len(pids)


@given(st.lists(st.integers(0, 20), max_size=30), st.integers(1, 8), st.booleans())
@settings(max_examples=20, deadline=None)
def test_batches_keep_every_index_once(xs, batch, ordered):
    from logicbone.parallel import _chunked  # the batching of the pool and Dask paths

    chunks = list(_chunked(iter(enumerate(xs)), batch))
    assert all(0 < len(c) <= batch for c in chunks)
    assert [p for c in chunks for p in c] == list(enumerate(xs))


def test_errors_propagate_from_a_batch():
    with pytest.raises(ValueError):
        list(parallel_map(_add_offset, [3, -1, 4], jobs=2, shared=_Counted("/dev/null", 0),
                          batch=2))


def test_dask_with_shared_data_and_batches(dask_cluster):
    xs = list(range(30))
    want = [(i, math.factorial(x) + 5) for i, x in enumerate(xs)]
    got = parallel_map(_add_offset, xs, scheduler=dask_cluster.scheduler_address,
                       shared=_Counted("/dev/null", 5), batch=4, ordered=True)
    assert list(got) == want


@pytest.mark.parametrize("tasks, jobs, size", [(800, 2, 16), (800, 8, 12), (20, 2, 1),
                                               (0, 2, 1), (100, 1, 12)])
def test_screen_batch_size(tasks, jobs, size):
    from logicbone.analysis.screen import _batch_size

    assert _batch_size(tasks, jobs) == size


# ---------------------------------------------------------------- forked copies

needs_fork = pytest.mark.skipif(not logicbone.parallel.can_fork(), reason="no os.fork here")


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_forked_copies_answer_every_index_once_from_the_memory_they_start_with(jobs):
    import os

    parent = os.getpid()
    unpicklable = {"f": lambda i: i * i}      # reached through memory, never pickled
    state = {"copy": False}

    def prepare():
        state["copy"] = True

    results, ends = logicbone.parallel.forked_map(
        lambda i: unpicklable["f"](i), 40, jobs, prepare=prepare,
        last=lambda: (os.getpid(), state["copy"]))
    assert results == {i: i * i for i in range(40)}
    # every copy ended well, after prepare() ran in it and not here
    assert len(ends) == jobs - 1 and not state["copy"]
    assert all(copy for _, copy in ends) and len({pid for pid, _ in ends} - {parent}) == jobs - 1


@needs_fork
def test_indices_a_copy_did_not_answer_are_run_here():
    import os
    import time

    parent = os.getpid()

    def fn(i):
        if os.getpid() != parent:
            raise RuntimeError("a copy fails")
        time.sleep(0.02)      # (the copy takes an index meanwhile)
        return -i

    results, ends = logicbone.parallel.forked_map(fn, 40, 2, last=lambda: "ended")
    assert results == {i: -i for i in range(40)} and ends == []


@needs_fork
def test_an_error_in_every_process_is_raised_here_and_no_copy_is_left():
    import os

    def fn(i):
        if i == 5:
            raise ValueError("bad index")
        return i

    def copies() -> list[str]:
        # this process's children that are copies of it, or not waited for (zombies)
        me = open(f"/proc/{os.getpid()}/cmdline", "rb").read()
        found = []
        for c in open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split():
            try:
                state = open(f"/proc/{c}/stat").read().rsplit(")", 1)[1].split()[0]
                cmdline = open(f"/proc/{c}/cmdline", "rb").read()
            except OSError:
                continue
            if state == "Z" or cmdline == me:
                found.append(c)
        return found

    before = copies()
    with pytest.raises(ValueError, match="bad index"):
        logicbone.parallel.forked_map(fn, 30, 3)
    assert copies() == before


def _children() -> set[str]:
    import os
    return set(open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split())


@needs_fork
def test_a_forked_call_answers_from_the_memory_it_starts_with():
    import os

    here = os.getpid()
    unpicklable = {"f": lambda: (os.getpid(), 6 * 7)}
    before = _children()
    pid, value = logicbone.parallel.forked_call(lambda: unpicklable["f"](), lambda: None)
    assert value == 42 and pid != here
    assert _children() == before        # waited for


@needs_fork
def test_a_forked_call_is_killed_when_the_poll_raises():
    import time

    polls = []

    def poll():
        polls.append(time.monotonic())
        if len(polls) > 3:
            raise lb.BudgetExceeded(lb.StopReason.TIMEOUT)

    before = _children()
    start = time.monotonic()
    with pytest.raises(lb.BudgetExceeded):
        logicbone.parallel.forked_call(lambda: time.sleep(60), poll, interval=0.02)
    assert time.monotonic() - start < 10 and _children() == before


@needs_fork
def test_a_forked_call_that_dies_raises_here():
    def fails():
        raise RuntimeError("in the copy")

    with pytest.raises(ChildProcessError):
        logicbone.parallel.forked_call(fails, lambda: None)


@needs_fork
def test_what_a_forked_copy_prints_does_not_enter_the_output(capfd):
    # C code in a copy (the model counter) writes to the file descriptor itself: the
    # output of this process is data, and stays as it was
    import os

    def noisy():
        os.write(1, b"c o intermediate count: 0\n")
        print("from the copy", flush=True)
        return 7

    assert logicbone.parallel.forked_call(noisy, lambda: None) == 7
    here = os.getpid()

    def each(i):
        if os.getpid() != here:
            os.write(1, b"x\n")
            print("y")
        return i

    found, _ = logicbone.parallel.forked_map(each, 4, 2)
    assert found == {0: 0, 1: 1, 2: 2, 3: 3}
    assert capfd.readouterr().out == ""


@needs_fork
def test_a_copy_beside_answers_without_this_process_waiting():
    import os
    import time

    parent = os.getpid()
    with logicbone.parallel.Beside(lambda: (os.getpid(), 6 * 7), every=0.0) as beside:
        for _ in range(500):
            if beside.answered():
                break
            time.sleep(0.01)
        assert beside.done
    pid, answer = beside.answer
    assert answer == 42 and pid != parent


@needs_fork
def test_a_copy_beside_is_killed_when_closed_before_it_answers():
    import os
    import time

    beside = logicbone.parallel.Beside(lambda: time.sleep(60), every=0.0)
    pid = beside._pid
    assert not beside.answered()
    beside.close()
    assert not beside.answered() and beside.answer is None
    with pytest.raises(ChildProcessError):      # killed and waited for: gone
        os.waitpid(pid, os.WNOHANG)


@needs_fork
def test_a_copy_beside_that_fails_answers_none():
    import time

    def fails():
        raise RuntimeError("in the copy")

    with logicbone.parallel.Beside(fails, every=0.0) as beside:
        for _ in range(500):
            if beside.answered():
                break
            time.sleep(0.01)
        assert beside.done and beside.answer is None
