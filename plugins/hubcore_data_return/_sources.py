"""Where the data return's pupil and staff counts came from (its "estimates" caveat), and
which schools had whole-class teaching.

hubcore's read models do not say how many participation and training records are
schools' estimates or came from schools' own returns, so this plugin folds both itself,
per school and academic year. It also adds up each school's whole-class ensemble pupils
per year, so the return's schools table reads one number per school instead of querying
``ParticipationBreadth`` 20,000 times (the same sum of the same events:
``tests/plugins/test_properties.py`` checks they agree). It is registered through
``hubcore_register_projections`` as :data:`PROJECTION_NAME`.
"""

from __future__ import annotations

import attrs

from hubcore.calendar import academic_year_of
from hubcore.events import ParticipationRecorded, TrainingDelivered
from hubcore.projections import ModelProjection, ReadModel
from hubcore.vocabulary import ParticipationProgramme, Source

__all__ = ["PROJECTION_NAME", "ReturnSources", "projection"]

PROJECTION_NAME = "data-return.sources"
PROJECTION_VERSION = 2
"""Version 2 added the whole-class pupils to each row."""

_WCET = ParticipationProgramme.WHOLE_CLASS_ENSEMBLE


@attrs.define(eq=True)
class ReturnSources(ReadModel):
    """Participation and training records per school and year: how many, how many estimated,
    how many from schools' own returns; and the whole-class ensemble pupils."""

    # urn -> academic year -> [records, estimated, from school returns, whole-class pupils]
    _counts: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _add(
        self, urn: int, year: str, source: Source, estimated: bool, whole_class: int = 0
    ) -> None:
        row = self._counts.setdefault(urn, {}).setdefault(year, [0, 0, 0, 0])
        row[0] += 1
        row[1] += estimated
        row[2] += source is Source.SCHOOL_RETURN
        row[3] += whole_class

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        whole_class = e.pupils if e.programme == _WCET else 0
        self._add(e.urn, e.academic_year, e.source, e.estimated, whole_class)

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

    def whole_class_schools(self, year: str) -> set[int]:
        """Schools with whole-class ensemble pupils recorded for ``year`` (those for which
        ``ParticipationBreadth.totals(year, WHOLE_CLASS_ENSEMBLE, urn=urn).pupils > 0``)."""
        return {
            urn for urn, years in self._counts.items() if (row := years.get(year)) and row[3] > 0
        }


def projection() -> ModelProjection[ReturnSources]:
    """A fresh projection of :class:`ReturnSources`, as the plugin registers it."""
    return ModelProjection(PROJECTION_NAME, PROJECTION_VERSION, ReturnSources)
