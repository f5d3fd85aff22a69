"""Read events from JSON Lines: one event per line, in the codec's JSON form.

Each non-blank line is a JSON object tagged with ``"type"``, exactly as
:func:`hubcore.codec.encode` writes it::

    {"type": "SchoolClosed", "occurred_on": "2025-08-31", "urn": 123456, "reason": "merged"}

The file is read all or nothing: every bad line is listed (line numbers from 1) in one
:class:`~hubcore.ImportFailed`. The events returned still have to pass the domain rules
when recorded.
"""

from __future__ import annotations

import orjson

from hubcore import codec
from hubcore.errors import HubcoreError, InvalidEvent, UnknownEventType
from hubcore.events import Event
from hubcore.imports._encoding import decode_text
from hubcore.imports._problems import FILE, MAX_PROBLEMS, Problems, Source, read_source

__all__ = ["read_jsonl", "read_jsonl_lines"]


def read_jsonl(
    source: Source, *, name: str | None = None, max_problems: int = MAX_PROBLEMS
) -> list[Event]:
    """Decode every line of a JSON Lines file (a path or its bytes) into an event."""
    return [event for _, event in read_jsonl_lines(source, name=name, max_problems=max_problems)]


def read_jsonl_lines(
    source: Source, *, name: str | None = None, max_problems: int = MAX_PROBLEMS
) -> list[tuple[int, Event]]:
    """:func:`read_jsonl`, each event with its line number."""
    data, label = read_source(source, name)
    problems = Problems(label, max_problems)
    text = decode_text(data, problems, allow_cp1252=False).text
    events: list[tuple[int, Event]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            problems.add(number, FILE, f"not valid JSON: {error}")
            continue
        if not isinstance(obj, dict):
            problems.add(number, FILE, f"expected a JSON object, got {type(obj).__name__}")
            continue
        try:
            events.append((number, codec.from_dict(obj)))
        except InvalidEvent as error:
            problems.add(number, error.field, f"{error.event_type}: {error.rule}")
        except UnknownEventType as error:
            problems.add(number, "type", f"unknown event type {error.event_type!r}")
        except HubcoreError as error:
            problems.add(number, str(obj.get("type", FILE)), str(error))
    problems.raise_if_any()
    if not events:
        raise problems.fail(1, FILE, "no events: every line is blank")
    return events
