"""The one atomic writer: outputs checked before any work; each file complete or absent."""
from __future__ import annotations

import errno
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logicbone as lb
from logicbone import outputs


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------ check_output_path

def test_a_new_file_in_an_existing_folder_passes(tmp_path):
    assert lb.check_output_path(tmp_path / "out.txt") is None
    assert lb.check_output_path(tmp_path / "out.pdf", formats=lb.FIGURE_FORMATS) == "pdf"


def test_an_existing_file_needs_force(tmp_path):
    out = tmp_path / "out.png"
    out.write_bytes(b"old")
    with pytest.raises(lb.FileExistsRefused, match="exists; not overwritten"):
        lb.check_output_path(out)
    assert lb.check_output_path(out, force=True, formats=lb.FIGURE_FORMATS) == "png"


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_is_refused(tmp_path, force):
    with pytest.raises(lb.OutputError, match="is a folder"):
        lb.check_output_path(tmp_path, force=force)


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_refused_without_opening_it(tmp_path, force):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(lb.OutputError, match="not a regular file"):
        lb.check_output_path(fifo, force=force)


def test_a_device_is_refused():
    with pytest.raises(lb.OutputError, match="not a regular file"):
        lb.check_output_path("/dev/full", force=True)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(lb.OutputError, match="does not exist"):
        lb.check_output_path(tmp_path / "no" / "out.csv")


def test_a_file_as_folder_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(lb.OutputError, match="not a folder"):
        lb.check_output_path(tmp_path / "f" / "out.csv")


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser writes in read-only folders")
def test_a_read_only_folder_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(lb.OutputError, match="permission denied"):
            lb.check_output_path(ro / "out.csv")
    finally:
        ro.chmod(stat.S_IRWXU)


def test_an_unwritable_folder_is_refused(tmp_path, monkeypatch):
    """As a read-only folder looks to a user who is not the superuser."""
    monkeypatch.setattr(outputs.os, "access", lambda *a, **k: False)
    with pytest.raises(lb.OutputError, match="permission denied"):
        lb.check_output_path(tmp_path / "out.csv")


def test_the_format_comes_from_the_extension_or_is_refused(tmp_path):
    exts = {".graphml": "graphml", ".csv": "csv"}
    assert lb.check_output_path(tmp_path / "g.GraphML", formats=exts) == "graphml"
    assert lb.check_output_path(tmp_path / "g.csv", formats=exts, format="csv") == "csv"
    # an extension that names no format does not contradict the one asked for
    assert lb.check_output_path(tmp_path / "g.txt", formats=exts, format="csv") == "csv"
    with pytest.raises(lb.UsageError, match=r"extension \.graphml means graphml, not csv"):
        lb.check_output_path(tmp_path / "g.graphml", formats=exts, format="csv")
    with pytest.raises(lb.UsageError, match=r"known: \.eps, \.pdf, \.png, \.ps, \.svg"):
        lb.check_output_path(tmp_path / "f.gif", formats=lb.FIGURE_FORMATS, what="figure")
    assert lb.check_output_path(tmp_path / "g.txt", formats=exts, default="csv") == "csv"


def test_unwritable_outputs_exit_2():
    """An output that cannot be written is the user's input: an InputError (exit 2)."""
    assert issubclass(lb.OutputError, lb.InputError)
    assert issubclass(lb.FileExistsRefused, lb.InputError)


# ------------------------------------------------------------ the atomic writer

def test_atomic_open_writes_the_whole_file(tmp_path):
    out = tmp_path / "a.txt"
    with lb.atomic_open(out) as fh:
        fh.write("one\n")
        assert not out.exists()  # not before the end
    assert out.read_text() == "one\n" and _leftovers(tmp_path) == []


def test_an_error_leaves_nothing_and_the_old_file_intact(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("old")
    with pytest.raises(RuntimeError):
        with lb.atomic_open(out, force=True) as fh:
            fh.write("new")
            raise RuntimeError("stop")
    assert out.read_text() == "old" and _leftovers(tmp_path) == []


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "no space left on device"),
                                          (errno.EFBIG, "file too large"),
                                          (errno.EACCES, "permission denied")])
def test_a_write_error_says_why_and_leaves_nothing(tmp_path, monkeypatch, code, reason):
    def full(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.os, "fsync", full)
    out = tmp_path / "a.csv"
    with pytest.raises(lb.OutputError) as info:
        lb.write_atomic(out, "x" * 100)
    assert str(info.value) == f"{out}: {reason}"
    assert not out.exists() and _leftovers(tmp_path) == []


def test_a_write_error_in_the_block_is_an_output_error(tmp_path):
    out = tmp_path / "a.csv"
    with pytest.raises(lb.OutputError, match="no space left on device"):
        with lb.atomic_open(out) as fh:
            fh.write("partial")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert not out.exists() and _leftovers(tmp_path) == []


def test_a_temporary_file_that_cannot_be_created(tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    import tempfile  # loaded by outputs only when a file is written

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(lb.OutputError, match="a.csv: permission denied"):
        lb.write_atomic(tmp_path / "a.csv", "x")


def test_files_that_belong_together_appear_together_or_not_at_all(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "a.nodes.csv"
    with pytest.raises(KeyboardInterrupt):
        with lb.AtomicFiles() as files:
            files.open(a).write("edges")
            files.open(b).write("nodes")
            raise KeyboardInterrupt
    assert not a.exists() and not b.exists() and _leftovers(tmp_path) == []
    with lb.AtomicFiles() as files:
        files.open(a).write("edges")
        files.open(b, "wb").write(b"nodes")
    assert a.read_text() == "edges" and b.read_bytes() == b"nodes"


def test_new_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        outputs._UMASK.clear()
        lb.write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
        outputs._UMASK.clear()
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000), stop_at=st.integers(0, 8), chunks=st.integers(1, 8),
       existed=st.booleans())
def test_complete_or_absent_whatever_the_failure(tmp_path_factory, data, stop_at, chunks,
                                                 existed):
    """Stopped after any chunk, the final name holds the old bytes (or nothing); finished, it
    holds exactly the new ones; no temporary file is ever left."""
    folder = tmp_path_factory.mktemp("atomic")
    out = folder / "out.bin"
    if existed:
        out.write_bytes(b"old")
    size = max(1, -(-len(data) // chunks))
    parts = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
    failed = stop_at < len(parts)
    try:
        with lb.atomic_open(out, "wb", force=True) as fh:
            for k, part in enumerate(parts):
                if k == stop_at:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                fh.write(part)
    except lb.OutputError:
        assert failed
    if failed:
        assert (out.read_bytes() == b"old") if existed else not out.exists()
    else:
        assert out.read_bytes() == data
    assert _leftovers(folder) == []


# ------------------------------------------------------------ figures

@pytest.mark.parametrize("ext, magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF"),
                                        (".svg", b"<?xml"), (".eps", b"%!PS"), (".ps", b"%!PS")])
def test_a_figure_is_in_the_format_of_its_extension(tmp_path, ext, magic):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1, 1))
    out = tmp_path / f"f{ext}"
    assert lb.save_figure(fig, out) == ext[1:]
    plt.close(fig)
    assert out.read_bytes().startswith(magic) and _leftovers(tmp_path) == []


def test_a_figure_is_not_overwritten_without_force(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = tmp_path / "f.png"
    out.write_bytes(b"mine")
    fig = plt.figure(figsize=(1, 1))
    with pytest.raises(lb.FileExistsRefused):
        lb.save_figure(fig, out)
    assert out.read_bytes() == b"mine"
    lb.save_figure(fig, out, force=True)
    plt.close(fig)
    assert out.read_bytes().startswith(b"\x89PNG")
