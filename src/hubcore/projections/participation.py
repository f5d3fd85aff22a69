"""Participation breadth: who takes part, and are disadvantaged and SEND pupils represented (W2)."""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern

import attrs

from hubcore.calendar import previous_academic_year
from hubcore.events import ParticipationRecorded
from hubcore.projections._base import Ratio, RosterModel
from hubcore.vocabulary import ParticipationProgramme, Phase

__all__ = ["REPRESENTATION_FLAG", "TUITION", "ParticipationBreadth", "ParticipationTotals"]

TUITION: frozenset[ParticipationProgramme] = frozenset(
    {
        ParticipationProgramme.TUITION_INDIVIDUAL,
        ParticipationProgramme.TUITION_SMALL_GROUP,
        ParticipationProgramme.TUITION_LARGE_GROUP,
    }
)
"""Paid tuition: the programmes whose pupils can have fee remission."""

REPRESENTATION_FLAG = 0.8
"""A representation index below this flags W2 (DOMAIN.md 5)."""

_WCET = ParticipationProgramme.WHOLE_CLASS_ENSEMBLE.value
_RECORDS, _PUPILS, _PP, _SEND, _REMIT, _CONT, _TERMS, _EST = range(8)


@attrs.frozen
class ParticipationTotals:
    """Summed ``ParticipationRecorded`` counts (participations, not distinct pupils)."""

    records: int = 0
    pupils: int = 0
    pupil_premium: int = 0
    send: int = 0
    fee_remission: int = 0
    continuing_from_wcet: int = 0
    wcet_terms: int = 0
    estimated_records: int = 0


@attrs.define(eq=True)
class ParticipationBreadth(RosterModel):
    """Participation (DOMAIN.md 5). Counts are participations: one pupil in two ensembles
    counts twice, and records for several terms of a year add up, as the funder counts.

    * **participation rate** by programme = participations / pupils_on_roll, over the
      selected open schools (one school, or a phase / LA, or all), by key stage where known
      (the key-stage filter narrows the participations; the roll stays the whole roll);
    * **disadvantaged representation index** = (pupil_premium / pupils among participants) /
      (disadvantaged_pct / 100 of the school); over several schools the expected share is
      their disadvantaged_pct weighted by participations. Schools without a
      disadvantaged_pct are left out; 1.0 is proportional, below 0.8 flags W2;
    * **SEND representation index** = (send / pupils among participants) / the hub's SEND
      share (a fraction, given by the caller; None when unknown);
    * **remission share** = fee_remission / pupils in paid tuition (:data:`TUITION`);
    * **continuation after whole-class teaching** = continuing_from_wcet recorded in the
      year / whole_class_ensemble pupils of the previous year, both over the same schools:
      those open in the year that had whole-class pupils the year before.
    """

    # urn -> "year|programme|key_stage" -> [records, pupils, pp, send, remission, continuing,
    #                                       wcet_terms, estimated_records]
    _counts: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        ks = "" if e.key_stage is None else str(e.key_stage)
        key = intern(f"{e.academic_year}|{e.programme}|{ks}")
        row = self._counts.setdefault(e.urn, {}).setdefault(key, [0] * 8)
        row[_RECORDS] += 1
        row[_PUPILS] += e.pupils
        row[_PP] += e.pupil_premium
        row[_SEND] += e.send
        row[_REMIT] += e.fee_remission
        row[_CONT] += e.continuing_from_wcet or 0
        row[_TERMS] += e.wcet_terms or 0
        row[_EST] += e.estimated

    # -- selection helpers ---------------------------------------------------------------

    def _schools(
        self, year: str, urn: int | None, phase: Phase | str | None, la: str | None
    ) -> list[int]:
        return [urn] if urn is not None else self.open_schools(year, phase, la)

    def _rows(
        self,
        urn: int,
        year: str,
        programmes: Iterable[str] | None = None,
        key_stage: int | None = None,
    ) -> list[list[int]]:
        wanted = None if programmes is None else set(programmes)
        result = []
        for key, row in self._counts.get(urn, {}).items():
            y, prog, ks = key.split("|")
            if y != year or (wanted is not None and prog not in wanted):
                continue
            if key_stage is not None and ks != str(key_stage):
                continue
            result.append(row)
        return result

    @staticmethod
    def _progs(programme: ParticipationProgramme | str | None) -> list[str] | None:
        return None if programme is None else [ParticipationProgramme(programme).value]

    # -- queries -------------------------------------------------------------------------

    def schools_with_data(self, year: str) -> list[int]:
        """Schools with any participation recorded for ``year``."""
        return [u for u in sorted(self._counts) if self._rows(u, year)]

    def totals(
        self,
        year: str,
        programme: ParticipationProgramme | str | None = None,
        *,
        key_stage: int | None = None,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> ParticipationTotals:
        """Summed counts for ``year`` over the selected schools (see class doc)."""
        sums = [0] * 8
        for u in self._schools(year, urn, phase, la):
            for row in self._rows(u, year, self._progs(programme), key_stage):
                for i in range(8):
                    sums[i] += row[i]
        return ParticipationTotals(
            records=sums[_RECORDS],
            pupils=sums[_PUPILS],
            pupil_premium=sums[_PP],
            send=sums[_SEND],
            fee_remission=sums[_REMIT],
            continuing_from_wcet=sums[_CONT],
            wcet_terms=sums[_TERMS],
            estimated_records=sums[_EST],
        )

    def rate(
        self,
        year: str,
        programme: ParticipationProgramme | str | None = None,
        *,
        key_stage: int | None = None,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> Ratio:
        """Participations / pupils_on_roll over the selected schools (see class doc)."""
        schools = self._schools(year, urn, phase, la)
        pupils = sum(
            row[_PUPILS]
            for u in schools
            for row in self._rows(u, year, self._progs(programme), key_stage)
        )
        return Ratio(pupils, sum(self._roll(u) for u in schools))

    def by_programme(self, year: str) -> dict[ParticipationProgramme, Ratio]:
        """:meth:`rate` of every programme over all open schools."""
        return {p: self.rate(year, p) for p in ParticipationProgramme}

    def disadvantaged_index(
        self,
        year: str,
        programme: ParticipationProgramme | str | None = None,
        *,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> float | None:
        """Disadvantaged representation index (see class doc); None when undefined."""
        pupils = pp = 0
        expected = 0.0
        for u in self._schools(year, urn, phase, la):
            dpct = self._dpct(u)
            if dpct is None:
                continue
            for row in self._rows(u, year, self._progs(programme)):
                pupils += row[_PUPILS]
                pp += row[_PP]
                expected += row[_PUPILS] * dpct / 100
        if pupils == 0 or expected == 0:
            return None
        return (pp / pupils) / (expected / pupils)

    def send_index(
        self,
        year: str,
        send_share: float | None,
        programme: ParticipationProgramme | str | None = None,
        *,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> float | None:
        """SEND representation index against ``send_share`` (a fraction); None if unknown."""
        if not send_share:
            return None
        t = self.totals(year, programme, urn=urn, phase=phase, la=la)
        return None if t.pupils == 0 else (t.send / t.pupils) / send_share

    def remission_share(
        self,
        year: str,
        *,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> Ratio:
        """Fee remission / pupils in paid tuition over the selected schools."""
        remitted = pupils = 0
        for u in self._schools(year, urn, phase, la):
            for row in self._rows(u, year, (p.value for p in TUITION)):
                remitted += row[_REMIT]
                pupils += row[_PUPILS]
        return Ratio(remitted, pupils)

    def continuation(
        self,
        year: str,
        *,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> Ratio:
        """Continuation after whole-class teaching (see class doc)."""
        before = previous_academic_year(year)
        continuing = wcet = 0
        for u in self._schools(year, urn, phase, la):
            last_year = sum(row[_PUPILS] for row in self._rows(u, before, [_WCET]))
            if last_year == 0:
                continue
            wcet += last_year
            continuing += sum(row[_CONT] for row in self._rows(u, year))
        return Ratio(continuing, wcet)
