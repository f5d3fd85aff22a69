"""Commands that read the log: ``log``, ``stats``, ``verify``."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import click
import orjson
from rich.table import Table

from hubcore import codec
from hubcore._printable import printable
from hubcore.calendar import academic_year_of
from hubcore.cli._context import AppContext, UsageProblem
from hubcore.cli._params import iso_date
from hubcore.errors import AnchorMismatch, CorruptRecord, IntegrityError
from hubcore.events import EVENT_TYPES

_JSON = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (one object a line for log)."
)


def _echo_json(value: Any) -> None:
    click.echo(orjson.dumps(value).decode())


@click.command("log")
@click.option("--stream", "stream", metavar="S", help="Only this stream, e.g. school-123456.")
@click.option(
    "--type",
    "event_type",
    metavar="T",
    type=click.Choice(sorted(EVENT_TYPES), case_sensitive=False),
    help="Only events of this type.",
)
@click.option(
    "--since", metavar="DATE", callback=iso_date, help="Only events that occurred on or after."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@_JSON
@click.pass_obj
def log_command(
    app: AppContext,
    *,
    stream: str | None,
    event_type: str | None,
    since: date | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """Print the log, one event a line: position, stream, version and the event.

    With --json each line is a JSON object: position, stream, version, event_id,
    recorded_at and the event in the codec's JSON form (what import events reads).
    """
    wanted = (
        None if event_type is None else {t for t in EVENT_TYPES if t.lower() == event_type.lower()}
    )
    shown = 0
    with app.open_store(existing=True) as store:
        records = store.read_stream(stream) if stream else store.read_all()
        for recorded in records:
            event = recorded.event
            if wanted is not None and event.event_type not in wanted:
                continue
            if since is not None and event.occurred_on < since:
                continue
            if as_json:
                _echo_json(
                    {
                        "position": recorded.position,
                        "stream": recorded.stream,
                        "version": recorded.version,
                        "event_id": str(recorded.event_id),
                        "recorded_at": recorded.recorded_at.isoformat(),
                        "event": codec.to_dict(event),
                    }
                )
            else:
                payload = orjson.dumps(codec.to_dict(event)).decode()
                line = f"{recorded.position:>8} {recorded.stream} v{recorded.version} {payload}"
                click.echo(printable(line))
            shown += 1
            if limit is not None and shown >= limit:
                break


_YEAR_COLUMNS = 4


@click.command("stats")
@_JSON
@click.pass_obj
def stats_command(app: AppContext, *, as_json: bool) -> None:
    """Events by type and academic year, streams, and the store's size."""
    by_type_year: Counter[tuple[str, str]] = Counter()
    years: set[str] = set()
    with app.open_store(existing=True) as store:
        head = store.head()
        with app.progress() as progress:
            task = progress.add_task("reading", total=head)
            for recorded in store.read_all():
                year = academic_year_of(recorded.event.occurred_on)
                years.add(year)
                by_type_year[(recorded.event.event_type, year)] += 1
                if recorded.position % 10_000 == 0:
                    progress.update(task, completed=recorded.position)
            progress.update(task, completed=head)
        streams = store.streams()
    schools = sum(1 for s in streams if s.startswith("school-"))
    hubs = sum(1 for s in streams if s.startswith("hub-"))
    size = _store_size(app.store_url)
    if as_json:
        by_type: dict[str, dict[str, int]] = {}
        for (event_type, year), n in sorted(by_type_year.items()):
            by_type.setdefault(event_type, {})[year] = n
        _echo_json(
            {
                "events": head,
                "streams": {"total": len(streams), "school": schools, "hub": hubs},
                "by_type_and_year": by_type,
                "store": app.store_url,
                "size_bytes": size,
            }
        )
        return
    recent = sorted(years)[-_YEAR_COLUMNS:]
    earlier = len(years) > len(recent)
    table = Table(title=f"{head} events in {len(streams)} streams")
    table.add_column("event type", no_wrap=True)
    if earlier:
        table.add_column(f"before {recent[0]}", justify="right")
    for year in recent:
        table.add_column(year, justify="right")
    table.add_column("total", justify="right")
    for event_type in sorted({t for t, _ in by_type_year}):
        total = sum(n for (t, _), n in by_type_year.items() if t == event_type)
        counts = [by_type_year[(event_type, y)] for y in recent]
        cells = [str(total - sum(counts))] if earlier else []
        table.add_row(event_type, *cells, *(str(c) for c in counts), str(total))
    app.out.print(table)
    app.out.print(f"streams: {schools} school, {hubs} hub")
    if size is not None:
        shown = f"{size / 1_048_576:.1f} MiB" if size >= 1_048_576 else f"{size / 1024:.0f} KiB"
        app.out.print(f"store size: {shown} ({app.store_url})")


def _store_size(url: str) -> int | None:
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(path + suffix)
    return total


@click.command("verify")
@click.option(
    "--read-models",
    "read_models",
    is_flag=True,
    help="Also recompute every read model from the log and compare it with the stored one.",
)
@click.option(
    "--anchor", "anchor_path", metavar="FILE", default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also prove the log still extends this anchor (hubcore anchor); needs --key.",
)  # fmt: skip
@click.option(
    "--key", "key_path", metavar="KEY", default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The hub key the anchor was signed with.",
)  # fmt: skip
@_JSON
@click.pass_obj
def verify_command(
    app: AppContext,
    *,
    read_models: bool,
    anchor_path: Path | None,
    key_path: Path | None,
    as_json: bool,
) -> None:
    """Check the hash chain of the whole log; exit 1 naming the first broken position.

    With --read-models, also fold the log again into every read model (built-in and
    plugins') up to its stored checkpoint and compare: exit 1 if any differs, cannot be
    read, or was saved beyond the log's head.

    With --json: {"intact": true, "verified": N, "head": N} (with --read-models also
    "read_models_match" and "read_models": [{name, status, checkpoint, detail}]), or
    {"intact": false, "error": "..."} and exit 1.
    """
    if (anchor_path is None) != (key_path is None):
        raise UsageProblem("--anchor and --key go together")
    checks: list[Any] = []
    anchored: int | None = None
    with app.open_store(existing=True) as store:
        head = store.head()
        with app.progress() as progress:
            progress.add_task("verifying", total=None)
            try:
                checked = store.verify()
                if anchor_path is not None and key_path is not None:
                    anchored = _check_anchor(store, anchor_path, key_path)
            except (IntegrityError, CorruptRecord, AnchorMismatch) as error:
                if not as_json:
                    raise
                _echo_json({"intact": False, "head": head, "error": str(error)})
                raise click.exceptions.Exit(1) from None
            if read_models:
                checks = _check_read_models(app, store)
    failed = [c for c in checks if c.failed]
    if as_json:
        result: dict[str, Any] = {"intact": True, "verified": checked, "head": head}
        if anchored is not None:
            result["anchored_position"] = anchored
        if read_models:
            result["read_models_match"] = not failed
            result["read_models"] = [
                {"name": c.name, "status": c.status, "checkpoint": c.checkpoint, "detail": c.detail}
                for c in checks
            ]
        _echo_json(result)
    else:
        app.out.print(f"verified {checked} events (head {head}): the hash chain is intact")
        if anchored is not None:
            app.out.print(f"the log extends the anchor signed at position {anchored}")
        for c in checks:
            app.out.print(f"read model {c.name}: {c.status}: {c.detail}")
        if read_models and not failed:
            app.out.print(f"{len(checks)} read models checked: each stored one equals the log")
    if failed:
        names = ", ".join(c.name for c in failed)
        app.err.print(f"error: {len(failed)} read model(s) do not match the log: {names}")
        raise click.exceptions.Exit(1)


def _check_anchor(store: Any, anchor_path: Path, key_path: Path) -> int:
    from hubcore.anchor import Anchor, check_anchor, load_key

    anchor = Anchor.from_json(anchor_path.read_bytes(), str(anchor_path))
    check_anchor(store, anchor, load_key(key_path))
    return anchor.position


def _check_read_models(app: AppContext, store: Any) -> list[Any]:
    from hubcore.cli._session import load_plugins
    from hubcore.projections import builtin_projections, check_read_models

    projections: list[Any] = list(builtin_projections())
    projections += [info.projection for info in load_plugins(app).projections()]
    return check_read_models(store, projections)


COMMANDS = [log_command, stats_command, verify_command]
