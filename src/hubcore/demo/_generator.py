"""The seeded synthetic hub: shape and rates of a typical English hub.

One year at a time: the hub's own events (plan version, monthly staff time per role with
a 15-25% strategic share, newsletters and briefings, staff training, partners, the data
return for the previous year), then every open school's year (January census update,
music development plan, engagement, conversations with judgements and agreed actions,
inspection, training, participation by programme and key stage, provision report, impact
evaluations, pupil voice, the odd disengagement or closure), then school-to-school
brokering. The year's events are sorted by date (stable, so same-day order is causal) and
filtered to ``today`` before they are yielded, so memory holds one year at a time.

Only ``random.Random(seed)`` is used, and nothing iterates over a set, so a seed always
gives the same events in the same order.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from operator import attrgetter
from random import Random
from typing import Any

from hubcore.calendar import academic_year_of
from hubcore.demo import _areas as areas
from hubcore.demo import _names as names
from hubcore.demo import _schedule as schedule
from hubcore.demo._actions import ActionBook, Pending
from hubcore.demo._fast import trusted_constructor
from hubcore.errors import DemoParameterError
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
from hubcore.vocabulary import (
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
    YouthGroup,
)

__all__ = ["DemoParameterError", "demo_event_count_estimate", "generate_hub"]

_SLUG = re.compile(r"^[a-z0-9-]{2,40}$")
_YEAR = re.compile(r"^([0-9]{4})/([0-9]{2})$")

# Phase mix and mean pupils on roll (DfE school census 2024-25).
_PHASE_MIX: tuple[tuple[Phase, int, int], ...] = (
    (Phase.PRIMARY, 16764, 275),
    (Phase.SECONDARY, 3450, 1060),
    (Phase.SPECIAL, 1090, 145),
    (Phase.ALTERNATIVE_PROVISION, 340, 47),
    (Phase.NURSERY, 381, 60),
)
_ENGAGE = {
    Phase.PRIMARY: 0.93,
    Phase.SECONDARY: 0.82,
    Phase.SPECIAL: 0.90,
    Phase.ALTERNATIVE_PROVISION: 0.66,
    Phase.NURSERY: 0.76,
}
# Share of the roll in each key stage.
_KEY_STAGES = {
    Phase.PRIMARY: ((1, 2 / 7), (2, 4 / 7)),
    Phase.SECONDARY: ((3, 0.6), (4, 0.4)),
    Phase.SPECIAL: ((1, 0.2), (2, 0.3), (3, 0.3), (4, 0.2)),
    Phase.ALTERNATIVE_PROVISION: ((3, 0.4), (4, 0.6)),
    Phase.NURSERY: (),
}
_SIXTH_FORM = ((3, 0.47), (4, 0.31), (5, 0.22))
_P = ParticipationProgramme
# Participations per pupil in the key stage, before the school's own strength factor.
_RATES: dict[ParticipationProgramme, dict[int, float]] = {
    _P.TUITION_INDIVIDUAL: {1: 0.005, 2: 0.02, 3: 0.03, 4: 0.035, 5: 0.05},
    _P.TUITION_SMALL_GROUP: {1: 0.01, 2: 0.05, 3: 0.03, 4: 0.015, 5: 0.01},
    _P.TUITION_LARGE_GROUP: {2: 0.06, 3: 0.015},
    _P.ENSEMBLE: {2: 0.06, 3: 0.07, 4: 0.05, 5: 0.08},
    _P.CHOIR: {1: 0.015, 2: 0.025, 3: 0.025, 4: 0.015, 5: 0.02},
    _P.MUSIC_CENTRE: {2: 0.008, 3: 0.012, 4: 0.01, 5: 0.015},
}
_TUITION = (_P.TUITION_INDIVIDUAL, _P.TUITION_SMALL_GROUP, _P.TUITION_LARGE_GROUP)
_TUITION_KIND, _ENSEMBLE_KIND, _CHOIR_KIND, _CENTRE = 0, 1, 2, 3
_KIND = {
    _P.TUITION_INDIVIDUAL: _TUITION_KIND,
    _P.TUITION_SMALL_GROUP: _TUITION_KIND,
    _P.TUITION_LARGE_GROUP: _TUITION_KIND,
    _P.ENSEMBLE: _ENSEMBLE_KIND,
    _P.CHOIR: _CHOIR_KIND,
    _P.MUSIC_CENTRE: _CENTRE,
}
_COUNTER = (
    "tuition_participations",
    "ensemble_participations",
    "choir_participations",
    "music_centre_participations",
)
Cells = tuple[tuple[int, float], ...]


def _table(
    stages: tuple[tuple[int, float], ...],
) -> tuple[tuple[ParticipationProgramme, int, Cells], ...]:
    """Per programme: its kind and (key stage, participations per pupil on roll) cells."""
    rows = []
    for programme, rates in _RATES.items():
        cells = tuple((stage, share * rates[stage]) for stage, share in stages if stage in rates)
        if cells:
            rows.append((programme, _KIND[programme], cells))
    return tuple(rows)


_TABLES = {
    (phase, sixth): _table(_SIXTH_FORM if sixth else stages)
    for phase, stages in _KEY_STAGES.items()
    for sixth in (False, True)
}
_GRADES = (
    Grade.URGENT_IMPROVEMENT,
    Grade.URGENT_IMPROVEMENT,
    Grade.NEEDS_ATTENTION,
    Grade.EXPECTED,
    Grade.STRONG,
    Grade.EXCEPTIONAL,
)  # index = rank 1..5
_AREAS = tuple(Area)
_EVIDENCE = (
    QualityEvidence.LESSON_OBSERVATION,
    QualityEvidence.PUPIL_WORK,
    QualityEvidence.PUPIL_VOICE,
    QualityEvidence.ASSESSMENT_DATA,
    QualityEvidence.LEARNING_WALK,
)
_TOPICS = tuple(TrainingTopic)
_FORMATS = (
    TrainingFormat.CPD_SESSION,
    TrainingFormat.CPD_SESSION,
    TrainingFormat.NETWORK_MEETING,
    TrainingFormat.COACHING,
    TrainingFormat.CONSULTANCY,
    TrainingFormat.ONLINE_COURSE,
)
_HOURS = (1.0, 1.5, 1.5, 2.0, 2.0, 3.0, 6.0)  # hub staff's own training
# Hours of one session by format: a twilight session 1.5-2 h, a half-day INSET 3 h, a
# whole-day INSET 6 h; network meetings 1.5-2 h; coaching about an hour in a classroom;
# consultancy 1-3 h; online courses 1-6 h. And who comes: (least, most, whole staff?).
_FORMAT_HOURS = {
    TrainingFormat.CPD_SESSION: (1.5, 1.5, 2.0, 2.0, 3.0, 6.0),
    TrainingFormat.NETWORK_MEETING: (1.5, 2.0, 2.0),
    TrainingFormat.COACHING: (1.0, 1.0, 1.5),
    TrainingFormat.CONSULTANCY: (1.0, 2.0, 3.0),
    TrainingFormat.ONLINE_COURSE: (1.0, 2.0, 4.0, 6.0),
}
_FORMAT_STAFF = {
    TrainingFormat.CPD_SESSION: (2, 6, True),
    TrainingFormat.NETWORK_MEETING: (1, 2, False),
    TrainingFormat.COACHING: (1, 2, False),
    TrainingFormat.CONSULTANCY: (1, 3, False),
    TrainingFormat.ONLINE_COURSE: (1, 4, False),
}
_METHODS = (
    EvaluationMethod.OBSERVATION,
    EvaluationMethod.PUPIL_OUTCOMES,
    EvaluationMethod.SCHOOL_SELF_EVALUATION,
    EvaluationMethod.TEACHER_SURVEY,
)
_IMPACT_OF = {
    _P.WHOLE_CLASS_ENSEMBLE: ImpactProgramme.WHOLE_CLASS_ENSEMBLE,
    _P.TUITION_SMALL_GROUP: ImpactProgramme.INSTRUMENTAL_LESSONS,
    _P.ENSEMBLE: ImpactProgramme.ENSEMBLES,
    _P.SINGING: ImpactProgramme.SINGING,
}
_PARTNER_KINDS = (
    PartnerKind.MUSIC_ORGANISATION,
    PartnerKind.MUSIC_ORGANISATION,
    PartnerKind.PRACTITIONER,
    PartnerKind.ARTS_VENUE,
    PartnerKind.SCHOOL_NETWORK,
    PartnerKind.YOUTH_VOICE,
)
_REPORT_CARD_FROM = date(2025, 11, 10)
# Staff time: (role, FTE at 0 schools, FTE per school, strategic weight, teaching share).
_ROLES = (
    (StaffRole.LEADER, 1.0, 1 / 1000, 0.55, 0.10),
    (StaffRole.ADVISER, 2.0, 1 / 150, 0.50, 0.30),
    (StaffRole.TEACHER, 3.0, 1 / 50, 0.06, 0.85),
    (StaffRole.PARTNER, 1.0, 1 / 150, 0.04, 0.80),
)
_CONSULTATIONS = (
    ("panel", PupilVoiceMethod.PUPIL_COUNCIL, frozenset({YouthGroup.YOUTH_PANEL}), 8, 16),
    (
        "ensembles",
        PupilVoiceMethod.SURVEY,
        frozenset({YouthGroup.ENSEMBLE_MEMBERS, YouthGroup.SECONDARY_PUPILS}),
        40,
        120,
    ),
    (
        "new-voices",
        PupilVoiceMethod.FOCUS_GROUP,
        frozenset({YouthGroup.NOT_YET_TAKING_PART, YouthGroup.DISADVANTAGED_PUPILS}),
        6,
        14,
    ),
)
_CHANGES = (
    "Move the Saturday ensemble rehearsal to a town-centre venue",
    "Add a music technology and production club",
    "Offer taster sessions before instrument choice",
    "Young people help choose the concert repertoire",
    "Free bus passes to area ensembles for pupils on free school meals",
    "A youth panel member joins the hub's board",
    "Rehearsals end earlier on school nights",
)
_EVENTS_PER_SCHOOL_YEAR = 21.4  # calibrated with benchmarks/demo.py (full years)


def _weekdays(first: date, last: date) -> list[date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _month_ends(start_year: int) -> list[tuple[date, date]]:
    months = []
    for month in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8):
        year = start_year if month >= 9 else start_year + 1
        first = date(year, month, 1)
        nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        months.append((first, nxt - timedelta(days=1)))
    return months


class _School:
    """The generator's private state for one school."""

    __slots__ = (
        "aware", "engaged", "fsm", "has_plan", "la", "n_act", "n_conv", "n_eval", "name",
        "next_due", "offer", "open_actions", "pending", "phase", "prev_wcet", "quality",
        "roll", "send_share", "sixth_form", "strength", "urn", "wcet", "weekly_all",
    )  # fmt: skip

    aware: bool
    engaged: bool
    fsm: float
    has_plan: bool
    la: str
    n_act: int
    n_conv: int
    n_eval: int
    name: str
    next_due: date | None
    offer: frozenset[Offer]
    open_actions: list[tuple[str, date]]
    pending: list[Pending]
    phase: Phase
    prev_wcet: int
    quality: list[int]
    roll: int
    send_share: float
    sixth_form: bool
    strength: float
    urn: int
    wcet: bool
    weekly_all: bool

    def __init__(self) -> None:
        self.engaged = False
        self.has_plan = False
        self.offer = frozenset()
        self.prev_wcet = 0
        self.n_act = 0
        self.n_conv = 0
        self.n_eval = 0
        self.quality = []
        self.next_due = None
        self.open_actions = []
        self.pending = []


class _Year:
    """One academic year's calendar: term weekdays and fixed dates."""

    __slots__ = (
        "autumn", "book", "census", "days", "first", "label", "review_due", "spring",
        "start", "summer",
    )  # fmt: skip

    book: ActionBook  # the year's actions (set by the generator)

    def __init__(self, start: int, first: bool) -> None:
        self.start = start
        self.first = first
        self.label = f"{start}/{(start + 1) % 100:02d}"
        self.autumn = _weekdays(date(start, 9, 3), date(start, 12, 19))
        self.spring = _weekdays(date(start + 1, 1, 5), date(start + 1, 3, 31))
        self.summer = _weekdays(date(start + 1, 4, 15), date(start + 1, 7, 21))
        self.days = self.autumn + self.spring + self.summer
        self.census = self.spring[10]
        self.review_due = date(start + 1, 9, 30)


class _Makers:
    """One constructor per event class: the real class, or its trusted twin."""

    def __init__(self, validate: bool) -> None:
        def make(cls: type[Event]) -> Callable[..., Any]:
            return cls if validate else trusted_constructor(cls)

        self.registered = make(SchoolRegistered)
        self.updated = make(SchoolDetailsUpdated)
        self.closed = make(SchoolClosed)
        self.engaged = make(SchoolEngaged)
        self.disengaged = make(SchoolDisengaged)
        self.conversation = make(ConversationHeld)
        self.agreed = make(ActionAgreed)
        self.completed = make(ActionCompleted)
        self.withdrawn = make(ActionWithdrawn)
        self.training = make(TrainingDelivered)
        self.impact = make(ImpactEvaluated)
        self.provision = make(ProvisionReported)
        self.participation = make(ParticipationRecorded)
        self.mdp = make(MusicDevelopmentPlanRecorded)
        self.inspection = make(InspectionRecorded)
        self.voice = make(PupilVoiceGathered)
        self.s2s = make(SchoolToSchoolSupportBrokered)
        self.hub = make(HubEstablished)
        self.plan = make(MusicEducationPlanPublished)
        self.staff_time = make(StaffTimeLogged)
        self.hub_trained = make(HubStaffTrained)
        self.partner = make(PartnerJoined)
        self.data_return = make(DataReturnSubmitted)
        self.publicised = make(WorkPublicised)
        self.consultation = make(YouthConsultationHeld)


def _check(
    schools: int, years: int, hub_id: str, end_year: str | None, today: date
) -> tuple[int, int]:
    """Validate the settings; return the first and last academic years' start years."""
    if type(schools) is not int or not 1 <= schools <= 200_000:
        raise DemoParameterError(
            f"schools must be a whole number from 1 to 200000, got {schools!r}"
        )
    if type(years) is not int or not 1 <= years <= 30:
        raise DemoParameterError(f"years must be a whole number from 1 to 30, got {years!r}")
    if not isinstance(hub_id, str) or not _SLUG.match(hub_id):
        raise DemoParameterError(f"hub_id must match [a-z0-9-]{{2,40}}, got {hub_id!r}")
    current = int(academic_year_of(today)[:4])
    if end_year is None:
        last = current
    else:
        match = _YEAR.match(end_year) if isinstance(end_year, str) else None
        if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise DemoParameterError(
                f"end_year must be an academic year like '2025/26', got {end_year!r}"
            )
        last = int(match.group(1))
        if last > current:
            raise DemoParameterError(
                f"end_year {end_year} is after the current academic year {academic_year_of(today)}"
            )
    return last - years + 1, last


def demo_event_count_estimate(schools: int, years: int) -> int:
    """About how many events :func:`generate_hub` yields for a full run (within ~15%).

    The last year is usually partial (it ends today), so a real run is often smaller.
    """
    return int(schools * years * _EVENTS_PER_SCHOOL_YEAR + years * 90 + schools + 20)


def generate_hub(
    *,
    schools: int = 300,
    years: int = 3,
    seed: int = 0,
    hub_id: str = "demo-hub",
    end_year: str | None = None,
    today: date | None = None,
    validate: bool = False,
) -> Iterator[Event]:
    """Yield a realistic synthetic hub's events in date order, deterministically per seed.

    ``schools`` open schools at the start, over ``years`` academic years ending with
    ``end_year`` (default: the academic year ``today`` falls in; events stop at
    ``today``, default :meth:`date.today`). Every event passes the domain rules when
    recorded in order into an empty log. ``validate=True`` builds each event through its
    class's validating constructor (about 3x slower; same events).
    """
    day = today or date.today()
    first, last = _check(schools, years, hub_id, end_year, day)
    generator = _Generator(
        schools,
        seed=seed,
        hub_id=hub_id,
        first=first,
        last=last,
        today=day,
        makers=_Makers(validate),
    )
    return generator.run()


class _Generator:
    def __init__(
        self,
        schools: int,
        *,
        seed: int,
        hub_id: str,
        first: int,
        last: int,
        today: date,
        makers: _Makers,
    ) -> None:
        self.rng = Random(seed)
        self.seed = seed
        self.n = schools
        self.hub_id = hub_id
        self.first = first
        self.last = last
        self.today = today
        self.mk = makers
        rng = self.rng
        n_las = max(1, min(len(areas.AREAS), round(schools / 140)))
        self.las = [code for code, _, _ in areas.AREAS[:n_las]]
        self.la_fsm = {code: pct for code, _, pct in areas.AREAS[:n_las]}
        spare = schools * (last - first + 1) // 40 + 20
        self.urns = rng.sample(range(100000, 1000000), schools + spare)
        self.next_urn = 0
        self.partners: list[str] = []
        self.plan_version = 0
        self.schools: list[_School] = []

    # -- helpers -------------------------------------------------------------------------
    def _urn(self) -> int:
        urn = self.urns[self.next_urn]
        self.next_urn += 1
        return urn

    def _new_school(self, phase: Phase | None = None) -> _School:
        rng = self.rng
        random = rng.random
        school = _School()
        school.urn = self._urn()
        if phase is None:
            pick = random() * 22025
            for candidate, weight, _ in _PHASE_MIX:
                pick -= weight
                if pick < 0:
                    phase = candidate
                    break
            else:
                phase = Phase.PRIMARY
        mean = next(m for p, _, m in _PHASE_MIX if p is phase)
        school.phase = phase
        school.roll = max(8, int(mean * (0.45 + random() * 1.1)))
        school.la = self.las[int(random() * len(self.las))]
        school.fsm = areas.fsm_pct(random, self.la_fsm[school.la], phase)
        school.send_share = areas.send_share(random, phase)
        school.sixth_form = phase is Phase.SECONDARY and random() < 0.6
        school.strength = 0.5 + random() * 1.1
        school.wcet = (phase is Phase.PRIMARY and random() < 0.66) or (
            phase is Phase.SPECIAL and random() < 0.2
        )
        base = 2 + (random() > 0.15) + (random() > 0.55) + (random() > 0.93)
        school.quality = [max(1, min(5, base + int(random() * 3) - 1)) for _ in _AREAS]
        school.weekly_all = random() < 0.55
        school.aware = random() < 0.5
        place = names.PLACES[int(random() * len(names.PLACES))]
        suffixes = names.SCHOOL_SUFFIX[phase.value]
        suffix = suffixes[int(random() * len(suffixes))]
        saint = None
        if phase is Phase.PRIMARY and random() < 0.25:
            saint = names.SAINTS[int(random() * len(names.SAINTS))]
        school.name = names.school_name(place, saint, suffix)
        return school

    def _register(self, school: _School, on: date, out: list[Event]) -> None:
        out.append(
            self.mk.registered(
                occurred_on=on,
                urn=school.urn,
                name=school.name,
                phase=school.phase,
                la_code=school.la,
                pupils_on_roll=school.roll,
                disadvantaged_pct=school.fsm,
                send_pct=round(100.0 * school.send_share, 1),
            )
        )

    # -- the run -------------------------------------------------------------------------
    def run(self) -> Iterator[Event]:
        today = self.today
        previous: dict[str, float] | None = None
        for start in range(self.first, self.last + 1):
            out: list[Event] = []
            # The cyclic GC would rescan the growing batch (acyclic values) again and again:
            # pause it while building, never across a yield.
            collecting = gc.isenabled()
            gc.disable()
            try:
                figures = self._year(start, out, previous)
            finally:
                if collecting:
                    gc.enable()
            previous = figures
            if date(start + 1, 8, 31) <= today:
                batch = out
            else:
                batch = [event for event in out if event.occurred_on <= today]
            batch.sort(key=_BY_DATE)
            yield from batch

    def _year(
        self, start: int, out: list[Event], previous: dict[str, float] | None
    ) -> dict[str, float]:
        rng = self.rng
        random = rng.random
        mk = self.mk
        cal = _Year(start, start == self.first)
        cal.book = ActionBook(rng.random, mk, date(start, 9, 1), date(start + 1, 8, 31))
        autumn, spring, summer = cal.autumn, cal.spring, cal.summer
        year = cal.label
        year_start = date(start, 9, 1)
        first_year = cal.first

        # Hub-level events (the hub stream).
        if first_year:
            out.append(
                mk.hub(
                    occurred_on=year_start,
                    hub_id=self.hub_id,
                    name=f"{names.PLACES[int(random() * len(names.PLACES))]} Music Hub",
                    lead_organisation="Demo Music Service",
                    la_codes=frozenset(self.las),
                )
            )
            for _ in range(4 + self.n // 60 if self.n < 2000 else 40):
                self._partner(year_start, out)
            for _ in range(self.n):
                school = self._new_school()
                self.schools.append(school)
                self._register(school, year_start, out)
        else:
            for _ in range(int(random() * 4)):
                self._partner(autumn[int(random() * len(autumn))], out)
            for _ in range(round(self.n * 0.004 * (0.5 + random()))):
                school = self._new_school()
                self.schools.append(school)
                self._register(school, autumn[0], out)
        self.plan_version += 1
        out.append(
            mk.plan(
                occurred_on=year_start if first_year else autumn[int(random() * 15)],
                hub_id=self.hub_id,
                plan_version=self.plan_version,
                covers=frozenset((year, f"{start + 1}/{(start + 2) % 100:02d}")),
            )
        )
        if previous is not None:
            self._data_return(start, previous, out)
        self._hub_year(cal, out)
        self._consultations(cal, out)

        # Schools.
        open_schools = self.schools
        closing: dict[int, date] = {}
        for school in open_schools:
            if random() < 0.006:
                closing[school.urn] = summer[int(random() * len(summer))]
        counters = {
            "schools_open": float(len(open_schools)),
            "schools_engaged": 0.0,
            "whole_class_schools": 0.0,
            "whole_class_pupils": 0.0,
            "tuition_participations": 0.0,
            "ensemble_participations": 0.0,
            "choir_participations": 0.0,
            "music_centre_participations": 0.0,
            "cpd_hours": 0.0,
            "cpd_schools": 0.0,
            "conversations": 0.0,
        }
        successors: list[_School] = []
        for school in open_schools:
            closes_on = closing.get(school.urn)
            school_out: list[Event] = []
            self._school_year(school, cal, school_out, counters)
            if closes_on is not None:
                school_out = [e for e in school_out if e.occurred_on <= closes_on]
                converts = random() < 0.5
                school_out.append(
                    mk.closed(
                        occurred_on=closes_on,
                        urn=school.urn,
                        reason=_CONVERTED if converts else _AMALGAMATED,
                    )
                )
                if converts:  # academy conversion: the same school under a new URN, next day
                    successor = self._new_school(school.phase)
                    successor.name = school.name
                    successor.la = school.la
                    successor.roll = school.roll
                    successor.fsm = school.fsm
                    successor.send_share = school.send_share
                    successors.append(successor)
                    self._register(successor, closes_on + timedelta(days=1), school_out)
            out.extend(school_out)
        survivors = [s for s in open_schools if s.urn not in closing]
        self._brokering(survivors, spring, out)
        self.schools = survivors + successors
        return counters

    def _partner(self, on: date, out: list[Event]) -> None:
        random = self.rng.random
        partner_id = f"p-{len(self.partners) + 1:03d}"
        self.partners.append(partner_id)
        place = names.PLACES[int(random() * len(names.PLACES))]
        kind_name = names.PARTNER_NAMES[int(random() * len(names.PARTNER_NAMES))]
        out.append(
            self.mk.partner(
                occurred_on=on,
                hub_id=self.hub_id,
                partner_id=partner_id,
                name=f"{place} {kind_name}",
                kind=_PARTNER_KINDS[int(random() * len(_PARTNER_KINDS))],
            )
        )

    def _hub_year(self, cal: _Year, out: list[Event]) -> None:
        random = self.rng.random
        start, autumn, spring, summer = cal.start, cal.autumn, cal.spring, cal.summer
        mk = self.mk
        hub_id = self.hub_id
        n = len(self.schools)
        target = 0.15 + random() * 0.10  # the hub's strategic share this year
        for first_day, last_day in _month_ends(start):
            logs = []
            for role, base, per_school, weight, teaching in _ROLES:
                hours = (base + n * per_school) * 140.0 * (0.9 + random() * 0.2)
                if first_day.month == 8:
                    hours *= 0.3
                logs.append((role, hours, weight, teaching))
            total = sum(h for _, h, _, _ in logs)
            weighted = sum(h * w for _, h, w, _ in logs)
            scale = target * total / weighted
            for role, hours, weight, teaching in logs:
                strategic = min(hours * weight * scale, hours * 0.9)
                rest = hours - strategic
                out.append(
                    mk.staff_time(
                        occurred_on=last_day,
                        hub_id=hub_id,
                        period_start=first_day,
                        period_end=last_day,
                        staff_role=role,
                        strategic_hours=round(strategic, 1),
                        teaching_hours=round(rest * teaching, 1),
                        other_hours=round(rest * (1 - teaching), 1),
                    )
                )
        for term_days in (autumn, spring, summer):
            for offset in range(0, len(term_days), 22):
                out.append(
                    mk.publicised(
                        occurred_on=term_days[offset],
                        hub_id=hub_id,
                        channel=Channel.NEWSLETTER,
                        audience=Audience.MUSIC_LEADS,
                        schools_reached=int(n * (0.7 + random() * 0.25)),
                    )
                )
            out.append(
                mk.publicised(
                    occurred_on=term_days[int(random() * len(term_days))],
                    hub_id=hub_id,
                    channel=Channel.HEADTEACHER_BRIEFING,
                    audience=Audience.SCHOOL_LEADERS,
                    schools_reached=int(n * (0.3 + random() * 0.4)),
                )
            )
            out.append(
                mk.hub_trained(
                    occurred_on=term_days[int(random() * len(term_days))],
                    hub_id=hub_id,
                    topic=_TOPICS[int(random() * len(_TOPICS))],
                    hours=_HOURS[int(random() * len(_HOURS))],
                    staff_count=2 + int(random() * (4 + n // 40)),
                )
            )
        out.append(
            mk.publicised(
                occurred_on=spring[int(random() * len(spring))],
                hub_id=hub_id,
                channel=Channel.GOVERNOR_BRIEFING,
                audience=Audience.GOVERNORS,
                schools_reached=int(n * (0.1 + random() * 0.2)),
            )
        )
        out.append(
            mk.publicised(
                occurred_on=summer[int(random() * len(summer))],
                hub_id=hub_id,
                channel=Channel.CONFERENCE,
                audience=Audience.SCHOOL_LEADERS,
                schools_reached=int(n * (0.1 + random() * 0.15)),
            )
        )

    def _consultations(self, cal: _Year, out: list[Event]) -> None:
        """Three consultations of young people about the hub's offer a year: the youth panel
        in the autumn, a survey of ensemble members in the spring, a focus group of young
        people not yet taking part in the summer; each agrees 0-2 changes.

        Drawn from a generator of their own (seeded by the seed and the year), so that
        adding them left every other demo event as it was.
        """
        rng = Random(self.seed * 10_007 + cal.start)
        random = rng.random
        n = len(self.schools)
        for term_days, (cid, method, groups, low, high) in zip(
            (cal.autumn, cal.spring, cal.summer), _CONSULTATIONS, strict=True
        ):
            out.append(
                self.mk.consultation(
                    occurred_on=term_days[int(random() * len(term_days))],
                    hub_id=self.hub_id,
                    consultation_id=f"yc-{cal.start}-{cid}",
                    method=method,
                    young_people=low + int(random() * (high - low + n // 10)),
                    groups=groups,
                    other_group=None,
                    changes_agreed=tuple(rng.sample(_CHANGES, int(random() * 3))),
                )
            )

    def _data_return(self, start: int, figures: dict[str, float], out: list[Event]) -> None:
        figures = dict(figures)
        figures["engagement_pct"] = round(
            100.0 * figures["schools_engaged"] / max(1.0, figures["schools_open"]), 1
        )
        rendered = "".join(f"{key},{figures[key]:g}\n" for key in sorted(figures))
        out.append(
            self.mk.data_return(
                occurred_on=date(start, 10, 15),
                hub_id=self.hub_id,
                academic_year=f"{start - 1}/{start % 100:02d}",
                figures=figures,
                content_hash=hashlib.sha256(rendered.encode()).hexdigest(),
            )
        )

    def _brokering(self, schools: list[_School], spring: list[date], out: list[Event]) -> None:
        random = self.rng.random
        if len(schools) < 2:
            return
        for _ in range(round(len(schools) * 0.03)):
            supported = schools[int(random() * len(schools))]
            area_index = supported.quality.index(min(supported.quality))
            lead = None
            for _ in range(20):
                candidate = schools[int(random() * len(schools))]
                if candidate is not supported and candidate.quality[area_index] >= 4:
                    lead = candidate
                    break
            if lead is None:
                continue
            out.append(
                self.mk.s2s(
                    occurred_on=spring[int(random() * len(spring))],
                    urn=supported.urn,
                    lead_urn=lead.urn,
                    focus=_AREAS[area_index],
                )
            )

    def _school_year(
        self, school: _School, cal: _Year, out: list[Event], counters: dict[str, float]
    ) -> None:
        random = self.rng.random
        year, year_days, census, first_year = cal.label, cal.days, cal.census, cal.first
        autumn, spring, summer = cal.autumn, cal.spring, cal.summer
        mk = self.mk
        urn = school.urn
        roll = school.roll
        # January census: GIAS pupil numbers and FSM share move a little.
        if random() < 0.55:
            new_roll = max(8, int(roll * (0.94 + random() * 0.12)))
            if new_roll != roll:
                out.append(mk.updated(occurred_on=census, urn=urn, pupils_on_roll=new_roll))
                school.roll = new_roll
                roll = min(roll, new_roll)
        # Music development plan (a little under half at first, rising).
        if not school.has_plan:
            school.has_plan = random() < (0.45 if first_year else 0.22 + 0.1 * school.engaged)
        out.append(
            mk.mdp(
                occurred_on=autumn[int(random() * 30)],
                urn=urn,
                academic_year=year,
                has_plan=school.has_plan,
                summary_published=school.has_plan and random() < 0.65,
                hub_supported=school.has_plan and school.engaged and random() < 0.45,
                review_due_on=cal.review_due if school.has_plan else None,
            )
        )
        # Engagement.
        if not school.engaged:
            chance = _ENGAGE[school.phase] if first_year else 0.4
            if random() < chance:
                school.engaged = True
                school.offer = self._offer(school)
                out.append(
                    mk.engaged(
                        occurred_on=autumn[int(random() * 25)]
                        if first_year
                        else spring[int(random() * len(spring))],
                        urn=urn,
                        offer=school.offer,
                        agreement=_agreement(random()),
                        agreed_by_role=_agreed_by(random()),
                    )
                )
        engaged = school.engaged
        if engaged:
            counters["schools_engaged"] += 1
            quality = school.quality
            for _ in range(int(random() * 3.2)):  # about 1.1 areas improve a year
                index = int(random() * 8)
                if quality[index] < 5:
                    quality[index] += 1
            school.aware = school.aware or random() < 0.3
        # Conversations, each on the date the last one agreed (or a little late), and the
        # actions agreed and reviewed in them.
        book = cal.book
        book.flush(school, out)
        self._conversations(school, cal, book, out, counters)
        # Inspection (about every four years).
        if random() < 0.22:
            on = year_days[int(random() * len(year_days))]
            report_card = on >= _REPORT_CARD_FROM
            dive = random()
            out.append(
                mk.inspection(
                    occurred_on=on,
                    urn=urn,
                    framework=InspectionFramework.REPORT_CARD_2025
                    if report_card
                    else InspectionFramework.EIF_2019,
                    music_deep_dive=DeepDive.YES
                    if dive < 0.12
                    else DeepDive.NO
                    if dive < 0.67
                    else DeepDive.UNKNOWN,
                    curriculum_teaching_grade=_GRADES[school.quality[2]] if report_card else None,
                    inclusion_grade=_GRADES[school.quality[5]] if report_card else None,
                )
            )
        if not engaged:
            return
        # Training for the school's staff.
        if Offer.CPD in school.offer or random() < 0.3:
            sessions = 1 + int(random() * 3)
            counters["cpd_schools"] += 1
            for _ in range(sessions):
                by_partner = random() < 0.2 and self.partners
                fmt = _FORMATS[int(random() * len(_FORMATS))]
                choices = _FORMAT_HOURS[fmt]
                hours = choices[int(random() * len(choices))]
                least, most, whole = _FORMAT_STAFF[fmt]
                staff = least + int(random() * (most - least + 1))
                if whole and hours >= 3.0:  # an INSET day: the whole teaching staff
                    staff = max(staff, min(120, 2 + roll // 22))
                counters["cpd_hours"] += hours
                out.append(
                    mk.training(
                        occurred_on=year_days[int(random() * len(year_days))],
                        urn=urn,
                        topic=_TOPICS[int(random() * len(_TOPICS))],
                        format=fmt,
                        hours=hours,
                        staff_trained=staff,
                        delivered_by=DeliveredBy.PARTNER if by_partner else DeliveredBy.HUB_STAFF,
                        partner_id=self.partners[int(random() * len(self.partners))]
                        if by_partner
                        else None,
                    )
                )
        delivered = self._participation(
            school, year=year, roll=roll, summer=summer, out=out, counters=counters
        )
        # The school's own evaluation of its provision (S3).
        if random() < 0.6:
            self._provision(school, year=year, roll=roll, summer=summer, out=out)
        # Impact evaluations (D12) and pupil voice (W1).
        for programme, pupils in delivered:
            impact = _IMPACT_OF.get(programme)
            if impact is None or random() > 0.3:
                continue
            school.n_eval += 1
            methods = [_METHODS[int(random() * len(_METHODS))]]
            if random() < 0.4:
                methods.append(EvaluationMethod.PUPIL_VOICE)
            baseline = max(1, min(5, school.quality[3] - (random() < 0.4)))
            step = random()
            current = (
                min(5, baseline + 1)
                if step < 0.55
                else baseline
                if step < 0.95
                else max(1, baseline - 1)
            )
            out.append(
                mk.impact(
                    occurred_on=summer[-1 - int(random() * 10)],
                    urn=urn,
                    evaluation_id=f"e-{urn}-{school.n_eval}",
                    programme=impact,
                    methods=frozenset(methods),
                    pupils_in_scope=pupils,
                    baseline_grade=_GRADES[baseline],
                    current_grade=_GRADES[current],
                    summary=f"{impact.value.replace('_', ' ').capitalize()}: evaluated {year}",
                )
            )
        if random() < 0.4:  # pupil voice in about 40% of engaged schools a year
            start = int(random() * len(names.THEMES))
            out.append(
                mk.voice(
                    occurred_on=summer[int(random() * 40)],
                    urn=urn,
                    method=_VOICE_METHODS[int(random() * len(_VOICE_METHODS))],
                    respondents=max(1, min(roll, 8 + int(random() * 60))),
                    enjoy_pct=round(60 + random() * 35, 1),
                    want_more_pct=round(40 + random() * 45, 1),
                    themes=tuple(
                        names.THEMES[(start + k) % len(names.THEMES)]
                        for k in range(1 + int(random() * 3))
                    ),
                )
            )
        if random() < 0.03:
            school.engaged = False
            out.append(
                mk.disengaged(
                    occurred_on=summer[-1],
                    urn=urn,
                    reason="No capacity to work with the hub next year",
                )
            )

    def _offer(self, school: _School) -> frozenset[Offer]:
        random = self.rng.random
        offer = [Offer.INSTRUMENTAL_LESSONS] if random() < 0.85 else [Offer.CPD]
        if school.wcet:
            offer.append(Offer.WHOLE_CLASS_ENSEMBLE)
        for item, chance in (
            (Offer.ENSEMBLES, 0.6),
            (Offer.SINGING, 0.55),
            (Offer.CPD, 0.5),
            (Offer.CONSULTANCY, 0.2),
            (Offer.CURRICULUM_SUPPORT, 0.4),
            (Offer.MUSIC_DEVELOPMENT_PLAN, 0.3),
        ):
            if random() < chance:
                offer.append(item)
        return frozenset(offer)

    def _conversations(
        self,
        school: _School,
        cal: _Year,
        book: ActionBook,
        out: list[Event],
        counters: dict[str, float],
    ) -> None:
        """The school's conversations this year, each held when the last one agreed."""
        random = self.rng.random
        days = cal.days
        engaged = school.engaged
        due = school.next_due
        if due is None or (engaged and due < days[0]):
            if not engaged and random() < 0.45:
                return  # a school not engaged that agreed no conversation: none this year
            # a first conversation (or a fresh start after a long gap): early autumn
            due = cal.autumn[int(random() * 25)] if engaged else cal.autumn[int(random() * 60)]
        held = 0
        while True:
            on = schedule.held_on(random, due, days)
            if on is None:
                break
            if held == 0:
                review = not engaged or random() < 0.8  # else a supportive catch-up first
                kind = (
                    (ConversationKind.REVIEW if engaged else ConversationKind.CHALLENGING)
                    if review
                    else ConversationKind.SUPPORTIVE
                )
            else:
                kind = (
                    ConversationKind.CHALLENGING if random() < 0.45 else ConversationKind.SUPPORTIVE
                )
            due = schedule.next_due(random, on, days, engaged)
            self._conversation(school, on=on, kind=kind, next_due=due, book=book, out=out)
            school.next_due = due
            counters["conversations"] += 1
            held += 1
            if not engaged:
                break

    def _conversation(
        self,
        school: _School,
        *,
        on: date,
        kind: ConversationKind,
        next_due: date,
        book: ActionBook,
        out: list[Event],
    ) -> None:
        random = self.rng.random
        mk = self.mk
        urn = school.urn
        school.n_conv += 1
        conversation_id = f"c-{urn}-{school.n_conv}"
        r = random()
        leaders = 0 if kind is ConversationKind.SUPPORTIVE else (r < 0.65) + 2 * (r < 0.2)
        people = _PEOPLE[leaders + 4 * (random() < 0.15) + 8 * (random() < 0.1)]
        count = int(random() * 3) if kind is ConversationKind.SUPPORTIVE else 3 + int(random() * 5)
        first = int(random() * len(_AREAS))
        quality = school.quality
        judgements = {}
        for k in range(count):
            index = (first + k) % len(_AREAS)
            judgements[_AREAS[index]] = _GRADES[quality[index]]
        evidence = _EVIDENCE_SETS[int(random() * len(_EVIDENCE_SETS))]
        unknown = random() < 0.15
        out.append(
            mk.conversation(
                occurred_on=on,
                urn=urn,
                conversation_id=conversation_id,
                kind=kind,
                participants=people,
                judgements=judgements,
                music_taught_weekly_to_all_classes=None if unknown else school.weekly_all,
                aware_of_subject_guidance=None if unknown else school.aware,
                quality_judged_by=evidence,
                next_due_on=next_due,
            )
        )
        book.review(school, on, conversation_id, out)
        if kind is ConversationKind.SUPPORTIVE:
            return
        for _ in range((random() < 0.7) + (random() < 0.35)):
            book.agree(school, on, conversation_id, out)

    def _participation(
        self,
        school: _School,
        *,
        year: str,
        roll: int,
        summer: list[date],
        out: list[Event],
        counters: dict[str, float],
    ) -> list[tuple[ParticipationProgramme, int]]:
        random = self.rng.random
        make = self.mk.participation
        urn = school.urn
        fsm = school.fsm / 100.0
        send = school.send_share
        send_tuition = 0.5 * send / (0.5 * send + (1.0 - send)) if send < 1.0 else 1.0
        on = summer[-1 - int(random() * 8)]
        delivered: list[tuple[ParticipationProgramme, int]] = []
        source = Source.SCHOOL_RETURN if random() < 0.3 else Source.HUB_REGISTER
        estimated = source is Source.SCHOOL_RETURN and random() < 0.3
        tuition_index = 0.6 + random() * 0.3

        if school.wcet and Offer.WHOLE_CLASS_ENSEMBLE in school.offer:
            pupils = max(1, min(roll, int(roll / 7 * (0.85 + random() * 0.2))))
            terms = 1 if random() < 0.3 else 2 if random() < 0.36 else 3
            out.append(
                make(
                    occurred_on=on,
                    urn=urn,
                    source=source,
                    estimated=estimated,
                    academic_year=year,
                    programme=_P.WHOLE_CLASS_ENSEMBLE,
                    key_stage=2,
                    pupils=pupils,
                    pupil_premium=min(pupils, round(pupils * fsm * (0.95 + random() * 0.1))),
                    send=min(pupils, round(pupils * send)),
                    wcet_terms=terms,
                )
            )
            delivered.append((_P.WHOLE_CLASS_ENSEMBLE, pupils))
            counters["whole_class_schools"] += 1
            counters["whole_class_pupils"] += pupils
            wcet_now = pupils
        else:
            wcet_now = 0
        continuing = round(school.prev_wcet * (0.22 + random() * 0.16))
        school.prev_wcet = wcet_now

        table = _TABLES[school.phase, school.sixth_form]
        base = roll * school.strength
        index = (tuition_index, 0.8 + random() * 0.2, 0.9 + random() * 0.2, 0.9 + random() * 0.2)
        shares = (send_tuition, send * 0.8, send * 0.8, send * 0.8)
        for programme, kind, cells in table:
            if kind == _CENTRE and random() > 0.4:
                continue
            premium_share = fsm * index[kind]  # <= 0.88, so premium <= pupils
            send_share = shares[kind]
            total = 0
            for stage, weight in cells:
                r = random()
                pupils = int(base * weight * (0.7 + 0.6 * r) + r)
                carried = None
                if continuing and stage == 2 and programme is _P.TUITION_LARGE_GROUP:
                    pupils = min(roll, max(pupils, continuing))
                    carried = continuing if continuing <= pupils else pupils
                if pupils <= 0:
                    continue
                premium = round(pupils * premium_share)
                out.append(
                    make(
                        occurred_on=on,
                        urn=urn,
                        source=source,
                        estimated=estimated,
                        academic_year=year,
                        programme=programme,
                        key_stage=stage,
                        pupils=pupils,
                        pupil_premium=premium,
                        send=round(pupils * send_share),
                        fee_remission=round(premium * (0.6 + 0.4 * r))
                        if kind == _TUITION_KIND
                        else 0,
                        continuing_from_wcet=carried,
                    )
                )
                total += pupils
            if total:
                counters[_COUNTER[kind]] += total
                delivered.append((programme, total))
        if Offer.SINGING in school.offer and random() < 0.5:
            pupils = max(1, min(roll, int(roll * (0.5 + random() * 0.4))))
            out.append(
                make(
                    occurred_on=on,
                    urn=urn,
                    source=source,
                    estimated=estimated,
                    academic_year=year,
                    term=Term.SPRING,
                    programme=_P.SINGING,
                    pupils=pupils,
                    pupil_premium=min(pupils, round(pupils * fsm)),
                    send=min(pupils, round(pupils * send)),
                )
            )
            delivered.append((_P.SINGING, pupils))
        if random() < 0.3:
            pupils = max(1, min(roll, int(roll * (0.05 + random() * 0.15))))
            out.append(
                make(
                    occurred_on=on,
                    urn=urn,
                    source=source,
                    estimated=estimated,
                    academic_year=year,
                    term=Term.SUMMER,
                    programme=_P.FESTIVAL,
                    pupils=pupils,
                    pupil_premium=min(pupils, round(pupils * fsm * 0.9)),
                    send=min(pupils, round(pupils * send * 0.8)),
                )
            )
        return delivered

    def _provision(
        self, school: _School, *, year: str, roll: int, summer: list[date], out: list[Event]
    ) -> None:
        random = self.rng.random
        classes = max(1, round(roll / 27))
        all_weekly = random() < (0.3 if school.phase is Phase.SECONDARY else 0.6)
        school.weekly_all = all_weekly
        weekly = classes if all_weekly else int(classes * (0.4 + random() * 0.55))
        minutes: dict[int, int] = {}
        stages = _SIXTH_FORM if school.sixth_form else _KEY_STAGES[school.phase]
        for stage, _ in stages:
            if stage <= 2:
                minutes[stage] = 30 + 5 * int(random() * 7)
            elif stage == 3:
                minutes[stage] = 45 + 5 * int(random() * 4)
            elif stage == 4:
                minutes[stage] = 5 * int(random() * 13)
            else:
                minutes[stage] = 0
        mean_quality = sum(school.quality) / len(school.quality)
        grade = max(1, min(5, round(mean_quality + random() - 0.3)))
        out.append(
            self.mk.provision(
                occurred_on=summer[20 + int(random() * 20)],
                urn=school.urn,
                source=Source.SCHOOL_RETURN,
                estimated=random() < 0.2,
                academic_year=year,
                classes_total=classes,
                classes_with_weekly_music=weekly,
                minutes_per_week=minutes,
                self_evaluation_grade=_GRADES[grade],
                judged_by=_EVIDENCE_SETS[int(random() * 10)],
            )
        )


_BY_DATE = attrgetter("occurred_on")


def _people(bits: int) -> frozenset[Participant]:
    people = [Participant.MUSIC_LEAD, Participant.HUB_ADVISER]
    for bit, who in enumerate(
        (
            Participant.HEADTEACHER,
            Participant.SENIOR_LEADER,
            Participant.PUPILS,
            Participant.HUB_LEADER,
        )
    ):
        if bits & (1 << bit):
            people.append(who)
    return frozenset(people)


# Participants by bit pattern: 1 headteacher, 2 senior leader, 4 pupils, 8 hub leader.
_PEOPLE = tuple(_people(bits) for bits in range(16))
# Evidence sets: the first ten have one or two kinds, the rest three.
_EVIDENCE_SETS = tuple(
    frozenset(_EVIDENCE[(start + k) % 5] for k in range(size))
    for size in (1, 2, 3)
    for start in range(5)
)
_VOICE_METHODS = (
    PupilVoiceMethod.SURVEY,
    PupilVoiceMethod.SURVEY,
    PupilVoiceMethod.FOCUS_GROUP,
    PupilVoiceMethod.PUPIL_COUNCIL,
    PupilVoiceMethod.INTERVIEWS,
)


_CONVERTED = "Converted to an academy (new URN)"
_AMALGAMATED = "Amalgamated with a neighbouring school"


def _agreement(value: float) -> Agreement:
    if value < 0.5:
        return Agreement.SERVICE_LEVEL_AGREEMENT
    return Agreement.PARTNERSHIP_AGREEMENT if value < 0.85 else Agreement.INFORMAL


def _agreed_by(value: float) -> AgreedByRole:
    if value < 0.5:
        return AgreedByRole.HEADTEACHER
    if value < 0.7:
        return AgreedByRole.SENIOR_LEADER
    return AgreedByRole.MUSIC_LEAD if value < 0.95 else AgreedByRole.GOVERNOR
