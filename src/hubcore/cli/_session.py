"""Shared by the reporting commands: the installed plugins and a caught-up report session."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import click

from hubcore.cli._context import AppContext

if TYPE_CHECKING:
    from hubcore.reporting import PluginHost
    from hubcore.reports import ReportSession
    from hubcore.store import EventStore


def load_plugins(app: AppContext) -> PluginHost:
    """Every installed plugin; a plugin that fails to load is a warning, not the end."""
    from hubcore.reporting import PluginHost

    host = PluginHost.default()
    for error in host.load_errors:
        app.err.print(f"warning: {error}")
    return host


def report_session(app: AppContext, store: EventStore, host: PluginHost) -> ReportSession:
    """The reports of ``host`` over ``store``, every projection brought up to the head."""
    from hubcore.reports import ReportSession

    session = ReportSession(store, plugins=host)
    with app.progress() as progress:
        progress.add_task(f"projecting {session.projector.lag()} new events", total=None)
        session.catch_up()
    for failure in host.projection_failures().values():
        app.err.print(f"warning: {failure}")
    for name, reason in session.projector.rebuilt.items():
        app.err.print(f"warning: read model {name!r} was folded again from the log: {reason}")
    if session.projector.not_saved is not None:
        app.err.print(
            f"warning: the read models were not saved ({session.projector.not_saved}); "
            "this command's output is exact, the next command folds the new events again"
        )
    # the read models live as long as this command: keep their millions of objects out of
    # every later full garbage-collection pass (3x faster report builds at national scale),
    # and let them go when the command ends: run in-process (click's CliRunner, a user's own
    # program), frozen objects would pile up and every later fold would walk them
    gc.freeze()
    command = click.get_current_context(silent=True)
    if command is not None:
        command.call_on_close(gc.unfreeze)
    return session
