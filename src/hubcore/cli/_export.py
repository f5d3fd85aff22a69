"""``hubcore export DIR``: the store's events and read models as flat tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from hubcore.cli._context import AppContext
from hubcore.cli._session import load_plugins


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv", "jsonl"]),
    default="parquet",
    show_default=True,
    help="Parquet (typed; needs the 'export' extra), CSV or JSON Lines.",
)
@click.option("--events-only", is_flag=True, help="Leave the read models out.")
@click.pass_obj
def export_command(app: AppContext, directory: Path, fmt: str, events_only: bool) -> None:
    """Write one table per event type and one per read model into DIRECTORY.

    Tables go in DIRECTORY/events/ and DIRECTORY/read_models/, with manifest.json listing
    every table's rows and columns. See docs/export.md.
    """
    from hubcore.export import export
    from hubcore.projections import builtin_projections

    projections: list[Any] = list(builtin_projections())
    if not events_only:
        projections += [info.projection for info in load_plugins(app).projections()]
    with app.open_store(existing=True) as store, app.progress() as progress:
        task = progress.add_task("exporting", total=store.head())
        report = export(
            store,
            directory,
            format=fmt,
            read_models=not events_only,
            projections=projections,
            progress=lambda done, head: progress.update(task, completed=done, total=head),
        )
    for warning in report.warnings:
        app.err.print(f"warning: {warning}")
    events = [t for t in report.tables if t.name.startswith("events/")]
    models = [t for t in report.tables if t.name.startswith("read_models/")]
    rows = sum(t.rows for t in events)
    app.out.print(
        f"exported {rows} events (up to position {report.head}) as {len(events)} {fmt} tables"
        f" and {len(models)} read models into {directory}"
    )


COMMANDS: list[click.Command] = [export_command]
