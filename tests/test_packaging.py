"""The wheel must contain every package folder, and the CLI may use only the public API."""
from __future__ import annotations

import ast
import configparser

from conftest import ROOT


def _listed_packages() -> set[str]:
    """The code packages setup.cfg lists (not the data-only ones, such as the shipped models)."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    data_only = set(cfg["options.package_data"]) if cfg.has_section("options.package_data") else set()
    return {p.strip() for p in cfg["options"]["packages"].split() if p.strip()} - data_only


def _package_dirs() -> set[str]:
    found = set()
    for top, name in ((ROOT / "src" / "logicbone", "logicbone"), (ROOT / "cli", "logicbone_cli")):
        for init in top.rglob("__init__.py"):
            rel = init.parent.relative_to(top).parts
            if "__pycache__" not in rel:
                found.add(".".join((name, *rel)))
    return found


def test_setup_cfg_lists_every_package_folder():
    assert _listed_packages() == _package_dirs()


def test_every_source_folder_is_a_package():
    for top in (ROOT / "src" / "logicbone", ROOT / "cli"):
        for d in top.rglob("*"):
            if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py")):
                assert (d / "__init__.py").exists(), f"{d} has modules but no __init__.py"


def test_cli_imports_only_the_public_namespace():
    for path in (ROOT / "cli").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("logicbone."), f"{path}: import {alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("logicbone."), f"{path}: from {node.module}"
                assert node.module != "logicbone" or all(
                    a.name in __import__("logicbone").__all__ for a in node.names), path


def test_library_never_imports_click_or_prints():
    for path in (ROOT / "src" / "logicbone").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] == "click" for n in names), path
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "eval", "exec"), \
                    f"{path}:{node.lineno}: {node.func.id}()"


def test_public_api_resolves_to_objects_not_modules():
    import importlib
    import types

    import logicbone as lb
    for module in set(lb._API.values()):  # importing a submodule first must not shadow a name
        importlib.import_module(f"logicbone.{module}")
    for name in lb.__all__:
        value = getattr(lb, name)
        assert value is not None and not isinstance(value, types.ModuleType), name
