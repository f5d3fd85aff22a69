"""How the PostgreSQL tests are switched on: with ``HUBCORE_TEST_POSTGRES`` set and the
server unreachable they fail, saying so; without it they skip, with one line saying how to
enable them. Checked through the testing kit's ``hub_store`` fixture, which makes its
PostgreSQL stores with the backend's own ``fresh_url`` (as tests/store/_pg.py does)."""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

USER_TEST = """
    def test_on_postgres(hub_store):
        assert hub_store.head() == 0
"""


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    pytester.makepyfile(test_user=textwrap.dedent(USER_TEST))
    return pytester.runpytest_subprocess(
        "-ra", "-p", "no:cacheprovider", "--hub-store-backend=postgresql"
    )


def test_set_and_unreachable_fails_naming_the_variable(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBCORE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:1/test")
    result = _run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "E *StoreUnavailable: HUBCORE_TEST_POSTGRES=postgresql://postgres@127.0.0.1:1/test:"
            " cannot connect*unset HUBCORE_TEST_POSTGRES to skip*",
            "ERROR test_user.py::test_on_postgres*",
        ]
    )
    assert "psycopg.OperationalError" not in result.stdout.str()


def test_unset_skips_with_one_line_saying_how_to_enable(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUBCORE_TEST_POSTGRES", raising=False)
    result = _run(pytester)
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED *PostgreSQL tests need a database: set HUBCORE_TEST_POSTGRES=postgresql://*"]
    )
