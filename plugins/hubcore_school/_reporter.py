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
    Metric,
    ReportContext,
    Section,
    Status,
    Summary,
    Suppressor,
    Table,
    label,
    rag,
    read_model,
)
from hubcore_school._pieces import (
    Pack,
    action_counts,
    actions_table,
    conversations_table,
    due_table,
    engagement_table,
    ofsted_table,
    participation_table,
    training_table,
    voice_table,
)
from hubcore_school._story import PROJECTION_NAME, SchoolStory

__all__ = ["SchoolPackReporter"]

_YES_NO = {True: "yes", False: "no"}


@attrs.frozen
class _Part:
    """One school's pack: its title line and parts."""

    title: str
    note: str
    metrics: list[Metric]
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
        caveats = [
            "Counts are participations, not pupils: one pupil in two ensembles counts twice.",
            "Grades are the hub's own judgements, on words borrowed from Ofsted's report-card "
            "scale; Ofsted does not grade a school's music on that scale.",
        ]
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
                metrics=part.metrics,
                tables=part.tables,
                caveats=[part.note, *caveats],
                reporter=self.name,
            )
        else:
            sections = [
                Section(
                    anchor=f"urn-{urn}",
                    title=part.title,
                    note=part.note,
                    metrics=part.metrics,
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
        school, year = pack.school, pack.year
        ofsted, statuses = ofsted_table(pack)
        counts = action_counts(pack)
        conversations = [
            c for c in pack.story.conversations(pack.urn, year) if c.held_on >= pack.bounds[0]
        ]
        training = [t for t in pack.story.training(pack.urn, year) if t.held_on >= pack.bounds[0]]
        totals = pack.participation.totals(year, urn=pack.urn)
        green = statuses.get(Status.GREEN, 0)
        status, rule = rag(green, 5, amber_within=1)
        shown = pack.hide(totals.pupils)
        metrics = [
            Metric(
                key="conversations", label=f"Conversations with the hub in {year}",
                value=len(conversations), unit="conversations",
            ),
            Metric(
                key="actions-open", label=f"Actions open on {pack.day.isoformat()}",
                value=counts["open"] + counts["overdue"], unit="actions",
                note=f"{counts['overdue']} of them past their due date",
            ),
            Metric(
                key="actions-overdue", label="Actions past their due date",
                value=counts["overdue"], unit="actions", target=0,
                status=Status.GREEN if counts["overdue"] == 0 else Status.RED,
                rule="green if none, else red",
            ),
            Metric(
                key="staff-trained", label=f"Staff trained in {year}",
                value=sum(t.staff_trained for t in training), unit="staff",
                note=f"{len(training)} sessions, {sum(t.hours for t in training):g} hours",
            ),
            Metric(
                key="participations", label=f"Participations in {year}",
                value=shown if totals.records and not isinstance(shown, str) else None,
                unit="participations", evidence=totals.records,
                suppressed=isinstance(shown, str),
            ),
            Metric(
                key="ofsted-green", label="Ofsted's questions answered green",
                value=green, unit="questions", target=5, status=status, rule=rule,
                note=", ".join(f"{n} {s.value}" for s, n in sorted(statuses.items())),
            ),
        ]  # fmt: skip
        return _Part(
            title=school.name,
            note=self._about(pack),
            metrics=metrics,
            tables=[
                engagement_table(pack),
                conversations_table(pack),
                actions_table(pack),
                due_table(pack),
                training_table(pack),
                participation_table(pack),
                voice_table(pack),
                ofsted,
            ],
        )

    @staticmethod
    def _about(pack: Pack) -> str:
        school, year = pack.school, pack.year
        engaged = pack.coverage.engaged_at_end(pack.urn, year)
        roll = f"{school.pupils_on_roll:,} pupils on roll"
        fsm = (
            ""
            if school.disadvantaged_pct is None
            else f", {school.disadvantaged_pct:g}% disadvantaged"
        )
        open_ = "" if pack.coverage.is_open(pack.urn, year) else f"; not open in {year}"
        return (
            f"URN {pack.urn} · {label(school.phase)} · LA {school.la_code} · {roll}{fsm}; "
            f"{'engaged with the hub' if engaged else 'not engaged'} at the end of {year}{open_}."
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
