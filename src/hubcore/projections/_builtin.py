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
    "coverage": (3, Coverage),  # 2: send_pct; 3: details per year
    "cadence": (3, ConversationCadence),  # 2: send_pct; 3: details per year
    "judgements": (3, JudgementProfile),  # 2: send_pct; 3: details per year
    "actions": (4, ActionFollowThrough),  # 2: withdrawn; 3: send_pct; 4: details per year
    "training": (3, TrainingLedger),  # 2: send_pct; 3: details per year
    "staff_time": (2, StaffTime),  # 2: counts the records too
    "provision": (3, CurriculumProvision),  # 2: send_pct; 3: details per year
    "participation": (3, ParticipationBreadth),  # 2: send_pct; 3: details per year
    "development_plans": (3, DevelopmentPlans),  # 2: send_pct; 3: details per year
    "pupil_voice": (3, PupilVoice),  # 2: send_pct; 3: details per year
    "impact": (4, ImpactEvaluations),  # 2: send_pct; 3: evaluable offers; 4: details per year
    "school_to_school": (3, SchoolToSchool),  # 2: send_pct; 3: details per year
    "inspection_evidence": (4, InspectionEvidence),  # 2: send_pct; 3: Q2, Q3; 4: per year
    "log_span": (1, LogSpan),
}
"""Projection name -> (version, read model class). Bump a version when its fold changes."""


def builtin_projections() -> list[ModelProjection[Any]]:
    """Fresh instances of every built-in projection (the plugin seam adds to this list)."""
    return [
        ModelProjection(name, version, model) for name, (version, model) in BUILTIN_MODELS.items()
    ]
