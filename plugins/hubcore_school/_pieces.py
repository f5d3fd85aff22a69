"""The parts of one school's pack, each a table built from the read models for a year.

Every part reads the year's facts only (docs/year-truth.md): conversations, training and
pupil voice dated by the year's end, actions as they stood on the pack's day (the year's
last day, or an earlier day the log is read as of), participation returns for the year.
"""

from __future__ import annotations

from datetime import date

import attrs

from hubcore.calendar import academic_year_bounds, academic_year_of, next_academic_year
from hubcore.projections import (
    ActionFollowThrough,
    ActionStatus,
    ConversationCadence,
    Coverage,
    InspectionEvidence,
    ParticipationBreadth,
    Ratio,
    SchoolFacts,
)
from hubcore.reporting import Cell, Status, Suppressor, Table, label
from hubcore.vocabulary import ParticipationProgramme
from hubcore_ofsted import evidence_text, judge
from hubcore_school._story import SchoolStory

__all__ = [
    "LAST_CONVERSATIONS",
    "Pack",
    "action_counts",
    "action_state",
    "actions_table",
    "conversations_table",
    "due_table",
    "engagement_table",
    "ofsted_table",
    "participation_table",
    "training_table",
    "voice_table",
]

LAST_CONVERSATIONS = 5
"""How many of the school's latest conversations the pack lists."""

_YES_NO = {True: "yes", False: "no"}


@attrs.frozen
class Pack:
    """What every part reads: the school, the year, the pack's day and the read models."""

    urn: int
    school: SchoolFacts
    year: str
    day: date
    """The day actions and due dates are read as of: never after the year's last day."""
    coverage: Coverage
    cadence: ConversationCadence
    actions: ActionFollowThrough
    participation: ParticipationBreadth
    evidence: InspectionEvidence
    story: SchoolStory
    hide: Suppressor

    @property
    def bounds(self) -> tuple[date, date]:
        """The first and last day of the year."""
        return academic_year_bounds(self.year)


def _words(values: tuple[str, ...] | frozenset[str]) -> str | None:
    return ", ".join(label(v) for v in sorted(values)) or None


def _in_year(day: date, year: str) -> bool:
    return academic_year_of(day) == year


def _years(pack: Pack) -> list[str]:
    """Every academic year from the school's registration (or first record) to the pack's."""
    first = academic_year_of(pack.school.registered_on)
    recorded = pack.story.first_year(pack.urn, pack.year)
    if recorded is not None and recorded < first:
        first = recorded
    years = [first]
    while years[-1] < pack.year:
        years.append(next_academic_year(years[-1]))
    return years


def engagement_table(pack: Pack) -> Table:
    """One row per recorded year: engagement at its end and what the hub did with the school."""
    rows: list[tuple[Cell, ...]] = []
    conversations = pack.story.conversations(pack.urn, pack.year)
    training = pack.story.training(pack.urn, pack.year)
    voice = pack.story.voice(pack.urn, pack.year)
    for year in _years(pack):
        sessions = [t for t in training if _in_year(t.held_on, year)]
        totals = pack.participation.totals(year, urn=pack.urn)
        rows.append(
            (
                year,
                _YES_NO[pack.coverage.engaged_at_end(pack.urn, year)],
                _words(frozenset(pack.coverage.offers(pack.urn, year))),
                sum(1 for c in conversations if _in_year(c.held_on, year)),
                len(sessions),
                sum(t.staff_trained for t in sessions),
                pack.hide(totals.pupils) if totals.records else None,
                sum(1 for v in voice if _in_year(v.held_on, year)),
            )
        )
    return Table(
        name="Engagement by year",
        columns=[
            "year",
            "engaged at year end",
            "offer",
            "conversations",
            "training sessions",
            "staff trained",
            "participations",
            "pupil voice",
        ],
        rows=rows,
        caption="Every year since the school was registered. Participations are left blank "
        "for a year with no return.",
    )


def conversations_table(pack: Pack) -> Table:
    """The school's latest conversations, newest first."""
    notes = pack.story.conversations(pack.urn, pack.year)[-LAST_CONVERSATIONS:]
    rows = [
        (
            c.held_on.isoformat(),
            label(c.kind),
            _words(c.participants),
            "; ".join(f"{label(a)}: {label(g)}" for a, g in c.judgements) or None,
            None if c.next_due_on is None else c.next_due_on.isoformat(),
        )
        for c in reversed(notes)
    ]
    return Table(
        name="Latest conversations",
        columns=["held on", "kind", "with", "hub's judgements", "next agreed for"],
        rows=rows,
        caption=f"The school's last {LAST_CONVERSATIONS} conversations with the hub, newest first.",
    )


def action_state(action: ActionStatus, day: date) -> str:
    """``completed``, ``withdrawn``, ``overdue`` or ``open``: the action as it stood on
    ``day`` (completed or withdrawn by then; else overdue once its due date has passed)."""
    if action.completed_on is not None and action.completed_on <= day:
        return "completed"
    if action.withdrawn_on is not None and action.withdrawn_on <= day:
        return "withdrawn"
    return "overdue" if action.due_on < day else "open"


def _shown_actions(pack: Pack) -> list[tuple[ActionStatus, str]]:
    """Actions agreed by the pack's day: those of its year, and earlier ones still open when
    the year began."""
    start = pack.bounds[0]
    shown = []
    for action in pack.actions.actions(pack.urn):
        if action.agreed_on > pack.day:
            continue
        closed = action.completed_on or action.withdrawn_on
        if action.agreed_on < start and closed is not None and closed < start:
            continue
        shown.append((action, action_state(action, pack.day)))
    return shown


def actions_table(pack: Pack) -> Table:
    """The actions agreed with the school and where each stands."""
    rows = []
    for action, state in _shown_actions(pack):
        closed = action.completed_on if state == "completed" else action.withdrawn_on
        rows.append(
            (
                action.description,
                label(action.owner),
                action.agreed_on.isoformat(),
                action.due_on.isoformat(),
                state,
                None if state not in ("completed", "withdrawn") or closed is None
                else closed.isoformat(),
            )
        )  # fmt: skip
    return Table(
        name="Actions agreed",
        columns=["action", "owner", "agreed on", "due on", "status", "closed on"],
        rows=rows,
        caption=f"Actions agreed in {pack.year}, and earlier ones still open when it began, as "
        f"they stood on {pack.day.isoformat()}: open, overdue (past its due date), completed "
        "or withdrawn.",
    )


def action_counts(pack: Pack) -> dict[str, int]:
    """How many shown actions are in each state."""
    counts = dict.fromkeys(("open", "overdue", "completed", "withdrawn"), 0)
    for _, state in _shown_actions(pack):
        counts[state] += 1
    return counts


def training_table(pack: Pack) -> Table:
    """The training the school's staff took in the year."""
    rows = [
        (
            t.held_on.isoformat(),
            label(t.topic),
            label(t.format),
            t.hours,
            t.staff_trained,
            label(t.delivered_by),
        )
        for t in pack.story.training(pack.urn, pack.year)
        if _in_year(t.held_on, pack.year)
    ]
    return Table(
        name="Training for the school's staff",
        columns=["held on", "topic", "format", "hours", "staff trained", "delivered by"],
        rows=rows,
        caption=f"Training sessions in {pack.year}; hours are session hours.",
    )


def _rate(ratio: Ratio, hide: Suppressor) -> float | None:
    """Participations per 100 on roll, withheld where the count behind it is suppressed."""
    shown = hide(int(ratio.numerator))
    percent = ratio.percent
    return None if isinstance(shown, str) or percent is None else round(percent, 1)


def participation_table(pack: Pack) -> Table:
    """Participation by programme: the school against open schools of its phase in its
    local authority and in the whole hub."""
    model, year, school, hide = pack.participation, pack.year, pack.school, pack.hide
    rows: list[tuple[Cell, ...]] = []
    for programme in ParticipationProgramme:
        own = model.totals(year, programme, urn=pack.urn)
        area = model.totals(year, programme, phase=school.phase, la=school.la_code)
        if not own.records and not area.records:
            continue
        rows.append(
            (
                label(programme),
                hide(own.pupils) if own.records else None,
                _rate(model.rate(year, programme, urn=pack.urn), hide) if own.records else None,
                hide(area.pupils),
                _rate(model.rate(year, programme, phase=school.phase, la=school.la_code), hide),
                _rate(model.rate(year, programme, phase=school.phase), hide),
            )
        )
    phase = label(school.phase).lower()
    return Table(
        name="Participation by programme",
        columns=[
            "programme",
            "participations",
            "per 100 on roll",
            f"{phase} schools in LA {school.la_code}",
            f"their rate per 100 (LA {school.la_code})",
            f"rate per 100, all {phase} schools",
        ],
        rows=rows,
        caption=f"{year}: participations (not pupils) per 100 pupils on roll, against the open "
        f"{phase} schools of the school's local authority and of the hub (the school "
        f"included). Counts under {hide.threshold} are shown as <{hide.threshold}; rates "
        "resting on them are left blank.",
    )


def voice_table(pack: Pack) -> Table:
    """What the school's pupils said, newest first (the last three times asked)."""
    hide = pack.hide
    rows = []
    for v in reversed(pack.story.voice(pack.urn, pack.year)[-3:]):
        shown = hide(v.respondents)
        small = isinstance(shown, str)
        rows.append(
            (
                v.held_on.isoformat(),
                label(v.method),
                shown,
                None if small else v.enjoy_pct,
                None if small else v.want_more_pct,
                "; ".join(v.themes) or None,
            )
        )
    return Table(
        name="Pupil voice",
        columns=["asked on", "how", "pupils", "enjoy music %", "want more %", "themes"],
        rows=rows,
        caption="The last three times the school's pupils were asked, newest first; shares "
        f"from fewer than {hide.threshold} pupils are left blank.",
    )


def ofsted_table(pack: Pack) -> tuple[Table, dict[Status, int]]:
    """The school's evidence for Ofsted's five questions, with the ofsted report's status
    rules; and how many questions are at each status."""
    rows = []
    counts: dict[Status, int] = {}
    for answer in pack.evidence.evidence(pack.urn, pack.year).answers:
        status, _, _ = judge(answer)
        counts[status] = counts.get(status, 0) + 1
        text, latest = evidence_text(answer.facts)
        rows.append(
            (answer.question, answer.title, status.value, text, latest, "; ".join(answer.gaps)
             or None)
        )  # fmt: skip
    table = Table(
        name="Evidence for Ofsted's questions",
        columns=["question", "asks", "status", "evidence", "latest evidence", "gaps"],
        rows=rows,
        caption="Statuses as the ofsted report sets them: red for a gap Ofsted would find, "
        "amber for evidence not yet recorded, green for none.",
    )
    return table, counts


def due_table(pack: Pack) -> Table:
    """What is due next: the next conversation (D4's due-date rule,
    :meth:`ConversationCadence.due_conversations`) and the open actions."""
    rows: list[tuple[Cell, ...]] = []
    for due in pack.cadence.due_conversations(pack.day):
        if due.urn != pack.urn:
            continue
        rows.append(
            (
                "next conversation",
                due.due_on.isoformat(),
                "overdue" if due.grace_ends < pack.day else "due",
                f"{due.basis}; overdue after {due.grace_ends.isoformat()}",
            )
        )
    for action, state in _shown_actions(pack):
        if state in ("open", "overdue"):
            rows.append((f"action: {action.description}", action.due_on.isoformat(), state, None))
    return Table(
        name="What is due next",
        columns=["what", "due on", "status", "basis"],
        rows=rows,
        caption=f"As of {pack.day.isoformat()}. The next conversation is due on the date agreed "
        "at the last one, else a year after it (or after the school joined); it is overdue "
        "once the half-term after that date has ended.",
    )
