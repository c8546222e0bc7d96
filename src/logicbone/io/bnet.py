"""The bnet format (BoolNet / pyboolnet / BBM): ``target, rule`` per line.

Accepted in every flavour met in practice: with or without the ``targets, factors`` header,
with or without a blank after the comma, ``#`` comments (whole-line or trailing), names padded
with blanks, constants ``0``/``1``/``true``/``false``, rules nested tens of thousands of levels
deep or a megabyte long. Operators are ``&``, ``|``, ``!`` and ``^`` (exclusive or, as in
AEON's bnet); ``&&``, ``||`` and ``~`` belong to other dialects and are errors with their line
and column.

Examples
--------
>>> net = parse_bnet("targets, factors\\nA, B\\nB, A & !C\\nC, C")
>>> net.inputs
('C',)
>>> print(to_bnet(net), end="")
targets, factors
A, B
B, A & !C
C, C
"""
from __future__ import annotations

import re
from os import PathLike
from pathlib import Path

from ..errors import RuleSyntaxError
from ..expr import parse_expr, to_text
from ..network import Network, ParsedModel
from ._rules_text import RuleCollector
from .text import read_text

__all__ = ["parse_bnet", "read_bnet", "write_bnet", "to_bnet"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER = re.compile(r"\s*targets\s*,\s*factors\s*\Z", re.IGNORECASE)


def parse_bnet_model(text: str, path: str | None = None) -> ParsedModel:
    """The rules of the text with their positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_bnet`); the linter reads them."""
    rules = RuleCollector(path)
    header_comments: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped:
            rules.blank()
            continue
        if stripped.startswith("#"):
            c = stripped.lstrip("#").strip()
            (rules.pending if rules.entries else header_comments).append(c)
            continue
        hash_at = raw.find("#")
        body = raw if hash_at < 0 else raw[:hash_at]
        trailing = "" if hash_at < 0 else raw[hash_at + 1:].strip()
        if _HEADER.match(body):
            continue
        comma = body.find(",")
        lead = len(body) - len(body.lstrip())
        if comma < 0:
            m = re.match(r"\s*[A-Za-z_][A-Za-z0-9_]*", body)
            col = (m.end() if m else lead) + 1
            raise RuleSyntaxError("expected ',' between the target and its rule",
                                  path=path, line=lineno, col=col, source_line=raw)
        target = body[:comma].strip()
        if not target:
            raise RuleSyntaxError("missing target name before ','", path=path, line=lineno,
                                  col=lead + 1, source_line=raw)
        if not _IDENT.match(target):
            bad = next((i for i, c in enumerate(target) if not (c.isalnum() or c == "_")), 0)
            raise RuleSyntaxError(
                f"'{target}' is not a valid node name (letters, digits and '_', not starting "
                "with a digit)", path=path, line=lineno, col=lead + bad + 1, source_line=raw)
        expr = parse_expr(body[comma + 1:], path=path, line=lineno, col=comma + 2,
                          source_line=raw, dialect="bnet")
        rules.rule(target, expr, lineno, lead + 1, raw, trailing)
    return rules.model(extra={"comment": " ".join(header_comments)} if header_comments else {})


def parse_bnet(text: str, path: str | None = None, *, undefined: str = "error") -> Network:
    """Parse bnet text into a :class:`Network`.

    Parameters
    ----------
    undefined : {"error", "input"}
        What a regulator without a rule becomes.

    Raises
    ------
    RuleSyntaxError
        ``path:line:col: what`` for the first malformed line.
    ModelError
        For a duplicate target or, with ``undefined="error"``, a regulator without a rule.
    """
    return parse_bnet_model(text, path).to_network(undefined)


def read_bnet(path: str | PathLike[str], *, undefined: str = "error") -> Network:
    """Read a bnet file (see :func:`parse_bnet`)."""
    return parse_bnet(read_text(path, "model"), str(path), undefined=undefined)


def to_bnet(net: Network) -> str:
    """bnet text with the ``targets, factors`` header."""
    lines = []
    if net.metadata.title:
        lines.append(f"# {net.metadata.title}")
    lines.append("targets, factors")
    lines += [f"{n}, {to_text(net.rules[n], 'bnet', node=n)}" for n in net.names]
    return "\n".join(lines) + "\n"


def write_bnet(net: Network, path: str | PathLike[str]) -> None:
    """Write bnet (atomically)."""
    from . import write_text_atomic
    write_text_atomic(path, to_bnet(net))
