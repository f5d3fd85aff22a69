"""An example hubcore store backend: the log as one append-only text file.

``logfile:///path/to/folder`` keeps a store in a folder: ``rows.jsonl`` (one line per write
transaction, the JSON list of its commit rows, appended and flushed to disk under an
exclusive file lock: a writer killed part-way leaves at most a torn last line, which
readers skip and the next writer cuts off, so a transaction lands whole or not at all),
``projections.json``
(rewritten whole, atomically) and ``claim-*`` lock files. The core
(:class:`hubcore.store.Store`) does everything else: checks, encoding, ids, the hash
chain, versions, retries, decoding, ``verify()``.

It is a teaching example (every process re-reads the file's new lines before each call),
not a production store; it passes hubcore's whole conformance suite.
"""

from __future__ import annotations

import fcntl
import json
import os
import zlib
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hubcore.errors import CorruptRecord, UnsupportedStoreURL
from hubcore.events import Event
from hubcore.store import GENESIS, Buckets, Place, Row, Store, StoreScheme, Tip, id_runs

__all__ = ["SCHEME", "LogfileBackend"]

_BYTES = (5, 7, 9, 10)  # the row fields that are bytes, stored as hex
_TEXT = 8  # the payloads: UTF-8 JSON joined by newlines, stored as a JSON string


def _values(row: Row) -> list[Any]:
    """A commit row as JSON values."""
    values: list[Any] = list(row)
    for i in _BYTES:
        values[i] = row[i].hex()
    values[_TEXT] = row[_TEXT].decode()
    return values


def _line(rows: Sequence[Row]) -> bytes:
    """One transaction's commit rows as one line of JSON."""
    return (json.dumps([_values(row) for row in rows], separators=(",", ":")) + "\n").encode()


def _rows(line: str, number: int) -> list[Row]:
    """One line back as the commit rows of one transaction."""
    rows = []
    try:
        for values in json.loads(line):
            for i in _BYTES:
                values[i] = bytes.fromhex(values[i])
            values[_TEXT] = values[_TEXT].encode()
            rows.append(tuple(values))
    except (ValueError, TypeError, IndexError, AttributeError) as error:
        raise CorruptRecord(f"rows.jsonl line {number}: {error}") from None
    return rows


class LogfileBackend:
    """Rows in ``<folder>/rows.jsonl``; projection states in ``<folder>/projections.json``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.label = str(folder)
        self._path = folder / "rows.jsonl"
        self._path.touch()
        self._states = folder / "projections.json"
        self._lock = open(folder / "lock", "a")  # noqa: SIM115 (held open for flock)
        self.reload()

    def reload(self) -> None:
        """Forget the lines read so far (the next call reads the file from its start)."""
        self._rows: list[Row] = []
        self._offset = 0
        self._lines = 0
        self._versions: dict[str, int] = {}
        self._ids: dict[bytes, Place] = {}
        self._runs: dict[bytes, tuple[bytes, int]] = {}

    def _refresh(self) -> None:
        """Read the lines other handles appended since the last call."""
        with open(self._path, "rb") as log:
            log.seek(self._offset)
            for raw in log:
                if not raw.endswith(b"\n"):
                    break  # a line still being written
                self._offset += len(raw)
                self._lines += 1
                for row in _rows(raw.decode(), self._lines):
                    self._remember(row)

    def _remember(self, row: Row) -> None:
        last_position, _, stream, last_version = row[:4]
        self._rows.append(row)
        self._versions[stream] = last_version
        for first, last, position in id_runs(row):
            self._runs[first] = (last, position)
            start = int.from_bytes(first)
            for k in range(int.from_bytes(last) - start + 1):
                version = last_version - (last_position - position - k)
                self._ids[(start + k).to_bytes(16)] = (stream, version, position + k)

    @contextmanager
    def writing(self) -> Iterator[_Writer]:
        """An exclusive lock on the folder; the transaction's rows are appended as one
        line and synced at the end (after cutting off a line a killed writer left torn)."""
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            self._refresh()
            writer = _Writer(self)
            yield writer
            if writer.rows:
                with open(self._path, "r+b") as log:
                    log.truncate(self._offset)  # a torn last line was never committed
                    log.seek(self._offset)
                    log.write(_line(writer.rows))
                    log.flush()
                    os.fsync(log.fileno())
                self._refresh()
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        found = {i: self._ids[i] for i in given or () if i in self._ids}
        overlap = False
        if fresh is not None:
            first, last = int.from_bytes(fresh[0]), int.from_bytes(fresh[1])
            overlap = any(first <= int.from_bytes(i) <= last for i in self._ids)
        head = self._rows[-1] if self._rows else None
        return Tip(
            self._versions.get(stream, 0),
            0 if head is None else head[0],
            GENESIS if head is None else head[10],
            found,
            overlap,
        )

    def read_rows(
        self, after: int, limit: int, buckets: Buckets | None, *, full: bool = False
    ) -> list[Row]:
        """Rows after ``after``; streams are bucketed by the CRC-32 of their name."""
        self._refresh()
        out = []
        for row in self._rows:
            if row[0] <= after:
                continue
            if buckets is not None:
                first, stop, count = buckets
                if not first <= zlib.crc32(row[2].encode()) % count < stop:
                    continue
            out.append(row)
            if len(out) == limit:
                break
        return out

    def read_stream_rows(self, stream: str, after_version: int, limit: int) -> list[Row]:
        self._refresh()
        rows = [r for r in self._rows if r[2] == stream and r[3] > after_version]
        return rows[:limit]

    def stream_names(self, keys: Collection[Any]) -> dict[Any, str]:
        self._refresh()
        return {key: key for key in keys if key in self._versions}

    def streams(self) -> list[str]:
        self._refresh()
        return list(self._versions)

    def head(self) -> int:
        self._refresh()
        return self._rows[-1][0] if self._rows else 0

    def stream_version(self, stream: str) -> int:
        self._refresh()
        return self._versions.get(stream, 0)

    def stored_run(self, first: bytes) -> tuple[bytes, int] | None:
        self._refresh()
        return self._runs.get(first)

    def _load_states(self) -> dict[str, list[Any]]:
        if not self._states.exists():
            return {}
        states: dict[str, list[Any]] = json.loads(self._states.read_text())
        return states

    def load_projection(self, name: str) -> tuple[int, int, bytes] | None:
        found = self._load_states().get(name)
        return None if found is None else (found[0], found[1], bytes.fromhex(found[2]))

    def save_projections(self, rows: Sequence[tuple[str, int, int, bytes]]) -> None:
        self._change_states(
            lambda states: states.update((name, [v, c, s.hex()]) for name, v, c, s in rows)
        )

    def delete_projection(self, name: str) -> None:
        self._change_states(lambda states: states.pop(name, None))

    def _change_states(self, change: Any) -> None:
        """Rewrite the states file under the lock, atomically (a new file, renamed)."""
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            states = self._load_states()
            change(states)
            partial = self._states.with_suffix(".partial")
            partial.write_text(json.dumps(states))
            os.replace(partial, self._states)
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)

    def claim(self, name: str) -> _Claim | None:
        """One holder of ``name`` at a time: an exclusive ``flock`` on a file of its own,
        freed by the kernel when the holder dies."""
        handle = open(Path(self.label) / f"claim-{zlib.crc32(name.encode()):08x}", "a")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return _Claim(handle, name)

    def close(self) -> None:
        self._lock.close()


class _Claim:
    def __init__(self, handle: Any, name: str) -> None:
        self._handle = handle
        self.name = name

    def held(self) -> bool:
        return not self._handle.closed

    def release(self) -> None:
        self._handle.close()


class _Writer:
    def __init__(self, backend: LogfileBackend) -> None:
        self._backend = backend
        self.rows: list[Row] = []

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        return self._backend.tip(stream, given, fresh)

    def insert(self, stream: str, rows: Sequence[Row], events: Sequence[Event]) -> None:
        self.rows += rows


def _open(url: str) -> Store:
    folder = url.removeprefix("logfile://")
    if folder == url or not folder.startswith("/"):
        raise UnsupportedStoreURL(f"{url!r}: a logfile URL is 'logfile:///absolute/folder'")
    return Store(LogfileBackend(Path(folder)))


@contextmanager
def _fresh_url(directory: Path) -> Iterator[str]:
    yield f"logfile://{directory / 'hub-log'}"


SCHEME = StoreScheme(open=_open, fresh_url=_fresh_url)
"""The ``logfile`` entry point (see ``pyproject.toml``)."""
