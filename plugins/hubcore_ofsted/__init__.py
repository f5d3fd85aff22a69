"""The ``ofsted`` report: each school's answers to Ofsted's inspection questions Q1-Q5.

A first-party hubcore plugin, written only against hubcore's public API and registered
through the ``hubcore`` entry-point group, as a third-party plugin would be.
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.reporting import Reporter, hookimpl
from hubcore_ofsted._reporter import GREEN_SHARE_TARGET, OfstedReporter, evidence_text
from hubcore_ofsted._rules import QUESTION_RULES, QuestionRule, judge

__all__ = [
    "GREEN_SHARE_TARGET",
    "QUESTION_RULES",
    "OfstedReporter",
    "QuestionRule",
    "evidence_text",
    "hubcore_register_reporters",
    "judge",
]


@hookimpl
def hubcore_register_reporters(register: Callable[[Reporter], None]) -> None:
    """Register the ``ofsted`` reporter."""
    register(OfstedReporter())
