"""Events recorded in a hub's stream (``hub-<hub_id>``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

import attrs

from hubcore.events import _rules as r
from hubcore.events import _words as w
from hubcore.events._base import HubEvent
from hubcore.vocabulary import (
    Audience,
    Channel,
    PartnerKind,
    PupilVoiceMethod,
    StaffRole,
    TrainingTopic,
    YouthGroup,
)

_HASH = re.compile(r"[0-9a-f]{64}")  # matched whole: fullmatch


@attrs.frozen(kw_only=True)
class HubEstablished(HubEvent):
    """The hub partnership exists: a lead organisation covering local authorities."""

    event_type: ClassVar[str] = "HubEstablished"

    name: str = attrs.field(converter=r.strip, validator=r.text())
    lead_organisation: str = attrs.field(converter=r.strip, validator=r.text())
    la_codes: frozenset[str] = attrs.field(converter=r.to_frozenset)

    @la_codes.validator
    def _check_la_codes(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset) or not value:
            raise r.fail(self, attribute, "must be a non-empty set of local authority codes")
        for code in value:
            r.la_code(self, attribute, code)


@attrs.frozen(kw_only=True)
class MusicEducationPlanPublished(HubEvent):
    """The hub published (a new version of) its school music education plan (D1)."""

    event_type: ClassVar[str] = "MusicEducationPlanPublished"

    plan_version: int = attrs.field(validator=r.count(1))
    covers: frozenset[str] = attrs.field(converter=r.to_frozenset)

    @covers.validator
    def _check_covers(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset) or not value:
            raise r.fail(self, attribute, "must be a non-empty set of academic years")
        for year in value:
            r.academic_year(self, attribute, year)


@attrs.frozen(kw_only=True)
class StaffTimeLogged(HubEvent):
    """Hub staff time over a period, split strategic / teaching / other (D8)."""

    event_type: ClassVar[str] = "StaffTimeLogged"

    period_start: date = attrs.field(validator=r.day)
    period_end: date = attrs.field(validator=r.day)
    staff_role: StaffRole = attrs.field(converter=w.to_staff_role, validator=r.member(StaffRole))
    strategic_hours: float = attrs.field(converter=r.to_float, validator=r.number(0, 100_000))
    teaching_hours: float = attrs.field(converter=r.to_float, validator=r.number(0, 100_000))
    other_hours: float = attrs.field(converter=r.to_float, validator=r.number(0, 100_000))

    def __attrs_post_init__(self) -> None:
        r.ensure(
            self,
            "period_end",
            self.period_end >= self.period_start,
            f"must not be before period_start ({self.period_start}), got {self.period_end}",
        )


@attrs.frozen(kw_only=True)
class HubStaffTrained(HubEvent):
    """The hub's own staff and partners were trained (D7)."""

    event_type: ClassVar[str] = "HubStaffTrained"

    topic: TrainingTopic = attrs.field(
        converter=w.to_training_topic, validator=r.member(TrainingTopic)
    )
    hours: float = attrs.field(
        converter=r.to_float, validator=r.number(0, 40, exclusive_minimum=True)
    )
    staff_count: int = attrs.field(validator=r.count(1))


@attrs.frozen(kw_only=True)
class PartnerJoined(HubEvent):
    """A music organisation, practitioner, venue, network or youth-voice group joined (W3)."""

    event_type: ClassVar[str] = "PartnerJoined"

    partner_id: str = attrs.field(validator=r.identifier)
    name: str = attrs.field(converter=r.strip, validator=r.text())
    kind: PartnerKind = attrs.field(converter=w.to_partner_kind, validator=r.member(PartnerKind))


def _metric_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    r.text(r.NAME_MAX)(instance, attribute, value)


@attrs.frozen(kw_only=True)
class DataReturnSubmitted(HubEvent):
    """The annual data return as submitted to the funder, with a hash of what was sent."""

    event_type: ClassVar[str] = "DataReturnSubmitted"

    academic_year: str = attrs.field(validator=r.academic_year)
    figures: dict[str, float] = attrs.field(
        converter=r.to_float_values,
        validator=r.mapping(_metric_name, r.number(-1e15, 1e15), max_items=1000),
    )
    content_hash: str = attrs.field()

    @content_hash.validator
    def _check_hash(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not _HASH.fullmatch(value):
            raise r.fail(self, attribute, "must be a lowercase hex SHA-256 (64 characters)")


@attrs.frozen(kw_only=True)
class WorkPublicised(HubEvent):
    """The hub publicised its work and how it helps schools improve (D2, D9)."""

    event_type: ClassVar[str] = "WorkPublicised"

    channel: Channel = attrs.field(converter=w.to_channel, validator=r.member(Channel))
    audience: Audience = attrs.field(converter=w.to_audience, validator=r.member(Audience))
    schools_reached: int = attrs.field(validator=r.count())


@attrs.frozen(kw_only=True)
class YouthConsultationHeld(HubEvent):
    """The hub asked young people about its own offer, and agreed what to change (W1).

    Groups and a count, never a young person: ``groups`` says who was asked (``other``
    needs ``other_group``, a short description such as "young carers", and only it has
    one); ``changes_agreed`` lists what the hub agreed to change as a result, one short
    text each (empty: nothing agreed yet).
    """

    event_type: ClassVar[str] = "YouthConsultationHeld"

    consultation_id: str = attrs.field(validator=r.identifier)
    method: PupilVoiceMethod = attrs.field(
        converter=w.to_pupil_voice_method, validator=r.member(PupilVoiceMethod)
    )
    young_people: int = attrs.field(validator=r.count(1))
    groups: frozenset[YouthGroup] = attrs.field(
        converter=w.to_youth_group_set, validator=r.members(YouthGroup, non_empty=True)
    )
    other_group: str | None = attrs.field(
        default=None, converter=r.strip, validator=r.optional(r.text(r.THEME_MAX))
    )
    changes_agreed: tuple[str, ...] = attrs.field(
        factory=tuple, converter=r.to_tuple, validator=r.texts(r.NAME_MAX, 20)
    )

    def __attrs_post_init__(self) -> None:
        r.ensure(
            self,
            "other_group",
            (self.other_group is not None) == (YouthGroup.OTHER in self.groups),
            "is required when groups include other, and only then",
        )
