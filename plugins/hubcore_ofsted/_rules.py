"""How an answer's gaps set a question's red/amber/green status (one rule per question).

A gap that shows the school falls short of what Ofsted looks for (not engaged, music not
taught weekly, quality not judged, guidance unknown to the school, disadvantaged pupils
under-represented) makes the question red; any other gap (something not yet known or not
recorded this year) makes it amber; no gap makes it green.
"""

from __future__ import annotations

import attrs

from hubcore.projections import Answer
from hubcore.reporting import Status

__all__ = ["QUESTION_RULES", "QuestionRule", "judge"]


@attrs.frozen
class QuestionRule:
    """The gaps (by their opening words) that make a question red."""

    question: str
    red_when: tuple[str, ...]
    evidence: str = ""
    """Which evidence answers the question, in plain English."""

    @property
    def text(self) -> str:
        """The rule in words, as the report shows it."""
        red = "; ".join(self.red_when)
        return f"red if: {red}; amber if any other gap; green if no gap"


QUESTION_RULES: dict[str, QuestionRule] = {
    rule.question: rule
    for rule in (
        QuestionRule("Q1", ("not engaged with the hub",)),
        QuestionRule(
            "Q2",
            ("music is not taught weekly to all classes",),
            "the school's own provision report for the year (every class has music every"
            " week, or not); a conversation's note only where there is no report. A note of"
            " the same year that disagrees with the report is shown next to it and is a gap",
        ),
        QuestionRule(
            "Q3",
            ("the quality of music lessons is not judged",),
            "how the school judges quality (from conversations), and the school's own grade"
            " in its provision report compared with the hub's latest judgement of class"
            " teaching: one at or above 'expected' and the other below it is a disagreement,"
            " shown with both grades, and a gap",
        ),
        QuestionRule("Q4", ("not aware of Ofsted's subject guidance",)),
        QuestionRule("Q5", ("disadvantaged pupils under-represented",)),
    )
}
"""Question -> the rule that sets its status."""


def judge(answer: Answer) -> tuple[Status, str, tuple[str, ...]]:
    """The status of ``answer``, the rule's text, and the gaps that made it red."""
    rule = QUESTION_RULES[answer.question]
    red = tuple(g for g in answer.gaps if g.startswith(rule.red_when))
    if red:
        return Status.RED, rule.text, red
    if answer.gaps:
        return Status.AMBER, rule.text, ()
    return Status.GREEN, rule.text, ()
