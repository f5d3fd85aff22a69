"""One school's story with the hub: the read model behind the school pack.

hubcore's read models count conversations, training and pupil voice; the pack shows them
one by one (what kind of conversation, who took part, what the school's pupils said), so
this plugin keeps the details itself, per school, in log order. Every fact is dated by its
``occurred_on``; a query for an academic year sees only the facts dated by that year's end
(docs/year-truth.md). It is registered through ``hubcore_register_projections`` as
:data:`PROJECTION_NAME`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.events import ConversationHeld, PupilVoiceGathered, TrainingDelivered
from hubcore.projections import ModelProjection, ReadModel

__all__ = [
    "PROJECTION_NAME",
    "ConversationNote",
    "SchoolStory",
    "TrainingNote",
    "VoiceNote",
    "projection",
]

PROJECTION_NAME = "school.story"
PROJECTION_VERSION = 1


@attrs.frozen
class ConversationNote:
    """One conversation with the school."""

    held_on: date
    conversation_id: str
    kind: str
    participants: tuple[str, ...]
    judgements: tuple[tuple[str, str], ...]
    next_due_on: date | None


@attrs.frozen
class TrainingNote:
    """One training session the school's staff took."""

    held_on: date
    topic: str
    format: str
    hours: float
    staff_trained: int
    delivered_by: str


@attrs.frozen
class VoiceNote:
    """One time the school's pupils were asked what they think."""

    held_on: date
    method: str
    respondents: int
    enjoy_pct: float
    want_more_pct: float
    themes: tuple[str, ...]


def _day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _last_day(year: str) -> int:
    return academic_year_bounds(year)[1].toordinal()


@attrs.define(eq=True)
class SchoolStory(ReadModel):
    """Each school's conversations, training sessions and pupil voice, in log order."""

    # urn -> [[day, id, kind, [participants], [[area, grade], ...], next due day or None]]
    _conversations: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)
    # urn -> [[day, topic, format, hours, staff trained, delivered by]]
    _training: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)
    # urn -> [[day, method, respondents, enjoy %, want more %, [themes]]]
    _voice: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        judged = sorted([str(area), str(grade)] for area, grade in e.judgements.items())
        self._conversations.setdefault(e.urn, []).append(
            [
                e.occurred_on.toordinal(),
                e.conversation_id,
                str(e.kind),
                sorted(str(p) for p in e.participants),
                judged,
                None if e.next_due_on is None else e.next_due_on.toordinal(),
            ]
        )

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        self._training.setdefault(e.urn, []).append(
            [
                e.occurred_on.toordinal(),
                str(e.topic),
                str(e.format),
                e.hours,
                e.staff_trained,
                str(e.delivered_by),
            ]
        )

    def _on_PupilVoiceGathered(self, e: PupilVoiceGathered) -> None:
        self._voice.setdefault(e.urn, []).append(
            [
                e.occurred_on.toordinal(),
                str(e.method),
                e.respondents,
                e.enjoy_pct,
                e.want_more_pct,
                list(e.themes),
            ]
        )

    @staticmethod
    def _known(rows: list[list[Any]], year: str) -> list[list[Any]]:
        """The rows dated by the end of ``year``, by date (log order on a tie)."""
        end = _last_day(year)
        return sorted((r for r in rows if r[0] <= end), key=lambda r: r[0])

    def conversations(self, urn: int, year: str) -> list[ConversationNote]:
        """The school's conversations dated by the end of ``year``, oldest first."""
        return [
            ConversationNote(
                _day(r[0]),
                r[1],
                r[2],
                tuple(r[3]),
                tuple((a, g) for a, g in r[4]),
                None if r[5] is None else _day(r[5]),
            )
            for r in self._known(self._conversations.get(urn, []), year)
        ]

    def training(self, urn: int, year: str) -> list[TrainingNote]:
        """The training sessions of the school's staff dated by the end of ``year``."""
        return [
            TrainingNote(_day(r[0]), r[1], r[2], r[3], r[4], r[5])
            for r in self._known(self._training.get(urn, []), year)
        ]

    def voice(self, urn: int, year: str) -> list[VoiceNote]:
        """The school's pupil voice dated by the end of ``year``, oldest first."""
        return [
            VoiceNote(_day(r[0]), r[1], r[2], r[3], r[4], tuple(r[5]))
            for r in self._known(self._voice.get(urn, []), year)
        ]

    def first_year(self, urn: int, year: str) -> str | None:
        """The academic year of the school's first conversation, training or pupil voice
        dated by the end of ``year`` (None if there is none)."""
        end = _last_day(year)
        days = [
            r[0]
            for rows in (self._conversations, self._training, self._voice)
            for r in rows.get(urn, [])
            if r[0] <= end
        ]
        return academic_year_of(_day(min(days))) if days else None


def projection() -> ModelProjection[SchoolStory]:
    """A fresh projection of :class:`SchoolStory`, as the plugin registers it."""
    return ModelProjection(PROJECTION_NAME, PROJECTION_VERSION, SchoolStory)
