"""The example third-party backend (docs/examples/logfile_backend) passes the conformance
suite, opened only through its ``hubcore.stores`` entry point, and serves the pytest
plugin's ``--hub-store-backend`` like the built-in ones.

It must be installed (``scripts/test.sh`` does: ``pip install -e docs/examples/logfile_backend``).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from hubcore.store import EventStore, Store, open_store, store_schemes
from hubcore.testing.conformance import StoreConformance, StoreFactory, Tamper, tampered_payload

pytest_plugins = ["pytester"]


def test_the_example_backend_is_installed() -> None:
    assert "logfile" in store_schemes(), (
        "the example backend is not installed: pip install -e docs/examples/logfile_backend"
    )


class LogfileTamper:
    """Edits the example backend's rows.jsonl directly."""

    def _lines(self, store: EventStore) -> tuple[Path, list[str]]:
        assert isinstance(store, Store)
        path = Path(store.backend.label) / "rows.jsonl"
        return path, path.read_text().splitlines(keepends=True)

    def _index(self, lines: list[str], position: int) -> tuple[int, int]:
        """The line and the row within it holding ``position`` (a line per transaction)."""
        for i, line in enumerate(lines):
            for k, row in enumerate(json.loads(line)):
                if row[0] >= position:
                    return i, k
        raise AssertionError(f"no row holds position {position}")

    def _done(self, store: EventStore, path: Path, lines: list[str]) -> None:
        path.write_text("".join(lines))
        assert isinstance(store, Store)
        store.backend.reload()  # type: ignore[attr-defined]  # it read the lines before

    def _change(self, store: EventStore, position: int, change: Any) -> None:
        path, lines = self._lines(store)
        i, k = self._index(lines, position)
        rows = json.loads(lines[i])
        change(rows, k)
        lines[i] = json.dumps(rows, separators=(",", ":")) + "\n" if rows else ""
        self._done(store, path, lines)

    def edit(self, store: EventStore, position: int) -> None:
        def change(rows: list[Any], k: int) -> None:
            row = rows[k]
            payloads = row[8].encode().split(b"\n")
            at = position - (row[0] - row[1] + 1)
            payloads[at] = tampered_payload(payloads[at])
            row[8] = b"\n".join(payloads).decode()

        self._change(store, position, change)

    def remove(self, store: EventStore, position: int) -> None:
        self._change(store, position, lambda rows, k: rows.pop(k))


class TestLogfileThroughTheEntryPoint(StoreConformance):
    persistent = True

    @pytest.fixture
    def store_factory(self, tmp_path: Path) -> StoreFactory:
        return lambda: open_store(f"logfile://{tmp_path / 'log'}")

    @pytest.fixture
    def tamper(self) -> Tamper:
        return LogfileTamper()


@pytest.mark.slow
def test_the_plugin_runs_tests_on_the_example_backend(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_user=textwrap.dedent(
            """
            from hubcore.store import Store

            def test_store(hub_store, hub_store_backend):
                assert hub_store_backend == "logfile"
                assert type(hub_store) is Store
                assert hub_store.head() == 0

            def test_history(hub_history, hub_store):
                assert hub_store.head() == len(hub_history.events)
                assert hub_store.verify() == len(hub_history.events)
            """
        )
    )
    result = pytester.runpytest_subprocess("--hub-store-backend=logfile", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_store[[]logfile[]] PASSED*"])


def test_a_line_torn_by_a_killed_writer_is_never_read_and_is_cut_off(tmp_path: Path) -> None:
    """A writer killed while writing its transaction's line leaves a line without its
    newline: readers skip it, and the next writer cuts it off before appending, so the
    log holds whole transactions only and verifies."""
    from hubcore.testing.conformance import school_events

    folder = tmp_path / "log"
    with open_store(f"logfile://{folder}") as store:
        store.append_many(
            [
                ("school-100900", school_events(100900, 2)),
                ("school-100901", school_events(100901, 1)),
            ]
        )
    rows = folder / "rows.jsonl"
    whole = rows.read_bytes()
    assert whole.count(b"\n") == 1  # one transaction, one line
    with rows.open("ab") as log:
        log.write(whole[: len(whole) // 2])  # half a transaction, as a kill mid-write leaves
    with open_store(f"logfile://{folder}") as store:
        assert store.head() == 3
        assert store.verify() == 3
        store.append("school-100902", school_events(100902, 2))
        assert store.verify() == 5
    assert rows.read_bytes().startswith(whole)
    assert rows.read_bytes().count(b"\n") == 2
    with open_store(f"logfile://{folder}") as store:
        assert [r.position for r in store.read_all()] == [1, 2, 3, 4, 5]
