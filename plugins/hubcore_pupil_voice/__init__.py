"""The ``pupil-voice`` report: what pupils said, and what the hub changed after asking (W1).

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be. It adds one
read model (:data:`PROJECTION_NAME`) through ``hubcore_register_projections``.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import ProjectionLike, Reporter, hookimpl
from hubcore_pupil_voice._record import (
    PROJECTION_NAME,
    Consultation,
    SchoolVoice,
    Theme,
    VoiceRecord,
    projection,
    theme_key,
)
from hubcore_pupil_voice._reporter import RULES, PupilVoiceReporter

__all__ = [
    "PROJECTION_NAME",
    "RULES",
    "Consultation",
    "PupilVoiceReporter",
    "SchoolVoice",
    "Theme",
    "VoiceRecord",
    "hubcore_register_projections",
    "hubcore_register_reporters",
    "projection",
    "theme_key",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``pupil-voice`` reporter."""
    register(PupilVoiceReporter())


@hookimpl
def hubcore_register_projections(register: Callable[[ProjectionLike], None]) -> None:
    """Register the read model of what pupils said and the hub's youth consultations."""
    register(projection())
