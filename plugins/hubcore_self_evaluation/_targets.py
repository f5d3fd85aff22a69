"""The targets the self-evaluation report judges each duty against.

Two come with the duties: coverage and conversation cadence aim at every school (100%), as
Ofsted asks, and the strategic share of staff time defaults to 20%. The others are hubcore's
starting points, not Ofsted's: a hub sets its own by registering a reporter with other
:class:`Targets` (under another name).
"""

from __future__ import annotations

import attrs

from hubcore.projections import DEFAULT_STRATEGIC_TARGET

__all__ = ["Target", "Targets"]


@attrs.frozen
class Target:
    """A target value and how far below it (in the value's unit) is still amber."""

    value: float
    amber_within: float
    higher_is_better: bool = True


@attrs.frozen(kw_only=True)
class Targets:
    """One :class:`Target` per judged figure (percentages are 0-100)."""

    leader_publicity: Target = Target(3, 2)  # D2: school-leader publicity, one a term
    coverage: Target = Target(100, 10)  # D3
    cadence: Target = Target(100, 10)  # D4
    overdue_share: float = 5.0  # D4: overdue schools up to this % of open schools is amber
    follow_through: Target = Target(80, 15)  # D5
    training_reach: Target = Target(50, 15)  # D6
    hub_staff_hours: Target = Target(12, 6)  # D7: hours of training for hub staff
    strategic_share: Target = Target(100 * DEFAULT_STRATEGIC_TARGET, 5)  # D8
    publicity_reach: Target = Target(100, 25)  # D9: widest reach, % of open schools
    school_to_school: Target = Target(1, 0)  # D10: pairs brokered
    progression: Target = Target(80, 15)  # D11: progression at or above expected
    weekly_music: Target = Target(100, 20)  # D11: weekly music for all classes
    evaluated_share: Target = Target(80, 20)  # D12
    pupil_voice_use: Target = Target(50, 20)  # D12: evaluations using pupil voice
