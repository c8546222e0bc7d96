"""Readable views of many subspaces (attractors, fixed points, trap spaces) over many nodes.

A list of subspaces (strings of ``0``/``1``/``*``, one character per node) is laid out as:

* the nodes that are the same in every subspace, summarised in one line;
* the subspaces grouped by the values of the inputs, when the inputs vary across them;
* per subspace, only the nodes that vary (or the nodes asked for), as a matrix of
  ``ON``/``OFF``/``osc`` cells when it fits the width, else as the list of the varying nodes
  that are ON (``~`` marks an oscillating or free one), wrapped to the width.

:class:`SpaceLayout` holds the layout; :func:`format_spaces` writes it as text of a given
width (no line is longer), and :func:`spaces_html` as an HTML table (for notebooks).

Examples
--------
>>> lay = layout_spaces(["I", "A", "B", "C"], ["1110", "0100", "11*0"], inputs=["I"])
>>> lay.columns, lay.constant_on, lay.constant_off
(('B',), ('A',), ('C',))
>>> [(dict(g.inputs), g.rows) for g in lay.groups]
[({'I': '0'}, (1,)), ({'I': '1'}, (0, 2))]
>>> print(format_spaces(lay, width=40, labels=["fp", "fp", "cycle"]))
constant in all 3: ON A; OFF C
<BLANKLINE>
inputs I=0 (1)
#  type  B
-  ----  ---
2  fp    OFF
<BLANKLINE>
inputs I=1 (2)
#  type   B
-  -----  ---
1  fp     ON
3  cycle  osc
"""
from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["SpaceLayout", "SpaceGroup", "layout_spaces", "format_spaces", "spaces_html"]

_CELL = {"1": "ON", "0": "OFF", "*": "osc"}


@dataclass(frozen=True)
class SpaceGroup:
    """Subspaces that share their input values: ``inputs`` (name -> ``0``/``1``/``*``), ``rows``
    (positions in the original list)."""

    inputs: tuple[tuple[str, str], ...]
    rows: tuple[int, ...]


@dataclass(frozen=True)
class SpaceLayout:
    """What a readable table shows of ``spaces`` (see :func:`layout_spaces`)."""

    nodes: tuple[str, ...]
    spaces: tuple[str, ...]
    columns: tuple[str, ...]
    constant_on: tuple[str, ...]
    constant_off: tuple[str, ...]
    groups: tuple[SpaceGroup, ...]
    chosen: bool = False

    def cells(self, row: int) -> list[str]:
        """``ON``/``OFF``/``osc`` of each column in subspace ``row``."""
        index = {n: i for i, n in enumerate(self.nodes)}
        return [_CELL[self.spaces[row][index[c]]] for c in self.columns]


def layout_spaces(nodes: Sequence[str], spaces: Sequence[str], *,
                  inputs: Sequence[str] = (), columns: Sequence[str] | None = None) -> SpaceLayout:
    """The readable layout of ``spaces`` over ``nodes``.

    Parameters
    ----------
    nodes : sequence of str
        Node names, in the order of the characters of each subspace.
    spaces : sequence of str
        Subspaces (``0``, ``1``, ``*`` per node).
    inputs : sequence of str
        The inputs: when they take different values across ``spaces``, the rows are grouped
        by their values (and they are not columns).
    columns : sequence of str, optional
        The nodes to show (in this order); default: the nodes that are not the same in every
        subspace.

    Returns
    -------
    SpaceLayout

    Raises
    ------
    UnknownNodeError
        A node of ``columns`` is not in ``nodes``.
    """
    from .errors import UnknownNodeError

    nodes = tuple(nodes)
    spaces = tuple(spaces)
    index = {n: i for i, n in enumerate(nodes)}
    values = {n: {s[i] for s in spaces} for n, i in index.items()}
    constant_on = tuple(n for n in nodes if values[n] == {"1"})
    constant_off = tuple(n for n in nodes if values[n] == {"0"})
    grouping = tuple(n for n in inputs if n in index and len(values[n]) > 1)
    if columns is not None:
        for c in columns:
            if c not in index:
                raise UnknownNodeError(c, nodes)
        shown = tuple(dict.fromkeys(c for c in columns if c not in grouping))
    else:
        shown = tuple(n for n in nodes if len(values[n]) > 1 or values[n] == {"*"}
                      if n not in grouping)
    groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for k, s in enumerate(spaces):
        groups.setdefault(tuple((n, s[index[n]]) for n in grouping), []).append(k)
    ordered = tuple(SpaceGroup(key, tuple(rows)) for key, rows in sorted(groups.items()))
    return SpaceLayout(nodes, spaces, shown, constant_on, constant_off, ordered,
                       columns is not None)


def _one_line(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: max(0, width - 4)].rstrip() + " ..."


def _constants(lay: SpaceLayout, width: int) -> str:
    parts = []
    if lay.constant_on:
        parts.append("ON " + " ".join(lay.constant_on))
    if lay.constant_off:
        parts.append("OFF " + " ".join(lay.constant_off))
    if not parts:
        return ""
    text = f"constant in all {len(lay.spaces):,}: " + "; ".join(parts)
    if len(lay.spaces) == 1 and len(text) > width:  # one subspace: its values are the table
        return "\n".join(line for p in parts
                         for line in textwrap.wrap(p, width, subsequent_indent="    "))
    if len(text) > width:  # one line: the counts, then as many names as fit
        counts = [f"{len(names)} {what}" for names, what in
                  ((lay.constant_on, "ON"), (lay.constant_off, "OFF")) if names]
        text = (f"constant in all {len(lay.spaces):,}: {', '.join(counts)} (all in JSON): "
                + "; ".join(parts))
    return _one_line(text, width)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return out


def _wrapped(words: Sequence[str], width: int, first: str, rest: str,
             plain: bool | None = None) -> list[str]:
    """``textwrap.wrap(" ".join(words), width, initial_indent=first, subsequent_indent=rest)``,
    line for line, filled greedily where every word fits a line whole and none has a hyphen
    (textwrap may break there; ``plain``: the caller knows whether that holds): node names,
    by the hundred thousand, in a tenth of the time (bone_muscle's 131,360 fixed points:
    1.2 s instead of 12.7 s)."""
    if plain is None:
        room = width - max(len(first), len(rest))
        plain = all(len(w) <= room and "-" not in w for w in words)
    if not plain:
        return textwrap.wrap(" ".join(words), width=width, initial_indent=first,
                             subsequent_indent=rest, break_long_words=True) or [first.rstrip()]
    lines: list[str] = []
    line = [first, words[0]]
    used = len(first) + len(words[0])
    for w in words[1:]:
        if used + 1 + len(w) <= width:
            line += [" ", w]
            used += 1 + len(w)
        else:
            lines.append("".join(line))
            line = [rest, w]
            used = len(rest) + len(w)
    lines.append("".join(line))
    return lines


def format_spaces(lay: SpaceLayout, *, width: int = 100, labels: Sequence[str] | None = None,
                  first: int = 1, star: str = "oscillating") -> str:
    """The layout as text no wider than ``width`` characters.

    Parameters
    ----------
    lay : SpaceLayout
    width : int
        The terminal's width; no line is longer.
    labels : sequence of str, optional
        A short label per subspace (its type and size, say), shown after its number.
    first : int
        Number of the first subspace (rows are numbered in the original order).
    star : str
        What a ``*`` means (``oscillating`` in an attractor, ``free`` in a trap space).

    Returns
    -------
    str
    """
    width = max(20, width)
    out: list[str] = []
    const = _constants(lay, width)
    if const:
        out.append(const)
    cols = list(lay.columns)
    pre = ["#"] + (["type"] if labels is not None else [])

    def prefix(k: int) -> list[str]:
        return [str(k + first)] + ([labels[k]] if labels is not None else [])

    # the matrix fits if its widest line does
    pre_width = max(len("  ".join(prefix(k))) for k in range(len(lay.spaces))) \
        if lay.spaces else 0
    matrix_width = pre_width + sum(2 + max(len(c), 3) for c in cols)
    matrix = matrix_width <= width or lay.chosen
    dropped: list[str] = []
    if matrix and matrix_width > width:  # chosen columns: keep those that fit, say so
        room = width - pre_width - 2
        kept = []
        for c in cols:
            room -= 2 + max(len(c), 3)
            if room < 0:
                break
            kept.append(c)
        dropped = cols[len(kept):]
        cols = kept
    index = {n: i for i, n in enumerate(lay.nodes)}
    for g in lay.groups:
        if g.inputs:
            out += ["", _one_line("inputs " + " ".join(f"{n}={v}" for n, v in g.inputs)
                                  + f" ({len(g.rows):,})", width)]
        elif out:
            out.append("")
        if matrix:
            rows = [prefix(k) + [_CELL[lay.spaces[k][index[c]]] for c in cols] for k in g.rows]
            out += [_one_line(line, width) for line in _table(pre + cols, rows)]
        else:
            rows = [prefix(k) for k in g.rows]
            widths = [max(len(r[i]) for r in [pre, *rows]) for i in range(len(pre))]
            lead = sum(widths) + 2 * len(widths)
            title = f"ON of the varying nodes (~ {star}; the others OFF)"
            out.append(_one_line("  ".join(h.ljust(w) for h, w in zip(pre, widths))
                                 + "  " + title, width))
            at = [index[c] for c in cols]
            tilde = [f"~{c}" for c in cols]
            # every name fits a line whole, none has a hyphen: wrapped greedily
            longest = max((len(t) for t in tilde), default=1)
            hyphens = any("-" in c for c in cols)
            for k, r in zip(g.rows, rows):
                s = lay.spaces[k]
                names = [c if v == "1" else t
                         for c, t, v in zip(cols, tilde, [s[i] for i in at]) if v != "0"]
                head = "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  "
                if len(head) > width // 2:  # long labels: the names go under them
                    out.append(_one_line(head.rstrip(), width))
                    head, lead = "   ", 3
                plain = not hyphens and longest <= width - max(len(head), lead)
                out += _wrapped(names or ["-"], width, head, " " * lead, plain)
    if dropped:
        out += ["", _one_line(f"note: {len(dropped)} more columns do not fit the width "
                              f"({' '.join(dropped)})", width)]
    return "\n".join(out).lstrip("\n")


def spaces_html(lay: SpaceLayout, *, labels: Sequence[str] | None = None, title: str = "",
                max_rows: int = 200) -> str:
    """The layout as an HTML table (for notebooks): constant nodes in a caption line, one
    column per shown node, rows grouped by input values.
    """
    esc = html.escape
    cols = list(lay.columns)
    index = {n: i for i, n in enumerate(lay.nodes)}
    parts = ['<div class="logicbone">']
    if title:
        parts.append(f"<p><b>{esc(title)}</b></p>")
    const = []
    if lay.constant_on:
        const.append("ON " + esc(" ".join(lay.constant_on)))
    if lay.constant_off:
        const.append("OFF " + esc(" ".join(lay.constant_off)))
    if const:
        parts.append(f"<p>constant in all {len(lay.spaces):,}: {'; '.join(const)}</p>")
    head = "<th>#</th>" + ("<th>type</th>" if labels is not None else "") \
        + "".join(f"<th>{esc(c)}</th>" for c in cols)
    parts.append(f'<table border="1"><thead><tr>{head}</tr></thead><tbody>')
    span = 1 + (labels is not None) + len(cols)
    shown = 0
    colour = {"1": "#cfe8cf", "0": "#f3f3f3", "*": "#fde9b8"}
    for g in lay.groups:
        if g.inputs:
            text = esc(" ".join(f"{n}={v}" for n, v in g.inputs))
            parts.append(f'<tr><td colspan="{span}"><i>inputs {text} ({len(g.rows):,})</i>'
                         "</td></tr>")
        for k in g.rows:
            if shown >= max_rows:
                break
            shown += 1
            s = lay.spaces[k]
            cells = "".join(f'<td style="background:{colour[s[index[c]]]}">'
                            f"{_CELL[s[index[c]]]}</td>" for c in cols)
            label = f"<td>{esc(labels[k])}</td>" if labels is not None else ""
            parts.append(f"<tr><td>{k + 1}</td>{label}{cells}</tr>")
    parts.append("</tbody></table>")
    if shown < len(lay.spaces):
        parts.append(f"<p>{shown:,} of {len(lay.spaces):,} rows shown "
                     "(<code>to_frame()</code> has them all)</p>")
    parts.append("</div>")
    return "".join(parts)
