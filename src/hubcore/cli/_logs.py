"""``hubcore -v``: the library's log records (loggers ``hubcore.*``) shown on stderr.

The library itself never adds a handler nor sets a level; only the CLI does, and only for
the command it runs, removing both again when the command ends.
"""

from __future__ import annotations

import logging

import click

from hubcore._printable import printable

__all__ = ["LOGGER", "show_logs"]

LOGGER = "hubcore"
"""The logger every hubcore module logs under (``hubcore.store``, ``hubcore.projections``...)."""


class _Stderr(logging.Handler):
    """Writes each record to click's stderr (so test runners capture it), escaped."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(printable(self.format(record)), err=True)
        except Exception:  # logging must never break the command
            self.handleError(record)


def show_logs(ctx: click.Context, verbosity: int) -> None:
    """Show hubcore's records on stderr for the rest of ``ctx``: ``1`` INFO, ``2+`` DEBUG."""
    if verbosity <= 0:
        return
    logger = logging.getLogger(LOGGER)
    handler = _Stderr()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(previous)

    ctx.call_on_close(restore)
