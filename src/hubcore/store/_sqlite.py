"""The SQLite event store: one file, WAL, safe for several processes appending at once.

* Every batch is one ``BEGIN IMMEDIATE`` transaction (the write lock is taken first, so the
  version check and the insert see the same log), with a 30 s busy timeout for other
  processes; ``synchronous=FULL`` keeps SQLite's default durability.
* One ``commits`` row per appended batch (:mod:`._commits`): the events' payloads, ids,
  kinds and chain hashes packed into a few blobs, so an append writes one row and two index
  entries whatever its length, and a replay splits a row's payloads in one call. Stream
  names are interned in ``streams``; ``UNIQUE(stream_id, last_version)`` finds a stream's
  version; ``event_ids`` holds each batch's ids as runs of consecutive ids (one run for
  ids the store made), so every id is unique and a retry is recognised by its ids.
* Triggers make UPDATE and DELETE on ``commits``, ``streams`` and ``event_ids`` fail, and
  a hash chain over the events (:mod:`._hashchain`) makes any edit made with the triggers
  dropped detectable by :meth:`SqliteStore.verify`, which names the first bad position.
* Reads page through ``WHERE last_position > ? ORDER BY last_position LIMIT n`` (``n``
  rows sized to about :data:`PAGE` events): each page is a short read transaction, so a
  slow reader never holds the file, and memory stays constant.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from hubcore.errors import (
    ConcurrencyError,
    DuplicateEventId,
    HubcoreError,
    IntegrityError,
    NotAStore,
    StoreClosed,
)
from hubcore.events import Event
from hubcore.store._batch import (
    check_expected,
    checked_projection,
    prepare,
    resolve_retry,
)
from hubcore.store._closing import ClosingContext
from hubcore.store._commits import (
    COMMIT_COLUMNS,
    commit_rows,
    event_checks,
    id_runs,
    kind_seed,
    records,
    row_hash,
    split_row,
    unpack_checks,
)
from hubcore.store._hashchain import GENESIS
from hubcore.store._protocol import (
    ANY,
    NO_STREAM,
    AppendResult,
    ExpectedVersion,
    Partition,
    Recorded,
    StoredProjection,
    check_partition,
)

__all__ = ["FORMAT", "FORMAT_VERSION", "SqliteStore"]

FORMAT = "hubcore-event-store"
FORMAT_VERSION = 3
BUSY_TIMEOUT_S = 30.0
PAGE = 4000
PAGE_SIZE = 8192  # commit rows are blobs of many events: fewer overflow pages
CACHE_KIB = 32 * 1024
_ID_CHUNK = 500

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


class SqliteStore(ClosingContext):
    """An :class:`~hubcore.store.EventStore` in one SQLite file (created if missing)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._stream_ids: dict[str, int] = {}  # committed rows only: they never change
        self._stream_names: dict[int, str] = {}
        if self.path.is_dir():
            raise NotAStore(self.path, "is a directory, not a hubcore store file")
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise NotAStore(self.path, f"cannot open as a hubcore store: {error}") from None
        try:
            self._open(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _open(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only takes effect on a new file
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("BEGIN IMMEDIATE")
            try:
                tables = {
                    row[0]
                    for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                if not tables:
                    for statement in _SCHEMA.split(";\n"):
                        if statement.strip():
                            conn.execute(statement)
                    meta = {"format": FORMAT, "format_version": str(FORMAT_VERSION)}
                elif "meta" in tables:
                    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
                else:
                    meta = {}
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise NotAStore(self.path, f"not a hubcore store ({error})") from None
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

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreClosed(f"the store {self.path} is closed")
        return self._conn

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise HubcoreError(f"{self.path}: {error}") from None

    def _stream_id(self, stream: str) -> int | None:
        """The id of ``stream`` (None if it has no events); committed ids are cached."""
        known = self._stream_ids.get(stream)
        if known is None:
            rows = self._query("SELECT id FROM streams WHERE name = ?", (stream,))
            if rows:
                known = self._stream_ids[stream] = rows[0][0]
        return known

    def _stream_name(self, stream_id: int) -> str | None:
        """The name of stream ``stream_id``; reloads the (small) streams table on a miss."""
        name = self._stream_names.get(stream_id)
        if name is None:
            self._stream_names.update(self._query("SELECT id, name FROM streams"))
            name = self._stream_names.get(stream_id)
        return name

    # -- writing -------------------------------------------------------------------------

    def append(
        self,
        stream: str,
        events: Sequence[Event],
        expected_version: int | ExpectedVersion = ANY,
        *,
        event_ids: Sequence[uuid.UUID] | None = None,
    ) -> AppendResult:
        """Append ``events`` to ``stream`` as one all-or-nothing batch (see the protocol)."""
        expected = check_expected(expected_version)
        batch = prepare(stream, events, event_ids)
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise HubcoreError(f"{self.path}: cannot start a write: {error}") from None
            try:
                if batch.given_ids is not None:
                    retry = resolve_retry(batch, self._find_ids(conn, batch.given_ids))
                    if retry is not None:
                        conn.execute("ROLLBACK")
                        return retry
                stream_id = self._stream_ids.get(stream)
                if stream_id is None:
                    row = conn.execute(
                        "SELECT id FROM streams WHERE name = ?", (stream,)
                    ).fetchone()
                    stream_id = None if row is None else row[0]
                fresh_last = None
                if batch.given_ids is None:
                    fresh_last = (batch.first_id + len(batch.events) - 1).to_bytes(16)
                actual, head, prev, below = conn.execute(
                    _STATE, (-1 if stream_id is None else stream_id, fresh_last)
                ).fetchone()
                actual = actual or 0
                if expected is NO_STREAM:
                    if actual:
                        raise ConcurrencyError(stream, expected, actual)
                elif expected is not ANY and expected != actual:
                    raise ConcurrencyError(stream, expected, actual)
                if stream_id is None:
                    stream_id = conn.execute(
                        "INSERT INTO streams (name) VALUES (?)", (stream,)
                    ).lastrowid
                    assert stream_id is not None
                if head is None:
                    head, prev = 0, GENESIS
                if below is not None and below >= batch.first_id.to_bytes(16):
                    raise DuplicateEventId(
                        f"{self.path}: stream {stream!r}: fresh event ids overlap stored ids "
                        "(a chance of about 1 in 2**60); nothing was appended, append again"
                    )
                rows = list(commit_rows(batch, stream_id, head + 1, actual + 1, prev))
                conn.executemany(_INSERT_IDS, [run for row in rows for run in id_runs(row)])
                conn.executemany(_INSERT_COMMIT, rows)
                conn.execute("COMMIT")
            except BaseException as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.IntegrityError):
                    raise DuplicateEventId(
                        f"{self.path}: stream {stream!r}: {error} (an event id is already stored)"
                    ) from None
                if isinstance(error, sqlite3.Error):
                    raise HubcoreError(f"{self.path}: append failed: {error}") from None
                raise
            self._stream_ids[stream] = stream_id
            self._stream_names[stream_id] = stream
            count = len(batch.events)
            return AppendResult(actual + count, head + count)

    @staticmethod
    def _find_ids(
        conn: sqlite3.Connection, event_ids: list[bytes]
    ) -> dict[bytes, tuple[str, int, int]]:
        """Where each already-stored id of ``event_ids`` is: ``id -> (stream, version,
        position)``, through the run holding it and the commit row holding that position."""
        found: dict[bytes, tuple[str, int, int]] = {}
        for event_id in event_ids:
            run = conn.execute(
                "SELECT first, last, position FROM event_ids WHERE first <= ? "
                "ORDER BY first DESC LIMIT 1",
                (event_id,),
            ).fetchone()
            if run is None or run[1] < event_id:
                continue
            first, _, run_position = run
            position = run_position + int.from_bytes(event_id) - int.from_bytes(first)
            where = conn.execute(
                "SELECT s.name, c.last_version - (c.last_position - ?) "
                "FROM commits AS c JOIN streams AS s ON s.id = c.stream_id "
                "WHERE c.last_position >= ? ORDER BY c.last_position LIMIT 1",
                (position, position),
            ).fetchone()
            if where is not None:
                found[event_id] = (where[0], where[1], position)
        return found

    # -- reading -------------------------------------------------------------------------

    def read_all(
        self, after: int = 0, limit: int | None = None, *, partition: Partition | None = None
    ) -> Iterator[Recorded]:
        """The events with position > ``after``, ascending, lazily, in pages.

        ``partition=(index, count)``: only streams whose interned id, modulo ``count``, is
        ``index`` (or in the ``range``); the other rows are skipped by SQLite itself,
        never fetched or decoded.
        """
        self._connection()
        if limit is not None and (type(limit) is not int or limit < 0):
            raise HubcoreError(f"read_all: limit must be None or an int >= 0, got {limit!r}")
        return self._read_all(after, limit, check_partition(partition))

    def _read_all(
        self, after: int, limit: int | None, buckets: tuple[int, int, int] | None
    ) -> Iterator[Recorded]:
        where = "last_position > ?"
        extra: tuple[int, ...] = ()
        if buckets is not None:
            first, stop, count = buckets
            where += " AND stream_id % ? BETWEEN ? AND ?"
            extra = (count, first, stop - 1)
        sql = f"SELECT {COMMIT_COLUMNS} FROM commits WHERE {where} ORDER BY last_position LIMIT ?"
        remaining = limit
        position = after
        size = _FIRST_PAGE_ROWS
        while remaining is None or remaining > 0:
            rows = self._query(sql, (position, *extra, size))
            if not rows:
                return
            page = records(rows, self._stream_names, self._stream_name, after_position=after)
            if remaining is None:
                yield from page
            else:
                for record in page:
                    yield record
                    remaining -= 1
                    if not remaining:
                        return
            if len(rows) < size:
                return
            position = rows[-1][0]
            size = _page_rows(rows)

    def read_stream(self, stream: str, from_version: int = 0) -> Iterator[Recorded]:
        """The events of ``stream`` with version > ``from_version``, lazily, in pages."""
        self._connection()
        return self._read_stream(stream, from_version)

    def _read_stream(self, stream: str, from_version: int) -> Iterator[Recorded]:
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return
        version = from_version
        names = {stream_id: stream}
        size = _FIRST_PAGE_ROWS
        while True:
            rows = self._query(
                f"SELECT {COMMIT_COLUMNS} FROM commits WHERE stream_id = ? AND last_version > ? "
                "ORDER BY last_version LIMIT ?",
                (stream_id, version, size),
            )
            yield from records(rows, names, names.get, after_version=from_version)
            if len(rows) < size:
                return
            version = rows[-1][3]
            size = _page_rows(rows)

    def streams(self, prefix: str | None = None) -> list[str]:
        """The names of all streams (starting with ``prefix``), sorted."""
        rows = self._query("SELECT name FROM streams ORDER BY name")
        names = [row[0] for row in rows]
        if prefix is not None:
            names = [name for name in names if name.startswith(prefix)]
        return names

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        return int(self._query("SELECT MAX(last_position) FROM commits")[0][0] or 0)

    def stream_version(self, stream: str) -> int:
        """The stream's current version (0 if it does not exist)."""
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return 0
        rows = self._query(
            "SELECT MAX(last_version) FROM commits WHERE stream_id = ?", (stream_id,)
        )
        return int(rows[0][0] or 0)

    def verify(self) -> int:
        """Walk the whole hash chain in pages; see the protocol.

        Checks every row's layout, positions and stream versions, each event's chain hash,
        and that the ``event_ids`` index holds exactly each row's ids. Stream names are read
        afresh from the file, never from this store's cache.
        """
        chain = _Chain(self._query)
        last = 0
        while True:
            rows = self._query(
                f"SELECT {COMMIT_COLUMNS}, checks, hash FROM commits WHERE last_position > ? "
                "ORDER BY last_position LIMIT ?",
                (last, _VERIFY_PAGE_ROWS),
            )
            for row in rows:
                chain.check(row)
            if len(rows) < _VERIFY_PAGE_ROWS:
                return chain.position
            last = rows[-1][0]

    # -- projections ---------------------------------------------------------------------

    def load_projection(self, name: str) -> StoredProjection | None:
        """The stored state of projection ``name``, or ``None``."""
        rows = self._query(
            "SELECT name, version, checkpoint, state FROM projections WHERE name = ?", (name,)
        )
        if not rows:
            return None
        name, version, checkpoint, state = rows[0]
        return StoredProjection(name, version, checkpoint, bytes(state))

    def save_projections(self, states: Sequence[StoredProjection]) -> None:
        """Store several projection states in one transaction: all or none."""
        checked = [checked_projection(s) for s in states]
        self._write(
            "INSERT OR REPLACE INTO projections (name, version, checkpoint, state) "
            "VALUES (?, ?, ?, ?)",
            [(s.name, s.version, s.checkpoint, s.state) for s in checked],
        )

    def delete_projection(self, name: str) -> None:
        """Forget the stored state of projection ``name`` (no error if absent)."""
        self._write("DELETE FROM projections WHERE name = ?", [(name,)])

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.executemany(sql, rows)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise HubcoreError(f"{self.path}: write failed: {error}") from None

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; later use raises :class:`~hubcore.StoreClosed`."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"


_FIRST_PAGE_ROWS = 4
_VERIFY_PAGE_ROWS = 64


def _page_rows(rows: list[Any]) -> int:
    """How many commit rows the next page should fetch to hold about :data:`PAGE` events."""
    events = sum(row[1] for row in rows)
    return int(max(1, min(4096, PAGE * len(rows) // max(events, 1))))


class _Chain:
    """The running state of :meth:`SqliteStore.verify`, checking one commit row at a time."""

    def __init__(self, query: Callable[[str, Sequence[Any]], list[Any]]) -> None:
        self._query = query
        self.position = 0
        self._prev = GENESIS
        self._versions: dict[int, int] = {}
        self._names: dict[int, str] = {}

    def check(self, row: tuple[Any, ...]) -> None:
        """Check one row (:data:`COMMIT_COLUMNS`, ``checks``, ``hash``) after the ones
        before it: its place, its layout, each event's check value (an edited event is
        named exactly), the chain hash (anything else edited names the row's first
        position), and its ids in the ``event_ids`` index."""
        last_position, count, stream_id, last_version, at, ids, kinds, kind_index, blob = row[:9]
        checks, digest = row[9:]
        first = self._place(last_position, count)
        stream = self._stream(stream_id, first)
        want = self._versions.get(stream_id, 0) + 1
        first_version = last_version - count + 1 if type(last_version) is int else last_version
        if first_version != want:
            raise IntegrityError(
                first,
                f"stream {stream!r} has version {first_version} where {want} was expected",
            )
        try:
            payloads, _ = split_row(row)
            if type(checks) is not bytes or type(digest) is not bytes:
                raise TypeError("the row's checks or hash are not a blob")
            if len(checks) != 4 * count:
                raise ValueError(f"{len(checks)} bytes of checks for {count} events")
            seeds = [kind_seed(kind) for kind in kinds.split(" ")]
            computed = event_checks(payloads, seeds, kind_index, ids, first)
        except (TypeError, ValueError, AttributeError, IndexError) as error:
            raise IntegrityError(first, f"malformed row: {error}") from None
        stored = unpack_checks(checks)
        for k, value in enumerate(computed):
            if value != stored[k]:
                raise IntegrityError(first + k, "the event was edited or moved")
        expected = row_hash(
            self._prev,
            last_position=last_position,
            count=count,
            stream=stream,
            last_version=last_version,
            recorded_at=at,
            ids=ids,
            kinds=kinds,
            kind_index=kind_index,
            checks=checks,
            payloads=blob,
        )
        if expected != digest:
            raise IntegrityError(first, "the hash chain does not match: edited or reordered")
        for run_first, run_last, run_position in id_runs(row):
            found = self._query(
                "SELECT last, position FROM event_ids WHERE first = ?", (run_first,)
            )
            if not found or tuple(found[0]) != (run_last, run_position):
                raise IntegrityError(run_position, "the event id index does not match the log")
        self._prev = digest
        self._versions[stream_id] = last_version
        self.position = last_position

    def _place(self, last_position: object, count: object) -> int:
        """The row's first position, which must follow the last row checked."""
        expected = self.position + 1
        if type(count) is not int or count < 1 or type(last_position) is not int:
            raise IntegrityError(expected, f"malformed row: event count {count!r}")
        first = last_position - count + 1
        if first > expected:
            raise IntegrityError(
                expected, f"position {expected} is missing (the next row starts at {first})"
            )
        if first < expected:
            raise IntegrityError(
                expected, f"the row ending at {last_position} claims {count} events"
            )
        return first

    def _stream(self, stream_id: int, first: int) -> str:
        """The name of ``stream_id``, read from the file."""
        stream = self._names.get(stream_id)
        if stream is None:
            self._names.update(self._query("SELECT id, name FROM streams", ()))
            stream = self._names.get(stream_id)
            if stream is None:
                raise IntegrityError(first, f"stream id {stream_id!r} has no name")
        return stream
