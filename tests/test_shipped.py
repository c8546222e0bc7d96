"""The shipped models by name: the API, every command's MODEL argument, and the wheel's contents."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

from _helpers import MODELS, ROOT

SHIPPED = sorted(p.stem for p in MODELS.glob("*.rules"))


def test_names_are_the_rule_files_of_models_folder():
    assert lb.models.names() == SHIPPED
    assert "bone_muscle" in SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_path_load_and_companions(name):
    path = lb.models.path(name)
    assert path.read_bytes() == (MODELS / f"{name}.rules").read_bytes()
    assert lb.models.path(f"{name}.rules") == path
    net = lb.models.load(name)
    assert net == lb.read_network(MODELS / f"{name}.rules")
    scenarios = lb.models.scenarios(name)
    assert scenarios == lb.read_scenarios(MODELS / f"{name}.scenarios.yaml")
    assert "baseline" in scenarios
    assert lb.models.expectations_path(name).read_bytes() == \
        (MODELS / f"{name}.expectations.yaml").read_bytes()


@pytest.mark.parametrize("bad", ["bonez", "Bone", "muscle", "bone_muscle.bnet.rules"])
def test_unknown_name_lists_the_shipped_ones(bad):
    with pytest.raises(lb.UnknownModelError, match="shipped: bone, bone_muscle, muscle_fibre"):
        lb.models.path(bad)
    assert issubclass(lb.UnknownModelError, lb.InputError)


def test_resolve_prefers_an_existing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bone").write_text("A* = A\n")
    assert lb.models.resolve("bone") == tmp_path.joinpath("bone").relative_to(tmp_path)
    assert lb.models.resolve("muscle_fibre") == lb.models.path("muscle_fibre")
    # a missing path stays a path, so that reading it says the file is missing
    assert str(lb.models.resolve("sub/none.rules")) == "sub/none.rules"
    assert str(lb.models.resolve("none.bnet")) == "none.bnet"
    with pytest.raises(lb.UnknownModelError):
        lb.models.resolve("none")


def test_an_empty_folder_has_no_names(tmp_path):
    assert lb.ShippedModels(tmp_path / "absent").names() == []
    with pytest.raises(lb.UnknownModelError, match=r"shipped: none"):
        lb.ShippedModels(tmp_path / "absent").path("bone")


# every command that takes MODEL, with options that keep it quick on the 46-node model
_COMMANDS = [
    ["info"], ["lint"], ["check"], ["fixed-points", "--limit", "2"],
    ["trap-spaces", "--min", "--limit", "2"],
    ["attractors", "--scenario", "baseline"],
    ["simulate", "--steps", "3", "--seed", "1"],
    ["compare", "-c", "baseline", "-c", "disuse"],
    ["graph", "--format", "sif"],
]


@pytest.mark.parametrize("args", _COMMANDS, ids=lambda a: a[0])
def test_every_command_takes_a_shipped_name(args):
    by_name = CliRunner().invoke(cli, [args[0], "bone", *args[1:]])
    by_path = CliRunner().invoke(cli, [args[0], str(MODELS / "bone.rules"), *args[1:]])
    assert by_name.exit_code == by_path.exit_code, by_name.output
    assert by_name.exit_code in (0, 1), by_name.stderr
    assert by_name.stdout == by_path.stdout


def test_every_model_argument_goes_through_the_resolver():
    """No command declares MODEL with its own type: the one resolver in cli/options.py."""
    from logicbone_cli.options import ModelParam

    names = cli.list_commands(None)
    assert "control" in names and "fixed-points" in names
    for name in names:
        command = cli.get_command(None, name)
        for param in command.params:
            if param.name == "model" and name != "demo":
                assert isinstance(param.type, ModelParam), name


@pytest.mark.parametrize("args", [["info", "bonez"], ["attractors", "musclefibre"],
                                  ["screen", "bone_musle", "--single", "-o", "x.csv"],
                                  ["plot", "graph", "bonez", "-o", "x.png"],
                                  ["demo", "bonez"]])
def test_an_unknown_name_is_one_line_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "shipped: bone, bone_muscle, muscle_fibre" in lines[0], lines
    assert not list(tmp_path.iterdir())


def test_demo_without_argument_runs_on_the_crosstalk_model():
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    title = lb.models.load("bone_muscle").metadata.title
    assert result.stdout.splitlines()[0] == title
    assert "$ logicbone compare bone_muscle " in result.stdout
    assert "$ logicbone check bone_muscle " in result.stdout
    assert " 0 fail" in result.stdout


# ---------------------------------------------------------------- the wheel

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                               "--no-build-isolation", "-q", "-w", str(out)],
                              capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as err:  # pragma: no cover
        pytest.skip(f"cannot build a wheel here: {err}")
    wheels = list(out.glob("logicbone-*.whl"))
    if proc.returncode != 0 or not wheels:  # pragma: no cover - no setuptools/wheel
        pytest.skip(f"cannot build a wheel here: {proc.stderr.strip().splitlines()[-1:]}")
    return zipfile.ZipFile(wheels[0])


def test_wheel_carries_every_file_of_the_models_folder(wheel):
    names = set(wheel.namelist())
    for path in MODELS.rglob("*"):
        if path.is_file():
            rel = path.relative_to(MODELS).as_posix()
            assert f"logicbone/_models/{rel}" in names, rel
            assert wheel.read(f"logicbone/_models/{rel}") == path.read_bytes()


def test_wheel_carries_the_code_and_the_entry_point(wheel):
    names = set(wheel.namelist())
    assert {"logicbone/__init__.py", "logicbone/shipped.py", "logicbone_cli/main.py",
            "logicbone_cli/commands/demo.py"} <= names
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "logicbone = logicbone_cli.main:main" in wheel.read(entry).decode()
    # the one source is models/: no second copy inside src/
    assert not (ROOT / "src" / "logicbone" / "_models").exists()
