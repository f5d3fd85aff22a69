"""``hubcore demo``: a realistic synthetic hub, its projections and every report."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import click

from hubcore.calendar import academic_year_bounds, academic_year_of, previous_academic_year
from hubcore.cli._context import AppContext, write_atomically
from hubcore.cli._session import load_plugins, report_session
from hubcore.errors import HubcoreError

DEMO_BATCH = 200_000
"""Events the demo generates, checks and appends (in one transaction) at a time: memory
holds one batch, not the whole history."""


@click.command("demo")
@click.option(
    "--schools",
    type=click.IntRange(1, 30_000),
    default=300,
    show_default=True,
    help="Open schools in the hub at the start.",
)
@click.option(
    "--years",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Complete academic years, ending with the last complete one.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same events.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("hubcore-reports"),
    show_default=True,
    help="Folder for the HTML reports.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Also print the headline figures with their realistic ranges; exit 1 if one is out.",
)
@click.pass_obj
def demo_command(  # noqa: PLR0917
    app: AppContext, schools: int, years: int, seed: int, out: Path, check: bool
) -> None:
    """Record a realistic demo hub into an empty store, then build and write its reports."""
    from hubcore.demo import demo_event_count_estimate, generate_hub, headline_figures
    from hubcore.domain import Recorder
    from hubcore.reporting import rich_renderable

    today = date.today()
    year = previous_academic_year(academic_year_of(today))
    host = load_plugins(app)
    with app.open_store() as store:
        if store.head():
            raise HubcoreError(
                f"the store {app.store_url} already holds {store.head()} events; the demo needs "
                "an empty one (e.g. hubcore --store sqlite:///demo.sqlite demo)"
            )
        recorder = Recorder(store, clock=lambda: today)
        recorded = 0
        with app.progress() as progress:
            task = progress.add_task(
                "generating, checking the rules and appending",
                total=demo_event_count_estimate(schools, years),
            )
            generated = generate_hub(
                schools=schools, years=years, seed=seed, end_year=year, today=today
            )
            while batch := list(itertools.islice(generated, DEMO_BATCH)):
                recorder.record_many(batch)
                recorded += len(batch)
                progress.update(task, completed=recorded)
            progress.update(task, completed=recorded, total=recorded)
        del recorder
        session = report_session(app, store, host)
        # a per-school report (the school pack) is printed school by school, not for the hub
        hub_wide = [info.name for info in host.reporters() if not info.per_school]
        results = session.build_all(hub_wide, year=year)
        head = store.head()
        as_of = min(today, academic_year_bounds(year)[1])
        figures = headline_figures(session.projector, year, as_of) if check else ()
    app.out.print(
        f"recorded {head} events for {schools} schools over {years} years "
        f"into {app.store_url} (seed {seed})"
    )
    if "self-evaluation" in results.summaries:
        app.out.print(rich_renderable(results.summaries["self-evaluation"]))
    out.mkdir(parents=True, exist_ok=True)
    for name, summary in sorted(results.summaries.items()):
        path = out / f"{name}.html"
        write_atomically(path, session.render(summary, "html"))
        app.out.print(f"wrote {path}")
    for name, error in sorted(results.errors.items()):
        app.err.print(f"error: report {name!r} failed: {error}")
    outside = [f for f in figures if not f.in_range]
    if check:
        app.out.print(f"headline figures {year} (realistic range):")
        for f in figures:
            value = "no data" if f.value is None else f"{f.value:g}{'%' if f.unit == '%' else ''}"
            mark = "ok" if f.in_range else "OUT OF RANGE"
            app.out.print(f"  {f.name}: {value} ({f.low:g} to {f.high:g}) {mark}; {f.detail}")
        for f in outside:
            app.err.print(f"error: {f.name} is outside its realistic range")
    if results.errors or outside:
        raise click.exceptions.Exit(1)


COMMANDS: list[click.Command] = [demo_command]
