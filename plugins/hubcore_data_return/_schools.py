"""Each school's counts for the per-school data return: one row per school and year.

The wide return needs, for every school, sums that hubcore's read models give only one
query per school at a time (``ParticipationBreadth.totals(year, programme, urn=urn)``,
``TrainingLedger``...): 20,000 such queries per programme would cost seconds. This read
model adds them up as the events are folded, per school and academic year: participations
by the year they report on (``academic_year``), training and conversations by the year they
occurred in. It is registered through ``hubcore_register_projections`` as
:data:`SCHOOLS_PROJECTION`.
"""

from __future__ import annotations

from typing import Any

import attrs

from hubcore.calendar import academic_year_of
from hubcore.events import ConversationHeld, ParticipationRecorded, TrainingDelivered
from hubcore.projections import TUITION, ModelProjection, ReadModel
from hubcore.vocabulary import ParticipationProgramme

__all__ = ["COUNTS", "SCHOOLS_PROJECTION", "SchoolCounts", "schools_projection"]

SCHOOLS_PROJECTION = "data-return.schools"
SCHOOLS_PROJECTION_VERSION = 1

COUNTS = (
    "participation_records",
    "whole_class_pupils",
    "whole_class_terms",
    "continuing_from_whole_class",
    "tuition_pupils",
    "tuition_pupil_premium",
    "tuition_send",
    "tuition_fee_remission",
    "ensemble_participations",
    "choir_participations",
    "singing_participations",
    "participations",
    "training_records",
    "cpd_hours",
    "staff_trained",
    "conversations",
)
"""The counts kept per school and year, in the order of each stored row."""

_AT = {name: i for i, name in enumerate(COUNTS)}
_P = ParticipationProgramme
_ONE_PROGRAMME = {
    _P.ENSEMBLE: _AT["ensemble_participations"],
    _P.CHOIR: _AT["choir_participations"],
    _P.SINGING: _AT["singing_participations"],
}


@attrs.define(eq=True)
class SchoolCounts(ReadModel):
    """Per school and academic year, the counts named in :data:`COUNTS`."""

    # urn -> academic year -> [one number per name in COUNTS]
    _rows: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    def _row(self, urn: int, year: str) -> list[Any]:
        years = self._rows.setdefault(urn, {})
        row = years.get(year)
        if row is None:
            row = years[year] = [0] * len(COUNTS)
            row[_AT["cpd_hours"]] = 0.0
        return row

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        row = self._row(e.urn, e.academic_year)
        row[_AT["participation_records"]] += 1
        row[_AT["participations"]] += e.pupils
        if e.programme is _P.WHOLE_CLASS_ENSEMBLE:
            row[_AT["whole_class_pupils"]] += e.pupils
            row[_AT["whole_class_terms"]] += e.wcet_terms or 0
        if e.continuing_from_wcet is not None:
            row[_AT["continuing_from_whole_class"]] += e.continuing_from_wcet
        if e.programme in TUITION:
            row[_AT["tuition_pupils"]] += e.pupils
            row[_AT["tuition_pupil_premium"]] += e.pupil_premium
            row[_AT["tuition_send"]] += e.send
            row[_AT["tuition_fee_remission"]] += e.fee_remission
        one = _ONE_PROGRAMME.get(e.programme)
        if one is not None:
            row[one] += e.pupils

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        row = self._row(e.urn, academic_year_of(e.occurred_on))
        row[_AT["training_records"]] += 1
        row[_AT["cpd_hours"]] += e.hours
        row[_AT["staff_trained"]] += e.staff_trained

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        self._row(e.urn, academic_year_of(e.occurred_on))[_AT["conversations"]] += 1

    def counts(self, urn: int, year: str) -> dict[str, int | float] | None:
        """The school's counts for ``year`` by name (:data:`COUNTS`); None if it has no
        participation, training or conversation recorded for the year."""
        row = self._rows.get(urn, {}).get(year)
        return None if row is None else dict(zip(COUNTS, row, strict=True))


def schools_projection() -> ModelProjection[SchoolCounts]:
    """A fresh projection of :class:`SchoolCounts`, as the plugin registers it."""
    return ModelProjection(SCHOOLS_PROJECTION, SCHOOLS_PROJECTION_VERSION, SchoolCounts)
