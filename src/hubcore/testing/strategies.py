"""Hypothesis strategies for hubcore's events, invalid input and whole histories.

Part of the ``testing`` extra (``pip install hubcore[testing]``). ``st.from_type`` and
``st.builds`` ignore the attrs validators and cross-field rules of hubcore's events, so
every event class has a hand-written strategy here that produces only valid events;
importing this module registers them, so ``st.from_type(SchoolEngaged)`` works too.

Each event strategy takes ``min_date`` / ``max_date`` (bounds of ``occurred_on``, default
2015-09-01 to 2030-08-31) and may pin any field by keyword, to a value or a strategy::

    @given(conversation_held(urn=123456, kind=ConversationKind.CHALLENGING))
    def test_something(event): ...

Pinned values are used as given: pinning a value that breaks a rule raises
:class:`hubcore.InvalidEvent` when the event is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from hubcore.testing._extra import missing_extra

try:
    from hypothesis import strategies as st
except ImportError as _error:
    raise missing_extra(__name__, _error) from None

from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    CountedSchoolEvent,
    DataReturnSubmitted,
    Event,
    HubEstablished,
    HubEvent,
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
    SchoolDetailsUpdated,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolEvent,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
    WorkPublicised,
    YouthConsultationHeld,
)
from hubcore.testing._events import event_strategy
from hubcore.testing._fields import MAX_DATE, MIN_DATE
from hubcore.testing._histories import DEFAULT_EVENT_MIX, histories
from hubcore.testing._invalid import InvalidCase, invalid_event_kwargs, invalid_payloads

__all__ = [
    "DEFAULT_EVENT_MIX",
    "EVENT_STRATEGIES",
    "MAX_DATE",
    "MIN_DATE",
    "InvalidCase",
    "action_agreed",
    "action_completed",
    "action_withdrawn",
    "conversation_held",
    "data_return_submitted",
    "events",
    "histories",
    "hub_established",
    "hub_events",
    "hub_staff_trained",
    "impact_evaluated",
    "inspection_recorded",
    "invalid_event_kwargs",
    "invalid_payloads",
    "music_development_plan_recorded",
    "music_education_plan_published",
    "participation_recorded",
    "partner_joined",
    "provision_reported",
    "pupil_voice_gathered",
    "register_strategies",
    "school_closed",
    "school_details_updated",
    "school_disengaged",
    "school_engaged",
    "school_events",
    "school_registered",
    "school_to_school_support_brokered",
    "staff_time_logged",
    "training_delivered",
    "work_publicised",
    "youth_consultation_held",
]


def school_registered(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[SchoolRegistered]:
    """Valid :class:`~hubcore.events.SchoolRegistered` events.

    A school joins the roster: URN, name, phase, LA code, pupils, FSM %.
    """
    return event_strategy(SchoolRegistered, min_date=min_date, max_date=max_date, **fixed)


def school_details_updated(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[SchoolDetailsUpdated]:
    """Valid :class:`~hubcore.events.SchoolDetailsUpdated` events.

    Some (at least one) of a school's details change.
    """
    return event_strategy(SchoolDetailsUpdated, min_date=min_date, max_date=max_date, **fixed)


def school_closed(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[SchoolClosed]:
    """Valid :class:`~hubcore.events.SchoolClosed` events.

    A school closes, with a reason.
    """
    return event_strategy(SchoolClosed, min_date=min_date, max_date=max_date, **fixed)


def school_engaged(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[SchoolEngaged]:
    """Valid :class:`~hubcore.events.SchoolEngaged` events.

    A school engages: a non-empty offer, agreement, role.
    """
    return event_strategy(SchoolEngaged, min_date=min_date, max_date=max_date, **fixed)


def school_disengaged(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[SchoolDisengaged]:
    """Valid :class:`~hubcore.events.SchoolDisengaged` events.

    A school stops working with the hub, with a reason.
    """
    return event_strategy(SchoolDisengaged, min_date=min_date, max_date=max_date, **fixed)


def conversation_held(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ConversationHeld]:
    """Valid :class:`~hubcore.events.ConversationHeld` events.

    A conversation; ``next_due_on``, when given, is after ``occurred_on``.
    """
    return event_strategy(ConversationHeld, min_date=min_date, max_date=max_date, **fixed)


def action_agreed(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ActionAgreed]:
    """Valid :class:`~hubcore.events.ActionAgreed` events.

    An action agreed; ``due_on`` is on or after ``occurred_on``.
    """
    return event_strategy(ActionAgreed, min_date=min_date, max_date=max_date, **fixed)


def action_completed(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ActionCompleted]:
    """Valid :class:`~hubcore.events.ActionCompleted` events.

    An action completed, with an outcome.
    """
    return event_strategy(ActionCompleted, min_date=min_date, max_date=max_date, **fixed)


def action_withdrawn(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ActionWithdrawn]:
    """Valid :class:`~hubcore.events.ActionWithdrawn` events.

    An action withdrawn, with a reason and a note; ``superseded_by``, when given, names
    another action.
    """
    return event_strategy(ActionWithdrawn, min_date=min_date, max_date=max_date, **fixed)


def training_delivered(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[TrainingDelivered]:
    """Valid :class:`~hubcore.events.TrainingDelivered` events.

    Training delivered: 0 < hours <= 40, at least one member of staff.
    """
    return event_strategy(TrainingDelivered, min_date=min_date, max_date=max_date, **fixed)


def impact_evaluated(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ImpactEvaluated]:
    """Valid :class:`~hubcore.events.ImpactEvaluated` events.

    An impact evaluation with a non-empty set of methods.
    """
    return event_strategy(ImpactEvaluated, min_date=min_date, max_date=max_date, **fixed)


def provision_reported(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ProvisionReported]:
    """Valid :class:`~hubcore.events.ProvisionReported` events.

    A school's provision: ``classes_with_weekly_music <= classes_total``.
    """
    return event_strategy(ProvisionReported, min_date=min_date, max_date=max_date, **fixed)


def participation_recorded(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[ParticipationRecorded]:
    """Valid :class:`~hubcore.events.ParticipationRecorded` events.

    Participations: sub-counts <= ``pupils``; ``wcet_terms`` iff whole-class.
    """
    return event_strategy(ParticipationRecorded, min_date=min_date, max_date=max_date, **fixed)


def music_development_plan_recorded(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[MusicDevelopmentPlanRecorded]:
    """Valid :class:`~hubcore.events.MusicDevelopmentPlanRecorded` events.

    A school's music development plan status.
    """
    return event_strategy(
        MusicDevelopmentPlanRecorded, min_date=min_date, max_date=max_date, **fixed
    )


def inspection_recorded(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[InspectionRecorded]:
    """Valid :class:`~hubcore.events.InspectionRecorded` events.

    Facts from a school's latest inspection.
    """
    return event_strategy(InspectionRecorded, min_date=min_date, max_date=max_date, **fixed)


def pupil_voice_gathered(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[PupilVoiceGathered]:
    """Valid :class:`~hubcore.events.PupilVoiceGathered` events.

    Pupil voice: respondents >= 1, percentages 0-100, short themes.
    """
    return event_strategy(PupilVoiceGathered, min_date=min_date, max_date=max_date, **fixed)


def school_to_school_support_brokered(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[SchoolToSchoolSupportBrokered]:
    """Valid :class:`~hubcore.events.SchoolToSchoolSupportBrokered` events.

    Support brokered from ``lead_urn`` to a different ``urn``.
    """
    return event_strategy(
        SchoolToSchoolSupportBrokered, min_date=min_date, max_date=max_date, **fixed
    )


def hub_established(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[HubEstablished]:
    """Valid :class:`~hubcore.events.HubEstablished` events.

    A hub with a non-empty set of local authority codes.
    """
    return event_strategy(HubEstablished, min_date=min_date, max_date=max_date, **fixed)


def music_education_plan_published(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[MusicEducationPlanPublished]:
    """Valid :class:`~hubcore.events.MusicEducationPlanPublished` events.

    A plan version (>= 1) covering 1-3 academic years.
    """
    return event_strategy(
        MusicEducationPlanPublished, min_date=min_date, max_date=max_date, **fixed
    )


def staff_time_logged(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[StaffTimeLogged]:
    """Valid :class:`~hubcore.events.StaffTimeLogged` events.

    Staff time over a period ending on or before ``occurred_on``.
    """
    return event_strategy(StaffTimeLogged, min_date=min_date, max_date=max_date, **fixed)


def hub_staff_trained(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[HubStaffTrained]:
    """Valid :class:`~hubcore.events.HubStaffTrained` events.

    The hub's own staff trained: 0 < hours <= 40.
    """
    return event_strategy(HubStaffTrained, min_date=min_date, max_date=max_date, **fixed)


def partner_joined(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[PartnerJoined]:
    """Valid :class:`~hubcore.events.PartnerJoined` events.

    A partner organisation joins the hub.
    """
    return event_strategy(PartnerJoined, min_date=min_date, max_date=max_date, **fixed)


def data_return_submitted(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[DataReturnSubmitted]:
    """Valid :class:`~hubcore.events.DataReturnSubmitted` events.

    A data return: figures and a SHA-256 content hash.
    """
    return event_strategy(DataReturnSubmitted, min_date=min_date, max_date=max_date, **fixed)


def work_publicised(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[WorkPublicised]:
    """Valid :class:`~hubcore.events.WorkPublicised` events.

    The hub publicised its work.
    """
    return event_strategy(WorkPublicised, min_date=min_date, max_date=max_date, **fixed)


def youth_consultation_held(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **fixed: Any
) -> st.SearchStrategy[YouthConsultationHeld]:
    """Valid :class:`~hubcore.events.YouthConsultationHeld` events.

    The hub consulted young people about its offer: groups, a count, changes agreed.
    """
    return event_strategy(YouthConsultationHeld, min_date=min_date, max_date=max_date, **fixed)


EVENT_STRATEGIES: Mapping[type[Event], Callable[..., st.SearchStrategy[Event]]] = MappingProxyType(
    {
        SchoolRegistered: school_registered,
        SchoolDetailsUpdated: school_details_updated,
        SchoolClosed: school_closed,
        SchoolEngaged: school_engaged,
        SchoolDisengaged: school_disengaged,
        ConversationHeld: conversation_held,
        ActionAgreed: action_agreed,
        ActionCompleted: action_completed,
        ActionWithdrawn: action_withdrawn,
        TrainingDelivered: training_delivered,
        ImpactEvaluated: impact_evaluated,
        ProvisionReported: provision_reported,
        ParticipationRecorded: participation_recorded,
        MusicDevelopmentPlanRecorded: music_development_plan_recorded,
        InspectionRecorded: inspection_recorded,
        PupilVoiceGathered: pupil_voice_gathered,
        SchoolToSchoolSupportBrokered: school_to_school_support_brokered,
        HubEstablished: hub_established,
        MusicEducationPlanPublished: music_education_plan_published,
        StaffTimeLogged: staff_time_logged,
        HubStaffTrained: hub_staff_trained,
        PartnerJoined: partner_joined,
        DataReturnSubmitted: data_return_submitted,
        WorkPublicised: work_publicised,
        YouthConsultationHeld: youth_consultation_held,
    }
)
"""The strategy factory of every event class (each takes ``min_date``, ``max_date``, pins)."""


def _one_of(kinds: type[Event], min_date: date, max_date: date) -> st.SearchStrategy[Event]:
    return st.one_of(
        [
            factory(min_date=min_date, max_date=max_date)
            for cls, factory in EVENT_STRATEGIES.items()
            if issubclass(cls, kinds)
        ]
    )


def events(*, min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[Event]:
    """Any valid event, of any type."""
    return _one_of(Event, min_date, max_date)


def school_events(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[Event]:
    """Any valid school event (stream ``school-<URN>``)."""
    return _one_of(SchoolEvent, min_date, max_date)


def hub_events(*, min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[Event]:
    """Any valid hub event (stream ``hub-<hub_id>``)."""
    return _one_of(HubEvent, min_date, max_date)


_registered = False


def register_strategies() -> None:
    """Register the strategies with hypothesis, so ``st.from_type(SchoolEngaged)`` works.

    Also registers the base classes (``Event``, ``SchoolEvent``, ``HubEvent``,
    ``CountedSchoolEvent``). Idempotent; called when this module is imported.
    """
    global _registered  # noqa: PLW0603
    if _registered:
        return
    for cls, factory in EVENT_STRATEGIES.items():
        st.register_type_strategy(cls, factory())
    st.register_type_strategy(Event, events())
    st.register_type_strategy(SchoolEvent, school_events())
    st.register_type_strategy(HubEvent, hub_events())
    st.register_type_strategy(CountedSchoolEvent, _one_of(CountedSchoolEvent, MIN_DATE, MAX_DATE))
    _registered = True


register_strategies()
