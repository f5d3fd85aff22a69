"""Hypothesis strategies: random (each valid as an object) events over a tiny world.

The pools are small on purpose, so random sequences often break a rule (a duplicate id, an
unknown action, a date after closure) and often do not.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from hubcore.events import Event

from . import _events as ev

URNS = (100001, 100002, 100003)
HUB = "north-hub"
IDS = ("1", "2", "3")

days = st.integers(0, 200).map(lambda n: ev.D0 + timedelta(days=n))
urns = st.sampled_from(URNS)
ids = st.sampled_from(IDS)


def _support(urn: int, day, lead_offset: int) -> Event:
    lead = URNS[(URNS.index(urn) + lead_offset) % len(URNS)]
    return ev.support(urn, day, lead)


events: st.SearchStrategy[Event] = st.one_of(
    st.builds(ev.registered, urns, days, st.integers(0, 400)),
    st.builds(ev.updated, urns, days, st.integers(0, 400)),
    st.builds(ev.closed, urns, days),
    st.builds(ev.engaged, urns, days),
    st.builds(ev.conversation, urns, days, ids.map("C{}".format)),
    st.builds(ev.agreed, urns, days, ids.map("A{}".format), st.none() | ids.map("C{}".format)),
    st.builds(ev.completed, urns, days, ids.map("A{}".format)),
    st.builds(ev.evaluated, urns, days, ids.map("E{}".format)),
    st.builds(ev.participation, urns, days, st.integers(0, 400)),
    st.builds(_support, urns, days, st.integers(1, 2)),
    st.builds(ev.established, st.just(HUB), days),
    st.builds(ev.plan, st.just(HUB), days, st.integers(1, 4)),
    st.builds(ev.partner, st.just(HUB), days, ids.map("P{}".format)),
)

setup: list[Event] = [ev.registered(urn, ev.D0, 400) for urn in URNS] + [ev.established(HUB)]
