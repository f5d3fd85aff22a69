"""The built-in backends pass the store conformance suite, tamper tests included."""

from __future__ import annotations

import bisect
import sqlite3
from pathlib import Path

import pytest

from hubcore.store import EventStore, MemoryBackend, MemoryStore, SqliteStore, Store, open_store
from hubcore.testing.conformance import StoreConformance, StoreFactory, Tamper, tampered_payload

from ._tamper import drop_triggers


class MemoryTamper:
    """Edits a memory store's rows in place."""

    @staticmethod
    def _backend(store: EventStore) -> MemoryBackend:
        assert isinstance(store, Store)
        backend = store.backend
        assert isinstance(backend, MemoryBackend)
        return backend

    def _index(self, backend: MemoryBackend, position: int) -> int:
        return bisect.bisect_left([row[0] for row in backend.rows], position)

    def edit(self, store: EventStore, position: int) -> None:
        backend = self._backend(store)
        i = self._index(backend, position)
        row = backend.rows[i]
        payloads = row[8].split(b"\n")
        k = position - (row[0] - row[1] + 1)
        payloads[k] = tampered_payload(payloads[k])
        edited = type(row)((*row[:8], b"\n".join(payloads), *row[9:]))
        edited.envelopes = row.envelopes
        backend.rows[i] = edited

    def remove(self, store: EventStore, position: int) -> None:
        backend = self._backend(store)
        del backend.rows[self._index(backend, position)]


class SqliteTamper:
    """Edits a SQLite store's file through a second connection, triggers dropped."""

    def _run(self, store: EventStore, sql: str, params: tuple[object, ...]) -> None:
        assert isinstance(store, SqliteStore)
        conn = sqlite3.connect(store.path, isolation_level=None)
        try:
            drop_triggers(conn)
            conn.execute(sql, params)
        finally:
            conn.close()

    def edit(self, store: EventStore, position: int) -> None:
        assert isinstance(store, SqliteStore)
        conn = sqlite3.connect(store.path)
        last, count, blob = conn.execute(
            "SELECT last_position, count, payloads FROM commits WHERE last_position >= ? "
            "ORDER BY last_position LIMIT 1",
            (position,),
        ).fetchone()
        conn.close()
        payloads = blob.split(b"\n")
        k = position - (last - count + 1)
        payloads[k] = tampered_payload(payloads[k])
        self._run(
            store,
            "UPDATE commits SET payloads = ? WHERE last_position = ?",
            (b"\n".join(payloads), last),
        )

    def remove(self, store: EventStore, position: int) -> None:
        self._run(
            store,
            "DELETE FROM commits WHERE last_position = (SELECT MIN(last_position) FROM commits "
            "WHERE last_position >= ?)",
            (position,),
        )


class TestMemory(StoreConformance):
    @pytest.fixture
    def store_factory(self) -> StoreFactory:
        return MemoryStore

    @pytest.fixture
    def tamper(self) -> Tamper:
        return MemoryTamper()


class TestMemoryByURL(StoreConformance):
    @pytest.fixture
    def store_factory(self) -> StoreFactory:
        return lambda: open_store("memory://")

    @pytest.fixture
    def tamper(self) -> Tamper:
        return MemoryTamper()


class TestSqlite(StoreConformance):
    persistent = True

    @pytest.fixture
    def store_factory(self, tmp_path: Path) -> StoreFactory:
        path = tmp_path / "events.sqlite"
        return lambda: open_store(f"sqlite:///{path}")

    @pytest.fixture
    def tamper(self) -> Tamper:
        return SqliteTamper()


def test_every_conformance_test_states_its_guarantee_and_the_likely_cause() -> None:
    """A backend author reads a failing test's docstring first: it must say what is
    guaranteed (its first paragraph) and what usually breaks it ("Fails when/on ...")."""
    import inspect

    tests = [
        (name, inspect.getdoc(fn) or "")
        for name, fn in inspect.getmembers(StoreConformance, inspect.isfunction)
        if name.startswith("test_")
    ]
    assert len(tests) >= 25
    for name, doc in tests:
        guarantee, _, rest = doc.partition("\n\n")
        assert len(guarantee) >= 30, f"{name}: no guarantee stated"
        assert "Fails when" in rest or "Fails on" in rest, f"{name}: no likely cause given"
