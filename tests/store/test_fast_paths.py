"""The store's fast paths give exactly what the slow, obvious paths give.

* the compiled per-class encoder writes the same bytes as the cattrs path, for every event;
* fresh event ids are UUIDv7-shaped, time-ordered within and across batches, never repeated;
* ``recorded_at`` survives the microsecond round trip exactly;
* malformed appends raise :class:`~hubcore.InvalidAppend` and store nothing.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hubcore
from hubcore import codec
from hubcore.errors import HubcoreError, InvalidAppend, NotAStore
from hubcore.events import EVENT_TYPES, Event
from hubcore.store import ANY, MemoryStore, SqliteStore
from hubcore.store._batch import consecutive_ids, fresh_first_id, moment, now_micros
from hubcore.testing.conformance import school_events
from hubcore.testing.strategies import EVENT_STRATEGIES, events


def test_every_event_type_is_compiled() -> None:
    assert set(codec._COMPILED) == set(EVENT_TYPES.values())
    for cls in EVENT_TYPES.values():
        assert codec.encoder_for(cls) is codec._COMPILED[cls][0]


@given(events())
def test_fast_encode_is_byte_identical_to_the_cattrs_path(event: Event) -> None:
    assert codec.encode(event) == codec._encode_reference(event)


@pytest.mark.parametrize("cls", sorted(EVENT_TYPES.values(), key=lambda c: c.event_type))
@settings(max_examples=20)
@given(data=st.data())
def test_fast_encode_per_type(cls: type[Event], data: st.DataObject) -> None:
    event = data.draw(EVENT_STRATEGIES[cls]())
    assert codec.encode(event) == codec._encode_reference(event)


@pytest.mark.parametrize(
    "hint", [complex, frozenset[tuple[int, int]], dict[str, list[int]], list[int], int | str]
)
def test_an_unknown_field_type_is_left_to_cattrs(hint: object) -> None:
    with pytest.raises(codec._Unsupported):
        codec._field(hint)


@given(st.lists(st.integers(1, 300), min_size=1, max_size=5))
def test_fresh_ids_are_uuid7_ordered_and_unique(sizes: list[int]) -> None:
    batches = [consecutive_ids(fresh_first_id(size), size) for size in sizes]
    before = time.time_ns() // 1_000_000
    for ids, size in zip(batches, sizes, strict=True):
        assert len(ids) == size
        assert ids == sorted(ids)  # ascending within a batch
        for raw in ids:
            value = uuid.UUID(bytes=raw)
            assert value.version == 7
            assert value.variant == uuid.RFC_4122
            assert int.from_bytes(raw[:6]) <= before  # a millisecond timestamp, not later
    flat = [raw for ids in batches for raw in ids]
    assert len(set(flat)) == len(flat)


def test_fresh_id_timestamps_follow_the_clock() -> None:
    first = consecutive_ids(fresh_first_id(1), 1)[0]
    time.sleep(0.003)
    second = consecutive_ids(fresh_first_id(1), 1)[0]
    assert first[:6] < second[:6]


@given(st.integers(-(2**62), 2**62))
def test_recorded_at_round_trips_in_microseconds(micros: int) -> None:
    try:
        when = moment(micros)
    except OverflowError:
        return  # beyond datetime's years 1-9999
    assert when.tzinfo is UTC
    assert (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1) == micros


def test_now_micros_is_now() -> None:
    assert abs(moment(now_micros()) - datetime.now(UTC)).total_seconds() < 5


def test_error_classes_are_exported() -> None:
    assert {"InvalidAppend", "NotAStore"} <= set(hubcore.__all__)
    assert {"InvalidAppend", "NotAStore"} <= set(hubcore.errors.__all__)
    assert issubclass(InvalidAppend, HubcoreError)
    assert issubclass(InvalidAppend, ValueError)
    assert issubclass(NotAStore, HubcoreError)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MemoryStore | SqliteStore:
    return MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "e.sqlite")


@pytest.mark.parametrize(
    ("stream", "make", "expected", "ids", "words"),
    [
        ("school-100001", lambda: [], ANY, None, "at least one event"),
        ("school-100001", lambda: school_events(100001, 2), -1, None, "expected_version"),
        ("school-100001", lambda: school_events(100001, 2), "3", None, "expected_version"),
        ("school-100001", lambda: school_events(100001, 2), True, None, "expected_version"),
        ("school-100002", lambda: school_events(100001, 2), ANY, None, "belongs in"),
        ("", lambda: school_events(100001, 2), ANY, None, "stream"),
        ("school-100001", lambda: school_events(100001, 2), ANY, [uuid.uuid4()], "1 event ids"),
        ("school-100001", lambda: school_events(100001, 1), ANY, ["not-a-uuid"], "UUIDs"),
        ("school-100001", lambda: [object()], ANY, None, "not a hubcore event"),
    ],
)
def test_malformed_appends_raise_invalid_append(
    store: MemoryStore | SqliteStore,
    stream: str,
    make: object,
    expected: object,
    ids: list[object] | None,
    words: str,
) -> None:
    with store:
        with pytest.raises(InvalidAppend, match=words):
            store.append(stream, make(), expected, event_ids=ids)  # type: ignore[operator, arg-type]
        assert store.head() == 0
        assert store.streams() == []


def test_an_unencodable_event_stores_nothing(store: MemoryStore | SqliteStore) -> None:
    good = school_events(100001, 3)
    bad = good[2]
    assert bad.event_type == "ConversationHeld"
    object.__setattr__(bad, "conversation_id", "lone surrogate \ud800")
    with store:
        store.append("school-100001", good[:1])
        with pytest.raises(hubcore.InvalidEvent, match="encoded as JSON"):
            store.append("school-100001", [good[1], bad])
        assert store.head() == 1
        assert [r.version for r in store.read_stream("school-100001")] == [1]
        assert store.verify() == 1


@pytest.mark.parametrize("kind", ["garbage", "foreign", "future", "directory"])
def test_not_a_store_names_the_path(tmp_path: Path, kind: str) -> None:
    import sqlite3

    path = tmp_path / f"{kind}.sqlite"
    if kind == "garbage":
        path.write_bytes(b"not a database" * 300)
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE people (name TEXT)")
        conn.commit()
        conn.close()
    elif kind == "future":
        SqliteStore(path).close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
        conn.close()
    else:
        path.mkdir()
    with pytest.raises(NotAStore) as caught:
        SqliteStore(path)
    assert str(path) in str(caught.value)
    assert caught.value.path == path
