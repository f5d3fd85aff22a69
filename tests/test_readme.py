"""The README stays true: its Python example runs, and its commands are the ones CI uses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, flags=re.S)


def test_exactly_two_set_up_commands() -> None:
    commands = _blocks("bash")
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/hubcore demo\n",
        "bash scripts/test.sh\n",
    ]
    # CI runs the same script once, through scripts/package.sh, on the installed wheel
    ci = _commands(README.parent / ".ci" / "run")
    package = _commands(README.parent / "scripts" / "package.sh")
    assert [line for line in ci if "scripts/package.sh" in line] == ["bash scripts/package.sh"]
    assert not [line for line in ci if "scripts/test.sh" in line]
    (tests,) = [line for line in package if "bash scripts/test.sh" in line]
    assert tests.startswith('HUBCORE_TEST_INSTALLED="$venv" bash scripts/test.sh ')


def _commands(script: Path) -> list[str]:
    """The lines of a shell script that run something (no comments, no echo)."""
    lines = (line.strip() for line in script.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "echo "))]


@pytest.mark.slow
def test_python_example_runs(tmp_path: Path) -> None:
    (example,) = _blocks("python")
    done = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "1 school-121519 SchoolRegistered",
        "2 school-121519 SchoolEngaged",
    ]
    assert (tmp_path / "hub.sqlite").exists()


def test_shown_demo_output_is_the_commands_own_format() -> None:
    shown = re.search(r"```text\n(.*?)```", TEXT, flags=re.S)
    assert shown is not None
    lines = shown.group(1).splitlines()
    assert re.fullmatch(
        r"recorded \d+ events for 300 schools over 3 years into sqlite:///hub\.sqlite \(seed 0\)",
        lines[0],
    )
    assert lines[1].startswith("Hub self-evaluation ")
    assert [line for line in lines if line.startswith("wrote ")] == [
        f"wrote hubcore-reports/{name}.html"
        for name in (
            "comparison",
            "data-return",
            "data-return-schools",
            "ofsted",
            "participation",
            "pupil-voice",
            "self-evaluation",
            "trends",
        )
    ]


def test_the_hub_loop_runs(tmp_path: Path) -> None:
    """The README's loop (import the schools, registers, CPD sheets and survey; print a
    school's pack and the self-evaluation) runs as written, from a copy of the repository's
    sample files."""
    (loop,) = _blocks("shell")
    commands = [line for line in loop.splitlines() if line.strip()]
    kinds = [c.split()[4] for c in commands if c.split()[3] == "import"]
    assert kinds == ["schools", "registers", "training", "survey"]
    (tmp_path / "docs").symlink_to(README.parent / "docs")
    hubcore = str(Path(sys.executable).with_name("hubcore"))
    for command in commands:
        done = subprocess.run(
            [hubcore, *command.split()[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
    pack = (tmp_path / "pack-141021.html").read_text(encoding="utf-8")
    assert "School pack: Brookside Primary School 2025/26" in pack
    assert "Participation by programme" in pack
    assert (tmp_path / "self-evaluation.html").stat().st_size > 10_000
