"""Rate files: the up- and down-rates of a model's nodes, one assignment per line (the
syntax is :func:`logicbone.parse_rates`'s).

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "model.rates"
>>> _ = path.write_text("mTOR.up = 0.2\\n", encoding="utf-8")
>>> read_rates(path).up("mTOR").text
'0.2'
"""
from __future__ import annotations

from os import PathLike

from ..rates import Rates, parse_rates
from . import read_companion

__all__ = ["read_rates"]


def read_rates(path: str | PathLike[str]) -> Rates:
    """:func:`~logicbone.parse_rates` on a file.

    Raises
    ------
    UsageError
        When the file cannot be read (with the reason).
    RuleSyntaxError
        On a line that is no rate assignment (with its place).
    """
    return parse_rates(read_companion(path, "rate file"), str(path))
