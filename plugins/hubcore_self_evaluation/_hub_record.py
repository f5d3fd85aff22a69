"""The extra read model the self-evaluation report needs: plans, publicity, monthly talk.

hubcore's built-in read models do not keep the hub's published music education plans (D1),
its publicity (D2, D9) or conversations by month, so this plugin folds them itself. It is
registered through ``hubcore_register_projections`` as :data:`PROJECTION_NAME`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.events import (
    ConversationHeld,
    ImpactEvaluated,
    MusicEducationPlanPublished,
    ParticipationRecorded,
    ProvisionReported,
    PupilVoiceGathered,
    TrainingDelivered,
    WorkPublicised,
)
from hubcore.projections import ModelProjection, ReadModel
from hubcore.vocabulary import Audience, Source

__all__ = ["PROJECTION_NAME", "HubRecord", "PlanVersion", "Publicity", "projection"]

PROJECTION_NAME = "self-evaluation.hub-record"
PROJECTION_VERSION = 1


@attrs.frozen
class PlanVersion:
    """One published version of the hub's school music education plan (D1)."""

    hub_id: str
    version: int
    published_on: date
    covers: frozenset[str]


@attrs.frozen
class Publicity:
    """One ``WorkPublicised`` (D2, D9)."""

    hub_id: str
    on: date
    channel: str
    audience: Audience
    schools_reached: int


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_of(year: str) -> list[str]:
    """The twelve ``YYYY-MM`` labels of an academic year, September first."""
    start, _ = academic_year_bounds(year)
    return [
        _month(date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1))
        for i in range(12)
    ]


@attrs.define(eq=True)
class HubRecord(ReadModel):
    """Plans, publicity, conversations per month and where counted figures came from."""

    # hub_id -> [[ordinal, version, [years covered]]]
    _plans: dict[str, list[list[Any]]] = attrs.field(factory=dict, repr=False)
    # hub_id -> [[ordinal, channel, audience, schools_reached]]
    _publicity: dict[str, list[list[Any]]] = attrs.field(factory=dict, repr=False)
    # urn -> "YYYY-MM" -> conversations held
    _monthly: dict[int, dict[str, int]] = attrs.field(factory=dict, repr=False)
    # urn -> "year|event type" -> [records, estimated, from school returns]
    _sources: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    _HUB_KEYED = frozenset({"_plans", "_publicity"})

    def _on_MusicEducationPlanPublished(self, e: MusicEducationPlanPublished) -> None:
        row = [e.occurred_on.toordinal(), e.plan_version, sorted(e.covers)]
        self._plans.setdefault(e.hub_id, []).append(row)

    def _on_WorkPublicised(self, e: WorkPublicised) -> None:
        row = [e.occurred_on.toordinal(), e.channel.value, e.audience.value, e.schools_reached]
        self._publicity.setdefault(e.hub_id, []).append(row)

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        months = self._monthly.setdefault(e.urn, {})
        key = _month(e.occurred_on)
        months[key] = months.get(key, 0) + 1

    def _source(self, urn: int, year: str, kind: str, source: Source, estimated: bool) -> None:
        row = self._sources.setdefault(urn, {}).setdefault(f"{year}|{kind}", [0, 0, 0])
        row[0] += 1
        row[1] += estimated
        row[2] += source is Source.SCHOOL_RETURN

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        self._source(e.urn, e.academic_year, e.event_type, e.source, e.estimated)

    def _on_ProvisionReported(self, e: ProvisionReported) -> None:
        self._source(e.urn, e.academic_year, e.event_type, e.source, e.estimated)

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        year = academic_year_of(e.occurred_on)
        self._source(e.urn, year, e.event_type, e.source, e.estimated)

    def _on_ImpactEvaluated(self, e: ImpactEvaluated) -> None:
        year = academic_year_of(e.occurred_on)
        self._source(e.urn, year, e.event_type, e.source, e.estimated)

    def _on_PupilVoiceGathered(self, e: PupilVoiceGathered) -> None:
        year = academic_year_of(e.occurred_on)
        self._source(e.urn, year, e.event_type, e.source, e.estimated)

    # -- queries -------------------------------------------------------------------------

    def plans(self, hub_id: str) -> list[PlanVersion]:
        """Every published plan version of the hub, oldest first."""
        return sorted(
            (
                PlanVersion(hub_id, row[1], date.fromordinal(row[0]), frozenset(row[2]))
                for row in self._plans.get(hub_id, ())
            ),
            key=lambda p: (p.published_on, p.version),
        )

    def plan_covering(self, hub_id: str, year: str) -> PlanVersion | None:
        """The latest plan published by the year's end that covers ``year`` (or None)."""
        end = academic_year_bounds(year)[1]
        found = [p for p in self.plans(hub_id) if year in p.covers and p.published_on <= end]
        return found[-1] if found else None

    def publicity(self, hub_id: str, year: str) -> list[Publicity]:
        """The hub's publicity dated in ``year``, oldest first."""
        start, end = (d.toordinal() for d in academic_year_bounds(year))
        return [
            Publicity(hub_id, date.fromordinal(row[0]), row[1], Audience(row[2]), row[3])
            for row in sorted(self._publicity.get(hub_id, ()), key=lambda r: r[0])
            if start <= row[0] <= end
        ]

    def conversations_by_month(
        self, year: str, urns: set[int] | None = None
    ) -> list[tuple[str, int]]:
        """Conversations held in each month of ``year`` (of the given schools, or all)."""
        labels = months_of(year)
        counts = dict.fromkeys(labels, 0)
        for urn, months in self._monthly.items():
            if urns is not None and urn not in urns:
                continue
            for label, held in months.items():  # a school's few months, not all twelve
                if label in counts:
                    counts[label] += held
        return list(counts.items())

    def provenance(self, year: str, urns: set[int] | None = None) -> tuple[int, int, int]:
        """(records, estimated, from school returns) over counted events of ``year``."""
        totals = [0, 0, 0]
        prefix = year + "|"
        for urn, rows in self._sources.items():
            if urns is not None and urn not in urns:
                continue
            for key, row in rows.items():
                if key.startswith(prefix):
                    for i in range(3):
                        totals[i] += row[i]
        return totals[0], totals[1], totals[2]


def projection() -> ModelProjection[HubRecord]:
    """A fresh projection of :class:`HubRecord`, as the plugin registers it."""
    return ModelProjection(PROJECTION_NAME, PROJECTION_VERSION, HubRecord)
