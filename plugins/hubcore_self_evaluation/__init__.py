"""The ``self-evaluation`` report: the hub's duties D1-D12 against their targets.

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be. It adds one
read model (:data:`PROJECTION_NAME`) through ``hubcore_register_projections``.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import ProjectionLike, Reporter, hookimpl
from hubcore_self_evaluation._hub_record import (
    PROJECTION_NAME,
    HubRecord,
    PlanVersion,
    Publicity,
    months_of,
    projection,
)
from hubcore_self_evaluation._reporter import SelfEvaluationReporter
from hubcore_self_evaluation._targets import Target, Targets

__all__ = [
    "PROJECTION_NAME",
    "HubRecord",
    "PlanVersion",
    "Publicity",
    "SelfEvaluationReporter",
    "Target",
    "Targets",
    "hubcore_register_projections",
    "hubcore_register_reporters",
    "months_of",
    "projection",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``self-evaluation`` reporter."""
    register(SelfEvaluationReporter())


@hookimpl
def hubcore_register_projections(register: Callable[[ProjectionLike], None]) -> None:
    """Register the hub-record read model the report needs."""
    register(projection())
