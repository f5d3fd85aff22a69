"""docs/importing.md documents every field each importer reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hubcore.imports import KINDS

DOC = (Path(__file__).parents[2] / "docs" / "importing.md").read_text(encoding="utf-8")


def _section(kind: str) -> str:
    match = re.search(rf"^## `{kind}`.*?(?=^## )", DOC, flags=re.S | re.M)
    assert match, f"docs/importing.md has no section for {kind}"
    return match.group(0)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_is_in_its_kinds_table(kind):
    section = _section(kind)
    for column in KINDS[kind].columns:
        field = column.field
        ranged = re.sub(r"\d+$", "", field)
        assert f"`{field}`" in section or f"`{ranged}" in section, f"{kind}: {field} undocumented"
