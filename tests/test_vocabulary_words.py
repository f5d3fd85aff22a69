"""Vocabulary fields take plain words; a wrong word names the allowed ones; repr is code."""

from __future__ import annotations

import datetime
import typing
from datetime import date
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.vendor.pretty import pretty

import hubcore.events
import hubcore.vocabulary
from hubcore.errors import InvalidEvent
from hubcore.events import EVENT_TYPES, Event, SchoolEngaged, SchoolRegistered
from hubcore.testing.strategies import events
from hubcore.vocabulary import AgreedByRole, Agreement, Offer, Phase


def _vocabularies(annotation: Any) -> tuple[type[Enum], ...]:
    """The vocabularies in a field's type: ``Phase | None`` -> (Phase,), ``dict[Area, Grade]``
    -> (Area, Grade); () for a field that holds no vocabulary word."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return (annotation,)
    found: tuple[type[Enum], ...] = ()
    for arg in typing.get_args(annotation):
        found += _vocabularies(arg)
    return found


def _word_fields(cls: type[Event]) -> dict[str, tuple[type[Enum], ...]]:
    attrs.resolve_types(cls, globalns=vars(hubcore.events) | vars(hubcore.vocabulary))
    return {
        f.name: found for f in attrs.fields(cls) if (found := _vocabularies(f.type)) and f.init
    }


WORD_FIELDS = [
    (cls, name, vocabularies)
    for cls in EVENT_TYPES.values()
    for name, vocabularies in _word_fields(cls).items()
]


def _plain(value: Any) -> Any:
    """``value`` with every vocabulary member written as its plain word."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value


def _members_only(value: Any) -> bool:
    if isinstance(value, str):
        return isinstance(value, Enum)
    if isinstance(value, frozenset):
        return all(map(_members_only, value))
    if isinstance(value, dict):
        return all(map(_members_only, [*value, *value.values()]))
    return value is None


def test_every_vocabulary_field_is_found() -> None:
    # the finder is what the property tests below rely on: it must see them all
    assert len(WORD_FIELDS) >= 30
    assert (SchoolRegistered, "phase", (Phase,)) in WORD_FIELDS


def test_plain_words_become_members() -> None:
    event = SchoolEngaged(
        occurred_on=date(2025, 10, 1),
        urn=121519,
        offer=["singing", "cpd"],
        agreement="informal",
        agreed_by_role="headteacher",
    )
    assert event.offer == frozenset({Offer.SINGING, Offer.CPD})
    assert all(type(item) is Offer for item in event.offer)
    assert type(event.agreement) is Agreement
    assert event.agreed_by_role is AgreedByRole.HEADTEACHER


@given(events())
def test_an_event_given_plain_words_equals_the_one_given_members(event: Event) -> None:
    fields = _word_fields(type(event))
    plain = {name: _plain(getattr(event, name)) for name in fields}
    rebuilt = attrs.evolve(event, **plain)
    assert rebuilt == event
    for name in fields:
        assert _members_only(getattr(rebuilt, name)), name


@given(events(), st.data())
def test_a_wrong_word_names_the_field_and_every_allowed_word(event: Event, data: Any) -> None:
    fields = _word_fields(type(event))
    if not fields:
        return
    name = data.draw(st.sampled_from(sorted(fields)))
    kind = typing.get_origin(attrs.fields_dict(type(event))[name].type)
    bad: Any = {frozenset: ["not-a-word"], dict: {"not-a-word": "not-a-word"}}.get(
        kind, "not-a-word"
    )
    with pytest.raises(InvalidEvent) as caught:
        attrs.evolve(event, **{name: bad})
    error = caught.value
    assert error.event_type == type(event).event_type
    assert error.field == name
    assert "'not-a-word'" in error.rule
    assert any(all(str(m.value) in error.rule for m in vocab) for vocab in fields[name])


def test_the_message_for_a_wrong_word_reads_well() -> None:
    with pytest.raises(InvalidEvent) as caught:
        SchoolRegistered(
            occurred_on=date(2025, 9, 1),
            urn=121519,
            name="Oak Primary",
            phase="primry",  # type: ignore[arg-type]
            la_code="201",
            pupils_on_roll=200,
        )
    allowed = ", ".join(p.value for p in Phase)
    assert str(caught.value) == f"SchoolRegistered.phase: must be one of: {allowed}; got 'primry'"


def test_a_member_of_another_vocabulary_is_refused() -> None:
    with pytest.raises(InvalidEvent, match=r"got Offer\.SINGING"):
        attrs.evolve(
            SchoolEngaged(
                occurred_on=date(2025, 10, 1),
                urn=121519,
                offer=["singing"],
                agreement="informal",
                agreed_by_role="headteacher",
            ),
            agreement=Offer.SINGING,
        )


_NAMESPACE: dict[str, Any] = {
    "datetime": datetime,
    **{name: getattr(hubcore.events, name) for name in hubcore.events.__all__},
    **{name: getattr(hubcore.vocabulary, name) for name in hubcore.vocabulary.__all__},
}


@given(events())
def test_the_repr_of_an_event_is_code_that_builds_it(event: Event) -> None:
    code = repr(event)
    assert eval(code, dict(_NAMESPACE)) == event


@given(events())
def test_hypothesis_prints_events_as_code_that_builds_them(event: Event) -> None:
    # what a falsifying example shows
    assert eval(pretty(event), dict(_NAMESPACE)) == event


def test_a_member_reprs_as_its_name() -> None:
    assert repr(Phase.PRIMARY) == "Phase.PRIMARY"
    assert repr(frozenset({Offer.CPD})) == "frozenset({Offer.CPD})"
