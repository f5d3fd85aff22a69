"""docs/plugins.md documents every hook under a heading with its exact signature."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from hubcore.reporting import hookspecs

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HOOKS = sorted(
    (name, fn)
    for name, fn in vars(hookspecs).items()
    if name.startswith("hubcore_") and inspect.isfunction(fn)
)


def _signature(name: str, fn) -> str:
    return f"{name}({', '.join(inspect.signature(fn).parameters)})"


def _headings() -> set[str]:
    return set(re.findall(r"^### `([^`]+)`\s*$", DOC.read_text(encoding="utf-8"), flags=re.M))


def test_there_are_hooks_to_document():
    assert [name for name, _ in HOOKS] == [
        "hubcore_register_projections",
        "hubcore_register_renderers",
        "hubcore_register_reporters",
    ]


@pytest.mark.parametrize(("name", "fn"), HOOKS, ids=[name for name, _ in HOOKS])
def test_every_hook_has_a_heading_with_its_exact_signature(name, fn):
    assert _signature(name, fn) in _headings(), (
        f"docs/plugins.md needs ### `{_signature(name, fn)}`"
    )


def test_every_hook_heading_names_a_real_hook():
    documented = {h for h in _headings() if h.startswith("hubcore_")}
    assert documented == {_signature(name, fn) for name, fn in HOOKS}


@pytest.mark.parametrize(("name", "fn"), HOOKS, ids=[name for name, _ in HOOKS])
def test_every_hook_is_typed_and_has_a_full_docstring(name, fn):
    doc = inspect.getdoc(fn) or ""
    for parameter in inspect.signature(fn).parameters:
        assert f":param {parameter}:" in doc
    assert "Added in 0.1" in doc
    assert all(
        p.annotation is not inspect.Parameter.empty
        for p in inspect.signature(fn).parameters.values()
    )
    assert hasattr(fn, "hubcore_spec"), "marked with hookspec"
