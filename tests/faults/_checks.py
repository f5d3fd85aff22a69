"""The invariants the fault tests check after every kill, and the files they import."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import orjson

from hubcore import codec
from hubcore.events import Event
from hubcore.projections import ReadModelCheck, builtin_projections, check_read_models
from hubcore.reporting import PluginHost
from hubcore.store import EventStore
from hubcore.testing.conformance import school_events


def write_events_file(path: Path, schools: int, first_urn: int = 200000) -> int:
    """A JSON Lines file of ``schools`` schools' first five events each (a registration,
    an engagement, a conversation, training, an action); how many events it holds."""
    with path.open("wb") as out:
        for urn in range(first_urn, first_urn + schools):
            for event in school_events(urn, 5, "k"):
                out.write(orjson.dumps(codec.to_dict(event)) + b"\n")
    return 5 * schools


def read_model_checks(store: EventStore) -> list[ReadModelCheck]:
    """``verify --read-models``'s check of every read model (built-in and the installed
    plugins'): each stored one against a fold of the log up to its checkpoint."""
    projections: list[Any] = list(builtin_projections())
    projections += [info.projection for info in PluginHost.default().projections()]
    return check_read_models(store, projections)


def read_models_match(store: EventStore) -> list[str]:
    """The read models that differ from a fold of the log, cannot be read or are saved
    beyond the head (none: every stored one is true)."""
    return [f"{c.name}: {c.status}: {c.detail}" for c in read_model_checks(store) if c.failed]


def whole_import(store: EventStore, expected: int) -> tuple[int, Counter[str]]:
    """How many events an import of ``expected`` left (0 or ``expected``, or fails), and
    their types; every event id once, the chain intact."""
    head = store.head()
    assert head in (0, expected), f"a partial import: {head} of {expected} events stored"
    assert store.verify() == head
    recorded = list(store.read_all())
    assert len({r.event_id for r in recorded}) == head, "an event stored twice"
    return head, Counter(r.event_type for r in recorded)


@attrs.define
class AppendLedger:
    """What the kill tests know of an append plan's store: the calls landed so far, the
    last position and each stream's version (checked incrementally after each kill)."""

    calls: int = 0
    head: int = 0
    versions: dict[str, int] = attrs.field(factory=dict)
    ids: set[Any] = attrs.field(factory=set)

    def check(self, store: EventStore) -> int:
        """Check what landed since the last check: whole calls only, each once, right
        after the calls before it, versions contiguous; the chain intact. The calls
        landed since."""
        assert store.verify() == store.head()
        counts: Counter[int] = Counter()
        totals: dict[int, int] = {}
        new = list(store.read_all(after=self.head))
        for record in new:
            event: Event = record.event
            mark = event.action_id  # type: ignore[attr-defined]
            call, total = (int(part[1:]) for part in mark.split("-")[:2])
            counts[call] += 1
            totals[call] = total
            version = self.versions.get(record.stream, 0) + 1
            assert record.version == version, f"{record.stream}: version {record.version}"
            self.versions[record.stream] = version
            assert record.event_id not in self.ids, f"event {mark} stored twice"
            self.ids.add(record.event_id)
        partial = {c: (n, totals[c]) for c, n in counts.items() if n != totals[c]}
        assert not partial, f"partial append_many calls (stored, planned): {partial}"
        landed = sorted(counts)
        assert landed == list(range(self.calls, self.calls + len(landed))), (
            f"calls landed out of order or twice: {landed} after {self.calls} calls"
        )
        self.calls += len(landed)
        self.head += len(new)
        return len(landed)
