"""Each open school's facts of a year, and their sums over a group of schools.

One pass over the open schools gives every breakdown (by local authority, phase and FSM
band): each school counts once in its group, with its details as they stood at the
year's end (year-true, docs/year-truth.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from hubcore.projections import (
    ConversationCadence,
    Coverage,
    ParticipationBreadth,
    Ratio,
    TrainingLedger,
)
from hubcore.vocabulary import Phase

__all__ = ["SchoolRow", "Tally", "school_rows", "tally"]


@attrs.frozen
class SchoolRow:
    """One open school in a year: where it belongs and what the hub did with it."""

    urn: int
    la_code: str
    phase: Phase
    fsm_pct: float | None
    engaged: bool
    """Engaged at the year's end (coverage, D3)."""
    challenged: bool
    """Had a challenging or review conversation dated in the year (cadence, D4)."""
    trained: bool
    """Had training delivered dated in the year (training reach, D6)."""
    records: int
    """Participation records for the year."""
    participations: int
    roll: int
    """Pupils on roll at the year's end."""


@attrs.define
class Tally:
    """Sums over a group of open schools."""

    schools: int = 0
    engaged: int = 0
    challenged: int = 0
    trained: int = 0
    records: int = 0
    participations: int = 0
    roll: int = 0

    def add(self, row: SchoolRow) -> None:
        """Count one school in."""
        self.schools += 1
        self.engaged += row.engaged
        self.challenged += row.challenged
        self.trained += row.trained
        self.records += row.records
        self.participations += row.participations
        self.roll += row.roll

    @property
    def coverage(self) -> Ratio:
        """Engaged at the year's end / open schools."""
        return Ratio(self.engaged, self.schools)

    @property
    def cadence(self) -> Ratio:
        """With a challenging or review conversation in the year / open schools."""
        return Ratio(self.challenged, self.schools)

    @property
    def training_reach(self) -> Ratio:
        """With training delivered in the year / open schools."""
        return Ratio(self.trained, self.schools)

    @property
    def participation_rate(self) -> Ratio:
        """Participations / pupils on roll."""
        return Ratio(self.participations, self.roll)


def school_rows(
    year: str,
    coverage: Coverage,
    cadence: ConversationCadence,
    training: TrainingLedger,
    participation: ParticipationBreadth,
) -> list[SchoolRow]:
    """Every school open during ``year``, by URN, with its facts at the year's end."""
    engaged = set(coverage.engaged_schools(year))
    unchallenged = set(cadence.unchallenged_schools(year))
    trained = set(training.schools_trained(year))
    rows: list[SchoolRow] = []
    for urn in coverage.open_schools(year):
        facts = coverage.school(urn, year)
        if facts is None:  # open in the year means registered by its end; never reached
            continue
        totals = participation.totals(year, urn=urn)
        rows.append(
            SchoolRow(
                urn=urn,
                la_code=facts.la_code,
                phase=facts.phase,
                fsm_pct=facts.disadvantaged_pct,
                engaged=urn in engaged,
                challenged=urn not in unchallenged,
                trained=urn in trained,
                records=totals.records,
                participations=totals.pupils,
                roll=facts.pupils_on_roll,
            )
        )
    return rows


def tally(rows: Iterable[SchoolRow], key: Callable[[SchoolRow], str]) -> dict[str, Tally]:
    """The rows summed per group (``key`` names a row's group), in first-seen order."""
    groups: dict[str, Tally] = {}
    for row in rows:
        groups.setdefault(key(row), Tally()).add(row)
    return groups
