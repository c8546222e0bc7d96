"""Every file a command writes: checked once before any work (existing without --force, a
folder, a FIFO, a device, a missing folder, a format the extension contradicts: one line,
exit 2), written atomically (nothing half-written on a write error, which says why)."""
from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

import logicbone as lb
from logicbone_cli.main import cli

from _helpers import small_model_file

@pytest.fixture
def model(tmp_path):
    return small_model_file(tmp_path)


def _run(args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _one_line_error(r, code: int = 2) -> str:
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr, r.exception)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


#: every command that writes a file, with the option that names it (OUT is replaced by it)
WRITERS = {
    "convert": ["convert", "{model}", "OUT.rules"],
    "graph": ["graph", "{model}", "-o", "OUT.graphml"],
    "stg": ["stg", "{model}", "-o", "OUT.graphml"],
    "plot graph": ["plot", "graph", "{model}", "-o", "OUT.png"],
    "plot attractors": ["plot", "attractors", "{model}", "-o", "OUT.png"],
    "plot trajectory": ["plot", "trajectory", "{model}", "-o", "OUT.png", "--steps", "3"],
    "plot stg": ["plot", "stg", "{model}", "-o", "OUT.png"],
    "compare --plot": ["compare", "{model}", "-c", "wt", "-c", "Akt=0", "--plot", "OUT.png"],
    "stochastic --plot": ["stochastic", "{model}", "--time", "1", "--samples", "50",
                          "--plot", "OUT.png"],
    "report": ["report", "{model}", "-o", "OUT.html"],
    "screen": ["screen", "{model}", "-o", "OUT.csv"],
}


def _args(name, model, out_stem):
    return [a.replace("{model}", str(model)).replace("OUT", str(out_stem))
            for a in WRITERS[name]]


def _out(args, stem) -> str:
    return next(a for a in args if a.startswith(str(stem)))


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_existing_file_is_not_overwritten_without_force(name, model, tmp_path):
    args = _args(name, model, tmp_path / "out")
    out = _out(args, tmp_path / "out")
    with open(out, "w") as fh:
        fh.write("precious")
    r = _run(args)
    line = _one_line_error(r)
    assert "exists" in line and ("--force" in line or "--resume" in line)
    assert open(out).read() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m.bnet", os.path.basename(out)])


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_force_overwrites(name, model, tmp_path):
    args = _args(name, model, tmp_path / "out")
    out = _out(args, tmp_path / "out")
    with open(out, "w") as fh:
        fh.write("precious")
    r = _run(args + ["--force"])
    assert r.exit_code == 0, (r.stderr, r.exception)
    assert open(out, "rb").read() != b"precious"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.parametrize("where, says", [("folder", "is a folder"),
                                         ("missing", "does not exist"),
                                         ("fifo", "not a regular file")])
def test_unwritable_paths_are_refused_in_one_line(name, where, says, model, tmp_path):
    args = _args(name, model, tmp_path / "out")
    out = _out(args, tmp_path / "out")
    if where == "folder":
        os.mkdir(out)
    elif where == "fifo":
        os.mkfifo(out)  # opening it for writing would block: it must not be opened
    else:
        args = [a.replace(str(tmp_path / "out"), str(tmp_path / "no" / "out")) for a in args]
    r = _run(args + (["--force"] if where != "missing" else []))
    assert says in _one_line_error(r)


def test_a_device_as_output_is_refused(model):
    r = _run(["graph", model, "-o", "/dev/full", "--format", "graphml", "--force"])
    assert "not a regular file" in _one_line_error(r)


def test_compare_plot_does_not_overwrite(model, tmp_path):
    """As filed: ``compare --plot out.png`` overwrote an existing file."""
    out = tmp_path / "out.png"
    out.write_bytes(b"mine")
    r = _run(["compare", model, "-c", "wt", "-c", "Akt=0", "--plot", out])
    _one_line_error(r)
    assert out.read_bytes() == b"mine" and r.stdout == ""  # refused before any work


@pytest.mark.parametrize("cmd", [["plot", "graph", "{model}", "-o"],
                                 ["compare", "{model}", "-c", "wt", "--plot"]])
@pytest.mark.parametrize("ext, magic", [(".pdf", b"%PDF"), (".svg", b"<?xml"),
                                        (".png", b"\x89PNG")])
def test_figures_are_in_the_format_of_their_extension(cmd, ext, magic, model, tmp_path):
    out = tmp_path / f"fig{ext}"
    r = _run([a.replace("{model}", str(model)) for a in cmd] + [out])
    assert r.exit_code == 0, (r.stderr, r.exception)
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize("cmd", [["plot", "graph", "{model}", "-o"],
                                 ["compare", "{model}", "--plot"],
                                 ["stochastic", "{model}", "--time", "1", "--plot"]])
def test_an_unknown_figure_extension_is_refused_listing_the_known(cmd, model, tmp_path):
    r = _run([a.replace("{model}", str(model)) for a in cmd] + [tmp_path / "fig.gif"])
    line = _one_line_error(r)
    assert all(e in line for e in (".png", ".svg", ".pdf"))
    assert list(tmp_path.iterdir()) == [model]


@pytest.mark.parametrize("args", [
    ["stg", "{model}", "-o", "{tmp}/out.graphml", "--format", "csv"],
    ["graph", "{model}", "-o", "{tmp}/out.sif", "--format", "gexf"],
    ["convert", "{model}", "{tmp}/out.bnet", "--to", "sbml"],
])
def test_a_format_the_extension_contradicts_is_refused(args, model, tmp_path):
    """As filed: ``stg -o out.graphml --format csv`` wrote CSV (and out.nodes.graphml)."""
    r = _run([a.replace("{model}", str(model)).replace("{tmp}", str(tmp_path)) for a in args])
    assert "extension" in _one_line_error(r)
    assert list(tmp_path.iterdir()) == [model]


def test_stg_csv_refuses_when_the_node_table_exists(model, tmp_path):
    (tmp_path / "out.nodes.csv").write_text("mine")
    r = _run(["stg", model, "-o", tmp_path / "out.csv"])
    assert "out.nodes.csv" in _one_line_error(r)
    assert not (tmp_path / "out.csv").exists()


def test_a_full_disk_says_so_and_leaves_nothing(model, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "out.csv"
    r = _run(["stg", model, "-o", out])
    # the node table is flushed first
    assert _one_line_error(r) == f"error: {lb.nodes_path(out)}: no space left on device"
    assert list(tmp_path.iterdir()) == [model]  # neither table, no temporary file


def test_a_screen_on_a_full_disk_keeps_complete_records(model, tmp_path, monkeypatch):
    """The screen file fills up after a few records: no traceback, no half line, resumable."""
    import io as _io

    import logicbone.analysis.screen as screen_module

    budget = {"bytes": 200}  # the header, then about two records

    class Filling(_io.FileIO):
        def write(self, data):
            room = budget["bytes"]
            if room <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            n = min(room, len(data))
            budget["bytes"] -= n
            return super().write(bytes(data)[:n])

    def opener(path, mode="r", buffering=-1, **kwargs):
        return Filling(path, mode.replace("b", ""))

    monkeypatch.setattr(screen_module, "open", opener, raising=False)
    out = tmp_path / "s.csv"
    r = _run(["screen", model, "-o", out])
    line = _one_line_error(r)
    assert f"{out}: no space left on device" in line and "--resume" in line
    data = out.read_bytes()
    assert data.endswith(b"\n")
    kept = lb.read_screen(out)
    assert 1 <= len(kept) and [p.name for p in tmp_path.iterdir()
                               if p.name.endswith(".tmp")] == []
    monkeypatch.undo()
    r = _run(["screen", model, "-o", out, "--resume"])
    assert r.exit_code == 0, (r.stderr, r.exception)
    assert len(lb.read_screen(out)) > len(kept)


def test_a_screen_that_cannot_write_its_header_leaves_no_file(model, tmp_path, monkeypatch):
    import io as _io

    import logicbone.analysis.screen as screen_module

    class Full(_io.FileIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(screen_module, "open",
                        lambda path, mode="r", **kw: Full(path, mode.replace("b", "")),
                        raising=False)
    r = _run(["screen", model, "-o", tmp_path / "s.csv"])
    assert "no space left on device" in _one_line_error(r)
    assert list(tmp_path.iterdir()) == [model]


def _limit_file_size():
    """In the child: files may not grow beyond 2 kB, and that is an error, not a signal."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


@pytest.mark.parametrize("args", [["convert", "{model}", "{out}.sbml"],
                                  ["plot", "graph", "{model}", "-o", "{out}.pdf"]])
def test_a_file_too_large_is_a_clean_error(args, tmp_path):
    """A real write error (EFBIG under a file-size limit) in a real process."""
    big = tmp_path / "big.bnet"
    big.write_text("targets, factors\n" + "".join(f"N{i}, N{(i + 1) % 60} | !N{(i + 7) % 60}\n"
                                                   for i in range(60)))
    out = tmp_path / "out"
    cmd = [a.replace("{model}", str(big)).replace("{out}", str(out)) for a in args]
    proc = subprocess.run([sys.executable, "-m", "logicbone_cli.main", *cmd],
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=_limit_file_size)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"error: {out}{os.path.splitext(cmd[-1])[1]}: file too large"]
    assert [p.name for p in tmp_path.iterdir()] == ["big.bnet"]
