"""Named perturbation sets (scenarios) and the conditions that analyses compare.

A scenario file sits next to its model as ``<model stem>.scenarios.yaml``::

    baseline:
      description: physiological resting state
      fix: {Loading: 0, Estrogen: 1, Leucine: 0}
    exercise:
      extends: baseline          # start from another scenario's clamps
      fix: {Loading: 1}
    rapamycin: {mTOR: 0}        # short form: node -> 0/1

A *condition* is what a comparison runs: ``wt`` (no clamp), assignments such as
``Akt=0,mTOR=1``, a scenario name, or several of these joined by ``+``
(``exercise+Akt=0``; later parts win).

Examples
--------
>>> sc = parse_scenarios('''
... baseline: {fix: {Loading: 0, Leucine: 0}}
... exercise: {extends: baseline, fix: {Loading: 1}}
... rapamycin: {mTOR: 0}
... ''')
>>> dict(sc["exercise"].perturbation)
{'Loading': 1, 'Leucine': 0}
>>> resolve_condition("exercise+mTOR=0", sc).label
'exercise+mTOR=0'
>>> dict(resolve_condition("exercise+mTOR=0", sc))
{'Loading': 1, 'Leucine': 0, 'mTOR': 0}
"""
from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from .errors import PerturbationError
from .network import Network
from .perturb import Perturbation, parse_assignments

__all__ = ["Scenario", "parse_scenarios", "read_scenarios", "scenario_path_for",
           "resolve_condition", "WILD_TYPE"]

log = logging.getLogger(__name__)

#: names that mean "no perturbation"
WILD_TYPE = ("wt", "WT", "wildtype", "wild-type", "none")

_LONG_KEYS = {"fix", "extends", "description"}
_BOOL_TEXT = {"0": 0, "1": 1, "off": 0, "on": 1, "false": 0, "true": 1}


@dataclass(frozen=True)
class Scenario:
    """A named set of clamps.

    Attributes
    ----------
    name : str
    perturbation : Perturbation
        The clamps, those of the scenario it extends included, labelled with ``name``.
    description : str
    extends : str or None
    """

    name: str
    perturbation: Perturbation
    description: str = ""
    extends: str | None = None


def _value(where: str, node: str, v: object) -> int:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and v in (0, 1):
        return v
    if isinstance(v, str) and v.strip().lower() in _BOOL_TEXT:
        return _BOOL_TEXT[v.strip().lower()]
    shown = v if isinstance(v, (str, int, float)) or v is None else (
        "a list" if isinstance(v, list) else "a mapping" if isinstance(v, Mapping) else
        type(v).__name__)
    raise PerturbationError(f"{where}: '{node}: {shown}': the value must be 0, 1, ON or OFF")


def _name(container: object, key: object, what: str) -> str:
    """A key that must be a name (text), or a located error."""
    if isinstance(key, str) and key.strip():
        return key.strip()
    from .io.yamltext import where

    raise PerturbationError(f"{where(container, key, key=True)}: {what} {key!r} is not a name "
                            "(quote it to make it one)")


def parse_scenarios(text: str, path: str | None = None) -> dict[str, Scenario]:
    """Read scenarios from YAML text (see the module docstring for the format).

    Keys are names as written (``on``, ``off``, ``yes``, ``no`` included: only ``true`` and
    ``false`` are booleans); every error is located, ``path:line:col: what``.

    Raises
    ------
    PerturbationError
        On malformed YAML, an entry that is neither form, a bad value, an ``extends`` naming
        no scenario, or a cycle of ``extends``.
    """
    from .io.yamltext import load_yaml, where as at

    where = path or "<scenarios>"
    data = load_yaml(text, where, error=PerturbationError)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise PerturbationError(f"{at(data, path=where)}: expected a mapping of scenario names")
    raw: dict[str, tuple[dict[str, int], str, str | None]] = {}
    for key, body in data.items():
        name = _name(data, key, "scenario name")
        here = f"{at(data, key)}: scenario '{name}'"
        if not isinstance(body, Mapping):
            raise PerturbationError(f"{here}: expected a mapping (node: 0/1, or fix/extends)")
        if set(map(str, body)) & _LONG_KEYS:
            unknown = sorted(str(k) for k in body if str(k) not in _LONG_KEYS)
            if unknown:
                bad = next(k for k in body if str(k) == unknown[0])
                raise PerturbationError(
                    f"{at(body, bad, key=True)}: scenario '{name}': unknown key '{unknown[0]}' "
                    "(use fix, extends, description)")
            fix = body.get("fix") or {}
            if not isinstance(fix, Mapping):
                raise PerturbationError(f"{at(body, 'fix')}: scenario '{name}': 'fix' must be "
                                        "a mapping node: 0/1")
            extends = body.get("extends")
            if extends is not None and not isinstance(extends, str):
                raise PerturbationError(f"{at(body, 'extends')}: scenario '{name}': 'extends' "
                                        "names one scenario")
            description = body.get("description")
            if description is not None and not isinstance(description, (str, int, float)):
                raise PerturbationError(f"{at(body, 'description')}: scenario '{name}': "
                                        "'description' must be text")
            description = "" if description is None else str(description)
        else:
            fix, extends, description = body, None, ""
        values = {}
        for k, v in fix.items():
            node = _name(fix, k, "node")
            values[node] = _value(f"{at(fix, k)}: scenario '{name}'", node, v)
        if name in raw:
            raise PerturbationError(f"{at(data, key, key=True)}: scenario '{name}' given twice")
        raw[name] = (values, description, None if extends is None else extends.strip())

    resolved: dict[str, Scenario] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> Scenario:
        if name in resolved:
            return resolved[name]
        values, description, extends = raw[name]
        merged: dict[str, int] = {}
        if extends is not None:
            if extends in chain or extends == name:
                raise PerturbationError(
                    f"{where}: scenario '{name}' extends itself through "
                    f"{' -> '.join((*chain, name, extends))}")
            if extends not in raw:
                close = difflib.get_close_matches(extends, list(raw), n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise PerturbationError(
                    f"{where}: scenario '{name}' extends unknown scenario '{extends}'{hint}")
            merged.update(resolve(extends, (*chain, name)).perturbation)
        merged.update(values)
        sc = Scenario(name, Perturbation(merged, label=name), description, extends)
        resolved[name] = sc
        return sc

    for name in raw:
        resolve(name, ())
    return {name: resolved[name] for name in raw}


def read_scenarios(path: str | PathLike[str]) -> dict[str, Scenario]:
    """Read a scenario file; see :func:`parse_scenarios`."""
    from .io import read_companion

    text = read_companion(path, "scenario", PerturbationError)
    return parse_scenarios(text, str(path))


def scenario_path_for(model_path: str | PathLike[str]) -> Path:
    """Where the scenarios of a model live: ``<model stem>.scenarios.yaml`` next to it.

    Examples
    --------
    >>> scenario_path_for("models/muscle_fibre.rules").as_posix()
    'models/muscle_fibre.scenarios.yaml'
    """
    from .io import companion_path

    return companion_path(model_path, "scenarios")


def _own_clamps(scenarios: Mapping[str, Scenario], name: str) -> set[str]:
    """Nodes a scenario sets itself (not inherited unchanged from the scenario it extends)."""
    scn = scenarios[name]
    parent = scenarios.get(scn.extends) if scn.extends else None
    inherited = dict(parent.perturbation) if parent else {}
    return {n for n, v in scn.perturbation.items() if inherited.get(n) != v}


def resolve_condition(text: str, scenarios: Mapping[str, Scenario] | None = None,
                      net: Network | None = None) -> Perturbation:
    """The perturbation a condition text names.

    Parameters
    ----------
    text : str
        ``wt``; ``A=0,B=1``; a scenario name; or parts joined by ``+``. When parts are
        combined, what a scenario sets itself wins over what it inherits through
        ``extends``: ``estrogen_loss+denosumab`` keeps Estrogen OFF although denosumab extends
        a baseline with Estrogen ON. Among values set directly, later parts win.
    scenarios : mapping name -> Scenario, optional
    net : Network, optional
        When given, every clamped node is checked (unknown names raise
        :class:`~logicbone.errors.UnknownNodeError` listing the closest names).

    Returns
    -------
    Perturbation
        Labelled with ``text`` when it names a scenario, else ``A=0,B=1`` (``wt`` if empty).

    Raises
    ------
    PerturbationError
        On a part that is neither assignments nor a known scenario.

    Examples
    --------
    >>> resolve_condition("wt").label
    'wt'
    >>> dict(resolve_condition("Akt=0, mTOR:ON"))
    {'Akt': 0, 'mTOR': 1}
    """
    scenarios = scenarios or {}
    label = text.strip()
    values: dict[str, int] = {}
    named = False
    for part in label.split("+"):
        part = part.strip()
        if not part:
            raise PerturbationError(f"condition '{text}': empty part")
        if part in WILD_TYPE:
            continue
        if part in scenarios:
            own = _own_clamps(scenarios, part)
            for node, v in scenarios[part].perturbation.items():
                if node in own or node not in values:
                    values[node] = v
            named = True
        elif "=" in part or ":" in part:
            values.update(parse_assignments(part))
        else:
            close = difflib.get_close_matches(part, list(scenarios), n=3, cutoff=0.5)
            hint = (f"; did you mean {', '.join(close)}?" if close else
                    (f"; known scenarios: {', '.join(list(scenarios)[:8])}" if scenarios else
                     "; no scenario file was found"))
            raise PerturbationError(
                f"unknown scenario or condition '{part}': not wt, NODE=0/1 assignments, "
                f"or a known scenario{hint}")
    if net is not None:
        net.check_nodes(values)
    return Perturbation(values, label=label if named else None)
