"""FSM bands: schools grouped by the share of their pupils eligible for free school meals.

The bands are fixed (not quartiles of the hub's schools), so a band means the same in
every year and every hub: England's average is 25.7% of pupils (2025), and local
authorities range from about 10% to 47%. The top band, 35% and over, holds the schools a
widening-participation plan targets first.
"""

from __future__ import annotations

import attrs

__all__ = ["FSM_BANDS", "NO_FSM_BAND", "FsmBand", "band_of"]


@attrs.frozen
class FsmBand:
    """Schools whose FSM share (``disadvantaged_pct``) is at least ``low`` and below
    ``high`` (no upper bound when ``high`` is None)."""

    name: str
    low: float
    high: float | None

    def holds(self, pct: float) -> bool:
        """True when an FSM share of ``pct`` % falls in the band."""
        return pct >= self.low and (self.high is None or pct < self.high)


FSM_BANDS = (
    FsmBand("under 15%", 0.0, 15.0),
    FsmBand("15-25%", 15.0, 25.0),
    FsmBand("25-35%", 25.0, 35.0),
    FsmBand("35% and over", 35.0, None),
)
"""The bands, lowest FSM share first; each holds its lower bound (a school at 25% is in
25-35%). The last is the widening-participation band."""

NO_FSM_BAND = "not known"
"""The group of schools with no FSM share recorded."""


def band_of(pct: float | None) -> str:
    """The name of the band an FSM share of ``pct`` % falls in (:data:`NO_FSM_BAND` for
    None)."""
    if pct is None:
        return NO_FSM_BAND
    for band in FSM_BANDS:
        if band.holds(pct):
            return band.name
    return FSM_BANDS[0].name  # a share below 0 is refused on record; never reached
