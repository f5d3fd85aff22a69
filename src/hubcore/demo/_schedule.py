"""When the demo's conversations happen: on the date agreed at the last one, or a little late.

Each conversation agrees the next (``next_due_on``): 8 to 16 weeks on for an engaged school
(about once a half-term to once a term), about a year on for one not engaged, moved to the
next school day when it falls in a holiday and to early autumn when it falls in the summer
term's last three weeks or after it. The next conversation is then held on time (up to two
weeks early) for 75% of schools, one to six weeks late for 19%, and 8 to 20 weeks late
(often not in that year) for the rest.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date, timedelta

__all__ = ["ON_TIME", "SLIPS", "held_on", "next_due"]

ON_TIME = 0.75  # held within two weeks before the agreed date, or on it
SLIPS = 0.19  # held one to six weeks late; the rest, 8 to 20 weeks late
_ENGAGED_WEEKS = (8, 16)
_OTHER_DAYS = (330, 380)
_LAST_WEEKS = timedelta(weeks=3)  # nobody agrees a review for the summer term's last weeks


def _school_day(days: list[date], day: date) -> date | None:
    """The first term day on or after ``day`` (``days`` sorted), or None after the last."""
    at = bisect.bisect_left(days, day)
    return days[at] if at < len(days) else None


def next_due(random: Callable[[], float], on: date, days: list[date], engaged: bool) -> date:
    """The date agreed at a conversation on ``on`` for the next one (a school day)."""
    if engaged:
        low, high = _ENGAGED_WEEKS
        wanted = on + timedelta(weeks=low + int(random() * (high - low + 1)))
    else:
        low, high = _OTHER_DAYS
        wanted = on + timedelta(days=low + int(random() * (high - low)))
    found = _school_day(days, wanted) if wanted < days[-1] - _LAST_WEEKS else None
    if found is not None:
        return found
    if wanted.month in (7, 8):
        # at the end of the summer term or in the holiday: early in the next autumn term
        wanted = date(days[-1].year, 9, 8) + timedelta(days=int(random() * 14))
    while wanted.weekday() >= 5:
        wanted += timedelta(days=1)
    return wanted


def held_on(random: Callable[[], float], due: date, days: list[date]) -> date | None:
    """The term day the conversation agreed for ``due`` is held, or None if not this year."""
    r = random()
    if r < ON_TIME:
        slip = -int(random() * 15)
    elif r < ON_TIME + SLIPS:
        slip = 7 + int(random() * 36)
    else:
        slip = 56 + int(random() * 85)
    return _school_day(days, max(days[0], due + timedelta(days=slip)))
