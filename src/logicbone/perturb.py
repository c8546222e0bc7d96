"""Perturbations: nodes held ON or OFF (knockouts, over-expression, drugs, fixed inputs).

A :class:`Perturbation` is an ordered mapping node -> 0/1; applying it returns a new
:class:`~logicbone.network.Network` whose perturbed rules are constants.

Examples
--------
>>> p = Perturbation.parse("Akt=0, mTOR:ON")
>>> dict(p)
{'Akt': 0, 'mTOR': 1}
>>> p.label
'Akt=0,mTOR=1'
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from .errors import PerturbationError
from .network import Network

__all__ = ["Perturbation", "parse_assignments", "check_perturbation", "single_perturbations",
           "double_perturbations", "input_grid"]

_VALUES = {"0": 0, "1": 1, "off": 0, "on": 1, "false": 0, "true": 1, "ko": 0, "oe": 1}
_ITEM = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|:)\s*([A-Za-z0-9]+)\s*\Z")


def parse_assignments(text: str) -> dict[str, int]:
    """Parse ``"A=0,B=1"`` (also ``A:OFF``, ``B:ON``, ``true``/``false``) into a dict.

    Raises
    ------
    PerturbationError
        On an item that is not ``name=value`` or a value that is not 0/1/ON/OFF.
    """
    out: dict[str, int] = {}
    if not text.strip():
        return out
    for item in text.split(","):
        m = _ITEM.match(item)
        if not m:
            raise PerturbationError(
                f"cannot read '{item.strip()}': expected NODE=0 or NODE=1 (also NODE:ON, NODE:OFF)")
        name, value = m.group(1), m.group(2).lower()
        if value not in _VALUES:
            raise PerturbationError(f"'{name}={m.group(2)}': the value must be 0, 1, ON or OFF")
        if name in out and out[name] != _VALUES[value]:
            raise PerturbationError(f"'{name}' is set both ON and OFF")
        out[name] = _VALUES[value]
    return out


class Perturbation(Mapping[str, int]):
    """An immutable, ordered set of node -> 0/1 clamps, with a label for reports."""

    __slots__ = ("_values", "_label")

    def __init__(self, values: Mapping[str, int] | Iterable[tuple[str, int]] = (),
                 label: str | None = None):
        self._values = {k: int(v) for k, v in dict(values).items()}
        for k, v in self._values.items():
            if v not in (0, 1):
                raise PerturbationError(f"'{k}={v}': the value must be 0 or 1")
        self._label = label

    @classmethod
    def parse(cls, text: str, label: str | None = None) -> "Perturbation":
        """From ``"A=0,B=1"`` text."""
        return cls(parse_assignments(text), label)

    def __getitem__(self, key: str) -> int:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._values) == dict(other)

    def __repr__(self) -> str:
        return f"Perturbation({self.label!r})"

    @property
    def label(self) -> str:
        """The given name, or ``A=0,B=1``; ``wt`` when empty."""
        if self._label:
            return self._label
        return ",".join(f"{k}={v}" for k, v in self._values.items()) or "wt"

    def merged(self, other: Mapping[str, int], label: str | None = None) -> "Perturbation":
        """This perturbation with ``other`` applied on top (``other`` wins on conflicts)."""
        values = dict(self._values)
        values.update(other)
        return Perturbation(values, label)

    def apply(self, net: Network) -> Network:
        """A new network with these nodes clamped (unknown names raise UnknownNodeError)."""
        return net.fix(self._values) if self._values else net


def check_perturbation(net: Network, values: Mapping[str, int]) -> None:
    """Raise :class:`~logicbone.errors.UnknownNodeError` (with the closest names) for the
    first node of ``values`` that ``net`` does not have.

    Examples
    --------
    >>> from logicbone.io.bnet import parse_bnet
    >>> net = parse_bnet("Akt, PI3K\\nPI3K, PI3K")
    >>> check_perturbation(net, {"Atk": 0})
    Traceback (most recent call last):
    ...
    logicbone.errors.UnknownNodeError: unknown node 'Atk'; did you mean Akt?
    """
    net.check_nodes(values)


def single_perturbations(targets: Iterable[str]) -> list[Perturbation]:
    """Every knockout and over-expression of one target: ``A=0, A=1, B=0, ...``.

    Examples
    --------
    >>> [p.label for p in single_perturbations(["A", "B"])]
    ['A=0', 'A=1', 'B=0', 'B=1']
    """
    return [Perturbation({t: v}) for t in targets for v in (0, 1)]


def double_perturbations(targets: Iterable[str]) -> list[Perturbation]:
    """Every pair of distinct targets, each knocked out or over-expressed (4 per pair).

    Examples
    --------
    >>> [p.label for p in double_perturbations(["A", "B"])]
    ['A=0,B=0', 'A=0,B=1', 'A=1,B=0', 'A=1,B=1']
    """
    import itertools

    targets = list(dict.fromkeys(targets))
    return [Perturbation({a: va, b: vb})
            for a, b in itertools.combinations(targets, 2)
            for va in (0, 1) for vb in (0, 1)]


def input_grid(inputs: Iterable[str]) -> list[Perturbation]:
    """Every combination of OFF/ON for ``inputs``, the first input varying slowest.

    Examples
    --------
    >>> [p.label for p in input_grid(["IGF1", "IL6"])]
    ['IGF1=0,IL6=0', 'IGF1=0,IL6=1', 'IGF1=1,IL6=0', 'IGF1=1,IL6=1']
    """
    import itertools

    inputs = list(dict.fromkeys(inputs))
    return [Perturbation(dict(zip(inputs, values)))
            for values in itertools.product((0, 1), repeat=len(inputs))]
