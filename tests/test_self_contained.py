"""The project stands on its own: no code or doc cites a file that is not part of it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]
# reference notes the project was started from; none of them ships with it
OUTSIDE = ("DOMAIN" + ".md", "DESIGN" + ".md", "STYLE" + ".md", "/work/" + "shared")
CHECKED = ("src", "plugins", "docs", "tests", "benchmarks", "scripts", ".ci")


def _project_files() -> list[Path]:
    files = [ROOT / name for name in ("README.md", "CHANGELOG.md", "pyproject.toml", "mkdocs.yml")]
    for top in CHECKED:
        files.extend(
            p
            for p in (ROOT / top).rglob("*")
            if p.is_file() and p.suffix in {".py", ".md", ".toml", ".yml", ".sh", ".csv", ""}
        )
    return files


def test_no_file_cites_a_file_outside_the_project() -> None:
    files = _project_files()
    assert len(files) > 100
    citing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in OUTSIDE
        if name in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert citing == []
