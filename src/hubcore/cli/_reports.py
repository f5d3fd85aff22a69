"""``hubcore report``, ``hubcore reporters`` and ``hubcore rebuild``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.table import Table

from hubcore._output import write_output
from hubcore.cli._context import AppContext, UsageProblem
from hubcore.cli._params import academic_year, iso_date
from hubcore.cli._per_school import check_school_options, check_urns, write_each_school
from hubcore.cli._session import load_plugins, report_session
from hubcore.reporting import NotRegistered

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
@click.option(
    "--year",
    metavar="YYYY/YY",
    callback=academic_year,
    help="Academic year (default: the year of the latest day any event occurred on).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    callback=iso_date,
    help="The report as the log stood at the end of this day (events recorded by then), to "
    "reproduce one handed in earlier (default: everything known about the year).",
)
@click.option(
    "--urn",
    "urns",
    type=int,
    multiple=True,
    metavar="URN",
    help="Only this school; repeat for several (default: every school).",
)
@click.option(
    "--all-schools",
    "all_schools",
    is_flag=True,
    help="Write the report once per school open in the year, as one file per school in the "
    "folder --out names (DIR/URN.html, ...).",
)
@click.option(
    "--out",
    type=click.Path(allow_dash=True, path_type=Path),
    help="Write to this file instead of standard output (replaced atomically; a FIFO, a "
    "terminal or - is written as a stream); with --all-schools, a folder.",
)
@click.pass_obj
def report_command(
    app: AppContext,
    *,
    name: str,
    fmt: str,
    year: str | None,
    as_of: date | None,
    urns: tuple[int, ...],
    all_schools: bool,
    out: Path | None,
) -> None:
    """Build the report NAME for a year and render it (hubcore reporters lists them).

    A past year's report uses what is known about that year: events dated by its end, and
    later returns for it; the report's first caveat names its basis. A report about one
    school at a time (school) needs --urn, or --all-schools --out DIR."""
    from hubcore.reporting import rich_renderable

    host = load_plugins(app)
    try:  # unknown names fail before any work
        info = host.reporter(name)
        host.renderer(fmt)
    except NotRegistered as error:
        raise UsageProblem(str(error)) from None
    check_school_options(info, urns, all_schools, out)
    with app.open_store(existing=True) as store:
        session = report_session(app, store, host)
        if all_schools and out is not None:
            write_each_school(app, session, name=name, fmt=fmt, year=year, as_of=as_of, out=out)
            return
        if info.per_school:
            check_urns(session, urns, year, as_of)
        summary = session.build(name, year=year, as_of=as_of, urn=urns or None)
    if fmt == "text" and out is None:
        app.out.print(rich_renderable(summary))
        return
    data = session.render(summary, fmt)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
    elif write_output(out, data):
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
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="Processes folding the log's streams (all projections only; POSIX).",
)
@click.pass_obj
def rebuild_command(app: AppContext, name: str | None, workers: int) -> None:
    """Rebuild one projection (or all) from the start of the log, in one pass.

    A rebuild killed part way is resumed by running the same command again.
    """
    from hubcore.reports import ReportSession

    host = load_plugins(app)
    with app.open_store(existing=True) as store:
        projector = ReportSession(store, plugins=host).projector
        if name is not None and name not in projector.names:
            known = ", ".join(projector.names)
            raise UsageProblem(f"no projection named {name!r}; the projections: {known}")
        if name is not None and workers > 1:
            raise UsageProblem("--workers rebuilds every projection; drop it or the name")
        if workers > 1 and app.store_url.startswith("memory:"):
            raise UsageProblem("--workers needs a store other processes can open, not memory://")
        names = [name] if name else projector.names
        with app.progress() as progress:
            progress.add_task(f"rebuilding {len(names)} projection(s) in one pass", total=None)
            if workers > 1:
                projector.rebuild_partitioned(app.store_url, workers=workers)
            else:
                projector.rebuild_all(names)
        head = store.head()
    app.out.print(f"rebuilt {', '.join(names)} up to position {head}")


COMMANDS: list[click.Command] = [report_command, reporters_command, rebuild_command]
