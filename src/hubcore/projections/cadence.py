"""Conversation cadence: regular challenging conversations with every school (D4)."""

from __future__ import annotations

import itertools
import statistics
from datetime import date
from typing import Any

import attrs

from hubcore.events import ConversationHeld
from hubcore.projections._base import Ratio, RosterModel, day, latest, ordinal, year_bounds
from hubcore.vocabulary import Phase

__all__ = ["ConversationCadence"]

_CHALLENGE = frozenset({"challenging", "review"})


@attrs.define(eq=True)
class ConversationCadence(RosterModel):
    """How often the hub talks with each school about quality (docs/metrics.md,
    **conversation_cadence(year)**).

    * :meth:`challenged_share`: open schools with >= 1 challenging or review conversation
      dated in the year / open schools (target 100%).
    * :meth:`median_days_between`: the median, over every pair of consecutive conversations
      of the same school (by date) whose later one falls in the year, of the days between them.
    * :meth:`overdue`: schools whose latest next_due_on has passed with no later
      conversation, as of a day: the school's latest conversation on or before the day set a
      ``next_due_on`` earlier than the day. Schools closed on or before the day are left out.
    """

    _conversations: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        due = None if e.next_due_on is None else ordinal(e.next_due_on)
        row = [ordinal(e.occurred_on), e.kind._value_, due]
        self._conversations.setdefault(e.urn, []).append(row)

    def _held_in(self, urn: int, year: str, kinds: frozenset[str] | None = None) -> int:
        start, end = year_bounds(year)
        return sum(
            1
            for row in self._conversations.get(urn, ())
            if start <= row[0] <= end and (kinds is None or row[1] in kinds)
        )

    def conversations_held(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> int:
        """Conversations of any kind dated in ``year`` with schools open during it."""
        return sum(self._held_in(u, year) for u in self.open_schools(year, phase, la))

    def challenged_share(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Open schools with >= 1 challenging or review conversation in ``year`` / open."""
        return self._open_share(year, self._talked_in(year, _CHALLENGE).__contains__, phase, la)

    def _talked_in(self, year: str, kinds: frozenset[str] | None = None) -> frozenset[int]:
        """Every school (open or not) with a conversation (of ``kinds``) dated in ``year``
        (cached)."""

        def build() -> frozenset[int]:
            start, end = year_bounds(year)
            return frozenset(
                urn
                for urn, rows in self._conversations.items()
                if any(
                    start <= row[0] <= end and (kinds is None or row[1] in kinds) for row in rows
                )
            )

        return self._cached(("talked", year, kinds), build)

    def schools_talked_to(self, year: str) -> frozenset[int]:
        """Schools (open or not) with a conversation of any kind dated in ``year``: those
        whose :meth:`last_conversation` as of the year's last day falls in the year, found in
        one pass."""
        return self._talked_in(year)

    def unchallenged_schools(self, year: str) -> list[int]:
        """Open schools with no challenging or review conversation in ``year``."""
        challenged = self._talked_in(year, _CHALLENGE)
        return [u for u in self._open(year, None, None) if u not in challenged]

    def gaps_days(self, year: str | None = None) -> list[int]:
        """Days between consecutive conversations of each school (later one in ``year``)."""

        def build() -> list[int]:
            bounds = None if year is None else year_bounds(year)
            gaps: list[int] = []
            for rows in self._conversations.values():
                dates = sorted(row[0] for row in rows)
                for before, after in itertools.pairwise(dates):
                    if bounds is None or bounds[0] <= after <= bounds[1]:
                        gaps.append(after - before)
            return gaps

        return list(self._cached(("gaps", year), build))  # a copy: the cached list is shared

    def median_days_between(self, year: str | None = None) -> float | None:
        """Median of :meth:`gaps_days` (None when no school has two conversations)."""
        gaps = self.gaps_days(year)
        return float(statistics.median(gaps)) if gaps else None

    def last_conversation(self, urn: int, as_of: date | None = None) -> date | None:
        """Date of the school's latest conversation (on or before ``as_of`` if given)."""
        row = latest(self._conversations.get(urn, ()), None if as_of is None else ordinal(as_of))
        return None if row is None else day(row[0])

    def next_due(self, urn: int, as_of: date | None = None) -> date | None:
        """The next_due_on set by the school's latest conversation (on/before ``as_of``)."""
        row = latest(self._conversations.get(urn, ()), None if as_of is None else ordinal(as_of))
        return None if row is None else day(row[2])

    def overdue(self, as_of: date) -> list[int]:
        """Schools whose latest next_due_on is before ``as_of`` with no later conversation."""
        today = ordinal(as_of)
        result = []
        for urn, rows in sorted(self._conversations.items()):
            facts = self._roster.get(urn)
            if facts is None or (facts[1] is not None and facts[1] <= today):
                continue
            row = latest(rows, today)
            if row is not None and row[2] is not None and row[2] < today:
                result.append(urn)
        return result
