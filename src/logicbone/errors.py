"""The logicbone error family.

Every error the library raises on purpose subclasses :class:`LogicboneError`, so a front end
can turn all of them into a one-line message in one place. The hierarchy decides what kind of
failure it is: an :class:`InputError` is the user's input (a model, a scenario or expectation
file, an option value, an output path that cannot be written) and a front end exits 2 on it;
any other :class:`LogicboneError` is a failure of the analysis itself (exit 1).
"""
from __future__ import annotations

import contextlib
import difflib
import logging
from collections.abc import Iterator


class LogicboneError(Exception):
    """Base class of every error logicbone raises on purpose."""


class InputError(LogicboneError):
    """Bad input from the user: a file that cannot be read or parsed, a bad option value,
    an output that cannot be written. Front ends exit 2 on it."""


class RuleSyntaxError(InputError):
    """A rule file or rule text that cannot be parsed.

    ``str(err)`` is ``path:line:col: message``; :meth:`excerpt` adds the offending line
    with a caret under the column.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int = 1, col: int = 1,
                 source_line: str | None = None):
        self.message = message
        self.path = path or "<text>"
        self.line = line
        self.col = col
        self.source_line = source_line
        super().__init__(f"{self.path}:{line}:{col}: {message}")

    def excerpt(self) -> str:
        """The message, then the offending line and a caret under the column."""
        if self.source_line is None:
            return str(self)
        # control characters would move the caret or act on the terminal: one mark each
        shown = "".join(c if c.isprintable() else " " if c == "\t" else "\ufffd"
                        for c in self.source_line.rstrip("\r\n"))
        cut = 0
        if len(shown) > 120:  # keep the caret visible on enormous lines
            cut = max(0, self.col - 60)
            shown = shown[cut:cut + 120]
        return f"{self}\n    {shown}\n    {' ' * (self.col - 1 - cut)}^"


class InputFileError(InputError):
    """An input file that cannot be read: missing, unreadable, not a regular file (a folder,
    FIFO or device), above the size limit, or not UTF-8 text (``path:line:col``)."""


class UsageError(InputError):
    """A request that cannot be carried out as asked (unknown format, update scheme, option)."""


class ModelError(InputError):
    """A model that parses but is not a valid network (duplicate target, undefined regulator)."""


class UnknownNodeError(InputError):
    """A node name that the network does not have; suggests the closest names."""

    def __init__(self, name: str, known: tuple[str, ...] | list[str], what: str = "node"):
        self.name = name
        close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
        if not close:
            low = name.lower()
            close = [k for k in known if low in k.lower()][:3]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"unknown {what} '{name}'{hint}")


class PerturbationError(InputError):
    """A perturbation that cannot be parsed or applied."""


class StateSpaceTooLarge(InputError):
    """Explicit work on 2^n states above the configured limit."""

    def __init__(self, n: int, limit: int, hint: str, *, what: str | None = None):
        self.n = n
        self.limit = limit
        what = what or f"the state space has 2^{n} states, above the limit of {limit:,} states"
        super().__init__(f"{what}; {hint}")


class ExpressionTooLarge(InputError):
    """A rule whose written-out form (or normal form) would be far too large to produce.

    ``node`` names the rule; the message says how large and what to do instead.
    """

    def __init__(self, message: str, *, node: str | None = None, size: int = 0):
        self.node = node
        self.size = size
        super().__init__(message)


class AnalysisTimeout(LogicboneError):
    """An analysis stopped by its time limit."""


class FileExistsRefused(InputError):
    """An output file exists and overwriting was not asked for."""


class OutputError(InputError):
    """An output that cannot be written (missing folder, permission, full disk)."""


_DEFERRING: list[int] = []


class _Hold(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def deferred_warnings(logger: str = "logicbone") -> Iterator[None]:
    """Hold back the messages logged under ``logger`` while the block runs: they are released,
    in order, when it ends normally, and dropped when it raises, so that an error comes first
    and alone (the warnings of a model that then fails to parse are not shown).

    Nested blocks defer to the outermost one.

    Examples
    --------
    >>> import logging
    >>> with deferred_warnings():
    ...     logging.getLogger("logicbone.io").warning("held until the block ends")
    """
    if _DEFERRING:
        yield
        return
    target = logging.getLogger(logger)
    hold = _Hold()
    propagate = target.propagate
    target.addHandler(hold)
    target.propagate = False
    _DEFERRING.append(1)
    ok = False
    try:
        yield
        ok = True
    finally:
        _DEFERRING.pop()
        target.removeHandler(hold)
        target.propagate = propagate
        if ok:
            for record in hold.records:
                _release(target, record)


def _release(start: logging.Logger, record: logging.LogRecord) -> None:
    """Pass a held record on from ``start`` as propagation would have (the handlers of
    ``start`` and its ancestors; Python's last-resort handler when there is none)."""
    found = 0
    c: logging.Logger | None = start
    while c is not None:
        for h in c.handlers:
            found += 1
            if record.levelno >= h.level:
                h.handle(record)
        if not c.propagate:
            break
        c = c.parent
    if not found and logging.lastResort is not None and \
            record.levelno >= logging.lastResort.level:
        logging.lastResort.handle(record)
