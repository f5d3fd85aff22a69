"""The year-truth rule: what a report for an academic year may use.

A report for academic year ``Y`` uses only what is known about ``Y`` and earlier years:

* every event that occurred on or before 31 August at the end of ``Y``, and
* any later event that reports on ``Y`` or an earlier year: an event with an
  ``academic_year`` field (a data return, a register, a school's survey or plan), or one
  logging a period that starts in ``Y`` or earlier (``period_start``, staff timesheets).

So appending later years to the log never changes a past year's report. The read models
apply the rule themselves (they keep each school's facts per year); :func:`known_in_year`
states it as a filter over events, which is what the year-truth tests compare against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TypeVar

from hubcore.calendar import academic_year_bounds, academic_year_of, is_academic_year
from hubcore.errors import InvalidRequest
from hubcore.events import Event

__all__ = ["known_in_year", "reported_year", "year_end", "year_true"]

E = TypeVar("E", bound=Event)


def reported_year(event: Event) -> str | None:
    """The academic year ``event`` reports on: its ``academic_year`` field, else the year
    its ``period_start`` falls in, else None."""
    year = getattr(event, "academic_year", None)
    if isinstance(year, str):
        return year
    start = getattr(event, "period_start", None)
    return academic_year_of(start) if isinstance(start, date) else None


def year_end(year: str) -> date:
    """31 August at the end of ``year``; :class:`~hubcore.InvalidRequest` for a bad year."""
    if not is_academic_year(year):
        raise InvalidRequest(f"year must be an academic year such as 2025/26, got {year!r}")
    return academic_year_bounds(year)[1]


def known_in_year(event: Event, year: str) -> bool:
    """True when a report for ``year`` may use ``event`` (see the module's rule)."""
    if event.occurred_on <= year_end(year):
        return True
    reported = reported_year(event)
    # academic years of the form "2025/26" sort as their first calendar year
    return reported is not None and reported <= year


def year_true(events: Iterable[E], year: str) -> Iterator[E]:
    """The events of ``events`` a report for ``year`` may use, in their order."""
    end = year_end(year)
    for event in events:
        if event.occurred_on <= end:
            yield event
            continue
        reported = reported_year(event)
        if reported is not None and reported <= year:
            yield event
