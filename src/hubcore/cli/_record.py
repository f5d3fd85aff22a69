"""``hubcore record``: append one event through the domain rules."""

from __future__ import annotations

import types
import typing
from datetime import date
from enum import Enum
from typing import Any

import attrs
import click
import orjson

from hubcore import codec
from hubcore._characters import ascii_digits
from hubcore.cli._context import AppContext
from hubcore.errors import CorruptRecord
from hubcore.events import EVENT_TYPES, Event

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_NONE = {"", "none", "null", "unknown"}


def _split_optional(hint: Any) -> tuple[Any, bool]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return hint, False


def _coerce(name: str, raw: str, hint: Any) -> Any:
    """Turn one ``--field value`` string into the JSON value the codec expects."""
    inner, optional = _split_optional(hint)
    text = raw.strip()
    if optional and text.lower() in _NONE:
        return None
    origin = typing.get_origin(inner)
    try:
        if inner is bool:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError("expected true or false")
        if inner is int:
            if not ascii_digits(text.removeprefix("-")):
                raise ValueError("expected a whole number written with the digits 0-9")
            return int(text)
        if inner is float:
            if not text.isascii():
                raise ValueError("expected a number written with the digits 0-9")
            return float(text)
        if inner is date or inner is str or (isinstance(inner, type) and issubclass(inner, Enum)):
            return text
        if origin in (frozenset, tuple):
            return [item.strip() for item in text.split(",") if item.strip()]
        if origin is dict:
            if text.startswith("{"):
                return orjson.loads(text)
            pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
            if any(len(p) != 2 for p in pairs):
                raise ValueError("expected key=value,key=value or a JSON object")
            value_type = typing.get_args(inner)[1]
            return {k.strip(): _coerce(name, v, value_type) for k, v in pairs}
    except (ValueError, orjson.JSONDecodeError) as error:
        raise CorruptRecord(f"--{name.replace('_', '-')} {raw!r}: {error}") from None
    return text


def _payload_from_args(cls: type[Event], args: list[str]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in attrs.fields(cls)}
    payload: dict[str, Any] = {}
    index = 0
    while index < len(args):
        flag = args[index]
        if not flag.startswith("--"):
            raise click.UsageError(f"expected --field value, got {flag!r}")
        name, has_value, value = flag[2:].partition("=")
        name = name.replace("-", "_")
        if name not in fields:
            known = ", ".join("--" + f.replace("_", "-") for f in sorted(fields))
            raise click.UsageError(f"{cls.event_type} has no field {flag!r}; fields: {known}")
        if not has_value:
            index += 1
            if index >= len(args):
                raise click.UsageError(f"{flag} needs a value")
            value = args[index]
        payload[name] = _coerce(name, value, hints[name])
        index += 1
    return payload


@click.command(
    "record", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.argument("event_type", metavar="EVENT-TYPE", type=click.Choice(sorted(EVENT_TYPES)))
@click.option("--json", "json_text", metavar="JSON", help="The event's fields as a JSON object.")
@click.pass_context
def record_command(ctx: click.Context, event_type: str, json_text: str | None) -> None:
    """Append one event, checked against the domain rules.

    Give the fields as --field value (a set comma-separated, a mapping as
    key=value,key=value) or all at once with --json '{...}'. For example:

    \b
        hubcore record SchoolEngaged --urn 123456 --occurred-on 2025-09-10 \\
            --offer cpd,singing --agreement informal --agreed-by-role headteacher
    """
    app: AppContext = ctx.obj
    cls = EVENT_TYPES[event_type]
    payload: dict[str, Any] = {}
    if json_text is not None:
        try:
            loaded = orjson.loads(json_text)
        except orjson.JSONDecodeError as error:
            raise CorruptRecord(f"--json is not valid JSON: {error}") from None
        if not isinstance(loaded, dict):
            raise CorruptRecord("--json must be a JSON object of the event's fields")
        payload.update(loaded)
    payload.update(_payload_from_args(cls, list(ctx.args)))
    payload["type"] = event_type
    event = codec.from_dict(payload)

    from hubcore.domain import Recorder

    with app.open_store() as store:
        result = Recorder(store).record(event)
    app.out.print(
        f"recorded {event_type} in {event.stream} "
        f"(version {result.last_version}, position {result.last_position})"
    )


COMMANDS = [record_command]
