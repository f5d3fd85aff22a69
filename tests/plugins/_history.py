"""A small hub history, written out by hand, that every reporter test checks figures against.

Hub ``north-shire``, academic year 2025/26 (1 Sep 2025 - 31 Aug 2026), today 31 Aug 2026.

| URN    | school            | phase     | LA  | roll  | FSM % | in 2025/26                  |
|--------|-------------------|-----------|-----|-------|-------|-----------------------------|
| 100001 | Ashfield Primary  | primary   | 901 | 200   | 30    | engaged all year            |
| 100002 | Brook Primary     | primary   | 901 | 300   | 20    | engaged all year            |
| 100003 | Castle Secondary  | secondary | 902 | 1,000 | 10    | engaged Oct, disengaged Mar |
| 100004 | Dale Special      | special   | 902 | 60    | 50    | never engaged, no records   |
| 100005 | Elm Primary       | primary   | 901 | 100   | 25    | closed 15 Jul 2025          |

So four schools are open during 2025/26 (Elm closed before it began); the figures each
test expects are worked out next to the events that produce them.
"""

from __future__ import annotations

from datetime import date

from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ConversationHeld,
    Event,
    HubEstablished,
    HubStaffTrained,
    ImpactEvaluated,
    InspectionRecorded,
    MusicDevelopmentPlanRecorded,
    MusicEducationPlanPublished,
    ParticipationRecorded,
    PartnerJoined,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolClosed,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
    WorkPublicised,
)
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    Audience,
    Channel,
    ConversationKind,
    DeepDive,
    DeliveredBy,
    EvaluationMethod,
    Grade,
    ImpactProgramme,
    InspectionFramework,
    Offer,
    Participant,
    ParticipationProgramme,
    PartnerKind,
    Phase,
    PupilVoiceMethod,
    QualityEvidence,
    Source,
    StaffRole,
    TrainingFormat,
    TrainingTopic,
)

HUB = "north-shire"
YEAR = "2025/26"
TODAY = date(2026, 8, 31)
A, B, C, D, E = 100001, 100002, 100003, 100004, 100005
D_ = date


def _reg(urn: int, name: str, phase: Phase, la: str, roll: int, fsm: float) -> SchoolRegistered:
    return SchoolRegistered(
        occurred_on=D_(2024, 9, 1), urn=urn, name=name, phase=phase, la_code=la,
        pupils_on_roll=roll, disadvantaged_pct=fsm,
    )  # fmt: skip


def _engage(urn: int, on: date, *offers: Offer) -> SchoolEngaged:
    return SchoolEngaged(
        occurred_on=on, urn=urn, offer=frozenset(offers), agreement=Agreement.INFORMAL,
        agreed_by_role=AgreedByRole.HEADTEACHER,
    )  # fmt: skip


def _part(
    urn: int, on: date, programme: ParticipationProgramme, ks: int, pupils: int, pp: int,
    send: int, **kw: object,
) -> ParticipationRecorded:  # fmt: skip
    year = "2024/25" if on < D_(2025, 9, 1) else YEAR
    return ParticipationRecorded(
        occurred_on=on, urn=urn, academic_year=year, programme=programme, key_stage=ks,
        pupils=pupils, pupil_premium=pp, send=send, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


WCET = ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
INDIVIDUAL = ParticipationProgramme.TUITION_INDIVIDUAL
SMALL_GROUP = ParticipationProgramme.TUITION_SMALL_GROUP


def history() -> list[Event]:
    """The events, in the order they are recorded."""
    return [
        # -- the hub: plan v2 covers 2025/26 (D1 green) ---------------------------------
        HubEstablished(
            occurred_on=D_(2024, 9, 1),
            hub_id=HUB,
            name="North Shire Music Hub",
            lead_organisation="North Shire Council",
            la_codes={"901", "902"},
        ),
        MusicEducationPlanPublished(
            occurred_on=D_(2024, 9, 5), hub_id=HUB, plan_version=1, covers={"2024/25"}
        ),
        MusicEducationPlanPublished(
            occurred_on=D_(2025, 9, 1), hub_id=HUB, plan_version=2, covers={YEAR, "2026/27"}
        ),
        # -- schools ------------------------------------------------------------------------
        _reg(A, "Ashfield Primary", Phase.PRIMARY, "901", 200, 30.0),
        _reg(B, "Brook Primary", Phase.PRIMARY, "901", 300, 20.0),
        _reg(C, "Castle Secondary", Phase.SECONDARY, "902", 1000, 10.0),
        _reg(D, "Dale Special", Phase.SPECIAL, "902", 60, 50.0),
        _reg(E, "Elm Primary", Phase.PRIMARY, "901", 100, 25.0),
        InspectionRecorded(
            occurred_on=D_(2024, 11, 1),
            urn=A,
            framework=InspectionFramework.EIF_2019,
            music_deep_dive=DeepDive.YES,
        ),
        # last year's whole-class ensemble at Ashfield: 50 pupils (continuation denominator)
        _part(A, D_(2025, 6, 1), WCET, 2, 50, 10, 4, wcet_terms=3),
        SchoolClosed(occurred_on=D_(2025, 7, 15), urn=E, reason="amalgamated"),
        # -- engagement: A and B engaged at the year's end; C disengaged; D never ------------
        # coverage 2/4 = 50%; primary 2/2, secondary 0/1, special 0/1
        _engage(
            A, D_(2025, 9, 10), Offer.WHOLE_CLASS_ENSEMBLE, Offer.CPD, Offer.MUSIC_DEVELOPMENT_PLAN
        ),
        _engage(B, D_(2025, 9, 15), Offer.INSTRUMENTAL_LESSONS, Offer.ENSEMBLES),
        _engage(C, D_(2025, 10, 1), Offer.CPD),
        # -- conversations: Oct 2 (A, C), Nov 1 (B), Feb 1 (A) = 4 held ----------------------
        # challenged (challenging/review): A, C -> 2/4 = 50%; overdue on 31 Aug: B, and D
        # (never talked to)
        ConversationHeld(
            occurred_on=D_(2025, 10, 6),
            urn=A,
            conversation_id="a-c1",
            kind=ConversationKind.CHALLENGING,
            participants={Participant.HEADTEACHER, Participant.HUB_ADVISER},
            judgements={
                Area.CURRICULUM_PROGRESSION: Grade.EXPECTED,
                Area.CLASS_TEACHING: Grade.NEEDS_ATTENTION,
            },
            music_taught_weekly_to_all_classes=True,
            aware_of_subject_guidance=True,
            quality_judged_by={QualityEvidence.LESSON_OBSERVATION, QualityEvidence.PUPIL_WORK},
            next_due_on=D_(2026, 2, 1),
        ),
        TrainingDelivered(
            occurred_on=D_(2025, 10, 15),
            urn=C,
            topic=TrainingTopic.SINGING,
            format=TrainingFormat.COACHING,
            hours=1.5,
            staff_trained=2,
            delivered_by=DeliveredBy.HUB_STAFF,
        ),
        ConversationHeld(
            occurred_on=D_(2025, 10, 20),
            urn=C,
            conversation_id="c-c1",
            kind=ConversationKind.CHALLENGING,
            participants={Participant.SENIOR_LEADER},
            aware_of_subject_guidance=False,
        ),
        ActionAgreed(
            occurred_on=D_(2025, 10, 6),
            urn=A,
            action_id="a-a1",
            conversation_id="a-c1",
            description="Weekly singing in every class",
            owner=ActionOwner.SCHOOL,
            due_on=D_(2025, 12, 31),
        ),
        MusicDevelopmentPlanRecorded(
            occurred_on=D_(2025, 10, 10),
            urn=A,
            academic_year=YEAR,
            has_plan=True,
            summary_published=True,
            hub_supported=True,
        ),
        MusicDevelopmentPlanRecorded(
            occurred_on=D_(2025, 10, 12),
            urn=B,
            academic_year=YEAR,
            has_plan=True,
            summary_published=False,
            hub_supported=False,
        ),
        ConversationHeld(
            occurred_on=D_(2025, 11, 12),
            urn=B,
            conversation_id="b-c1",
            kind=ConversationKind.SUPPORTIVE,
            participants={Participant.MUSIC_LEAD},
            judgements={Area.CURRICULUM_PROGRESSION: Grade.NEEDS_ATTENTION},
            music_taught_weekly_to_all_classes=False,
            quality_judged_by={QualityEvidence.NONE},
            next_due_on=D_(2026, 1, 15),
        ),
        ActionAgreed(
            occurred_on=D_(2025, 11, 12),
            urn=B,
            action_id="b-a1",
            conversation_id="b-c1",
            description="Plan a music curriculum",
            owner=ActionOwner.SCHOOL,
            due_on=D_(2026, 3, 31),
        ),
        TrainingDelivered(
            occurred_on=D_(2025, 11, 20),
            urn=A,
            topic=TrainingTopic.CURRICULUM_PROGRESSION,
            format=TrainingFormat.CPD_SESSION,
            hours=3.0,
            staff_trained=4,
            delivered_by=DeliveredBy.HUB_STAFF,
        ),
        ProvisionReported(
            occurred_on=D_(2025, 12, 1),
            urn=B,
            academic_year=YEAR,
            classes_total=10,
            classes_with_weekly_music=6,
            minutes_per_week={1: 30, 2: 45},
            self_evaluation_grade=Grade.EXPECTED,
            judged_by={QualityEvidence.NONE},
        ),
        ActionCompleted(occurred_on=D_(2025, 12, 1), urn=A, action_id="a-a1", outcome="done"),
        ProvisionReported(
            occurred_on=D_(2026, 1, 20),
            urn=A,
            academic_year=YEAR,
            classes_total=7,
            classes_with_weekly_music=7,
            minutes_per_week={1: 60, 2: 60},
            self_evaluation_grade=Grade.STRONG,
            judged_by={QualityEvidence.LESSON_OBSERVATION},
            source=Source.SCHOOL_RETURN,
        ),
        SchoolToSchoolSupportBrokered(
            occurred_on=D_(2026, 1, 20), urn=B, lead_urn=A, focus=Area.CURRICULUM_PROGRESSION
        ),
        ConversationHeld(
            occurred_on=D_(2026, 2, 2),
            urn=A,
            conversation_id="a-c2",
            kind=ConversationKind.REVIEW,
            participants={Participant.HEADTEACHER},
            judgements={Area.CURRICULUM_PROGRESSION: Grade.STRONG},
            next_due_on=D_(2026, 10, 1),
        ),
        ActionAgreed(
            occurred_on=D_(2026, 2, 2),
            urn=A,
            action_id="a-a2",
            conversation_id="a-c2",
            description="Assess composition",
            owner=ActionOwner.SCHOOL,
            due_on=D_(2026, 4, 30),
        ),
        SchoolDisengaged(occurred_on=D_(2026, 3, 1), urn=C, reason="new head"),
        PupilVoiceGathered(
            occurred_on=D_(2026, 3, 15),
            urn=A,
            method=PupilVoiceMethod.SURVEY,
            respondents=30,
            enjoy_pct=80.0,
            want_more_pct=60.0,
        ),
        ActionCompleted(occurred_on=D_(2026, 5, 10), urn=A, action_id="a-a2", outcome="late"),
        ImpactEvaluated(
            occurred_on=D_(2026, 6, 10),
            urn=A,
            evaluation_id="a-e1",
            programme=ImpactProgramme.WHOLE_CLASS_ENSEMBLE,
            methods={EvaluationMethod.OBSERVATION, EvaluationMethod.PUPIL_VOICE},
            pupils_in_scope=60,
            baseline_grade=Grade.NEEDS_ATTENTION,
            current_grade=Grade.EXPECTED,
            summary="Better ensemble playing",
        ),
        # -- participation 2025/26 ---------------------------------------------------------
        # A: 60 + 8 + 25 = 93 participations, pp 20 + 2 + 8 = 30, SEND 6 + 0 + 3 = 9
        # B: 12 + 20 = 32, pp 1 + 2 = 3, SEND 1 + 2 = 3
        # C: 3 + 30 = 33, pp 0 + 2 = 2, SEND 0 + 1 = 1
        _part(A, D_(2026, 6, 30), WCET, 2, 60, 20, 6, wcet_terms=3),
        _part(
            A,
            D_(2026, 6, 30),
            SMALL_GROUP,
            2,
            8,
            2,
            0,
            fee_remission=2,
            continuing_from_wcet=7,
            source=Source.SCHOOL_RETURN,
            estimated=True,
        ),
        _part(A, D_(2026, 6, 30), ParticipationProgramme.CHOIR, 2, 25, 8, 3),
        _part(B, D_(2026, 6, 30), INDIVIDUAL, 2, 12, 1, 1, fee_remission=3),
        _part(B, D_(2026, 6, 30), ParticipationProgramme.ENSEMBLE, 2, 20, 2, 2),
        _part(C, D_(2026, 6, 30), INDIVIDUAL, 4, 3, 0, 0),
        _part(C, D_(2026, 6, 30), ParticipationProgramme.ENSEMBLE, 3, 30, 2, 1),
        # -- hub-wide facts ------------------------------------------------------------------
        # strategic share of hub roles: (30 + 50) / (150 + 100) = 32% (partner left out)
        StaffTimeLogged(
            occurred_on=D_(2025, 12, 31),
            hub_id=HUB,
            period_start=D_(2025, 9, 1),
            period_end=D_(2025, 12, 31),
            staff_role=StaffRole.ADVISER,
            strategic_hours=30,
            teaching_hours=100,
            other_hours=20,
        ),
        StaffTimeLogged(
            occurred_on=D_(2026, 7, 31),
            hub_id=HUB,
            period_start=D_(2026, 1, 1),
            period_end=D_(2026, 7, 31),
            staff_role=StaffRole.LEADER,
            strategic_hours=50,
            teaching_hours=0,
            other_hours=50,
        ),
        StaffTimeLogged(
            occurred_on=D_(2026, 7, 31),
            hub_id=HUB,
            period_start=D_(2026, 1, 1),
            period_end=D_(2026, 7, 31),
            staff_role=StaffRole.PARTNER,
            strategic_hours=100,
            teaching_hours=0,
            other_hours=0,
        ),
        # hub staff training: 6 + 3 = 9 hours
        HubStaffTrained(
            occurred_on=D_(2026, 1, 10),
            hub_id=HUB,
            topic=TrainingTopic.INCLUSION_SEND,
            hours=6.0,
            staff_count=5,
        ),
        HubStaffTrained(
            occurred_on=D_(2026, 4, 20),
            hub_id=HUB,
            topic=TrainingTopic.ASSESSMENT,
            hours=3.0,
            staff_count=3,
        ),
        # publicity: 2 to school leaders; the widest reach is 3 schools (of 4 open)
        WorkPublicised(
            occurred_on=D_(2025, 10, 1),
            hub_id=HUB,
            channel=Channel.HEADTEACHER_BRIEFING,
            audience=Audience.SCHOOL_LEADERS,
            schools_reached=3,
        ),
        WorkPublicised(
            occurred_on=D_(2026, 3, 1),
            hub_id=HUB,
            channel=Channel.NEWSLETTER,
            audience=Audience.MUSIC_LEADS,
            schools_reached=3,
        ),
        WorkPublicised(
            occurred_on=D_(2026, 5, 1),
            hub_id=HUB,
            channel=Channel.CONFERENCE,
            audience=Audience.SCHOOL_LEADERS,
            schools_reached=2,
        ),
        # partners: one music organisation, one youth voice group, one arts venue
        PartnerJoined(
            occurred_on=D_(2025, 9, 20),
            hub_id=HUB,
            partner_id="orchestra",
            name="Shire Youth Orchestra",
            kind=PartnerKind.MUSIC_ORGANISATION,
        ),
        PartnerJoined(
            occurred_on=D_(2025, 10, 1),
            hub_id=HUB,
            partner_id="youth-panel",
            name="Young Music Panel",
            kind=PartnerKind.YOUTH_VOICE,
        ),
        PartnerJoined(
            occurred_on=D_(2026, 2, 1),
            hub_id=HUB,
            partner_id="hall",
            name="Town Hall",
            kind=PartnerKind.ARTS_VENUE,
        ),
    ]
