"""The signed interaction graph: who regulates whom, and in which direction.

An edge ``A -> B`` exists when ``B``'s update function really depends on ``A`` (a regulator
written in the rule but without effect, as in ``B* = A or (A and C)`` for ``C``, gives no
edge). Its sign comes from the monotonicity of the function, computed on its BDD, never from
the rule text: ``+`` when raising ``A`` can only raise ``B``, ``-`` when it can only lower it,
``both`` when it does either depending on the other regulators (e.g. ``B* = A xor C``).

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, A\\nB, A & !C\\nC, (A & !B) | (!A & B)")
>>> g = lb.interaction_graph(net)
>>> sorted((u, v, d["sign"]) for u, v, d in g.edges(data=True))
[('A', 'A', '+'), ('A', 'B', '+'), ('A', 'C', 'both'), ('B', 'C', 'both'), ('C', 'B', '-')]
"""
from __future__ import annotations

import logging

from typing import TYPE_CHECKING

from ..expr import MAX_WRITTEN, Expr, to_text, written_size
from ..network import Network

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["interaction_graph", "SIGNS"]

log = logging.getLogger(__name__)

#: sign codes of :meth:`logicbone.bdd.RuleBDDs.sign` -> edge label
SIGNS = {1: "+", -1: "-", 0: "both"}


def _rule_text(rule: Expr, node: str) -> str:
    """The rule in bnet syntax; with ``^`` for xor when written out with and/or/not it would
    be enormous (a chain of xors doubles with each operand); empty if even that is."""
    if written_size(rule) <= MAX_WRITTEN:
        return to_text(rule)
    if written_size(rule, xor=True) <= MAX_WRITTEN:
        return to_text(rule, xor=True)
    log.warning("the rule of '%s' is too long to write as a graph attribute: left out", node)
    return ""


def interaction_graph(net: Network) -> nx.DiGraph:
    """The signed interaction graph of ``net`` as a :class:`networkx.DiGraph`.

    Parameters
    ----------
    net : Network

    Returns
    -------
    networkx.DiGraph
        Nodes in bit order, with attributes ``kind`` (``input``, ``constant``, ``output`` or
        ``internal``) and ``rule`` (the rule in bnet syntax; ``^`` for xor in rules
        that would be enormous without it). One edge per essential
        regulator, with ``sign`` (``+``, ``-`` or ``both``) and ``weight`` (1, -1 or 0).
        Graph attributes: ``nodes`` (the bit order, comma-joined) and ``title``.

    Examples
    --------
    >>> import logicbone as lb
    >>> g = lb.interaction_graph(lb.parse_bnet("x, x\\ny, !x | (x & y & !y)"))
    >>> list(g.edges(data="sign"))
    [('x', 'x', '+'), ('x', 'y', '-')]
    >>> g.nodes["x"]["kind"]
    'input'
    """
    import networkx as nx

    from ..bdd import RuleBDDs

    bdds = RuleBDDs(net)
    inputs, consts, outputs = set(net.inputs), set(net.constants), set(net.outputs)
    g = nx.DiGraph(nodes=",".join(net.names), title=net.metadata.title)
    for n in net.names:
        kind = ("input" if n in inputs else "constant" if n in consts
                else "output" if n in outputs else "internal")
        g.add_node(n, kind=kind, rule=_rule_text(net.rules[n], n))
    for target in net.names:
        written = set(net.regulators(target))
        essential = bdds.essential(target)
        for reg in essential:
            code = bdds.sign(target, reg)
            if code is None:  # an essential regulator has an effect
                continue
            g.add_edge(reg, target, sign=SIGNS[code], weight=code)
        unused = written.difference(essential)
        if unused:
            log.debug("%s: regulators without effect: %s", target, ", ".join(sorted(unused)))
    return g
