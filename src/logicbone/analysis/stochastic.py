"""``stochastic(net, ...)``: probabilities over time under rates (MaBoSS semantics).

The process: in continuous time, each node whose rule disagrees with its value flips at its
rate (``rate_up`` when it would turn ON, ``rate_down`` when OFF; 1 unless given, see
:mod:`logicbone.rates`). From an initial distribution, the answer for a max time T
and a time step (``tick``) is, per window ``[k tick, (k+1) tick)``, the probability that each
node is ON, averaged over the window as MaBoSS reports it; the distribution of states at T
(its most probable states and its entropy); and, when a phenotype is given, the probability
that it has been reached by the end of each window and the mean first-passage time.

``method="exact"`` computes these exactly on the reachable states (at most 2^20, networks of
at most 64 nodes), with the limit distribution as t -> infinity (up to 2^15 states);
``method="sampled"`` simulates trajectories (standard errors from their spread); ``auto``
takes exact up to 2^14 reachable states, where it takes seconds. Nodes held constant (knock-outs, over-expressions) start at their value.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, A\\nB, A")
>>> res = lb.stochastic(net, max_time=2, tick=1, initial={"A": 1, "B": 0}, method="exact")
>>> [round(float(p), 4) for p in res.node_probabilities[:, 1]]   # B follows A at rate 1
[0.3679, 0.7675]
>>> res.final_states[0][0] == 3   # both ON
True
"""
from __future__ import annotations

import hashlib
import logging
import math
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..budget import Budget, BudgetExceeded, StopReason
from ..dynamics.markov import (AUTO_EXACT_LIMIT, DEFAULT_BATCH, EXACT_LIMIT, STATIONARY_LIMIT,
                               BatchSums, compile_process, exact_run, key_to_state,
                               sample_batch, time_windows)
from ..errors import StateSpaceTooLarge, UsageError
from ..expr import Const
from ..modes import Mode
from ..network import Network
from ..rates import InitialCondition, Rates
from .results import state_to_str

__all__ = ["stochastic", "StochasticResult", "StochasticMethod", "InitialCondition",
           "initial_condition", "attractor_initial", "constant_values"]

log = logging.getLogger(__name__)


class StochasticMethod(Mode):
    """How :func:`stochastic` computes: ``auto`` (exact where it fits), ``exact``, ``sampled``
    (:meth:`Mode.parse` reads the names)."""

    AUTO = "auto"
    EXACT = "exact"
    SAMPLED = "sampled"


@dataclass(frozen=True)
class StochasticResult:
    """Probabilities over time; ``to_dict()`` gives the JSON contract of DESIGN.md.

    Attributes
    ----------
    nodes : tuple of str
    method : StochasticMethod
        ``exact`` or ``sampled``.
    samples : int or None
        Trajectories simulated (``None`` when exact).
    seed : int or None
    times : ndarray
        Start of each time window.
    max_time, tick : float
    node_probabilities, node_errors : ndarray
        ``(windows, nodes)``: P(node ON) averaged over each window, and its standard error
        (0 when exact).
    final_states : tuple of (int, float, float)
        ``(state, probability, standard error)`` at ``max_time``, most probable first.
    distinct_states : int
        Number of states with positive probability at ``max_time`` (sampled: seen).
    entropy : float
        Shannon entropy (bits) of the distribution at ``max_time``.
    stationary : tuple of (int, float) or None
        Exact only: the distribution as t -> infinity, most probable first.
    first_passage : dict or None
        ``phenotype`` (text), ``reached`` (P(reached by the end of each window)),
        ``reached_errors``, ``mean_time`` (mean first-passage time of those that reach it by
        ``max_time``) and ``mean_time_error``, ``restricted_mean_time`` (the mean of the
        first-passage time capped at ``max_time``) and its error.
    complete : bool
        False when a time limit or an interrupt cut the sampling short.
    reason : StopReason or None
    """

    model: str
    nodes: tuple[str, ...]
    method: StochasticMethod
    samples: int | None
    seed: int | None
    times: np.ndarray
    max_time: float
    tick: float
    node_probabilities: np.ndarray
    node_errors: np.ndarray
    final_states: tuple[tuple[int, float, float], ...]
    distinct_states: int
    entropy: float
    stationary: tuple[tuple[int, float], ...] | None = None
    first_passage: dict[str, Any] | None = None
    complete: bool = True
    reason: StopReason | None = None
    notes: tuple[str, ...] = field(default=())

    def probability(self, node: str) -> np.ndarray:
        """P(node ON) per window."""
        return self.node_probabilities[:, self.nodes.index(node)]

    def error(self, node: str) -> np.ndarray:
        """Standard error of :meth:`probability` per window."""
        return self.node_errors[:, self.nodes.index(node)]

    def to_dict(self) -> dict[str, Any]:
        n = len(self.nodes)
        d: dict[str, Any] = {
            "model": self.model, "nodes": list(self.nodes), "method": str(self.method),
            "samples": self.samples, "seed": self.seed, "max_time": self.max_time,
            "tick": self.tick, "times": [round(float(t), 12) for t in self.times],
            "node_probabilities": {a: [float(x) for x in self.node_probabilities[:, i]]
                                   for i, a in enumerate(self.nodes)},
            "node_errors": {a: [float(x) for x in self.node_errors[:, i]]
                            for i, a in enumerate(self.nodes)},
            "final_states": [{"state": state_to_str(s, n), "probability": p, "error": e}
                             for s, p, e in self.final_states],
            "distinct_states": self.distinct_states,
            "entropy": self.entropy,
        }
        if self.stationary is not None:
            d["stationary"] = [{"state": state_to_str(s, n), "probability": p}
                               for s, p in self.stationary]
        if self.first_passage is not None:
            d["first_passage"] = self.first_passage
        d["complete"] = self.complete
        if self.reason is not None:
            d["reason"] = self.reason.value
        if self.notes:
            d["notes"] = list(self.notes)
        return d


# ---------------------------------------------------------------- initial conditions

def initial_condition(net: Network, spec: Any = None, *, default: float = 0.5
                      ) -> InitialCondition:
    """The initial distribution ``spec`` describes, on ``net``.

    Parameters
    ----------
    spec : None, int, str, mapping, sequence of int, or InitialCondition
        ``None``: every node ON with probability ``default``; an ``int``: that state; a
        mapping node -> probability (others ``default``); a string ``"A=0.3,B=1"`` or a 0/1
        string in node order; a sequence of states (uniform over them).
    default : float
        P(ON) of the nodes the spec does not name (0.5, as MaBoSS).

    Raises
    ------
    UsageError, UnknownNodeError
        For probabilities outside [0, 1] or unknown nodes.
    """
    n = len(net.names)
    if isinstance(spec, InitialCondition):
        return spec
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        if not 0 <= int(spec) < (1 << n):
            raise UsageError(f"state {spec} does not fit in {n} nodes")
        return InitialCondition.states([int(spec)], n)
    if isinstance(spec, str):
        text = spec.strip()
        if text and set(text) <= {"0", "1"}:
            if len(text) != n:
                raise UsageError(f"initial state '{text}' has {len(text)} characters; the "
                                 f"network has {n} nodes")
            return InitialCondition.states([sum(1 << i for i, c in enumerate(text)
                                                if c == "1")], n)
        spec = _parse_probabilities(text)
    if spec is None:
        spec = {}
    if isinstance(spec, Mapping):
        _check_probability(default, "default")
        probs = [float(default)] * n
        for name, p in spec.items():
            probs[net.index(name)] = _check_probability(p, name)
        return InitialCondition.product(probs)
    if isinstance(spec, Sequence):
        return InitialCondition.states([int(s) for s in spec], n)
    raise UsageError(f"cannot read an initial condition from {spec!r}")


def constant_values(net: Network) -> dict[int, int]:
    """Bit position -> value of the nodes whose rule is a constant (they start there)."""
    out: dict[int, int] = {}
    for i, a in enumerate(net.names):
        rule = net.rules[a]
        if isinstance(rule, Const):
            out[i] = int(rule.value)
    return out


def _check_probability(p: Any, name: str) -> float:
    try:
        x = float(p)
    except (TypeError, ValueError):
        raise UsageError(f"initial probability of {name} must be a number, got {p!r}") from None
    if not 0 <= x <= 1:
        raise UsageError(f"initial probability of {name} is {x:g}; it must lie in [0, 1]")
    return x


def _parse_probabilities(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, eq, value = part.partition("=")
        if not eq or not name.strip():
            raise UsageError(f"'{part}': an initial value is NODE=P with P in [0, 1]")
        out[name.strip()] = _check_probability(value.strip(), name.strip())
    return out


def attractor_initial(net: Network, **options: Any) -> InitialCondition:
    """Start in the asynchronous attractors of ``net`` (a network under a scenario): each
    attractor equally likely, uniform over its states (over its subspace where its states
    are not listed).

    ``options`` go to :func:`logicbone.attractors` (e.g. ``timeout``).
    """
    from ..dynamics.update import Update
    from .attractors import attractors

    res = attractors(net, Update.ASYNCHRONOUS, **options)
    if not res.attractors:
        raise UsageError("no attractor found to start from")
    n = len(net.names)
    weights: list[float] = []
    comps: list[tuple[float, ...]] = []
    share = 1 / len(res.attractors)
    for a in res.attractors:
        if a.states:
            for s in a.states:
                weights.append(share / len(a.states))
                comps.append(tuple(float((s >> i) & 1) for i in range(n)))
        else:
            weights.append(share)
            comps.append(tuple({"0": 0.0, "1": 1.0}.get(c, 0.5) for c in a.subspace))
    return InitialCondition(tuple(weights), tuple(comps))


# ---------------------------------------------------------------- the run

def _check_times(max_time: float, tick: float | None) -> float:
    try:
        T = float(max_time)
        dt = float(tick) if tick is not None else T / 100
    except (TypeError, ValueError):
        raise UsageError("max time and tick must be numbers") from None
    if not math.isfinite(T) or T <= 0:
        raise UsageError(f"max time must be a positive number, got {max_time}")
    if not math.isfinite(dt) or dt <= 0:
        raise UsageError(f"the time tick must be a positive number, got {tick}")
    if dt > T * (1 + 1e-12):
        raise UsageError(f"the time tick ({dt:g}) is larger than the max time ({T:g})")
    return dt


def _phenotype(net: Network, phenotype: Mapping[str, int] | str | None
               ) -> tuple[tuple[np.ndarray, np.ndarray] | None, str | None]:
    if phenotype is None:
        return None, None
    if isinstance(phenotype, str):
        from ..perturb import parse_assignments
        phenotype = parse_assignments(phenotype)
    if not phenotype:
        raise UsageError("the phenotype names no node")
    pos = np.array([net.index(k) for k in phenotype], dtype=np.intp)
    val = np.array([bool(int(v)) for v in phenotype.values()])
    text = ",".join(f"{k}={int(v)}" for k, v in phenotype.items())
    return (pos, val), text


_CACHE: dict[str, Any] = {}


def _batch_task(task: tuple[str, bytes, int, np.random.SeedSequence]) -> BatchSums:
    """One batch in a worker: the compiled process is built once per process and spec."""
    key, payload, size, seed = task
    spec = _CACHE.get(key)
    if spec is None:
        from ..parallel import from_portable
        portable_net, rates, initial, edges, pheno = pickle.loads(payload)
        spec = (compile_process(from_portable(portable_net), rates), initial, edges, pheno)
        _CACHE.clear()
        _CACHE[key] = spec
    proc, initial, edges, pheno = spec
    return sample_batch(proc, initial, edges, size, seed, pheno)


def stochastic(net: Network, max_time: float = 10.0, tick: float | None = None, *,
               samples: int = 10_000, seed: int | None = 0, rates: Rates | None = None,
               initial: Any = None, method: StochasticMethod | str = StochasticMethod.AUTO,
               phenotype: Mapping[str, int] | str | None = None, top: int = 20,
               batch: int = DEFAULT_BATCH, jobs: int | None = 1, scheduler: Any = None,
               exact_limit: int | None = None, timeout: float | None = None,
               progress: Callable[[str], None] | None = None, budget: Budget | None = None,
               model: str = "") -> StochasticResult:
    """Probabilities over time of ``net`` under ``rates`` (MaBoSS semantics).

    Parameters
    ----------
    net : Network
        Perturbations are applied beforehand (a clamped node starts at its value).
    max_time : float
        T > 0.
    tick : float, optional
        Width of the time windows (default T / 100); at most T.
    samples : int
        Trajectories (sampled method); at least 1.
    seed : int or None
        Seed of the :class:`numpy.random.SeedSequence` from which each batch's generator is
        spawned: the same seed gives the same answer whatever ``jobs``.
    rates : Rates, optional
        Up/down rates (default 1 everywhere).
    initial : see :func:`initial_condition`
    method : {"auto", "exact", "sampled"}
    phenotype : mapping or str, optional
        ``"Atrophy=1"``: also report when it is first reached.
    top : int
        Most probable states at T kept in the result.
    batch : int
        Trajectories per batch (the unit of memory, seeding and work).
    jobs, scheduler
        Local worker processes, or a Dask scheduler, as in :func:`logicbone.parallel_map`.
    exact_limit : int, optional
        Largest reachable state space for the exact method (default 2^20 for
        ``method="exact"``; 2^14 for ``auto``, above which sampling is faster).
    timeout, progress, budget
        Stop after ``timeout`` seconds (or an interrupt) with the batches done, marked
        ``complete=False``; ``progress`` receives one-line messages.
    model : str
        A label carried into the result.

    Returns
    -------
    StochasticResult

    Raises
    ------
    UsageError
        On T <= 0, a tick larger than T, no samples, bad rates or probabilities.
    StateSpaceTooLarge
        ``method="exact"`` on too many reachable states.
    """
    dt = _check_times(max_time, tick)
    T = float(max_time)
    how = StochasticMethod.parse(method)
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise UsageError(f"the number of samples must be a positive whole number, got {samples}")
    if batch < 1:
        raise UsageError("the batch size must be at least 1")
    budget = budget or Budget(timeout=timeout, progress=progress)
    proc = compile_process(net, rates)
    init = initial_condition(net, initial)
    init = init.with_fixed(constant_values(net))
    edges = time_windows(T, dt)
    pheno, pheno_text = _phenotype(net, phenotype)
    n = len(net.names)
    common: dict[str, Any] = dict(model=model, nodes=net.names, times=edges[:-1], max_time=T, tick=dt)

    if how is not StochasticMethod.SAMPLED:
        try:
            limit = exact_limit if exact_limit is not None else (
                EXACT_LIMIT if how is StochasticMethod.EXACT else AUTO_EXACT_LIMIT)
            run = exact_run(proc, init, edges, limit=limit, phenotype=pheno,
                            check=budget.check)
        except StateSpaceTooLarge:
            if how is StochasticMethod.EXACT:
                raise
            log.info("exact method does not fit; sampling")
        else:
            order = np.argsort(-run.final, kind="stable")
            nz = [int(i) for i in order if run.final[i] > 1e-15]
            final = tuple((int(run.states[i]), float(run.final[i]), 0.0) for i in nz[:top])
            p = run.final[run.final > 0]
            stationary = None
            if run.limit is not None:
                lo = np.argsort(-run.limit, kind="stable")
                stationary = tuple((int(run.states[i]), float(run.limit[i])) for i in lo
                                   if run.limit[i] > 1e-12)
            fp = None
            if pheno is not None and run.reached is not None:
                fp = {"phenotype": pheno_text, "reached": [float(x) for x in run.reached],
                      "reached_errors": [0.0] * len(run.reached),
                      "mean_time": run.mean_hit, "mean_time_error": 0.0,
                      "restricted_mean_time": run.restricted_mean,
                      "restricted_mean_time_error": 0.0}
            exact_notes = [f"exact over {run.states.size:,} reachable states"]
            if run.limit is None:
                exact_notes.append(f"limit distribution not computed above {STATIONARY_LIMIT:,} "
                             "states")
            return StochasticResult(
                **common, method=StochasticMethod.EXACT, samples=None, seed=None,
                node_probabilities=run.node_probabilities,
                node_errors=np.zeros_like(run.node_probabilities), final_states=final,
                distinct_states=len(nz), entropy=float(-(p * np.log2(p)).sum()),
                stationary=stationary, first_passage=fp,
                notes=tuple(exact_notes))

    sizes = [batch] * (samples // batch) + ([samples % batch] if samples % batch else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    total: BatchSums | None = None
    done = 0
    reason: StopReason | None = None

    def add(res: BatchSums) -> None:
        nonlocal total, done
        total = res if total is None else total.merge(res)
        done += res.samples
        budget.report(lambda: f"stochastic: {done:,} of {samples:,} trajectories")

    try:
        if (jobs is not None and jobs <= 1 and jobs != 0) and scheduler is None:
            for size, ss in zip(sizes, seeds):
                add(sample_batch(proc, init, edges, size, ss, pheno, check=budget.check))
        else:
            from ..parallel import parallel_map, portable
            payload = pickle.dumps((portable(net), rates, init, edges, pheno))
            key = hashlib.sha1(payload).hexdigest()
            tasks = [(key, payload, size, ss) for size, ss in zip(sizes, seeds)]
            results = parallel_map(_batch_task, tasks, jobs=jobs, scheduler=scheduler,
                                   ordered=True)
            try:
                for _, res in results:
                    add(res)
                    budget.check()
            finally:
                close = getattr(results, "close", None)
                if close is not None:
                    close()
    except BudgetExceeded as err:
        reason = err.reason
    if total is None:
        total = BatchSums(0, np.zeros((len(edges) - 1, n)), np.zeros((len(edges) - 1, n)), {},
                          None if pheno is None else np.zeros(len(edges) - 1, dtype=np.int64))
    N = total.samples
    mean = total.node_sum / max(N, 1)
    if N > 1:
        var = np.clip(total.node_sumsq - N * mean * mean, 0.0, None) / (N - 1)
        se = np.sqrt(var / N)
    else:
        se = np.zeros_like(mean)
    counts = sorted(total.final_states.items(), key=lambda kv: (-kv[1], kv[0]))
    probs = np.array([c for _, c in counts], dtype=float) / max(N, 1)
    final = tuple((key_to_state(k), float(p), float(math.sqrt(p * (1 - p) / N)) if N else 0.0)
                  for (k, _), p in zip(counts[:top], probs[:top]))
    entropy = float(-(probs * np.log2(probs)).sum()) if N else 0.0
    fp = None
    if pheno is not None and total.reached is not None:
        r = total.reached / max(N, 1)
        hits = int(total.reached[-1]) if total.reached.size else 0
        mean_t = total.hit_sum / hits if hits else None
        mean_err = None
        if hits > 1 and mean_t is not None:
            v = max(0.0, (total.hit_sumsq - hits * mean_t * mean_t) / (hits - 1))
            mean_err = math.sqrt(v / hits)
        # E[min(tau, T)]: defined whatever the fraction that reaches the phenotype
        rm = rm_err = None
        if N:
            m1 = (total.hit_sum + (N - hits) * T) / N
            m2 = (total.hit_sumsq + (N - hits) * T * T) / N
            rm = m1
            rm_err = math.sqrt(max(0.0, m2 - m1 * m1) / max(N - 1, 1))
        fp = {"phenotype": pheno_text, "reached": [float(x) for x in r],
              "reached_errors": [float(math.sqrt(x * (1 - x) / N)) if N else 0.0 for x in r],
              "mean_time": mean_t, "mean_time_error": mean_err,
              "restricted_mean_time": rm, "restricted_mean_time_error": rm_err}
    complete = reason is None and N == samples
    notes: tuple[str, ...] = ()
    if not complete:
        notes = (f"partial: {N:,} of {samples:,} trajectories "
                 f"({(reason or StopReason.LIMIT).describe()})",)
    return StochasticResult(
        **common, method=StochasticMethod.SAMPLED, samples=N, seed=seed, node_probabilities=mean,
        node_errors=se, final_states=final, distinct_states=len(counts), entropy=entropy,
        first_passage=fp, complete=complete, reason=None if complete else reason,
        notes=notes)
