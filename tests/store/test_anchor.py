"""Anchoring: a signed head proves later that the log still extends it, even against a
forger who rebuilds a log whose whole hash chain verifies."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.anchor import Anchor, anchor_head, check_anchor, load_key, new_key
from hubcore.errors import AnchorMismatch, HubcoreError
from hubcore.store import EventStore, SqliteStore, open_store
from hubcore.testing.conformance import school_events

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _fill(store: EventStore, batches: list[tuple[int, int, str]]) -> None:
    for urn, count, tag in batches:
        store.append(f"school-{urn}", school_events(urn, count, tag))


def test_an_anchor_holds_while_the_log_grows(hub_store: EventStore) -> None:
    _fill(hub_store, [(100001, 3, "a"), (100002, 2, "a")])
    anchor = anchor_head(hub_store, KEY, now=NOW)
    assert (anchor.position, anchor.anchored_at) == (5, "2026-03-01T09:00:00+00:00")
    assert check_anchor(hub_store, anchor, KEY) == 5
    _fill(hub_store, [(100003, 4, "b")])
    assert check_anchor(hub_store, anchor, KEY) == 9
    again = Anchor.from_json(anchor.to_json())
    assert again == anchor


def test_a_rebuilt_log_whose_chain_verifies_is_caught(tmp_path: Path) -> None:
    """The forger rewrites one event before the anchor and lays out a whole valid log:
    ``verify()`` passes on it; the anchor does not."""
    real, forged = tmp_path / "hub.sqlite", tmp_path / "forged.sqlite"
    with SqliteStore(real) as store:
        _fill(store, [(100001, 3, "a"), (100002, 2, "a")])
        anchor = anchor_head(store, KEY)
    with SqliteStore(forged) as store:
        _fill(store, [(100001, 3, "a"), (100002, 2, "forged"), (100003, 1, "later")])
        assert store.verify() == 6
    shutil.copyfile(forged, real)
    with SqliteStore(real) as store:
        assert store.verify() == 6
        with pytest.raises(AnchorMismatch, match="chain hash at position 5 is not the anchored"):
            check_anchor(store, anchor, KEY)


def test_a_truncated_log_or_moved_batches_are_caught() -> None:
    store = open_store("memory://")
    _fill(store, [(100001, 3, "a"), (100002, 2, "a")])
    anchor = anchor_head(store, KEY)
    short = open_store("memory://")
    _fill(short, [(100001, 3, "a")])
    with pytest.raises(AnchorMismatch, match="ends at position 3, before the anchored head 5"):
        check_anchor(short, anchor, KEY)
    rebatched = open_store("memory://")
    _fill(rebatched, [(100001, 2, "a"), (100002, 4, "a")])
    with pytest.raises(AnchorMismatch, match="no batch of the log ends at the anchored position"):
        check_anchor(rebatched, anchor, KEY)


def test_an_edited_or_foreign_statement_is_refused() -> None:
    store = open_store("memory://")
    _fill(store, [(100001, 3, "a")])
    anchor = anchor_head(store, KEY)
    with pytest.raises(AnchorMismatch, match="signature does not match"):
        check_anchor(store, attrs.evolve(anchor, position=2), KEY)
    with pytest.raises(AnchorMismatch, match="signed with another key"):
        check_anchor(store, anchor, OTHER)
    forged = anchor_head(store, OTHER)  # signed by someone without the hub key
    with pytest.raises(AnchorMismatch, match="signature does not match"):
        check_anchor(store, attrs.evolve(forged, key_id=anchor.key_id), KEY)
    for bad, why in [
        (b"not json", "not JSON"),
        (b'{"format": "x"}', "not an anchor"),
        (orjson.dumps({**orjson.loads(anchor.to_json()), "position": "5"}), "'position'"),
    ]:
        with pytest.raises(HubcoreError, match=why):
            Anchor.from_json(bad)


def test_keys_are_made_once_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "hub.key"
    key = new_key(path)
    assert load_key(path) == key
    assert (path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(HubcoreError, match="never replaced"):
        new_key(path)
    assert load_key(path) == key
    (tmp_path / "short.key").write_text("abcd\n")
    with pytest.raises(HubcoreError, match="not a hub key"):
        load_key(tmp_path / "short.key")


_BATCHES = st.lists(
    st.tuples(st.integers(100001, 100004), st.integers(1, 4)), min_size=1, max_size=6
)


@settings(max_examples=60, deadline=None)
@given(before=_BATCHES, after=_BATCHES | st.just([]), changed=st.integers(0, 5))
def test_property_the_anchor_holds_exactly_for_extensions(
    before: list[tuple[int, int]], after: list[tuple[int, int]], changed: int
) -> None:
    """Property: the anchor holds for the anchored log and every extension of it, and
    fails for a log rebuilt with any one earlier batch changed."""
    batches = [(urn, n, f"b{i}") for i, (urn, n) in enumerate(before)]
    store = open_store("memory://")
    _fill(store, batches)
    anchor = anchor_head(store, KEY)
    _fill(store, [(urn, n, f"x{i}") for i, (urn, n) in enumerate(after)])
    assert check_anchor(store, anchor, KEY) == store.head()
    rewritten = list(batches)
    k = changed % len(rewritten)
    rewritten[k] = (rewritten[k][0], rewritten[k][1], "forged")
    forged = open_store("memory://")
    _fill(forged, rewritten)
    assert forged.verify() == anchor.position
    with pytest.raises(AnchorMismatch):
        check_anchor(forged, anchor, KEY)
