"""The words hubs write for hubcore's vocabularies, and how a mapping file adds its own.

Each table maps a hub's word (compared normalised, see
:func:`~hubcore.imports._columns.normalise`) to the member stored. The stored value itself
is always accepted too (``tuition_small_group``, ``Tuition small group``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from hubcore.imports._columns import normalise
from hubcore.vocabulary import (
    DeliveredBy,
    Grade,
    ParticipationProgramme,
    QualityEvidence,
    Term,
    TrainingFormat,
    TrainingTopic,
)

__all__ = [
    "DELIVERED_BY",
    "EVIDENCE",
    "FORMAT",
    "GRADE",
    "PROGRAMME",
    "TERM",
    "TOPIC",
    "with_map",
]

E = TypeVar("E", bound=Enum)


def _table(enum: type[E], words: Mapping[E, tuple[str, ...]]) -> dict[str, E]:
    table: dict[str, E] = {}
    for member, names in words.items():
        for name in names:
            table[normalise(name)] = member
    return table


P = ParticipationProgramme
PROGRAMME = _table(
    P,
    {
        P.WHOLE_CLASS_ENSEMBLE: (
            "WCET",
            "WCIT",
            "whole class",
            "whole-class",
            "whole class ensemble teaching",
            "whole class instrumental teaching",
            "whole class ensemble",
            "first access",
            "whole class lessons",
        ),
        P.TUITION_INDIVIDUAL: (
            "individual",
            "individual lessons",
            "individual tuition",
            "1:1",
            "1 to 1",
            "one to one",
            "one-to-one",
        ),
        P.TUITION_SMALL_GROUP: (
            "small group",
            "small group lessons",
            "small group tuition",
            "shared lessons",
            "paired lessons",
        ),
        P.TUITION_LARGE_GROUP: ("large group", "large group lessons", "large group tuition"),
        P.ENSEMBLE: (
            "ensembles",
            "band",
            "orchestra",
            "school band",
            "school orchestra",
            "jazz band",
            "wind band",
            "string group",
            "rock band",
        ),
        P.CHOIR: ("choirs", "school choir", "chamber choir"),
        P.MUSIC_CENTRE: ("music centres", "music center", "saturday music centre"),
        P.FESTIVAL: ("festivals", "concert", "performance", "massed concert"),
        P.SINGING: ("singing programme", "singing strategy", "sing up", "singing assembly"),
    },
)

TERM = _table(
    Term,
    {
        Term.AUTUMN: (
            "autumn",
            "aut",
            "autumn term",
            "autumn 1",
            "autumn 2",
            "aut 1",
            "aut 2",
            "michaelmas",
            "fall",
        ),
        Term.SPRING: (
            "spring",
            "spr",
            "spring term",
            "spring 1",
            "spring 2",
            "spr 1",
            "spr 2",
            "lent",
        ),
        Term.SUMMER: (
            "summer",
            "sum",
            "summer term",
            "summer 1",
            "summer 2",
            "sum 1",
            "sum 2",
            "trinity",
        ),
    },
)

T = TrainingTopic
TOPIC = _table(
    T,
    {
        T.CURRICULUM_PROGRESSION: (
            "curriculum",
            "progression",
            "curriculum design",
            "model music curriculum",
            "mmc",
        ),
        T.ASSESSMENT: ("assessing music", "assessment in music"),
        T.SINGING: ("singing in schools", "vocal", "voice", "choral", "vocal leadership"),
        T.INSTRUMENTAL_TEACHING: (
            "instrumental",
            "instrumental teaching",
            "wcet training",
            "whole class teaching",
        ),
        T.INCLUSION_SEND: (
            "inclusion",
            "send",
            "sen",
            "inclusive music",
            "inclusion and send",
            "send and inclusion",
        ),
        T.MUSIC_TECHNOLOGY: (
            "music tech",
            "technology",
            "music technology",
            "dj",
            "ableton",
            "garageband",
        ),
        T.COMPOSITION: ("composing", "songwriting", "song writing", "improvisation"),
        T.LEADERSHIP: (
            "music leadership",
            "subject leadership",
            "music lead",
            "leading music",
            "subject leaders",
        ),
    },
)

FORMAT = _table(
    TrainingFormat,
    {
        TrainingFormat.CPD_SESSION: (
            "cpd",
            "session",
            "workshop",
            "training session",
            "twilight",
            "inset",
            "inset day",
            "course",
        ),
        TrainingFormat.CONSULTANCY: ("consultancy visit", "advisory visit", "consultation"),
        TrainingFormat.COACHING: ("mentoring", "coaching session", "team teaching"),
        TrainingFormat.NETWORK_MEETING: (
            "network",
            "network meeting",
            "music leads network",
            "cluster meeting",
            "forum",
        ),
        TrainingFormat.ONLINE_COURSE: (
            "online",
            "webinar",
            "e-learning",
            "elearning",
            "online session",
            "zoom",
            "teams",
        ),
    },
)

DELIVERED_BY = _table(
    DeliveredBy,
    {
        DeliveredBy.HUB_STAFF: (
            "hub",
            "hub staff",
            "hub team",
            "music service",
            "in house",
            "in-house",
        ),
        DeliveredBy.PARTNER: ("partner", "partner organisation", "external", "freelance"),
    },
)

G = Grade
GRADE = _table(
    G,
    {
        G.EXCEPTIONAL: ("exceptional",),
        G.STRONG: ("strong", "strong standard"),
        G.EXPECTED: ("expected", "expected standard", "secure"),
        G.NEEDS_ATTENTION: ("needs attention", "needs improvement", "developing"),
        G.URGENT_IMPROVEMENT: ("urgent improvement", "needs urgent improvement"),
    },
)

Q = QualityEvidence
EVIDENCE = _table(
    Q,
    {
        Q.LESSON_OBSERVATION: (
            "lesson observation",
            "lesson observations",
            "observation",
            "observations",
            "drop ins",
            "drop-ins",
        ),
        Q.PUPIL_WORK: ("pupil work", "pupils work", "work scrutiny", "recordings", "book looks"),
        Q.PUPIL_VOICE: ("pupil voice", "pupil conferencing", "pupil survey"),
        Q.ASSESSMENT_DATA: ("assessment data", "assessment", "data", "tracking"),
        Q.LEARNING_WALK: ("learning walk", "learning walks"),
        Q.NONE: ("none", "we do not", "not judged", "n a"),
    },
)


def with_map(table: Mapping[str, E], enum: type[E], mapped: Mapping[str, str]) -> dict[str, E]:
    """``table`` with a mapping file's words (normalised word -> stored value) on top."""
    merged = dict(table)
    for word, value in mapped.items():
        merged[word] = enum(value)
    return merged
