from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "nightly", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_configure(config: object) -> None:
    """With HUBCORE_TEST_INSTALLED (scripts/package.sh sets it to the venv it installed the
    wheel into), refuse to run unless ``hubcore`` comes from that venv, not from src/."""
    venv = os.environ.get("HUBCORE_TEST_INSTALLED")
    if not venv:
        return
    import pathlib

    import hubcore

    where = pathlib.Path(hubcore.__file__).resolve()
    if not where.is_relative_to(pathlib.Path(venv).resolve()) or "site-packages" not in where.parts:
        raise RuntimeError(f"testing the installed wheel, but hubcore was imported from {where}")
