"""SQLite-only guarantees: triggers, tamper detection, foreign files, corrupt rows."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubcore.errors import CorruptRecord, DuplicateEventId, HubcoreError, IntegrityError
from hubcore.store import AppendResult, SqliteStore, _batch, open_store
from hubcore.store._batch import fresh_first_id
from hubcore.testing.conformance import school_events

from ._tamper import edited as tampered
from ._tamper import raw_edit

EVENTS = 30


@pytest.fixture(scope="module")
def clean_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clean") / "events.sqlite"
    with SqliteStore(path) as store:
        for urn in (100001, 100002, 100003):
            store.append(f"school-{urn}", school_events(urn, 4, f"a{urn}"))
        for urn in (100002, 100001, 100003):
            store.append(f"school-{urn}", school_events(urn, 6, f"b{urn}"))
        assert store.head() == EVENTS
    return path


def first_broken(path: Path) -> int:
    with SqliteStore(path) as store, pytest.raises(IntegrityError) as caught:
        store.verify()
    return caught.value.position


def test_clean_file_verifies(clean_file: Path) -> None:
    with SqliteStore(clean_file) as store:
        assert store.verify() == EVENTS


def test_schema_pragmas_and_meta(clean_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(clean_file, path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta == {"format": "hubcore-event-store", "format_version": "3"}
    finally:
        conn.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE commits SET payloads = X'00' WHERE last_position = 4",
        "UPDATE commits SET stream_id = 2",
        "DELETE FROM commits WHERE last_position = 4",
        "DELETE FROM commits",
        "UPDATE streams SET name = 'school-999999' WHERE id = 1",
        "DELETE FROM streams",
        "UPDATE event_ids SET position = 7",
        "DELETE FROM event_ids",
    ],
)
def test_triggers_refuse_update_and_delete(
    clean_file: Path, tmp_path: Path, statement: str
) -> None:
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(clean_file, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
        assert conn.execute("SELECT SUM(count) FROM commits").fetchone()[0] == EVENTS
        assert conn.execute("SELECT COUNT(*) FROM streams").fetchone()[0] == 3
        assert conn.execute("SELECT COUNT(*) FROM event_ids").fetchone()[0] == 6
    finally:
        conn.close()
    with SqliteStore(path) as store:
        assert store.verify() == EVENTS


_COLUMNS = {
    "payload": "CAST(REPLACE(CAST(payload AS TEXT), '\"urn\"', '\"urn\" ') AS BLOB)",
    "stream_id": "stream_id + 100",  # an id no stream has
    "version": "version + 100",
    "event_id": "randomblob(16)",
    "event_type": "'SchoolClosed'",
    "schema_version": "schema_version + 1",
    "recorded_at": "recorded_at - 1",
}

_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25, deadline=None
)


@_settings
@given(position=st.integers(1, EVENTS), column=st.sampled_from(sorted(_COLUMNS)))
def test_verify_names_an_edited_position(
    clean_file: Path, tmp_path: Path, position: int, column: str
) -> None:
    path = tampered(
        clean_file,
        tmp_path / "edited.sqlite",
        (f"UPDATE events SET {column} = {_COLUMNS[column]} WHERE position = ?", (position,)),
    )
    assert first_broken(path) == position


@_settings
@given(position=st.integers(1, EVENTS - 1))
def test_verify_names_a_removed_position(clean_file: Path, tmp_path: Path, position: int) -> None:
    path = tampered(
        clean_file,
        tmp_path / "removed.sqlite",
        ("DELETE FROM events WHERE position = ?", (position,)),
    )
    assert first_broken(path) == position


@_settings
@given(first=st.integers(1, EVENTS), second=st.integers(1, EVENTS))
def test_verify_names_the_first_of_two_swapped_rows(
    clean_file: Path, tmp_path: Path, first: int, second: int
) -> None:
    if first == second:
        second = first % EVENTS + 1
    low, high = sorted((first, second))
    # Swap the two rows whole (hashes included), keeping positions where they were.
    path = tampered(
        clean_file,
        tmp_path / "swapped.sqlite",
        ("UPDATE events SET position = -1 WHERE position = ?", (low,)),
        ("UPDATE events SET position = ? WHERE position = ?", (low, high)),
        ("UPDATE events SET position = ? WHERE position = -1", (high,)),
    )
    assert first_broken(path) == low


@_settings
@given(position=st.integers(1, EVENTS))
def test_verify_names_an_event_moved_to_another_stream(
    clean_file: Path, tmp_path: Path, position: int
) -> None:
    path = tampered(
        clean_file,
        tmp_path / "moved.sqlite",
        ("INSERT INTO streams (id, name) VALUES (4, 'school-100004')", ()),
        ("UPDATE events SET stream_id = 4, version = 1 WHERE position = ?", (position,)),
    )
    assert first_broken(path) == position


@pytest.mark.parametrize("stream_id", [1, 2, 3])
def test_verify_names_the_first_event_of_a_renamed_stream(
    clean_file: Path, tmp_path: Path, stream_id: int
) -> None:
    conn = sqlite3.connect(clean_file)
    try:
        first = conn.execute(
            "SELECT MIN(last_position - count + 1) FROM commits WHERE stream_id = ?",
            (stream_id,),
        ).fetchone()[0]
    finally:
        conn.close()
    path = tampered(
        clean_file,
        tmp_path / "renamed.sqlite",
        ("UPDATE streams SET name = name || '0' WHERE id = ?", (stream_id,)),
    )
    assert first_broken(path) == first


def test_verify_names_the_first_of_several_edits(clean_file: Path, tmp_path: Path) -> None:
    path = tampered(
        clean_file,
        tmp_path / "many.sqlite",
        ("DELETE FROM events WHERE position = 20", ()),
        ("UPDATE events SET payload = payload || X'20' WHERE position = 11", ()),
    )
    assert first_broken(path) == 11


def test_undecodable_row_is_a_corrupt_record(clean_file: Path, tmp_path: Path) -> None:
    stream, version = _where(clean_file, 7)
    for value in ("X'7b6e6f74206a736f6e'", "X'7b7d'"):
        path = tampered(
            clean_file,
            tmp_path / "corrupt.sqlite",
            (f"UPDATE events SET payload = {value} WHERE position = 7", ()),
        )
        with SqliteStore(path) as store:
            reader = store.read_all()
            with pytest.raises(CorruptRecord) as caught:
                list(reader)
            assert (caught.value.stream, caught.value.version, caught.value.position) == (
                stream,
                version,
                7,
            )
            assert str(stream) in str(caught.value)
            with pytest.raises(CorruptRecord):
                list(store.read_stream(stream))
            assert [r.position for r in store.read_all(limit=6)] == [1, 2, 3, 4, 5, 6]
            with pytest.raises(IntegrityError):
                store.verify()


def _where(path: Path, position: int) -> tuple[str, int]:
    with SqliteStore(path) as store:
        record = next(store.read_all(after=position - 1, limit=1))
        return record.stream, record.version


def test_unknown_event_type_is_a_corrupt_record(clean_file: Path, tmp_path: Path) -> None:
    path = tampered(
        clean_file,
        tmp_path / "unknown.sqlite",
        ("UPDATE events SET event_type = 'NoSuchEvent' WHERE position = 2", ()),
    )
    with SqliteStore(path) as store, pytest.raises(CorruptRecord) as caught:
        list(store.read_all())
    assert caught.value.position == 2
    assert "NoSuchEvent" in str(caught.value)


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not a database at all\x00\xff" * 200)
    with pytest.raises(HubcoreError, match=r"garbage\.sqlite"):
        SqliteStore(path)
    assert path.read_bytes().startswith(b"this is not a database")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(HubcoreError, match=r"other\.db.*not a hubcore store"):
        open_store(f"sqlite:///{path}")


def test_newer_format_version_is_refused(clean_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    shutil.copyfile(clean_file, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'format_version'")
    conn.close()
    with pytest.raises(HubcoreError, match="format version '99'"):
        SqliteStore(path)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HubcoreError, match=str(tmp_path.name)):
        SqliteStore(tmp_path)


# The commit-row layout itself: a row whose parts disagree, or an id index that does not
# match the log, is named at the first position it covers.
# Rows (3 streams x 2 batches): positions 1-4, 5-8, 9-12, 13-18, 19-24, 25-30.
@pytest.mark.parametrize(
    ("statement", "position"),
    [
        ("UPDATE commits SET count = 3 WHERE last_position = 8", 5),
        ("UPDATE commits SET count = 5 WHERE last_position = 8", 5),
        ("UPDATE commits SET checks = substr(checks, 1, 8) WHERE last_position = 12", 9),
        ("UPDATE commits SET checks = zeroblob(16) WHERE last_position = 4", 1),
        ("UPDATE commits SET hash = zeroblob(32) WHERE last_position = 8", 5),
        ("UPDATE commits SET hash = 'x' WHERE last_position = 8", 5),
        ("UPDATE commits SET kind_index = X'00' WHERE last_position = 12", 9),
        ("UPDATE commits SET kinds = 'SchoolRegistered' WHERE last_position = 18", 13),
        ("UPDATE commits SET payloads = payloads || X'0a7b7d' WHERE last_position = 24", 19),
        (
            "UPDATE commits SET payloads = CAST(payloads || X'0a7b7d' AS BLOB) "
            "WHERE last_position = 24",
            19,
        ),
        ("UPDATE commits SET event_ids = randomblob(32) WHERE last_position = 30", 25),
        ("UPDATE commits SET recorded_at = 'yesterday' WHERE last_position = 4", 1),
        ("DELETE FROM event_ids WHERE position = 13", 13),
        ("UPDATE event_ids SET position = 14 WHERE position = 13", 13),
    ],
)
def test_verify_names_a_malformed_commit_row(
    clean_file: Path, tmp_path: Path, statement: str, position: int
) -> None:
    path = raw_edit(clean_file, tmp_path / "row.sqlite", (statement, ()))
    assert first_broken(path) == position


def test_a_commit_row_that_will_not_split_is_a_corrupt_record(
    clean_file: Path, tmp_path: Path
) -> None:
    path = raw_edit(
        clean_file,
        tmp_path / "split.sqlite",
        (
            "UPDATE commits SET payloads = CAST(payloads || X'0a7b7d' AS BLOB) "
            "WHERE last_position = 8",
            (),
        ),
    )
    with SqliteStore(path) as store:
        assert [r.position for r in store.read_all(limit=4)] == [1, 2, 3, 4]
        with pytest.raises(CorruptRecord) as caught:
            list(store.read_all())
        assert caught.value.position == 5
        assert "5 payloads" in str(caught.value)


def test_a_long_batch_takes_several_rows_and_reads_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.sqlite"
    with SqliteStore(path) as store:
        events = school_events(100009, 2_500, "long")
        assert store.append("school-100009", events).last_position == 2_500
        assert [r.event for r in store.read_all()] == list(events)
        assert [r.version for r in store.read_stream("school-100009", 1_999)] == list(
            range(2_000, 2_501)
        )
        assert store.verify() == 2_500
    conn = sqlite3.connect(path)
    try:
        counts = [c for (c,) in conn.execute("SELECT count FROM commits ORDER BY last_position")]
    finally:
        conn.close()
    assert sum(counts) == 2_500
    assert len(counts) == 3
    assert max(counts) <= 1_000


def test_given_ids_verify_and_an_edited_one_is_named_exactly(tmp_path: Path) -> None:
    path = tmp_path / "given.sqlite"
    with SqliteStore(path) as store:
        store.append("school-100001", school_events(100001, 1, "a"), event_ids=[uuid.uuid4()])
        ids = [uuid.uuid4() for _ in range(5)]
        store.append("school-100002", school_events(100002, 5, "b"), event_ids=ids)
        assert store.append("school-100002", school_events(100002, 5, "b"), event_ids=ids) == (
            AppendResult(5, 6)
        )
        assert [r.event_id for r in store.read_stream("school-100002")] == ids
        assert store.verify() == 6
    # The fourth id of the second row (position 5), replaced inside the row's id blob.
    edited_id = (
        "UPDATE commits SET event_ids = CAST(substr(event_ids, 1, 48) || randomblob(16) || "
        "substr(event_ids, 65) AS BLOB) WHERE last_position = 6"
    )
    assert first_broken(raw_edit(path, tmp_path / "edited.sqlite", (edited_id, ()))) == 5


@settings(max_examples=40, deadline=None)
@given(
    batches=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 4), st.booleans()), min_size=1, max_size=8
    )
)
def test_any_mix_of_batches_and_ids_verifies_and_reads_back(
    batches: list[tuple[int, int, bool]],
) -> None:
    """Fresh and given ids, single- and many-event rows: the log verifies and reads back."""
    with tempfile.TemporaryDirectory() as folder, SqliteStore(Path(folder) / "s.sqlite") as store:
        appended = []
        for n, (school, size, give_ids) in enumerate(batches):
            urn = 100200 + school
            events = school_events(urn, size, f"m{n}")
            ids = [uuid.uuid4() for _ in events] if give_ids else None
            store.append(f"school-{urn}", events, event_ids=ids)
            appended.extend(
                (f"school-{urn}", e, i) for e, i in zip(events, ids or [None] * size, strict=True)
            )
        assert store.verify() == len(appended) == store.head()
        records = list(store.read_all())
        assert [(r.stream, r.event) for r in records] == [(s, e) for s, e, _ in appended]
        for record, (_, _, given_id) in zip(records, appended, strict=True):
            assert given_id is None or record.event_id == given_id
        assert len({r.event_id for r in records}) == len(records)


def test_an_older_format_names_its_version(tmp_path: Path) -> None:
    path = tmp_path / "format2.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "INSERT INTO meta VALUES ('format', 'hubcore-event-store'), ('format_version', '2')"
    )
    conn.execute("CREATE TABLE events (position INTEGER PRIMARY KEY, payload BLOB)")
    conn.close()
    with pytest.raises(HubcoreError, match=r"format version '2' is not supported.*version 3"):
        SqliteStore(path)


def test_a_store_missing_a_table_is_refused_by_name(clean_file: Path, tmp_path: Path) -> None:
    path = raw_edit(clean_file, tmp_path / "damaged.sqlite", ("DROP TABLE event_ids", ()))
    with pytest.raises(HubcoreError, match="a damaged hubcore store: format 3 but no event_ids"):
        SqliteStore(path)


def test_fresh_ids_overlapping_stored_ids_are_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The odds are about 1 in 2**73 per millisecond; forced here by repeating a start."""
    first = fresh_first_id(10)
    monkeypatch.setattr(_batch, "fresh_first_id", lambda count: first)
    with SqliteStore(tmp_path / "overlap.sqlite") as store:
        store.append("school-100001", school_events(100001, 3, "a"))
        with pytest.raises(DuplicateEventId, match="fresh event ids overlap stored ids"):
            store.append("school-100002", school_events(100002, 2, "b"))
        assert store.head() == 3
        assert store.streams() == ["school-100001"]
        assert store.verify() == 3
