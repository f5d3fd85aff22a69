"""School music development plans (DfE expects every school to have one)."""

from __future__ import annotations

from datetime import date
from sys import intern
from typing import Any

import attrs

from hubcore.events import MusicDevelopmentPlanRecorded
from hubcore.projections._base import Ratio, RosterModel, day, ordinal
from hubcore.vocabulary import Phase

__all__ = ["DevelopmentPlans", "PlanFacts"]

_DAY, _HAS, _PUBLISHED, _SUPPORTED, _REVIEW = range(5)


@attrs.frozen
class PlanFacts:
    """A school's latest ``MusicDevelopmentPlanRecorded`` for one academic year."""

    urn: int
    academic_year: str
    recorded_on: date
    has_plan: bool
    summary_published: bool
    hub_supported: bool
    review_due_on: date | None


@attrs.define(eq=True)
class DevelopmentPlans(RosterModel):
    """**music development plans** (docs/metrics.md) = schools with has_plan / open schools;
    share with a published summary; share hub-supported.

    Each share has the schools open during the year as its denominator, and counts a school
    by its latest record for that academic year (by date; the last recorded wins a tie).
    """

    # urn -> academic_year -> [ord, has_plan, summary_published, hub_supported, review_due]
    _plans: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_MusicDevelopmentPlanRecorded(self, e: MusicDevelopmentPlanRecorded) -> None:
        years = self._plans.setdefault(e.urn, {})
        when = ordinal(e.occurred_on)
        year = intern(e.academic_year)
        current = years.get(year)
        if current is None or when >= current[_DAY]:
            review = None if e.review_due_on is None else ordinal(e.review_due_on)
            years[year] = [
                when,
                e.has_plan,
                e.summary_published,
                e.hub_supported,
                review,
            ]

    def plan(self, urn: int, year: str) -> PlanFacts | None:
        """The school's latest record for ``year`` (None if none)."""
        row = self._plans.get(urn, {}).get(year)
        if row is None:
            return None
        return PlanFacts(
            urn, year, date.fromordinal(row[_DAY]), row[_HAS], row[_PUBLISHED], row[_SUPPORTED],
            day(row[_REVIEW]),
        )  # fmt: skip

    def _flag(self, urn: int, year: str, index: int) -> bool:
        row = self._plans.get(urn, {}).get(year)
        return bool(row is not None and row[index])

    def has_plan_share(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Open schools with a plan / open schools."""
        return self._open_share(year, lambda u: self._flag(u, year, _HAS), phase, la)

    def published_share(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Open schools that published a plan summary / open schools."""
        return self._open_share(year, lambda u: self._flag(u, year, _PUBLISHED), phase, la)

    def hub_supported_share(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Open schools whose plan the hub supported / open schools."""
        return self._open_share(year, lambda u: self._flag(u, year, _SUPPORTED), phase, la)
