"""The partitioned rebuild: any number of processes and any split give the one-process fold."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.errors import HubcoreError
from hubcore.events import HubEstablished, SchoolEngaged
from hubcore.projections import (
    ModelProjection,
    Projection,
    Projector,
    ReadModel,
    _parallel,
    builtin_projections,
    fold,
    parallel_fold,
)
from hubcore.store import open_store

from ._histories import histories
from ._support import D, append_all, append_batched, engage, reg


def _log(folder: str, events: list[Any], cuts: list[int] | None = None, padding: int = 0) -> str:
    """A SQLite log of ``events``, after ``padding`` streams no projection reads: the store
    buckets streams by interned id, so padding moves the history's streams to other
    buckets (and so to other processes)."""
    url = f"sqlite:///{Path(folder) / 'log.sqlite'}"
    with open_store(url) as store:
        for i in range(padding):
            pad = HubEstablished(
                occurred_on=D(2020, 1, 1), hub_id=f"pad{i}", name="Pad", lead_organisation="LA",
                la_codes={"901"},
            )  # fmt: skip
            store.append(pad.stream, [pad])
        if cuts is None:
            append_all(store, events)
        else:
            append_batched(store, events, cuts)
    return url


def _whole(url: str, projections: Sequence[Any] | None = None) -> dict[str, Any]:
    with open_store(url) as store:
        return fold(builtin_projections() if projections is None else projections, store.read_all())


@settings(max_examples=30)
@given(
    histories(),
    st.integers(1, 3),
    st.floats(0.01, 0.99),
    st.none() | st.lists(st.integers(0, 60), max_size=6),
    st.integers(0, 99),
)
def test_partitioned_fold_equals_the_one_process_fold(
    events: list[Any], workers: int, lead_share: float, cuts: list[int] | None, padding: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = _log(folder, events, cuts, padding)
        whole = _whole(url)
        merged, head, read = parallel_fold(url, workers=workers, lead_share=lead_share)
        assert head == read == len(events) + padding
        assert merged == whole
        with open_store(url) as store:
            projector = Projector(store)
            assert projector.rebuild_partitioned(url, workers=workers) == head
            assert {n: projector.get(n) for n in projector.names} == whole
            reloaded = Projector(store)
            assert {n: reloaded.get(n) for n in reloaded.names} == whole
            assert reloaded.lag() == 0


@settings(max_examples=25)
@given(histories())
def test_built_in_states_travel_as_plain_data(events: list[Any]) -> None:
    # every built-in read model holds plain values only (no enum members, no dates), so a
    # helper hands it back in the fast form, and it comes back equal
    with tempfile.TemporaryDirectory() as folder:
        states = _whole(_log(folder, events))
    for projection in builtin_projections():
        form, data = _parallel._pack(projection, states[projection.name])
        assert form == "fields", projection.name
        assert _parallel._unpack(projection, form, data) == states[projection.name]


@attrs.define(eq=True)
class _Offers(ReadModel):
    """A read model keeping enum members (as a plugin's might): it travels as its dump."""

    _HUB_KEYED = frozenset({"_offers"})

    _offers: dict[str, list[Any]] = attrs.field(factory=dict)

    def _on_SchoolEngaged(self, e: SchoolEngaged) -> None:
        self._offers[e.stream] = sorted(e.offer)


class _PerStream:
    """A Projection that is no ReadModel: events per stream, in a plain dict."""

    name = "per_stream"
    version = 1
    handles = frozenset({"SchoolRegistered", "SchoolEngaged"})

    def initial(self) -> dict[str, int]:
        return {}

    def apply(self, state: dict[str, int], recorded: Any) -> dict[str, int]:
        state[recorded.stream] = state.get(recorded.stream, 0) + 1
        return state

    def dump(self, state: dict[str, int]) -> bytes:
        return orjson.dumps(state)

    def load(self, data: bytes) -> dict[str, int]:
        loaded: dict[str, int] = orjson.loads(data)
        return loaded

    def merge(self, parts: Sequence[dict[str, int]]) -> dict[str, int]:
        return {k: v for part in parts for k, v in part.items()}


def _schools(count: int) -> list[Any]:
    events: list[Any] = [reg(100000 + i, D(2020, 1, 1)) for i in range(count)]
    events += [engage(100000 + i, D(2024, 10, 1), "singing", "cpd") for i in range(count)]
    return events


def test_other_states_travel_as_their_dump(tmp_path: Path) -> None:
    url = _log(str(tmp_path), _schools(40))
    chosen: list[Projection[Any]] = [ModelProjection("offers", 1, _Offers), _PerStream()]
    whole = _whole(url, chosen)
    merged, _, _ = parallel_fold(url, chosen, workers=3)
    assert merged == whole
    assert len(merged["per_stream"]) == 40
    state = whole["offers"]
    assert _parallel._pack(chosen[0], state)[0] == "dump"  # enum members: no marshal
    assert _parallel._pack(chosen[1], whole["per_stream"])[0] == "dump"


_CALLER = os.getpid()


class _Fails(_PerStream):
    """Folds normally in the calling process; in a helper, does ``how``."""

    def __init__(self, how: str) -> None:
        self.how = how

    def apply(self, state: dict[str, int], recorded: Any) -> dict[str, int]:
        if os.getpid() != _CALLER and self.how == "raise":
            raise RuntimeError("bad fold in a helper")
        if os.getpid() != _CALLER and self.how == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        if os.getpid() == _CALLER and self.how == "caller":
            raise RuntimeError("bad fold in the caller")
        return super().apply(state, recorded)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary directory parallel_fold works in (checked empty afterwards)."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("raise", r"worker 1 \(stream buckets 50-99 of 100\) failed: RuntimeError: bad fold"),
        ("die", r"worker 1 \(stream buckets 50-99 of 100\) failed: it ended \(exit code -9\)"),
        ("caller", "bad fold in the caller"),
    ],
)
def test_a_failed_process_fails_the_fold_and_leaves_nothing_behind(
    tmp_path: Path, scratch: Path, how: str, expected: str
) -> None:
    url = _log(str(tmp_path), _schools(120))
    with pytest.raises((HubcoreError, RuntimeError), match=expected):
        parallel_fold(url, [_Fails(how)], workers=2)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("workers", "lead_share", "message"),
    [
        (0, None, "workers must be 1 to 100, got 0"),
        (101, None, "workers must be 1 to 100, got 101"),
        (2, 0.0, "lead_share must be between 0 and 1, got 0.0"),
        (2, 1.5, "lead_share must be between 0 and 1, got 1.5"),
    ],
)
def test_bad_arguments_are_refused(
    tmp_path: Path, workers: int, lead_share: float | None, message: str
) -> None:
    url = _log(str(tmp_path), _schools(2))
    with pytest.raises(HubcoreError, match=message):
        parallel_fold(url, workers=workers, lead_share=lead_share)


def test_shares_cover_every_bucket_once() -> None:
    for workers in range(1, 8):
        for lead_share in (0.01, 0.3, 0.5, 0.77, 0.99):
            shares = _parallel._shares(workers, lead_share)
            assert len(shares) == workers
            assert [b for share in shares for b in share] == list(range(100))
            assert all(len(share) >= 1 for share in shares)
