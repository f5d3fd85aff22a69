"""Helpers for the projection tests: terse event builders and "project this history"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ConversationHeld,
    Event,
    ParticipationRecorded,
    SchoolEngaged,
    SchoolRegistered,
)
from hubcore.projections import Projector
from hubcore.store import EventStore, open_store
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    ConversationKind,
    Offer,
    Participant,
    ParticipationProgramme,
    Phase,
)

D = date


def reg(urn: int, on: date, phase: str = "primary", la: str = "901", roll: int = 200,
        dpct: float | None = None) -> SchoolRegistered:  # fmt: skip
    return SchoolRegistered(
        occurred_on=on, urn=urn, name=f"School {urn}", phase=Phase(phase), la_code=la,
        pupils_on_roll=roll, disadvantaged_pct=dpct,
    )  # fmt: skip


def engage(urn: int, on: date, *offers: str) -> SchoolEngaged:
    return SchoolEngaged(
        occurred_on=on,
        urn=urn,
        offer=frozenset(Offer(o) for o in offers or ("cpd",)),
        agreement=Agreement.INFORMAL,
        agreed_by_role=AgreedByRole.HEADTEACHER,
    )


def conv(
    urn: int, on: date, kind: str = "supportive", cid: str = "c1", **kw: Any
) -> ConversationHeld:
    return ConversationHeld(
        occurred_on=on,
        urn=urn,
        conversation_id=cid,
        kind=ConversationKind(kind),
        participants={Participant.HEADTEACHER},
        **kw,
    )


def agree(urn: int, on: date, action_id: str, due: date, owner: str = "school") -> ActionAgreed:
    return ActionAgreed(
        occurred_on=on, urn=urn, action_id=action_id, description="x", owner=ActionOwner(owner),
        due_on=due,
    )  # fmt: skip


def complete(urn: int, on: date, action_id: str) -> ActionCompleted:
    return ActionCompleted(occurred_on=on, urn=urn, action_id=action_id, outcome="done")


def part(urn: int, year: str, programme: str, pupils: int, **kw: Any) -> ParticipationRecorded:
    p = ParticipationProgramme(programme)
    if p is ParticipationProgramme.WHOLE_CLASS_ENSEMBLE:
        kw.setdefault("wcet_terms", 1)
    return ParticipationRecorded(
        occurred_on=D(int(year[:4]) + 1, 1, 15), urn=urn, academic_year=year, programme=p,
        pupils=pupils, **kw,
    )  # fmt: skip


def append_all(store: EventStore, events: Iterable[Event]) -> None:
    """Append events one by one, in order, each to its own stream."""
    for event in events:
        store.append(event.stream, [event])


def append_batched(store: EventStore, events: Sequence[Event], cuts: Iterable[int]) -> None:
    """Append runs of consecutive same-stream events as batches, also cut at ``cuts``."""
    cut = set(cuts)
    batch: list[Event] = []
    for i, event in enumerate(events):
        if batch and (batch[0].stream != event.stream or i in cut):
            store.append(batch[0].stream, batch)
            batch = []
        batch.append(event)
    if batch:
        store.append(batch[0].stream, batch)


def project(events: Iterable[Event]) -> Projector:
    """A Projector caught up with a fresh memory store holding ``events``."""
    store = open_store("memory://")
    append_all(store, events)
    projector = Projector(store)
    projector.catch_up()
    return projector


class Killed(Exception):
    """What :class:`Dies` raises: the process "was killed" there."""


class Dies:
    """A store that dies (raises :class:`Killed`) after ``budget`` events have been read."""

    def __init__(self, store: Any, budget: int) -> None:
        self._store = store
        self._budget = budget

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def read_all(self, after: int = 0, limit: int | None = None) -> Any:
        for rec in self._store.read_all(after, limit):
            if self._budget <= 0:
                raise Killed
            self._budget -= 1
            yield rec
