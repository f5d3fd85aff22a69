"""Conversation cadence: regular challenging conversations with every school (D4)."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs

from hubcore.calendar import TermDates
from hubcore.events import ConversationHeld
from hubcore.projections._base import (
    _CLOSED,
    _REG,
    Ratio,
    RosterModel,
    day,
    latest,
    ordinal,
    year_bounds,
)
from hubcore.vocabulary import Phase

__all__ = ["DEFAULT_CADENCE_DAYS", "ConversationCadence", "DueConversation"]

DEFAULT_CADENCE_DAYS = 365
"""A school's next conversation is due this many days after its last one (or after it
joined the roster) when no date was agreed: one conversation a year."""

_TERMS = TermDates()


def _one_half_term(due: date) -> date:
    return _TERMS.grace_end(due, 1)


@attrs.frozen
class DueConversation:
    """When a school's next conversation is due, on what basis, and when it is overdue.

    ``basis``: ``"agreed"`` (the last conversation's ``next_due_on``), ``"default cadence"``
    (no date agreed: the last conversation plus the hub's cadence) or ``"no conversation
    yet"`` (the day it joined the roster plus the cadence). It is overdue on any day after
    ``grace_ends``.
    """

    urn: int
    due_on: date
    basis: str
    last_held_on: date | None
    grace_ends: date


_CHALLENGE = frozenset({"challenging", "review"})


@attrs.define(eq=True)
class ConversationCadence(RosterModel):
    """How often the hub talks with each school about quality (docs/metrics.md,
    **conversation_cadence(year)**).

    * :meth:`challenged_share`: open schools with >= 1 challenging or review conversation
      dated in the year / open schools (target 100%).
    * :meth:`median_days_between`: the median, over every pair of consecutive conversations
      of the same school (by date) whose later one falls in the year, of the days between them.
    * :meth:`overdue`: as of a day, the schools whose next conversation is due (the
      ``next_due_on`` agreed at their latest conversation on or before the day; without one,
      that conversation's date plus the hub's default cadence; with no conversation yet, the
      day the school joined the roster plus the cadence) and whose grace period after that
      date has ended before the day. The grace, by default, runs to the end of the first
      half-term that starts after the due date, so school holidays never count
      (:class:`hubcore.calendar.TermDates`). Schools closed on or before the day, or
      registered after it, are left out.
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

    def due_conversations(
        self,
        as_of: date,
        *,
        cadence_days: int = DEFAULT_CADENCE_DAYS,
        grace: Callable[[date], date] = _one_half_term,
    ) -> list[DueConversation]:
        """Every school on the roster on ``as_of``: when its next conversation is due and when
        its grace ends (see class doc); ``grace(due)`` is the grace period's last day."""
        if cadence_days < 1:
            raise ValueError(f"cadence_days must be >= 1, got {cadence_days}")
        today = ordinal(as_of)
        cadence = timedelta(days=cadence_days)
        found = []
        for urn, facts in sorted(self._roster.items()):
            if facts[_REG] > today or (facts[_CLOSED] is not None and facts[_CLOSED] <= today):
                continue
            row = latest(self._conversations.get(urn, ()), today)
            if row is None:
                held, due, basis = (
                    None,
                    date.fromordinal(facts[_REG]) + cadence,
                    "no conversation yet",
                )
            elif row[2] is not None:
                held, due, basis = date.fromordinal(row[0]), date.fromordinal(row[2]), "agreed"
            else:
                held = date.fromordinal(row[0])
                due, basis = held + cadence, "default cadence"
            found.append(DueConversation(urn, due, basis, held, grace(due)))
        return found

    def overdue(
        self,
        as_of: date,
        *,
        cadence_days: int = DEFAULT_CADENCE_DAYS,
        grace: Callable[[date], date] = _one_half_term,
    ) -> list[int]:
        """Schools whose next conversation is overdue on ``as_of`` (see class doc)."""
        return [
            d.urn
            for d in self.due_conversations(as_of, cadence_days=cadence_days, grace=grace)
            if d.grace_ends < as_of
        ]
