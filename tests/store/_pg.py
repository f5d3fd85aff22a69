"""Shared pieces of the PostgreSQL tests: a fresh schema per test, an admin connection.

Every test gets a schema ``hubcore_test_<random>`` in the database named by
``HUBCORE_TEST_POSTGRES`` (dropped afterwards). Without the variable the tests skip, with
one line saying how to enable them; with it set and the server unreachable, they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg  # the test extra has it: a missing driver fails, never skips
import pytest

from hubcore.store import NoTestDatabase, store_scheme


@contextmanager
def fresh_schema_url(directory: Path) -> Iterator[str]:
    """The URL of a fresh store schema (the backend's own ``fresh_url``)."""
    fresh = store_scheme("postgresql").fresh_url
    assert fresh is not None
    try:
        made = fresh(directory)
        url = made.__enter__()
    except NoTestDatabase as missing:
        pytest.skip(str(missing))
    try:
        yield url
    finally:
        made.__exit__(None, None, None)


def admin(url: str) -> Any:
    """An autocommit connection to the store's database as the URL's user (no schema)."""
    from hubcore.store._postgres import _split_url

    dsn, _ = _split_url(url)
    return psycopg.connect(dsn, autocommit=True)


def schema_of(url: str) -> str:
    return url.rsplit("schema=", 1)[1].split("&", 1)[0]


def terminate(url: str, application: str) -> int:
    """End every server process whose connection says ``application_name``: the server
    closing the connections, as when it restarts (how many it ended)."""
    with admin(url) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND pid <> pg_backend_pid()",
            (application,),
        ).fetchall()
    return len(rows)


DEPLOY = Path(__file__).parents[2] / "docs" / "deploy.md"


def writer_grants(schema: str, role: str) -> list[str]:
    """The GRANT statements of docs/deploy.md's writer role, for ``schema`` and ``role``."""
    text = DEPLOY.read_text(encoding="utf-8")
    block = text.split("<!-- grants:", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    grants = [line for line in block.splitlines() if line.startswith("GRANT ")]
    assert grants, "docs/deploy.md lost its writer grants"
    return [
        g.rstrip(";")
        .replace("hubcore_writer", role)
        .replace("hubcore.", f"{schema}.")
        .replace("SCHEMA hubcore ", f"SCHEMA {schema} ")
        for g in grants
    ]
