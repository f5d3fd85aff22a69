"""The Projector's checkpointing: versions, rebuilds, persistence, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hubcore.errors import HubcoreError
from hubcore.projections import (
    Coverage,
    ModelProjection,
    Projector,
    Ratio,
    TrainingLedger,
    builtin_projections,
)
from hubcore.store import open_store

from ._support import D, append_all, engage, reg

HISTORY = [reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1)), reg(100002, D(2021, 1, 1))]


def _coverage(version: int = 1) -> ModelProjection[Coverage]:
    return ModelProjection("coverage", version, Coverage)


def test_catch_up_reads_only_what_is_new() -> None:
    store = open_store("memory://")
    append_all(store, HISTORY)
    projector = Projector(store)
    assert projector.catch_up() == 3
    assert projector.catch_up() == 0
    append_all(store, [engage(100002, D(2024, 11, 1))])
    assert projector.catch_up() == 1
    assert projector.get("coverage", Coverage).rate("2024/25") == Ratio(2, 2)
    assert projector.checkpoint("coverage") == 4
    assert projector.lag() == 0


def test_version_bump_rebuilds_automatically() -> None:
    store = open_store("memory://")
    append_all(store, HISTORY)
    Projector(store, [_coverage(1)]).catch_up()
    assert store.load_projection("coverage").checkpoint == 3
    # an old state saved under version 1 must not be trusted by version 2
    store.save_projections([store.load_projection("coverage").__class__("coverage", 1, 3, b"{}")])
    bumped = Projector(store, [_coverage(2)])
    assert bumped.checkpoint("coverage") == 0
    assert bumped.catch_up() == 3
    assert bumped.get("coverage", Coverage).rate("2024/25") == Ratio(1, 2)
    assert store.load_projection("coverage").version == 2


def test_rebuild_one_leaves_the_others_untouched() -> None:
    store = open_store("memory://")
    append_all(store, HISTORY)
    projector = Projector(store)
    projector.catch_up()
    before = {name: store.load_projection(name) for name in projector.names}
    training = projector.get("training")
    assert projector.rebuild("coverage") == 3
    assert projector.get("training") is training
    for name in projector.names:
        if name != "coverage":
            assert store.load_projection(name) == before[name]
    assert projector.get("coverage", Coverage).rate("2024/25") == Ratio(1, 2)
    with pytest.raises(HubcoreError, match="nope"):
        projector.rebuild("nope")


def test_sqlite_persistence_survives_reopen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    with open_store(url) as store:
        append_all(store, HISTORY)
        Projector(store, save_every=1).catch_up()
    with open_store(url) as store:
        projector = Projector(store)
        assert projector.checkpoint("coverage") == 3
        assert projector.get("coverage", Coverage).rate("2024/25") == Ratio(1, 2)
        assert projector.catch_up() == 0


def test_a_failing_fold_leaves_the_saved_state_and_memory_consistent() -> None:
    class Boom(ModelProjection[Coverage]):
        def apply(self, state: Coverage, recorded: Any) -> Coverage:
            if recorded.position == 3:
                raise RuntimeError("boom")
            return super().apply(state, recorded)

    store = open_store("memory://")
    append_all(store, HISTORY)
    projector = Projector(store, [Boom("coverage", 1, Coverage)], save_every=1)
    with pytest.raises(RuntimeError):
        projector.catch_up()
    assert projector.checkpoint("coverage") == 2
    assert store.load_projection("coverage").checkpoint == 2
    assert projector.get("coverage", Coverage).registered() == [100001]


def test_get_names_and_kinds() -> None:
    projector = Projector(open_store("memory://"))
    assert projector.names == [p.name for p in builtin_projections()]
    with pytest.raises(HubcoreError, match="no projection named 'x'"):
        projector.get("x")
    with pytest.raises(HubcoreError, match="not a TrainingLedger"):
        projector.get("coverage", TrainingLedger)
    with pytest.raises(HubcoreError, match="unique"):
        Projector(open_store("memory://"), [_coverage(), _coverage()])
    with pytest.raises(HubcoreError, match="neither"):
        projector.as_of("2024")


def test_as_of_a_day_and_a_year() -> None:
    store = open_store("memory://")
    append_all(store, HISTORY)
    projector = Projector(store)
    assert projector.as_of(D(2024, 9, 30)).get("coverage", Coverage).rate("2024/25") == Ratio(0, 2)
    assert projector.as_of("2024/25").get("coverage", Coverage).rate("2024/25") == Ratio(1, 2)
    assert projector.checkpoint("coverage") == 0  # nothing was folded or saved


def test_corrupt_stored_state_is_a_hubcore_error() -> None:
    with pytest.raises(HubcoreError, match="Coverage"):
        Coverage.load(b"not json")
