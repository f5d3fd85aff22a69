"""The built-in projections: one per read model of docs/metrics.md."""

from __future__ import annotations

from typing import Any

from hubcore.projections._protocol import ModelProjection
from hubcore.projections.actions import ActionFollowThrough
from hubcore.projections.cadence import ConversationCadence
from hubcore.projections.coverage import Coverage
from hubcore.projections.development_plans import DevelopmentPlans
from hubcore.projections.impact import ImpactEvaluations
from hubcore.projections.inspection_evidence import InspectionEvidence
from hubcore.projections.judgements import JudgementProfile
from hubcore.projections.log_span import LogSpan
from hubcore.projections.participation import ParticipationBreadth
from hubcore.projections.provision import CurriculumProvision
from hubcore.projections.pupil_voice import PupilVoice
from hubcore.projections.school_to_school import SchoolToSchool
from hubcore.projections.staff_time import StaffTime
from hubcore.projections.training import TrainingLedger

__all__ = ["BUILTIN_MODELS", "builtin_projections"]

BUILTIN_MODELS: dict[str, tuple[int, type[Any]]] = {
    "coverage": (2, Coverage),  # 2: the roster holds send_pct
    "cadence": (2, ConversationCadence),  # 2: the roster holds send_pct
    "judgements": (2, JudgementProfile),  # 2: the roster holds send_pct
    "actions": (3, ActionFollowThrough),  # 2: withdrawn actions; 3: the roster holds send_pct
    "training": (2, TrainingLedger),  # 2: the roster holds send_pct
    "staff_time": (2, StaffTime),  # 2: counts the records too
    "provision": (2, CurriculumProvision),  # 2: the roster holds send_pct
    "participation": (2, ParticipationBreadth),  # 2: the roster holds send_pct
    "development_plans": (2, DevelopmentPlans),  # 2: the roster holds send_pct
    "pupil_voice": (2, PupilVoice),  # 2: the roster holds send_pct
    "impact": (3, ImpactEvaluations),  # 2: send_pct; 3: evaluable offers, in force in-year
    "school_to_school": (2, SchoolToSchool),  # 2: the roster holds send_pct
    "inspection_evidence": (3, InspectionEvidence),  # 2: send_pct; 3: Q2, Q3 evidence rules
    "log_span": (1, LogSpan),
}
"""Projection name -> (version, read model class). Bump a version when its fold changes."""


def builtin_projections() -> list[ModelProjection[Any]]:
    """Fresh instances of every built-in projection (the plugin seam adds to this list)."""
    return [
        ModelProjection(name, version, model) for name, (version, model) in BUILTIN_MODELS.items()
    ]
