"""Why an SQLite store could not be opened, read or written, as one named error.

SQLite reports a locked file, a read-only medium, a refused permission and a file that is
not a database with a handful of codes (``SQLITE_BUSY``, ``SQLITE_READONLY``,
``SQLITE_CANTOPEN``, ``SQLITE_NOTADB``...) that say little about the cause; the file
system says the rest (``statvfs``, ``access``). :func:`store_fault` asks both and returns
the :class:`~hubcore.HubcoreError` a user can act on.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from hubcore.errors import (
    HubcoreError,
    NotAStore,
    StoreFull,
    StoreLocked,
    StorePermissionDenied,
    StoreReadOnly,
    StoreUnavailable,
)

__all__ = ["on_read_only_fs", "store_fault", "unreadable"]

_BUSY = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_NOT_A_DB = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})
_FULL = frozenset({"SQLITE_FULL"})
_PERM = frozenset({"SQLITE_PERM", "SQLITE_AUTH"})


def _code(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", "") or ""
    # extended codes such as SQLITE_READONLY_DBMOVED, SQLITE_CANTOPEN_ISDIR
    for base in ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_IOERR"):
        if name.startswith(base):
            return base
    return name


def _no_space(folder: Path) -> bool:
    """Whether the file system holding ``folder`` has no block left for this user."""
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def on_read_only_fs(path: Path) -> bool:
    """Whether the folder holding ``path`` is on a read-only file system."""
    try:
        return bool(os.statvfs(path.absolute().parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def unreadable(path: Path) -> StorePermissionDenied | None:
    """The error for a store file this user may not read, or None."""
    if path.exists() and not os.access(path, os.R_OK):
        return StorePermissionDenied(
            f"{path}: permission denied: this user may not read the store file"
        )
    return None


def store_fault(path: Path, error: sqlite3.Error, doing: str, waited: float) -> HubcoreError:
    """The named error for ``error``, raised while ``doing`` (e.g. ``"open"``, ``"append"``)
    on the store at ``path``; ``waited`` is how long a busy file was waited for, in s."""
    code = _code(error)
    folder = path.absolute().parent
    if code in _BUSY:
        return StoreLocked(
            f"{path}: cannot {doing}: another process has held the store's write lock for "
            f"{waited:g} s (a long import or append?); nothing was written, try again when "
            "it has finished (reading commands are not blocked)"
        )
    if code in ("SQLITE_READONLY", "SQLITE_CANTOPEN") or code in _PERM:
        if on_read_only_fs(path):
            return StoreReadOnly(
                f"{path}: cannot {doing}: the store is on a read-only file system; "
                "it can be read but not written"
            )
        denied = unreadable(path)
        if denied is not None:
            return denied
        if path.exists() and not os.access(path, os.W_OK):
            return StorePermissionDenied(
                f"{path}: cannot {doing}: permission denied: this user may read the store "
                "file but not write it"
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            return StorePermissionDenied(
                f"{path}: cannot {doing}: permission denied: this user may not create files "
                f"in {folder} (SQLite keeps its -wal and -shm files beside the store)"
            )
    if code in _NOT_A_DB:
        return NotAStore(path, f"not a hubcore store (not an SQLite database: {error})")
    if code in _FULL or (code == "SQLITE_IOERR" and _no_space(folder)):
        return StoreFull(
            f"{path}: cannot {doing}: the disk holding the store is full; nothing was "
            "written and the store is as it was (free some space and try again)"
        )
    return StoreUnavailable(f"{path}: cannot {doing}: {error} ({code or 'SQLite error'})")
