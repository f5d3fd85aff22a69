"""Where participation figures came from: the read model behind the "estimates" caveat,
and each school's participations of the year.

hubcore's ``ParticipationBreadth`` counts estimated records but not records from schools'
own returns, so this plugin folds both itself, per school and academic year. It also adds
up each school's participations, pupil premium and SEND per year, so the per-school table
reads one row per school instead of querying ``ParticipationBreadth`` 20,000 times (the
same sums of the same events: ``tests/plugins/test_properties.py`` checks they agree).
It is registered through ``hubcore_register_projections`` as :data:`PROJECTION_NAME`.
"""

from __future__ import annotations

import attrs

from hubcore.events import ParticipationRecorded
from hubcore.projections import ModelProjection, ReadModel
from hubcore.vocabulary import Source

__all__ = ["PROJECTION_NAME", "ParticipationSources", "projection"]

PROJECTION_NAME = "participation.sources"
PROJECTION_VERSION = 2
"""Version 2 added the participations, pupil premium and SEND counts to each row."""


@attrs.define(eq=True)
class ParticipationSources(ReadModel):
    """Participation records per school and year: how many, estimated, from school returns;
    and the participations, pupil premium and SEND they count."""

    # urn -> academic year -> [records, estimated, from school returns, participations,
    #                          pupil premium, SEND]
    _counts: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        row = self._counts.setdefault(e.urn, {}).setdefault(e.academic_year, [0] * 6)
        row[0] += 1
        row[1] += e.estimated
        row[2] += e.source is Source.SCHOOL_RETURN
        row[3] += e.pupils
        row[4] += e.pupil_premium
        row[5] += e.send

    def counts(self, year: str, urns: set[int] | None = None) -> tuple[int, int, int]:
        """(records, estimated, from school returns) for ``year`` over the schools given."""
        totals = [0, 0, 0]
        for urn, years in self._counts.items():
            if (urns is None or urn in urns) and year in years:
                for i in range(3):
                    totals[i] += years[year][i]
        return totals[0], totals[1], totals[2]

    def by_school(self, year: str) -> dict[int, tuple[int, int, int]]:
        """URN -> (participations, pupil premium, SEND) recorded for ``year``, for the
        schools with any record (``ParticipationBreadth.totals(year, urn=urn)``'s
        ``pupils``, ``pupil_premium`` and ``send``)."""
        return {
            urn: (row[3], row[4], row[5])
            for urn, years in self._counts.items()
            if (row := years.get(year)) is not None
        }


def projection() -> ModelProjection[ParticipationSources]:
    """A fresh projection of :class:`ParticipationSources`, as the plugin registers it."""
    return ModelProjection(PROJECTION_NAME, PROJECTION_VERSION, ParticipationSources)
