"""Incremental (part-by-part) saves and the partitioned rebuild."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.projections import (
    Projector,
    _projector,
    builtin_projections,
    fold,
    parallel_fold,
)
from hubcore.store import StoredProjection, open_store

from ._histories import histories
from ._support import D, Dies, Killed, append_all, engage, reg


@contextlib.contextmanager
def _tiny_parts(keys_per_part: int = 1) -> Iterator[None]:
    """Save states in parts of ``keys_per_part`` keys, so tiny histories use many parts."""
    saved = _projector._KEYS_PER_SHARD
    _projector._KEYS_PER_SHARD = keys_per_part
    try:
        yield
    finally:
        _projector._KEYS_PER_SHARD = saved


class _Counting:
    """A store that records the projection rows each save writes."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.saves: list[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def save_projections(self, states: Sequence[StoredProjection]) -> None:
        self.saves.append([s.name for s in states])
        self._store.save_projections(states)


def _states(projector: Projector) -> dict[str, Any]:
    return {name: projector.get(name) for name in projector.names}


def _rebuilt(store: Any) -> dict[str, Any]:
    return fold(builtin_projections(), store.read_all())


@given(histories(), st.lists(st.integers(1, 12), min_size=1, max_size=8), st.integers(1, 3))
def test_restarts_between_catch_ups_load_what_the_parts_saved(
    events: list[Any], chunks: list[int], keys_per_part: int
) -> None:
    # catch up chunk by chunk, each time in a NEW Projector that loads the saved parts
    store = open_store("memory://")
    i = 0
    with _tiny_parts(keys_per_part):
        for size in chunks:
            append_all(store, events[i : i + size])
            i += size
            Projector(store).catch_up()
        append_all(store, events[i:])
        Projector(store).catch_up()
        resumed = Projector(store)
    assert resumed.lag() == 0
    assert _states(resumed) == _rebuilt(store)


@settings(max_examples=30)
@given(histories(), st.integers(0, 80), st.integers(1, 7), st.integers(0, 80))
def test_killed_between_any_two_events_resumes_exactly_with_parts(
    events: list[Any], kill_at: int, save_every: int, split: int
) -> None:
    store = open_store("memory://")
    with _tiny_parts():
        append_all(store, events[:split])
        Projector(store, save_every=save_every).catch_up()
        append_all(store, events[split:])
        with contextlib.suppress(Killed):
            Projector(Dies(store, kill_at), save_every=save_every).catch_up()  # type: ignore[arg-type]
        resumed = Projector(store, save_every=save_every)
        resumed.catch_up()
    assert _states(resumed) == _rebuilt(store)


def test_a_small_catch_up_rewrites_only_the_parts_it_touched() -> None:
    store = open_store("memory://")
    append_all(store, [reg(100000 + i, D(2020, 1, 1)) for i in range(40)])
    counting = _Counting(store)
    with _tiny_parts(4):
        projector = Projector(counting)  # type: ignore[arg-type]
        projector.catch_up()
        (first,) = counting.saves
        coverage_parts = [n for n in first if n.startswith("coverage#")]
        assert len(coverage_parts) == 16  # 40 keys, 4 a part: 16 parts (a power of two)
        append_all(store, [engage(100003, D(2024, 10, 1))])
        projector.catch_up()
        _, second = counting.saves
        # one manifest and one part per projection
        assert sorted(n for n in second if n.startswith("coverage")) == [
            "coverage",
            f"coverage#{100003 % 16}",
        ]
        assert len(second) == 2 * len(projector.names)
    again = Projector(store)
    assert _states(again) == _rebuilt(store)


def test_a_state_that_outgrows_its_parts_is_saved_again_in_more() -> None:
    store = open_store("memory://")
    with _tiny_parts(1):
        append_all(store, [reg(100000, D(2020, 1, 1))])
        projector = Projector(store)
        projector.catch_up()
        assert store.load_projection("coverage").state == b'{"__shards__":1}'
        for i in range(1, 9):
            append_all(store, [reg(100000 + i, D(2020, 1, 1))])
            projector.catch_up()
        assert store.load_projection("coverage").state != b'{"__shards__":1}'
        assert _states(Projector(store)) == _rebuilt(store)


def test_a_missing_part_is_rebuilt_from_the_log() -> None:
    store = open_store("memory://")
    append_all(store, [reg(100001, D(2020, 1, 1)), reg(100002, D(2020, 1, 1))])
    with _tiny_parts():
        Projector(store).catch_up()
        manifest = store.load_projection("coverage")
        store.save_projections(
            [
                StoredProjection(
                    "coverage", manifest.version, manifest.checkpoint, b'{"__shards__":4}'
                )
            ]
        )
        again = Projector(store)
        assert "of 4 is missing or newer than its manifest" in again.rebuilt["coverage"]
        again.catch_up()
        assert _states(again) == _rebuilt(store)


def test_a_whole_state_saved_by_an_older_projector_still_loads() -> None:
    store = open_store("memory://")
    append_all(store, [reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))])
    whole = _rebuilt(store)
    store.save_projections(
        [
            StoredProjection(p.name, p.version, 2, p.dump(whole[p.name]))
            for p in builtin_projections()
        ]
    )
    projector = Projector(store)
    assert projector.lag() == 0
    assert _states(projector) == whole
    append_all(store, [reg(100002, D(2021, 1, 1))])
    projector.catch_up()
    assert _states(Projector(store)) == _rebuilt(store)


@given(histories(), st.data())
def test_parts_of_a_state_load_back_to_the_whole(events: list[Any], data: Any) -> None:
    store = open_store("memory://")
    append_all(store, events)
    states = _rebuilt(store)
    for projection in builtin_projections():
        state = states[projection.name]
        keys = sorted(projection.keys(state), key=str)
        cut = data.draw(st.integers(0, len(keys)))
        parts = [projection.dump_part(state, keys[:cut]), projection.dump_part(state, keys[cut:])]
        assert projection.load_parts(parts) == state, projection.name


@settings(max_examples=15)
@given(histories())
def test_folding_stream_by_stream_equals_folding_in_log_order(events: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'log.sqlite'}"
        with open_store(url) as store:
            append_all(store, events)
            whole = _rebuilt(store)
        merged, head, read = parallel_fold(url, workers=1)  # in this process: no fork
        assert head == read == len(events)
        assert merged == whole


@pytest.mark.slow
def test_partitioned_rebuild_equals_the_one_process_rebuild(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    with open_store(url) as store:
        # 120 streams: the helper's buckets (50-99 of 100, by interned id) hold some too
        append_all(store, [reg(100000 + i, D(2020, 1, 1)) for i in range(120)])
        append_all(store, [engage(100000 + i, D(2024, 10, i % 28 + 1)) for i in range(0, 120, 3)])
        whole = _rebuilt(store)
        head = store.head()
    merged, seen, read = parallel_fold(url, workers=2)
    assert (seen, read) == (head, head)
    assert merged == whole
    with open_store(url) as store:
        projector = Projector(store)
        assert projector.rebuild_partitioned(url, workers=2) == head
        assert _states(projector) == whole
        assert _states(Projector(store)) == whole
        assert Projector(store).lag() == 0
        append_all(store, [engage(100001, D(2024, 11, 1))])
        assert projector.catch_up() == 1
        assert _states(projector) == _rebuilt(store)


@given(histories(), st.integers(0, 80), st.integers(0, 80), st.sampled_from([1, 2, 1000]))
def test_projections_at_different_checkpoints_catch_up_together(
    events: list[Any], first: int, second: int, save_every: int
) -> None:
    # some projections are ahead of others (one added later, or rebuilt): one catch-up
    # brings each exactly to the head, skipping what each already holds
    store = open_store("memory://")
    everything = builtin_projections()
    names = [p.name for p in everything]
    low, high = sorted((first, second))
    append_all(store, events[:low])
    Projector(store, [p for p in everything if p.name in names[::2]]).catch_up()
    append_all(store, events[low:high])
    Projector(store, [p for p in everything if p.name in names[::3]]).catch_up()
    append_all(store, events[high:])
    with _tiny_parts(2):
        projector = Projector(store, save_every=save_every)
        assert projector.catch_up() == len(events)
        assert {projector.checkpoint(n) for n in names} <= {len(events)}
    assert _states(projector) == _rebuilt(store)
    assert _states(Projector(store)) == _rebuilt(store)
