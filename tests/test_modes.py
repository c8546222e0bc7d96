"""Modes: one parse per enum, names in results, spellings on the command line."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

ENUMS = [lb.Update, lb.AttractorMethod, lb.FixedPointMethod, lb.TrapSpaceKind]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_is_read_from_its_value_its_label_and_itself(enum):
    for m in enum:
        for text in (m, m.value, m.label, m.label.upper(), f" {m.value.replace('_', '-')} "):
            assert enum.parse(text) is m
        assert str(m) == m.value == f"{m}" and json.dumps(m) == f'"{m.value}"'


def test_aliases():
    assert lb.Update.parse("general-asynchronous") is lb.Update.GENERAL
    assert lb.Update.parse("Async") is lb.Update.ASYNCHRONOUS
    assert lb.TrapSpaceKind.parse("minimal") is lb.TrapSpaceKind.MIN


@pytest.mark.parametrize("enum, what", [(lb.Update, "update scheme"),
                                        (lb.AttractorMethod, "method"),
                                        (lb.TrapSpaceKind, "trap space kind")])
def test_an_unknown_name_says_what_is_known(enum, what):
    with pytest.raises(lb.UsageError) as err:
        enum.parse("nonsense")
    assert str(err.value) == (f"unknown {what} 'nonsense'; use "
                              f"{', '.join(enum.labels()[:-1])} or {enum.labels()[-1]}")


def test_the_library_takes_members_and_names_alike():
    net = lb.parse_bnet("A, !B\nB, A")
    by_member = lb.attractors(net, lb.Update.SYNCHRONOUS, lb.AttractorMethod.EXPLICIT)
    assert by_member.to_dict() == lb.attractors(net, "sync", "explicit").to_dict()
    assert by_member.update == "synchronous" and by_member.method == "explicit"


@pytest.mark.parametrize("command", [["attractors"], ["simulate"], ["stg", "-o", "x.csv"],
                                     ["check"],
                                     ["compare"], ["screen"], ["plot", "attractors", "-o", "x.png"],
                                     ["plot", "stg", "-o", "x.png"], ["demo"]])
def test_update_is_one_option_with_the_enum_spellings(command, tmp_path):
    head = command[:1 + (command[0] == "plot")]
    r = CliRunner().invoke(cli, [*head, "m.bnet", *command[len(head):], "--update", "bogus"])
    assert r.exit_code == 2
    allowed = r.stderr.split("is not one of")[1]
    assert "'sync'" in allowed and "'async'" in allowed and "'general'" in allowed


@pytest.mark.parametrize("command, methods", [
    (["attractors"], lb.AttractorMethod), (["check"], lb.AttractorMethod),
    (["compare"], lb.AttractorMethod), (["screen"], lb.AttractorMethod),
    (["plot", "attractors", "-o", "x.png"], lb.AttractorMethod),
    (["fixed-points"], lb.FixedPointMethod)])
def test_method_is_a_choice_of_the_methods_of_the_question(command, methods):
    head = command[:1 + (command[0] == "plot")]
    r = CliRunner().invoke(cli, [*head, "m.bnet", *command[len(head):], "--method", "bogus"])
    assert r.exit_code == 2
    assert all(f"'{m.label}'" in r.stderr for m in methods)
