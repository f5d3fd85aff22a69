"""The days the log's events occurred on: what the default report year is taken from."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import attrs

from hubcore.calendar import academic_year_of
from hubcore.events import EVENT_TYPES, HubEvent, SchoolEvent
from hubcore.projections._base import ReadModel, day, ordinal

__all__ = ["LogSpan"]

K = TypeVar("K", int, str)


@attrs.define(eq=True)
class LogSpan(ReadModel):
    """The first and last ``occurred_on`` of each stream, over every event type.

    The latest day is the latest ``occurred_on`` in the log, not the day of the event
    appended last: a hub that records last year's work today still reports on this year.
    """

    _HUB_KEYED = frozenset({"_hubs"})

    # urn -> [first day, last day] (ordinals)
    _schools: dict[int, list[int]] = attrs.field(factory=dict, repr=False)
    # hub id -> [first day, last day] (ordinals)
    _hubs: dict[str, list[int]] = attrs.field(factory=dict, repr=False)

    def _school_day(self, e: SchoolEvent) -> None:
        # called for every event of the log: _widen inlined
        on = ordinal(e.occurred_on)
        span = self._schools.get(e.urn)
        if span is None:
            self._schools[e.urn] = [on, on]
        elif on < span[0]:
            span[0] = on
        elif on > span[1]:
            span[1] = on

    def _hub_day(self, e: HubEvent) -> None:
        _widen(self._hubs, e.hub_id, ordinal(e.occurred_on))

    def first_day(self) -> date | None:
        """The earliest ``occurred_on`` of any event; None for an empty log."""
        return day(min((s[0] for s in self._spans()), default=None))

    def last_day(self) -> date | None:
        """The latest ``occurred_on`` of any event; None for an empty log."""
        return day(max((s[1] for s in self._spans()), default=None))

    def latest_year(self) -> str | None:
        """The academic year of :meth:`last_day`; None for an empty log."""
        last = self.last_day()
        return None if last is None else academic_year_of(last)

    def _spans(self) -> list[list[int]]:
        return [*self._schools.values(), *self._hubs.values()]


def _widen(spans: dict[K, list[int]], key: K, on: int) -> None:
    span = spans.get(key)
    if span is None:
        spans[key] = [on, on]
    elif on < span[0]:
        span[0] = on
    elif on > span[1]:
        span[1] = on


# one handler per event type, so a new event type is covered without a change here; the
# model keeps no query cache, so the handlers need not drop one (see ReadModel._cached)
for _type, _cls in EVENT_TYPES.items():
    setattr(
        LogSpan,
        f"_on_{_type}",
        LogSpan._school_day if issubclass(_cls, SchoolEvent) else LogSpan._hub_day,
    )
