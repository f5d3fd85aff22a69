"""The ``school`` reporter: the pack an officer takes to one school."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs

from hubcore import InvalidRequest
from hubcore.calendar import academic_year_bounds
from hubcore.projections import (
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    InspectionEvidence,
    ParticipationBreadth,
    SchoolFacts,
)
from hubcore.reporting import (
    Cell,
    ReportContext,
    Section,
    Summary,
    Suppressor,
    Table,
    label,
    read_model,
)
from hubcore_school._pieces import (
    Pack,
    actions_table,
    conversations_table,
    engagement_table,
    ofsted_table,
    participation_table,
    training_table,
)
from hubcore_school._story import PROJECTION_NAME, SchoolStory

__all__ = ["SchoolPackReporter"]

_YES_NO = {True: "yes", False: "no"}


@attrs.frozen
class _Part:
    """One school's pack: its title line and parts."""

    title: str
    note: str
    tables: list[Table]


@attrs.frozen
class SchoolPackReporter:
    """One school's story with the hub, for an officer to take on a visit.

    With one URN the summary is that school's pack; with several, one section per school;
    with none, a list of the open schools with their next conversation and open actions
    (choose a school to print its pack).
    """

    name: str = "school"
    title: str = "School pack"
    description: str = (
        "One school's pack: its engagement over every recorded year, latest conversations, "
        "actions and their status, training, participation against schools of its phase and "
        "area, pupil voice, evidence for Ofsted's five questions and what is due next."
    )
    projections: tuple[str, ...] = (
        "coverage",
        "cadence",
        "actions",
        "participation",
        "inspection_evidence",
        PROJECTION_NAME,
    )
    per_school: bool = True
    """``hubcore report school`` needs ``--urn`` or ``--all-schools``."""
    clock: Callable[[], date] = date.today
    threshold: int = 5

    def build(self, context: ReportContext) -> Summary:
        """The pack of the context's school (or schools) for its year."""
        year = context.academic_year
        end = academic_year_bounds(year)[1]
        read_as_of: date | None = getattr(context, "as_of", None)
        day = min(end, read_as_of or self.clock())
        coverage = read_model(context, "coverage", Coverage)
        hide = Suppressor(self.threshold)
        caveats: list[str] = []
        if context.schools == "all":
            return self._index(context, coverage, day)
        pack = self._packer(context, year, day, hide)
        parts = [pack(self._school(coverage, text, year)) for text in context.schools]
        scope = context.scope()
        if len(parts) == 1:
            [part] = parts
            summary = Summary(
                title=f"{self.title}: {part.title} {year}",
                scope=scope,
                tables=part.tables,
                caveats=[part.note] if part.note else [],
                reporter=self.name,
            )
        else:
            sections = [
                Section(
                    anchor=f"urn-{urn}",
                    title=part.title,
                    note=part.note,
                    tables=part.tables,
                )
                for urn, part in zip(context.schools, parts, strict=True)
            ]
            summary = Summary(
                title=f"{self.title}s {year}",
                scope=scope,
                caveats=caveats,
                sections=sections,
                reporter=self.name,
            )
        return summary.leaving_hub(suppressed=hide.applied, threshold=hide.threshold)

    @staticmethod
    def _school(coverage: Coverage, text: str, year: str) -> tuple[int, SchoolFacts]:
        urn = int(text) if text.isascii() and text.isdigit() else None
        facts = None if urn is None else coverage.school(urn, year)
        if urn is None or facts is None:
            raise InvalidRequest(
                f"the school pack: URN {text} is not a school registered by the end of {year}"
            )
        return urn, facts

    def _packer(
        self, context: ReportContext, year: str, day: date, hide: Suppressor
    ) -> Callable[[tuple[int, SchoolFacts]], _Part]:
        coverage = read_model(context, "coverage", Coverage)
        cadence = read_model(context, "cadence", ConversationCadence)
        actions = read_model(context, "actions", ActionFollowThrough)
        participation = read_model(context, "participation", ParticipationBreadth)
        evidence = read_model(context, "inspection_evidence", InspectionEvidence)
        story = read_model(context, PROJECTION_NAME, SchoolStory)

        def pack(school: tuple[int, SchoolFacts]) -> _Part:
            urn, facts = school
            return self._pack(
                Pack(
                    urn=urn,
                    school=facts,
                    year=year,
                    day=day,
                    coverage=coverage,
                    cadence=cadence,
                    actions=actions,
                    participation=participation,
                    evidence=evidence,
                    story=story,
                    hide=hide,
                )
            )

        return pack

    def _pack(self, pack: Pack) -> _Part:
        school = pack.school
        return _Part(
            title=school.name,
            note=self._about(pack),
            tables=[
                engagement_table(pack),
                conversations_table(pack),
                actions_table(pack),
                training_table(pack),
                participation_table(pack),
                ofsted_table(pack),
            ],
        )

    @staticmethod
    def _about(pack: Pack) -> str:
        school, year = pack.school, pack.year
        if pack.coverage.is_open(pack.urn, year):
            return ""
        return (
            f"URN {pack.urn} ({label(school.phase)}, LA {school.la_code}) was not open in {year}."
        )

    def _index(self, context: ReportContext, coverage: Coverage, day: date) -> Summary:
        """Every open school with its next conversation and open actions."""
        year = context.academic_year
        cadence = read_model(context, "cadence", ConversationCadence)
        actions = read_model(context, "actions", ActionFollowThrough)
        due = {d.urn: d for d in cadence.due_conversations(day)}
        rows: list[tuple[Cell, ...]] = []
        for urn in coverage.open_schools(year):
            facts = coverage.school(urn, year)
            if facts is None:  # pragma: no cover - open schools are registered
                continue
            next_due = due.get(urn)
            rows.append(
                (
                    str(urn),
                    facts.name,
                    label(facts.phase),
                    _YES_NO[coverage.engaged_at_end(urn, year)],
                    None if next_due is None else next_due.due_on.isoformat(),
                    len(actions.open_actions(day, urn)),
                    len(actions.overdue_actions(day, urn)),
                )
            )
        return Summary(
            title=f"{self.title}s {year}: the schools",
            scope=context.scope(),
            tables=[
                Table(
                    name="Schools",
                    columns=[
                        "urn",
                        "school",
                        "phase",
                        "engaged at year end",
                        "next conversation due",
                        "open actions",
                        "overdue actions",
                    ],
                    rows=rows,
                    caption=f"Open schools in {year}, as of {day.isoformat()}.",
                )
            ],
            caveats=[
                "The school pack is about one school: choose one (hubcore report school --urn "
                "N), or write every school's pack (--all-schools --out DIR)."
            ],
            reporter=self.name,
        )
