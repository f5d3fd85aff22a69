"""The ``data-return`` reports: the annual figures a hub returns to its funder, as CSV.

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be. It registers
two reporters (``data-return``, the hub-level return, and ``data-return-schools``, the
per-school return as one wide row per school), the ``wide-csv`` format that writes the
latter as the funder's spreadsheet expects, and two read models (:data:`PROJECTION_NAME`,
:data:`SCHOOLS_PROJECTION`) through ``hubcore_register_projections``.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import ProjectionLike, Renderer, Reporter, hookimpl
from hubcore_data_return._reporter import TOTALS_COLUMNS, DataReturnReporter
from hubcore_data_return._schools import (
    COUNTS,
    SCHOOLS_PROJECTION,
    SchoolCounts,
    schools_projection,
)
from hubcore_data_return._sources import PROJECTION_NAME, ReturnSources, projection
from hubcore_data_return._wide import (
    WIDE_COLUMNS,
    WIDE_CSV,
    SchoolsReturnReporter,
    render_wide_csv,
)

__all__ = [
    "COUNTS",
    "PROJECTION_NAME",
    "SCHOOLS_PROJECTION",
    "TOTALS_COLUMNS",
    "WIDE_COLUMNS",
    "WIDE_CSV",
    "DataReturnReporter",
    "ReturnSources",
    "SchoolCounts",
    "SchoolsReturnReporter",
    "hubcore_register_projections",
    "hubcore_register_renderers",
    "hubcore_register_reporters",
    "projection",
    "render_wide_csv",
    "schools_projection",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``data-return`` and ``data-return-schools`` reporters."""
    register(DataReturnReporter())
    register(SchoolsReturnReporter())


@hookimpl
def hubcore_register_renderers(register: Callable[[Renderer], None]) -> None:
    """Register the ``wide-csv`` format (one table as a plain wide CSV)."""
    register(WIDE_CSV)


@hookimpl
def hubcore_register_projections(register: Callable[[ProjectionLike], None]) -> None:
    """Register the read models of where the return's counts came from, and of each
    school's counts."""
    register(projection())
    register(schools_projection())
