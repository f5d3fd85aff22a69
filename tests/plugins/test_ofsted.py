"""The ``ofsted`` report against the hand-worked history of ``_history.py``."""

from __future__ import annotations

from hubcore.projections import QUESTIONS, Answer
from hubcore.reporting import Status
from hubcore_ofsted import QUESTION_RULES, judge

from ._helpers import metric, row, rows, table
from ._history import YEAR, A, B, C, D

# Status by school, worked out from the history (see _history.py):
# A: engaged, 2 conversations, impact evaluated; weekly music yes + provision report 7 of 7
#    (they agree); quality judged by observation and pupil work, but A rates itself "strong"
#    while the hub judged its class teaching "needs attention" (Q3 amber: they disagree);
#    aware of guidance; index (30/93)/0.30 = 1.08 and pupil voice -> green on the rest.
# B: engaged but no impact evaluation (Q1 amber); not weekly (Q2 red); quality judged by
#    "none" (Q3 red); awareness unknown (Q4 amber); index (3/32)/0.20 = 0.47 (Q5 red).
# C: disengaged in March (Q1 red); weekly unknown, no provision report (Q2 amber); quality
#    unknown, no judgements (Q3 amber); not aware (Q4 red); index (2/33)/0.10 = 0.61 (Q5 red).
# D: never engaged (Q1 red); nothing else known (Q2-Q5 amber).
EXPECTED = {
    A: ["green", "green", "amber", "green", "green"],
    B: ["amber", "red", "red", "amber", "red"],
    C: ["red", "amber", "amber", "red", "red"],
    D: ["red", "amber", "amber", "amber", "amber"],
}


def test_status_by_school(run):
    summary = run("ofsted")
    got = {int(r[0]): list(r[2:]) for r in table(summary, "Status by school").rows}  # type: ignore[arg-type]
    assert got == EXPECTED  # Elm Primary closed before 2025/26: not listed


def test_share_green_per_question(run):
    summary = run("ofsted")
    for q in QUESTIONS:
        m = metric(summary, f"{q.lower()}-green")
        # 1 of 4 schools (Ashfield), but on Q3 none
        assert m.value == (0.0 if q == "Q3" else 25.0)
        assert m.evidence == 4
        assert m.status is Status.RED  # 25 < 100 - 25
        assert m.target == 100
    assert metric(summary, "schools-all-green").value == 0


def test_evidence_carries_latest_facts_and_dates(run):
    summary = run("ofsted")
    q2 = row(summary, "Evidence by school and question", urn=str(A), question="Q2")
    assert q2["status"] == "green"
    assert "music taught weekly to all classes: yes (2025-10-06)" in q2["evidence"]
    assert "classes with weekly music: 7 of 7 (2026-01-20)" in q2["evidence"]
    assert q2["latest evidence"] == "2026-01-20"
    assert q2["gaps"] is None
    q1 = row(summary, "Evidence by school and question", urn=str(A), question="Q1")
    assert "latest conversation (review): a-c2 (2026-02-02)" in q1["evidence"]
    assert "conversations this year: 2" in q1["evidence"]
    assert q1["latest evidence"] == "2026-06-10"  # the impact evaluation


def test_gaps_to_close_red_first(run):
    summary = run("ofsted")
    gaps = [r for r in rows(summary, "Gaps to close before inspection") if r["urn"] == str(B)]
    # B: Q2 red, Q3 red, Q5 red (under-represented) first, then the amber ones
    assert [(g["question"], g["priority"]) for g in gaps] == [
        ("Q2", "red"),
        ("Q3", "red"),
        ("Q5", "red"),
        ("Q1", "amber"),
        ("Q3", "amber"),
        ("Q4", "amber"),
        ("Q5", "amber"),
    ]
    assert gaps[0]["gap"] == "music is not taught weekly to all classes (the school's report)"
    assert gaps[2]["gap"] == "disadvantaged pupils under-represented (index 0.47)"
    assert gaps[4]["gap"] == "the hub has not judged class teaching"
    assert gaps[6]["gap"] == "no pupil voice gathered this year"
    [a_gap] = [r for r in rows(summary, "Gaps to close before inspection") if r["urn"] == str(A)]
    assert (a_gap["question"], a_gap["priority"]) == ("Q3", "amber")
    assert a_gap["gap"] == (
        "the school's view and the hub's judgement disagree (the school rates itself strong;"
        " the hub judges class teaching needs attention)"
    )
    assert metric(summary, "gaps").value == len(
        table(summary, "Gaps to close before inspection").rows
    )


def test_caveat_counts_schools_without_a_conversation(run):
    summary = run("ofsted")
    assert f"1 of 4 schools have no conversation recorded {YEAR}." in summary.caveats  # Dale


def test_schools_filter_limits_the_report(run):
    summary = run("ofsted", schools=(str(B), "100005", "abc"))
    assert [r[0] for r in table(summary, "Status by school").rows] == [str(B)]
    assert metric(summary, "q1-green").value == 0.0
    assert any("100005" in c for c in summary.caveats)  # closed before the year
    assert any("'abc' is not a URN" in c for c in summary.caveats)


def test_a_year_with_no_open_school_reports_nothing_without_failing(run):
    summary = run("ofsted", year="2023/24")
    assert table(summary, "Status by school").rows == ()
    assert metric(summary, "q1-green").value is None
    assert metric(summary, "q1-green").status is Status.NO_DATA


def test_rules_red_amber_green():
    rule = QUESTION_RULES["Q4"]
    assert judge(Answer("Q4", "t", (), ())) == (Status.GREEN, rule.text, ())
    assert judge(Answer("Q4", "t", (), ("guidance awareness unknown",)))[0] is Status.AMBER
    red = judge(Answer("Q4", "t", (), ("not aware of Ofsted's subject guidance", "x")))
    assert red[0] is Status.RED
    assert red[2] == ("not aware of Ofsted's subject guidance",)
