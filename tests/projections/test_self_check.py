"""Read models check themselves: a checkpoint beyond the log's head, or a stored state that
cannot be read, is folded again from the log (never a TypeError); ``check_read_models``
(``hubcore verify --read-models``) finds a forged stored state."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.events import EVENT_TYPES
from hubcore.projections import Coverage, Projector, builtin_projections, check_read_models, fold
from hubcore.projections._compact import MAGIC
from hubcore.store import EventStore, StoredProjection, open_store

from ._support import D, append_all, engage, reg


def _history(store: EventStore, schools: int = 3) -> None:
    for i in range(schools):
        append_all(store, [reg(100001 + i, D(2024, 9, 2)), engage(100001 + i, D(2024, 10, 1))])


def _states(projector: Projector) -> dict[str, Any]:
    return {name: projector.get(name) for name in projector.names}


def _folded(store: EventStore) -> dict[str, Any]:
    return fold(builtin_projections(), store.read_all())


def test_a_checkpoint_beyond_the_head_is_folded_again(hub_store: EventStore) -> None:
    """The log was restored from an older copy: its 4 events, states saved at 6 (from a
    longer log, another school's events in them)."""
    longer = open_store("memory://")
    _history(longer, 3)
    Projector(longer).catch_up()
    _history(hub_store, 2)
    assert hub_store.head() == 4
    names = [p.name for p in builtin_projections()]
    rows = [
        longer.load_projection(n) for n in names + [f"{n}#{i}" for n in names for i in range(8)]
    ]
    hub_store.save_projections([row for row in rows if row is not None])
    projector = Projector(hub_store)
    for p in builtin_projections():
        assert "checkpoint 6 is beyond the log's head 4" in projector.rebuilt[p.name]
        assert projector.checkpoint(p.name) == 0
    assert projector.catch_up() == 4
    assert _states(projector) == _folded(hub_store)
    assert hub_store.load_projection("coverage").checkpoint == 4  # type: ignore[union-attr]
    assert Projector(hub_store).rebuilt == {}  # saved right this time


def test_a_store_replaced_under_a_running_projector_is_noticed() -> None:
    store = open_store("memory://")
    _history(store, 3)
    projector = Projector(store)
    projector.catch_up()
    projector._store = older = open_store("memory://")  # the file swapped for a backup
    _history(older, 1)
    projector.catch_up()
    assert "beyond the log's head 2" in projector.rebuilt["coverage"]
    assert _states(projector) == _folded(older)


def test_an_unreadable_state_is_folded_again_never_a_type_error(hub_store: EventStore) -> None:
    _history(hub_store, 2)
    Projector(hub_store).catch_up()
    coverage = hub_store.load_projection("coverage")
    assert coverage is not None
    hub_store.save_projections(
        [
            StoredProjection("coverage", coverage.version, 4, b"\x00\xffnot json"),
            StoredProjection("cadence", 1, 4, b'{"schools": 5}'),
            StoredProjection("log_span", 1, 4, b"[1, 2, 3]"),
        ]
    )
    projector = Projector(hub_store)
    assert "could not be read" in projector.rebuilt["coverage"]
    projector.catch_up()
    assert _states(projector) == _folded(hub_store)


class _Fragile:
    """A plugin's projection whose load raises a TypeError on bad bytes."""

    name = "fragile"
    version = 1
    handles = frozenset(EVENT_TYPES)

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Any) -> int:
        return state + 1

    def dump(self, state: int) -> bytes:
        return str(state).encode()

    def load(self, data: bytes) -> int:
        return int(data) if data.isdigit() else data + 1  # type: ignore[operator,no-any-return]


def test_a_plugin_projection_whose_load_raises_is_folded_again() -> None:
    store = open_store("memory://")
    _history(store, 2)
    store.save_projections([StoredProjection("fragile", 1, 4, b"\x00")])
    projector = Projector(store, [_Fragile()])
    assert "TypeError" in projector.rebuilt["fragile"]
    projector.catch_up()
    assert projector.get("fragile") == 4


_JSON = st.recursive(
    st.none() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_NAMES = [p.name for p in builtin_projections()]


def _true_state(name: str) -> dict[str, Any]:
    scratch = open_store("memory://")
    _history(scratch, 3)
    Projector(scratch, [p for p in builtin_projections() if p.name == name]).catch_up()
    stored = scratch.load_projection(f"{name}#0") or scratch.load_projection(name)
    assert stored is not None
    [projection] = [p for p in builtin_projections() if p.name == name]
    return orjson.loads(projection.load(stored.state).dump())  # type: ignore[no-any-return]


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(_NAMES),
    garbage=st.none()
    | st.binary(max_size=200)
    | st.binary(max_size=200).map(MAGIC.__add__)  # damaged in the compact form
    | _JSON.map(orjson.dumps),
    field=st.integers(0, 20),
    value=_JSON,
    checkpoint=st.integers(0, 10),
)
def test_any_stored_bytes_give_the_fold_of_the_log(
    name: str, garbage: bytes | None, field: int, value: Any, checkpoint: int
) -> None:
    """Property: whatever bytes a state is stored as (garbage, or the true state with one
    field replaced), loading never raises; a state that cannot be read or is saved beyond
    the head is folded again (the read model then equals a fresh fold of the log) and the
    check fails it; a state the check passes also gives the fold of the log."""
    if garbage is None:
        state = _true_state(name)
        if state:
            state[sorted(state)[field % len(state)]] = value
        garbage = orjson.dumps(state)
    store = open_store("memory://")
    _history(store, 3)
    store.save_projections([StoredProjection(name, checks_version(name), checkpoint, garbage)])
    check = {c.name: c for c in check_read_models(store)}[name]
    projector = Projector(store)
    projector.catch_up()
    if name in projector.rebuilt:
        assert check.failed
        assert projector.get(name) == _folded(store)[name]
    else:  # loadable bytes, saved within the log
        assert check.status in ("ok", "differs")
        if check.status == "ok":
            assert projector.get(name) == _folded(store)[name]


def test_check_read_models_finds_a_forged_state(hub_store: EventStore) -> None:
    _history(hub_store, 3)
    Projector(hub_store).catch_up()
    assert {c.status for c in check_read_models(hub_store)} == {"ok"}
    part = hub_store.load_projection("coverage#0")  # saved in parts: one part forged
    assert part is not None
    forged = Coverage.load(part.state)  # one engagement more
    forged._engagement[100001].append([739200, True, ["singing"]])
    data = forged.dump_part(forged.keys())
    hub_store.save_projections([StoredProjection(part.name, part.version, part.checkpoint, data)])
    checks = {c.name: c for c in check_read_models(hub_store)}
    assert checks["coverage"].status == "differs"
    assert "_engagement" in checks["coverage"].detail
    assert "_roster" not in checks["coverage"].detail
    assert checks["coverage"].failed
    assert {c.status for n, c in checks.items() if n != "coverage"} == {"ok"}


def test_check_read_models_names_unsaved_and_beyond_head_states() -> None:
    store = open_store("memory://")
    _history(store, 1)
    checks = {c.name: c for c in check_read_models(store)}
    assert {c.status for c in checks.values()} == {"not-saved"}
    assert not any(c.failed for c in checks.values())
    store.save_projections([StoredProjection("coverage", checks_version("coverage"), 9, b"{}")])
    beyond = {c.name: c for c in check_read_models(store)}["coverage"]
    assert (beyond.status, beyond.checkpoint, beyond.failed) == ("beyond-head", 9, True)


def checks_version(name: str) -> int:
    return next(p.version for p in builtin_projections() if p.name == name)
