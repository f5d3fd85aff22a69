"""The controlled vocabularies of the domain (docs/domain.md), as string enums.

Each member's value is the word stored in the log, so ``Phase("primary")`` and
``Phase.PRIMARY`` are the same thing and both serialise to ``"primary"``.

The grade words borrow Ofsted's 5-point report-card scale (since November 2025). Ofsted
does not grade a school's music on that scale: using it for the hub's own judgements is
hubcore's choice, not Ofsted's.

Wherever an event takes a vocabulary value, it takes the plain word too
(``SchoolRegistered(phase="primary", ...)``) and stores the member. A member's ``repr`` is
the Python that names it (``Phase.PRIMARY``), so the ``repr`` of an event is code that
builds it again.

Reports never show a stored word: :func:`label` gives its human label
(``label(Offer.WHOLE_CLASS_ENSEMBLE) == "First access (whole class)"``).
"""

from __future__ import annotations

from enum import StrEnum

from hubcore._labels import label
from hubcore.errors import InvalidRequest

__all__ = [
    "ActionOwner",
    "Agreement",
    "AgreedByRole",
    "Area",
    "Audience",
    "Channel",
    "ConversationKind",
    "DeepDive",
    "DeliveredBy",
    "EvaluationMethod",
    "Grade",
    "ImpactProgramme",
    "InspectionFramework",
    "Offer",
    "Participant",
    "ParticipationProgramme",
    "PartnerKind",
    "Phase",
    "PupilVoiceMethod",
    "QualityEvidence",
    "Source",
    "StaffRole",
    "Term",
    "TrainingFormat",
    "TrainingTopic",
    "WithdrawalReason",
    "YouthGroup",
    "grade_rank",
    "label",
]


class _Word(StrEnum):
    """A vocabulary: its members' values are the words stored in the log."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class Phase(_Word):
    NURSERY = "nursery"
    PRIMARY = "primary"
    MIDDLE = "middle"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SPECIAL = "special"
    ALTERNATIVE_PROVISION = "alternative_provision"
    POST_16 = "post_16"


class Offer(_Word):
    WHOLE_CLASS_ENSEMBLE = "whole_class_ensemble"
    INSTRUMENTAL_LESSONS = "instrumental_lessons"
    ENSEMBLES = "ensembles"
    SINGING = "singing"
    CPD = "cpd"
    CONSULTANCY = "consultancy"
    CURRICULUM_SUPPORT = "curriculum_support"
    MUSIC_DEVELOPMENT_PLAN = "music_development_plan"


class Agreement(_Word):
    PARTNERSHIP_AGREEMENT = "partnership_agreement"
    SERVICE_LEVEL_AGREEMENT = "service_level_agreement"
    INFORMAL = "informal"


class AgreedByRole(_Word):
    HEADTEACHER = "headteacher"
    SENIOR_LEADER = "senior_leader"
    MUSIC_LEAD = "music_lead"
    GOVERNOR = "governor"


class ConversationKind(_Word):
    SUPPORTIVE = "supportive"
    CHALLENGING = "challenging"
    REVIEW = "review"


class Participant(_Word):
    HEADTEACHER = "headteacher"
    SENIOR_LEADER = "senior_leader"
    MUSIC_LEAD = "music_lead"
    CLASS_TEACHER = "class_teacher"
    GOVERNOR = "governor"
    PUPILS = "pupils"
    HUB_LEADER = "hub_leader"
    HUB_ADVISER = "hub_adviser"


class Area(_Word):
    CURRICULUM_TIME = "curriculum_time"
    CURRICULUM_PROGRESSION = "curriculum_progression"
    CLASS_TEACHING = "class_teaching"
    ASSESSMENT = "assessment"
    LEADERSHIP = "leadership"
    INCLUSION = "inclusion"
    CO_CURRICULAR = "co_curricular"
    USE_OF_HUB = "use_of_hub"


class Grade(_Word):
    """The hub's own quality judgement (best first)."""

    EXCEPTIONAL = "exceptional"
    STRONG = "strong"
    EXPECTED = "expected"
    NEEDS_ATTENTION = "needs_attention"
    URGENT_IMPROVEMENT = "urgent_improvement"


_GRADE_RANK = {
    Grade.URGENT_IMPROVEMENT: 1,
    Grade.NEEDS_ATTENTION: 2,
    Grade.EXPECTED: 3,
    Grade.STRONG: 4,
    Grade.EXCEPTIONAL: 5,
}


def grade_rank(grade: Grade | str) -> int:
    """1 (urgent_improvement) to 5 (exceptional): higher is better.

    Takes the plain word too; anything else is :class:`~hubcore.InvalidRequest`."""
    member = Grade._value2member_map_.get(grade) if isinstance(grade, str) else None
    if not isinstance(member, Grade):
        allowed = ", ".join(g.value for g in Grade)
        raise InvalidRequest(f"grade_rank takes a grade ({allowed}), got {grade!r}")
    return _GRADE_RANK[member]


class QualityEvidence(_Word):
    LESSON_OBSERVATION = "lesson_observation"
    PUPIL_WORK = "pupil_work"
    PUPIL_VOICE = "pupil_voice"
    ASSESSMENT_DATA = "assessment_data"
    LEARNING_WALK = "learning_walk"
    NONE = "none"


class ActionOwner(_Word):
    SCHOOL = "school"
    HUB = "hub"
    PARTNER = "partner"


class WithdrawalReason(_Word):
    """Why an agreed action was withdrawn (``ActionWithdrawn``)."""

    SUPERSEDED = "superseded"
    NO_LONGER_NEEDED = "no_longer_needed"
    PRIORITIES_CHANGED = "priorities_changed"
    NOT_FEASIBLE = "not_feasible"


class TrainingTopic(_Word):
    CURRICULUM_PROGRESSION = "curriculum_progression"
    ASSESSMENT = "assessment"
    SINGING = "singing"
    INSTRUMENTAL_TEACHING = "instrumental_teaching"
    INCLUSION_SEND = "inclusion_send"
    MUSIC_TECHNOLOGY = "music_technology"
    COMPOSITION = "composition"
    LEADERSHIP = "leadership"


class TrainingFormat(_Word):
    CPD_SESSION = "cpd_session"
    CONSULTANCY = "consultancy"
    COACHING = "coaching"
    NETWORK_MEETING = "network_meeting"
    ONLINE_COURSE = "online_course"


class DeliveredBy(_Word):
    HUB_STAFF = "hub_staff"
    PARTNER = "partner"


class ImpactProgramme(_Word):
    WHOLE_CLASS_ENSEMBLE = "whole_class_ensemble"
    INSTRUMENTAL_LESSONS = "instrumental_lessons"
    ENSEMBLES = "ensembles"
    SINGING = "singing"
    CPD = "cpd"
    CURRICULUM_SUPPORT = "curriculum_support"
    SCHOOL_TO_SCHOOL = "school_to_school"


class EvaluationMethod(_Word):
    OBSERVATION = "observation"
    PUPIL_OUTCOMES = "pupil_outcomes"
    PUPIL_VOICE = "pupil_voice"
    SCHOOL_SELF_EVALUATION = "school_self_evaluation"
    TEACHER_SURVEY = "teacher_survey"


class ParticipationProgramme(_Word):
    WHOLE_CLASS_ENSEMBLE = "whole_class_ensemble"
    TUITION_INDIVIDUAL = "tuition_individual"
    TUITION_SMALL_GROUP = "tuition_small_group"
    TUITION_LARGE_GROUP = "tuition_large_group"
    ENSEMBLE = "ensemble"
    CHOIR = "choir"
    MUSIC_CENTRE = "music_centre"
    FESTIVAL = "festival"
    SINGING = "singing"


class Term(_Word):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


class Source(_Word):
    SCHOOL_RETURN = "school_return"
    HUB_REGISTER = "hub_register"
    PARTNER_RETURN = "partner_return"
    OBSERVATION = "observation"


class PupilVoiceMethod(_Word):
    SURVEY = "survey"
    FOCUS_GROUP = "focus_group"
    PUPIL_COUNCIL = "pupil_council"
    INTERVIEWS = "interviews"


class InspectionFramework(_Word):
    EIF_2019 = "eif_2019"
    REPORT_CARD_2025 = "report_card_2025"


class DeepDive(_Word):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class StaffRole(_Word):
    LEADER = "leader"
    ADVISER = "adviser"
    TEACHER = "teacher"
    PARTNER = "partner"


class PartnerKind(_Word):
    MUSIC_ORGANISATION = "music_organisation"
    PRACTITIONER = "practitioner"
    ARTS_VENUE = "arts_venue"
    SCHOOL_NETWORK = "school_network"
    YOUTH_VOICE = "youth_voice"


class Channel(_Word):
    NEWSLETTER = "newsletter"
    WEBSITE = "website"
    HEADTEACHER_BRIEFING = "headteacher_briefing"
    CONFERENCE = "conference"
    GOVERNOR_BRIEFING = "governor_briefing"


class Audience(_Word):
    SCHOOL_LEADERS = "school_leaders"
    MUSIC_LEADS = "music_leads"
    GOVERNORS = "governors"
    PUPILS = "pupils"
    PARENTS = "parents"


class YouthGroup(_Word):
    """Which young people a hub consulted about its own offer (``YouthConsultationHeld``).

    Groups, never people: ``other`` needs the consultation's ``other_group`` to say which.
    """

    PRIMARY_PUPILS = "primary_pupils"
    SECONDARY_PUPILS = "secondary_pupils"
    POST_16_STUDENTS = "post_16_students"
    SEND_PUPILS = "send_pupils"
    DISADVANTAGED_PUPILS = "disadvantaged_pupils"
    ENSEMBLE_MEMBERS = "ensemble_members"
    NOT_YET_TAKING_PART = "not_yet_taking_part"
    YOUTH_PANEL = "youth_panel"
    OTHER = "other"
