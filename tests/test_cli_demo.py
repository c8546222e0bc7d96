"""``logicbone demo`` on the shipped models: every step runs and the check passes."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from logicbone_cli.main import cli

from _helpers import MODELS


@pytest.mark.parametrize("model", ["bone_muscle", "muscle_fibre", "bone"])
def test_demo_runs_every_step(model):
    result = CliRunner().invoke(cli, ["demo", str(MODELS / f"{model}.rules")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for section in ("== Attractors at rest", "== Conditions, knockouts and drugs",
                    "== Literature expectations", "$ logicbone compare", "$ logicbone check"):
        assert section in out
    assert " 0 fail" in out
    assert "== Attractors at rest (asynchronous update, scenario baseline)" in out
    assert "done in" in result.stderr


def test_demo_shows_denosumab_rescuing_estrogen_loss():
    result = CliRunner().invoke(cli, ["demo", str(MODELS / "bone_muscle.rules")])
    treat = result.stdout.split("== Treatments against the conditions they target")[1]
    # the row of the node table (the phenotype line above it wraps with the model's path)
    table = treat.split("\nnode ")[1]
    row = next(line for line in table.splitlines() if line.startswith("BoneLoss "))
    cells = row.split()
    # baseline, estrogen_loss, estrogen_loss+denosumab
    assert cells[1:4] == ["OFF", "[ON]", "OFF"]


def test_demo_shows_the_minimal_interventions_against_disuse_and_aging():
    result = CliRunner().invoke(cli, ["demo", str(MODELS / "bone_muscle.rules")])
    part = result.stdout.split("== Minimal interventions that reverse disuse and aging")[1]
    assert "$ logicbone control" in part and "--drugs" in part
    assert "of at most 2 parts in every condition: complete" in part
    # the drugs are named by their scenarios
    import logicbone as lb
    names = lb.read_scenarios(MODELS / "bone_muscle.scenarios.yaml")
    rows = part.split("\nin every condition:\n")[1].split("under disuse")[0]
    assert any(f" {name} " in rows or rows.count(f" {name}\n") for name in names)
