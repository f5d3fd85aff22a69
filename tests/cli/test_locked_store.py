"""Readers are never blocked by a writer: another real process holds the store's write lock
(a long import) while ``log``, ``stats``, ``verify`` and ``report`` run."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import hubcore.store._sqlite as sqlite_backend
from hubcore.errors import StoreLocked
from hubcore.testing.conformance import school_events

from .conftest import Invoke, import_sample

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = -256")  # spill the uncommitted pages into the -wal file
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO projections VALUES ('held', 1, 0, ?)", (bytes(8_000_000),))
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
conn.execute("ROLLBACK")
"""


@pytest.fixture
def held_store(invoke: Invoke, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """The sample's 38 schools in the store, and a second process holding its write lock."""
    import_sample(invoke)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path / "hub.sqlite")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "holding\n"
    yield holder
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0


def _timed(invoke: Invoke, *args: str) -> tuple[float, str, str, int]:
    started = time.monotonic()
    result = invoke(*args)
    return time.monotonic() - started, result.stdout, result.stderr, result.exit_code


def test_readers_run_while_another_process_holds_the_write_lock(
    held_store: subprocess.Popen[str], invoke: Invoke
) -> None:
    # each would have waited the 30 s busy timeout, then failed, before
    took, out, err, code = _timed(invoke, "verify")
    assert (code, took < 10) == (0, True), err
    assert "verified 38 events" in out
    took, out, err, code = _timed(invoke, "log", "--json")
    assert (code, took < 10) == (0, True), err
    assert len(out.splitlines()) == 38
    took, out, err, code = _timed(invoke, "stats")
    assert (code, took < 10) == (0, True), err
    assert "38 events" in out
    took, out, err, code = _timed(invoke, "report", "data-return", "--format", "json")
    assert (code, took < 15) == (0, True), err
    assert out.startswith("{")
    assert "read models were not saved" in err
    assert "write lock" in err


def test_a_writer_waiting_too_long_is_told_the_store_is_locked(
    held_store: subprocess.Popen[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_S", 0.2)
    with sqlite_backend.SqliteStore(tmp_path / "hub.sqlite") as store:
        with pytest.raises(StoreLocked, match=r"hub\.sqlite: cannot append: .*write lock"):
            store.append("school-100001", school_events(100001, 3, "locked"))
        assert store.head() == 38  # nothing was written


def test_the_next_report_saves_once_the_lock_is_gone(invoke: Invoke, tmp_path: Path) -> None:
    import_sample(invoke)
    result = invoke("report", "data-return", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "not saved" not in result.stderr
    with sqlite_backend.SqliteStore(tmp_path / "hub.sqlite") as store:
        saved = store.load_projection("coverage")
    assert saved is not None
    assert saved.checkpoint == 38
