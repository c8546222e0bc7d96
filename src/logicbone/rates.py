"""The parameters of the continuous-time (MaBoSS) semantics: transition rates, their safe
expressions, and distributions of initial states (:class:`InitialCondition`). Plain data,
below the readers (:mod:`logicbone.io.maboss` builds them) and the engines
(:mod:`logicbone.dynamics.markov`) that use them.

Each node has an up-rate (0 -> 1) and a down-rate (1 -> 0). Under the default *gated*
semantics a node flips only where its rule disagrees with its value, at the rate of that
direction; rates default to 1. A rate is a number, a ``$parameter``, or an arithmetic
expression over node values (0/1), parameters and ``@logic`` (the value of the node's own
rule), e.g. ``Akt ? 2 : 0.5`` or ``$u_mTOR * (1 - AMPK)``. Expressions are parsed by a small
recursive-descent parser here (numbers, names, ``+ - * /``, comparisons, ``& | !`` and their
words, ``? :``, parentheses): nothing is ever passed to ``eval``.

Rate files (read with :func:`logicbone.read_rates`), one assignment per line (``#``
comments)::

    $u = 2
    mTOR.up = $u * 0.2
    FOXO.down = Akt ? 2 : 0.5
    IL6 = 0.5                 # both directions

Examples
--------
>>> import numpy as np
>>> e = parse_rate("Akt ? 2 : 0.5")
>>> [float(x) for x in e.evaluate({"Akt": np.array([True, False])}, {})]
[2.0, 0.5]
>>> r = parse_rates("$u = 3\\nA.up = $u * 2\\nB = 0.5")
>>> r.up("A").text, r.down("A").text, r.up("B").text
('$u * 2', '1', '0.5')
>>> r.scaled({"A.up": 0.1}).up("A").text
'($u * 2) * 0.1'
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import RuleSyntaxError, StateSpaceTooLarge, UnknownNodeError, UsageError

#: a node of a rate's syntax tree: its kind first, then its operands (see :class:`RateExpr`)
Tree = tuple[Any, ...]

__all__ = ["RateExpr", "Rates", "parse_rate", "parse_rates", "parse_rate_option",
           "InitialCondition"]

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<param>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<logic>@logic)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>&&|\|\||==|!=|<=|>=|[-+*/()?:<>!&|])
""", re.X)

_WORD_OPS = {"and": "&", "or": "|", "not": "!"}


@dataclass(frozen=True)
class RateExpr:
    """A parsed rate expression.

    Attributes
    ----------
    text : str
        The expression as written (normalised spacing is not attempted).
    tree : tuple
        The syntax tree: ``("num", x)``, ``("param", name)``, ``("node", name)``,
        ``("logic",)``, ``("neg", a)``, ``("not", a)``, ``("bin", op, a, b)``,
        ``("if", c, a, b)``.
    """

    text: str
    tree: Tree = field(compare=False, repr=False)

    @property
    def nodes(self) -> frozenset[str]:
        """Node names the expression reads."""
        return frozenset(t[1] for t in _walk(self.tree) if t[0] == "node")

    @property
    def params(self) -> frozenset[str]:
        """``$parameters`` the expression reads (without the ``$``)."""
        return frozenset(t[1] for t in _walk(self.tree) if t[0] == "param")

    @property
    def uses_logic(self) -> bool:
        return any(t[0] == "logic" for t in _walk(self.tree))

    def constant(self, params: Mapping[str, float]) -> float | None:
        """The value when it depends on no node (nor ``@logic``), else ``None``."""
        if self.nodes or self.uses_logic:
            return None
        return float(self.evaluate({}, params))

    def evaluate(self, values: Mapping[str, Any], params: Mapping[str, float],
                 logic: Any = None) -> Any:
        """The value on node values (0/1 or bool arrays, broadcast together).

        Raises
        ------
        UsageError
            On an undefined ``$parameter``.
        """
        return _eval(self.tree, values, params, logic, self.text)

    def scaled(self, factor: float) -> RateExpr:
        """This rate multiplied by ``factor``."""
        return RateExpr(f"({self.text}) * {_fmt(factor)}",
                        ("bin", "*", self.tree, ("num", float(factor))))


def _fmt(x: float) -> str:
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def _walk(t: Tree) -> Iterator[Tree]:
    yield t
    for c in t[1:]:
        if isinstance(c, tuple):
            yield from _walk(c)


def _eval(t: Tree, values: Mapping[str, Any], params: Mapping[str, float], logic: Any,
          text: str) -> Any:
    kind = t[0]
    if kind == "num":
        return t[1]
    if kind == "param":
        try:
            return float(params[t[1]])
        except KeyError:
            raise UsageError(f"rate '{text}': parameter ${t[1]} is not defined") from None
    if kind == "node":
        return np.asarray(values[t[1]], dtype=np.float64)
    if kind == "logic":
        return np.asarray(logic, dtype=np.float64)
    if kind == "neg":
        return -_eval(t[1], values, params, logic, text)
    if kind == "not":
        a = _eval(t[1], values, params, logic, text)
        return (a == 0).astype(np.float64) if isinstance(a, np.ndarray) else float(a == 0)
    if kind == "if":
        c = _eval(t[1], values, params, logic, text)
        a = _eval(t[2], values, params, logic, text)
        b = _eval(t[3], values, params, logic, text)
        return np.where(np.asarray(c) != 0, a, b) if isinstance(c, np.ndarray) else (
            a if c != 0 else b)
    op = t[1]
    a = _eval(t[2], values, params, logic, text)
    b = _eval(t[3], values, params, logic, text)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.divide(a, b)
    res = {"&": lambda: (np.asarray(a) != 0) & (np.asarray(b) != 0),
           "|": lambda: (np.asarray(a) != 0) | (np.asarray(b) != 0),
           "==": lambda: np.asarray(a) == b, "!=": lambda: np.asarray(a) != b,
           "<": lambda: np.asarray(a) < b, "<=": lambda: np.asarray(a) <= b,
           ">": lambda: np.asarray(a) > b, ">=": lambda: np.asarray(a) >= b}[op]()
    return res.astype(np.float64) if res.ndim else float(res)


def parse_rate(text: str, *, path: str | None = None, line: int = 1, col: int = 1,
               source_line: str | None = None) -> RateExpr:
    """Parse a rate expression (see the module docstring for the syntax).

    Raises
    ------
    RuleSyntaxError
        With the column of the offending token.

    Examples
    --------
    >>> parse_rate("(A | !B) ? $k : 0").params
    frozenset({'k'})
    """
    src = source_line if source_line is not None else text

    def fail(msg: str, pos: int) -> RuleSyntaxError:
        return RuleSyntaxError(msg, path=path, line=line, col=col + pos, source_line=src)

    toks: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise fail(f"unexpected character '{text[pos]}' in a rate", pos)
        kind, tok = m.lastgroup or "", m.group()
        if kind == "name" and tok.lower() in _WORD_OPS:
            kind, tok = "op", _WORD_OPS[tok.lower()]
        if kind == "op":
            tok = {"&&": "&", "||": "|"}.get(tok, tok)
        if kind != "ws":
            toks.append((kind, tok, pos))
        pos = m.end()
    toks.append(("end", "", len(text.rstrip())))
    i = 0

    def peek() -> tuple[str, str, int]:
        return toks[i]

    def take(expected: str | None = None) -> tuple[str, str, int]:
        nonlocal i
        tok = toks[i]
        if expected is not None and tok[1] != expected:
            what = "the end of the rate" if tok[0] == "end" else f"'{tok[1]}'"
            raise fail(f"expected '{expected}', got {what}", tok[2])
        i += 1
        return tok

    def ternary() -> Tree:
        c = binary(0)
        if peek()[1] == "?":
            take("?")
            a = ternary()
            take(":")
            b = ternary()
            return ("if", c, a, b)
        return c

    levels = [("|",), ("&",), ("==", "!=", "<", "<=", ">", ">="), ("+", "-"), ("*", "/")]

    def binary(level: int) -> Tree:
        if level == len(levels):
            return unary()
        left = binary(level + 1)
        while peek()[0] == "op" and peek()[1] in levels[level]:
            op = take()[1]
            left = ("bin", op, left, binary(level + 1))
        return left

    def unary() -> Tree:
        kind, tok, p = peek()
        if kind == "op" and tok in ("-", "!"):
            take()
            return ("neg" if tok == "-" else "not", unary())
        if kind == "op" and tok == "(":
            take()
            e = ternary()
            take(")")
            return e
        take()
        if kind == "num":
            return ("num", float(tok))
        if kind == "param":
            return ("param", tok[1:])
        if kind == "logic":
            return ("logic",)
        if kind == "name":
            return ("node", tok)
        what = "the end of the rate" if kind == "end" else f"'{tok}'"
        raise fail(f"expected a number, $parameter or node name, got {what}", p)

    tree = ternary()
    if peek()[0] != "end":
        raise fail(f"unexpected '{peek()[1]}' after a complete rate", peek()[2])
    return RateExpr(text.strip(), tree)


_ONE = RateExpr("1", ("num", 1.0))


@dataclass(frozen=True)
class Rates:
    """The up- and down-rates of the nodes of one network.

    Attributes
    ----------
    rates : mapping (node, "up" | "down") -> RateExpr
        Rates that differ from the default 1.
    params : mapping str -> float
        Values of the ``$parameters``.
    ungated : frozenset of str
        Nodes whose rates are used as written, whatever their rule says (as a MaBoSS node
        whose rate does not test ``@logic``); every other node flips only where its rule
        disagrees with its value.
    """

    rates: Mapping[tuple[str, str], RateExpr] = field(default_factory=dict)
    params: Mapping[str, float] = field(default_factory=dict)
    ungated: frozenset[str] = frozenset()

    def up(self, node: str) -> RateExpr:
        return self.rates.get((node, "up"), _ONE)

    def down(self, node: str) -> RateExpr:
        return self.rates.get((node, "down"), _ONE)

    def merged(self, other: Rates) -> Rates:
        """These rates with ``other``'s on top."""
        return Rates({**self.rates, **other.rates}, {**self.params, **other.params},
                     self.ungated | other.ungated)

    def scaled(self, factors: Mapping[str, float]) -> Rates:
        """Rates multiplied: keys ``NODE.up``, ``NODE.down`` or ``NODE`` (both)."""
        out = dict(self.rates)
        for key, f in factors.items():
            node, _, side = key.partition(".")
            for s in ((side,) if side else ("up", "down")):
                out[(node, s)] = out.get((node, s), _ONE).scaled(f)
        return Rates(out, self.params, self.ungated)

    def check(self, names: Iterable[str]) -> None:
        """Every node named exists and every constant rate is a finite number >= 0.

        Raises
        ------
        UnknownNodeError, UsageError
        """
        names = tuple(names)
        known = set(names)
        for (node, side), e in self.rates.items():
            if node not in known:
                raise UnknownNodeError(node, names)
            for v in e.nodes:
                if v not in known:
                    raise UnknownNodeError(v, names)
            for p in e.params:
                if p not in self.params:
                    raise UsageError(f"rate {node}.{side} = {e.text}: parameter ${p} "
                                     "is not defined")
            c = e.constant(self.params)
            if c is not None and not (math.isfinite(c) and c >= 0):
                raise UsageError(f"rate {node}.{side} = {e.text} is {c:g}; rates must be "
                                 "finite numbers >= 0")

    def to_text(self) -> str:
        """The rate-file text (parameters first)."""
        lines = [f"${k} = {_fmt(v)}" for k, v in self.params.items()]
        lines += [f"{n}.{s} = {e.text}" for (n, s), e in self.rates.items()]
        return "\n".join(lines) + ("\n" if lines else "")


_ASSIGN = re.compile(r"^\s*(?P<key>\$?[A-Za-z_][A-Za-z0-9_]*(?:\.(?:up|down))?)\s*=\s*")


def parse_rates(text: str, path: str | None = None) -> Rates:
    """Rates from rate-file text: ``NODE.up = EXPR``, ``NODE.down = EXPR``, ``NODE = EXPR``
    (both) and ``$param = NUMBER``.

    Raises
    ------
    RuleSyntaxError
        ``path:line:col`` of a malformed line.
    """
    rates: dict[tuple[str, str], RateExpr] = {}
    params: dict[str, float] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        body = raw.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        m = _ASSIGN.match(body)
        if m is None:
            col = len(body) - len(body.lstrip()) + 1
            raise RuleSyntaxError("expected 'NODE.up = RATE', 'NODE.down = RATE', "
                                  "'NODE = RATE' or '$param = NUMBER'", path=path,
                                  line=lineno, col=col, source_line=raw)
        key = m.group("key")
        expr = parse_rate(body[m.end():], path=path, line=lineno, col=m.end() + 1,
                          source_line=raw)
        if key.startswith("$"):
            value = expr.constant(params)
            if value is None:
                raise RuleSyntaxError(f"parameter {key} must be a number", path=path,
                                      line=lineno, col=m.end() + 1, source_line=raw)
            params[key[1:]] = value
            continue
        node, _, side = key.partition(".")
        for s in ((side,) if side else ("up", "down")):
            rates[(node, s)] = expr
    return Rates(rates, params)


_OPTION = re.compile(r"^\s*(?P<node>[A-Za-z_][A-Za-z0-9_]*)(?:\.(?P<side>up|down))?\s*"
                     r"(?P<op>\*|=)\s*(?P<value>.+)$")


def parse_rate_option(text: str) -> tuple[str, str | None, str, str]:
    """Split ``mTOR.up*0.2`` / ``mTOR=2`` / ``FOXO.down=Akt ? 2 : 0.5`` into
    ``(node, side or None, op, value text)``.

    Raises
    ------
    UsageError
        When it has neither form.

    Examples
    --------
    >>> parse_rate_option("mTOR.up*0.2")
    ('mTOR', 'up', '*', '0.2')
    """
    m = _OPTION.match(text)
    if m is None:
        raise UsageError(f"'{text}': a rate is NODE.up*FACTOR, NODE.down=RATE or NODE*FACTOR")
    return m.group("node"), m.group("side"), m.group("op"), m.group("value").strip()


# ---------------------------------------------------------------- initial conditions

@dataclass(frozen=True)
class InitialCondition:
    """A distribution of initial states: a mixture of product distributions.

    Attributes
    ----------
    weights : tuple of float
        Probability of each component (summing to 1).
    probabilities : tuple of tuple of float
        Per component, P(node ON) for each node in bit order; 0/1 entries fix a node.
    """

    weights: tuple[float, ...]
    probabilities: tuple[tuple[float, ...], ...]

    @classmethod
    def product(cls, probs: Sequence[float]) -> InitialCondition:
        """Nodes independent, node ``i`` ON with probability ``probs[i]``."""
        return cls((1.0,), (tuple(float(p) for p in probs),))

    @classmethod
    def states(cls, states: Sequence[int], n: int,
               weights: Sequence[float] | None = None) -> InitialCondition:
        """A distribution over the given states (uniform unless ``weights``)."""
        states = list(states)
        if not states:
            raise UsageError("an initial distribution needs at least one state")
        w = np.full(len(states), 1 / len(states)) if weights is None else \
            np.asarray(weights, dtype=float) / float(np.sum(weights))
        return cls(tuple(float(x) for x in w),
                   tuple(tuple(float((s >> i) & 1) for i in range(n)) for s in states))

    def with_fixed(self, values: Mapping[int, int]) -> InitialCondition:
        """The same distribution with the given node positions set to 0/1 in every component."""
        probs = []
        for comp in self.probabilities:
            c = list(comp)
            for i, v in values.items():
                c[i] = float(v)
            probs.append(tuple(c))
        return InitialCondition(self.weights, tuple(probs))

    def support_size(self) -> int:
        """An upper bound on the number of initial states with positive probability."""
        return sum(2 ** sum(1 for p in comp if 0 < p < 1) for comp in self.probabilities)

    def sample(self, rng: np.random.Generator, m: int) -> np.ndarray:
        """``(n, m)`` boolean initial states."""
        P = np.asarray(self.probabilities, dtype=float).T            # (n, components)
        comp = rng.choice(len(self.weights), size=m, p=np.asarray(self.weights))
        drawn: np.ndarray = rng.random((P.shape[0], m)) < P[:, comp]
        return drawn

    def distribution(self, limit: int) -> dict[int, float]:
        """The exact initial distribution, state -> probability.

        Raises
        ------
        StateSpaceTooLarge
            When its support is above ``limit`` states.
        """
        if self.support_size() > limit:
            raise StateSpaceTooLarge(0, limit, "sample instead (method='sampled')",
                                     what=f"the initial distribution has more than "
                                          f"{limit:,} states")
        out: dict[int, float] = {}
        for w, comp in zip(self.weights, self.probabilities):
            base = sum(1 << i for i, p in enumerate(comp) if p >= 1)
            free = [i for i, p in enumerate(comp) if 0 < p < 1]
            for bits in range(1 << len(free)):
                s, pr = base, w
                for j, i in enumerate(free):
                    if (bits >> j) & 1:
                        s |= 1 << i
                        pr *= comp[i]
                    else:
                        pr *= 1 - comp[i]
                if pr > 0:
                    out[s] = out.get(s, 0.0) + pr
        return out
