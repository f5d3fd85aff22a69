"""The ``hubcore`` command group and its error handling."""

from __future__ import annotations

import sys
from typing import Any

import click

from hubcore._printable import printable
from hubcore.cli._context import STORE_ENV, AppContext, resolve_store_url
from hubcore.cli._logs import show_logs
from hubcore.errors import HubcoreError


class _Group(click.Group):
    """Turns every HubcoreError (and OSError) into a message on stderr and exit code 1,
    its control characters shown as visible escapes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (HubcoreError, OSError) as error:
            click.echo(f"error: {printable(str(error))}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.option(
    "--store",
    "store",
    metavar="URL",
    default=None,
    help=f"Event store URL (memory://, sqlite:///path). Default: ${STORE_ENV}, "
    "else sqlite:///hub.sqlite in the current folder.",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Show what hubcore does on stderr: -v its progress, -vv every detail.",
)
@click.version_option(package_name="hubcore")
@click.pass_context
def cli(ctx: click.Context, store: str | None, verbose: int) -> None:
    """hubcore: the record of a music hub's work with schools, and the evidence it gives."""
    show_logs(ctx, verbose)
    ctx.obj = AppContext(store_url=resolve_store_url(store))


def _register_commands() -> None:
    from hubcore.cli import _anchor, _demo, _export, _imports, _inspect, _record, _reports

    for module in (_anchor, _demo, _export, _imports, _inspect, _record, _reports):
        for command in module.COMMANDS:
            cli.add_command(command)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="hubcore")
