"""The life of the demo's agreed actions: agreed, completed, withdrawn or carried over.

At agreement each action draws its fate: most are completed by their due date, a few are
dropped before it, the rest stay open. Each later conversation reviews the open actions
already past their due date: about half were done late (completed before the
conversation), a quarter are superseded by a new action agreed there, a quarter are
dropped. Open actions not yet due are carried over, into the next year if need be, so open
actions never pile up. A closing event dated in a later academic year than the one being
built waits in the school's ``pending`` list until that year (events are yielded a year at
a time, in date order).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

from hubcore.events import Event
from hubcore.vocabulary import ActionOwner, WithdrawalReason

__all__ = ["ActionBook", "Pending"]

ACTIONS = (
    "Timetable a weekly music lesson for every class",
    "Music lead to attend the hub's curriculum network",
    "Adopt a progression framework for Key Stage 2",
    "Plan assessment of composing across the year",
    "Invite the hub to observe whole-class lessons",
    "Publish a music development plan summary",
    "Widen ensemble places for pupils eligible for the pupil premium",
    "Audit instruments and order replacements",
    "Add a singing assembly each week",
    "Share the music development plan with governors",
)
OUTCOMES = ("Done as agreed", "Done, and shared with governors", "Done with the hub's help")
LATE_OUTCOMES = ("Done later than planned", "Done after a reminder at the review")
_DROPPED = (
    (WithdrawalReason.PRIORITIES_CHANGED, "The school's improvement plan moved the focus"),
    (WithdrawalReason.NO_LONGER_NEEDED, "Already covered by the new curriculum"),
    (WithdrawalReason.NOT_FEASIBLE, "No staff time for it this year"),
)
_SUPERSEDED = "Replaced by a smaller step agreed at the review"

ON_TIME = 0.70  # completed by the due date
DROPPED_EARLY = 0.05  # withdrawn before the due date
# Reviewing an overdue action at a later conversation: done late, superseded, else dropped.
REVIEW_DONE_LATE = 0.5
REVIEW_SUPERSEDED = 0.25

Pending = tuple[date, Event]


class _School(Protocol):
    urn: int
    n_act: int
    open_actions: list[tuple[str, date]]
    pending: list[Pending]


class ActionBook:
    """Agrees and closes one hub's actions (shares the generator's random stream)."""

    def __init__(
        self, random: Callable[[], float], makers: Any, year_first: date, year_last: date
    ) -> None:
        self.random = random
        self.mk = makers
        self.first = year_first  # the academic year being built: 1 Sep ...
        self.last = year_last  # ... to 31 Aug

    def _emit(self, school: _School, event: Event, out: list[Event]) -> None:
        if event.occurred_on > self.last:
            school.pending.append((event.occurred_on, event))
        else:
            out.append(event)

    def agree(self, school: _School, on: date, conversation_id: str, out: list[Event]) -> str:
        """Agree one action at a conversation on ``on`` and draw its fate; its id."""
        random, mk = self.random, self.mk
        school.n_act += 1
        action_id = f"a-{school.urn}-{school.n_act}"
        due = on + timedelta(days=30 + int(random() * 90))
        out.append(
            mk.agreed(
                occurred_on=on,
                urn=school.urn,
                action_id=action_id,
                conversation_id=conversation_id,
                description=ACTIONS[int(random() * len(ACTIONS))],
                owner=ActionOwner.SCHOOL if random() < 0.75 else ActionOwner.HUB,
                due_on=due,
            )
        )
        fate = random()
        span = (due - on).days
        if fate < ON_TIME:
            done = on + timedelta(days=min(span, 7 + int(random() * span)))
            event = mk.completed(
                occurred_on=done,
                urn=school.urn,
                action_id=action_id,
                outcome=OUTCOMES[int(random() * len(OUTCOMES))],
            )
            self._emit(school, event, out)
        elif fate < ON_TIME + DROPPED_EARLY:
            reason, note = _DROPPED[int(random() * len(_DROPPED))]
            event = mk.withdrawn(
                occurred_on=on + timedelta(days=1 + int(random() * span)),
                urn=school.urn,
                action_id=action_id,
                reason=reason,
                note=note,
                superseded_by=None,
            )
            self._emit(school, event, out)
        else:
            school.open_actions.append((action_id, due))
        return action_id

    def review(self, school: _School, on: date, conversation_id: str, out: list[Event]) -> None:
        """At a conversation on ``on``, settle every open action already past its due date."""
        random, mk = self.random, self.mk
        still_open = []
        reviewing, school.open_actions = school.open_actions, []  # agree() adds successors
        for action_id, due in reviewing:
            if due >= on:
                still_open.append((action_id, due))
                continue
            r = random()
            if r < REVIEW_DONE_LATE:
                earliest = max(due + timedelta(days=1), self.first)
                span = (on - earliest).days
                done = earliest + timedelta(days=int(random() * span)) if span > 0 else on
                out.append(
                    mk.completed(
                        occurred_on=done,
                        urn=school.urn,
                        action_id=action_id,
                        outcome=LATE_OUTCOMES[int(random() * len(LATE_OUTCOMES))],
                    )
                )
            elif r < REVIEW_DONE_LATE + REVIEW_SUPERSEDED:
                successor = self.agree(school, on, conversation_id, out)
                out.append(
                    mk.withdrawn(
                        occurred_on=on,
                        urn=school.urn,
                        action_id=action_id,
                        reason=WithdrawalReason.SUPERSEDED,
                        note=_SUPERSEDED,
                        superseded_by=successor,
                    )
                )
            else:
                reason, note = _DROPPED[int(random() * len(_DROPPED))]
                out.append(
                    mk.withdrawn(
                        occurred_on=on,
                        urn=school.urn,
                        action_id=action_id,
                        reason=reason,
                        note=note,
                        superseded_by=None,
                    )
                )
        school.open_actions = still_open + school.open_actions

    def flush(self, school: _School, out: list[Event]) -> None:
        """Emit the school's pending closing events dated in the year being built."""
        if not school.pending:
            return
        keep = []
        for day, event in school.pending:
            if day <= self.last:
                out.append(event)
            else:
                keep.append((day, event))
        school.pending = keep
