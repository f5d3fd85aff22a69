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
from hubcore.reporting import Context, HubInfo, Status
from hubcore_school import SchoolPackReporter, action_state

from ._helpers import metric, row, rows
from ._history import HUB, YEAR, A, B, C, D

FIRST_ACCESS = "First access (whole class)"


@pytest.fixture(scope="module")
def ashfield(run):
    return run("school", schools=(str(A),))


def test_the_pack_is_about_one_school(ashfield):
    assert ashfield.title == "School pack: Ashfield Primary 2025/26"
    assert ashfield.scope.schools == (str(A),)
    assert ashfield.caveats[0] == (
        "URN 100001 · Primary · LA 901 · 200 pupils on roll, 30% disadvantaged; engaged with "
        "the hub at the end of 2025/26."
    )
    assert ashfield.leaves_hub
    assert not ashfield.sections


def test_headline_figures(ashfield):
    assert metric(ashfield, "conversations").value == 2
    assert metric(ashfield, "actions-open").value == 0
    assert metric(ashfield, "actions-overdue").value == 0
    assert metric(ashfield, "staff-trained").value == 4
    assert metric(ashfield, "staff-trained").note == "1 sessions, 3 hours"
    assert metric(ashfield, "participations").value == 60 + 8 + 25
    ofsted = metric(ashfield, "ofsted-green")
    # Q3 is amber: the school rates itself strong, the hub judges class teaching
    # needs attention; the other four are green
    assert (ofsted.value, ofsted.status) == (4, Status.AMBER)


def test_engagement_over_every_recorded_year(ashfield):
    assert rows(ashfield, "Engagement by year") == [
        {
            "year": "2024/25", "engaged at year end": "no", "offer": None, "conversations": 0,
            "training sessions": 0, "staff trained": 0, "participations": 50, "pupil voice": 0,
        },
        {
            "year": "2025/26", "engaged at year end": "yes",
            "offer": "CPD (training for school staff), Music development plan support, "
            f"{FIRST_ACCESS}",
            "conversations": 2, "training sessions": 1, "staff trained": 4,
            "participations": 93, "pupil voice": 1,
        },
    ]  # fmt: skip


def test_latest_conversations_newest_first(ashfield):
    found = rows(ashfield, "Latest conversations")
    assert [(r["held on"], r["kind"], r["next agreed for"]) for r in found] == [
        ("2026-02-02", "Review", "2026-10-01"),
        ("2025-10-06", "Challenging", "2026-02-01"),
    ]
    assert found[1]["with"] == "Headteacher, Hub adviser"


def test_actions_with_their_status(ashfield, run):
    assert [
        (r["action"], r["status"], r["closed on"]) for r in rows(ashfield, "Actions agreed")
    ] == [
        ("Weekly singing in every class", "completed", "2025-12-01"),
        ("Assess composition", "completed", "2026-05-10"),
    ]
    brook = run("school", schools=(str(B),))
    # b-a1, due 31 Mar 2026, never completed: overdue at the year's end
    assert row(brook, "Actions agreed", action="Plan a music curriculum")["status"] == "overdue"
    assert metric(brook, "actions-overdue").value == 1
    assert metric(brook, "actions-overdue").status is Status.RED


def test_action_state_on_a_day(projector):
    from hubcore.projections import ActionFollowThrough

    [a1, a2] = projector.get("actions").actions(A)
    assert isinstance(projector.get("actions"), ActionFollowThrough)
    assert action_state(a1, date(2025, 11, 30)) == "open"
    assert action_state(a1, date(2025, 12, 1)) == "completed"
    assert action_state(a2, date(2026, 5, 1)) == "overdue"  # due 30 Apr, done 10 May


def test_what_is_due_next(ashfield, run):
    assert rows(ashfield, "What is due next") == [
        {
            "what": "next conversation", "due on": "2026-10-01", "status": "due",
            "basis": "agreed; overdue after 2026-12-18",
        }
    ]  # fmt: skip
    brook = run("school", schools=(str(B),))
    due = rows(brook, "What is due next")
    assert [(r["what"], r["due on"], r["status"]) for r in due] == [
        ("next conversation", "2026-01-15", "overdue"),
        ("action: Plan a music curriculum", "2026-03-31", "overdue"),
    ]
    # Dale Special was never talked to: due a year after it was registered (1 Sep 2024)
    dale = run("school", schools=(str(D),))
    first = rows(dale, "What is due next")[0]
    assert (first["due on"], first["status"]) == ("2025-09-01", "overdue")
    assert first["basis"].startswith("no conversation yet")


def test_training_and_pupil_voice(ashfield):
    assert rows(ashfield, "Training for the school's staff") == [
        {
            "held on": "2025-11-20", "topic": "Curriculum progression", "format": "CPD session",
            "hours": 3.0, "staff trained": 4, "delivered by": "Hub staff",
        }
    ]  # fmt: skip
    [voice] = rows(ashfield, "Pupil voice")
    assert (voice["pupils"], voice["enjoy music %"], voice["want more %"]) == (30, 80.0, 60.0)


def test_participation_against_its_phase_and_area(ashfield):
    found = {r["programme"]: r for r in rows(ashfield, "Participation by programme")}
    # open primary schools of LA 901: Ashfield (200) and Brook (300) = 500 on roll
    whole = found[FIRST_ACCESS]
    assert whole["participations"] == 60
    assert whole["per 100 on roll"] == 30.0  # 60 / 200
    assert whole["primary schools in LA 901"] == 60
    assert whole["their rate per 100 (LA 901)"] == 12.0  # 60 / 500
    assert whole["rate per 100, all primary schools"] == 12.0
    # a programme only Brook has: the school's cells are empty, not 0
    individual = found["Tuition (individual)"]
    assert individual["participations"] is None
    assert individual["per 100 on roll"] is None
    assert individual["their rate per 100 (LA 901)"] == 2.4  # 12 / 500
    assert found["Choir"]["per 100 on roll"] == 12.5


def test_small_numbers_are_suppressed(run):
    castle = run("school", schools=(str(C),))
    individual = row(castle, "Participation by programme", programme="Tuition (individual)")
    assert individual["participations"] == "<5"  # 3 pupils
    assert individual["per 100 on roll"] is None
    assert individual["their rate per 100 (LA 902)"] is None
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
    assert rows(earlier, "Actions agreed") == []
    assert metric(earlier, "participations").value == 50


def test_as_of_reads_actions_and_due_dates_on_that_day(host, projector):
    context = Context(
        source=projector, academic_year=YEAR, hub=HubInfo(HUB, "North Shire Music Hub"),
        schools=(str(A),), as_of=date(2025, 11, 1),
    )  # fmt: skip
    summary = host.run_report("school", context, timeout=None)
    # on 1 Nov 2025 a-a1 (due 31 Dec) was open and a-a2 not yet agreed
    assert [(r["action"], r["status"]) for r in rows(summary, "Actions agreed")] == [
        ("Weekly singing in every class", "open")
    ]
    assert metric(summary, "actions-open").value == 1


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
    assert "URN 100003" in text
    assert ("&lt;5" if fmt == "html" else "<5") in text  # its 3 pupils in individual tuition
    if fmt == "json":
        import json

        assert summary_from_dict(json.loads(text)) == castle
