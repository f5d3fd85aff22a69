from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubcore import HubcoreError, codec
from hubcore.cli import cli
from hubcore.events import EVENT_TYPES, ParticipationRecorded, SchoolClosed
from hubcore.export import READ_MODEL_COLUMNS, event_columns, export
from hubcore.imports import planned_events, record_planned
from hubcore.projections import builtin_projections

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def sample_hub(tmp_path, monkeypatch):
    """The sample hub of docs/importing.md, imported through the CLI into SQLite."""
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    steps = [
        ["schools", "import/schools.csv", "--registered-on", "2025-09-01"],
        ["registers", "import/registers.csv"],
        ["training", "import/training.csv"],
        ["survey", "import/survey.csv"],
        ["registers", "--map", "import/registers-map.toml", "import/registers-own-columns.csv"],
    ]
    for step in steps:
        args = [a if not a.startswith("import/") else str(EXAMPLES / a) for a in step]
        result = runner.invoke(cli, ["--store", url, "import", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    def run(*args: str):
        return runner.invoke(cli, ["--store", url, *args], catch_exceptions=False)

    return run


def _stats(run) -> dict[str, int]:
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    by_type = json.loads(result.output)["by_type_and_year"]
    return {t: sum(years.values()) for t, years in by_type.items()}


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_row_counts_per_type_equal_hubcore_stats(sample_hub, tmp_path, fmt):
    result = sample_hub("export", "--format", fmt, str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    rows = {
        t["name"].removeprefix("events/"): t["rows"]
        for t in manifest["tables"]
        if t["name"].startswith("events/")
    }
    assert set(rows) == set(EVENT_TYPES)
    stats = _stats(sample_hub)
    assert {t: n for t, n in rows.items() if n} == stats
    assert sum(rows.values()) == manifest["head"] == 47
    for table in manifest["tables"]:
        assert (tmp_path / "out" / table["file"]).is_file()
    assert not list((tmp_path / "out").rglob("*.partial"))


def test_a_parquet_table_round_trips_to_the_stored_events(sample_hub, tmp_path):
    import pyarrow.parquet as pq

    from hubcore.store import open_store

    sample_hub("export", str(tmp_path / "out"))
    table = pq.read_table(tmp_path / "out" / "events" / "ParticipationRecorded.parquet")
    assert [f.name for f in table.schema] == [c.name for c in event_columns(ParticipationRecorded)]
    assert str(table.schema.field("occurred_on").type) == "date32[day]"
    assert str(table.schema.field("recorded_at").type) == "timestamp[us, tz=UTC]"
    rows = table.to_pylist()
    envelope = ("position", "stream", "version", "event_id", "recorded_at", "schema_version")
    back = [
        codec.from_dict(
            {"type": "ParticipationRecorded", **{k: v for k, v in row.items() if k not in envelope}}
        )
        for row in rows
    ]
    with open_store(f"sqlite:///{tmp_path / 'hub.sqlite'}") as store:
        stored = [r for r in store.read_all() if isinstance(r.event, ParticipationRecorded)]
    assert back == [r.event for r in stored]
    assert [(r["position"], r["stream"], r["version"], r["event_id"]) for r in rows] == [
        (r.position, r.stream, r.version, str(r.event_id)) for r in stored
    ]
    assert [r["recorded_at"] for r in rows] == [r.recorded_at for r in stored]


def test_maps_and_lists_keep_their_types(sample_hub, tmp_path):
    import pyarrow.parquet as pq

    sample_hub("export", str(tmp_path / "out"))
    table = pq.read_table(tmp_path / "out" / "events" / "ProvisionReported.parquet")
    import pyarrow as pa

    assert table.schema.field("minutes_per_week").type.equals(pa.map_(pa.int64(), pa.int64()))
    assert table.schema.field("judged_by").type.equals(pa.list_(pa.string()))
    first = table.to_pylist()[0]
    assert first["minutes_per_week"] == [(1, 45), (2, 60)]
    assert first["judged_by"] == ["lesson_observation", "pupil_voice"]


def test_the_duckdb_example_answers_participation_by_la_and_term(sample_hub, tmp_path, monkeypatch):
    import duckdb

    sample_hub("export", str(tmp_path / "out"))
    monkeypatch.chdir(tmp_path / "out")
    query = (EXAMPLES / "export" / "participation_by_la_and_term.sql").read_text()
    rows = duckdb.sql(query).fetchall()
    # by hand from docs/examples/import/registers*.csv: LA 901 is 141021, 141187, 141305,
    # 141422; autumn = 60 + 14 (141021) + 28 (141187) + 41 (141305) = 143 pupils, of them
    # 11 + 2 + 8 + 12 = 33 FSM (23.1%); summer 901 = 18 (141305) + 9 (141187) + 16 (141422)
    assert rows[0] == ("901", "2025/26", "autumn", 143, 3, 23.1)
    assert rows[2] == ("901", "2025/26", "summer", 43, 3, 23.3)
    documented = re.search(
        r"la_code .*?\n(.*?)```", (ROOT / "docs" / "export.md").read_text(), re.S
    )
    assert documented
    shown = [tuple(line.split()) for line in documented.group(1).strip().splitlines()]
    assert shown == [tuple(str(v) for v in row) for row in rows]


def test_csv_neutralises_formula_starts_and_writes_lists_as_json(hub_store, tmp_path):
    from ._history import small_hub

    small_hub(hub_store, reason='=HYPERLINK("x")')
    report = export(hub_store, tmp_path / "out", format="csv", read_models=False)
    with (tmp_path / "out" / "events" / "SchoolClosed.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["reason"] == '\'=HYPERLINK("x")'
    assert row["occurred_on"] == "2026-07-31"
    assert report.rows("events/SchoolClosed") == 1
    with (tmp_path / "out" / "events" / "SchoolEngaged.csv").open(encoding="utf-8") as handle:
        (engaged,) = list(csv.DictReader(handle))
    assert json.loads(engaged["offer"]) == ["cpd", "singing"]


def test_jsonl_keeps_nesting(hub_store, tmp_path):
    from ._history import small_hub

    small_hub(hub_store)
    export(hub_store, tmp_path / "out", format="jsonl")
    lines = (tmp_path / "out" / "events" / "SchoolEngaged.jsonl").read_text().splitlines()
    assert isinstance(json.loads(lines[0])["offer"], list)
    models = (tmp_path / "out" / "read_models" / "coverage.jsonl").read_text().splitlines()
    assert {json.loads(line)["field"] for line in models} == {"roster", "engagement"}


def test_every_read_model_is_a_table_and_an_odd_one_is_named(hub_store, tmp_path):
    from ._history import small_hub

    small_hub(hub_store)

    class Opaque:
        name, version, handles = "opaque", 1, frozenset({"SchoolRegistered"})

        def initial(self):
            return 0

        def apply(self, state, recorded):
            return state + 1

        def dump(self, state):
            return b"\x00not json"

        def load(self, data):
            return 0

    class Counter(Opaque):
        name = "counter"

        def dump(self, state):
            return json.dumps(state).encode()

    projections = [*builtin_projections(), Opaque(), Counter()]
    report = export(hub_store, tmp_path / "out", format="jsonl", projections=projections)
    names = {t.name for t in report.tables if t.name.startswith("read_models/")}
    assert names == {f"read_models/{p.name}" for p in projections if p.name != "opaque"}
    (warning,) = report.warnings
    assert warning.startswith("read model 'opaque' left out: its saved state is not JSON")
    (line,) = (tmp_path / "out" / "read_models" / "counter.jsonl").read_text().splitlines()
    assert json.loads(line) == {"field": None, "key": None, "item": None, "value": 2}
    assert [c.name for c in READ_MODEL_COLUMNS] == ["field", "key", "item", "value"]


def test_a_failed_export_leaves_the_previous_one(hub_store, tmp_path, monkeypatch):
    from hubcore.export import _export

    from ._history import small_hub

    small_hub(hub_store)
    first = export(hub_store, tmp_path / "out", format="csv")
    before = (tmp_path / "out" / "events" / "SchoolRegistered.csv").read_bytes()

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(_export, "read_model_rows", broken)
    with pytest.raises(RuntimeError):
        export(hub_store, tmp_path / "out", format="csv")
    assert (tmp_path / "out" / "events" / "SchoolRegistered.csv").read_bytes() == before
    assert not list((tmp_path / "out").rglob("*.partial"))
    assert first.rows("events/SchoolRegistered") == 2


def test_bad_requests_are_named(hub_store, tmp_path, monkeypatch):
    with pytest.raises(HubcoreError, match="unknown export format"):
        export(hub_store, tmp_path, format="xml")
    (tmp_path / "file").write_text("x")
    with pytest.raises(HubcoreError, match="not a folder"):
        export(hub_store, tmp_path / "file", format="csv")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(HubcoreError, match=r"hubcore\[export\]"):
        export(hub_store, tmp_path / "p", format="parquet")
    assert not (tmp_path / "p").exists()


def test_events_appended_during_an_export_are_left_out(hub_store, tmp_path):
    from ._history import small_hub

    small_hub(hub_store)
    head = hub_store.head()
    original = hub_store.read_all

    def read_all(*args, **kwargs):
        for recorded in original(*args, **kwargs):
            if recorded.position == head:
                planned = planned_events(
                    [
                        SchoolClosed(
                            occurred_on=recorded.event.occurred_on, urn=141021, reason="late"
                        )
                    ],
                    [1],
                    "events",
                )
                record_planned(hub_store, "events", planned, source="late")
            yield recorded

    hub_store.read_all = read_all
    report = export(hub_store, tmp_path / "out", format="jsonl", read_models=False)
    assert report.head == head
    assert sum(t.rows for t in report.tables) == head
    assert hub_store.head() == head + 1
