"""School-to-school support (D10) and the hub's network of partners (W3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from hubcore.events import PartnerJoined, SchoolToSchoolSupportBrokered
from hubcore.projections._base import (
    RosterModel,
    keep_by_year,
    known_from,
    latest_by_year,
    ordinal,
    year_bounds,
)
from hubcore.vocabulary import Area, PartnerKind

__all__ = ["Partner", "SchoolToSchool", "SupportLink"]


@attrs.frozen
class SupportLink:
    """Support brokered for ``supported_urn`` from ``lead_urn``."""

    supported_urn: int
    lead_urn: int
    focus: Area
    brokered_on: date


@attrs.frozen
class Partner:
    """A partner of a hub."""

    hub_id: str
    partner_id: str
    name: str
    kind: PartnerKind
    joined_on: date


@attrs.define(eq=True)
class SchoolToSchool(RosterModel):
    """**school-to-school** (docs/metrics.md): pairs brokered, lead schools, schools supported
    (D10); partners by kind (W3).

    A *pair* is a distinct (supported school, lead school) brokered in the period (brokering
    the same pair twice, e.g. on two foci, is one pair). Partners count once per
    (hub, partner_id), with the details of their latest ``PartnerJoined``; asked about a
    year, only partners that joined by its end count, with their details as they stood then.
    """

    # supported urn -> [[ord, lead_urn, focus]]
    _links: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)
    # hub_id -> partner_id -> [year, [ord, name, kind], ...] (see keep_by_year)
    _partners: dict[str, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    _HUB_KEYED = frozenset({"_partners"})

    def _on_SchoolToSchoolSupportBrokered(self, e: SchoolToSchoolSupportBrokered) -> None:
        row = [ordinal(e.occurred_on), e.lead_urn, e.focus._value_]
        self._links.setdefault(e.urn, []).append(row)

    def _on_PartnerJoined(self, e: PartnerJoined) -> None:
        on = ordinal(e.occurred_on)
        buckets = self._partners.setdefault(e.hub_id, {}).setdefault(e.partner_id, [])
        keep_by_year(buckets, known_from(on), [on, e.name, e.kind._value_])

    def links(self, year: str | None = None) -> list[SupportLink]:
        """Every brokered support (in ``year`` if given), by date then school."""
        lo, hi = (0, 10**7) if year is None else year_bounds(year)
        result = [
            SupportLink(urn, row[1], Area(row[2]), date.fromordinal(row[0]))
            for urn, rows in self._links.items()
            for row in rows
            if lo <= row[0] <= hi
        ]
        result.sort(key=lambda s: (s.brokered_on, s.supported_urn, s.lead_urn, s.focus))
        return result

    def pairs(self, year: str | None = None) -> frozenset[tuple[int, int]]:
        """Distinct (supported, lead) pairs brokered (in ``year`` if given)."""
        return frozenset((s.supported_urn, s.lead_urn) for s in self.links(year))

    def lead_schools(self, year: str | None = None) -> frozenset[int]:
        """Schools that lead support for another (in ``year`` if given)."""
        return frozenset(s.lead_urn for s in self.links(year))

    def schools_supported(self, year: str | None = None) -> frozenset[int]:
        """Schools supported by another (in ``year`` if given)."""
        return frozenset(s.supported_urn for s in self.links(year))

    def partners(self, hub_id: str | None = None, year: str | None = None) -> list[Partner]:
        """Partners of one hub (or all), by hub then partner id; with ``year``, those that
        joined by its end, as they stood then."""
        return [
            Partner(hub, pid, row[1], PartnerKind(row[2]), date.fromordinal(row[0]))
            for hub in sorted(self._partners)
            if hub_id is None or hub == hub_id
            for pid, buckets in sorted(self._partners[hub].items())
            if (row := latest_by_year(buckets, year)) is not None
        ]

    def partners_by_kind(
        self, hub_id: str | None = None, year: str | None = None
    ) -> dict[PartnerKind, int]:
        """How many partners of each kind (every kind listed, zeros included); ``year`` as
        for :meth:`partners`."""
        counts = dict.fromkeys(PartnerKind, 0)
        for partner in self.partners(hub_id, year):
            counts[partner.kind] += 1
        return counts
