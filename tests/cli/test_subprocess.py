"""The installed ``hubcore`` console script, run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GIAS_UTF8BOM

pytestmark = pytest.mark.slow


def _command() -> list[str]:
    """The installed console script beside this Python, else ``python -m hubcore``."""
    script = shutil.which("hubcore", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "hubcore"]


def hubcore(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_console_script_imports_verifies_and_reports(tmp_path: Path) -> None:
    imported = hubcore("import", "schools", str(GIAS_UTF8BOM), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert (tmp_path / "hub.sqlite").exists()  # the default store, in the current folder
    verified = hubcore("verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "verified 38 events" in verified.stdout
    usage = hubcore("log", "--since", "not-a-date", cwd=tmp_path)
    assert usage.returncode == 2
    assert "not-a-date" in usage.stderr


def test_console_script_demo_writes_reports(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    result = hubcore(
        "demo",
        "--schools",
        "25",
        "--years",
        "1",
        "--out",
        "reports",
        cwd=tmp_path,
        env={"HUBCORE_STORE": url},
    )
    assert result.returncode == 0, result.stderr
    assert "Hub self-evaluation" in result.stdout
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "comparison.html",
        "data-return-schools.html",
        "data-return.html",
        "ofsted.html",
        "participation.html",
        "pupil-voice.html",
        "self-evaluation.html",
        "trends.html",
    ]
    # progress bars are for terminals only: nothing but warnings on a pipe
    assert "generating" not in result.stderr


def test_progress_bars_show_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import select

    primary, secondary = pty.openpty()
    child = subprocess.Popen(
        [
            *_command(),
            "--store",
            f"sqlite:///{tmp_path / 'p.sqlite'}",
            "demo",
            "--schools",
            "30",
            "--years",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    assert child.wait(timeout=120) == 0
    os.close(primary)
    text = seen.decode(errors="replace")
    assert "generating" in text
    assert "projecting" in text
