"""A lazy Projector reads a saved state only when it is asked for, and answers the same."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.projections import Projector, builtin_projections, fold
from hubcore.store import StoredProjection, open_store

from ._histories import histories
from ._support import D, append_all, engage, reg
from .test_saving import _tiny_parts


class _Reads:
    """A store that records the projection rows read."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.read: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def load_projection(self, name: str) -> StoredProjection | None:
        self.read.append(name)
        return self._store.load_projection(name)  # type: ignore[no-any-return]


def _rebuilt(store: Any) -> dict[str, Any]:
    return fold(builtin_projections(), store.read_all())


def _saved(events: list[Any]) -> Any:
    store = open_store("memory://")
    append_all(store, events)
    Projector(store).catch_up()
    return store


def test_only_the_read_models_asked_for_are_read() -> None:
    with _tiny_parts():
        store = _Reads(_saved([reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))]))
        projector = Projector(store, lazy=True)
        assert projector.catch_up() == 0
        assert all("#" not in name for name in store.read)  # manifests only
        assert projector.checkpoint("coverage") == 2
        store.read.clear()
        coverage = projector.get("coverage")
        assert store.read
        assert {name.split("#")[0] for name in store.read} == {"coverage"}
        assert coverage == _rebuilt(store)["coverage"]
        store.read.clear()
        projector.get("coverage")
        assert store.read == []  # read once


@settings(max_examples=40)
@given(histories(), st.integers(0, 6), st.integers(1, 3))
def test_lazy_read_models_equal_the_eager_ones(events: list[Any], more: int, part: int) -> None:
    with _tiny_parts(part):
        store = _saved(events[: len(events) - more])
        append_all(store, events[len(events) - more :])  # some events not folded yet
        lazy = Projector(store, lazy=True)
        lazy.catch_up()
        eager = Projector(store)
        assert lazy.names == eager.names
        for name in eager.names:
            assert lazy.get(name) == eager.get(name), name
            assert lazy.checkpoint(name) == eager.checkpoint(name) == store.head()
        assert {name: lazy.get(name) for name in lazy.names} == _rebuilt(store)


def test_a_missing_part_found_when_asked_for_is_folded_again() -> None:
    with _tiny_parts():
        store = _saved([reg(100001, D(2020, 1, 1)), reg(100002, D(2020, 1, 1))])
        manifest = store.load_projection("coverage")
        parts = b'{"__shards__":4}'
        store.save_projections(
            [StoredProjection("coverage", manifest.version, manifest.checkpoint, parts)]
        )
        lazy = Projector(store, lazy=True)
        lazy.catch_up()
        assert lazy.rebuilt == {}  # not read yet
        assert lazy.get("coverage") == _rebuilt(store)["coverage"]
        assert "of 4 is missing or newer than its manifest" in lazy.rebuilt["coverage"]
        assert lazy.checkpoint("coverage") == store.head()


def test_an_owned_read_model_is_read_afresh_and_not_kept() -> None:
    with _tiny_parts():
        store = _saved([reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))])
        lazy = Projector(store, lazy=True)
        lazy.catch_up()
        owned = lazy.owned("coverage")
        assert owned == _rebuilt(store)["coverage"]
        owned._roster.clear()  # the caller's to change: the Projector's is untouched
        assert lazy.get("coverage") == _rebuilt(store)["coverage"]
        assert lazy.owned("coverage") is None  # now held here: copy get()'s instead
        assert Projector(store).owned("coverage") is None
        assert lazy.owned("no such") is None


def test_a_lazy_projector_rebuilds_and_resumes_a_rebuild() -> None:
    with _tiny_parts():
        events = [reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))]
        store = _saved(events)
        lazy = Projector(store, lazy=True)
        assert lazy.rebuild_all() == len(events)
        assert {name: lazy.get(name) for name in lazy.names} == _rebuilt(store)
        # an unfinished rebuild of every projection, noted: a lazy Projector resumes it
        store.save_projections([StoredProjection("__rebuild__", 1, 0, b'["coverage"]')])
        again = Projector(store, lazy=True)
        again.rebuild_all(["coverage"])
        assert again.get("coverage") == _rebuilt(store)["coverage"]
