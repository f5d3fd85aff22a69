"""The compact stored form of read-model parts: same state back, sharing kept, damage found."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.errors import CorruptRecord
from hubcore.projections import Projector, builtin_projections, fold
from hubcore.projections._base import _state_fields
from hubcore.projections._compact import MAGIC, is_packed
from hubcore.store import StoredProjection, open_store

from ._histories import histories
from ._support import D, append_all, engage, reg
from .test_saving import _tiny_parts


def _containers(value: Any, seen: dict[int, Any]) -> None:
    """Every distinct list and dict reachable from ``value``, by id."""
    if isinstance(value, list | dict) and id(value) not in seen:
        seen[id(value)] = value
        for item in value.values() if isinstance(value, dict) else value:
            _containers(item, seen)


def _state_containers(state: Any) -> int:
    seen: dict[int, Any] = {}
    _containers([getattr(state, f.name) for f in _state_fields(type(state))], seen)
    return len(seen)


@settings(max_examples=40)
@given(histories(), st.data())
def test_packed_parts_and_json_parts_load_back_to_the_whole(events: list[Any], data: Any) -> None:
    store = open_store("memory://")
    append_all(store, events)
    states = fold(builtin_projections(), store.read_all())
    for projection in builtin_projections():
        state = states[projection.name]
        keys = sorted(projection.keys(state), key=str)
        cut = data.draw(st.integers(0, len(keys)))
        packed = projection.dump_part(state, keys[:cut])
        assert is_packed(packed)
        # a part an older Projector saved as JSON still loads, next to a packed one
        older = projection.load(projection.dump_part(state, keys[cut:])).dump()
        assert not is_packed(older)
        assert projection.load_parts([packed, older]) == state, projection.name
        whole = projection.load(projection.dump_part(state, keys))
        assert whole == state, projection.name
        # the packed form keeps the state's shared values shared; JSON copies them
        assert _state_containers(whole) <= _state_containers(projection.load(state.dump()))


def test_a_shared_value_loads_as_one_object() -> None:
    store = open_store("memory://")
    append_all(store, [reg(100001, D(2020, 1, 1)), reg(100002, D(2020, 1, 1))])
    [coverage] = [p for p in builtin_projections() if p.name == "coverage"]
    state = fold([coverage], store.read_all())["coverage"]
    shared = ["the same list"]
    state._roster[100001].append(shared)
    state._roster[100002].append(shared)
    loaded = coverage.load(coverage.dump_part(state, [100001, 100002]))
    assert loaded._roster[100001][-1] is loaded._roster[100002][-1]
    assert coverage.load(state.dump())._roster[100001][-1] is not (
        coverage.load(state.dump())._roster[100002][-1]
    )


def _coverage_part(store: Any) -> StoredProjection:
    part = store.load_projection("coverage#0")
    assert part is not None
    assert is_packed(part.state)
    return part


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda b: b[:-1] + bytes([b[-1] ^ 1]), "CRC mismatch"),
        (lambda b: b[: len(MAGIC) + 2], "CRC mismatch"),
    ],
)
def test_a_damaged_packed_part_is_folded_again_from_the_log(damage: Any, reason: str) -> None:
    store = open_store("memory://")
    append_all(store, [reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))])
    Projector(store).catch_up()
    part = _coverage_part(store)
    store.save_projections(
        [StoredProjection(part.name, part.version, part.checkpoint, damage(part.state))]
    )
    [coverage] = [p for p in builtin_projections() if p.name == "coverage"]
    with pytest.raises(CorruptRecord, match=reason):
        coverage.load(damage(part.state))
    again = Projector(store)
    assert reason in again.rebuilt["coverage"]
    again.catch_up()
    assert again.get("coverage") == fold([coverage], store.read_all())["coverage"]


def test_a_packed_part_of_another_read_model_is_refused() -> None:
    with _tiny_parts():
        store = open_store("memory://")
        append_all(store, [reg(100001, D(2020, 1, 1)), engage(100001, D(2024, 10, 1))])
        Projector(store).catch_up()
    projections = {p.name: p for p in builtin_projections()}
    cadence = store.load_projection("cadence#0")
    assert cadence is not None
    with pytest.raises(CorruptRecord, match="its fields"):
        projections["log_span"].load(cadence.state)
