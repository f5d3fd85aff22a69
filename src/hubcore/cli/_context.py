"""What every command shares: the store URL, the consoles and progress bars."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs
import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from hubcore._output import write_file_atomically
from hubcore._printable import printable

if TYPE_CHECKING:
    from hubcore.store import EventStore

DEFAULT_STORE = "sqlite:///hub.sqlite"
STORE_ENV = "HUBCORE_STORE"


class UsageProblem(click.ClickException):
    """A usage error that needs no usage text: ``error: ...`` on stderr and exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {printable(self.format_message())}", err=True)


def resolve_store_url(option: str | None) -> str:
    """``--store``, else ``$HUBCORE_STORE``, else ``sqlite:///hub.sqlite`` in this folder."""
    return option or os.environ.get(STORE_ENV) or DEFAULT_STORE


_PIPE_WIDTH = 120


class SafeConsole(Console):
    """A console for text that holds data: no rich markup, emoji codes or highlighting, and
    control characters shown as visible escapes (:func:`hubcore._printable.printable`), so
    a school's name, a stored note or a plugin's error prints as itself and can never
    restyle, move or clear the terminal."""

    def __init__(self, *, stderr: bool = False, width: int | None = None) -> None:
        super().__init__(stderr=stderr, width=width, markup=False, emoji=False, highlight=False)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)


def _console(*, stderr: bool) -> Console:
    """A console that uses the terminal's width, or 120 columns into a pipe or file."""
    console = SafeConsole(stderr=stderr)
    if not console.is_terminal:
        console = SafeConsole(stderr=stderr, width=_PIPE_WIDTH)
    return console


@attrs.define
class AppContext:
    """Per-invocation state handed to every command through click's context object."""

    store_url: str
    out: Console = attrs.field(factory=lambda: _console(stderr=False))
    err: Console = attrs.field(factory=lambda: _console(stderr=True))

    def open_store(self, *, existing: bool = False) -> EventStore:
        """The store at :attr:`store_url`; ``existing`` refuses (exit 2, nothing created) a
        store file that is not there, as every command that only reads must. A URL of a
        form or scheme no backend knows is a usage error too (exit 2)."""
        from hubcore.errors import UnsupportedStoreURL
        from hubcore.store import open_store

        if existing:
            self.require_store()
        try:
            return open_store(self.store_url)
        except UnsupportedStoreURL as error:
            raise UsageProblem(f"--store: {error}") from error

    def require_store(self) -> None:
        """:class:`UsageProblem` when the store URL names an SQLite file that does not exist."""
        if not self.store_url.startswith("sqlite:///"):
            return
        path = Path(self.store_url.removeprefix("sqlite:///"))
        if not path.exists():
            raise UsageProblem(
                f"no event store at {path} ({self.store_url}); give the right one with "
                f"--store or ${STORE_ENV}, or record or import something first"
            )

    @contextmanager
    def progress(self) -> Iterator[Progress]:
        """A progress display on stderr, silent when stderr is not a terminal."""
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.err,
            disable=not self.err.is_terminal,
            transient=False,
        )
        with progress:
            yield progress


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a failure never leaves half a file
    (:func:`hubcore._output.write_file_atomically`: regular files only)."""
    write_file_atomically(path, data)
