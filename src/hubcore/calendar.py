"""Academic years (1 September to 31 August, written ``2025/26``), terms and half-terms.

Half-terms
----------
When schools are open, so that a grace period can skip the holidays. An English school year
has six half-terms (autumn 1 and 2, spring 1 and 2, summer 1 and 2) with holidays between
them. Local authorities publish their own dates; :class:`TermDates`
holds a hub's dates for the years it gives, and for any other year follows the usual
pattern in England (:func:`england_half_terms`), which is close to most authorities' dates:

* autumn 1 from the first weekday on or after 1 September to the Friday before the week of
  the last Monday in October (the October half-term week);
* autumn 2 from the Monday after that week to the last Friday on or before 20 December;
* spring 1 from the first Monday on or after 2 January to the Friday before the week of the
  third Monday in February;
* spring 2 from the Monday after that week to the Friday before Holy Week; the Easter
  holiday is Holy Week and Easter week;
* summer 1 from the Monday after Easter week to the Friday before the week of the last
  Monday in May (the spring bank holiday);
* summer 2 from the Monday after that week to 22 July (the Friday before, at a weekend).

:meth:`TermDates.grace_end` gives the last day of the grace period after a due date: by
default, the end of the first half-term that starts after the date, which is the half-term
following the one the date falls in. Holidays never count: a conversation due in a holiday
has the whole of the next half-term (due in the summer holiday: all of autumn 1).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import attrs

from hubcore.errors import InvalidRequest

__all__ = [
    "HALF_TERMS",
    "HalfTerm",
    "TermDates",
    "academic_year_bounds",
    "academic_year_of",
    "easter_sunday",
    "england_half_terms",
    "is_academic_year",
    "next_academic_year",
    "previous_academic_year",
    "term_of",
]

_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")  # matched whole: fullmatch, ASCII digits


def is_academic_year(text: object) -> bool:
    """True when ``text`` is an academic year such as ``"2025/26"``."""
    if not isinstance(text, str):
        return False
    match = _YEAR.fullmatch(text)
    if match is None:
        return False
    first = int(match.group(1))
    return (first + 1) % 100 == int(match.group(2)) and 1900 <= first <= 2200


def _start_year(year: str) -> int:
    if not is_academic_year(year):
        raise InvalidRequest(f"not an academic year: {year!r} (expected e.g. '2025/26')")
    return int(year[:4])


def _check_day(day: object) -> None:
    if not isinstance(day, date):
        raise InvalidRequest(f"expected a date, got {type(day).__name__} {day!r}")


def academic_year_of(day: date) -> str:
    """The academic year a date falls in: 1 September starts a new one."""
    _check_day(day)
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def academic_year_bounds(year: str) -> tuple[date, date]:
    """First and last day (inclusive) of an academic year."""
    first = _start_year(year)
    return date(first, 9, 1), date(first + 1, 8, 31)


def next_academic_year(year: str) -> str:
    """The academic year after ``year``."""
    first = _start_year(year) + 1
    return f"{first}/{(first + 1) % 100:02d}"


def previous_academic_year(year: str) -> str:
    """The academic year before ``year``."""
    first = _start_year(year) - 1
    return f"{first}/{(first + 1) % 100:02d}"


def term_of(day: date) -> str:
    """``autumn`` (Sep-Dec), ``spring`` (Jan-Mar) or ``summer`` (Apr-Aug)."""
    _check_day(day)
    if day.month >= 9:
        return "autumn"
    if day.month <= 3:
        return "spring"
    return "summer"


# -- half-terms ------------------------------------------------------------------------------
HALF_TERMS: tuple[str, ...] = (
    "autumn 1",
    "autumn 2",
    "spring 1",
    "spring 2",
    "summer 1",
    "summer 2",
)
"""The six half-terms of a school year, in order."""

_DAY = timedelta(days=1)
_WEEK = timedelta(weeks=1)


@attrs.frozen
class HalfTerm:
    """One half-term: its name and its first and last school days (inclusive)."""

    name: str
    start: date
    end: date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"{self.name}: ends ({self.end}) before it starts ({self.start})")


def easter_sunday(year: int) -> date:
    """Easter Sunday of a calendar year (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 90) // 25
    p = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 33 * n + 19) % 32
    return date(year, n, p)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _last_monday(year: int, month: int) -> date:
    after = date(year + month // 12, month % 12 + 1, 1)
    return _monday_on_or_after(after - _WEEK)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


@functools.cache
def england_half_terms(year: str) -> tuple[HalfTerm, ...]:
    """The six half-terms of academic ``year`` (e.g. ``"2025/26"``) by the usual pattern in
    England (see the module's doc)."""
    first, second = (d.year for d in academic_year_bounds(year))
    start = date(first, 9, 1)
    while start.weekday() >= 5:
        start += _DAY
    october = _last_monday(first, 10)
    february = _monday_on_or_after(date(second, 2, 1)) + 2 * _WEEK
    holy_week = easter_sunday(second) - 6 * _DAY
    may = _last_monday(second, 5)
    july = date(second, 7, 22)
    if july.weekday() >= 5:
        july = _weekday_on_or_before(july, 4)
    bounds = (
        (start, october - 3 * _DAY),
        (october + _WEEK, _weekday_on_or_before(date(first, 12, 20), 4)),
        (_monday_on_or_after(date(second, 1, 2)), february - 3 * _DAY),
        (february + _WEEK, holy_week - 3 * _DAY),
        (holy_week + 2 * _WEEK, may - 3 * _DAY),
        (may + _WEEK, july),
    )
    return tuple(HalfTerm(name, s, e) for name, (s, e) in zip(HALF_TERMS, bounds, strict=True))


def _checked(year: str, half_terms: Sequence[HalfTerm]) -> tuple[HalfTerm, ...]:
    found = tuple(half_terms)
    first, last = academic_year_bounds(year)
    if [h.name for h in found] != list(HALF_TERMS):
        raise ValueError(f"{year}: give the six half-terms in order ({', '.join(HALF_TERMS)})")
    for before, after in itertools.pairwise(found):
        if after.start <= before.end:
            raise ValueError(f"{year}: {after.name} starts before {before.name} ends")
    if found[0].start < first or found[-1].end > last:
        raise ValueError(f"{year}: half-terms must fall between {first} and {last}")
    return found


def _all_checked(
    years: Mapping[str, Sequence[HalfTerm]],
) -> Mapping[str, tuple[HalfTerm, ...]]:
    return {year: _checked(year, half_terms) for year, half_terms in dict(years).items()}


@attrs.frozen
class TermDates:
    """A hub's half-term dates: ``custom`` years as given, the others by
    :func:`england_half_terms`."""

    custom: Mapping[str, tuple[HalfTerm, ...]] = attrs.field(factory=dict, converter=_all_checked)

    def half_terms(self, year: str) -> tuple[HalfTerm, ...]:
        """The six half-terms of academic ``year``."""
        given = self.custom.get(year)
        return given if given is not None else england_half_terms(year)

    def in_school(self, day: date) -> bool:
        """True when ``day`` falls in a half-term (weekends included), not in a holiday."""
        return any(h.start <= day <= h.end for h in self.half_terms(academic_year_of(day)))

    def grace_end(self, due: date, half_terms: int = 1) -> date:
        """The last day of a grace of ``half_terms`` whole half-terms after ``due``: the end
        of the ``half_terms``-th half-term that starts after ``due`` (0: ``due`` itself)."""
        if half_terms < 0:
            raise ValueError(f"half_terms must be >= 0, got {half_terms}")
        if half_terms == 0:
            return due
        year = academic_year_of(due)
        later: list[HalfTerm] = []
        while len(later) < half_terms:
            later.extend(h for h in self.half_terms(year) if h.start > due)
            year = next_academic_year(year)
        return later[half_terms - 1].end
