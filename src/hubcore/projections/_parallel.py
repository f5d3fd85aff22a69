"""Partitioned rebuild: fold shares of the log's streams in worker processes, then merge.

Every built-in read model files each fact under the stream it came from, so folding
disjoint sets of streams and merging the states (:meth:`ReadModel.merge`) equals folding the
whole log; within a stream the events keep their order. Each worker reads only its share,
stream by stream (``store.read_stream``), up to the head seen when the rebuild started.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from typing import Any

from hubcore.errors import HubcoreError
from hubcore.projections._builtin import builtin_projections
from hubcore.projections._projector import _gc_paused, fold
from hubcore.projections._protocol import Projection
from hubcore.store import Recorded, open_store

__all__ = ["parallel_fold", "split_streams"]

_LEAD_WEIGHT = 0.85
# the projections of the running parallel_fold: forked workers inherit them
_PROJECTIONS: list[Projection[Any]] = []


def split_streams(
    streams: Sequence[str], workers: int, *, first_weight: float = 1.0
) -> list[list[str]]:
    """Streams in ``workers`` contiguous ranges of the sorted school streams; the hub (and
    any other) streams go to the first range, which holds ``first_weight`` times as many
    school streams as each of the others (about)."""
    schools = sorted(s for s in streams if s.startswith("school-"))
    others = sorted(s for s in streams if not s.startswith("school-"))
    if workers < 1 or first_weight <= 0:
        raise HubcoreError(f"split_streams: bad workers={workers} or first_weight={first_weight}")
    total = first_weight + workers - 1
    bounds = (
        [0]
        + [round(len(schools) * (first_weight + i) / total) for i in range(workers - 1)]
        + [len(schools)]
    )
    shares = [schools[bounds[i] : bounds[i + 1]] for i in range(workers)]
    shares[0] = others + shares[0]
    return shares


def _fold_share(args: tuple[str, list[str], int]) -> tuple[dict[str, Any], int]:
    """Fold one share of the streams, up to position ``head``: (states by name, events)."""
    url, streams, head = args
    count = 0
    with open_store(url) as store:

        def records() -> Iterator[Recorded]:
            nonlocal count
            for stream in streams:
                for rec in store.read_stream(stream):
                    if rec.position > head:
                        break
                    count += 1
                    yield rec

        states = fold(_PROJECTIONS, records())
    return states, count


def _fold_share_dumped(args: tuple[str, list[str], int]) -> tuple[dict[str, bytes], int]:
    """:func:`_fold_share` in a worker: the states travel back as ``dump`` bytes (cheaper to
    send than pickles of millions of small objects)."""
    states, count = _fold_share(args)
    return {p.name: p.dump(states[p.name]) for p in _PROJECTIONS}, count


def parallel_fold(
    url: str,
    projections: Sequence[Projection[Any]] | None = None,
    *,
    workers: int = 2,
) -> tuple[dict[str, Any], int, int]:
    """Fold the log of the store at ``url`` in ``workers`` processes: (states, head, events).

    The states equal ``fold(projections, store.read_all())`` up to ``head``, the last
    position when the fold started (later appends are left for a catch-up). Every
    projection must have a ``merge`` (as every :class:`ModelProjection` has) and fold each
    stream's events independently of the others'. This process folds the first share and
    ``workers - 1`` forked processes (POSIX) fold the others.
    """
    chosen = list(builtin_projections() if projections is None else projections)
    if workers < 1:
        raise HubcoreError(f"parallel_fold: workers must be >= 1, got {workers}")
    unmergeable = [p.name for p in chosen if not hasattr(p, "merge")]
    if unmergeable:
        raise HubcoreError(f"parallel_fold: projections {unmergeable} have no merge()")
    with open_store(url) as store:
        head = store.head()
        streams = store.streams()
    # this process also loads and merges the others' states: it folds a smaller share
    shares = split_streams(streams, workers, first_weight=_LEAD_WEIGHT)
    _PROJECTIONS[:] = chosen
    tasks = [(url, share, head) for share in shares]
    try:
        # loading and merging states: millions of small objects, no cycles
        with _gc_paused():
            if workers == 1:
                results = [_fold_share(tasks[0])]
            else:  # this process folds the first share while the others fold theirs
                with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
                    pending = pool.map_async(_fold_share_dumped, tasks[1:])
                    results = [_fold_share(tasks[0])]
                    for dumped, count in pending.get():
                        loaded = {p.name: p.load(dumped.pop(p.name)) for p in chosen}
                        results.append((loaded, count))
            merged = {
                p.name: p.merge([states[p.name] for states, _ in results])  # type: ignore[attr-defined]
                for p in chosen
            }
    finally:
        _PROJECTIONS.clear()
    return merged, head, sum(count for _, count in results)
