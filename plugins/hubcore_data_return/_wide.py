"""The ``data-return-schools`` reporter: the per-school return, one wide row per school,
and the ``wide-csv`` format that writes it as the funder's spreadsheet expects."""

from __future__ import annotations

import attrs

from hubcore import SummaryError
from hubcore.projections import Coverage, DevelopmentPlans
from hubcore.reporting import (
    Cell,
    Metric,
    ReportContext,
    Summary,
    Suppressor,
    Table,
    read_model,
    render_table_csv,
    renderer,
)
from hubcore_data_return._schools import COUNTS, SCHOOLS_PROJECTION, SchoolCounts

__all__ = ["WIDE_COLUMNS", "WIDE_CSV", "SchoolsReturnReporter", "render_wide_csv"]

_PARTICIPATION = COUNTS[1 : COUNTS.index("training_records")]
"""The participation columns: the read model's counts after its record count."""
_PUPIL_COUNTS = frozenset(_PARTICIPATION) - {"whole_class_terms"}
WIDE_COLUMNS = (
    "urn",
    "name",
    "phase",
    "la_code",
    "pupils_on_roll",
    "engaged",
    "whole_class_programme",
    *_PARTICIPATION,
    "cpd",
    "cpd_hours",
    "staff_trained",
    "music_development_plan",
    "plan_summary_published",
    "plan_support",
    "conversations",
)
"""The per-school return's columns, in order (docs/data-return.md lists each one's source)."""


def _yn(flag: bool) -> str:
    return "y" if flag else "n"


@attrs.frozen
class SchoolsReturnReporter:
    """The per-school data return: one row per open school, the columns of
    :data:`WIDE_COLUMNS`; pupil counts under the threshold suppressed."""

    name: str = "data-return-schools"
    title: str = "Per-school data return"
    description: str = (
        "The data return school by school: one wide row per open school (engagement, "
        "whole-class teaching and continuation, tuition with pupil premium, SEND and "
        "remission, ensembles, choirs and singing, CPD, music development plan, "
        "conversations). Leaves the hub: counts under 5 pupils are suppressed. Write it "
        "with --format wide-csv for one row per school."
    )
    projections: tuple[str, ...] = ("coverage", "development_plans", SCHOOLS_PROJECTION)
    threshold: int = 5

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's hub and year: the one wide table."""
        year = context.academic_year
        coverage = read_model(context, "coverage", Coverage)
        plans = read_model(context, "development_plans", DevelopmentPlans)
        counts = read_model(context, SCHOOLS_PROJECTION, SchoolCounts)
        hide = Suppressor(self.threshold)
        engaged = set(coverage.engaged_schools(year))
        rows: list[list[Cell]] = []
        for urn in coverage.open_schools(year):
            facts = coverage.school(urn, year)
            if facts is None:  # pragma: no cover - open schools are registered
                continue
            got = counts.counts(urn, year) or {}
            parts = got.get("participation_records", 0) > 0
            trained = got.get("training_records", 0) > 0
            plan = plans.plan(urn, year)
            row: list[Cell] = [
                str(urn), facts.name, facts.phase.value, facts.la_code, facts.pupils_on_roll,
                _yn(urn in engaged), _yn(parts and got["whole_class_pupils"] > 0),
            ]  # fmt: skip
            for column in _PARTICIPATION:
                if not parts:
                    row.append(None)
                elif column in _PUPIL_COUNTS:
                    row.append(hide(int(got[column])))
                else:
                    row.append(got[column])
            row += [
                _yn(trained),
                round(got["cpd_hours"], 2) if trained else None,
                got["staff_trained"] if trained else None,
                None if plan is None else _yn(plan.has_plan),
                None if plan is None else _yn(plan.summary_published),
                None if plan is None else _yn(plan.hub_supported),
                got.get("conversations") or None,
            ]
            rows.append(row)
        summary = Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=[
                Metric(
                    key="open-schools",
                    label="Open state-funded schools",
                    value=len(rows),
                    unit="schools",
                )
            ],
            tables=[
                Table(
                    name="Schools",
                    columns=WIDE_COLUMNS,
                    rows=rows,
                    caption="One row per open state-funded school; an empty count means no "
                    f"record of its kind for {year}; pupil counts under {hide.threshold} "
                    f"shown as <{hide.threshold}",
                )
            ],
            caveats=self._caveats(context),
            reporter=self.name,
        )
        return summary.leaving_hub(suppressed=hide.applied, threshold=hide.threshold)

    @staticmethod
    def _caveats(context: ReportContext) -> list[str]:
        caveats = [
            "Every school on the hub's roster is taken to be state-funded.",
            "Pupil counts are participations, not pupils: one pupil in two ensembles counts "
            "twice, as the funder counts them.",
        ]
        if context.schools != "all":
            caveats.append("The data return covers the whole hub: the schools filter was ignored.")
        return caveats


@renderer("wide-csv", media_type="text/csv; charset=utf-8", suffix=".csv")
def render_wide_csv(summary: Summary) -> bytes:
    """A one-table summary (such as ``data-return-schools``) as a plain wide CSV: a header
    of its column names, then one line per row (the ``csv`` format's encoding and formula
    rules). Any other summary is refused, naming its tables."""
    if len(summary.tables) != 1 or summary.sections:
        names = ", ".join(repr(t.name) for t in summary.tables) or "none"
        raise SummaryError(
            f"Summary {summary.reporter!r}",
            "tables",
            f"the wide-csv format writes a report of exactly one table (this one has: {names});"
            " use --format csv",
        )
    return render_table_csv(summary.tables[0])


WIDE_CSV = render_wide_csv
"""The ``wide-csv`` renderer the plugin registers."""
