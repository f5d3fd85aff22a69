"""One hand-written strategy per event class, producing only valid events.

``st.from_type`` and ``st.builds`` ignore attrs validators and cross-field rules, so each
event class has a *spec* here: its fields in dependency order, each drawn from a strategy
built once, or derived from the fields drawn before it (a due date after ``occurred_on``,
a sub-count up to ``pupils``). Building strategies once, not on every draw, is what keeps
long histories cheap to generate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import Enum
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    DataReturnSubmitted,
    Event,
    HubEstablished,
    HubStaffTrained,
    ImpactEvaluated,
    InspectionRecorded,
    MusicDevelopmentPlanRecorded,
    MusicEducationPlanPublished,
    ParticipationRecorded,
    PartnerJoined,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolClosed,
    SchoolDetailsUpdated,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
    WorkPublicised,
    YouthConsultationHeld,
)
from hubcore.testing import _fields as f
from hubcore.testing._fields import MAX_DATE, MIN_DATE
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

EventT = TypeVar("EventT", bound=Event)
E = TypeVar("E", bound=Enum)
Derive = Callable[[st.DrawFn, dict[str, Any]], Any]
"""Draws a field's value given the fields drawn so far."""
Spec = list[tuple[str, "st.SearchStrategy[Any] | Derive"]]


class Kit:
    """Field strategies for text, ids and measures: rich by default, small when ``plain``.

    Plain kits draw from a few readable values: histories use them, so that long logs are
    cheap to generate and shrink to examples a person can read.
    """

    def __init__(self, *, plain: bool) -> None:
        self.plain = plain

    def text(self, cap: int) -> st.SearchStrategy[str]:
        return f.plain_texts() if self.plain else f.texts(cap)

    def ident(self) -> st.SearchStrategy[str]:
        return _PLAIN_IDS if self.plain else f.identifiers()

    def many(self, size: int) -> int:
        """The largest size of a collection: ``size``, or at most 2 when plain."""
        return min(size, 2) if self.plain else size

    def member_sets(self, enum: type[E], *, min_size: int = 0) -> st.SearchStrategy[frozenset[E]]:
        size = len(enum)
        return st.frozensets(
            f.members(enum), min_size=min_size, max_size=min(size, self.many(size) + min_size)
        )

    def number(
        self, minimum: float, maximum: float, *, exclusive_minimum: bool = False
    ) -> st.SearchStrategy[float]:
        if self.plain:
            low = int(minimum) + 1 if exclusive_minimum else int(minimum)
            return st.integers(low, int(min(maximum, low + 100))).map(float)
        return f.numbers(minimum, maximum, exclusive_minimum=exclusive_minimum)


_PLAIN_IDS = st.sampled_from(["a1", "b2", "c3"])

Builder = Callable[[date, date, Kit], Spec]

NAME_MAX = 200
NOTE_MAX = 2000
THEME_MAX = 80

_BOOLS = st.booleans()


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _after(base: str, low: int, high: int, *, optional: bool = False) -> Derive:
    """A date ``low``-``high`` days after field ``base`` (or ``None`` when ``optional``)."""
    offsets = st.integers(low, high)

    def derive(draw: st.DrawFn, values: dict[str, Any]) -> date | None:
        if optional and draw(_BOOLS):
            return None
        day: date = values[base]
        return day + timedelta(days=draw(offsets))

    return derive


def _up_to(base: str, *, optional: bool = False) -> Derive:
    """A whole number from 0 to field ``base`` (or ``None`` when ``optional``)."""

    def derive(draw: st.DrawFn, values: dict[str, Any]) -> int | None:
        if optional and draw(_BOOLS):
            return None
        return draw(st.integers(0, max(0, values[base])))

    return derive


def _school(*rest: tuple[str, Any]) -> Spec:
    return [("urn", f.urns()), *rest]


def _counted(*rest: tuple[str, Any]) -> Spec:
    return _school(("source", f.members(Source)), ("estimated", _BOOLS), *rest)


def _hub(*rest: tuple[str, Any]) -> Spec:
    return [("hub_id", f.hub_ids()), *rest]


def _make(
    cls: type[EventT],
    min_date: date,
    max_date: date,
    fixed: Mapping[str, Any],
    *,
    plain: bool,
) -> st.SearchStrategy[EventT]:
    specs: Spec = [("occurred_on", f.days(min_date, max_date))]
    specs += BUILDERS[cls](min_date, max_date, Kit(plain=plain))
    known = {a.name for a in attrs.fields(cls)}
    unknown = sorted(set(fixed) - known)
    if unknown:
        raise InvalidArgument(
            f"{cls.__name__} has no field(s) {', '.join(unknown)}; known: {sorted(known)}"
        )

    @st.composite
    def strategy(draw: st.DrawFn) -> EventT:
        values: dict[str, Any] = {}
        for name, source in specs:
            if name in fixed:
                value = fixed[name]
                values[name] = draw(value) if isinstance(value, st.SearchStrategy) else value
            elif isinstance(source, st.SearchStrategy):
                values[name] = draw(source)
            else:
                values[name] = source(draw, values)
        return cls(**{k: v for k, v in values.items() if not k.startswith("_")})

    return strategy()


# -- school events -------------------------------------------------------------------------


def _school_registered(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(
        ("name", kit.text(NAME_MAX)),
        ("phase", f.members(Phase)),
        ("la_code", f.la_codes()),
        ("pupils_on_roll", f.counts(0, 3000)),
        ("disadvantaged_pct", _optional(kit.number(0, 100))),
        ("send_pct", _optional(kit.number(0, 100))),
    )


def _school_details_updated(lo: date, hi: date, kit: Kit) -> Spec:
    details: dict[str, st.SearchStrategy[Any]] = {
        "name": kit.text(NAME_MAX),
        "phase": f.members(Phase),
        "pupils_on_roll": f.counts(0, 3000),
        "disadvantaged_pct": kit.number(0, 100),
        "send_pct": kit.number(0, 100),
    }

    def detail(name: str) -> Derive:
        def derive(draw: st.DrawFn, values: dict[str, Any]) -> Any:
            return draw(details[name]) if name in values["_chosen"] else None

        return derive

    chosen = st.frozensets(st.sampled_from(sorted(details)), min_size=1)
    return _school(("_chosen", chosen), *((name, detail(name)) for name in details))


def _school_closed(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(("reason", kit.text(NOTE_MAX)))


def _school_engaged(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(
        ("offer", kit.member_sets(Offer, min_size=1)),
        ("agreement", f.members(Agreement)),
        ("agreed_by_role", f.members(AgreedByRole)),
    )


def _school_disengaged(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(("reason", kit.text(NOTE_MAX)))


def _conversation_held(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(
        ("conversation_id", kit.ident()),
        ("kind", f.members(ConversationKind)),
        ("participants", kit.member_sets(Participant, min_size=1)),
        ("judgements", st.dictionaries(f.members(Area), f.members(Grade), max_size=kit.many(8))),
        ("music_taught_weekly_to_all_classes", _optional(_BOOLS)),
        ("aware_of_subject_guidance", _optional(_BOOLS)),
        ("quality_judged_by", kit.member_sets(QualityEvidence)),
        ("next_due_on", _after("occurred_on", 1, 400, optional=True)),
    )


def _action_agreed(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(
        ("action_id", kit.ident()),
        ("conversation_id", _optional(kit.ident())),
        ("description", kit.text(NOTE_MAX)),
        ("owner", f.members(ActionOwner)),
        ("due_on", _after("occurred_on", 0, 400)),
    )


def _action_completed(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(("action_id", kit.ident()), ("outcome", kit.text(NOTE_MAX)))


def _action_withdrawn(lo: date, hi: date, kit: Kit) -> Spec:
    others = kit.ident()

    def successor(draw: st.DrawFn, values: dict[str, Any]) -> str | None:
        if draw(_BOOLS):
            return None
        withdrawn = values["action_id"]
        return draw(others.filter(lambda other: other != withdrawn))

    return _school(
        ("action_id", kit.ident()),
        ("reason", f.members(WithdrawalReason)),
        ("note", kit.text(NOTE_MAX)),
        ("superseded_by", successor),
    )


def _training_delivered(lo: date, hi: date, kit: Kit) -> Spec:
    return _counted(
        ("topic", f.members(TrainingTopic)),
        ("format", f.members(TrainingFormat)),
        ("hours", kit.number(0, 40, exclusive_minimum=True)),
        ("staff_trained", f.counts(1, 200)),
        ("delivered_by", f.members(DeliveredBy)),
        ("partner_id", _optional(kit.ident())),
    )


def _impact_evaluated(lo: date, hi: date, kit: Kit) -> Spec:
    return _counted(
        ("evaluation_id", kit.ident()),
        ("programme", f.members(ImpactProgramme)),
        ("methods", kit.member_sets(EvaluationMethod, min_size=1)),
        ("pupils_in_scope", f.counts(0, 3000)),
        ("baseline_grade", f.members(Grade)),
        ("current_grade", f.members(Grade)),
        ("summary", kit.text(NOTE_MAX)),
    )


def _provision_reported(lo: date, hi: date, kit: Kit) -> Spec:
    return _counted(
        ("academic_year", f.academic_years(lo, hi)),
        ("classes_total", f.counts(1, 120)),
        ("classes_with_weekly_music", _up_to("classes_total")),
        (
            "minutes_per_week",
            st.dictionaries(st.integers(1, 5), f.counts(0, 600), max_size=kit.many(5)),
        ),
        ("self_evaluation_grade", f.members(Grade)),
        ("judged_by", kit.member_sets(QualityEvidence)),
    )


def _wcet_terms(draw: st.DrawFn, values: dict[str, Any]) -> int | None:
    if values["programme"] is ParticipationProgramme.WHOLE_CLASS_ENSEMBLE:
        return draw(st.integers(1, 3))
    return None


def _participation_recorded(lo: date, hi: date, kit: Kit) -> Spec:
    return _counted(
        ("academic_year", f.academic_years(lo, hi)),
        ("term", _optional(f.members(Term))),
        ("programme", f.members(ParticipationProgramme)),
        ("key_stage", _optional(st.integers(1, 5))),
        ("pupils", f.counts(0, 3000)),
        ("pupil_premium", _up_to("pupils")),
        ("send", _up_to("pupils")),
        ("fee_remission", _up_to("pupils")),
        ("wcet_terms", _wcet_terms),
        ("continuing_from_wcet", _up_to("pupils", optional=True)),
    )


def _music_development_plan_recorded(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(
        ("academic_year", f.academic_years(lo, hi)),
        ("has_plan", _BOOLS),
        ("summary_published", _BOOLS),
        ("hub_supported", _BOOLS),
        ("review_due_on", _after("occurred_on", 1, 400, optional=True)),
    )


def _inspection_recorded(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(
        ("framework", f.members(InspectionFramework)),
        ("music_deep_dive", f.members(DeepDive)),
        ("curriculum_teaching_grade", _optional(f.members(Grade))),
        ("inclusion_grade", _optional(f.members(Grade))),
    )


def _pupil_voice_gathered(lo: date, hi: date, kit: Kit) -> Spec:
    return _counted(
        ("method", f.members(PupilVoiceMethod)),
        ("respondents", f.counts(1, 3000)),
        ("enjoy_pct", kit.number(0, 100)),
        ("want_more_pct", kit.number(0, 100)),
        ("themes", st.lists(kit.text(THEME_MAX), max_size=kit.many(5)).map(tuple)),
    )


def _lead_urn(draw: st.DrawFn, values: dict[str, Any]) -> int:
    lead: int = draw(f.urns())
    if lead == values["urn"]:
        lead = 100_001 if lead == 100_000 else 100_000
    return lead


def _school_to_school_support_brokered(lo: date, hi: date, kit: Kit) -> Spec:
    return _school(("lead_urn", _lead_urn), ("focus", f.members(Area)))


# -- hub events ----------------------------------------------------------------------------


def _hub_established(lo: date, hi: date, kit: Kit) -> Spec:
    return _hub(
        ("name", kit.text(NAME_MAX)),
        ("lead_organisation", kit.text(NAME_MAX)),
        ("la_codes", st.frozensets(f.la_codes(), min_size=1, max_size=8)),
    )


def _music_education_plan_published(lo: date, hi: date, kit: Kit) -> Spec:
    return _hub(
        ("plan_version", f.counts(1, 50)),
        ("covers", st.frozensets(f.academic_years(lo, hi), min_size=1, max_size=3)),
    )


def _period(lo: date) -> tuple[Derive, Derive]:
    """A period ending 0-31 days before ``occurred_on`` and lasting 0-120 days, from ``lo``."""
    before, length = st.integers(0, 31), st.integers(0, 120)

    def end(draw: st.DrawFn, values: dict[str, Any]) -> date:
        day: date = values["occurred_on"]
        return max(min(lo, day), day - timedelta(days=draw(before)))

    def start(draw: st.DrawFn, values: dict[str, Any]) -> date:
        last: date = values["period_end"]
        return max(min(lo, last), last - timedelta(days=draw(length)))

    return end, start


def _staff_time_logged(lo: date, hi: date, kit: Kit) -> Spec:
    end, start = _period(lo)
    hours = kit.number(0, 100_000)
    return _hub(
        ("period_end", end),
        ("period_start", start),
        ("staff_role", f.members(StaffRole)),
        ("strategic_hours", hours),
        ("teaching_hours", hours),
        ("other_hours", hours),
    )


def _hub_staff_trained(lo: date, hi: date, kit: Kit) -> Spec:
    return _hub(
        ("topic", f.members(TrainingTopic)),
        ("hours", kit.number(0, 40, exclusive_minimum=True)),
        ("staff_count", f.counts(1, 500)),
    )


def _partner_joined(lo: date, hi: date, kit: Kit) -> Spec:
    return _hub(
        ("partner_id", kit.ident()),
        ("name", kit.text(NAME_MAX)),
        ("kind", f.members(PartnerKind)),
    )


def _data_return_submitted(lo: date, hi: date, kit: Kit) -> Spec:
    value = st.integers(-(10**15), 10**15) | kit.number(-1e15, 1e15)
    return _hub(
        ("academic_year", f.academic_years(lo, hi)),
        ("figures", st.dictionaries(f.texts(NAME_MAX, 20), value, max_size=kit.many(8))),
        ("content_hash", f.hex_digests()),
    )


def _work_publicised(lo: date, hi: date, kit: Kit) -> Spec:
    return _hub(
        ("channel", f.members(Channel)),
        ("audience", f.members(Audience)),
        ("schools_reached", f.counts(0, 1000)),
    )


def _youth_consultation_held(lo: date, hi: date, kit: Kit) -> Spec:
    described = kit.text(THEME_MAX)

    def other_group(draw: st.DrawFn, values: dict[str, Any]) -> str | None:
        return draw(described) if YouthGroup.OTHER in values["groups"] else None

    return _hub(
        ("consultation_id", kit.ident()),
        ("method", f.members(PupilVoiceMethod)),
        ("young_people", f.counts(1, 3000)),
        ("groups", kit.member_sets(YouthGroup, min_size=1)),
        ("other_group", other_group),
        ("changes_agreed", st.lists(kit.text(NAME_MAX), max_size=kit.many(5)).map(tuple)),
    )


BUILDERS: Mapping[type[Event], Builder] = {
    SchoolRegistered: _school_registered,
    SchoolDetailsUpdated: _school_details_updated,
    SchoolClosed: _school_closed,
    SchoolEngaged: _school_engaged,
    SchoolDisengaged: _school_disengaged,
    ConversationHeld: _conversation_held,
    ActionAgreed: _action_agreed,
    ActionCompleted: _action_completed,
    ActionWithdrawn: _action_withdrawn,
    TrainingDelivered: _training_delivered,
    ImpactEvaluated: _impact_evaluated,
    ProvisionReported: _provision_reported,
    ParticipationRecorded: _participation_recorded,
    MusicDevelopmentPlanRecorded: _music_development_plan_recorded,
    InspectionRecorded: _inspection_recorded,
    PupilVoiceGathered: _pupil_voice_gathered,
    SchoolToSchoolSupportBrokered: _school_to_school_support_brokered,
    HubEstablished: _hub_established,
    MusicEducationPlanPublished: _music_education_plan_published,
    StaffTimeLogged: _staff_time_logged,
    HubStaffTrained: _hub_staff_trained,
    PartnerJoined: _partner_joined,
    DataReturnSubmitted: _data_return_submitted,
    WorkPublicised: _work_publicised,
    YouthConsultationHeld: _youth_consultation_held,
}


def event_strategy(
    cls: type[EventT],
    *,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    plain: bool = False,
    **fixed: Any,
) -> st.SearchStrategy[EventT]:
    """Valid ``cls`` events; ``fixed`` pins fields to values or strategies.

    ``plain`` draws text from a few readable phrases (cheaper; used inside histories).
    """
    return _make(cls, min_date, max_date, fixed, plain=plain)
