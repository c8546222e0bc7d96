"""Rule files in the BooleanNet style: the native ``.rules`` format and BooleanNet itself.

Native ``.rules`` (what the shipped models use)::

    #! title: Muscle fibre signalling
    #! source: seeds/000 (Review of IGF-1 signalling in muscle)
    # Akt activates mTOR; AMPK inhibits it (seed 000, section 3).
    mTOR* = Akt and not AMPK

``#!`` lines are metadata (``title``, ``source`` -- repeatable -- and any other key); the
comment lines right above a rule, and a comment at the end of its line, become that node's
note. Operators are ``and``, ``or``, ``not`` (the symbols ``&``, ``|``, ``!`` are accepted).

BooleanNet files additionally have initial-value lines (``A = True``, ``A = Random``), rank
prefixes (``1: A* = B``) and names such as ``IL-6`` or ``TSC1/2``; the reader accepts those,
reports them as warnings, and renames such nodes into identifiers (``IL_6``, ``TSC1_2``),
recording the name map in the metadata.
"""
from __future__ import annotations

import logging
import re
from os import PathLike
from pathlib import Path

from ..errors import RuleSyntaxError
from ..expr import parse_expr, to_text
from ..network import Network, ParsedModel
from ._rules_text import RuleCollector, identifier
from .text import read_text

log = logging.getLogger(__name__)

__all__ = ["parse_rules", "read_rules", "write_rules", "to_rules",
           "parse_booleannet", "read_booleannet", "write_booleannet", "to_booleannet"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_META = re.compile(r"#!\s*([A-Za-z_][\w-]*)\s*:\s*(.*)")
# a BooleanNet name: anything but blanks, parentheses, '*', '=' and '#'
_LOOSE_NAME = re.compile(r"[^\s()*=#,!&|~^]+")
_OPERATOR_WORDS = {"and", "or", "not", "xor", "true", "false"}


def _split_comment(line: str) -> tuple[str, str]:
    i = line.find("#")
    if i < 0:
        return line, ""
    return line[:i], line[i + 1:].strip()


def _parse(text: str, path: str | None, loose: bool) -> ParsedModel:
    rules = RuleCollector(path)
    meta: dict[str, str] = {}
    sources: list[str] = []
    warnings: list[str] = []
    name_map = rules.name_map
    where = rules.where

    def fail(msg: str, lineno: int, col: int, raw: str) -> RuleSyntaxError:
        return RuleSyntaxError(msg, path=path, line=lineno, col=col, source_line=raw)

    def loosen(body: str) -> str:
        """Rename non-identifier names, keeping columns where possible."""
        def fix(m: re.Match[str]) -> str:
            tok = m.group()
            if tok.lower() in _OPERATOR_WORDS or tok in ("0", "1") or _IDENT.match(tok):
                return tok
            new = identifier(tok)
            if name_map.get(tok) != new:
                name_map[tok] = new
            return new
        return _LOOSE_NAME.sub(fix, body)

    for lineno, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped:
            rules.blank()
            continue
        if stripped.startswith("#!"):
            m = _META.match(stripped)
            if not m:
                raise fail("metadata lines read '#! key: value'", lineno, raw.find("#!") + 1, raw)
            key, value = m.group(1).lower(), m.group(2).strip()
            if key in ("source", "sources", "reference"):
                sources.append(value)
            else:
                meta[key] = value
            continue
        if stripped.startswith("#"):
            rules.comment(stripped.lstrip("#").strip())
            continue
        body, trailing = _split_comment(raw)
        offset = 0
        if loose:
            m = re.match(r"\s*\d+\s*:", body)
            if m:  # rank prefix "1: A* = B"
                offset = m.end()
        eq = body.find("=", offset)
        if eq < 0:
            col = len(body.rstrip()) + 1
            raise fail("expected '* =' and a rule after the target name", lineno, col, raw)
        lhs = body[offset:eq]
        star = lhs.rstrip().endswith("*")
        target = lhs.rstrip().rstrip("*").strip()
        tcol = offset + len(lhs) - len(lhs.lstrip()) + 1
        if not star:
            if loose:  # initial-value line "A = True"
                warnings.append(f"{where}:{lineno}: initial value line ignored: {stripped}")
                rules.blank()
                continue
            raise fail(f"expected '*' after the target name '{target}' (rules read 'A* = ...')",
                       lineno, tcol + len(target), raw)
        if not target:
            raise fail("missing target name before '*='", lineno, tcol, raw)
        if not _IDENT.match(target):
            if loose and _LOOSE_NAME.fullmatch(target):
                new = identifier(target)
                name_map[target] = new
                target = new
            else:
                bad = next((i for i, c in enumerate(target)
                            if not (c.isalnum() or c == "_")), 0)
                raise fail(f"'{target}' is not a valid node name (letters, digits and '_', "
                           "not starting with a digit)", lineno, tcol + bad, raw)
        rhs = body[eq + 1:]
        if loose:
            rhs = loosen(rhs)
        expr = parse_expr(rhs, path=path, line=lineno, col=eq + 2, source_line=raw,
                          dialect="rules")
        rules.rule(target, expr, lineno, tcol, raw, trailing)

    if name_map:
        warnings.append(f"{where}: names made into identifiers: {rules.renamed()}")
    for w in warnings:
        log.warning("%s", w)
    title = meta.pop("title", "")
    return rules.model(title=title, sources=sources, extra=meta, warnings=warnings)


def parse_rules_model(text: str, path: str | None = None) -> ParsedModel:
    """The rules of the text with their positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_rules`); the linter reads them."""
    return _parse(text, path, loose=False)


def parse_rules(text: str, path: str | None = None, *, undefined: str = "error") -> Network:
    """Parse native ``.rules`` text.

    Examples
    --------
    >>> net = parse_rules("A* = B\\nB* = A and not C\\nC* = C")
    >>> net.names, net.inputs
    (('A', 'B', 'C'), ('C',))
    """
    return parse_rules_model(text, path).to_network(undefined)


def parse_booleannet_model(text: str, path: str | None = None) -> ParsedModel:
    """The rules of the text with their positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_booleannet`); the linter reads them."""
    return _parse(text, path, loose=True)


def parse_booleannet(text: str, path: str | None = None, *,
                     undefined: str = "error") -> Network:
    """Parse BooleanNet text (initial values, ranks and loose names accepted)."""
    return parse_booleannet_model(text, path).to_network(undefined)


def read_rules(path: str | PathLike[str], *, undefined: str = "error") -> Network:
    """Read a native ``.rules`` file."""
    return parse_rules(read_text(path, "model"), str(path), undefined=undefined)


def read_booleannet(path: str | PathLike[str], *, undefined: str = "error") -> Network:
    """Read a BooleanNet file."""
    return parse_booleannet(read_text(path, "model"), str(path), undefined=undefined)


def to_rules(net: Network) -> str:
    """Native ``.rules`` text: metadata header, each node's note above its rule."""
    md = net.metadata
    out: list[str] = []
    if md.title:
        out.append(f"#! title: {md.title}")
    out += [f"#! source: {s}" for s in md.sources]
    out += [f"#! {k}: {v}" for k, v in md.extra.items()]
    if out:
        out.append("")
    for n in net.names:
        note = md.notes.get(n)
        if note:
            out.append(f"# {note}")
        out.append(f"{n}* = {to_text(net.rules[n], 'rules', xor=True, node=n)}")
    return "\n".join(out) + "\n"


def to_booleannet(net: Network) -> str:
    """BooleanNet text (``A *= B and not C``)."""
    lines = [f"# {net.metadata.title}"] if net.metadata.title else []
    lines += [f"{n} *= {to_text(net.rules[n], 'rules', node=n)}" for n in net.names]
    return "\n".join(lines) + "\n"


def write_rules(net: Network, path: str | PathLike[str]) -> None:
    """Write native ``.rules`` (atomically)."""
    from . import write_text_atomic
    write_text_atomic(path, to_rules(net))


def write_booleannet(net: Network, path: str | PathLike[str]) -> None:
    """Write BooleanNet (atomically)."""
    from . import write_text_atomic
    write_text_atomic(path, to_booleannet(net))
