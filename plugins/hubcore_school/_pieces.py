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
    QUESTIONS,
    ActionFollowThrough,
    ActionStatus,
    ConversationCadence,
    Coverage,
    InspectionEvidence,
    ParticipationBreadth,
    Ratio,
    SchoolFacts,
)
from hubcore.reporting import Cell, Suppressor, Table, label
from hubcore.vocabulary import ParticipationProgramme
from hubcore_ofsted import evidence_text, judge
from hubcore_school._story import SchoolStory, VoiceNote

__all__ = [
    "CLOSED_ACTIONS",
    "LAST_CONVERSATIONS",
    "Pack",
    "action_state",
    "actions_table",
    "conversations_table",
    "engagement_table",
    "ofsted_table",
    "participation_table",
    "training_table",
]

LAST_CONVERSATIONS = 2
"""How many of the school's latest conversations the pack lists."""

CLOSED_ACTIONS = 3
"""How many of the actions completed or withdrawn the pack lists (the latest closed)."""

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


def _voice_of(voice: list[VoiceNote], hide: Suppressor) -> tuple[Cell, Cell, Cell]:
    """Pupils asked, and the shares enjoying music and wanting more weighted by respondents
    (blank when none were asked, or fewer than the suppression threshold)."""
    asked = sum(v.respondents for v in voice)
    if not asked:
        return None, None, None
    shown = hide(asked)
    if isinstance(shown, str):
        return shown, None, None
    enjoy = sum(v.enjoy_pct * v.respondents for v in voice) / asked
    more = sum(v.want_more_pct * v.respondents for v in voice) / asked
    return shown, round(enjoy, 1), round(more, 1)


def engagement_table(pack: Pack) -> Table:
    """One row per recorded year: the school's roll, its engagement at the year's end, what
    the hub did with it, its participations and what its pupils said."""
    rows: list[tuple[Cell, ...]] = []
    conversations = pack.story.conversations(pack.urn, pack.year)
    training = pack.story.training(pack.urn, pack.year)
    voice = pack.story.voice(pack.urn, pack.year)
    for year in _years(pack):
        sessions = [t for t in training if _in_year(t.held_on, year)]
        totals = pack.participation.totals(year, urn=pack.urn)
        facts = pack.coverage.school(pack.urn, year)
        rows.append(
            (
                year,
                None if facts is None else facts.pupils_on_roll,
                _YES_NO[pack.coverage.engaged_at_end(pack.urn, year)],
                sum(1 for c in conversations if _in_year(c.held_on, year)),
                len(sessions),
                sum(t.staff_trained for t in sessions),
                pack.hide(totals.pupils) if totals.records else None,
                *_voice_of([v for v in voice if _in_year(v.held_on, year)], pack.hide),
            )
        )
    themes = next((v for v in reversed(voice) if v.themes), None)
    said = (
        ""
        if themes is None
        else f" Pupils' latest themes ({themes.held_on.isoformat()}): {'; '.join(themes.themes)}."
    )
    return Table(
        name="Engagement by year",
        columns=[
            "year",
            "on roll",
            "engaged",
            "conversations",
            "training",
            "staff trained",
            "participations",
            "pupils asked",
            "enjoy %",
            "want more %",
        ],
        rows=rows,
        caption=f"Engaged at the year's end; training sessions; pupil voice weighted by "
        f"respondents, blank from under {pack.hide.threshold}.{said}",
    )


def conversations_table(pack: Pack) -> Table:
    """The school's latest conversations, newest first."""
    notes = pack.story.conversations(pack.urn, pack.year)[-LAST_CONVERSATIONS:]
    rows = [
        (
            c.held_on.isoformat(),
            f"{label(c.kind)}, with {_words(c.participants) or 'no one recorded'}",
            "; ".join(f"{label(a)}: {label(g)}" for a, g in c.judgements) or None,
            None if c.next_due_on is None else c.next_due_on.isoformat(),
        )
        for c in reversed(notes)
    ]
    return Table(
        name="Latest conversations",
        columns=["held on", "kind and with", "hub's judgements", "next agreed for"],
        rows=rows,
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


def _next_conversation(pack: Pack) -> tuple[Cell, ...] | None:
    """The school's next conversation (D4's due-date rule,
    :meth:`ConversationCadence.due_conversations`) as a row of the actions table."""
    for due in pack.cadence.due_conversations(pack.day):
        if due.urn == pack.urn:
            last = None if due.last_held_on is None else due.last_held_on.isoformat()
            state = "overdue" if due.grace_ends < pack.day else "open"
            what = f"Next conversation ({due.basis}; overdue after {due.grace_ends.isoformat()})"
            return (what, "Hub", last, due.due_on.isoformat(), state, None)
    return None


def actions_table(pack: Pack) -> Table:
    """What is due next, and the actions agreed with the school with where each stands: the
    next conversation first, then open actions by due date, then closed ones."""
    rows: list[tuple[Cell, ...]] = []
    following = _next_conversation(pack)
    if following is not None:
        rows.append(following)
    actions = _shown_actions(pack)
    live = sorted((a for a in actions if a[1] in ("open", "overdue")), key=lambda a: a[0].due_on)
    done = [a for a in actions if a[1] not in ("open", "overdue")]
    done.sort(key=lambda a: a[0].completed_on or a[0].withdrawn_on or a[0].due_on)
    shown = live + done[::-1][:CLOSED_ACTIONS]
    for action, state in shown:
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
        name="What is due next, and the actions agreed",
        columns=["what", "owner", "agreed on", "due on", "status", "closed on"],
        rows=rows,
        caption=f"Status on {pack.day.isoformat()}: every open action (agreed in {pack.year}, or "
        f"earlier and still open when it began), then the last {CLOSED_ACTIONS} closed. A "
        "conversation is overdue once the half-term after its due date ends.",
    )


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
    for programme in (*ParticipationProgramme, None):
        own = model.totals(year, programme, urn=pack.urn)
        if not own.records:
            continue
        rows.append(
            (
                "All programmes" if programme is None else label(programme),
                hide(own.pupils),
                _rate(model.rate(year, programme, urn=pack.urn), hide),
                _rate(model.rate(year, programme, phase=school.phase, la=school.la_code), hide),
            )
        )
    phase = label(school.phase).lower()
    return Table(
        name="Participation by programme",
        columns=[
            "programme",
            "participations",
            "per 100 on roll",
            f"per 100, {phase} schools of LA {school.la_code}",
        ],
        rows=rows,
        caption=f"{year}; participations, not pupils; rates on counts under {hide.threshold} "
        "left blank.",
    )


def ofsted_table(pack: Pack) -> Table:
    """The school's evidence for Ofsted's five questions, with the ofsted report's status
    rules."""
    rows = []
    for answer in pack.evidence.evidence(pack.urn, pack.year).answers:
        status, _, _ = judge(answer)
        text, _ = evidence_text(answer.facts)
        rows.append((answer.question, status.value, text, "; ".join(answer.gaps) or None))
    questions = "; ".join(f"{q}: {text}" for q, text in QUESTIONS.items())
    return Table(
        name="Evidence for Ofsted's questions",
        columns=["question", "status", "evidence", "gaps"],
        rows=rows,
        caption=f"{questions}. Statuses by the ofsted report's rules; grades are the hub's own.",
    )
