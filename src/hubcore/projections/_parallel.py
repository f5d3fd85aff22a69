"""Partitioned rebuild: fold partitions of the log's streams in several processes, then merge.

Every built-in read model files each fact under the stream it came from, so folding
disjoint sets of streams and merging the states (:meth:`ReadModel.merge`) equals folding the
whole log; within a stream the events keep their order. Each process reads only its
partition (``store.read_all(partition=(buckets, count))``: the store skips the other
streams' rows before decoding them), up to the head seen when the rebuild started.

The calling process folds the first share itself while forked helpers fold the others.
A helper then hands its states back one projection at a time, each as a file in a private
temporary directory plus a short message on a pipe (so it never waits for the caller to
read), in the fastest form the state allows (:func:`_pack`). The caller loads each as it
comes and merges (a dictionary union): past its own fold, loading is its only real work,
and about as long as the helper's writing, so an equal split of the streams ends together
(:data:`LEAD_SHARE`).
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import tempfile
import threading
import traceback
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, NamedTuple

from hubcore.errors import HubcoreError
from hubcore.projections._base import ReadModel, _state_fields
from hubcore.projections._builtin import builtin_projections
from hubcore.projections._projector import _gc_paused, fold
from hubcore.projections._protocol import Projection
from hubcore.store import Recorded, open_store

__all__ = ["LEAD_SHARE", "parallel_fold"]

_BUCKETS = 100
LEAD_SHARE = 0.5
"""The calling process's share of the streams with two workers (with more, an equal part).

Measured on the national benchmark (``benchmarks/projections.py``): the helper's dump and
the caller's load of its states roughly cancel out, so an equal split finishes together."""


def _shares(workers: int, lead_share: float) -> list[range]:
    """Bucket ranges: the first holds ``lead_share`` of the buckets, the rest split evenly."""
    if workers == 1:
        return [range(_BUCKETS)]
    lead = min(_BUCKETS - (workers - 1), max(1, round(_BUCKETS * lead_share)))
    rest = _BUCKETS - lead
    bounds = [lead + round(rest * i / (workers - 1)) for i in range(workers)]
    return [range(0, lead)] + [range(bounds[i], bounds[i + 1]) for i in range(workers - 1)]


class _Share(NamedTuple):
    """One process's part of a partitioned fold."""

    url: str
    projections: Sequence[Projection[Any]]
    buckets: range
    head: int


def _fold_share(share: _Share) -> tuple[dict[str, Any], int]:
    """Fold the streams of ``share.buckets`` up to position ``share.head``: (states, events)."""
    read = 0
    head = share.head
    with open_store(share.url) as store:
        buckets = share.buckets
        partition = None if len(buckets) == _BUCKETS else (buckets, _BUCKETS)

        def records() -> Iterator[Recorded]:
            nonlocal read
            for rec in store.read_all(partition=partition):
                if rec.position > head:
                    return
                read += 1
                yield rec

        states = fold(share.projections, records())
    return states, read


def _pack(projection: Projection[Any], state: Any) -> tuple[str, bytes]:
    """A state as bytes for the calling process: (form, bytes).

    A read model whose fields hold plain data (every built-in one: ints, floats, text,
    lists and dicts, no enum members nor dates) travels as a ``marshal`` of its fields'
    values: it loads several times faster than its JSON ``dump`` parses, and keeps the
    sharing of equal values (days, grades) that the fold gave it. Anything else travels
    as the projection's own ``dump``.
    """
    if isinstance(state, ReadModel):
        values = [getattr(state, f.name) for f in _state_fields(type(state))]
        with contextlib.suppress(ValueError):  # a value marshal cannot write
            return "fields", marshal.dumps(values)
    return "dump", projection.dump(state)


def _unpack(projection: Projection[Any], form: str, data: bytes) -> Any:
    """The state :func:`_pack` wrote."""
    if form == "dump":
        return projection.load(data)
    model = type(projection.initial())
    values = marshal.loads(data)
    fields = _state_fields(model)
    return model(**{f.alias or f.name: v for f, v in zip(fields, values, strict=True)})


# a helper's states, left for its exit to drop (no time spent freeing them one by one)
_LEFT_FOR_EXIT: list[Any] = []


def _help(pipe: Connection, share: _Share, folder: Path) -> None:
    """A forked helper: fold ``share``, then hand each state back as a file in ``folder``.

    Messages: ``("state", name, form, path)`` per projection (see :func:`_pack`), then
    ``("done", events)``; or ``("error", text)`` if anything failed.
    """
    try:
        states, read = _fold_share(share)
        _LEFT_FOR_EXIT.append(states)
        for number, projection in enumerate(share.projections):
            path = folder / f"{number}.state"
            form, data = _pack(projection, states[projection.name])
            path.write_bytes(data)
            pipe.send(("state", projection.name, form, str(path)))
        pipe.send(("done", read))
    except BaseException as error:  # reported to the caller, which raises it
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        with contextlib.suppress(OSError):
            pipe.send(("error", detail))
        raise SystemExit(1) from None
    finally:
        pipe.close()


class _Helper:
    """A forked process folding one share; the caller collects its states as they come."""

    def __init__(self, number: int, share: range, pipe: Connection, process: Any) -> None:
        self.number = number
        self.share = share
        self.pipe = pipe
        self.process = process
        self.read: int | None = None  # events folded, once done

    def failed(self, why: str) -> HubcoreError:
        self.process.join(5)  # it has ended, or is about to
        return HubcoreError(
            f"parallel_fold: worker {self.number} (stream buckets {self.share.start}-"
            f"{self.share.stop - 1} of {_BUCKETS}) failed: {why}"
        )

    def receive(self, loaders: dict[str, Projection[Any]]) -> tuple[str, Any] | None:
        """The next (name, state) this helper handed back; None once it is done."""
        try:
            message = self.pipe.recv()
        except EOFError:  # it ended without a word: killed, or out of memory
            self.process.join(5)
            raise self.failed(f"it ended (exit code {self.process.exitcode})") from None
        if message[0] == "error":
            raise self.failed(message[1])
        if message[0] == "done":
            self.read = message[1]
            self.pipe.close()
            # its exit (the kernel freeing its memory) need not hold up the caller
            threading.Thread(target=self.process.join, name="hubcore-fold-reaper").start()
            return None
        _, name, form, path = message
        data = Path(path).read_bytes()
        os.unlink(path)
        return name, _unpack(loaders[name], form, data)

    def stop(self) -> None:
        """End the helper if it is still folding (the caller failed or was interrupted)."""
        if self.read is None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.pipe.close()


def _start_helpers(shares: Sequence[_Share], folder: Path) -> list[_Helper]:
    context = multiprocessing.get_context("fork")
    helpers: list[_Helper] = []
    try:
        for number, share in enumerate(shares, 1):
            receiver, sender = context.Pipe(duplex=False)
            own = folder / str(number)
            own.mkdir()
            process = context.Process(  # forked: the arguments are inherited, not pickled
                target=_help,
                args=(sender, share, own),
                name=f"hubcore-fold-{number}",
                daemon=True,
            )
            process.start()
            sender.close()
            helpers.append(_Helper(number, share.buckets, receiver, process))
    except BaseException:
        for helper in helpers:
            helper.stop()
        raise
    return helpers


def _collect(
    helpers: list[_Helper], projections: Sequence[Projection[Any]], parts: dict[str, list[Any]]
) -> int:
    """Load every helper's states into ``parts``, whichever is ready first; events folded."""
    loaders = {p.name: p for p in projections}
    running: dict[Any, _Helper] = {helper.pipe: helper for helper in helpers}
    while running:
        for pipe in wait(list(running)):
            got = running[pipe].receive(loaders)
            if got is None:
                del running[pipe]
            else:
                parts[got[0]].append(got[1])
    return sum(helper.read or 0 for helper in helpers)


def parallel_fold(
    url: str,
    projections: Sequence[Projection[Any]] | None = None,
    *,
    workers: int = 2,
    lead_share: float | None = None,
) -> tuple[dict[str, Any], int, int]:
    """Fold the log of the store at ``url`` in ``workers`` processes: (states, head, events).

    The states equal ``fold(projections, store.read_all())`` up to ``head``, the last
    position when the fold started (later appends are left for a catch-up). Every
    projection must have a ``merge`` (as every :class:`ModelProjection` has) and fold each
    stream's events independently of the others'. This process folds the first share and
    ``workers - 1`` forked processes (POSIX) fold the others: each reads its ``range`` of
    100 stream buckets (see ``EventStore.read_all``'s ``partition``); this process takes
    ``lead_share`` of them (default: half with two workers, else an equal part). The
    helpers hand their states back through files in a private temporary directory.
    """
    chosen = list(builtin_projections() if projections is None else projections)
    if type(workers) is not int or not 1 <= workers <= _BUCKETS:
        raise HubcoreError(f"parallel_fold: workers must be 1 to {_BUCKETS}, got {workers!r}")
    if lead_share is None:
        lead_share = LEAD_SHARE if workers == 2 else 1 / workers
    if workers > 1 and not 0 < lead_share < 1:
        raise HubcoreError(f"parallel_fold: lead_share must be between 0 and 1, got {lead_share}")
    unmergeable = [p.name for p in chosen if not hasattr(p, "merge")]
    if unmergeable:
        raise HubcoreError(f"parallel_fold: projections {unmergeable} have no merge()")
    with open_store(url) as store:
        head = store.head()
    shares = [_Share(url, chosen, buckets, head) for buckets in _shares(workers, lead_share)]
    if workers == 1:
        states, read = _fold_share(shares[0])
        return states, head, read
    # loading and merging states: millions of small objects, no cycles
    with tempfile.TemporaryDirectory(prefix="hubcore-fold-") as folder, _gc_paused():
        helpers = _start_helpers(shares[1:], Path(folder))
        try:
            own, read = _fold_share(shares[0])
            parts = {p.name: [own.pop(p.name)] for p in chosen}
            read += _collect(helpers, chosen, parts)
        finally:
            for helper in helpers:
                helper.stop()
        merged = {p.name: p.merge(parts.pop(p.name)) for p in chosen}  # type: ignore[attr-defined]
    return merged, head, read
