"""Replaying a whole history command by command, in memory, through the rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from hubcore.domain._decide import decide
from hubcore.domain._state import SchoolState, StreamState, evolve, initial_state
from hubcore.events import Event

__all__ = ["check_history"]


def check_history(
    events: Iterable[Event],
    *,
    today: date,
    states: Mapping[str, StreamState] | None = None,
) -> dict[str, StreamState]:
    """Check ``events`` in order as commands; return every stream's state afterwards.

    Starts from ``states`` (by stream; empty streams when missing). Raises
    :class:`hubcore.DomainError` at the first event a rule refuses. Pure: nothing is stored,
    and ``states`` is not changed.
    """
    current: dict[str, StreamState] = dict(states or {})

    def lookup(urn: int) -> SchoolState:
        found = current.get(f"school-{urn}")
        return found if isinstance(found, SchoolState) else SchoolState(urn)

    for event in events:
        stream = event.stream
        state = current.get(stream)
        if state is None:
            state = initial_state(stream)
        decide(state, event, today, lookup)
        current[stream] = evolve(state, event)
    return current
