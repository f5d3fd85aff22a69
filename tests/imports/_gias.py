"""Build GIAS-format CSV bytes for tests (column names as real exports write them)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

DATA = Path(__file__).parent / "data"
CP1252 = DATA / "gias_sample_cp1252.csv"
UTF8BOM = DATA / "gias_sample_utf8bom.csv"

COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "CloseDate",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "PercentageFSM",
]


def row(**values: str) -> dict[str, str]:
    base = {
        "URN": "123456",
        "LA (code)": "901",
        "LA (name)": "Nordley",
        "EstablishmentName": "Larkfield Primary School",
        "TypeOfEstablishment (code)": "1",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": "",
        "CloseDate": "",
        "PhaseOfEducation (name)": "Primary",
        "StatutoryLowAge": "4",
        "StatutoryHighAge": "11",
        "NumberOfPupils": "250",
        "PercentageFSM": "21.5",
    }
    base.update(values)
    return base


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    encoding: str = "cp1252",
    columns: list[str] | None = None,
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns or COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
