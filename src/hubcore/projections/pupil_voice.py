"""Pupil voice in the hub's evaluation (W1)."""

from __future__ import annotations

from typing import Any

import attrs

from hubcore.events import ImpactEvaluated, PupilVoiceGathered
from hubcore.projections._base import Ratio, RosterModel, year_on
from hubcore.vocabulary import EvaluationMethod, Phase

__all__ = ["PupilVoice"]

_PUPIL_VOICE = EvaluationMethod.PUPIL_VOICE


@attrs.define(eq=True)
class PupilVoice(RosterModel):
    """**pupil voice coverage** (docs/metrics.md) = share of impact evaluations using the
    pupil_voice method, and schools with any ``PupilVoiceGathered`` in the year (W1).

    Both count events by the academic year of their ``occurred_on``; the school share has
    the schools open during the year as its denominator.
    """

    # urn -> year -> [evaluations, evaluations using pupil voice]
    _evaluations: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)
    # urn -> year -> [times gathered, respondents]
    _gathered: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _on_ImpactEvaluated(self, e: ImpactEvaluated) -> None:
        year = year_on(e.occurred_on)
        rows = self._evaluations.setdefault(e.urn, {})
        row = rows.get(year)
        if row is None:
            row = rows[year] = [0, 0]
        row[0] += 1
        row[1] += _PUPIL_VOICE in e.methods

    def _on_PupilVoiceGathered(self, e: PupilVoiceGathered) -> None:
        year = year_on(e.occurred_on)
        rows = self._gathered.setdefault(e.urn, {})
        row = rows.get(year)
        if row is None:
            row = rows[year] = [0, 0]
        row[0] += 1
        row[1] += e.respondents

    def evaluations_using_pupil_voice(self, year: str) -> Ratio:
        """Impact evaluations in ``year`` using pupil_voice / impact evaluations in ``year``."""
        rows: list[Any] = [y[year] for y in self._evaluations.values() if year in y]
        return Ratio(sum(r[1] for r in rows), sum(r[0] for r in rows))

    def schools_gathering(self, year: str) -> list[int]:
        """Schools with any ``PupilVoiceGathered`` in ``year``."""
        return [u for u in sorted(self._gathered) if year in self._gathered[u]]

    def schools_with_pupil_voice(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Open schools with any ``PupilVoiceGathered`` in ``year`` / open schools."""
        return self._open_share(year, lambda u: year in self._gathered.get(u, {}), phase, la)

    def respondents(self, year: str) -> int:
        """Pupils responding across every ``PupilVoiceGathered`` in ``year``."""
        return sum(y[year][1] for y in self._gathered.values() if year in y)
