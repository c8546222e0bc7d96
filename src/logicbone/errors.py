"""The logicbone error family.

Every error the library raises on purpose subclasses :class:`LogicboneError`, so a front end
can turn all of them into a one-line message in one place. The hierarchy decides what kind of
failure it is: an :class:`InputError` is the user's input (a model, a scenario or expectation
file, an option value, an output path that cannot be written) and a front end exits 2 on it;
any other :class:`LogicboneError` is a failure of the analysis itself (exit 1).
"""
from __future__ import annotations

import difflib


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
        shown = self.source_line.rstrip("\r\n")
        cut = 0
        if len(shown) > 120:  # keep the caret visible on enormous lines
            cut = max(0, self.col - 60)
            shown = shown[cut:cut + 120]
        return f"{self}\n    {shown}\n    {' ' * (self.col - 1 - cut)}^"


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
