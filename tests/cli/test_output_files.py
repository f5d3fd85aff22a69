"""Output files: a regular file is replaced atomically, a FIFO, a terminal or ``-`` is
written as a stream, and nothing else is replaced (``report --out``, ``export``)."""

from __future__ import annotations

import os
import pty
import socket
import stat
import threading
from pathlib import Path

import pytest

import hubcore._output as output
from hubcore.errors import OutputRefused

from .conftest import Invoke, import_sample

DATA = b"<html>the report</html>\n"


def test_a_regular_file_is_replaced_by_rename_keeping_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(b"last year's report")
    path.chmod(0o640)
    before = path.stat().st_ino
    assert output.write_output(path, DATA) is True
    assert path.read_bytes() == DATA
    assert path.stat().st_ino != before  # a new file renamed over the old one
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(b"last year's report")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        output.write_output(path, DATA)
    assert path.read_bytes() == b"last year's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "shared" / "report.html"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "latest.html"
    link.symlink_to(target)
    output.write_output(link, DATA)
    assert link.is_symlink()
    assert target.read_bytes() == DATA


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert output.write_output(fifo, DATA) is False
    reader.join(timeout=10)
    assert got == [DATA]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_terminal_and_dev_null_are_written_as_streams() -> None:
    main, side = pty.openpty()
    try:
        assert output.write_output(os.ttyname(side), b"to the terminal") is False
        assert os.read(main, 100).replace(b"\r", b"") == b"to the terminal"
    finally:
        os.close(main)
        os.close(side)
    assert output.write_output(os.devnull, DATA) is False
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_folders_sockets_and_other_devices_are_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept")
    with pytest.raises(OutputRefused, match=r"reports: is a folder, not a regular file"):
        output.write_output(folder, DATA)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        with pytest.raises(OutputRefused, match="is a socket"):
            output.write_output(tmp_path / "sock", DATA)
        assert stat.S_ISSOCK((tmp_path / "sock").stat().st_mode)
    with pytest.raises(OutputRefused, match="is a device"):
        output.write_output("/dev/zero", DATA)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_report_out_dash_is_standard_output(invoke: Invoke, tmp_path: Path) -> None:
    import_sample(invoke)
    result = invoke("report", "data-return", "--format", "json", "--out", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{")
    assert "wrote" not in result.stdout
    assert not (tmp_path / "-").exists()


def test_report_out_to_a_fifo_streams_and_to_a_socket_is_refused(
    invoke: Invoke, tmp_path: Path
) -> None:
    import_sample(invoke)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = invoke("report", "data-return", "--format", "json", "--out", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert got[0].startswith(b"{")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        result = invoke("report", "data-return", "--out", str(tmp_path / "sock"))
    assert result.exit_code == 1
    assert "is a socket, not a regular file; nothing was written" in result.stderr


def test_export_refuses_to_replace_a_fifo_where_a_table_goes(
    invoke: Invoke, tmp_path: Path
) -> None:
    import_sample(invoke)
    out = tmp_path / "out"
    (out / "events").mkdir(parents=True)
    os.mkfifo(out / "events" / "SchoolRegistered.csv")
    result = invoke("export", str(out), "--format", "csv", "--events-only")
    assert result.exit_code == 1
    assert "SchoolRegistered.csv: is a FIFO, not a regular file" in result.stderr
    assert stat.S_ISFIFO((out / "events" / "SchoolRegistered.csv").stat().st_mode)
    assert not (out / "manifest.json").exists()
    assert not list(out.rglob("*.partial"))
