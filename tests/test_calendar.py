from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.calendar import (
    academic_year_bounds,
    academic_year_of,
    is_academic_year,
    next_academic_year,
    previous_academic_year,
    term_of,
)

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 8, 31), "2024/25"),
        (date(2025, 9, 1), "2025/26"),
        (date(2026, 1, 1), "2025/26"),
        (date(1999, 9, 1), "1999/00"),
    ],
)
def test_academic_year_turns_on_1_september(day: date, year: str) -> None:
    assert academic_year_of(day) == year


@given(days)
def test_every_day_lies_within_its_academic_year(day: date) -> None:
    year = academic_year_of(day)
    assert is_academic_year(year)
    first, last = academic_year_bounds(year)
    assert first <= day <= last
    assert academic_year_of(first - timedelta(days=1)) == previous_academic_year(year)
    assert academic_year_of(last + timedelta(days=1)) == next_academic_year(year)


@pytest.mark.parametrize("text", ["2025/27", "2025-26", "25/26", "", "2025/2026", None, 2025])
def test_malformed_academic_years_are_refused(text: object) -> None:
    assert not is_academic_year(text)


def test_bounds_of_a_malformed_year_raise_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not an academic year: '2025-26'"):
        academic_year_bounds("2025-26")


@pytest.mark.parametrize(
    ("day", "term"),
    [(date(2025, 9, 1), "autumn"), (date(2026, 3, 31), "spring"), (date(2026, 4, 1), "summer")],
)
def test_terms(day: date, term: str) -> None:
    assert term_of(day) == term
