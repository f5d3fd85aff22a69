"""The ``ofsted`` reporter: each school's answers to Ofsted's questions Q1-Q5."""

from __future__ import annotations

from datetime import date

import attrs

from hubcore.projections import QUESTIONS, Answer, EvidenceFile, Fact, InspectionEvidence
from hubcore.reporting import Cell, Metric, ReportContext, Status, Summary, Table, rag, read_model
from hubcore_ofsted._rules import QUESTION_RULES, judge

__all__ = ["GREEN_SHARE_TARGET", "OfstedReporter", "evidence_text"]

GREEN_SHARE_TARGET = 100
"""Every school should be able to answer every question well (percent of schools green)."""

_AMBER_WITHIN = 25


class _IsoDates(dict[date, str]):
    """ISO text of each date, made once (a national hub's facts share a few hundred dates)."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


@attrs.frozen
class _Judged:
    """What an answer's gaps make of it, worked out once per (question, gaps): a hub's
    20,000 schools share a few dozen combinations."""

    status: str
    gaps_text: str | None
    red: tuple[str, ...]
    amber: tuple[str, ...]

    @classmethod
    def of(cls, answer: Answer) -> _Judged:
        status, _, red = judge(answer)
        amber = tuple(gap for gap in answer.gaps if gap not in red)
        return cls(status.value, "; ".join(answer.gaps) or None, red, amber)


def _evidence(facts: tuple[Fact, ...], iso: _IsoDates) -> tuple[str | None, str | None]:
    """The facts as text (``label: value (date)``, joined by ``; ``) and the latest date."""
    if not facts:
        return None, None
    parts: list[str] = []
    latest: date | None = None
    for fact in facts:
        label, value, on = fact.label, fact.value, fact.on
        text = _YES_NO[value] if type(value) is bool else str(value)
        if on is None:
            parts.append(f"{label}: {text}")
        else:
            parts.append(f"{label}: {text} ({iso[on]})")
            if latest is None or on > latest:
                latest = on
    return "; ".join(parts), None if latest is None else iso[latest]


_YES_NO = {True: "yes", False: "no"}


def evidence_text(facts: tuple[Fact, ...]) -> tuple[str | None, str | None]:
    """An answer's facts as the ofsted report shows them (``label: value (date)``, joined
    by ``; ``) and the latest of their dates (ISO); None for no facts or no date."""
    return _evidence(facts, _IsoDates())


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


_GREEN = Status.GREEN.value
_RED = Status.RED.value
_AMBER = Status.AMBER.value
_SILENT = "no conversation this year"


@attrs.define
class _Rows:
    """The report's rows, one evidence file at a time (rows are tuples: the table's own)."""

    answers: list[tuple[Cell, ...]] = attrs.field(factory=list)
    matrix: list[tuple[Cell, ...]] = attrs.field(factory=list)
    gaps: list[tuple[Cell, ...]] = attrs.field(factory=list)
    greens: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(QUESTIONS, 0))
    all_green: int = 0
    silent: int = 0
    _judged: dict[tuple[str, tuple[str, ...]], _Judged] = attrs.field(factory=dict)
    _iso: _IsoDates = attrs.field(factory=_IsoDates)

    def add(self, file: EvidenceFile) -> None:
        """The file's five answer rows, its status row and its gaps, red gaps first."""
        urn, name = str(file.urn), file.school.name
        judged_by, iso, answers, greens = self._judged, self._iso, self.answers, self.greens
        statuses: list[str] = []
        red: list[tuple[Cell, ...]] = []
        amber: list[tuple[Cell, ...]] = []
        for answer in file.answers:
            question, gaps = answer.question, answer.gaps
            judged = judged_by.get((question, gaps))
            if judged is None:
                judged = judged_by[question, gaps] = _Judged.of(answer)
            status = judged.status
            statuses.append(status)
            evidence, latest = _evidence(answer.facts, iso)
            answers.append((urn, name, question, status, evidence, latest, judged.gaps_text))
            if not gaps:
                greens[question] += status == _GREEN
                continue
            if question == "Q1" and _SILENT in gaps:
                self.silent += 1
            red += [(urn, name, question, _RED, gap) for gap in judged.red]
            amber += [(urn, name, question, _AMBER, gap) for gap in judged.amber]
        school_gaps = red + amber
        if len(school_gaps) > 1:  # red first, then by question (answers come in order)
            school_gaps.sort(key=_gap_order)
        self.gaps += school_gaps
        self.matrix.append((urn, name, *statuses))
        self.all_green += statuses.count(_GREEN) == len(statuses)


def _gap_order(row: tuple[Cell, ...]) -> tuple[bool, str]:
    return row[3] != _RED, str(row[2])


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
        model = read_model(context, "inspection_evidence", InspectionEvidence)
        urns, caveats = select_schools(context, model)

        rows = _Rows()
        for file in model.evidence_files(urns, year):  # one at a time: only its rows are kept
            rows.add(file)
        answers, matrix, gaps, greens = rows.answers, rows.matrix, rows.gaps, rows.greens
        files = len(urns)

        metrics = [self._green_metric(q, greens[q], files) for q in QUESTIONS]
        all_green = rows.all_green
        metrics.append(
            Metric(
                key="schools-all-green",
                label="Schools green on every question",
                value=all_green if files else None,
                unit="schools",
                evidence=files,
            )
        )
        metrics.append(
            Metric(
                key="gaps",
                label="Gaps to close before inspection",
                value=len(gaps) if files else None,
                unit="gaps",
                target=0,
                status=Status.NO_DATA if not files else Status.GREEN if not gaps else Status.AMBER,
                rule="green if no gap, else amber",
                evidence=files,
            )
        )
        if rows.silent:
            caveats.append(
                f"{rows.silent} of {files} schools have no conversation recorded {year}."
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
                    columns=["question", "rule", "evidence used"],
                    rows=[
                        [q, rule.text, rule.evidence or None] for q, rule in QUESTION_RULES.items()
                    ],
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
