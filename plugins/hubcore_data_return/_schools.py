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

(
    _RECORDS, _WCET_PUPILS, _WCET_TERMS, _CONTINUING, _TUITION, _TUITION_PP, _TUITION_SEND,
    _TUITION_REMISSION, _ENSEMBLE, _CHOIR, _SINGING, _ALL, _TRAINING, _HOURS, _STAFF,
    _CONVERSATIONS,
) = range(len(COUNTS))  # fmt: skip
_P = ParticipationProgramme
_WCET = _P.WHOLE_CLASS_ENSEMBLE
_ONE_PROGRAMME = {_P.ENSEMBLE: _ENSEMBLE, _P.CHOIR: _CHOIR, _P.SINGING: _SINGING}
_EMPTY: list[int | float] = [0] * len(COUNTS)
_EMPTY[_HOURS] = 0.0


@attrs.define(eq=True)
class SchoolCounts(ReadModel):
    """Per school and academic year, the counts named in :data:`COUNTS`."""

    # urn -> academic year -> [one number per name in COUNTS]
    _rows: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    def _row(self, urn: int, year: str) -> list[Any]:
        years = self._rows.get(urn)
        if years is None:
            years = self._rows[urn] = {}
        row = years.get(year)
        if row is None:
            row = years[year] = _EMPTY.copy()
        return row

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        row = self._row(e.urn, e.academic_year)
        pupils = e.pupils
        programme = e.programme
        row[_RECORDS] += 1
        row[_ALL] += pupils
        if programme is _WCET:
            row[_WCET_PUPILS] += pupils
            row[_WCET_TERMS] += e.wcet_terms or 0
        elif programme in TUITION:
            row[_TUITION] += pupils
            row[_TUITION_PP] += e.pupil_premium
            row[_TUITION_SEND] += e.send
            row[_TUITION_REMISSION] += e.fee_remission
        else:
            one = _ONE_PROGRAMME.get(programme)
            if one is not None:
                row[one] += pupils
        if e.continuing_from_wcet is not None:
            row[_CONTINUING] += e.continuing_from_wcet

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        row = self._row(e.urn, academic_year_of(e.occurred_on))
        row[_TRAINING] += 1
        row[_HOURS] += e.hours
        row[_STAFF] += e.staff_trained

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        self._row(e.urn, academic_year_of(e.occurred_on))[_CONVERSATIONS] += 1

    def counts(self, urn: int, year: str) -> dict[str, int | float] | None:
        """The school's counts for ``year`` by name (:data:`COUNTS`); None if it has no
        participation, training or conversation recorded for the year."""
        row = self._rows.get(urn, {}).get(year)
        return None if row is None else dict(zip(COUNTS, row, strict=True))


def schools_projection() -> ModelProjection[SchoolCounts]:
    """A fresh projection of :class:`SchoolCounts`, as the plugin registers it."""
    return ModelProjection(SCHOOLS_PROJECTION, SCHOOLS_PROJECTION_VERSION, SchoolCounts)
