"""Agreed improvement actions and whether they are followed through (D5, S2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs

from hubcore.events import ActionAgreed, ActionCompleted, ActionWithdrawn
from hubcore.projections._base import Ratio, RosterModel, day, ordinal, year_bounds
from hubcore.vocabulary import ActionOwner, WithdrawalReason

__all__ = ["ActionFollowThrough", "ActionStatus"]

_AGREED, _DUE, _DONE, _OWNER, _CONV, _TEXT, _GONE, _WHY, _BY = range(9)


@attrs.frozen
class ActionStatus:
    """One agreed action and where it stands."""

    urn: int
    action_id: str
    description: str
    owner: ActionOwner
    agreed_on: date
    due_on: date
    completed_on: date | None
    conversation_id: str | None
    withdrawn_on: date | None = None
    withdrawal_reason: WithdrawalReason | None = None
    superseded_by: str | None = None

    @property
    def on_time(self) -> bool:
        """Completed on or before its due date."""
        return self.completed_on is not None and self.completed_on <= self.due_on

    @property
    def counts_as_due(self) -> bool:
        """Counted by D5 when its due date falls in the period: every action except one
        withdrawn on or before its due date."""
        return self.withdrawn_on is None or self.withdrawn_on > self.due_on


@attrs.define(eq=True)
class ActionFollowThrough(RosterModel):
    """**action follow-through** (docs/metrics.md) = actions completed by due_on / actions due
    in the period.

    An action is *due in the period* when its ``due_on`` falls in it (inclusive), unless it
    was withdrawn (``ActionWithdrawn``: dropped or superseded) on or before ``due_on``: such
    an action no longer asks to be done, so it is left out. An action withdrawn after its due
    date without being completed was already late and counts as not completed on time. It
    counts as followed through when its ``ActionCompleted`` is dated on or before ``due_on``.
    The first of completion and withdrawal closes an action; a later one, and either with no
    matching agreed action, is ignored (the domain refuses them anyway). A withdrawn action
    is never open nor overdue from its withdrawal date.
    """

    _actions: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_ActionAgreed(self, e: ActionAgreed) -> None:
        self._actions.setdefault(e.urn, {})[e.action_id] = [
            ordinal(e.occurred_on),
            ordinal(e.due_on),
            None,
            e.owner._value_,
            e.conversation_id,
            e.description,
            None,
            None,
            None,
        ]

    def _on_ActionCompleted(self, e: ActionCompleted) -> None:
        row = self._actions.get(e.urn, {}).get(e.action_id)
        if row is not None and row[_DONE] is None and row[_GONE] is None:
            row[_DONE] = ordinal(e.occurred_on)

    def _on_ActionWithdrawn(self, e: ActionWithdrawn) -> None:
        row = self._actions.get(e.urn, {}).get(e.action_id)
        if row is not None and row[_DONE] is None and row[_GONE] is None:
            row[_GONE] = ordinal(e.occurred_on)
            row[_WHY] = e.reason._value_
            row[_BY] = e.superseded_by

    def _status(self, urn: int, action_id: str, row: list[Any]) -> ActionStatus:
        return ActionStatus(
            urn=urn,
            action_id=action_id,
            description=row[_TEXT],
            owner=ActionOwner(row[_OWNER]),
            agreed_on=date.fromordinal(row[_AGREED]),
            due_on=date.fromordinal(row[_DUE]),
            completed_on=day(row[_DONE]),
            conversation_id=row[_CONV],
            withdrawn_on=day(row[_GONE]),
            withdrawal_reason=None if row[_WHY] is None else WithdrawalReason(row[_WHY]),
            superseded_by=row[_BY],
        )

    def actions(self, urn: int | None = None) -> list[ActionStatus]:
        """Every action (of one school, or all), by school then due date."""
        return self._select(urn, lambda row: True)

    def _select(self, urn: int | None, keep: Callable[[list[Any]], bool]) -> list[ActionStatus]:
        """The actions (of one school, or all) whose row ``keep`` accepts, as :meth:`actions`
        orders them."""
        urns = sorted(self._actions) if urn is None else [urn]
        result = [
            self._status(u, aid, row)
            for u in urns
            for aid, row in self._actions.get(u, {}).items()
            if keep(row)
        ]
        result.sort(key=lambda a: (a.urn, a.due_on, a.action_id))
        return result

    def follow_through(
        self, start: date, end: date, owner: ActionOwner | str | None = None
    ) -> Ratio:
        """Actions due in [start, end] completed by their due date / actions due then (those
        withdrawn by their due date left out)."""
        lo, hi = ordinal(start), ordinal(end)
        due = done = 0
        for rows in self._actions.values():
            for row in rows.values():
                if (
                    lo <= row[_DUE] <= hi
                    and (owner is None or row[_OWNER] == owner)
                    and (row[_GONE] is None or row[_GONE] > row[_DUE])
                ):
                    due += 1
                    done += row[_DONE] is not None and row[_DONE] <= row[_DUE]
        return Ratio(done, due)

    def withdrawn_before_due(self, year: str) -> int:
        """Actions due in the academic year that were withdrawn on or before their due date:
        those :meth:`follow_through_in_year` leaves out."""
        lo, hi = year_bounds(year)
        return sum(
            1
            for rows in self._actions.values()
            for r in rows.values()
            if lo <= r[_DUE] <= hi and r[_GONE] is not None and r[_GONE] <= r[_DUE]
        )

    def withdrawn_actions(
        self, start: date, end: date, urn: int | None = None
    ) -> list[ActionStatus]:
        """Actions (of one school, or all) withdrawn in [start, end]."""
        lo, hi = ordinal(start), ordinal(end)
        return self._select(urn, lambda r: r[_GONE] is not None and lo <= r[_GONE] <= hi)

    def follow_through_in_year(self, year: str, owner: ActionOwner | str | None = None) -> Ratio:
        """:meth:`follow_through` over the academic year."""
        lo, hi = year_bounds(year)
        return self.follow_through(date.fromordinal(lo), date.fromordinal(hi), owner)

    def open_actions(self, as_of: date, urn: int | None = None) -> list[ActionStatus]:
        """Actions agreed on or before ``as_of`` and neither completed nor withdrawn by then."""
        today = ordinal(as_of)
        return self._select(urn, lambda r: _open(r, today))

    def overdue_count(self, as_of: date) -> int:
        """How many actions :meth:`overdue_actions` lists for ``as_of`` (every school),
        counted without building them."""
        today = ordinal(as_of)
        return sum(
            1
            for rows in self._actions.values()
            for r in rows.values()
            if _open(r, today) and r[_DUE] < today
        )

    def overdue_actions(self, as_of: date, urn: int | None = None) -> list[ActionStatus]:
        """Open actions (see :meth:`open_actions`) whose due date is before ``as_of``."""
        today = ordinal(as_of)
        return self._select(urn, lambda r: _open(r, today) and r[_DUE] < today)


def _open(row: list[Any], today: int) -> bool:
    """Agreed by ``today`` and neither completed nor withdrawn by then."""
    closed = row[_DONE] if row[_GONE] is None else row[_GONE]
    return row[_AGREED] <= today and (closed is None or closed > today)
