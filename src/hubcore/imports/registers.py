"""``registers``: a row per school, programme, year and term -> ``ParticipationRecorded``.

A row counts the pupils taking part in one programme at one school (participations: a
pupil in two ensembles is counted in both), with, where known, how many are eligible for
free school meals (``pupil_premium``), have special educational needs (``send``) or have
their fees remitted, and for whole-class ensemble teaching how many terms it ran and how many
pupils went on to further tuition.

A row without a date is dated the last day of its term (of its year, with no term), or today
while that term is still running. The fact a row records is its school, year, term,
programme and key stage: two rows for one fact are a problem, and importing the file again
records nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hubcore.events import ParticipationRecorded
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
    needs_value,
    one_column_of,
    row_date,
    row_year,
)
from hubcore.imports._words import PROGRAMME, TERM
from hubcore.projections import TUITION
from hubcore.vocabulary import ParticipationProgramme, Source, Term

__all__ = ["MAX_PUPILS", "REGISTERS"]

MAX_PUPILS = 100_000
"""The most pupils one row may count (a school's roll caps it further, by the rules)."""

_COUNTS = ("pupil_premium", "send", "fee_remission", "continuing_from_wcet")
_PAID = frozenset(TUITION)

COLUMNS = (
    URN,
    SCHOOL,
    Column(
        "programme",
        ("Programme", "Program", "Activity", "Provision", "Offer", "Programme type", "Strand"),
        required=True,
        help="the programme: whole_class_ensemble, tuition_individual, tuition_small_group,"
        " tuition_large_group, ensemble, choir, music_centre, festival or singing",
    ),
    ACADEMIC_YEAR,
    Column("term", ("Term", "School term", "Term name"), help="autumn, spring or summer"),
    Column(
        "date",
        ("Date", "Recorded on", "Register date", "Date recorded", "Week commencing"),
        help="the day the counts were taken (default: the end of the term)",
    ),
    Column("key_stage", ("Key stage", "KS", "Keystage"), help="the pupils' key stage, 1-5"),
    Column(
        "pupils",
        (
            "Pupils",
            "Pupils taking part",
            "Participants",
            "Participations",
            "Number of pupils",
            "No of pupils",
            "Pupils total",
            "Total pupils",
            "Headcount",
        ),
        required=True,
        help="pupils taking part (participations)",
    ),
    Column(
        "pupil_premium",
        (
            "FSM",
            "FSM pupils",
            "FSM eligible",
            "Pupils FSM",
            "Pupil premium",
            "PP",
            "PP pupils",
            "Disadvantaged",
            "Disadvantaged pupils",
            "Ever 6 FSM",
        ),
        help="of them, pupils eligible for free school meals or the pupil premium",
    ),
    Column(
        "send",
        ("SEND", "SEN", "SEND pupils", "SEN pupils", "Pupils SEND", "Pupils with SEND"),
        help="of them, pupils with special educational needs or disabilities",
    ),
    Column(
        "fee_remission",
        ("Fee remission", "Remission", "Remitted", "Fees remitted", "Subsidised"),
        help="of them, pupils whose fees were remitted",
    ),
    Column(
        "wcet_terms",
        ("WCET terms", "Whole class terms", "Terms of WCET", "Terms taught", "Number of terms"),
        help="for whole_class_ensemble: the terms (1-3) it runs this year",
    ),
    Column(
        "continuing_from_wcet",
        (
            "Continuing from WCET",
            "Continuing",
            "Continuers",
            "Continued after WCET",
            "Continuing pupils",
        ),
        help="of them, pupils continuing after whole-class teaching",
    ),
    SOURCE,
    ESTIMATED,
)

WORDS = {
    "programme": WordField(ParticipationProgramme, PROGRAMME),
    "term": WordField(Term, TERM),
    "source": SOURCE_WORDS,
}

_FIELD_COLUMNS = {"occurred_on": "date", "urn": "urn"}


def _counts(row: Row, pupils: int, programme: ParticipationProgramme | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for field in _COUNTS:
        if not row.has(field):
            continue
        value = row.whole(field, 0, MAX_PUPILS, required=False)
        if value is None and row.ok_cell(field) and needs_value(ParticipationRecorded, field):
            if pupils == 0 or (field == "fee_remission" and programme not in _PAID):
                value = 0  # of no pupils none; no fees to remit outside paid tuition
            else:
                row.bad(
                    field,
                    "is blank: write the number (0 if none); hubcore never reads a blank as 0",
                )
        if value is not None:
            found[field] = value
    return found


def _plan_row(row: Row) -> Planned | None:
    urn = row.urn()
    programme = row.word("programme")
    day = row.day("date", required=False) if row.has("date") else None
    year = row_year(row, day, date_in_year=True)
    term = row.word("term", required=False) if row.has("term") else None
    key_stage = row.key_stage("key_stage") if row.has("key_stage") else None
    pupils = row.whole("pupils", 0, MAX_PUPILS)
    counts = _counts(row, pupils or 0, programme)
    wcet_terms = row.whole("wcet_terms", 1, 3, required=False) if row.has("wcet_terms") else None
    extra = counted(row, Source.HUB_REGISTER)
    if not row.ok or urn is None or year is None or pupils is None:
        return None
    when = row_date(row, day, year, term)
    if when is None:
        return None
    event = row.event(
        ParticipationRecorded,
        _FIELD_COLUMNS,
        occurred_on=when,
        urn=urn,
        academic_year=year,
        term=term,
        programme=programme,
        key_stage=key_stage,
        pupils=pupils,
        wcet_terms=wcet_terms,
        **counts,
        **extra,
    )
    if event is None:
        return None
    term_word = "-" if term is None else term.value
    stage = "-" if key_stage is None else str(key_stage)
    key = f"{urn}|{year}|{term_word}|{programme.value}|{stage}"
    columns = {name: name for name in ("urn", "pupils", *_COUNTS, "wcet_terms")}
    columns["occurred_on"] = "date" if day is not None else "term"
    return row.planned(
        event,
        key,
        columns,
        "school, programme, year, term and key stage",
        dated_by_default=day is None,
    )


def _missing_counts(rows: Sequence[Row], planned: Sequence[Planned]) -> None:
    """A count the event cannot leave unknown needs its column: one problem, not one a row
    (fee remission only when the file has paid tuition)."""
    first = rows[0]
    paid = any(
        isinstance(item.event, ParticipationRecorded) and item.event.programme in _PAID
        for item in planned
    )
    for field in _COUNTS:
        if field == "fee_remission" and not paid:
            continue
        if not first.has(field) and needs_value(ParticipationRecorded, field):
            column = next(c for c in COLUMNS if c.field == field)
            first.problems.add(
                first.header.lines[0],
                field,
                f"required column is missing: {field} ({column.help}); ParticipationRecorded"
                f" needs the number (0 if none) and hubcore never assumes 0 (a column named"
                f" e.g. {column.names[0]!r})",
            )


def _plan(rows: Sequence[Row]) -> list[Planned]:
    if not one_column_of(rows, ("academic_year", "date"), "the academic year (or a date)"):
        return []
    planned = [item for item in map(_plan_row, rows) if item is not None]
    if rows:
        _missing_counts(rows, planned)
    return planned


REGISTERS = Kind(
    name="registers",
    summary="Participation registers: one row per school, programme, year and term.",
    columns=COLUMNS,
    plan=_plan,
    words=WORDS,
)
