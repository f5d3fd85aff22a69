"""The examples in docstrings and in the docs are run, so they stay true.

Docs: every ```python and ```bash block of a page runs, in order (python in one namespace),
in a fresh folder holding a link to docs/ (a subprocess per page), so paths such as
``docs/examples/import/schools.csv`` work as they do from a checkout. A
``<!-- test-setup ... -->`` comment just above a block holds code that runs first, unseen
by readers: the names the surrounding text has given them. Every ```toml block parses.
Pages whose examples need PostgreSQL use ``$HUBCORE_TEST_POSTGRES``.
"""

from __future__ import annotations

import doctest
import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
RUNNER = Path(__file__).with_name("_doc_blocks.py")

MODULES = [
    "hubcore.reporting._rag",
    "hubcore.reporting._protocols",
    "hubcore.reporting._read_model",
    "hubcore.store",
]

_FENCE = re.compile(
    r"(?:<!-- test-setup\n(?P<setup>.*?)-->\n)?^```(?P<lang>[a-z]*)\n(?P<code>.*?)^```$",
    flags=re.S | re.M,
)
# pages whose python blocks talk to a PostgreSQL server
_POSTGRES = {"deploy.md"}


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "examples" not in p.relative_to(DOCS).parts)


def _blocks(page: Path, *languages: str) -> list[tuple[str, str, str, str]]:
    text = page.read_text(encoding="utf-8")
    return [
        (
            f"{page.relative_to(ROOT)}:{text.count(chr(10), 0, m.start('code'))}",
            m["lang"],
            m["setup"] or "",
            m["code"],
        )
        for m in _FENCE.finditer(text)
        if m["lang"] in languages
    ]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_docs_have_python_examples() -> None:
    assert sum(len(_blocks(p, "python")) for p in _pages()) >= 20


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [p for p in _pages() if _blocks(p, "python", "bash")], ids=lambda p: p.name
)
def test_code_blocks_run(page: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HUBCORE_DOCS_ROOT": str(ROOT)}
    if page.name in _POSTGRES and not env.get("HUBCORE_TEST_POSTGRES"):
        pytest.skip("set HUBCORE_TEST_POSTGRES to run this page's PostgreSQL examples")
    (tmp_path / "docs").symlink_to(DOCS)
    done = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(_blocks(page, "python", "bash")),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]


@pytest.mark.parametrize("page", [p for p in _pages() if _blocks(p, "toml")], ids=lambda p: p.name)
def test_toml_blocks_parse(page: Path) -> None:
    for label, _, _, code in _blocks(page, "toml"):
        try:
            tomllib.loads(code)
        except tomllib.TOMLDecodeError as error:
            pytest.fail(f"{label}: {error}")
