"""Academic years (1 September to 31 August, written ``2025/26``) and terms."""

from __future__ import annotations

import re
from datetime import date

from hubcore.errors import InvalidRequest

__all__ = [
    "academic_year_bounds",
    "academic_year_of",
    "is_academic_year",
    "next_academic_year",
    "previous_academic_year",
    "term_of",
]

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def is_academic_year(text: object) -> bool:
    """True when ``text`` is an academic year such as ``"2025/26"``."""
    if not isinstance(text, str):
        return False
    match = _YEAR.match(text)
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
