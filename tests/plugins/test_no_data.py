"""A figure with no evidence is "no data" in every first-party report: never 0%, red or green.

Swept over three histories: the shared one in a year before anything happened (2023/24:
no school open), a hub with one school and nothing else recorded, and the shared one in
2025/26. The only figures that may stand at 0 on no records are counts of the hub's own
record of what it did itself (a plan published, publicity, training, brokered pairs,
partners, conversations, the roster): there, nothing recorded is the finding.
"""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.events import Event, HubEstablished, SchoolRegistered
from hubcore.reporting import Context, HubInfo, Status, render_markdown, render_text
from hubcore.vocabulary import Phase

from ._history import HUB, YEAR, history
from .conftest import projector_for, record

REPORTS = (
    "self-evaluation",
    "ofsted",
    "participation",
    "data-return",
    "data-return-schools",
    "pupil-voice",
    "trends",
    "comparison",
)
HUBS_OWN_RECORD = {
    "d1-plan", "d2-leader-publicity", "d6-training-hours", "d7-hub-staff-training",
    "d10-school-to-school", "partners", "school-to-school-pairs", "open-schools",
    "conversations-held",
}  # fmt: skip
RAG = {Status.RED, Status.AMBER, Status.GREEN}


def _one_school() -> list[Event]:
    return [
        HubEstablished(
            occurred_on=date(2024, 9, 1), hub_id=HUB, name="North Shire Music Hub",
            lead_organisation="North Shire Council", la_codes={"901"},
        ),
        SchoolRegistered(
            occurred_on=date(2024, 9, 1), urn=100001, name="Ashfield Primary",
            phase=Phase.PRIMARY, la_code="901", pupils_on_roll=200,
        ),
    ]  # fmt: skip


CASES = {
    "before anything": (history, "2023/24"),
    "one school, no records": (_one_school, YEAR),
    "the shared history": (history, YEAR),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def summaries(request, host):
    make, year = CASES[request.param]
    projector = projector_for(record(make()), host)
    context = Context(source=projector, academic_year=year, hub=HubInfo(HUB, "North Shire"))
    return {name: host.run_report(name, context, timeout=None) for name in REPORTS}


def test_no_value_is_no_data(summaries) -> None:
    for name, s in summaries.items():
        for m in s.metrics:
            if m.value is None and not m.suppressed:
                assert m.status is Status.NO_DATA, f"{name} {m.key}: {m.status}"


def test_no_evidence_means_no_figure(summaries) -> None:
    for name, s in summaries.items():
        for m in s.metrics:
            if m.evidence == 0 and m.key not in HUBS_OWN_RECORD:
                assert m.value is None, f"{name} {m.key} = {m.value} on no evidence"
                assert m.status not in RAG, f"{name} {m.key} judged {m.status} on no evidence"
            if m.unit in ("%", "index") and m.value is not None:
                assert m.evidence > 0, f"{name} {m.key}: a share on no evidence"


def test_no_rendering_says_based_on_0_records(summaries) -> None:
    for name, s in summaries.items():
        for render in (render_text, render_markdown):
            text = render(s).decode()
            assert "based on 0 records" not in text, f"{name} as {render.__name__}"
