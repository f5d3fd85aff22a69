"""``training``: CPD sign-in sheets -> ``TrainingDelivered``.

A sheet comes in one of two shapes, told apart by its columns:

* **one row per school and session**, with a count of staff attending (a ``Staff`` column);
* **one row per person signing in** (no count column): the rows of one school at one
  session (same date, topic, format, provider and hours) are added up, one person each.
  A name or e-mail column, if there is one, is read only to find a person who signed in
  twice; it is never stored.

The session format defaults to ``cpd_session`` and the provider to ``hub_staff`` (a CPD
sign-in sheet records the hub's own sessions); either can be given per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs

from hubcore.events import TrainingDelivered
from hubcore.imports._columns import Column
from hubcore.imports._problems import FILE
from hubcore.imports._rows import Kind, Planned, Row, WordField
from hubcore.imports._shared import ESTIMATED, SCHOOL, SOURCE, SOURCE_WORDS, URN, counted
from hubcore.imports._words import DELIVERED_BY, FORMAT, TOPIC
from hubcore.vocabulary import DeliveredBy, Source, TrainingFormat, TrainingTopic

__all__ = ["MAX_HOURS", "MAX_STAFF", "TRAINING"]

MAX_STAFF = 1_000
"""The most staff one row may count."""
MAX_HOURS = 40.0
"""The longest session (``TrainingDelivered`` allows up to 40 hours)."""

COLUMNS = (
    Column(
        "date",
        ("Date", "Session date", "Date of session", "Training date", "Date attended", "When"),
        required=True,
        help="the day of the session",
    ),
    URN,
    SCHOOL,
    Column(
        "topic",
        ("Topic", "Focus", "Course", "Session title", "Training topic", "Subject", "Session"),
        required=True,
        help="the topic: curriculum_progression, assessment, singing, instrumental_teaching,"
        " inclusion_send, music_technology, composition or leadership",
    ),
    Column(
        "hours",
        ("Hours", "Duration", "Length", "Hours attended", "CPD hours", "Time"),
        required=True,
        help="how long the session was, in hours (1.5, 1:30 or 90 mins)",
    ),
    Column(
        "staff",
        (
            "Staff attending",
            "Staff",
            "Attendees",
            "Number of staff",
            "No of staff",
            "Staff trained",
            "Number attending",
            "Teachers attending",
        ),
        help="staff from the school who attended (without it, each row is one person)",
    ),
    Column(
        "attendee",
        ("Name", "Attendee", "Attendee name", "Full name", "Staff name", "Email", "E-mail"),
        help="who signed in (read only to catch a double sign-in; never stored)",
    ),
    Column(
        "format",
        ("Format", "Session type", "Type", "Delivery", "Mode"),
        help="cpd_session (default), consultancy, coaching, network_meeting or online_course",
    ),
    Column(
        "delivered_by",
        ("Delivered by", "Provider", "Led by", "Delivered by organisation"),
        help="hub_staff (default) or partner",
    ),
    Column(
        "partner_id",
        ("Partner", "Partner id", "Partner ID", "Partner code"),
        help="the partner's id in hubcore, when a partner delivered it",
    ),
    SOURCE,
    ESTIMATED,
)

WORDS = {
    "topic": WordField(TrainingTopic, TOPIC),
    "format": WordField(TrainingFormat, FORMAT),
    "delivered_by": WordField(DeliveredBy, DELIVERED_BY),
    "source": SOURCE_WORDS,
}

_FACT = "school, date, topic, format, provider and length of session"
_COLUMNS = {
    "occurred_on": "date",
    "urn": "urn",
    "topic": "topic",
    "hours": "hours",
    "staff_trained": "staff",
    "format": "format",
    "delivered_by": "delivered_by",
    "partner_id": "partner_id",
}


@attrs.frozen
class _Session:
    line: int
    urn: int
    fields: dict[str, Any]
    staff: int
    person: str | None

    @property
    def key(self) -> str:
        f = self.fields
        partner = f["partner_id"] or "-"
        return (
            f"{self.urn}|{f['occurred_on'].isoformat()}|{f['topic'].value}|{f['format'].value}"
            f"|{f['delivered_by'].value}|{partner}|{f['hours']:g}"
        )


def _read(row: Row, count_mode: bool) -> _Session | None:
    when: date | None = row.day("date")
    urn = row.urn()
    topic = row.word("topic")
    hours = row.hours("hours", MAX_HOURS)
    staff = row.whole("staff", 1, MAX_STAFF) if count_mode else 1
    fmt = row.word("format", required=False) if row.has("format") else None
    by = row.word("delivered_by", required=False) if row.has("delivered_by") else None
    partner = row.text("partner_id") or None if row.has("partner_id") else None
    person = " ".join(row.text("attendee").lower().split()) if row.has("attendee") else None
    extra = counted(row, Source.HUB_REGISTER)
    if not row.ok or when is None or urn is None or staff is None:
        return None
    fields = {
        "occurred_on": when,
        "urn": urn,
        "topic": topic,
        "format": fmt or TrainingFormat.CPD_SESSION,
        "hours": hours,
        "delivered_by": by or DeliveredBy.HUB_STAFF,
        "partner_id": partner,
        **extra,
    }
    return _Session(row.line, urn, fields, staff, person or None)


def _plan(rows: Sequence[Row]) -> list[Planned]:
    if not rows:
        return []
    count_mode = rows[0].has("staff")
    sessions: dict[str, list[tuple[_Session, Row]]] = {}
    for row in rows:
        session = _read(row, count_mode)
        if session is not None:
            sessions.setdefault(session.key, []).append((session, row))
    planned: list[Planned] = []
    for key, group in sessions.items():
        if count_mode:
            for session, row in group:
                event = row.event(
                    TrainingDelivered, _COLUMNS, staff_trained=session.staff, **session.fields
                )
                if event is not None:
                    planned.append(row.planned(event, key, _COLUMNS, _FACT))
            continue
        item = _signed_in(group, key)
        if item is not None:
            planned.append(item)
    return planned


def _signed_in(group: list[tuple[_Session, Row]], key: str) -> Planned | None:
    """One event for the people of one school who signed in to one session."""
    seen: dict[str, int] = {}
    lines: list[int] = []
    for session, row in group:
        if session.person is not None:
            earlier = seen.get(session.person)
            if earlier is not None:
                row.problems.add(
                    row.line,
                    FILE,
                    f"signs in the same person as line {earlier} to the same session again",
                )
                continue
            seen[session.person] = row.line
        lines.append(row.line)
    session, first_row = group[0]
    event = first_row.event(TrainingDelivered, _COLUMNS, staff_trained=len(lines), **session.fields)
    if event is None:
        return None
    labels = {name: first_row.column(field) for name, field in _COLUMNS.items()}
    return Planned(tuple(lines), event, key, labels, _FACT)


TRAINING = Kind(
    name="training",
    summary="CPD sign-in sheets: one row per school and session, or per person signing in.",
    columns=COLUMNS,
    plan=_plan,
    words=WORDS,
)
