"""Converters that let every vocabulary field take its plain word.

``SchoolRegistered(phase="primary", ...)`` stores ``Phase.PRIMARY``: each converter turns a
known word into its member and leaves anything else (an unknown word, a member of another
vocabulary, a number) as it is, for the field's validator to refuse, naming the allowed
words. One named function per vocabulary, so that type checkers see each field accept
``Phase | str``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hubcore.events import _rules as r
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    Audience,
    Channel,
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
    PartnerKind,
    Phase,
    PupilVoiceMethod,
    QualityEvidence,
    Source,
    StaffRole,
    Term,
    TrainingFormat,
    TrainingTopic,
    WithdrawalReason,
    YouthGroup,
)

__all__ = [
    "to_action_owner",
    "to_agreed_by_role",
    "to_agreement",
    "to_area",
    "to_audience",
    "to_channel",
    "to_conversation_kind",
    "to_deep_dive",
    "to_delivered_by",
    "to_evaluation_method_set",
    "to_grade",
    "to_impact_programme",
    "to_inspection_framework",
    "to_judgements",
    "to_offer_set",
    "to_participant_set",
    "to_participation_programme",
    "to_partner_kind",
    "to_phase",
    "to_pupil_voice_method",
    "to_quality_evidence_set",
    "to_source",
    "to_staff_role",
    "to_term",
    "to_training_format",
    "to_training_topic",
    "to_withdrawal_reason",
    "to_youth_group_set",
]


def to_action_owner(value: ActionOwner | str) -> ActionOwner:
    return r.word(ActionOwner, value)


def to_agreed_by_role(value: AgreedByRole | str) -> AgreedByRole:
    return r.word(AgreedByRole, value)


def to_agreement(value: Agreement | str) -> Agreement:
    return r.word(Agreement, value)


def to_area(value: Area | str) -> Area:
    return r.word(Area, value)


def to_audience(value: Audience | str) -> Audience:
    return r.word(Audience, value)


def to_channel(value: Channel | str) -> Channel:
    return r.word(Channel, value)


def to_conversation_kind(value: ConversationKind | str) -> ConversationKind:
    return r.word(ConversationKind, value)


def to_deep_dive(value: DeepDive | str) -> DeepDive:
    return r.word(DeepDive, value)


def to_delivered_by(value: DeliveredBy | str) -> DeliveredBy:
    return r.word(DeliveredBy, value)


def to_grade(value: Grade | str) -> Grade:
    return r.word(Grade, value)


def to_impact_programme(value: ImpactProgramme | str) -> ImpactProgramme:
    return r.word(ImpactProgramme, value)


def to_inspection_framework(value: InspectionFramework | str) -> InspectionFramework:
    return r.word(InspectionFramework, value)


def to_participation_programme(value: ParticipationProgramme | str) -> ParticipationProgramme:
    return r.word(ParticipationProgramme, value)


def to_partner_kind(value: PartnerKind | str) -> PartnerKind:
    return r.word(PartnerKind, value)


def to_phase(value: Phase | str) -> Phase:
    return r.word(Phase, value)


def to_pupil_voice_method(value: PupilVoiceMethod | str) -> PupilVoiceMethod:
    return r.word(PupilVoiceMethod, value)


def to_source(value: Source | str) -> Source:
    return r.word(Source, value)


def to_staff_role(value: StaffRole | str) -> StaffRole:
    return r.word(StaffRole, value)


def to_term(value: Term | str) -> Term:
    return r.word(Term, value)


def to_training_format(value: TrainingFormat | str) -> TrainingFormat:
    return r.word(TrainingFormat, value)


def to_training_topic(value: TrainingTopic | str) -> TrainingTopic:
    return r.word(TrainingTopic, value)


def to_withdrawal_reason(value: WithdrawalReason | str) -> WithdrawalReason:
    return r.word(WithdrawalReason, value)


def to_evaluation_method_set(
    value: Iterable[EvaluationMethod | str],
) -> frozenset[EvaluationMethod]:
    return r.words(EvaluationMethod, value)


def to_offer_set(value: Iterable[Offer | str]) -> frozenset[Offer]:
    return r.words(Offer, value)


def to_participant_set(value: Iterable[Participant | str]) -> frozenset[Participant]:
    return r.words(Participant, value)


def to_quality_evidence_set(value: Iterable[QualityEvidence | str]) -> frozenset[QualityEvidence]:
    return r.words(QualityEvidence, value)


def to_judgements(value: Mapping[Area | str, Grade | str]) -> dict[Area, Grade]:
    return r.word_map(Area, Grade, value)


def to_youth_group_set(value: Iterable[YouthGroup | str]) -> frozenset[YouthGroup]:
    return r.words(YouthGroup, value)
