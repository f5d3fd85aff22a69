"""Memory store thread safety and tamper detection; ``open_store`` URLs."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hubcore.errors import ConcurrencyError, UnsupportedStoreURL
from hubcore.store import MemoryStore, SqliteStore, open_store
from hubcore.testing.conformance import school_events


def test_threads_append_safely() -> None:
    store = MemoryStore()
    conflicts: list[int] = []
    successes: list[int] = []

    def work(worker: int) -> None:
        for attempt in range(200):
            stream = "school-100900" if attempt % 2 else f"school-10091{worker}"
            urn = int(stream.removeprefix("school-"))
            version = store.stream_version(stream)
            try:
                store.append(stream, school_events(urn, 2, f"w{worker}"), version)
            except ConcurrencyError:
                conflicts.append(1)
            else:
                successes.append(1)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(conflicts) + len(successes) == 800
    assert [r.position for r in store.read_all()] == list(range(1, 2 * len(successes) + 1))
    assert store.verify() == 2 * len(successes)


def test_open_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(open_store("memory://"), MemoryStore)
    absolute = open_store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    assert isinstance(absolute, SqliteStore)
    assert absolute.path == tmp_path / "a.sqlite"
    absolute.close()
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.sqlite") as relative:
        assert (tmp_path / "rel.sqlite").exists()
        assert relative.head() == 0
    for bad in (
        "nosuch://db/hub",
        "sqlite://",
        "sqlite:///",
        "mem://",
        "memory://x",
        "",
        "events.db",
    ):
        with pytest.raises(UnsupportedStoreURL):
            open_store(bad)


@pytest.mark.parametrize(
    ("tail", "why"),
    [
        (":memory:", "lost when it is closed"),
        ("file:hub.sqlite?mode=memory&cache=shared", "lost when it is closed"),
        ("file::memory:", "lost when it is closed"),
        ("hub.sqlite?mode=memory", "mode=memory would keep the store in memory"),
        ("hub.sqlite?mode=ro", r"takes no query parameters .*'mode'"),
        ("hub.sqlite?journal=off&x=1", r"takes no query parameters .*'journal', 'x'"),
        ("hub.sqlite#backup", "takes no query parameters or fragment"),
    ],
)
def test_sqlite_urls_that_would_lose_data_are_refused(
    tail: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each would have opened a store that vanishes on close, or a file other than the one
    meant; the message says why, and no file is made."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsupportedStoreURL, match=f"refused: .*{why}"):
        open_store(f"sqlite:///{tail}")
    assert list(tmp_path.iterdir()) == []
