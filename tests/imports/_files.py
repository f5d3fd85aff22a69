"""Import files and stores for the importer tests: CSV bytes in any dialect, workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from hubcore.domain import Recorder
from hubcore.events import SchoolRegistered
from hubcore.vocabulary import Phase

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples" / "import"
TODAY = date(2026, 9, 30)
"""Every test imports as if on this day: the academic year 2025/26 is over."""
REGISTERED_ON = date(2025, 9, 1)

SCHOOLS = {
    141021: ("Brookside Primary School", Phase.PRIMARY, "901", 412),
    141187: ("St Aidan\u2019s CofE Primary School", Phase.PRIMARY, "901", 208),
    141305: ("Nordley Park Academy", Phase.SECONDARY, "901", 1104),
    141422: ("\u00c9cole Bilingue Nordley", Phase.PRIMARY, "901", 236),
    142063: ("Westmere Church of England Infant School", Phase.PRIMARY, "902", 174),
    142219: ("Larkfield Primary School", Phase.PRIMARY, "902", 389),
    142350: ("Westmere High School", Phase.SECONDARY, "902", 912),
    142518: ("Oak Lane School", Phase.SPECIAL, "902", 118),
}
"""The schools of docs/examples/import/schools.csv."""


def register_schools(store, urns: Sequence[int] | None = None) -> None:
    """Register the sample schools (or some of them) on :data:`REGISTERED_ON`."""
    recorder = Recorder(store, clock=lambda: TODAY)
    recorder.record_many(
        SchoolRegistered(
            occurred_on=REGISTERED_ON,
            urn=urn,
            name=name,
            phase=phase,
            la_code=la,
            pupils_on_roll=roll,
        )
        for urn, (name, phase, la, roll) in SCHOOLS.items()
        if urns is None or urn in urns
    )


def csv_bytes(
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\r\n",
) -> bytes:
    """Rows as a spreadsheet would save them (the first row is the header)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerows([["" if c is None else str(c) for c in row] for row in rows])
    return out.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with one worksheet per entry (values as given: numbers, dates, formulas)."""
    import openpyxl

    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


REGISTER_HEADER = ["URN", "Programme", "Academic year", "Term", "Pupils", "FSM", "SEND"]


def register_row(
    urn: object = 141021,
    programme: object = "Choir",
    year: object = "2025/26",
    term: object = "Autumn",
    pupils: object = 20,
    fsm: object = 3,
    send: object = 2,
):
    return [urn, programme, year, term, pupils, fsm, send]


def refused(store, run) -> list[tuple[int, str, str]]:
    """The problems ``run()`` raises, checking that it appended nothing."""
    import pytest

    from hubcore import ImportFailed

    head = store.head()
    with pytest.raises(ImportFailed) as caught:
        run()
    assert store.head() == head, "nothing may be appended from a file with problems"
    return caught.value.problems


def events_of(store, cls) -> list:
    """The stored events of type ``cls``, in log order."""
    return [r.event for r in store.read_all() if isinstance(r.event, cls)]
