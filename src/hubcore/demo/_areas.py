"""The demo hub's area and its schools' free-school-meal and SEND shares.

The area is real: local authorities of the West Midlands, with their DfE three-digit codes
and names, taken in this order (a demo of N schools uses about N / 140 of them, 1 to 8).
Each authority's FSM share is a rounded approximation, for shape and not for claims. A
school's share is its authority's, scaled by its phase's ratio to the all-school rate and
spread around that (docs/demo.md gives the sources).
"""

from __future__ import annotations

from collections.abc import Callable

from hubcore.vocabulary import Phase

__all__ = ["AREAS", "fsm_pct", "send_share"]

AREAS: tuple[tuple[str, str, float], ...] = (
    ("330", "Birmingham", 38.0),
    ("334", "Solihull", 20.0),
    ("333", "Sandwell", 33.0),
    ("335", "Walsall", 31.0),
    ("332", "Dudley", 26.0),
    ("336", "Wolverhampton", 32.0),
    ("331", "Coventry", 28.0),
    ("937", "Warwickshire", 17.0),
)
"""(LA code, LA name, approximate % of pupils eligible for free school meals)."""

# FSM rate of each phase / the all-school rate (DfE "Schools, pupils and their
# characteristics", January 2021: primary 21.6%, secondary 18.9%, state-funded special
# 43.2%, pupil referral units 53.1%, all 20.8%; nursery schools far lower).
_FSM_RATIO = {
    Phase.PRIMARY: 21.6 / 20.8,
    Phase.SECONDARY: 18.9 / 20.8,
    Phase.SPECIAL: 43.2 / 20.8,
    Phase.ALTERNATIVE_PROVISION: 53.1 / 20.8,
    Phase.NURSERY: 0.45,
}
# Share of pupils with SEN (EHC plan or SEN support), DfE "Special educational needs in
# England", January 2025: primary 18.2%, secondary 16.5%, alternative provision over 83%,
# nursery 18.8%; special schools count as 100%.
_SEND = {
    Phase.PRIMARY: 0.182,
    Phase.SECONDARY: 0.165,
    Phase.SPECIAL: 1.0,
    Phase.ALTERNATIVE_PROVISION: 0.83,
    Phase.NURSERY: 0.188,
}


def fsm_pct(random: Callable[[], float], la_pct: float, phase: Phase) -> float:
    """A school's FSM share (%, one decimal, 2 to 80): its LA's, by phase, spread +-45%."""
    ratio = _FSM_RATIO.get(phase, 1.0)
    return round(min(80.0, max(2.0, la_pct * ratio * (0.55 + 0.9 * random()))), 1)


def send_share(random: Callable[[], float], phase: Phase) -> float:
    """A school's share of pupils with SEN (a fraction; 1.0 for a special school)."""
    base = _SEND.get(phase, 0.18)
    if base >= 1.0:
        return 1.0
    return round(min(1.0, base * (0.6 + 0.8 * random())), 3)
