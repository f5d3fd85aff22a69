"""The school pack, against the hand-built history of ``_history.py``.

Ashfield Primary (A): roll 200, LA 901; engaged 10 Sep 2025 (whole-class, CPD, MDP);
conversations 6 Oct 2025 (challenging, next agreed 1 Feb 2026) and 2 Feb 2026 (review, next
agreed 1 Oct 2026); actions a-a1 (due 31 Dec, completed 1 Dec) and a-a2 (due 30 Apr,
completed 10 May); training 20 Nov 2025 (3 h, 4 staff); pupil voice 15 Mar 2026 (30 pupils);
participations 2025/26: whole-class 60, small-group tuition 8, choir 25 = 93; 2024/25:
whole-class 50. The other open primary school of LA 901 is Brook (roll 300): individual
tuition 12, ensemble 20. Elm (LA 901, primary) closed before 2025/26.
"""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.errors import ReporterError
from hubcore.reporting import Context, HubInfo
from hubcore_school import SchoolPackReporter, action_state

from ._helpers import row, rows
from ._history import HUB, YEAR, A, B, C, D

FIRST_ACCESS = "First access (whole class)"


@pytest.fixture(scope="module")
def ashfield(run):
    return run("school", schools=(str(A),))


def test_the_pack_is_about_one_school(ashfield):
    assert ashfield.title == "School pack: Ashfield Primary 2025/26"
    assert ashfield.scope.schools == (str(A),)
    assert ashfield.caveats == ()  # open all year: nothing to say about it
    assert ashfield.leaves_hub
    assert not ashfield.sections
    assert not ashfield.metrics  # the tables tell it (two A4 pages)


def test_engagement_over_every_recorded_year(ashfield):
    assert rows(ashfield, "Engagement by year") == [
        {
            "year": "2024/25", "on roll": 200, "engaged": "no", "conversations": 0,
            "training": 0, "staff trained": 0, "participations": 50, "pupils asked": None,
            "enjoy %": None, "want more %": None,
        },
        {
            "year": "2025/26", "on roll": 200, "engaged": "yes", "conversations": 2,
            "training": 1, "staff trained": 4, "participations": 60 + 8 + 25,
            "pupils asked": 30, "enjoy %": 80.0, "want more %": 60.0,
        },
    ]  # fmt: skip


def test_latest_conversations_newest_first(ashfield):
    found = rows(ashfield, "Latest conversations")
    assert [(r["held on"], r["next agreed for"]) for r in found] == [
        ("2026-02-02", "2026-10-01"),
        ("2025-10-06", "2026-02-01"),
    ]
    assert found[1]["kind and with"] == "Challenging, with Headteacher, Hub adviser"


ACTIONS = "What is due next, and the actions agreed"


def test_actions_with_their_status(ashfield, run):
    found = [(r["what"], r["status"], r["closed on"]) for r in rows(ashfield, ACTIONS)]
    assert found == [
        ("Next conversation (agreed; overdue after 2026-12-18)", "open", None),
        ("Assess composition", "completed", "2026-05-10"),  # the latest closed first
        ("Weekly singing in every class", "completed", "2025-12-01"),
    ]
    brook = run("school", schools=(str(B),))
    # b-a1, due 31 Mar 2026, never completed: overdue at the year's end
    assert row(brook, ACTIONS, what="Plan a music curriculum")["status"] == "overdue"


def test_action_state_on_a_day(projector):
    from hubcore.projections import ActionFollowThrough

    [a1, a2] = projector.get("actions").actions(A)
    assert isinstance(projector.get("actions"), ActionFollowThrough)
    assert action_state(a1, date(2025, 11, 30)) == "open"
    assert action_state(a1, date(2025, 12, 1)) == "completed"
    assert action_state(a2, date(2026, 5, 1)) == "overdue"  # due 30 Apr, done 10 May


def test_what_is_due_next(run):
    brook = run("school", schools=(str(B),))
    due = rows(brook, ACTIONS)
    # next agreed for 15 Jan 2026 at the 12 Nov conversation: overdue once the half-term
    # after it has ended (D4's rule)
    assert [(r["what"][:17], r["agreed on"], r["due on"], r["status"]) for r in due] == [
        ("Next conversation", "2025-11-12", "2026-01-15", "overdue"),
        ("Plan a music curr", "2025-11-12", "2026-03-31", "overdue"),
    ]
    # Dale Special was never talked to: due a year after it was registered (1 Sep 2024)
    dale = run("school", schools=(str(D),))
    first = rows(dale, ACTIONS)[0]
    assert (first["due on"], first["status"]) == ("2025-09-01", "overdue")
    assert first["what"].startswith("Next conversation (no conversation yet")


def test_training(ashfield):
    assert rows(ashfield, "Training for the school's staff") == [
        {
            "held on": "2025-11-20", "topic": "Curriculum progression", "format": "CPD session",
            "hours": 3.0, "staff trained": 4, "delivered by": "Hub staff",
        }
    ]  # fmt: skip


def test_participation_against_its_phase_and_area(ashfield):
    found = {r["programme"]: r for r in rows(ashfield, "Participation by programme")}
    # open primary schools of LA 901: Ashfield (200) and Brook (300) = 500 on roll
    assert list(found) == [FIRST_ACCESS, "Tuition (small group)", "Choir", "All programmes"]
    whole = found[FIRST_ACCESS]
    assert (whole["participations"], whole["per 100 on roll"]) == (60, 30.0)  # 60 / 200
    assert whole["per 100, primary schools of LA 901"] == 12.0  # 60 / 500
    assert found["Choir"]["per 100 on roll"] == 12.5
    every = found["All programmes"]
    assert (every["participations"], every["per 100 on roll"]) == (93, 46.5)
    assert every["per 100, primary schools of LA 901"] == 25.0  # (93 + 32) / 500


def test_small_numbers_are_suppressed(run):
    castle = run("school", schools=(str(C),))
    individual = row(castle, "Participation by programme", programme="Tuition (individual)")
    assert individual["participations"] == "<5"  # 3 pupils
    assert individual["per 100 on roll"] is None
    assert individual["per 100, secondary schools of LA 902"] is None  # Castle alone there
    assert castle.suppressed


def test_the_ofsted_evidence_uses_the_ofsted_reports_statuses(ashfield, run):
    mine = {r["question"]: r["status"] for r in rows(ashfield, "Evidence for Ofsted's questions")}
    ofsted = run("ofsted", schools=(str(A),))
    theirs = {r["question"]: r["status"] for r in rows(ofsted, "Evidence by school and question")}
    assert mine == theirs
    assert mine["Q3"] == "amber"


def test_a_past_year_shows_only_that_year(run):
    earlier = run("school", year="2024/25", schools=(str(A),))
    assert [r["year"] for r in rows(earlier, "Engagement by year")] == ["2024/25"]
    assert rows(earlier, "Latest conversations") == []
    assert [r["what"][:17] for r in rows(earlier, ACTIONS)] == ["Next conversation"]
    found = rows(earlier, "Participation by programme")
    assert [(r["programme"], r["participations"]) for r in found] == [
        (FIRST_ACCESS, 50),
        ("All programmes", 50),
    ]


def test_as_of_reads_actions_and_due_dates_on_that_day(host, projector):
    context = Context(
        source=projector, academic_year=YEAR, hub=HubInfo(HUB, "North Shire Music Hub"),
        schools=(str(A),), as_of=date(2025, 11, 1),
    )  # fmt: skip
    summary = host.run_report("school", context, timeout=None)
    # on 1 Nov 2025 a-a1 (due 31 Dec) was open and a-a2 not yet agreed
    found = [(r["what"], r["status"]) for r in rows(summary, ACTIONS)]
    assert found[1:] == [("Weekly singing in every class", "open")]


def test_several_schools_give_one_section_each(run):
    both = run("school", schools=(str(A), str(B)))
    assert [s.anchor for s in both.sections] == [f"urn-{A}", f"urn-{B}"]
    assert [s.title for s in both.sections] == ["Ashfield Primary", "Brook Primary"]


def test_without_a_school_it_lists_the_schools(run):
    index = run("school")
    assert [r["urn"] for r in rows(index, "Schools")] == [str(u) for u in (A, B, C, D)]
    assert row(index, "Schools", urn=str(B))["overdue actions"] == 1


def test_a_school_not_registered_is_named(run):
    with pytest.raises(ReporterError, match="URN 999999 is not a school registered"):
        run("school", schools=("999999",))


def test_the_reporter_says_it_is_per_school(host):
    assert SchoolPackReporter().per_school
    assert host.reporter("school").per_school


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "html"])
def test_the_pack_renders_in_every_format(host, run, fmt):
    from hubcore.reporting import summary_from_dict

    castle = run("school", schools=(str(C),))
    text = host.render(castle, fmt).decode("utf-8-sig")
    assert "Secondary schools of LA 902".lower() in text.lower()
    assert "Evidence for Ofsted" in text
    assert ("&lt;5" if fmt == "html" else "<5") in text  # its 3 pupils in individual tuition
    if fmt == "json":
        import json

        assert summary_from_dict(json.loads(text)) == castle


# -- a property: the pack's open and overdue actions are the read model's -----------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hubcore.calendar import academic_year_bounds, academic_year_of  # noqa: E402
from hubcore.events import SchoolRegistered  # noqa: E402
from hubcore.testing.strategies import histories  # noqa: E402

from .conftest import projector_for, record, runner  # noqa: E402

_LOGS = histories(schools=(1, 4), years=(1, 2), max_events=50, hub_id=HUB, start_year="2023/24")


@settings(max_examples=20, deadline=None)
@given(_LOGS, st.data())
def test_open_and_overdue_actions_are_the_read_models(host, events, data):
    projector = projector_for(record(events), host)
    run = runner(projector, host)
    urns = sorted({e.urn for e in events if isinstance(e, SchoolRegistered)})
    years = sorted({academic_year_of(e.occurred_on) for e in events})
    urn = data.draw(st.sampled_from(urns), label="urn")
    year = data.draw(st.sampled_from(years), label="year")
    if projector.get("coverage").school(urn, year) is None:
        return  # registered after the year: the pack refuses it (tested above)
    day = academic_year_bounds(year)[1]  # every year of these histories is over
    pack = run("school", year=year, schools=(str(urn),))
    shown = [r for r in rows(pack, ACTIONS) if not r["what"].startswith("Next conversation")]
    model = projector.get("actions")

    def listed(states):
        return sorted((r["what"], r["due on"]) for r in shown if r["status"] in states)

    def expected(actions):
        return sorted((a.description, a.due_on.isoformat()) for a in actions)

    assert listed({"open", "overdue"}) == expected(model.open_actions(day, urn))
    assert listed({"overdue"}) == expected(model.overdue_actions(day, urn))
