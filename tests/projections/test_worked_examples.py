"""One small history per metric of docs/metrics.md, with the answer worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.errors import HubcoreError
from hubcore.events import (
    HubStaffTrained,
    ImpactEvaluated,
    MusicDevelopmentPlanRecorded,
    PartnerJoined,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolClosed,
    SchoolDisengaged,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
)
from hubcore.projections import (
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    CurriculumProvision,
    DevelopmentPlans,
    ImpactEvaluations,
    InspectionEvidence,
    JudgementProfile,
    Movement,
    MovementCounts,
    ParticipationBreadth,
    PupilVoice,
    Ratio,
    SchoolToSchool,
    StaffTime,
    TrainingLedger,
)
from hubcore.vocabulary import (
    Area,
    DeliveredBy,
    EvaluationMethod,
    Grade,
    ImpactProgramme,
    Offer,
    PartnerKind,
    Phase,
    PupilVoiceMethod,
    StaffRole,
    TrainingFormat,
    TrainingTopic,
)

from ._support import (
    D,
    agree,
    complete,
    conv,
    engage,
    part,
    project,
    reg,
)

Y = "2024/25"
MAY_2025 = date(2025, 5, 1)


def test_ratio_parts() -> None:
    assert Ratio(1, 4).value == 0.25
    assert Ratio(1, 4).percent == 25.0
    assert Ratio(0, 0).value is None
    assert Ratio(1, 5).meets(0.2) is True
    assert Ratio(0, 0).meets(0.2) is None


def test_coverage() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),  # open, engaged in the year, still engaged: counts
        engage(100001, D(2024, 10, 1)),
        reg(100002, D(2020, 1, 1)),  # engaged before the year, disengaged in it: no
        engage(100002, D(2023, 1, 1)),
        SchoolDisengaged(occurred_on=D(2025, 3, 1), urn=100002, reason="left"),
        reg(100003, D(2020, 1, 1), phase="secondary", la="902"),  # engaged before: counts
        engage(100003, D(2022, 1, 1)),
        reg(100004, D(2020, 1, 1), phase="secondary"),  # never engaged
        reg(100005, D(2020, 1, 1)),  # closed before the year: not open
        SchoolClosed(occurred_on=D(2024, 8, 31), urn=100005, reason="merged"),
        reg(100006, D(2025, 9, 1)),  # registered after the year: not open
        reg(100007, D(2020, 1, 1)),  # closed in the year: open, engaged at closure: counts
        engage(100007, D(2024, 9, 5)),
        SchoolClosed(occurred_on=D(2025, 1, 1), urn=100007, reason="merged"),
    ]
    coverage = project(history).get("coverage", Coverage)
    # open: 100001, 100002, 100003, 100004, 100007 = 5; engaged at end: 001, 003, 007 = 3
    assert coverage.rate(Y) == Ratio(3, 5)
    # primary open: 001, 002, 007 (3); engaged: 001, 007 (2)
    assert coverage.rate(Y, phase="primary") == Ratio(2, 3)
    # secondary in LA 901: 100004 only, not engaged
    assert coverage.rate(Y, phase=Phase.SECONDARY, la="901") == Ratio(0, 1)
    assert coverage.by_la(Y) == {"901": Ratio(2, 4), "902": Ratio(1, 1)}
    assert coverage.unengaged_schools(Y) == [100002, 100004]
    # the year before: open 001, 002, 003, 004, 005 (until 31 Aug 2024), 007 = 6;
    # engaged at its end: 002 and 003 = 2
    assert coverage.rate("2023/24") == Ratio(2, 6)
    assert coverage.school(100005).closed_on == D(2024, 8, 31)


def test_conversation_cadence() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        conv(100001, D(2024, 9, 10), "challenging", "c1", next_due_on=D(2024, 12, 1)),
        conv(100001, D(2024, 11, 9), "supportive", "c2", next_due_on=D(2025, 2, 1)),
        reg(100002, D(2020, 1, 1)),
        conv(100002, D(2024, 10, 1), "supportive", "c1"),
        conv(100002, D(2025, 1, 30), "review", "c2", next_due_on=D(2025, 6, 1)),
        reg(100003, D(2020, 1, 1)),
        conv(100003, D(2024, 6, 1), "challenging", "c1", next_due_on=D(2024, 9, 1)),
    ]
    cadence = project(history).get("cadence", ConversationCadence)
    # 001 (challenging) and 002 (review) of 3 open schools
    assert cadence.challenged_share(Y) == Ratio(2, 3)
    # gaps with the later conversation in 2024/25: 001: 10 Sep -> 9 Nov = 60 days;
    # 002: 1 Oct -> 30 Jan = 121 days; 003: none. Median of [60, 121] = 90.5
    assert cadence.median_days_between(Y) == 90.5
    # Overdue once the half-term after the due date has ended (2024/25: autumn 1 2 Sep - 25
    # Oct, autumn 2 4 Nov - 20 Dec, spring 1 6 Jan - 14 Feb, spring 2 24 Feb - 11 Apr).
    # As of 2025-03-01: 001's latest (9 Nov) was due 1 Feb (spring 1): grace to 11 Apr, not
    # yet. 002's is due 1 Jun: not. 003's latest (1 Jun 2024) was due Sunday 1 Sep 2024:
    # grace to the end of autumn 1 (25 Oct 2024): overdue.
    assert cadence.overdue(D(2025, 3, 1)) == [100003]
    assert cadence.overdue(D(2025, 4, 11)) == [100003]
    assert cadence.overdue(D(2025, 4, 12)) == [100001, 100003]
    # as of 2024-11-01, 001's latest is c1, due 1 Dec: not yet overdue
    assert cadence.overdue(D(2024, 11, 1)) == [100003]
    assert cadence.overdue(D(2024, 10, 25)) == []  # the last day of 003's grace
    due = {d.urn: (d.due_on, d.basis) for d in cadence.due_conversations(D(2024, 12, 1))}
    # 002's latest (1 Oct 2024) agreed no date: due a year later, by the default cadence
    assert due == {
        100001: (D(2025, 2, 1), "agreed"),
        100002: (D(2025, 10, 1), "default cadence"),
        100003: (D(2024, 9, 1), "agreed"),
    }
    assert cadence.conversations_held(Y) == 4
    assert cadence.next_due(100002) == D(2025, 6, 1)


def test_judgement_profile() -> None:
    ct, inc = Area.CLASS_TEACHING, Area.INCLUSION
    history = [
        reg(100001, D(2020, 1, 1)),
        conv(
            100001,
            D(2024, 9, 10),
            cid="c1",
            judgements={ct: Grade.NEEDS_ATTENTION, inc: Grade.STRONG},
        ),
        conv(100001, D(2025, 1, 10), cid="c2", judgements={ct: Grade.EXPECTED}),
        conv(100001, D(2025, 3, 10), cid="c3", judgements={inc: Grade.EXPECTED}),
        reg(100002, D(2020, 1, 1)),
        conv(100002, D(2024, 9, 10), cid="c1", judgements={ct: Grade.URGENT_IMPROVEMENT}),
    ]
    profile = project(history).get("judgements", JudgementProfile)
    latest = profile.latest(100001)
    assert latest[ct].grade is Grade.EXPECTED
    assert latest[ct].conversation_id == "c2"
    assert latest[inc].grade is Grade.EXPECTED
    assert latest[inc].on == D(2025, 3, 10)
    # latest grades: 001 ct expected, 001 inc expected, 002 ct urgent -> 2 of 3 at/above
    assert profile.share_at_or_above_expected() == Ratio(2, 3)
    assert profile.share_at_or_above_expected(ct) == Ratio(1, 2)
    # 001 ct: needs_attention -> expected = improved; 001 inc: strong -> expected = declined
    assert profile.movement(100001, ct) is Movement.IMPROVED
    assert profile.movement(100001, inc) is Movement.DECLINED
    assert profile.movement(100002, ct) is None
    assert profile.movements() == MovementCounts(improved=1, same=0, declined=1)


def test_action_follow_through() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        agree(100001, D(2024, 9, 1), "a1", due=D(2024, 12, 1)),  # done on time
        complete(100001, D(2024, 11, 30), "a1"),
        agree(100001, D(2024, 9, 1), "a2", due=D(2025, 1, 1)),  # done late
        complete(100001, D(2025, 2, 1), "a2"),
        agree(100001, D(2024, 9, 1), "a3", due=D(2025, 6, 1)),  # never done
        agree(100001, D(2024, 9, 1), "a4", due=D(2025, 9, 1), owner="hub"),  # due next year
        complete(100001, D(2025, 1, 1), "a4"),
    ]
    actions = project(history).get("actions", ActionFollowThrough)
    # due in 2024/25: a1, a2, a3 (3); completed by due_on: a1 (1)
    assert actions.follow_through_in_year(Y) == Ratio(1, 3)
    assert actions.follow_through(D(2024, 12, 1), D(2025, 1, 1)) == Ratio(1, 2)
    assert actions.follow_through_in_year("2025/26", owner="hub") == Ratio(1, 1)
    # as of 2025-01-15: open are a2 (not yet done) and a3; overdue: a2 (due 1 Jan)
    assert [a.action_id for a in actions.open_actions(D(2025, 1, 15))] == ["a2", "a3"]
    assert [a.action_id for a in actions.overdue_actions(D(2025, 1, 15))] == ["a2"]


def _training(
    urn: int, on: date, topic: str, fmt: str, hours: float, staff: int
) -> TrainingDelivered:
    return TrainingDelivered(
        occurred_on=on,
        urn=urn,
        topic=TrainingTopic(topic),
        format=TrainingFormat(fmt),
        hours=hours,
        staff_trained=staff,
        delivered_by=DeliveredBy.HUB_STAFF,
    )


def test_training_ledger() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        reg(100002, D(2020, 1, 1)),
        reg(100003, D(2020, 1, 1)),
        reg(100004, D(2020, 1, 1)),
        _training(100001, D(2024, 10, 1), "singing", "cpd_session", 2, 5),
        _training(100001, D(2025, 2, 1), "singing", "coaching", 1.5, 2),
        _training(100002, D(2024, 11, 1), "assessment", "cpd_session", 3, 4),
        _training(100003, D(2024, 5, 1), "singing", "cpd_session", 2, 1),  # previous year
        HubStaffTrained(
            occurred_on=D(2024, 9, 20),
            hub_id="hub-a",
            topic=TrainingTopic.INCLUSION_SEND,
            hours=3,
            staff_count=4,
        ),
        HubStaffTrained(
            occurred_on=D(2025, 7, 1),
            hub_id="hub-a",
            topic=TrainingTopic.SINGING,
            hours=1.5,
            staff_count=2,
        ),
    ]
    training = project(history).get("training", TrainingLedger)
    # schools trained in 2024/25: 001, 002 of 4 open
    assert training.reach(Y) == Ratio(2, 4)
    # hours 2 + 1.5 + 3 = 6.5; staff 5 + 2 + 4 = 11
    assert training.totals(Y).hours == 6.5
    assert training.totals(Y).staff_trained == 11
    assert training.totals(Y, topic="singing").hours == 3.5
    assert training.by_format(Y)[TrainingFormat.CPD_SESSION].staff_trained == 9
    # hub staff: hours 3 + 1.5 = 4.5; staff-hours 3*4 + 1.5*2 = 15
    hub = training.hub_staff_training(Y)
    assert (hub.sessions, hub.hours, hub.staff, hub.staff_hours) == (2, 4.5, 6, 15)


def _time(on: date, role: str, s: float, t: float, o: float) -> StaffTimeLogged:
    return StaffTimeLogged(
        occurred_on=on,
        hub_id="hub-a",
        period_start=on,
        period_end=on,
        staff_role=StaffRole(role),
        strategic_hours=s,
        teaching_hours=t,
        other_hours=o,
    )


def test_strategic_share() -> None:
    history = [
        _time(D(2024, 10, 1), "leader", 30, 10, 10),
        _time(D(2025, 3, 1), "teacher", 5, 130, 15),
        _time(D(2025, 3, 1), "partner", 0, 100, 0),  # not a hub role by default
        _time(D(2024, 3, 1), "leader", 100, 0, 0),  # previous year
    ]
    staff = project(history).get("staff_time", StaffTime)
    # (30 + 5) / (50 + 150) = 35 / 200 = 17.5%
    assert staff.strategic_share(Y) == Ratio(35, 200)
    assert staff.meets_target(Y) is False
    assert staff.meets_target(Y, target=0.15) is True
    # with partners: 35 / 300
    assert staff.strategic_share(Y, roles=frozenset(StaffRole)) == Ratio(35, 300)
    # the evidence: the leader's and the teacher's records of the year (2), partners too (3)
    assert staff.records(Y) == 2
    assert staff.records(Y, roles=frozenset(StaffRole)) == 3


def _provision(
    urn: int, on: date, total: int, weekly: int, minutes: dict[int, int]
) -> ProvisionReported:
    return ProvisionReported(
        occurred_on=on,
        urn=urn,
        academic_year=Y,
        classes_total=total,
        classes_with_weekly_music=weekly,
        minutes_per_week=minutes,
        self_evaluation_grade=Grade.EXPECTED,
    )


def test_curriculum_provision() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        reg(100002, D(2020, 1, 1)),
        reg(100003, D(2020, 1, 1)),
        _provision(100001, D(2024, 10, 1), 10, 7, {1: 30}),  # superseded by the next
        _provision(100001, D(2025, 3, 1), 10, 10, {1: 60, 2: 45}),
        _provision(100002, D(2024, 10, 1), 8, 6, {1: 40, 2: 75}),
        _provision(100003, D(2024, 11, 1), 4, 4, {2: 60}),
    ]
    provision = project(history).get("provision", CurriculumProvision)
    # latest reports: 001 10/10 yes, 002 6/8 no, 003 4/4 yes -> 2 of 3
    assert provision.weekly_music_for_all(Y) == Ratio(2, 3)
    # KS1: (60 + 40) / 2 = 50; KS2: (45 + 75 + 60) / 3 = 60
    assert provision.minutes_by_key_stage(Y) == {1: 50.0, 2: 60.0}
    assert provision.meets_hour_a_week(Y) == {1: False, 2: True}
    assert provision.latest(100001, Y).classes_with_weekly_music == 10


def test_participation_breadth() -> None:
    prev = "2023/24"
    history = [
        reg(100001, D(2020, 1, 1), roll=200, dpct=25.0),
        reg(100002, D(2020, 1, 1), roll=100, dpct=50.0),
        part(100001, Y, "choir", 40, pupil_premium=5, send=4),
        part(
            100001,
            Y,
            "tuition_individual",
            20,
            pupil_premium=2,
            fee_remission=3,
            send=1,
            continuing_from_wcet=12,
        ),
        part(100002, Y, "choir", 20, pupil_premium=10, send=2),
        part(100002, Y, "tuition_small_group", 10, fee_remission=1, continuing_from_wcet=4),
        part(100001, prev, "whole_class_ensemble", 60),
        part(100002, prev, "whole_class_ensemble", 0),
    ]
    breadth = project(history).get("participation", ParticipationBreadth)
    # choir: (40 + 20) / (200 + 100) = 60 / 300
    assert breadth.rate(Y, "choir") == Ratio(60, 300)
    assert breadth.rate(Y, urn=100001) == Ratio(60, 200)
    # school 001: pp 7 of 60 participants = 0.1167; / 0.25 = 0.4667
    assert breadth.disadvantaged_index(Y, urn=100001) == pytest.approx((7 / 60) / 0.25)
    # all: pp 17 of 90; expected (60 * 0.25 + 30 * 0.5) / 90 = 30 / 90 -> index 17/30
    assert breadth.disadvantaged_index(Y) == pytest.approx(17 / 30)
    # SEND: 7 of 90 against a hub SEND share of 14%: (7/90)/0.14
    assert breadth.send_index(Y, 0.14) == pytest.approx((7 / 90) / 0.14)
    assert breadth.send_index(Y, None) is None
    # remission: (3 + 1) / (20 + 10) paid tuition pupils
    assert breadth.remission_share(Y) == Ratio(4, 30)
    # continuation: schools with whole-class pupils in 2023/24: only 001 (60);
    # continuing from it in 2024/25: 12 -> 12 / 60 (002's 4 is not counted)
    assert breadth.continuation(Y) == Ratio(12, 60)


def _plan(urn: int, has: bool, published: bool, supported: bool) -> MusicDevelopmentPlanRecorded:
    return MusicDevelopmentPlanRecorded(
        occurred_on=D(2024, 10, 1),
        urn=urn,
        academic_year=Y,
        has_plan=has,
        summary_published=published,
        hub_supported=supported,
    )


def test_development_plans() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        reg(100002, D(2020, 1, 1)),
        reg(100003, D(2020, 1, 1)),
        reg(100004, D(2020, 1, 1)),
        _plan(100001, True, True, True),
        _plan(100002, True, False, True),
        _plan(100003, False, False, False),
    ]
    plans = project(history).get("development_plans", DevelopmentPlans)
    # of 4 open schools: plans 2, published 1, hub-supported 2
    assert plans.has_plan_share(Y) == Ratio(2, 4)
    assert plans.published_share(Y) == Ratio(1, 4)
    assert plans.hub_supported_share(Y) == Ratio(2, 4)
    assert plans.plan(100004, Y) is None


def _impact(
    urn: int,
    eid: str,
    programme: str,
    methods: set[str],
    pupils: int,
    before: Grade,
    after: Grade,
    on: date = MAY_2025,
) -> ImpactEvaluated:
    return ImpactEvaluated(
        occurred_on=on,
        urn=urn,
        evaluation_id=eid,
        programme=ImpactProgramme(programme),
        methods={EvaluationMethod(m) for m in methods},
        pupils_in_scope=pupils,
        baseline_grade=before,
        current_grade=after,
        summary="s",
    )


def test_pupil_voice() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        reg(100002, D(2020, 1, 1)),
        _impact(
            100001,
            "e1",
            "singing",
            {"pupil_voice", "observation"},
            30,
            Grade.EXPECTED,
            Grade.STRONG,
        ),
        _impact(100001, "e2", "cpd", {"teacher_survey"}, 0, Grade.EXPECTED, Grade.EXPECTED),
        _impact(100002, "e3", "ensembles", {"pupil_voice"}, 12, Grade.STRONG, Grade.EXPECTED),
        PupilVoiceGathered(
            occurred_on=D(2025, 2, 1),
            urn=100002,
            method=PupilVoiceMethod.SURVEY,
            respondents=25,
            enjoy_pct=80,
            want_more_pct=60,
        ),
    ]
    voice = project(history).get("pupil_voice", PupilVoice)
    # e1 and e3 of three evaluations use pupil voice
    assert voice.evaluations_using_pupil_voice(Y) == Ratio(2, 3)
    # 002 of the 2 open schools gathered pupil voice
    assert voice.schools_with_pupil_voice(Y) == Ratio(1, 2)
    assert voice.respondents(Y) == 25


def test_impact() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        engage(100001, D(2024, 9, 2), "singing", "cpd", "consultancy"),
        reg(100002, D(2020, 1, 1)),
        engage(100002, D(2024, 9, 2), "singing"),
        SchoolToSchoolSupportBrokered(
            occurred_on=D(2025, 1, 1), urn=100002, lead_urn=100001, focus=Area.ASSESSMENT
        ),
        _impact(100001, "e1", "singing", {"observation"}, 30, Grade.EXPECTED, Grade.STRONG),
        _impact(100001, "e2", "singing", {"observation"}, 20, Grade.EXPECTED, Grade.EXPECTED),
        _impact(
            100002,
            "e3",
            "school_to_school",
            {"observation"},
            10,
            Grade.NEEDS_ATTENTION,
            Grade.EXPECTED,
        ),
        _impact(
            100002,
            "e4",
            "singing",
            {"observation"},
            5,
            Grade.STRONG,
            Grade.EXCEPTIONAL,
            on=D(2024, 5, 1),
        ),  # previous year
        # 003's only work is advice: not evaluable
        reg(100003, D(2020, 1, 1)),
        engage(100003, D(2024, 9, 2), "consultancy", "music_development_plan"),
        # 004 had whole-class ensemble from October until it left in February
        reg(100004, D(2020, 1, 1)),
        engage(100004, D(2024, 10, 1), "whole_class_ensemble"),
        SchoolDisengaged(occurred_on=D(2025, 2, 1), urn=100004, reason="left"),
        # 005 left before the year began
        reg(100005, D(2020, 1, 1)),
        engage(100005, D(2023, 9, 4), "singing"),
        SchoolDisengaged(occurred_on=D(2024, 7, 1), urn=100005, reason="left"),
    ]
    impact = project(history).get("impact", ImpactEvaluations)
    singing = impact.totals(Y, "singing")
    # singing in 2024/25: e1 (improved) and e2 (same): 2 evaluations, 1 improved, 50 pupils
    assert (singing.evaluations, singing.improved, singing.pupils_in_scope) == (2, 1, 50)
    # all: e1, e2, e3 -> improved e1, e3: 2 of 3
    assert impact.improved_share(Y) == Ratio(2, 3)
    # delivered (evaluable, in force at any time in the year): 001 {singing, cpd}
    # (consultancy is not evaluable), 002 {singing, school_to_school}, 003 nothing (advice
    # only), 004 {whole_class_ensemble} (Oct-Feb), 005 nothing (left in July 2024) = 5 pairs;
    # evaluated: 001 singing, 002 school_to_school = 2
    assert impact.evaluated_share(Y) == Ratio(2, 5)
    assert impact.delivered(100004, Y) == {ImpactProgramme.WHOLE_CLASS_ENSEMBLE}
    assert impact.delivered(100005, Y) == frozenset()
    assert impact.not_evaluable(100001, Y) == {Offer.CONSULTANCY}
    assert impact.only_not_evaluable(Y) == [100003]


def test_school_to_school() -> None:
    def broker(urn: int, lead: int, on: date, focus: Area) -> SchoolToSchoolSupportBrokered:
        return SchoolToSchoolSupportBrokered(occurred_on=on, urn=urn, lead_urn=lead, focus=focus)

    def partner(pid: str, kind: PartnerKind) -> PartnerJoined:
        return PartnerJoined(
            occurred_on=D(2024, 9, 1), hub_id="hub-a", partner_id=pid, name=pid, kind=kind
        )

    history = [
        *(reg(u, D(2020, 1, 1)) for u in (100001, 100002, 100003, 100004)),
        broker(100002, 100001, D(2024, 10, 1), Area.ASSESSMENT),
        broker(100002, 100001, D(2025, 1, 1), Area.INCLUSION),  # same pair again
        broker(100003, 100001, D(2024, 10, 1), Area.ASSESSMENT),
        broker(100004, 100003, D(2024, 10, 1), Area.LEADERSHIP),
        broker(100001, 100004, D(2023, 10, 1), Area.LEADERSHIP),  # previous year
        partner("p1", PartnerKind.ARTS_VENUE),
        partner("p2", PartnerKind.ARTS_VENUE),
        partner("p3", PartnerKind.YOUTH_VOICE),
    ]
    s2s = project(history).get("school_to_school", SchoolToSchool)
    # pairs in 2024/25: (2,1), (3,1), (4,3) = 3; leads {1, 3}; supported {2, 3, 4}
    assert len(s2s.pairs(Y)) == 3
    assert s2s.lead_schools(Y) == {100001, 100003}
    assert s2s.schools_supported(Y) == {100002, 100003, 100004}
    assert len(s2s.pairs()) == 4
    kinds = s2s.partners_by_kind("hub-a")
    assert kinds[PartnerKind.ARTS_VENUE] == 2
    assert kinds[PartnerKind.YOUTH_VOICE] == 1
    assert sum(kinds.values()) == 3


def test_inspection_evidence() -> None:
    history = [
        reg(100001, D(2020, 1, 1), dpct=40.0),
        engage(100001, D(2024, 9, 2), "singing"),
        conv(
            100001,
            D(2024, 10, 1),
            "challenging",
            "c1",
            music_taught_weekly_to_all_classes=False,
            aware_of_subject_guidance=True,
        ),
        conv(100001, D(2025, 2, 1), "review", "c2"),  # says nothing: the facts stay from c1
        part(100001, Y, "choir", 50, pupil_premium=10),
    ]
    evidence = project(history).get("inspection_evidence", InspectionEvidence)
    file = evidence.evidence(100001, Y)
    q2 = file.answer("Q2")
    assert q2.facts[0].value is False
    assert q2.facts[0].on == D(2024, 10, 1)
    assert "music is not taught weekly to all classes (a conversation's note)" in q2.gaps
    assert file.answer("Q4").gaps == ()
    assert file.answer("Q4").facts[0].value is True
    # index = (10 / 50) / 0.40 = 0.5 < 0.8 -> flagged
    assert "disadvantaged pupils under-represented (index 0.50)" in file.answer("Q5").gaps
    assert "no conversation this year" not in file.answer("Q1").gaps
    # the next year: no conversation, no participation data
    later = evidence.evidence(100001, "2025/26")
    assert "no conversation this year" in later.answer("Q1").gaps
    assert "no participation data this year" in later.answer("Q5").gaps
    with pytest.raises(HubcoreError, match="999999"):
        evidence.evidence(999999, Y)
