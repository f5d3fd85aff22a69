"""``hubcore import schools`` (GIAS CSV) and ``hubcore import events`` (JSON Lines)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import click

from hubcore.cli._context import AppContext
from hubcore.domain import Recorder
from hubcore.events import Event
from hubcore.imports import plan_school_import, read_gias, read_jsonl

_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


@click.group("import")
def import_group() -> None:
    """Import schools from a GIAS export, or events from a JSON Lines file (all or nothing)."""


def _record(app: AppContext, events: list[Event]) -> int:
    """Record ``events`` through the domain rules, all or nothing; returns how many."""
    if not events:
        return 0
    with app.open_store() as store, app.progress() as progress:
        progress.add_task(f"recording {len(events)} events", total=None)
        Recorder(store).record_many(events)
    return len(events)


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
@click.pass_obj
def import_schools(
    app: AppContext,
    file: Path,
    include_independent: bool,
    la_codes: tuple[str, ...],
    registered_on: datetime | None,
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
        events = plan_school_import(
            gias, store, registered_on=registered_on.date() if registered_on else None
        )
    count = _record(app, events)
    kinds = Counter(event.event_type for event in events)
    done = ", ".join(f"{n} {t}" for t, n in sorted(kinds.items())) or "nothing new"
    app.out.print(f"{file.name}: {gias.rows} rows read ({gias.encoding}); appended {count}: {done}")
    for reason, n in sorted(gias.skipped.items()):
        app.out.print(f"  skipped {n}: {reason}")


@import_group.command("events")
@click.argument("file", type=_FILE)
@click.pass_obj
def import_events(app: AppContext, file: Path) -> None:
    """Append the events of a JSON Lines file (one event a line, the codec's JSON form)."""
    events = read_jsonl(file)
    count = _record(app, events)
    app.out.print(f"{file.name}: appended {count} events")


COMMANDS: list[click.Command] = [import_group]
