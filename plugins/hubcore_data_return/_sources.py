"""Where the data return's pupil and staff counts came from (its "estimates" caveat).

hubcore's read models do not say how many participation and training records are
schools' estimates or came from schools' own returns, so this plugin folds both itself,
per school and academic year. It is registered through ``hubcore_register_projections``
as :data:`PROJECTION_NAME`.
"""

from __future__ import annotations

import attrs

from hubcore.calendar import academic_year_of
from hubcore.events import ParticipationRecorded, TrainingDelivered
from hubcore.projections import ModelProjection, ReadModel
from hubcore.vocabulary import Source

__all__ = ["PROJECTION_NAME", "ReturnSources", "projection"]

PROJECTION_NAME = "data-return.sources"
PROJECTION_VERSION = 1


@attrs.define(eq=True)
class ReturnSources(ReadModel):
    """Participation and training records per school and year: how many, how many estimated,
    how many from schools' own returns."""

    # urn -> academic year -> [records, estimated, from school returns]
    _counts: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _add(self, urn: int, year: str, source: Source, estimated: bool) -> None:
        row = self._counts.setdefault(urn, {}).setdefault(year, [0, 0, 0])
        row[0] += 1
        row[1] += estimated
        row[2] += source is Source.SCHOOL_RETURN

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        self._add(e.urn, e.academic_year, e.source, e.estimated)

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        self._add(e.urn, academic_year_of(e.occurred_on), e.source, e.estimated)

    def counts(self, year: str, urns: set[int] | None = None) -> tuple[int, int, int]:
        """(records, estimated, from school returns) for ``year`` over the schools given."""
        totals = [0, 0, 0]
        for urn, years in self._counts.items():
            if (urns is None or urn in urns) and year in years:
                for i in range(3):
                    totals[i] += years[year][i]
        return totals[0], totals[1], totals[2]


def projection() -> ModelProjection[ReturnSources]:
    """A fresh projection of :class:`ReturnSources`, as the plugin registers it."""
    return ModelProjection(PROJECTION_NAME, PROJECTION_VERSION, ReturnSources)
