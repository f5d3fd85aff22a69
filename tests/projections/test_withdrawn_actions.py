"""Withdrawn actions (ActionWithdrawn) in the actions read model, on a hand-computed history.

The D5 rule: an action counts in a period when its due date falls in it, unless it was
withdrawn on or before its due date; it is followed through when completed by its due date.
An action withdrawn after its due date without being completed counts as not on time.
"""

from __future__ import annotations

from datetime import date as D

from hubcore.events import ActionWithdrawn
from hubcore.projections import ActionFollowThrough, Ratio
from hubcore.vocabulary import WithdrawalReason

from ._support import agree, complete, project, reg

Y = "2024/25"
URN = 100001


def withdraw(on: D, action_id: str, by: str | None = None) -> ActionWithdrawn:
    return ActionWithdrawn(
        occurred_on=on,
        urn=URN,
        action_id=action_id,
        reason=WithdrawalReason.SUPERSEDED if by else WithdrawalReason.NO_LONGER_NEEDED,
        note="see the spring review",
        superseded_by=by,
    )


HISTORY = [
    reg(URN, D(2020, 1, 1)),
    agree(URN, D(2024, 9, 10), "a1", due=D(2024, 12, 1)),  # done on time: counts, on time
    complete(URN, D(2024, 11, 20), "a1"),
    agree(URN, D(2024, 9, 10), "a2", due=D(2025, 2, 1)),  # withdrawn before due: left out
    agree(URN, D(2025, 1, 10), "a3", due=D(2025, 4, 1)),  # supersedes a2, never done: late
    withdraw(D(2025, 1, 10), "a2", by="a3"),
    agree(URN, D(2024, 9, 10), "a4", due=D(2025, 3, 1)),  # withdrawn on its due date: out
    withdraw(D(2025, 3, 1), "a4"),
    agree(URN, D(2024, 9, 10), "a5", due=D(2025, 1, 1)),  # withdrawn late: counts, not on time
    withdraw(D(2025, 5, 1), "a5"),
    complete(URN, D(2025, 5, 2), "a5"),  # after its withdrawal: ignored
    agree(URN, D(2024, 9, 10), "a6", due=D(2025, 6, 1)),  # completed then withdrawn: done
    complete(URN, D(2025, 5, 30), "a6"),
    withdraw(D(2025, 6, 2), "a6"),  # after its completion: ignored
]


def _actions() -> ActionFollowThrough:
    return project(HISTORY).get("actions", ActionFollowThrough)


def test_follow_through_leaves_out_actions_withdrawn_by_their_due_date() -> None:
    # due in 2024/25: a1..a6; left out: a2 (withdrawn 10 Jan, due 1 Feb) and a4 (withdrawn
    # on its due date). Counted: a1 (on time), a3 (never done), a5 (withdrawn late), a6 (on
    # time): 2 of 4.
    assert _actions().follow_through_in_year(Y) == Ratio(2, 4)
    # January to February: a2 (out) and a5 (due 1 Jan is outside): nothing counted
    assert _actions().follow_through(D(2025, 1, 2), D(2025, 2, 28)) == Ratio(0, 0)
    assert _actions().withdrawn_before_due(Y) == 2  # a2 and a4
    assert _actions().withdrawn_before_due("2025/26") == 0


def test_a_withdrawn_action_is_neither_open_nor_overdue() -> None:
    actions = _actions()
    # 15 Jan: a1 done, a2 withdrawn; open: a5 (due 1 Jan, overdue), a4, a3, a6
    assert [a.action_id for a in actions.open_actions(D(2025, 1, 15))] == ["a5", "a4", "a3", "a6"]
    assert [a.action_id for a in actions.overdue_actions(D(2025, 1, 15))] == ["a5"]
    # the day before a5's withdrawal it is still open and overdue; from that day it is not
    assert "a5" in [a.action_id for a in actions.overdue_actions(D(2025, 4, 30))]
    assert [a.action_id for a in actions.overdue_actions(D(2025, 5, 1))] == ["a3"]
    assert actions.overdue_count(D(2025, 5, 1)) == 1
    # a4 withdrawn on its due date (1 Mar): open on 28 Feb, not on 1 Mar
    assert "a4" in [a.action_id for a in actions.open_actions(D(2025, 2, 28))]
    assert "a4" not in [a.action_id for a in actions.open_actions(D(2025, 3, 1))]


def test_the_status_says_when_why_and_by_what_an_action_was_withdrawn() -> None:
    by_id = {a.action_id: a for a in _actions().actions(URN)}
    a2, a5, a6 = by_id["a2"], by_id["a5"], by_id["a6"]
    assert (a2.withdrawn_on, a2.withdrawal_reason, a2.superseded_by) == (
        D(2025, 1, 10),
        WithdrawalReason.SUPERSEDED,
        "a3",
    )
    assert not a2.counts_as_due
    assert a5.counts_as_due
    assert a5.completed_on is None
    assert not a5.on_time
    assert a6.withdrawn_on is None
    assert a6.on_time
    withdrawn = _actions().withdrawn_actions(D(2024, 9, 1), D(2025, 8, 31))
    assert [a.action_id for a in withdrawn] == ["a5", "a2", "a4"]
