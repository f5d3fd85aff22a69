"""An SQLite store that cannot be opened or written says why: locked (see
tests/cli/test_locked_store.py), read-only file system, missing permission, missing file,
not a store. The read-only and permission cases use a real tmpfs mount and a real other
user when run as root (as CI does)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hubcore.errors import (
    NotAStore,
    StoreNotFound,
    StoreReadOnly,
)
from hubcore.projections import Projector
from hubcore.store import SqliteStore, StoredProjection, open_store
from hubcore.testing.conformance import school_events

_NOBODY = 65534


def _fill(path: Path) -> None:
    with SqliteStore(path) as store:
        store.append("school-100001", school_events(100001, 5, "ro"))
        store.append("school-100002", school_events(100002, 4, "ro"))


def test_a_missing_file_is_store_not_found_when_not_to_be_created(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFound, match=r"absent\.sqlite: no hubcore store file"):
        SqliteStore(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_file_that_is_not_a_database_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"minutes of the hub board meeting\n" * 200)
    with pytest.raises(NotAStore, match=r"notes\.sqlite: not a hubcore store"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes().startswith(b"minutes")


@pytest.fixture
def read_only_fs() -> Iterator[Path]:
    """A small tmpfs holding a filled store, remounted read-only (needs root)."""
    folder = Path(tempfile.mkdtemp(prefix="hubcore-ro-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        _fill(folder / "hub.sqlite")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder / "hub.sqlite"
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def test_a_store_on_a_read_only_file_system_reads_and_refuses_writes(read_only_fs: Path) -> None:
    before = read_only_fs.read_bytes()
    with open_store(f"sqlite:///{read_only_fs}") as store:
        assert store.head() == 9
        assert store.verify() == 9
        assert [r.version for r in store.read_stream("school-100002")] == [1, 2, 3, 4]
        with pytest.raises(StoreReadOnly, match=r"hub\.sqlite: cannot append: .*read-only file"):
            store.append("school-100003", school_events(100003, 2, "x"))
        with pytest.raises(StoreReadOnly, match="cannot save read models"):
            store.save_projections([StoredProjection("p", 1, 1, b"s")])
        projector = Projector(store)
        assert projector.catch_up() == 9  # the read models are built, in memory
        assert projector.lag() == 0
        assert projector.not_saved is not None
        assert "read-only" in projector.not_saved
        assert projector.catch_up() == 0  # nothing is folded twice
    assert read_only_fs.read_bytes() == before


def test_a_new_store_cannot_be_made_on_a_read_only_file_system(read_only_fs: Path) -> None:
    with pytest.raises(StoreReadOnly, match=r"new\.sqlite: cannot open the store: .*read-only"):
        SqliteStore(read_only_fs.with_name("new.sqlite"))


def _as_other_user(attempt: Callable[[], object]) -> str:
    """The error ``attempt`` raises, as ``Class: message``, run as user nobody when we are
    root (root passes every permission check), else as ourselves."""
    if os.geteuid() != 0:
        try:
            attempt()
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        return "no error"
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.close(read)
        try:
            os.setgid(_NOBODY)
            os.setuid(_NOBODY)
            attempt()
            outcome = "no error"
        except BaseException as error:
            outcome = f"{type(error).__name__}: {error}"
        os.write(write, outcome.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(child, 0)
    return outcome


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder everyone may enter (a test's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="hubcore-perm-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    for child in folder.iterdir():
        child.chmod(0o644)
        child.unlink()
    folder.rmdir()


def test_an_unreadable_store_file_is_permission_denied(shared_folder: Path) -> None:
    path = shared_folder / "hub.sqlite"
    _fill(path)
    path.chmod(0o000)
    outcome = _as_other_user(lambda: SqliteStore(path).close())
    assert outcome.startswith("StorePermissionDenied: "), outcome
    assert "may not read the store file" in outcome
    assert str(path) in outcome


def test_a_folder_without_write_permission_is_permission_denied(shared_folder: Path) -> None:
    path = shared_folder / "hub.sqlite"
    _fill(path)
    path.chmod(0o666)
    shared_folder.chmod(0o555)  # no -wal and -shm files can be made beside it
    outcome = _as_other_user(lambda: SqliteStore(path).close())
    assert outcome.startswith("StorePermissionDenied: "), outcome
    assert f"may not create files in {shared_folder}" in outcome
