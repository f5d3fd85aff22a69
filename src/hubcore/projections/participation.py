"""Participation breadth: who takes part, and are disadvantaged and SEND pupils represented (W2)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import add
from sys import intern
from typing import Any

import attrs

from hubcore.calendar import previous_academic_year
from hubcore.events import ParticipationRecorded
from hubcore.projections._base import _DPCT, _PHASE, _SPCT, Ratio, RosterModel
from hubcore.vocabulary import ParticipationProgramme, Phase

__all__ = [
    "REPRESENTATION_FLAG",
    "TUITION",
    "ParticipationBreadth",
    "ParticipationTotals",
    "SendRepresentation",
]

TUITION: frozenset[ParticipationProgramme] = frozenset(
    {
        ParticipationProgramme.TUITION_INDIVIDUAL,
        ParticipationProgramme.TUITION_SMALL_GROUP,
        ParticipationProgramme.TUITION_LARGE_GROUP,
    }
)
"""Paid tuition: the programmes whose pupils can have fee remission."""

REPRESENTATION_FLAG = 0.8
"""A representation index below this flags W2 (docs/metrics.md)."""

_WCET = ParticipationProgramme.WHOLE_CLASS_ENSEMBLE.value
_RECORDS, _PUPILS, _PP, _SEND, _REMIT, _CONT, _TERMS, _EST = range(8)
_Dis = list[Any]  # [pupils, pupil premium, expected disadvantaged participations (float)]


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


@attrs.frozen
class SendRepresentation:
    """The SEND representation index of a selection of schools, and what it rests on.

    ``index`` = (SEND participations / participations) / (expected SEND participations /
    participations), over the schools with a SEND share; None when there are none.
    The school counts say where each school's share came from (schools with participations
    only): its own recorded ``send_pct``, 100% as a special school, or the fallback.
    """

    index: float | None
    participations: int = 0
    send: int = 0
    expected: float = 0.0
    """Participations times each school's SEND share, summed."""
    own_share: int = 0
    special: int = 0
    fallback: int = 0
    unknown: int = 0
    """Schools left out: no recorded share, not special, and no fallback given."""


_SPECIAL = Phase.SPECIAL.value
_KEYS: dict[tuple[str, str, int | None], str] = {}  # see _row_key


def _row_key(year: str, programme: ParticipationProgramme, key_stage: int | None) -> str:
    """The interned ``"year|programme|key_stage"`` key of a participation row (remembered
    in ``_KEYS``, up to a bound: past it, keys are built each time, equal either way)."""
    ks = "" if key_stage is None else str(key_stage)
    key = intern(f"{year}|{programme}|{ks}")
    if len(_KEYS) < 1 << 16:
        _KEYS[year, programme._value_, key_stage] = key
    return key


@attrs.define(eq=True)
class ParticipationBreadth(RosterModel):
    """Participation (docs/metrics.md). Counts are participations: one pupil in two ensembles
    counts twice, and records for several terms of a year add up, as the funder counts.

    * **participation rate** by programme = participations / pupils_on_roll, over the
      selected open schools (one school, or a phase / LA, or all), by key stage where known
      (the key-stage filter narrows the participations; the roll stays the whole roll, as
      it stood at the year's end, see :class:`RosterModel`);
    * **disadvantaged representation index** = (pupil_premium / pupils among participants) /
      (disadvantaged_pct / 100 of the school); over several schools the expected share is
      their disadvantaged_pct weighted by participations. Schools without a
      disadvantaged_pct are left out; 1.0 is proportional, below 0.8 flags W2;
    * **SEND representation index** = (send / pupils among participants) / the school's
      SEND share: its own recorded ``send_pct``; else 100% for a special school; else the
      caller's fallback (a national average, a fraction), or the school is left out. Over
      several schools the expected share is their shares weighted by participations, as
      for the disadvantaged index (:class:`SendRepresentation` says which schools used what);
    * **remission share** = fee_remission / pupils in paid tuition (:data:`TUITION`);
    * **continuation after whole-class teaching** = continuing_from_wcet recorded in the
      year / whole_class_ensemble pupils of the previous year, both over the same schools:
      those open in the year that had whole-class pupils the year before.
    """

    # urn -> "year|programme|key_stage" -> [records, pupils, pp, send, remission, continuing,
    #                                       wcet_terms, estimated_records]
    _counts: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        # the hot handler (about half the log's events): the row key is looked up, built
        # and interned once per distinct (year, programme, key stage)
        ks = e.key_stage
        key = _KEYS.get((e.academic_year, e.programme._value_, ks))
        if key is None:
            key = _row_key(e.academic_year, e.programme, ks)
        rows = self._counts.setdefault(e.urn, {})
        row = rows.get(key)
        if row is None:
            row = rows[key] = [0] * 8
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
    ) -> tuple[int, ...]:
        return (urn,) if urn is not None else self._open(year, phase, la)

    def _year(self, year: str) -> dict[int, list[tuple[str, str, list[int]]]]:
        """urn -> [(programme, key stage, counts)] for ``year``, in fold order (cached)."""
        return self._years().get(year, {})

    def _years(self) -> dict[str, dict[int, list[tuple[str, str, list[int]]]]]:
        """year -> urn -> [(programme, key stage, counts)]: every key split once (cached)."""

        def build() -> dict[str, dict[int, list[tuple[str, str, list[int]]]]]:
            index: dict[str, dict[int, list[tuple[str, str, list[int]]]]] = {}
            parts: dict[str, list[str]] = {}  # few distinct keys: each split once
            for urn, keyed in self._counts.items():
                for key, row in keyed.items():
                    split = parts.get(key)
                    if split is None:
                        split = parts[key] = key.split("|")
                    y, prog, ks = split
                    by_urn = index.get(y)
                    if by_urn is None:
                        by_urn = index[y] = {}
                    rows = by_urn.get(urn)
                    if rows is None:
                        by_urn[urn] = [(prog, ks, row)]
                    else:
                        rows.append((prog, ks, row))
            return index

        return self._cached("years", build)

    def _by_programme(self, year: str) -> dict[str, list[tuple[int, str, list[int]]]]:
        """programme -> [(urn, key stage, counts)] for ``year``, by URN then in fold order
        (cached)."""

        def build() -> dict[str, list[tuple[int, str, list[int]]]]:
            index: dict[str, list[tuple[int, str, list[int]]]] = {}
            for urn, rows in sorted(self._year(year).items()):
                for prog, ks, row in rows:
                    index.setdefault(prog, []).append((urn, ks, row))
            return index

        return self._cached(("programme", year), build)

    def _sums(self, year: str, programme: str | None) -> dict[int, list[int]]:
        """urn -> counts of ``year`` summed over one programme's rows (or all rows), every
        key stage; schools without such rows left out (cached)."""

        def build() -> dict[int, list[int]]:
            sums: dict[int, list[int]] = {}
            if programme is None:
                for urn, rows in self._year(year).items():
                    if len(rows) == 1:
                        sums[urn] = rows[0][2][:]
                    else:
                        found = [row for _, _, row in rows]
                        sums[urn] = [sum(c) for c in zip(*found, strict=True)]
            else:  # integer sums: the schools' order does not matter
                for urn, rows in self._year(year).items():
                    found = [row for prog, _, row in rows if prog == programme]
                    if found:
                        sums[urn] = _add_up(found)
            return sums

        return self._cached(("sums", year, programme), build)

    def _hub(
        self, year: str
    ) -> tuple[dict[tuple[str, str, str], list[int]], dict[tuple[str | None, str | None], _Dis]]:
        """One pass over the rows of the schools open during ``year`` (ascending, rows in
        fold order), cached:

        * (phase, programme, key stage) -> the 8 counts summed: any hub-wide total (every
          open school, or a phase's) is a sum of these cells (integer sums: any order);
        * (phase or None, programme or None) -> [pupils, pupil premium, expected] of the
          disadvantaged index over the open schools with a disadvantaged_pct: ``expected``
          is summed row by row in the order the per-selection query walks them (schools
          ascending, rows in fold order), so the float comes out the same to the bit.
        """

        def build() -> tuple[
            dict[tuple[str, str, str], list[int]], dict[tuple[str | None, str | None], _Dis]
        ]:
            # rows gathered by cell first (split by whether the school's disadvantaged_pct
            # is known), then summed a column at a time; the index's float terms gathered
            # by group in the walking order, then summed one after the other
            cell_rows: dict[tuple[str, str, str, bool], list[list[int]]] = {}
            group_terms: dict[tuple[str | None, str | None], list[float]] = {}
            every: list[float] = []
            index, roster = self._year(year), self._roster_of(year)
            for urn in self._open(year, None, None):
                rows = index.get(urn)
                if rows is None:
                    continue
                facts = roster[urn]
                phase, dpct = facts[_PHASE], facts[_DPCT]
                known = dpct is not None
                for prog, ks, row in rows:
                    key = (phase, prog, ks, known)
                    found = cell_rows.get(key)
                    if found is None:
                        cell_rows[key] = [row]
                    else:
                        found.append(row)
                if not known:
                    continue
                terms = [row[_PUPILS] * dpct / 100 for _, _, row in rows]
                every.extend(terms)
                group_terms.setdefault((phase, None), []).extend(terms)
                for (prog, _, _), term in zip(rows, terms, strict=True):
                    group_terms.setdefault((None, prog), []).append(term)
            if every:
                group_terms[None, None] = every
            known_cells = {key: _add_up(rows) for key, rows in cell_rows.items()}
            cells: dict[tuple[str, str, str], list[int]] = {}
            for (phase, prog, ks, _), counts in known_cells.items():
                total = cells.get((phase, prog, ks))
                cells[phase, prog, ks] = counts if total is None else list(map(add, total, counts))
            dis: dict[tuple[str | None, str | None], _Dis] = {}
            for group, terms in group_terms.items():
                phase_of, prog_of = group
                counts = _add_up(
                    c
                    for (p, g, _, k), c in known_cells.items()
                    if k
                    and (phase_of is None or p == phase_of)
                    and (prog_of is None or g == prog_of)
                )
                # 0.0 + t1 + t2 + ...: the per-selection query's running sum, term by term
                dis[group] = [counts[_PUPILS], counts[_PP], reduce(add, terms, 0.0)]
            return cells, dis

        return self._cached(("hub", year), build)

    def _rows(
        self,
        urn: int,
        year: str,
        programmes: Iterable[str] | None = None,
        key_stage: int | None = None,
    ) -> list[list[int]]:
        wanted = None if programmes is None else set(programmes)
        ks = None if key_stage is None else str(key_stage)
        return [
            row
            for prog, stage, row in self._year(year).get(urn, ())
            if (wanted is None or prog in wanted) and (ks is None or stage == ks)
        ]

    @staticmethod
    def _prog(programme: ParticipationProgramme | str | None) -> str | None:
        return None if programme is None else ParticipationProgramme(programme).value

    @staticmethod
    def _progs(programme: ParticipationProgramme | str | None) -> list[str] | None:
        return None if programme is None else [ParticipationProgramme(programme).value]

    # -- queries -------------------------------------------------------------------------

    def schools_with_data(self, year: str) -> list[int]:
        """Schools with any participation recorded for ``year``."""
        return sorted(self._year(year))

    def _total(
        self,
        schools: tuple[int, ...],
        year: str,
        programme: ParticipationProgramme | str | None,
        key_stage: int | None,
    ) -> list[int]:
        """Counts summed over ``schools`` (one list of the 8 counts)."""
        if not schools:
            return [0] * 8
        prog = self._prog(programme)
        ks = None if key_stage is None else str(key_stage)
        if len(schools) == 1:
            return _add_up(
                row
                for p, stage, row in self._year(year).get(schools[0], ())
                if (prog is None or p == prog) and (ks is None or stage == ks)
            )
        if ks is None and prog is None:
            sums = self._sums(year, None)
            return _add_up(row for u in schools if (row := sums.get(u)) is not None)
        members = set(schools)
        if prog is None:
            rows: Iterable[tuple[int, str, list[int]]] = (
                (urn, stage, row)
                for urn, found in self._year(year).items()
                for _, stage, row in found
            )
        else:
            rows = self._by_programme(year).get(prog, ())
        return _add_up(
            row for urn, stage, row in rows if (ks is None or stage == ks) and urn in members
        )

    def _hub_total(
        self,
        year: str,
        programme: ParticipationProgramme | str | None,
        key_stage: int | None,
        phase: Phase | str | None,
    ) -> list[int]:
        """:meth:`_total` over the open schools (of ``phase``), from :meth:`_hub`'s cells."""
        prog = self._prog(programme)
        ks = None if key_stage is None else str(key_stage)
        return _add_up(
            counts
            for (p, g, k), counts in self._hub(year)[0].items()
            if (phase is None or p == phase)
            and (prog is None or g == prog)
            and (ks is None or k == ks)
        )

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
        if urn is None and la is None:
            sums = self._cached(
                ("totals", year, programme, key_stage, phase),
                lambda: self._hub_total(year, programme, key_stage, phase),
            )
        elif urn is None:
            sums = self._cached(
                ("totals", year, programme, key_stage, phase, la),
                lambda: self._total(self._open(year, phase, la), year, programme, key_stage),
            )
        else:
            sums = self._total((urn,), year, programme, key_stage)
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
        pupils = self.totals(
            year, programme, key_stage=key_stage, urn=urn, phase=phase, la=la
        ).pupils
        if urn is not None:
            return Ratio(pupils, self._roll(urn, year))
        roll = self._cached(
            ("roll", year, phase, la),
            lambda: sum(self._roll(u, year) for u in self._open(year, phase, la)),
        )
        return Ratio(pupils, roll)

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
        if urn is None and la is None and (phase is None or programme is None):
            group = (None if phase is None else str(phase), self._prog(programme))
            acc = self._hub(year)[1].get(group)
            if acc is None or acc[0] == 0 or acc[2] == 0:
                return None
            ratio: float = (acc[1] / acc[0]) / (acc[2] / acc[0])
            return ratio
        pupils = pp = 0
        expected = 0.0
        schools = self._schools(year, urn, phase, la)
        progs = self._progs(programme) if schools else None
        roster = self._roster_of(year)
        if progs is not None and len(schools) > 1:
            # one programme over many schools: its rows alone, in the same order (schools
            # ascending, rows in fold order) so that the float sums come out the same
            members = set(schools)
            for u, _, row in self._by_programme(year).get(progs[0], ()):
                facts = roster.get(u) if u in members else None
                dpct = None if facts is None else facts[_DPCT]
                if dpct is not None:
                    pupils += row[_PUPILS]
                    pp += row[_PP]
                    expected += row[_PUPILS] * dpct / 100
        else:
            index = self._year(year)
            for u in schools:
                facts = roster.get(u)
                dpct = None if facts is None else facts[_DPCT]
                if dpct is None:
                    continue
                for prog, _, row in index.get(u, ()):
                    if progs is None or prog in progs:
                        pupils += row[_PUPILS]
                        pp += row[_PP]
                        expected += row[_PUPILS] * dpct / 100
        if pupils == 0 or expected == 0:
            return None
        return (pp / pupils) / (expected / pupils)

    def disadvantaged_indices(
        self, year: str, urns: Iterable[int] | None = None
    ) -> dict[int, float | None]:
        """URN -> ``disadvantaged_index(year, urn=urn)`` for each of ``urns`` (default: the
        schools open during ``year``), every programme, in one pass: the same floats, summed
        in the same order, as one query per school."""
        schools = self._open(year, None, None) if urns is None else urns
        index = self._year(year)
        roster = self._roster_of(year)
        found: dict[int, float | None] = {}
        for u in schools:
            facts = roster.get(u)
            dpct = None if facts is None else facts[_DPCT]
            rows = index.get(u)
            if dpct is None or not rows:
                found[u] = None
                continue
            pupils = pp = 0
            expected = 0.0
            for _, _, row in rows:
                pupils += row[_PUPILS]
                pp += row[_PP]
                expected += row[_PUPILS] * dpct / 100
            found[u] = None if pupils == 0 or expected == 0 else (pp / pupils) / (expected / pupils)
        return found

    def send_index(
        self,
        year: str,
        fallback: float | None = None,
        programme: ParticipationProgramme | str | None = None,
        *,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> float | None:
        """SEND representation index (see class doc); ``fallback`` is the SEND share (a
        fraction) of a school with none recorded that is not special. None if undefined."""
        return self.send_representation(
            year, fallback, programme, urn=urn, phase=phase, la=la
        ).index

    def send_representation(
        self,
        year: str,
        fallback: float | None = None,
        programme: ParticipationProgramme | str | None = None,
        *,
        urn: int | None = None,
        phase: Phase | str | None = None,
        la: str | None = None,
    ) -> SendRepresentation:
        """:meth:`send_index` with the counts behind it (see :class:`SendRepresentation`)."""
        if fallback is not None and not 0 < fallback <= 1:
            raise ValueError(f"fallback SEND share must be a fraction in (0, 1], got {fallback}")
        progs = self._progs(programme)
        index, roster = self._year(year), self._roster_of(year)
        pupils = send = 0
        expected = 0.0
        bases = [0, 0, 0, 0]  # own share, special, fallback, unknown
        for u in self._schools(year, urn, phase, la):
            rows = [r for p, _, r in index.get(u, ()) if progs is None or p in progs]
            taking = sum(r[_PUPILS] for r in rows)
            facts = roster.get(u)
            if taking == 0 or facts is None:
                continue
            if facts[_SPCT] is not None:
                share, basis = facts[_SPCT] / 100, 0
            elif facts[_PHASE] == _SPECIAL:
                share, basis = 1.0, 1
            elif fallback is not None:
                share, basis = fallback, 2
            else:
                bases[3] += 1
                continue
            bases[basis] += 1
            pupils += taking
            send += sum(r[_SEND] for r in rows)
            expected += taking * share
        value = None if pupils == 0 or expected == 0 else (send / pupils) / (expected / pupils)
        return SendRepresentation(value, pupils, send, expected, *bases)

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
        schools = self._schools(year, urn, phase, la)
        for programme in TUITION:
            total = self._total(schools, year, programme, None)
            remitted += total[_REMIT]
            pupils += total[_PUPILS]
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
        schools = self._schools(year, urn, phase, la)
        last = self._sums(before, _WCET) if schools else {}
        this = self._sums(year, None) if schools else {}
        for u in schools:
            row = last.get(u)
            last_year = 0 if row is None else row[_PUPILS]
            if last_year == 0:
                continue
            wcet += last_year
            now = this.get(u)
            continuing += 0 if now is None else now[_CONT]
        return Ratio(continuing, wcet)


def _add_up(rows: Iterable[list[int]]) -> list[int]:
    """The 8 counts summed over ``rows`` (zeros for none)."""
    found = list(rows)
    if not found:
        return [0] * 8
    return [sum(column) for column in zip(*found, strict=True)]
