"""The base classes every domain event derives from."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import attrs

from hubcore.events import _rules as r
from hubcore.events import _words as w
from hubcore.vocabulary import Source


@attrs.frozen(kw_only=True)
class Event:
    """A domain fact: frozen, slotted, keyword-only; holds no storage metadata.

    ``event_type`` is the stable tag stored in the log (never the Python class name, so a
    class can be renamed without orphaning stored events); ``schema_version`` is bumped,
    with an upcaster registered in :mod:`hubcore.codec`, whenever the stored form changes.
    """

    event_type: ClassVar[str] = "Event"
    schema_version: ClassVar[int] = 1

    occurred_on: date = attrs.field(validator=r.day)

    @property
    def stream(self) -> str:
        """The stream this event belongs in (``school-<URN>`` or ``hub-<hub_id>``)."""
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class SchoolEvent(Event):
    """An event about one school; lives in stream ``school-<URN>``."""

    urn: int = attrs.field(validator=r.urn)

    @property
    def stream(self) -> str:
        return f"school-{self.urn}"


@attrs.frozen(kw_only=True)
class CountedSchoolEvent(SchoolEvent):
    """A school event that carries pupil or staff counts, and so says where they came from."""

    source: Source = attrs.field(
        default=Source.HUB_REGISTER,
        converter=w.to_source,
        validator=r.member(Source),
    )
    estimated: bool = attrs.field(default=False, validator=r.boolean)


@attrs.frozen(kw_only=True)
class HubEvent(Event):
    """A hub-wide event; lives in stream ``hub-<hub_id>``."""

    hub_id: str = attrs.field(validator=r.hub_id)

    @property
    def stream(self) -> str:
        return f"hub-{self.hub_id}"
