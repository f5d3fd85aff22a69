"""The ``trends`` reporter: the self-evaluation's figures year by year, table and charts."""

from __future__ import annotations

import attrs

from hubcore import HubcoreError, PluginError
from hubcore.calendar import academic_year_of, next_academic_year
from hubcore.projections import LogSpan
from hubcore.reporting import (
    Cell,
    Metric,
    Point,
    ReportContext,
    Series,
    Status,
    Summary,
    Table,
    read_model,
)
from hubcore_self_evaluation import PROJECTION_NAME, SelfEvaluationReporter
from hubcore_trends._year import YearContext

__all__ = ["STATUS_WORDS", "TrendsReporter", "recorded_years"]

STATUS_WORDS = {
    Status.RED: "red",
    Status.AMBER: "amber",
    Status.GREEN: "green",
    Status.NONE: "not judged",
    Status.NO_DATA: "no data",
}
"""How the year-by-year table writes each status ("no data" is never a 0)."""

_TABLE = "Self-evaluation by year"


def recorded_years(span: LogSpan, year: str) -> list[str]:
    """Every academic year from the one the log's earliest event occurred in to ``year``,
    oldest first (just ``year`` for an empty log or one that starts after it)."""
    first = span.first_day()
    start = year if first is None else min(academic_year_of(first), year)
    years = [start]
    while years[-1] < year:
        years.append(next_academic_year(years[-1]))
    return years


def _general(label: str, year: str) -> str:
    """A metric's label for every year: its own year named as "the year"."""
    return label.replace(year, "the year")


def _change(now: Metric, before: Metric | None, previous: str) -> str:
    if before is None or before.value is None:
        return f"no figure for {previous} to compare with"
    if now.value is None:
        return f"no data this year; {previous} had {before.value:g}"
    delta = round(now.value - before.value, 1)
    if delta == 0:
        return f"unchanged since {previous}"
    unit = "points" if now.unit == "%" else now.unit
    if abs(delta) == 1 and unit.endswith("s") and " " not in unit:
        unit = unit[:-1]  # 1 point, 1 pair, 1 day
    return f"{'up' if delta > 0 else 'down'} {abs(delta):g} {unit}".rstrip() + f" since {previous}"


@attrs.frozen
class TrendsReporter:
    """Each self-evaluation figure in every recorded year up to the report's year.

    Year ``Y``'s figure is the ``self-evaluation`` report for ``Y`` (built by :attr:`base`
    over the same read models, as of the same day), so the trend never disagrees with a
    year's own report.
    """

    name: str = "trends"
    title: str = "Self-evaluation trends"
    description: str = (
        "Each self-evaluation figure (D1-D12) in every recorded academic year up to the "
        "report's year: a table of value and status by year, and a line chart per figure. "
        "Each year's figures are that year's self-evaluation report's."
    )
    base: SelfEvaluationReporter = attrs.field(factory=SelfEvaluationReporter)
    """The self-evaluation reporter whose figures are trended (its targets and clock)."""

    @property
    def projections(self) -> tuple[str, ...]:
        """The self-evaluation's read models, and the log's span (for the years)."""
        return (*self.base.projections, "log_span")

    def build(self, context: ReportContext) -> Summary:
        """The summary for the years up to the context's year (always hub-wide)."""
        year = context.academic_year
        try:
            context.get(PROJECTION_NAME)
        except HubcoreError as error:
            raise PluginError(
                f"the trends report needs the self-evaluation plugin loaded (its read model "
                f"{PROJECTION_NAME!r}): {error}"
            ) from error
        years = recorded_years(read_model(context, "log_span", LogSpan), year)
        built = {y: self.base.build(YearContext(context, y)) for y in years}
        by_year = {y: {m.key: m for m in s.metrics} for y, s in built.items()}
        latest = built[year]
        previous = years[-2] if len(years) > 1 else None

        metrics: list[Metric] = []
        rows: list[list[Cell]] = []
        series: list[Series] = []
        for metric in latest.metrics:
            label = _general(metric.label, year)
            trail = [by_year[y].get(metric.key) for y in years]
            rows.append(
                [
                    label,
                    metric.unit,
                    metric.target,
                    *(c for m in trail for c in _cells(m)),
                ]
            )
            series.append(
                Series(
                    name=label,
                    points=[
                        Point(y, None if m is None else m.value)
                        for y, m in zip(years, trail, strict=True)
                    ],
                    unit=metric.unit,
                    target=metric.target,
                )
            )
            note = metric.note
            if previous is not None:
                change = _change(metric, by_year[previous].get(metric.key), previous)
                note = f"{change[:1].upper()}{change[1:]}. {note}".strip()
            metrics.append(attrs.evolve(metric, note=note, evidence_table=""))

        table = Table(
            name=_TABLE,
            columns=[
                "metric",
                "unit",
                f"target {year}",
                *(c for y in years for c in (y, f"{y} status")),
            ],
            rows=rows,
            caption=f"Each figure as the self-evaluation report for its year gives it "
            f"({years[0]} to {year}); an empty value is no data, never 0",
        )
        caveats = [
            f"Each year's figures are that year's self-evaluation report's ({len(years)} "
            f"years, {years[0]} to {year}): facts as they stood in that year, targets as "
            "set now.",
            *latest.caveats,
        ]
        return Summary(
            title=f"{self.title} {years[0]} to {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=[table],
            series=series,
            caveats=caveats,
            reporter=self.name,
        )


def _cells(metric: Metric | None) -> tuple[Cell, Cell]:
    if metric is None:
        return None, STATUS_WORDS[Status.NO_DATA]
    return metric.value, STATUS_WORDS[metric.status]
