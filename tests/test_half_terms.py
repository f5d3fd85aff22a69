"""Half-term dates and the grace period that skips school holidays."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.calendar import (
    HALF_TERMS,
    HalfTerm,
    TermDates,
    academic_year_bounds,
    easter_sunday,
    england_half_terms,
)

YEARS = st.integers(2000, 2100).map(lambda y: f"{y}/{(y + 1) % 100:02d}")


def test_easter_sundays() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2038)] == [
        date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2038, 4, 25),
    ]  # fmt: skip


def test_the_2025_26_half_terms() -> None:
    found = [(h.name, h.start, h.end) for h in england_half_terms("2025/26")]
    assert found == [
        ("autumn 1", date(2025, 9, 1), date(2025, 10, 24)),
        ("autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
        ("spring 1", date(2026, 1, 5), date(2026, 2, 13)),
        ("spring 2", date(2026, 2, 23), date(2026, 3, 27)),
        ("summer 1", date(2026, 4, 13), date(2026, 5, 22)),
        ("summer 2", date(2026, 6, 1), date(2026, 7, 22)),
    ]


@given(YEARS)
def test_any_years_half_terms_are_six_ordered_weekday_bounded_terms(year: str) -> None:
    terms = england_half_terms(year)
    first, last = academic_year_bounds(year)
    assert [h.name for h in terms] == list(HALF_TERMS)
    assert first <= terms[0].start
    assert terms[-1].end <= last
    for h in terms:
        assert h.start.weekday() < 5
        assert h.end.weekday() < 5
        # at least three school weeks (an early Easter makes spring 2 short: 2005, 2016)
        assert (h.end - h.start).days >= 14
    for before, after in itertools.pairwise(terms):
        assert (after.start - before.end).days >= 3  # a holiday of at least a weekend


@given(YEARS, st.integers(0, 364), st.integers(1, 3))
def test_the_grace_ends_at_a_half_terms_end_after_whole_half_terms(
    year: str, offset: int, n: int
) -> None:
    terms = TermDates()
    due = academic_year_bounds(year)[0] + timedelta(days=offset)
    end = terms.grace_end(due, n)
    assert end > due
    ends = {h.end for y in (year, _next(year), _next(_next(year))) for h in terms.half_terms(y)}
    assert end in ends
    # exactly n half-terms start after the due date and end by the grace's end
    starting = [
        h for y in (year, _next(year), _next(_next(year))) for h in terms.half_terms(y)
        if due < h.start and h.end <= end
    ]  # fmt: skip
    assert len(starting) == n
    assert terms.grace_end(due, 0) == due


def _next(year: str) -> str:
    first = int(year[:4]) + 1
    return f"{first}/{(first + 1) % 100:02d}"


def test_a_date_in_a_holiday_gets_the_whole_next_half_term() -> None:
    terms = TermDates()
    assert not terms.in_school(date(2025, 8, 10))
    assert terms.grace_end(date(2025, 8, 10)) == date(2025, 10, 24)  # all of autumn 1
    assert terms.grace_end(date(2025, 10, 29)) == date(2025, 12, 19)  # October half-term
    assert terms.grace_end(date(2025, 10, 1)) == date(2025, 12, 19)  # in autumn 1
    assert terms.in_school(date(2025, 10, 1))


def test_a_hubs_own_dates_replace_the_pattern_for_their_year() -> None:
    own = tuple(
        HalfTerm(
            name,
            date(2025, 9, 3) + timedelta(weeks=7 * i),
            date(2025, 10, 17) + timedelta(weeks=7 * i),
        )
        for i, name in enumerate(HALF_TERMS)
    )
    terms = TermDates({"2025/26": own})
    assert terms.half_terms("2025/26") == own
    assert terms.grace_end(date(2025, 10, 1)) == date(2025, 12, 5)
    assert terms.half_terms("2026/27") == england_half_terms("2026/27")


def test_bad_custom_dates_are_refused_naming_the_year() -> None:
    good = england_half_terms("2025/26")
    with pytest.raises(ValueError, match="2025/26: give the six half-terms"):
        TermDates({"2025/26": good[:5]})
    swapped = (good[0], HalfTerm("autumn 2", date(2025, 10, 1), date(2025, 12, 19)), *good[2:])
    with pytest.raises(ValueError, match="autumn 2 starts before autumn 1 ends"):
        TermDates({"2025/26": swapped})
    with pytest.raises(ValueError, match="ends"):
        HalfTerm("autumn 1", date(2025, 10, 1), date(2025, 9, 1))
    with pytest.raises(ValueError, match="half_terms must be >= 0"):
        TermDates().grace_end(date(2025, 10, 1), -1)
