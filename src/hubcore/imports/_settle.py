"""Checking an import's planned events against the store, before anything is appended.

For every stream the file touches, :func:`settle` reads what is stored and then, in file
order, for each planned event:

* an event whose id is already stored is **already imported** when the stored event is the
  same (the date aside, when the file gave none), and a problem when it differs: hubcore
  never overwrites a recorded fact;
* an event for a school that is not registered is a problem naming the URN (with the
  registered URNs one typo away), or skipped for national files (``optional_school``);
* an event of a published statistic (``from_registration``) dated before the school's
  registration is dated the registration day;
* every other event must pass the domain rules (:func:`hubcore.domain.decide`) against the
  stream as stored plus the file's earlier events; a refusal is a problem on its row.

Every problem is collected; the events that remain are grouped into one batch per stream.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import attrs

from hubcore._characters import ascii_digits
from hubcore.domain import SchoolState, StreamState, decide, evolve, initial_state
from hubcore.errors import DomainError
from hubcore.events import Event, SchoolEvent, SchoolRegistered
from hubcore.imports._append import StreamBatch, event_id
from hubcore.imports._problems import Problems
from hubcore.imports._rows import Planned

__all__ = ["NOT_REGISTERED", "Settled", "planned_events", "settle"]

NOT_REGISTERED = "school not registered in this store"
"""The reason national files' rows for other schools are skipped."""

_PROGRESS_STEP = 500
"""Checking reports progress every this many planned events."""

_RULE_FIELDS = {
    "no-future-dates": "occurred_on",
    "not-before-registration": "occurred_on",
    "not-after-closure": "occurred_on",
    "closure-after-recorded-events": "occurred_on",
    "participation-within-roll": "pupils",
}


@attrs.frozen
class Settled:
    """What an import would append, what it already holds, and what it skips."""

    batches: tuple[StreamBatch, ...]
    new: Counter[str]
    """Events to append, by type."""
    already: int
    """Events of the file already in the store (imported before)."""
    skipped: Counter[str]
    """Events left out, by reason."""


@attrs.define
class _Stream:
    state: StreamState
    stored: dict[uuid.UUID, Event]
    version: int
    events: list[Event] = attrs.field(factory=list)
    ids: list[uuid.UUID] = attrs.field(factory=list)


class _Streams:
    """Streams read on first use: their state and their stored events by id."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.loaded: dict[str, _Stream] = {}
        self._registered: set[int] | None = None

    def get(self, stream: str) -> _Stream:
        found = self.loaded.get(stream)
        if found is None:
            state = initial_state(stream)
            stored: dict[uuid.UUID, Event] = {}
            for recorded in self.store.read_stream(stream):
                state = evolve(state, recorded.event)
                stored[recorded.event_id] = recorded.event
            found = self.loaded[stream] = _Stream(state, stored, state.version)
        return found

    def school(self, urn: int) -> SchoolState:
        state = self.get(f"school-{urn}").state
        assert isinstance(state, SchoolState)
        return state

    def near(self, urn: int) -> list[int]:
        """Registered URNs one digit changed, or two neighbours swapped, away from ``urn``."""
        if self._registered is None:
            self._registered = set()
            for stream in self.store.streams("school-"):
                tail = stream.removeprefix("school-")
                if ascii_digits(tail):
                    self._registered.add(int(tail))
        return sorted(u for u in self._registered if _one_typo(str(u), str(urn)))


def _one_typo(a: str, b: str) -> bool:
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    i, j = [*diff, 0, 0][:2]
    return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


def _same(stored: Event, planned: Planned) -> bool:
    if stored == planned.event:
        return True
    if planned.dated_by_default and type(stored) is type(planned.event):
        return attrs.evolve(planned.event, occurred_on=stored.occurred_on) == stored
    return False


def _differences(stored: Event, event: Event) -> str:
    changed = [
        f"{field.name} {getattr(stored, field.name)!r} (file: {getattr(event, field.name)!r})"
        for field in attrs.fields(type(event))
        if getattr(stored, field.name) != getattr(event, field.name)
    ]
    return "; ".join(changed[:4]) or "its stored form"


def _refusal(error: DomainError) -> str:
    return str(error).removesuffix("; nothing was appended")


def settle(
    store: Any,
    kind: str,
    planned: Sequence[Planned],
    problems: Problems,
    *,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Settled:
    """Check ``planned`` (events of an import of ``kind``) against ``store``.

    Problems go to ``problems`` (raised by the caller, all together); ``progress(n)`` is
    called as events are checked.
    """
    day = today or date.today()
    streams = _Streams(store)
    new: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    already = 0
    order: list[str] = []

    def lookup(urn: int) -> SchoolState:
        return streams.school(urn)

    for given in _counted(planned, progress):
        stream = streams.get(given.event.stream)
        item = _from_registration(given, stream.state)
        event = item.event
        the_id = event_id(kind, item.key)
        stored = stream.stored.get(the_id)
        if stored is not None:
            if _same(stored, item):
                already += 1
            else:
                problems.add(
                    item.line,
                    item.columns.get("urn", "file"),
                    f"this {item.fact} was imported before with different values:"
                    f" {_differences(stored, event)}; hubcore never overwrites a recorded"
                    " fact, so nothing was imported",
                )
            continue
        state = stream.state
        if (
            isinstance(event, SchoolEvent)
            and not isinstance(event, SchoolRegistered)
            and isinstance(state, SchoolState)
            and state.registered_on is None
        ):
            if item.optional_school:
                skipped[NOT_REGISTERED] += 1
            else:
                problems.add(
                    item.line, item.columns.get("urn", "urn"), _unregistered(event.urn, streams)
                )
            continue
        try:
            decide(state, event, day, lookup)
        except DomainError as error:
            field = _RULE_FIELDS.get(error.rule or "", "urn")
            problems.add(item.line, item.columns.get(field, field), _refusal(error))
            continue
        stream.state = evolve(state, event)
        if not stream.events:
            order.append(event.stream)
        stream.events.append(event)
        stream.ids.append(the_id)
        new[event.event_type] += 1
    batches = tuple(
        StreamBatch(name, tuple(s.events), s.version, tuple(s.ids))
        for name in order
        for s in (streams.loaded[name],)
    )
    return Settled(batches=batches, new=new, already=already, skipped=skipped)


def _counted(
    planned: Sequence[Planned], progress: Callable[[int], None] | None
) -> Iterator[Planned]:
    """``planned``, calling ``progress(n)`` every :data:`_PROGRESS_STEP` items and at the
    end: an item counts once the loop asks for the next, so one it skips counts too."""
    for done, item in enumerate(planned, start=1):
        yield item
        if progress is not None and done % _PROGRESS_STEP == 0:
            progress(_PROGRESS_STEP)
    if progress is not None and len(planned) % _PROGRESS_STEP:
        progress(len(planned) % _PROGRESS_STEP)


def _from_registration(item: Planned, state: StreamState) -> Planned:
    """``item`` dated no earlier than its school's registration, when it asks for that."""
    if not item.from_registration or not isinstance(state, SchoolState):
        return item
    registered = state.registered_on
    if registered is None or item.event.occurred_on >= registered:
        return item
    return attrs.evolve(item, event=attrs.evolve(item.event, occurred_on=registered))


def _unregistered(urn: int, streams: _Streams) -> str:
    near = streams.near(urn)
    hint = ""
    if near:
        hint = " (a typo? registered: " + ", ".join(str(u) for u in near[:3]) + ")"
    return (
        f"URN {urn} is not a registered school{hint}: register it first"
        " (hubcore import schools), or correct the URN"
    )


def planned_events(events: Iterable[Event], lines: Iterable[int], kind: str) -> list[Planned]:
    """Plain events (a JSON Lines file, a GIAS plan) as :class:`Planned`, keyed by content:
    the n-th copy of one event is its own fact."""
    from hubcore import codec

    seen: Counter[bytes] = Counter()
    planned: list[Planned] = []
    for event, line in zip(events, lines, strict=True):
        encoded = codec.encode(event)
        copy = seen[encoded]
        seen[encoded] += 1
        key = f"{encoded.decode()}#{copy}"
        planned.append(Planned((line,), event, key, {}, f"{event.event_type} ({kind})"))
    return planned
