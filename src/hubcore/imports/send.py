"""``send``: the DfE's school-level SEN statistics -> each school's SEND share.

The Department for Education's *Special educational needs in England* release publishes,
for every school in England, its pupils on roll at the January school census and how many
of them have SEN support or an education, health and care (EHC) plan. One row is one
school in one year; the columns read are the URN, the year (the DfE's ``time_period``,
e.g. ``202425``), ``Total pupils``, ``SEN support`` and ``EHC plan`` (the DfE's and the
plain names both work; other columns are ignored).

Each row becomes a ``SchoolDetailsUpdated`` giving the school's ``send_pct``:
(SEN support + EHC plan) / total pupils, in percent, to one decimal place (halves up). It is
dated the year's census day (the third Thursday of January), or the school's
registration day when the school joined the roster later. The file covers all of
England: rows for schools this hub has not registered are skipped and counted. A row
with no pupils, or more pupils with SEN than on roll, is a problem; nothing is appended
while any row has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hubcore.calendar import academic_year_bounds
from hubcore.events import SchoolDetailsUpdated
from hubcore.imports._columns import Column
from hubcore.imports._rows import Kind, Planned, Row
from hubcore.imports._shared import SCHOOL, URN

__all__ = ["MAX_PUPILS", "SEND", "census_day", "send_share"]

MAX_PUPILS = 10_000
"""The most pupils one school's row may count."""

COLUMNS = (
    URN,
    SCHOOL,
    Column(
        "academic_year",
        ("time_period", "Academic year", "Year", "Census year", "Time period"),
        required=True,
        help="the academic year of the census (2024/25, or the DfE's 202425)",
    ),
    Column(
        "total_pupils",
        ("Total pupils", "total_pupils", "Pupils", "Number of pupils", "Headcount"),
        required=True,
        help="pupils on roll at the January census",
    ),
    Column(
        "sen_support",
        ("SEN support", "sen_support", "Pupils with SEN support", "SEN support pupils"),
        required=True,
        help="of them, pupils with SEN support",
    ),
    Column(
        "ehc_plan",
        (
            "EHC plan",
            "ehc_plan",
            "EHC plans",
            "Pupils with an EHC plan",
            "Statement or EHC plan",
            "EHC plan or statement",
        ),
        required=True,
        help="of them, pupils with an education, health and care plan",
    ),
)

_FACT = "school and census year"
_COLUMNS = {"urn": "urn", "occurred_on": "academic_year", "send_pct": "total_pupils"}


def census_day(year: str) -> date:
    """The January school census day of academic ``year``: the third Thursday of January."""
    first = date(academic_year_bounds(year)[1].year, 1, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return thursday + timedelta(weeks=2)


def send_share(total: int, sen_support: int, ehc_plan: int) -> float:
    """(SEN support + EHC plan) / total pupils, in percent, to one decimal place, halves
    rounded up (39 of 240 is 16.25%: 16.3), in whole numbers so no float edge moves it."""
    if total <= 0:
        raise ValueError("a SEND share needs at least one pupil")
    tenths = (2000 * (sen_support + ehc_plan) + total) // (2 * total)
    return tenths / 10


def _plan(rows: Sequence[Row]) -> list[Planned]:
    planned: list[Planned] = []
    for row in rows:
        urn = row.urn()
        year = row.year("academic_year")
        total = row.whole("total_pupils", 0, MAX_PUPILS)
        support = row.whole("sen_support", 0, MAX_PUPILS)
        plans = row.whole("ehc_plan", 0, MAX_PUPILS)
        if urn is None or year is None or total is None or support is None or plans is None:
            continue
        if total == 0:
            row.bad("total_pupils", "is 0: a SEND share needs pupils on roll")
            continue
        if support + plans > total:
            row.bad(
                "sen_support",
                f"SEN support ({support}) and EHC plans ({plans}) add up to more than the"
                f" total pupils ({total})",
            )
            continue
        event = row.event(
            SchoolDetailsUpdated,
            _COLUMNS,
            occurred_on=census_day(year),
            urn=urn,
            send_pct=send_share(total, support, plans),
        )
        if event is not None:
            planned.append(
                row.planned(
                    event,
                    f"{urn}|{year}|send",
                    _COLUMNS,
                    _FACT,
                    optional_school=True,
                    from_registration=True,
                )
            )
    return planned


SEND = Kind(
    name="send",
    summary="The DfE's school-level SEN statistics: each school's share of pupils with SEN.",
    columns=COLUMNS,
    plan=_plan,
)
