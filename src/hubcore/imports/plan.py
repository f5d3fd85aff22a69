"""Turn a parsed GIAS file into the school events it implies, given what the log holds.

* a school not registered yet -> ``SchoolRegistered`` (dated its ``OpenDate`` when given
  and not in the future, else ``today``);
* a registered, open school whose name, phase, pupils or FSM share changed ->
  ``SchoolDetailsUpdated`` with only the changed fields (dated ``today``; a blank FSM
  never erases a recorded one, and a changed LA code is not an update hubcore records);
* a registered, open school GIAS lists as closed -> ``SchoolClosed`` (dated its
  ``CloseDate``, but never before the school's latest recorded event, nor after ``today``;
  reason ``"closed in GIAS"``);
* schools already closed in the log, and closed GIAS rows never registered -> nothing.

Importing the same file twice plans nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Protocol

import attrs

from hubcore.events import (
    Event,
    SchoolClosed,
    SchoolDetailsUpdated,
    SchoolEvent,
    SchoolRegistered,
)
from hubcore.imports.gias import GiasClosure, GiasFile, GiasSchool
from hubcore.vocabulary import Phase

__all__ = [
    "CLOSED_REASON",
    "SchoolDetails",
    "current_schools",
    "plan_school_import",
    "plan_school_lines",
]

CLOSED_REASON = "closed in GIAS"


@attrs.frozen(kw_only=True)
class SchoolDetails:
    """A registered school as the log currently describes it."""

    urn: int
    name: str
    phase: Phase
    la_code: str
    pupils_on_roll: int
    disadvantaged_pct: float | None
    registered_on: date
    last_event_on: date
    """Date of the latest event in the school's stream."""
    closed_on: date | None = None


class _ReadsAll(Protocol):
    def read_all(self, after: int = 0, limit: int | None = None) -> Iterator[Any]: ...


def current_schools(store: _ReadsAll) -> dict[int, SchoolDetails]:
    """Replay the store's school streams into the current details of every school."""
    schools: dict[int, SchoolDetails] = {}
    for recorded in store.read_all():
        event = recorded.event
        if not isinstance(event, SchoolEvent):
            continue
        known = schools.get(event.urn)
        if isinstance(event, SchoolRegistered):
            schools[event.urn] = SchoolDetails(
                urn=event.urn,
                name=event.name,
                phase=event.phase,
                la_code=event.la_code,
                pupils_on_roll=event.pupils_on_roll,
                disadvantaged_pct=event.disadvantaged_pct,
                registered_on=event.occurred_on,
                last_event_on=event.occurred_on,
            )
            continue
        if known is None:
            continue
        changes: dict[str, Any] = {"last_event_on": max(known.last_event_on, event.occurred_on)}
        if isinstance(event, SchoolDetailsUpdated):
            for field in ("name", "phase", "pupils_on_roll", "disadvantaged_pct"):
                value = getattr(event, field)
                if value is not None:
                    changes[field] = value
        elif isinstance(event, SchoolClosed):
            changes["closed_on"] = event.occurred_on
        schools[event.urn] = attrs.evolve(known, **changes)
    return schools


def _registration(school: GiasSchool, today: date, registered_on: date) -> SchoolRegistered:
    opened = school.open_date
    return SchoolRegistered(
        occurred_on=opened if opened is not None and opened <= today else registered_on,
        urn=school.urn,
        name=school.name,
        phase=school.phase,
        la_code=school.la_code,
        pupils_on_roll=school.pupils_on_roll,
        disadvantaged_pct=school.disadvantaged_pct,
    )


def _update(school: GiasSchool, known: SchoolDetails, today: date) -> SchoolDetailsUpdated | None:
    changed: dict[str, Any] = {}
    if school.name != known.name:
        changed["name"] = school.name
    if school.phase != known.phase:
        changed["phase"] = school.phase
    if school.pupils_on_roll != known.pupils_on_roll:
        changed["pupils_on_roll"] = school.pupils_on_roll
    if school.disadvantaged_pct is not None and school.disadvantaged_pct != known.disadvantaged_pct:
        changed["disadvantaged_pct"] = school.disadvantaged_pct
    if not changed:
        return None
    return SchoolDetailsUpdated(
        occurred_on=max(today, known.last_event_on), urn=school.urn, **changed
    )


def _closure(closure: GiasClosure, known: SchoolDetails, today: date) -> SchoolClosed:
    day = closure.close_date if closure.close_date is not None else today
    day = min(max(day, known.last_event_on), max(today, known.last_event_on))
    return SchoolClosed(occurred_on=day, urn=closure.urn, reason=CLOSED_REASON)


def plan_school_import(
    rows: GiasFile | Iterable[GiasSchool | GiasClosure],
    current: Mapping[int, SchoolDetails] | _ReadsAll,
    *,
    today: date | None = None,
    registered_on: date | None = None,
) -> list[Event]:
    """The events that bring the log in line with ``rows`` (in file order).

    ``current`` is either a mapping URN -> :class:`SchoolDetails` or a store to read it
    from (:func:`current_schools`); ``today`` defaults to :meth:`date.today`. A new
    school is registered on its GIAS ``OpenDate``, or, when GIAS gives none, on
    ``registered_on`` (default ``today``): set it to the start of the first academic year
    you will record activity for, since nothing may be dated before a registration.
    """
    planned = plan_school_lines(rows, current, today=today, registered_on=registered_on)
    return [event for _, event in planned]


def plan_school_lines(
    rows: GiasFile | Iterable[GiasSchool | GiasClosure],
    current: Mapping[int, SchoolDetails] | _ReadsAll,
    *,
    today: date | None = None,
    registered_on: date | None = None,
) -> list[tuple[int, Event]]:
    """:func:`plan_school_import`, each event with the GIAS line it comes from."""
    day = today or date.today()
    roster_day = min(registered_on or day, day)
    known_schools = current if isinstance(current, Mapping) else current_schools(current)
    if isinstance(rows, GiasFile):
        entries: list[GiasSchool | GiasClosure] = [*rows.schools, *rows.closed]
        entries.sort(key=lambda entry: entry.line)
    else:
        entries = list(rows)
    events: list[tuple[int, Event]] = []
    for entry in entries:
        known = known_schools.get(entry.urn)
        if known is not None and known.closed_on is not None:
            continue
        event: Event | None = None
        if isinstance(entry, GiasClosure):
            if known is not None:
                event = _closure(entry, known, day)
        elif known is None:
            event = _registration(entry, day, roster_day)
        else:
            event = _update(entry, known, day)
        if event is not None:
            events.append((entry.line, event))
    return events
