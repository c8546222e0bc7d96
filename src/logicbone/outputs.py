"""Output files: checked once before any work, then written so that each is complete or absent.

Every file logicbone writes (models, graphs, state-transition graphs, figures, reports, screen
results) goes through :func:`atomic_open` (or :class:`AtomicFiles` for files that belong
together): the data goes to a temporary file in the destination folder, is flushed to disk
(``fsync``), and only then renamed over the final name (``os.replace``). On any error or
interruption the temporary file is removed and nothing appears under the final name; an
existing file there is left as it was. A write error (full disk, permission, file too large)
becomes an :class:`~logicbone.errors.OutputError` that says which file and why.

:func:`check_output_path` is the check a front end makes before starting work: an existing
file without ``force``, a missing or unwritable folder, a path that is a folder, a device or a
FIFO, and an extension that disagrees with the format asked for are refused at once.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from .errors import FileExistsRefused, OutputError, UsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURE_FORMATS", "check_output_path", "refuse_existing", "AtomicFiles",
           "atomic_open", "write_atomic", "save_figure", "output_error"]

#: figure formats by extension (matplotlib writes each natively)
FIGURE_FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".eps": "eps",
                                  ".ps": "ps"}


def output_error(path: str | PathLike[str], err: OSError) -> OutputError:
    """The one-line error of a failed write: ``path: no space left on device``."""
    reason = err.strerror or os.strerror(err.errno or errno.EIO)
    return OutputError(f"{path}: {reason[:1].lower()}{reason[1:]}")


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _extension(path: Path, formats: Mapping[str, str]) -> str:
    """The longest key of ``formats`` that ends the file's name ('' if none)."""
    name = path.name.lower()
    for ext in sorted(formats, key=len, reverse=True):
        if name.endswith(ext.lower()):
            return ext
    return ""


def check_output_path(path: str | PathLike[str], *, force: bool = False,
                      formats: Mapping[str, str] | None = None, format: str | None = None,
                      default: str | None = None, what: str = "output") -> str | None:
    """Check, before any work, that ``path`` can be written; return its format.

    Parameters
    ----------
    path : str or Path
    force : bool
        Allow replacing an existing regular file.
    formats : mapping of extension to format, optional
        The formats this output can take (``{".png": "png", ...}``); the format is then
        taken from the extension.
    format : str, optional
        The format asked for explicitly; refused when the extension implies another one.
    default : str, optional
        The format of a file whose extension is not in ``formats`` (else such a file is
        refused, listing the known extensions).
    what : str
        What the file is, for messages ("figure").

    Returns
    -------
    str or None
        The format (``format``, or the one the extension implies; None without ``formats``).

    Raises
    ------
    FileExistsRefused
        ``path`` is an existing file and ``force`` is false.
    OutputError
        ``path`` is a folder, a device, a FIFO or a socket, or its folder is missing or not
        writable.
    UsageError
        The extension is unknown (and no ``format`` or ``default``), or disagrees with
        ``format``.

    Examples
    --------
    >>> check_output_path("out.pdf", formats=FIGURE_FORMATS)
    'pdf'
    >>> check_output_path("out.gif", formats=FIGURE_FORMATS)
    Traceback (most recent call last):
    ...
    logicbone.errors.UsageError: out.gif: unknown output extension '.gif'; known: .eps, .pdf, .png, .ps, .svg
    """
    if not str(path):
        raise OutputError("an empty output path")
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise OutputError(f"{p}: {_folder(p)} is not a folder") from None
    except OSError as err:
        raise output_error(p, err) from err
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{p}: is a folder; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{p}: not a regular file (a device, FIFO or socket); "
                              "give a file name")
        if not force:
            raise FileExistsRefused(f"{p}: exists; not overwritten (use --force)")
    folder = _folder(p)
    if not folder.is_dir():
        if folder.exists():
            raise OutputError(f"{p}: {folder} is not a folder")
        raise OutputError(f"{p}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{p}: permission denied (cannot write in the folder {folder})")
    if formats is None:
        return format
    ext = _extension(p, formats)
    implied = formats.get(ext) if ext else None
    if format is not None:
        if implied is not None and implied != format:
            raise UsageError(f"{p}: the extension {ext} means {implied}, not {format}; "
                             f"name the file for {format} or leave the format to the extension")
        return format
    if implied is not None:
        return implied
    if default is not None:
        return default
    shown = p.suffix or "(none)"
    raise UsageError(f"{p}: unknown {what} extension '{shown}'; known: "
                     f"{', '.join(sorted(formats))}")


def refuse_existing(paths: Iterable[str | PathLike[str]], force: bool) -> None:
    """:func:`check_output_path` on each of ``paths`` (no format): checking every output
    before writing any keeps a multi-file export all-or-nothing."""
    for p in paths:
        check_output_path(p, force=force)


_UMASK: list[int] = []


def _file_mode() -> int:
    """The permissions a plain ``open()`` would give a new file (0o666 less the umask)."""
    if not _UMASK:
        old = os.umask(0)
        os.umask(old)
        _UMASK.append(old)
    return 0o666 & ~_UMASK[0]


class AtomicFiles:
    """Files that appear together, each complete, or not at all.

    :meth:`open` gives a file object writing to a temporary file beside its final name; when
    the ``with`` block ends normally every file is flushed to disk and renamed into place; on
    any error or interruption every temporary file is removed (and an ``OSError`` becomes an
    :class:`OutputError` naming the file and the reason).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with AtomicFiles() as files:
    ...     _ = files.open(folder / "a.txt").write("a\\n")
    ...     _ = files.open(folder / "b.txt").write("b\\n")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """

    def __init__(self, *, force: bool = False) -> None:
        self.force = force
        self._staged: list[tuple[Path, str, IO[Any]]] = []

    def open(self, path: str | PathLike[str], mode: str = "w", *,
             newline: str | None = None) -> IO[Any]:
        """A file object for ``path`` (mode ``"w"``, text in UTF-8, or ``"wb"``)."""
        if mode not in ("w", "wb"):
            raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
        p = Path(path)
        check_output_path(p, force=self.force)
        try:
            import tempfile  # only here: it loads random and hashlib

            fd, tmp = tempfile.mkstemp(dir=_folder(p), prefix=f".{p.name}.", suffix=".tmp")
        except OSError as err:
            raise output_error(p, err) from err
        try:
            os.fchmod(fd, _file_mode())
            text = "b" not in mode
            fh = os.fdopen(fd, mode, encoding="utf-8" if text else None,
                           newline=newline if text else None)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self._staged.append((p, tmp, fh))
        return fh

    def _commit(self) -> None:
        for p, _, fh in self._staged:
            try:
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
            except OSError as err:
                raise output_error(p, err) from err
        for p, tmp, _ in self._staged:
            if not self.force and p.exists():
                raise FileExistsRefused(f"{p}: exists; not overwritten (use --force)")
        for p, tmp, _ in self._staged:
            try:
                os.replace(tmp, p)
            except OSError as err:
                raise output_error(p, err) from err

    def _discard(self) -> None:
        for _, tmp, fh in self._staged:
            with contextlib.suppress(OSError, ValueError):
                fh.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._staged.clear()

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            try:
                self._commit()
            except BaseException:
                self._discard()
                raise
            self._staged.clear()
            return
        path = self._staged[-1][0] if self._staged else None
        self._discard()
        if isinstance(value, OSError) and value.errno is not None:
            raise output_error(path or value.filename or "output", value) from value


@contextlib.contextmanager
def atomic_open(path: str | PathLike[str], mode: str = "w", *, force: bool = False,
                newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a file for writing that appears under ``path`` only once complete.

    Writes go to a temporary file in the same folder, flushed to disk and renamed over
    ``path`` when the ``with`` block ends; on any error or interruption the temporary file is
    removed and an existing ``path`` is left untouched.

    Parameters
    ----------
    mode : {"w", "wb"}
    force : bool
        Overwrite an existing file.

    Raises
    ------
    FileExistsRefused
        If ``path`` exists and ``force`` is false.
    OutputError
        If the file cannot be written (missing folder, permission, full disk): nothing is
        left under ``path`` then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "edges.csv"
    >>> with atomic_open(out) as fh:
    ...     _ = fh.write("source,target\\n")
    >>> out.read_text()
    'source,target\\n'
    """
    files = AtomicFiles(force=force)
    with files:
        fh = files.open(path, mode, newline=newline)
        yield fh


def write_atomic(path: str | PathLike[str], data: str | bytes, *, force: bool = False) -> None:
    """Write a whole file atomically (see :func:`atomic_open`); ``bytes`` are written as is."""
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w", force=force) as fh:
        fh.write(data)


def save_figure(fig: Figure, path: str | PathLike[str], *, force: bool = False,
                dpi: int = 150) -> str:
    """Save a matplotlib figure atomically, in the format its extension names.

    The format (:data:`FIGURE_FORMATS`: PNG, SVG, PDF, EPS, PS) is passed to matplotlib
    explicitly, so the bytes are what the extension says. Returns the format written.

    Raises
    ------
    FileExistsRefused
        If ``path`` exists and ``force`` is false.
    UsageError
        For an extension that is not a known figure format.
    OutputError
        If the file cannot be written (nothing is left under ``path`` then).
    """
    fmt = cast(str, check_output_path(path, force=force, formats=FIGURE_FORMATS,
                                      what="figure"))
    # drawn in memory first: a backend that meets a write error half-way can fail in ways
    # that hide the cause (a PDF's compressor), while the bytes of a figure are small
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight")
    write_atomic(path, buf.getvalue(), force=force)
    return fmt
