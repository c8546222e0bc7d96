"""Cell Collective's Boolean expression text: one ``target = expression`` per line.

Extensions: ``.cc.txt``, ``.cellcollective`` and ``.cellcollective.txt``.

::

    Akt = PI3K AND NOT PTEN
    Cyclin D = (Wnt OR IGF-1) AND NOT p27

Operators are the words ``AND``, ``OR``, ``NOT`` (any case; ``&``, ``|``, ``!`` are accepted
too), with parentheses and the constants ``0``/``1``. Symbols of other dialects are errors
with their line and column: ``&&``, ``||``, ``^``, ``~``, ``*`` anywhere, and a word of
punctuation alone such as ``/``, ``+`` or ``==``. Cell Collective names may hold blanks
and characters such as ``-`` or ``/``: a run of words between operators is one name, and
names that are not identifiers become identifiers (``Cyclin D`` -> ``Cyclin_D``, ``IL-6``
-> ``IL_6``), the original names kept as display names in ``metadata.name_map`` (and written
back by :func:`to_cellcollective`). External components (inputs) have no line in Cell
Collective's export: read such files with ``undefined="input"`` (``--undefined-as-input``).
The writer gives inputs the line ``A = A`` so that nothing is lost.

Examples
--------
>>> net = parse_cellcollective("Cyclin D = (Wnt OR IGF-1) AND NOT p27", undefined="input")
>>> net.names
('Cyclin_D', 'Wnt', 'IGF_1', 'p27')
>>> print(to_cellcollective(net), end="")
Cyclin D = (Wnt OR IGF-1) AND NOT p27
Wnt = Wnt
IGF-1 = IGF-1
p27 = p27
"""
from __future__ import annotations

import logging
import re
from os import PathLike
from pathlib import Path

from ..errors import RuleSyntaxError
from ..expr import parse_expr, rename, to_text
from ..network import Network, ParsedModel
from ._rules_text import RuleCollector, identifier
from .text import read_text

__all__ = ["parse_cellcollective", "read_cellcollective", "to_cellcollective",
           "write_cellcollective"]

log = logging.getLogger(__name__)

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKEN = re.compile(r"[()&|!~^]|[^\s()&|!~^]+")
_WORDS = {"and", "or", "not", "xor", "true", "false", "0", "1"}
# a name that can be written back verbatim: no blanks, operators, parentheses, '=' or '#'
_PLAIN = re.compile(r"[^\s()&|!~^=#,]+\Z")


def _check_word(tok: str, col: int, path: str | None, lineno: int, raw: str) -> None:
    """Refuse operators foreign to Cell Collective text that would otherwise read as part of a
    name: ``*`` anywhere, a word of punctuation alone (``+``, ``/``, ``==``), and ``/`` at
    the edge of a word (names may hold ``/`` inside, as in ``p27/Kip1``)."""
    if tok in "()&|!~^":
        return
    bad = tok.find("*")
    if bad < 0 and not any(c.isalnum() for c in tok):
        bad = 0
    if bad < 0 and (tok.startswith("/") or tok.endswith("/")):
        bad = 0 if tok.startswith("/") else len(tok) - 1
    if bad >= 0:
        ch = tok[bad] if tok[bad] in "*/" else tok
        hint = {"*": "write AND", "/": "names may hold '/' only between other characters",
                "+": "write OR", "-": "write NOT"}.get(ch, "use AND, OR, NOT and parentheses")
        raise RuleSyntaxError(f"'{ch}' is not an operator of Cell Collective text ({hint})",
                              path=path, line=lineno, col=col + bad, source_line=raw)


def parse_cellcollective_model(text: str, path: str | None = None) -> ParsedModel:
    """The rules of the text with their positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_cellcollective`); the linter reads them."""
    rules = RuleCollector(path)
    name_map = rules.name_map

    def ident(name: str) -> str:
        name = " ".join(name.split())
        if _IDENT.match(name):
            return name
        new = identifier(name)
        old = name_map.setdefault(name, new)
        return old

    for lineno, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped:
            rules.blank()
            continue
        if stripped.startswith("#"):
            rules.comment(stripped.lstrip("#").strip())
            continue
        eq = raw.find("=")
        lead = len(raw) - len(raw.lstrip())
        if eq < 0:
            raise RuleSyntaxError("expected '=' between the target and its expression",
                                  path=path, line=lineno, col=len(raw.rstrip()) + 1,
                                  source_line=raw)
        target_raw = raw[:eq].strip()
        if not target_raw:
            raise RuleSyntaxError("missing target name before '='", path=path, line=lineno,
                                  col=lead + 1, source_line=raw)
        if not _TOKEN.fullmatch(target_raw.replace(" ", "_")) or target_raw.lower() in _WORDS:
            raise RuleSyntaxError(f"'{target_raw}' is not a valid component name", path=path,
                                  line=lineno, col=lead + 1, source_line=raw)
        target = ident(target_raw)
        rhs = raw[eq + 1:]
        # rewrite runs of name words into identifiers of the same width (columns hold)
        chars = list(rhs)
        run: list[re.Match[str]] = []

        def flush() -> None:
            if not run:
                return
            a, b = run[0].start(), run[-1].end()
            new = ident(rhs[a:b])
            if len(new) > b - a:
                chars[a:b] = [new] + [""] * (b - a - 1)
            else:
                chars[a:b] = list(new.ljust(b - a))
            run.clear()

        for m in _TOKEN.finditer(rhs):
            tok = m.group()
            _check_word(tok, m.start() + eq + 2, path, lineno, raw)
            if tok in "()&|!~^" or tok.lower() in _WORDS:
                flush()
            else:
                run.append(m)
        flush()
        expr = parse_expr("".join(chars), path=path, line=lineno, col=eq + 2, source_line=raw,
                          dialect="cellcollective")
        rules.rule(target, expr, lineno, lead + 1, raw)
    rules.log_renamed(log, logging.INFO)
    return rules.model()


def parse_cellcollective(text: str, path: str | None = None, *, undefined: str = "error") -> Network:
    """Parse Cell Collective expression text (``A = B AND NOT C``).

    Parameters
    ----------
    undefined : {"error", "input"}
        What a regulator without a rule becomes.

    Raises
    ------
    RuleSyntaxError
        ``path:line:col: what`` for a malformed line.
    ModelError
        A duplicate target or, with ``undefined="error"``, a regulator without a line.

    Examples
    --------
    >>> net = parse_cellcollective("A = B and not C\\nB = A\\nC = C")
    >>> str(net.rules["A"])
    'B & !C'
    """
    return parse_cellcollective_model(text, path).to_network(undefined)


def read_cellcollective(path: str | PathLike[str], *, undefined: str = "error") -> Network:
    """Read a Cell Collective expression file (see :func:`parse_cellcollective`)."""
    return parse_cellcollective(read_text(path, "model"), str(path),
                                undefined=undefined)


def to_cellcollective(net: Network) -> str:
    """Cell Collective expression text, display names restored where they read back."""
    shown = {}
    taken = set(net.names)
    for name, ident in net.metadata.name_map.items():
        if ident in net.rules and ident not in shown and name not in taken and (
                identifier(" ".join(name.split())) == ident) and name.lower() not in _WORDS \
                and all(_PLAIN.match(w) and w.lower() not in _WORDS for w in name.split()):
            shown[ident] = " ".join(name.split())
            taken.add(shown[ident])
    lines = []
    for n in net.names:
        note = net.metadata.notes.get(n)
        if note:
            lines.append(f"# {' '.join(note.split())}")
        rule = rename(net.rules[n], shown) if shown else net.rules[n]
        lines.append(f"{shown.get(n, n)} = {to_text(rule, 'cellcollective', node=n)}")
    return "\n".join(lines) + "\n"


def write_cellcollective(net: Network, path: str | PathLike[str]) -> None:
    """Write Cell Collective expression text (atomically)."""
    from . import write_text_atomic
    write_text_atomic(path, to_cellcollective(net))
