"""Testing your own projection with hubcore's testing kit (the example of docs/testing.md).

A hub wants "how many schools does each local authority have engaged right now". The
projection below keeps that as a tiny fold over events; the tests check it, over histories
that hypothesis generates, against a plain loop written the obvious way, and check that
catching up in pieces and resuming from a saved state give the same answer as one pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hubcore.domain import Recorder
from hubcore.events import (
    ConversationHeld,
    Event,
    HubEstablished,
    SchoolClosed,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolRegistered,
)
from hubcore.projections import Projector
from hubcore.store import open_store
from hubcore.testing.strategies import histories

TODAY = date(2025, 8, 31)  # a fixed clock: the tests never depend on the real date


@dataclass
class EngagedState:
    """Each registered school's LA, and which schools are engaged now."""

    la_of: dict[int, str] = field(default_factory=dict)
    engaged: set[int] = field(default_factory=set)

    def per_la(self) -> dict[str, int]:
        """Engaged schools per local authority (every LA with a school, even at 0)."""
        counts = dict.fromkeys(sorted(set(self.la_of.values())), 0)
        for urn in self.engaged:
            counts[self.la_of[urn]] += 1
        return counts


class EngagedPerLA:
    """The projection: a pure fold, plus how to save and load its state."""

    name = "engaged_per_la"
    version = 1
    handles = frozenset({"SchoolRegistered", "SchoolEngaged", "SchoolDisengaged", "SchoolClosed"})

    def initial(self) -> EngagedState:
        return EngagedState()

    def apply(self, state: EngagedState, recorded: Any) -> EngagedState:
        event = recorded.event
        if isinstance(event, SchoolRegistered):
            state.la_of[event.urn] = event.la_code
        elif isinstance(event, SchoolEngaged):
            state.engaged.add(event.urn)
        else:  # SchoolDisengaged or SchoolClosed
            state.engaged.discard(event.urn)
        return state

    def dump(self, state: EngagedState) -> bytes:
        return json.dumps({"la_of": state.la_of, "engaged": sorted(state.engaged)}).encode()

    def load(self, data: bytes) -> EngagedState:
        raw = json.loads(data)
        return EngagedState({int(u): la for u, la in raw["la_of"].items()}, set(raw["engaged"]))


def engaged_per_la(events: Iterable[Event]) -> dict[str, int]:
    """The reference: the same question answered by a plain loop over the events."""
    la_of: dict[int, str] = {}
    engaged: dict[int, bool] = {}
    for event in events:
        if isinstance(event, SchoolRegistered):
            la_of[event.urn] = event.la_code
        elif isinstance(event, SchoolEngaged):
            engaged[event.urn] = True
        elif isinstance(event, (SchoolDisengaged, SchoolClosed)):
            engaged[event.urn] = False
    counts = dict.fromkeys(la_of.values(), 0)
    for urn, is_engaged in engaged.items():
        if is_engaged:
            counts[la_of[urn]] += 1
    return dict(sorted(counts.items()))


# Histories rich in what this projection reads; every other kind of event is left out,
# except conversations, so that the projection also meets events it must skip.
ENGAGEMENT = histories(
    schools=(1, 8),
    years=(1, 2),
    today=TODAY,
    event_mix={SchoolEngaged: 4, SchoolDisengaged: 2, SchoolClosed: 1, ConversationHeld: 2},
)


@given(ENGAGEMENT)
def test_my_projection(events: list[Event]) -> None:
    with open_store("memory://") as store:
        Recorder(store, clock=lambda: TODAY).record_many(events)  # through the domain rules
        projector = Projector(store, [EngagedPerLA()])
        projector.catch_up()
        counts = projector.get("engaged_per_la", EngagedState).per_la()

    assert counts == engaged_per_la(events)
    hub = events[0]
    assert isinstance(hub, HubEstablished)
    assert set(counts) <= hub.la_codes  # every school is in one of the hub's LAs
    registered = sum(isinstance(e, SchoolRegistered) for e in events)
    assert 0 <= sum(counts.values()) <= registered


@given(ENGAGEMENT, st.integers(min_value=0, max_value=50))
def test_my_projection_resumes(events: list[Event], split: int) -> None:
    with open_store("memory://") as store:
        recorder = Recorder(store, clock=lambda: TODAY)
        recorder.record_many(events[:split])
        Projector(store, [EngagedPerLA()]).catch_up()  # saves its state and checkpoint
        recorder.record_many(events[split:])
        resumed = Projector(store, [EngagedPerLA()])  # loads them: only the rest is folded
        assert resumed.catch_up() == store.head() - min(split, len(events))
        counts = resumed.get("engaged_per_la", EngagedState).per_la()

    assert counts == engaged_per_la(events)
