"""The ``ofsted`` reporter: each school's answers to Ofsted's questions Q1-Q5."""

from __future__ import annotations

import attrs

from hubcore.projections import QUESTIONS, EvidenceFile, Fact, InspectionEvidence
from hubcore.reporting import Cell, Metric, ReportContext, Status, Summary, Table, rag
from hubcore_ofsted._rules import QUESTION_RULES, judge

__all__ = ["GREEN_SHARE_TARGET", "OfstedReporter"]

GREEN_SHARE_TARGET = 100
"""Every school should be able to answer every question well (percent of schools green)."""

_AMBER_WITHIN = 25


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _fact_text(fact: Fact) -> str:
    text = f"{fact.label}: {_value_text(fact.value)}"
    return text if fact.on is None else f"{text} ({fact.on.isoformat()})"


def _latest(facts: tuple[Fact, ...]) -> str | None:
    dates = [f.on for f in facts if f.on is not None]
    return max(dates).isoformat() if dates else None


def select_schools(
    context: ReportContext, model: InspectionEvidence
) -> tuple[list[int], list[str]]:
    """Open schools of the year (limited to the context's URNs); caveats for unknown URNs."""
    open_schools = model.open_schools(context.academic_year)
    if context.schools == "all":
        return open_schools, []
    wanted: list[int] = []
    caveats: list[str] = []
    known = set(open_schools)
    for text in context.schools:
        try:
            urn = int(text)
        except ValueError:
            caveats.append(f"{text!r} is not a URN; left out")
            continue
        if urn in known:
            wanted.append(urn)
        else:
            caveats.append(f"URN {urn} is not a school open in {context.academic_year}; left out")
    return sorted(set(wanted)), caveats


@attrs.frozen
class OfstedReporter:
    """Per school, Q1-Q5 answered with the latest evidence and a red/amber/green status."""

    name: str = "ofsted"
    title: str = "Ofsted inspection readiness"
    description: str = (
        "For each school, Ofsted's questions Q1-Q5 answered with the latest evidence and its "
        "dates, a red/amber/green status with the rule that set it, and the gaps to close "
        "before an inspection."
    )
    projections: tuple[str, ...] = ("inspection_evidence",)

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's hub, year and schools."""
        year = context.academic_year
        model: InspectionEvidence = context.get("inspection_evidence")
        urns, caveats = select_schools(context, model)
        files = [model.evidence(urn, year) for urn in urns]

        answers: list[list[Cell]] = []
        matrix: list[list[Cell]] = []
        gaps: list[list[Cell]] = []
        greens = dict.fromkeys(QUESTIONS, 0)
        for file in files:
            statuses = self._school_rows(file, answers, gaps, greens)
            matrix.append([str(file.urn), file.school.name, *statuses])

        metrics = [self._green_metric(q, greens[q], len(files)) for q in QUESTIONS]
        all_green = sum(1 for row in matrix if all(s == Status.GREEN.value for s in row[2:]))
        metrics.append(
            Metric(
                key="schools-all-green",
                label="Schools green on every question",
                value=all_green,
                unit="schools",
                evidence=len(files),
            )
        )
        metrics.append(
            Metric(
                key="gaps",
                label="Gaps to close before inspection",
                value=len(gaps),
                unit="gaps",
                target=0,
                status=Status.GREEN if not gaps else Status.AMBER,
                rule="green if no gap, else amber",
                evidence=len(files),
            )
        )
        silent = sum(1 for f in files if "no conversation this year" in f.answer("Q1").gaps)
        if silent:
            caveats.append(
                f"{silent} of {len(files)} schools have no conversation recorded {year}."
            )
        if not files:
            caveats.append(f"No school is open in {year}: there is nothing to report.")
        caveats.append(
            "Grades are the hub's own judgements, on words borrowed from Ofsted's report-card "
            "scale; Ofsted does not grade a school's music on that scale."
        )
        questions = "; ".join(f"{q}: {text}" for q, text in QUESTIONS.items())
        return Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=[
                Table(
                    name="Status by school",
                    columns=["urn", "school", *QUESTIONS],
                    rows=matrix,
                    caption=questions,
                ),
                Table(
                    name="Evidence by school and question",
                    columns=[
                        "urn",
                        "school",
                        "question",
                        "status",
                        "evidence",
                        "latest evidence",
                        "gaps",
                    ],
                    rows=answers,
                    caption="The latest recorded facts answering each question, with their dates",
                ),
                Table(
                    name="Status rules",
                    columns=["question", "rule"],
                    rows=[[q, rule.text] for q, rule in QUESTION_RULES.items()],
                    caption="How each question's red/amber/green status is set from its gaps",
                ),
                Table(
                    name="Gaps to close before inspection",
                    columns=["urn", "school", "question", "priority", "gap"],
                    rows=gaps,
                    caption="Red gaps first: each is something an inspector would ask about",
                ),
            ],
            caveats=caveats,
            reporter=self.name,
        )

    @staticmethod
    def _school_rows(
        file: EvidenceFile,
        answers: list[list[Cell]],
        gaps: list[list[Cell]],
        greens: dict[str, int],
    ) -> list[str]:
        urn, name = str(file.urn), file.school.name
        statuses: list[str] = []
        school_gaps: list[list[Cell]] = []
        for answer in file.answers:
            status, _, red = judge(answer)
            statuses.append(status.value)
            if status is Status.GREEN:
                greens[answer.question] += 1
            answers.append(
                [
                    urn,
                    name,
                    answer.question,
                    status.value,
                    "; ".join(_fact_text(f) for f in answer.facts) or None,
                    _latest(answer.facts),
                    "; ".join(answer.gaps) or None,
                ]
            )
            for gap in answer.gaps:
                priority = Status.RED.value if gap in red else Status.AMBER.value
                school_gaps.append([urn, name, answer.question, priority, gap])
        school_gaps.sort(key=lambda row: (row[3] != Status.RED.value, str(row[2])))
        gaps.extend(school_gaps)
        return statuses

    @staticmethod
    def _green_metric(question: str, green: int, schools: int) -> Metric:
        value = None if schools == 0 else round(100 * green / schools, 1)
        status, rule = rag(value, GREEN_SHARE_TARGET, amber_within=_AMBER_WITHIN)
        return Metric(
            key=f"{question.lower()}-green",
            label=f"Schools green on {question} ({QUESTIONS[question]})",
            value=value,
            unit="%",
            target=GREEN_SHARE_TARGET,
            status=status,
            rule=rule,
            evidence=schools,
            note=f"{green} of {schools} schools",
        )
