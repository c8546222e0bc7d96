"""Writing state-transition graphs (and their quotient graphs) to files.

GraphML, GEXF, DOT and JSON (networkx node-link data) go through a networkx graph and are
kept to graphs of at most ``max_edges`` transitions. CSV and JSON lines are streamed from the
arrays in chunks, without a networkx graph, for graphs of any size:

``csv``
    two tables, as Gephi and Cytoscape import them: the edges in ``FILE``
    (``source,target,changed``) and the nodes in ``FILE`` with ``.nodes`` before the extension
    (``state``, one 0/1 column per model node, ``attractor`` (-1: transient), ``reaches``).
``jsonl``
    one JSON object per line: first ``{"graph": {...}}``, then one ``{"node": ..., ...}`` per
    state, then one ``{"source": ..., "target": ..., "changed": ...}`` per transition.

For a quotient graph the nodes are components ``c0, c1, ...`` with ``size``, ``attractor``,
``reaches``, ``subspace`` and ``representative`` (smallest state); edges also carry
``transitions`` (how many STG edges they stand for).

The streamed text is built a block of rows at a time with numpy, from the columns of
:func:`~logicbone.export.columns.node_table` / ``edge_table``, byte for byte as the :mod:`csv` and
:mod:`json` modules would write those rows (the tests hold it to that).
"""
from __future__ import annotations

import csv
import io
import json
from os import PathLike
from pathlib import Path

import numpy as np

from ..dynamics.transitions import sorted_unique
from ..errors import LogicboneError
from .columns import (Column, Graph, Ids, Masks, Text, edge_columns, edge_table, mask_text,
                      node_columns, node_table, to_networkx)
from ..outputs import AtomicFiles, atomic_open, check_output_path
from .graphs import graph_to_text

__all__ = ["STG_FORMATS", "STG_EXTENSIONS", "write_stg", "nodes_path"]

STG_FORMATS = ("graphml", "gexf", "dot", "json", "csv", "jsonl")
#: file extension -> format
STG_EXTENSIONS: dict[str, str] = {".graphml": "graphml", ".gexf": "gexf", ".dot": "dot",
                                  ".gv": "dot", ".json": "json", ".csv": "csv",
                                  ".jsonl": "jsonl"}

#: largest graph (in transitions) written through networkx
MAX_NETWORKX_EDGES = 1 << 19

#: rows formatted per block by the streaming writers
_ROWS = 1 << 16


def nodes_path(path: str | PathLike[str]) -> Path:
    """The node table that goes with the CSV edge table ``path``: ``stg.csv`` -> ``stg.nodes.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.nodes{path.suffix or '.csv'}")


# ---------------------------------------------------------------- text from columns, in numpy
# A cell is a (rows, width) uint8 array of bytes in which NUL bytes stand for nothing: a row
# is the concatenation of its cells with the NULs dropped, so cells of different lengths share
# one fixed-width array and a whole block of rows is built by array operations.

def _digits(values: np.ndarray) -> np.ndarray:
    """Decimal text of integers as cells (right-aligned, NUL-padded).

    >>> _join([_digits(np.array([7, -12, 300])), _const(b";", 3)])
    b'7;-12;300;'
    """
    v = np.asarray(values)
    if v.size == 0:
        return np.zeros((0, 1), dtype=np.uint8)
    low, high = int(v.min()), int(v.max())
    a = np.abs(v.astype(np.int64)) if low < 0 else v.astype(
        np.uint32 if high < 1 << 32 else np.uint64, copy=False)
    width = len(str(max(abs(low), high)))
    sign = int(low < 0)
    out = np.zeros((width + sign, v.size), dtype=np.uint8)  # one row per character
    for j in range(width):
        q = a // 10
        row = out[sign + width - 1 - j]
        row[...] = a - q * 10
        row += np.uint8(ord("0"))
        if j:  # no leading zeros
            row[a == 0] = 0
        a = q
    if sign:
        out[0, v < 0] = ord("-")
    digits: np.ndarray = out.T
    return digits


def _table(texts: list[bytes]) -> np.ndarray:
    """Cells of a few byte strings: a ``(len(texts), width)`` NUL-padded array."""
    width = max((len(t) for t in texts), default=0) or 1
    return np.frombuffer(b"".join(t.ljust(width, b"\0") for t in texts) or b"\0",
                         dtype=np.uint8).reshape(-1, width)


def _const(text: bytes, rows: int) -> np.ndarray:
    return np.broadcast_to(np.frombuffer(text, dtype=np.uint8), (rows, len(text)))


def _csv_text(value: str) -> bytes:
    """One CSV field exactly as :mod:`csv` writes it (quoted only when needed)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["x", value])
    return buf.getvalue()[2:-1].encode()


def _json_text(value: str) -> bytes:
    return json.dumps(value).encode()


#: a column of bitmasks with at most this many distinct ones in a block is written through
#: the text of each distinct mask, above by one cell per node
_FEW_MASKS = 512


def _mask_cells(column: Masks, rows: int, fmt: str) -> list[np.ndarray] | None:
    """Cells that spell the names of the set bits of each mask joined by commas, quoted as the
    csv or json module quotes that text: one cell per node (its name, after a comma unless it
    is the first one set). ``None`` for CSV when a name needs quoting on its own."""
    names = [str(x) for x in column.names]
    if fmt == "json":  # JSON escapes character by character, and a comma needs none
        pieces = [_json_text(x)[1:-1] for x in names]
    elif any(_csv_text(x) != x.encode() for x in names):
        return None
    else:
        pieces = [x.encode() for x in names]
    masks = np.asarray(column.masks, dtype=np.uint64)
    cells = []
    seen = np.zeros(rows, dtype=bool)
    several = np.zeros(rows, dtype=bool)
    for i, piece in enumerate(pieces):
        on = ((masks >> np.uint64(i)) & np.uint64(1)).astype(bool)
        cell = np.zeros((rows, len(piece) + 1), dtype=np.uint8)
        later = on & seen
        cell[later, 0] = ord(",")
        cell[on, 1:] = np.frombuffer(piece, dtype=np.uint8)
        several |= later
        seen |= on
        cells.append(cell)
    if fmt == "json":
        quote = _const(b'"', rows)
    else:  # CSV quotes a field with a comma: two names or more
        quote = np.where(several, np.uint8(ord('"')), np.uint8(0))[:, None]
    return [quote, *cells, quote]


def _cells(column: Column, rows: int, fmt: str) -> list[np.ndarray]:
    """The cells of one column, for ``fmt`` ``"csv"`` or ``"json"`` (strings quoted)."""
    quote, string = (_json_text, b'"') if fmt == "json" else (_csv_text, b"")
    if isinstance(column, Masks):
        if sorted_unique(column.masks).size > _FEW_MASKS:
            cells = _mask_cells(column, rows, fmt)
            if cells is not None:
                return cells
        column = mask_text(column.masks, column.names)
    if isinstance(column, Text):
        return [_table([quote(v) for v in column.values])[column.codes]]
    if isinstance(column, Ids):
        return [_const(string + column.prefix.encode(), rows), _digits(column.numbers),
                *([_const(string, rows)] if string else [])]
    column = np.asarray(column)
    if column.ndim == 2:  # characters
        return [_const(string, rows), column, _const(string, rows)] if string else [column]
    return [_digits(column)]


def _join(cells: list[np.ndarray]) -> bytes:
    flat = np.concatenate(cells, axis=1).ravel()
    text: bytes = flat[flat != 0].tobytes()
    return text


def _rows_of(column: Column) -> int:
    if isinstance(column, Text):
        return len(column.codes)
    if isinstance(column, Ids):
        return len(column.numbers)
    if isinstance(column, Masks):
        return len(column.masks)
    return len(column)


def _csv_block(columns: list[Column]) -> bytes:
    rows = _rows_of(columns[0])
    cells = []
    for i, col in enumerate(columns):
        if i:
            cells.append(_const(b",", rows))
        cells.extend(_cells(col, rows, "csv"))
    cells.append(_const(b"\n", rows))
    return _join(cells)


def _jsonl_block(keys: list[str], columns: list[Column]) -> bytes:
    """One JSON object per row, as ``json.dumps`` of a dict of ``keys`` (later equal keys
    overwrite earlier ones in place, as in a dict)."""
    fields = {}
    for key, col in zip(keys, columns):
        fields[key] = col
    rows = _rows_of(columns[0])
    cells = []
    for i, (key, col) in enumerate(fields.items()):
        cells.append(_const((b", " if i else b"{") + _json_text(key) + b": ", rows))
        cells.extend(_cells(col, rows, "json"))
    cells.append(_const(b"}\n", rows))
    return _join(cells)


def _csv_header(columns: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns)
    return buf.getvalue().encode()


def write_stg(graph: Graph, path: str | PathLike[str], format: str, *, force: bool = False,
              max_edges: int = MAX_NETWORKX_EDGES) -> list[Path]:
    """Write a :class:`~logicbone.dynamics.stg.StateTransitionGraph` or
    :class:`~logicbone.dynamics.quotient.QuotientGraph` atomically.

    Parameters
    ----------
    graph : StateTransitionGraph or QuotientGraph
    path : str or Path
    format : {"graphml", "gexf", "dot", "json", "csv", "jsonl"}
    force : bool
        Overwrite existing files.
    max_edges : int
        Largest graph written through networkx (GraphML, GEXF, DOT, JSON).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsRefused
        If an output exists and ``force`` is false (nothing is written then).
    OutputError
        If an output cannot be written (nothing is left under its name then).
    UsageError
        If ``format`` disagrees with the extension of ``path``.
    LogicboneError
        For an unknown format, or a graph too large for a non-streaming format.

    Examples
    --------
    >>> import tempfile, pathlib, logicbone as lb
    >>> stg = lb.state_transition_graph(lb.parse_bnet("A, !A"), "async")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "stg.csv"
    >>> [p.name for p in lb.write_stg(stg, out, "csv")]
    ['stg.csv', 'stg.nodes.csv']
    >>> print(out.read_text().strip())
    source,target,changed
    0,1,A
    1,0,A
    """
    if format not in STG_FORMATS:
        raise LogicboneError(f"unknown format '{format}'; known: {', '.join(STG_FORMATS)}")
    path = Path(path)
    check_output_path(path, force=force, formats=STG_EXTENSIONS, format=format)
    if format == "csv":
        npath = nodes_path(path)
        check_output_path(npath, force=force)
        # both tables appear together or neither does
        with AtomicFiles(force=force) as files:
            fh = files.open(npath, "wb")
            fh.write(_csv_header(node_columns(graph)))
            for columns in node_table(graph, _ROWS):
                fh.write(_csv_block(columns))
            fh = files.open(path, "wb")
            fh.write(_csv_header(edge_columns(graph)))
            for columns in edge_table(graph, _ROWS):
                fh.write(_csv_block(columns))
        return [path, npath]
    if format == "jsonl":
        with atomic_open(path, "wb", force=force) as fh:
            fh.write((json.dumps({"graph": graph.graph_attributes()}) + "\n").encode())
            keys = ["node", *node_columns(graph)[1:]]
            for columns in node_table(graph, _ROWS):
                fh.write(_jsonl_block(keys, columns))
            keys = edge_columns(graph)
            for columns in edge_table(graph, _ROWS):
                fh.write(_jsonl_block(keys, columns))
        return [path]
    if graph.n_edges > max_edges:
        raise LogicboneError(
            f"{graph.n_edges:,} transitions are too many for {format} (at most {max_edges:,}); "
            "use --format csv or jsonl, which stream, or --collapse")
    text = graph_to_text(to_networkx(graph), format)
    with atomic_open(path, force=force) as fh:
        fh.write(text)
    return [path]
