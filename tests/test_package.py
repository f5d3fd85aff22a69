"""hubcore installs as a real package: licence, one version, entry points that work."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import hubcore

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_in_one_place() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/hubcore/__init__.py"
    assert importlib.metadata.version("hubcore") == hubcore.__version__


def test_the_licence_is_in_the_metadata_and_ships() -> None:
    metadata = importlib.metadata.metadata("hubcore")
    assert metadata["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    files = importlib.metadata.files("hubcore") or []
    assert any(f.name == "LICENSE" for f in files)


def _run(program: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=120
    )


def test_the_strategies_module_imports_first_too() -> None:
    """Importing the strategies before hypothesis: the hook meets the module half-imported."""
    done = _run(
        "import hubcore.testing.strategies as s\n"
        "from hypothesis import strategies as st\n"
        "from hubcore.events import SchoolClosed\n"
        "assert type(st.from_type(SchoolClosed).example()) is SchoolClosed\n"
    )
    assert done.returncode == 0, done.stderr


def test_importing_hypothesis_registers_the_event_strategies() -> None:
    (hook,) = importlib.metadata.entry_points(group="hypothesis", name="hubcore")
    assert hook.value == "hubcore.testing._hypothesis_hook:register"
    program = "\n".join(
        [
            "import sys",
            "import hypothesis",
            "assert 'hubcore.testing.strategies' in sys.modules, 'hook did not run'",
            "from hypothesis import strategies as st",
            "from hubcore.events import SchoolEngaged",
            "event = st.from_type(SchoolEngaged).example()",
            "assert type(event) is SchoolEngaged, event",
            "print(event.urn)",
        ]
    )
    done = _run(program)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
