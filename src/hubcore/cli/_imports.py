"""``hubcore import KIND FILE``: schools (GIAS), events (JSON Lines) and a hub's own files.

Every import is all or nothing: every problem in the file is listed with its line and
column, and nothing is appended unless there are none. ``--check`` stops before appending.
Importing the same file again appends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from hubcore.cli._context import AppContext
from hubcore.imports import KINDS, ImportReport, Progress, import_file, read_gias, record_planned
from hubcore.imports._settle import planned_events
from hubcore.imports.jsonl import read_jsonl_lines
from hubcore.imports.plan import plan_school_lines

_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
_PROGRESS_FROM = 2_000
"""Plans at least this long show a progress bar (on a terminal)."""

_check_option = click.option(
    "--check", is_flag=True, help="Check the file against the store; append nothing."
)


@click.group("import")
def import_group() -> None:
    """Import a file into the store, all or nothing (every problem is listed first)."""


@contextmanager
def _progress(app: AppContext) -> Iterator[Progress]:
    """A progress callback drawing a bar per stage (on a terminal, for long imports)."""
    with app.progress() as bar:
        tasks: dict[str, Any] = {}

        def advance(stage: str, done: int, of: int) -> None:
            if of < _PROGRESS_FROM:
                return
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = bar.add_task(stage, total=of)
            bar.update(task, completed=done, total=of)

        yield advance


def _summary(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {t}" for t, n in sorted(counts.items())) or "nothing new"


def _print_outcome(
    app: AppContext,
    label: str,
    counts: Mapping[str, int],
    already: int,
    *,
    check: bool,
) -> None:
    total = sum(counts.values())
    verb = "would append" if check else "appended"
    app.out.print(f"{label}: {verb} {total}: {_summary(counts)}")
    if already:
        app.out.print(f"  already in the store (imported before): {already}")
    if check:
        app.out.print("  checked only: nothing was written")


@import_group.command("schools")
@click.argument("file", type=_FILE)
@click.option("--include-independent", is_flag=True, help="Also register independent schools.")
@click.option(
    "--la",
    "la_codes",
    multiple=True,
    metavar="CODE",
    help="Keep only this local authority (3-digit code); repeat for several.",
)
@click.option(
    "--registered-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Roster date for schools GIAS gives no OpenDate (default: today). Set it to the "
    "start of the first year you will record activity for.",
)
@_check_option
@click.pass_obj
def import_schools(  # noqa: PLR0917 (click passes every option positionally)
    app: AppContext,
    file: Path,
    include_independent: bool,
    la_codes: tuple[str, ...],
    registered_on: datetime | None,
    check: bool,
) -> None:
    """Register the open state-funded schools of a GIAS CSV export.

    Windows-1252 and UTF-8 (with or without BOM) are both read. Re-importing the same
    file appends nothing; changed details become SchoolDetailsUpdated; a school now closed
    in GIAS becomes SchoolClosed.
    """
    gias = read_gias(file, include_independent=include_independent, la_codes=la_codes or None)
    for warning in gias.warnings:
        app.err.print(f"warning: {warning}")
    with app.open_store() as store:
        pairs = plan_school_lines(
            gias, store, registered_on=registered_on.date() if registered_on else None
        )
        planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], "schools")
        with _progress(app) as progress:
            counts, already, _ = record_planned(
                store, "schools", planned, source=str(file), check=check, progress=progress
            )
    app.out.print(f"{file.name}: {gias.rows} rows read ({gias.encoding})")
    _print_outcome(app, file.name, counts, already, check=check)
    for reason, n in sorted(gias.skipped.items()):
        app.out.print(f"  skipped {n}: {reason}")


@import_group.command("events")
@click.argument("file", type=_FILE)
@_check_option
@click.pass_obj
def import_events(app: AppContext, file: Path, check: bool) -> None:
    """Append the events of a JSON Lines file (one event a line, the codec's JSON form)."""
    pairs = read_jsonl_lines(file)
    planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], "events")
    with app.open_store() as store, _progress(app) as progress:
        counts, already, _ = record_planned(
            store, "events", planned, source=str(file), check=check, progress=progress
        )
    _print_outcome(app, file.name, counts, already, check=check)


def _print_report(app: AppContext, file: Path, report: ImportReport) -> None:
    for warning in report.warnings:
        app.err.print(f"warning: {warning}")
    where = report.encoding if report.sheet is None else f"sheet {report.sheet!r}"
    app.out.print(f"{file.name}: {report.rows} rows read ({where})")
    _print_outcome(
        app,
        file.name,
        report.appended,
        report.already,
        check=report.checked_only,
    )
    for reason, n in report.skipped.items():
        app.out.print(f"  skipped {n}: {reason}")


def _kind_command(name: str) -> click.Command:
    kind = KINDS[name]

    @click.command(name, help=f"{kind.summary} See docs/importing.md for the columns.")
    @click.argument("file", type=_FILE)
    @click.option(
        "--map",
        "column_map",
        type=_FILE,
        default=None,
        metavar="FILE",
        help="A TOML file naming your columns and words (see docs/importing.md).",
    )
    @click.option("--sheet", default=None, metavar="NAME", help="The worksheet of an .xlsx file.")
    @_check_option
    @click.pass_obj
    def command(
        app: AppContext, file: Path, column_map: Path | None, sheet: str | None, check: bool
    ) -> None:
        with app.open_store() as store, _progress(app) as progress:
            report = import_file(
                store,
                kind,
                file,
                column_map=column_map,
                check=check,
                sheet=sheet,
                progress=progress,
            )
        _print_report(app, file, report)

    return command


for _name in KINDS:
    import_group.add_command(_kind_command(_name))
# The name the DfE's file goes by in the issue tracker and in hubs' own words.
import_group.add_command(_kind_command("send"), name="send-stats")

COMMANDS: list[click.Command] = [import_group]
