"""The testing kit's histories() keep the domain rules, replayed command by command."""

from __future__ import annotations

from hypothesis import given

from hubcore.domain import Recorder, check_history
from hubcore.store import open_store
from hubcore.testing._histories import histories


@given(histories(schools=(1, 4), years=(1, 2), max_events=60))
def test_every_generated_history_passes_the_rules(log) -> None:
    today = max(event.occurred_on for event in log)
    states = check_history(log, today=today)
    assert sum(state.version for state in states.values()) == len(log)
    with open_store("memory://") as store:
        recorder = Recorder(store, clock=lambda: today)
        for event in log:
            recorder.record(event)
        assert store.head() == len(log)
        fresh = Recorder(store)
        assert {stream: fresh.state(stream) for stream in states} == states
