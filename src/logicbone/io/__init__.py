"""Reading and writing models: one module per dialect, chosen by file extension.

``read_network(path)`` and ``write_network(net, path)`` pick the dialect from the extension
(or take ``format=``); each dialect also has ``parse_X(text)`` / ``to_X(net)`` on text.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from os import PathLike
from typing import Any

from ..errors import InputError, UsageError
from ..outputs import atomic_open, check_output_path, write_atomic
from .text import MAX_INPUT_BYTES, decode_text, read_bytes, read_text
from ..network import Network, ParsedModel

__all__ = ["read_network", "parse_network", "parse_model", "write_network", "format_network", "FORMATS",
           "format_for_path", "MODEL_EXTENSIONS", "write_text_atomic", "atomic_open", "companion_path",
           "read_companion", "read_text", "read_bytes", "decode_text", "MAX_INPUT_BYTES"]

# format -> (module, parse function, text writer function); the module also has
# ``<parse function>_model`` giving the rules before the checks (:func:`parse_model`)
FORMATS: dict[str, tuple[str, str, str]] = {
    "rules": ("rules", "parse_rules", "to_rules"),
    "bnet": ("bnet", "parse_bnet", "to_bnet"),
    "booleannet": ("rules", "parse_booleannet", "to_booleannet"),
    "sbml": ("sbml_qual", "parse_sbml", "to_sbml"),
    "boolnet": ("boolnet", "parse_boolnet", "to_boolnet"),
    "cellcollective": ("cellcollective", "parse_cellcollective", "to_cellcollective"),
    "maboss": ("maboss", "parse_bnd", "to_bnd"),
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
    ".bnd": "maboss",
}

#: the model dialects by file extension (a view of :data:`EXTENSIONS`)
MODEL_EXTENSIONS = EXTENSIONS


def companion_path(model_path: str | PathLike[str], kind: str) -> Path:
    """A file that belongs to a model: ``<model stem>.<kind>.yaml`` next to it.

    Examples
    --------
    >>> companion_path("models/bone.rules", "scenarios").as_posix()
    'models/bone.scenarios.yaml'
    """
    p = Path(model_path)
    return p.with_name(f"{p.stem}.{kind}.yaml")


def read_companion(path: str | PathLike[str], what: str,
                   error: type[InputError] = UsageError) -> str:
    """The text of a model's companion file (scenarios, expectations), read by
    :func:`~logicbone.io.text.read_text`; ``error`` is the class of its errors."""
    return read_text(path, what, error=error)


def register_format(name: str, module: str, parser: str, writer: str,
                    extensions: tuple[str, ...] = ()) -> None:
    """Add a dialect (``module`` is a submodule of :mod:`logicbone.io`)."""
    FORMATS[name] = (module, parser, writer)
    for ext in extensions:
        EXTENSIONS[ext] = name


def format_for_path(path: str | PathLike[str], format: str | None = None) -> str:
    """The dialect named by ``format`` or implied by ``path``'s extension."""
    if format:
        if format not in FORMATS:
            raise UsageError(f"unknown model format '{format}'; known: {', '.join(sorted(FORMATS))}")
        return format
    name = Path(path).name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return EXTENSIONS[ext]
    raise UsageError(
        f"{path}: cannot tell the model format from the extension; known extensions: "
        f"{', '.join(sorted(EXTENSIONS))} (or name the format)")


#: a dialect's parser, ``parse_X(text, path, *, undefined)``
Parser = Callable[..., Network]
#: a dialect's writer, ``to_X(net)``
Writer = Callable[[Network], str]


def _dialect(fmt: str) -> tuple[Parser, Writer]:
    mod, parser, writer = FORMATS[fmt]
    m = importlib.import_module(f"{__name__}.{mod}")
    functions: tuple[Parser, Writer] = (getattr(m, parser), getattr(m, writer))
    return functions


def parse_network(text: str, format: str, path: str | None = None, **kw: Any) -> Network:
    """Parse model text in the named dialect."""
    return _dialect(format_for_path(path or "", format))[0](text, path, **kw)


def parse_model(text: str, format: str, path: str | None = None, **kw: Any) -> ParsedModel:
    """The rules of model text in the named dialect with their positions, before the checks
    that make a :class:`Network` (the dialect's ``parse_<dialect>_model``)."""
    mod, parser, _ = FORMATS[format_for_path(path or "", format)]
    model_parser = getattr(importlib.import_module(f"{__name__}.{mod}"), f"{parser}_model")
    pm: ParsedModel = model_parser(text, path, **kw)
    return pm


def read_network(path: str | PathLike[str], format: str | None = None, *,
                 undefined: str = "error") -> Network:
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
    if fmt == "sbml":  # XML: the document names its encoding
        from .sbml_qual import read_sbml
        return read_sbml(path, undefined=undefined)
    parser = _dialect(fmt)[0]
    text = read_text(path, "model")
    return parser(text, str(path), undefined=undefined)


def format_network(net: Network, format: str) -> str:
    """The model as text in the named dialect.

    Raises
    ------
    UsageError
        For a network without nodes (no reader takes an empty model back).
    """
    if not net.names:
        raise UsageError("the model has no nodes: nothing to write (an empty model reads "
                         "back in no dialect)")
    return _dialect(format_for_path("", format))[1](net)


def write_network(net: Network, path: str | PathLike[str], format: str | None = None, *,
                  force: bool = False) -> None:
    """Write a model file atomically; refuse to overwrite unless ``force``, and refuse a
    ``format`` that the extension of ``path`` contradicts (``out.bnet`` as SBML)."""
    fmt = format_for_path(path, format)
    check_output_path(path, force=force, formats=EXTENSIONS, format=fmt)
    write_text_atomic(path, format_network(net, fmt), force=force)


def write_text_atomic(path: str | PathLike[str], text: str | bytes, *, force: bool = True) -> None:
    """Write a whole file atomically (see :func:`atomic_open`); ``bytes`` are written as is.

    Raises
    ------
    FileExistsRefused
        If the file exists and ``force`` is false.
    """
    write_atomic(path, text, force=force)
