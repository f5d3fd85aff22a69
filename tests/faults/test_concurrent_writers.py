"""Eight writer processes append to one store at once (SQLite, PostgreSQL), half their
calls to two streams they all share (one ``append_many`` with expected versions, retried
on each conflict): every event is stored exactly once and every stream's versions run
1, 2, 3, ... without a gap."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hubcore.store import open_store

from ._zygote_client import Zygote

WRITERS, CALLS = 8, 30


@pytest.mark.slow
def test_eight_writers_store_every_event_once(
    backend_url: str, tmp_path: Path, zygote: Zygote, figures: Counter[str]
) -> None:
    """Fails when the expected-version check races (an event lands twice, or a version
    repeats), or a shared ``append_many`` lands one stream without the other."""
    open_store(backend_url).close()  # the schema exists before the writers race
    go = tmp_path / "go"
    pids = zygote.start(
        {"mode": "write", "url": backend_url, "count": WRITERS, "calls": CALLS, "go": str(go)}
    )
    go.touch()
    assert zygote.finish(pids) == [0] * WRITERS, f"a writer failed; see {zygote.log}"
    conflicts = sum(
        int(line.rsplit(":", 1)[1].strip(" }\n"))
        for line in zygote.log.read_text().splitlines()
        if line.startswith('{"worker"')
    )
    planned = {
        f"w{w}-c{c}-b{b}-{i}"
        for w in range(WRITERS)
        for c in range(CALLS)
        for b in range(2 if c % 2 == 0 else 1)
        for i in range(1 + c % 3)
    }
    with open_store(backend_url) as store:
        records = list(store.read_all())
        marks = [r.event.action_id for r in records]  # type: ignore[attr-defined]
        assert len(marks) == len(set(marks)), "an event was stored twice"
        assert set(marks) == planned
        assert [r.position for r in records] == list(range(1, len(planned) + 1))
        assert store.verify() == len(planned)
        for stream in store.streams():
            versions = [r.version for r in store.read_stream(stream)]
            assert versions == list(range(1, len(versions) + 1)), stream
        shared = [store.stream_version(f"school-{urn}") for urn in (300000, 300001)]
        assert shared[0] == shared[1], "a shared call landed in one stream only"
    assert conflicts > 0, "the writers should have contended"
    backend = backend_url.split(":", 1)[0]
    figures[f"concurrent writers ({backend}): events stored exactly once"] += len(planned)
    figures[f"concurrent writers ({backend}): version conflicts retried"] += conflicts
