"""Partitioned rebuild: fold partitions of the log's streams in worker processes, then merge.

Every built-in read model files each fact under the stream it came from, so folding
disjoint sets of streams and merging the states (:meth:`ReadModel.merge`) equals folding the
whole log; within a stream the events keep their order. Each process reads only its
partition (``store.read_all(partition=(index, count))``: the store skips the other streams'
rows before decoding them), up to the head seen when the rebuild started.
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

__all__ = ["parallel_fold"]

# the projections of the running parallel_fold: forked workers inherit them
_PROJECTIONS: list[Projection[Any]] = []


_BUCKETS = 100
LEAD_SHARE = 0.55
"""The calling process's share of the streams: it also loads and merges the others' states,
while they dump theirs, so it folds a little more than its equal part."""


def _shares(workers: int, lead_share: float) -> list[range]:
    """Bucket ranges: the first holds ``lead_share`` of the buckets, the rest split evenly."""
    lead = min(_BUCKETS - (workers - 1), max(1, round(_BUCKETS * lead_share)))
    if workers == 1:
        return [range(_BUCKETS)]
    rest = _BUCKETS - lead
    bounds = [lead + round(rest * i / (workers - 1)) for i in range(workers)]
    return [range(0, lead)] + [range(bounds[i], bounds[i + 1]) for i in range(workers - 1)]


def _fold_share(args: tuple[str, range, int, int]) -> tuple[dict[str, Any], int]:
    """Fold the buckets ``index`` of ``count``, up to position ``head``: (states, events)."""
    url, index, count, head = args
    read = 0
    with open_store(url) as store:

        def records() -> Iterator[Recorded]:
            nonlocal read
            for rec in store.read_all(partition=(index, count)):
                if rec.position > head:
                    return
                read += 1
                yield rec

        states = fold(_PROJECTIONS, records())
    return states, read


def _fold_share_dumped(args: tuple[str, range, int, int]) -> tuple[dict[str, bytes], int]:
    """:func:`_fold_share` in a worker: the states travel back as ``dump`` bytes (cheaper to
    send than pickles of millions of small objects)."""
    states, read = _fold_share(args)
    return {p.name: p.dump(states[p.name]) for p in _PROJECTIONS}, read


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
    ``lead_share`` of them (default :data:`LEAD_SHARE` with two workers).
    """
    chosen = list(builtin_projections() if projections is None else projections)
    if workers < 1 or workers > _BUCKETS:
        raise HubcoreError(f"parallel_fold: workers must be 1 to {_BUCKETS}, got {workers}")
    if lead_share is None:
        lead_share = LEAD_SHARE if workers == 2 else 1 / workers
    if not 0 < lead_share < 1 and workers > 1:
        raise HubcoreError(f"parallel_fold: lead_share must be between 0 and 1, got {lead_share}")
    unmergeable = [p.name for p in chosen if not hasattr(p, "merge")]
    if unmergeable:
        raise HubcoreError(f"parallel_fold: projections {unmergeable} have no merge()")
    with open_store(url) as store:
        head = store.head()
    _PROJECTIONS[:] = chosen
    tasks = [(url, share, _BUCKETS, head) for share in _shares(workers, lead_share)]
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
