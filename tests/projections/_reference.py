"""A naive reference model: each metric recomputed straight from the event list.

Written independently of the read models (no shared code but the calendar), so a property
test can hold every read model to it.
"""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

from hubcore.calendar import academic_year_bounds, academic_year_of, previous_academic_year
from hubcore.vocabulary import grade_rank


def _of(events: list[Any], *types: str) -> list[Any]:
    return [e for e in events if e.event_type in types]


def _latest(events: list[Any]) -> Any:
    """The last of the events with the greatest date (list order breaks ties)."""
    best = None
    for e in events:
        if best is None or e.occurred_on >= best.occurred_on:
            best = e
    return best


def open_schools(events: list[Any], year: str) -> list[int]:
    start, end = academic_year_bounds(year)
    closed = {e.urn: e.occurred_on for e in reversed(_of(events, "SchoolClosed"))}
    return sorted(
        e.urn
        for e in _of(events, "SchoolRegistered")
        if e.occurred_on <= end and (e.urn not in closed or closed[e.urn] >= start)
    )


def roll(events: list[Any], urn: int, year: str) -> int:
    """The roll as it stood at ``year``'s end: the registered roll, or the latest update
    dated by then (the last recorded on a tie)."""
    end = academic_year_bounds(year)[1]
    value, on = 0, None
    for e in _of(events, "SchoolRegistered", "SchoolDetailsUpdated"):
        if e.urn != urn or e.pupils_on_roll is None:
            continue
        if e.event_type == "SchoolRegistered":
            value = e.pupils_on_roll
        elif e.occurred_on <= end and (on is None or e.occurred_on >= on):
            value, on = e.pupils_on_roll, e.occurred_on
    return value


def engaged_at(events: list[Any], urn: int, day: date) -> bool:
    mine = [
        e
        for e in _of(events, "SchoolEngaged", "SchoolDisengaged")
        if e.urn == urn and e.occurred_on <= day
    ]
    last = _latest(mine)
    return last is not None and last.event_type == "SchoolEngaged"


def coverage(events: list[Any], year: str) -> tuple[int, int]:
    schools = open_schools(events, year)
    end = academic_year_bounds(year)[1]
    return sum(engaged_at(events, u, end) for u in schools), len(schools)


def challenged(events: list[Any], year: str) -> tuple[int, int]:
    schools = open_schools(events, year)
    hit = {
        e.urn
        for e in _of(events, "ConversationHeld")
        if academic_year_of(e.occurred_on) == year and e.kind.value in ("challenging", "review")
    }
    return len(hit & set(schools)), len(schools)


def median_gap(events: list[Any], year: str) -> float | None:
    gaps = []
    for urn in {e.urn for e in _of(events, "SchoolRegistered")}:
        days = sorted(e.occurred_on for e in _of(events, "ConversationHeld") if e.urn == urn)
        for i in range(1, len(days)):
            if academic_year_of(days[i]) == year:
                gaps.append((days[i] - days[i - 1]).days)
    return float(statistics.median(gaps)) if gaps else None


def overdue(events: list[Any], day: date) -> list[int]:
    """Due: the agreed next_due_on, else a year after the last conversation (or after the
    first registration); overdue after the end of the first half-term starting after it."""
    from datetime import timedelta

    from hubcore.calendar import TermDates

    terms = TermDates()
    result = []
    closed = {e.urn: e.occurred_on for e in reversed(_of(events, "SchoolClosed"))}
    registered = {e.urn: e.occurred_on for e in reversed(_of(events, "SchoolRegistered"))}
    for urn in sorted(registered):
        if (urn in closed and closed[urn] <= day) or registered[urn] > day:
            continue
        mine = [e for e in _of(events, "ConversationHeld") if e.urn == urn and e.occurred_on <= day]
        last = _latest(mine)
        if last is None:
            due = registered[urn] + timedelta(days=365)
        elif last.next_due_on is not None:
            due = last.next_due_on
        else:
            due = last.occurred_on + timedelta(days=365)
        later = [h for y in _years_from(due) for h in terms.half_terms(y) if h.start > due]
        if later[0].end < day:
            result.append(urn)
    return result


def _years_from(day: date) -> list[str]:
    first = day.year if day.month >= 9 else day.year - 1
    return [f"{y}/{(y + 1) % 100:02d}" for y in (first, first + 1)]


def at_or_above_expected(events: list[Any]) -> tuple[int, int]:
    latest: dict[tuple[int, str], Any] = {}
    dates: dict[tuple[int, str], date] = {}
    for e in _of(events, "ConversationHeld"):
        for area, grade in e.judgements.items():
            key = (e.urn, area.value)
            if key not in dates or e.occurred_on >= dates[key]:
                latest[key], dates[key] = grade, e.occurred_on
    return sum(grade_rank(g) >= 3 for g in latest.values()), len(latest)


def follow_through(events: list[Any], year: str) -> tuple[int, int]:
    start, end = academic_year_bounds(year)
    # the first closing event (completion or withdrawal) of each action decides
    done: dict[tuple[int, str], date] = {}
    gone: dict[tuple[int, str], date] = {}
    for e in events:
        key = (getattr(e, "urn", None), getattr(e, "action_id", None))
        if key in done or key in gone:
            continue
        if e.event_type == "ActionCompleted":
            done[key] = e.occurred_on
        elif e.event_type == "ActionWithdrawn":
            gone[key] = e.occurred_on
    due = [
        e
        for e in _of(events, "ActionAgreed")
        if start <= e.due_on <= end
        and not ((e.urn, e.action_id) in gone and gone[(e.urn, e.action_id)] <= e.due_on)
    ]
    ok = sum(
        1 for e in due if (e.urn, e.action_id) in done and done[(e.urn, e.action_id)] <= e.due_on
    )
    return ok, len(due)


def open_actions(events: list[Any], day: date) -> list[tuple[int, str, bool]]:
    """(urn, action_id, overdue) of every action agreed by ``day`` and not closed by then."""
    closed: dict[tuple[int, str], date] = {}
    for e in events:
        if e.event_type in ("ActionCompleted", "ActionWithdrawn"):
            closed.setdefault((e.urn, e.action_id), e.occurred_on)
    return sorted(
        (e.urn, e.action_id, e.due_on < day)
        for e in _of(events, "ActionAgreed")
        if e.occurred_on <= day
        and not ((e.urn, e.action_id) in closed and closed[(e.urn, e.action_id)] <= day)
    )


def training_reach(events: list[Any], year: str) -> tuple[int, int]:
    schools = open_schools(events, year)
    hit = {
        e.urn for e in _of(events, "TrainingDelivered") if academic_year_of(e.occurred_on) == year
    }
    return len(hit & set(schools)), len(schools)


def training_hours(events: list[Any], year: str) -> float:
    return sum(
        e.hours for e in _of(events, "TrainingDelivered") if academic_year_of(e.occurred_on) == year
    )


def strategic(events: list[Any], year: str) -> tuple[float, float]:
    logs = [
        e
        for e in _of(events, "StaffTimeLogged")
        if academic_year_of(e.period_start) == year and e.staff_role.value != "partner"
    ]
    s = sum(e.strategic_hours for e in logs)
    return s, s + sum(e.teaching_hours + e.other_hours for e in logs)


def weekly_for_all(events: list[Any], year: str) -> tuple[int, int]:
    latest: dict[int, Any] = {}
    for e in _of(events, "ProvisionReported"):
        if e.academic_year == year and (
            e.urn not in latest or e.occurred_on >= latest[e.urn].occurred_on
        ):
            latest[e.urn] = e
    full = sum(1 for e in latest.values() if e.classes_with_weekly_music == e.classes_total)
    return full, len(latest)


def participation_rate(events: list[Any], year: str) -> tuple[int, int]:
    schools = open_schools(events, year)
    pupils = sum(
        e.pupils
        for e in _of(events, "ParticipationRecorded")
        if e.academic_year == year and e.urn in schools
    )
    return pupils, sum(roll(events, u, year) for u in schools)


def remission(events: list[Any], year: str) -> tuple[int, int]:
    schools = open_schools(events, year)
    tuition = [
        e
        for e in _of(events, "ParticipationRecorded")
        if e.academic_year == year and e.urn in schools and e.programme.value.startswith("tuition")
    ]
    return sum(e.fee_remission for e in tuition), sum(e.pupils for e in tuition)


def continuation(events: list[Any], year: str) -> tuple[int, int]:
    before = previous_academic_year(year)
    parts = _of(events, "ParticipationRecorded")
    num = den = 0
    for urn in open_schools(events, year):
        wcet = sum(
            e.pupils
            for e in parts
            if e.urn == urn and e.academic_year == before
            and e.programme.value == "whole_class_ensemble"
        )  # fmt: skip
        if wcet:
            den += wcet
            num += sum(
                e.continuing_from_wcet or 0
                for e in parts
                if e.urn == urn and e.academic_year == year
            )
    return num, den


def has_plan(events: list[Any], year: str) -> tuple[int, int]:
    schools = open_schools(events, year)
    latest: dict[int, Any] = {}
    for e in _of(events, "MusicDevelopmentPlanRecorded"):
        if e.academic_year == year and (
            e.urn not in latest or e.occurred_on >= latest[e.urn].occurred_on
        ):
            latest[e.urn] = e
    return sum(1 for u in schools if u in latest and latest[u].has_plan), len(schools)


def pupil_voice_evaluations(events: list[Any], year: str) -> tuple[int, int]:
    evals = [e for e in _of(events, "ImpactEvaluated") if academic_year_of(e.occurred_on) == year]
    return sum(1 for e in evals if any(m.value == "pupil_voice" for m in e.methods)), len(evals)


def improved(events: list[Any], year: str) -> tuple[int, int]:
    evals = [e for e in _of(events, "ImpactEvaluated") if academic_year_of(e.occurred_on) == year]
    better = sum(1 for e in evals if grade_rank(e.current_grade) > grade_rank(e.baseline_grade))
    return better, len(evals)


def s2s(events: list[Any], year: str) -> tuple[int, int, int]:
    links = [
        e
        for e in _of(events, "SchoolToSchoolSupportBrokered")
        if academic_year_of(e.occurred_on) == year
    ]
    pairs = {(e.urn, e.lead_urn) for e in links}
    return len(pairs), len({e.lead_urn for e in links}), len({e.urn for e in links})


def partners(events: list[Any]) -> int:
    return len({(e.hub_id, e.partner_id) for e in _of(events, "PartnerJoined")})
