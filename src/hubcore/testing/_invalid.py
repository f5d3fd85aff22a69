"""Strategies for invalid input: event keyword arguments and codec payloads that must fail."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, NamedTuple

import attrs
import orjson
from hypothesis import strategies as st

from hubcore import codec
from hubcore.events import (
    EVENT_TYPES,
    ActionAgreed,
    ActionWithdrawn,
    ConversationHeld,
    Event,
    ParticipationRecorded,
    ProvisionReported,
    SchoolDetailsUpdated,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    YouthConsultationHeld,
)
from hubcore.testing._events import NAME_MAX, NOTE_MAX, THEME_MAX, event_strategy
from hubcore.vocabulary import Area, Grade, ParticipationProgramme

__all__ = ["InvalidCase", "invalid_event_kwargs", "invalid_payloads"]


class InvalidCase(NamedTuple):
    """Keyword arguments for ``event_class`` in which exactly ``field`` breaks its rule."""

    event_class: type[Event]
    kwargs: dict[str, Any]
    field: str


# -- per-field bad values ------------------------------------------------------------------

_HOSTILE_TEXT = (
    "Oak\x1b[2J Lane",  # a terminal control sequence
    "Oak\u200bLane",  # a zero-width space
    "Oak \u202eenaL",  # a right-to-left override
    "Oak\x00Lane",
    "Oak\u2028Lane",  # a line separator
)
"""Text that looks like a name but carries an invisible or control character."""
_IDENTIFIERS = {"conversation_id", "action_id", "evaluation_id", "partner_id", "consultation_id"}
_NON_EMPTY_SETS = {"offer", "participants", "methods", "la_codes", "covers", "groups"}
_SHORT_TEXT = {"name", "lead_organisation"}

_BY_NAME: Mapping[str, Sequence[object]] = {
    "urn": [99_999, 1_000_000, "123456", 123456.0],
    "lead_urn": [99_999, 1_000_000, "123456"],
    "hub_id": ["A", "x", "Upper-Case", "under_score", "x" * 41],
    "la_code": ["12", "1234", "abc"],
    "academic_year": ["2025-26", "2025/27", "25/26", 2025],
    "content_hash": ["abc", "A" * 64, "g" * 64],
    "disadvantaged_pct": [100.5, -0.5],
    "send_pct": [100.5, -0.5],
    "enjoy_pct": [100.5],
    "want_more_pct": [100.5],
    "hours": [0, 0.0, 40.5],
    "strategic_hours": [100_000.5],
    "teaching_hours": [100_000.5],
    "other_hours": [100_000.5],
    "key_stage": [0, 6],
    "wcet_terms": [0, 4],
    "classes_total": [0],
    "staff_trained": [0],
    "staff_count": [0],
    "respondents": [0],
    "plan_version": [0],
    "la_codes": [frozenset({"12"}), frozenset({"abcd"})],
    "covers": [frozenset({"2025-26"})],
    "judgements": [{"curriculum": Grade.STRONG}, {Area.LEADERSHIP: "good"}, {3: "strong"}],
    "minutes_per_week": [{6: 60}, {0: 60}, {1: 601}, {1: -1}, {"1": 60}],
    "figures": [{"": 1.0}, {"x": math.nan}, {"x": 1e16}, {"x": "1"}],
    "themes": [("",), ("x" * (THEME_MAX + 1),), ("a",) * 21, "just text"],
    "young_people": [0],
    "changes_agreed": [
        ("",),
        ("x" * (NAME_MAX + 1),),
        ("a",) * 21,
        "just text",
        *((text,) for text in _HOSTILE_TEXT),
    ],
}


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """``(base type, optional?)`` of a field's annotation."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], True
    return hint, False


def _bad_values(name: str, hint: Any) -> list[object]:
    base, optional = _unwrap(hint)
    origin = typing.get_origin(base) or base
    bad: list[object] = [] if optional else [None]
    if origin is date:
        bad += [datetime(2025, 1, 6, 9, 30), "2025-01-06", 20250106]
    elif origin is bool:
        bad += ["yes", 1, 0]
    elif origin is int:
        bad += [-1, "1", 1.5, True, 10**40]  # beyond any bound, and beyond 64 bits
    elif origin is float:
        bad += [math.nan, math.inf, -1, "1.0", True]
    elif origin is str:
        bad += ["", 123]
        if name in _IDENTIFIERS:
            bad += ["has space", "-leading", "x" * 65, "p1\n", "p1\u200b", "\uff50\uff11"]
        elif name not in _BY_NAME:
            cap = NAME_MAX if name in _SHORT_TEXT else NOTE_MAX
            bad += ["   ", "x" * (cap + 1), b"bytes", *_HOSTILE_TEXT]
    elif isinstance(origin, type) and issubclass(origin, Enum):
        bad += ["bogus", 3]
    elif origin is frozenset:
        bad += [frozenset({"bogus"}), "abc", 5]
        if name in _NON_EMPTY_SETS:
            bad.append(frozenset())
    elif origin is dict:
        bad += [["not", "a", "mapping"], 5]
    elif origin is tuple:
        bad += [5]
    bad += list(_BY_NAME.get(name, ()))
    return bad


_BREAKERS: dict[str, tuple[tuple[str, tuple[object, ...]], ...]] = {}


def _field_breakers(cls: type[Event]) -> tuple[tuple[str, tuple[object, ...]], ...]:
    found = _BREAKERS.get(cls.event_type)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = tuple(
            (a.name, tuple(_bad_values(a.name, hints[a.name]))) for a in attrs.fields(cls)
        )
        _BREAKERS[cls.event_type] = found
    return found


# -- cross-field rules ---------------------------------------------------------------------

CrossBreaker = Callable[[st.DrawFn, dict[str, Any]], str]


def _due_before(field: str, min_days: int) -> CrossBreaker:
    def breach(draw: st.DrawFn, kw: dict[str, Any]) -> str:
        kw[field] = kw["occurred_on"] - timedelta(days=draw(st.integers(min_days, 400)))
        return field

    return breach


def _weekly_over_total(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    kw["classes_with_weekly_music"] = kw["classes_total"] + draw(st.integers(1, 50))
    return "classes_with_weekly_music"


def _subcount_over_pupils(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    field = draw(
        st.sampled_from(["pupil_premium", "send", "fee_remission", "continuing_from_wcet"])
    )
    kw[field] = kw["pupils"] + draw(st.integers(1, 50))
    return field


def _wcet_terms_mismatch(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    is_wcet = kw["programme"] is ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
    kw["wcet_terms"] = None if is_wcet else draw(st.integers(1, 3))
    return "wcet_terms"


def _lead_is_self(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    kw["lead_urn"] = kw["urn"]
    return "lead_urn"


def _supersedes_itself(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    kw["superseded_by"] = kw["action_id"]
    return "superseded_by"


def _period_backwards(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    kw["period_end"] = kw["period_start"] - timedelta(days=draw(st.integers(1, 400)))
    return "period_end"


def _no_details(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    for name in ("name", "phase", "pupils_on_roll", "disadvantaged_pct", "send_pct"):
        kw[name] = None
    return "name"


def _other_group_mismatch(draw: st.DrawFn, kw: dict[str, Any]) -> str:
    kw["other_group"] = "Young carers" if kw["other_group"] is None else None
    return "other_group"


_CROSS: Mapping[type[Event], Sequence[CrossBreaker]] = {
    ConversationHeld: [_due_before("next_due_on", 0)],
    ActionAgreed: [_due_before("due_on", 1)],
    ProvisionReported: [_weekly_over_total],
    ParticipationRecorded: [_subcount_over_pupils, _wcet_terms_mismatch],
    SchoolToSchoolSupportBrokered: [_lead_is_self],
    ActionWithdrawn: [_supersedes_itself],
    StaffTimeLogged: [_period_backwards],
    SchoolDetailsUpdated: [_no_details],
    YouthConsultationHeld: [_other_group_mismatch],
}


@st.composite
def _invalid_case(draw: st.DrawFn, classes: Sequence[type[Event]]) -> InvalidCase:
    cls = draw(st.sampled_from(classes))
    event = draw(event_strategy(cls))
    kwargs = {a.name: getattr(event, a.name) for a in attrs.fields(cls)}
    fields = _field_breakers(cls)
    cross = _CROSS.get(cls, ())
    choice = draw(st.integers(0, len(fields) + len(cross) - 1))
    if choice < len(fields):
        field, values = fields[choice]
        kwargs[field] = draw(st.sampled_from(values))
    else:
        field = cross[choice - len(fields)](draw, kwargs)
    return InvalidCase(cls, kwargs, field)


def invalid_event_kwargs(
    event_class: type[Event] | None = None,
) -> st.SearchStrategy[InvalidCase]:
    """Cases ``(event_class, kwargs, field)`` where ``event_class(**kwargs)`` must raise.

    Exactly one rule is broken, on ``field``: a wrong type, a value out of range, empty,
    blank or over-long text, a bad URN, slug or id, a datetime where a date belongs, a word
    outside the vocabulary, an empty required set, or a cross-field rule (``next_due_on``
    not after ``occurred_on``, more weekly classes than classes, sub-counts over
    ``pupils``, ``wcet_terms`` without whole-class teaching, ``lead_urn == urn``, ...).
    The constructor must raise :class:`hubcore.InvalidEvent` naming the event type and
    ``field``. ``event_class`` limits the cases to one class (default: any).
    """
    classes = [event_class] if event_class is not None else list(EVENT_TYPES.values())
    return _invalid_case(classes)


# -- codec payloads ------------------------------------------------------------------------


def _wrong_json_type(value: object) -> object:
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return "7"
    if value is None:
        return [5]
    return 5  # text, list or object


def _out_of_rule(value: object) -> object:
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return -1
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return [""]
    if isinstance(value, dict):
        return {"": ""}
    return [5]


_NOT_OBJECTS: Sequence[bytes] = (
    b"",
    b"{",
    b"\xff\xfe",
    b"null",
    b"true",
    b"42",
    b'"SchoolRegistered"',
    b"[]",
    b'[{"type": "SchoolRegistered"}]',
)


@st.composite
def _invalid_payload(draw: st.DrawFn) -> bytes:
    cls = draw(st.sampled_from(list(EVENT_TYPES.values())))
    obj = codec.to_dict(draw(event_strategy(cls)))
    required = [a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING]
    present = [key for key in obj if key != "type"]
    how = draw(st.sampled_from(["drop", "extra", "tag", "wrong_type", "out_of_rule", "raw"]))
    if how == "raw":
        return draw(st.sampled_from(_NOT_OBJECTS))
    if how == "drop":
        del obj[draw(st.sampled_from(required))]
    elif how == "extra":
        obj[draw(st.sampled_from(["bogus_field", "Urn", "minutes"]))] = 1
    elif how == "tag":
        tag = draw(st.sampled_from(["NoSuchEvent", "schoolregistered", "", 1, None, "drop"]))
        if tag == "drop":
            del obj["type"]
        else:
            obj["type"] = tag
    else:
        key = draw(st.sampled_from(present))
        obj[key] = _wrong_json_type(obj[key]) if how == "wrong_type" else _out_of_rule(obj[key])
    return orjson.dumps(obj)


def invalid_payloads() -> st.SearchStrategy[bytes]:
    """Byte payloads that :func:`hubcore.codec.decode` must refuse with a HubcoreError.

    Valid encoded events with one thing wrong: a required key missing, an unknown key, a
    missing, unknown or non-text ``"type"`` tag, a value of the wrong JSON type or outside
    its rule; plus bytes that are not a JSON object at all.
    """
    return _invalid_payload()
