"""Year truth: a past year's report does not change when later years are recorded.

For every first-party report and every year ``Y`` of a history, the report built from the
whole log equals the report built from only what is known about ``Y``
(:func:`hubcore.year_truth.year_true`): events dated by ``Y``'s end, and later events that
report on ``Y`` or an earlier year.
"""

from __future__ import annotations

from datetime import timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.errors import ReporterError
from hubcore.events import Event, SchoolClosed, SchoolDetailsUpdated, SchoolEvent, SchoolRegistered
from hubcore.reporting import PluginHost, Summary
from hubcore.testing.strategies import histories
from hubcore.year_truth import reported_year, year_true

from ._history import HUB, TODAY
from .conftest import load_host, projector_for, record, runner

HOST: PluginHost = load_host()
REPORTS = (
    "ofsted", "self-evaluation", "participation", "data-return", "data-return-schools",
    "pupil-voice", "trends", "comparison", "school",
)  # fmt: skip
LOGS = histories(schools=(1, 5), years=(2, 3), max_events=60, hub_id=HUB, start_year="2023/24")


def _reports(events: list[Event], year: str, urns: list[int]) -> dict[str, Summary | str]:
    """Every report, and the school pack of each of ``urns`` (or the error that names a
    school not registered by the year's end)."""
    run = runner(projector_for(record(events), HOST), HOST)
    found: dict[str, Summary | str] = {name: run(name, year=year) for name in REPORTS}
    for urn in urns:
        try:
            found[f"school {urn}"] = run("school", year=year, schools=(str(urn),))
        except ReporterError as error:
            found[f"school {urn}"] = str(error)
    return found


@st.composite
def _with_late_records(draw: st.DrawFn) -> list[Event]:
    """A history in which some returns for a year are made after it: dated in the next
    autumn and moved to the end of the log (where a school's roll has changed since, or the
    school closed, the return stays where it was)."""
    events = draw(LOGS)
    closed = {e.urn for e in events if isinstance(e, SchoolClosed)}
    kept: list[Event] = []
    late: list[Event] = []
    for i, event in enumerate(events):
        year = reported_year(event)
        school = event.urn if isinstance(event, SchoolEvent) else None
        movable = year is not None and school not in closed
        if movable and school is not None:
            movable = not any(
                isinstance(e, SchoolDetailsUpdated) and e.urn == school for e in events[i:]
            )
        if movable and year is not None and draw(st.integers(0, 2)) == 0:
            day = academic_year_bounds(year)[1] + timedelta(days=draw(st.integers(1, 60)))
            late.append(attrs.evolve(event, occurred_on=min(day, TODAY)))
        else:
            kept.append(event)
    return kept + late


def test_every_first_party_report_is_checked() -> None:
    assert {info.name for info in HOST.reporters()} >= set(REPORTS)


@settings(max_examples=25, deadline=None)
@given(_with_late_records(), st.data())
def test_a_past_years_report_uses_only_what_is_known_about_it(events, data):
    years = sorted({academic_year_of(e.occurred_on) for e in events})
    year = data.draw(st.sampled_from(years[:-1] or years), label="year")
    urns = sorted({e.urn for e in events if isinstance(e, SchoolRegistered)})
    whole = _reports(events, year, urns)
    known = _reports(list(year_true(events, year)), year, urns)
    for name in whole:
        assert whole[name] == known[name], name
