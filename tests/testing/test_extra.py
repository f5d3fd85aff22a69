"""Importing the testing kit without its extra gives a clear error naming the fix."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _import_blocking(blocked: str, module: str) -> subprocess.CompletedProcess[str]:
    code = f"import sys; sys.modules[{blocked!r}] = None; import {module}"
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("module", "blocked"),
    [
        ("hubcore.testing.strategies", "hypothesis"),
        ("hubcore.testing.conformance", "hypothesis"),
        ("hubcore.testing.conformance", "pytest"),
    ],
)
def test_missing_testing_extra_is_named(module: str, blocked: str) -> None:
    result = _import_blocking(blocked, module)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"ImportError: {module} needs {blocked}, from hubcore's testing extra: "
        "pip install 'hubcore[testing]'"
    )


def test_strategies_need_hypothesis_only() -> None:
    result = _import_blocking("pytest", "hubcore.testing.strategies")
    assert result.returncode == 0, result.stderr
