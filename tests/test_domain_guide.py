"""docs/domain.md says what the code does: its generated parts are up to date, and every
event type, field, vocabulary word and first-party report is in it."""

from __future__ import annotations

import importlib.util
from enum import StrEnum
from pathlib import Path

import attrs

from hubcore import vocabulary
from hubcore.events import EVENT_TYPES

ROOT = Path(__file__).parents[1]
PAGE = ROOT / "docs" / "domain.md"


def _generator():  # scripts/ is not a package: load the file itself
    path = ROOT / "scripts" / "domain_guide.py"
    spec = importlib.util.spec_from_file_location("domain_guide", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_parts_are_up_to_date() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert _generator().render(text) == text, "run: python scripts/domain_guide.py"


def test_every_event_field_word_and_report_is_documented() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for cls in EVENT_TYPES.values():
        section = text.split(f"### `{cls.event_type}`\n", 1)[1].split("\n### ", 1)[0]
        for field in attrs.fields(cls):
            assert f"| `{field.name}` |" in section, f"{cls.event_type}.{field.name}"
    enums = [e for e in vars(vocabulary).values() if isinstance(e, type) and issubclass(e, StrEnum)]
    assert len(enums) > 20
    for word in (member for enum in enums if enum is not StrEnum for member in enum):
        assert f"`{word.value}` ({vocabulary.label(word)})" in text
    for report in (
        "self-evaluation",
        "ofsted",
        "participation",
        "data-return",
        "data-return-schools",
        "pupil-voice",
    ):
        assert f"### `{report}`: " in text
