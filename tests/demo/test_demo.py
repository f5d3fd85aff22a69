from __future__ import annotations

import re
from collections import Counter
from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import codec
from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.demo import DemoParameterError, demo_event_count_estimate, generate_hub
from hubcore.demo._areas import AREAS
from hubcore.domain import Recorder, check_history
from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    DataReturnSubmitted,
    HubEstablished,
    ImpactEvaluated,
    MusicEducationPlanPublished,
    PartnerJoined,
    ProvisionReported,
    SchoolClosed,
    SchoolDisengaged,
    SchoolEvent,
    SchoolRegistered,
    StaffTimeLogged,
)
from hubcore.store import open_store
from hubcore.vocabulary import EvaluationMethod, Phase, WithdrawalReason

from . import _measure as m

TODAY = date(2026, 8, 31)  # the end of 2025/26: three complete academic years


@pytest.fixture(scope="module")
def default_demo():
    return list(generate_hub(today=TODAY))


def test_same_seed_same_events_in_the_same_order(default_demo):
    assert list(generate_hub(today=TODAY)) == default_demo


def test_different_seeds_differ(default_demo):
    other = list(generate_hub(today=TODAY, seed=1))
    assert other != default_demo
    assert {e.urn for e in other if isinstance(e, SchoolRegistered)} != {
        e.urn for e in default_demo if isinstance(e, SchoolRegistered)
    }


def test_fast_path_equals_validating_constructors(default_demo):
    assert list(generate_hub(today=TODAY, validate=True)) == default_demo


def test_every_event_passes_its_validators_and_the_strict_codec(default_demo):
    for event in default_demo:
        attrs.validate(event)  # type checks: frozensets, tuples, enum members
        rebuilt = type(event)(**{f.name: getattr(event, f.name) for f in attrs.fields(type(event))})
        assert rebuilt == event
        assert codec.decode(codec.encode(event)) == event


def test_provision_reports_round_trip_through_the_strict_codec(default_demo):
    report = next(e for e in default_demo if isinstance(e, ProvisionReported))
    assert report.minutes_per_week  # JSON turns these int keys into text
    assert codec.decode(codec.encode(report)) == report


def test_dates_are_in_order_and_never_after_today(default_demo):
    days = [e.occurred_on for e in default_demo]
    assert days == sorted(days)
    assert days[-1] <= TODAY
    assert {academic_year_of(d) for d in days} == {"2023/24", "2024/25", "2025/26"}


def test_the_default_demo_passes_the_domain_rules(default_demo):
    check_history(default_demo, today=TODAY)


def test_the_default_demo_records_into_a_memory_store(default_demo):
    store = open_store("memory://")
    Recorder(store, clock=lambda: TODAY).record_many(default_demo)
    assert store.head() == len(default_demo)


def test_shape_of_the_default_hub(default_demo):
    assert isinstance(default_demo[0], HubEstablished)
    hub = default_demo[0]
    assert 1 <= len(hub.la_codes) <= 8
    assert all(re.fullmatch(r"\d{3}", code) for code in hub.la_codes)
    registered = [e for e in default_demo if isinstance(e, SchoolRegistered)]
    assert 300 <= len(registered) <= 320  # 300 at the start, a few openings and conversions
    assert len({e.urn for e in registered}) == len(registered)
    assert {e.la_code for e in registered} <= set(hub.la_codes)
    counts = Counter(type(e).__name__ for e in default_demo)
    for name in (
        "SchoolClosed",
        "SchoolDisengaged",
        "DataReturnSubmitted",
        "PartnerJoined",
        "WorkPublicised",
        "YouthConsultationHeld",
        "ConversationHeld",
        "TrainingDelivered",
        "ImpactEvaluated",
        "ProvisionReported",
        "ParticipationRecorded",
        "MusicDevelopmentPlanRecorded",
        "InspectionRecorded",
        "PupilVoiceGathered",
        "SchoolToSchoolSupportBrokered",
        "SchoolDetailsUpdated",
        "HubStaffTrained",
        "ActionAgreed",
        "ActionCompleted",
        "ActionWithdrawn",
        "SchoolEngaged",
    ):
        assert counts[name] > 0, name
    per_school_year = len(default_demo) / (300 * 3)
    assert 8 <= per_school_year <= 90


def test_phase_mix_pupils_and_fsm_follow_the_national_shape():
    events = list(generate_hub(schools=3000, years=1, today=TODAY, seed=3))
    registered = [e for e in events if isinstance(e, SchoolRegistered)]
    phases = Counter(e.phase for e in registered)
    share = {phase: phases[phase] / len(registered) for phase in phases}
    assert 0.72 <= share[Phase.PRIMARY] <= 0.80  # 16764 / 22025 = 0.761
    assert 0.13 <= share[Phase.SECONDARY] <= 0.18  # 0.157
    assert 0.035 <= share[Phase.SPECIAL] <= 0.065  # 0.049
    mean_roll = {
        phase: sum(e.pupils_on_roll for e in registered if e.phase is phase) / phases[phase]
        for phase in phases
    }
    assert 230 <= mean_roll[Phase.PRIMARY] <= 320
    assert 900 <= mean_roll[Phase.SECONDARY] <= 1200
    assert 110 <= mean_roll[Phase.SPECIAL] <= 180
    fsm = [e.disadvantaged_pct for e in registered]
    assert all(f is not None and 2 <= f <= 80 for f in fsm)
    assert 20 <= sum(f for f in fsm if f is not None) / len(fsm) <= 32

    def mean(values: list[float | None]) -> float:
        known = [v for v in values if v is not None]
        return sum(known) / len(known)

    fsm_of = {p: mean([e.disadvantaged_pct for e in registered if e.phase is p]) for p in phases}
    # special schools about twice mainstream (43.2% against 21.6% primary in 2021)
    assert 1.6 <= fsm_of[Phase.SPECIAL] / fsm_of[Phase.PRIMARY] <= 2.5
    assert fsm_of[Phase.SECONDARY] < fsm_of[Phase.PRIMARY]
    send_of = {p: mean([e.send_pct for e in registered if e.phase is p]) for p in phases}
    assert all(e.send_pct == 100.0 for e in registered if e.phase is Phase.SPECIAL)
    assert 14 <= send_of[Phase.PRIMARY] <= 22  # 18.2% in January 2025
    assert 12 <= send_of[Phase.SECONDARY] <= 21  # 16.5%


def test_conversations_follow_the_date_the_last_one_agreed(default_demo):
    agreed: dict[int, date] = {}
    slips = []
    for event in default_demo:
        if isinstance(event, ConversationHeld):
            if event.urn in agreed:
                slips.append((event.occurred_on - agreed[event.urn]).days)
            assert event.next_due_on is not None
            agreed[event.urn] = event.next_due_on
    on_time = sum(-14 <= d <= 3 for d in slips) / len(slips)
    very_late = sum(d > 49 for d in slips) / len(slips)
    assert 0.65 <= on_time <= 0.85, on_time
    assert 0.02 <= very_late <= 0.12, very_late
    assert min(slips) >= -14  # never held more than two weeks early


def test_open_actions_do_not_pile_up(default_demo):
    open_at_end = []
    for year in ("2023/24", "2024/25", "2025/26"):
        _, end = academic_year_bounds(year)
        opened: set[tuple[int, str]] = set()
        for event in default_demo:
            if event.occurred_on > end:
                break
            if isinstance(event, ActionAgreed):
                opened.add((event.urn, event.action_id))
            elif isinstance(event, (ActionCompleted, ActionWithdrawn)):
                opened.discard((event.urn, event.action_id))
        open_at_end.append(len(opened))
    assert max(open_at_end) <= 1.5 * 300, open_at_end  # at most 1.5 a school
    assert open_at_end[-1] <= 1.3 * open_at_end[0], open_at_end
    withdrawn = [e for e in default_demo if isinstance(e, ActionWithdrawn)]
    superseded = [e for e in withdrawn if e.reason is WithdrawalReason.SUPERSEDED]
    assert superseded
    assert all(e.superseded_by is not None for e in superseded)
    assert len(superseded) < len(withdrawn)  # dropped ones too


def test_the_areas_are_real_local_authorities(default_demo):
    hub = next(e for e in default_demo if isinstance(e, HubEstablished))
    names = {code: name for code, name, _ in AREAS}
    assert hub.la_codes <= set(names)
    assert {names[code] for code in hub.la_codes} == {"Birmingham", "Solihull"}


def test_rates_are_within_the_national_bands(default_demo):
    for year in ("2023/24", "2024/25", "2025/26"):
        assert 0.75 <= m.coverage(default_demo, year) <= 0.95, year
        assert 0.35 <= m.wcet_school_share(default_demo, year) <= 0.65, year
        assert 0.55 <= m.tuition_pp_index(default_demo, year) <= 0.95, year
        assert 0.2 <= m.choir_share(default_demo, year) <= 0.45, year
        assert 0.35 <= m.send_tuition_ratio(default_demo, year, 0.135) <= 0.7, year
        assert 0.15 <= m.strategic_share(default_demo, year) <= 0.25, year
    assert 0.2 <= m.continuation(default_demo, "2024/25", "2023/24") <= 0.4
    first, later = m.plan_share(default_demo, "2023/24"), m.plan_share(default_demo, "2025/26")
    assert 0.35 <= first <= 0.5
    assert later > first


def test_secondary_and_ap_engage_less_than_primary():
    events = list(generate_hub(schools=2000, years=1, today=TODAY, seed=5))
    phase = {e.urn: e.phase for e in events if isinstance(e, SchoolRegistered)}
    engaged = {e.urn for e in events if e.event_type == "SchoolEngaged"}

    def rate(p: Phase) -> float:
        urns = [u for u, ph in phase.items() if ph is p]
        return sum(u in engaged for u in urns) / len(urns)

    assert rate(Phase.SECONDARY) < rate(Phase.PRIMARY)
    assert rate(Phase.ALTERNATIVE_PROVISION) < rate(Phase.PRIMARY)


def test_hub_stream_rules(default_demo):
    hub_events = [e for e in default_demo if not isinstance(e, SchoolEvent)]
    assert isinstance(hub_events[0], HubEstablished)
    versions = [e.plan_version for e in hub_events if isinstance(e, MusicEducationPlanPublished)]
    assert versions == sorted(set(versions))
    staff = [e for e in hub_events if isinstance(e, StaffTimeLogged)]
    assert len(staff) == 3 * 12 * 4  # monthly, per role, three full years
    returns = [e for e in hub_events if isinstance(e, DataReturnSubmitted)]
    assert [r.academic_year for r in returns] == ["2023/24", "2024/25"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", r.content_hash) for r in returns)
    assert len({r.content_hash for r in returns}) == 2
    partners = {e.partner_id for e in hub_events if isinstance(e, PartnerJoined)}
    used = {
        e.partner_id
        for e in default_demo
        if getattr(e, "partner_id", None) and e.event_type == "TrainingDelivered"
    }
    assert used <= partners


def test_school_streams_are_consistent(default_demo):
    registered: set[int] = set()
    closed: set[int] = set()
    conversations: set[str] = set()
    open_actions: set[str] = set()
    for event in default_demo:
        if not isinstance(event, SchoolEvent):
            continue
        assert event.urn not in closed
        if isinstance(event, SchoolRegistered):
            assert event.urn not in registered
            registered.add(event.urn)
            continue
        assert event.urn in registered
        if isinstance(event, ConversationHeld):
            assert event.conversation_id not in conversations
            conversations.add(event.conversation_id)
            assert event.next_due_on is not None
            assert event.next_due_on > event.occurred_on
        elif isinstance(event, ActionAgreed):
            assert event.conversation_id in conversations
            open_actions.add(event.action_id)
        elif isinstance(event, ActionCompleted):
            open_actions.remove(event.action_id)
        elif isinstance(event, ActionWithdrawn):
            open_actions.remove(event.action_id)
            assert event.superseded_by is None or event.superseded_by in open_actions
        elif isinstance(event, SchoolClosed):
            closed.add(event.urn)
    assert closed
    evaluations = [e for e in default_demo if isinstance(e, ImpactEvaluated)]
    with_voice = [e for e in evaluations if EvaluationMethod.PUPIL_VOICE in e.methods]
    assert 0.2 <= len(with_voice) / len(evaluations) <= 0.6
    assert any(isinstance(e, SchoolDisengaged) for e in default_demo)


def test_the_current_year_stops_at_today():
    today = date(2026, 1, 14)
    events = list(generate_hub(schools=60, years=2, today=today))
    assert events[-1].occurred_on <= today
    assert academic_year_of(events[0].occurred_on) == "2024/25"
    assert academic_year_of(events[-1].occurred_on) == "2025/26"
    check_history(events, today=today)


def test_end_year_in_the_past_gives_complete_years():
    events = list(generate_hub(schools=40, years=2, end_year="2021/22", today=TODAY))
    first, _ = academic_year_bounds("2020/21")
    _, last = academic_year_bounds("2021/22")
    assert first <= events[0].occurred_on
    assert events[-1].occurred_on <= last


@pytest.mark.parametrize(
    "settings",
    [
        {"schools": 0},
        {"schools": 1.5},
        {"years": 0},
        {"years": 31},
        {"hub_id": "Not A Slug"},
        {"end_year": "2030/31"},
        {"end_year": "2025/27"},
        {"end_year": "2025"},
    ],
)
def test_bad_settings_are_refused(settings):
    with pytest.raises(DemoParameterError) as caught:
        generate_hub(today=TODAY, **settings)
    name = next(iter(settings))
    assert name in str(caught.value)


def test_the_estimate_is_close_for_complete_years():
    for schools, years in ((50, 1), (300, 3), (1000, 2)):
        actual = sum(1 for _ in generate_hub(schools=schools, years=years, today=TODAY))
        estimate = demo_event_count_estimate(schools, years)
        assert abs(actual - estimate) <= 0.15 * actual, (schools, years, actual, estimate)


@given(
    schools=st.integers(1, 40),
    years=st.integers(1, 3),
    seed=st.integers(0, 2**32),
    today=st.dates(date(2022, 9, 1), date(2027, 12, 31)),
)
def test_any_small_demo_passes_the_domain_rules_in_date_order(schools, years, seed, today):
    events = list(generate_hub(schools=schools, years=years, seed=seed, today=today))
    days = [e.occurred_on for e in events]
    assert days == sorted(days)
    assert not days or days[-1] <= today
    assert isinstance(events[0], HubEstablished)
    check_history(events, today=today)
    assert list(generate_hub(schools=schools, years=years, seed=seed, today=today)) == events
