"""School roster and engagement coverage (D3)."""

from __future__ import annotations

from typing import Any

import attrs

from hubcore.events import SchoolDisengaged, SchoolEngaged
from hubcore.projections._base import (
    Ratio,
    RosterModel,
    latest,
    ordinal,
    shared_sorted,
    year_bounds,
)
from hubcore.vocabulary import Offer, Phase

__all__ = ["Coverage"]

_NONE = shared_sorted(frozenset())  # the offers of a disengagement (shared, never changed)


@attrs.define(eq=True)
class Coverage(RosterModel):
    """Which schools are open, and which of them the hub engages.

    **coverage(year, phase?, la?)** (docs/metrics.md) = schools engaged at any point in the year
    and not disengaged at its end / schools registered and open during the year. Target 100%.

    A school's engagement status on a day is set by its latest ``SchoolEngaged`` or
    ``SchoolDisengaged`` dated on or before that day (the last recorded wins a tie). A
    school engaged at the year's end was engaged at some point in the year, so the numerator
    is "open during the year and engaged at its last day".
    """

    _engagement: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_SchoolEngaged(self, e: SchoolEngaged) -> None:
        offers = shared_sorted(e.offer)
        self._engagement.setdefault(e.urn, []).append([ordinal(e.occurred_on), True, offers])

    def _on_SchoolDisengaged(self, e: SchoolDisengaged) -> None:
        self._engagement.setdefault(e.urn, []).append([ordinal(e.occurred_on), False, _NONE])

    def engaged_at_end(self, urn: int, year: str) -> bool:
        """True when the school's engagement status on the year's last day is engaged."""
        row = latest(self._engagement.get(urn, ()), until=year_bounds(year)[1])
        return bool(row is not None and row[1])

    def _engaged_at_end(self, year: str) -> frozenset[int]:
        """Every school (open or not) engaged on the last day of ``year`` (cached)."""

        def build() -> frozenset[int]:
            end = year_bounds(year)[1]
            return frozenset(
                urn
                for urn, rows in self._engagement.items()
                if (row := latest(rows, until=end)) is not None and row[1]
            )

        return self._cached(("engaged at end", year), build)

    def offers(self, urn: int, year: str) -> frozenset[Offer]:
        """The offer of the school's engagement in force at the year's end (empty if none)."""
        row = latest(self._engagement.get(urn, ()), until=year_bounds(year)[1])
        return frozenset(Offer(o) for o in row[2]) if row is not None and row[1] else frozenset()

    def engaged_schools(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> list[int]:
        """Open schools (optionally of a phase / LA) engaged at the end of ``year``."""
        engaged = self._engaged_at_end(year)
        return [u for u in self._open(year, phase, la) if u in engaged]

    def unengaged_schools(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> list[int]:
        """Open schools not engaged at the end of ``year``: the hub's gap for D3."""
        engaged = self._engaged_at_end(year)
        return [u for u in self._open(year, phase, la) if u not in engaged]

    def rate(self, year: str, phase: Phase | str | None = None, la: str | None = None) -> Ratio:
        """Coverage (see class doc) of ``year``, optionally for one phase and/or LA."""
        return self._open_share(year, self._engaged_at_end(year).__contains__, phase, la)

    def by_phase(self, year: str) -> dict[Phase, Ratio]:
        """Coverage of ``year`` for each phase with an open school."""
        return {phase: self.rate(year, phase=phase) for phase in self.phases(year)}

    def by_la(self, year: str) -> dict[str, Ratio]:
        """Coverage of ``year`` for each local authority with an open school."""
        return {la: self.rate(year, la=la) for la in self.local_authorities(year)}
