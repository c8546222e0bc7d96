"""Run one function over many tasks: in this process, a local process pool, or a Dask cluster.

Results are the same whatever runs them; only the order in which they arrive differs, so
:func:`parallel_map` yields ``(index, result)`` pairs and callers that need task order sort
by index (or pass ``ordered=True``).

Examples
--------
>>> sorted(parallel_map(abs, [-3, 1, -2]))
[(0, 3), (1, 1), (2, 2)]
>>> list(parallel_map(abs, [-3, 1, -2], ordered=True))
[(0, 3), (1, 1), (2, 2)]
"""
from __future__ import annotations

import functools
import itertools
import logging
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from .errors import LogicboneError, UsageError

if TYPE_CHECKING:
    from .network import Network

__all__ = ["parallel_map", "ParallelError", "default_jobs", "portable", "from_portable",
           "check_scheduler", "forked_map", "forked_call", "can_fork", "Beside"]

log = logging.getLogger(__name__)

#: seconds to wait for a Dask scheduler to answer
CONNECT_TIMEOUT = 20

#: ``shared`` not given (None is a value one may share)
_NOTHING: Any = type("_Nothing", (), {"__repr__": lambda self: "<nothing>"})()


class ParallelError(LogicboneError):
    """The executor could not be started or reached."""


#: seconds :func:`check_scheduler` waits for a scheduler's port to accept a connection
PROBE_TIMEOUT = 5.0

_ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})$")


def check_scheduler(address: str, *, timeout: float = PROBE_TIMEOUT) -> str:
    """Check a Dask scheduler address before any work; return the address to connect to.

    ``address`` is ``tcp://HOST:PORT`` (or ``tls://``, or ``HOST:PORT``), or a scheduler
    file (the JSON file ``dask scheduler --scheduler-file`` writes). The form is checked, then
    the port is probed with a plain TCP connection that gives up after ``timeout`` seconds.

    Raises
    ------
    UsageError
        dask.distributed is not installed, the address is malformed, a scheduler file cannot
        be read, or nothing answers at the address.

    Examples
    --------
    >>> check_scheduler("nonsense://x")
    Traceback (most recent call last):
    ...
    logicbone.errors.UsageError: 'nonsense://x': not a scheduler address; give tcp://HOST:PORT or a scheduler file
    """
    import importlib.util
    import json
    import socket

    text = address.strip()
    if os.path.isfile(text):
        try:
            with open(text, encoding="utf-8") as fh:
                found = json.load(fh).get("address")
        except (OSError, ValueError, AttributeError) as err:
            raise UsageError(f"{text}: not a Dask scheduler file ({err})") from err
        if not isinstance(found, str):
            raise UsageError(f"{text}: not a Dask scheduler file (no address in it)")
        text = found
    m = _ADDRESS.match(text)
    if m is None or not 0 < int(m.group(3)) < 65536:
        raise UsageError(f"{address!r}: not a scheduler address; give tcp://HOST:PORT or a "
                         "scheduler file")
    if importlib.util.find_spec("distributed") is None:
        raise UsageError("running on a Dask cluster needs dask.distributed, which is not "
                         "installed (pip install 'logicbone[dask]')")
    host, port = m.group(2).strip("[]"), int(m.group(3))
    full = text if m.group(1) else f"tcp://{text}"
    try:  # a closed port answers at once
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as err:
        reason = err.strerror or str(err) or type(err).__name__
        raise UsageError(f"cannot reach the Dask scheduler at {text}: {reason}") from err
    # something listens: ask it who it is, and give up after ``timeout`` (a server that
    # never answers would otherwise hold a client's handshake, and the process, forever)
    import concurrent.futures as cf

    with cf.ThreadPoolExecutor(1) as pool:
        probe = pool.submit(_identity, full, timeout)
        try:
            info = probe.result()
        except Exception as err:
            reason = (f"no answer within {timeout:g} s"
                      if isinstance(err, TimeoutError) else str(err) or type(err).__name__)
            raise UsageError(f"cannot reach the Dask scheduler at {text}: {reason}") from None
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        raise UsageError(f"{text}: something answers there, but not a Dask scheduler")
    return full


def _identity(address: str, timeout: float) -> Any:
    """The identity a Dask scheduler gives (``{"type": "Scheduler", ...}``), asked within
    ``timeout`` seconds in an event loop of its own."""
    import asyncio

    from distributed.comm import connect

    async def ask() -> Any:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded() -> Any:
        return await asyncio.wait_for(ask(), timeout)

    return asyncio.run(bounded())


def portable(net: Network) -> tuple[tuple[str, str], ...]:
    """A network as ``((name, rule text), ...)``: cheap to pickle at any rule depth.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("A, !B\\nB, A & B")
    >>> portable(net)
    (('A', '!B'), ('B', 'A & B'))
    >>> from_portable(portable(net)) == net
    True
    """
    from .expr import to_text

    return tuple((n, to_text(net.rules[n], xor=True, node=n)) for n in net.names)


@functools.lru_cache(maxsize=8)
def from_portable(spec: tuple[tuple[str, str], ...]) -> Network:
    """The network of :func:`portable` (parsed once per process and spec)."""
    from .expr import parse_expr
    from .network import Network

    return Network.from_rules({n: parse_expr(text) for n, text in spec})


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def parallel_map(fn: Callable[..., Any], tasks: Iterable[Any], *, jobs: int | None = 1,
                 scheduler: "str | Any | None" = None, ordered: bool = False,
                 window: int | None = None, shared: Any = _NOTHING,
                 batch: int = 1) -> Iterator[tuple[int, Any]]:
    """Apply ``fn`` to every task, yielding ``(index, fn(task))`` as each result is ready.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled to reach other processes).
    tasks : iterable
        Its arguments, one per call; picklable.
    jobs : int or None
        Local worker processes; ``1`` runs in this process, ``None`` or ``0`` uses every core.
        Ignored when ``scheduler`` is given.
    scheduler : str or dask.distributed.Client, optional
        ``tcp://HOST:PORT`` of a Dask scheduler, or a connected ``Client``: run the tasks on
        that cluster instead.
    ordered : bool
        Yield in task order (results that finish early wait for the ones before them).
    window : int, optional
        At most this many submissions (batches) are in flight and not yet yielded (default:
        4 per worker), so that a long task list is never materialised on the executor at once.
    shared : object, optional
        Data every call needs (a model, say): sent to each worker once, not with every task
        (a process pool's initializer; on Dask, scattered to every worker), and ``fn`` is then
        called as ``fn(shared, task)``. Picklable.
    batch : int
        Tasks per submission: a worker runs them in a row and returns their results together,
        which saves a round trip per task where tasks are short.

    Yields
    ------
    (int, object)
        The task's position in ``tasks`` and its result.

    Raises
    ------
    ParallelError
        When the Dask scheduler cannot be reached or dask.distributed is not installed.
    Exception
        Whatever ``fn`` raised, re-raised here; pending tasks are cancelled.
    """
    has_shared = shared is not _NOTHING
    if scheduler is None:
        jobs = default_jobs() if not jobs else int(jobs)
        if jobs <= 1:
            gen: Iterator[tuple[int, Any]] = (
                (i, fn(shared, t) if has_shared else fn(t)) for i, t in enumerate(tasks))
            return _in_order(gen) if ordered else gen
    chunks = _chunked(enumerate(tasks), max(1, int(batch)))
    if scheduler is not None:
        runner = functools.partial(_run_chunk, fn, has_shared)
        batches = _dask_map(runner, chunks, scheduler, window,
                            **({"shared": shared} if has_shared else {}))
    else:
        key = f"{os.getpid()}-{next(_KEYS)}"
        runner = functools.partial(_run_chunk_installed, fn, has_shared, key)
        batches = _pool_map(runner, chunks, int(jobs or 1), window, initializer=_install,
                            initargs=(key, shared if has_shared else None))
    gen = (pair for _, pairs in batches for pair in pairs)
    return _in_order(gen) if ordered else gen


# ---------------------------------------------------------------- shared data and batches

#: data sent once to each worker process, by key (see ``shared`` of :func:`parallel_map`)
_WORKER_DATA: dict[str, Any] = {}
_KEYS = itertools.count()


def _install(key: str, value: Any) -> None:
    """Process pool initializer: keep this map's shared data in the worker."""
    _WORKER_DATA.clear()  # a worker serves one map: the data of an earlier one can go
    _WORKER_DATA[key] = value


def _chunked(pairs: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(itertools.islice(pairs, size)):
        yield chunk


def _run_chunk(fn, has_shared: bool, *args) -> list[tuple[int, Any]]:
    """Worker side: one batch of ``(index, task)`` pairs (``args`` = [shared,] chunk)."""
    chunk = args[-1]
    if has_shared:
        return [(i, fn(args[0], t)) for i, t in chunk]
    return [(i, fn(t)) for i, t in chunk]


def _run_chunk_installed(fn, has_shared: bool, key: str, chunk) -> list[tuple[int, Any]]:
    """Worker side, local processes: the shared data comes from the initializer."""
    if has_shared:
        return _run_chunk(fn, True, _WORKER_DATA[key], chunk)
    return _run_chunk(fn, False, chunk)


def _in_order(pairs: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    waiting: dict[int, Any] = {}
    nxt = 0
    for i, r in pairs:
        waiting[i] = r
        while nxt in waiting:
            yield nxt, waiting.pop(nxt)
            nxt += 1


def _pool_map(fn, tasks, jobs: int, window: int | None, initializer=None,
              initargs: tuple = ()) -> Iterator[tuple[int, Any]]:
    import concurrent.futures as cf
    import multiprocessing

    window = window or 4 * jobs
    # fork would copy the caller's threads' locks (e.g. a Dask client or logging) into the
    # workers; a fresh interpreter per worker is slower to start but always safe
    ctx = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    log.info("running on %d local processes", jobs)
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_start,
                                  initargs=(initializer, initargs))
    try:
        yield from _windowed(lambda t: pool.submit(fn, t), tasks, window,
                             lambda fs: cf.wait(fs, return_when=cf.FIRST_COMPLETED)[0],
                             lambda f: f.result(), lambda f: f.cancel())
    except BaseException:
        # Ctrl-C, SIGTERM, an error, or the caller stopped early: end every worker now
        # rather than wait for the tasks they are running
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True)


def _worker_start(initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    """Worker side: Ctrl-C at a terminal reaches every process of the group; the parent
    alone decides (it ends the workers), so a worker ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def _stop_workers(pool: Any) -> None:
    """Cancel what is queued and end the worker processes of ``pool`` at once; then wait
    for the pool's manager thread to end (``shutdown(wait=False)`` forgets it, and one
    still running at exit races the interpreter's own clean-up of the pool, which can
    then print a traceback: a write to a pipe the thread has just closed)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=2)
        if p.is_alive():
            p.kill()
            p.join(timeout=2)
    if manager is not None:
        manager.join(timeout=5)


def _dask_map(fn, tasks, scheduler, window: int | None,
              **shared: Any) -> Iterator[tuple[int, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError as err:
        raise ParallelError("running on a Dask cluster needs dask.distributed "
                            "(pip install 'logicbone[dask]')") from err
    own = not isinstance(scheduler, Client)
    if own:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise ParallelError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
    else:
        client = scheduler
    try:
        workers = max(1, sum(client.nthreads().values()))
        log.info("running on the Dask cluster at %s (%d worker threads)",
                 getattr(client.scheduler, "address", scheduler), workers)
        window = window or 4 * workers
        # shared data goes to every worker once; each call names it by its future
        first = (client.scatter(shared["shared"], broadcast=True, hash=False),) \
            if shared else ()
        pending: dict[Any, int] = {}
        stream = iter(enumerate(tasks))
        ac = as_completed(loop=client.loop)

        def top_up() -> None:
            for i, t in stream:
                f = client.submit(fn, *first, t, pure=False)
                pending[f] = i
                ac.add(f)
                if len(pending) >= window:
                    return

        try:
            top_up()
            for f in ac:
                i = pending.pop(f)
                yield i, f.result()
                top_up()
        finally:
            for f in pending:
                f.cancel()
    finally:
        if own:
            client.close()


def _windowed(submit, tasks, window, wait_some, result, cancel) -> Iterator[tuple[int, Any]]:
    """Keep at most ``window`` futures in flight; yield each result as it completes."""
    pending: dict[Any, int] = {}
    it = iter(enumerate(tasks))
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < window:
                try:
                    i, t = next(it)
                except StopIteration:
                    exhausted = True
                    break
                pending[submit(t)] = i
            if not pending:
                return
            done = wait_some(list(pending))
            # yield finished results in task order within one batch: reproducible logs
            for f in sorted(done, key=pending.__getitem__):
                i = pending.pop(f)
                yield i, result(f)
    finally:
        for f in pending:
            cancel(f)


# ---------------------------------------------------------------- forked copies

def can_fork() -> bool:
    """Whether :func:`forked_map` can run on copies of this process (Linux: ``os.fork``
    is safe there for code that holds no other thread's lock)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def forked_map(fn: Callable[[int], Any], count: int, jobs: int, *,
               prepare: Callable[[], None] | None = None,
               last: Callable[[], Any] | None = None
               ) -> tuple[dict[int, Any], list[Any]]:
    """``fn(i)`` for every ``i < count``, in this process and in ``jobs - 1`` copies of it
    forked now, each taking the next index in turn: ``({i: fn(i)}, [last() of each copy
    that ended well])``.

    The copies start from this process's memory as it stands (a BDD manager and its
    diagrams, the caller's objects: nothing is pickled but results), so ``fn`` may close
    over anything, and what a copy changes stays its own. A copy first runs ``prepare()``
    (to quiet its progress, say), sends each result as it is found and, when no index is
    left, ``last()`` (what it learnt that the caller keeps); it ends with ``os._exit``,
    and early if this process is gone. The indices a copy took and did not answer (it
    died, or ``fn`` raised there) are run here, so an error is raised here as without
    copies. With ``jobs <= 1``, or where :func:`can_fork` is false, all run here.

    Signals reach the copies as they reach this process (Ctrl-C at a terminal reaches the
    whole process group): ``fn`` is expected to stop on them as it does here (a budget
    that turns them into bounds). Copies still running when this call raises are killed.
    """
    results: dict[int, Any] = {}
    ends: list[Any] = []
    jobs = max(1, min(int(jobs), count))
    if jobs <= 1 or not can_fork():
        for i in range(count):
            results[i] = fn(i)
        return results, ends
    import multiprocessing
    import multiprocessing.connection as mpc

    nxt = multiprocessing.get_context("fork").Value("q", 0)

    def take() -> int:
        with nxt.get_lock():
            i = int(nxt.value)
            nxt.value = i + 1
        return i

    parent = os.getpid()

    def serve(writer: Any) -> None:
        if prepare is not None:
            prepare()
        while os.getppid() == parent:
            i = take()
            if i >= count:
                writer.send(("end", last() if last is not None else None))
                return
            writer.send(("result", i, fn(i)))

    children: dict[Any, int] = {}      # the reading end of each copy's pipe -> its pid
    try:
        for _ in range(jobs - 1):
            reader, pid = _fork(serve)
            children[reader] = pid
        log.debug("running on %d processes", jobs)

        def drain(timeout: float | None) -> None:
            for ready in mpc.wait(list(children), timeout):
                conn = cast("mpc.Connection", ready)
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    os.waitpid(children.pop(conn), 0)
                    conn.close()
                    continue
                if msg[0] == "result":
                    results[msg[1]] = msg[2]
                else:
                    ends.append(msg[1])

        while (i := take()) < count:
            results[i] = fn(i)
            drain(0)
        while children:
            drain(None)
    finally:
        for conn, pid in children.items():      # (only when this process raised)
            _end(pid, kill=True)
            conn.close()
    for i in range(count):       # taken by a copy that did not answer
        if i not in results:
            results[i] = fn(i)
    return results, ends


def forked_call(fn: Callable[[], Any], poll: Callable[[], None], *,
                interval: float = 0.05) -> Any:
    """``fn()`` run in a copy of this process forked now, while this one calls ``poll()``
    every ``interval`` seconds: the result, sent back through a pipe. For work that
    cannot stop on its own (a solver's C code that holds the interpreter): when ``poll``
    raises (a deadline passed, an interrupt arrived), the copy is killed and the error
    raised here. :class:`ChildProcessError` when the copy ended without an answer (it
    crashed, or ``fn`` raised there). Where :func:`can_fork` is false, ``fn()`` runs here.
    """
    if not can_fork():
        return fn()
    with Beside(fn) as beside:
        answer = beside.wait(poll, interval)
    if beside.failed:
        raise ChildProcessError("a forked copy ended without an answer")
    return answer


def _fork(work: Callable[[Any], None]) -> tuple[Any, int]:
    """A copy of this process forked now that runs ``work(writer)`` (the sending end of a
    pipe) and exits, with status 0 when ``work`` returned, 1 when it raised: ``(the
    reading end, its pid)``.

    The copy's standard output goes to the null device: its answers come through the
    pipe, and the output of this process is data (C code in the copy, such as the model
    counter's, prints there; its lines would enter a JSON document)."""
    import multiprocessing

    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:     # the copy
        code = 1
        try:
            reader.close()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
            sys.stdout = open(os.devnull, "w")
            work(writer)
            code = 0
        except BaseException:      # (the caller hears no answer)
            pass
        finally:
            os._exit(code)
    writer.close()
    return reader, pid


def _end(pid: int, *, kill: bool) -> None:
    """Wait for a forked copy to end, killed first with ``kill``."""
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass


class Beside:
    """``fn()`` run in a copy of this process forked now, beside this process's own work
    (a second way to the same answer, raced): :meth:`answered` says, without waiting,
    whether the copy has answered, and :attr:`answer` then holds its answer (None, with
    :attr:`failed` true, when it ended without one: it crashed, or ``fn`` raised there;
    :func:`forked_call` waits for it, raising then). The copy is killed
    when this is closed before it answered. Where :func:`can_fork` is false, ``fn()`` is
    not run: nothing is answered.

    ``every``: the pipe is looked at no more often than this (in seconds), so
    :meth:`answered` can be called at every check of a budget.
    """

    def __init__(self, fn: Callable[[], Any], *, every: float = 0.05) -> None:
        self.answer: Any = None
        self.done = False
        self.failed = False
        self._every = every
        self._next = 0.0
        self._reader: Any = None
        self._pid = 0
        if can_fork():
            self._reader, self._pid = _fork(lambda writer: writer.send(fn()))

    def answered(self) -> bool:
        """Whether the copy has answered (or ended without an answer)."""
        if self.done or self._reader is None:
            return self.done
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + self._every
        import multiprocessing.connection as mpc
        if not mpc.wait([self._reader], 0):
            return False
        try:
            self.answer = self._reader.recv()
        except (EOFError, OSError):
            self.answer, self.failed = None, True
        self.done = True
        self.close()
        return True

    def wait(self, poll: Callable[[], None], interval: float = 0.05) -> Any:
        """The answer, once it comes (None where nothing is answered: no copy, or it
        ended without one), calling ``poll()`` every ``interval`` seconds meanwhile (a
        budget's check: when it raises, the copy is killed)."""
        import multiprocessing.connection as mpc
        try:
            while not self.done and self._reader is not None:
                poll()
                mpc.wait([self._reader], interval)
                self._next = 0.0
                self.answered()
        finally:
            self.close()
        return self.answer

    def close(self) -> None:
        """End the copy (killed if it has not answered)."""
        if self._reader is not None:
            _end(self._pid, kill=not self.done)
            self._reader.close()
            self._reader = None

    def __enter__(self) -> "Beside":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
