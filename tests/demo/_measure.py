"""Independent measurements of a generated history (the tests' own arithmetic)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.events import (
    Event,
    MusicDevelopmentPlanRecorded,
    ParticipationRecorded,
    SchoolClosed,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolRegistered,
    StaffTimeLogged,
)
from hubcore.vocabulary import ParticipationProgramme as P

TUITION = {P.TUITION_INDIVIDUAL, P.TUITION_SMALL_GROUP, P.TUITION_LARGE_GROUP}


def years_of(events: Sequence[Event]) -> list[str]:
    return sorted({academic_year_of(e.occurred_on) for e in events})


def coverage(events: Sequence[Event], year: str) -> float:
    """Schools open at the year's end (or today) that are engaged then / those schools."""
    _, last = academic_year_bounds(year)
    engaged: dict[int, bool] = {}
    closed: set[int] = set()
    for event in events:
        if event.occurred_on > last:
            break
        if isinstance(event, SchoolRegistered):
            engaged[event.urn] = False
        elif isinstance(event, SchoolEngaged):
            engaged[event.urn] = True
        elif isinstance(event, SchoolDisengaged):
            engaged[event.urn] = False
        elif isinstance(event, SchoolClosed):
            closed.add(event.urn)
    open_urns = [urn for urn in engaged if urn not in closed]
    return sum(engaged[urn] for urn in open_urns) / len(open_urns)


def participation(events: Sequence[Event], year: str) -> list[ParticipationRecorded]:
    return [e for e in events if isinstance(e, ParticipationRecorded) and e.academic_year == year]


def wcet_school_share(events: Sequence[Event], year: str) -> float:
    wcet = {e.urn for e in participation(events, year) if e.programme is P.WHOLE_CLASS_ENSEMBLE}
    first, _ = academic_year_bounds(year)
    registered = {
        e.urn for e in events if isinstance(e, SchoolRegistered) and e.occurred_on <= first
    }
    return len(wcet & registered) / len(registered)


def school_facts(events: Sequence[Event]) -> dict[int, SchoolRegistered]:
    return {e.urn: e for e in events if isinstance(e, SchoolRegistered)}


def tuition_pp_index(events: Sequence[Event], year: str) -> float:
    """(pupil premium share among tuition participants) / (the schools' FSM share)."""
    facts = school_facts(events)
    pupils = premium = expected = 0.0
    for e in participation(events, year):
        if e.programme in TUITION:
            pupils += e.pupils
            premium += e.pupil_premium
            fsm = facts[e.urn].disadvantaged_pct
            assert fsm is not None
            expected += e.pupils * fsm / 100
    return premium / expected


def send_tuition_ratio(events: Sequence[Event], year: str, send_share: float) -> float:
    """SEND tuition rate / non-SEND tuition rate in mainstream primary and secondary schools."""
    facts = school_facts(events)
    send = other = 0
    for e in participation(events, year):
        if e.programme in TUITION and facts[e.urn].phase.value in ("primary", "secondary"):
            send += e.send
            other += e.pupils - e.send
    # rates per pupil: send / (share) vs other / (1 - share)
    return (send / send_share) / (other / (1 - send_share))


def choir_share(events: Sequence[Event], year: str) -> float:
    choir = ensemble = 0
    for e in participation(events, year):
        if e.programme is P.CHOIR:
            choir += e.pupils
        elif e.programme is P.ENSEMBLE:
            ensemble += e.pupils
    return choir / (choir + ensemble)


def continuation(events: Sequence[Event], year: str, previous: str) -> float:
    wcet_before: dict[int, int] = defaultdict(int)
    for e in participation(events, previous):
        if e.programme is P.WHOLE_CLASS_ENSEMBLE:
            wcet_before[e.urn] += e.pupils
    continuing = sum(
        e.continuing_from_wcet or 0 for e in participation(events, year) if e.urn in wcet_before
    )
    return continuing / sum(wcet_before.values())


def strategic_share(events: Sequence[Event], year: str) -> float:
    first, last = academic_year_bounds(year)
    strategic = total = 0.0
    for e in events:
        if isinstance(e, StaffTimeLogged) and first <= e.period_start <= last:
            strategic += e.strategic_hours
            total += e.strategic_hours + e.teaching_hours + e.other_hours
    return strategic / total


def plan_share(events: Sequence[Event], year: str) -> float:
    records = [
        e for e in events if isinstance(e, MusicDevelopmentPlanRecorded) and e.academic_year == year
    ]
    return sum(e.has_plan for e in records) / len(records)


def full_year_today(year: str) -> date:
    return academic_year_bounds(year)[1]
