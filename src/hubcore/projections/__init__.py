"""Projections: checkpointed read models for every metric of docs/metrics.md.

A :class:`Projector` folds the store's log into read models and keeps them current::

    projector = Projector(store)      # every built-in projection
    projector.catch_up()
    coverage = projector.get("coverage", Coverage)
    coverage.rate("2025/26", phase="primary", la="901").percent

Each read model is an attrs class with typed query methods; shares come back as
:class:`Ratio` (numerator, denominator, value, percent). :meth:`Projector.as_of` gives the
models as they stood at a past date or year end; :meth:`Projector.rebuild_partitioned` (or
:func:`parallel_fold`) rebuilds them in several processes.
"""

from __future__ import annotations

from hubcore.projections._base import Ratio, ReadModel, RosterModel, SchoolFacts
from hubcore.projections._builtin import BUILTIN_MODELS, builtin_projections
from hubcore.projections._check import ReadModelCheck, check_read_models
from hubcore.projections._parallel import parallel_fold
from hubcore.projections._projector import DEFAULT_SAVE_EVERY, Projector, ReadModels, fold
from hubcore.projections._protocol import ModelProjection, Projection
from hubcore.projections._worker import ProjectionWorker
from hubcore.projections.actions import ActionFollowThrough, ActionStatus
from hubcore.projections.cadence import (
    DEFAULT_CADENCE_DAYS,
    ConversationCadence,
    DueConversation,
)
from hubcore.projections.coverage import Coverage
from hubcore.projections.development_plans import DevelopmentPlans, PlanFacts
from hubcore.projections.impact import (
    EVALUABLE_OFFERS,
    NOT_EVALUABLE_OFFERS,
    ImpactEvaluations,
    ImpactTotals,
)
from hubcore.projections.inspection_evidence import (
    QUESTIONS,
    Answer,
    EvidenceFile,
    Fact,
    InspectionEvidence,
)
from hubcore.projections.judgements import (
    JudgedGrade,
    JudgementProfile,
    Movement,
    MovementCounts,
)
from hubcore.projections.log_span import LogSpan
from hubcore.projections.participation import (
    REPRESENTATION_FLAG,
    TUITION,
    ParticipationBreadth,
    ParticipationTotals,
    SendRepresentation,
)
from hubcore.projections.provision import EXPECTED_MINUTES, CurriculumProvision, ProvisionFacts
from hubcore.projections.pupil_voice import PupilVoice
from hubcore.projections.school_to_school import Partner, SchoolToSchool, SupportLink
from hubcore.projections.staff_time import (
    DEFAULT_STRATEGIC_TARGET,
    HUB_ROLES,
    StaffHours,
    StaffTime,
)
from hubcore.projections.training import HubTrainingTotals, TrainingLedger, TrainingTotals

__all__ = [
    "ReadModelCheck",
    "check_read_models",
    "BUILTIN_MODELS",
    "DEFAULT_SAVE_EVERY",
    "DEFAULT_STRATEGIC_TARGET",
    "EXPECTED_MINUTES",
    "HUB_ROLES",
    "QUESTIONS",
    "REPRESENTATION_FLAG",
    "TUITION",
    "ActionFollowThrough",
    "ActionStatus",
    "Answer",
    "ConversationCadence",
    "DEFAULT_CADENCE_DAYS",
    "DueConversation",
    "EVALUABLE_OFFERS",
    "Coverage",
    "CurriculumProvision",
    "DevelopmentPlans",
    "EvidenceFile",
    "Fact",
    "HubTrainingTotals",
    "ImpactEvaluations",
    "ImpactTotals",
    "NOT_EVALUABLE_OFFERS",
    "InspectionEvidence",
    "JudgedGrade",
    "JudgementProfile",
    "LogSpan",
    "ModelProjection",
    "Movement",
    "MovementCounts",
    "ParticipationBreadth",
    "ParticipationTotals",
    "SendRepresentation",
    "Partner",
    "PlanFacts",
    "Projection",
    "Projector",
    "ProvisionFacts",
    "PupilVoice",
    "Ratio",
    "ReadModel",
    "ReadModels",
    "RosterModel",
    "SchoolFacts",
    "SchoolToSchool",
    "StaffHours",
    "StaffTime",
    "SupportLink",
    "TrainingLedger",
    "TrainingTotals",
    "builtin_projections",
    "fold",
    "parallel_fold",
    "ProjectionWorker",
]
