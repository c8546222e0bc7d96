"""Reading and writing models: one module per dialect, chosen by file extension.

``read_network(path)`` and ``write_network(net, path)`` pick the dialect from the extension
(or take ``format=``); each dialect also has ``parse_X(text)`` / ``to_X(net)`` on text.
"""
from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

from ..errors import FileExistsRefused, LogicboneError
from ..network import Network

__all__ = ["read_network", "parse_network", "write_network", "format_network", "FORMATS",
           "format_for_path", "write_text_atomic"]

# format -> (module, parse function, text writer function)
FORMATS: dict[str, tuple[str, str, str]] = {
    "rules": ("rules", "parse_rules", "to_rules"),
    "bnet": ("bnet", "parse_bnet", "to_bnet"),
    "booleannet": ("rules", "parse_booleannet", "to_booleannet"),
    "sbml": ("sbml_qual", "parse_sbml", "to_sbml"),
    "boolnet": ("boolnet", "parse_boolnet", "to_boolnet"),
    "cellcollective": ("cellcollective", "parse_cellcollective", "to_cellcollective"),
}

EXTENSIONS: dict[str, str] = {
    ".rules": "rules",
    ".bnet": "bnet",
    ".booleannet": "booleannet",
    ".booleannet.txt": "booleannet",
    ".sbml": "sbml",
    ".xml": "sbml",
    ".sbml.xml": "sbml",
    ".boolnet": "boolnet",
    ".boolnet.txt": "boolnet",
    ".bn": "boolnet",
    ".cc.txt": "cellcollective",
    ".cellcollective": "cellcollective",
    ".cellcollective.txt": "cellcollective",
}


def register_format(name: str, module: str, parser: str, writer: str,
                    extensions: tuple[str, ...] = ()) -> None:
    """Add a dialect (``module`` is a submodule of :mod:`logicbone.io`)."""
    FORMATS[name] = (module, parser, writer)
    for ext in extensions:
        EXTENSIONS[ext] = name


def format_for_path(path, format: str | None = None) -> str:
    """The dialect named by ``format`` or implied by ``path``'s extension."""
    if format:
        if format not in FORMATS:
            raise LogicboneError(f"unknown model format '{format}'; known: {', '.join(sorted(FORMATS))}")
        return format
    name = Path(path).name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return EXTENSIONS[ext]
    raise LogicboneError(
        f"{path}: cannot tell the model format from the extension; known extensions: "
        f"{', '.join(sorted(EXTENSIONS))} (or name the format)")


def _dialect(fmt: str):
    mod, parser, writer = FORMATS[fmt]
    m = importlib.import_module(f"{__name__}.{mod}")
    return getattr(m, parser), getattr(m, writer)


def parse_network(text: str, format: str, path: str | None = None, **kw) -> Network:
    """Parse model text in the named dialect."""
    return _dialect(format_for_path(path or "", format))[0](text, path, **kw)


def read_network(path, format: str | None = None, *, undefined: str = "error") -> Network:
    """Read a model file, choosing the dialect from the extension unless ``format`` is given.

    Parameters
    ----------
    path : str or Path
    format : {"rules", "bnet", "booleannet", ...}, optional
    undefined : {"error", "input"}
        What a regulator without a rule becomes.

    Raises
    ------
    RuleSyntaxError, ModelError, LogicboneError
    """
    fmt = format_for_path(path, format)
    parser = _dialect(fmt)[0]
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LogicboneError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise LogicboneError(f"{path}: cannot read: {err}") from err
    return parser(text, str(path), undefined=undefined)


def format_network(net: Network, format: str) -> str:
    """The model as text in the named dialect."""
    return _dialect(format_for_path("", format))[1](net)


def write_network(net: Network, path, format: str | None = None, *, force: bool = False) -> None:
    """Write a model file atomically; refuse to overwrite unless ``force``."""
    fmt = format_for_path(path, format)
    write_text_atomic(path, format_network(net, fmt), force=force)


def write_text_atomic(path, text: str | bytes, *, force: bool = True) -> None:
    """Write a file so that it is either complete or untouched (temp file + rename).

    Raises
    ------
    FileExistsRefused
        If the file exists and ``force`` is false.
    """
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsRefused(f"{path}: exists; not overwritten (use --force)")
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
