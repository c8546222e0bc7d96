"""Types: ``mypy src cli`` (setup.cfg's configuration) finds no error, ``mypy --strict`` none
in the core modules (those setup.cfg checks strictly), and every public function of the
library is fully annotated. ``make test`` (and so CI) runs these: a new mypy error fails it."""
from __future__ import annotations

import ast
import configparser
import re
import subprocess
import sys

import pytest

from _helpers import ROOT

SRC = ROOT / "src" / "logicbone"


def _strict_modules() -> list[str]:
    """The files of the modules setup.cfg checks strictly (its section that sets
    ``disallow_untyped_defs``; ``pkg.*`` is every module of a package)."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    sections = [s for s in cfg.sections() if s.startswith("mypy-")
                and cfg.getboolean(s, "disallow_untyped_defs", fallback=False)]
    assert len(sections) == 1, sections
    files = []
    for module in sections[0].removeprefix("mypy-").split(","):
        parts = module.strip().split(".")
        assert parts[0] == "logicbone", module
        if parts[-1] == "*":
            files += sorted(SRC.joinpath(*parts[1:-1]).glob("*.py"))
        else:
            path = SRC.joinpath(*parts[1:])
            files.append(path / "__init__.py" if path.is_dir() else path.with_suffix(".py"))
    assert all(f.is_file() for f in files), [f for f in files if not f.is_file()]
    return [str(f.relative_to(ROOT)) for f in files]


#: the core modules and the explicit dynamics, checked with --strict
CORE = _strict_modules()


def _mypy(*args: str, cache: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache, *args],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr  # 2: mypy itself failed (or is missing)
    return [line for line in proc.stdout.splitlines() if re.match(r"\S+\.py:\d+: error:", line)]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("mypy_cache"))


def test_mypy_finds_no_error_in_src_and_cli(cache: str) -> None:
    assert _mypy("src", "cli", cache=cache) == []


def test_the_core_modules_pass_strict(cache: str) -> None:
    assert {"src/logicbone/space.py", "src/logicbone/budget.py",
            "src/logicbone/dynamics/stg.py"} <= set(CORE)
    assert _mypy("--strict", "--follow-imports=silent", *CORE, cache=cache) == []


def _unannotated(path: str) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name[0] != "_"):
        functions += [m for m in cls.body if isinstance(m, ast.FunctionDef)]
    out = []
    for fn in functions:
        if fn.name.startswith("_"):
            continue
        a = fn.args
        params = [*a.posonlyargs, *a.args, *a.kwonlyargs, *filter(None, [a.vararg, a.kwarg])]
        if fn.returns is None or any(p.annotation is None for p in params
                                     if p.arg not in ("self", "cls")):
            out.append(f"{path}:{fn.lineno}: {fn.name}")
    return out


def test_every_public_function_of_the_library_is_annotated() -> None:
    """In the public modules (a private module, ``_name.py``, is an engine's internals)."""
    paths = sorted(str(p.relative_to(ROOT)) for p in SRC.rglob("*.py")
                   if not (p.stem.startswith("_") and p.stem != "__init__"))
    assert [u for p in paths for u in _unannotated(p)] == []
