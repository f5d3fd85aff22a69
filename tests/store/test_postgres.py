"""The PostgreSQL backend on the real server: the whole conformance suite, append-only
enforcement, the writer role, and the commit-order guarantee readers rely on."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hubcore.errors import HubcoreError, NotAStore, StoreUnavailable, UnsupportedStoreURL
from hubcore.store import EventStore, Store, open_store
from hubcore.store._postgres import PostgresBackend, _Writer, channel
from hubcore.testing.conformance import (
    StoreConformance,
    StoreFactory,
    Tamper,
    school_events,
    tampered_payload,
)

from ._pg import admin, fresh_schema_url, psycopg, schema_of, writer_grants


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    with fresh_schema_url(tmp_path) as url:
        yield url


class PostgresTamper:
    """Edits the store's tables with the append-only triggers off (as a superuser could)."""

    def _run(self, store: EventStore, statement: str, params: tuple[object, ...]) -> None:
        assert isinstance(store, Store)
        backend = store.backend
        assert isinstance(backend, PostgresBackend)
        with psycopg.connect(backend._dsn, autocommit=True) as conn, conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")  # triggers off
            conn.execute(statement.replace("{s}", backend.schema), params)

    def edit(self, store: EventStore, position: int) -> None:
        assert isinstance(store, Store)
        rows = store.backend.read_rows(position - 1, 1, None, full=True)
        last, count, blob = rows[0][0], rows[0][1], rows[0][8]
        payloads = blob.split(b"\n")
        k = position - (last - count + 1)
        payloads[k] = tampered_payload(payloads[k])
        self._run(
            store,
            "UPDATE {s}.commits SET payloads = %s WHERE last_position = %s",
            (b"\n".join(payloads), last),
        )

    def remove(self, store: EventStore, position: int) -> None:
        self._run(
            store,
            "DELETE FROM {s}.commits WHERE last_position = (SELECT MIN(last_position) "
            "FROM {s}.commits WHERE last_position >= %s)",
            (position,),
        )


class TestPostgres(StoreConformance):
    persistent = True

    @pytest.fixture
    def store_factory(self, pg_url: str) -> StoreFactory:
        return lambda: open_store(pg_url)

    @pytest.fixture
    def tamper(self) -> Tamper:
        return PostgresTamper()


def test_the_url_names_a_schema_and_keeps_libpq_parameters(pg_url: str) -> None:
    """``?schema=`` picks the schema; other parameters go to libpq; a bad schema name or
    scheme is refused by name."""
    url = pg_url + "&application_name=hubcore_test_url"
    with open_store(url) as store:
        assert isinstance(store, Store)
        backend = store.backend
        assert isinstance(backend, PostgresBackend)
        assert backend.schema == schema_of(pg_url)
        with admin(pg_url) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE datname = "
                    "current_database()"
                )
            ]
        assert "hubcore_test_url" in names
    for bad in ("Robert'); DROP", "9lives", "x" * 60):
        with pytest.raises(UnsupportedStoreURL, match="schema"):
            open_store(f"postgresql://postgres@127.0.0.1/test?schema={bad}")


@pytest.mark.parametrize("query", ["mode=memory", "schema=hub&shema=typo", "sslmode=on&x=1"])
def test_unknown_query_parameters_are_refused(query: str) -> None:
    """libpq would fail on them only when connecting (or one is a misspelt 'schema'): they
    are refused first, naming the parameter, with no connection tried."""
    url = f"postgresql://postgres:secret@127.0.0.1:1/test?{query}"
    with pytest.raises(UnsupportedStoreURL, match=r"refused: invalid URI query parameter") as got:
        open_store(url)
    assert "secret" not in str(got.value)


def test_an_unreachable_server_is_a_clear_error() -> None:
    """A server that is not there raises StoreUnavailable naming the URL, not a psycopg
    error."""
    with pytest.raises(StoreUnavailable, match="cannot connect") as caught:
        open_store("postgresql://postgres@127.0.0.1:1/test?connect_timeout=2")
    assert "127.0.0.1:1" in str(caught.value)


def test_a_foreign_schema_is_refused(pg_url: str) -> None:
    """A schema holding other tables is not taken for a store."""
    schema = schema_of(pg_url)
    with admin(pg_url) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.people (name text)")
    with pytest.raises(NotAStore, match="not a hubcore store"):
        open_store(pg_url)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {s}.commits SET recorded_at = 0",
        "DELETE FROM {s}.commits",
        "TRUNCATE {s}.commits CASCADE",
        "UPDATE {s}.streams SET name = 'x'",
        "DELETE FROM {s}.event_ids",
        "TRUNCATE {s}.event_ids",
    ],
)
def test_the_database_refuses_changes_to_the_log(pg_url: str, statement: str) -> None:
    """Triggers refuse UPDATE, DELETE and TRUNCATE of the log's tables, even for their
    owner; the log is untouched."""
    with open_store(pg_url) as store:
        store.append("school-100001", school_events(100001, 4))
        with admin(pg_url) as conn, pytest.raises(psycopg.Error, match="append-only"):
            conn.execute(statement.replace("{s}", schema_of(pg_url)))
        assert store.verify() == 4
        assert store.head() == 4


def test_a_writer_role_with_insert_and_select_only_can_append(pg_url: str) -> None:
    """The role docs/deploy.md documents (USAGE on the schema, SELECT and INSERT on the
    log, SELECT/INSERT/UPDATE/DELETE on projections) appends, reads, verifies and saves
    projections, and cannot change the log nor the schema."""
    schema = schema_of(pg_url)
    role = f"hubcore_test_writer_{uuid.uuid4().hex[:8]}"
    open_store(pg_url).close()  # the owner creates the tables
    with admin(pg_url) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        for statement in _grants(schema, role):
            conn.execute(statement)
    try:
        writer_url = pg_url.replace("postgres@", f"{role}@", 1)
        with open_store(writer_url) as store:
            store.append("school-100001", school_events(100001, 3))
            store.append("school-100001", school_events(100001, 2, "b"), 3)
            assert store.verify() == 5
            from hubcore.store import StoredProjection

            store.save_projections([StoredProjection("p", 1, 5, b"state")])
            store.save_projections([StoredProjection("p", 1, 6, b"state2")])
            assert store.load_projection("p") == StoredProjection("p", 1, 6, b"state2")
            backend = store.backend
            assert isinstance(backend, PostgresBackend)
            with psycopg.connect(backend._dsn, autocommit=True) as conn:
                for statement in (
                    f"UPDATE {schema}.commits SET count = 1",
                    f"CREATE TABLE {schema}.other (x int)",
                    f"ALTER TABLE {schema}.commits DISABLE TRIGGER USER",
                ):
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        conn.execute(statement)
    finally:
        with admin(pg_url) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def _grants(schema: str, role: str) -> list[str]:
    """The grants docs/deploy.md gives a writer role, as written there."""
    return writer_grants(schema, role)


def test_appends_commit_in_position_order(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers never skip: while one append's transaction is held open (its rows inserted,
    not committed), other appends wait for it instead of committing positions after it,
    and a reader sees only the log before it; once it commits, everything becomes visible
    in position order, with no gap a reader could have passed.

    Fails when appends take their positions without the advisory lock (a later position
    could commit first, and a reader past it would never see the earlier one)."""
    with open_store(pg_url) as first:
        first.append("school-100001", school_events(100001, 3))
    inserted, release = threading.Event(), threading.Event()
    insert = _Writer.insert

    def held_insert(self: _Writer, stream: str, rows: object, events: object) -> None:
        insert(self, stream, rows, events)  # type: ignore[arg-type]
        if stream == "school-100002":
            inserted.set()
            assert release.wait(30)

    monkeypatch.setattr(_Writer, "insert", held_insert)
    results: dict[str, object] = {}

    def append(stream: str, urn: int) -> None:
        with open_store(pg_url) as store:
            results[stream] = store.append(stream, school_events(urn, 2))

    held = threading.Thread(target=append, args=("school-100002", 100002))
    held.start()
    assert inserted.wait(30)
    others = [
        threading.Thread(target=append, args=(f"school-10000{n}", 100000 + n)) for n in (3, 4)
    ]
    for thread in others:
        thread.start()
    time.sleep(1.0)
    with open_store(pg_url) as reader:
        assert [r.position for r in reader.read_all()] == [1, 2, 3]  # nothing past the gap
        assert set(results) == set()  # the later appends wait: none committed first
        release.set()
        held.join(30)
        for thread in others:
            thread.join(30)
        positions = [r.position for r in reader.read_all()]
        assert positions == list(range(1, 10))
        assert [r.stream for r in reader.read_all(after=3, limit=2)] == ["school-100002"] * 2
        assert reader.verify() == 9


def test_a_connection_dropped_mid_append_is_clear_and_the_retry_stores_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server ending the connection between insert and commit raises StoreUnavailable
    (saying the batch may or may not be stored); the retry with the same ids stores the
    batch exactly once, on a new connection."""
    url = pg_url + "&application_name=hubcore_test_drop"
    insert = _Writer.insert
    dropped: list[int] = []

    def dropping_insert(self: _Writer, stream: str, rows: object, events: object) -> None:
        insert(self, stream, rows, events)  # type: ignore[arg-type]
        if not dropped:
            pid = self._conn.info.backend_pid
            with admin(pg_url) as conn:
                conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
            dropped.append(pid)

    monkeypatch.setattr(_Writer, "insert", dropping_insert)
    events = school_events(100001, 5)
    ids = [uuid.uuid4() for _ in events]
    with open_store(url) as store:
        with pytest.raises(StoreUnavailable, match="connection to the database was lost"):
            store.append("school-100001", events, event_ids=ids)
        assert dropped
        result = store.append("school-100001", events, event_ids=ids)
        assert store.append("school-100001", events, event_ids=ids) == result
        assert store.head() == 5
        assert [r.event_id for r in store.read_all()] == ids
        assert store.verify() == 5


def test_a_connection_dropped_after_commit_then_the_retry_returns_the_first_result(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lost-answer case: the batch committed but the caller saw an error; retrying with
    the same ids stores nothing and returns where the batch landed."""
    events = school_events(100001, 4)
    ids = [uuid.uuid4() for _ in events]
    writing = PostgresBackend.writing

    def commit_then_drop(self: PostgresBackend) -> Iterator[_Writer]:
        with writing(self) as writer:
            yield writer
        raise StoreUnavailable("the connection to the database was lost (simulated)")

    with open_store(pg_url) as store:
        store.append("school-100009", school_events(100009, 2))
        monkeypatch.setattr(
            PostgresBackend, "writing", __import__("contextlib").contextmanager(commit_then_drop)
        )
        with pytest.raises(StoreUnavailable):
            store.append("school-100001", events, event_ids=ids)
        monkeypatch.undo()
        assert store.head() == 6  # it did commit
        assert store.append("school-100001", events, event_ids=ids).last_position == 6
        assert store.head() == 6


def test_notify_channel_is_per_schema() -> None:
    assert channel("a") != channel("b")
    assert channel("hubcore") == channel("hubcore")
    with pytest.raises(HubcoreError):
        open_store("postgresql://")
