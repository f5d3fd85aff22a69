"""Training and CPD ledger: expert training for schools (D6) and the hub's own staff (D7)."""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from typing import Any

import attrs

from hubcore.events import HubStaffTrained, TrainingDelivered
from hubcore.projections._base import Ratio, RosterModel, year_on
from hubcore.vocabulary import Phase, TrainingFormat, TrainingTopic

__all__ = ["HubTrainingTotals", "TrainingLedger", "TrainingTotals"]


@attrs.frozen
class TrainingTotals:
    """Training delivered to schools: sessions, hours (sum of session hours), staff trained."""

    sessions: int = 0
    hours: float = 0.0
    staff_trained: int = 0


@attrs.frozen
class HubTrainingTotals:
    """Training of the hub's own staff: sessions, hours, staff, and staff-hours."""

    sessions: int = 0
    hours: float = 0.0
    staff: int = 0
    staff_hours: float = 0.0


@attrs.define(eq=True)
class TrainingLedger(RosterModel):
    """The training/CPD ledger (docs/metrics.md):

    * **training reach** = schools with >= 1 ``TrainingDelivered`` dated in the year /
      schools open during the year;
    * total hours and staff trained, by topic and format (D6): sums over the year's
      ``TrainingDelivered`` events (hours are session hours, not staff-hours);
    * hub staff training hours (D7): sums over the year's ``HubStaffTrained`` events.
    """

    # urn -> "year|topic|format" -> [sessions, hours, staff_trained]
    _delivered: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)
    # hub_id -> "year|topic" -> [sessions, hours, staff, staff_hours]
    _hub: dict[str, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    _HUB_KEYED = frozenset({"_hub"})

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        key = intern(f"{year_on(e.occurred_on)}|{e.topic}|{e.format}")
        rows = self._delivered.setdefault(e.urn, {})
        row = rows.get(key)
        if row is None:
            row = rows[key] = [0, 0, 0]
        row[0] += 1
        row[1] += e.hours
        row[2] += e.staff_trained

    def _on_HubStaffTrained(self, e: HubStaffTrained) -> None:
        key = intern(f"{year_on(e.occurred_on)}|{e.topic}")
        rows = self._hub.setdefault(e.hub_id, {})
        row = rows.get(key)
        if row is None:
            row = rows[key] = [0, 0, 0, 0]
        row[0] += 1
        row[1] += e.hours
        row[2] += e.staff_count
        row[3] += e.hours * e.staff_count

    def _trained_in(self, urn: int, year: str) -> bool:
        prefix = year + "|"
        return any(k.startswith(prefix) for k in self._delivered.get(urn, ()))

    def reach(self, year: str, phase: Phase | str | None = None, la: str | None = None) -> Ratio:
        """Training reach (see class doc), optionally for one phase and/or LA."""
        return self._open_share(year, lambda u: self._trained_in(u, year), phase, la)

    def schools_trained(self, year: str) -> list[int]:
        """Schools with >= 1 ``TrainingDelivered`` dated in ``year``."""
        return [u for u in sorted(self._delivered) if self._trained_in(u, year)]

    def _year(self, year: str) -> list[tuple[str, str, list[Any]]]:
        """(topic, format, [sessions, hours, staff]) of ``year``, in fold order (cached)."""

        def build() -> list[tuple[str, str, list[Any]]]:
            found = []
            for rows in self._delivered.values():
                for key, row in rows.items():
                    y, topic, fmt = key.split("|")
                    if y == year:
                        found.append((topic, fmt, row))
            return found

        return self._cached(("year", year), build)

    def _sum(self, year: str, keep: Callable[[str, str], bool]) -> TrainingTotals:
        sessions = staff = 0
        hours = 0.0
        for topic, fmt, row in self._year(year):
            if keep(topic, fmt):
                sessions += row[0]
                hours += row[1]
                staff += row[2]
        return TrainingTotals(sessions, hours, staff)

    def totals(
        self,
        year: str,
        topic: TrainingTopic | str | None = None,
        format: TrainingFormat | str | None = None,
    ) -> TrainingTotals:
        """Sessions, hours and staff trained in ``year`` (optionally one topic / format)."""
        if topic is None or format is None:
            group = (None if topic is None else str(topic), None if format is None else str(format))
            acc = self._groups(year).get(group)
            return TrainingTotals() if acc is None else TrainingTotals(acc[0], acc[1], acc[2])
        return self._sum(year, lambda t, f: t == topic and f == format)

    def _groups(self, year: str) -> dict[tuple[str | None, str | None], list[Any]]:
        """(topic or None, format or None) -> [sessions, hours, staff] of ``year``: every
        topic's, every format's and the year's totals in one pass (cached). Each is summed
        in the year's fold order, as :meth:`_sum` sums it, so the float hours are the same
        to the bit; a group with no row is left out."""

        def build() -> dict[tuple[str | None, str | None], list[Any]]:
            groups: dict[tuple[str | None, str | None], list[Any]] = {}
            for topic, fmt, row in self._year(year):
                for group in ((None, None), (topic, None), (None, fmt)):
                    acc = groups.get(group)
                    if acc is None:
                        acc = groups[group] = [0, 0.0, 0]
                    acc[0] += row[0]
                    acc[1] += row[1]
                    acc[2] += row[2]
            return groups

        return self._cached(("groups", year), build)

    def by_topic(self, year: str) -> dict[TrainingTopic, TrainingTotals]:
        """:meth:`totals` for every topic (zero rows included)."""
        return {t: self.totals(year, topic=t) for t in TrainingTopic}

    def by_format(self, year: str) -> dict[TrainingFormat, TrainingTotals]:
        """:meth:`totals` for every format (zero rows included)."""
        return {f: self.totals(year, format=f) for f in TrainingFormat}

    def hub_staff_training(
        self, year: str, hub_id: str | None = None, topic: TrainingTopic | str | None = None
    ) -> HubTrainingTotals:
        """Training of hub staff in ``year`` (all hubs, or one), optionally one topic."""
        sessions = staff = 0
        hours = staff_hours = 0.0
        for hub, rows in self._hub.items():
            if hub_id is not None and hub != hub_id:
                continue
            for key, row in rows.items():
                y, t = key.split("|")
                if y == year and (topic is None or t == topic):
                    sessions += row[0]
                    hours += row[1]
                    staff += row[2]
                    staff_hours += row[3]
        return HubTrainingTotals(sessions, hours, staff, staff_hours)
