"""``hubcore report NAME --urn N`` and ``--all-schools --out DIR``: reports school by school.

A reporter that says it is ``per_school`` (the school pack) needs one of the two; any
report may be written once per school with ``--all-schools``, one file per school open in
the year, named by its URN, each replaced atomically.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hubcore.cli._context import AppContext, UsageProblem, write_atomically

if TYPE_CHECKING:
    from hubcore.reporting import ReporterInfo
    from hubcore.reports import ReportSession

__all__ = ["check_school_options", "check_urns", "write_each_school"]


def check_school_options(
    info: ReporterInfo, urns: tuple[int, ...], all_schools: bool, out: Path | None
) -> None:
    """Refuse, before any work, options that do not go together (exit 2)."""
    if urns and all_schools:
        raise UsageProblem("--urn and --all-schools do not go together: choose one")
    if info.per_school and not urns and not all_schools:
        raise UsageProblem(
            f"report {info.name!r} is about one school at a time: give --urn URN, or "
            "--all-schools --out DIR for every school"
        )
    if all_schools and (out is None or str(out) == "-"):
        raise UsageProblem("--all-schools writes one file per school: give --out DIR")
    if all_schools and out is not None and out.exists() and not out.is_dir():
        raise UsageProblem(
            f"--out {out}: is not a folder (--all-schools writes one file per school)"
        )


def _registered(session: ReportSession, year: str | None, as_of: date | None) -> list[int]:
    from hubcore.projections import Coverage

    coverage = session.context(year=year, as_of=as_of).source.get("coverage")
    return coverage.registered() if isinstance(coverage, Coverage) else []


def check_urns(
    session: ReportSession, urns: tuple[int, ...], year: str | None, as_of: date | None
) -> None:
    """Exit 2 naming the first of ``urns`` that is not a registered school."""
    known = set(_registered(session, year, as_of))
    for urn in urns:
        if urn not in known:
            raise UsageProblem(f"--urn {urn}: no school with URN {urn} is registered")


def write_each_school(
    app: AppContext,
    session: ReportSession,
    *,
    name: str,
    fmt: str,
    year: str | None,
    as_of: date | None,
    out: Path,
) -> None:
    """The report ``name`` for each school open in the year, as ``out/URN.suffix``."""
    from hubcore.projections import Coverage

    context = session.context(year=year, as_of=as_of)
    coverage = context.source.get("coverage")
    urns = coverage.open_schools(context.academic_year) if isinstance(coverage, Coverage) else []
    suffix = session.host.renderer(fmt).suffix
    out.mkdir(parents=True, exist_ok=True)
    with app.progress() as progress:
        task = progress.add_task(f"{name} for {len(urns)} schools", total=len(urns))
        for urn in urns:
            summary = session.build(name, year=context.academic_year, as_of=as_of, urn=urn)
            write_atomically(out / f"{urn}{suffix}", session.render(summary, fmt))
            progress.advance(task)
    app.out.print(
        f"wrote {len(urns)} files to {out} (one per school open in {context.academic_year})"
    )
