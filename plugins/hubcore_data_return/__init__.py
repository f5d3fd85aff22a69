"""The ``data-return`` report: the annual figures a hub returns to its funder, as CSV.

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be. It adds one
read model (:data:`PROJECTION_NAME`) through ``hubcore_register_projections``.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import ProjectionLike, Reporter, hookimpl
from hubcore_data_return._reporter import TOTALS_COLUMNS, DataReturnReporter
from hubcore_data_return._sources import PROJECTION_NAME, ReturnSources, projection

__all__ = [
    "PROJECTION_NAME",
    "TOTALS_COLUMNS",
    "DataReturnReporter",
    "ReturnSources",
    "hubcore_register_projections",
    "hubcore_register_reporters",
    "projection",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``data-return`` reporter."""
    register(DataReturnReporter())


@hookimpl
def hubcore_register_projections(register: Callable[[ProjectionLike], None]) -> None:
    """Register the read model of where the return's counts came from."""
    register(projection())
