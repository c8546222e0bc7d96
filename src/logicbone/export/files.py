"""Output files that are either complete or absent: temporary file in the same folder, then rename."""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import FileExistsRefused

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["refuse_existing", "atomic_open", "save_figure"]


def refuse_existing(paths: Iterable[str | PathLike[str]], force: bool) -> None:
    """Raise :class:`FileExistsRefused` for the first of ``paths`` that exists, unless ``force``.

    Checking every output before writing any of them keeps a multi-file export all-or-nothing.
    """
    if force:
        return
    for p in paths:
        if Path(p).exists():
            raise FileExistsRefused(f"{p}: exists; not overwritten (use --force)")


@contextlib.contextmanager
def atomic_open(path: str | PathLike[str], *, force: bool = False,
                newline: str | None = None) -> Iterator[IO[str]]:
    """Open a text file for streaming that appears under ``path`` only once fully written
    (:func:`logicbone.io.atomic_open` in text mode).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "edges.csv"
    >>> with atomic_open(out) as fh:
    ...     _ = fh.write("source,target\\n")
    >>> out.read_text()
    'source,target\\n'
    """
    from ..io import atomic_open as _atomic_open

    with _atomic_open(path, "w", force=force, newline=newline) as fh:
        yield fh


def save_figure(fig: Figure, path: str | PathLike[str], *, force: bool = False) -> str:
    """Save a matplotlib figure as PNG or SVG (from the extension), atomically.

    Returns the format written. Raises :class:`FileExistsRefused` if ``path`` exists and
    ``force`` is false, :class:`~logicbone.errors.LogicboneError` for another extension.
    """
    import io

    from ..errors import LogicboneError
    from ..io import write_text_atomic

    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise LogicboneError(f"{path}: figures are written as .png or .svg")
    refuse_existing([path], force)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=150, bbox_inches="tight")
    write_text_atomic(path, buf.getvalue(), force=True)
    return fmt
