"""PostgreSQL with several processes and faults, on the real server: 8 writers and a
tailing reader, LISTEN/NOTIFY subscriptions across dropped connections, projector workers
failing over, and a rebuild resumed after the server dropped its connection.

"The server restarting" is simulated by ending this test's own server processes with
``pg_terminate_backend`` (what a restart does to each client), never by restarting the
shared server other work may be using.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hubcore.errors import StoreUnavailable
from hubcore.projections import Projector, fold
from hubcore.store import Store, open_store
from hubcore.testing.conformance import school_events

from ._pg import admin, fresh_schema_url, schema_of, terminate
from ._pg_worker import Applied, actions

WORKER = Path(__file__).with_name("_pg_worker.py")


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    with fresh_schema_url(tmp_path) as url:
        yield url


def _spawn(*args: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_eight_writers_and_a_tailing_reader_see_every_event_once(
    pg_url: str, tmp_path: Path
) -> None:
    """8 processes append at once while a subscription tails the log: the reader gets every
    event exactly once, in position order, with no gap, as a fresh full read does.

    Fails when positions can become visible out of order (a reader past a late-committing
    position would never see it)."""
    writers, batches, size = 8, 25, 20
    total = writers * batches * size
    open_store(pg_url).close()
    go = tmp_path / "go"
    children = [_spawn("append", pg_url, w, batches, size, go) for w in range(writers)]
    seen = []
    with open_store(pg_url) as store:
        with store.subscribe(after=0, poll=0.2) as live:
            go.touch()
            deadline = time.monotonic() + 180
            while len(seen) < total and time.monotonic() < deadline:
                record = live.get(timeout=5)
                if record is not None:
                    seen.append(record)
        for child in children:
            _, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
        assert [r.position for r in seen] == list(range(1, total + 1))
        assert len({r.event_id for r in seen}) == total
        tags = {r.event.action_id for r in seen}  # type: ignore[attr-defined]
        assert tags == {
            f"{w}-{b}-{i}" for w in range(writers) for b in range(batches) for i in range(size)
        }
        assert [r.event_id for r in store.read_all()] == [r.event_id for r in seen]
        assert store.verify() == total


def test_a_subscription_wakes_on_notify_not_on_its_poll(pg_url: str) -> None:
    """With a 60 s poll, an append by another connection still reaches the subscriber at
    once: LISTEN/NOTIFY wakes it."""
    with (
        open_store(pg_url) as store,
        open_store(pg_url) as writer,
        store.subscribe(after=0, poll=60) as live,
    ):
        time.sleep(0.2)
        began = time.monotonic()
        writer.append("school-100001", school_events(100001, 2))
        first = live.get(timeout=10)
        assert first is not None
        assert time.monotonic() - began < 5
        assert first.position == 1


def _waited_for_an_append(store: Store, writer: Store, urn: int, poll: float) -> float:
    """Seconds a subscription's ``get`` took to deliver an event ``writer`` appends 0.5 s
    into its wait (the subscription starts at the head, so it must wait)."""
    with store.subscribe(after=store.head(), poll=poll) as live:
        later = threading.Timer(0.5, writer.append, (f"school-{urn}", school_events(urn, 1)))
        began = time.monotonic()
        later.start()
        got = live.get(timeout=3)
        waited = time.monotonic() - began
        later.join()
    assert got is not None
    assert got.stream == f"school-{urn}"
    return waited


def test_without_notifications_a_subscription_still_sees_appends_by_polling(pg_url: str) -> None:
    """With the store's NOTIFY trigger disabled (a pooler that drops notifications, a
    listener that missed one), appends still reach a subscriber at its next poll.

    The control, with a 60 s poll, shows that no notification woke it: it found the event
    only when its 3 s wait ran out."""
    open_store(pg_url).close()  # make the schema and its triggers
    with admin(pg_url) as conn:
        conn.execute(f"ALTER TABLE {schema_of(pg_url)}.commits DISABLE TRIGGER commits_notify")
    with open_store(pg_url) as store, open_store(pg_url) as writer:
        assert _waited_for_an_append(store, writer, 100001, poll=60) >= 2.9
        assert _waited_for_an_append(store, writer, 100002, poll=0.3) < 2.5


def test_a_subscription_resumes_after_its_connections_are_dropped(pg_url: str) -> None:
    """The server ending the subscriber's connections (store and LISTEN) loses nothing:
    the subscription reconnects and goes on from the last position it delivered."""
    app = "hubcore_test_sub"
    with open_store(f"{pg_url}&application_name={app}") as store, open_store(pg_url) as writer:
        writer.append("school-100001", school_events(100001, 3))
        with store.subscribe(after=0, poll=0.2) as live:
            got = [live.get(timeout=10) for _ in range(3)]
            assert [r.position for r in got if r is not None] == [1, 2, 3]
            assert terminate(pg_url, app) >= 2  # the store's connection and the listener
            writer.append("school-100002", school_events(100002, 4))
            more = [live.get(timeout=20) for _ in range(4)]
            assert [r.position for r in more if r is not None] == [4, 5, 6, 7]
            assert live.get(timeout=0.5) is None
            writer.append("school-100003", school_events(100003, 1))
            last = live.get(timeout=20)
            assert last is not None
            assert last.position == 8


def _owners(report: Path) -> list[tuple[float, str]]:
    if not report.exists():
        return []
    lines = report.read_text().splitlines()
    return [(float(line.split(" ", 1)[0]), line.split(" ", 1)[1].strip()) for line in lines]


@pytest.mark.slow
def test_projector_workers_fail_over_and_nothing_is_applied_twice(
    pg_url: str, tmp_path: Path
) -> None:
    """Two worker processes share one projection: one holds it; killed mid-fold, the other
    takes it over within seconds and finishes from the last saved checkpoint. The saved
    state holds every position exactly once.

    Fails when a claim outlives its holder (no take-over), or state and checkpoint are not
    saved together (a re-fold would apply events twice)."""
    with open_store(pg_url) as store:
        for batch in range(40):
            store.append("school-100001", actions(100001, f"b{batch}", 50))
        head = store.head()
    reports = [tmp_path / "a.txt", tmp_path / "b.txt"]
    first = _spawn("project", pg_url, reports[0], 0.002)
    assert first.stdout is not None
    assert first.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 60
    while not _owners(reports[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = _spawn("project", pg_url, reports[1], 0.002)
    try:
        with open_store(pg_url) as store:
            while time.monotonic() < deadline:  # let the first save part of its work
                saved = store.load_projection("applied")
                if saved is not None and saved.checkpoint >= head // 4:
                    break
                time.sleep(0.05)
            assert saved is not None
            assert saved.checkpoint < head, "the first worker finished before the kill"
            os.kill(first.pid, signal.SIGKILL)
            killed = time.time()
            first.wait(10)
            while time.monotonic() < deadline + 60:
                done = store.load_projection("applied")
                if done is not None and done.checkpoint == head:
                    break
                time.sleep(0.1)
            assert _owners(reports[1]), "the second worker never took over"
            took_over = _owners(reports[1])[0][0]
            assert took_over - killed < 5, f"take-over after {took_over - killed:.1f}s"
            assert _owners(reports[0])[0][1] == "applied"
            final = store.load_projection("applied")
            assert final is not None
            assert final.checkpoint == head
            assert Applied().load(final.state) == list(range(1, head + 1))
    finally:
        for child in (first, second):
            if child.poll() is None:
                child.kill()
            child.wait(10)


class _Dropping:
    """A projection that, at one event, has the server end the store's connections."""

    name = "dropping"
    version = 1
    handles = frozenset({"SchoolRegistered", "SchoolEngaged", "ConversationHeld"})

    def __init__(self, url: str, app: str, at: int) -> None:
        self._url, self._app, self._at = url, app, at
        self.dropped = False

    def initial(self) -> list[int]:
        return []

    def apply(self, state: list[int], recorded: Any) -> list[int]:
        if recorded.position >= self._at and not self.dropped:
            self.dropped = True
            terminate(self._url, self._app)
        state.append(recorded.position)
        return state

    def dump(self, state: list[int]) -> bytes:
        return Applied().dump(state)

    def load(self, data: bytes) -> list[int]:
        return Applied().load(data)


def test_a_rebuild_cut_off_by_the_server_resumes_from_its_checkpoint(pg_url: str) -> None:
    """The server ending the store's connection in the middle of a catch-up is a clear
    StoreUnavailable; a new Projector resumes from the last saved checkpoint (reading only
    what came after it) and ends with exactly the states of a fold of the whole log."""
    app = "hubcore_test_rebuild"
    url = f"{pg_url}&application_name={app}"
    with open_store(pg_url) as store:
        for urn in range(100100, 100160):
            store.append(f"school-{urn}", school_events(urn, 100, f"r{urn}"))
        head = store.head()
        never = _Dropping(pg_url, app, at=head + 1)
        expected = fold([never], store.read_all())["dropping"]
    dropping = _Dropping(pg_url, app, at=4321)
    with open_store(url) as store:
        assert isinstance(store, Store)
        projector = Projector(store, [dropping], save_every=1000)
        with pytest.raises(StoreUnavailable):
            projector.catch_up()
        assert dropping.dropped
    with open_store(url) as store:
        saved = store.load_projection("dropping")
        assert saved is not None
        assert 0 < saved.checkpoint < head
        resumed = Projector(store, [dropping], save_every=1000)
        assert resumed.checkpoint("dropping") == saved.checkpoint
        assert resumed.catch_up() == head - saved.checkpoint
        assert resumed.get("dropping") == expected  # each handled position once, in order
        final = store.load_projection("dropping")
        assert final is not None
        assert final.checkpoint == head
        assert dropping.load(final.state) == expected
