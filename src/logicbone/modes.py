"""Modes as enums: the methods of the analyses and the kinds of their questions.

Inside the library a mode is an enum member; a string (a command-line option, a keyword from
a script) is read once, where it comes in, by the enum's :meth:`Mode.parse`. The update
schemes (:class:`~logicbone.dynamics.update.Update`) follow the same pattern.

Examples
--------
>>> AttractorMethod.parse("SAT")
<AttractorMethod.SAT: 'sat'>
>>> FixedPointMethod.parse(FixedPointMethod.ASP).label
'asp'
>>> TrapSpaceKind.labels()
['min', 'max', 'all']
>>> f"{AttractorMethod.SYMBOLIC}", AttractorMethod.SYMBOLIC == "symbolic"
('symbolic', True)
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

from .errors import UsageError

__all__ = ["Mode", "AttractorMethod", "FixedPointMethod", "TrapSpaceKind"]

M = TypeVar("M", bound="Mode")


class Mode(str, enum.Enum):
    """Base of the mode enums: a member's value is its name in results; its :attr:`label`
    is how the command line spells it; :meth:`aliases` adds other accepted spellings.

    A member is also the string of its value (``AttractorMethod.SAT == "sat"``), so that it
    formats, serialises to JSON and keys tables as that name.
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    @classmethod
    def aliases(cls: type[M]) -> dict[str, M]:
        """Other accepted spellings, lower case (none by default)."""
        return {}

    @property
    def label(self) -> str:
        """The command-line spelling (the value, unless an enum says otherwise)."""
        return str(self.value)

    @classmethod
    def labels(cls: type[M], members: Iterable[M] | None = None) -> list[str]:
        """The command-line spellings of ``members`` (default: all), in order."""
        return [m.label for m in (cls if members is None else members)]

    @classmethod
    def parse(cls: type[M], text: str | M) -> M:
        """The member ``text`` names: a member itself, its value or label, or an alias
        (case and ``-``/``_`` do not matter).

        Raises
        ------
        UsageError
            For a name that is none of these.
        """
        if isinstance(text, cls):
            return text
        key = str(text).strip().lower().replace("-", "_")
        for member in cls:
            if key in (str(member.value), member.label.replace("-", "_")):
                return member
        found = cls.aliases().get(key)
        if found is None:
            raise UsageError(f"unknown {cls._what()} '{text}'; use "
                             f"{', '.join(cls.labels()[:-1])} or {cls.labels()[-1]}")
        return found

    @classmethod
    def _what(cls) -> str:
        return "method"


class AttractorMethod(Mode):
    """How attractors are found (:func:`logicbone.attractors`).

    AUTO
        explicit while the state space fits, else the method that scales for the scheme;
    EXPLICIT
        exhaustive search of the state space (numpy, sparse graphs);
    SYMBOLIC
        asynchronous attractors with BDDs, from minimal trap spaces and candidate states;
    SAT
        synchronous cycles up to a length bound, by unrolling in clingo;
    MP
        most permissive attractors: the minimal trap spaces.
    """

    AUTO = "auto"
    EXPLICIT = "explicit"
    SYMBOLIC = "symbolic"
    SAT = "sat"
    MP = "mp"


class FixedPointMethod(Mode):
    """How fixed points are found (:func:`logicbone.fixed_points`).

    AUTO
        explicit for small independent parts, else ASP;
    ASP
        clingo over the rules' irredundant DNFs;
    SAT
        PicoSAT (pyeda);
    BDD
        binary decision diagrams (CUDD through ``dd``);
    EXPLICIT
        a scan of every state (small networks).
    """

    AUTO = "auto"
    ASP = "asp"
    SAT = "sat"
    BDD = "bdd"
    EXPLICIT = "explicit"


class TrapSpaceKind(Mode):
    """Which trap spaces (:func:`logicbone.trap_spaces`): minimal, maximal (among the proper
    ones) or all."""

    MIN = "min"
    MAX = "max"
    ALL = "all"

    @classmethod
    def aliases(cls) -> dict[str, TrapSpaceKind]:
        return {"minimal": cls.MIN, "maximal": cls.MAX}

    @classmethod
    def _what(cls) -> str:
        return "trap space kind"
