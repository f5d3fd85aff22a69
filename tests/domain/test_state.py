"""The pure functions: evolve is total, check_history agrees with fold on accepted histories."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import DomainError
from hubcore.domain import (
    HubState,
    SchoolState,
    check_history,
    evolve,
    fold,
    initial_state,
)

from . import _strategies as gen
from ._events import D0, TODAY, agreed, closed, completed, conversation, registered, updated


def test_initial_state_by_stream_name() -> None:
    assert initial_state("school-123456") == SchoolState(123456)
    assert initial_state("hub-north-hub") == HubState("north-hub")
    assert initial_state("school-123456").stream == "school-123456"
    for bad in ("school-abc", "hub-", "teacher-1", ""):
        with pytest.raises(DomainError, match="not a school or hub stream"):
            initial_state(bad)


def test_evolve_folds_what_the_rules_need() -> None:
    day = D0.replace(month=10)
    state = fold(
        SchoolState(100001),
        [
            registered(100001, D0, 300),
            updated(100001, day, 250),
            conversation(100001, day, "C1"),
            agreed(100001, day, "A1", "C1"),
            agreed(100001, day, "A2"),
            completed(100001, day, "A1"),
            closed(100001, day),
        ],
    )
    assert state == SchoolState(
        100001,
        version=7,
        registered_on=D0,
        closed_on=day,
        latest_on=day,
        pupils_on_roll=250,
        conversations=frozenset({"C1"}),
        actions=frozenset({"A1", "A2"}),
        open_actions=frozenset({"A2"}),
    )


@given(st.lists(gen.events, max_size=30))
def test_evolve_is_total_and_counts_versions(events) -> None:
    """Any stored history loads, even one the rules would refuse today."""
    for stream in {e.stream for e in events}:
        mine = [e for e in events if e.stream == stream]
        state = fold(initial_state(stream), mine)
        assert state.version == len(mine)
        assert state.latest_on == max(e.occurred_on for e in mine)
        assert state.stream == stream


@given(st.lists(gen.events, max_size=30))
def test_check_history_agrees_with_fold_when_it_accepts(events) -> None:
    accepted = []
    states: dict = {}
    for event in events:  # keep what the rules accept, command by command
        try:
            states = check_history([event], today=TODAY, states=states)
        except DomainError:
            continue
        accepted.append(event)
    assert check_history(accepted, today=TODAY) == states
    for stream, state in states.items():
        assert fold(initial_state(stream), [e for e in accepted if e.stream == stream]) == state
        if isinstance(state, SchoolState):
            assert state.open_actions <= state.actions
            assert state.registered_on is not None
            if state.closed_on is not None:
                assert state.latest_on <= state.closed_on


def test_check_history_does_not_change_the_states_given() -> None:
    start = {"school-100001": evolve(SchoolState(100001), registered(100001))}
    copy = dict(start)
    check_history([conversation(100001, D0, "C1")], today=TODAY, states=start)
    assert start == copy
