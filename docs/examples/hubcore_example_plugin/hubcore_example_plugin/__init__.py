"""An example hubcore plugin: one reporter and one renderer.

Installed, it is found through its ``hubcore`` entry point (see pyproject.toml); hubcore
calls the two hooks below, each with a ``register`` callback.
"""

from __future__ import annotations

from hubcore.reporting import RegisterRenderer, RegisterReporter, hookimpl
from hubcore_example_plugin.report import TrainingHoursReporter
from hubcore_example_plugin.tsv import tsv

__all__ = ["TrainingHoursReporter", "hubcore_register_renderers", "hubcore_register_reporters"]


@hookimpl
def hubcore_register_reporters(register: RegisterReporter) -> None:
    """Give hubcore the training-hours report."""
    register(TrainingHoursReporter())


@hookimpl
def hubcore_register_renderers(register: RegisterRenderer) -> None:
    """Give hubcore the ``tsv`` output format."""
    register(tsv)
