"""A per-school inspection evidence file answering Ofsted's questions Q1-Q5 (docs/domain.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from sys import intern
from typing import Any

import attrs

from hubcore.errors import HubcoreError
from hubcore.events import (
    ConversationHeld,
    ImpactEvaluated,
    InspectionRecorded,
    MusicDevelopmentPlanRecorded,
    ParticipationRecorded,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolDisengaged,
    SchoolEngaged,
    TrainingDelivered,
)
from hubcore.projections._base import (
    _CLOSED,
    _DPCT,
    _LA,
    _NAME,
    _PHASE,
    _REG,
    _ROLL,
    _SPCT,
    RosterModel,
    SchoolFacts,
    keep_by_year,
    known_from,
    latest_by_year,
    ordinal,
    plain,
    shared_mapping,
    shared_sorted,
    year_bounds,
    year_on,
)
from hubcore.projections.participation import REPRESENTATION_FLAG
from hubcore.vocabulary import Area, Grade, Phase, QualityEvidence, grade_rank
from hubcore.vocabulary import label as _label

__all__ = ["QUESTIONS", "Answer", "EvidenceFile", "Fact", "InspectionEvidence"]

_NONE = shared_sorted(frozenset())  # the offers of a disengagement (shared, never changed)

QUESTIONS: dict[str, str] = {
    "Q1": "impact of the school's work with its hub",
    "Q2": "how often music is taught to all classes",
    "Q3": "how the school judges the quality of music lessons",
    "Q4": "awareness of Ofsted's subject guidance",
    "Q5": "do all pupils benefit, or just a few?",
}
"""Ofsted's inspection questions to a school, as docs/domain.md words them."""

Value = str | int | float | bool | None


@attrs.frozen
class Fact:
    """One piece of evidence: what, its value, and the date it was recorded as of."""

    label: str
    value: Value
    on: date | None


@attrs.frozen
class Answer:
    """The evidence for one question, and the gaps to close before an inspection."""

    question: str
    title: str
    facts: tuple[Fact, ...]
    gaps: tuple[str, ...]


@attrs.frozen
class EvidenceFile:
    """A school's evidence file for an academic year: one :class:`Answer` per Q1-Q5."""

    urn: int
    academic_year: str
    school: SchoolFacts
    answers: tuple[Answer, ...]

    def answer(self, question: str) -> Answer:
        """The answer to ``question`` ("Q1" to "Q5")."""
        for a in self.answers:
            if a.question == question:
                return a
        raise HubcoreError(f"no question {question!r} in the evidence file (Q1-Q5)")

    @property
    def gaps(self) -> tuple[str, ...]:
        """Every gap, prefixed by its question."""
        return tuple(f"{a.question}: {gap}" for a in self.answers for gap in a.gaps)


_PHASES: dict[str, Phase] = {p.value: p for p in Phase}
_EXPECTED = grade_rank(Grade.EXPECTED)


class _Memo:
    """Values many evidence files of one call share: each day's date, and the text of each
    shared list or mapping (read models share equal ones and never change them; the memo
    keeps each one it saw alive, so an id cannot come back for another value)."""

    __slots__ = ("days", "texts")

    def __init__(self) -> None:
        self.days: dict[int, date] = {}
        self.texts: dict[int, tuple[object, str]] = {}

    def on(self, ordinal: int) -> date:
        """The date of a date ordinal."""
        found = self.days.get(ordinal)
        if found is None:
            found = self.days[ordinal] = date.fromordinal(ordinal)
        return found

    def day(self, row: list[Any]) -> date:
        """The date of a fact row (its first item is a date ordinal)."""
        return self.on(row[0])

    def joined(self, values: list[Any]) -> str:
        """``", ".join(values)``."""
        found = self.texts.get(id(values))
        if found is None:
            found = self.texts[id(values)] = (values, ", ".join(values))
        return found[1]

    def grades(self, judged: dict[str, str]) -> str:
        """The judgements mapping as "area: grade" text, areas in order."""
        found = self.texts.get(id(judged))
        if found is None:
            text = ", ".join(f"{a}: {g}" for a, g in sorted(judged.items()))
            found = self.texts[id(judged)] = (judged, text)
        return found[1]


@attrs.define(eq=True)
class InspectionEvidence(RosterModel):
    """The latest facts about each school that answer Q1-Q5, with their dates and gaps.

    Facts are the latest known for the academic year asked for (by date; the last recorded
    wins a tie): dated by the year's end, or reporting on it or an earlier year
    (docs/year-truth.md), so later years never change an earlier year's file. The gaps are
    judged against that year: no conversation this
    year, no provision report this year, weekly music or guidance awareness unknown (the
    latest conversation that said), quality judged by nothing, no participation data this
    year, a disadvantaged representation index below 0.8 (as :class:`ParticipationBreadth`
    defines it), no pupil voice this year. For facts as they stood at a past date, use
    ``Projector.as_of``.

    **Q2** (is music taught weekly to all classes): the school's own provision report for
    the year is the evidence (every class with weekly music, or not); a conversation's note
    is used only when there is no report. When both exist and a note of the same year
    disagrees with the report, both are shown and the disagreement is a gap.

    **Q3** (how the school judges quality): the school's own grade in its provision report
    for the year is compared with the hub's latest judgement of class teaching (from the
    latest conversation that judged it). When one
    is at or above ``expected`` and the other below it, both are shown and the
    disagreement is a gap (e.g. the school rates itself ``strong`` while the hub judges
    class teaching ``needs_attention``).
    """

    # urn -> fact name -> [year, latest row of that year, ...] (see keep_by_year), each row
    # starting with the date ordinal
    _facts: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)
    # urn -> year -> [conversations, participations, pupil_premium, pupil voice gathered]
    _yearly: dict[int, dict[str, list[int]]] = attrs.field(factory=dict, repr=False)

    def _keep(self, urn: int, name: str, row: list[Any], reported: str | None = None) -> None:
        facts = self._facts.setdefault(urn, {})
        buckets = facts.get(name)
        if buckets is None:
            buckets = facts[name] = []
        keep_by_year(buckets, known_from(row[0], reported), row)

    def _count(self, urn: int, year: str, index: int, amount: int = 1) -> None:
        years = self._yearly.setdefault(urn, {})
        counts = years.get(year)
        if counts is None:
            counts = years[year] = [0, 0, 0, 0]
        counts[index] += amount

    def _on_SchoolEngaged(self, e: SchoolEngaged) -> None:
        offers = shared_sorted(e.offer)
        self._keep(e.urn, "engagement", [ordinal(e.occurred_on), True, offers])

    def _on_SchoolDisengaged(self, e: SchoolDisengaged) -> None:
        self._keep(e.urn, "engagement", [ordinal(e.occurred_on), False, _NONE])

    def _on_ConversationHeld(self, e: ConversationHeld) -> None:
        when = ordinal(e.occurred_on)
        self._keep(e.urn, "conversation", [when, e.kind._value_, e.conversation_id])
        self._count(e.urn, year_on(e.occurred_on), 0)
        if e.music_taught_weekly_to_all_classes is not None:
            self._keep(e.urn, "weekly", [when, e.music_taught_weekly_to_all_classes])
        if e.aware_of_subject_guidance is not None:
            self._keep(e.urn, "aware", [when, e.aware_of_subject_guidance])
        if e.quality_judged_by:
            self._keep(e.urn, "quality", [when, shared_sorted(e.quality_judged_by)])
        if e.judgements:
            self._keep(e.urn, "judgements", [when, shared_mapping(e.judgements)])
            teaching = e.judgements.get(Area.CLASS_TEACHING)
            if teaching is not None:
                self._keep(e.urn, "teaching", [when, teaching._value_])

    def _on_ProvisionReported(self, e: ProvisionReported) -> None:
        row = [
            ordinal(e.occurred_on),
            intern(e.academic_year),
            e.classes_total,
            e.classes_with_weekly_music,
            e.self_evaluation_grade._value_,
            shared_sorted(e.judged_by),
        ]
        self._keep(e.urn, "provision", row, e.academic_year)
        self._keep(e.urn, intern(f"provision {e.academic_year}"), row, e.academic_year)

    def _on_InspectionRecorded(self, e: InspectionRecorded) -> None:
        ct, inc = plain(e.curriculum_teaching_grade), plain(e.inclusion_grade)
        row = [ordinal(e.occurred_on), e.framework._value_, e.music_deep_dive._value_, ct, inc]
        self._keep(e.urn, "inspection", row)

    def _on_TrainingDelivered(self, e: TrainingDelivered) -> None:
        self._keep(e.urn, "training", [ordinal(e.occurred_on), e.topic._value_])

    def _on_ImpactEvaluated(self, e: ImpactEvaluated) -> None:
        row = [ordinal(e.occurred_on), e.programme._value_, e.baseline_grade._value_]
        self._keep(e.urn, "impact", [*row, e.current_grade._value_])

    def _on_MusicDevelopmentPlanRecorded(self, e: MusicDevelopmentPlanRecorded) -> None:
        row = [ordinal(e.occurred_on), intern(e.academic_year), e.has_plan, e.summary_published]
        self._keep(e.urn, "plan", row, e.academic_year)

    def _on_ParticipationRecorded(self, e: ParticipationRecorded) -> None:
        # _count twice, inlined: about half the log's events are participation records
        years = self._yearly.setdefault(e.urn, {})
        counts = years.get(e.academic_year)
        if counts is None:
            counts = years[intern(e.academic_year)] = [0, 0, 0, 0]
        counts[1] += e.pupils
        counts[2] += e.pupil_premium

    def _on_PupilVoiceGathered(self, e: PupilVoiceGathered) -> None:
        self._keep(e.urn, "voice", [ordinal(e.occurred_on), e.method._value_, e.respondents])
        self._count(e.urn, year_on(e.occurred_on), 3)

    # -- the evidence file ---------------------------------------------------------------

    def evidence(self, urn: int, year: str) -> EvidenceFile:
        """The school's evidence file for ``year``; HubcoreError if it is not registered."""
        return next(self.evidence_files((urn,), year))

    def evidence_files(self, urns: Iterable[int], year: str) -> Iterator[EvidenceFile]:
        """The evidence file of each of ``urns`` for ``year``, in order, one at a time: what
        :meth:`evidence` gives for each, sharing the work files have in common (the year's
        bounds, dates, texts of shared values). HubcoreError on reaching an unregistered
        school."""
        start, end = year_bounds(year)
        provision = intern(f"provision {year}")
        memo = _Memo()
        no_facts: dict[str, list[Any]] = {}
        no_counts = [0, 0, 0, 0]
        facts, yearly, roster = self._facts, self._yearly, self._roster_of(year)
        for urn in urns:
            row = roster.get(urn)
            if row is None:
                raise HubcoreError(f"inspection evidence: school {urn} is not registered")
            school = SchoolFacts(
                urn=urn,
                name=row[_NAME],
                phase=_PHASES.get(row[_PHASE]) or Phase(row[_PHASE]),
                la_code=row[_LA],
                pupils_on_roll=row[_ROLL],
                disadvantaged_pct=row[_DPCT],
                registered_on=memo.on(row[_REG]),
                closed_on=None if row[_CLOSED] is None else memo.on(row[_CLOSED]),
                send_pct=row[_SPCT],
            )
            known = facts.get(urn)
            f = (
                no_facts
                if known is None
                else {
                    name: row
                    for name, buckets in known.items()
                    if (row := latest_by_year(buckets, year)) is not None
                }
            )
            years = yearly.get(urn)
            counts = no_counts if years is None else years.get(year, no_counts)
            answers = (
                self._q1(f, counts, start, end, memo),
                self._q2(f, provision, start, end, memo),
                self._q3(f, provision, memo),
                self._q4(f, memo),
                self._q5(f, counts, school, memo),
            )
            yield EvidenceFile(urn, year, school, answers)

    @staticmethod
    def _q1(
        f: dict[str, list[Any]], counts: list[int], start: int, end: int, memo: _Memo
    ) -> Answer:
        facts, gaps = [], []
        eng, conv = f.get("engagement"), f.get("conversation")
        if eng is None or not eng[1]:
            gaps.append("not engaged with the hub")
        if eng is not None:
            offer = memo.joined(eng[2]) if eng[1] else "disengaged"
            facts.append(Fact("engagement", offer, memo.day(eng)))
        if conv is not None:
            facts.append(Fact(f"latest conversation ({conv[1]})", conv[2], memo.day(conv)))
        facts.append(Fact("conversations this year", counts[0], None))
        if counts[0] == 0:
            gaps.append("no conversation this year")
        for name, label, index in (
            ("training", "latest training", 1),
            ("impact", "latest impact evaluation", 1),
            ("plan", "music development plan", 2),
            ("inspection", "latest inspection, music deep dive", 2),
        ):
            row = f.get(name)
            if row is not None:
                facts.append(Fact(label, row[index], memo.day(row)))
        if f.get("impact") is None:
            gaps.append("no impact evaluation recorded")
        return Answer("Q1", QUESTIONS["Q1"], tuple(facts), tuple(gaps))

    @staticmethod
    def _q2(f: dict[str, list[Any]], provision: str, start: int, end: int, memo: _Memo) -> Answer:
        facts, gaps = [], []
        weekly, report = f.get("weekly"), f.get(provision)
        if report is not None:
            all_weekly = report[3] == report[2]
            facts.append(
                Fact(
                    "school's report: classes with weekly music",
                    f"{report[3]} of {report[2]}",
                    memo.day(report),
                )
            )
            if not all_weekly:
                gaps.append("music is not taught weekly to all classes (the school's report)")
            if weekly is not None and start <= weekly[0] <= end:
                note = Fact("conversation note: music taught weekly to all classes", weekly[1],
                            memo.day(weekly))  # fmt: skip
                facts.append(note)
                if weekly[1] != all_weekly:
                    gaps.append(
                        "the school's report and the hub's conversation disagree about weekly"
                        f" music ({report[3]} of {report[2]} classes reported; the conversation"
                        f" noted {'yes' if weekly[1] else 'no'})"
                    )
            return Answer("Q2", QUESTIONS["Q2"], tuple(facts), tuple(gaps))
        gaps.append("no provision report this year")
        if weekly is None:
            gaps.append("weekly music for all classes unknown")
        else:
            facts.append(
                Fact(
                    "conversation note (no report this year): music taught weekly to all classes",
                    weekly[1],
                    memo.day(weekly),
                )
            )
            if not weekly[1]:
                gaps.append("music is not taught weekly to all classes (a conversation's note)")
        return Answer("Q2", QUESTIONS["Q2"], tuple(facts), tuple(gaps))

    @staticmethod
    def _q3(f: dict[str, list[Any]], provision: str, memo: _Memo) -> Answer:
        facts, gaps = [], []
        quality = f.get("quality")
        if quality is None:
            gaps.append("how quality is judged unknown")
        else:
            facts.append(Fact("quality judged by", memo.joined(quality[1]), memo.day(quality)))
            if quality[1] == [QualityEvidence.NONE.value]:
                gaps.append("the quality of music lessons is not judged")
        report = f.get(provision)
        own = None if report is None else Grade(report[4])
        if report is None:
            gaps.append("the school's own view of quality unknown (no provision report this year)")
        else:
            facts.append(Fact("school's own grade", _label(report[4]), memo.day(report)))
        judged, teaching = f.get("judgements"), f.get("teaching")
        if judged is None:
            gaps.append("no quality judgements recorded")
        else:
            grades = memo.grades(judged[1])
            facts.append(Fact("hub's latest judgements", grades, memo.day(judged)))
        hub = None if teaching is None else Grade(teaching[1])
        if teaching is None:
            if judged is not None:
                gaps.append("the hub has not judged class teaching")
        else:
            facts.append(
                Fact("hub's judgement of class teaching", _label(teaching[1]), memo.day(teaching))
            )
        if own is not None and hub is not None:
            school_good, hub_good = grade_rank(own) >= _EXPECTED, grade_rank(hub) >= _EXPECTED
            if school_good != hub_good:
                gaps.append(
                    f"the school's view and the hub's judgement disagree (the school rates"
                    f" itself {_label(own.value).lower()}; the hub judges class teaching"
                    f" {_label(hub.value).lower()})"
                )
        return Answer("Q3", QUESTIONS["Q3"], tuple(facts), tuple(gaps))

    @staticmethod
    def _q4(f: dict[str, list[Any]], memo: _Memo) -> Answer:
        aware = f.get("aware")
        if aware is None:
            return Answer("Q4", QUESTIONS["Q4"], (), ("guidance awareness unknown",))
        fact = Fact("aware of Ofsted's subject guidance", aware[1], memo.day(aware))
        gaps = () if aware[1] else ("not aware of Ofsted's subject guidance",)
        return Answer("Q4", QUESTIONS["Q4"], (fact,), gaps)

    @staticmethod
    def _q5(f: dict[str, list[Any]], counts: list[int], school: SchoolFacts, memo: _Memo) -> Answer:
        facts, gaps = [], []
        _, pupils, pp, voices = counts
        if pupils == 0:
            gaps.append("no participation data this year")
        else:
            facts.append(Fact("participations this year", pupils, None))
            facts.append(Fact("of which pupil premium", pp, None))
            if school.disadvantaged_pct:
                index = (pp / pupils) / (school.disadvantaged_pct / 100)
                facts.append(Fact("disadvantaged representation index", round(index, 2), None))
                if index < REPRESENTATION_FLAG:
                    gaps.append(f"disadvantaged pupils under-represented (index {index:.2f})")
        voice = f.get("voice")
        if voice is not None:
            text = f"{voice[1]}, {voice[2]} pupils"
            facts.append(Fact("latest pupil voice", text, memo.day(voice)))
        if voices == 0:
            gaps.append("no pupil voice gathered this year")
        return Answer("Q5", QUESTIONS["Q5"], tuple(facts), tuple(gaps))
