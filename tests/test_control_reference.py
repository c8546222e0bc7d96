"""control against biobalm's succession_control, where the semantics coincide.

biobalm (``succession_control``, strategy ``internal``) drives the network through a
succession of nested trap spaces to one whose every attractor lies in the target, overriding
at each step driver nodes *inside* the stable motif it enters, to the values of that motif.
Held for ever, the union of one option per step is then a permanent intervention in our
sense: propagating it reaches the last trap space of the succession (the drivers were chosen
so), the union agrees with that space, so every attractor of the perturbed network lies there,
where the perturbed and the original dynamics coincide. So:

* every union biobalm returns must work under our exact check, and contain one of our minimal
  sets (when it is within our size bound and uses allowed nodes): a biobalm set that is not
  ours is not minimal;
* our minimal sets need not come from biobalm: it only fixes nodes of stable motifs along a
  succession, at the motif's values, so a fixing of a node outside every stable motif (a
  feed-forward node, an output's regulator) or against a motif is out of its reach. Those
  are counted, and each is checked once more by the attractor engine here.

pystablemotifs' ``reprogram_to_trap_spaces`` with ``target_method="history"`` and
``driver_method="internal"`` answers the same question by the same route (the internal drivers
of the stable motifs of each shortest history, combined into one set that becomes
self-sustaining), so the same two checks apply to its sets. It may also name the target node
itself as a driver (fixing the target is allowed there, not here): such sets are only checked
for validity.

The "all" strategy of biobalm and the "minimal"/"GRASP" driver methods of pystablemotifs
(temporary overrides, possibly outside or against the motif, released step by step in the
order of the history) are a different question: they are not compared here.
"""
from __future__ import annotations

import pytest

import logicbone as lb

from _helpers import BENCH

pytestmark = pytest.mark.reference


#: corpus models (inputs fixed OFF, target: the first output that is not OFF in every
#: attractor, at 0) where biobalm finds successions to control
CORPUS = ["088_mir-9-neurogenesis", "110_asymmetric-cell-division-b",
          "158_lambda-phage-lysogeny", "186_chicken-sex-determination-reduced",
          "177_myeloid-progenitors", "153_control-of-proliferation",
          "281_emt-switch", "245_cardiomyocyte-differentiation", "099_yeast-hyphal-transition"]


def _case(name: str):
    """The corpus model with its inputs fixed OFF (as constant rules, as biobalm sees them),
    and a target at 0 on an output (else any node) that some attractor has ON."""
    path = BENCH / "bbm" / f"{name}.bnet"
    if not path.exists():
        pytest.skip(f"corpus model {name} not found")
    net = lb.read_network(path)
    fixed = net.fix({x: 0 for x in net.inputs})
    res = lb.attractors(fixed, "async")
    outputs = [o for o in fixed.outputs if o not in fixed.constants]
    for name in outputs + [x for x in fixed.names if x not in fixed.constants]:
        if {a.subspace[fixed.index(name)] for a in res.attractors} != {"0"}:
            return fixed, {name: 0}
    pytest.skip("no target to control")


@pytest.mark.parametrize("name", CORPUS)
def test_biobalm_succession_control_agrees(name):
    biobalm = pytest.importorskip("biobalm")
    from biobalm.control import succession_control

    net, target = _case(name)
    max_size = 2
    allowed = [x for x in net.names if x not in target and x not in net.constants]
    ours = lb.control(net, target, allowed=allowed, max_size=max_size)
    assert ours.complete
    minimal = [frozenset(i.fix.items()) for i in ours.interventions]

    sd = biobalm.SuccessionDiagram.from_rules(lb.to_bnet(net))
    theirs = succession_control(sd, target, strategy="internal",
                                forbidden_drivers=set(target))
    unions = set()
    for intervention in theirs:
        for strategy in intervention.all_control_strategies():
            union: dict[str, int] = {}
            for step in strategy:
                union.update(step)
            unions.add(frozenset((k, int(v)) for k, v in union.items()))
    for union in unions:
        fix = dict(union)
        check = lb.attractors(net.fix(fix), "async")
        assert all(a.subspace[net.index(t)] == str(v) for a in check.attractors
                   for t, v in target.items()), f"biobalm's {fix} fails our check"
        if len(union) <= max_size and all(k in allowed for k in fix):
            assert any(m <= union for m in minimal), f"biobalm's {fix} is below our sets"
    assert unions, "biobalm found no succession: the comparison would be empty"
    # ours that biobalm does not reach: each re-checked independently
    for m in minimal:
        if not any(m <= u for u in unions):
            check = lb.attractors(net.fix(dict(m)), "async", method="explicit")
            assert all(a.subspace[net.index(t)] == str(v) for a in check.attractors
                       for t, v in target.items())


def _check_against(net, target, theirs: set, max_size: int, ours) -> None:
    """Every set of theirs works under our check and, within our bound and allowed nodes,
    contains one of our minimal sets; ours that they do not reach are re-checked."""
    allowed = {x for x in net.names if x not in target and x not in net.constants}
    minimal = [frozenset(i.fix.items()) for i in ours.interventions]
    for union in theirs:
        fix = dict(union)
        check = lb.attractors(net.fix(fix), "async")
        assert all(a.subspace[net.index(t)] == str(v) for a in check.attractors
                   for t, v in target.items()), f"their {fix} fails our check"
        if len(union) <= max_size and all(k in allowed for k in fix):
            assert any(m <= union for m in minimal), f"their {fix} is below our sets"
    for m in minimal:
        if not any(m <= u for u in theirs):
            check = lb.attractors(net.fix(dict(m)), "async", method="explicit")
            assert all(a.subspace[net.index(t)] == str(v) for a in check.attractors
                       for t, v in target.items())


@pytest.mark.parametrize("name", CORPUS[:5])
def test_pystablemotifs_control_agrees(name):
    sm = pytest.importorskip("pystablemotifs", reason="pystablemotifs (dev extra) not "
                             "installed")
    file_exchange = pytest.importorskip("pyboolnet.file_exchange")

    net, target = _case(name)
    max_size = 2
    allowed = [x for x in net.names if x not in target and x not in net.constants]
    ours = lb.control(net, target, allowed=allowed, max_size=max_size)
    assert ours.complete
    primes = file_exchange.bnet2primes(lb.to_bnet(net))
    repertoire = sm.AttractorRepertoire.from_primes(primes)
    found = repertoire.reprogram_to_trap_spaces(target, target_method="history",
                                                driver_method="internal")
    theirs = {frozenset((k, int(v)) for k, v in d.items()) for d in found}
    assert theirs, "pystablemotifs found no control set: the comparison would be empty"
    _check_against(net, target, theirs, max_size, ours)
