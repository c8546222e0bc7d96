"""The one way every input file is read: models of every dialect, scenario and expectation
files, rate files and screens.

:func:`read_bytes` refuses, before reading anything, what is not a regular file (a folder,
a FIFO, a device such as ``/dev/zero``, a socket: a FIFO is opened without blocking, so a
reader never waits on one) and files above the size limit, :data:`MAX_INPUT_BYTES` (64 MiB;
the environment variable ``LOGICBONE_MAX_INPUT_BYTES`` or ``max_bytes=`` changes it).
:func:`read_text` then decodes UTF-8 (a byte-order mark is dropped); undecodable bytes are
reported at the line and column of the first bad byte:
``model.rules:3:7: not UTF-8 text (byte 0xff)``.

Examples
--------
>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "m.rules")
>>> _ = open(p, "wb").write(b"A* = B\\nB* = A \\xff\\n")
>>> read_text(p, what="model")
Traceback (most recent call last):
...
logicbone.errors.InputFileError: ...m.rules:2:8: not UTF-8 text (byte 0xff)
>>> read_text(d, what="model")
Traceback (most recent call last):
...
logicbone.errors.InputFileError: ...: is a folder, not a model file
"""
from __future__ import annotations

import errno
import os
import stat
from os import PathLike

from ..errors import InputError, InputFileError

__all__ = ["MAX_INPUT_BYTES", "max_input_bytes", "read_bytes", "read_text", "decode_text"]

#: the default size limit of an input file, in bytes (64 MiB)
MAX_INPUT_BYTES = 64 * 1024 * 1024

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def max_input_bytes() -> int:
    """The size limit of input files: ``LOGICBONE_MAX_INPUT_BYTES`` if set (a whole number of
    bytes), else :data:`MAX_INPUT_BYTES`."""
    env = os.environ.get("LOGICBONE_MAX_INPUT_BYTES", "").strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            raise InputError(f"LOGICBONE_MAX_INPUT_BYTES={env!r}: expected a whole number of "
                             "bytes") from None
        if value > 0:
            return value
    return MAX_INPUT_BYTES


def _refuse_kind(path: str, mode: int, what: str,
                 error: type[InputError]) -> None:
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder, not a {what} file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise error(f"{path}: is {kind}, not a regular file; a {what} is read from a "
                    "regular file")


def _os_error(path: str, what: str, err: OSError, error: type[InputError]) -> InputError:
    if err.errno == errno.ENOENT:
        return error(f"{path}: no such file")
    if err.errno in (errno.EACCES, errno.EPERM):
        return error(f"{path}: cannot read the {what} file: permission denied")
    if err.errno == errno.ENOTDIR:
        return error(f"{path}: no such file (a part of the path is not a folder)")
    if err.errno == errno.ENAMETOOLONG:
        return error(f"{path[:80]}...: file name too long")
    reason = err.strerror or str(err)
    return error(f"{path}: cannot read the {what} file: {reason}")


def read_bytes(path: str | PathLike[str], what: str = "input", *, max_bytes: int | None = None,
               error: type[InputError] = InputFileError) -> bytes:
    """The bytes of a regular input file, refused before reading if it is not one or is
    larger than the limit.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file is, for messages (``model``, ``scenario``, ...).
    max_bytes : int, optional
        The size limit (default :func:`max_input_bytes`).
    error : InputError subclass
        The class of the errors raised.

    Raises
    ------
    InputFileError
        A missing or unreadable file, a folder, FIFO or device, a file above the limit.
    """
    p = os.fspath(path)
    limit = max_bytes if max_bytes is not None else max_input_bytes()
    try:
        st = os.stat(p)
    except (OSError, ValueError) as err:
        if isinstance(err, ValueError):  # an embedded NUL in the name
            raise error(f"{p!r}: not a valid file name") from None
        raise _os_error(p, what, err, error) from None
    _refuse_kind(p, st.st_mode, what, error)
    if st.st_size > limit:
        raise error(f"{p}: {st.st_size:,} bytes, above the size limit of {limit:,} bytes for "
                    f"a {what} file (LOGICBONE_MAX_INPUT_BYTES raises it)")
    try:
        # non-blocking, so that a file swapped for a FIFO since the check cannot hang us
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise _os_error(p, what, err, error) from None
    try:
        st = os.fstat(fd)
        _refuse_kind(p, st.st_mode, what, error)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise error(f"{p}: more than {limit:,} bytes, above the size limit for a "
                            f"{what} file (LOGICBONE_MAX_INPUT_BYTES raises it)")
    except OSError as err:
        raise _os_error(p, what, err, error) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_text(data: bytes, path: str | None = None, *, encoding: str = "utf-8",
                error: type[InputError] = InputFileError) -> str:
    """``data`` decoded (a UTF-8 byte-order mark dropped); undecodable bytes raise
    ``path:line:col: not UTF-8 text (byte 0x..)`` at the first bad byte.

    Examples
    --------
    >>> decode_text(b"\\xef\\xbb\\xbfA* = B\\n")
    'A* = B\\n'
    >>> decode_text(b"A* = B\\nB* = \\xc3(", "m.rules")
    Traceback (most recent call last):
    ...
    logicbone.errors.InputFileError: m.rules:2:6: not UTF-8 text (byte 0xc3)
    """
    utf8 = encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    codec = "utf-8" if utf8 else encoding
    if utf8 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the byte-order mark (columns count from after it)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        start = err.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        # the column counts characters: the valid text before the bad byte on its line
        col = len(data[line_start:start].decode(codec, errors="replace")) + 1
        label = "UTF-8" if utf8 else encoding
        raise error(f"{path or '<text>'}:{line}:{col}: not {label} text "
                    f"(byte 0x{data[start]:02x})") from None
    except LookupError:
        raise error(f"{path or '<text>'}: unknown text encoding '{encoding}'") from None


def read_text(path: str | PathLike[str], what: str = "input", *, max_bytes: int | None = None,
              error: type[InputError] = InputFileError) -> str:
    """The text of an input file: :func:`read_bytes`, then :func:`decode_text` (UTF-8).

    Raises
    ------
    InputFileError
        As :func:`read_bytes`, or ``path:line:col: not UTF-8 text (byte 0x..)``.
    """
    return decode_text(read_bytes(path, what, max_bytes=max_bytes, error=error), os.fspath(path),
                       error=error)
