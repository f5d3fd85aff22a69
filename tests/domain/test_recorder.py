"""The Recorder: all-or-nothing batches, the state cache, concurrency, both store backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import event as note_event
from hypothesis import given
from hypothesis import strategies as st

from hubcore import ConcurrencyError, DomainError
from hubcore.domain import Recorder, check_history, fold, initial_state
from hubcore.events import Event
from hubcore.store import EventStore, open_store

from . import _strategies as gen
from ._events import D0, TODAY, agreed, completed, conversation, engaged, registered

URN = 100001
D1 = D0.replace(month=10)


@contextmanager
def fresh_store(url: str = "memory://") -> Iterator[EventStore]:
    with open_store(url) as store:
        yield store


def stored(store: Any, stream: str) -> list[Event]:
    return [recorded.event for recorded in store.read_stream(stream)]


def snapshot(store: Any) -> dict[str, list[Event]]:
    return {stream: stored(store, stream) for stream in store.streams()}


def test_a_batch_with_one_bad_event_appends_nothing(store) -> None:
    recorder = Recorder(store, clock=lambda: TODAY)
    recorder.record(registered(URN))
    batch = [
        registered(100002),
        engaged(URN, D1),
        conversation(URN, D1, "C1"),
        completed(URN, D1, "A9"),  # never agreed
        engaged(100002, D1),
    ]
    with pytest.raises(DomainError, match="action-agreed-first"):
        recorder.record_many(batch)
    assert store.head() == 1
    assert store.streams() == ["school-100001"]
    # the cache was not advanced by the refused batch
    assert recorder.school(URN).version == 1
    assert recorder.school(URN).conversations == frozenset()
    recorder.record_many(batch[:3])
    assert store.head() == 4


def test_record_many_of_nothing_appends_nothing(store) -> None:
    assert Recorder(store).record_many([]) == []
    assert store.head() == 0


def test_events_of_one_stream_land_in_order_in_one_append(store) -> None:
    recorder = Recorder(store, clock=lambda: TODAY)
    batch = [registered(URN), registered(100002), conversation(URN, D1, "C1")]
    batch += [agreed(URN, D1, "A1", "C1"), engaged(100002, D1)]
    results = recorder.record_many(batch)
    assert [r.last_version for r in results] == [3, 2]
    assert stored(store, "school-100001") == [batch[0], batch[2], batch[3]]
    assert stored(store, "school-100002") == [batch[1], batch[4]]


def test_cached_state_equals_freshly_loaded_state(store) -> None:
    recorder = Recorder(store, clock=lambda: TODAY)
    recorder.record_many([registered(URN), conversation(URN, D1, "C1"), agreed(URN, D1, "A1")])
    recorder.record(completed(URN, D1, "A1"))
    cached = recorder.school(URN)
    fresh = Recorder(store).school(URN)
    assert cached == fresh
    assert fresh.version == 4
    assert fresh.actions == {"A1"}
    assert fresh.open_actions == frozenset()
    assert fold(initial_state("school-100001"), stored(store, "school-100001")) == fresh


def test_the_cache_spares_rereading_streams(store) -> None:
    reads: list[str] = []
    original = store.read_stream

    def counting(stream: str, from_version: int = 0):
        reads.append(stream)
        return original(stream, from_version)

    store.read_stream = counting
    recorder = Recorder(store, clock=lambda: TODAY)
    recorder.record(registered(URN))
    for n in range(5):
        recorder.record(conversation(URN, D1, f"C{n}"))
    assert reads == ["school-100001"]


def test_another_writer_is_caught_up_and_the_batch_rechecked(store) -> None:
    mine = Recorder(store, clock=lambda: TODAY)
    theirs = Recorder(store, clock=lambda: TODAY)
    mine.record_many([registered(URN), agreed(URN, D1, "A1")])
    theirs.record(conversation(URN, D1, "C1"))  # mine's cache is now stale
    result = mine.record(engaged(URN, D1))
    assert result.last_version == 4
    assert mine.school(URN) == Recorder(store).school(URN)
    assert mine.school(URN).conversations == {"C1"}


def test_a_rule_broken_by_another_writer_is_caught_on_recheck(store) -> None:
    mine = Recorder(store, clock=lambda: TODAY)
    theirs = Recorder(store, clock=lambda: TODAY)
    mine.record_many([registered(URN), agreed(URN, D1, "A1")])
    theirs.record(completed(URN, D1, "A1"))
    with pytest.raises(DomainError, match="action-completed-once"):
        mine.record(completed(URN, D1, "A1"))
    assert store.head() == 3
    assert mine.school(URN) == Recorder(store).school(URN)


def test_a_second_concurrency_error_gives_up(store) -> None:
    mine = Recorder(store, clock=lambda: TODAY)
    mine.record(registered(URN))
    other = Recorder(store, clock=lambda: TODAY)
    other.record(engaged(URN, D1))
    original = store.read_stream

    def racing(stream: str, from_version: int = 0):
        yield from original(stream, from_version)
        other.record(engaged(URN, D1))  # lands while mine re-checks

    store.read_stream = racing
    with pytest.raises(ConcurrencyError):
        mine.record(engaged(URN, D1))
    assert store.stream_version("school-100001") == 3


def test_the_sqlite_store(tmp_path) -> None:
    path = tmp_path / "log.sqlite"
    batch = [registered(URN), conversation(URN, D1, "C1"), agreed(URN, D1, "A1", "C1")]
    with fresh_store(f"sqlite:///{path}") as store:
        recorder = Recorder(store, clock=lambda: TODAY)
        recorder.record_many(batch)
        with pytest.raises(DomainError, match="unique-ids"):
            recorder.record_many([engaged(URN, D1), agreed(URN, D1, "A1")])
        assert store.head() == 3
        cached = recorder.school(URN)
    with fresh_store(f"sqlite:///{path}") as store:
        reopened = Recorder(store, clock=lambda: TODAY)
        assert reopened.school(URN) == cached
        with pytest.raises(DomainError, match="register-once"):
            reopened.record(registered(URN, D1))
        reopened.record(completed(URN, D1, "A1"))
        assert stored(store, "school-100001") == [*batch, completed(URN, D1, "A1")]


def valid_prefix(candidates: list[Event], states: dict[str, Any]) -> list[Event]:
    """The candidates the rules accept, each checked after those kept before it."""
    kept: list[Event] = []
    for candidate in candidates:
        try:
            states = check_history([candidate], today=TODAY, states=states)
        except DomainError:
            continue
        kept.append(candidate)
    return kept


@given(
    prepared=st.booleans(),
    earlier=st.lists(gen.events, max_size=8),
    candidates=st.lists(gen.events, max_size=12),
    intruder=st.none() | st.tuples(gen.events, st.integers(0, 20)),
)
def test_record_many_appends_all_or_nothing(prepared, earlier, candidates, intruder) -> None:
    """Random valid-by-construction batches, sometimes with one arbitrary event slipped in."""
    with fresh_store() as store:
        recorder = Recorder(store, clock=lambda: TODAY)
        if prepared:
            recorder.record_many(gen.setup)
        known = {stream: recorder.state(stream) for stream in store.streams()}
        recorder.record_many(valid_prefix(earlier, known))  # an existing history
        before = snapshot(store)
        head = store.head()
        states = {stream: recorder.state(stream) for stream in before}
        batch = valid_prefix(candidates, states)
        if intruder is not None:
            slipped, where = intruder
            batch.insert(where % (len(batch) + 1), slipped)
        try:
            expected = check_history(batch, today=TODAY, states=states)
        except DomainError as error:
            expected_error: DomainError | None = error
        else:
            expected_error = None

        if expected_error is not None:
            note_event("refused")
            with pytest.raises(DomainError) as caught:
                recorder.record_many(batch)
            assert str(caught.value) == str(expected_error)
            assert store.head() == head
            assert snapshot(store) == before
        else:
            note_event("appended")
            results = recorder.record_many(batch)
            assert len(results) == len({e.stream for e in batch})
            assert store.head() == head + len(batch)
            after = snapshot(store)
            for stream, events in after.items():
                added = [e for e in batch if e.stream == stream]
                assert events == before.get(stream, []) + added
                if added:
                    assert recorder.state(stream) == expected[stream]
        # whatever happened, every cached state equals a freshly loaded one
        fresh = Recorder(store)
        for stream in store.streams():
            assert recorder.state(stream) == fresh.state(stream)


def test_several_streams_land_in_one_transaction(store) -> None:
    calls: list[str] = []
    many, one = store.append_many, store.append
    store.append_many = lambda batches: calls.append("many") or many(batches)
    store.append = lambda *a, **k: calls.append("one") or one(*a, **k)
    mine = Recorder(store, clock=lambda: TODAY)
    results = mine.record_many([registered(URN), registered(100002), engaged(URN, D1)])
    assert calls == ["many"]
    assert [r.last_version for r in results] == [2, 1]
    assert mine.school(URN) == Recorder(store).school(URN)


def test_a_stale_stream_sends_the_batch_stream_by_stream(store) -> None:
    mine = Recorder(store, clock=lambda: TODAY)
    mine.record_many([registered(URN), registered(100002)])
    Recorder(store, clock=lambda: TODAY).record(engaged(100002, D1))  # 100002 now stale
    before = store.head()
    results = mine.record_many([engaged(URN, D1), conversation(100002, D1, "C1")])
    assert [r.last_version for r in results] == [2, 3]
    assert store.head() == before + 2
    assert mine.school(100002) == Recorder(store).school(100002)


def test_a_failure_after_another_stream_landed_says_so(store) -> None:
    mine = Recorder(store, clock=lambda: TODAY)
    mine.record_many([registered(URN), registered(100002)])
    other = Recorder(store, clock=lambda: TODAY)
    other.record(engaged(100002, D1))  # mine's cache of 100002 is stale
    original = store.read_stream

    def racing(stream: str, from_version: int = 0):
        yield from original(stream, from_version)
        if stream == "school-100002":
            other.record(engaged(100002, D1))  # and again, while mine re-checks

    store.read_stream = racing
    with pytest.raises(ConcurrencyError) as caught:
        mine.record_many([engaged(URN, D1), engaged(100002, D1)])
    assert (
        "already appended by this call, before the failure: school-100001"
        in (caught.value.__notes__)[0]
    )
    assert store.stream_version("school-100001") == 2


# -- retries and threads ---------------------------------------------------------------------


def _racing_store(store: Any, other: Recorder, times: int) -> None:
    """Make ``other`` append to the school's stream during each of the next ``times``
    catch-ups, so each retry meets another writer again."""
    original = store.read_stream
    left = [times]

    def racing(stream: str, from_version: int = 0):
        yield from original(stream, from_version)
        if left[0] > 0:
            left[0] -= 1
            other.record(engaged(URN, D1))

    store.read_stream = racing


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_retries_are_configurable(store, retries: int) -> None:
    mine = Recorder(store, clock=lambda: TODAY, retries=retries)
    assert mine.retries == retries
    mine.record(registered(URN))
    other = Recorder(store, clock=lambda: TODAY)
    other.record(engaged(URN, D1))  # mine's cache is stale: the first append conflicts
    # another writer lands during each catch-up but the last: only the last retry succeeds
    _racing_store(store, other, times=max(0, retries - 1))
    if retries == 0:
        with pytest.raises(ConcurrencyError):
            mine.record(conversation(URN, D1, "C1"))
        assert store.stream_version(f"school-{URN}") == 2
    else:
        mine.record(conversation(URN, D1, "C1"))
        assert stored(store, f"school-{URN}")[-1] == conversation(URN, D1, "C1")
        assert store.stream_version(f"school-{URN}") == 2 + retries


def test_one_retry_too_few_lets_the_conflict_through(store) -> None:
    mine = Recorder(store, clock=lambda: TODAY, retries=2)
    mine.record(registered(URN))
    other = Recorder(store, clock=lambda: TODAY)
    other.record(engaged(URN, D1))
    _racing_store(store, other, times=2)  # conflicts on the first try and both retries
    with pytest.raises(ConcurrencyError):
        mine.record(conversation(URN, D1, "C1"))
    assert conversation(URN, D1, "C1") not in stored(store, f"school-{URN}")


@pytest.mark.parametrize("hub_store_backend", ["memory", "sqlite"], indirect=True)
def test_one_recorder_shared_by_threads_loses_nothing(hub_store) -> None:
    import threading

    recorder = Recorder(hub_store, clock=lambda: TODAY)
    urns = [URN + n for n in range(4)]
    recorder.record_many([registered(urn) for urn in urns])
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(10):
                # two threads per school: they share streams as well as the cache
                recorder.record(conversation(urns[worker % 4], D1, f"T{worker}-{n}"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert hub_store.head() == 4 + 80
    for urn in urns:
        held = {e.conversation_id for e in stored(hub_store, f"school-{urn}")[1:]}
        assert len(held) == 20
        assert recorder.school(urn) == Recorder(hub_store).school(urn)


@pytest.mark.parametrize("hub_store_backend", ["memory", "sqlite"], indirect=True)
def test_recorders_in_threads_on_one_store_retry_each_others_appends(hub_store) -> None:
    import threading

    Recorder(hub_store, clock=lambda: TODAY).record(registered(URN))
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(worker: int) -> None:
        mine = Recorder(hub_store, clock=lambda: TODAY, retries=50)
        try:
            start.wait()
            for n in range(10):
                mine.record(conversation(URN, D1, f"T{worker}-{n}"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert hub_store.stream_version(f"school-{URN}") == 41


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda s: Recorder(None), "needs an event store"),
        (lambda s: Recorder(s, retries=-1), "retries must be an int >= 0"),
        (lambda s: Recorder(s, retries=1.5), "retries must be an int >= 0"),
        (lambda s: Recorder(s, clock="today"), "clock must be callable"),
        (
            lambda s: Recorder(s, clock=lambda: "today").record(registered(URN)),
            "must return a date",
        ),
        (lambda s: Recorder(s).record("SchoolRegistered"), "item 0 is not a hubcore event"),
        (lambda s: Recorder(s).record_many(None), "iterable of events"),
        (lambda s: Recorder(s).record_many(registered(URN)), "iterable of events"),
    ],
)
def test_bad_arguments_are_refused_naming_them(store, make, needle: str) -> None:
    from hubcore import InvalidRequest

    with pytest.raises(InvalidRequest, match=needle):
        make(store)
    assert store.head() == 0
