"""Robust evaluation of the impact of the hub's own work on pupils (D12)."""

from __future__ import annotations

from sys import intern
from typing import Any

import attrs

from hubcore.events import (
    ImpactEvaluated,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolToSchoolSupportBrokered,
)
from hubcore.projections._base import (
    Ratio,
    RosterModel,
    latest,
    ordinal,
    shared_sorted,
    year_bounds,
    year_on,
)
from hubcore.vocabulary import ImpactProgramme, Offer, Phase, grade_rank

__all__ = ["EVALUABLE_OFFERS", "NOT_EVALUABLE_OFFERS", "ImpactEvaluations", "ImpactTotals"]

_NONE = shared_sorted(frozenset())  # the offers of a disengagement (shared, never changed)

EVALUABLE_OFFERS: dict[Offer, ImpactProgramme] = {
    Offer.WHOLE_CLASS_ENSEMBLE: ImpactProgramme.WHOLE_CLASS_ENSEMBLE,
    Offer.INSTRUMENTAL_LESSONS: ImpactProgramme.INSTRUMENTAL_LESSONS,
    Offer.ENSEMBLES: ImpactProgramme.ENSEMBLES,
    Offer.SINGING: ImpactProgramme.SINGING,
    Offer.CPD: ImpactProgramme.CPD,
    Offer.CURRICULUM_SUPPORT: ImpactProgramme.CURRICULUM_SUPPORT,
}
"""Offers whose impact on pupils' music education can be evaluated (D12), and the programme
an evaluation of each names. Brokered school-to-school support is evaluable too."""

NOT_EVALUABLE_OFFERS: frozenset[Offer] = frozenset(Offer) - frozenset(EVALUABLE_OFFERS)
"""Consultancy and music-development-plan support: advice to a school's leaders, not work
with pupils or their teachers whose impact on pupils an evaluation could show."""

_EVALUABLE = {o.value: p.value for o, p in EVALUABLE_OFFERS.items()}
_NO_PROGRAMMES: frozenset[str] = frozenset()


@attrs.frozen
class ImpactTotals:
    """Evaluations of a programme: how many, how many improved, pupils in scope."""

    evaluations: int = 0
    improved: int = 0
    pupils_in_scope: int = 0

    @property
    def improved_share(self) -> Ratio:
        """Evaluations with current_grade better than baseline / evaluations."""
        return Ratio(self.improved, self.evaluations)


@attrs.define(eq=True)
class ImpactEvaluations(RosterModel):
    """**impact** (docs/metrics.md) = evaluations per programme; share with current_grade better
    than baseline (by :func:`hubcore.vocabulary.grade_rank`); pupils in scope (D12).

    **Evaluated share** = evaluable programmes delivered in a school that have an evaluation
    in the year / evaluable programmes delivered. A programme counts as delivered in a school
    for a year when it is in the offer of an engagement in force at any time in the year
    (the evaluable offers, :data:`EVALUABLE_OFFERS`; consultancy and music-development-plan
    support are not evaluable), or, for ``school_to_school``, when support for the school
    was brokered in the year. Evaluations count by the year of ``occurred_on``.
    """

    # urn -> "year|programme" -> [evaluations, improved, pupils_in_scope]
    _evaluations: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)
    # urn -> [[ord, engaged, evaluable programmes, offers not evaluable]]
    _engagement: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)
    # urn -> [ord of each brokered support for the school]
    _supported: dict[int, list[int]] = attrs.field(factory=dict, repr=False)

    def _on_ImpactEvaluated(self, e: ImpactEvaluated) -> None:
        key = intern(f"{year_on(e.occurred_on)}|{e.programme}")
        rows = self._evaluations.setdefault(e.urn, {})
        row = rows.get(key)
        if row is None:
            row = rows[key] = [0, 0, 0]
        row[0] += 1
        row[1] += grade_rank(e.current_grade) > grade_rank(e.baseline_grade)
        row[2] += e.pupils_in_scope

    def _on_SchoolEngaged(self, e: SchoolEngaged) -> None:
        offers = sorted(_EVALUABLE[o._value_] for o in e.offer if o._value_ in _EVALUABLE)
        other = sorted(o._value_ for o in e.offer if o._value_ not in _EVALUABLE)
        row = [ordinal(e.occurred_on), True, offers, other]
        self._engagement.setdefault(e.urn, []).append(row)

    def _on_SchoolDisengaged(self, e: SchoolDisengaged) -> None:
        row = [ordinal(e.occurred_on), False, _NONE, _NONE]
        self._engagement.setdefault(e.urn, []).append(row)

    @staticmethod
    def _offered(rows: list[list[Any]], start: int, end: int, index: int) -> set[str]:
        """The offers (``index`` 2: evaluable programmes; 3: the others) of the engagements
        in force at any time from ``start`` to ``end``."""
        first = latest(rows, until=start)
        found = set(first[index]) if first is not None and first[1] else set()
        for row in rows:
            if start < row[0] <= end and row[1]:
                found.update(row[index])
        return found

    def _on_SchoolToSchoolSupportBrokered(self, e: SchoolToSchoolSupportBrokered) -> None:
        self._supported.setdefault(e.urn, []).append(ordinal(e.occurred_on))

    def totals(
        self,
        year: str,
        programme: ImpactProgramme | str | None = None,
        *,
        urn: int | None = None,
    ) -> ImpactTotals:
        """Evaluations in ``year`` (optionally of one programme and/or school)."""
        sums = [0, 0, 0]
        for u, rows in self._evaluations.items():
            if urn is not None and u != urn:
                continue
            for key, row in rows.items():
                y, prog = key.split("|")
                if y == year and (programme is None or prog == programme):
                    for i in range(3):
                        sums[i] += row[i]
        return ImpactTotals(*sums)

    def by_programme(self, year: str) -> dict[ImpactProgramme, ImpactTotals]:
        """:meth:`totals` for every programme (zero rows included)."""
        return {p: self.totals(year, p) for p in ImpactProgramme}

    def improved_share(self, year: str, programme: ImpactProgramme | str | None = None) -> Ratio:
        """Evaluations with current better than baseline / evaluations, in ``year``."""
        return self.totals(year, programme).improved_share

    def delivered(self, urn: int, year: str) -> frozenset[ImpactProgramme]:
        """Programmes delivered in the school in ``year`` (see class doc)."""
        start, end = year_bounds(year)
        programmes = self._offered(self._engagement.get(urn, []), start, end, 2)
        if any(start <= d <= end for d in self._supported.get(urn, ())):
            programmes.add(ImpactProgramme.SCHOOL_TO_SCHOOL.value)
        return frozenset(ImpactProgramme(p) for p in programmes)

    def not_evaluable(self, urn: int, year: str) -> frozenset[Offer]:
        """Offers in force in the school in ``year`` that are not evaluable (consultancy,
        music-development-plan support)."""
        start, end = year_bounds(year)
        return frozenset(
            Offer(o) for o in self._offered(self._engagement.get(urn, []), start, end, 3)
        )

    def only_not_evaluable(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> list[int]:
        """Open schools whose only work in ``year`` is not evaluable: left out of the
        evaluated share's denominator."""
        return [
            urn
            for urn in self._open(year, phase, la)
            if not self.delivered(urn, year) and self.not_evaluable(urn, year)
        ]

    def evaluated(self, urn: int, year: str) -> frozenset[ImpactProgramme]:
        """Programmes with an evaluation of the school dated in ``year``."""
        prefix = year + "|"
        return frozenset(
            ImpactProgramme(key[len(prefix) :])
            for key in self._evaluations.get(urn, {})
            if key.startswith(prefix)
        )

    def evaluated_share(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> Ratio:
        """Delivered (school, programme) pairs evaluated in ``year`` / delivered pairs."""
        delivered = evaluated = 0
        start, end = year_bounds(year)
        done = self._evaluated_in(year)
        engagement, supported = self._engagement, self._supported
        s2s = ImpactProgramme.SCHOOL_TO_SCHOOL.value
        offered = self._offered
        for urn in self._open(year, phase, la):
            # delivered() and evaluated() on the plain values, without building enum sets
            rows = engagement.get(urn)
            programmes = set() if rows is None else offered(rows, start, end, 2)
            if any(start <= d <= end for d in supported.get(urn, ())):
                programmes.add(s2s)
            delivered += len(programmes)
            if programmes:
                evaluated += len(programmes & done.get(urn, _NO_PROGRAMMES))
        return Ratio(evaluated, delivered)

    def _evaluated_in(self, year: str) -> dict[int, frozenset[str]]:
        """URN -> the programme values evaluated in ``year`` (schools with any; cached)."""

        def build() -> dict[int, frozenset[str]]:
            prefix = year + "|"
            found: dict[int, frozenset[str]] = {}
            for urn, keyed in self._evaluations.items():
                programmes = frozenset(
                    key[len(prefix) :] for key in keyed if key.startswith(prefix)
                )
                if programmes:
                    found[urn] = programmes
            return found

        return self._cached(("evaluated", year), build)
