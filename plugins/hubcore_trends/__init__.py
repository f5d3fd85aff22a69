"""The ``trends`` report: each self-evaluation figure across every recorded academic year.

A first-party hubcore plugin registered through the ``hubcore`` entry-point group. It
builds the ``self-evaluation`` report once per year (the same reporter, the same read
models), so each year's figure is, by construction, that year's self-evaluation figure.
It therefore needs the ``self-evaluation`` plugin (and its read model) loaded too.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import Reporter, hookimpl
from hubcore_trends._reporter import TrendsReporter, recorded_years

__all__ = ["TrendsReporter", "hubcore_register_reporters", "recorded_years"]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``trends`` reporter."""
    register(TrendsReporter())
