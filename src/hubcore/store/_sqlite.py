"""The SQLite event store: one file, WAL, safe for several processes appending at once.

* Every batch is one ``BEGIN IMMEDIATE`` transaction (the write lock is taken first, so the
  version check and the insert see the same log), with a 30 s busy timeout for other
  processes; ``synchronous=FULL`` keeps SQLite's default durability.
* Stream names are interned in a ``streams`` table, so ``UNIQUE(stream_id, version)`` is an
  index on two integers; ``UNIQUE(event_id)`` holds time-ordered ids (UUIDv7 layout), so
  that index grows at its right edge. Triggers make UPDATE and DELETE on ``events`` and
  ``streams`` fail, and a hash chain (:mod:`._hashchain`) makes any edit made with the
  triggers dropped detectable by :meth:`SqliteStore.verify`.
* An append encodes, hashes and inserts each event in one pass fed to a single
  ``executemany``: no batch-sized lists of payloads (orjson's results are over-allocated).
* Reads page through ``WHERE position > ? ORDER BY position LIMIT n``: each page is a short
  read transaction, so a slow reader never holds the file, and memory stays constant.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

from hubcore._slots import slot_setter
from hubcore.codec import decode_trusted, encode
from hubcore.errors import (
    ConcurrencyError,
    CorruptRecord,
    DuplicateEventId,
    HubcoreError,
    IntegrityError,
    NotAStore,
    StoreClosed,
)
from hubcore.events import Event
from hubcore.store._batch import (
    EPOCH,
    TYPE_INFO,
    Batch,
    check_expected,
    checked_projection,
    encode_failed,
    now_micros,
    prepare,
    resolve_retry,
)
from hubcore.store._closing import ClosingContext
from hubcore.store._hashchain import GENESIS, HEAD, link, subject
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
FORMAT_VERSION = 2
BUSY_TIMEOUT_S = 30.0
PAGE = 4000
PAGE_SIZE = 4096
CACHE_KIB = 32 * 1024
_ID_CHUNK = 500

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('format', '{FORMAT}'), ('format_version', '{FORMAT_VERSION}');
CREATE TABLE streams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE events (
    position INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    version INTEGER NOT NULL,
    event_id BLOB NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL, -- microseconds since 1970-01-01T00:00:00Z
    payload BLOB NOT NULL,
    hash BLOB NOT NULL,
    UNIQUE (stream_id, version)
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'hubcore: the event log is append-only (UPDATE refused)'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'hubcore: the event log is append-only (DELETE refused)'); END;
CREATE TRIGGER streams_no_update BEFORE UPDATE ON streams
BEGIN SELECT RAISE(ABORT, 'hubcore: stream names are append-only (UPDATE refused)'); END;
CREATE TRIGGER streams_no_delete BEFORE DELETE ON streams
BEGIN SELECT RAISE(ABORT, 'hubcore: stream names are append-only (DELETE refused)'); END;
CREATE TABLE projections (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    checkpoint INTEGER NOT NULL,
    state BLOB NOT NULL
);
"""

_COLUMNS = (
    "position, stream_id, version, event_id, event_type, schema_version, recorded_at, payload"
)
_INSERT = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


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
                elif "meta" in tables and "events" in tables:
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
                if batch.ids_given:
                    found = self._find_ids(conn, batch.event_ids)
                    retry = resolve_retry(batch, found)
                    if retry is not None:
                        conn.execute("ROLLBACK")
                        return retry
                stream_id = self._stream_ids.get(stream)
                if stream_id is None:
                    row = conn.execute(
                        "SELECT id FROM streams WHERE name = ?", (stream,)
                    ).fetchone()
                    stream_id = None if row is None else row[0]
                actual = 0
                if stream_id is not None:
                    actual = (
                        conn.execute(
                            "SELECT MAX(version) FROM events WHERE stream_id = ?", (stream_id,)
                        ).fetchone()[0]
                        or 0
                    )
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
                last = conn.execute(
                    "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"
                ).fetchone()
                head, prev = (0, GENESIS) if last is None else last
                conn.executemany(_INSERT, _rows(batch, stream_id, head + 1, actual + 1, prev))
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
            count = len(batch.event_ids)
            return AppendResult(actual + count, head + count)

    @staticmethod
    def _find_ids(
        conn: sqlite3.Connection, event_ids: list[bytes]
    ) -> dict[bytes, tuple[str, int, int]]:
        found: dict[bytes, tuple[str, int, int]] = {}
        for start in range(0, len(event_ids), _ID_CHUNK):
            chunk = event_ids[start : start + _ID_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for event_id, stream, version, position in conn.execute(
                "SELECT e.event_id, s.name, e.version, e.position "
                "FROM events AS e JOIN streams AS s ON s.id = e.stream_id "
                f"WHERE e.event_id IN ({marks})",
                chunk,
            ):
                found[event_id] = (stream, version, position)
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
        return self._read_all(after, limit, check_partition(partition))

    def _read_all(
        self, after: int, limit: int | None, buckets: tuple[int, int, int] | None
    ) -> Iterator[Recorded]:
        remaining = limit
        position = after
        where = "position > ?"
        extra: tuple[int, ...] = ()
        if buckets is not None:
            first, stop, count = buckets
            where += " AND stream_id % ? BETWEEN ? AND ?"
            extra = (count, first, stop - 1)
        sql = f"SELECT {_COLUMNS} FROM events WHERE {where} ORDER BY position LIMIT ?"
        while remaining is None or remaining > 0:
            size = PAGE if remaining is None else min(PAGE, remaining)
            rows = self._query(sql, (position, *extra, size))
            yield from _records(rows, self._stream_names, self._stream_name)
            if len(rows) < size:
                return
            position = rows[-1][0]
            if remaining is not None:
                remaining -= len(rows)

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
        while True:
            rows = self._query(
                f"SELECT {_COLUMNS} FROM events WHERE stream_id = ? AND version > ? "
                "ORDER BY version LIMIT ?",
                (stream_id, version, PAGE),
            )
            yield from _records(rows, names, names.get)
            if len(rows) < PAGE:
                return
            version = rows[-1][2]

    def streams(self, prefix: str | None = None) -> list[str]:
        """The names of all streams (starting with ``prefix``), sorted."""
        rows = self._query("SELECT name FROM streams ORDER BY name")
        names = [row[0] for row in rows]
        if prefix is not None:
            names = [name for name in names if name.startswith(prefix)]
        return names

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        return int(self._query("SELECT MAX(position) FROM events")[0][0] or 0)

    def stream_version(self, stream: str) -> int:
        """The stream's current version (0 if it does not exist)."""
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return 0
        rows = self._query("SELECT MAX(version) FROM events WHERE stream_id = ?", (stream_id,))
        return int(rows[0][0] or 0)

    def verify(self) -> int:
        """Walk the whole hash chain in pages; see the protocol.

        Stream names are read afresh from the file, never from this store's cache.
        """
        prev = GENESIS
        expected_position = 1
        versions: dict[int, int] = {}
        names: dict[int, str] = {}
        while True:
            rows = self._query(
                f"SELECT {_COLUMNS}, hash FROM events WHERE position >= ? "
                "ORDER BY position LIMIT ?",
                (expected_position, PAGE),
            )
            for (
                position,
                stream_id,
                version,
                event_id,
                event_type,
                schema,
                at,
                payload,
                digest,
            ) in rows:
                if position != expected_position:
                    raise IntegrityError(
                        expected_position,
                        f"position {expected_position} is missing (next stored is {position})",
                    )
                stream = names.get(stream_id)
                if stream is None:
                    names.update(self._query("SELECT id, name FROM streams"))
                    stream = names.get(stream_id)
                    if stream is None:
                        raise IntegrityError(position, f"stream id {stream_id!r} has no name")
                stream_version = versions.get(stream_id, 0) + 1
                if version != stream_version:
                    raise IntegrityError(
                        position,
                        f"stream {stream!r} has version {version} where {stream_version} "
                        "was expected",
                    )
                versions[stream_id] = stream_version
                try:
                    computed = link(
                        prev,
                        position=position,
                        stream=stream,
                        version=version,
                        event_id=bytes(event_id),
                        event_type=event_type,
                        schema_version=schema,
                        recorded_at=at,
                        payload=bytes(payload),
                    )
                except (TypeError, ValueError, AttributeError, OverflowError) as error:
                    raise IntegrityError(position, f"malformed row: {error}") from None
                if computed != digest:
                    raise IntegrityError(
                        position, "the hash chain does not match: edited or reordered"
                    )
                prev = computed
                expected_position += 1
            if len(rows) < PAGE:
                return expected_position - 1

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


def _rows(
    batch: Batch, stream_id: int, first_position: int, first_version: int, prev: bytes
) -> Iterator[tuple[Any, ...]]:
    """The batch's rows, each encoded and chained as ``executemany`` asks for it.

    The hot loop of every append: one payload is alive at a time, names are bound locally,
    and the per-type hash subject is built once per batch.
    """
    micros = now_micros()
    pack = HEAD.pack
    info = TYPE_INFO
    enc = encode
    digest_of = sha256
    stream = batch.stream
    subjects: dict[type[Event], tuple[str, int, bytes]] = {}
    position = first_position
    version = first_version
    for event, event_id in zip(batch.events, batch.event_ids, strict=True):
        cls = type(event)
        known = subjects.get(cls)
        if known is None:
            event_type, schema_version = info[cls]
            known = subjects[cls] = (event_type, schema_version, subject(stream, event_type))
        event_type, schema_version, head = known
        try:
            payload = enc(event)
        except Exception as error:
            raise encode_failed(event, error) from None
        digest = digest_of(pack(prev, position, version, event_id, micros, schema_version))
        digest.update(head)
        digest.update(payload)
        prev = digest.digest()
        yield (
            position,
            stream_id,
            version,
            event_id,
            event_type,
            schema_version,
            micros,
            payload,
            prev,
        )
        position += 1
        version += 1


_new = object.__new__
_set = object.__setattr__
_UUID = uuid.UUID
_from_bytes = int.from_bytes
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown


_SET_UUID_INT = slot_setter(uuid.UUID, "int")
_SET_UUID_SAFE = slot_setter(uuid.UUID, "is_safe")
_SET_RECORDED = tuple(
    slot_setter(Recorded, name)
    for name in (
        "stream",
        "version",
        "position",
        "event_id",
        "recorded_at",
        "schema_version",
        "event",
    )
)


def _records(
    rows: list[Any], names: dict[int, str], name_of: Callable[[int], str | None]
) -> Iterator[Recorded]:
    """Decode one page of rows; a row that will not decode is a :class:`CorruptRecord`.

    The hot loop of every replay: names are bound locally, one ``recorded_at`` is turned
    into a datetime once per run of equal values (a batch shares one), event ids and the
    envelopes are built without running ``__init__`` (the values come from the verified
    log and are checked for type here), through their slot descriptors.
    """
    last_at: object = None
    when: datetime | None = None
    decode = decode_trusted
    lookup = names.get
    epoch, delta = EPOCH, timedelta
    new, uuid_cls, from_bytes, safety = _new, _UUID, _from_bytes, _UNKNOWN_SAFETY
    set_int, set_safe = _SET_UUID_INT, _SET_UUID_SAFE
    set_stream, set_version, set_position, set_id, set_at, set_schema, set_event = _SET_RECORDED
    recorded = Recorded
    for position, stream_id, version, event_id, event_type, schema, at, payload in rows:
        stream = lookup(stream_id)
        try:
            if stream is None:
                stream = name_of(stream_id)
                if stream is None:
                    raise ValueError(f"stream id {stream_id!r} has no name")
            if at != last_at:
                if type(at) is not int:
                    raise TypeError(f"recorded_at is {type(at).__name__}, not microseconds")
                when = epoch + delta(microseconds=at)
                last_at = at
            event = decode(payload, event_type, schema)
            if type(event_id) is not bytes or len(event_id) != 16:
                raise ValueError(f"event id is not 16 bytes: {event_id!r}")
            ident = new(uuid_cls)
            set_int(ident, from_bytes(event_id))
            set_safe(ident, safety)
        except (HubcoreError, TypeError, ValueError, OverflowError) as error:
            reason = error.reason if isinstance(error, CorruptRecord) else str(error)
            raise CorruptRecord(reason, stream=stream, version=version, position=position) from None
        record = new(recorded)
        set_stream(record, stream)
        set_version(record, version)
        set_position(record, position)
        set_id(record, ident)
        set_at(record, when)
        set_schema(record, schema)
        set_event(record, event)
        yield record
