"""Strategies for single field values that pass hubcore's event validators."""

from __future__ import annotations

import string
from datetime import date
from enum import Enum
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hubcore._characters import INVISIBLE_CATEGORIES
from hubcore.calendar import academic_year_of

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

MIN_DATE = date(2015, 9, 1)
MAX_DATE = date(2030, 8, 31)

_SHORT_TEXT = 40


def urns() -> st.SearchStrategy[int]:
    """A 6-digit URN."""
    return st.integers(100_000, 999_999)


def hub_ids() -> st.SearchStrategy[str]:
    """A hub slug: ``[a-z0-9-]{2,40}``."""
    return st.text(string.ascii_lowercase + string.digits + "-", min_size=2, max_size=40)


def la_codes() -> st.SearchStrategy[str]:
    """A 3-digit local authority code (ASCII digits)."""
    return st.text(string.digits, min_size=3, max_size=3)


def identifiers() -> st.SearchStrategy[str]:
    """An id: 1-64 characters of letters, digits and ``. _ : -``, starting alphanumeric."""
    first = string.ascii_letters + string.digits
    return st.builds(
        str.__add__,
        st.sampled_from(first),
        st.text(first + "._:-", max_size=63),
    )


def texts(cap: int, max_size: int = _SHORT_TEXT) -> st.SearchStrategy[str]:
    """Stripped, non-empty text of at most ``cap`` characters (now and then exactly ``cap``)."""
    short = (
        st.text(
            st.characters(codec="utf-8", exclude_categories=sorted(INVISIBLE_CATEGORIES)),  # type: ignore[arg-type]
            min_size=1,
            max_size=min(cap, max_size),
        )
        .map(str.strip)
        .filter(bool)
    )
    at_cap = st.sampled_from(string.ascii_letters).map(lambda c: c * cap)
    return st.integers(0, 7).flatmap(lambda n: at_cap if n == 7 else short)


_PHRASES = (
    "Oak Lane",
    "Singing assembly",
    "Weekly lessons",
    "Needs a plan",
    "Agreed with head",
    "Ensemble",
    "Merged",
)


def plain_texts() -> st.SearchStrategy[str]:
    """A few short readable phrases (all valid wherever text is)."""
    return st.sampled_from(_PHRASES)


def days(min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[date]:
    """A date in ``[min_date, max_date]``."""
    if min_date > max_date:
        raise InvalidArgument(f"min_date {min_date} is after max_date {max_date}")
    return st.dates(min_value=min_date, max_value=max_date)


def academic_years(min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[str]:
    """An academic year such as ``"2025/26"`` overlapping ``[min_date, max_date]``."""
    return days(min_date, max_date).map(academic_year_of)


def members(enum: type[E]) -> st.SearchStrategy[E]:
    """One member of a vocabulary enum."""
    return st.sampled_from(list(enum))


def member_sets(enum: type[E], *, min_size: int = 0) -> st.SearchStrategy[frozenset[E]]:
    """A frozenset of members of a vocabulary enum."""
    return st.frozensets(members(enum), min_size=min_size)


def counts(minimum: int = 0, maximum: int = 3000) -> st.SearchStrategy[int]:
    """A whole number in ``[minimum, maximum]``."""
    return st.integers(minimum, maximum)


def numbers(
    minimum: float, maximum: float, *, exclusive_minimum: bool = False
) -> st.SearchStrategy[float]:
    """A finite float in range (shrinks towards round numbers)."""
    return st.floats(
        min_value=minimum,
        max_value=maximum,
        exclude_min=exclusive_minimum,
        allow_nan=False,
        allow_infinity=False,
    )


def hex_digests() -> st.SearchStrategy[str]:
    """A lowercase hex SHA-256 digest."""
    return st.text("0123456789abcdef", min_size=64, max_size=64)
