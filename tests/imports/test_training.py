from __future__ import annotations

from datetime import date

from hubcore.events import TrainingDelivered
from hubcore.imports import import_file
from hubcore.vocabulary import DeliveredBy, Source, TrainingFormat, TrainingTopic

from ._files import EXAMPLES, TODAY, csv_bytes, events_of, refused


def run(store, data, **options):
    return import_file(store, "training", data, name="cpd.csv", today=TODAY, **options)


def trainings(store) -> list[TrainingDelivered]:
    return events_of(store, TrainingDelivered)


def problems_of(store, data) -> list[tuple[int, str, str]]:
    return refused(store, lambda: run(store, data))


def test_the_sample_sheet_imports_once(store):
    assert run(store, EXAMPLES / "training.csv").appended == {"TrainingDelivered": 10}
    assert run(store, EXAMPLES / "training.csv").already == 10
    by_day = {(t.occurred_on, t.urn): t for t in trainings(store)}
    first = by_day[date(2025, 10, 2), 141021]
    network = by_day[date(2026, 1, 22), 142063]
    online = by_day[date(2026, 3, 5), 141422]
    last = by_day[date(2026, 6, 18), 142219]
    assert first == TrainingDelivered(
        occurred_on=date(2025, 10, 2),
        urn=141021,
        topic=TrainingTopic.CURRICULUM_PROGRESSION,
        format=TrainingFormat.CPD_SESSION,
        hours=1.5,
        staff_trained=4,
        delivered_by=DeliveredBy.HUB_STAFF,
        source=Source.HUB_REGISTER,
    )
    assert network.format is TrainingFormat.NETWORK_MEETING
    assert network.hours == 1.5
    assert online.format is TrainingFormat.ONLINE_COURSE
    assert last.format is TrainingFormat.CONSULTANCY
    assert last.topic is TrainingTopic.LEADERSHIP


SIGN_IN = ["Date", "URN", "Name", "Topic", "Hours"]


def test_a_sheet_of_signatures_counts_each_schools_people_per_session(store):
    rows = [
        SIGN_IN,
        ["02/10/2025", 141021, "A Teacher", "Singing", "1.5"],
        ["02/10/2025", 141021, "B Teacher", "Singing", "1.5"],
        ["02/10/2025", 141305, "C Teacher", "Singing", "1.5"],
        ["02/10/2025", 141021, "D Teacher", "Singing", "1.5"],
        ["09/10/2025", 141021, "A Teacher", "Singing", "1.5"],
    ]
    assert run(store, csv_bytes(rows)).appended == {"TrainingDelivered": 3}
    assert sorted((t.urn, t.occurred_on.day, t.staff_trained) for t in trainings(store)) == [
        (141021, 2, 3),
        (141021, 9, 1),
        (141305, 2, 1),
    ]
    stored = repr(list(store.read_all()))
    assert "Teacher" not in stored, "names are never stored"


def test_someone_signing_in_twice_is_a_problem(store):
    rows = [
        SIGN_IN,
        ["02/10/2025", 141021, "A Teacher", "Singing", "1.5"],
        ["02/10/2025", 141021, " a  teacher", "Singing", "1.5"],
    ]
    (problem,) = problems_of(store, csv_bytes(rows))
    assert problem[0] == 3
    assert "same person as line 2" in problem[2]


def test_rows_without_names_are_each_one_person(store):
    rows = [["Date", "URN", "Topic", "Hours"], *[["02/10/2025", 142219, "SEND", "2"]] * 3]
    run(store, csv_bytes(rows))
    (only,) = trainings(store)
    assert only.staff_trained == 3
    assert only.topic is TrainingTopic.INCLUSION_SEND


def test_bad_rows_of_a_count_sheet_are_all_reported(store):
    rows = [
        ["Date", "URN", "Topic", "Hours", "Staff attending", "Delivered by", "Partner"],
        ["31/02/2026", 141021, "Singing", "1", "2", "", ""],
        ["02/10/2025", 141021, "Juggling", "1", "2", "", ""],
        ["02/10/2025", 141021, "Singing", "41", "2", "", ""],
        ["02/10/2025", 141021, "Singing", "1", "0", "", ""],
        ["02/10/2025", 141021, "Singing", "1", "2", "Partner", "bad id!"],
        ["02/10/2025", 141021, "Singing", "1", "2", "", ""],
        ["02/10/2025", 141021, "Singing", "1", "3", "", ""],
        ["02/10/2025", 141000, "Singing", "1", "3", "", ""],
    ]
    problems = problems_of(store, csv_bytes(rows))
    assert [(line, column) for line, column, _ in problems] == [
        (2, "Date"),
        (3, "Topic"),
        (4, "Hours"),
        (5, "Staff attending"),
        (6, "Partner"),
        (8, "file"),
        (9, "URN"),
    ]


def test_a_partner_delivered_session(store):
    rows = [
        ["Date", "URN", "Topic", "Hours", "Staff", "Provider", "Partner id", "Format"],
        ["2025-11-20", 141305, "Composition", "90 mins", "3", "External", "p-001", "Webinar"],
    ]
    run(store, csv_bytes(rows))
    (only,) = trainings(store)
    assert (only.delivered_by, only.partner_id, only.hours, only.format) == (
        DeliveredBy.PARTNER,
        "p-001",
        1.5,
        TrainingFormat.ONLINE_COURSE,
    )
