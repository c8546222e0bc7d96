"""The HTML report in a real headless browser (Debian's chromium): it loads with no console
error, its scripts run, every section is there, and its screenshot is not blank.

Skipped when no chromium is installed (CI installs it: .ci/run). ``LOGICBONE_CHROMIUM`` names
another browser binary.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import MODELS
from logicbone_cli.main import cli

BROWSER = os.environ.get("LOGICBONE_CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium to run the report in")

#: chromium prints the page's console messages on stderr with this tag
_CONSOLE = re.compile(r":(INFO|WARNING|ERROR):CONSOLE[:(]")
_ERROR = re.compile(r"Uncaught|Error|Failed to load|net::ERR", re.I)


def _run(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           *args, page.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if _CONSOLE.search(line) and _ERROR.search(line)]


def dom(page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """The DOM after the scripts ran, and the console errors."""
    r = _run(page, tmp_path, "--dump-dom")
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout, console_errors(r.stderr)


def screenshot(page: Path, tmp_path: Path, height: int = 3000) -> np.ndarray:
    from matplotlib.image import imread

    shot = tmp_path / f"shot{len(list(tmp_path.glob('shot*')))}.png"
    r = _run(page, tmp_path, f"--screenshot={shot}", f"--window-size=1280,{height}",
             "--hide-scrollbars")
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    return imread(shot)


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.root: dict[str, str] = {}
        self.images = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id", ""))
        elif tag == "html":
            self.root = {k: v or "" for k, v in a.items()}
        elif tag == "img" and (a.get("src") or "").startswith("data:image/png;base64,"):
            self.images += 1


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = CliRunner().invoke(cli, ["report", str(MODELS / "muscle_fibre.rules"), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    return out


def test_the_checks_can_fail(tmp_path):
    """The console check sees a script error; the blank check sees a blank page."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>notDefined();</script></body></html>")
    _, errors = dom(bad, tmp_path)
    assert errors and "notDefined" in errors[0]
    img = screenshot(bad, tmp_path, height=400)
    assert float(img[..., :3].std()) < 0.01


def test_report_loads_without_console_errors_and_runs_its_scripts(report, tmp_path):
    text, errors = dom(report, tmp_path)
    assert errors == []
    parsed = _Sections()
    parsed.feed(text)
    assert parsed.sections == ["model", "graph", "attractors", "comparison", "checks",
                               "response"]
    assert parsed.images == 2                                  # interaction graph, heatmap
    # set by the page's own script once the filters and the response graph are wired
    assert int(parsed.root["data-filters"]) >= 4
    assert int(parsed.root["data-stg-states"]) == 126         # rest -> disuse, muscle fibre


def test_report_screenshot_is_not_blank(report, tmp_path):
    img = screenshot(report, tmp_path)
    rgb = img[..., :3]
    assert float(rgb.std()) > 0.05
    # most of the page is drawn on: rows with some ink all down the first screenful
    inked = (rgb.std(axis=(1, 2)) > 0.01).mean()
    assert inked > 0.3
