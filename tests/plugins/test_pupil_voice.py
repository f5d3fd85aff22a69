"""The ``pupil-voice`` report against the hand-worked history of ``_history.py``, with more
pupil voice and the hub's youth consultations added (worked out below)."""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.events import Event, PupilVoiceGathered, YouthConsultationHeld
from hubcore.reporting import PluginHost, Status, Summary
from hubcore.vocabulary import PupilVoiceMethod

from ._helpers import metric, rows
from ._history import HUB, A, B, C, history
from .conftest import Run, projector_for, record, runner

# Open schools 2025/26: A and B (primary), C (secondary), D (special). _history.py already
# has A's survey of 15 Mar 2026: 30 pupils, 80% enjoy, 60% want more, no themes.


def _voice(
    urn: int, on: date, respondents: int, enjoy: float, more: float, *themes: str
) -> PupilVoiceGathered:
    return PupilVoiceGathered(
        occurred_on=on, urn=urn, method=PupilVoiceMethod.SURVEY, respondents=respondents,
        enjoy_pct=enjoy, want_more_pct=more, themes=themes,
    )  # fmt: skip


def _consulted(
    on: date, cid: str, young: int, groups: set[str], *changes: str, other: str | None = None
) -> YouthConsultationHeld:
    return YouthConsultationHeld(
        occurred_on=on, hub_id=HUB, consultation_id=cid, method="pupil_council",
        young_people=young, groups=groups, other_group=other, changes_agreed=changes,
    )  # fmt: skip


EXTRA: list[Event] = [
    _voice(A, date(2024, 11, 1), 50, 10.0, 10.0, "Old theme"),  # 2024/25: not in 2025/26
    _consulted(date(2025, 6, 10), "yc-0", 30, {"youth_panel"}, "Earlier change"),  # 2024/25
    _voice(B, date(2025, 11, 10), 20, 50.0, 90.0, "More drums", "Singing"),
    _voice(A, date(2026, 6, 1), 10, 100.0, 40.0, "more  DRUMS", "Concerts"),
    _voice(C, date(2026, 2, 1), 3, 100.0, 100.0, "Music tech"),
    _consulted(
        date(2025, 10, 20),
        "yc-1",
        12,
        {"youth_panel"},
        "Saturday ensemble moves to the town centre",
        "Add a music tech club",
    ),
    _consulted(date(2026, 5, 5), "yc-2", 4, {"other", "send_pupils"}, other="Young carers"),
]


@pytest.fixture(scope="module")
def voice(host: PluginHost) -> Run:
    return runner(projector_for(record([*history(), *EXTRA]), host), host)


@pytest.fixture(scope="module")
def report(voice: Run) -> Summary:
    return voice("pupil-voice")


def test_what_pupils_said(report):
    # A, B and C gathered pupil voice: 3 of 4 open schools
    assert metric(report, "schools-heard").value == 75.0
    # 30 + 10 (A) + 20 (B) + 3 (C)
    assert metric(report, "respondents").value == 63
    # (80*30 + 100*10 + 50*20 + 100*3) / 63 = 4700 / 63 = 74.60
    assert metric(report, "enjoy").value == 74.6
    # (60*30 + 40*10 + 90*20 + 100*3) / 63 = 4300 / 63 = 68.25
    assert metric(report, "want-more").value == 68.3


def test_by_phase_suppresses_small_groups(report):
    by_phase = {r["phase"]: r for r in rows(report, "By phase")}
    # primary: A and B, 60 pupils; enjoy (2400 + 1000 + 1000) / 60, more (1800+400+1800) / 60
    assert by_phase["Primary"] == {
        "phase": "Primary", "schools heard": 2, "open schools": 2, "respondents": 60,
        "enjoy music": 73.3, "want more music": 66.7,
    }  # fmt: skip
    # secondary: C's 3 pupils are under 5: the count and both shares are withheld
    assert by_phase["Secondary"]["respondents"] == "<5"
    assert by_phase["Secondary"]["enjoy music"] is None
    # special: Dale gathered none: no data, not 0
    assert by_phase["Special"] == {
        "phase": "Special", "schools heard": 0, "open schools": 1, "respondents": None,
        "enjoy music": None, "want more music": None,
    }  # fmt: skip
    assert report.suppressed


def test_themes_by_count(report):
    got = [(r["theme"], r["gatherings"], r["schools"], r["respondents"]) for r in
           rows(report, "Themes")]  # fmt: skip
    # "More drums" (B, November) and "more  DRUMS" (A, June) are one theme, as first
    # written: 2 gatherings, 20 + 10 pupils;
    # then the rest alphabetically; last year's "Old theme" is not there
    assert got == [
        ("More drums", 2, 2, 30),
        ("Concerts", 1, 1, 10),
        ("Music tech", 1, 1, "<5"),
        ("Singing", 1, 1, 20),
    ]


def test_themes_by_phase(report):
    got = [tuple(r.values()) for r in rows(report, "Themes by phase")]
    # primary: A and B; secondary: C (its 3 pupils suppressed)
    assert got == [
        ("Primary", "More drums", 2, 2, 30),
        ("Primary", "Concerts", 1, 1, 10),
        ("Primary", "Singing", 1, 1, 20),
        ("Secondary", "Music tech", 1, 1, "<5"),
    ]


def test_the_hubs_youth_consultations(report):
    assert metric(report, "consultations").value == 2  # yc-0 was in 2024/25
    assert metric(report, "young-people-consulted").value == 16  # 12 + 4
    assert metric(report, "changes-agreed").value == 2
    acted = metric(report, "consultations-acted-on")
    assert acted.value == 50.0  # yc-1 agreed changes, yc-2 none yet
    assert acted.status is Status.AMBER
    held = [tuple(r.values()) for r in rows(report, "Youth consultations")]
    assert held == [
        ("2025-10-20", "yc-1", "Pupil council", "Youth voice panel", 12, 2),
        ("2026-05-05", "yc-2", "Pupil council", "Pupils with SEND; Young carers", "<5", 0),
    ]
    changes = [r["change agreed"] for r in rows(report, "Changes agreed")]
    assert changes == ["Saturday ensemble moves to the town centre", "Add a music tech club"]


def test_the_previous_year_is_its_own(voice):
    last = voice("pupil-voice", year="2024/25")
    # 2024/25: Elm was open until July, so 1 of 5 schools; A's 50 pupils at 10%
    assert metric(last, "schools-heard").value == 20.0
    assert metric(last, "respondents").value == 50
    assert metric(last, "enjoy").value == 10.0
    assert [r["theme"] for r in rows(last, "Themes")] == ["Old theme"]
    assert metric(last, "consultations").value == 1
    assert [r["consultation"] for r in rows(last, "Changes agreed")] == ["yc-0"]


def test_no_pupil_voice_and_no_consultation_is_no_data(run):
    # the shared history has no consultation at all: no data, never 0
    report = run("pupil-voice", year="2024/25")
    for key in ("consultations", "young-people-consulted", "changes-agreed",
                "consultations-acted-on"):  # fmt: skip
        assert metric(report, key).value is None
        assert metric(report, key).status is Status.NO_DATA
    assert metric(report, "respondents").value is None
    assert any("No youth consultation" in c for c in report.caveats)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "html"])
def test_every_format(host: PluginHost, report: Summary, fmt: str):
    data = host.renderer(fmt).renderer.render(report)
    text = data.decode("utf-8-sig")
    for shown in ("yc-2", "Concerts", "Singing"):  # short words: a text table may wrap
        assert shown in text
