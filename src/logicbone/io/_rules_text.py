"""What every line-based reader collects while it reads a model: the rules with their
places, the comment lines above each rule (its note), and the names it made into
identifiers; then the :class:`~logicbone.network.ParsedModel` of them."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

from ..expr import Expr
from ..network import Metadata, ParsedModel, RuleEntry


def identifier(name: str) -> str:
    """``name`` made into an identifier: ``_`` for every other character, ``n`` before a
    leading digit."""
    s = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return s if re.match(r"[A-Za-z_]", s) else "n" + s


class RuleCollector:
    """The rules of one text as a reader finds them.

    Comment lines (:meth:`comment`) wait for the next rule and become its note, with the
    rule's own trailing comment; a blank line (:meth:`blank`) drops them.
    """

    def __init__(self, path: str | None):
        self.path = path
        self.entries: list[RuleEntry] = []
        self.pending: list[str] = []
        self.name_map: dict[str, str] = {}

    @property
    def where(self) -> str:
        """The path, or ``<text>``, for messages."""
        return self.path or "<text>"

    def comment(self, text: str) -> None:
        self.pending.append(text)

    def blank(self) -> None:
        self.pending = []

    def rule(self, target: str, expr: Expr, line: int, col: int, source_line: str,
             trailing: str = "") -> None:
        """A rule, noted with the waiting comments and its own ``trailing`` comment."""
        note = " ".join(self.pending + ([trailing] if trailing else []))
        self.entries.append(RuleEntry(target, expr, line, col, note, source_line))
        self.pending = []

    def renamed(self) -> str:
        """``name -> identifier, ...`` of the names made into identifiers."""
        return ", ".join(f"{k} -> {v}" for k, v in self.name_map.items())

    def log_renamed(self, log: logging.Logger, level: int) -> None:
        if self.name_map:
            log.log(level, "%s: names made into identifiers: %s", self.where, self.renamed())

    def model(self, *, title: str = "", sources: Iterable[str] = (),
              extra: Mapping[str, str] | None = None,
              warnings: Iterable[str] = ()) -> ParsedModel:
        """The rules, each rule's note in the metadata."""
        notes = {e.target: e.note for e in self.entries if e.note}
        metadata = Metadata(title, tuple(sources), notes, self.name_map, dict(extra or {}))
        return ParsedModel(tuple(self.entries), metadata, self.path, tuple(warnings))
