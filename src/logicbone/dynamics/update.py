"""Update schemes."""
from __future__ import annotations

import enum

from ..errors import UsageError

__all__ = ["Update"]


class Update(enum.Enum):
    """How the nodes of a network change from one state to the next.

    SYNCHRONOUS
        every node takes its rule's value at once (a deterministic successor);
    ASYNCHRONOUS
        fully asynchronous: one node whose rule disagrees with its value changes per step;
    GENERAL
        general asynchronous: any non-empty subset of the nodes that can change, changes;
    MOST_PERMISSIVE
        most permissive semantics: its attractors are the minimal trap spaces.
    """

    SYNCHRONOUS = "synchronous"
    ASYNCHRONOUS = "asynchronous"
    GENERAL = "general"
    MOST_PERMISSIVE = "most_permissive"

    @classmethod
    def parse(cls, text: "str | Update") -> "Update":
        """From ``sync``/``synchronous``, ``async``/``asynchronous``, ``general``, ``mp``."""
        if isinstance(text, Update):
            return text
        key = str(text).strip().lower().replace("-", "_")
        aliases = {"sync": cls.SYNCHRONOUS, "synchronous": cls.SYNCHRONOUS,
                   "async": cls.ASYNCHRONOUS, "asynchronous": cls.ASYNCHRONOUS,
                   "general": cls.GENERAL, "general_asynchronous": cls.GENERAL,
                   "mp": cls.MOST_PERMISSIVE, "most_permissive": cls.MOST_PERMISSIVE}
        try:
            return aliases[key]
        except KeyError:
            raise UsageError(
                f"unknown update scheme '{text}'; use sync, async, general or mp") from None
