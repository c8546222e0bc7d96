"""The layers of docs/DESIGN.md hold: every import in src/ and cli/ (read with ``ast``, at any
depth, lazy ones included) goes from a module to one of its own layer or a layer below it,
never to another module's private names, and the command line reaches the library only
through ``import logicbone``. Test modules import the shared helpers, never each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from _helpers import ROOT

SRC = ROOT / "src" / "logicbone"
CLI = ROOT / "cli"
TESTS = ROOT / "tests"

#: the layers, lowest first: a module imports only from its own layer and those before it.
#: ``parallel`` is a generic executor (tasks in, results out) that knows no analysis, so it
#: sits low enough for the screens of ``analysis`` to use it.
LAYERS: list[tuple[str, ...]] = [
    ("errors",),
    ("budget",),  # readers, parsers and engines at every level poll the one budget
    ("outputs",),  # the one atomic writer of every output file
    ("modes",),
    ("expr",),
    ("network",),
    ("bdd",),
    ("space", "parallel", "tables", "frames", "rates"),
    ("io",),
    ("perturb", "generate", "linter"),
    ("scenarios",),
    ("dynamics",),
    ("analysis",),
    ("shipped",),  # the shipped models and their companion files
    ("export",),
    ("plot",),
    ("report",),  # the HTML report: analyses, figures and text together
    ("",),  # logicbone/__init__.py: the public API, loading the others lazily
]

#: imports that break the rules today, each with why: remove an entry when its import is gone
#: (the test fails on a stale entry, so the lists only shrink)
KNOWN_PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()
KNOWN_LAYER_BREAKS: set[tuple[str, str]] = set()

#: libraries the library never imports (the command line's)
CLI_ONLY = ("click", "logicbone_cli")


def _module_name(path: Path) -> tuple[str, bool]:
    """Dotted name of a source file, and whether it is a package's ``__init__``."""
    if path.is_relative_to(CLI):
        parts = ["logicbone_cli", *path.relative_to(CLI).with_suffix("").parts]
    else:
        parts = ["logicbone", *path.relative_to(SRC).with_suffix("").parts]
    package = parts[-1] == "__init__"
    if package:
        parts = parts[:-1]
    return ".".join(parts), package


def _imports(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """Every import of a file: (absolute module, names taken from it, line)."""
    module, package = _module_name(path)
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, (), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if package else module.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, tuple(a.name for a in node.names), node.lineno))
    return out


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _layer(module: str) -> int:
    """Index in :data:`LAYERS` of a ``logicbone`` module (by its first component)."""
    first = module.split(".")[1] if "." in module else ""
    for i, layer in enumerate(LAYERS):
        if first in layer:
            return i
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def _edges() -> list[tuple[Path, str, str, tuple[str, ...], int]]:
    rows = []
    for path in _sources(SRC) + _sources(CLI):
        source = _module_name(path)[0]
        for target, names, line in _imports(path):
            rows.append((path, source, target, names, line))
    return rows


EDGES = _edges()


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_import_graph_was_read():
    sources = {s for _, s, _, _, _ in EDGES}
    assert {"logicbone.dynamics.stg", "logicbone.analysis.explicit", "logicbone.space",
            "logicbone_cli.options"} <= sources
    assert ("logicbone.dynamics.stg", "logicbone.space") in {(s, t) for _, s, t, _, _ in EDGES}


def test_every_module_sits_in_a_layer():
    for path in _sources(SRC):
        _layer(_module_name(path)[0])


def test_no_module_imports_from_a_higher_layer():
    broken = []
    for path, source, target, names, line in EDGES:
        if not source.startswith("logicbone.") or not target.startswith("logicbone."):
            continue
        if (target == "logicbone" or target.startswith("logicbone.")) and \
                _layer(target) > _layer(source) and (source, target) not in KNOWN_LAYER_BREAKS:
            broken.append(f"{_where(path, line)}: {source} imports {target}")
    assert broken == []


def test_the_library_never_imports_the_command_line():
    found = [f"{_where(path, line)}: {target}" for path, source, target, _, line in EDGES
             if source.startswith("logicbone") and not source.startswith("logicbone_cli")
             and target.split(".")[0] in CLI_ONLY]
    assert found == []


def test_the_command_line_uses_only_the_public_api():
    found = [f"{_where(path, line)}: {target}" for path, source, target, _, line in EDGES
             if source.startswith("logicbone_cli") and target.startswith("logicbone")
             and target != "logicbone" and not target.startswith("logicbone_cli")]
    assert found == []


def _private_imports() -> set[tuple[str, str, str]]:
    out = set()
    for _, source, target, names, _ in EDGES:
        if target == source:
            continue
        out.update((source, target, n) for n in names if n.startswith("_")
                   and not n.startswith("__"))
        # a private module (an engine) is imported only from within its own package
        private = [i for i, part in enumerate(target.split("."))
                   if part.startswith("_") and not part.startswith("__")]
        if private and not source.startswith(".".join(target.split(".")[:private[0]]) + "."):
            out.add((source, target, "*"))
    return out


def test_no_module_imports_another_modules_private_names():
    """``from .x import _y`` is another module's internals; the private engine modules
    (``analysis/_async_pipeline.py``) are imported by name only within their package."""
    assert sorted(_private_imports() - KNOWN_PRIVATE_IMPORTS) == []


def test_the_known_exceptions_are_still_needed():
    """An exception whose import is gone is removed from the lists, so they only shrink."""
    assert sorted(KNOWN_PRIVATE_IMPORTS - _private_imports()) == []
    edges = {(s, t) for _, s, t, _, _ in EDGES}
    assert sorted(KNOWN_LAYER_BREAKS - edges) == []


@pytest.mark.parametrize("path", sorted(TESTS.glob("*.py")), ids=lambda p: p.name)
def test_test_modules_import_only_the_shared_helpers(path: Path):
    local = {p.stem for p in TESTS.glob("*.py")} - {"_helpers"}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module in local:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in local]
    assert found == []
