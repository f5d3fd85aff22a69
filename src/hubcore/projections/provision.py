"""Curriculum provision as schools report it: weekly music for all classes (Q2, S3, D11)."""

from __future__ import annotations

from datetime import date
from sys import intern
from typing import Any

import attrs

from hubcore.events import ProvisionReported
from hubcore.projections._base import Ratio, RosterModel, ordinal, shared_sorted
from hubcore.vocabulary import Grade, Phase, QualityEvidence, Source

__all__ = ["EXPECTED_MINUTES", "CurriculumProvision", "ProvisionFacts"]

EXPECTED_MINUTES = 60
"""The one-hour-a-week expectation for key stages 1-3 (docs/metrics.md)."""


@attrs.frozen
class ProvisionFacts:
    """A school's latest ``ProvisionReported`` for one academic year."""

    urn: int
    academic_year: str
    reported_on: date
    classes_total: int
    classes_with_weekly_music: int
    minutes_per_week: dict[int, int]
    self_evaluation_grade: Grade
    judged_by: frozenset[QualityEvidence]
    source: Source
    estimated: bool

    @property
    def weekly_music_for_all(self) -> bool:
        """Every class has weekly music."""
        return self.classes_with_weekly_music == self.classes_total


@attrs.define(eq=True)
class CurriculumProvision(RosterModel):
    """Provision reported by schools (docs/metrics.md):

    * **weekly music for all classes** = schools whose latest ``ProvisionReported`` (for the
      year) has classes_with_weekly_music == classes_total / schools reporting for the year;
    * mean minutes per week by key stage: the mean over reporting schools that give a figure
      for that key stage (their latest report), against :data:`EXPECTED_MINUTES` for KS1-3.

    "Latest" is by ``occurred_on`` (the last recorded wins a tie).
    """

    # urn -> academic_year -> [ord, total, weekly, {ks: minutes}, grade, judged_by, source, est]
    _reports: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_ProvisionReported(self, e: ProvisionReported) -> None:
        years = self._reports.setdefault(e.urn, {})
        day = ordinal(e.occurred_on)
        year = intern(e.academic_year)
        current = years.get(year)
        if current is None or day >= current[0]:
            years[year] = [
                day,
                e.classes_total,
                e.classes_with_weekly_music,
                {str(ks): m for ks, m in e.minutes_per_week.items()},
                e.self_evaluation_grade._value_,
                shared_sorted(e.judged_by),
                e.source._value_,
                e.estimated,
            ]

    def latest(self, urn: int, year: str) -> ProvisionFacts | None:
        """The school's latest report for ``year`` (None if it did not report)."""
        row = self._reports.get(urn, {}).get(year)
        if row is None:
            return None
        return ProvisionFacts(
            urn=urn,
            academic_year=year,
            reported_on=date.fromordinal(row[0]),
            classes_total=row[1],
            classes_with_weekly_music=row[2],
            minutes_per_week={int(k): v for k, v in row[3].items()},
            self_evaluation_grade=Grade(row[4]),
            judged_by=frozenset(QualityEvidence(j) for j in row[5]),
            source=Source(row[6]),
            estimated=row[7],
        )

    def reporting_schools(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> list[int]:
        """Schools with a report for ``year`` (optionally of one phase / LA)."""
        return [
            u
            for u in sorted(self._reports)
            if year in self._reports[u]
            and ((phase is None and la is None) or self._in(u, year, phase, la))
        ]

    def weekly_music_for_all(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Reporting schools with weekly music in every class / reporting schools."""
        schools = self.reporting_schools(year, phase, la)
        full = sum(1 for u in schools if self._reports[u][year][1] == self._reports[u][year][2])
        return Ratio(full, len(schools))

    def mean_minutes(self, year: str, key_stage: int) -> float | None:
        """Mean minutes per week at ``key_stage`` over schools giving a figure (or None)."""
        values = [
            self._reports[u][year][3][str(key_stage)]
            for u in self.reporting_schools(year)
            if str(key_stage) in self._reports[u][year][3]
        ]
        return sum(values) / len(values) if values else None

    def minutes_by_key_stage(self, year: str) -> dict[int, float]:
        """:meth:`mean_minutes` for every key stage with at least one figure."""
        result = {}
        for ks in range(1, 6):
            mean = self.mean_minutes(year, ks)
            if mean is not None:
                result[ks] = mean
        return result

    def meets_hour_a_week(self, year: str) -> dict[int, bool]:
        """For key stages 1-3 with figures: mean minutes >= :data:`EXPECTED_MINUTES`."""
        return {
            ks: mean >= EXPECTED_MINUTES
            for ks, mean in self.minutes_by_key_stage(year).items()
            if ks <= 3
        }
