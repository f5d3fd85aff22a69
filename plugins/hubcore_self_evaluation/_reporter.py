"""The ``self-evaluation`` reporter: the hub's duties D1-D12 against their targets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs

from hubcore.calendar import TermDates, academic_year_bounds
from hubcore.projections import (
    DEFAULT_CADENCE_DAYS,
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    CurriculumProvision,
    ImpactEvaluations,
    JudgementProfile,
    PupilVoice,
    Ratio,
    SchoolToSchool,
    StaffTime,
    TrainingLedger,
)
from hubcore.reporting import (
    Cell,
    Metric,
    Number,
    ReportContext,
    Series,
    Status,
    Summary,
    Table,
    rag,
    read_model,
)
from hubcore.vocabulary import Area, Audience
from hubcore_self_evaluation._hub_record import PROJECTION_NAME, HubRecord
from hubcore_self_evaluation._targets import Target, Targets

__all__ = ["SelfEvaluationReporter"]


def _pct(ratio: Ratio) -> float | None:
    percent = ratio.percent
    return None if percent is None else round(percent, 1)


def _of(ratio: Ratio) -> str:
    return f"{ratio.numerator:g} of {ratio.denominator:g}"


def _judged(
    key: str,
    label: str,
    value: Number | None,
    unit: str,
    target: Target,
    *,
    evidence: int,
    note: str = "",
) -> Metric:
    status, rule = rag(
        value,
        target.value,
        amber_within=target.amber_within,
        higher_is_better=target.higher_is_better,
    )
    return Metric(
        key=key,
        label=label,
        value=value,
        unit=unit,
        target=target.value,
        status=status,
        rule=rule,
        evidence=evidence,
        note=note,
    )


_BASES = {
    "agreed": "date agreed",
    "default cadence": "hub's default cadence",
    "no conversation yet": "no conversation yet",
}


_EVALUABLE_RULE = (
    "Evaluable work: whole-class ensemble teaching, instrumental lessons, ensembles, singing,"
    " CPD for school staff and curriculum support, offered by an engagement in force at any"
    " time in the year, and school-to-school support brokered in the year. Not counted:"
    " consultancy and music development plan support, which advise a school's leaders"
    " rather than teach pupils or their teachers."
)
"""D12's denominator in plain English (``EVALUABLE_OFFERS``, ``NOT_EVALUABLE_OFFERS``)."""


def _name(model: ConversationCadence, urn: int, year: str) -> str:
    """The school's name as it stood at ``year``'s end (a later rename is not shown)."""
    facts = model.school(urn, year)
    return "" if facts is None else facts.name


@attrs.frozen
class SelfEvaluationReporter:
    """D1-D12 (Ofsted 2013, "what hubs must do") each as a metric with target and status."""

    name: str = "self-evaluation"
    title: str = "Hub self-evaluation"
    description: str = (
        "The hub's duties D1-D12 (Ofsted 2013) each as a figure with its target and a "
        "red/amber/green status, coverage by phase and conversations per month."
    )
    projections: tuple[str, ...] = (
        "coverage",
        "cadence",
        "judgements",
        "actions",
        "training",
        "staff_time",
        "provision",
        "impact",
        "pupil_voice",
        "school_to_school",
        PROJECTION_NAME,
    )
    targets: Targets = attrs.field(factory=Targets)
    clock: Callable[[], date] = date.today
    cadence_days: int = attrs.field(default=DEFAULT_CADENCE_DAYS)
    """D4: days after a conversation that the next is due when no date was agreed."""
    grace_half_terms: int = attrs.field(default=1)
    """D4: whole half-terms of grace after the due date before a conversation is overdue."""
    term_dates: TermDates = attrs.field(factory=TermDates)
    """D4: the hub's half-term dates (default: the usual pattern in England)."""

    @cadence_days.validator
    def _check_cadence(self, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"SelfEvaluationReporter.cadence_days: a whole number of days >= 1, got {value!r}"
            )

    @grace_half_terms.validator
    def _check_grace(self, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                "SelfEvaluationReporter.grace_half_terms: a whole number of half-terms >= 0,"
                f" got {value!r}"
            )

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's hub and year (always hub-wide)."""
        year, hub = context.academic_year, context.hub.id
        start, end = academic_year_bounds(year)
        # the day the log is read as of (a reproduced report), else today; never past the year
        read_as_of: date | None = getattr(context, "as_of", None)
        as_of = min(end, read_as_of or self.clock())
        t = self.targets
        coverage = read_model(context, "coverage", Coverage)
        cadence = read_model(context, "cadence", ConversationCadence)
        record = read_model(context, PROJECTION_NAME, HubRecord)
        open_schools = coverage.open_schools(year)
        n_open = len(open_schools)

        metrics = [
            self._d1(record, hub, year),
            *self._d2_d9(record, hub, year, n_open),
        ]
        cover = coverage.rate(year)
        metrics.append(
            _judged(
                "d3-coverage", "D3 Schools engaged (coverage)", _pct(cover), "%", t.coverage,
                evidence=n_open, note=f"{_of(cover)} open schools engaged at the year's end",
            )
        )  # fmt: skip
        d4, overdue_table = self._d4(cadence, year, as_of, n_open)
        metrics.extend(d4)
        metrics.append(self._d5(read_model(context, "actions", ActionFollowThrough), year, as_of))
        metrics.extend(self._d6_d7(read_model(context, "training", TrainingLedger), year, hub))
        staff_time = read_model(context, "staff_time", StaffTime)
        share = staff_time.strategic_share(year, hub)
        metrics.append(
            _judged(
                "d8-strategic-share", "D8 Strategic share of hub staff time", _pct(share), "%",
                t.strategic_share, evidence=staff_time.records(year, hub),
                note=f"{share.numerator:g} strategic of {share.denominator:g} hours logged",
            )
        )  # fmt: skip
        metrics.append(self._d10(read_model(context, "school_to_school", SchoolToSchool), year))
        metrics.extend(
            self._d11(
                read_model(context, "judgements", JudgementProfile),
                read_model(context, "provision", CurriculumProvision),
                year,
            )
        )
        metrics.extend(
            self._d12(
                read_model(context, "impact", ImpactEvaluations),
                read_model(context, "pupil_voice", PupilVoice),
                year,
            )
        )
        metrics.sort(key=lambda m: int(m.key.split("-")[0][1:]))

        caveats = self._caveats(context, cadence, record, open_schools, year, start, end)
        by_phase = coverage.by_phase(year)
        months = record.conversations_by_month(year, set(open_schools))
        return Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=[
                Table(
                    name="Coverage by phase",
                    columns=["phase", "coverage", "engaged of open"],
                    rows=[[p.value, _pct(r), _of(r)] for p, r in by_phase.items()],
                    chart="bar",
                    unit="%",
                    caption="Open schools engaged at the year's end, by phase (D3)",
                ),
                self._training_table(read_model(context, "training", TrainingLedger), year),
                overdue_table,
            ],
            series=[
                Series(
                    name="Conversations per month",
                    points=months,
                    unit="conversations",
                )
            ],
            caveats=caveats,
            reporter=self.name,
        )

    # -- the duties ----------------------------------------------------------------------

    @staticmethod
    def _d1(record: HubRecord, hub: str, year: str) -> Metric:
        end = academic_year_bounds(year)[1]
        published = [p for p in record.plans(hub) if p.published_on <= end]
        plan = record.plan_covering(hub, year)
        rule = (
            f"green if a plan published by the year's end covers {year}; amber if only a plan "
            "for other years is published; else red"
        )
        if plan is not None:
            covers = ", ".join(sorted(plan.covers))
            status, value = Status.GREEN, 1
            note = f"version {plan.version} published {plan.published_on}, covers {covers}"
        elif published:
            status, value = Status.AMBER, 0
            note = f"latest version {published[-1].version} does not cover {year}"
        else:
            status, value, note = Status.RED, 0, f"no plan published by {end.isoformat()}"
        return Metric(
            key="d1-plan",
            label=f"D1 Music education plan published covering {year}",
            value=value,
            unit="plan",
            target=1,
            status=status,
            rule=rule,
            evidence=len(published),
            note=note,
        )

    def _d2_d9(self, record: HubRecord, hub: str, year: str, n_open: int) -> list[Metric]:
        events = record.publicity(hub, year)
        leaders = [p for p in events if p.audience is Audience.SCHOOL_LEADERS]
        widest = max((p.schools_reached for p in events), default=0)
        # no publicity, or no open school: no reach to measure (no data, never 0%)
        reach = None if n_open == 0 or not events else round(100 * min(widest, n_open) / n_open, 1)
        return [
            _judged(
                "d2-leader-publicity", "D2 Publicity to school leaders (as expert leaders)",
                len(leaders), "times", self.targets.leader_publicity, evidence=len(leaders),
                note="schools reached each time: "
                + (", ".join(str(p.schools_reached) for p in leaders) or "none"),
            ),
            _judged(
                "d9-publicity-reach", "D9 Widest reach of the hub's publicity", reach, "%",
                self.targets.publicity_reach, evidence=len(events),
                note=f"widest single reach {widest} of {n_open} open schools, "
                f"over {len(events)} pieces of publicity",
            ),
        ]  # fmt: skip

    def _overdue_rule(self) -> str:
        grace = (
            "no grace"
            if self.grace_half_terms == 0
            else "a grace to the end of the half-term after the due date"
            if self.grace_half_terms == 1
            else f"a grace of {self.grace_half_terms} half-terms after the due date"
        )
        return (
            "A school's next conversation is due on the date agreed at its last conversation; "
            f"without one, {self.cadence_days} days after that conversation (or after the "
            f"school joined, if there has been none). It is overdue once {grace} (school "
            "holidays not counted) has passed with no conversation held."
        )

    def _d4(
        self, cadence: ConversationCadence, year: str, as_of: date, n_open: int
    ) -> tuple[list[Metric], Table]:
        t = self.targets
        share = cadence.challenged_share(year)
        open_set = set(cadence.open_schools(year))
        terms, half_terms = self.term_dates, self.grace_half_terms
        due = [
            d
            for d in cadence.due_conversations(
                as_of,
                cadence_days=self.cadence_days,
                grace=lambda day: terms.grace_end(day, half_terms),
            )
            if d.urn in open_set
        ]
        overdue = [d for d in due if d.grace_ends < as_of]
        overdue_target = Target(0, n_open * t.overdue_share / 100, higher_is_better=False)
        median = cadence.median_days_between(year)
        by_basis = {b: sum(1 for d in overdue if d.basis == b) for b in _BASES}
        basis_note = ", ".join(f"{n} {_BASES[b]}" for b, n in by_basis.items() if n) or "none"
        table = Table(
            name="Overdue conversations",
            columns=["urn", "school", "last conversation", "due", "due date from", "grace ended"],
            rows=[
                [
                    str(d.urn),
                    _name(cadence, d.urn, year),
                    None if d.last_held_on is None else d.last_held_on.isoformat(),
                    d.due_on.isoformat(),
                    _BASES[d.basis],
                    d.grace_ends.isoformat(),
                ]
                for d in overdue
            ],
            caption=f"Open schools whose next conversation was overdue on {as_of.isoformat()} "
            f"(D4). {self._overdue_rule()}",
        )
        metrics = [
            _judged(
                "d4-cadence", "D4 Schools with a challenging or review conversation",
                _pct(share), "%", t.cadence, evidence=n_open, note=_of(share) + " open schools",
            ),
            attrs.evolve(
                _judged(
                    "d4-overdue", "D4 Schools with an overdue conversation",
                    len(overdue) if n_open else None, "schools", overdue_target,
                    evidence=n_open,
                    note=f"of {n_open} open schools on {as_of.isoformat()}; due date from: "
                    f"{basis_note}. {self._overdue_rule()}",
                ),
                evidence_table=table.name,
            ),
            Metric(
                key="d4-median-days", label="D4 Median days between a school's conversations",
                value=median, unit="days", evidence=len(cadence.gaps_days(year)),
            ),
        ]  # fmt: skip
        return metrics, table

    def _d5(self, actions: ActionFollowThrough, year: str, as_of: date) -> Metric:
        ratio = actions.follow_through_in_year(year)
        overdue = actions.overdue_count(as_of)
        return _judged(
            "d5-follow-through", "D5 Actions completed by their due date", _pct(ratio), "%",
            self.targets.follow_through, evidence=int(ratio.denominator),
            note=f"{_of(ratio)} actions due in {year}; {overdue} open past their due date; "
            f"{actions.withdrawn_before_due(year)} withdrawn by their due date, left out",
        )  # fmt: skip

    def _d6_d7(self, training: TrainingLedger, year: str, hub: str) -> list[Metric]:
        reach = training.reach(year)
        totals = training.totals(year)
        hub_training = training.hub_staff_training(year, hub)
        return [
            _judged(
                "d6-training-reach", "D6 Schools receiving training", _pct(reach), "%",
                self.targets.training_reach, evidence=int(reach.denominator),
                note=f"{_of(reach)} open schools",
            ),
            Metric(
                key="d6-training-hours", label="D6 Training hours delivered to schools",
                value=totals.hours, unit="hours", evidence=totals.sessions,
                note=f"{totals.sessions} sessions, {totals.staff_trained} staff trained",
            ),
            _judged(
                "d7-hub-staff-training", "D7 Training hours for hub staff", hub_training.hours,
                "hours", self.targets.hub_staff_hours, evidence=hub_training.sessions,
                note=f"{hub_training.sessions} sessions, {hub_training.staff} staff, "
                f"{hub_training.staff_hours:g} staff-hours",
            ),
        ]  # fmt: skip

    def _d10(self, s2s: SchoolToSchool, year: str) -> Metric:
        pairs = s2s.pairs(year)
        return _judged(
            "d10-school-to-school", "D10 School-to-school support pairs brokered", len(pairs),
            "pairs", self.targets.school_to_school, evidence=len(s2s.links(year)),
            note=f"{len(s2s.lead_schools(year))} lead schools, "
            f"{len(s2s.schools_supported(year))} schools supported",
        )  # fmt: skip

    def _d11(
        self, judgements: JudgementProfile, provision: CurriculumProvision, year: str
    ) -> list[Metric]:
        share = judgements.share_at_or_above_expected(Area.CURRICULUM_PROGRESSION, year)
        weekly = provision.weekly_music_for_all(year)
        return [
            _judged(
                "d11-progression", "D11 Curriculum progression judged expected or better",
                _pct(share), "%", self.targets.progression, evidence=int(share.denominator),
                note=f"{_of(share)} open schools judged during {year}, by their latest "
                "judgement that year",
            ),
            _judged(
                "d11-weekly-music", "D11 Reporting schools with weekly music in every class",
                _pct(weekly), "%", self.targets.weekly_music, evidence=int(weekly.denominator),
                note=f"{_of(weekly)} schools reporting provision for {year}",
            ),
        ]  # fmt: skip

    def _d12(self, impact: ImpactEvaluations, voice: PupilVoice, year: str) -> list[Metric]:
        evaluated = impact.evaluated_share(year)
        using = voice.evaluations_using_pupil_voice(year)
        return [
            _judged(
                "d12-evaluated-share", "D12 Programmes delivered that were evaluated",
                _pct(evaluated), "%", self.targets.evaluated_share,
                evidence=int(evaluated.denominator),
                note=f"{_of(evaluated)} evaluable programmes delivered in schools (school and "
                f"programme) were evaluated in {year}. {_EVALUABLE_RULE} "
                f"{len(impact.only_not_evaluable(year))} open schools had only work that "
                "cannot be evaluated.",
            ),
            _judged(
                "d12-pupil-voice", "D12 Impact evaluations using pupil voice", _pct(using), "%",
                self.targets.pupil_voice_use, evidence=int(using.denominator),
                note=f"{_of(using)} evaluations",
            ),
        ]  # fmt: skip

    # -- the rest ------------------------------------------------------------------------

    @staticmethod
    def _training_table(training: TrainingLedger, year: str) -> Table:
        rows: list[list[Cell]] = [
            [topic.value, t.sessions, t.hours, t.staff_trained]
            for topic, t in training.by_topic(year).items()
            if t.sessions
        ]
        return Table(
            name="Training by topic",
            columns=["topic", "sessions", "hours", "staff trained"],
            rows=rows,
            caption="Training delivered to schools' staff (D6)",
        )

    @staticmethod
    def _caveats(  # noqa: PLR0917
        context: ReportContext,
        cadence: ConversationCadence,
        record: HubRecord,
        open_schools: list[int],
        year: str,
        start: date,
        end: date,
    ) -> list[str]:
        caveats: list[str] = []
        if context.schools != "all":
            caveats.append(
                "The self-evaluation covers the whole hub: the schools filter was ignored."
            )
        talked = cadence.schools_talked_to(year)
        silent = sum(1 for urn in open_schools if urn not in talked)
        if silent:
            caveats.append(
                f"{silent} of {len(open_schools)} open schools have no conversation "
                f"recorded {year}."
            )
        records, estimated, returned = record.provenance(year, set(open_schools))
        if estimated or returned:
            caveats.append(
                f"Figures include schools' estimates: of {records} records with pupil or staff "
                f"counts for {year}, {estimated} are estimates and {returned} came from "
                "schools' own returns."
            )
        caveats.append(
            "Targets other than coverage and cadence (100%) and the strategic share (20%) are "
            "hubcore's defaults, not Ofsted's."
        )
        caveats.append(
            "Grades are the hub's own judgements, on words borrowed from Ofsted's report-card "
            "scale; Ofsted does not grade a school's music on that scale."
        )
        return caveats
