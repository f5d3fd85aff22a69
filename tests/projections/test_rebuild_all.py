"""Rebuilding many projections in one pass, and resuming a killed rebuild."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.projections import Projector, builtin_projections, fold
from hubcore.store import open_store

from ._histories import histories
from ._support import D, Dies, Killed, append_all, engage, reg


def _states(projector: Projector) -> dict[str, Any]:
    return {name: projector.get(name) for name in projector.names}


def _lie(store: Any, events: list[Any]) -> None:
    """Save, as of the store's head, the states of only the first half of ``events``: a
    rebuild that trusted any state saved before it began would answer wrongly."""
    half = fold(builtin_projections(), _recorded(events[: len(events) // 2]))
    projector = Projector(store)
    entries = list(projector._entries.values())
    for entry in entries:
        entry.state = half[entry.projection.name]
    projector._save(entries, store.head(), None)


def _recorded(events: list[Any]) -> list[Any]:
    scratch = open_store("memory://")
    append_all(scratch, events)
    return list(scratch.read_all())


class _Reading:
    """A store that counts the events read from it."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.read = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def read_all(self, after: int = 0, limit: int | None = None) -> Any:
        for rec in self._store.read_all(after, limit):
            self.read += 1
            yield rec


@settings(max_examples=40)
@given(histories(), st.sampled_from([1, 3, 1000]))
def test_one_pass_rebuild_equals_the_fold_of_the_log(events: list[Any], save_every: int) -> None:
    store = open_store("memory://")
    append_all(store, events)
    _lie(store, events)
    reading = _Reading(store)
    projector = Projector(reading, save_every=save_every)  # type: ignore[arg-type]
    assert projector.rebuild_all() == len(events)
    assert reading.read == len(events)  # the log read once for every projection
    whole = fold(builtin_projections(), store.read_all())
    assert _states(projector) == whole
    assert _states(Projector(store)) == whole  # as saved
    assert store.load_projection("__rebuild__") is None


@settings(max_examples=40)
@given(histories(), st.integers(0, 80), st.sampled_from([1, 2, 7]))
def test_a_killed_rebuild_resumes_from_its_last_save(
    events: list[Any], kill_at: int, save_every: int
) -> None:
    store = open_store("memory://")
    append_all(store, events)
    _lie(store, events)
    with contextlib.suppress(Killed):
        Projector(Dies(store, kill_at), save_every=save_every).rebuild_all()  # type: ignore[arg-type]
    unfinished = store.load_projection("__rebuild__") is not None
    assert unfinished == (kill_at < len(events))
    resumed = Projector(store, save_every=save_every)
    low = min(resumed.checkpoint(name) for name in resumed.names)
    # an unfinished rebuild goes on from its last save; a finished one is a new rebuild
    assert resumed.rebuild_all() == len(events) - (low if unfinished else 0)
    assert _states(resumed) == fold(builtin_projections(), store.read_all())


def test_rebuilding_some_leaves_the_others_and_a_different_note_starts_again() -> None:
    store = open_store("memory://")
    history = [reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))]
    append_all(store, history)
    projector = Projector(store)
    projector.catch_up()
    training = store.load_projection("training")
    with contextlib.suppress(Killed):
        Projector(Dies(store, 1), save_every=1).rebuild_all(["coverage", "cadence"])  # type: ignore[arg-type]
    assert store.load_projection("training") == training
    # a rebuild of other names does not resume the noted one: it folds from zero
    again = Projector(store)
    assert again.rebuild_all(["coverage"]) == 2
    assert again.rebuild_all(["coverage", "cadence"]) == 2


_CHILD = """
import os, signal, sys
from hubcore.projections import Projector, _projector
from hubcore.store import open_store

saves = 0
original = Projector._save

def dying_save(self, entries, position, touched):
    global saves
    done = original(self, entries, position, touched)
    saves += 1
    if saves == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return done

Projector._save = dying_save
with open_store(sys.argv[1]) as store:
    Projector(store, save_every=40).rebuild_all()
"""


def test_a_sigkilled_rebuild_process_resumes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    with open_store(url) as store:
        append_all(store, [reg(100000 + i, D(2020, 1, 1)) for i in range(150)])
        append_all(store, [engage(100000 + i, D(2024, 10, i % 28 + 1)) for i in range(0, 150, 2)])
        head = store.head()
        Projector(store).catch_up()
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CHILD), url, "3"],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    assert child.returncode == -signal.SIGKILL
    with open_store(url) as store:
        assert store.load_projection("__rebuild__") is not None
        resumed = Projector(store)
        low = min(resumed.checkpoint(name) for name in resumed.names)
        assert 0 < low < head  # killed part way, after some saves
        assert resumed.rebuild_all() == head - low
        assert _states(resumed) == fold(builtin_projections(), store.read_all())
        assert store.load_projection("__rebuild__") is None
