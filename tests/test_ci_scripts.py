"""CI's own scripts do not hide failures: a failed `pip install` fails the run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCRIPTS = [ROOT / ".ci" / "run", *sorted((ROOT / "scripts").glob("*.sh"))]


def _pip_sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "pip.sh"), "--no-index", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PIP_PYTHON": sys.executable},
        check=False,
        timeout=120,
    )


def test_a_failed_install_fails_the_script_and_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-project"
    done = _pip_sh(str(missing))
    assert done.returncode != 0
    assert "no-such-project" in done.stdout + done.stderr


def test_a_successful_install_succeeds() -> None:
    # already installed, so pip needs no index and succeeds
    done = _pip_sh("pip")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_script_swallows_an_install_status() -> None:
    # `cmd | filter || true` makes the whole pipeline succeed; `cmd | { filter || true; }`
    # keeps cmd's status under pipefail, so only the first form is refused
    swallowing = re.compile(r"pip[^{]*\|\|\s*true")
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in SCRIPTS
        for line in path.read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
        if swallowing.search(line)
    ]
    assert len(SCRIPTS) >= 3
    assert offenders == []
