"""MaBoSS models: a ``.bnd`` file (nodes, their logic and rates) and its ``.cfg`` (parameters,
initial states, run settings).

``.bnd``::

    Node mTOR {
      logic = Akt & !AMPK;
      rate_up = @logic ? $u_mTOR : 0;
      rate_down = @logic ? 0 : 1;
    }

``.cfg``::

    $u_mTOR = 0.5;
    mTOR.istate = 0;                    // or TRUE / FALSE
    [Akt].istate = 0.3 [1], 0.7 [0];    // a probability per value
    [A, B].istate = 0.5 [0, 1], 0.5 [1, 0];
    max_time = 48; time_tick = 0.5; sample_count = 10000; seed_pseudorandom = 1;

A rate of the form ``@logic ? X : 0`` (up) or ``@logic ? 0 : X`` (down) is logicbone's gated
rate X; a node with any other rate keeps its rates as written (see
:class:`~logicbone.rates.Rates`). A node without ``logic`` keeps its value. MaBoSS
leaves nodes without ``istate`` at 0 or 1 with probability 1/2; so does the reader.
``is_internal``, ``refstate`` and the engine settings MaBoSS alone uses are accepted and
ignored (``thread_count``, ``discrete_time = 0``, ...); ``discrete_time = 1`` is refused.

Examples
--------
>>> m = parse_maboss("Node A { logic = A; }\\nNode B { logic = A && !B; rate_up = @logic ? "
...                  "$k : 0; }", "$k = 2; A.istate = 1; max_time = 5;")
>>> m.network.names, m.rates.up("B").text, m.max_time
(('A', 'B'), '$k', 5.0)
>>> bnd, cfg = to_maboss(m.network, m.rates, m.initial, max_time=5)
>>> parse_maboss(bnd, cfg).network == m.network
True
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from ..errors import RuleSyntaxError, UsageError
from ..expr import Const, Var, parse_expr, to_text
from ..network import Metadata, Network, ParsedModel, RuleEntry
from ..rates import InitialCondition, RateExpr, Rates, parse_rate

__all__ = ["MaBoSSModel", "parse_maboss", "read_maboss", "to_maboss", "write_maboss",
           "parse_bnd", "parse_bnd_model", "to_bnd", "cfg_path_for"]

log = logging.getLogger(__name__)

_IGNORED_SETTINGS = {"thread_count", "use_physrandgen", "use_glibcrandgen", "statdist_traj_count",
                     "statdist_cluster_threshold", "display_traj", "statdist_similarity_cache_max_size",
                     "init_pop", "seed", "use_mt_rng"}


@dataclass(frozen=True)
class MaBoSSModel:
    """A MaBoSS model read from its ``.bnd`` and ``.cfg``.

    Attributes
    ----------
    network : Network
    rates : Rates
    initial : InitialCondition
    max_time, time_tick : float or None
    sample_count : int or None
    seed : int or None
    internal : tuple of str
        Nodes marked ``is_internal`` (MaBoSS leaves them out of its state reports).
    """

    network: Network
    rates: Rates
    initial: InitialCondition
    max_time: float | None = None
    time_tick: float | None = None
    sample_count: int | None = None
    seed: int | None = None
    internal: tuple[str, ...] = ()


def _blank_comments(text: str) -> str:
    """``//`` and ``/* */`` comments turned into spaces (line and column kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class _Where:
    """Line and column of offsets into one text."""

    def __init__(self, text: str, path: str | None):
        self.text, self.path = text, path
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int, str]:
        import bisect
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        end = self.text.find("\n", start)
        src = self.text[start:end if end >= 0 else len(self.text)]
        return line + 1, offset - start + 1, src

    def error(self, msg: str, offset: int) -> RuleSyntaxError:
        line, col, src = self.at(offset)
        return RuleSyntaxError(msg, path=self.path, line=line, col=col, source_line=src)


_NODE = re.compile(r"\s*(?:node|Node|NODE)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{")
_ATTR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")


def _bnd_nodes(text: str, path: str | None) -> list[tuple[str, int, dict[str, tuple[str, int]]]]:
    """``[(name, offset, {attribute: (text, offset)})]`` of a .bnd file."""
    clean = _blank_comments(text)
    where = _Where(text, path)
    nodes: list[tuple[str, int, dict[str, tuple[str, int]]]] = []
    pos = 0
    while True:
        while pos < len(clean) and clean[pos].isspace():
            pos += 1
        if pos >= len(clean):
            return nodes
        m = _NODE.match(clean, pos)
        if m is None:
            raise where.error("expected 'Node NAME {'", pos)
        name, npos = m.group(1), m.start(1)
        pos = m.end()
        attrs: dict[str, tuple[str, int]] = {}
        while True:
            while pos < len(clean) and clean[pos].isspace():
                pos += 1
            if pos >= len(clean):
                raise where.error(f"node {name}: '}}' missing at the end of the file", pos)
            if clean[pos] == "}":
                pos += 1
                break
            a = _ATTR.match(clean, pos)
            if a is None:
                raise where.error(f"node {name}: expected 'attribute = value;' or '}}'", pos)
            end = clean.find(";", a.end())
            brace = clean.find("}", a.end())
            if end < 0 or (0 <= brace < end):
                raise where.error(f"node {name}: ';' missing after {a.group(1)}",
                                  brace if brace >= 0 else len(clean))
            attrs[a.group(1)] = (clean[a.end():end], a.end())
            pos = end + 1
        nodes.append((name, npos, attrs))


def _logic(text: str, offset: int, where: _Where) -> Any:
    line, col, src = where.at(offset)
    body = text.replace("&&", "& ").replace("||", "| ")
    lead = len(body) - len(body.lstrip())
    return parse_expr(body.strip(), path=where.path, line=line, col=col + lead,
                      source_line=src, dialect="maboss")


def _rate(text: str, offset: int, where: _Where) -> RateExpr:
    line, col, src = where.at(offset)
    lead = len(text) - len(text.lstrip())
    return parse_rate(text.strip(), path=where.path, line=line, col=col + lead, source_line=src)


def _gated_part(e: RateExpr, side: str) -> RateExpr | None:
    """X when ``e`` is ``@logic ? X : 0`` (up) or ``@logic ? 0 : X`` (down)."""
    t = e.tree
    if t[0] != "if" or t[1] != ("logic",):
        return None
    keep, zero = (t[2], t[3]) if side == "up" else (t[3], t[2])
    if zero != ("num", 0.0):
        return None
    m = re.match(r"^\s*@logic\s*\?(.*):(.*)$", e.text, re.S)
    part = (m.group(1) if side == "up" else m.group(2)).strip() if m else "?"
    return RateExpr(part, keep)


def parse_bnd_model(text: str, path: str | None = None) -> ParsedModel:
    """The logic of a ``.bnd`` text with its positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_bnd`); the linter reads it."""
    where = _Where(text, path)
    entries = []
    for name, npos, attrs in _bnd_nodes(text, path):
        line, col, src = where.at(npos)
        expr = _logic(*attrs["logic"], where) if "logic" in attrs else Var(name)
        entries.append(RuleEntry(name, expr, line, col, "", src))
    return ParsedModel(tuple(entries), Metadata(), path)


def _network_and_rates(text: str, path: str | None, undefined: str = "error"
                       ) -> tuple[Network, dict[tuple[str, str], RateExpr], set[str]]:
    where = _Where(text, path)
    entries = []
    rates: dict[tuple[str, str], RateExpr] = {}
    ungated: set[str] = set()
    for name, npos, attrs in _bnd_nodes(text, path):
        line, col, src = where.at(npos)
        if "logic" in attrs:
            expr = _logic(*attrs["logic"], where)
        else:
            expr = Var(name)
        entries.append(RuleEntry(name, expr, line, col, "", src))
        raw = {side: _rate(*attrs[f"rate_{side}"], where)
               for side in ("up", "down") if f"rate_{side}" in attrs}
        gated = {side: _gated_part(e, side) for side, e in raw.items()}
        if all(g is not None for g in gated.values()):
            for side, g in gated.items():
                if g is not None and g.text != "1":
                    rates[(name, side)] = g
        else:
            ungated.add(name)
            rates[(name, "up")] = raw.get("up", parse_rate("@logic ? 1 : 0"))
            rates[(name, "down")] = raw.get("down", parse_rate("@logic ? 0 : 1"))
        for attr in attrs:
            if attr not in ("logic", "rate_up", "rate_down"):
                log.info("%s: node %s: attribute '%s' ignored", path or "<text>", name, attr)
    net = ParsedModel(tuple(entries), Metadata(), path).to_network(undefined)
    return net, rates, ungated


def parse_bnd(text: str, path: str | None = None, *, undefined: str = "error") -> Network:
    """The Boolean network of a ``.bnd`` file (its logic; rates are read by
    :func:`parse_maboss`).

    Raises
    ------
    RuleSyntaxError, ModelError
    """
    return _network_and_rates(text, path, undefined)[0]


_STMT = re.compile(r"\s*(?P<lhs>\$[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\]\s*\.\s*istate|"
                   r"[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_]+)?)\s*=\s*")
_ALT = re.compile(r"\s*([0-9.eE+-]+)\s*\[([^\]]*)\]\s*")


def _number(text: str, offset: int, where: _Where, what: str) -> float:
    t = text.strip()
    if t.upper() in ("TRUE", "FALSE"):
        return 1.0 if t.upper() == "TRUE" else 0.0
    try:
        return float(t)
    except ValueError:
        lead = len(text) - len(text.lstrip())
        raise where.error(f"{what}: expected a number, got '{t}'", offset + lead) from None


def parse_maboss(bnd: str, cfg: str = "", bnd_path: str | None = None,
                 cfg_path: str | None = None, *, undefined: str = "error") -> MaBoSSModel:
    """A MaBoSS model from the texts of its ``.bnd`` and ``.cfg``.

    Raises
    ------
    RuleSyntaxError
        ``path:line:col`` of a malformed node, attribute, rate or setting.
    UsageError
        For a setting logicbone cannot honour (``discrete_time = 1``), or istate
        probabilities that do not sum to 1.
    """
    net, rates, ungated = _network_and_rates(bnd, bnd_path, undefined)
    names = net.names
    where = _Where(cfg, cfg_path)
    clean = _blank_comments(cfg)
    params: dict[str, float] = {}
    single: dict[str, float] = {}
    joint: list[tuple[list[str], list[tuple[float, list[int]]]]] = []
    settings: dict[str, float] = {}
    internal: list[str] = []
    pos = 0
    while True:
        while pos < len(clean) and clean[pos].isspace():
            pos += 1
        if pos >= len(clean):
            break
        m = _STMT.match(clean, pos)
        end = clean.find(";", pos)
        if m is None or end < 0 or end < m.end():
            raise where.error("expected 'name = value;'" if end >= 0 else "';' missing",
                              pos if m is None or end >= 0 else len(clean.rstrip()))
        lhs = re.sub(r"\s+", "", m.group("lhs"))
        value, voff = clean[m.end():end], m.end()
        pos = end + 1
        if lhs.startswith("$"):
            e = _rate(value, voff, where)
            c = e.constant(params)
            if c is None:
                raise where.error(f"parameter {lhs} must be a number", voff)
            params[lhs[1:]] = c
        elif lhs.startswith("["):
            group = [g.strip() for g in lhs[1:lhs.index("]")].split(",") if g.strip()]
            for g in group:
                if g not in names:
                    raise where.error(f"istate of unknown node '{g}'", m.start("lhs"))
            alts = []
            rest = value
            off = voff
            while rest.strip():
                a = _ALT.match(rest)
                if a is None:
                    raise where.error("expected 'PROBABILITY [v1, v2, ...]'",
                                      off + len(rest) - len(rest.lstrip()))
                p = _number(a.group(1), off + a.start(1), where, "istate")
                vals = [int(_number(v, off + a.start(2), where, "istate value"))
                        for v in a.group(2).split(",")]
                if len(vals) != len(group):
                    raise where.error(f"{len(group)} values expected", off + a.start(2))
                alts.append((p, vals))
                rest = rest[a.end():]
                off += a.end()
                if rest.strip().startswith(","):
                    k = rest.index(",") + 1
                    rest, off = rest[k:], off + k
            total = sum(p for p, _ in alts)
            if total <= 0:
                raise where.error("istate probabilities sum to 0", voff)
            alts = [(p / total, v) for p, v in alts]
            if len(group) == 1:
                single[group[0]] = sum(p for p, v in alts if v[0])
            else:
                joint.append((group, alts))
        elif "." in lhs:
            node, attr = lhs.split(".", 1)
            if node not in names:
                raise where.error(f"unknown node '{node}'", m.start("lhs"))
            if attr == "istate":
                v = _number(value, voff, where, "istate")
                single[node] = 1.0 if v > 0 else 0.0
            elif attr == "is_internal":
                if _number(value, voff, where, "is_internal"):
                    internal.append(node)
            else:
                log.info("%s: %s ignored", cfg_path or "<cfg>", lhs)
        else:
            v = _number(value, voff, where, lhs)
            if lhs == "discrete_time" and v:
                raise UsageError(f"{cfg_path or '<cfg>'}: discrete_time = 1 is not supported "
                                 "(logicbone simulates continuous time)")
            if lhs not in _IGNORED_SETTINGS:
                settings[lhs] = v
    rate_obj = Rates(rates, params, frozenset(ungated))
    rate_obj.check(names)
    probs = [single.get(a, 0.5) for a in names]
    weights = [1.0]
    comps = [probs]
    for group, alts in joint:
        idx = [names.index(g) for g in group]
        new_w: list[float] = []
        new_c: list[list[float]] = []
        for w, comp in zip(weights, comps):
            for pr, vals in alts:
                cc = list(comp)
                for i, v in zip(idx, vals):
                    cc[i] = float(v)
                new_w.append(w * pr)
                new_c.append(cc)
        weights, comps = new_w, new_c
    initial = InitialCondition(tuple(weights), tuple(tuple(c) for c in comps))
    seed = settings.get("seed_pseudorandom")
    samples = settings.get("sample_count")
    return MaBoSSModel(net, rate_obj, initial, settings.get("max_time"),
                       settings.get("time_tick"), None if samples is None else int(samples),
                       None if seed is None else int(seed), tuple(internal))


def cfg_path_for(bnd_path: str | PathLike[str]) -> Path:
    """The ``.cfg`` beside a ``.bnd``: ``model.bnd`` -> ``model.cfg``."""
    p = Path(bnd_path)
    return p.with_suffix(".cfg")


def read_maboss(bnd_path: str | PathLike[str], cfg_path: str | PathLike[str] | None = None, *,
                undefined: str = "error") -> MaBoSSModel:
    """Read ``MODEL.bnd`` and its ``.cfg`` (``cfg_path``, else the one beside it, if any)."""
    from .text import read_text

    def read(p: Path) -> str:
        return read_text(p, "MaBoSS model" if p.suffix == ".bnd" else "MaBoSS settings")

    bnd = Path(bnd_path)
    cfg = Path(cfg_path) if cfg_path else cfg_path_for(bnd)
    cfg_text = read(cfg) if cfg_path or cfg.exists() else ""
    return parse_maboss(read(bnd), cfg_text, str(bnd), str(cfg), undefined=undefined)


def _logic_text(e: Any, node: str | None = None) -> str:
    if isinstance(e, Const):
        return "1" if e.value else "0"
    return to_text(e, "bnet", node=node)


def to_bnd(net: Network, rates: Rates | None = None) -> str:
    """The ``.bnd`` text: each node's logic and, where they differ from 1, its rates."""
    rates = rates or Rates()
    out = []
    for name in net.names:
        lines = [f"Node {name} {{", f"  logic = {_logic_text(net.rules[name], name)};"]
        if name in rates.ungated:
            lines += [f"  rate_up = {rates.up(name).text};",
                      f"  rate_down = {rates.down(name).text};"]
        else:
            lines += [f"  rate_up = @logic ? ({rates.up(name).text}) : 0;",
                      f"  rate_down = @logic ? 0 : ({rates.down(name).text});"]
        out.append("\n".join(lines + ["}"]))
    return "\n\n".join(out) + "\n"


def _g(x: float) -> str:
    return repr(float(x))


def to_maboss(net: Network, rates: Rates | None = None, initial: InitialCondition | None = None,
              *, max_time: float = 10.0, time_tick: float | None = None,
              sample_count: int = 10_000, seed: int = 0) -> tuple[str, str]:
    """The ``(.bnd, .cfg)`` texts of a model, its rates, initial distribution and settings.

    A mixture of initial states (e.g. several attractors) becomes one joint ``istate`` over
    the nodes that differ between its components.
    """
    rates = rates or Rates()
    cfg = [f"${k} = {_g(v)};" for k, v in rates.params.items()]
    if initial is None:
        initial = InitialCondition.product([0.5] * len(net.names))
    comps = initial.probabilities
    varying = [i for i in range(len(net.names)) if len({c[i] for c in comps}) > 1]
    for i, name in enumerate(net.names):
        if i in varying:
            continue
        p = comps[0][i]
        if p in (0.0, 1.0):
            cfg.append(f"{name}.istate = {int(p)};")
        else:
            cfg.append(f"[{name}].istate = {_g(p)} [1], {_g(1 - p)} [0];")
    if varying:
        if any(0 < c[i] < 1 for c in comps for i in varying):
            raise UsageError("a mixture of initial distributions with uncertain nodes cannot "
                             "be written as a MaBoSS istate")
        group = ", ".join(net.names[i] for i in varying)
        alts = ", ".join(f"{_g(w)} [{', '.join(str(int(c[i])) for i in varying)}]"
                         for w, c in zip(initial.weights, comps))
        cfg.append(f"[{group}].istate = {alts};")
    tick = time_tick if time_tick is not None else max_time / 100
    cfg += ["", "discrete_time = 0;", "use_physrandgen = 0;", f"seed_pseudorandom = {seed};",
            f"sample_count = {sample_count};", f"max_time = {_g(max_time)};",
            f"time_tick = {_g(tick)};", "thread_count = 1;", "statdist_traj_count = 0;",
            "statdist_cluster_threshold = 1;"]
    return to_bnd(net, rates), "\n".join(cfg) + "\n"


def write_maboss(path: str | PathLike[str], net: Network, rates: Rates | None = None,
                 initial: InitialCondition | None = None, *, force: bool = False,
                 **settings: Any) -> tuple[Path, Path]:
    """Write ``path`` (.bnd) and the ``.cfg`` beside it, atomically; neither is overwritten
    without ``force``. Returns both paths."""
    from ..outputs import AtomicFiles, refuse_existing

    bnd_path = Path(path)
    cfg = cfg_path_for(bnd_path)
    refuse_existing([bnd_path, cfg], force)
    bnd_text, cfg_text = to_maboss(net, rates, initial, **settings)
    # the pair appears together or not at all
    with AtomicFiles(force=force) as files:
        files.open(bnd_path).write(bnd_text)
        files.open(cfg).write(cfg_text)
    return bnd_path, cfg
