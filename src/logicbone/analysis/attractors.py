"""``attractors(net, update, method)``: one entry point that picks the engine.

Each method is one function in :data:`METHODS`; ``method="auto"`` takes the explicit engine
when the state space left after percolating constants fits within ``state_limit``, and
otherwise the method that scales for the update scheme (:data:`SCALABLE`), if it is
available. Asynchronous attractors without basins go symbolic already above
:data:`PREFER_SYMBOLIC` states, where that is the faster engine.

Examples
--------
>>> import logicbone as lb
>>> res = lb.attractors(lb.parse_bnet("A, A\\nB, A"), "sync")
>>> res.method, [a.subspace for a in res.attractors]
('explicit', ['00', '11'])
"""
from __future__ import annotations

from collections.abc import Callable

from ..dynamics.update import Update
from ..errors import LogicboneError, StateSpaceTooLarge
from ..network import Network
from ..space import trap_closure
from .results import AttractorResult

__all__ = ["attractors", "trap_closure", "METHODS", "SCALABLE"]


def _explicit(net: Network, update: Update, **kw) -> AttractorResult:
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
            model: str = "", **kw) -> AttractorResult:
        import importlib
        if update is not scheme or basins:
            raise LogicboneError(refusal)
        engine = getattr(importlib.import_module(f"{__package__}.{module}"), function)
        return engine(net, max_states=max_states, model=model,
                      **{k: kw[k] for k in keys if k in kw})
    return run


_OPTIONS = ("limit", "timeout", "progress", "budget")
_symbolic = _scalable("async_attractors", "async_attractors_symbolic", Update.ASYNCHRONOUS,
                      _OPTIONS, "method 'symbolic' finds asynchronous attractors without "
                      "basins; use --update async, or the explicit method")
_sat = _scalable("sync_sat", "sync_attractors_sat", Update.SYNCHRONOUS,
                 (*_OPTIONS, "max_length"), "method 'sat' finds synchronous cycles without "
                 "basins; use --update sync, or the explicit method")
_mp = _scalable("trap_spaces", "mp_attractors", Update.MOST_PERMISSIVE, _OPTIONS,
                "method 'mp' finds most permissive attractors (minimal trap spaces) without "
                "basins; use --update mp")


#: method name -> function(net, update, *, basins, max_states, state_limit, force, model)
METHODS: dict[str, Callable[..., AttractorResult]] = {
    "explicit": _explicit,
    "symbolic": _symbolic,
    "sat": _sat,
    "mp": _mp,
}

#: the method that scales beyond the explicit limit, per update scheme
SCALABLE: dict[Update, str] = {
    Update.SYNCHRONOUS: "sat",
    Update.ASYNCHRONOUS: "symbolic",
    Update.MOST_PERMISSIVE: "mp",
}


#: above this many states (after percolating constants) ``auto`` answers the asynchronous
#: question symbolically: measured on the corpus, the explicit engine is faster up to about
#: 15 free nodes and slower beyond (23 free nodes: 16 s against 0.5 s)
PREFER_SYMBOLIC = 1 << 15


def _auto(net: Network, update: Update, basins: bool, state_limit: int, force: bool) -> str:
    from .explicit import free_nodes, scaling_hint

    fixed, free = free_nodes(net)
    n = len(net.names) if basins else len(free)
    if update is Update.ASYNCHRONOUS and not basins and not force and (1 << n) > PREFER_SYMBOLIC:
        return "symbolic"
    if update is not Update.MOST_PERMISSIVE and ((1 << n) <= state_limit or force):
        return "explicit"
    scalable = SCALABLE.get(update)
    if scalable in METHODS:
        return scalable
    raise StateSpaceTooLarge(n, state_limit, scaling_hint(update))


def attractors(net: Network, update: Update | str = Update.ASYNCHRONOUS, method: str = "auto",
               *, basins: bool = False, max_states: int = 1000, state_limit: int = 1 << 26,
               force: bool = False, model: str = "", **options) -> AttractorResult:
    """The attractors of ``net`` under ``update``.

    Parameters
    ----------
    net : Network
        Inputs are free (every combination explored) unless fixed beforehand.
    update : Update or str
        ``sync``, ``async``, ``general`` or ``mp``.
    method : str
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
        search with a partial list) and, for ``sat``,
        ``max_length`` (longest cycle searched). ``None`` values are ignored; the explicit
        engine takes none of them.

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
    if method == "auto":
        method = _auto(net, update, basins, state_limit, force)
    try:
        run = METHODS[method]
    except KeyError:
        known = ", ".join(["auto", *METHODS])
        raise LogicboneError(f"unknown method '{method}'; use one of {known}") from None
    options = {k: v for k, v in options.items() if v is not None}
    if method == "explicit":  # the explicit engine takes a budget, no other option
        options = {k: v for k, v in options.items() if k == "budget"}
    return run(net, update, basins=basins, max_states=max_states, state_limit=state_limit,
               force=force, model=model, **options)
