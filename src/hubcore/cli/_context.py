"""What every command shares: the store URL, the consoles and progress bars."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from hubcore.store import EventStore

DEFAULT_STORE = "sqlite:///hub.sqlite"
STORE_ENV = "HUBCORE_STORE"


def resolve_store_url(option: str | None) -> str:
    """``--store``, else ``$HUBCORE_STORE``, else ``sqlite:///hub.sqlite`` in this folder."""
    return option or os.environ.get(STORE_ENV) or DEFAULT_STORE


_PIPE_WIDTH = 120


def _console(*, stderr: bool) -> Console:
    """A console that uses the terminal's width, or 120 columns into a pipe or file."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console = Console(stderr=stderr, highlight=False, width=_PIPE_WIDTH)
    return console


@attrs.define
class AppContext:
    """Per-invocation state handed to every command through click's context object."""

    store_url: str
    out: Console = attrs.field(factory=lambda: _console(stderr=False))
    err: Console = attrs.field(factory=lambda: _console(stderr=True))

    def open_store(self) -> EventStore:
        from hubcore.store import open_store

        return open_store(self.store_url)

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
    """Write via a temporary file and rename, so a failure never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
