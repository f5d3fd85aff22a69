"""A stateful test: an SQLite store and a Projector under random operations, against a model.

The machine draws one causally valid history (``hubcore.testing.strategies.histories``) and
then interleaves, at random:

* appends of the history's events through the store API, a few batches at a time, each
  batch the next pending events of one stream (each stream keeps its order; streams
  interleave differently from the history, as with concurrent writers), with an exact
  ``expected_version``, ``ANY`` or ``NO_STREAM``, with or without event ids;
* conflicts: an append with a stale ``expected_version`` -> ``ConcurrencyError``, nothing
  stored;
* retries: a batch appended before, sent again with the same event ids (and any
  ``expected_version``) -> the original ``AppendResult``, nothing stored twice; and a batch
  that only partly overlaps a stored one -> ``DuplicateEventId``, nothing stored;
* catch-ups and rebuilds of the projections;
* reopenings: close the store, open the file again with a new Projector, which resumes from
  its saved checkpoints.

The model is plain lists: the appended events with their stream, version and id, each
stream's version, and each projection's checkpoint. The projections are checked against
``fold`` over envelopes built from the model, never against the store's own read path.
Projector saves every 1 or 3 events, or only at the end of a catch-up, are all drawn.
``--hypothesis-show-statistics`` shows how long the logs got and how often the store was
reopened.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from hubcore.errors import ConcurrencyError, DuplicateEventId
from hubcore.events import Event
from hubcore.projections import (
    BUILTIN_MODELS,
    DEFAULT_SAVE_EVERY,
    Projector,
    builtin_projections,
    fold,
)
from hubcore.store import (
    ANY,
    NO_STREAM,
    AppendResult,
    EventStore,
    ExpectedVersion,
    Recorded,
    open_store,
)
from hubcore.testing.strategies import histories

NAMES = sorted(BUILTIN_MODELS)
MIN_EVENTS, MAX_EVENTS = 8, 60  # each example's history: enough to interleave several streams
STEPS = 50
_RECORDED_AT = datetime(2026, 1, 1, tzinfo=UTC)  # the model's envelopes: projections ignore it

# A real file, closed and reopened for real; on tmpfs where there is one, since every append
# commits with fsync and durability is not what this test is about (it halves the run time).
_SHM = Path("/dev/shm")
_FAST_TMP = str(_SHM) if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None


class Logged(NamedTuple):
    """One appended event as the model knows it."""

    stream: str
    version: int
    event_id: uuid.UUID
    event: Event


class Batch(NamedTuple):
    """One successful append: what was sent and what came back."""

    stream: str
    events: tuple[Event, ...]
    event_ids: tuple[uuid.UUID, ...]
    result: AppendResult


class StoreAndProjector(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="hubcore-stateful-", dir=_FAST_TMP))
        self.url = f"sqlite:///{self.dir / 'events.sqlite'}"
        self.store: EventStore = open_store(self.url)
        self.save_every = DEFAULT_SAVE_EVERY
        self.projector = Projector(self.store)
        # the model
        self.pending: list[Event] = []
        self.log: list[Logged] = []
        self.versions: dict[str, int] = {}
        self.batches: list[Batch] = []
        self.checkpoints = dict.fromkeys(NAMES, 0)
        self._ids = itertools.count(1)
        self._folds: dict[int, dict[str, Any]] = {}

    # -- model helpers -----------------------------------------------------------------------

    def fresh_ids(self, n: int) -> tuple[uuid.UUID, ...]:
        return tuple(uuid.UUID(int=(0xC0FFEE << 64) | next(self._ids)) for _ in range(n))

    def folded(self, length: int) -> dict[str, Any]:
        """Every built-in projection folded over the model's first ``length`` events."""
        if length not in self._folds:
            records = [
                Recorded(
                    stream=e.stream,
                    version=e.version,
                    position=position,
                    event_id=e.event_id,
                    recorded_at=_RECORDED_AT,
                    schema_version=e.event.schema_version,
                    event=e.event,
                )
                for position, e in enumerate(self.log[:length], start=1)
            ]
            self._folds[length] = fold(builtin_projections(), records)
        return self._folds[length]

    def assert_unchanged(self) -> None:
        assert self.store.head() == len(self.log)
        for stream, version in self.versions.items():
            assert self.store.stream_version(stream) == version

    # -- rules -------------------------------------------------------------------------------

    @initialize(
        history=histories(schools=(1, 5), years=(1, 2), max_events=MAX_EVENTS).filter(
            lambda h: len(h) >= MIN_EVENTS
        ),
        save_every=st.sampled_from([1, 3, DEFAULT_SAVE_EVERY]),
    )
    def start(self, history: list[Event], save_every: int) -> None:
        self.pending = list(history)
        self.save_every = save_every
        self.projector = Projector(self.store, save_every=save_every)

    @precondition(lambda self: self.pending)
    @rule(
        sizes=st.lists(st.integers(1, 6), min_size=1, max_size=4),
        style=st.sampled_from(["exact", "any", "no-stream"]),
        give_ids=st.booleans(),
    )
    def append(self, sizes: list[int], style: str, give_ids: bool) -> None:
        for size in sizes:
            if self.pending:
                self.append_one(size, style, give_ids)

    def append_one(self, size: int, style: str, give_ids: bool) -> None:
        """Append the next ``size`` (at most) pending events of the first pending stream.

        Each stream's events keep their order; streams interleave differently from the
        history, as they do with concurrent writers.
        """
        stream = self.pending[0].stream
        taken = [i for i, e in enumerate(self.pending) if e.stream == stream][:size]
        events = tuple(self.pending[i] for i in taken)
        n = len(events)
        current = self.versions.get(stream, 0)
        expected: int | ExpectedVersion = current
        if style == "any":
            expected = ANY
        elif style == "no-stream" and current == 0:
            expected = NO_STREAM
        ids = self.fresh_ids(n) if give_ids else None
        result = self.store.append(stream, events, expected, event_ids=ids)
        assert result == AppendResult(current + n, len(self.log) + n)
        if ids is None:
            ids = tuple(r.event_id for r in self.store.read_stream(stream, from_version=current))
            assert len(ids) == n
            assert len(set(ids)) == n
        for i, (appended, event_id) in enumerate(zip(events, ids, strict=True), start=1):
            self.log.append(Logged(stream, current + i, event_id, appended))
        self.versions[stream] = current + n
        self.batches.append(Batch(stream, events, ids, result))
        for i in reversed(taken):
            del self.pending[i]

    @rule(data=st.data())
    def conflict(self, data: st.DataObject) -> None:
        candidates = sorted(self.versions)
        if self.pending:
            candidates.append(self.pending[0].stream)
        if not candidates:
            return
        stream = data.draw(st.sampled_from(candidates), label="stream")
        actual = self.versions.get(stream, 0)
        stale = st.integers(0, actual + 2).map(lambda v: v if v < actual else v + 1)
        expected = data.draw(
            st.one_of(stale, st.just(NO_STREAM)) if actual > 0 else stale, label="expected"
        )
        if self.pending and self.pending[0].stream == stream:
            event = self.pending[0]
        else:
            event = next(e.event for e in reversed(self.log) if e.stream == stream)
        with pytest.raises(ConcurrencyError) as caught:
            self.store.append(stream, [event], expected, event_ids=self.fresh_ids(1))
        assert caught.value.stream == stream
        assert caught.value.actual == actual
        self.assert_unchanged()

    @precondition(lambda self: self.batches)
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        batch = self.batches[data.draw(st.integers(0, len(self.batches) - 1), label="batch")]
        expected = data.draw(
            st.one_of(st.just(ANY), st.just(NO_STREAM), st.integers(0, len(self.log) + 2)),
            label="expected",
        )
        result = self.store.append(batch.stream, batch.events, expected, event_ids=batch.event_ids)
        assert result == batch.result
        self.assert_unchanged()

    @precondition(lambda self: self.batches)
    @rule(data=st.data())
    def partial_overlap(self, data: st.DataObject) -> None:
        batch = self.batches[data.draw(st.integers(0, len(self.batches) - 1), label="batch")]
        events = (*batch.events, batch.events[-1])
        ids = (*batch.event_ids, *self.fresh_ids(1))
        with pytest.raises(DuplicateEventId):
            self.store.append(batch.stream, events, ANY, event_ids=ids)
        self.assert_unchanged()

    @rule()
    def catch_up(self) -> None:
        head = len(self.log)
        read = self.projector.catch_up()
        assert read == head - min(self.checkpoints.values())
        self.checkpoints = dict.fromkeys(NAMES, head)
        expected = self.folded(head)
        for name in NAMES:
            assert self.projector.checkpoint(name) == head
            assert self.projector.get(name) == expected[name], name

    @rule(name=st.sampled_from(NAMES))
    def rebuild(self, name: str) -> None:
        head = len(self.log)
        caught_up = self.checkpoints[name] == head
        before = self.projector.get(name)
        assert self.projector.rebuild(name) == head
        self.checkpoints[name] = head
        assert self.projector.checkpoint(name) == head
        assert self.projector.get(name) == self.folded(head)[name]
        if caught_up:
            assert self.projector.get(name) == before

    @rule()
    def reopen(self) -> None:
        event("reopened with events stored" if self.log else "reopened empty")
        self.store.close()
        self.store = open_store(self.url)
        self.projector = Projector(self.store, save_every=self.save_every)
        assert self.store.verify() == len(self.log)
        for name in NAMES:
            checkpoint = self.checkpoints[name]
            assert self.projector.checkpoint(name) == checkpoint, name
            assert self.projector.get(name) == self.folded(checkpoint)[name], name

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def the_log_is_the_model(self) -> None:
        stored = [
            (r.stream, r.version, r.event_id, r.event, r.position) for r in self.store.read_all()
        ]
        expected = [(*e, position) for position, e in enumerate(self.log, start=1)]
        assert stored == expected
        assert self.store.head() == len(self.log)
        assert self.store.streams() == sorted(self.versions)

    @invariant()
    def the_projector_lags_by_the_model(self) -> None:
        assert self.projector.lag() == len(self.log) - min(self.checkpoints.values())

    def teardown(self) -> None:
        event(f"events appended: {len(self.log) // 10 * 10}-{len(self.log) // 10 * 10 + 9}")
        event(f"history events left unappended: {len(self.pending) // 10 * 10}+")
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)


StoreAndProjector.TestCase.settings = settings(
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestStoreAndProjector = StoreAndProjector.TestCase
