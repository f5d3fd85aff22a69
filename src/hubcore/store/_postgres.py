"""The PostgreSQL backend (psycopg 3, the ``postgres`` extra): the core's rows in a schema.

``postgresql://user@host:port/database?schema=name`` (default schema ``hubcore``; every
other query parameter goes to libpq). The tables mirror SQLite's: ``commits`` (one row per
appended batch, :mod:`._commits`), ``streams``, ``event_ids`` (id runs), ``projections``
and ``meta``.

* **Readers never skip.** Every append takes one transaction-level advisory lock
  (``pg_advisory_xact_lock``, keyed by the ``commits`` table) before it reads the head:
  appends are serialised, so each commits before the next one reads the head, and global
  positions become visible in order. A reader paging ``WHERE last_position > p`` can never
  see a position whose predecessors are not yet visible (the lock is released only after
  the commit is visible). The hash chain needs the same order anyway (each row hashes the
  previous one). ``docs/deploy.md`` gives the measured cost.
* **Append-only, enforced.** Triggers refuse ``UPDATE``, ``DELETE`` and ``TRUNCATE`` on
  ``commits``, ``streams`` and ``event_ids``; a writer role needs only ``SELECT`` and
  ``INSERT`` on them (the advisory lock needs no privilege).
* **Live subscriptions.** An ``AFTER INSERT`` statement trigger on ``commits`` sends
  ``NOTIFY`` on the channel :func:`channel` names, delivered at commit.
* **Several workers.** :meth:`PostgresBackend.claim` takes a session-level advisory lock on
  a connection of the claim's own; the server frees it the moment that connection ends
  (a worker killed, a machine gone once its TCP keepalives fail).
* **Faults.** A connection that drops mid-call raises :class:`~hubcore.StoreUnavailable`
  (an append in flight may or may not have committed: retry it with the same
  ``event_ids``); the next call connects again.
"""

from __future__ import annotations

import os
import threading
import uuid
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from hubcore.errors import (
    DuplicateEventId,
    HubcoreError,
    NotAStore,
    StoreClosed,
    StoreUnavailable,
    UnsupportedStoreURL,
)
from hubcore.events import Event
from hubcore.store._backend import Buckets, Place, Row, Tip
from hubcore.store._commits import GENESIS, id_runs
from hubcore.store._core import Store
from hubcore.store._url import NoTestDatabase, StoreScheme

try:
    import psycopg
    from psycopg import sql
except ImportError:  # the postgres extra is not installed: open() says so
    psycopg = None  # type: ignore[assignment]

__all__ = [
    "FORMAT_VERSION",
    "SCHEME",
    "TEST_DATABASE_VARIABLE",
    "PostgresBackend",
    "PostgresStore",
    "channel",
]

FORMAT_VERSION = 1
DEFAULT_SCHEMA = "hubcore"
TEST_DATABASE_VARIABLE = "HUBCORE_TEST_POSTGRES"
"""The environment variable naming the PostgreSQL database tests may use (see
:func:`_fresh_url`)."""
_LOCK_CLASS = 0x68756263  # "hubc": the high half of every advisory lock key hubcore takes
_CONNECT_TIMEOUT_S = 10
_KEEPALIVE = {
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "3",
}
"""libpq defaults: a connection whose peer vanished is noticed within about 11 s."""

T = TypeVar("T")

_SCHEMA = """
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE {s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE {s}.streams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                          name text NOT NULL UNIQUE);
CREATE TABLE {s}.commits (
    last_position bigint PRIMARY KEY,
    count integer NOT NULL,
    stream_id bigint NOT NULL REFERENCES {s}.streams (id),
    last_version bigint NOT NULL,
    recorded_at bigint NOT NULL,
    event_ids bytea NOT NULL,
    kinds text NOT NULL,
    kind_index bytea NOT NULL,
    payloads bytea NOT NULL,
    checks bytea NOT NULL,
    hash bytea NOT NULL,
    UNIQUE (stream_id, last_version)
);
CREATE TABLE {s}.event_ids (first bytea PRIMARY KEY, last bytea NOT NULL,
                            position bigint NOT NULL);
CREATE TABLE {s}.projections (name text PRIMARY KEY, version integer NOT NULL,
                              checkpoint bigint NOT NULL, state bytea NOT NULL);
CREATE FUNCTION {s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'hubcore: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE FUNCTION {s}.notify_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify({channel}, '');
    RETURN NULL;
END $$;
CREATE TRIGGER commits_notify AFTER INSERT ON {s}.commits
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.notify_append();
"""
_APPEND_ONLY = ("commits", "streams", "event_ids")
_TRIGGERS = """
CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {s}.{table}
    FOR EACH ROW EXECUTE FUNCTION {s}.refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {s}.{table}
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_change();
"""
_READ_COLUMNS = (
    "last_position, count, stream_id, last_version, recorded_at, event_ids, kinds, "
    "kind_index, payloads"
)
_FULL_COLUMNS = _READ_COLUMNS + ", checks, hash"


def channel(schema: str) -> str:
    """The ``NOTIFY`` channel of the store in ``schema``."""
    return f"hubcore_{zlib.crc32(schema.encode()):08x}"


def _split_url(url: str) -> tuple[str, str]:
    """``(libpq URL without our parameters, schema)``; refuses a malformed URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or (not parts.netloc and not parts.path):
        raise UnsupportedStoreURL(
            f"{_safe(url)!r}: a PostgreSQL URL is postgresql://user@host:port/database"
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [value for key, value in query if key == "schema"]
    schema = schemas[-1] if schemas else DEFAULT_SCHEMA
    if not schema.isidentifier() or schema.lower() != schema or len(schema) > 50:
        raise UnsupportedStoreURL(
            f"{_safe(url)!r}: schema must be a lower-case identifier of at most 50 "
            f"characters, got {schema!r}"
        )
    rest = [(key, value) for key, value in query if key != "schema"]
    _check_parameters(url, rest)
    given = {key for key, _ in rest}
    rest += [(key, value) for key, value in _KEEPALIVE.items() if key not in given]
    if "connect_timeout" not in given:
        rest.append(("connect_timeout", str(_CONNECT_TIMEOUT_S)))
    return urlunsplit(parts._replace(scheme="postgresql", query=urlencode(rest))), schema


def _check_parameters(url: str, params: list[tuple[str, str]]) -> None:
    """Refuse a query parameter that libpq does not know (it would fail only on connecting,
    or be mistaken for one of ours): the URL's ``schema`` plus libpq's own parameters."""
    if not params or psycopg is None:
        return
    try:
        psycopg.conninfo.conninfo_to_dict(f"postgresql://?{urlencode(params)}")
    except psycopg.Error as error:
        raise UnsupportedStoreURL(
            f"{_safe(url)!r}: refused: {str(error).strip()} (a PostgreSQL store URL takes "
            "'schema' and libpq's connection parameters, e.g. sslmode, connect_timeout)"
        ) from None


def _safe(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _lost(error: BaseException) -> bool:
    """Whether ``error`` means the connection is gone (rather than a refused statement)."""
    return isinstance(error, psycopg.OperationalError) and not isinstance(
        error, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable
    )


class PostgresBackend:
    """The core's rows in one schema of a PostgreSQL database (tables made if missing)."""

    def __init__(self, url: str) -> None:
        if psycopg is None:
            raise UnsupportedStoreURL(
                "the PostgreSQL backend needs psycopg 3: pip install 'hubcore[postgres]'"
            )
        self._dsn, self.schema = _split_url(url)
        self.label = f"{_safe(url.split('?', 1)[0])} (schema {self.schema})"
        self._names = sql.Identifier(self.schema)
        self.channel = channel(self.schema)
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._closed = False
        self._stream_ids: dict[str, int] = {}
        conn = self._connection()
        self._statements = _Statements(self._names)
        self._setup(conn)

    # -- connecting ----------------------------------------------------------------------

    def connect(self) -> psycopg.Connection[Any]:
        """A new autocommit connection to this store's database."""
        try:
            return psycopg.connect(self._dsn, autocommit=True)
        except psycopg.Error as error:
            raise StoreUnavailable(f"{self.label}: cannot connect: {str(error).strip()}") from None

    def _connection(self) -> psycopg.Connection[Any]:
        if self._closed:
            raise StoreClosed(f"the store {self.label} is closed")
        conn = self._conn
        if conn is None or conn.broken or conn.closed:
            if conn is not None:
                conn.close()
            conn = self._conn = self.connect()
        return conn

    def _run(self, what: str, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``work(connection)`` under the lock, database errors translated."""
        with self._lock:
            conn = self._connection()
            try:
                return work(conn)
            except psycopg.Error as error:
                raise self._error(what, error) from None

    def _error(self, what: str, error: psycopg.Error) -> HubcoreError:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if isinstance(error, psycopg.errors.UniqueViolation):
            return DuplicateEventId(f"{self.label}: {what}: {detail} (an id is already stored)")
        if _lost(error) or (self._conn is not None and self._conn.broken):
            return StoreUnavailable(
                f"{self.label}: {what}: the connection to the database was lost ({detail})"
            )
        return HubcoreError(f"{self.label}: {what} failed: {detail}")

    def _setup(self, conn: psycopg.Connection[Any]) -> None:
        """Create the schema's tables if missing; refuse a schema that is not a store."""
        s = self._names
        try:
            with conn.transaction():
                conn.execute(
                    "SELECT pg_advisory_xact_lock(%s, 0)",
                    (_LOCK_CLASS & 0x7FFFFFFF,),
                )  # two first opens at once: one creates, the other then finds the tables
                tables = {
                    row[0]
                    for row in conn.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                        (self.schema,),
                    )
                }
                if not tables:
                    conn.execute(sql.SQL(_SCHEMA).format(s=s, channel=sql.Literal(self.channel)))
                    for table in _APPEND_ONLY:
                        conn.execute(sql.SQL(_TRIGGERS.replace("{table}", table)).format(s=s))
                    conn.execute(
                        sql.SQL("INSERT INTO {s}.meta VALUES (%s, %s), (%s, %s)").format(s=s),
                        ("format", "hubcore-event-store", "format_version", str(FORMAT_VERSION)),
                    )
                    tables = {"meta", "streams", "commits", "event_ids", "projections"}
                meta = (
                    dict(conn.execute(sql.SQL("SELECT key, value FROM {s}.meta").format(s=s)))
                    if "meta" in tables
                    else {}
                )
                oid = conn.execute(
                    "SELECT to_regclass(%s)::oid", (f"{self.schema}.commits",)
                ).fetchone()
        except psycopg.Error as error:
            raise self._error("opening the store", error) from None
        if meta.get("format") != "hubcore-event-store":
            raise NotAStore(
                self.label, f"schema {self.schema!r} holds tables that are not a hubcore store"
            )
        if meta.get("format_version") != str(FORMAT_VERSION):
            raise NotAStore(
                self.label,
                f"hubcore store format version {meta.get('format_version')!r} is not "
                f"supported by this hubcore (it reads version {FORMAT_VERSION})",
            )
        missing = sorted({"streams", "commits", "event_ids", "projections"} - tables)
        if missing or oid is None or oid[0] is None:
            raise NotAStore(self.label, f"a damaged hubcore store: no {', '.join(missing)} table")
        self.lock_key = (_LOCK_CLASS << 32) | int(oid[0])

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[_Writer]:
        """One transaction holding the store's append lock from its first statement."""
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    writer = _Writer(self, conn)  # its tip() takes the lock first
                    yield writer
            except psycopg.Error as error:
                raise self._error("append", error) from None
            self._stream_ids.update(writer.new_streams)

    # -- reading -------------------------------------------------------------------------

    def read_rows(
        self, after: int, limit: int, buckets: Buckets | None, *, full: bool = False
    ) -> list[Row]:
        """See :meth:`~hubcore.store.Backend.read_rows`: streams are bucketed by their
        interned id modulo the bucket count, so the server skips other rows itself."""
        st = self._statements
        params: tuple[int, ...]
        if buckets is None:
            query, params = (st.read_full if full else st.read), (after, limit)
        else:
            first, stop, count = buckets
            query = st.read_part_full if full else st.read_part
            params = (after, count, first, stop - 1, limit)
        return self._run("read", lambda c: c.execute(query, params, binary=True).fetchall())

    def read_stream_rows(self, stream: str, after_version: int, limit: int) -> list[Row]:
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return []
        query = self._statements.read_stream
        return self._run(
            "read",
            lambda c: c.execute(query, (stream_id, after_version, limit), binary=True).fetchall(),
        )

    def _stream_id(self, stream: str) -> int | None:
        known = self._stream_ids.get(stream)
        if known is None:
            query = self._statements.stream_id
            row = self._run("read", lambda c: c.execute(query, (stream,)).fetchone())
            if row is not None:
                known = self._stream_ids[stream] = row[0]
        return known

    def stream_names(self, keys: Collection[Any]) -> dict[Any, str]:
        query = self._statements.names
        rows = self._run("read", lambda c: c.execute(query, (list(keys),)).fetchall())
        return dict(rows)

    def streams(self) -> list[str]:
        query = self._statements.streams
        return [row[0] for row in self._run("read", lambda c: c.execute(query).fetchall())]

    def head(self) -> int:
        query = self._statements.head
        row = self._run("read", lambda c: c.execute(query).fetchone())
        return 0 if row is None else int(row[0])

    def stream_version(self, stream: str) -> int:
        stream_id = self._stream_id(stream)
        if stream_id is None:
            return 0
        query = self._statements.version
        row = self._run("read", lambda c: c.execute(query, (stream_id,)).fetchone())
        return 0 if row is None else int(row[0])

    def stored_run(self, first: bytes) -> tuple[bytes, int] | None:
        query = self._statements.run
        row = self._run("verify", lambda c: c.execute(query, (first,)).fetchone())
        return None if row is None else (bytes(row[0]), int(row[1]))

    # -- projections ---------------------------------------------------------------------

    def load_projection(self, name: str) -> tuple[int, int, bytes] | None:
        query = self._statements.load
        row = self._run(
            "load projection", lambda c: c.execute(query, (name,), binary=True).fetchone()
        )
        return None if row is None else (row[0], row[1], bytes(row[2]))

    def save_projections(self, rows: Sequence[tuple[str, int, int, bytes]]) -> None:
        """One ``INSERT ... ON CONFLICT`` of every state, in one transaction."""
        if not rows:
            return
        columns = [list(column) for column in zip(*rows, strict=True)]
        query = self._statements.save

        def save(conn: psycopg.Connection[Any]) -> None:
            with conn.transaction():
                conn.execute(query, columns)

        self._run("save projections", save)

    def delete_projection(self, name: str) -> None:
        query = self._statements.delete
        self._run("delete projection", lambda c: c.execute(query, (name,)))

    # -- waiting and claiming ------------------------------------------------------------

    def waiter(self) -> _Waiter:
        """A LISTEN connection of its own, woken by every committed append."""
        return _Waiter(self)

    def claim(self, name: str) -> _Claim | None:
        """Take the session advisory lock for ``name`` on a connection of its own, if no
        one holds it; None otherwise."""
        return _Claim.take(self, name)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class _Statements:
    """The backend's statements, composed once for its schema."""

    def __init__(self, s: sql.Identifier) -> None:
        def q(text: str) -> sql.Composed:
            return sql.SQL(text).format(s=s)

        read = "SELECT {cols} FROM {{s}}.commits WHERE last_position > %s"
        order = " ORDER BY last_position LIMIT %s"
        part = " AND stream_id %% %s BETWEEN %s AND %s"
        self.read = q(read.format(cols=_READ_COLUMNS) + order)
        self.read_full = q(read.format(cols=_FULL_COLUMNS) + order)
        self.read_part = q(read.format(cols=_READ_COLUMNS) + part + order)
        self.read_part_full = q(read.format(cols=_FULL_COLUMNS) + part + order)
        self.read_stream = q(
            f"SELECT {_READ_COLUMNS} FROM {{s}}.commits WHERE stream_id = %s "
            "AND last_version > %s ORDER BY last_version LIMIT %s"
        )
        self.stream_id = q("SELECT id FROM {s}.streams WHERE name = %s")
        self.names = q("SELECT id, name FROM {s}.streams WHERE id = ANY(%s)")
        self.streams = q("SELECT name FROM {s}.streams")
        self.head = q("SELECT last_position FROM {s}.commits ORDER BY last_position DESC LIMIT 1")
        self.version = q(
            "SELECT last_version FROM {s}.commits WHERE stream_id = %s "
            "ORDER BY last_version DESC LIMIT 1"
        )
        self.run = q("SELECT last, position FROM {s}.event_ids WHERE first = %s")
        self.load = q("SELECT version, checkpoint, state FROM {s}.projections WHERE name = %s")
        self.save = q(
            "INSERT INTO {s}.projections (name, version, checkpoint, state) "
            "SELECT * FROM unnest(%s::text[], %s::int4[], %s::int8[], %s::bytea[]) "
            "ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, "
            "checkpoint = EXCLUDED.checkpoint, state = EXCLUDED.state"
        )
        self.delete = q("DELETE FROM {s}.projections WHERE name = %s")
        self.tip = q(
            "SELECT s.id, (SELECT c.last_version FROM {s}.commits AS c WHERE c.stream_id = s.id "
            "ORDER BY c.last_version DESC LIMIT 1), h.last_position, h.hash, "
            "(SELECT e.last FROM {s}.event_ids AS e WHERE e.first <= %s "
            "ORDER BY e.first DESC LIMIT 1) "
            "FROM (SELECT 1) AS one LEFT JOIN {s}.streams AS s ON s.name = %s "
            "LEFT JOIN LATERAL (SELECT last_position, hash FROM {s}.commits "
            "ORDER BY last_position DESC LIMIT 1) AS h ON true"
        )
        self.runs = q(
            "SELECT q.id, r.first, r.position FROM unnest(%s::bytea[]) AS q(id) "
            "CROSS JOIN LATERAL (SELECT first, last, position FROM {s}.event_ids "
            "WHERE first <= q.id ORDER BY first DESC LIMIT 1) AS r WHERE r.last >= q.id"
        )
        self.places = q(
            "SELECT p.pos, s.name, c.last_version - (c.last_position - p.pos) "
            "FROM unnest(%s::int8[]) AS p(pos) CROSS JOIN LATERAL (SELECT * FROM {s}.commits "
            "WHERE last_position >= p.pos ORDER BY last_position LIMIT 1) AS c "
            "JOIN {s}.streams AS s ON s.id = c.stream_id"
        )
        self.lock = q("SELECT pg_advisory_xact_lock(%s)")
        self.insert = q(
            "WITH new AS (INSERT INTO {s}.streams (name) SELECT %s WHERE %s::int8 IS NULL "
            "RETURNING id), sid AS (SELECT COALESCE(%s::int8, (SELECT id FROM new)) AS id), "
            "runs AS (INSERT INTO {s}.event_ids (first, last, position) "
            "SELECT * FROM unnest(%b::bytea[], %b::bytea[], %b::int8[])) "
            "INSERT INTO {s}.commits SELECT r.lp, r.n, sid.id, r.lv, r.at, r.ids, r.kinds, "
            "r.ki, r.payloads, r.checks, r.hash FROM sid, unnest(%b::int8[], %b::int4[], "
            "%b::int8[], %b::int8[], %b::bytea[], %b::text[], %b::bytea[], %b::bytea[], "
            "%b::bytea[], %b::bytea[]) AS r(lp, n, lv, at, ids, kinds, ki, payloads, checks, "
            "hash) RETURNING stream_id"
        )


class _Writer:
    """Inside one append transaction of :meth:`PostgresBackend.writing`."""

    def __init__(self, backend: PostgresBackend, conn: psycopg.Connection[Any]) -> None:
        self._backend = backend
        self._conn = conn
        self._stream_id: int | None = None
        self.new_streams: dict[str, int] = {}  # cached once committed

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        """The stream's id and version, the head and its hash, and the id run at or below
        the fresh range's last id, in one statement; given ids in two more."""
        st = self._backend._statements
        conn = self._conn
        with conn.pipeline():  # one round trip: the lock, then the tip read after it
            conn.execute(st.lock, (self._backend.lock_key,))
            tip = conn.execute(st.tip, (None if fresh is None else fresh[1], stream), binary=True)
        found = self._find(given) if given else {}
        row = tip.fetchone()
        assert row is not None
        stream_id, version, head, prev, below = row
        self._stream_id = stream_id
        overlap = fresh is not None and below is not None and bytes(below) >= fresh[0]
        return Tip(
            int(version or 0),
            int(head or 0),
            GENESIS if head is None else bytes(prev),
            found,
            overlap,
        )

    def _find(self, event_ids: Sequence[bytes]) -> dict[bytes, Place]:
        st = self._backend._statements
        runs = self._conn.execute(st.runs, (list(event_ids),), binary=True).fetchall()
        if not runs:
            return {}
        positions = {
            bytes(event_id): int(position) + int.from_bytes(event_id) - int.from_bytes(first)
            for event_id, first, position in runs
        }
        places = {
            int(pos): (name, int(version))
            for pos, name, version in self._conn.execute(
                st.places, (sorted(set(positions.values())),)
            ).fetchall()
        }
        return {
            event_id: (*places[pos], pos) for event_id, pos in positions.items() if pos in places
        }

    def insert(self, stream: str, rows: Sequence[Row], events: Sequence[Event]) -> None:
        """The rows (the stream by its interned id) and their id runs, in one statement."""
        st = self._backend._statements
        runs = [run for row in rows for run in id_runs(row)]
        columns: list[list[Any]] = [list(column) for column in zip(*rows, strict=True)]
        del columns[2]
        run_columns = [list(column) for column in zip(*runs, strict=True)]
        known = self._stream_id
        inserted = self._conn.execute(
            st.insert, [stream, known, known, *run_columns, *columns]
        ).fetchone()
        assert inserted is not None
        self._stream_id = inserted[0]
        self.new_streams[stream] = inserted[0]


class _Waiter:
    """Blocks until an append commits (``LISTEN``), or a timeout; reconnects when its
    connection drops (waking at once, so the caller re-reads what it may have missed)."""

    def __init__(self, backend: PostgresBackend) -> None:
        self._backend = backend
        self._conn: psycopg.Connection[Any] | None = None
        self.reconnects = 0

    def _listening(self) -> psycopg.Connection[Any]:
        conn = self._conn
        if conn is None or conn.broken or conn.closed:
            if conn is not None:
                conn.close()
                self.reconnects += 1
            conn = self._backend.connect()
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._backend.channel)))
            self._conn = conn
        return conn

    def start(self) -> None:
        """LISTEN now (before the caller's first read), so no commit after it is missed."""
        self._listening()

    def wait(self, timeout: float) -> None:
        try:
            conn = self._listening()
        except StoreUnavailable:
            return  # the server is away: the caller polls again after its timeout
        try:
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                pass
        except psycopg.Error:
            conn.close()  # reconnect on the next wait; wake the caller to read now

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _Claim:
    """A session advisory lock on a connection of its own: held until released, or until
    the connection ends (the process died, or the server lost it)."""

    def __init__(self, conn: psycopg.Connection[Any], key: int, name: str) -> None:
        self._conn = conn
        self._key = key
        self.name = name

    @classmethod
    def take(cls, backend: PostgresBackend, name: str) -> _Claim | None:
        key = ((_LOCK_CLASS + 1) << 32) | zlib.crc32(f"{backend.schema}/{name}".encode())
        conn = backend.connect()
        try:
            got = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        except psycopg.Error as error:
            conn.close()
            raise backend._error(f"claim {name!r}", error) from None
        if not (got and got[0]):
            conn.close()
            return None
        return cls(conn, key, name)

    def held(self) -> bool:
        """Whether the lock is still held (False once its connection has gone)."""
        if self._conn.closed or self._conn.broken:
            return False
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            self._conn.close()
            return False
        return True

    def release(self) -> None:
        self._conn.close()  # ending the session frees its advisory locks


@contextmanager
def _fresh_url(directory: Path) -> Iterator[str]:
    """A fresh schema ``hubcore_test_<random>`` in the database named by
    ``HUBCORE_TEST_POSTGRES``, dropped afterwards."""
    base = os.environ.get(TEST_DATABASE_VARIABLE)
    if not base:
        raise NoTestDatabase(
            f"PostgreSQL tests need a database: set {TEST_DATABASE_VARIABLE}="
            "postgresql://postgres@127.0.0.1:5432/test "
            "(bash scripts/postgres.sh starts a local server)"
        )
    _reach_test_database(base)
    schema = f"hubcore_test_{uuid.uuid4().hex[:16]}"
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}schema={schema}"
    finally:
        drop_schema(base, schema)


def _reach_test_database(base: str) -> None:
    """Connect once to the database ``HUBCORE_TEST_POSTGRES`` names: when it is set and
    the server cannot be reached the tests fail, saying so, before any schema is made."""
    if psycopg is None:
        return  # opening the store names the missing driver
    dsn, _ = _split_url(base)
    try:
        psycopg.connect(dsn, autocommit=True).close()
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        raise StoreUnavailable(
            f"{TEST_DATABASE_VARIABLE}={_safe(base)}: cannot connect: {reason}"
            " (start the server, e.g. bash scripts/postgres.sh, or unset"
            f" {TEST_DATABASE_VARIABLE} to skip the PostgreSQL tests)"
        ) from None


def drop_schema(url: str, schema: str) -> None:
    """Drop ``schema`` and everything in it (for tests and benchmarks)."""
    if psycopg is None:
        return
    dsn, _ = _split_url(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


class PostgresStore(Store):
    """An :class:`~hubcore.store.EventStore` in a PostgreSQL schema."""

    def __init__(self, url: str) -> None:
        backend = PostgresBackend(url)
        super().__init__(backend)
        self.schema = backend.schema


SCHEME = StoreScheme(open=PostgresStore, fresh_url=_fresh_url)
"""The ``postgresql`` entry point: ``postgresql://user@host:port/database?schema=name``."""
