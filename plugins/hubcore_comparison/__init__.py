"""The ``comparison`` report: coverage, cadence, training reach and participation by local
authority, phase and FSM band, with small numbers suppressed (it leaves the hub).

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be. It reads the
built-in read models only.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import Reporter, hookimpl
from hubcore_comparison._bands import FSM_BANDS, NO_FSM_BAND, FsmBand, band_of
from hubcore_comparison._reporter import RULES, ComparisonReporter
from hubcore_comparison._tally import SchoolRow, Tally, school_rows, tally

__all__ = [
    "FSM_BANDS",
    "NO_FSM_BAND",
    "RULES",
    "ComparisonReporter",
    "FsmBand",
    "SchoolRow",
    "Tally",
    "band_of",
    "hubcore_register_reporters",
    "school_rows",
    "tally",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``comparison`` reporter."""
    register(ComparisonReporter())
