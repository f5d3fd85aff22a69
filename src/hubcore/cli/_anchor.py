"""``hubcore anchor``: a signed statement of the log's head (see :mod:`hubcore.anchor`)."""

from __future__ import annotations

from pathlib import Path

import click

from hubcore._output import write_output
from hubcore.cli._context import AppContext

_KEY_HELP = "The hub key file (64 hex digits). Keep it away from the store."


@click.command("anchor")
@click.option(
    "--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help=_KEY_HELP,
)  # fmt: skip
@click.option("--new-key", is_flag=True, help="Make a new random key in --key first.")
@click.option(
    "--out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=None,
    help="Write the statement here (default: standard output).",
)  # fmt: skip
@click.pass_obj
def anchor_command(app: AppContext, *, key_path: Path, new_key: bool, out: Path | None) -> None:
    """Verify the hash chain, then sign a statement of its head (position and chain hash)
    with the hub key: keep it elsewhere, and `hubcore verify --anchor FILE --key KEY`
    proves later that the log still extends that head.

    It does not protect against anyone who holds the key, nor say anything about events
    recorded after the anchor.
    """
    from hubcore.anchor import anchor_head, load_key
    from hubcore.anchor import new_key as make_key

    key = make_key(key_path) if new_key else load_key(key_path)
    with app.open_store(existing=True) as store:
        statement = anchor_head(store, key)
    data = statement.to_json() + b"\n"
    if out is None:
        click.echo(data.decode(), nl=False)
    elif write_output(out, data):
        app.err.print(f"anchored position {statement.position}: wrote {out}")


COMMANDS: list[click.Command] = [anchor_command]
