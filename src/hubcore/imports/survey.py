"""``survey``: the school music survey -> ``ProvisionReported``, ``MusicDevelopmentPlanRecorded``.

One row is one school's answers for one academic year (a form export: one response a row).
Its answers about **provision** (how many classes, how many have music every week, minutes
a week by key stage or by year group, the school's own grade and how it judged it) become a
``ProvisionReported``; its answers about the **music development plan** (has one, summary
published, the hub helped, when it is reviewed) become a ``MusicDevelopmentPlanRecorded``.
A row with no answers in one of the two groups records nothing for that group.

Minutes by year group are averaged into their key stage (Years 1-2 key stage 1, 3-6 key
stage 2, 7-9 key stage 3, 10-11 key stage 4, 12-13 key stage 5), rounded to the minute; a
key stage's own column, when answered, wins. A school without a plan has no published
summary and no hub support for it. Counts come from the school (``source`` defaults to
``school_return``). A row with no date (a form's timestamp) is dated the end of its year,
or today while the year runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from hubcore.events import MusicDevelopmentPlanRecorded, ProvisionReported
from hubcore.imports import _cells as cells
from hubcore.imports._columns import Column
from hubcore.imports._rows import Kind, Planned, Row, WordField
from hubcore.imports._shared import (
    ACADEMIC_YEAR,
    ESTIMATED,
    SCHOOL,
    SOURCE,
    SOURCE_WORDS,
    URN,
    counted,
    one_column_of,
    row_date,
    row_year,
)
from hubcore.imports._words import EVIDENCE, GRADE
from hubcore.vocabulary import Grade, QualityEvidence, Source

__all__ = ["KEY_STAGE_OF_YEAR", "MAX_CLASSES", "MAX_MINUTES", "SURVEY"]

MAX_CLASSES = 1_000
MAX_MINUTES = 600
KEY_STAGE_OF_YEAR = {
    1: 1,
    2: 1,
    3: 2,
    4: 2,
    5: 2,
    6: 2,
    7: 3,
    8: 3,
    9: 3,
    10: 4,
    11: 4,
    12: 5,
    13: 5,
}
"""School year group -> key stage."""


def _key_stage_column(stage: int) -> Column:
    return Column(
        f"minutes_ks{stage}",
        (
            f"KS{stage} minutes",
            f"KS{stage} minutes per week",
            f"Key stage {stage} minutes",
            f"Key stage {stage} minutes per week",
            f"Minutes per week KS{stage}",
            f"Minutes KS{stage}",
            f"KS{stage}",
        ),
        help=f"minutes of music a week in key stage {stage}",
    )


def _year_column(year: int) -> Column:
    return Column(
        f"minutes_y{year}",
        (
            f"Year {year} minutes",
            f"Year {year} minutes per week",
            f"Y{year} minutes",
            f"Minutes per week Year {year}",
            f"Year {year}",
            f"Y{year}",
        ),
        help=f"minutes of music a week in Year {year}",
    )


_PROVISION_COLUMNS = (
    Column(
        "classes_total",
        ("Classes", "Number of classes", "Classes total", "Total classes", "How many classes"),
        help="classes in the school",
    ),
    Column(
        "classes_with_weekly_music",
        (
            "Classes with weekly music",
            "Classes taught music weekly",
            "Classes with music every week",
            "Weekly music classes",
            "Classes with weekly music lessons",
        ),
        help="of them, classes taught music every week",
    ),
    *(_key_stage_column(stage) for stage in range(1, 6)),
    *(_year_column(year) for year in range(1, 14)),
    Column(
        "self_evaluation_grade",
        (
            "Self-evaluation",
            "Self evaluation grade",
            "Self-evaluation grade",
            "How would you rate your music provision",
            "Quality of provision",
            "Grade",
            "Rating",
        ),
        help="the school's own grade: exceptional, strong, expected, needs_attention or"
        " urgent_improvement",
    ),
    Column(
        "judged_by",
        ("Judged by", "How judged", "How do you know", "Quality judged by", "Evidence used"),
        help="how the school judged it: lesson_observation, pupil_work, pupil_voice,"
        " assessment_data, learning_walk or none (several, separated by ;)",
    ),
)
_PLAN_COLUMNS = (
    Column(
        "has_plan",
        (
            "Music development plan",
            "Has plan",
            "Has a music development plan",
            "MDP",
            "MDP in place",
            "Music development plan in place",
        ),
        help="yes if the school has a music development plan",
    ),
    Column(
        "summary_published",
        (
            "Summary published",
            "Plan published",
            "MDP published",
            "Plan summary published",
            "Published on website",
        ),
        help="yes if its summary is published",
    ),
    Column(
        "hub_supported",
        ("Hub supported", "Supported by hub", "Hub support", "Hub helped", "Hub helped with plan"),
        help="yes if the hub helped write it",
    ),
    Column(
        "review_due_on",
        ("Review due", "Plan review date", "Review date", "Next review"),
        help="when the plan is next reviewed",
    ),
)

COLUMNS = (
    URN,
    SCHOOL,
    ACADEMIC_YEAR,
    Column(
        "date",
        (
            "Date",
            "Timestamp",
            "Completion time",
            "Submitted",
            "Date completed",
            "Response date",
            "Submitted on",
        ),
        help="when the school answered",
    ),
    *_PROVISION_COLUMNS,
    *_PLAN_COLUMNS,
    SOURCE,
    ESTIMATED,
)

WORDS = {
    "self_evaluation_grade": WordField(Grade, GRADE),
    "judged_by": WordField(QualityEvidence, EVIDENCE),
    "source": SOURCE_WORDS,
}

_PROVISION = tuple(c.field for c in _PROVISION_COLUMNS)
_PLAN = tuple(c.field for c in _PLAN_COLUMNS)
_FACT = "school and academic year"


def _any_given(row: Row, fields: Sequence[str]) -> bool:
    return any(row.given(field) for field in fields)


def _minutes(row: Row) -> dict[int, int]:
    found: dict[int, int] = {}
    by_year: dict[int, list[int]] = {}
    for year, stage in KEY_STAGE_OF_YEAR.items():
        field = f"minutes_y{year}"
        if row.has(field):
            value = row.value(field, lambda t: cells.minutes(t, MAX_MINUTES), required=False)
            if value is not None:
                by_year.setdefault(stage, []).append(value)
    for stage in range(1, 6):
        field = f"minutes_ks{stage}"
        value = None
        if row.has(field):
            value = row.value(field, lambda t: cells.minutes(t, MAX_MINUTES), required=False)
        if value is None and stage in by_year:
            values = by_year[stage]
            value = int(sum(values) / len(values) + 0.5)
        if value is not None:
            found[stage] = value
    return found


def _provision(row: Row, urn: int, year: str, when: date, extra: dict[str, Any]) -> Any:
    total = row.whole("classes_total", 1, MAX_CLASSES)
    weekly = row.whole("classes_with_weekly_music", 0, MAX_CLASSES)
    grade = row.word("self_evaluation_grade")
    judged = row.words_of("judged_by") if row.has("judged_by") else None
    minutes = _minutes(row)
    if not row.ok:
        return None
    return row.event(
        ProvisionReported,
        {"occurred_on": "date", "minutes_per_week": "minutes_ks1"},
        occurred_on=when,
        urn=urn,
        academic_year=year,
        classes_total=total,
        classes_with_weekly_music=weekly,
        minutes_per_week=minutes,
        self_evaluation_grade=grade,
        judged_by=judged or frozenset(),
        **extra,
    )


def _plan_event(row: Row, urn: int, year: str, when: date) -> Any:
    has_plan = row.flag("has_plan")
    if has_plan is None:
        return None
    published = (
        row.flag("summary_published", required=has_plan) if row.has("summary_published") else None
    )
    supported = row.flag("hub_supported", required=has_plan) if row.has("hub_supported") else None
    review = row.day("review_due_on", required=False) if row.has("review_due_on") else None
    if has_plan:
        for field, value in (("summary_published", published), ("hub_supported", supported)):
            if value is None and not row.has(field):
                row.bad(field, "no column: say whether it is (yes or no) for a school with a plan")
    elif published:
        row.bad("summary_published", "is yes, but the school has no plan to publish")
    if not row.ok:
        return None
    return row.event(
        MusicDevelopmentPlanRecorded,
        {"occurred_on": "date"},
        occurred_on=when,
        urn=urn,
        academic_year=year,
        has_plan=has_plan,
        summary_published=bool(published),
        hub_supported=bool(supported),
        review_due_on=review,
    )


def _plan_row(row: Row) -> list[Planned]:
    urn = row.urn()
    day = row.day("date", required=False) if row.has("date") else None
    year = row_year(row, day, date_in_year=False)
    extra = counted(row, Source.SCHOOL_RETURN)
    if not row.ok or urn is None or year is None:
        return []
    when = row_date(row, day, year, None)
    if when is None:
        return []
    columns = {"urn": "urn", "occurred_on": "date" if day is not None else "academic_year"}
    planned: list[Planned] = []
    if _any_given(row, _PROVISION):
        event = _provision(row, urn, year, when, extra)
        if event is not None:
            key = f"{urn}|{year}|provision"
            planned.append(row.planned(event, key, columns, _FACT, dated_by_default=day is None))
    if _any_given(row, _PLAN):
        event = _plan_event(row, urn, year, when)
        if event is not None:
            key = f"{urn}|{year}|plan"
            planned.append(row.planned(event, key, columns, _FACT, dated_by_default=day is None))
    if not planned and row.ok:
        row.bad("urn", "has no answers about provision or a music development plan")
    return planned


def _plan(rows: Sequence[Row]) -> list[Planned]:
    if not one_column_of(rows, ("academic_year", "date"), "the academic year (or a date)"):
        return []
    return [item for row in rows for item in _plan_row(row)]


SURVEY = Kind(
    name="survey",
    summary="The school music survey: one row per school and academic year.",
    columns=COLUMNS,
    plan=_plan,
    words=WORDS,
)
