"""ProjectionWorker on the embedded backends: one worker per projection, take-over from
the saved checkpoint. (PostgreSQL, with processes killed: test_postgres_live.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from hubcore.errors import HubcoreError
from hubcore.projections import ProjectionWorker
from hubcore.store import Store, open_store

from ._pg_worker import Applied, actions


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_one_worker_folds_a_projection_and_another_takes_over(kind: str, tmp_path: Path) -> None:
    """Two workers, one projection: the first to step holds it, the second folds nothing;
    once the first releases, the second resumes from the saved checkpoint and every
    position ends up in the state exactly once."""
    url = "memory://" if kind == "memory" else f"sqlite:///{tmp_path / 'w.sqlite'}"
    store = open_store(url)
    other = store if kind == "memory" else open_store(url)
    assert isinstance(store, Store)
    assert isinstance(other, Store)
    store.append("school-100001", actions(100001, "a", 30))
    first = ProjectionWorker(store, [Applied()], save_every=10)
    second = ProjectionWorker(other, [Applied()], save_every=10)
    assert first.step() == 30
    assert first.owned == ["applied"]
    assert second.step() == 0
    assert second.owned == []
    store.append("school-100001", actions(100001, "b", 5))
    assert second.step() == 0  # still held
    first.release()
    assert second.step() == 5  # from the checkpoint the first saved: 30
    assert second.owned == ["applied"]
    saved = other.load_projection("applied")
    assert saved is not None
    assert saved.checkpoint == 35
    assert Applied().load(saved.state) == list(range(1, 36))
    second.release()
    store.close()
    other.close()


def test_a_worker_needs_a_hubcore_store() -> None:
    with pytest.raises(HubcoreError, match="Store"):
        ProjectionWorker(object(), [Applied()])  # type: ignore[arg-type]
