"""``check_read_models``: each stored read model recomputed from the log and compared.

The rule, per projection: load the state saved in the store and its checkpoint ``c``; fold
the log's first ``c`` events into a fresh state; the two must be equal (compared as their
dumped data, so a state read back from JSON equals the one folded in memory). A read model
that was never saved (or saved by another version of its projection) is ``not-saved``, not
a failure: the next catch-up folds it from zero anyway.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import orjson

from hubcore.projections._builtin import builtin_projections
from hubcore.projections._projector import _load_saved, fold
from hubcore.projections._protocol import Projection
from hubcore.store import EventStore

__all__ = ["CheckStatus", "ReadModelCheck", "check_read_models"]

CheckStatus = Literal["ok", "differs", "unreadable", "beyond-head", "not-saved"]
_FAILING = frozenset({"differs", "unreadable", "beyond-head"})


@attrs.frozen
class ReadModelCheck:
    """The outcome for one projection: ``status``, the checkpoint checked at (None when
    nothing is saved) and a plain-English ``detail``."""

    name: str
    status: CheckStatus
    checkpoint: int | None
    detail: str

    @property
    def failed(self) -> bool:
        """Whether the stored read model is not what the log gives."""
        return self.status in _FAILING


def _as_data(dumped: bytes) -> Any:
    try:
        return orjson.loads(dumped)
    except orjson.JSONDecodeError:
        return dumped


def _differences(projection: Projection[Any], stored: Any, folded: Any) -> list[str] | None:
    """None when equal, else the differing top-level fields (or ``["state"]``)."""
    a, b = projection.dump(stored), projection.dump(folded)
    if a == b:
        return None
    da, db = _as_data(a), _as_data(b)
    if da == db:
        return None
    if isinstance(da, dict) and isinstance(db, dict):
        return sorted(k for k in da.keys() | db.keys() if da.get(k) != db.get(k))
    return ["state"]


def check_read_models(
    store: EventStore, projections: Sequence[Projection[Any]] | None = None
) -> list[ReadModelCheck]:
    """Recompute every read model of ``projections`` (default: the built-in ones) from the
    log up to its stored checkpoint and compare it with the stored state; one
    :class:`ReadModelCheck` each, in order. Nothing is written."""
    chosen = list(builtin_projections()) if projections is None else list(projections)
    head = store.head()
    results: dict[str, ReadModelCheck] = {}
    by_checkpoint: dict[int, list[tuple[Projection[Any], Any]]] = {}
    for projection in chosen:
        name = projection.name
        stored = store.load_projection(name)
        if stored is None or stored.version != projection.version:
            results[name] = ReadModelCheck(
                name, "not-saved", None, "no saved state of this version: folded from zero"
            )
            continue
        if stored.checkpoint > head:
            results[name] = ReadModelCheck(
                name,
                "beyond-head",
                stored.checkpoint,
                f"saved at position {stored.checkpoint}, beyond the log's head {head}",
            )
            continue
        try:
            entry = _load_saved(store, projection)
        except Exception as error:
            results[name] = ReadModelCheck(
                name, "unreadable", stored.checkpoint, f"{type(error).__name__}: {error}"
            )
            continue
        by_checkpoint.setdefault(entry.checkpoint, []).append((projection, entry.state))
    for checkpoint, group in sorted(by_checkpoint.items()):
        records = itertools.islice(store.read_all(), checkpoint)
        folded = fold([p for p, _ in group], records)
        for projection, state in group:
            fields = _differences(projection, state, folded[projection.name])
            results[projection.name] = (
                ReadModelCheck(
                    projection.name,
                    "ok",
                    checkpoint,
                    f"equals the fold of the log's first {checkpoint} events",
                )
                if fields is None
                else ReadModelCheck(
                    projection.name,
                    "differs",
                    checkpoint,
                    f"differs from the fold of the log's first {checkpoint} events in "
                    f"{', '.join(fields)}",
                )
            )
    return [results[p.name] for p in chosen]
