"""BoolNet's network files (R package BoolNet, ``loadNetwork`` / ``saveNetwork``).

Extensions: ``.boolnet``, ``.boolnet.txt`` and ``.bn`` (BoolNet itself does not care; name
the format with ``format="boolnet"`` / ``--from boolnet`` for a plain ``.txt``).

::

    targets, factors
    # a comment
    Akt, PI3K & !PTEN
    mTOR, maj(Akt, Leucine, !AMPK)
    CycD, sumgt(ERK, Myc, Wnt, 1)

The header ``targets, factors`` (or ``targets, functions``) comes first; each rule is
``target, expression``. Expressions use ``&``, ``|``, ``!``, parentheses, the constants
``0``/``1`` and BoolNet's convenience operators ``all(...)`` (and), ``any(...)`` (or),
``maj(...)`` (more than half true), ``sumgt(..., k)`` (more than ``k`` true) and
``sumlt(..., k)`` (fewer than ``k`` true), which are expanded into and/or/not. Gene names
with a ``.`` (allowed by R) become identifiers with ``_`` (recorded in ``metadata.name_map``).
Temporal networks (``A[-1]``, ``timeis(..)``, iterators) and probabilistic networks (several
rules for one gene, or the ``probabilities`` column with values other than 1) are refused
with a message that says so.

Examples
--------
>>> net = parse_boolnet("targets, factors\\nA, maj(A, B, C)\\nB, !A\\nC, C")
>>> print(to_text(net.rules["A"]))
A & (B | C) | B & C
>>> print(to_boolnet(net), end="")
targets, factors
A, A & (B | C) | B & C
B, !A
C, C
"""
from __future__ import annotations

import logging
import re
from os import PathLike
from pathlib import Path

from ..errors import ModelError, RuleSyntaxError
from ..expr import FALSE, TRUE, And, Expr, Or, mk_and, mk_not, mk_or, parse_expr, \
    substitute, to_text
from ..network import Network, ParsedModel
from ._rules_text import RuleCollector
from .text import read_text

__all__ = ["parse_boolnet", "read_boolnet", "to_boolnet", "write_boolnet"]

log = logging.getLogger(__name__)

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RNAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*")
_CALL = re.compile(r"\b(all|any|maj|sumgt|sumlt|timeis|timegt|timelt)\s*([(\[])", re.IGNORECASE)


def _split_top(text: str, sep: str = ",") -> list[tuple[int, str]]:
    """Split at ``sep`` outside parentheses and brackets; (offset, part) pairs."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append((start, text[start:i]))
            start = i + 1
    parts.append((start, text[start:]))
    return parts


def _at_least(args: list[Expr], k: int) -> Expr:
    """At least ``k`` of ``args`` true, as a shared and/or graph of size O(n k)."""
    n = len(args)
    if k <= 0:
        return TRUE
    if k > n:
        return FALSE
    # row[j] = "at least j of args[i:]"
    row: list[Expr] = [TRUE, *[FALSE] * k]
    for i in range(n - 1, -1, -1):
        new: list[Expr] = [TRUE]
        for j in range(1, k + 1):
            new.append(mk_or([mk_and([args[i], row[j - 1]]), row[j]]))
        row = new
    return row[k]


class _Parser:
    def __init__(self, path: str | None, lineno: int, raw: str, name_map: dict[str, str]
                 ) -> None:
        self.path, self.lineno, self.raw, self.name_map = path, lineno, raw, name_map
        self.count = 0

    def fail(self, msg: str, col: int) -> RuleSyntaxError:
        return RuleSyntaxError(msg, path=self.path, line=self.lineno, col=col,
                               source_line=self.raw)

    def names(self, text: str) -> str:
        """R-style names with '.' made into identifiers (same length, so columns hold)."""
        def fix(m: re.Match[str]) -> str:
            tok = m.group()
            if "." not in tok:
                return tok
            if not re.search(r"[A-Za-z]", tok):
                return tok
            new = tok.replace(".", "_")
            if new[0].isdigit():
                return tok
            self.name_map.setdefault(tok, new)
            return new
        return _RNAME.sub(fix, text)

    def expr(self, text: str, col: int) -> Expr:
        """Parse ``text`` starting at column ``col`` of the line, expanding calls."""
        if "[" in text:
            raise self.fail("temporal predicate '[...]' is not supported (only Boolean "
                            "networks without time delays are read)", col + text.index("["))
        calls: dict[str, Expr] = {}
        out = []
        pos = 0
        while True:
            m = _CALL.search(text, pos)
            if m is None:
                break
            op = m.group(1).lower()
            if m.group(2) == "[" or op.startswith("time"):
                raise self.fail(f"temporal operator '{m.group(0)}' is not supported "
                                "(only Boolean networks without time delays are read)",
                                col + m.start())
            depth, end = 0, None
            for i in range(m.end() - 1, len(text)):
                if text[i] == "(":
                    depth += 1
                elif text[i] == ")":
                    depth -= 1
                    if depth == 0:
                        end = i
                        break
            if end is None:
                raise self.fail(f"'{m.group(1)}(' is never closed", col + m.end() - 1)
            inner_at = m.end()
            args = _split_top(text[inner_at:end])
            if op in ("sumgt", "sumlt"):
                if len(args) < 2:
                    raise self.fail(f"{op}() needs the arguments and a number", col + m.start())
                off, last = args.pop()
                if not last.strip().isdigit():
                    raise self.fail(f"the last argument of {op}() must be a whole number",
                                    col + inner_at + off + len(last) - len(last.lstrip()))
                k = int(last)
            vals = []
            for off, a in args:
                if not a.strip():
                    raise self.fail(f"empty argument in {op}()", col + inner_at + off)
                vals.append(self.expr(a, col + inner_at + off))
            if op == "all":
                e = And(vals) if len(vals) > 1 else vals[0]
            elif op == "any":
                e = Or(vals) if len(vals) > 1 else vals[0]
            elif op == "maj":
                e = _at_least(vals, len(vals) // 2 + 1)
            elif op == "sumgt":
                e = _at_least(vals, k + 1)
            else:
                e = mk_not(_at_least(vals, k))
            span = end + 1 - m.start()
            key = f"__f{self.count}"
            self.count += 1
            key = key + "_" * (span - len(key))
            calls[key] = e
            out.append(text[pos:m.start()])
            out.append(key)
            pos = end + 1
        out.append(text[pos:])
        flat = self.names("".join(out))
        e = parse_expr(flat, path=self.path, line=self.lineno, col=col, source_line=self.raw,
                       dialect="boolnet")
        return substitute(e, calls) if calls else e


def parse_boolnet_model(text: str, path: str | None = None) -> ParsedModel:
    """The rules of the text with their positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_boolnet`); the linter reads them."""
    rules = RuleCollector(path)
    header_seen = False
    probabilities = False
    seen: dict[str, int] = {}
    title: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        hash_at = raw.find("#")
        body = raw if hash_at < 0 else raw[:hash_at]
        comment = "" if hash_at < 0 else raw[hash_at + 1:].strip()
        if not body.strip():
            if comment:
                rules.comment(comment)
            else:
                rules.blank()
            continue
        parts = _split_top(body)
        if not header_seen:
            header_seen = True
            words = [p.strip().lower() for _, p in parts]
            if words[:1] == ["targets"]:
                if len(words) < 2 or words[1] not in ("factors", "functions") or (
                        len(words) == 3 and words[2] != "probabilities") or len(words) > 3:
                    raise RuleSyntaxError("the header reads 'targets, factors' (optionally "
                                          "', probabilities')", path=path, line=lineno,
                                          col=1, source_line=raw)
                probabilities = len(words) == 3
                title, rules.pending = rules.pending, []
                continue
            log.warning("%s: no 'targets, factors' header; BoolNet requires one",
                        path or "<text>")
        parser = _Parser(path, lineno, raw, rules.name_map)
        lead = len(body) - len(body.lstrip())
        if len(parts) < 2:
            raise RuleSyntaxError("expected ',' between the target and its rule", path=path,
                                  line=lineno, col=len(body.rstrip()) + 1, source_line=raw)
        if len(parts) > 3 or (len(parts) == 3 and not probabilities):
            off = parts[2][0] - 1
            raise RuleSyntaxError("unexpected ',' after the rule (a third column needs the "
                                  "'probabilities' header)", path=path, line=lineno,
                                  col=off + 1, source_line=raw)
        target_raw = parts[0][1].strip()
        if not _RNAME.fullmatch(target_raw) or not re.search(r"[A-Za-z]", target_raw):
            raise RuleSyntaxError(f"'{target_raw}' is not a valid gene name", path=path,
                                  line=lineno, col=lead + 1, source_line=raw)
        target = parser.names(target_raw)
        if not _IDENT.match(target):
            raise RuleSyntaxError(f"'{target_raw}' is not a valid gene name", path=path,
                                  line=lineno, col=lead + 1, source_line=raw)
        if len(parts) == 3:
            try:
                prob = float(parts[2][1])
            except ValueError:
                raise RuleSyntaxError(f"'{parts[2][1].strip()}' is not a probability",
                                      path=path, line=lineno, col=parts[2][0] + 1,
                                      source_line=raw) from None
            if prob != 1.0:
                raise ModelError(f"{path or '<text>'}:{lineno}:{parts[2][0] + 1}: rule for "
                                 f"'{target}' has probability {prob:g}; probabilistic "
                                 "networks are not supported")
        if target in seen:
            raise ModelError(f"{path or '<text>'}:{lineno}:{lead + 1}: a second rule for "
                             f"'{target}' (first on line {seen[target]}): probabilistic "
                             "networks are not supported")
        seen[target] = lineno
        off, rule = parts[1]
        expr = parser.expr(rule, off + 1)
        rules.rule(target, expr, lineno, lead + 1, raw, comment)
    rules.log_renamed(log, logging.WARNING)
    return rules.model(title=" ".join(title))


def parse_boolnet(text: str, path: str | None = None, *, undefined: str = "error") -> Network:
    """Parse a BoolNet network file.

    Parameters
    ----------
    undefined : {"error", "input"}
        What a regulator without a rule becomes.

    Raises
    ------
    RuleSyntaxError
        ``path:line:col: what`` for a malformed line, a temporal operator, a bad header.
    ModelError
        Several rules for one gene (a probabilistic network), an undefined regulator.

    Examples
    --------
    >>> net = parse_boolnet("targets, factors\\nA, sumlt(B, C, 1)\\nB, any(A, C)\\nC, 1")
    >>> str(net.rules["A"]), str(net.rules["B"]), net.constants
    ('!(B | C)', 'A | C', ('C',))
    """
    return parse_boolnet_model(text, path).to_network(undefined)


def read_boolnet(path: str | PathLike[str], *, undefined: str = "error") -> Network:
    """Read a BoolNet network file (see :func:`parse_boolnet`)."""
    return parse_boolnet(read_text(path, "model"), str(path), undefined=undefined)


def to_boolnet(net: Network) -> str:
    """BoolNet network text that ``BoolNet::loadNetwork`` reads.

    Node notes are written as comment lines above their rules.
    """
    md = net.metadata
    lines = [f"# {md.title}"] if md.title else []
    lines.append("targets, factors")
    for n in net.names:
        note = md.notes.get(n)
        if note:
            lines.append(f"# {' '.join(note.split())}")
        lines.append(f"{n}, {to_text(net.rules[n], 'bnet', node=n)}")
    return "\n".join(lines) + "\n"


def write_boolnet(net: Network, path: str | PathLike[str]) -> None:
    """Write a BoolNet network file (atomically)."""
    from . import write_text_atomic
    write_text_atomic(path, to_boolnet(net))
