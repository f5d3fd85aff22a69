"""A full disk and a read-only medium, on a real 2 MiB tmpfs: append, import, rebuild and
report output each end in a clear, named error, and the store is as it was (the same
head, ``verify`` passes, the same events).

Mounting needs root (CI runs as root). Like the other mount tests here
(tests/store/test_sqlite_faults.py) a run that cannot mount skips, saying why; under CI
(``$CI`` set) it fails instead, so CI never skips them.
"""

from __future__ import annotations

import errno
import os
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from hubcore._output import write_file_atomically
from hubcore.domain import Recorder
from hubcore.errors import StoreFull, StoreReadOnly
from hubcore.events import SchoolRegistered
from hubcore.imports import import_file
from hubcore.projections import Projector
from hubcore.store import SqliteStore
from hubcore.testing.conformance import school_events
from hubcore.vocabulary import Phase

TODAY = date(2026, 9, 30)
REGISTER = (
    b"URN,Programme,Academic year,Term,Pupils,FSM,SEND\r\n"
    b"141021,Choir,2025/26,Autumn,20,3,2\r\n"
    b"141021,Choir,2025/26,Spring,21,3,2\r\n"
    b"141021,Choir,2025/26,Summer,22,3,2\r\n"
)

SIZE = "2m"


def _mount(folder: Path) -> None:
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        why = f"cannot mount a {SIZE} tmpfs (needs root): {mounted.stderr.decode().strip()}"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture
def small_fs() -> Iterator[Path]:
    """A fresh 2 MiB tmpfs, unmounted after the test."""
    folder = Path(tempfile.mkdtemp(prefix="hubcore-full-"))
    _mount(folder)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)
        folder.rmdir()


def _fill_up(folder: Path) -> Path:
    """Take every free block of ``folder``'s file system with a ballast file."""
    ballast = folder / "ballast"
    chunk = b"\0" * 65536
    with open(ballast, "wb", buffering=0) as out:
        for size in (65536, 4096, 512, 1):
            with pytest.raises(OSError, match="No space left"):  # noqa: PT012
                while True:
                    out.write(chunk[:size])
    assert os.statvfs(folder).f_bavail == 0
    return ballast


def _store(folder: Path) -> SqliteStore:
    store = SqliteStore(folder / "hub.sqlite")
    school = SchoolRegistered(
        occurred_on=date(2025, 9, 1),
        urn=141021,
        name="Brookside Primary School",
        phase=Phase.PRIMARY,
        la_code="901",
        pupils_on_roll=412,
    )
    Recorder(store, clock=lambda: TODAY).record(school)
    store.append("school-100001", school_events(100001, 5, "full"))
    Projector(store).catch_up()  # saved read models, so a rebuild has something to replace
    return store


def _snapshot(store: SqliteStore) -> tuple[int, int, list[str]]:
    return store.head(), store.verify(), [str(r.event_id) for r in store.read_all()]


def _writes(store: SqliteStore) -> dict[str, object]:
    """Each way of writing to the store, as a call."""
    return {
        "append": lambda: store.append("school-100002", school_events(100002, 40, "more")),
        "import": lambda: import_file(
            store, "registers", REGISTER, name="registers.csv", today=TODAY
        ),
        "rebuild": lambda: Projector(store).rebuild_all(),
    }


@pytest.mark.parametrize("write", ["append", "import", "rebuild"])
def test_a_full_disk_is_store_full_and_the_store_is_unchanged(small_fs, write):
    store = _store(small_fs)
    before = _snapshot(store)
    saved = store.load_projection("log_span")
    ballast = _fill_up(small_fs)
    with pytest.raises(
        StoreFull, match=r"hub\.sqlite: cannot .*the disk holding the store is full"
    ):
        _writes(store)[write]()
    assert _snapshot(store) == before
    assert store.load_projection("log_span") == saved
    store.close()
    ballast.unlink()  # with room again, the same store opens, verifies and takes the write
    with SqliteStore(small_fs / "hub.sqlite") as again:
        assert _snapshot(again) == before
        _writes(again)[write]()
        assert again.verify() == again.head()


def test_a_catch_up_on_a_full_disk_keeps_its_read_models_in_memory(small_fs):
    store = _store(small_fs)
    store.append("school-100002", school_events(100002, 3, "late"))
    before = _snapshot(store)
    _fill_up(small_fs)
    projector = Projector(store)
    projector.catch_up()
    assert projector.not_saved is not None
    assert "full" in projector.not_saved
    assert projector.lag() == 0
    assert _snapshot(store) == before
    store.close()


def test_a_report_written_to_a_full_disk_is_a_clear_error_and_leaves_the_old_file(small_fs):
    target = small_fs / "report.html"
    target.write_bytes(b"<p>last term's report</p>")
    _fill_up(small_fs)
    with pytest.raises(OSError, match=r"report\.html: cannot write: No space left") as caught:
        write_file_atomically(target, b"<p>this term</p>" * 100_000)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"<p>last term's report</p>"
    assert sorted(p.name for p in small_fs.iterdir()) == ["ballast", "report.html"]


@pytest.fixture
def read_only_fs(small_fs) -> Iterator[Path]:
    """``small_fs`` with a filled store and a report on it, remounted read-only."""
    _store(small_fs).close()
    (small_fs / "report.html").write_bytes(b"<p>last term's report</p>")
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    return small_fs


@pytest.mark.parametrize("write", ["append", "import", "rebuild"])
def test_a_read_only_medium_is_store_read_only_and_the_store_is_unchanged(read_only_fs, write):
    path = read_only_fs / "hub.sqlite"
    raw = path.read_bytes()
    with SqliteStore(path) as store:
        before = _snapshot(store)
        with pytest.raises(StoreReadOnly, match=r"hub\.sqlite: cannot .*read-only file system"):
            _writes(store)[write]()
        assert _snapshot(store) == before
    assert path.read_bytes() == raw


def test_a_report_written_to_a_read_only_medium_is_a_clear_error(read_only_fs):
    target = read_only_fs / "report.html"
    with pytest.raises(OSError, match=r"report\.html: cannot write: Read-only file system"):
        write_file_atomically(target, b"<p>this term</p>")
    assert target.read_bytes() == b"<p>last term's report</p>"


def test_the_faults_are_injected_for_real(small_fs):
    """The control: on this tmpfs a plain write does run out of room."""
    _fill_up(small_fs)
    with (
        pytest.raises(OSError, match="No space left") as caught,
        open(small_fs / "more", "wb", buffering=0) as out,
    ):
        out.write(b"x" * 8192)
    assert caught.value.errno == errno.ENOSPC
