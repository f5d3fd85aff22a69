"""docs/testing.md: its example is the tested file, it runs, and every public name is there."""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import Phase, settings

from hubcore.testing import pytest_plugin, strategies

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "testing.md"
EXAMPLE = DOCS / "examples" / "testing_example.py"
INCLUDE = re.compile(r"^<!-- include: (?P<path>\S+) -->$")


def _included_blocks(text: str) -> list[tuple[str, str]]:
    """``(path, block)`` for every fenced block right after an include marker."""
    lines = text.split("\n")
    found: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        match = INCLUDE.match(line)
        if match is None:
            continue
        assert lines[i + 1].startswith("```"), f"line {i + 2}: a fenced block must follow {line}"
        end = lines.index("```", i + 2)
        found.append((match["path"], "\n".join(lines[i + 2 : end]) + "\n"))
    return found


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hubcore_docs_testing_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_example_block_is_exactly_the_example_file() -> None:
    blocks = _included_blocks(GUIDE.read_text(encoding="utf-8"))
    assert [path for path, _ in blocks] == ["examples/testing_example.py"]
    for path, block in blocks:
        assert block == (DOCS / path).read_text(encoding="utf-8"), (
            f"docs/testing.md's block for {path} differs from the file: copy the file into it"
        )


def test_included_blocks_are_found_and_compared() -> None:
    text = "intro\n<!-- include: a.py -->\n```python\nx = 1\n\ny = 2\n```\nmore\n"
    assert _included_blocks(text) == [("a.py", "x = 1\n\ny = 2\n")]
    with pytest.raises(AssertionError, match="fenced block must follow"):
        _included_blocks("<!-- include: a.py -->\nno fence\n")


def test_the_example_tests_pass() -> None:
    example = _load_example()
    tests = {name: f for name, f in vars(example).items() if name.startswith("test_")}
    assert {"test_my_projection", "test_my_projection_resumes"} <= set(tests)
    for test in tests.values():
        test()


def test_the_example_test_catches_a_wrong_projection(monkeypatch: pytest.MonkeyPatch) -> None:
    # A projection that forgets disengagement must fail the example's test.
    example = _load_example()
    apply = example.EngagedPerLA.apply

    def forgets_disengagement(self: Any, state: Any, recorded: Any) -> Any:
        if recorded.event_type == "SchoolDisengaged":
            return state
        return apply(self, state, recorded)

    monkeypatch.setattr(example.EngagedPerLA, "apply", forgets_disengagement)
    no_shrinking = settings(phases=[Phase.generate], database=None, max_examples=200)
    with pytest.raises(AssertionError):
        no_shrinking(example.test_my_projection)()


def _documented(text: str) -> set[str]:
    """Names written in backticks: `name`, `name()`, `name(arguments)`."""
    return set(re.findall(r"`([A-Za-z_][\w.]*)[`(]", text))


def test_every_public_name_of_the_kit_is_documented() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    documented = _documented(text)
    missing = sorted(set(strategies.__all__) - documented)
    assert missing == [], f"docs/testing.md does not mention {missing}"
    fixtures = {"hub_store", "hub_store_backend", "hub_history", "hub_projector"}
    assert fixtures <= documented
    assert {"HubHistory", "HISTORY_TODAY"} <= documented
    assert set(pytest_plugin.HubHistory._fields) <= documented
    assert "--hub-store-backend" in text
    kit = {"StoreConformance", "store_factory", "persistent", "tamper", "tampered_payload"}
    assert kit <= documented
    for profile in ("ci", "dev", "nightly"):
        assert f"`{profile}`" in text
    assert "HYPOTHESIS_PROFILE=nightly bash scripts/test.sh" in text
    assert "--hypothesis-show-statistics" in text


def test_every_histories_knob_is_in_the_table() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for knob in inspect.signature(strategies.histories).parameters:
        assert re.search(rf"^\| `{knob}` \|", text, re.MULTILINE), f"histories({knob}=...)"


def test_every_event_strategy_is_in_the_table() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for cls, factory in strategies.EVENT_STRATEGIES.items():
        row = f"| `{factory.__name__}()` | `{cls.__name__}` |"
        assert row in text, row
