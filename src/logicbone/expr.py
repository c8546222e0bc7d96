"""Boolean rule expressions: a small immutable syntax tree, its parser, and evaluation.

Rules in real models can be fully parenthesised tens of thousands of levels deep, or a single
megabyte-long disjunction, so nothing here recurses on the shape of an expression: the parser
is an operator-precedence (shunting-yard) loop, chains of one operator are flattened into one
n-ary node, and every traversal walks an explicit stack.

The tree has five kinds of node: :class:`Const`, :class:`Var`, :class:`Not`, :class:`And` and
:class:`Or`. Other operators (xor, implies, equivalence) are rewritten into these on input.

Examples
--------
>>> e = parse_expr("Akt and not (AMPK or Stress)")
>>> to_text(e)
'Akt & !(AMPK | Stress)'
>>> variables(e)
('Akt', 'AMPK', 'Stress')
>>> evaluate(e, {"Akt": True, "AMPK": False, "Stress": False})
True
>>> to_text(substitute(e, {"Stress": False}), "rules")
'Akt and not AMPK'
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .budget import poll
from .errors import RuleSyntaxError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "Expr", "Const", "Var", "Not", "And", "Or", "TRUE", "FALSE",
    "parse_expr", "to_text", "variables", "evaluate", "truth_table", "substitute", "rename",
    "fold", "mk_not", "mk_and", "mk_or", "depth", "written_size", "xor_operands", "MAX_WRITTEN",
    "compact", "COMPACT_ABOVE",
]


T = TypeVar("T")


class Expr:
    """Base class of rule expressions (immutable; compare with ``==`` structurally)."""

    __slots__ = ("_key", "_vars")
    _key: bytes  # the structural digest, set on first use (see :func:`_key`)
    _vars: tuple[str, ...]  # its variables, set on first use (see :func:`variables`)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and _key(self) == _key(other)

    def __hash__(self) -> int:
        return hash(_key(self))

    def __repr__(self) -> str:
        text = to_text(self)
        return f"<{type(self).__name__} {text[:80]}{'...' if len(text) > 80 else ''}>"

    def __str__(self) -> str:
        return to_text(self)


class Const(Expr):
    __slots__ = ("value",)

    def __init__(self, value: bool):
        self.value = bool(value)


class Var(Expr):
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Not(Expr):
    __slots__ = ("arg",)

    def __init__(self, arg: Expr):
        self.arg = arg


class And(Expr):
    __slots__ = ("args",)

    def __init__(self, args: Iterable[Expr]):
        self.args = tuple(args)


class Or(Expr):
    __slots__ = ("args",)

    def __init__(self, args: Iterable[Expr]):
        self.args = tuple(args)


TRUE = Const(True)
FALSE = Const(False)


def _children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, (And, Or)):
        return e.args
    if isinstance(e, Not):
        return (e.arg,)
    return ()


def fold(expr: Expr, leaf: Callable[[Expr], T], node: Callable[[Expr, list[T]], T]) -> T:
    """Evaluate ``expr`` bottom-up without recursion.

    ``leaf(e)`` is called on :class:`Const` and :class:`Var`; ``node(e, values)`` on the
    other kinds with the values of their children, in order. Shared subtrees are folded once.
    """
    done: dict[int, T] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        e, expanded = stack.pop()
        if id(e) in done:
            continue
        kids = _children(e)
        if not kids:
            done[id(e)] = leaf(e)
        elif expanded:
            done[id(e)] = node(e, [done[id(k)] for k in kids])
        else:
            stack.append((e, True))
            stack.extend((k, False) for k in reversed(kids) if id(k) not in done)
    return done[id(expr)]


def _key(e: Expr) -> bytes:
    """A structural digest, cached on each node (subtrees already keyed are reused).

    A flat 16-byte digest rather than nested tuples: comparing nested tuples recurses once
    per level, which deep rules cannot afford.
    """
    try:
        return e._key
    except AttributeError:
        pass
    from hashlib import blake2b

    stack: list[tuple[Expr, bool]] = [(e, False)]
    while stack:
        x, expanded = stack.pop()
        if hasattr(x, "_key"):
            continue
        kids = _children(x)
        if isinstance(x, Const):
            k = b"c1" if x.value else b"c0"
        elif isinstance(x, Var):
            k = blake2b(b"v" + x.name.encode(), digest_size=16).digest()
        elif not expanded:
            stack.append((x, True))
            stack.extend((c, False) for c in kids if not hasattr(c, "_key"))
            continue
        else:
            k = blake2b(type(x).__name__.encode() + b"".join(c._key for c in kids),
                        digest_size=16).digest()
        object.__setattr__(x, "_key", k)
    return e._key


def depth(expr: Expr) -> int:
    """Nesting depth of the tree (a leaf has depth 0)."""
    return fold(expr, lambda e: 0, lambda e, v: 1 + max(v))


# ---------------------------------------------------------------- smart constructors

def mk_not(a: Expr) -> Expr:
    """Negation with constant folding and double-negation removal."""
    if isinstance(a, Const):
        return FALSE if a.value else TRUE
    if isinstance(a, Not):
        return a.arg
    return Not(a)


def _mk_nary(cls: type[And] | type[Or], args: Iterable[Expr]) -> Expr:
    absorbing = cls is Or  # True absorbs Or, False absorbs And
    out: list[Expr] = []
    seen: set[bytes] = set()
    for a in args:
        if isinstance(a, Const):
            if a.value == absorbing:
                return TRUE if absorbing else FALSE
            continue
        for b in (a.args if isinstance(a, (And, Or)) and isinstance(a, cls) else (a,)):
            k = _key(b)
            if k not in seen:
                seen.add(k)
                out.append(b)
    if not out:
        return FALSE if absorbing else TRUE
    if len(out) == 1:
        return out[0]
    return cls(out)


def mk_and(args: Iterable[Expr]) -> Expr:
    """Conjunction, flattened, with constants folded and repeated arguments dropped."""
    return _mk_nary(And, args)


def mk_or(args: Iterable[Expr]) -> Expr:
    """Disjunction, flattened, with constants folded and repeated arguments dropped."""
    return _mk_nary(Or, args)


# ---------------------------------------------------------------- parser

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<lpar>\()
  | (?P<rpar>\))
  | (?P<and>&&?)
  | (?P<or>\|\|?)
  | (?P<not>[!~])
  | (?P<xor>\^)
  | (?P<num>[0-9]+[A-Za-z0-9_]*)
  | (?P<name>""" + _NAME + r""")
""", re.VERBOSE)

_WORDS = {"and": "and", "or": "or", "not": "not", "xor": "xor",
          "true": "const1", "false": "const0"}
_BINARY = {"or": 1, "xor": 2, "and": 3}  # precedence; not binds tightest


#: per dialect, the operator symbols that are not part of it, with what to write instead
_SYMBOLS_REFUSED: dict[str, dict[str, str]] = {
    "rules": {"&&": "'and' or '&'", "||": "'or' or '|'", "^": "'xor'", "~": "'not' or '!'"},
    "bnet": {"&&": "'&'", "||": "'|'", "~": "'!'"},  # '^' (xor) as in AEON's bnet
    "boolnet": {"&&": "'&'", "||": "'|'", "^": "(A & !B) | (!A & B)", "~": "'!'"},
    "cellcollective": {"&&": "'AND'", "||": "'OR'", "^": "'XOR'", "~": "'NOT'"},
    "maboss": {"~": "'!'"},
}
_DIALECT_NAMES = {"rules": "rule files", "bnet": "bnet files", "boolnet": "BoolNet files",
                  "cellcollective": "Cell Collective text", "maboss": "MaBoSS logic"}


def _describe(kind: str, text: str) -> str:
    if kind == "end":
        return "the end of the rule"
    return f"'{text}'"


def parse_expr(text: str, *, path: str | None = None, line: int = 1, col: int = 1,
               source_line: str | None = None, dialect: str | None = None) -> Expr:
    """Parse one rule's right-hand side.

    Accepts ``&``/``and``, ``|``/``or``, ``!``/``~``/``not``, ``^``/``xor``, parentheses and
    the constants ``0``, ``1``, ``true``, ``false`` (operator words in any case). ``not``
    binds tighter than ``and``, which binds tighter than ``xor`` and ``or``.

    Parameters
    ----------
    text : str
        The expression.
    path, line, col, source_line
        Where ``text`` starts in its file, so that errors point at the right place.
    dialect : {"rules", "bnet", "boolnet", "cellcollective", "maboss"}, optional
        Refuse the symbols foreign to that dialect (``&&``, ``||``, ``^``, ``~``; MaBoSS
        has ``&&``, ``||`` and ``^``). Without it every spelling above is accepted.

    Raises
    ------
    RuleSyntaxError
        With the line and column of the first offending token.
    """
    src_line = source_line if source_line is not None else text

    def fail(msg: str, pos: int) -> RuleSyntaxError:
        return RuleSyntaxError(msg, path=path, line=line, col=col + pos, source_line=src_line)

    # tokens: (kind, text, pos)
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    n = len(text)
    match = _TOKEN.match
    refused = _SYMBOLS_REFUSED.get(dialect or "", {})
    poll()  # reading a model stops at the time limit or Ctrl-C, rule by rule
    while pos < n:
        if not len(tokens) & 8191:
            poll()
        m = match(text, pos)
        if m is None:
            ch = text[pos]
            hint = ""
            if ch == "*":
                hint = " (a '*' belongs after the target name, before '=')"
            elif ch == "=":
                hint = (" ('==' and '!=' are not operators of Boolean rules)"
                        if text.startswith("==", pos) or text.startswith("=", pos) and
                        pos > 0 and text[pos - 1] in "!=" else " (one '=' per rule)")
            elif ch in "-/.+:":
                hint = " (node names are letters, digits and '_')"
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            raise fail(f"unexpected character '{shown}'{hint}", pos)
        kind = m.lastgroup or ""
        tok = m.group()
        if tok in refused:
            raise fail(f"'{tok}' is not an operator of {_DIALECT_NAMES[dialect or '']}; "
                       f"write {refused[tok]}", pos)
        if kind == "name":
            kind = _WORDS.get(tok.lower(), "name")
        elif kind == "num":
            if tok in ("0", "1"):
                kind = "const" + tok
            else:
                raise fail(f"'{tok}' is not a node name (names start with a letter or '_') "
                           "nor a constant 0 or 1", pos)
        if kind != "ws":
            tokens.append((kind, tok, pos))
        pos = m.end()
    tokens.append(("end", "", len(text.rstrip())))

    operands: list[Any] = []   # built bottom-up; n-ary lists are mutable until frozen
    ops: list[tuple[str, int]] = []  # (op, pos)

    def reduce_top() -> None:
        op, _ = ops.pop()
        if op == "not":
            operands.append(["not", operands.pop()])
            return
        right = operands.pop()
        left = operands.pop()
        kind = "and" if op == "and" else ("or" if op == "or" else "xor")
        if kind != "xor" and isinstance(left, list) and left[0] == kind:
            left.append(right)
            operands.append(left)
        else:
            operands.append([kind, left, right])

    expect_operand = True
    prev = ("start", "", 0)
    for token in tokens:
        kind, tx, p = token
        if expect_operand:
            if kind == "name":
                operands.append(Var(tx))
                expect_operand = False
            elif kind in ("const0", "const1"):
                operands.append(TRUE if kind == "const1" else FALSE)
                expect_operand = False
            elif kind == "not":
                ops.append(("not", p))
            elif kind == "lpar":
                ops.append(("(", p))
            else:
                after = "at the start of the rule" if prev[0] == "start" else f"after {_describe(prev[0], prev[1])}"
                if kind == "end" and prev[0] == "start":
                    raise fail("empty rule: expected an expression", p)
                raise fail(f"expected a node name, a constant, 'not' or '(' {after}, "
                           f"got {_describe(kind, tx)}", p)
        else:
            if kind in _BINARY:
                prec = _BINARY[kind]
                while ops and ops[-1][0] != "(" and (
                        ops[-1][0] == "not" or _BINARY[ops[-1][0]] >= prec):
                    reduce_top()
                ops.append((kind, p))
                expect_operand = True
            elif kind == "rpar":
                while ops and ops[-1][0] != "(":
                    reduce_top()
                if not ops:
                    raise fail("unmatched ')'", p)
                ops.pop()
                expect_operand = False
            elif kind == "end":
                while ops:
                    if ops[-1][0] == "(":
                        raise fail("'(' is never closed", ops[-1][1])
                    reduce_top()
            else:
                raise fail(f"expected an operator or ')' after {_describe(prev[0], prev[1])}, "
                           f"got {_describe(kind, tx)}", p)
        prev = token
    (tree,) = operands
    return _freeze(tree)


def _freeze(tree: Any) -> Expr:
    """Turn the parser's mutable lists into immutable nodes, flattening same-operator chains.

    Linear in the size of the tree: each maximal chain of one operator is gathered once,
    top-down, so right-nested chains ``a & (b & (c & ...))`` cost no copying.
    """
    done: dict[int, Expr] = {}
    operands: dict[int, list[Any]] = {}

    def gather(t: list[Any]) -> list[Any]:
        kind = t[0]
        if kind == "not":
            return [t[1]]
        if kind == "xor":
            return [t[1], t[2]]
        out, st = [], list(reversed(t[1:]))
        while st:
            x = st.pop()
            if isinstance(x, list) and x[0] == kind:
                st.extend(reversed(x[1:]))
            else:
                out.append(x)
        return out

    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        t, expanded = stack.pop()
        if not isinstance(t, list):
            done[id(t)] = t
            continue
        if not expanded:
            kids = operands[id(t)] = gather(t)
            stack.append((t, True))
            stack.extend((c, False) for c in kids)
            continue
        kids = [done[id(c)] for c in operands.pop(id(t))]
        kind = t[0]
        if kind == "not":
            done[id(t)] = Not(kids[0])
        elif kind == "xor":
            a, b = kids
            done[id(t)] = Or([And([a, Not(b)]), And([Not(a), b])])
        else:
            done[id(t)] = (And if kind == "and" else Or)(kids)
    return done[id(tree)]


# ---------------------------------------------------------------- printing

_SYNTAX = {
    "bnet": ("&", "|", "!", "0", "1"),
    "rules": (" and ", " or ", "not ", "0", "1"),
    "boolnet": ("&", "|", "!", "0", "1"),
    "cellcollective": (" AND ", " OR ", "NOT ", "0", "1"),
}


#: The longest rule :func:`to_text` writes, in symbols (names, constants and operators). A
#: rule read from a file is never near it; a rule that reads a shared part many times (a
#: chain of 22 xors written out with and/or/not reads each operand 2**21 times) can be.
MAX_WRITTEN = 2_000_000

_XOR_SYNTAX = {"bnet": " ^ ", "rules": " xor "}


def xor_operands(e: Expr) -> tuple[Expr, Expr] | None:
    """The operands ``(a, b)`` when ``e`` is ``(a & !b) | (!a & b)``, the form ``a xor b`` is read into."""
    if not (isinstance(e, Or) and len(e.args) == 2):
        return None
    p, q = e.args
    if not (isinstance(p, And) and isinstance(q, And) and len(p.args) == 2
            and len(q.args) == 2):
        return None
    a, nb = p.args
    na, b = q.args
    if (isinstance(nb, Not) and isinstance(na, Not) and _key(na.arg) == _key(a)
            and _key(nb.arg) == _key(b)):
        return a, b
    return None


def written_size(expr: Expr, *, xor: bool = False) -> int:
    """The number of symbols of ``expr`` written out as text (a shared subtree counts each
    time it is read), computed in one step per distinct subtree.

    With ``xor``, the form ``(a & !b) | (!a & b)`` counts as ``a ^ b``.

    >>> written_size(parse_expr("a ^ b ^ c"))
    25
    >>> written_size(parse_expr("a ^ b ^ c"), xor=True)
    5
    """
    sizes: dict[int, int] = {}  # fold visits children first: the xor operands are here

    def leaf(e: Expr) -> int:
        sizes[id(e)] = 1
        return 1

    def node(e: Expr, vals: list[int]) -> int:
        pair = xor_operands(e) if xor else None
        if pair is not None:
            v = 1 + sizes[id(pair[0])] + sizes[id(pair[1])]
        elif isinstance(e, Not):
            v = 1 + vals[0]
        else:
            v = len(vals) - 1 + sum(vals)
        sizes[id(e)] = v
        return v

    return fold(expr, leaf, node)


def to_text(expr: Expr, dialect: str = "bnet", *, xor: bool = False,
            node: str | None = None) -> str:
    """Print ``expr`` with the fewest parentheses the precedence rules allow.

    ``dialect`` is ``"bnet"`` (``& | !``), ``"rules"`` (``and or not``), ``"boolnet"`` or
    ``"cellcollective"`` (``AND OR NOT``). Linear in the size of the text, at any depth.

    With ``xor`` (``bnet`` and ``rules`` only: the dialects logicbone reads ``^``/``xor``
    in), ``(a & !b) | (!a & b)`` is written ``a ^ b``: a chain of xors stays as short as it
    was written instead of doubling with each operand.

    Raises
    ------
    ExpressionTooLarge
        When the text would be longer than :data:`MAX_WRITTEN` symbols (``node`` names the
        rule in the message).
    """
    xor_sep = _XOR_SYNTAX.get(dialect) if xor else None
    size = written_size(expr, xor=xor_sep is not None)
    if size > MAX_WRITTEN:
        from .errors import ExpressionTooLarge

        who = f"the rule of '{node}'" if node else "a rule"
        how = ("" if xor_sep is not None or dialect not in _XOR_SYNTAX else
               "; it reads shared parts (such as the operands of xor) many times: write it "
               "in a dialect with xor (.rules)")
        raise ExpressionTooLarge(
            f"{who} would be {size:,} symbols long written out with and/or/not in "
            f"{dialect}, more than the {MAX_WRITTEN:,} allowed{how}", node=node, size=size)
    and_, or_, not_, c0, c1 = _SYNTAX[dialect]
    if dialect == "bnet":
        and_, or_ = " & ", " | "
    prec = {Or: 1.0, And: 2.0, Not: 3.0, Var: 4.0, Const: 4.0}
    XOR = 1.5

    def prec_of(e: Expr) -> float:
        if xor_sep is not None and xor_operands(e) is not None:
            return XOR
        return prec[type(e)]

    out: list[str] = []
    stack: list[Expr | str] = [expr]  # items: an Expr to print, or a str to emit as is
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Var):
            out.append(item.name)
        elif isinstance(item, Const):
            out.append(c1 if item.value else c0)
        else:
            p = prec_of(item)
            todo: list[Expr | str] = []
            pair = xor_operands(item) if p == XOR else None
            if pair is not None:
                a, b = pair
                # left-associative: a chain's left operand needs no parentheses
                todo.extend(("(", a, ")") if prec_of(a) < XOR else (a,))
                todo.append(cast(str, xor_sep))
                todo.extend(("(", b, ")") if prec_of(b) <= XOR else (b,))
                stack.extend(reversed(todo))
                continue
            kids: tuple[Expr, ...]
            if isinstance(item, Not):
                kids, sep, strict = (item.arg,), "", False
                out.append(not_)
            else:
                nary = cast("And | Or", item)
                kids, sep, strict = nary.args, (and_ if isinstance(item, And) else or_), True
            for i, k in enumerate(kids):
                if i:
                    todo.append(sep)
                q = prec_of(k)
                wrap = q <= p if strict else q < p
                todo.extend(("(", k, ")") if wrap else (k,))
            stack.extend(reversed(todo))
    return "".join(out)


# ---------------------------------------------------------------- queries and rewrites

def variables(expr: Expr) -> tuple[str, ...]:
    """The variables of ``expr`` in order of first appearance.

    Linear in the number of distinct subtrees: a shared subtree (``a xor b`` reads ``a`` and
    ``b`` twice) is visited once, so a chain of 22 xors costs 22 steps, not 2**22. Kept on
    the expression (rules are read many times: percolation, decomposition, the engines).
    """
    try:
        return expr._vars
    except AttributeError:
        pass
    seen: dict[str, None] = {}
    visited: set[int] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Var):
            seen.setdefault(e.name)
        elif id(e) not in visited:
            visited.add(id(e))
            stack.extend(reversed(_children(e)))
    expr._vars = out = tuple(seen)
    return out


def evaluate(expr: Expr, values: Mapping[str, Any]) -> Any:
    """Evaluate with ``values`` mapping each variable to a bool or a numpy bool array.

    With arrays, the result is an array of the broadcast shape (a constant rule gives a
    Python bool, which broadcasts).
    """
    def leaf(e: Expr) -> Any:
        return values[e.name] if isinstance(e, Var) else cast(Const, e).value

    def node(e: Expr, vals: list[Any]) -> Any:
        if isinstance(e, Not):
            v = vals[0]
            return (not v) if isinstance(v, bool) else ~v
        acc = vals[0]
        if isinstance(e, And):
            for v in vals[1:]:
                acc = acc & v
        else:
            for v in vals[1:]:
                acc = acc | v
        return acc

    return fold(expr, leaf, node)


def truth_table(expr: Expr, inputs: tuple[str, ...] | list[str]) -> "np.ndarray":
    """The values of ``expr`` on all ``2**len(inputs)`` assignments, as a bool array.

    Row ``r`` assigns ``inputs[j]`` the value of bit ``j`` of ``r``.
    """
    import numpy as np  # only here: reading and printing rules need no numpy

    k = len(inputs)
    rows = np.arange(1 << k, dtype=np.uint32)
    values = {name: ((rows >> j) & 1).astype(bool) for j, name in enumerate(inputs)}
    out = evaluate(expr, values)
    if isinstance(out, (bool, np.bool_)):
        return np.full(1 << k, bool(out))
    return np.asarray(out, dtype=bool)


def substitute(expr: Expr, fixed: Mapping[str, Any]) -> Expr:
    """Replace variables by constants (bools) or expressions, and simplify constants away.
    An expression that reads none of them is returned as it is, without a walk over it
    (networks left by fixing a few nodes substitute into every rule)."""
    if fixed.keys().isdisjoint(variables(expr)):
        return expr

    def leaf(e: Expr) -> Expr:
        if isinstance(e, Var) and e.name in fixed:
            v = fixed[e.name]
            return v if isinstance(v, Expr) else (TRUE if v else FALSE)
        return e

    def node(e: Expr, vals: list[Expr]) -> Expr:
        kids = _children(e)
        if all(v is k for v, k in zip(vals, kids)) and not any(isinstance(k, Const)
                                                               for k in kids):
            return e        # nothing replaced below: the same expression
        if isinstance(e, Not):
            return mk_not(vals[0])
        return mk_and(vals) if isinstance(e, And) else mk_or(vals)

    return fold(expr, leaf, node)


def rename(expr: Expr, mapping: Mapping[str, str]) -> Expr:
    """Rename variables (names not in ``mapping`` stay)."""
    def leaf(e: Expr) -> Expr:
        return Var(mapping.get(e.name, e.name)) if isinstance(e, Var) else e

    def node(e: Expr, vals: list[Expr]) -> Expr:
        if isinstance(e, Not):
            return Not(vals[0])
        return And(vals) if isinstance(e, And) else Or(vals)

    return fold(expr, leaf, node)


#: :func:`compact` rewrites disjunctions of more literals than this
COMPACT_ABOVE = 512


def compact(expr: Expr, *, above: int = COMPACT_ABOVE) -> Expr:
    """An equivalent, smaller rule for a long disjunction of conjunctions of literals.

    Rules written out from truth tables come as thousands of terms over a dozen regulators
    (bbm/079: Src, 2,802 terms over 12 nodes); every substitution and every BDD built from
    them pays for each term. A disjunction of terms that are literals or conjunctions of
    literals, with more than ``above`` literals in all, is minimised by espresso (pyeda) and
    returned when that has fewer literals (v_Src: 14 terms). Any other rule comes back as it
    is. The function is the same; only its text is shorter.

    Examples
    --------
    >>> rule = parse_expr(" | ".join(f"a & {b}" for b in "bcd"))
    >>> str(compact(rule, above=4))
    'a & b | a & c | a & d'
    >>> str(compact(parse_expr("a & b & !c | a & b & c | a & !b & c"), above=4))
    'a & b | a & c'
    """
    if not isinstance(expr, Or):
        return expr
    terms: list[tuple[Expr, ...]] = []
    size = 0
    for t in expr.args:
        lits = t.args if isinstance(t, And) else (t,)
        for x in lits:
            if not isinstance(x, Var) and not (isinstance(x, Not) and isinstance(x.arg, Var)):
                return expr
        size += len(lits)
        terms.append(lits)
    if size <= above or not _written_out(expr, len(terms), size):
        return expr
    done = _COMPACTED.get(id(expr))
    if done is None or done[0] is not expr:
        if len(_COMPACTED) >= 1024:
            _COMPACTED.clear()
        done = _COMPACTED[id(expr)] = (expr, _compact_cover(expr))
    return done[1]


def _written_out(expr: Expr, terms: int, size: int) -> bool:
    """Whether a cover looks written out from a truth table, where espresso is quick and
    pays: terms naming most of its (at most 20) variables, at most 20,000 of them. Covers
    of shorter terms are mostly near their minimum already, and espresso can take seconds
    on them (bbm/248: 10,184 terms over 23 nodes, 26 s for 0.3 % fewer literals)."""
    if terms > 20_000:
        return False
    k = len(variables(expr))
    return k <= 20 and size >= 0.6 * k * terms


#: id -> (rule, compact rule): the networks made by fixing nodes share their rule objects
#: (keyed by identity: a structural key would digest the whole rule)
_COMPACTED: dict[int, tuple[Expr, Expr]] = {}


def _compact_cover(expr: Expr) -> Expr:
    """:func:`compact` of a disjunction of conjunctions of literals."""
    from pyeda.boolalg import expr as pe
    from pyeda.boolalg.minimization import espresso_exprs

    names: dict[str, int] = {}
    xs: list[Any] = []

    negs: list[Any] = []

    def literal(x: Expr) -> Any:
        name = x.name if isinstance(x, Var) else cast(Var, cast(Not, x).arg).name
        i = names.get(name)
        if i is None:
            i = names[name] = len(xs)
            xs.append(pe.exprvar("lbx", i))
            negs.append(~xs[i])
        return xs[i] if isinstance(x, Var) else negs[i]

    terms = [t.args if isinstance(t, And) else (t,) for t in cast(Or, expr).args]
    size = sum(map(len, terms))
    cover = pe.Or(*(pe.And(*map(literal, t), simplify=False) for t in terms), simplify=False)
    (small,) = espresso_exprs(cover)
    back = list(names)

    def ours(x: Any) -> Expr:
        if isinstance(x, pe.Complement):
            return Not(Var(back[(~x).indices[0]]))
        return Var(back[x.indices[0]])

    if small.is_zero() or small.is_one():
        return TRUE if small.is_one() else FALSE
    kinds = [small] if not isinstance(small, pe.OrOp) else list(small.xs)
    out = [mk_and(ours(x) for x in (k.xs if isinstance(k, pe.AndOp) else [k])) for k in kinds]
    out.sort(key=lambda t: (len(t.args) if isinstance(t, And) else 1, str(t)))
    result = mk_or(out)
    if sum(len(t.args) if isinstance(t, And) else 1 for t in out) >= size:
        return expr
    return result
