"""The Boolean network: an immutable set of update rules over named nodes.

The order of :attr:`Network.names` is the bit order of states: bit ``i`` of an ``int`` state
is the value of ``names[i]``.

Examples
--------
>>> from logicbone.expr import parse_expr
>>> net = Network.from_rules({"A": parse_expr("B"), "B": parse_expr("A & !C"), "C": parse_expr("C")})
>>> net.names
('A', 'B', 'C')
>>> net.inputs
('C',)
>>> net.fix({"C": 0}).rules["C"]
<Const 0>
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar, cast

from .budget import poll
from .errors import ModelError, RuleSyntaxError, UnknownNodeError
from .expr import FALSE, TRUE, Const, Expr, Var, compact, substitute, variables

__all__ = ["Network", "Metadata", "RuleEntry", "ParsedModel", "Part"]

log = logging.getLogger(__name__)


def _frozen(d: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class Metadata:
    """What a model file says about itself besides its rules.

    Attributes
    ----------
    title : str
    sources : tuple of str
        Citations of the model as a whole.
    notes : mapping node -> str
        Comments attached to each node's rule.
    name_map : mapping original name -> identifier
        Names that had to be rewritten into identifiers on input (e.g. ``IL-6`` -> ``IL_6``).
    extra : mapping str -> str
        Any other ``#! key: value`` header lines.
    """

    title: str = ""
    sources: tuple[str, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    name_map: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(self.sources))
        for name in ("notes", "name_map", "extra"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Metadata, (self.title, self.sources, dict(self.notes), dict(self.name_map),
                           dict(self.extra)))


@dataclass(frozen=True)
class RuleEntry:
    """One rule as read from a file, with where it stands (for errors and lint)."""

    target: str
    expr: Expr
    line: int = 0
    col: int = 0
    note: str = ""
    source_line: str = ""

    def column_of(self, name: str) -> int:
        """1-based column of the first whole-word use of ``name`` in the rule (else the target's)."""
        import re
        start = max(self.source_line.find("=", self.col), self.source_line.find(",", self.col))
        m = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])").search(
            self.source_line, max(start, 0) + 1)
        return m.start() + 1 if m else self.col


@dataclass(frozen=True)
class ParsedModel:
    """The rules of a file before they are checked into a :class:`Network`."""

    entries: tuple[RuleEntry, ...]
    metadata: Metadata = Metadata()
    path: str | None = None
    warnings: tuple[str, ...] = ()

    def to_network(self, undefined: str = "error") -> "Network":
        """Check the rules and build the network.

        Parameters
        ----------
        undefined : {"error", "input"}
            What a regulator that has no rule becomes: an error, or an input (``x* = x``).

        Raises
        ------
        RuleSyntaxError
            When there is no rule at all (an empty model).
        ModelError
            On a duplicate target, or an undefined regulator with ``undefined="error"``.
        """
        where = self.path or "<text>"
        if not self.entries:
            raise RuleSyntaxError("the model has no rules (only blank lines and comments, or "
                                  "nothing)", path=self.path, line=1, col=1)
        rules: dict[str, Expr] = {}
        first: dict[str, RuleEntry] = {}
        for i, e in enumerate(self.entries):
            if not i & 1023:
                poll()
            if e.target in rules:
                f = first[e.target]
                raise ModelError(f"{where}:{e.line}:{e.col}: duplicate rule for '{e.target}' "
                                 f"(first defined on line {f.line})")
            rules[e.target] = e.expr
            first[e.target] = e
        missing: dict[str, RuleEntry] = {}
        for e in self.entries:
            for v in variables(e.expr):
                if v not in rules and v not in missing:
                    missing[v] = e
        if missing:
            if undefined == "error":
                name, e = next(iter(missing.items()))
                col = e.column_of(name)
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                raise ModelError(
                    f"{where}:{e.line}:{col}: '{name}' regulates '{e.target}' but has no "
                    f"rule{more}; define it, or read with undefined='input' "
                    "(--undefined-as-input) to make it an input")
            for name in missing:
                log.warning("%s: '%s' has no rule; taken as an input", where, name)
                rules[name] = Var(name)
        return Network(tuple(rules), rules, self.metadata)


@dataclass(frozen=True, eq=False)
class Network:
    """An immutable Boolean network.

    Parameters
    ----------
    names : tuple of str
        Node names; their order is the bit order of states.
    rules : mapping name -> Expr
        One update rule per node; an input is a node whose rule is itself.
    metadata : Metadata
    """

    names: tuple[str, ...]
    rules: Mapping[str, Expr]
    metadata: Metadata = Metadata()
    #: name -> bit position, set by __post_init__
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    #: :meth:`percolated` without values, kept once computed (the network is immutable)
    _percolated: Any = field(init=False, repr=False, compare=False, default=None)
    #: :meth:`decompose` without values, kept once computed
    _decomposed: Any = field(init=False, repr=False, compare=False, default=None)
    #: the hash, kept once computed (networks key caches, looked up per state)
    _hash: int | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        names = tuple(self.names)
        object.__setattr__(self, "names", names)
        if len(set(names)) != len(names):
            raise ModelError("duplicate node names")
        missing = [n for n in names if n not in self.rules]
        if missing:
            raise ModelError(f"no rule for {', '.join(missing[:5])}")
        object.__setattr__(self, "rules", MappingProxyType({n: self.rules[n] for n in names}))
        known = set(names)
        for i, n in enumerate(names):
            if not i & 1023:
                poll()
            for v in variables(self.rules[n]):
                if v not in known:
                    raise ModelError(f"'{v}' regulates '{n}' but is not a node of the network")
        object.__setattr__(self, "_index", {n: i for i, n in enumerate(names)})

    # ------------------------------------------------------------ construction
    @classmethod
    def from_rules(cls, rules: Mapping[str, Expr], metadata: Metadata | None = None) -> "Network":
        """A network from a mapping of rules, in the mapping's order."""
        return cls(tuple(rules), rules, metadata or Metadata())

    # ------------------------------------------------------------ equality
    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Network) and self.names == other.names
                and all(self.rules[n] == other.rules[n] for n in self.names))

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash((self.names, tuple(self.rules[n] for n in self.names)))
            object.__setattr__(self, "_hash", h)
        return h

    def __repr__(self) -> str:
        title = f" {self.metadata.title!r}" if self.metadata.title else ""
        return f"<Network{title} with {len(self.names)} nodes>"

    def __len__(self) -> int:
        return len(self.names)

    def __reduce__(self) -> tuple[Any, ...]:
        # rules travel as text: pickling a deep syntax tree would recurse once per level
        # (xor kept as xor: a chain of them written out doubles with each operand)
        from .expr import to_text
        return (_unpickle_network, (self.names, tuple(to_text(self.rules[n], xor=True, node=n)
                                                      for n in self.names), self.metadata))

    # ------------------------------------------------------------ queries
    @property
    def nodes(self) -> tuple[str, ...]:
        """The node names in bit order (same as :attr:`names`)."""
        return self.names

    def index(self, name: str) -> int:
        """Bit position of ``name``; raises :class:`UnknownNodeError` with suggestions."""
        try:
            return self._index[name]
        except KeyError:
            raise UnknownNodeError(name, self.names) from None

    def check_nodes(self, names: Iterable[str]) -> None:
        """Raise :class:`UnknownNodeError` for the first name that is not a node."""
        for n in names:
            self.index(n)

    def regulators(self, name: str) -> tuple[str, ...]:
        """The nodes that appear in ``name``'s rule, in bit order."""
        index = self._index
        return tuple(sorted(variables(self.rules[name]), key=index.__getitem__))

    def targets(self, name: str) -> tuple[str, ...]:
        """The nodes whose rule mentions ``name``."""
        return tuple(n for n in self.names if name in set(variables(self.rules[n])))

    @property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose rule is the node itself (``x* = x``): free unless fixed."""
        return tuple(n for n in self.names if _is_var(self.rules[n], n))

    @property
    def constants(self) -> tuple[str, ...]:
        """Nodes whose rule is a constant."""
        return tuple(n for n in self.names if isinstance(self.rules[n], Const))

    @property
    def outputs(self) -> tuple[str, ...]:
        """Nodes that regulate no other node."""
        used: set[str] = set()
        for n in self.names:
            used.update(v for v in variables(self.rules[n]) if v != n)
        return tuple(n for n in self.names if n not in used)

    # ------------------------------------------------------------ new networks
    def fix(self, values: Mapping[str, Any]) -> "Network":
        """A new network with the given nodes held at constants (a perturbation).

        The rules of the fixed nodes become constants; other rules are kept as they are
        (so the interaction graph still shows the fixed nodes' influence).
        """
        self.check_nodes(values)
        rules = dict(self.rules)
        for n, v in values.items():
            rules[n] = TRUE if int(v) else FALSE
        return Network(self.names, rules, self.metadata)

    def with_rules(self, rules: Mapping[str, Expr]) -> "Network":
        """A new network with some rules replaced."""
        self.check_nodes(rules)
        merged = dict(self.rules)
        merged.update(rules)
        return Network(self.names, merged, self.metadata)

    def reorder(self, names: Iterable[str]) -> "Network":
        """The same network with its nodes (and so the bit order) permuted."""
        names = tuple(names)
        if sorted(names) != sorted(self.names):
            raise ModelError("reorder needs a permutation of the node names")
        return Network(names, self.rules, self.metadata)

    def percolate(self, values: Mapping[str, Any] | None = None) -> dict[str, bool]:
        """Propagate constants (and the given fixed values) through the rules.

        Returns every node whose value is forced, as a dict name -> bool (the given values
        included). A worklist: only the targets of a newly fixed node are simplified again.

        Examples
        --------
        >>> from logicbone.io.bnet import parse_bnet
        >>> parse_bnet("A, A\\nB, A & C\\nC, !B\\nD, D").percolate({"A": 0})
        {'A': False, 'B': False, 'C': True}
        """
        return self.percolated(values)[0]

    def percolated(self, values: Mapping[str, Any] | None = None
                   ) -> tuple[dict[str, bool], dict[str, Expr]]:
        """:meth:`percolate`, with the rules of the nodes left free simplified by what it
        forced: ``(forced values, {free node: simplified rule})``.

        Examples
        --------
        >>> from logicbone.io.bnet import parse_bnet
        >>> forced, rules = parse_bnet("A, 1\\nB, A & C\\nC, C").percolated()
        >>> forced, {n: str(e) for n, e in rules.items()}
        ({'A': True}, {'B': 'C', 'C': 'C'})
        """
        base_fixed, base_free, base_users = self._base_percolation()
        if not values:
            return dict(base_fixed), dict(base_free)
        given: dict[str, bool] = {k: bool(int(v)) for k, v in values.items()}
        self.check_nodes(given)
        if any(base_fixed.get(k, v) != v for k, v in given.items()):
            # a value against what the constants force: from the rules as written
            return _propagate(given, {n: compact(e) for n, e in self.rules.items()
                                      if n not in given})
        # from the network's own percolation: only the readers of a newly fixed node are
        # simplified again (its free rules read no constant and no forced node)
        fixed = dict(given)
        for k, v in base_fixed.items():
            fixed.setdefault(k, v)
        rules = {n: e for n, e in base_free.items() if n not in given}
        todo = [t for k in given if k not in base_fixed for t in base_users.get(k, ())]
        return _propagate(fixed, rules, todo, base_users)

    def _base_percolation(self) -> tuple[dict[str, bool], dict[str, Expr], dict[str, list[str]]]:
        """The percolation of the constants alone (cached): forced values, the simplified
        rules of the free nodes (long disjunctions written out from truth tables made short:
        :func:`~logicbone.expr.compact`), and which free nodes read each node."""
        if self._percolated is None:
            rules = {n: compact(e) for n, e in self.rules.items()}
            users = _readers(rules)
            fixed, free = _propagate({}, rules, users=users)
            if fixed:        # (else the rules are those read already)
                users = _readers(free)
            object.__setattr__(self, "_percolated", (fixed, free, users))
        return cast(tuple[dict[str, bool], dict[str, Expr], dict[str, list[str]]],
                    self._percolated)

    def decompose(self, values: Mapping[str, Any] | None = None
                  ) -> tuple[dict[str, bool], list[Part]]:
        """Percolate (:meth:`percolated`) and split the nodes left free into independent
        parts: sets of nodes that share no rule (no rule of one part reads a node of
        another), each as a small network over its own nodes with the simplified rules.

        The fixed points, trap spaces and asynchronous attractors of the network are the
        products of the parts' (with the forced values added), so each part can be solved
        alone. Parts come in the order of their first node in :attr:`names`.

        Returns
        -------
        forced : dict of str to bool
            The values percolation forced (the given ``values`` included).
        parts : list of Part

        Examples
        --------
        >>> from logicbone.io.bnet import parse_bnet
        >>> forced, parts = parse_bnet("A, B\\nB, A\\nC, !D\\nD, C\\nE, 0").decompose()
        >>> forced, [(p.index, p.net.names) for p in parts]
        ({'E': False}, [((0, 1), ('A', 'B')), ((2, 3), ('C', 'D'))])
        """
        if not values and self._decomposed is not None:
            forced, parts = self._decomposed
            return dict(forced), list(parts)
        forced, rules = self.percolated(values)
        rest = [n for n in self.names if n not in forced]
        groups = connected_parts(rest, lambda n: variables(rules[n]))
        parts = [Part(tuple(self.index(m) for m in members),
                      Network(tuple(members), {m: rules[m] for m in members}))
                 for members in groups]
        if not values:
            object.__setattr__(self, "_decomposed", (dict(forced), tuple(parts)))
        return forced, parts

    def forced_bits(self, forced: Mapping[str, bool]) -> int:
        """The state bits of the nodes ``forced`` ON (as :meth:`decompose` returns them)."""
        return sum(1 << self.index(k) for k, v in forced.items() if v)


@dataclass(frozen=True)
class Part:
    """An independent part of a percolated network (:meth:`Network.decompose`).

    Attributes
    ----------
    index : tuple of int
        The positions of the part's nodes in the whole network (``net.names[t]`` is
        ``names[index[t]]`` of the whole).
    net : Network
        The part alone: its nodes and their simplified rules.
    """

    index: tuple[int, ...]
    net: Network


H = TypeVar("H", bound=Hashable)


def most_read_input(net: "Network") -> str:
    """The input of ``net`` read by most other rules (ties: the last name), the one whose
    two values cut it most; ``net`` must have inputs."""
    readers = _input_readers(net)
    return max(net.inputs, key=lambda v: (readers[v], v))


def _input_readers(net: "Network") -> dict[str, int]:
    """How many other rules read each input of ``net``."""
    readers = {x: 0 for x in net.inputs}
    for node in net.names:
        for v in variables(net.rules[node]):
            if v in readers and v != node:
                readers[v] += 1
    return readers


def forcing_input(net: "Network") -> str:
    """The input of ``net`` whose two values force most nodes (by percolation) in the
    worse of its two values, then in both; ties: :func:`most_read_input`'s order. The
    split that shrinks both halves: an input read by many rules may force little on one
    side (bbm/157 with inputs free: its asynchronous attractors counted in 24 s instead of
    44 s, bbm/101 in 7 s instead of 9.5 s); ``net`` must have inputs.

    >>> from logicbone.io.bnet import parse_bnet
    >>> forcing_input(parse_bnet("A, A\\nB, B\\nC, A | B\\nD, A & C\\nE, B & D"))
    'A'
    """
    readers = _input_readers(net)

    def score(x: str) -> tuple[int, int, int, str]:
        off, on = len(net.percolate({x: 0})), len(net.percolate({x: 1}))
        return min(off, on), off + on, readers[x], x

    return max(net.inputs, key=score)


def connected_parts(nodes: Iterable[H], regulators: Callable[[H], Iterable[H]]
                    ) -> list[list[H]]:
    """``nodes`` split into the weakly connected parts of their interaction graph (edges
    from ``regulators(n)`` that are among ``nodes``), each in the order given, the parts
    in the order of their first node.

    >>> connected_parts("ABCD", {"A": "B", "B": "", "C": "D", "D": "X"}.get)
    [['A', 'B'], ['C', 'D']]
    """
    order = list(nodes)
    parent = {n: n for n in order}

    def find(a: H) -> H:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for n in order:
        for v in regulators(n):
            if v in parent:
                ra, rb = find(n), find(v)
                if ra != rb:
                    parent[ra] = rb
    groups: dict[H, list[H]] = {}
    for n in order:
        groups.setdefault(find(n), []).append(n)
    return list(groups.values())


def upstream_closure(start: Iterable[H], regulators: Callable[[H], Iterable[H]]) -> set[H]:
    """``start`` and everything it depends on: the nodes reached by following
    ``regulators`` back from it (filter inside ``regulators`` to stay within a part).

    >>> sorted(upstream_closure(["C"], {"A": [], "B": ["A"], "C": ["B"], "D": ["C"]}.get))
    ['A', 'B', 'C']
    """
    seen = set(start)
    todo = list(seen)
    while todo:
        for r in regulators(todo.pop()):
            if r not in seen:
                seen.add(r)
                todo.append(r)
    return seen


def without_outputs(net: "Network") -> "Network":
    """``net`` without the nodes upstream of no cycle (outputs and the acyclic cascades that
    lead only to them): every attractor of the rest extends to exactly one attractor of
    ``net``, and a fixed point to a fixed point.

    A node that no other node reads and that does not read itself follows its rule: with
    the others in a fixed point it takes one value, and along an attractor of the others
    it can always catch up with its rule, so the states above one attractor of the others
    form one terminal SCC. Removing such nodes one by one removes all those here.
    """
    drop = upstream_of_no_cycle({n: set(variables(net.rules[n])) for n in net.names})
    if not drop:
        return net
    names = tuple(n for n in net.names if n not in drop)
    return Network(names, {n: net.rules[n] for n in names})


def upstream_of_no_cycle(regs: Mapping[H, set[H]]) -> set[H]:
    """The nodes of ``regs`` (each node's regulators; those not among its keys are left
    out) that lie on no cycle and regulate none, directly or not: removed one by one while
    one is read by no other node left nor by itself.

    >>> sorted(upstream_of_no_cycle({"A": {"B"}, "B": {"A"}, "C": {"A", "X"}, "D": {"C"},
    ...                                "E": {"E"}, "F": {"D"}}))
    ['C', 'D', 'F']
    """
    read: dict[H, int] = dict.fromkeys(regs, 0)
    for n, vs in regs.items():
        for v in vs:
            if v != n and v in read:
                read[v] += 1
    drop = [n for n, k in read.items() if not k and n not in regs[n]]
    out: set[H] = set()
    while drop:
        n = drop.pop()
        out.add(n)
        for v in regs[n]:
            if v != n and v in read:
                read[v] -= 1
                if not read[v] and v not in regs[v]:
                    drop.append(v)
    return out


def _is_var(rule: Expr, name: str) -> bool:
    return isinstance(rule, Var) and rule.name == name


def _unpickle_network(names: tuple[str, ...], texts: tuple[str, ...],
                      metadata: Metadata) -> Network:
    from .expr import parse_expr
    return Network(names, {n: parse_expr(t) for n, t in zip(names, texts)}, metadata)


def _propagate(fixed: dict[str, bool], rules: dict[str, Expr],
               todo: list[str] | None = None,
               users: Mapping[str, list[str]] | None = None
               ) -> tuple[dict[str, bool], dict[str, Expr]]:
    """Substitute the ``fixed`` values into ``rules`` (both updated in place) until no rule
    becomes constant: ``todo`` the rules to simplify first (every rule by default, which
    catches constants), ``users`` which rules read each node (from ``rules`` by default)."""
    if users is None:
        users = _readers(rules)
    if todo is None:
        todo = list(rules)
        todo.extend(t for k in fixed for t in users.get(k, ()))
    # a rule waits once: simplified when popped, it takes every value fixed by then
    todo = list(dict.fromkeys(todo))
    waiting = set(todo)
    while todo:
        n = todo.pop()
        waiting.discard(n)
        if n in fixed:
            continue
        s = substitute(rules[n], fixed)
        if isinstance(s, Const):
            fixed[n] = s.value
            for t in users.get(n, ()):
                if t not in waiting:
                    waiting.add(t)
                    todo.append(t)
        rules[n] = s
    return fixed, {n: e for n, e in rules.items() if n not in fixed}


def _readers(rules: Mapping[str, Expr]) -> dict[str, list[str]]:
    """Which of ``rules`` read each node."""
    users: dict[str, list[str]] = {}
    for n, e in rules.items():
        for v in variables(e):
            users.setdefault(v, []).append(n)
    return users
