"""The ``participation`` report: W1-W3, with small numbers suppressed (it leaves the hub).

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be. It adds one
read model (:data:`PROJECTION_NAME`) through ``hubcore_register_projections``.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import ProjectionLike, Reporter, hookimpl
from hubcore_participation._reporter import (
    CONTINUATION_TARGET,
    DEFAULT_SEND_SHARE,
    NATIONAL_SEND_SHARE,
    SEND_RULE,
    ParticipationReporter,
)
from hubcore_participation._sources import PROJECTION_NAME, ParticipationSources, projection

__all__ = [
    "CONTINUATION_TARGET",
    "DEFAULT_SEND_SHARE",
    "NATIONAL_SEND_SHARE",
    "PROJECTION_NAME",
    "SEND_RULE",
    "ParticipationReporter",
    "ParticipationSources",
    "hubcore_register_projections",
    "hubcore_register_reporters",
    "projection",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``participation`` reporter."""
    register(ParticipationReporter())


@hookimpl
def hubcore_register_projections(register: Callable[[ProjectionLike], None]) -> None:
    """Register the participation-sources read model the report needs."""
    register(projection())
