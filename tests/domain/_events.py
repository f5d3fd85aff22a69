"""Small factories for valid event objects used by the domain tests."""

from __future__ import annotations

from datetime import date

from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    HubEstablished,
    ImpactEvaluated,
    MusicEducationPlanPublished,
    ParticipationRecorded,
    PartnerJoined,
    SchoolClosed,
    SchoolDetailsUpdated,
    SchoolEngaged,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    YouthConsultationHeld,
)
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
    EvaluationMethod,
    Grade,
    ImpactProgramme,
    Offer,
    Participant,
    ParticipationProgramme,
    PartnerKind,
    Phase,
    WithdrawalReason,
)

TODAY = date(2026, 3, 1)
D0 = date(2025, 9, 1)


def registered(urn: int, on: date = D0, pupils: int = 300) -> SchoolRegistered:
    return SchoolRegistered(
        urn=urn,
        occurred_on=on,
        name=f"School {urn}",
        phase=Phase.PRIMARY,
        la_code="330",
        pupils_on_roll=pupils,
        disadvantaged_pct=25.0,
    )


def updated(urn: int, on: date, pupils: int) -> SchoolDetailsUpdated:
    return SchoolDetailsUpdated(urn=urn, occurred_on=on, pupils_on_roll=pupils)


def closed(urn: int, on: date) -> SchoolClosed:
    return SchoolClosed(urn=urn, occurred_on=on, reason="amalgamated")


def engaged(urn: int, on: date) -> SchoolEngaged:
    return SchoolEngaged(
        urn=urn,
        occurred_on=on,
        offer={Offer.CPD},
        agreement=Agreement.INFORMAL,
        agreed_by_role=AgreedByRole.HEADTEACHER,
    )


def conversation(urn: int, on: date, cid: str) -> ConversationHeld:
    return ConversationHeld(
        urn=urn,
        occurred_on=on,
        conversation_id=cid,
        kind=ConversationKind.CHALLENGING,
        participants={Participant.HEADTEACHER, Participant.HUB_ADVISER},
        judgements={Area.CLASS_TEACHING: Grade.EXPECTED},
    )


def agreed(urn: int, on: date, aid: str, cid: str | None = None) -> ActionAgreed:
    return ActionAgreed(
        urn=urn,
        occurred_on=on,
        action_id=aid,
        conversation_id=cid,
        description="plan weekly singing",
        owner=ActionOwner.SCHOOL,
        due_on=on,
    )


def completed(urn: int, on: date, aid: str) -> ActionCompleted:
    return ActionCompleted(urn=urn, occurred_on=on, action_id=aid, outcome="done")


def withdrawn(urn: int, on: date, aid: str, by: str | None = None) -> ActionWithdrawn:
    return ActionWithdrawn(
        urn=urn,
        occurred_on=on,
        action_id=aid,
        reason=WithdrawalReason.SUPERSEDED if by else WithdrawalReason.NO_LONGER_NEEDED,
        note="replaced after the review" if by else "the school dropped it",
        superseded_by=by,
    )


def evaluated(urn: int, on: date, eid: str) -> ImpactEvaluated:
    return ImpactEvaluated(
        urn=urn,
        occurred_on=on,
        evaluation_id=eid,
        programme=ImpactProgramme.SINGING,
        methods={EvaluationMethod.PUPIL_VOICE},
        pupils_in_scope=30,
        baseline_grade=Grade.NEEDS_ATTENTION,
        current_grade=Grade.EXPECTED,
        summary="more singing",
    )


def participation(urn: int, on: date, pupils: int) -> ParticipationRecorded:
    return ParticipationRecorded(
        urn=urn,
        occurred_on=on,
        academic_year="2025/26",
        programme=ParticipationProgramme.CHOIR,
        pupils=pupils,
    )


def support(urn: int, on: date, lead_urn: int) -> SchoolToSchoolSupportBrokered:
    return SchoolToSchoolSupportBrokered(
        urn=urn, occurred_on=on, lead_urn=lead_urn, focus=Area.CURRICULUM_PROGRESSION
    )


def established(hub: str = "north-hub", on: date = D0) -> HubEstablished:
    return HubEstablished(
        hub_id=hub, occurred_on=on, name="North Hub", lead_organisation="North LA", la_codes={"330"}
    )


def plan(hub: str, on: date, version: int) -> MusicEducationPlanPublished:
    return MusicEducationPlanPublished(
        hub_id=hub, occurred_on=on, plan_version=version, covers={"2025/26"}
    )


def partner(hub: str, on: date, pid: str) -> PartnerJoined:
    return PartnerJoined(
        hub_id=hub, occurred_on=on, partner_id=pid, name="Orchestra", kind=PartnerKind.ARTS_VENUE
    )


def consultation(hub: str, on: date, cid: str) -> YouthConsultationHeld:
    return YouthConsultationHeld(
        hub_id=hub,
        occurred_on=on,
        consultation_id=cid,
        method="focus_group",
        young_people=14,
        groups={"youth_panel"},
        changes_agreed=["Saturday ensemble moved to the town centre"],
    )
