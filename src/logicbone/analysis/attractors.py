"""``attractors(net, update, method)``: one entry point that picks the engine.

Each method is one function in :data:`METHODS`; ``method="auto"`` takes the explicit engine
when the state space left after percolating constants fits within ``state_limit``, and
otherwise the method that scales for the update scheme (:data:`SCALABLE`), if it is
available. Asynchronous attractors without basins go symbolic above
:data:`PREFER_SYMBOLIC` states (0: at every size, where that is the faster engine).

Examples
--------
>>> import logicbone as lb
>>> res = lb.attractors(lb.parse_bnet("A, A\\nB, A"), "sync")
>>> str(res.method), [a.subspace for a in res.attractors]
('explicit', ['00', '11'])
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..dynamics.update import Update
from ..errors import LogicboneError, StateSpaceTooLarge
from ..modes import AttractorMethod
from ..network import Network
from ..space import trap_closure
from .results import AttractorResult

__all__ = ["attractors", "trap_closure", "METHODS", "SCALABLE"]


def _explicit(net: Network, update: Update, **kw: Any) -> AttractorResult:
    from dataclasses import replace

    from .explicit import explicit_attractors
    res = explicit_attractors(net, update, **kw)
    if update is Update.ASYNCHRONOUS:     # as the symbolic method reports
        res = replace(res, attractors=tuple(
            replace(a, extra={**a.extra, "trap_space": trap_closure(net, a.subspace)})
            for a in res.attractors))
    return res


def _scalable(module: str, function: str, scheme: Update, keys: tuple[str, ...],
              refusal: str) -> Callable[..., AttractorResult]:
    """A method that answers one update scheme without basins, from a lazily imported engine;
    it passes on the ``keys`` among the options (the dispatcher already dropped ``None``)."""
    def run(net: Network, update: Update, *, basins: bool = False, max_states: int = 1000,
            model: str = "", **kw: Any) -> AttractorResult:
        import importlib
        if update is not scheme or basins:
            raise LogicboneError(refusal)
        engine: Callable[..., AttractorResult] = getattr(
            importlib.import_module(f"{__package__}.{module}"), function)
        return engine(net, max_states=max_states, model=model,
                      **{k: kw[k] for k in keys if k in kw})
    return run


_OPTIONS = ("limit", "timeout", "progress", "budget")
_symbolic = _scalable("async_attractors", "async_attractors_symbolic", Update.ASYNCHRONOUS,
                      _OPTIONS + ("sizes", "settings"),
                      "method 'symbolic' finds asynchronous attractors without "
                      "basins; use --update async, or the explicit method")
_sat = _scalable("sync_sat", "sync_attractors_sat", Update.SYNCHRONOUS,
                 (*_OPTIONS, "max_length"), "method 'sat' finds synchronous cycles without "
                 "basins; use --update sync, or the explicit method")
_mp = _scalable("trap_spaces", "mp_attractors", Update.MOST_PERMISSIVE,
                _OPTIONS + ("settings",),
                "method 'mp' finds most permissive attractors (minimal trap spaces) without "
                "basins; use --update mp")


#: method -> function(net, update, *, basins, max_states, state_limit, force, model)
METHODS: dict[AttractorMethod, Callable[..., AttractorResult]] = {
    AttractorMethod.EXPLICIT: _explicit,
    AttractorMethod.SYMBOLIC: _symbolic,
    AttractorMethod.SAT: _sat,
    AttractorMethod.MP: _mp,
}

#: the method that scales beyond the explicit limit, per update scheme
SCALABLE: dict[Update, AttractorMethod] = {
    Update.SYNCHRONOUS: AttractorMethod.SAT,
    Update.ASYNCHRONOUS: AttractorMethod.SYMBOLIC,
    Update.MOST_PERMISSIVE: AttractorMethod.MP,
}


#: above this many states (after percolating constants) ``auto`` answers the asynchronous
#: question symbolically. Measured on the corpus (whole command, both modes, 4 to 15 free
#: nodes, 145 runs): the symbolic engine as fast or faster from 4 free nodes up (median
#: 0.95 of the explicit one's time, 0.77 at 15: the explicit engine loads numpy and builds
#: every state), and far faster beyond (23 free nodes: 0.5 s against 16 s); so every
#: asynchronous question without basins goes symbolic (the same attractors either way)
PREFER_SYMBOLIC = 0


#: what to do when basins are asked of a state space too large to build
BASINS_HINT = ("basins are fractions of every state of the network (fixed nodes included), "
               "built explicitly: raise the limit where that fits in memory (--state-limit, "
               "--force), or drop --basins to find the attractors without building it")


def _auto(net: Network, update: Update, basins: bool, state_limit: int,
          force: bool) -> AttractorMethod:
    # the nodes left free by percolation, without the explicit engine's module (it loads
    # numpy, a noticeable share of a small symbolic command)
    n = len(net.names) if basins else len(net.names) - len(net.percolate())
    if update is Update.ASYNCHRONOUS and not basins and not force and (1 << n) > PREFER_SYMBOLIC:
        return AttractorMethod.SYMBOLIC
    if update is not Update.MOST_PERMISSIVE and ((1 << n) <= state_limit or force):
        return AttractorMethod.EXPLICIT
    if basins:      # (no scalable method gives basins: say so, not that it refuses them)
        raise StateSpaceTooLarge(n, state_limit, BASINS_HINT)
    scalable = SCALABLE.get(update)
    if scalable is not None:
        return scalable
    from .explicit import scaling_hint
    raise StateSpaceTooLarge(n, state_limit, scaling_hint(update))


def attractors(net: Network, update: Update | str = Update.ASYNCHRONOUS,
               method: AttractorMethod | str = AttractorMethod.AUTO,
               *, basins: bool = False, max_states: int = 1000, state_limit: int = 1 << 26,
               force: bool = False, model: str = "", **options: Any) -> AttractorResult:
    """The attractors of ``net`` under ``update``.

    Parameters
    ----------
    net : Network
        Inputs are free (every combination explored) unless fixed beforehand.
    update : Update or str
        ``sync``, ``async``, ``general`` or ``mp``.
    method : AttractorMethod or str
        ``auto`` or one of :data:`METHODS` (``explicit``, ...).
    basins : bool
        Also compute basin sizes (explicit: exact).
    max_states : int
        Keep the states of attractors up to this size.
    state_limit : int
        Largest explicit state space searched without ``force``.
    force : bool
        Search explicitly beyond ``state_limit``.
    model : str
        A label (the model path) carried into the result.
    **options
        For the scalable methods: ``limit`` (stop after N attractors), ``timeout``
        (seconds), ``progress`` (a callable taking one-line messages), ``budget`` (a
        :class:`~logicbone.budget.Budget` instead of those three, whose interrupts stop the
        search with a partial list); for ``symbolic`` and ``mp``, ``settings`` (an
        :class:`~logicbone.analysis.settings.EngineSettings`); for ``symbolic``, ``sizes``
        (False: large attractors proven alone in their trap space keep an unknown size);
        for ``sat``, ``max_length`` (longest cycle searched). ``None`` values are ignored;
        the explicit engine takes ``timeout`` and ``budget`` only (stopped, it lists no
        attractor).

    Returns
    -------
    AttractorResult

    Raises
    ------
    StateSpaceTooLarge
        When the explicit space is above ``state_limit`` and no scalable method applies;
        the message names the method to use.
    LogicboneError
        For an unknown method.
    """
    update = Update.parse(update)
    try:
        how = AttractorMethod.parse(method)
    except LogicboneError:
        known = ", ".join(AttractorMethod.labels())
        raise LogicboneError(f"unknown method '{method}'; use one of {known}") from None
    if how is AttractorMethod.AUTO:
        how = _auto(net, update, basins, state_limit, force)
    run = METHODS[how]
    options = {k: v for k, v in options.items() if v is not None}
    if how is AttractorMethod.EXPLICIT:
        options = {k: v for k, v in options.items() if k in ("timeout", "budget")}
    return run(net, update, basins=basins, max_states=max_states, state_limit=state_limit,
               force=force, model=model, **options)
