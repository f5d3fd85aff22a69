"""The ``data-return`` reporter: the annual figures a hub returns to its funder."""

from __future__ import annotations

import attrs

from hubcore.projections import (
    TUITION,
    ConversationCadence,
    Coverage,
    DevelopmentPlans,
    ParticipationBreadth,
    TrainingLedger,
)
from hubcore.reporting import Cell, Metric, ReportContext, Summary, Suppressor, Table, read_model
from hubcore.vocabulary import ParticipationProgramme
from hubcore_data_return._sources import PROJECTION_NAME, ReturnSources

__all__ = ["TOTALS_COLUMNS", "DataReturnReporter"]

TOTALS_COLUMNS = ("figure", "description", "numerator", "denominator", "percentage")
"""The columns of the ``Totals`` table: a stable figure key, then the figure's parts."""

_WCET = ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
_KEY_STAGES = (1, 2, 3, 4, 5)


def _yn(flag: bool) -> str:
    return "y" if flag else "n"


@attrs.define
class _Totals:
    """Builds the rows of the totals table, suppressing small pupil counts."""

    hide: Suppressor
    rows: list[list[Cell]] = attrs.field(factory=list)

    def add(
        self,
        figure: str,
        description: str,
        numerator: float,
        denominator: float | None,
        *,
        pupils: bool = False,
        pupil_denominator: bool = False,
    ) -> None:
        """One total; pupil counts under the threshold become ``<5`` and hide the share."""
        shown_num: Cell = self._show(numerator, pupils)
        shown_den: Cell = (
            None if denominator is None else self._show(denominator, pupil_denominator)
        )
        hidden = isinstance(shown_num, str) or isinstance(shown_den, str)
        percentage = (
            None if denominator in (None, 0) or hidden else round(100 * numerator / denominator, 1)
        )
        self.rows.append([figure, description, shown_num, shown_den, percentage])

    def _show(self, count: float, pupils: bool) -> Cell:
        if pupils and float(count).is_integer():
            return self.hide(int(count))
        return int(count) if float(count).is_integer() else count


@attrs.frozen
class DataReturnReporter:
    """The annual data return (Arts Council England): a schools table and the totals."""

    name: str = "data-return"
    title: str = "Annual data return"
    description: str = (
        "The annual figures a hub returns to its funder: one row per open school (engaged, "
        "whole-class programme, CPD, plan support) and the totals, each with numerator, "
        "denominator and percentage. Leaves the hub: counts under 5 pupils are suppressed. "
        "CSV is the main format."
    )
    projections: tuple[str, ...] = (
        "coverage",
        "participation",
        "training",
        "development_plans",
        "cadence",
        PROJECTION_NAME,
    )
    threshold: int = 5

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's hub and year; suppression applied."""
        year = context.academic_year
        coverage = read_model(context, "coverage", Coverage)
        participation = read_model(context, "participation", ParticipationBreadth)
        training = read_model(context, "training", TrainingLedger)
        plans = read_model(context, "development_plans", DevelopmentPlans)
        cadence = read_model(context, "cadence", ConversationCadence)
        sources = read_model(context, PROJECTION_NAME, ReturnSources)
        hide = Suppressor(self.threshold)
        open_schools = coverage.open_schools(year)
        engaged = set(coverage.engaged_schools(year))
        trained = set(training.schools_trained(year))
        wcet = sources.whole_class_schools(year) & set(open_schools)
        supported = {
            u for u in open_schools if (p := plans.plan(u, year)) is not None and p.hub_supported
        }

        schools: list[list[Cell]] = []
        for urn in open_schools:
            facts = coverage.school(urn, year)
            if facts is None:  # pragma: no cover - open schools are registered
                continue
            schools.append(
                [
                    str(urn), facts.name, facts.phase.value, _yn(urn in engaged),
                    _yn(urn in wcet), _yn(urn in trained), _yn(urn in supported),
                ]
            )  # fmt: skip

        totals = _Totals(hide)
        n_open = len(open_schools)
        roll = participation.rate(year).denominator
        totals.add("schools.engaged", "Open schools engaged", len(engaged), n_open)
        for phase, ratio in coverage.by_phase(year).items():
            totals.add(
                f"schools.engaged.{phase.value}", f"Open {phase.value} schools engaged",
                ratio.numerator, ratio.denominator,
            )  # fmt: skip
        self._whole_class(
            totals, participation, year, wcet_schools=len(wcet), n_open=n_open, roll=roll
        )
        self._tuition(totals, participation, year, roll)
        for programme in (ParticipationProgramme.ENSEMBLE, ParticipationProgramme.CHOIR):
            t = participation.totals(year, programme)
            totals.add(
                f"{programme.value}.participations",
                f"{programme.value.capitalize()} participations as a share of pupils on roll",
                t.pupils, roll, pupils=True, pupil_denominator=True,
            )  # fmt: skip
        cpd = training.totals(year)
        totals.add("cpd.hours", "CPD hours delivered to schools", cpd.hours, None)
        totals.add("cpd.staff_trained", "School staff trained", cpd.staff_trained, None)
        totals.add(
            "cpd.schools", "Open schools receiving CPD", len(trained & set(open_schools)), n_open
        )
        totals.add(
            "plans.hub_supported", "Open schools whose music development plan the hub supported",
            len(supported), n_open,
        )  # fmt: skip
        held = cadence.conversations_held(year)
        talked = self._talked(cadence, open_schools, year)
        totals.add("conversations.held", "Conversations held with open schools", held, None)
        totals.add("conversations.schools", "Open schools with a conversation", len(talked), n_open)

        cover = coverage.rate(year)
        metrics = [
            Metric(
                key="schools-engaged", label="Open schools engaged", unit="%",
                value=None if cover.percent is None else round(cover.percent, 1),
                evidence=n_open, note=f"{cover.numerator:g} of {n_open}",
            ),
            Metric(key="open-schools", label="Open state-funded schools", value=n_open,
                   unit="schools"),
            Metric(key="conversations-held", label="Conversations held", value=held,
                   unit="conversations"),
        ]  # fmt: skip
        summary = Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=[
                Table(
                    name="Schools",
                    columns=[
                        "urn",
                        "name",
                        "phase",
                        "engaged",
                        "whole-class programme",
                        "cpd",
                        "plan support",
                    ],
                    rows=schools,
                    caption="One row per open state-funded school (y/n)",
                ),
                Table(
                    name="Totals",
                    columns=TOTALS_COLUMNS,
                    rows=totals.rows,
                    caption="Each figure with numerator, denominator and percentage; pupil "
                    f"counts under {hide.threshold} shown as <{hide.threshold}",
                ),
            ],
            caveats=self._caveats(context, sources, open_schools, talked, year),
            reporter=self.name,
        )
        return summary.leaving_hub(suppressed=hide.applied, threshold=hide.threshold)

    @staticmethod
    def _talked(cadence: ConversationCadence, schools: list[int], year: str) -> set[int]:
        """The schools that had a conversation of any kind dated in ``year``."""
        talked = cadence.schools_talked_to(year)
        return {urn for urn in schools if urn in talked}

    @staticmethod
    def _whole_class(
        totals: _Totals,
        participation: ParticipationBreadth,
        year: str,
        *,
        wcet_schools: int,
        n_open: int,
        roll: float,
    ) -> None:
        t = participation.totals(year, _WCET)
        cont = participation.continuation(year)
        totals.add(
            "whole_class.pupils",
            "Whole-class ensemble pupils as a share of pupils on roll",
            t.pupils,
            roll,
            pupils=True,
            pupil_denominator=True,
        )
        totals.add(
            "whole_class.schools",
            "Open schools with a whole-class programme",
            wcet_schools,
            n_open,
        )
        totals.add(
            "whole_class.terms",
            "Whole-class terms taught / 3 terms per programme recorded",
            t.wcet_terms,
            3 * t.records,
        )
        totals.add(
            "whole_class.continuation", "Pupils continuing after whole-class teaching / "
            "whole-class pupils last year (same schools)", cont.numerator, cont.denominator,
            pupils=True, pupil_denominator=True,
        )  # fmt: skip

    @staticmethod
    def _tuition(
        totals: _Totals, participation: ParticipationBreadth, year: str, roll: float
    ) -> None:
        for programme in sorted(TUITION):
            all_stages = participation.totals(year, programme)
            known = [participation.totals(year, programme, key_stage=k) for k in _KEY_STAGES]
            unknown_pupils = all_stages.pupils - sum(t.pupils for t in known)
            for stage, t in zip(_KEY_STAGES, known, strict=True):
                if t.pupils:
                    _tuition_rows(
                        totals, f"{programme.value}.ks{stage}", pupils=t.pupils,
                        pp=t.pupil_premium, send=t.send, remission=t.fee_remission, roll=roll,
                    )  # fmt: skip
            if unknown_pupils:
                _tuition_rows(
                    totals, f"{programme.value}.ks_unknown", pupils=unknown_pupils,
                    pp=all_stages.pupil_premium - sum(t.pupil_premium for t in known),
                    send=all_stages.send - sum(t.send for t in known),
                    remission=all_stages.fee_remission - sum(t.fee_remission for t in known),
                    roll=roll,
                )  # fmt: skip

    @staticmethod
    def _caveats(
        context: ReportContext,
        sources: ReturnSources,
        open_schools: list[int],
        talked: set[int],
        year: str,
    ) -> list[str]:
        caveats = [
            "Every school on the hub's roster is taken to be state-funded.",
            "Pupil counts are participations, not pupils: one pupil in two ensembles counts "
            "twice, as the funder counts them.",
        ]
        if context.schools != "all":
            caveats.append("The data return covers the whole hub: the schools filter was ignored.")
        silent = [u for u in open_schools if u not in talked]
        if silent:
            caveats.append(
                f"{len(silent)} of {len(open_schools)} open schools have no conversation "
                f"recorded {year}."
            )
        records, estimated, returned = sources.counts(year, set(open_schools))
        if estimated or returned:
            caveats.append(
                f"Figures include schools' estimates: of {records} participation and training "
                f"records for {year}, {estimated} are estimates and {returned} came from "
                "schools' own returns."
            )
        return caveats


def _tuition_rows(
    totals: _Totals, key: str, *, pupils: int, pp: int, send: int, remission: int, roll: float
) -> None:
    label = key.replace("_", " ").replace(".", ", ")
    totals.add(
        f"{key}.pupils",
        f"{label}: pupils as a share of pupils on roll",
        pupils,
        roll,
        pupils=True,
        pupil_denominator=True,
    )
    for part, count in (("pupil_premium", pp), ("send", send), ("fee_remission", remission)):
        totals.add(
            f"{key}.{part}", f"{label}: {part.replace('_', ' ')} of its pupils", count, pupils,
            pupils=True, pupil_denominator=True,
        )  # fmt: skip
