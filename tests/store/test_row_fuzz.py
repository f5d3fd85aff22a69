"""Stored commit rows with random edits fed to the decoder: every outcome is a clean,
named HubcoreError (or the untouched log), never another exception; and any edit that
changes what is stored is caught by ``verify`` (the hash chain covers every column)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ._row_fuzz import COLUMNS, Mutation, apply, judge, outcome, pristine

_VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-3, 12),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.binary(max_size=40),
)
MUTATIONS = st.one_of(
    st.builds(Mutation, st.integers(0, 8), st.sampled_from(COLUMNS), st.just("set"), _VALUES),
    st.builds(
        Mutation,
        st.integers(0, 8),
        st.sampled_from(COLUMNS),
        st.sampled_from(["flip", "cut"]),
        st.none(),
        st.integers(0, 4096),
    ),
    st.builds(
        Mutation,
        st.integers(0, 8),
        st.sampled_from(COLUMNS),
        st.just("extend"),
        st.binary(min_size=1, max_size=8),
    ),
)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    return pristine(tmp_path_factory.mktemp("rows"))


@pytest.fixture(scope="module")
def original_ids(original) -> tuple[str, ...]:
    label, ids = outcome(original)
    assert label == "accepted"  # the control: unedited, the store reads and verifies
    assert len(ids) == 10
    return ids


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=MUTATIONS)
def test_an_edited_row_is_a_named_error_never_a_crash(
    original, original_ids, tmp_path_factory, mutation
):
    target = tmp_path_factory.getbasetemp() / "edited.sqlite"
    changed = apply(original, target, mutation)
    verdict = judge(original_ids, changed, outcome(target))  # raises on a non-HubcoreError
    event(f"{mutation.column}: {verdict}")
    assert verdict != "FORGED", f"{mutation} changed the log and it reads and verifies"
    assert changed or verdict == "unchanged"


@pytest.mark.parametrize("column", COLUMNS)
def test_every_column_is_covered_by_the_chain(original, original_ids, tmp_path, column):
    target = tmp_path / "edited.sqlite"
    assert apply(original, target, Mutation(1, column, "flip", at=1))
    assert judge(original_ids, True, outcome(target)).startswith("refused: ")


@pytest.mark.parametrize("position", [0, -1, -(2**62)])
def test_a_row_moved_below_position_1_is_found_by_verify(
    original, original_ids, tmp_path, position
):
    """Reading starts after position 0, so such a row is not read; verify walks from the
    lowest position and refuses it (before, the log read and verified as its prefix)."""
    target = tmp_path / "edited.sqlite"
    assert apply(original, target, Mutation(3, "last_position", "set", position))
    assert judge(original_ids, True, outcome(target)) == "refused: IntegrityError"
