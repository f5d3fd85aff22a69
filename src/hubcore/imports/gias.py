"""Read a Get Information About Schools (GIAS) CSV export into school records.

Real exports are Windows-1252; some are UTF-8 with a byte-order mark. The encoding is
detected (BOM -> ``utf-8-sig``; else strict UTF-8; else ``cp1252``) and reported in
:attr:`GiasFile.encoding`, so curly apostrophes (U+2019) come out right either way.

Which rows are kept
-------------------
* ``EstablishmentStatus (name)``: ``Open`` and ``Open, but proposed to close`` are open
  schools; ``Closed`` rows are kept apart (:attr:`GiasFile.closed`) so a registered school
  can be closed; ``Proposed to open`` rows are skipped (not open yet). Any other status is a
  problem.
* State-funded schools only: ``EstablishmentTypeGroup (name)`` one of *Local authority
  maintained schools*, *Academies*, *Free Schools*, *Special schools*. *Independent
  schools* (type codes 10, 11) only with ``include_independent=True``. Other groups
  (colleges, universities, Welsh schools, ...) are skipped. Without the group column the
  type name decides.
* ``la_codes``: only rows whose ``LA (code)`` is one of the hub's own areas.

Skipped rows are counted in :attr:`GiasFile.skipped`, never checked further.

Phase mapping
-------------
=========================================================== =========================
GIAS                                                        :class:`~hubcore.vocabulary.Phase`
=========================================================== =========================
type name containing "special" (Community special school,   ``special``
Foundation special school, Academy special converter /
sponsor led, Free schools special, Non-maintained special
school, Other independent special school) -- any phase
Pupil referral unit, Academy alternative provision          ``alternative_provision``
converter / sponsor led, Free schools alternative
provision -- any phase
PhaseOfEducation ``Nursery``                                ``nursery``
``Primary``                                                 ``primary``
``Middle deemed primary``, ``Middle deemed secondary``      ``middle``
``Secondary``                                               ``secondary``
``All-through``                                             ``all_through``
``16 plus``                                                 ``post_16``
``Not applicable`` (other types): from the statutory ages   ``primary`` (high age <= 11),
                                                            ``secondary`` (low age >= 11),
                                                            else ``all_through``
=========================================================== =========================

The type wins over the phase for special and alternative-provision types, as the DfE school
census counts them. Other columns: ``NumberOfPupils`` -> ``pupils_on_roll`` (required for
an open school: a blank is a problem, never a silent 0); ``PercentageFSM`` ->
``disadvantaged_pct`` (blank -> ``None``); ``OpenDate`` / ``CloseDate`` (``DD-MM-YYYY``,
as GIAS writes them; ISO dates are accepted too).

Bad input is all-or-nothing: every bad row is listed as ``(line, column, reason)`` (the
header is line 1), up to :data:`~hubcore.imports._problems.MAX_PROBLEMS`, in one
:class:`~hubcore.ImportFailed`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from hubcore._characters import ascii_digits
from hubcore.imports._problems import FILE, MAX_PROBLEMS, Problems, Source, read_source
from hubcore.imports._table import read_table
from hubcore.vocabulary import Phase

__all__ = [
    "REQUIRED_COLUMNS",
    "GiasClosure",
    "GiasFile",
    "GiasSchool",
    "read_gias",
]

URN = "URN"
LA_CODE = "LA (code)"
NAME = "EstablishmentName"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
TYPE = "TypeOfEstablishment (name)"
PUPILS = "NumberOfPupils"
GROUP = "EstablishmentTypeGroup (name)"
FSM = "PercentageFSM"
OPEN_DATE = "OpenDate"
CLOSE_DATE = "CloseDate"
LOW_AGE = "StatutoryLowAge"
HIGH_AGE = "StatutoryHighAge"

REQUIRED_COLUMNS: tuple[str, ...] = (URN, LA_CODE, NAME, STATUS, PHASE, TYPE, PUPILS)
"""Columns a GIAS file must have (exact GIAS header names)."""

_USED = {GROUP, FSM, OPEN_DATE, CLOSE_DATE, LOW_AGE, HIGH_AGE, *REQUIRED_COLUMNS}

# Columns of real GIAS exports that hubcore does not use: ignored without a warning.
_KNOWN_UNUSED = {
    "LA (name)",
    "EstablishmentNumber",
    "TypeOfEstablishment (code)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentStatus (code)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "PhaseOfEducation (code)",
    "Boarders (code)",
    "Boarders (name)",
    "NurseryProvision (name)",
    "OfficialSixthForm (code)",
    "OfficialSixthForm (name)",
    "Gender (code)",
    "Gender (name)",
    "ReligiousCharacter (code)",
    "ReligiousCharacter (name)",
    "ReligiousEthos (name)",
    "Diocese (code)",
    "Diocese (name)",
    "AdmissionsPolicy (code)",
    "AdmissionsPolicy (name)",
    "SchoolCapacity",
    "SpecialClasses (code)",
    "SpecialClasses (name)",
    "CensusDate",
    "NumberOfBoys",
    "NumberOfGirls",
    "FSM",
    "TrustSchoolFlag (code)",
    "TrustSchoolFlag (name)",
    "Trusts (code)",
    "Trusts (name)",
    "SchoolSponsorFlag (name)",
    "SchoolSponsors (name)",
    "FederationFlag (name)",
    "Federations (code)",
    "Federations (name)",
    "UKPRN",
    "FEHEIdentifier",
    "FurtherEducationType (name)",
    "OfstedLastInsp",
    "OfstedRating (name)",
    "LastChangedDate",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    "GOR (code)",
    "GOR (name)",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "AdministrativeWard (code)",
    "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)",
    "UrbanRural (code)",
    "UrbanRural (name)",
    "GSSLACode (name)",
    "Easting",
    "Northing",
    "MSOA (name)",
    "MSOA (code)",
    "LSOA (name)",
    "LSOA (code)",
    "SENPRU (name)",
    "Country (name)",
    "UPRN",
    "SiteName",
    "PreviousLA (code)",
    "PreviousLA (name)",
    "PreviousEstablishmentNumber",
    "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity",
    "SenUnitOnRoll",
    "SenUnitCapacity",
    "InspectorateName (name)",
    "Section41Approved (name)",
}

_OPEN = {"Open", "Open, but proposed to close"}
_CLOSED = "Closed"
_NOT_YET = "Proposed to open"
_STATE_GROUPS = {
    "Local authority maintained schools",
    "Academies",
    "Free Schools",
    "Special schools",
}
_INDEPENDENT_GROUP = "Independent schools"
_STATE_TYPES = {
    "Community school",
    "Voluntary aided school",
    "Voluntary controlled school",
    "Foundation school",
    "Community special school",
    "Foundation special school",
    "Non-maintained special school",
    "Pupil referral unit",
    "LA nursery school",
    "Academy sponsor led",
    "Academy converter",
    "Academy special sponsor led",
    "Academy special converter",
    "Academy alternative provision converter",
    "Academy alternative provision sponsor led",
    "Academy 16-19 converter",
    "Academy 16 to 19 sponsor led",
    "Free schools",
    "Free schools special",
    "Free schools alternative provision",
    "Free schools 16 to 19",
    "University technical college",
    "Studio schools",
}
_INDEPENDENT_TYPES = {
    "Other independent school",
    "Other independent special school",
    "City technology college",
}
_PHASES = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE,
    "middle deemed secondary": Phase.MIDDLE,
    "secondary": Phase.SECONDARY,
    "all-through": Phase.ALL_THROUGH,
    "all through": Phase.ALL_THROUGH,
    "16 plus": Phase.POST_16,
}
_NOT_APPLICABLE = "not applicable"
_URN = re.compile(r"^[0-9]{6}$")
_LA = re.compile(r"^[0-9]{3}$")
_PERCENT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?")  # ASCII digits only, matched whole
_NAME_MAX = 200


@attrs.frozen(kw_only=True)
class GiasSchool:
    """An open school from a GIAS file, in hubcore's terms."""

    line: int
    urn: int
    name: str
    la_code: str
    phase: Phase
    pupils_on_roll: int
    disadvantaged_pct: float | None
    open_date: date | None
    independent: bool = False


@attrs.frozen(kw_only=True)
class GiasClosure:
    """A school GIAS lists as closed (``close_date`` None when GIAS gives none)."""

    line: int
    urn: int
    name: str
    la_code: str
    close_date: date | None


@attrs.frozen(kw_only=True)
class GiasFile:
    """A parsed GIAS export: the schools kept, the closures, and what was skipped."""

    source: str
    encoding: str
    """``"utf-8-sig"``, ``"utf-8"``, ``"cp1252"`` or ``"mixed"`` (UTF-8 with some lines in
    Windows-1252, each read in its own encoding; :attr:`warnings` names them)."""
    schools: tuple[GiasSchool, ...]
    closed: tuple[GiasClosure, ...]
    skipped: Mapping[str, int] = attrs.field(eq=False, factory=dict)
    """Rows left out by reason (e.g. ``"independent school"``): counts."""
    warnings: tuple[str, ...] = ()
    rows: int = 0
    """Data rows read (every row below the header)."""


def _parse_date(text: str) -> date:
    for pattern in (r"^([0-9]{2})[-/]([0-9]{2})[-/]([0-9]{4})$",):
        match = re.match(pattern, text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return date.fromisoformat(text)


class _Row:
    """One data row being checked; records problems against its line."""

    def __init__(self, values: dict[str, str], line: int, problems: Problems) -> None:
        self.values = values
        self.line = line
        self.problems = problems
        self.ok = True

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def bad(self, column: str, reason: str) -> None:
        self.ok = False
        self.problems.add(self.line, column, reason)

    def urn(self) -> int:
        text = self.get(URN)
        if not _URN.match(text) or int(text) < 100000:
            self.bad(URN, f"must be a 6-digit URN, got {text!r}")
            return 0
        return int(text)

    def la_code(self) -> str:
        text = self.get(LA_CODE)
        if not _LA.match(text):
            self.bad(LA_CODE, f"must be a 3-digit local authority code, got {text!r}")
        return text

    def name(self) -> str:
        text = " ".join(self.get(NAME).split())
        if not text:
            self.bad(NAME, "is blank")
        elif len(text) > _NAME_MAX:
            self.bad(NAME, f"is {len(text)} characters; at most {_NAME_MAX} allowed")
        return text

    def optional_date(self, column: str) -> date | None:
        text = self.get(column)
        if not text:
            return None
        try:
            return _parse_date(text)
        except ValueError:
            self.bad(column, f"is not a date (DD-MM-YYYY), got {text!r}")
            return None

    def age(self, column: str) -> int | None:
        text = self.get(column)
        return int(text) if ascii_digits(text) else None

    def phase(self, type_name: str) -> Phase:
        lowered = type_name.lower()
        if "special" in lowered:
            return Phase.SPECIAL
        if "alternative provision" in lowered or lowered == "pupil referral unit":
            return Phase.ALTERNATIVE_PROVISION
        text = self.get(PHASE)
        phase = _PHASES.get(text.lower())
        if phase is not None:
            return phase
        if text.lower() == _NOT_APPLICABLE:
            low, high = self.age(LOW_AGE), self.age(HIGH_AGE)
            if high is not None and high <= 11:
                return Phase.PRIMARY
            if low is not None and low >= 11:
                return Phase.SECONDARY
            if low is not None and high is not None:
                return Phase.ALL_THROUGH
            self.bad(
                PHASE,
                f"'Not applicable' for a {type_name!r} and no statutory ages to decide from",
            )
            return Phase.PRIMARY
        self.bad(PHASE, f"unknown phase {text!r}")
        return Phase.PRIMARY

    def pupils(self) -> int:
        text = self.get(PUPILS).replace(",", "")
        if not text:
            self.bad(PUPILS, "is blank for an open school (pupil numbers are required)")
            return 0
        if not ascii_digits(text):
            self.bad(PUPILS, f"must be a whole number, got {text!r}")
            return 0
        return int(text)

    def fsm(self) -> float | None:
        text = self.get(FSM).rstrip("%").strip()
        if not text:
            return None
        try:
            if not _PERCENT.fullmatch(text):
                raise ValueError(text)
            value = float(text)
        except ValueError:
            self.bad(FSM, f"must be a percentage, got {text!r}")
            return None
        if not 0 <= value <= 100:
            self.bad(FSM, f"must be between 0 and 100, got {text!r}")
            return None
        return value


def _scope(row: _Row, has_group: bool) -> str | None:
    """``"state"``, ``"independent"`` or ``None`` (a type hubcore does not cover)."""
    if has_group and row.get(GROUP):
        group = row.get(GROUP)
        if group in _STATE_GROUPS:
            return "state"
        return "independent" if group == _INDEPENDENT_GROUP else None
    type_name = row.get(TYPE)
    if type_name in _STATE_TYPES:
        return "state"
    return "independent" if type_name in _INDEPENDENT_TYPES else None


def _check_header(header: list[str], problems: Problems) -> list[str]:
    cleaned = [name.strip() for name in header]
    seen: set[str] = set()
    for name in cleaned:
        if name in seen and name in _USED:
            problems.add(1, name, "column appears more than once")
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.add(1, name, "required column is missing")
    problems.raise_if_any()
    return cleaned


def _unknown_columns_warning(header: list[str]) -> list[str]:
    unknown = [c for c in header if c and c not in _USED and c not in _KNOWN_UNUSED]
    if not unknown:
        return []
    shown = ", ".join(repr(c) for c in unknown[:10])
    more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
    return [f"ignored {len(unknown)} column(s) hubcore does not know: {shown}{more}"]


def read_gias(
    source: Source,
    *,
    include_independent: bool = False,
    la_codes: Iterable[str] | None = None,
    name: str | None = None,
    today: date | None = None,
    max_problems: int = MAX_PROBLEMS,
) -> GiasFile:
    """Parse a GIAS CSV export (a path or its bytes), all or nothing.

    ``la_codes`` keeps only those local authorities; ``include_independent`` keeps
    independent schools too; ``today`` (default :meth:`date.today`) caps close dates.
    Raises :class:`~hubcore.ImportFailed` listing every bad row.
    """
    data, label = read_source(source, name)
    problems = Problems(label, max_problems)
    wanted_las: set[str] | None = None
    if la_codes is not None:
        wanted_las = set(la_codes)
        for code in sorted(wanted_las):
            if not isinstance(code, str) or not _LA.match(code):
                problems.add(0, "la_codes", f"not a 3-digit local authority code: {code!r}")
        problems.raise_if_any()
    table = read_table(data, label, problems, delimiters=",", allow_utf16=False)
    day = today or date.today()
    if not table.records:
        problems.raise_if_any()
        raise problems.fail(1, FILE, "the file is empty")
    header, *records = table.records
    columns = _check_header(list(header.cells), problems)
    warnings = [*table.warnings, *_unknown_columns_warning(columns)]
    has_group = GROUP in columns
    width = len(columns)
    truncated = table.truncated
    schools: list[GiasSchool] = []
    closed: list[GiasClosure] = []
    skipped: dict[str, int] = {}
    first_line: dict[int, int] = {}
    rows = len(records)
    for index, found in enumerate(records):
        start, record = found.line, found.cells
        if len(record) != width:
            if truncated and index == rows - 1 and len(record) < width:
                problems.add(
                    start,
                    FILE,
                    f"has {len(record)} of {width} fields: the last line is cut short"
                    " (the file looks truncated)",
                )
            else:
                problems.add(start, FILE, f"has {len(record)} fields, expected {width}")
            continue
        row = _Row(dict(zip(columns, record, strict=True)), start, problems)
        _read_row(
            row,
            has_group=has_group,
            include_independent=include_independent,
            wanted_las=wanted_las,
            today=day,
            schools=schools,
            closed=closed,
            skipped=skipped,
            first_line=first_line,
        )
    if rows == 0 and not problems:
        raise problems.fail(2, FILE, "no school rows: the file has only a header")
    problems.raise_if_any()
    for closure in closed:
        if closure.close_date is None:
            warnings.append(
                f"line {closure.line}: URN {closure.urn} is closed but has no CloseDate;"
                " the import date is used"
            )
    return GiasFile(
        source=label,
        encoding=table.encoding,
        schools=tuple(schools),
        closed=tuple(closed),
        skipped=skipped,
        warnings=tuple(warnings),
        rows=rows,
    )


def _skip(skipped: dict[str, int], reason: str) -> None:
    skipped[reason] = skipped.get(reason, 0) + 1


def _read_row(
    row: _Row,
    *,
    has_group: bool,
    include_independent: bool,
    wanted_las: set[str] | None,
    today: date,
    schools: list[GiasSchool],
    closed: list[GiasClosure],
    skipped: dict[str, int],
    first_line: dict[int, int],
) -> None:
    status = row.get(STATUS)
    if status == _NOT_YET:
        _skip(skipped, "proposed to open")
        return
    if status not in _OPEN and status != _CLOSED:
        row.bad(STATUS, f"unknown status {status!r}")
        return
    la_code = row.la_code()
    if not row.ok:
        return
    if wanted_las is not None and la_code not in wanted_las:
        _skip(skipped, "another local authority")
        return
    scope = _scope(row, has_group)
    if scope is None:
        _skip(skipped, "not a school type hubcore covers")
        return
    if scope == "independent" and not include_independent:
        _skip(skipped, "independent school")
        return
    urn = row.urn()
    if row.ok:
        if urn in first_line:
            row.bad(URN, f"URN {urn} already appears on line {first_line[urn]}")
            return
        first_line[urn] = row.line
    name = row.name()
    if status == _CLOSED:
        close_date = row.optional_date(CLOSE_DATE)
        if close_date is not None and close_date > today:
            close_date = today
        if row.ok:
            closed.append(
                GiasClosure(
                    line=row.line, urn=urn, name=name, la_code=la_code, close_date=close_date
                )
            )
        return
    phase = row.phase(row.get(TYPE))
    pupils = row.pupils()
    fsm = row.fsm()
    open_date = row.optional_date(OPEN_DATE)
    if row.ok:
        schools.append(
            GiasSchool(
                line=row.line,
                urn=urn,
                name=name,
                la_code=la_code,
                phase=phase,
                pupils_on_roll=pupils,
                disadvantaged_pct=fsm,
                open_date=open_date,
                independent=scope == "independent",
            )
        )
