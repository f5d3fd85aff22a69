"""Schema evolution: upcasters lift old stored payloads to the current event class on read.

Stored events are never rewritten. Each event class declares ``schema_version``; for every
older version ``v`` there is one upcaster ``v -> v + 1`` that takes and returns a payload
dict (the JSON object, without its ``type`` key). :func:`upcast` chains them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hubcore.errors import CorruptRecord

__all__ = ["Payload", "Upcaster", "register_upcaster", "registered_upcasters", "upcast"]

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def register_upcaster(event_type: str, from_version: int, upcaster: Upcaster) -> None:
    """Register the function that lifts ``event_type`` payloads from ``from_version`` to +1."""
    key = (event_type, from_version)
    if key in _UPCASTERS:
        raise ValueError(f"an upcaster for {event_type} v{from_version} is already registered")
    _UPCASTERS[key] = upcaster


def registered_upcasters() -> dict[tuple[str, int], Upcaster]:
    """A copy of the registry: ``(event_type, from_version) -> upcaster``."""
    return dict(_UPCASTERS)


def upcast(event_type: str, payload: Payload, from_version: int, to_version: int) -> Payload:
    """Lift ``payload`` step by step from ``from_version`` to ``to_version``."""
    if from_version > to_version:
        raise CorruptRecord(
            f"{event_type} has schema version {from_version}, newer than this hubcore "
            f"understands ({to_version}); upgrade hubcore to read it"
        )
    version = from_version
    while version < to_version:
        step = _UPCASTERS.get((event_type, version))
        if step is None:
            raise CorruptRecord(f"no upcaster for {event_type} from schema version {version}")
        payload = step(dict(payload))
        version += 1
    return payload


def _training_delivered_v1_to_v2(payload: Payload) -> Payload:
    """v1 had ``minutes`` and assumed hub staff delivered; v2 has ``hours``, ``delivered_by``."""
    minutes = payload.pop("minutes", None)
    if isinstance(minutes, (int, float)) and not isinstance(minutes, bool):
        payload["hours"] = round(minutes / 60, 4)
    else:
        payload["hours"] = minutes  # let structuring report the bad value
    payload.setdefault("delivered_by", "hub_staff")
    return payload


def _send_pct_v1_to_v2(payload: Payload) -> Payload:
    """v1 school details had no SEND share; v2 has ``send_pct`` (None: not known)."""
    if "send_pct" in payload:
        raise CorruptRecord("a schema version 1 school event cannot carry send_pct")
    payload["send_pct"] = None
    return payload


register_upcaster("TrainingDelivered", 1, _training_delivered_v1_to_v2)
register_upcaster("SchoolRegistered", 1, _send_pct_v1_to_v2)
register_upcaster("SchoolDetailsUpdated", 1, _send_pct_v1_to_v2)
