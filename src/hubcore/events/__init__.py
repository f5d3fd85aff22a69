"""Domain events: frozen, slotted, keyword-only attrs classes, validated on construction.

Invalid values raise :class:`hubcore.InvalidEvent` naming the event type, the field and
the rule it broke. The full vocabulary is in docs/domain.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hubcore.events._base import CountedSchoolEvent, Event, HubEvent, SchoolEvent
from hubcore.events._frozendict import FrozenDict
from hubcore.events._hub import (
    DataReturnSubmitted,
    HubEstablished,
    HubStaffTrained,
    MusicEducationPlanPublished,
    PartnerJoined,
    StaffTimeLogged,
    WorkPublicised,
    YouthConsultationHeld,
)
from hubcore.events._school import (
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    ImpactEvaluated,
    InspectionRecorded,
    MusicDevelopmentPlanRecorded,
    ParticipationRecorded,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolClosed,
    SchoolDetailsUpdated,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    TrainingDelivered,
)

__all__ = [
    "EVENT_TYPES",
    "ActionAgreed",
    "ActionCompleted",
    "ActionWithdrawn",
    "ConversationHeld",
    "CountedSchoolEvent",
    "DataReturnSubmitted",
    "Event",
    "FrozenDict",
    "HubEstablished",
    "HubEvent",
    "HubStaffTrained",
    "ImpactEvaluated",
    "InspectionRecorded",
    "MusicDevelopmentPlanRecorded",
    "MusicEducationPlanPublished",
    "ParticipationRecorded",
    "PartnerJoined",
    "ProvisionReported",
    "PupilVoiceGathered",
    "SchoolClosed",
    "SchoolDetailsUpdated",
    "SchoolDisengaged",
    "SchoolEngaged",
    "SchoolEvent",
    "SchoolRegistered",
    "SchoolToSchoolSupportBrokered",
    "StaffTimeLogged",
    "TrainingDelivered",
    "WorkPublicised",
    "YouthConsultationHeld",
]

_ALL: tuple[type[Event], ...] = (
    SchoolRegistered,
    SchoolDetailsUpdated,
    SchoolClosed,
    SchoolEngaged,
    SchoolDisengaged,
    ConversationHeld,
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    TrainingDelivered,
    ImpactEvaluated,
    ProvisionReported,
    ParticipationRecorded,
    MusicDevelopmentPlanRecorded,
    InspectionRecorded,
    PupilVoiceGathered,
    SchoolToSchoolSupportBrokered,
    HubEstablished,
    MusicEducationPlanPublished,
    StaffTimeLogged,
    HubStaffTrained,
    PartnerJoined,
    DataReturnSubmitted,
    WorkPublicised,
    YouthConsultationHeld,
)

EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType({cls.event_type: cls for cls in _ALL})
"""Every event class by its stored ``event_type`` tag."""
