"""Causally valid event logs for one hub, built from small steps so that they shrink well.

A history is drawn as a list of *steps*, each a small choice (an event kind, a gap in days,
two picks and a template event of that kind), and a little state machine interprets the
steps in order, fitting each template to the state so far: which schools are registered,
open and engaged, which conversations and open actions each school has, which partners
joined, the last plan version. A step that does not fit (completing an action when none
is open, say) is skipped. Deleting steps therefore always leaves a valid history, which
is what lets hypothesis shrink a failing log to a few readable events.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hubcore.calendar import academic_year_bounds, academic_year_of, is_academic_year, term_of
from hubcore.events import (
    EVENT_TYPES,
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    DataReturnSubmitted,
    Event,
    HubEstablished,
    HubEvent,
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
from hubcore.testing._events import event_strategy
from hubcore.vocabulary import DeliveredBy, Term

__all__ = ["DEFAULT_EVENT_MIX", "histories"]

DEFAULT_EVENT_MIX: Mapping[type[Event], float] = {
    SchoolEngaged: 8,
    ConversationHeld: 10,
    ActionAgreed: 6,
    ActionCompleted: 5,
    ActionWithdrawn: 2,
    TrainingDelivered: 6,
    ParticipationRecorded: 8,
    ProvisionReported: 3,
    ImpactEvaluated: 3,
    PupilVoiceGathered: 2,
    MusicDevelopmentPlanRecorded: 2,
    InspectionRecorded: 1,
    SchoolDetailsUpdated: 1,
    SchoolDisengaged: 2,
    SchoolClosed: 1,
    SchoolToSchoolSupportBrokered: 2,
    MusicEducationPlanPublished: 1,
    StaffTimeLogged: 3,
    HubStaffTrained: 2,
    PartnerJoined: 2,
    DataReturnSubmitted: 1,
    WorkPublicised: 2,
    YouthConsultationHeld: 1,
}
"""Relative weights of the event kinds in a history when no ``event_mix`` is given."""

_NOT_IN_MIX = (HubEstablished, SchoolRegistered)
_EVENT_CLASSES = frozenset(EVENT_TYPES.values())
_HUB_ID = re.compile(r"[a-z0-9-]{2,40}")
_PICKS = st.integers(0, 63)
_GO_ON = st.integers(0, 24)


@attrs.define
class _School:
    registration: SchoolRegistered
    registered: bool = False
    closed: bool = False
    engaged: bool = False
    roll: int = 0
    conversations: list[str] = attrs.Factory(list)
    open_actions: list[str] = attrs.Factory(list)
    actions: int = 0
    evaluations: int = 0

    @property
    def urn(self) -> int:
        return self.registration.urn


@attrs.frozen
class _Step:
    kind: type[Event]
    gap: int
    pick: int
    pick2: int
    template: Event


class _Log:
    """The state machine that turns steps into a causally valid log."""

    def __init__(self, hub: HubEstablished, schools: list[_School], end: date) -> None:
        self.hub = hub
        self.schools = schools
        self.end = end
        self.day = hub.occurred_on
        self.events: list[Event] = [hub]
        self.partners: list[str] = []
        self.plan_version = 0
        self.consultations = 0

    def register(self, school: _School) -> None:
        if not school.registered:
            school.registered = True
            school.roll = school.registration.pupils_on_roll
            self.events.append(attrs.evolve(school.registration, occurred_on=self.day))

    def finish(self) -> list[Event]:
        for school in self.schools:
            if not school.closed:
                self.register(school)
        return self.events

    def apply(self, step: _Step, gap_days: int) -> None:
        self.day = min(self.end, self.day + timedelta(days=gap_days))
        changes = _rebased(step.template, self.day)
        if isinstance(step.template, HubEvent):
            event = self._hub_event(step, changes)
            if event is not None:
                self.events.append(event)
            return
        open_schools = [s for s in self.schools if not s.closed]
        if not open_schools:
            return
        school = open_schools[step.pick % len(open_schools)]
        changes["urn"] = school.urn
        lead: _School | None = None
        if isinstance(step.template, SchoolToSchoolSupportBrokered):
            others = [s for s in open_schools if s is not school]
            if not others:
                return
            lead = others[step.pick2 % len(others)]
            changes["lead_urn"] = lead.urn
        elif not self._fit_school_event(step, school, changes):
            return
        self.register(school)
        if lead is not None:
            self.register(lead)
        event = attrs.evolve(step.template, **changes)
        self._after_school_event(event, school)
        self.events.append(event)

    def _fit_school_event(self, step: _Step, school: _School, changes: dict[str, Any]) -> bool:
        """Fit a template to the school's state; False when the step does not apply."""
        template = step.template
        year = academic_year_of(self.day)
        if isinstance(template, SchoolDisengaged):
            return school.engaged
        if isinstance(template, ConversationHeld):
            changes["conversation_id"] = f"conv-{len(school.conversations) + 1}"
        elif isinstance(template, ActionAgreed):
            school.actions += 1
            changes["action_id"] = f"act-{school.actions}"
            linked = template.conversation_id is not None and school.conversations
            changes["conversation_id"] = (
                school.conversations[step.pick2 % len(school.conversations)] if linked else None
            )
        elif isinstance(template, ActionCompleted):
            if not school.open_actions:
                return False
            changes["action_id"] = school.open_actions[step.pick2 % len(school.open_actions)]
        elif isinstance(template, ActionWithdrawn):
            if not school.open_actions:
                return False
            withdrawn = school.open_actions[step.pick2 % len(school.open_actions)]
            changes["action_id"] = withdrawn
            others = [f"act-{n}" for n in range(1, school.actions + 1) if f"act-{n}" != withdrawn]
            wanted = template.superseded_by is not None and others
            changes["superseded_by"] = others[step.pick % len(others)] if wanted else None
        elif isinstance(template, TrainingDelivered):
            by_partner = template.delivered_by is DeliveredBy.PARTNER and self.partners
            changes["partner_id"] = (
                self.partners[step.pick2 % len(self.partners)] if by_partner else None
            )
        elif isinstance(template, ImpactEvaluated):
            school.evaluations += 1
            changes["evaluation_id"] = f"eval-{school.evaluations}"
        elif isinstance(template, (ProvisionReported, MusicDevelopmentPlanRecorded)):
            changes["academic_year"] = year
        elif isinstance(template, ParticipationRecorded):
            roll = school.roll if school.registered else school.registration.pupils_on_roll
            pupils = min(template.pupils, roll)
            changes["academic_year"] = year
            changes["term"] = None if template.term is None else Term(term_of(self.day))
            changes["pupils"] = pupils
            for name in ("pupil_premium", "send", "fee_remission", "continuing_from_wcet"):
                value = getattr(template, name)
                changes[name] = None if value is None else min(value, pupils)
        return True

    @staticmethod
    def _after_school_event(event: Event, school: _School) -> None:
        if isinstance(event, SchoolEngaged):
            school.engaged = True
        elif isinstance(event, SchoolDisengaged):
            school.engaged = False
        elif isinstance(event, SchoolClosed):
            school.closed = True
        elif isinstance(event, SchoolDetailsUpdated) and event.pupils_on_roll is not None:
            school.roll = event.pupils_on_roll
        elif isinstance(event, ConversationHeld):
            school.conversations.append(event.conversation_id)
        elif isinstance(event, ActionAgreed):
            school.open_actions.append(event.action_id)
        elif isinstance(event, (ActionCompleted, ActionWithdrawn)):
            school.open_actions.remove(event.action_id)

    def _hub_event(self, step: _Step, changes: dict[str, Any]) -> Event | None:
        template = step.template
        changes["hub_id"] = self.hub.hub_id
        if isinstance(template, MusicEducationPlanPublished):
            self.plan_version += 1
            changes["plan_version"] = self.plan_version
            first = int(academic_year_of(self.day)[:4])
            changes["covers"] = frozenset(
                f"{y}/{(y + 1) % 100:02d}" for y in range(first, first + len(template.covers))
            )
        elif isinstance(template, StaffTimeLogged):
            start = self.hub.occurred_on
            changes["period_start"] = max(start, changes["period_start"])
            changes["period_end"] = max(start, changes["period_end"])
        elif isinstance(template, PartnerJoined):
            partner_id = f"partner-{len(self.partners) + 1}"
            self.partners.append(partner_id)
            changes["partner_id"] = partner_id
        elif isinstance(template, DataReturnSubmitted):
            changes["academic_year"] = academic_year_of(self.day)
        elif isinstance(template, YouthConsultationHeld):
            self.consultations += 1
            changes["consultation_id"] = f"consult-{self.consultations}"
        return attrs.evolve(template, **changes)


def _rebased(template: Event, day: date) -> dict[str, Any]:
    """Changes moving ``template`` to ``day``, shifting its other dates by the same amount."""
    delta = day - template.occurred_on
    changes: dict[str, Any] = {"occurred_on": day}
    for field in attrs.fields(type(template)):
        value = getattr(template, field.name)
        if field.name != "occurred_on" and type(value) is date:
            changes[field.name] = value + delta
    return changes


def _bounds(value: int | tuple[int, int], name: str, minimum: int) -> tuple[int, int]:
    rule = f"{name} must be an int or (min, max) with {minimum} <= min <= max, got {value!r}"
    if isinstance(value, int) and _is_int(value):
        low = high = value
    elif isinstance(value, tuple) and len(value) == 2 and all(map(_is_int, value)):
        low, high = int(value[0]), int(value[1])
    else:
        raise InvalidArgument(rule)
    if not minimum <= low <= high:
        raise InvalidArgument(rule)
    return low, high


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _weights(mix: Mapping[type[Event], float] | None) -> tuple[list[type[Event]], list[int]]:
    mix = DEFAULT_EVENT_MIX if mix is None else mix
    if not isinstance(mix, Mapping):
        raise InvalidArgument(
            f"event_mix must map event classes to weights, got {type(mix).__name__}"
        )
    for kind, weight in mix.items():
        if not (isinstance(kind, type) and issubclass(kind, Event) and kind in _EVENT_CLASSES):
            raise InvalidArgument(
                f"event_mix keys must be hubcore event classes (e.g. SchoolEngaged), got {kind!r}"
            )
        if kind in _NOT_IN_MIX:
            raise InvalidArgument(
                f"event_mix cannot weight {kind.__name__}: the hub is established first and "
                "every school is registered once (use `schools` to set how many)"
            )
        if not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight < 0:
            raise InvalidArgument(f"event_mix weight for {kind.__name__} must be >= 0")
    total = sum(mix.values())
    if total <= 0:
        raise InvalidArgument("event_mix needs at least one positive weight")
    kinds = [kind for kind, weight in mix.items() if weight > 0]
    cumulative: list[int] = []
    running = 0
    for kind in kinds:
        running += max(1, round(mix[kind] * 1000 / total))
        cumulative.append(running)
    return kinds, cumulative


@attrs.frozen
class _Plan:
    """What a call to :func:`histories` fixes, with its strategies built once."""

    schools: tuple[int, int]
    years: tuple[int, int]
    max_events: int
    start_year: str
    today: date | None
    hub: st.SearchStrategy[HubEstablished]
    registration: st.SearchStrategy[tuple[SchoolRegistered, int]]
    step: st.SearchStrategy[_Step]


_YEAR = "2023/24"
_PLAIN_HUB_IDS = st.sampled_from(["north-hub", "river-hub", "h1"])
_PLAIN_LA_CODES = st.sampled_from(["201", "202", "873", "926"])
_OVERWRITTEN: Mapping[type[Event], Mapping[str, Any]] = {
    ConversationHeld: {"conversation_id": "c"},
    ActionAgreed: {"action_id": "a"},
    ActionCompleted: {"action_id": "a"},
    ActionWithdrawn: {"action_id": "a"},
    ImpactEvaluated: {"evaluation_id": "e"},
    TrainingDelivered: {"partner_id": None},
    PartnerJoined: {"partner_id": "p"},
    YouthConsultationHeld: {"consultation_id": "y"},
    ProvisionReported: {"academic_year": _YEAR},
    ParticipationRecorded: {"academic_year": _YEAR},
    MusicDevelopmentPlanRecorded: {"academic_year": _YEAR},
    DataReturnSubmitted: {"academic_year": _YEAR},
    MusicEducationPlanPublished: {"plan_version": 1},
    SchoolToSchoolSupportBrokered: {"lead_urn": 100_001},
}


def _pins(kind: type[Event]) -> dict[str, Any]:
    """Template fields the log overwrites anyway: pinned, so no choices are spent on them."""
    pins = dict(_OVERWRITTEN.get(kind, {}))
    pins["hub_id" if issubclass(kind, HubEvent) else "urn"] = (
        "hub" if issubclass(kind, HubEvent) else 100_000
    )
    return pins


def _make_step(
    mix: tuple[list[type[Event]], list[int]], first: date, last: date
) -> st.SearchStrategy[_Step]:
    kinds, cumulative = mix
    templates = {
        kind: event_strategy(kind, min_date=first, max_date=last, plain=True, **_pins(kind))
        for kind in kinds
    }

    @st.composite
    def step(draw: st.DrawFn) -> _Step:
        ticket = draw(st.integers(0, cumulative[-1] - 1))
        kind = kinds[bisect.bisect_right(cumulative, ticket)]
        gap = draw(st.integers(0, 100))
        pick, pick2 = draw(_PICKS), draw(_PICKS)
        return _Step(kind, gap, pick, pick2, draw(templates[kind]))

    return step()


def _end_of(plan: _Plan, n_years: int) -> date:
    return _end_of_start(plan.start_year, n_years, plan.today)


@st.composite
def _history(draw: st.DrawFn, plan: _Plan) -> list[Event]:
    n_schools = draw(st.integers(*plan.schools))
    end = _end_of(plan, draw(st.integers(*plan.years)))
    hub = draw(plan.hub)
    if hub.occurred_on > end:
        hub = attrs.evolve(hub, occurred_on=end)
    la_codes = sorted(hub.la_codes)
    drawn = draw(
        st.lists(
            plan.registration, min_size=n_schools, max_size=n_schools, unique_by=lambda r: r[0].urn
        )
    )
    schools = [
        _School(attrs.evolve(template, la_code=la_codes[pick % len(la_codes)]))
        for template, pick in drawn
    ]
    budget = plan.max_events - 1 - n_schools
    # Like st.lists, but with a 24 in 25 chance to go on, so that long logs are common (a
    # list averages about five elements). Deleting a step, or stopping early, shrinks well.
    steps: list[_Step] = []
    while len(steps) < budget and draw(_GO_ON) > 0:
        steps.append(draw(plan.step))
    # A step's gap (0-100) is scaled so that the steps spread over the whole span.
    scale = 2 * (end - hub.occurred_on).days / (100 * max(1, len(steps)))
    log = _Log(hub, schools, end)
    for step in steps:
        log.apply(step, round(step.gap * scale))
    return log.finish()


def histories(
    *,
    schools: int | tuple[int, int] = (1, 5),
    years: int | tuple[int, int] = (1, 3),
    max_events: int = 50,
    event_mix: Mapping[type[Event], float] | None = None,
    hub_id: str | None = None,
    start_year: str = "2023/24",
    today: date | None = None,
) -> st.SearchStrategy[list[Event]]:
    """Causally valid event logs of one hub, in order (``HubEstablished`` first).

    The log holds ``schools`` schools (an int or ``(min, max)``) over ``years`` academic
    years from ``start_year``, and at most ``max_events`` events in all. ``event_mix`` weights
    the kinds of event after the registrations (default :data:`DEFAULT_EVENT_MIX`); a kind
    left out never occurs. ``hub_id`` fixes the hub's id.

    Every log keeps the domain rules: schools are registered (once) before anything else
    happens to them and nothing happens to a school after it closed; actions are agreed
    before they are completed or withdrawn, and closed once (a superseding action was
    agreed first); actions refer only to conversations
    held; conversation, action, evaluation and partner ids are unique in their stream;
    plan versions increase; participation counts stay within the school's pupils on roll;
    school-to-school support links two different open schools; every school's
    ``la_code`` is one of the hub's. ``occurred_on`` never decreases, lies within the
    years and not after ``today`` (default: the last day of the last year), and academic
    year and term fields match it. Due dates (``due_on``, ``next_due_on``,
    ``review_due_on``) may lie after ``today``, as plans do.
    """
    school_bounds = _bounds(schools, "schools", 0)
    year_bounds = _bounds(years, "years", 1)
    if not _is_int(max_events):
        raise InvalidArgument(f"max_events must be an int, got {max_events!r}")
    if hub_id is not None and not (isinstance(hub_id, str) and _HUB_ID.fullmatch(hub_id)):
        raise InvalidArgument(f"hub_id must match [a-z0-9-]{{2,40}} or be None, got {hub_id!r}")
    if today is not None and type(today) is not date:
        raise InvalidArgument(f"today must be a date or None, got {today!r}")
    if not is_academic_year(start_year):
        raise InvalidArgument(f"start_year must be an academic year like '2023/24': {start_year!r}")
    first, _ = academic_year_bounds(start_year)
    if today is not None and today < first:
        raise InvalidArgument(f"today ({today}) is before start_year {start_year} begins")
    if max_events < 1 + school_bounds[1]:
        raise InvalidArgument(
            f"max_events ({max_events}) must leave room for HubEstablished and up to "
            f"{school_bounds[1]} SchoolRegistered events"
        )
    last = _end_of_start(start_year, year_bounds[1], today)
    plan = _Plan(
        schools=school_bounds,
        years=year_bounds,
        max_events=max_events,
        start_year=start_year,
        today=today,
        hub=event_strategy(
            HubEstablished,
            plain=True,
            occurred_on=st.integers(0, 30).map(lambda n: first + timedelta(days=n)),
            hub_id=_PLAIN_HUB_IDS if hub_id is None else hub_id,
            la_codes=st.frozensets(_PLAIN_LA_CODES, min_size=1),
        ),
        registration=st.tuples(event_strategy(SchoolRegistered, plain=True, la_code="000"), _PICKS),
        step=_make_step(_weights(event_mix), first, last),
    )
    return _history(plan)


def _end_of_start(start_year: str, n_years: int, today: date | None) -> date:
    first = int(start_year[:4]) + n_years - 1
    end = academic_year_bounds(f"{first}/{(first + 1) % 100:02d}")[1]
    return end if today is None else min(end, today)
