"""The questions of a response: the start states a command takes, and the asynchronous
response by distance layers on BDDs (at any size).

:func:`initial_states` reads the start the way every command takes it:

* a full state string (``0101...``, one 0/1 per node in node order) is taken as it is;
* a partial assignment ``A=1,B=0`` sets those nodes; every node it does not name takes its
  value in the start condition's attractor when one is given (``condition``), else 0;
* a start condition alone gives the states of its attractors;
* in every case the nodes that the new condition clamps (``clamps``) start at their clamped
  values: the change of condition is instantaneous.

:func:`response_layers` summarises what :func:`~logicbone.dynamics.response.response_graph`
builds explicitly, without enumerating a state.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..bdd import BDD
from ..dynamics.response import (DOWN, UP, Layer, ResponseLayers, project_state,
                                 restrict_to_moving)
from ..dynamics.update import Update
from ..errors import UsageError
from ..modes import AttractorMethod
from ..network import Network
from .results import size_text

if TYPE_CHECKING:
    from ..scenarios import Scenario

__all__ = ["initial_states", "response_layers", "MAX_START_STATES"]

#: most start states a condition's attractors may give
MAX_START_STATES = 1 << 12


def _parse_one(text: str, names: tuple[str, ...]) -> tuple[int | None, dict[str, int]]:
    """``(full state, {})`` for a 0/1 string of every node, ``(None, assignments)`` otherwise."""
    from ..perturb import parse_assignments

    text = text.strip()
    if text and set(text) <= {"0", "1"}:
        if len(text) != len(names):
            raise UsageError(f"start state '{text}' has {len(text)} characters; the network "
                             f"has {len(names)} nodes (one 0/1 per node in node order, or "
                             "NODE=0/1 assignments)")
        return sum(1 << i for i, c in enumerate(text) if c == "1"), {}
    return None, parse_assignments(text)


def _set(state: int, index: Mapping[str, int], values: Mapping[str, int]) -> int:
    for name, v in values.items():
        bit = 1 << index[name]
        state = (state | bit) if v else (state & ~bit)
    return state


def initial_states(net: Network, spec: str | Sequence[str] = (), *,
                   condition: str | None = None,
                   scenarios: Mapping[str, Scenario] | None = None,
                   clamps: Mapping[str, int] | None = None,
                   update: Update | str = Update.ASYNCHRONOUS,
                   method: AttractorMethod | str = AttractorMethod.AUTO) -> tuple[int, ...]:
    """The start states that ``spec`` and ``condition`` describe, one parser for every command.

    Parameters
    ----------
    net : Network
        The model, without the perturbation of the new condition (the start condition's
        attractors are computed on it).
    spec : str or sequence of str
        Each a full state string (``0101...``) or a partial assignment (``A=1,B=0``); an empty
        string is all nodes at 0 (or the start condition's attractor).
    condition : str, optional
        A condition (scenario name, ``wt``, ``A=0``, ``exercise+Akt=0``) whose attractors give
        the start states; a partial assignment is applied on top of each of their states.
    scenarios : mapping name -> Scenario, optional
        The scenarios ``condition`` may name.
    clamps : mapping name -> 0/1, optional
        The clamps of the new condition: the start states take these values.
    update : Update or str
        Update scheme of the start condition's attractors.
    method : AttractorMethod or str
        Attractor method for the start condition.

    Returns
    -------
    tuple of int
        Distinct start states (bit i = ``net.names[i]``), in order of first appearance; empty
        when neither ``spec`` nor ``condition`` is given.

    Raises
    ------
    UnknownNodeError
        On a node the network does not have (naming the closest ones).
    PerturbationError
        On an unknown scenario (naming the closest ones) or an unreadable assignment.
    UsageError
        On a state string of the wrong length, a full state together with ``condition``, or a
        start condition whose attractors are too large to start from.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("S, S\\nA, S\\nB, A")
    >>> [lb.state_to_str(s, 3) for s in initial_states(net, ["100", "B=1"], clamps={"A": 1})]
    ['110', '011']
    >>> [lb.state_to_str(s, 3) for s in initial_states(net, "B=0", condition="S=1")]
    ['110']
    """
    from ..scenarios import resolve_condition

    names = net.names
    index = {n: i for i, n in enumerate(names)}
    texts = [spec] if isinstance(spec, str) else list(spec)
    clamps = dict(clamps or {})
    net.check_nodes(clamps)
    parsed = [_parse_one(t, names) for t in texts]
    for _, values in parsed:
        net.check_nodes(values)
    if condition is not None:
        pert = resolve_condition(condition, scenarios or {}, net)
        if any(full is not None for full, _ in parsed):
            raise UsageError("a full start state leaves nothing to take from the start "
                             f"condition '{condition}'; give NODE=0/1 assignments instead")
        bases = _attractor_states(pert.apply(net), condition, update, method)
    elif not texts:
        return ()
    else:
        bases = [0]
    if not parsed:
        parsed = [(None, {})]
    out: dict[int, None] = {}
    for full, values in parsed:
        for base in ([full] if full is not None else bases):
            out[_set(_set(base, index, values), index, clamps)] = None
    return tuple(out)


def _attractor_states(net: Network, condition: str, update: Update | str,
                      method: AttractorMethod | str) -> list[int]:
    from .attractors import attractors

    res = attractors(net, update, method, max_states=MAX_START_STATES)
    states: list[int] = []
    for a in res.attractors:
        if a.states is None:
            raise UsageError(f"an attractor of '{condition}' has {size_text(a.size)} states, too many to "
                             "start from; fix inputs or give the start with NODE=0/1")
        states.extend(a.states)
    if not states:
        raise UsageError(f"no attractor found for '{condition}' to start from")
    if len(states) > MAX_START_STATES:
        raise UsageError(f"the attractors of '{condition}' have {len(states):,} states, more "
                         f"than {MAX_START_STATES:,} to start from; fix inputs")
    return states


# ---------------------------------------------------------------- by layers, on BDDs

def response_layers(net: Network, starts: Sequence[int], *, readouts: Sequence[str] = (),
                    model: str = "", label: str = "",
                    timeout: float | None = None) -> ResponseLayers:
    """The asynchronous response from ``starts`` by distance layers, computed on BDDs: no
    state is enumerated, so it scales to responses of billions of states.

    Parameters
    ----------
    net : Network
        The network of the new condition.
    starts : sequence of int
        Start states.
    readouts : sequence of str
        The nodes whose ON states are counted per layer (:meth:`ResponseLayers.fraction_on`).
    model, label : str
    timeout : float, optional
        Seconds; beyond, :class:`~logicbone.errors.AnalysisTimeout`.

    Returns
    -------
    ResponseLayers
        The same layers as :meth:`ResponseGraph.layers` of the asynchronous response graph.

    Examples
    --------
    >>> import logicbone as lb
    >>> net = lb.parse_bnet("S, S\\nA, S\\nB, S")
    >>> r = response_layers(net, [1], readouts=["B"])
    >>> [(x.size, x.changes) for x in r.layers]
    [(1, {'A↑': 1, 'B↑': 1}), (2, {'A↑': 1, 'B↑': 1}), (1, {})]
    """
    import time

    from ..errors import AnalysisTimeout
    from .symbolic import AsyncSTG

    starts = [int(s) for s in starts]
    if not starts:
        raise UsageError("a response needs at least one start state")
    sub, moving, base = restrict_to_moving(net, starts)
    deadline = None if timeout is None else time.monotonic() + timeout
    stg = AsyncSTG(sub, percolate=False, deadline=deadline)
    mgr = stg.mgr
    false = mgr.false
    start = false
    for s in {project_state(x, moving) for x in starts}:
        start |= mgr.cube({n: bool((s >> j) & 1) for j, n in enumerate(sub.names)})
    reached, layer = start, start
    raw: list[tuple[BDD, dict[str, BDD]]] = []
    while layer != false:
        if deadline is not None and time.monotonic() > deadline:
            raise AnalysisTimeout(f"time limit reached after {len(raw)} layers of the response")
        nxt = false
        changes: dict[str, BDD] = {}
        for n, can in stg.flip.items():
            if can & layer == false:
                continue
            img = stg.post(layer, n) & ~reached
            if img == false:
                continue
            x = mgr.var(n)
            for arrow, part in ((UP, img & x), (DOWN, img & ~x)):
                if part != false:
                    changes[f"{n}{arrow}"] = part
            nxt |= img
        raw.append((layer, changes))
        reached |= nxt
        layer = nxt
    attractors = list(stg.terminal_sccs(reached))
    in_attr = false
    for a in attractors:
        in_attr |= a
    nvars = len(sub.names)
    net.check_nodes(readouts)
    counted = set(readouts)

    def count(u: BDD) -> int:
        # CUDD counts in doubles: exact below 2^53 states, else the exact (slower) walk
        return round(mgr.count(u, nvars=nvars)) if nvars <= 52 else stg.count(u)

    layers: list[Layer] = []
    for d, (u, changes) in enumerate(raw):
        on = {n: count(u & mgr.var(n)) for n in sub.names if n in counted}
        layers.append(Layer(d, count(u), on, {k: count(v) for k, v in changes.items()},
                            count(u & in_attr)))
    return ResponseLayers(net.names, Update.ASYNCHRONOUS, tuple(layers), len(attractors), base,
                          tuple(moving), model, label)
