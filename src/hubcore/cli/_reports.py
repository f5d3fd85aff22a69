"""``hubcore report``, ``hubcore reporters`` and ``hubcore rebuild``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from hubcore.cli._context import AppContext, write_atomically
from hubcore.cli._session import (
    catch_up,
    check_year,
    hub_info,
    latest_year,
    load_plugins,
    projector_for,
)

_FORMATS = ["text", "markdown", "json", "csv", "html"]


@click.command("report")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    help=f"Output format: {', '.join(_FORMATS)}, or one a plugin adds.",
)
@click.option("--year", metavar="YYYY/YY", help="Academic year (default: the latest recorded).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_obj
def report_command(
    app: AppContext, name: str, fmt: str, year: str | None, out: Path | None
) -> None:
    """Build the report NAME for a year and render it (see ``hubcore reporters``)."""
    from hubcore.reporting import Context, rich_renderable

    host = load_plugins(app)
    host.reporter(name)  # unknown names fail before any work
    host.renderer(fmt)
    with app.open_store() as store:
        projector = projector_for(store, host)
        catch_up(app, store, projector)
        context = Context(
            source=projector,
            academic_year=check_year(year) if year else latest_year(store),
            hub=hub_info(store),
        )
        summary = host.run_report(name, context)
    if fmt == "text" and out is None:
        app.out.print(rich_renderable(summary))
        return
    data = host.render(summary, fmt)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomically(out, data)
        app.out.print(f"wrote {out} ({len(data)} bytes)")


@click.command("reporters")
@click.pass_obj
def reporters_command(app: AppContext) -> None:
    """List the installed reporters and output formats, with the plugin of each."""
    host = load_plugins(app)
    reporters = Table(title="reporters")
    for column in ("name", "title", "plugin"):
        reporters.add_column(column)
    for info in host.reporters():
        reporters.add_row(info.name, info.title, info.plugin)
    formats = Table(title="formats")
    for column in ("name", "suffix", "plugin"):
        formats.add_column(column)
    for renderer in host.renderers():
        formats.add_row(renderer.name, renderer.suffix, renderer.plugin)
    app.out.print(reporters)
    app.out.print(formats)


@click.command("rebuild")
@click.argument("name", required=False)
@click.pass_obj
def rebuild_command(app: AppContext, name: str | None) -> None:
    """Rebuild one projection (or all) from the start of the log."""
    host = load_plugins(app)
    with app.open_store() as store:
        projector = projector_for(store, host)
        names = [name] if name else projector.names
        with app.progress() as progress:
            task = progress.add_task("rebuilding", total=len(names))
            for each in names:
                projector.rebuild(each)
                progress.advance(task)
        head = store.head()
    app.out.print(f"rebuilt {', '.join(names)} up to position {head}")


COMMANDS: list[click.Command] = [report_command, reporters_command, rebuild_command]
