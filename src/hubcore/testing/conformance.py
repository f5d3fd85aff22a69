"""The event store conformance suite: one base class every backend's tests derive from.

Usage (pytest style; no unittest)::

    import pytest
    from hubcore.store import SqliteStore
    from hubcore.testing.conformance import StoreConformance

    class TestSqlite(StoreConformance):
        persistent = True

        @pytest.fixture
        def store_factory(self, tmp_path):
            path = tmp_path / "events.sqlite"
            return lambda: SqliteStore(path)

The one fixture to override is ``store_factory``. It returns a callable ``make()`` taking no
arguments and returning an :class:`~hubcore.store.EventStore`:

* the **first** call in a test must return a fresh, **empty** store;
* if the class sets ``persistent = True``, every **later** call in the same test must open
  the **same** location again (e.g. the same file), seeing all that earlier handles stored;
  with ``persistent = False`` (the default) every call returns another fresh, empty store,
  independent of the others -- the reopen tests then check exactly that.

An optional fixture, ``tamper``, lets the suite check that ``verify()`` notices edits made
behind the store's back: return a :class:`Tamper` (two methods, each changing the
stored log of an open store directly, e.g. with SQL and the append-only triggers
dropped). Without it, the two tamper tests are skipped, saying so.

Every test's docstring states the guarantee it checks and the likely cause when it fails.
The suite closes every store it opens. It needs the ``testing`` extra (pytest, hypothesis).
"""

from __future__ import annotations

import inspect
import itertools
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, timedelta
from typing import Any, ClassVar, Protocol

from hubcore.testing._extra import missing_extra

try:
    import pytest
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError as _error:
    raise missing_extra(__name__, _error) from None

from hubcore.errors import (
    ConcurrencyError,
    DuplicateEventId,
    HubcoreError,
    IntegrityError,
    InvalidRead,
    StoreClosed,
)
from hubcore.events import (
    ActionAgreed,
    ConversationHeld,
    Event,
    HubStaffTrained,
    SchoolEngaged,
    SchoolRegistered,
    TrainingDelivered,
)
from hubcore.store import (
    ANY,
    NO_STREAM,
    AppendResult,
    EventStore,
    Recorded,
    StoredProjection,
)
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
    DeliveredBy,
    Grade,
    Offer,
    Participant,
    Phase,
    TrainingFormat,
    TrainingTopic,
)

__all__ = ["StoreConformance", "StoreFactory", "Tamper", "school_events", "tampered_payload"]

StoreFactory = Callable[[], EventStore]
"""What the ``store_factory`` fixture returns (see the module docstring)."""

_START = date(2025, 9, 1)


class Tamper(Protocol):
    """What a backend's ``tamper`` fixture returns: edits behind an open store's back."""

    def edit(self, store: EventStore, position: int) -> None:
        """Change the stored payload of the event at ``position`` (e.g. with
        :func:`tampered_payload`), leaving everything else as stored."""
        ...

    def remove(self, store: EventStore, position: int) -> None:
        """Remove what the backend stores for the event at ``position`` (its whole
        commit row, for the built-in backends)."""
        ...


def tampered_payload(payload: bytes) -> bytes:
    """``payload`` (a stored JSON object) changed as an editor might: one more space before
    its closing brace, so it still decodes to the same event and only the chain tells."""
    return payload[:-1] + b" }"


def _school_event(urn: int, i: int, tag: str) -> Event:
    day = _START + timedelta(days=i % 300)
    kind = i % 5
    if kind == 0:
        return SchoolRegistered(
            occurred_on=day,
            urn=urn,
            name=f"School {urn} {tag}",
            phase=Phase.PRIMARY,
            la_code="201",
            pupils_on_roll=200 + i % 400,
            disadvantaged_pct=12.5,
        )
    if kind == 1:
        return SchoolEngaged(
            occurred_on=day,
            urn=urn,
            offer={Offer.SINGING, Offer.CPD},
            agreement=Agreement.PARTNERSHIP_AGREEMENT,
            agreed_by_role=AgreedByRole.HEADTEACHER,
        )
    if kind == 2:
        return ConversationHeld(
            occurred_on=day,
            urn=urn,
            conversation_id=f"{tag}-c{i}",
            kind=ConversationKind.SUPPORTIVE,
            participants={Participant.MUSIC_LEAD, Participant.HUB_ADVISER},
            judgements={Area.CURRICULUM_TIME: Grade.EXPECTED},
            next_due_on=day + timedelta(days=90),
        )
    if kind == 3:
        return TrainingDelivered(
            occurred_on=day,
            urn=urn,
            topic=TrainingTopic.SINGING,
            format=TrainingFormat.CPD_SESSION,
            hours=1.5,
            staff_trained=3 + i % 7,
            delivered_by=DeliveredBy.HUB_STAFF,
        )
    return ActionAgreed(
        occurred_on=day,
        urn=urn,
        action_id=f"{tag}-a{i}",
        description="Plan a singing assembly each week",
        owner=ActionOwner.SCHOOL,
        due_on=day + timedelta(days=30),
    )


def school_events(urn: int, count: int, tag: str = "t") -> list[Event]:
    """``count`` realistic events for the school ``urn`` (stream ``school-<urn>``)."""
    return [_school_event(urn, i, tag) for i in range(count)]


def _hub_event(hub_id: str) -> Event:
    return HubStaffTrained(
        occurred_on=_START, hub_id=hub_id, topic=TrainingTopic.SINGING, hours=2.0, staff_count=4
    )


class StoreConformance:
    """Tests every :class:`~hubcore.store.EventStore` must pass; subclass and override
    ``store_factory`` (see the module docstring)."""

    persistent: ClassVar[bool] = False

    @pytest.fixture
    def store_factory(self) -> StoreFactory:
        """Override: return ``make()`` giving a fresh empty store (see the module doc)."""
        raise NotImplementedError("a StoreConformance subclass must override store_factory")

    @pytest.fixture
    def tamper(self) -> Tamper | None:
        """Override (optional): return a :class:`Tamper` for this backend."""
        return None

    @pytest.fixture
    def make_store(self, store_factory: StoreFactory) -> Iterator[StoreFactory]:
        opened: list[EventStore] = []

        def make() -> EventStore:
            store = store_factory()
            opened.append(store)
            return store

        yield make
        for store in opened:
            store.close()

    @pytest.fixture
    def store(self, make_store: StoreFactory) -> EventStore:
        return make_store()

    # -- basics ----------------------------------------------------------------------------

    def test_empty_store(self, store: EventStore) -> None:
        """A fresh store is empty everywhere: head 0, no streams, nothing to read, verify 0.

        Fails when ``store_factory`` does not hand out a fresh store for each test (left
        over rows from an earlier test), or head/verify count from 1."""
        assert store.head() == 0
        assert store.streams() == []
        assert store.stream_version("school-100000") == 0
        assert list(store.read_all()) == []
        assert list(store.read_stream("school-100000")) == []
        assert store.verify() == 0

    def test_versions_positions_and_envelope(self, store: EventStore) -> None:
        """Versions count per stream from 1, positions over the whole log from 1 without
        gaps, and each envelope carries its stream, ids given, an aware UTC
        ``recorded_at``, the schema version and the event as appended.

        Fails when positions are taken per stream, ids given are replaced, or
        ``recorded_at`` comes back naive or in local time."""
        a, b = school_events(100001, 3, "a"), school_events(100002, 2, "b")
        ids = [uuid.uuid4() for _ in a]
        assert store.append("school-100001", a, event_ids=ids) == AppendResult(3, 3)
        assert store.append("school-100002", b) == AppendResult(2, 5)
        assert store.append("school-100001", a[:1]) == AppendResult(4, 6)
        records = list(store.read_all())
        assert [r.position for r in records] == [1, 2, 3, 4, 5, 6]
        assert [(r.stream, r.version) for r in records] == [
            ("school-100001", 1),
            ("school-100001", 2),
            ("school-100001", 3),
            ("school-100002", 1),
            ("school-100002", 2),
            ("school-100001", 4),
        ]
        assert [r.event for r in records] == [*a, *b, a[0]]
        assert [r.event_id for r in records[:3]] == ids
        assert len({r.event_id for r in records}) == 6
        for r in records:
            assert isinstance(r, Recorded)
            assert r.recorded_at.utcoffset() == timedelta(0)
            assert r.recorded_at.tzinfo is not None
            assert r.schema_version == type(r.event).schema_version
            assert r.event_type == type(r.event).event_type
        assert records[0].recorded_at.astimezone(UTC).year >= 2025
        assert store.head() == 6
        assert store.stream_version("school-100001") == 4
        assert store.stream_version("school-100002") == 2

    def test_read_stream_from_version(self, store: EventStore) -> None:
        """``read_stream(s, from_version=v)`` yields exactly versions > v of that stream, in
        order, with their global positions.

        Fails when the version filter is off by one, or rows of other streams leak in."""
        events = school_events(100003, 7, "s")
        store.append("school-100003", events[:4])
        store.append("school-100004", school_events(100004, 2))
        store.append("school-100003", events[4:])
        got = list(store.read_stream("school-100003", from_version=2))
        assert [r.version for r in got] == [3, 4, 5, 6, 7]
        assert [r.event for r in got] == events[2:]
        assert [r.position for r in got] == [3, 4, 7, 8, 9]
        assert list(store.read_stream("school-100003", from_version=7)) == []
        assert list(store.read_stream("school-199999")) == []

    def test_read_all_after_and_limit(self, store: EventStore) -> None:
        """``read_all(after, limit)`` starts strictly after ``after`` and stops at ``limit``.

        Fails on an off-by-one at a page boundary or a limit counted in rows, not events."""
        store.append("school-100005", school_events(100005, 10))
        assert [r.position for r in store.read_all(after=7)] == [8, 9, 10]
        assert [r.position for r in store.read_all(after=2, limit=3)] == [3, 4, 5]
        assert list(store.read_all(after=10)) == []
        assert list(store.read_all(limit=0)) == []

    @pytest.mark.parametrize("count", [1, 2, 3])
    def test_partitions_split_the_log_by_stream(self, store: EventStore, count: int) -> None:
        """``partition=(i, n)`` splits the log into n disjoint parts, whole streams each, in log
        order, and combines with ``after`` and ``limit``.

        Fails when the bucket rule depends on something other than the stream (so a
        stream's events land in two parts) or ``limit`` is applied before filtering."""
        for urn in range(100010, 100022):
            store.append(f"school-{urn}", school_events(urn, 1 + urn % 3))
        store.append("hub-north", [_hub_event("north")])
        whole = list(store.read_all())
        parts = [list(store.read_all(partition=(i, count))) for i in range(count)]
        for part in parts:  # each part in log order, whole streams only
            assert [r.position for r in part] == sorted(r.position for r in part)
        seen = [r.position for part in parts for r in part]
        assert sorted(seen) == [r.position for r in whole]  # every event exactly once
        owners = {r.stream: i for i, part in enumerate(parts) for r in part}
        assert len(owners) == len({r.stream for r in whole})
        if count > 1:
            assert sum(1 for part in parts if part) > 1  # the split is not degenerate
        after = whole[4].position
        assert [r.position for r in store.read_all(after=after, partition=(0, count))] == [
            r.position for r in parts[0] if r.position > after
        ]
        assert [r.position for r in store.read_all(partition=(0, count), limit=2)] == [
            r.position for r in parts[0][:2]
        ]

    def test_a_range_of_buckets_is_their_union(self, store: EventStore) -> None:
        """A ``range`` of buckets reads exactly the union of those buckets, in log order.

        Fails when the range's stop is taken as inclusive."""
        for urn in range(100030, 100042):
            store.append(f"school-{urn}", school_events(urn, 2))
        buckets = [[r.position for r in store.read_all(partition=(i, 5))] for i in range(5)]
        joined = [r.position for r in store.read_all(partition=(range(1, 4), 5))]
        assert joined == sorted(buckets[1] + buckets[2] + buckets[3])
        every = [r.position for r in store.read_all(partition=(range(5), 5))]
        assert every == [r.position for r in store.read_all()]

    @pytest.mark.parametrize(
        "partition",
        [(2, 2), (-1, 2), (0, 0), (1,), "0/2", (range(1, 3), 2), (range(0, 2, 2), 2), (True, 2)],
    )
    def test_bad_partition_is_refused(self, store: EventStore, partition: Any) -> None:
        """A malformed ``partition`` raises :class:`~hubcore.InvalidRead` naming it.

        Fails when a backend accepts bools as ints, or ranges with steps."""
        with pytest.raises(InvalidRead, match="partition"):
            list(store.read_all(partition=partition))

    def test_streams_and_prefix(self, store: EventStore) -> None:
        """``streams(prefix)`` lists stream names sorted, filtered by prefix.

        Fails when names come back in insertion order."""
        store.append("school-100007", school_events(100007, 1))
        store.append("hub-north", [_hub_event("north")])
        store.append("school-100006", school_events(100006, 1))
        assert store.streams() == ["hub-north", "school-100006", "school-100007"]
        assert store.streams("school-") == ["school-100006", "school-100007"]
        assert store.streams("hub-") == ["hub-north"]
        assert store.streams("nothing") == []

    @pytest.mark.parametrize(
        ("call", "words"),
        [
            (lambda s: s.read_all(limit=-1), "limit"),
            (lambda s: s.read_all(limit=1.5), "limit"),
            (lambda s: s.read_all(limit=True), "limit"),
            (lambda s: s.read_all(after="x"), "after"),
            (lambda s: s.read_all(after=-1), "after"),
            (lambda s: s.read_all(after=None), "after"),
            (lambda s: s.read_stream("school-100001", from_version=-1), "from_version"),
            (lambda s: s.read_stream("school-100001", from_version="2"), "from_version"),
            (lambda s: s.read_stream(100001), "stream"),
            (lambda s: s.stream_version(None), "stream"),
            (lambda s: s.streams(prefix=5), "prefix"),
            (lambda s: s.load_projection(None), "name"),
            (lambda s: s.delete_projection(7), "name"),
        ],
    )
    def test_bad_read_arguments_are_refused(
        self, store: EventStore, call: Callable[[EventStore], Any], words: str
    ) -> None:
        """Every read refuses a malformed argument at the call, the same way on every
        backend: :class:`~hubcore.InvalidRead` naming the argument, nothing read.

        Fails when a backend passes the value to its database (``LIMIT -1`` means "no
        limit" to SQLite) or checks it only when the reader is first advanced."""
        store.append("school-100001", school_events(100001, 3))
        with pytest.raises(InvalidRead, match=words):
            call(store)
        assert store.head() == 3

    def test_fresh_ids_are_uuid7(self, store: EventStore) -> None:
        """Ids the store makes are UUIDv7 (RFC 9562): version 7, the RFC variant, the
        append's Unix time in milliseconds in the first 48 bits; ascending within a batch
        and from one batch to a later one.

        Fails when a backend makes its own ids (uuid4) instead of the core's, or stores
        them in another byte order."""
        before = time.time_ns() // 1_000_000
        store.append("school-100002", school_events(100002, 50))
        time.sleep(0.002)
        store.append("school-100003", school_events(100003, 5))
        after = time.time_ns() // 1_000_000
        ids = [r.event_id for r in store.read_all()]
        assert len(set(ids)) == 55
        for event_id in ids:
            assert event_id.version == 7
            assert event_id.variant == uuid.RFC_4122
            assert before <= event_id.int >> 80 <= after
        assert ids == sorted(ids, key=lambda i: i.int)

    # -- concurrency -----------------------------------------------------------------------

    def test_expected_version(self, store: EventStore) -> None:
        """``expected_version`` is ANY, NO_STREAM or the exact version; a mismatch raises
        :class:`~hubcore.ConcurrencyError` with the stream, what was expected and the
        actual version, and stores nothing.

        Fails when the version is read outside the write transaction (a race) or the
        error carries the wrong ``actual``."""
        stream = "school-100010"
        one = school_events(100010, 1)
        assert store.append(stream, one, NO_STREAM).last_version == 1
        assert store.append(stream, one, 1).last_version == 2
        assert store.append(stream, one, ANY).last_version == 3
        assert store.append("school-100011", school_events(100011, 1), 0).last_version == 1
        for expected in (NO_STREAM, 0, 2, 4):
            with pytest.raises(ConcurrencyError) as caught:
                store.append(stream, one, expected)
            assert caught.value.stream == stream
            assert caught.value.expected == expected
            assert caught.value.actual == 3
        assert store.head() == 4

    def test_bad_expected_version_is_refused(self, store: EventStore) -> None:
        """A malformed ``expected_version`` (negative, text, float, bool, None) is refused and
        nothing is stored.

        Fails when ``True`` passes as 1 or ``"1"`` is converted."""
        for bad in (-1, "1", 1.0, True, None):
            with pytest.raises(HubcoreError):
                store.append("school-100012", school_events(100012, 1), bad)  # type: ignore[arg-type]
        assert store.head() == 0

    # -- atomic batches --------------------------------------------------------------------

    def test_invalid_event_in_the_middle_stores_nothing(self, store: EventStore) -> None:
        """A batch with one bad member (another stream's event, not an event) or no events
        stores nothing at all: no row, no stream, no version.

        Fails when a backend writes event by event outside one transaction."""
        store.append("school-100020", school_events(100020, 2))
        good = school_events(100020, 5, "g")
        for bad in (school_events(100021, 1)[0], "not an event", object()):
            batch: list[Any] = [*good[:2], bad, *good[2:]]
            with pytest.raises(HubcoreError):
                store.append("school-100020", batch)
        with pytest.raises(HubcoreError):
            store.append("school-100020", [])
        assert store.head() == 2
        assert store.stream_version("school-100020") == 2
        assert store.streams() == ["school-100020"]
        assert store.verify() == 2

    def test_event_ids_must_match_events(self, store: EventStore) -> None:
        """``event_ids`` must give one distinct UUID per event.

        Fails when a short id list is padded or a repeated id is accepted."""
        events = school_events(100022, 3)
        with pytest.raises(HubcoreError):
            store.append("school-100022", events, event_ids=[uuid.uuid4()])
        same = uuid.uuid4()
        with pytest.raises(DuplicateEventId):
            store.append("school-100022", events, event_ids=[same, uuid.uuid4(), same])
        assert store.head() == 0

    # -- idempotent retries ----------------------------------------------------------------

    def test_retry_with_same_ids_stores_nothing_twice(self, store: EventStore) -> None:
        """Appending the same batch with the same ids again (a retry after a lost answer)
        returns the first result and stores nothing, whatever ``expected_version`` says.

        Fails when the retry is checked after the expected version, or ids are not
        indexed."""
        stream = "school-100030"
        events = school_events(100030, 4)
        ids = [uuid.uuid4() for _ in events]
        store.append("school-100031", school_events(100031, 2))
        first = store.append(stream, events, NO_STREAM, event_ids=ids)
        store.append("school-100031", school_events(100031, 1))
        for expected in (NO_STREAM, ANY, 0, 4):
            assert store.append(stream, events, expected, event_ids=ids) == first
        assert first == AppendResult(4, 6)
        assert store.head() == 7
        assert [r.event_id for r in store.read_stream(stream)] == ids
        assert store.verify() == 7

    def test_partial_overlap_is_a_duplicate(self, store: EventStore) -> None:
        """Ids already stored, in another batch shape, order or stream, raise
        :class:`~hubcore.DuplicateEventId` and store nothing.

        Fails when only the first id of a batch is looked up."""
        stream = "school-100032"
        events = school_events(100032, 4)
        ids = [uuid.uuid4() for _ in events]
        store.append(stream, events[:2], event_ids=ids[:2])
        with pytest.raises(DuplicateEventId):
            store.append(stream, events, event_ids=ids)  # the first two again, plus two
        with pytest.raises(DuplicateEventId):
            store.append(stream, events[:2], event_ids=ids[1::-1])  # reordered
        with pytest.raises(DuplicateEventId):
            store.append("school-100033", school_events(100033, 2), event_ids=ids[:2])
        assert store.head() == 2
        assert store.streams() == [stream]

    # -- several streams at once -------------------------------------------------------------

    def test_append_many_lands_every_batch_in_order(self, store: EventStore) -> None:
        """``append_many`` appends each batch as ``append`` would, in order, in one go: a
        stream named twice goes on from its first batch; one result per batch.

        Fails when the core takes the head or a version from a tip that cannot see the
        rows inserted earlier in the same transaction (positions or versions repeat)."""
        a, b = "school-100050", "school-100051"
        store.append(b, school_events(100051, 2))
        results = store.append_many(
            [
                (a, school_events(100050, 3), NO_STREAM),
                (b, school_events(100051, 2, "m"), 2),
                (a, school_events(100050, 1, "n"), 3),
            ]
        )
        assert results == [AppendResult(3, 5), AppendResult(4, 7), AppendResult(4, 8)]
        assert store.append_many([]) == []
        assert store.head() == 8
        assert [(r.stream, r.version, r.position) for r in store.read_all()] == [
            (b, 1, 1), (b, 2, 2), (a, 1, 3), (a, 2, 4), (a, 3, 5), (b, 3, 6), (b, 4, 7),
            (a, 4, 8),
        ]  # fmt: skip
        assert store.stream_version(a) == 4
        assert store.verify() == 8
        assert store.append(a, school_events(100050, 1, "o"), 4) == AppendResult(5, 9)

    def test_append_many_conflict_in_a_later_stream_stores_nothing(self, store: EventStore) -> None:
        """A version conflict, or an id already stored, in the second batch of an
        ``append_many`` stores nothing of the first batch either: no row, no stream, no
        version; the same call with the right version then lands whole.

        Fails when a backend commits batch by batch, or keeps the name of a stream
        created in a rolled-back transaction."""
        a, b = "school-100052", "school-100053"
        store.append(b, school_events(100053, 2))
        taken = uuid.uuid4()
        store.append(b, school_events(100053, 1, "t"), event_ids=[taken])
        first = (a, school_events(100052, 3), NO_STREAM)
        with pytest.raises(ConcurrencyError) as caught:
            store.append_many([first, (b, school_events(100053, 2, "c"), 2)])
        assert (caught.value.stream, caught.value.expected, caught.value.actual) == (b, 2, 3)
        with pytest.raises(DuplicateEventId):
            store.append_many(
                [first, (b, school_events(100053, 2, "d"), ANY, [uuid.uuid4(), taken])]
            )
        assert store.head() == 3
        assert store.streams() == [b]
        assert store.stream_version(a) == 0
        assert list(store.read_stream(a)) == []
        assert store.verify() == 3
        results = store.append_many([first, (b, school_events(100053, 2, "c"), 3)])
        assert results == [AppendResult(3, 6), AppendResult(5, 8)]
        assert store.verify() == 8

    def test_append_many_retry_with_same_ids_stores_nothing_twice(self, store: EventStore) -> None:
        """Sending the same ``append_many`` again with the same event ids (a retry after a
        lost answer, or an import run again) returns the first results and stores
        nothing, whatever the expected versions say.

        Fails when a retry is recognised for ``append`` only, or checked after the
        expected version."""
        a, b = "school-100054", "school-100055"
        ids_a = [uuid.uuid4() for _ in range(3)]
        ids_b = [uuid.uuid4() for _ in range(2)]
        batches = [
            (a, school_events(100054, 3), NO_STREAM, ids_a),
            (b, school_events(100055, 2), NO_STREAM, ids_b),
        ]
        first = store.append_many(batches)
        assert first == [AppendResult(3, 3), AppendResult(2, 5)]
        store.append(b, school_events(100055, 1, "x"))
        assert store.append_many(batches) == first
        assert store.append_many([(a, batches[0][1], ANY, ids_a)]) == first[:1]
        assert store.head() == 6
        assert [r.event_id for r in store.read_stream(a)] == ids_a
        with pytest.raises(DuplicateEventId):
            store.append_many([(b, school_events(100055, 2), ANY, ids_b[::-1])])
        assert store.head() == 6
        assert store.verify() == 6

    def test_append_many_argument_errors_store_nothing(self, store: EventStore) -> None:
        """Malformed ``append_many`` calls are refused before anything is written, the
        error naming the batch: not a list, a batch that is not a tuple of 2 to 4, an
        empty batch, an event of another stream, a bad expected version or id list, an
        id used by two batches.

        Fails when batches are checked one by one as they are written."""
        good = ("school-100056", school_events(100056, 2))
        shared = uuid.uuid4()
        bad_calls: list[Any] = [
            "school-100056",
            good,
            [good, ["school-100057", school_events(100057, 1)]],
            [good, ("school-100057",)],
            [good, ("school-100057", school_events(100057, 1), ANY, None, "extra")],
            [good, ("school-100057", [])],
            [good, ("school-100057", school_events(100058, 1))],
            [good, ("school-100057", school_events(100057, 1), -1)],
            [good, ("school-100057", school_events(100057, 1), "1")],
            [good, ("school-100057", school_events(100057, 2), ANY, [uuid.uuid4()])],
            [
                (*good, ANY, [uuid.uuid4(), shared]),
                ("school-100057", school_events(100057, 1), ANY, [shared]),
            ],
        ]
        for bad in bad_calls:
            with pytest.raises(HubcoreError) as caught:
                store.append_many(bad)
            assert "append_many" in str(caught.value), bad
        assert store.head() == 0
        assert store.streams() == []

    # -- laziness --------------------------------------------------------------------------

    def test_reads_are_lazy(self, store: EventStore) -> None:
        """Reads are generators that fetch a page at a time: the first ten events of a 20,000
        event log come quickly and in little memory.

        Fails when a backend fetches the whole log (``fetchall`` without ``LIMIT``)."""
        total = 20_000
        for start in range(0, total, 1000):
            urn = 100100 + start // 1000
            store.append(f"school-{urn}", school_events(urn, 1000, f"z{start}"))
        assert store.head() == total
        reader = store.read_all()
        assert inspect.isgenerator(reader)
        assert inspect.isgenerator(store.read_stream("school-100100"))
        tracemalloc.start()
        try:
            began = time.perf_counter()
            first = list(itertools.islice(store.read_all(after=5), 10))
            elapsed = time.perf_counter() - began
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert [r.position for r in first] == list(range(6, 16))
        assert elapsed < 1.0
        # 20k decoded events take well over 10 MB; a page of them far less.
        assert peak < 4_000_000
        count = sum(1 for _ in reader)
        assert count == total

    def test_reader_sees_a_consistent_order_while_appending(self, store: EventStore) -> None:
        """A reader started before an append sees ascending, distinct positions across it.

        Fails when pages are keyed by offset rather than by the last position read."""
        store.append("school-100040", school_events(100040, 5))
        reader = store.read_all()
        seen = [next(reader).position]
        store.append("school-100041", school_events(100041, 3))
        seen += [r.position for r in reader]
        assert seen == sorted(seen)
        assert seen[:5] == [1, 2, 3, 4, 5]
        assert len(set(seen)) == len(seen)

    # -- integrity -------------------------------------------------------------------------

    def test_verify_a_clean_log(self, store: EventStore) -> None:
        """``verify()`` accepts an untouched log and counts its events.

        Fails when the chain is hashed differently on write and on verify (e.g. the
        stream keyed differently), or a row's ids are not indexed as runs."""
        store.append("school-100050", school_events(100050, 12))
        store.append("hub-south", [_hub_event("south")])
        store.append("school-100050", school_events(100050, 3, "x"))
        assert store.verify() == 16

    def test_verify_notices_an_edited_event(self, store: EventStore, tamper: Tamper | None) -> None:
        """An event's stored bytes edited behind the store's back make ``verify()`` raise
        :class:`~hubcore.IntegrityError` naming that event's position.

        Fails when the backend hands the core rows other than those it stored (a cache),
        or drops the per-event checks."""
        if tamper is None:
            pytest.skip("this backend's tests supply no tamper fixture")
        for urn in range(100051, 100056):
            store.append(f"school-{urn}", school_events(urn, 3))
        assert store.verify() == 15
        tamper.edit(store, 8)
        with pytest.raises(IntegrityError) as caught:
            store.verify()
        assert caught.value.position == 8

    def test_verify_notices_a_removed_row(self, store: EventStore, tamper: Tamper | None) -> None:
        """Removing a stored event (its commit row) makes ``verify()`` raise
        :class:`~hubcore.IntegrityError` at the first position missing.

        Fails when positions are renumbered on read, or the chain is not checked from
        the first row on."""
        if tamper is None:
            pytest.skip("this backend's tests supply no tamper fixture")
        for urn in range(100056, 100061):
            store.append(f"school-{urn}", school_events(urn, 3))
        tamper.remove(store, 8)
        with pytest.raises(IntegrityError) as caught:
            store.verify()
        assert 7 <= caught.value.position <= 8

    # -- live subscriptions and claims -----------------------------------------------------

    def test_a_subscription_delivers_the_log_then_each_new_event(
        self, make_store: StoreFactory
    ) -> None:
        """``subscribe(after=p)`` yields the stored events after ``p`` in order, then waits
        and yields each event appended later (by another handle, when the store is
        persistent) exactly once; ``position`` follows what it delivered.

        Fails when the subscription reads from its own cache instead of the store, or
        re-reads from ``after`` rather than from the last position delivered."""
        store = make_store()
        writer = make_store() if self.persistent else store
        store.append("school-100081", school_events(100081, 3))
        with store.subscribe(after=1, poll=0.05) as live:
            first = [live.get(timeout=10) for _ in range(2)]
            assert [r.position for r in first if r is not None] == [2, 3]
            assert live.get(timeout=0.1) is None
            later = threading.Timer(0.2, writer.append, ("school-100082", school_events(100082, 2)))
            later.start()
            try:
                more = [live.get(timeout=10) for _ in range(2)]
            finally:
                later.join()
            assert [(r.stream, r.position) for r in more if r is not None] == [
                ("school-100082", 4),
                ("school-100082", 5),
            ]
            assert live.position == 5
            assert live.get(timeout=0.1) is None
        with store.subscribe(after=live.position, poll=0.05) as again:
            writer.append("school-100081", school_events(100081, 1, "z"))
            resumed = again.get(timeout=10)
            assert resumed is not None
            assert resumed.position == 6
        with pytest.raises(InvalidRead):
            store.subscribe(after=-1)

    def test_claims_are_exclusive_until_released(self, make_store: StoreFactory) -> None:
        """``claim(name)`` gives one holder a name at a time, across every handle on the
        same store; releasing it lets the next claim succeed; other names are free.

        Fails when a claim is only remembered per handle (two workers would both fold the
        same projection)."""
        store = make_store()
        claim = store.claim("coverage")  # type: ignore[attr-defined]
        assert claim is not None
        assert claim.held()
        assert store.claim("coverage") is None  # type: ignore[attr-defined]
        other = make_store() if self.persistent else store
        assert other.claim("coverage") is None  # type: ignore[attr-defined]
        second = other.claim("cadence")  # type: ignore[attr-defined]
        assert second is not None
        claim.release()
        assert not claim.held()
        again = other.claim("coverage")  # type: ignore[attr-defined]
        assert again is not None
        again.release()
        second.release()

    def test_a_log_copied_from_another_store_verifies(self, store: EventStore) -> None:
        """``copy_log`` moves a log row by row from another backend: the copy holds the
        same events, ids and order, verifies (the chain does not depend on the backend),
        and takes new appends after it.

        Fails when a backend rewrites a row it is given (e.g. re-keys the stream inside
        the hashed fields) or orders rows other than by position."""
        from hubcore.store import MemoryStore, Store, copy_log

        source = MemoryStore()
        for urn in range(100091, 100096):
            source.append(f"school-{urn}", school_events(urn, 4))
        source.append(
            "school-100091", school_events(100091, 2, "x"), event_ids=[uuid.uuid4(), uuid.uuid4()]
        )
        assert isinstance(store, Store)
        assert copy_log(source, store) == 22
        assert store.verify() == 22
        copied, original = list(store.read_all()), list(source.read_all())
        assert [(r.position, r.stream, r.version, r.event_id, r.event) for r in copied] == [
            (r.position, r.stream, r.version, r.event_id, r.event) for r in original
        ]
        assert store.append("school-100091", school_events(100091, 1, "y")) == AppendResult(7, 23)
        assert store.verify() == 23

    # -- projections -----------------------------------------------------------------------

    def test_projection_state(self, store: EventStore) -> None:
        """Projection states save, load, replace and delete by name.

        Fails when ``save_projections`` appends instead of replacing."""
        assert store.load_projection("coverage") is None
        a = StoredProjection("coverage", 1, 10, b'{"schools": 3}')
        b = StoredProjection("cadence", 2, 7, b"\x00\x01binary")
        store.save_projections([a, b])
        assert store.load_projection("coverage") == a
        assert store.load_projection("cadence") == b
        a2 = StoredProjection("coverage", 1, 12, b'{"schools": 4}')
        store.save_projections([a2])
        assert store.load_projection("coverage") == a2
        store.delete_projection("coverage")
        store.delete_projection("never-saved")
        assert store.load_projection("coverage") is None
        assert store.load_projection("cadence") == b

    def test_projection_save_is_all_or_nothing(self, store: EventStore) -> None:
        """A save with one malformed state stores none of the states given.

        Fails when states are checked while being written."""
        old = StoredProjection("coverage", 1, 5, b"old")
        store.save_projections([old])
        bad: Any = StoredProjection("other", 1, 5, "not bytes")  # type: ignore[arg-type]
        with pytest.raises(HubcoreError):
            store.save_projections([StoredProjection("coverage", 1, 9, b"new"), bad])
        with pytest.raises(HubcoreError):
            store.save_projections([StoredProjection("x", -1, 0, b"")])
        assert store.load_projection("coverage") == old
        assert store.load_projection("other") is None
        assert store.load_projection("x") is None

    # -- lifetime --------------------------------------------------------------------------

    def test_closed_store_refuses_use(self, store: EventStore) -> None:
        """A closed store raises :class:`~hubcore.StoreClosed`; closing twice is harmless.

        Fails when ``close`` leaves the connection usable or raises the second time."""
        store.append("school-100060", school_events(100060, 1))
        store.close()
        store.close()  # closing twice is harmless
        with pytest.raises(StoreClosed):
            store.append("school-100060", school_events(100060, 1))
        with pytest.raises(StoreClosed):
            store.head()
        with pytest.raises(StoreClosed):
            list(store.read_all())

    def test_context_manager_closes(self, make_store: StoreFactory) -> None:
        """``with store:`` closes the store on the way out.

        Fails when ``__exit__`` does not call ``close``."""
        with make_store() as store:
            store.append("school-100061", school_events(100061, 1))
        with pytest.raises(StoreClosed):
            store.head()

    def test_reopen(self, make_store: StoreFactory) -> None:
        """With ``persistent = True`` a reopened store holds everything stored, verifies, and
        still recognises a retry; otherwise each open is a fresh empty store.

        Fails when the id index or projection states are kept only in memory."""
        first = make_store()
        events = school_events(100070, 5)
        ids = [uuid.uuid4() for _ in events]
        first.append("school-100070", events, event_ids=ids)
        first.save_projections([StoredProjection("p", 1, 5, b"s")])
        first.close()
        again = make_store()
        if not self.persistent:
            assert again.head() == 0
            assert again.load_projection("p") is None
            return
        assert again.head() == 5
        assert [r.event for r in again.read_all()] == events
        assert again.verify() == 5
        assert again.load_projection("p") == StoredProjection("p", 1, 5, b"s")
        assert again.append("school-100070", events, event_ids=ids) == AppendResult(5, 5)
        assert again.append("school-100070", events[:1], 5) == AppendResult(6, 6)
        assert again.verify() == 6

    # -- the model, as a property ----------------------------------------------------------

    # One store serves every example (the model starts from what it holds), and subclasses
    # run this same method once per backend: both health checks are expected here.
    @settings(
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
            HealthCheck.too_slow,
        ]
    )
    @given(
        st.lists(
            st.tuples(
                st.integers(100200, 100204),
                st.integers(1, 4),
                st.sampled_from(["any", "exact", "stale", "retry"]),
            ),
            max_size=8,
        )
    )
    def test_behaves_like_the_model(
        self, store: EventStore, ops: list[tuple[int, int, str]]
    ) -> None:
        """Any mix of appends, exact and stale expected versions and retries matches a plain
        list model of the log.

        Fails on any disagreement of versions, positions, retries or stale appends."""
        # The store is shared by all examples, so the model starts from what is stored.
        model: list[tuple[str, Event]] = [(r.stream, r.event) for r in store.read_all()]
        last: dict[str, tuple[list[Event], list[uuid.UUID], AppendResult]] = {}
        for urn, count, mode in ops:
            stream = f"school-{urn}"
            version = sum(1 for s, _ in model if s == stream)
            if mode == "retry" and stream in last:
                events, ids, result = last[stream]
                assert store.append(stream, events, ANY, event_ids=ids) == result
                continue
            events = school_events(urn, count, f"m{len(model)}")
            ids = [uuid.uuid4() for _ in events]
            if mode == "stale":
                with pytest.raises(ConcurrencyError):
                    store.append(stream, events, version + 1, event_ids=ids)
                continue
            expected = version if mode == "exact" else ANY
            result = store.append(stream, events, expected, event_ids=ids)
            model += [(stream, e) for e in events]
            assert result == AppendResult(version + count, len(model))
            last[stream] = (events, ids, result)
        records = list(store.read_all())
        assert [r.position for r in records] == list(range(1, len(model) + 1))
        assert [(r.stream, r.event) for r in records] == model
        for stream in {s for s, _ in model}:
            versions = [r.version for r in store.read_stream(stream)]
            assert versions == list(range(1, len(versions) + 1))
            assert store.stream_version(stream) == len(versions)
        assert store.head() == len(model)

    @settings(
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
            HealthCheck.too_slow,
        ]
    )
    @given(
        st.lists(
            st.lists(
                st.tuples(
                    st.integers(100210, 100213),
                    st.integers(1, 3),
                    st.sampled_from(["any", "exact", "exact", "stale"]),
                ),
                min_size=1,
                max_size=4,
            ),
            max_size=5,
        )
    )
    def test_append_many_is_the_appends_in_order_or_nothing(
        self, store: EventStore, calls: list[list[tuple[int, int, str]]]
    ) -> None:
        """Any ``append_many`` call equals its batches appended one after another (each
        stream's version going on from its earlier batches in the call) when no batch's
        expected version is stale, and changes nothing at all when one is.

        Fails when a later batch's version or position ignores the earlier batches of
        its call, or a stale batch leaves the batches before it stored."""
        model: list[tuple[str, Event]] = [(r.stream, r.event) for r in store.read_all()]
        for call in calls:
            versions: dict[str, int] = {}
            batches: list[tuple[str, list[Event], Any]] = []
            results: list[AppendResult] = []
            stale = False
            position = len(model)
            for urn, count, mode in call:
                stream = f"school-{urn}"
                version = versions.get(stream, sum(1 for s, _ in model if s == stream))
                expected: Any = {"any": ANY, "exact": version, "stale": version + 1}[mode]
                stale = stale or mode == "stale"
                batches.append((stream, school_events(urn, count, f"n{position}"), expected))
                versions[stream] = version + count
                position += count
                results.append(AppendResult(version + count, position))
            if stale:
                with pytest.raises(ConcurrencyError):
                    store.append_many(batches)
                assert store.head() == len(model)
                continue
            assert store.append_many(batches) == results
            model += [(stream, e) for stream, events, _ in batches for e in events]
        records = list(store.read_all())
        assert [(r.stream, r.event) for r in records] == model
        assert [r.position for r in records] == list(range(1, len(model) + 1))
        for stream in {s for s, _ in model}:
            versions_read = [r.version for r in store.read_stream(stream)]
            assert versions_read == list(range(1, len(versions_read) + 1))
        assert store.verify() == len(model)
