"""The ``school`` report: the pack an officer takes to one school.

A first-party hubcore plugin, written only against hubcore's public API (and the ofsted
plugin's public status rules) and registered through the ``hubcore`` entry-point group, as
a third-party plugin would be. It adds one read model (:data:`PROJECTION_NAME`) through
``hubcore_register_projections``.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import ProjectionLike, Reporter, hookimpl
from hubcore_school._pieces import LAST_CONVERSATIONS, action_state
from hubcore_school._reporter import SchoolPackReporter
from hubcore_school._story import (
    PROJECTION_NAME,
    ConversationNote,
    SchoolStory,
    TrainingNote,
    VoiceNote,
    projection,
)

__all__ = [
    "LAST_CONVERSATIONS",
    "PROJECTION_NAME",
    "ConversationNote",
    "SchoolPackReporter",
    "SchoolStory",
    "TrainingNote",
    "VoiceNote",
    "action_state",
    "hubcore_register_projections",
    "hubcore_register_reporters",
    "projection",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``school`` reporter."""
    register(SchoolPackReporter())


@hookimpl
def hubcore_register_projections(register: Callable[[ProjectionLike], None]) -> None:
    """Register the school-story read model the pack needs."""
    register(projection())
