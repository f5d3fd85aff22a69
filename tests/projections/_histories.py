"""A small strategy of valid histories for the projection tests.

(To be replaced by ``hubcore.testing.strategies.histories()`` once it lands.) A history is a
list of events in log order: each stream's events are in date order and obey the domain
rules (registration first, nothing after closure, completions follow their agreement,
participation counts within the roll); streams are interleaved at random.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from hubcore.calendar import academic_year_of
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
    ParticipationRecorded,
    PartnerJoined,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolClosed,
    SchoolDetailsUpdated,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
)
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
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
    StaffRole,
    TrainingFormat,
    TrainingTopic,
)

START = date(2023, 9, 1)
END = date(2025, 8, 31)
URNS = (100001, 100002, 100003, 100004)
KINDS = (
    "details", "engage", "disengage", "conversation", "agree", "complete", "training",
    "impact", "provision", "participation", "plan", "inspection", "voice", "s2s",
)  # fmt: skip


def _school_event(draw: Any, kind: str, urn: int, on: date, ctx: dict[str, Any]) -> Event | None:
    year = academic_year_of(on)
    e = st.sampled_from
    if kind == "details":
        ctx["roll"] = draw(st.integers(50, 400))
        return SchoolDetailsUpdated(occurred_on=on, urn=urn, pupils_on_roll=ctx["roll"])
    if kind == "engage":
        offer = draw(st.frozensets(e(list(Offer)), min_size=1, max_size=3))
        return SchoolEngaged(
            occurred_on=on,
            urn=urn,
            offer=offer,
            agreement=draw(e(list(Agreement))),
            agreed_by_role=draw(e(list(AgreedByRole))),
        )
    if kind == "disengage":
        return SchoolDisengaged(occurred_on=on, urn=urn, reason="stopped")
    if kind == "conversation":
        ctx["conv"] += 1
        due = draw(st.one_of(st.none(), st.integers(1, 240)))
        return ConversationHeld(
            occurred_on=on,
            urn=urn,
            conversation_id=f"c{ctx['conv']}",
            kind=draw(e(list(ConversationKind))),
            participants={Participant.HEADTEACHER},
            judgements=draw(st.dictionaries(e(list(Area)), e(list(Grade)), max_size=3)),
            music_taught_weekly_to_all_classes=draw(st.one_of(st.none(), st.booleans())),
            aware_of_subject_guidance=draw(st.one_of(st.none(), st.booleans())),
            quality_judged_by=draw(st.frozensets(e(list(QualityEvidence)), max_size=2)),
            next_due_on=None if due is None else on + timedelta(days=due),
        )
    if kind == "agree":
        ctx["action"] += 1
        action_id = f"a{ctx['action']}"
        ctx["open"].append(action_id)
        return ActionAgreed(
            occurred_on=on,
            urn=urn,
            action_id=action_id,
            description="do it",
            owner=draw(e(list(ActionOwner))),
            due_on=on + timedelta(days=draw(st.integers(0, 120))),
        )
    if kind == "complete":
        if not ctx["open"]:
            return None
        action_id = ctx["open"].pop(draw(st.integers(0, len(ctx["open"]) - 1)))
        return ActionCompleted(occurred_on=on, urn=urn, action_id=action_id, outcome="done")
    if kind == "training":
        return TrainingDelivered(
            occurred_on=on,
            urn=urn,
            topic=draw(e(list(TrainingTopic))),
            format=draw(e(list(TrainingFormat))),
            hours=draw(e([0.5, 1, 1.5, 2, 6])),
            staff_trained=draw(st.integers(1, 20)),
            delivered_by=DeliveredBy.HUB_STAFF,
        )
    if kind == "impact":
        ctx["eval"] += 1
        return ImpactEvaluated(
            occurred_on=on,
            urn=urn,
            evaluation_id=f"e{ctx['eval']}",
            programme=draw(e(list(ImpactProgramme))),
            methods=draw(st.frozensets(e(list(EvaluationMethod)), min_size=1, max_size=2)),
            pupils_in_scope=draw(st.integers(0, 90)),
            baseline_grade=draw(e(list(Grade))),
            current_grade=draw(e(list(Grade))),
            summary="ok",
        )
    if kind == "provision":
        total = draw(st.integers(1, 12))
        return ProvisionReported(
            occurred_on=on,
            urn=urn,
            academic_year=year,
            classes_total=total,
            classes_with_weekly_music=draw(st.integers(0, total)),
            minutes_per_week=draw(st.dictionaries(st.integers(1, 5), st.integers(0, 120))),
            self_evaluation_grade=draw(e(list(Grade))),
        )
    if kind == "participation":
        programme = draw(e(list(ParticipationProgramme)))
        pupils = draw(st.integers(0, ctx["roll"]))
        sub = st.integers(0, pupils)
        wcet = programme is ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
        return ParticipationRecorded(
            occurred_on=on,
            urn=urn,
            academic_year=year,
            programme=programme,
            key_stage=draw(st.one_of(st.none(), st.integers(1, 3))),
            pupils=pupils,
            pupil_premium=draw(sub),
            send=draw(sub),
            fee_remission=draw(sub),
            wcet_terms=draw(st.integers(1, 3)) if wcet else None,
            continuing_from_wcet=draw(st.one_of(st.none(), sub)),
        )
    if kind == "plan":
        return MusicDevelopmentPlanRecorded(
            occurred_on=on,
            urn=urn,
            academic_year=year,
            has_plan=draw(st.booleans()),
            summary_published=draw(st.booleans()),
            hub_supported=draw(st.booleans()),
        )
    if kind == "inspection":
        return InspectionRecorded(
            occurred_on=on, urn=urn, framework=draw(e(list(InspectionFramework)))
        )
    if kind == "voice":
        return PupilVoiceGathered(
            occurred_on=on,
            urn=urn,
            method=draw(e(list(PupilVoiceMethod))),
            respondents=draw(st.integers(1, 30)),
            enjoy_pct=50,
            want_more_pct=40,
        )
    # s2s
    others = [u for u in ctx["urns"] if u != urn]
    if not others:
        return None
    return SchoolToSchoolSupportBrokered(
        occurred_on=on, urn=urn, lead_urn=draw(e(others)), focus=draw(e(list(Area)))
    )


@st.composite
def _school_stream(draw: Any, urn: int, urns: list[int]) -> list[Event]:
    span = (END - START).days
    registered = START + timedelta(days=draw(st.integers(-400, span // 2)))
    roll = draw(st.integers(50, 400))
    events: list[Event] = [
        SchoolRegistered(
            occurred_on=registered,
            urn=urn,
            name=f"School {urn}",
            phase=draw(st.sampled_from([Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL])),
            la_code=draw(st.sampled_from(["901", "902"])),
            pupils_on_roll=roll,
            disadvantaged_pct=draw(st.one_of(st.none(), st.sampled_from([0.0, 10.0, 25.0, 40.0]))),
        )
    ]
    last = (END - registered).days
    offsets = sorted(draw(st.lists(st.integers(0, max(last, 0)), min_size=2, max_size=24)))
    closes = draw(st.integers(0, 3)) == 0
    closed_at = draw(st.integers(0, max(last, 0))) if closes else None
    ctx: dict[str, Any] = {
        "roll": roll,
        "conv": 0,
        "action": 0,
        "eval": 0,
        "open": [],
        "urns": urns,
    }
    for offset in offsets:
        if closed_at is not None and offset > closed_at:
            break
        kind = draw(st.sampled_from(KINDS))
        event = _school_event(draw, kind, urn, registered + timedelta(days=offset), ctx)
        if event is not None:
            events.append(event)
    if closed_at is not None:
        events.append(
            SchoolClosed(
                occurred_on=registered + timedelta(days=closed_at), urn=urn, reason="merged"
            )
        )
    return events


@st.composite
def _hub_stream(draw: Any) -> list[Event]:
    events: list[Event] = [
        HubEstablished(
            occurred_on=START, hub_id="hub-a", name="Hub", lead_organisation="LA", la_codes={"901"}
        )
    ]
    for offset in sorted(draw(st.lists(st.integers(0, (END - START).days), max_size=6))):
        on = START + timedelta(days=offset)
        kind = draw(st.sampled_from(["time", "trained", "partner"]))
        if kind == "time":
            events.append(
                StaffTimeLogged(
                    occurred_on=on,
                    hub_id="hub-a",
                    period_start=on,
                    period_end=on,
                    staff_role=draw(st.sampled_from(list(StaffRole))),
                    strategic_hours=draw(st.sampled_from([0, 1.5, 4, 10])),
                    teaching_hours=draw(st.sampled_from([0, 2, 20])),
                    other_hours=draw(st.sampled_from([0, 1, 3.25])),
                )
            )
        elif kind == "trained":
            events.append(
                HubStaffTrained(
                    occurred_on=on,
                    hub_id="hub-a",
                    topic=draw(st.sampled_from(list(TrainingTopic))),
                    hours=draw(st.sampled_from([1, 2.5])),
                    staff_count=draw(st.integers(1, 9)),
                )
            )
        else:
            events.append(
                PartnerJoined(
                    occurred_on=on,
                    hub_id="hub-a",
                    partner_id=f"p{draw(st.integers(1, 4))}",
                    name="Partner",
                    kind=draw(st.sampled_from(list(PartnerKind))),
                )
            )
    return events


@st.composite
def histories(draw: Any) -> list[Event]:
    """A valid history: a few schools and a hub, streams interleaved at random."""
    count = draw(st.integers(1, len(URNS)))
    urns = list(URNS[:count])
    streams = [draw(_school_stream(u, urns)) for u in urns] + [draw(_hub_stream())]
    order = draw(st.permutations([i for i, s in enumerate(streams) for _ in s]))
    cursors = [0] * len(streams)
    history = []
    for i in order:
        history.append(streams[i][cursors[i]])
        cursors[i] += 1
    return history
