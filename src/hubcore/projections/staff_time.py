"""Strategic versus direct staff time (D8)."""

from __future__ import annotations

from sys import intern
from typing import Any

import attrs

from hubcore.events import StaffTimeLogged
from hubcore.projections._base import Ratio, ReadModel, year_on
from hubcore.vocabulary import StaffRole

__all__ = ["DEFAULT_STRATEGIC_TARGET", "HUB_ROLES", "StaffHours", "StaffTime"]

DEFAULT_STRATEGIC_TARGET = 0.20
"""The default strategic-share target (docs/metrics.md: "target set by the hub (default 20%)")."""

HUB_ROLES: frozenset[StaffRole] = frozenset(
    {StaffRole.LEADER, StaffRole.ADVISER, StaffRole.TEACHER}
)
"""The hub's own roles: the strategic share leaves partners' time out unless asked."""


@attrs.frozen
class StaffHours:
    """Logged hours split strategic / teaching / other."""

    strategic: float = 0.0
    teaching: float = 0.0
    other: float = 0.0

    @property
    def total(self) -> float:
        """strategic + teaching + other."""
        return self.strategic + self.teaching + self.other


@attrs.define(eq=True)
class StaffTime(ReadModel):
    """**strategic share** (docs/metrics.md) = strategic_hours / (strategic + teaching + other)
    over the year, for hub roles (D8); target set by the hub (default 20%).

    A ``StaffTimeLogged`` period counts in the academic year its ``period_start`` falls in.
    "Hub roles" default to :data:`HUB_ROLES` (leader, adviser, teacher); pass ``roles`` to
    include partners.
    """

    # hub_id -> "year|role" -> [strategic, teaching, other, records]
    _hours: dict[str, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    _HUB_KEYED = frozenset({"_hours"})

    def _on_StaffTimeLogged(self, e: StaffTimeLogged) -> None:
        key = intern(f"{year_on(e.period_start)}|{e.staff_role}")
        rows = self._hours.setdefault(e.hub_id, {})
        row = rows.get(key)
        if row is None:
            row = rows[key] = [0, 0, 0, 0]
        row[0] += e.strategic_hours
        row[1] += e.teaching_hours
        row[2] += e.other_hours
        row[3] += 1

    def hubs(self) -> list[str]:
        """Hubs with logged time."""
        return sorted(self._hours)

    def hours(
        self,
        year: str,
        hub_id: str | None = None,
        roles: frozenset[StaffRole] | None = None,
    ) -> StaffHours:
        """Hours logged for ``year`` (one hub or all; ``roles`` default :data:`HUB_ROLES`)."""
        wanted = {r.value for r in (HUB_ROLES if roles is None else roles)}
        totals = [0.0, 0.0, 0.0]
        for hub, rows in self._hours.items():
            if hub_id is not None and hub != hub_id:
                continue
            for key, row in rows.items():
                y, role = key.split("|")
                if y == year and role in wanted:
                    for i in range(3):
                        totals[i] += row[i]
        return StaffHours(*totals)

    def records(
        self,
        year: str,
        hub_id: str | None = None,
        roles: frozenset[StaffRole] | None = None,
    ) -> int:
        """How many ``StaffTimeLogged`` records ``hours`` adds up (the evidence behind it)."""
        wanted = {r.value for r in (HUB_ROLES if roles is None else roles)}
        return sum(
            row[3]
            for hub, rows in self._hours.items()
            if hub_id is None or hub == hub_id
            for key, row in rows.items()
            if key.split("|")[0] == year and key.split("|")[1] in wanted
        )

    def strategic_share(
        self,
        year: str,
        hub_id: str | None = None,
        roles: frozenset[StaffRole] | None = None,
    ) -> Ratio:
        """Strategic hours / all logged hours in ``year`` (see class doc)."""
        hours = self.hours(year, hub_id, roles)
        return Ratio(hours.strategic, hours.total)

    def meets_target(
        self, year: str, hub_id: str | None = None, target: float = DEFAULT_STRATEGIC_TARGET
    ) -> bool | None:
        """True when the strategic share reaches ``target`` (None without logged time)."""
        return self.strategic_share(year, hub_id).meets(target)
