"""The ``comparison`` reporter: the hub's reach broken down where widening participation
looks for its gaps (local authority, phase, FSM band), small numbers suppressed."""

from __future__ import annotations

import attrs

from hubcore.projections import (
    ConversationCadence,
    Coverage,
    ParticipationBreadth,
    Ratio,
    TrainingLedger,
)
from hubcore.reporting import (
    Cell,
    Metric,
    ReportContext,
    Summary,
    Suppressor,
    Table,
    label,
    read_model,
)
from hubcore.vocabulary import Phase
from hubcore_comparison._bands import FSM_BANDS, NO_FSM_BAND, band_of
from hubcore_comparison._tally import SchoolRow, Tally, school_rows, tally

__all__ = ["MEASURES", "RULES", "ComparisonReporter"]

RULES = {
    "coverage": "Coverage: open schools engaged at the year's end / schools registered and "
    "open during the year (D3 of the self-evaluation).",
    "cadence": "Conversation cadence: open schools with at least one challenging or review "
    "conversation dated in the year / open schools (D4 of the self-evaluation).",
    "training-reach": "Training reach: open schools with at least one training session for "
    "their staff dated in the year / open schools (D6 of the self-evaluation).",
    "participation-rate": "Participation rate: participations recorded for the year / "
    "pupils on roll at the year's end, over open schools, per 100 pupils (W2 of the "
    "participation report); no participation recorded is no data, and a count under the "
    "suppression threshold is shown as <5 with its rate withheld.",
    "gap": f"High-FSM gap: the figure of the schools in the FSM band {FSM_BANDS[-1].name} "
    "minus the whole hub's, in percentage points; below 0, the schools with the most "
    "disadvantaged pupils are behind the hub.",
}
"""Each figure's rule in plain English, as the report's notes state it."""

MEASURES = (
    ("coverage", "Coverage", "coverage"),
    ("cadence", "Conversation cadence", "conversation cadence"),
    ("training-reach", "Training reach", "training reach"),
    ("participation-rate", "Participation rate", "participation rate"),
)
"""(key, label, table column) of each figure compared."""

_SHARES = MEASURES[:3]
"""The figures that are shares of open schools (coverage, cadence, training reach)."""

_UNITS = {
    "open schools": "schools",
    "coverage": "%",
    "conversation cadence": "%",
    "training reach": "%",
    "participations": "participations",
    "pupils on roll": "pupils",
    "participation rate": "%",
}


def _pct(ratio: Ratio) -> float | None:
    percent = ratio.percent
    return None if percent is None else round(percent, 1)


@attrs.frozen
class _Shown:
    """A figure as the report may show it: its value, or suppressed."""

    value: float | None
    suppressed: bool = False


def _said(shown: _Shown) -> str:
    if shown.suppressed:
        return "suppressed"
    return "no data" if shown.value is None else f"{shown.value:g}%"


@attrs.frozen
class ComparisonReporter:
    """Coverage, conversation cadence, training reach and participation by local authority,
    phase and FSM band, and each one's gap for the highest-FSM schools."""

    name: str = "comparison"
    title: str = "Comparison by area, phase and FSM band"
    description: str = (
        "Coverage, conversation cadence, training reach and participation rate by local "
        "authority, phase and FSM band (the gaps a widening-participation plan targets), and "
        "each one's gap for the schools with the most FSM pupils. Leaves the hub: counts "
        "under 5 are suppressed."
    )
    projections: tuple[str, ...] = ("coverage", "cadence", "training", "participation")
    threshold: int = 5

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's year (always hub-wide); small counts suppressed."""
        year = context.academic_year
        rows = school_rows(
            year,
            read_model(context, "coverage", Coverage),
            read_model(context, "cadence", ConversationCadence),
            read_model(context, "training", TrainingLedger),
            read_model(context, "participation", ParticipationBreadth),
        )
        hide = Suppressor(self.threshold)
        whole = Tally()
        for row in rows:
            whole.add(row)
        by_band = tally(rows, lambda r: band_of(r.fsm_pct))
        top = by_band.get(FSM_BANDS[-1].name)

        metrics: list[Metric] = []
        for key, name, _ in MEASURES:
            metrics.append(self._figure(key, name, whole, hide))
        for key, name, _ in MEASURES:
            metrics.append(self._gap(key, name, whole, top, hide))

        las = tally(sorted(rows, key=lambda r: r.la_code), lambda r: r.la_code)
        phase_order = {p: i for i, p in enumerate(Phase)}
        phases = tally(sorted(rows, key=lambda r: phase_order[r.phase]), lambda r: label(r.phase))
        bands = {b: by_band[b] for b in (*(b.name for b in FSM_BANDS), NO_FSM_BAND) if b in by_band}
        tables = [
            self._table("By local authority", "local authority", las, hide),
            self._table("By phase", "phase", phases, hide),
            self._table("By FSM band", "FSM band", bands, hide),
            Table(
                name="Shares by FSM band",
                columns=["FSM band", *(c for _, _, c in _SHARES)],
                rows=[
                    [b, *(self._value(k, t, hide).value for k, _, _ in _SHARES)]
                    for b, t in bands.items()
                ],
                chart="bar",
                unit="%",
                caption="Coverage, conversation cadence and training reach of open schools by "
                "FSM band (the shares of the table above, charted)",
            ),
        ]
        summary = Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=tables,
            caveats=self._caveats(context, rows),
            reporter=self.name,
        )
        return summary.leaving_hub(suppressed=hide.applied, threshold=hide.threshold)

    # -- figures -------------------------------------------------------------------------

    def _value(self, key: str, group: Tally, hide: Suppressor) -> _Shown:
        """The group's figure ``key``: no data, suppressed or a percentage."""
        if key != "participation-rate":
            ratio = {
                "coverage": group.coverage,
                "cadence": group.cadence,
                "training-reach": group.training_reach,
            }[key]
            return _Shown(_pct(ratio))
        if not group.records:
            return _Shown(None)  # no participation recorded: no data, never 0
        if 0 < group.participations < hide.threshold:
            hide.applied = True
            return _Shown(None, suppressed=True)
        return _Shown(_pct(group.participation_rate))

    def _figure(self, key: str, name: str, whole: Tally, hide: Suppressor) -> Metric:
        shown = self._value(key, whole, hide)
        evidence = whole.records if key == "participation-rate" else whole.schools
        return Metric(
            key=key, label=f"{name}, whole hub", value=shown.value, unit="%",
            evidence=evidence, suppressed=shown.suppressed, note=RULES[key],
        )  # fmt: skip

    def _gap(
        self, key: str, name: str, whole: Tally, top: Tally | None, hide: Suppressor
    ) -> Metric:
        band = FSM_BANDS[-1].name
        hub_value = self._value(key, whole, hide)
        if top is None:
            return Metric(
                key=f"{key}-fsm-gap", label=f"{name} gap, FSM {band}", value=None, unit="points",
                note=f"No open school is in the FSM band {band}. {RULES['gap']} {RULES[key]}",
            )  # fmt: skip
        top_value = self._value(key, top, hide)
        suppressed = hub_value.suppressed or top_value.suppressed
        value = (
            None
            if suppressed or hub_value.value is None or top_value.value is None
            else round(top_value.value - hub_value.value, 1)
        )
        return Metric(
            key=f"{key}-fsm-gap", label=f"{name} gap, FSM {band}", value=value, unit="points",
            evidence=top.schools, suppressed=suppressed,
            note=f"{_said(top_value)} in the {top.schools} open schools of the band against "
            f"{_said(hub_value)} for the whole hub. {RULES['gap']} {RULES[key]}",
        )  # fmt: skip

    def _table(self, name: str, heading: str, groups: dict[str, Tally], hide: Suppressor) -> Table:
        rows: list[list[Cell]] = []
        for group, t in groups.items():
            rows.append(
                [
                    group,
                    t.schools,
                    *(self._value(key, t, hide).value for key, _, _ in _SHARES),
                    hide(t.participations) if t.records else None,
                    hide(t.roll),
                    self._value("participation-rate", t, hide).value,
                ]
            )
        columns = [heading, "open schools", *(c for _, _, c in _SHARES), "participations",
                   "pupils on roll", "participation rate"]  # fmt: skip
        return Table(
            name=name,
            columns=columns,
            rows=rows,
            units={c: u for c, u in _UNITS.items() if c in columns},
            caption=f"Open schools by {heading}, as they stood at the year's "
            "end; an empty participation cell is no data (none recorded), never 0",
        )

    # -- caveats -------------------------------------------------------------------------

    def _caveats(self, context: ReportContext, rows: list[SchoolRow]) -> list[str]:
        caveats: list[str] = []
        if context.schools != "all":
            caveats.append("The comparison covers the whole hub: the schools filter was ignored.")
        caveats.append(
            "Counts are participations, not pupils: one pupil in two ensembles counts twice."
        )
        unknown = sum(1 for r in rows if r.fsm_pct is None)
        if unknown:
            caveats.append(
                f"{unknown} of {len(rows)} open schools have no FSM share recorded: they are "
                f"in the FSM band '{NO_FSM_BAND}'."
            )
        silent = sum(1 for r in rows if not r.records)
        if silent:
            caveats.append(
                f"{silent} of {len(rows)} open schools have no participation recorded for "
                f"{context.academic_year}."
            )
        caveats.append(
            "FSM bands are fixed shares of pupils eligible for free school meals (England's "
            "average is 25.7%): under 15%, 15-25%, 25-35%, 35% and over, each holding its lower "
            "bound (a school at 25% is in 25-35%)."
        )
        return caveats
