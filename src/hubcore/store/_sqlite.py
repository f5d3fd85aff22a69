"""The SQLite backend: one file, WAL, safe for several processes appending at once.

* Every batch is one ``BEGIN IMMEDIATE`` transaction (the write lock is taken first, so the
  version check and the insert see the same log), with a 30 s busy timeout for other
  processes; ``synchronous=FULL`` keeps SQLite's default durability.
* One ``commits`` row per appended batch (the core's rows, :mod:`._commits`): the events'
  payloads, ids, kinds and chain hashes packed into a few blobs, so an append writes one
  row and two index entries whatever its length, and a replay splits a row's payloads in
  one call. Stream
  names are interned in ``streams``; ``UNIQUE(stream_id, last_version)`` finds a stream's
  version; ``event_ids`` holds each batch's ids as runs of consecutive ids (one run for
  ids the store made), so every id is unique and a retry is recognised by its ids.
* Triggers make UPDATE and DELETE on ``commits``, ``streams`` and ``event_ids`` fail, and
  the rows' hash chain makes any edit made with the triggers dropped detectable by
  ``verify()``, which names the first bad position.
* Reads page through ``WHERE last_position > ? ORDER BY last_position LIMIT n``: each page
  is a short read transaction, so a slow reader never holds the file. Opening a store only
  reads too, so no reader waits for a writer; a failure says why (:mod:`._sqlite_faults`).
"""

from __future__ import annotations

import fcntl
import sqlite3
import threading
import zlib
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hubcore.errors import (
    DuplicateEventId,
    NotAStore,
    StoreClosed,
    StoreNotFound,
    StoreReadOnly,
    UnsupportedStoreURL,
)
from hubcore.events import Event
from hubcore.store._backend import Buckets, Place, Row, Tip
from hubcore.store._commits import GENESIS, id_runs
from hubcore.store._core import Store
from hubcore.store._sqlite_faults import store_fault, unreadable
from hubcore.store._url import StoreScheme

__all__ = ["FORMAT", "FORMAT_VERSION", "SCHEME", "SqliteBackend", "SqliteStore"]

FORMAT = "hubcore-event-store"
FORMAT_VERSION = 3
BUSY_TIMEOUT_S = 30.0
PROJECTION_WAIT_S = 2.0
PAGE_SIZE = 8192  # commit rows are blobs of many events: fewer overflow pages
CACHE_KIB = 32 * 1024

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('format', '{FORMAT}'), ('format_version', '{FORMAT_VERSION}');
CREATE TABLE streams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE commits (
    last_position INTEGER PRIMARY KEY,
    count INTEGER NOT NULL,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    last_version INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL, -- microseconds since 1970-01-01T00:00:00Z
    event_ids BLOB NOT NULL,
    kinds TEXT NOT NULL,
    kind_index BLOB NOT NULL,
    payloads BLOB NOT NULL,
    checks BLOB NOT NULL,
    hash BLOB NOT NULL,
    UNIQUE (stream_id, last_version)
);
CREATE TABLE event_ids (
    first BLOB PRIMARY KEY,
    last BLOB NOT NULL,
    position INTEGER NOT NULL -- of the run's first event
) WITHOUT ROWID;
CREATE TRIGGER commits_no_update BEFORE UPDATE ON commits
BEGIN SELECT RAISE(ABORT, 'hubcore: the event log is append-only (UPDATE refused)'); END;
CREATE TRIGGER commits_no_delete BEFORE DELETE ON commits
BEGIN SELECT RAISE(ABORT, 'hubcore: the event log is append-only (DELETE refused)'); END;
CREATE TRIGGER streams_no_update BEFORE UPDATE ON streams
BEGIN SELECT RAISE(ABORT, 'hubcore: stream names are append-only (UPDATE refused)'); END;
CREATE TRIGGER streams_no_delete BEFORE DELETE ON streams
BEGIN SELECT RAISE(ABORT, 'hubcore: stream names are append-only (DELETE refused)'); END;
CREATE TRIGGER event_ids_no_update BEFORE UPDATE ON event_ids
BEGIN SELECT RAISE(ABORT, 'hubcore: event ids are append-only (UPDATE refused)'); END;
CREATE TRIGGER event_ids_no_delete BEFORE DELETE ON event_ids
BEGIN SELECT RAISE(ABORT, 'hubcore: event ids are append-only (DELETE refused)'); END;
CREATE TABLE projections (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    checkpoint INTEGER NOT NULL,
    state BLOB NOT NULL
);
"""

_TABLES = frozenset({"meta", "streams", "commits", "event_ids", "projections"})
_INSERT_COMMIT = "INSERT INTO commits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_IDS = "INSERT INTO event_ids (first, last, position) VALUES (?, ?, ?)"
_STATE = """SELECT
    (SELECT MAX(last_version) FROM commits WHERE stream_id = ?1),
    (SELECT last_position FROM commits ORDER BY last_position DESC LIMIT 1),
    (SELECT hash FROM commits ORDER BY last_position DESC LIMIT 1),
    (SELECT last FROM event_ids WHERE first <= ?2 ORDER BY first DESC LIMIT 1)
"""
"""In one statement, under the write lock: the stream's version, the head and its hash,
and the stored id run just below a batch's fresh ids (they must not overlap it)."""


_READ_COLUMNS = (
    "last_position, count, stream_id, last_version, recorded_at, event_ids, kinds, "
    "kind_index, payloads"
)
_FULL_COLUMNS = _READ_COLUMNS + ", checks, hash"
_FIND_RUN = (
    "SELECT first, last, position FROM event_ids WHERE first <= ? ORDER BY first DESC LIMIT 1"
)
_PLACE = (
    "SELECT s.name, c.last_version - (c.last_position - ?) "
    "FROM commits AS c JOIN streams AS s ON s.id = c.stream_id "
    "WHERE c.last_position >= ? ORDER BY c.last_position LIMIT 1"
)


class SqliteBackend:
    """The core's rows in one SQLite file (created with its schema if missing, unless
    ``create`` is False: then a missing file is :class:`~hubcore.StoreNotFound`).

    Opening only reads (a write lock is taken only to create the schema of a new file), so
    a store is opened and read while another process holds a long write transaction. A
    store on a read-only file system is opened read-only (:attr:`read_only`): it reads as
    usual and every write is :class:`~hubcore.StoreReadOnly`.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.label = str(self.path)
        self.read_only = False
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._stream_ids: dict[str, int] = {}  # committed rows only: they never change
        if self.path.is_dir():
            raise NotAStore(self.path, "is a directory, not a hubcore store file")
        if not create and not self.path.exists():
            raise StoreNotFound(f"{self.path}: no hubcore store file there")
        denied = unreadable(self.path)
        if denied is not None:
            raise denied
        conn = self._connect(str(self.path), uri=False)
        try:
            self._open(conn)
        except StoreReadOnly:
            conn.close()
            if not self.path.exists():
                raise
            # nobody can write a read-only medium: read without locks or -wal/-shm files
            conn = self._connect(f"file:{quote(str(self.path.absolute()))}?immutable=1", uri=True)
            self.read_only = True
            try:
                self._open(conn)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _connect(self, target: str, *, uri: bool) -> sqlite3.Connection:
        try:
            return sqlite3.connect(
                target,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
                uri=uri,
            )
        except sqlite3.Error as error:
            raise store_fault(self.path, error, "open the store", BUSY_TIMEOUT_S) from None

    def _open(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
            conn.execute("PRAGMA temp_store = MEMORY")
            tables, meta = _read_meta(conn)  # a read: never waits for a writer
            if not self.read_only:
                conn.execute("PRAGMA synchronous = FULL")
                if not tables:
                    tables, meta = self._create(conn)
                elif conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            raise store_fault(self.path, error, "open the store", BUSY_TIMEOUT_S) from None
        if meta.get("format") != FORMAT:
            raise NotAStore(
                self.path,
                "not a hubcore store (an SQLite database without hubcore's 'meta' table)",
            )
        if meta.get("format_version") != str(FORMAT_VERSION):
            raise NotAStore(
                self.path,
                f"hubcore store format version {meta.get('format_version')!r} is not "
                f"supported by this hubcore (it reads version {FORMAT_VERSION})",
            )
        missing = sorted(_TABLES - tables) if tables else []
        if missing:
            raise NotAStore(
                self.path,
                f"a damaged hubcore store: format {FORMAT_VERSION} but no {', '.join(missing)} "
                "table",
            )

    def _create(self, conn: sqlite3.Connection) -> tuple[set[str], dict[str, str]]:
        """The schema of a new file, under the write lock (another process may have just
        made it: then it is read, not made again)."""
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only takes effect on a new file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables, meta = _read_meta(conn)
            if not tables:
                for statement in _SCHEMA.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                tables, meta = _read_meta(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return tables, meta

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreClosed(f"the store {self.path} is closed")
        return self._conn

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise store_fault(self.path, error, "read", BUSY_TIMEOUT_S) from None

    def _stream_id(self, stream: str) -> int | None:
        """The id of ``stream`` (None if it has no events); committed ids are cached."""
        known = self._stream_ids.get(stream)
        if known is None:
            rows = self._query("SELECT id FROM streams WHERE name = ?", (stream,))
            if rows:
                known = self._stream_ids[stream] = rows[0][0]
        return known

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[_Writer]:
        """One ``BEGIN IMMEDIATE`` transaction: the file's write lock is taken first."""
        with self._lock:
            conn = self._connection()
            self._check_writable("append")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise store_fault(self.path, error, "append", BUSY_TIMEOUT_S) from None
            writer = _Writer(self, conn)
            try:
                yield writer
                conn.execute("COMMIT")
            except BaseException as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.IntegrityError):
                    raise DuplicateEventId(
                        f"{self.path}: {error} (an event id is already stored)"
                    ) from None
                if isinstance(error, sqlite3.Error):
                    raise store_fault(self.path, error, "append", BUSY_TIMEOUT_S) from None
                raise
            self._stream_ids.update(writer.new_streams)

    # -- reading -------------------------------------------------------------------------

    def read_rows(
        self, after: int, limit: int, buckets: Buckets | None, *, full: bool = False
    ) -> list[Row]:
        """See :meth:`~hubcore.store.Backend.read_rows`: streams are bucketed by their
        interned id modulo the bucket count, so SQLite skips other rows itself."""
        columns = _FULL_COLUMNS if full else _READ_COLUMNS
        if buckets is None:
            return self._query(
                f"SELECT {columns} FROM commits WHERE last_position > ? "
                "ORDER BY last_position LIMIT ?",
                (after, limit),
            )
        first, stop, count = buckets
        return self._query(
            f"SELECT {columns} FROM commits WHERE last_position > ? "
            "AND stream_id % ? BETWEEN ? AND ? ORDER BY last_position LIMIT ?",
            (after, count, first, stop - 1, limit),
        )

    def read_stream_rows(self, stream: str, after_version: int, limit: int) -> list[Row]:
        """See :meth:`~hubcore.store.Backend.read_stream_rows`."""
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return []
        return self._query(
            f"SELECT {_READ_COLUMNS} FROM commits WHERE stream_id = ? AND last_version > ? "
            "ORDER BY last_version LIMIT ?",
            (stream_id, after_version, limit),
        )

    def stream_names(self, keys: Collection[Any]) -> dict[Any, str]:
        """Reads the (small) whole ``streams`` table."""
        return dict(self._query("SELECT id, name FROM streams"))

    def streams(self) -> list[str]:
        return [row[0] for row in self._query("SELECT name FROM streams")]

    def head(self) -> int:
        return int(self._query("SELECT MAX(last_position) FROM commits")[0][0] or 0)

    def stream_version(self, stream: str) -> int:
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return 0
        rows = self._query(
            "SELECT MAX(last_version) FROM commits WHERE stream_id = ?", (stream_id,)
        )
        return int(rows[0][0] or 0)

    def stored_run(self, first: bytes) -> tuple[bytes, int] | None:
        found = self._query("SELECT last, position FROM event_ids WHERE first = ?", (first,))
        return (found[0][0], found[0][1]) if found else None

    # -- projections ---------------------------------------------------------------------

    def load_projection(self, name: str) -> tuple[int, int, bytes] | None:
        rows = self._query(
            "SELECT version, checkpoint, state FROM projections WHERE name = ?", (name,)
        )
        return (rows[0][0], rows[0][1], bytes(rows[0][2])) if rows else None

    def save_projections(self, rows: Sequence[tuple[str, int, int, bytes]]) -> None:
        self._write(
            "INSERT OR REPLACE INTO projections (name, version, checkpoint, state) "
            "VALUES (?, ?, ?, ?)",
            rows,
        )

    def delete_projection(self, name: str) -> None:
        self._write("DELETE FROM projections WHERE name = ?", [(name,)])

    def _write(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Projection states: a cache of the log, so a writer holding the lock is waited
        for only :data:`PROJECTION_WAIT_S` (then :class:`~hubcore.StoreLocked`)."""
        with self._lock:
            conn = self._connection()
            self._check_writable("save read models")
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(PROJECTION_WAIT_S * 1000)}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                try:
                    conn.executemany(sql, rows)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise store_fault(self.path, error, "save read models", PROJECTION_WAIT_S) from None

    def _check_writable(self, doing: str) -> None:
        if self.read_only:
            raise StoreReadOnly(
                f"{self.path}: cannot {doing}: the store is on a read-only file system; "
                "it can be read but not written"
            )

    def claim(self, name: str) -> _Claim | None:
        """An exclusive ``flock`` on a file beside the store's (``<file>.claims/<name>``):
        the kernel frees it when the process dies."""
        return _Claim.take(self.path, name)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _read_meta(conn: sqlite3.Connection) -> tuple[set[str], dict[str, str]]:
    """The file's table names and its ``meta`` rows (empty when there is no such table)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        return tables, {}
    return tables, dict(conn.execute("SELECT key, value FROM meta").fetchall())


class _Writer:
    """Inside one ``BEGIN IMMEDIATE`` transaction of :meth:`SqliteBackend.writing`."""

    def __init__(self, backend: SqliteBackend, conn: sqlite3.Connection) -> None:
        self._backend = backend
        self._conn = conn
        self._stream_id: int | None = None
        self.new_streams: dict[str, int] = {}  # cached once committed

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        """The stream's version, the head, its hash and the id run below ``fresh`` in one
        statement; given ids through their runs."""
        conn = self._conn
        found = self._find(given) if given is not None else {}
        stream_id = self._backend._stream_ids.get(stream)
        if stream_id is None:
            row = conn.execute("SELECT id FROM streams WHERE name = ?", (stream,)).fetchone()
            stream_id = None if row is None else row[0]
        self._stream_id = stream_id
        version, head, prev, below = conn.execute(
            _STATE, (-1 if stream_id is None else stream_id, None if fresh is None else fresh[1])
        ).fetchone()
        overlap = fresh is not None and below is not None and below >= fresh[0]
        return Tip(version or 0, head or 0, GENESIS if head is None else prev, found, overlap)

    def _find(self, event_ids: Sequence[bytes]) -> dict[bytes, Place]:
        """Where each already-stored id is, through the run holding it and its row."""
        found: dict[bytes, Place] = {}
        conn = self._conn
        for event_id in event_ids:
            run = conn.execute(_FIND_RUN, (event_id,)).fetchone()
            if run is None or run[1] < event_id:
                continue
            first, _, run_position = run
            position = run_position + int.from_bytes(event_id) - int.from_bytes(first)
            where = conn.execute(_PLACE, (position, position)).fetchone()
            if where is not None:
                found[event_id] = (where[0], where[1], position)
        return found

    def insert(self, stream: str, rows: Sequence[Row], events: Sequence[Event]) -> None:
        """The rows (the stream by its interned id) and their id runs."""
        conn = self._conn
        stream_id = self._stream_id
        if stream_id is None:
            stream_id = conn.execute("INSERT INTO streams (name) VALUES (?)", (stream,)).lastrowid
            assert stream_id is not None
        self.new_streams[stream] = stream_id
        conn.executemany(_INSERT_IDS, [run for row in rows for run in id_runs(row)])
        conn.executemany(_INSERT_COMMIT, [(*row[:2], stream_id, *row[3:]) for row in rows])


class _Claim:
    def __init__(self, handle: Any, name: str) -> None:
        self._handle = handle
        self.name = name

    @classmethod
    def take(cls, path: Path, name: str) -> _Claim | None:
        folder = path.with_name(path.name + ".claims")
        folder.mkdir(exist_ok=True)
        handle = open(folder / f"{zlib.crc32(name.encode()):08x}", "a")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return cls(handle, name)

    def held(self) -> bool:
        return not self._handle.closed

    def release(self) -> None:
        self._handle.close()  # closing the file frees the lock


class SqliteStore(Store):
    """An :class:`~hubcore.store.EventStore` in one SQLite file (created if missing, unless
    ``create`` is False)."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        backend = SqliteBackend(path, create=create)
        super().__init__(backend)
        self.path = backend.path


def _open(url: str) -> SqliteStore:
    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
    if not path or path.endswith("/"):
        raise UnsupportedStoreURL(
            f"{url!r}: an SQLite URL is 'sqlite:///relative/path' or 'sqlite:////absolute/path'"
        )
    refused = _losing(path)
    if refused is not None:
        raise UnsupportedStoreURL(f"{url!r}: refused: {refused}")
    return SqliteStore(path)


def _losing(path: str) -> str | None:
    """Why the path part of an SQLite URL could lose what is recorded, or None.

    SQLite would take ``:memory:`` and (as a URI) ``file:...?mode=memory`` as a database
    that vanishes when it is closed, and a query parameter hubcore does not know would be
    ignored, or would silently make a file other than the one meant.
    """
    if path == ":memory:" or path.startswith("file:"):
        return (
            f"{path!r} is an SQLite in-memory or URI database name: an in-memory database "
            "is lost when it is closed (use 'memory://' for a throwaway store on purpose)"
        )
    base, mark, query = path.partition("?")
    if mark or "#" in path:
        pairs = [item.partition("=") for item in query.split("&") if item]
        memory = any(key == "mode" and value == "memory" for key, _, value in pairs)
        names = ", ".join(repr(key) for key, _, _ in pairs) or "none"
        if memory:
            return (
                "mode=memory would keep the store in memory: everything recorded would be "
                "lost when it is closed (use 'memory://' for a throwaway store on purpose)"
            )
        return (
            f"an SQLite store URL takes no query parameters or fragment (got {names}); "
            f"an unknown parameter would be ignored or kept in the file name {base!r}..., "
            "so the store would not be where it was meant to be"
        )
    return None


@contextmanager
def _fresh_url(directory: Path) -> Iterator[str]:
    yield f"sqlite:///{directory / 'hub-store.sqlite'}"


SCHEME = StoreScheme(open=_open, fresh_url=_fresh_url)
"""The ``sqlite`` entry point: ``sqlite:///relative.sqlite``, ``sqlite:////abs.sqlite``."""
