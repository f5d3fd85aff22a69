"""The documentation site: every page under docs/ is in mkdocs.yml's nav, and every nav
entry is a page. (CI builds the site with ``mkdocs build --strict``.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
MKDOCS = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def _nav() -> list[str]:
    nav = MKDOCS[MKDOCS.index("\nnav:\n") :]
    return re.findall(r"^\s+- (?:.*: )?([\w./-]+\.md)\s*$", nav, flags=re.M)


def _pages() -> set[str]:
    return {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if "examples" not in p.relative_to(DOCS).parts
    }


def test_every_page_is_in_the_nav() -> None:
    missing = sorted(_pages() - set(_nav()))
    assert missing == [], f"add these pages to nav in mkdocs.yml: {missing}"


def test_every_nav_entry_is_a_page_listed_once() -> None:
    nav = _nav()
    assert len(nav) >= 15
    assert sorted(set(nav) - _pages()) == []
    assert len(nav) == len(set(nav))


def test_the_site_is_built_strictly_in_ci() -> None:
    assert re.search(r"^strict: true$", MKDOCS, flags=re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in ci
