"""Human labels for the words of the controlled vocabularies (``hubcore.vocabulary``).

A report says "First access (whole class)", never ``whole_class_ensemble``. The labels are
keyed by the stored word: a word that two vocabularies share (``consultancy`` is an offer
and a training format) has one label, which ``tests/test_labels.py`` checks reads right
for both.
"""

from __future__ import annotations

from enum import Enum

from hubcore.errors import HubcoreError

__all__ = ["LABELS", "label"]

LABELS: dict[str, str] = {
    # Phase
    "nursery": "Nursery",
    "primary": "Primary",
    "middle": "Middle",
    "secondary": "Secondary",
    "all_through": "All-through",
    "special": "Special",
    "alternative_provision": "Alternative provision",
    "post_16": "Post-16",
    # Offer, ImpactProgramme, ParticipationProgramme
    "whole_class_ensemble": "First access (whole class)",
    "instrumental_lessons": "Instrumental lessons",
    "ensembles": "Ensembles",
    "singing": "Singing",
    "cpd": "CPD (training for school staff)",
    "consultancy": "Consultancy",
    "curriculum_support": "Curriculum support",
    "music_development_plan": "Music development plan support",
    "school_to_school": "School-to-school support",
    "tuition_individual": "Tuition (individual)",
    "tuition_small_group": "Tuition (small group)",
    "tuition_large_group": "Tuition (large group)",
    "ensemble": "Ensemble",
    "choir": "Choir",
    "music_centre": "Music centre",
    "festival": "Festival",
    # Agreement
    "partnership_agreement": "Partnership agreement",
    "service_level_agreement": "Service-level agreement",
    "informal": "Informal",
    # AgreedByRole, Participant
    "headteacher": "Headteacher",
    "senior_leader": "Senior leader",
    "music_lead": "Music lead",
    "governor": "Governor",
    "class_teacher": "Class teacher",
    "pupils": "Pupils",
    "hub_leader": "Hub leader",
    "hub_adviser": "Hub adviser",
    # ConversationKind
    "supportive": "Supportive",
    "challenging": "Challenging",
    "review": "Review",
    # Area, TrainingTopic
    "curriculum_time": "Curriculum time",
    "curriculum_progression": "Curriculum progression",
    "class_teaching": "Class teaching",
    "assessment": "Assessment",
    "leadership": "Leadership",
    "inclusion": "Inclusion",
    "co_curricular": "Co-curricular music",
    "use_of_hub": "Use of the hub",
    "instrumental_teaching": "Instrumental teaching",
    "inclusion_send": "Inclusion and SEND",
    "music_technology": "Music technology",
    "composition": "Composition",
    # Grade
    "exceptional": "Exceptional",
    "strong": "Strong",
    "expected": "Expected standard",
    "needs_attention": "Needs attention",
    "urgent_improvement": "Urgent improvement",
    # QualityEvidence, EvaluationMethod, PupilVoiceMethod
    "lesson_observation": "Lesson observation",
    "pupil_work": "Pupils' work",
    "pupil_voice": "Pupil voice",
    "assessment_data": "Assessment data",
    "learning_walk": "Learning walk",
    "none": "None",
    "observation": "Observation",
    "pupil_outcomes": "Pupil outcomes",
    "school_self_evaluation": "School's self-evaluation",
    "teacher_survey": "Teacher survey",
    "survey": "Survey",
    "focus_group": "Focus group",
    "pupil_council": "Pupil council",
    "interviews": "Interviews",
    # ActionOwner, DeliveredBy, StaffRole
    "school": "School",
    "hub": "Hub",
    "partner": "Partner",
    "hub_staff": "Hub staff",
    "leader": "Leader",
    "adviser": "Adviser",
    "teacher": "Teacher",
    # WithdrawalReason
    "superseded": "Superseded by another action",
    "no_longer_needed": "No longer needed",
    "priorities_changed": "School's priorities changed",
    "not_feasible": "Not feasible",
    # TrainingFormat
    "cpd_session": "CPD session",
    "coaching": "Coaching",
    "network_meeting": "Network meeting",
    "online_course": "Online course",
    # Term
    "autumn": "Autumn",
    "spring": "Spring",
    "summer": "Summer",
    # Source
    "school_return": "School's return",
    "hub_register": "Hub register",
    "partner_return": "Partner's return",
    # InspectionFramework, DeepDive
    "eif_2019": "Education inspection framework (2019)",
    "report_card_2025": "Report-card framework (2025)",
    "yes": "Yes",
    "no": "No",
    "unknown": "Unknown",
    # PartnerKind
    "music_organisation": "Music organisation",
    "practitioner": "Practitioner",
    "arts_venue": "Arts venue",
    "school_network": "School network",
    "youth_voice": "Youth voice",
    # Channel, Audience
    "newsletter": "Newsletter",
    "website": "Website",
    "headteacher_briefing": "Headteacher briefing",
    "conference": "Conference",
    "governor_briefing": "Governor briefing",
    "school_leaders": "School leaders",
    "music_leads": "Music leads",
    "governors": "Governors",
    "parents": "Parents",
    # YouthGroup
    "primary_pupils": "Primary pupils",
    "secondary_pupils": "Secondary pupils",
    "post_16_students": "Post-16 students",
    "send_pupils": "Pupils with SEND",
    "disadvantaged_pupils": "Disadvantaged pupils",
    "ensemble_members": "Members of the hub's ensembles",
    "not_yet_taking_part": "Young people not yet taking part",
    "youth_panel": "Youth voice panel",
    "other": "Other group",
}
"""The label of every word of every vocabulary, keyed by the stored word."""


def label(value: Enum | str) -> str:
    """The human label of a vocabulary word (a member, or the stored word itself).

    >>> from hubcore.vocabulary import Offer, Phase
    >>> label(Offer.WHOLE_CLASS_ENSEMBLE)
    'First access (whole class)'
    >>> label("alternative_provision")
    'Alternative provision'

    A word of no hubcore vocabulary (a plugin's own) is made readable: underscores become
    spaces and the first letter a capital (``"music_hub_day"`` gives ``"Music hub day"``).
    """
    word = value.value if isinstance(value, Enum) else value
    if not isinstance(word, str):
        raise HubcoreError(f"label() takes a vocabulary word, got {type(word).__name__}")
    known = LABELS.get(word)
    if known is not None:
        return known
    text = " ".join(word.replace("_", " ").split())
    return text[:1].upper() + text[1:]
