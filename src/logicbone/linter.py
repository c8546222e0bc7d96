"""Checks on a model that parses: duplicates, undefined regulators, constants, inputs, and
regulators that have no effect on their target's function.

Examples
--------
>>> from logicbone.io.bnet import parse_bnet_model
>>> [i.code for i in lint(parse_bnet_model("A, B | !B\\nB, B"))]
['input', 'ineffective-regulator', 'constant-function']
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .expr import Const, Var, variables
from .network import ParsedModel

__all__ = ["LintIssue", "lint"]


@dataclass(frozen=True)
class LintIssue:
    """One finding: ``severity`` is ``error``, ``warning`` or ``info``."""

    severity: str
    code: str
    node: str
    message: str
    path: str = "<text>"
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict:
        return asdict(self)


def lint(model: ParsedModel, *, undefined_as_input: bool = False) -> list[LintIssue]:
    """All findings on a parsed model, in file order.

    Parameters
    ----------
    model : ParsedModel
        From :func:`~logicbone.io.parse_model` or a ``parse_<dialect>_model`` function.
    undefined_as_input : bool
        Report regulators without a rule as warnings (they become inputs) instead of errors.
    """
    path = model.path or "<text>"
    issues: list[LintIssue] = []
    seen: dict[str, int] = {}
    defined = {e.target for e in model.entries}
    reported_undefined: set[str] = set()

    def add(sev, code, node, msg, e, col=None):
        issues.append(LintIssue(sev, code, node, msg, path, e.line, col or e.col))

    if not model.entries:
        issues.append(LintIssue("error", "empty", "", "the model has no rules", path, 1, 1))

    for e in model.entries:
        if e.target in seen:
            add("error", "duplicate-target", e.target,
                f"duplicate rule for '{e.target}' (first on line {seen[e.target]})", e)
            continue
        seen[e.target] = e.line
        for v in variables(e.expr):
            if v not in defined and v not in reported_undefined:
                reported_undefined.add(v)
                col = e.column_of(v)
                if undefined_as_input:
                    add("warning", "undefined-regulator", v,
                        f"'{v}' has no rule; taken as an input", e, col)
                else:
                    add("error", "undefined-regulator", v,
                        f"'{v}' regulates '{e.target}' but has no rule", e, col)
        if isinstance(e.expr, Const):
            add("info", "constant", e.target,
                f"'{e.target}' is constant {int(e.expr.value)}", e)
        elif isinstance(e.expr, Var) and e.expr.name == e.target:
            add("info", "input", e.target, f"'{e.target}' is an input (its rule is itself)", e)

    if any(i.severity == "error" for i in issues):
        return issues
    net = model.to_network("input")
    from .bdd import RuleBDDs  # BDDs only when the cheap checks pass
    bdds = RuleBDDs(net)
    entry = {e.target: e for e in model.entries}
    for n in net.names:
        if n not in entry:
            continue
        regs = set(net.regulators(n))
        if isinstance(rule := net.rules[n], Var) and rule.name == n:
            continue
        ess = set(bdds.essential(n))
        for r in net.regulators(n):
            if r not in ess:
                e = entry[n]
                col = e.column_of(r)
                add("warning", "ineffective-regulator", n,
                    f"'{r}' appears in the rule of '{n}' but has no effect on it", e, col)
        if not ess and regs and not isinstance(net.rules[n], Const):
            add("warning", "constant-function", n,
                f"the rule of '{n}' is constant {int(bdds.f[n] == bdds.mgr.true)} "
                "whatever its regulators", entry[n])
    return issues
