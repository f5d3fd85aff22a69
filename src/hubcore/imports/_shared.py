"""Columns and rules several importers share: the school, where counts came from, dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs

from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.events import Event
from hubcore.imports._columns import Column
from hubcore.imports._rows import Row, WordField
from hubcore.imports._words import _table
from hubcore.vocabulary import Source, Term

__all__ = [
    "ACADEMIC_YEAR",
    "ESTIMATED",
    "SCHOOL",
    "SOURCE",
    "SOURCE_WORDS",
    "URN",
    "counted",
    "needs_value",
    "one_column_of",
    "period_end",
    "row_date",
    "row_year",
]

URN = Column(
    "urn",
    ("URN", "School URN", "URN number", "DfE URN", "Unique reference number", "school_urn"),
    required=True,
    help="the school's 6-digit URN",
)
SCHOOL = Column(
    "school",
    ("School", "School name", "Name of school", "Establishment", "EstablishmentName"),
    help="the school's name (read to help you, not stored: the URN says which school)",
)
SOURCE = Column(
    "source",
    ("Source", "Data source", "Counts from"),
    help="where the counts came from: school_return, hub_register, partner_return or observation",
)
ESTIMATED = Column(
    "estimated",
    ("Estimated", "Estimate", "Estimated figures", "Is estimate"),
    help="yes when the counts are estimates (default no)",
)

SOURCE_WORDS = WordField(
    Source,
    _table(
        Source,
        {
            Source.SCHOOL_RETURN: ("school", "school return", "school data", "school survey"),
            Source.HUB_REGISTER: ("register", "hub", "hub register", "registers", "tutor register"),
            Source.PARTNER_RETURN: ("partner", "partner return", "partner data"),
            Source.OBSERVATION: ("observed", "observation", "headcount"),
        },
    ),
)


def counted(row: Row, default: Source) -> dict[str, Any]:
    """The ``source`` and ``estimated`` fields of a counted event (``default`` when blank)."""
    source = row.word("source", required=False) if row.has("source") else None
    estimated = row.flag("estimated", required=False) if row.has("estimated") else None
    return {
        "source": default if source is None else source,
        "estimated": False if estimated is None else estimated,
    }


def one_column_of(rows: Sequence[Row], fields: Sequence[str], what: str) -> bool:
    """True when the file has a column for one of ``fields``; else one problem (on the
    header) saying ``what`` is needed, rather than one a row."""
    if not rows or any(rows[0].has(field) for field in fields):
        return True
    first = rows[0]
    first.problems.add(first.header.lines[0], fields[0], f"required column is missing: {what}")
    return False


def needs_value(cls: type[Event], field: str) -> bool:
    """Whether ``cls`` can record ``field`` only as a value (no "unknown", i.e. None).

    A field that defaults to None takes a blank cell as "not known"; any other field
    needs the number written, even 0: hubcore never reads a blank as 0.
    """
    return attrs.fields_dict(cls)[field].default is not None


ACADEMIC_YEAR = Column(
    "academic_year",
    ("Academic year", "Year", "School year", "Academic yr", "Survey year"),
    help="the academic year, e.g. 2025/26 (or give a date)",
)


def row_year(row: Row, day: date | None, *, date_in_year: bool) -> str | None:
    """The row's academic year: its ``academic_year`` cell, else the year of ``day`` (a
    problem when neither is given; with ``date_in_year``, when ``day`` is in another)."""
    if row.given("academic_year"):
        year = row.year("academic_year")
        if date_in_year and year is not None and day is not None and academic_year_of(day) != year:
            row.bad("date", f"{day} is not in the academic year {year}")
        return year
    if day is not None:
        return academic_year_of(day)
    row.bad("academic_year", "is blank (give the academic year, or a date)")
    return None


def row_date(row: Row, day: date | None, year: str, term: Term | None) -> date | None:
    """``day`` if the file gave one, else the end of the term (or year) or today if sooner;
    None (a problem) for a year that has not begun."""
    if day is not None:
        return day
    if academic_year_bounds(year)[0] > row.today:
        row.bad("academic_year", f"{year} has not begun: nothing can be recorded for it yet")
        return None
    return period_end(year, term, row.today)


_TERM_END = {Term.AUTUMN: (12, 31), Term.SPRING: (3, 31), Term.SUMMER: (8, 31)}


def period_end(year: str, term: Term | None, today: date) -> date:
    """The last day of ``term`` of ``year`` (of the whole year without one), or ``today`` if
    that is later: what a register for the period is dated when the file gives no date."""
    start, end = academic_year_bounds(year)
    if term is not None:
        month, day_of = _TERM_END[term]
        end = date(start.year if month >= 9 else end.year, month, day_of)
    return min(end, today)
