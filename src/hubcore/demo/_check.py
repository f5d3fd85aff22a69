"""The demo's headline figures and the ranges a realistic hub's fall in (``hubcore demo --check``).

Each figure is computed from the read models, as the reports compute it, for one academic
year as it stood at ``as_of`` (the year's last day for a complete year):

- **coverage (D3)**: open schools engaged at the year's end / open schools; 85% to 98%.
- **overdue conversations (D4)**: open schools whose next conversation is overdue on
  ``as_of`` (by the cadence read model's rule) / open schools; at most 15%.
- **actions completed on time (D5)**: actions due in the year completed by their due date /
  actions due in the year, leaving out those withdrawn by their due date; 55% to 85%.
- **disadvantaged representation in paid tuition (W2)**: pupil-premium share of tuition
  participations / the share expected from each school's FSM share; a visible gap, 0.5
  to 0.95 (1.0 would be proportional).
- **SEND representation in paid tuition (W2)**: SEND share of tuition participations /
  the share expected from each school's own SEND share (``send_pct``; 100% for a special
  school; schools with neither are left out); 0.3 to 0.9.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from hubcore.projections import (
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    ParticipationBreadth,
    Ratio,
)
from hubcore.projections._projector import ReadModels
from hubcore.vocabulary import ParticipationProgramme

__all__ = ["HeadlineFigure", "headline_figures"]

_TUITION = (
    ParticipationProgramme.TUITION_INDIVIDUAL,
    ParticipationProgramme.TUITION_SMALL_GROUP,
    ParticipationProgramme.TUITION_LARGE_GROUP,
)


@attrs.frozen
class HeadlineFigure:
    """One headline figure of the demo, its realistic range and how it was computed."""

    name: str
    value: float | None
    low: float
    high: float
    unit: str
    detail: str

    @property
    def in_range(self) -> bool:
        """Known and within [low, high]."""
        return self.value is not None and self.low <= self.value <= self.high


def _pct(ratio: Ratio) -> float | None:
    value = ratio.percent
    return None if value is None else round(value, 1)


def _tuition_disadvantaged_index(
    model: ParticipationBreadth, year: str
) -> tuple[float | None, int]:
    """Pupil premium / expected pupil premium over the three tuition programmes: each
    programme's index is premium / expected, so expected = premium / index."""
    premium = 0.0
    expected = 0.0
    for programme in _TUITION:
        index = model.disadvantaged_index(year, programme)
        got = model.totals(year, programme).pupil_premium
        if index:
            premium += got
            expected += got / index
    return (None if not expected else premium / expected), int(premium)


def _tuition_send_index(model: ParticipationBreadth, year: str) -> tuple[float | None, int, int]:
    """SEND participations / expected SEND participations over the tuition programmes,
    each school's expected share its own (see the module doc); with the two counts."""
    send = pupils = 0
    expected = 0.0
    for programme in _TUITION:
        found = model.send_representation(year, None, programme)
        send += found.send
        pupils += found.participations
        expected += found.expected
    return (None if not expected else send / expected), send, pupils


def headline_figures(models: ReadModels, year: str, as_of: date) -> Sequence[HeadlineFigure]:
    """The headline figures of ``year`` as of ``as_of`` (see the module doc for the rules)."""
    coverage = models.get("coverage", Coverage)
    cadence = models.get("cadence", ConversationCadence)
    actions = models.get("actions", ActionFollowThrough)
    participation = models.get("participation", ParticipationBreadth)
    engaged = coverage.rate(year)
    open_now = int(engaged.denominator)
    open_set = set(coverage.open_schools(year))
    overdue = Ratio(sum(1 for u in cadence.overdue(as_of) if u in open_set), open_now)
    on_time = actions.follow_through_in_year(year)
    fsm_index, premium = _tuition_disadvantaged_index(participation, year)
    pupils = sum(participation.totals(year, p).pupils for p in _TUITION)
    send_index, send, send_pupils = _tuition_send_index(participation, year)
    return (
        HeadlineFigure(
            "coverage (D3)", _pct(engaged), 85, 98, "%",
            f"{int(engaged.numerator)} of {open_now} open schools engaged at the year's end",
        ),
        HeadlineFigure(
            "overdue conversations (D4)", _pct(overdue), 0, 15, "%",
            f"{int(overdue.numerator)} of {open_now} open schools overdue on {as_of}",
        ),
        HeadlineFigure(
            "actions completed on time (D5)", _pct(on_time), 55, 85, "%",
            f"{int(on_time.numerator)} of {int(on_time.denominator)} actions due in {year}",
        ),
        HeadlineFigure(
            "disadvantaged representation, paid tuition (W2)",
            None if fsm_index is None else round(fsm_index, 2), 0.5, 0.95, "index",
            f"{premium} pupil-premium participations of {pupils} in paid tuition",
        ),
        HeadlineFigure(
            "SEND representation, paid tuition (W2)",
            None if send_index is None else round(send_index, 2), 0.3, 0.9, "index",
            f"{send} SEND participations of {send_pupils} in paid tuition at schools with a "
            "SEND share",
        ),
    )  # fmt: skip
