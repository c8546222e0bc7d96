"""Update schemes."""
from __future__ import annotations

from ..modes import Mode

__all__ = ["Update"]


class Update(Mode):
    """How the nodes of a network change from one state to the next.

    SYNCHRONOUS
        every node takes its rule's value at once (a deterministic successor);
    ASYNCHRONOUS
        fully asynchronous: one node whose rule disagrees with its value changes per step;
    GENERAL
        general asynchronous: any non-empty subset of the nodes that can change, changes;
    MOST_PERMISSIVE
        most permissive semantics: its attractors are the minimal trap spaces.

    The value (``"asynchronous"``) is the name written in results; :attr:`label` (``async``)
    is the command-line spelling; :meth:`parse` reads either, and the aliases.

    >>> Update.parse("async"), Update.parse("general-asynchronous").label
    (<Update.ASYNCHRONOUS: 'asynchronous'>, 'general')
    """

    SYNCHRONOUS = "synchronous"
    ASYNCHRONOUS = "asynchronous"
    GENERAL = "general"
    MOST_PERMISSIVE = "most_permissive"

    @classmethod
    def aliases(cls) -> dict[str, Update]:
        return {"general_asynchronous": cls.GENERAL}

    @property
    def label(self) -> str:
        return _LABELS[self.value]

    @classmethod
    def _what(cls) -> str:
        return "update scheme"


_LABELS = {"synchronous": "sync", "asynchronous": "async", "general": "general",
           "most_permissive": "mp"}
