"""Events recorded in a school's stream (``school-<URN>``)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import attrs

from hubcore.events import _rules as r
from hubcore.events import _words as w
from hubcore.events._base import CountedSchoolEvent, SchoolEvent
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
    DeepDive,
    DeliveredBy,
    EvaluationMethod,
    Grade,
    ImpactProgramme,
    InspectionFramework,
    Offer,
    Participant,
    ParticipationProgramme,
    Phase,
    PupilVoiceMethod,
    QualityEvidence,
    Term,
    TrainingFormat,
    TrainingTopic,
    WithdrawalReason,
)

_pct = r.number(0, 100)


@attrs.frozen(kw_only=True)
class SchoolRegistered(SchoolEvent):
    """A school joins the hub's roster: the denominator for "all schools" (D3).

    Schema version 2 adds ``send_pct``: the share of its pupils with special educational
    needs (SEN support or an EHC plan), in percent; None when not known.
    """

    event_type: ClassVar[str] = "SchoolRegistered"
    schema_version: ClassVar[int] = 2

    name: str = attrs.field(converter=r.strip, validator=r.text())
    phase: Phase = attrs.field(converter=w.to_phase, validator=r.member(Phase))
    la_code: str = attrs.field(validator=r.la_code)
    pupils_on_roll: int = attrs.field(validator=r.count())
    disadvantaged_pct: float | None = attrs.field(
        converter=r.to_optional_float, default=None, validator=r.optional(_pct)
    )
    send_pct: float | None = attrs.field(
        converter=r.to_optional_float, default=None, validator=r.optional(_pct)
    )


@attrs.frozen(kw_only=True)
class SchoolDetailsUpdated(SchoolEvent):
    """Some of a registered school's details changed (at least one field is given).

    Schema version 2 adds ``send_pct`` (see :class:`SchoolRegistered`).
    """

    event_type: ClassVar[str] = "SchoolDetailsUpdated"
    schema_version: ClassVar[int] = 2

    name: str | None = attrs.field(default=None, converter=r.strip, validator=r.optional(r.text()))
    phase: Phase | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(w.to_phase),
        validator=r.optional(r.member(Phase)),
    )
    pupils_on_roll: int | None = attrs.field(default=None, validator=r.optional(r.count()))
    disadvantaged_pct: float | None = attrs.field(
        converter=r.to_optional_float, default=None, validator=r.optional(_pct)
    )
    send_pct: float | None = attrs.field(
        converter=r.to_optional_float, default=None, validator=r.optional(_pct)
    )

    def __attrs_post_init__(self) -> None:
        given = (
            self.name,
            self.phase,
            self.pupils_on_roll,
            self.disadvantaged_pct,
            self.send_pct,
        )
        r.ensure(
            self, "name", any(v is not None for v in given), "at least one detail must be given"
        )


@attrs.frozen(kw_only=True)
class SchoolClosed(SchoolEvent):
    """The school closed: it leaves the denominator from ``occurred_on``."""

    event_type: ClassVar[str] = "SchoolClosed"

    reason: str = attrs.field(converter=r.strip, validator=r.text(r.NOTE_MAX))


@attrs.frozen(kw_only=True)
class SchoolEngaged(SchoolEvent):
    """The school agreed to work with the hub on an offer (D3, S1)."""

    event_type: ClassVar[str] = "SchoolEngaged"

    offer: frozenset[Offer] = attrs.field(
        converter=w.to_offer_set, validator=r.members(Offer, non_empty=True)
    )
    agreement: Agreement = attrs.field(converter=w.to_agreement, validator=r.member(Agreement))
    agreed_by_role: AgreedByRole = attrs.field(
        converter=w.to_agreed_by_role, validator=r.member(AgreedByRole)
    )


@attrs.frozen(kw_only=True)
class SchoolDisengaged(SchoolEvent):
    """The school stopped working with the hub."""

    event_type: ClassVar[str] = "SchoolDisengaged"

    reason: str = attrs.field(converter=r.strip, validator=r.text(r.NOTE_MAX))


@attrs.frozen(kw_only=True)
class ConversationHeld(SchoolEvent):
    """A supportive, challenging or review conversation about music for all pupils (D4)."""

    event_type: ClassVar[str] = "ConversationHeld"

    conversation_id: str = attrs.field(validator=r.identifier)
    kind: ConversationKind = attrs.field(
        converter=w.to_conversation_kind, validator=r.member(ConversationKind)
    )
    participants: frozenset[Participant] = attrs.field(
        converter=w.to_participant_set,
        validator=r.members(Participant, non_empty=True),
    )
    judgements: dict[Area, Grade] = attrs.field(
        factory=dict,
        converter=w.to_judgements,
        validator=r.mapping(r.member(Area), r.member(Grade)),
    )
    music_taught_weekly_to_all_classes: bool | None = attrs.field(
        default=None, validator=r.optional(r.boolean)
    )
    aware_of_subject_guidance: bool | None = attrs.field(
        default=None, validator=r.optional(r.boolean)
    )
    quality_judged_by: frozenset[QualityEvidence] = attrs.field(
        factory=frozenset,
        converter=w.to_quality_evidence_set,
        validator=r.members(QualityEvidence),
    )
    next_due_on: date | None = attrs.field(default=None, validator=r.optional(r.day))

    def __attrs_post_init__(self) -> None:
        if self.next_due_on is not None:
            r.ensure(
                self,
                "next_due_on",
                self.next_due_on > self.occurred_on,
                f"must be after occurred_on ({self.occurred_on}), got {self.next_due_on}",
            )


@attrs.frozen(kw_only=True)
class ActionAgreed(SchoolEvent):
    """An improvement action agreed with the school (D5, S2)."""

    event_type: ClassVar[str] = "ActionAgreed"

    action_id: str = attrs.field(validator=r.identifier)
    conversation_id: str | None = attrs.field(default=None, validator=r.optional(r.identifier))
    description: str = attrs.field(converter=r.strip, validator=r.text(r.NOTE_MAX))
    owner: ActionOwner = attrs.field(converter=w.to_action_owner, validator=r.member(ActionOwner))
    due_on: date = attrs.field(validator=r.day)

    def __attrs_post_init__(self) -> None:
        r.ensure(
            self,
            "due_on",
            self.due_on >= self.occurred_on,
            f"must not be before occurred_on ({self.occurred_on}), got {self.due_on}",
        )


@attrs.frozen(kw_only=True)
class ActionCompleted(SchoolEvent):
    """An agreed action was completed (S2)."""

    event_type: ClassVar[str] = "ActionCompleted"

    action_id: str = attrs.field(validator=r.identifier)
    outcome: str = attrs.field(converter=r.strip, validator=r.text(r.NOTE_MAX))


@attrs.frozen(kw_only=True)
class ActionWithdrawn(SchoolEvent):
    """An open agreed action was dropped or superseded before it was completed (D5, S2).

    ``reason`` says which and ``note`` why; ``superseded_by`` optionally names the action
    (agreed in the same school's stream) that replaces it.
    """

    event_type: ClassVar[str] = "ActionWithdrawn"

    action_id: str = attrs.field(validator=r.identifier)
    reason: WithdrawalReason = attrs.field(
        converter=w.to_withdrawal_reason, validator=r.member(WithdrawalReason)
    )
    note: str = attrs.field(converter=r.strip, validator=r.text(r.NOTE_MAX))
    superseded_by: str | None = attrs.field(default=None, validator=r.optional(r.identifier))

    def __attrs_post_init__(self) -> None:
        r.ensure(
            self,
            "superseded_by",
            self.superseded_by != self.action_id,
            f"must name another action, not the withdrawn one ({self.action_id!r})",
        )


@attrs.frozen(kw_only=True)
class TrainingDelivered(CountedSchoolEvent):
    """Training or consultancy delivered to the school's staff (D6).

    Schema version 2: ``hours`` (was ``minutes`` in version 1) and ``delivered_by``.
    """

    event_type: ClassVar[str] = "TrainingDelivered"
    schema_version: ClassVar[int] = 2

    topic: TrainingTopic = attrs.field(
        converter=w.to_training_topic, validator=r.member(TrainingTopic)
    )
    format: TrainingFormat = attrs.field(
        converter=w.to_training_format, validator=r.member(TrainingFormat)
    )
    hours: float = attrs.field(
        converter=r.to_float, validator=r.number(0, 40, exclusive_minimum=True)
    )
    staff_trained: int = attrs.field(validator=r.count(1))
    delivered_by: DeliveredBy = attrs.field(
        converter=w.to_delivered_by, validator=r.member(DeliveredBy)
    )
    partner_id: str | None = attrs.field(default=None, validator=r.optional(r.identifier))


@attrs.frozen(kw_only=True)
class ImpactEvaluated(CountedSchoolEvent):
    """An evaluation of the impact of a programme on pupils' music education (D12)."""

    event_type: ClassVar[str] = "ImpactEvaluated"

    evaluation_id: str = attrs.field(validator=r.identifier)
    programme: ImpactProgramme = attrs.field(
        converter=w.to_impact_programme, validator=r.member(ImpactProgramme)
    )
    methods: frozenset[EvaluationMethod] = attrs.field(
        converter=w.to_evaluation_method_set,
        validator=r.members(EvaluationMethod, non_empty=True),
    )
    pupils_in_scope: int = attrs.field(validator=r.count())
    baseline_grade: Grade = attrs.field(converter=w.to_grade, validator=r.member(Grade))
    current_grade: Grade = attrs.field(converter=w.to_grade, validator=r.member(Grade))
    summary: str = attrs.field(converter=r.strip, validator=r.text(r.NOTE_MAX))


def _key_stage(instance: object, attribute: attrs.Attribute[object], value: object) -> None:
    if type(value) is not int or not 1 <= value <= 5:
        raise r.fail(instance, attribute, f"key stages must be 1-5, got {value!r}")


@attrs.frozen(kw_only=True)
class ProvisionReported(CountedSchoolEvent):
    """The school's own evaluation of its music provision for a year (S3, Q2, Q3)."""

    event_type: ClassVar[str] = "ProvisionReported"

    academic_year: str = attrs.field(validator=r.academic_year)
    classes_total: int = attrs.field(validator=r.count(1))
    classes_with_weekly_music: int = attrs.field(validator=r.count())
    minutes_per_week: dict[int, int] = attrs.field(
        factory=dict, converter=r.to_dict, validator=r.mapping(_key_stage, r.count(0, 600))
    )
    self_evaluation_grade: Grade = attrs.field(converter=w.to_grade, validator=r.member(Grade))
    judged_by: frozenset[QualityEvidence] = attrs.field(
        factory=frozenset,
        converter=w.to_quality_evidence_set,
        validator=r.members(QualityEvidence),
    )

    def __attrs_post_init__(self) -> None:
        r.ensure(
            self,
            "classes_with_weekly_music",
            self.classes_with_weekly_music <= self.classes_total,
            f"must be <= classes_total ({self.classes_total}),"
            f" got {self.classes_with_weekly_music}",
        )


@attrs.frozen(kw_only=True)
class ParticipationRecorded(CountedSchoolEvent):
    """Participations in a programme (one pupil in two ensembles counts twice) (W2)."""

    event_type: ClassVar[str] = "ParticipationRecorded"

    academic_year: str = attrs.field(validator=r.academic_year)
    term: Term | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(w.to_term),
        validator=r.optional(r.member(Term)),
    )
    programme: ParticipationProgramme = attrs.field(
        converter=w.to_participation_programme,
        validator=r.member(ParticipationProgramme),
    )
    key_stage: int | None = attrs.field(default=None, validator=r.optional(r.count(1, 5)))
    pupils: int = attrs.field(validator=r.count())
    pupil_premium: int = attrs.field(default=0, validator=r.count())
    send: int = attrs.field(default=0, validator=r.count())
    fee_remission: int = attrs.field(default=0, validator=r.count())
    wcet_terms: int | None = attrs.field(default=None, validator=r.optional(r.count(1, 3)))
    continuing_from_wcet: int | None = attrs.field(default=None, validator=r.optional(r.count()))

    def __attrs_post_init__(self) -> None:
        for name in ("pupil_premium", "send", "fee_remission", "continuing_from_wcet"):
            value = getattr(self, name)
            if value is not None:
                r.ensure(
                    self,
                    name,
                    value <= self.pupils,
                    f"must be <= pupils ({self.pupils}), got {value}",
                )
        is_wcet = self.programme is ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
        r.ensure(
            self,
            "wcet_terms",
            (self.wcet_terms is not None) == is_wcet,
            "is required for whole_class_ensemble and only for it",
        )


@attrs.frozen(kw_only=True)
class MusicDevelopmentPlanRecorded(SchoolEvent):
    """Whether the school has a music development plan, and a published summary of it."""

    event_type: ClassVar[str] = "MusicDevelopmentPlanRecorded"

    academic_year: str = attrs.field(validator=r.academic_year)
    has_plan: bool = attrs.field(validator=r.boolean)
    summary_published: bool = attrs.field(validator=r.boolean)
    hub_supported: bool = attrs.field(validator=r.boolean)
    review_due_on: date | None = attrs.field(default=None, validator=r.optional(r.day))


@attrs.frozen(kw_only=True)
class InspectionRecorded(SchoolEvent):
    """Public facts from the school's latest Ofsted inspection (Q1)."""

    event_type: ClassVar[str] = "InspectionRecorded"

    framework: InspectionFramework = attrs.field(
        converter=w.to_inspection_framework, validator=r.member(InspectionFramework)
    )
    music_deep_dive: DeepDive = attrs.field(
        default=DeepDive.UNKNOWN,
        converter=w.to_deep_dive,
        validator=r.member(DeepDive),
    )
    curriculum_teaching_grade: Grade | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(w.to_grade),
        validator=r.optional(r.member(Grade)),
    )
    inclusion_grade: Grade | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(w.to_grade),
        validator=r.optional(r.member(Grade)),
    )


@attrs.frozen(kw_only=True)
class PupilVoiceGathered(CountedSchoolEvent):
    """Pupils were asked about their music education (W1)."""

    event_type: ClassVar[str] = "PupilVoiceGathered"

    method: PupilVoiceMethod = attrs.field(
        converter=w.to_pupil_voice_method, validator=r.member(PupilVoiceMethod)
    )
    respondents: int = attrs.field(validator=r.count(1))
    enjoy_pct: float = attrs.field(converter=r.to_float, validator=_pct)
    want_more_pct: float = attrs.field(converter=r.to_float, validator=_pct)
    themes: tuple[str, ...] = attrs.field(
        factory=tuple, converter=r.to_tuple, validator=r.texts(r.THEME_MAX, 20)
    )


@attrs.frozen(kw_only=True)
class SchoolToSchoolSupportBrokered(SchoolEvent):
    """The hub brokered support for this school (``urn``) from another (``lead_urn``) (D10)."""

    event_type: ClassVar[str] = "SchoolToSchoolSupportBrokered"

    lead_urn: int = attrs.field(validator=r.urn)
    focus: Area = attrs.field(converter=w.to_area, validator=r.member(Area))

    def __attrs_post_init__(self) -> None:
        r.ensure(self, "lead_urn", self.lead_urn != self.urn, "must differ from urn")
