"""Process-wide guards of the command line: a cap on memory, and SIGTERM taken as Ctrl-C.

The memory cap: a library that runs away (a BDD, a solver, a numpy array of every state)
meets ``MemoryError`` instead of taking the whole machine. By default the address space of
a logicbone process is capped at :data:`DEFAULT_FRACTION` of the physical memory;
``LOGICBONE_MEMORY_LIMIT`` changes it: a size (``4G``, ``512M``, bytes), a share of the
physical memory (``50%``), or ``off``. Worker processes inherit the cap.

SIGTERM is taken as Ctrl-C. Outside an analysis (where the budget turns the first signal into
a partial answer) either raises :class:`KeyboardInterrupt`; the signals after it are ignored
while the process winds down, so it ends the same way however often the key is pressed:
workers ended, nothing half-written, exit 130.
"""
from __future__ import annotations

import os
import re
import signal
import sys
import threading
from types import FrameType

#: Share of the physical memory one logicbone process may map by default.
DEFAULT_FRACTION = 0.75
ENV = "LOGICBONE_MEMORY_LIMIT"

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def physical_memory() -> int | None:
    """Bytes of physical memory, or None where the system does not say."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def memory_cap(setting: str | None, physical: int | None) -> int | None:
    """The cap in bytes that ``setting`` (the value of ``LOGICBONE_MEMORY_LIMIT``) asks for;
    None for no cap.

    >>> memory_cap("2G", None), memory_cap("50%", 8 << 30) == 4 << 30, memory_cap("off", 1)
    (2147483648, True, None)
    >>> memory_cap(None, 4 << 30) == 3 << 30
    True

    Raises
    ------
    ValueError
        On a setting that is none of these.
    """
    text = (setting or "").strip().upper().removesuffix("B")
    if not text:
        return None if physical is None else int(physical * DEFAULT_FRACTION)
    if text in ("OFF", "NONE", "0", "UNLIMITED"):
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
    if m:
        share = float(m.group(1)) / 100
        if not 0 < share <= 1:
            raise ValueError(setting)
        return None if physical is None else int(physical * share)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)I?", text)
    if not m:
        raise ValueError(setting)
    value = int(float(m.group(1)) * _UNITS[m.group(2)])
    if value < 64 << 20:  # below what the interpreter and numpy need to start
        raise ValueError(setting)
    return value


def cap_memory(environ: dict[str, str] | None = None) -> int | None:
    """Apply the cap of ``LOGICBONE_MEMORY_LIMIT`` (or the default) to this process; return
    it. A lower limit already in force is kept."""
    import resource

    env = os.environ if environ is None else environ
    cap = memory_cap(env.get(ENV), physical_memory())
    if cap is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        return None
    return cap


def ignore_interrupts() -> None:
    """Ignore Ctrl-C and SIGTERM from now on (the process is winding down after one)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM outside an analysis: stop with KeyboardInterrupt; further signals
    are ignored while the process winds down (ends its workers, closes its files), so that
    it still exits 130 with nothing half-written."""
    ignore_interrupts()
    raise KeyboardInterrupt


def install() -> None:
    """The guards of one command-line process: the memory cap and SIGTERM as Ctrl-C."""
    try:
        cap_memory()
    except ValueError:
        print(f"error: {ENV}={os.environ.get(ENV)!r}: expected a size such as 4G or 512M, "
              "a share of the physical memory such as 50%, or off", file=sys.stderr)
        raise SystemExit(2) from None
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _interrupt)


def out_of_memory() -> str:
    """The one-line message for a ``MemoryError``."""
    import resource

    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    where = ("the memory available" if soft == resource.RLIM_INFINITY
             else f"its cap of {soft / (1 << 30):.1f} GB")
    return (f"error: out of memory: the analysis needed more than {where}; ask for less "
            f"(--limit, --count, a symbolic --method) or change the cap with {ENV} "
            "(e.g. 8G, 90%, off)")
