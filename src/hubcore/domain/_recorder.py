"""The Recorder: checks commands (events) against the rules, then appends them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

import attrs

from hubcore.domain._decide import decide
from hubcore.domain._state import HubState, SchoolState, StreamState, evolve, initial_state
from hubcore.errors import ConcurrencyError, InvalidRequest
from hubcore.events import Event
from hubcore.store import EventStore

if TYPE_CHECKING:
    from hubcore.store import AppendResult

__all__ = ["DEFAULT_RETRIES", "Recorder"]

DEFAULT_RETRIES = 1
"""How many times a Recorder catches up and retries an append that met another writer."""

_log = logging.getLogger("hubcore.domain.recorder")


class Recorder:
    """Records events as commands: each is checked against the domain rules, then appended.

    ``clock`` gives "today" (events dated later are refused); inject a fixed one in tests.
    The Recorder caches each stream's state, loaded once from ``store`` and advanced on
    every successful append, so bulk loading never re-reads a stream. If another writer
    appends to a cached stream, the next append meets a :class:`hubcore.ConcurrencyError`;
    the Recorder then catches up that stream from the store, checks its events again and
    retries, up to ``retries`` times (default :data:`DEFAULT_RETRIES`; 0: never), before
    letting the ConcurrencyError through.

    Thread-safe: one Recorder may be shared by threads. Its calls are serialised by a lock
    of its own (so its cache never sees half an update); appends by other Recorders or
    processes on the same store are the concurrency the retries handle. The store must be
    thread-safe too, as hubcore's memory, SQLite and PostgreSQL stores are.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        clock: Callable[[], date] = date.today,
        retries: int = DEFAULT_RETRIES,
    ) -> None:
        if not isinstance(store, EventStore):
            raise InvalidRequest(f"Recorder needs an event store, got {type(store).__name__}")
        if not callable(clock):
            raise InvalidRequest(f"Recorder clock must be callable, got {type(clock).__name__}")
        if type(retries) is not int or retries < 0:
            raise InvalidRequest(f"Recorder retries must be an int >= 0, got {retries!r}")
        self._store = store
        self._clock = clock
        self._retries = retries
        self._states: dict[str, StreamState] = {}
        self._lock = threading.RLock()

    @property
    def retries(self) -> int:
        """How many times an append that met another writer is caught up and retried."""
        return self._retries

    @property
    def store(self) -> EventStore:
        """The store events are appended to."""
        return self._store

    def state(self, stream: str) -> StreamState:
        """The (cached) state of ``stream``, loaded from the store on first use."""
        with self._lock:
            state = self._states.get(stream)
            if state is None:
                state = self._catch_up(initial_state(stream))
                self._states[stream] = state
            return state

    def school(self, urn: int) -> SchoolState:
        """The (cached) state of the school with this URN."""
        state = self.state(f"school-{urn}")
        assert isinstance(state, SchoolState)
        return state

    def hub(self, hub_id: str) -> HubState:
        """The (cached) state of the hub with this id."""
        state = self.state(f"hub-{hub_id}")
        assert isinstance(state, HubState)
        return state

    def forget(self, stream: str | None = None) -> None:
        """Drop the cached state of ``stream`` (of every stream when None)."""
        with self._lock:
            if stream is None:
                self._states.clear()
            else:
                self._states.pop(stream, None)

    def record(self, event: Event) -> AppendResult:
        """Check ``event`` against the rules and append it; raise DomainError if refused."""
        return self.record_many((event,))[0]

    def record_many(self, events: Iterable[Event]) -> list[AppendResult]:
        """Check every event, in order, then append them grouped by stream.

        Returns one :class:`~hubcore.store.AppendResult` per stream, in the order each stream
        first appears. If any event breaks a rule, :class:`hubcore.DomainError` names it and
        nothing at all is appended. The streams are appended in one transaction
        (``store.append_many``); only if another writer appended to one of them meanwhile
        are they appended one by one, each caught up with and checked again.
        """
        with self._lock:
            return self._record_many(events)

    def _record_many(self, events: Iterable[Event]) -> list[AppendResult]:
        today = self._clock()
        if type(today) is not date:
            raise InvalidRequest(
                f"Recorder clock must return a date, got {type(today).__name__} {today!r}"
            )
        if isinstance(events, (str, bytes, Event)) or not isinstance(events, Iterable):
            raise InvalidRequest(
                f"record_many takes an iterable of events, got {type(events).__name__}"
            )
        pending: dict[str, StreamState] = {}
        groups: dict[str, list[Event]] = {}
        cached = self._states

        def lookup(urn: int) -> SchoolState:
            stream = f"school-{urn}"
            found = pending.get(stream) or cached.get(stream) or self.state(stream)
            assert isinstance(found, SchoolState)
            return found

        for index, event in enumerate(events):
            if not isinstance(event, Event):
                raise InvalidRequest(
                    f"record: item {index} is not a hubcore event, got {type(event).__name__}"
                )
            stream = event.stream
            state = pending.get(stream)
            if state is None:
                state = cached.get(stream)
                if state is None:
                    state = self.state(stream)
                groups[stream] = []
            decide(state, event, today, lookup)
            pending[stream] = evolve(state, event)
            groups[stream].append(event)
        return self._append(groups, pending, today, lookup)

    def _append(
        self,
        groups: dict[str, list[Event]],
        pending: dict[str, StreamState],
        today: date,
        lookup: Callable[[int], SchoolState],
    ) -> list[AppendResult]:
        if len(groups) > 1:
            together = self._append_together(groups, pending)
            if together is not None:
                return together
        results: list[AppendResult] = []
        try:
            for stream, batch in groups.items():
                expected = self._states[stream].version
                attempt = 0
                while True:
                    try:
                        result = self._store.append(stream, batch, expected_version=expected)
                        break
                    except ConcurrencyError as error:
                        if attempt >= self._retries:
                            raise
                        attempt += 1
                        _log.info(
                            "%s: another writer appended (%s); catching up, retry %d of %d",
                            stream,
                            error,
                            attempt,
                            self._retries,
                        )
                        fresh = self._catch_up(self._states[stream])
                        self._states[stream] = fresh
                        pending[stream] = _recheck(fresh, batch, today, lookup)
                        expected = fresh.version
                state = pending[stream]
                if result.last_version == state.version:
                    self._states[stream] = state
                else:  # not expected; never trust a cache that disagrees with the store
                    self._states.pop(stream, None)
                results.append(result)
        except Exception as error:
            if results:
                done = ", ".join(list(groups)[: len(results)])
                error.add_note(f"already appended by this call, before the failure: {done}")
            raise
        return results

    def _append_together(
        self, groups: dict[str, list[Event]], pending: dict[str, StreamState]
    ) -> list[AppendResult] | None:
        """Append every stream's batch in one transaction (``store.append_many``); None,
        with nothing stored, when another writer appended to one of the streams meanwhile
        (the caller then appends stream by stream, catching up and retrying each)."""
        requests = [
            (stream, batch, self._states[stream].version) for stream, batch in groups.items()
        ]
        try:
            results = self._store.append_many(requests)
        except ConcurrencyError:
            return None
        for (stream, _, _), result in zip(requests, results, strict=True):
            state = pending[stream]
            if result.last_version == state.version:
                self._states[stream] = state
            else:  # not expected; never trust a cache that disagrees with the store
                self._states.pop(stream, None)
        return results

    def _catch_up(self, state: StreamState) -> StreamState:
        """``state`` advanced by the events stored after its version."""
        last = state.version
        for recorded in self._store.read_stream(state.stream, from_version=last):
            state = evolve(state, recorded.event)
            last = recorded.version
        if state.version != last:
            state = _with_version(state, last)
        return state


def _recheck(
    state: StreamState,
    batch: Sequence[Event],
    today: date,
    lookup: Callable[[int], SchoolState],
) -> StreamState:
    for event in batch:
        decide(state, event, today, lookup)
        state = evolve(state, event)
    return state


def _with_version(state: StreamState, version: int) -> StreamState:
    return attrs.evolve(state, version=version)
