"""SBML-qual (the Boolean subset), the exchange format of GINsim, Cell Collective, BoolNet,
the CoLoMoTo tools, biodivine/AEON and biobalm; read and written through python-libsbml.

What is read
    every ``qualitativeSpecies`` (its ``id`` is the node name; a ``name`` that differs is kept
    as the display name in ``metadata.name_map``, display name -> id; ``notes`` become node
    notes); every ``transition`` with its ``defaultTerm`` and ``functionTerm`` levels; MathML
    with ``and``, ``or``, ``not``, ``xor``, ``implies``, ``true``/``false`` and the comparisons
    ``eq``, ``neq``, ``lt``, ``leq``, ``gt``, ``geq`` between levels, species, numbers and the
    ids of transition inputs (which stand for their ``thresholdLevel``). A species that no
    transition sets is an input (its rule is itself). Species with ``maxLevel`` above 1 are
    refused: the models are Boolean.

    With a default level ``d``, the rule of the output is ``OR(terms of level 1)`` when
    ``d = 0`` and ``OR(terms of level 1) or not OR(terms of level 0)`` when ``d = 1``
    (the specification asks function terms to be mutually exclusive, and then both agree
    with any order of evaluation).

What is written
    one species per node (``maxLevel`` 1, display names from ``metadata.name_map``, notes),
    one transition per node -- inputs included, as an explicit identity, so that every tool
    reads the same dynamics -- with one input per regulator carrying ``qual:sign`` computed
    from the rule (positive, negative or dual). A regulator that appears in a rule but has no
    effect on it is left out (the rule is written with it set to 0, the same function), as
    biodivine/AEON and biobalm refuse inputs without effect;
    a ``defaultTerm`` of level 0 and one ``functionTerm`` of level 1 (a constant rule is a
    ``defaultTerm`` alone).

Errors name the element and its id (``transition 'tr_A': ...``); malformed XML raises
:class:`~logicbone.errors.RuleSyntaxError` with libsbml's line and column.

Examples
--------
>>> from logicbone.io.bnet import parse_bnet
>>> net = parse_bnet("A, B & !C\\nB, A | C\\nC, C")
>>> xml = to_sbml(net)
>>> 'qual:sign="negative"' in xml
True
>>> back = parse_sbml(xml)
>>> back.names, back.inputs
(('A', 'B', 'C'), ('C',))
>>> str(back.rules["A"])
'B & !C'
"""
from __future__ import annotations

import html
import logging
import re
from os import PathLike
from pathlib import Path
from typing import Any

from ..budget import poll
from ..errors import ExpressionTooLarge, ModelError, RuleSyntaxError
from ..expr import (FALSE, MAX_WRITTEN, TRUE, And, Const, Expr, Not, Or, Var, depth, fold,
                    mk_and, mk_not, mk_or, substitute, written_size, xor_operands)
from ..network import Metadata, Network, ParsedModel, RuleEntry

__all__ = ["parse_sbml", "read_sbml", "to_sbml", "write_sbml", "SBMLQualError"]

log = logging.getLogger(__name__)

_QUAL_NS = "http://www.sbml.org/sbml/level3/version1/qual/version1"
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_SID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: libsbml reads and writes MathML recursively; deeper trees overflow the C stack (crash at
#: about 8,000 levels with an 8 MB stack), so deeper rules are flattened or refused.
MAX_MATH_DEPTH = 1500
#: a rule deeper than the limit is written as a disjoint sum of BDD paths, at most this many
MAX_FLAT_TERMS = 100_000


class SBMLQualError(ModelError):
    """An SBML document that is well-formed XML but not a Boolean SBML-qual model."""


def _libsbml():
    try:
        import libsbml
    except ImportError as err:  # pragma: no cover - python-libsbml is a dependency
        raise SBMLQualError("SBML-qual needs python-libsbml (pip install python-libsbml)") from err
    return libsbml


# ---------------------------------------------------------------- reading

def _where(path: str | None, element) -> str:
    line = element.getLine() if element is not None else 0
    col = element.getColumn() if element is not None else 0
    return f"{path or '<text>'}:{line}:{max(col, 1)}" if line else (path or "<text>")


def _check_document(doc, text: str, path: str | None, libsbml) -> None:
    """Raise on fatal errors (or any error that left no model); log the other complaints."""
    lines = text.splitlines()
    first = None
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        sev = err.getSeverity()
        msg = " ".join(err.getMessage().split())
        fatal = sev == libsbml.LIBSBML_SEV_FATAL
        if sev >= libsbml.LIBSBML_SEV_ERROR and (first is None or fatal):
            first = err
        if fatal:
            break
        if sev >= libsbml.LIBSBML_SEV_WARNING:
            log.warning("%s:%d: %s", path or "<text>", err.getLine(), msg)
    if first is not None and (first.getSeverity() == libsbml.LIBSBML_SEV_FATAL
                              or doc.getModel() is None):
        line, col = max(first.getLine(), 1), max(first.getColumn(), 1)
        src = lines[line - 1] if 0 < line <= len(lines) else None
        msg = " ".join(first.getMessage().split())
        if len(msg) > 160:  # libsbml's explanations run to paragraphs: their first sentence
            msg = msg.split(". ")[0].rstrip(".") + "."
        raise RuleSyntaxError(f"not readable SBML: {msg}", path=path, line=line, col=col,
                              source_line=src)


def _levels(value, what: str):
    """A level operand as {level: condition}."""
    kind, x = value
    if kind == "var":
        return {0: Not(Var(x)), 1: Var(x)}
    if kind == "num":
        return {x: TRUE}
    return {0: mk_not(x), 1: x}


_COMPARE = {
    "eq": lambda a, b: a == b, "neq": lambda a, b: a != b,
    "lt": lambda a, b: a < b, "leq": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "geq": lambda a, b: a >= b,
}


def _compare(op: str, left, right) -> Expr:
    lv, rv = _levels(left, op), _levels(right, op)
    hits = [(cl, cr) for a, cl in lv.items() for b, cr in rv.items() if _COMPARE[op](a, b)]
    if len(hits) == len(lv) * len(rv):
        return TRUE
    if not hits:
        return FALSE
    # one operand a species, the other a number: a literal
    return mk_or([mk_and([cl, cr]) for cl, cr in hits])


def _as_bool(value) -> Expr:
    kind, x = value
    if kind == "bool":
        return x
    if kind == "var":  # a bare level in a logical context: "level > 0"
        return Var(x)
    return TRUE if x else FALSE


def _xor(a: Expr, b: Expr) -> Expr:
    return Or([And([a, Not(b)]), And([Not(a), b])])


def _math_to_expr(ast, resolve, what: str, libsbml) -> Expr:
    """Translate a MathML tree without recursion (rules can be thousands of levels deep)."""
    T = libsbml
    rel = {T.AST_RELATIONAL_EQ: "eq", T.AST_RELATIONAL_NEQ: "neq", T.AST_RELATIONAL_LT: "lt",
           T.AST_RELATIONAL_LEQ: "leq", T.AST_RELATIONAL_GT: "gt", T.AST_RELATIONAL_GEQ: "geq"}
    numbers = {T.AST_INTEGER, T.AST_REAL, T.AST_REAL_E, T.AST_RATIONAL}
    out: list = []
    stack: list[list] = [[ast, 0, [], out]]
    while stack:
        frame = stack[-1]
        node, i, vals, parent = frame
        if i < node.getNumChildren():
            frame[1] = i + 1
            stack.append([node.getChild(i), 0, [], vals])
            continue
        stack.pop()
        t = node.getType()
        if t == T.AST_NAME:
            parent.append(resolve(node.getName()))
        elif t in numbers:
            v = node.getValue()
            parent.append(("num", int(v) if float(v).is_integer() else v))
        elif t == T.AST_CONSTANT_TRUE:
            parent.append(("bool", TRUE))
        elif t == T.AST_CONSTANT_FALSE:
            parent.append(("bool", FALSE))
        elif t == T.AST_LOGICAL_NOT:
            if len(vals) != 1:
                raise SBMLQualError(f"{what}: <not> takes one argument, got {len(vals)}")
            parent.append(("bool", Not(_as_bool(vals[0]))))
        elif t in (T.AST_LOGICAL_AND, T.AST_LOGICAL_OR):
            args = [_as_bool(v) for v in vals]
            cls, empty = (And, TRUE) if t == T.AST_LOGICAL_AND else (Or, FALSE)
            parent.append(("bool", cls(args) if len(args) > 1 else (args[0] if args else empty)))
        elif t == T.AST_LOGICAL_XOR:
            args = [_as_bool(v) for v in vals]
            acc = args[0] if args else FALSE
            for b in args[1:]:
                acc = _xor(acc, b)
            parent.append(("bool", acc))
        elif t == T.AST_LOGICAL_IMPLIES:
            if len(vals) != 2:
                raise SBMLQualError(f"{what}: <implies> takes two arguments, got {len(vals)}")
            parent.append(("bool", Or([Not(_as_bool(vals[0])), _as_bool(vals[1])])))
        elif t in rel:
            if len(vals) < 2:
                raise SBMLQualError(f"{what}: <{rel[t]}> needs two arguments")
            parts = [_compare(rel[t], a, b) for a, b in zip(vals, vals[1:])]
            parent.append(("bool", parts[0] if len(parts) == 1 else And(parts)))
        else:
            name = node.getName() or libsbml.formulaToL3String(node)
            raise SBMLQualError(f"{what}: MathML element '{name}' is not supported in a "
                                "Boolean model (use and, or, not, xor, implies, comparisons)")
    (value,) = out
    return _as_bool(value)


def _notes_text(element) -> str:
    if not element.isSetNotes():
        return ""
    raw = element.getNotesString()
    raw = re.sub(r"<(br|/p|/div|/li)\b[^>]*>", " ", raw)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


_APPLY = re.compile(r"<(/?)(?:[A-Za-z_][\w.-]*:)?apply\b[^>]*?(/?)>")


def _check_depth(text: str, path: str | None) -> None:
    """Refuse MathML nested deeper than libsbml can read without overflowing its stack."""
    level = 0
    for m in _APPLY.finditer(text):
        if m.group(1):
            level -= 1
        elif not m.group(2):
            level += 1
            if level > MAX_MATH_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                col = m.start() - text.rfind("\n", 0, m.start())
                raise SBMLQualError(
                    f"{path or '<text>'}:{line}:{col}: MathML nested more than "
                    f"{MAX_MATH_DEPTH} <apply> levels deep; too deep to read safely")


def parse_sbml_model(text: str, path: str | None = None, *,
                     undefined: str = "error") -> ParsedModel:
    """The rules of the text with their positions (a :class:`ParsedModel`), before the
    checks that make a :class:`Network` (:func:`parse_sbml`); the linter reads them."""
    libsbml = _libsbml()
    where = path or "<text>"
    _check_depth(text, path)
    doc = libsbml.readSBMLFromString(text)
    _check_document(doc, text, path, libsbml)
    model = doc.getModel()
    if model is None:
        raise SBMLQualError(f"{where}: the document has no <model>")
    qual = model.getPlugin("qual")
    if qual is None or qual.getNumQualitativeSpecies() == 0:
        core = "core SBML without the qual package" if qual is None else "no qualitativeSpecies"
        raise SBMLQualError(f"{_where(path, model)}: model '{model.getId()}': {core}; not an "
                            "SBML-qual (logical) model")

    species: dict[str, Any] = {}  # libsbml QualitativeSpecies
    name_map: dict[str, str] = {}
    notes: dict[str, str] = {}
    for k in range(qual.getNumQualitativeSpecies()):
        poll()
        qs = qual.getQualitativeSpecies(k)
        sid = qs.getId()
        if qs.isSetMaxLevel() and qs.getMaxLevel() > 1:
            raise SBMLQualError(f"{_where(path, qs)}: qualitativeSpecies '{sid}' has maxLevel "
                                f"{qs.getMaxLevel()}; only Boolean models (maxLevel 1) are read")
        species[sid] = qs
        if qs.isSetName() and qs.getName() and qs.getName() != sid:
            shown = qs.getName()
            if shown in name_map:
                log.warning("%s: display name '%s' is shared by '%s' and '%s'", where, shown,
                            name_map[shown], sid)
            else:
                name_map[shown] = sid
        note = _notes_text(qs)
        if note:
            notes[sid] = note
    params = {}
    for k in range(model.getNumParameters()):
        p = model.getParameter(k)
        if p.isSetValue():
            params[p.getId()] = p.getValue()

    rules: dict[str, RuleEntry] = {}
    setter: dict[str, str] = {}
    for k in range(qual.getNumTransitions()):
        poll()
        tr = qual.getTransition(k)
        tid = tr.getId() or f"#{k + 1}"
        what = f"{_where(path, tr)}: transition '{tid}'"
        thresholds = {}
        for j in range(tr.getNumInputs()):
            inp = tr.getInput(j)
            if inp.getQualitativeSpecies() not in species:
                raise SBMLQualError(f"{what}: input '{inp.getId() or j + 1}' refers to "
                                    f"'{inp.getQualitativeSpecies()}', which is no "
                                    "qualitativeSpecies")
            if inp.isSetId():
                thresholds[inp.getId()] = (inp.getThresholdLevel()
                                           if inp.isSetThresholdLevel() else 1)

        def resolve(name, what=what, thresholds=thresholds):
            if name in species:
                return ("var", name)
            if name in thresholds:
                return ("num", thresholds[name])
            if name in params:
                v = params[name]
                return ("num", int(v) if float(v).is_integer() else v)
            if undefined == "input" and _SID.match(name):
                return ("var", name)
            raise SBMLQualError(f"{what}: the math refers to '{name}', which is neither a "
                                "qualitativeSpecies nor an input of the transition")

        outputs = [tr.getOutput(j).getQualitativeSpecies() for j in range(tr.getNumOutputs())]
        if not outputs:
            log.warning("%s has no output; ignored", what)
            continue
        for o in outputs:
            if o not in species:
                raise SBMLQualError(f"{what}: output '{o}' is no qualitativeSpecies")
            if o in setter:
                raise SBMLQualError(f"{what}: species '{o}' is already set by transition "
                                    f"'{setter[o]}'")
            setter[o] = tid
        default = 0
        if tr.getDefaultTerm() is not None and tr.getDefaultTerm().isSetResultLevel():
            default = tr.getDefaultTerm().getResultLevel()
        else:
            log.warning("%s has no defaultTerm; taken as level 0", what)
        if default not in (0, 1):
            raise SBMLQualError(f"{what}: defaultTerm has resultLevel {default}; Boolean "
                                "models use 0 or 1")
        on: list[Expr] = []
        off: list[Expr] = []
        for j in range(tr.getNumFunctionTerms()):
            ft = tr.getFunctionTerm(j)
            level = ft.getResultLevel()
            if level not in (0, 1):
                raise SBMLQualError(f"{what}: functionTerm {j + 1} has resultLevel {level}; "
                                    "Boolean models use 0 or 1")
            if not ft.isSetMath():
                raise SBMLQualError(f"{what}: functionTerm {j + 1} has no math")
            e = _math_to_expr(ft.getMath(), resolve, f"{what}, functionTerm {j + 1}", libsbml)
            (on if level == 1 else off).append(e)
        if default == 0:
            expr = on[0] if len(on) == 1 else (Or(on) if on else FALSE)
        else:
            neg = Not(off[0] if len(off) == 1 else Or(off)) if off else TRUE
            expr = Or(on + [neg]) if on and off else (TRUE if not off else neg)
        for o in outputs:
            rules[o] = RuleEntry(o, expr, tr.getLine(), tr.getColumn(), notes.get(o, ""))

    entries: list[RuleEntry] = []
    for sid, qs in species.items():
        entries.append(rules.get(sid) or RuleEntry(sid, Var(sid), qs.getLine(), qs.getColumn(),
                                                   notes.get(sid, "")))
    extra = {}
    if model.isSetId():
        extra["sbml_id"] = model.getId()
    md = Metadata(title=model.getName() if model.isSetName() else "", notes=notes,
                  name_map=name_map, extra=extra)
    pm = ParsedModel(tuple(entries), md, path)
    return pm


def parse_sbml(text: str, path: str | None = None, *, undefined: str = "error") -> Network:
    """Parse an SBML-qual document (Boolean models only).

    Parameters
    ----------
    text : str
        The XML.
    path : str, optional
        File name used in messages.
    undefined : {"error", "input"}
        What a name in a rule that is no species becomes.

    Raises
    ------
    RuleSyntaxError
        XML that libsbml cannot read (with its line and column).
    SBMLQualError
        Not an SBML-qual model, levels above 1, unsupported MathML, a species set by two
        transitions; the message names the element and its id.

    Examples
    --------
    >>> xml = to_sbml(Network.from_rules({"A": Var("A"), "B": Not(Var("A"))}))
    >>> str(parse_sbml(xml).rules["B"])
    '!A'
    """
    return parse_sbml_model(text, path, undefined=undefined).to_network(undefined)


def read_sbml(path: str | PathLike[str], *, undefined: str = "error") -> Network:
    """Read an SBML-qual file (see :func:`parse_sbml`)."""
    from .text import decode_text, read_bytes

    data = read_bytes(path, "SBML model")
    # the XML declaration names the encoding (UTF-8 unless it says otherwise)
    m = re.match(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", data)
    encoding = m.group(1).decode("ascii") if m else "utf-8"
    text = decode_text(data, str(path), encoding=encoding)
    return parse_sbml(text, str(path), undefined=undefined)


# ---------------------------------------------------------------- writing

def _literal(name: str, level: int) -> str:
    return (f"<apply><eq/><ci> {name} </ci><cn type=\"integer\"> {level} </cn></apply>")


def _mathml(expr: Expr) -> str:
    texts: dict[int, str] = {}  # fold visits children first: xor operands are here

    def leaf(e):
        if isinstance(e, Const):
            texts[id(e)] = "<true/>" if e.value else "<false/>"
        else:
            texts[id(e)] = _literal(e.name, 1)
        return texts[id(e)]

    def node(e, vals):
        texts[id(e)] = text = _node(e, vals)
        return text

    def _node(e, vals):
        pair = xor_operands(e)
        if pair is not None:  # MathML has xor: a chain of them stays linear
            return f"<apply><xor/>{texts[id(pair[0])]}{texts[id(pair[1])]}</apply>"
        if isinstance(e, Not):
            if isinstance(e.arg, Var):
                return _literal(e.arg.name, 0)
            return f"<apply><not/>{vals[0]}</apply>"
        op = "and" if isinstance(e, And) else "or"
        return f"<apply><{op}/>{''.join(vals)}</apply>"

    return f'<math xmlns="{_MATHML_NS}">{fold(expr, leaf, node)}</math>'


def _flatten(bdds, name: str) -> Expr:
    """The rule of ``name`` as a sum of disjoint cubes (the paths of its BDD): depth 3."""
    from ..bdd import cofactors
    mgr = bdds.mgr
    cubes: list[Expr] = []
    stack: list[tuple[Any, list[Expr]]] = [(bdds.f[name], [])]
    while stack:
        u, lits = stack.pop()
        if u == mgr.false:
            continue
        if u == mgr.true:
            cubes.append(mk_and(lits))
            if len(cubes) > MAX_FLAT_TERMS:
                raise SBMLQualError(
                    f"the rule of '{name}' is too deep for SBML-qual (over {MAX_MATH_DEPTH} "
                    f"levels) and has more than {MAX_FLAT_TERMS} terms when flattened")
            continue
        v = u.var
        low, high = cofactors(mgr, u, v)
        stack.append((high, lits + [Var(v)]))
        stack.append((low, lits + [Not(Var(v))]))
    log.info("rule of '%s' flattened into %d terms for SBML-qual", name, len(cubes))
    return mk_or(cubes)


def _xhtml(text: str) -> str:
    return (f'<notes><body xmlns="http://www.w3.org/1999/xhtml"><p>{html.escape(text)}</p>'
            "</body></notes>")


def to_sbml(net: Network) -> str:
    """The network as an SBML Level 3 qual document (text).

    Examples
    --------
    >>> from logicbone.io.bnet import parse_bnet
    >>> xml = to_sbml(parse_bnet("A, A\\nB, A ^ B"))
    >>> 'qual:sign="dual"' in xml
    True
    """
    libsbml = _libsbml()
    from ..bdd import RuleBDDs

    ns = libsbml.SBMLNamespaces(3, 1, "qual", 1)
    doc = libsbml.SBMLDocument(ns)
    doc.setPackageRequired("qual", True)
    model = doc.createModel()
    used = set(net.names)

    def fresh(base: str) -> str:
        sid = base if _SID.match(base) else "x_" + re.sub(r"\W", "_", base)
        k = 1
        cand = sid
        while cand in used:
            k += 1
            cand = f"{sid}_{k}"
        used.add(cand)
        return cand

    md = net.metadata
    model.setId(fresh(md.extra.get("sbml_id") or re.sub(r"\W+", "_", md.title).strip("_")
                      or "model"))
    if md.title:
        model.setName(md.title)
    comp = model.createCompartment()
    comp.setId(fresh("cell"))
    comp.setConstant(True)
    qual = model.getPlugin("qual")
    shown = {ident: name for name, ident in md.name_map.items()}
    for n in net.names:
        qs = qual.createQualitativeSpecies()
        qs.setId(n)
        qs.setName(shown.get(n, n))
        qs.setCompartment(comp.getId())
        qs.setConstant(False)
        qs.setMaxLevel(1)
        note = md.notes.get(n)
        if note:
            qs.setNotes(_xhtml(note))

    bdds = RuleBDDs(net)
    signs = {1: libsbml.INPUT_SIGN_POSITIVE, -1: libsbml.INPUT_SIGN_NEGATIVE,
             0: libsbml.INPUT_SIGN_DUAL}
    for n in net.names:
        poll()  # converting stops at the time limit or Ctrl-C
        rule = net.rules[n]
        live = set(bdds.essential(n))
        dead = [r for r in net.regulators(n) if r not in live]
        if dead:  # other tools insist that every listed input has an effect
            log.info("rule of '%s': %s without effect, left out of the SBML-qual rule", n,
                     ", ".join(dead))
            rule = substitute(rule, {r: False for r in dead})
        tr = qual.createTransition()
        tr.setId(fresh(f"tr_{n}"))
        for r in net.regulators(n):
            if r not in live:
                continue
            inp = tr.createInput()
            inp.setId(fresh(f"tr_{n}_in_{r}"))
            inp.setQualitativeSpecies(r)
            inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
            s = bdds.sign(n, r)
            if s is not None:
                inp.setSign(signs[s])
        out = tr.createOutput()
        out.setId(fresh(f"tr_{n}_out"))
        out.setQualitativeSpecies(n)
        out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        dt = tr.createDefaultTerm()
        if isinstance(rule, Const):
            dt.setResultLevel(int(rule.value))
            continue
        dt.setResultLevel(0)
        ft = tr.createFunctionTerm()
        ft.setResultLevel(1)
        if depth(rule) > MAX_MATH_DEPTH - 2:
            rule = _flatten(bdds, n)
        size = written_size(rule, xor=True)
        if size > MAX_WRITTEN:
            raise ExpressionTooLarge(
                f"the rule of '{n}' would be {size:,} symbols long in MathML, more than the "
                f"{MAX_WRITTEN:,} allowed", node=n, size=size)
        ast = libsbml.readMathMLFromString(_mathml(rule))
        if ast is None:  # pragma: no cover - our own MathML
            raise SBMLQualError(f"transition 'tr_{n}': cannot build the MathML of the rule")
        ft.setMath(ast)
    return libsbml.writeSBMLToString(doc)


def write_sbml(net: Network, path: str | PathLike[str]) -> None:
    """Write SBML-qual (atomically)."""
    from . import write_text_atomic
    write_text_atomic(path, to_sbml(net))
