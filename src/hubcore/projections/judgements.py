"""Quality judgements from conversations: the hub's view of each school's music (D4, D11)."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs

from hubcore.events import ConversationHeld
from hubcore.projections._base import Ratio, RosterModel, ordinal, shared_mapping, year_bounds
from hubcore.vocabulary import Area, Grade, grade_rank

__all__ = ["JudgedGrade", "JudgementProfile", "Movement", "MovementCounts"]

_EXPECTED = grade_rank(Grade.EXPECTED)


class Movement(enum.StrEnum):
    """How a school's grade in an area moved since the previous conversation judging it."""

    IMPROVED = "improved"
    SAME = "same"
    DECLINED = "declined"


@attrs.frozen
class JudgedGrade:
    """One area's latest grade for a school, with when and in which conversation."""

    area: Area
    grade: Grade
    on: date
    conversation_id: str


@attrs.frozen
class MovementCounts:
    """How many (school, area) grades improved, stayed the same or declined."""

    improved: int = 0
    same: int = 0
    declined: int = 0

    @property
    def total(self) -> int:
        """Grades with a previous judgement to compare against."""
        return self.improved + self.same + self.declined


@attrs.define(eq=True)
class JudgementProfile(RosterModel):
    """The judgement profile (docs/metrics.md): latest grade per area per school; share at or
    above ``expected``; movement since the previous conversation (improved / same /
    declined).

    "Latest" is by the conversation's date (last recorded wins a tie). Asked about an
    academic year, the profile is bounded to it: the schools open during the year, each
    with its latest grade from a conversation held during that year (a school not judged
    that year is left out, not counted from an older judgement). The movement of an
    area compares the latest grade with the one from the previous conversation that judged
    the same area, by :func:`hubcore.vocabulary.grade_rank`. Grades are the hub's own
    judgements on words borrowed from Ofsted's report-card scale; Ofsted does not grade a
    school's music on it.
    """

    _judged: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        if e.judgements:
            grades = shared_mapping(e.judgements)
            self._judged.setdefault(e.urn, []).append(
                [ordinal(e.occurred_on), e.conversation_id, grades]
            )

    def _history(self, urn: int, area: str) -> list[list[Any]]:
        rows = [r for r in self._judged.get(urn, ()) if area in r[2]]
        rows.sort(key=lambda r: r[0])  # stable: last recorded stays last on a tie
        return rows

    def _latest_rows(self, year: str | None = None) -> dict[int, dict[str, list[Any]]]:
        """urn -> area -> the row of its latest judgement (last recorded on a tie), cached;
        with ``year``, of the schools open during it and judgements made during it."""

        def build() -> dict[int, dict[str, list[Any]]]:
            if year is None:
                start, end, schools = None, None, list(self._judged)
            else:
                (start, end), schools = year_bounds(year), self.open_schools(year)
            found: dict[int, dict[str, list[Any]]] = {}
            for urn in schools:
                last: dict[str, list[Any]] = {}
                rows = self._judged.get(urn, ())
                for row in sorted(rows, key=lambda r: r[0]):  # stable, as _history
                    if start is not None and end is not None and not start <= row[0] <= end:
                        continue
                    for area in row[2]:
                        last[area] = row
                if last:
                    found[urn] = last
            return found

        return self._cached(("latest", year), build)

    def latest(self, urn: int, year: str | None = None) -> dict[Area, JudgedGrade]:
        """The school's latest grade in every area it has been judged on (with ``year``:
        judged during that year, the school open then)."""
        result = {}
        last = self._latest_rows(year).get(urn, {})
        for area in Area:
            row = last.get(area.value)
            if row is not None:
                result[area] = JudgedGrade(
                    area, Grade(row[2][area.value]), date.fromordinal(row[0]), row[1]
                )
        return result

    def judged_schools(self) -> list[int]:
        """URNs with at least one judgement."""
        return sorted(self._judged)

    def movement(self, urn: int, area: Area | str) -> Movement | None:
        """Latest grade vs the previous judgement of ``area`` (None without two)."""
        rows = self._history(urn, Area(area).value)
        if len(rows) < 2:
            return None
        now = grade_rank(Grade(rows[-1][2][Area(area).value]))
        before = grade_rank(Grade(rows[-2][2][Area(area).value]))
        if now > before:
            return Movement.IMPROVED
        return Movement.SAME if now == before else Movement.DECLINED

    def movements(self, area: Area | str | None = None) -> MovementCounts:
        """Movement counted over every (school, area), or over one area."""
        counts = dict.fromkeys(Movement, 0)
        areas = list(Area) if area is None else [Area(area)]
        for urn in self._judged:
            for a in areas:
                moved = self.movement(urn, a)
                if moved is not None:
                    counts[moved] += 1
        return MovementCounts(
            counts[Movement.IMPROVED], counts[Movement.SAME], counts[Movement.DECLINED]
        )

    def distribution(
        self, area: Area | str | None = None, year: str | None = None
    ) -> dict[Grade, int]:
        """How many latest (school, area) grades there are of each grade (with ``year``:
        bounded to it, see the class doc)."""
        counts = dict.fromkeys(Grade, 0)
        wanted = [a.value for a in Area] if area is None else [Area(area).value]
        for last in self._latest_rows(year).values():
            for a in wanted:
                row = last.get(a)
                if row is not None:
                    counts[Grade(row[2][a])] += 1
        return counts

    def share_at_or_above_expected(
        self, area: Area | str | None = None, year: str | None = None
    ) -> Ratio:
        """Latest (school, area) grades at or above ``expected`` / all latest grades (with
        ``year``: bounded to it, see the class doc)."""
        counts = self.distribution(area, year)
        good = sum(n for g, n in counts.items() if grade_rank(g) >= _EXPECTED)
        return Ratio(good, sum(counts.values()))
