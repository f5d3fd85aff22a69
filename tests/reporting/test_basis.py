"""The report's basis: a past year's report does not drift as later years are recorded,
and ``as_of`` reproduces the report as the log stood on a day (docs/year-truth.md).

One school, worked by hand. Handed in on 31 Aug 2025, the 2024/25 reports rest on: a roll
of 200 with 50 choir participations (a rate of 25 per 100 pupils), one conversation
judging curriculum progression "expected" (D11 1 of 1, 100%), one partner. Then 2025/26
is recorded: the roll becomes 400, a conversation judges progression "needs attention",
a second partner joins, and a provision return for 2024/25 arrives late (20 Sep 2025).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

import hubcore
from hubcore.events import (
    ConversationHeld,
    Event,
    HubEstablished,
    ParticipationRecorded,
    PartnerJoined,
    ProvisionReported,
    SchoolDetailsUpdated,
    SchoolEngaged,
    SchoolRegistered,
)
from hubcore.reporting import Metric, Summary
from hubcore.reports import basis_note
from hubcore.store import EventStore, open_store
from hubcore.store import _commits as commits
from hubcore.vocabulary import (
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
    Grade,
    Offer,
    Participant,
    ParticipationProgramme,
    PartnerKind,
    Phase,
)

HUB, URN, Y1 = "north", 100001, "2024/25"
REPORTS = (
    "ofsted",
    "self-evaluation",
    "participation",
    "data-return",
    "data-return-schools",
    "pupil-voice",
    "trends",
    "comparison",
)
PROG = Area.CURRICULUM_PROGRESSION


def _conv(on: date, cid: str, grade: Grade) -> ConversationHeld:
    return ConversationHeld(
        occurred_on=on, urn=URN, conversation_id=cid, kind=ConversationKind.SUPPORTIVE,
        participants={Participant.HEADTEACHER}, judgements={PROG: grade},
    )  # fmt: skip


def _partner(on: date, pid: str) -> PartnerJoined:
    return PartnerJoined(
        occurred_on=on, hub_id=HUB, partner_id=pid, name=pid, kind=PartnerKind.ARTS_VENUE
    )


FIRST_YEAR: list[Event] = [
    HubEstablished(
        occurred_on=date(2024, 9, 1), hub_id=HUB, name="North", lead_organisation="LA",
        la_codes={"901"},
    ),
    SchoolRegistered(
        occurred_on=date(2024, 9, 2), urn=URN, name="Ash Primary", phase=Phase.PRIMARY,
        la_code="901", pupils_on_roll=200, disadvantaged_pct=20,
    ),
    SchoolEngaged(
        occurred_on=date(2024, 9, 10), urn=URN, offer={Offer.CPD},
        agreement=Agreement.INFORMAL, agreed_by_role=AgreedByRole.HEADTEACHER,
    ),
    _conv(date(2024, 11, 1), "c1", Grade.EXPECTED),
    ParticipationRecorded(
        occurred_on=date(2025, 1, 15), urn=URN, academic_year=Y1,
        programme=ParticipationProgramme.CHOIR, pupils=50,
    ),
    _partner(date(2024, 10, 1), "p1"),
]  # fmt: skip
LATE_RETURN = ProvisionReported(
    occurred_on=date(2025, 9, 20), urn=URN, academic_year=Y1, classes_total=7,
    classes_with_weekly_music=7, self_evaluation_grade=Grade.STRONG,
)  # fmt: skip
SECOND_YEAR: list[Event] = [
    SchoolDetailsUpdated(occurred_on=date(2025, 9, 5), urn=URN, pupils_on_roll=400),
    _conv(date(2025, 10, 1), "c2", Grade.NEEDS_ATTENTION),
    _partner(date(2025, 10, 2), "p2"),
    ParticipationRecorded(
        occurred_on=date(2026, 1, 15), urn=URN, academic_year="2025/26",
        programme=ParticipationProgramme.CHOIR, pupils=100,
    ),
]  # fmt: skip


def _at(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Record from now on as if on ``day`` (noon UTC)."""
    micros = int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp() * 1e6)
    monkeypatch.setattr(commits, "now_micros", lambda: micros)


def _append(store: EventStore, events: list[Event]) -> None:
    for event in events:
        store.append(event.stream, [event])


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[EventStore]:
    with open_store("memory://") as opened:
        _at(monkeypatch, date(2025, 8, 31))
        _append(opened, FIRST_YEAR)
        yield opened


def _metric(summary: Summary, key: str) -> Metric:
    (found,) = [m for m in summary.metrics if m.key == key]
    return found


def _figures(summary: Summary) -> tuple[object, ...]:
    """Everything but the caveats (the first states the basis, which differs)."""
    return summary.metrics, summary.tables, summary.series, summary.sections


def test_a_past_years_reports_do_not_drift_and_as_of_reproduces_them(store, monkeypatch):
    handed_in = {name: hubcore.build_report(store, name, year=Y1) for name in REPORTS}
    assert _metric(handed_in["participation"], "participation-rate").value == 25.0
    assert _metric(handed_in["participation"], "partners").value == 1
    assert _metric(handed_in["self-evaluation"], "d11-progression").value == 100.0

    _at(monkeypatch, date(2025, 9, 25))
    _append(store, [LATE_RETURN])
    _at(monkeypatch, date(2026, 8, 31))
    _append(store, SECOND_YEAR)

    for name in REPORTS:
        # the log as it stood on the day the report was handed in: the same figures
        again = hubcore.build_report(store, name, year=Y1, as_of=date(2025, 8, 31))
        assert _figures(again) == _figures(handed_in[name]), name
        assert again.caveats[0].startswith(
            "Basis: the log as it stood at the end of 2025-08-31 (6 events recorded by then)"
        )
    now = {name: hubcore.build_report(store, name, year=Y1) for name in REPORTS}
    # everything known about 2024/25 now: the roll, judgement and partners of 2025/26 do
    # not reach back (the drift), ...
    assert _metric(now["participation"], "participation-rate").value == 25.0
    assert _metric(now["participation"], "partners").value == 1
    assert _metric(now["self-evaluation"], "d11-progression").value == 100.0
    assert _figures(now["participation"]) == _figures(handed_in["participation"])
    # ... but the late return for 2024/25 does: 7 of 7 classes with weekly music
    weekly = _metric(now["self-evaluation"], "d11-weekly-music")
    assert (_metric(handed_in["self-evaluation"], "d11-weekly-music").value, weekly.value) == (
        None,
        100.0,
    )
    assert now["ofsted"].caveats[0].startswith("Basis: everything known about 2024/25 as recorded")
    # and 2025/26 sees its own roll and judgement
    second = hubcore.build_report(store, "participation", year="2025/26")
    assert _metric(second, "participation-rate").value == 25.0  # 100 of 400
    assert _metric(second, "partners").value == 2


def test_as_of_before_anything_was_recorded_is_a_clear_error(store):
    with pytest.raises(hubcore.HubcoreError, match="store was empty on 2025-08-30"):
        hubcore.build_report(store, "ofsted", as_of=date(2025, 8, 30))


def test_as_of_must_be_a_day(store):
    with pytest.raises(hubcore.InvalidRequest, match="as_of must be a date"):
        hubcore.build_report(store, "ofsted", as_of=datetime(2025, 8, 31, tzinfo=UTC))


def test_the_basis_note_names_the_rule() -> None:
    assert basis_note(Y1, None, date(2025, 3, 1)) == (
        "Basis: everything recorded so far; 2024/25 is not over (it ends 2025-08-31)."
    )
    assert basis_note(Y1, None, date(2026, 1, 1)) == (
        "Basis: everything known about 2024/25 as recorded by 2026-01-01: events dated by "
        "2025-08-31, and returns for 2024/25 or earlier made later."
    )
    assert basis_note(Y1, date(2025, 9, 30), date(2026, 1, 1), 1234) == (
        "Basis: the log as it stood at the end of 2025-09-30 (1,234 events recorded by "
        "then), limited to events dated by 2025-08-31, and returns for 2024/25 or earlier "
        "made later."
    )
