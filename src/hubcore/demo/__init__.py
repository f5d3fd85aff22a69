"""A seeded, realistic synthetic hub for demos, benchmarks and generated histories.

:func:`generate_hub` yields the events of one hub over several academic years, in date
order, with the shape and rates of a typical English hub; the same seed always gives the
same events in the same order. :func:`headline_figures` gives the figures a demo is
checked against (``hubcore demo --check``), each with its realistic range.
"""

from __future__ import annotations

from hubcore.demo._check import HeadlineFigure, headline_figures
from hubcore.demo._generator import DemoParameterError, demo_event_count_estimate, generate_hub

__all__ = [
    "DemoParameterError",
    "HeadlineFigure",
    "demo_event_count_estimate",
    "generate_hub",
    "headline_figures",
]
