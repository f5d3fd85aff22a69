"""The ``hubcore`` command end to end, in-process through click's runner."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

import pytest

from hubcore.store import open_store
from store._tamper import edited

from .conftest import GIAS_CP1252, GIAS_UTF8BOM, import_sample

SCHOOL = "--urn"


def test_import_schools_reads_both_encodings_and_is_idempotent(invoke, head):
    first = invoke("import", "schools", str(GIAS_CP1252))
    assert first.exit_code == 0, first.output
    assert "(cp1252)" in first.output
    registered = head()
    assert registered == 38
    again = invoke("import", "schools", str(GIAS_UTF8BOM))
    assert again.exit_code == 0, again.output
    assert "(utf-8-sig)" in again.output
    assert "nothing new" in again.output
    assert head() == registered


def test_import_schools_keeps_only_the_named_local_authority(invoke, store_url):
    result = invoke("import", "schools", str(GIAS_CP1252), "--la", "901")
    assert result.exit_code == 0, result.output
    with open_store(store_url) as store:
        codes = {r.event.la_code for r in store.read_all()}
    assert codes == {"901"}


def test_record_appends_one_event_through_the_rules(invoke, head):
    import_sample(invoke)
    before = head()
    result = invoke(
        "record",
        "SchoolEngaged",
        SCHOOL,
        "121957",
        "--occurred-on",
        "2025-09-10",
        "--offer",
        "cpd,singing",
        "--agreement",
        "informal",
        "--agreed-by-role",
        "headteacher",
    )
    assert result.exit_code == 0, result.output
    assert "recorded SchoolEngaged in school-121957" in result.output
    assert head() == before + 1


def test_record_with_json_fields(invoke, head):
    import_sample(invoke)
    before = head()
    fields = {
        "urn": 121957,
        "occurred_on": "2025-10-01",
        "conversation_id": "c-1",
        "kind": "challenging",
        "participants": ["headteacher", "hub_adviser"],
        "judgements": {"class_teaching": "expected"},
        "next_due_on": "2026-01-15",
    }
    result = invoke("record", "ConversationHeld", "--json", json.dumps(fields))
    assert result.exit_code == 0, result.output
    assert head() == before + 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        # domain rule: the school is not registered
        (
            (
                "record",
                "SchoolEngaged",
                SCHOOL,
                "999999",
                "--occurred-on",
                "2025-09-10",
                "--offer",
                "cpd",
                "--agreement",
                "informal",
                "--agreed-by-role",
                "headteacher",
            ),
            1,
            "school-registered-first",
        ),
        # bad value: an offer that does not exist
        (
            (
                "record",
                "SchoolEngaged",
                SCHOOL,
                "121957",
                "--occurred-on",
                "2025-09-10",
                "--offer",
                "kazoo",
                "--agreement",
                "informal",
                "--agreed-by-role",
                "headteacher",
            ),
            1,
            "got 'kazoo'",
        ),
        # a date in the future
        (
            (
                "record",
                "SchoolClosed",
                SCHOOL,
                "121957",
                "--occurred-on",
                "2999-01-01",
                "--reason",
                "merged",
            ),
            1,
            "future",
        ),
        # usage: a field the event does not have
        (("record", "SchoolClosed", "--colour", "red"), 2, "has no field '--colour'"),
        # usage: an event type that does not exist
        (("record", "SchoolExploded"), 2, "SchoolExploded"),
        # input: --json that is not an object
        (("record", "SchoolClosed", "--json", "[1, 2]"), 1, "JSON object"),
    ],
)
def test_bad_record_input_appends_nothing(invoke, head, args, code, message):
    import_sample(invoke)
    before = head()
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert head() == before


def test_bad_gias_file_lists_every_bad_row_and_appends_nothing(invoke, head, tmp_path):
    text = GIAS_CP1252.read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    urn = header.index("URN")
    pupils = header.index("NumberOfPupils")
    rows[3][urn] = "12x456"
    rows[7][pupils] = "lots"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(out.getvalue().encode("cp1252"))
    result = invoke("import", "schools", str(bad))
    assert result.exit_code == 1
    assert "line 4, URN" in result.output
    assert "line 8, NumberOfPupils" in result.output
    assert "nothing was imported" in result.output
    assert head() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"URN,LA (code)\r\n", "missing"),
    ],
)
def test_unreadable_gias_files_get_clear_messages(invoke, head, tmp_path, content, message):
    path = tmp_path / "schools.csv"
    path.write_bytes(content)
    result = invoke("import", "schools", str(path))
    assert result.exit_code == 1
    assert message in result.output.lower()
    assert head() == 0


def test_import_events_is_all_or_nothing(invoke, head, tmp_path):
    import_sample(invoke)
    before = head()
    good = {
        "type": "SchoolEngaged",
        "urn": 121957,
        "occurred_on": "2025-09-10",
        "offer": ["cpd"],
        "agreement": "informal",
        "agreed_by_role": "headteacher",
    }
    lines = [json.dumps(good), "[1, 2, 3]", json.dumps({**good, "urn": "x"})]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = invoke("import", "events", str(path))
    assert result.exit_code == 1
    assert "line 2" in result.output
    assert "line 3" in result.output
    assert head() == before
    path.write_text(json.dumps(good) + "\n")
    result = invoke("import", "events", str(path))
    assert result.exit_code == 0, result.output
    assert head() == before + 1


def test_verify_names_the_first_tampered_position(invoke, store_url, tmp_path):
    import_sample(invoke)
    assert invoke("verify").exit_code == 0
    path = tmp_path / "hub.sqlite"
    edited(
        path,
        path,
        (
            "UPDATE events SET payload = replace(payload, 'Primary', 'Primery') WHERE position = 5",
            (),
        ),
    )
    result = invoke("verify")
    assert result.exit_code == 1
    assert "position 5" in result.output


def test_log_filters_by_stream_type_and_date(invoke):
    import_sample(invoke)
    result = invoke("log", "--stream", "school-121957")
    assert result.exit_code == 0
    assert result.output.count("school-121957") == 1
    assert invoke("log", "--type", "SchoolClosed").output == ""
    everything = invoke("log").output.splitlines()
    since = invoke("log", "--since", "2024-09-01").output.splitlines()
    assert 0 < len(since) < len(everything)
    for line in since:
        payload = json.loads(line[line.index("{") :])
        assert payload["occurred_on"] >= "2024-09-01"
    assert invoke("log", "--since", "yesterday").exit_code == 2


def test_stats_counts_events_by_type(invoke):
    import_sample(invoke)
    result = invoke("stats")
    assert result.exit_code == 0
    assert "38 events in 38 streams" in result.output
    assert "SchoolRegistered" in result.output


def test_reporters_lists_every_first_party_report_and_format(invoke):
    result = invoke("reporters")
    assert result.exit_code == 0
    for name in (
        "ofsted",
        "self-evaluation",
        "participation",
        "data-return",
        "data-return-schools",
        "pupil-voice",
        "trends",
        "comparison",
    ):
        assert name in result.output
    for fmt in ("text", "markdown", "json", "csv", "html"):
        assert fmt in result.output


@pytest.fixture
def demo(invoke, tmp_path):
    result = invoke("demo", "--schools", "40", "--years", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    return result


def test_demo_records_a_hub_and_writes_every_report(demo, tmp_path, head):
    assert "Hub self-evaluation" in demo.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "comparison.html",
        "data-return-schools.html",
        "data-return.html",
        "ofsted.html",
        "participation.html",
        "pupil-voice.html",
        "self-evaluation.html",
        "trends.html",
    ]
    assert head() > 1000


def test_the_per_school_return_is_one_csv_line_per_school(demo, invoke, tmp_path):
    out = tmp_path / "schools.csv"
    result = invoke("report", "data-return-schools", "--format", "wide-csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("urn,name,phase,la_code,pupils_on_roll,engaged,")
    assert 40 <= len(lines) - 1 <= 45  # the demo's 40 schools, and a few openings
    refused = invoke("report", "data-return", "--format", "wide-csv")
    assert refused.exit_code != 0
    assert "exactly one table" in refused.output


def test_demo_refuses_a_store_that_is_not_empty(demo, invoke, head):
    before = head()
    again = invoke("demo", "--schools", "5", "--years", "1")
    assert again.exit_code == 1
    assert "already holds" in again.output
    assert head() == before


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "html"])
def test_report_renders_in_every_format(demo, invoke, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = invoke("report", "self-evaluation", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert len(data) > 200
    if fmt == "json":
        assert json.loads(data)["schema"] == "hubcore.summary/1"


def test_a_report_run_in_process_leaves_nothing_frozen(demo, invoke, tmp_path):
    """The CLI keeps its read models out of the collector only while its command runs: run
    in-process (CliRunner, a user's program), frozen objects would pile up and every later
    fold would walk them (``gc.get_freeze_count`` is a walk of the frozen list)."""
    before = gc.get_freeze_count()
    result = invoke("report", "self-evaluation", "--out", str(tmp_path / "report.txt"))
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() <= before


def test_report_refuses_unknown_names_and_years(demo, invoke):
    unknown = invoke("report", "no-such-report")
    assert unknown.exit_code == 2
    assert "no-such-report" in unknown.output
    bad_year = invoke("report", "ofsted", "--year", "2025-26")
    assert bad_year.exit_code == 2
    assert "2025/26" in bad_year.output


def test_store_option_falls_back_to_the_environment(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from hubcore.cli import cli

    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("HUBCORE_STORE", url)
    result = CliRunner().invoke(cli, ["import", "schools", str(GIAS_CP1252)])
    assert result.exit_code == 0, result.output
    assert Path(tmp_path / "env.sqlite").exists()


def test_rebuild_one_projection_or_all(demo, invoke):
    one = invoke("rebuild", "coverage")
    assert one.exit_code == 0, one.output
    assert "rebuilt coverage up to position" in one.output
    every = invoke("rebuild")
    assert every.exit_code == 0, every.output
    assert "cadence" in every.output
    unknown = invoke("rebuild", "no-such-model")
    assert unknown.exit_code == 2
    assert "no-such-model" in unknown.output


def test_rebuild_with_two_workers_gives_what_one_pass_gives(demo, invoke, store_url):
    from hubcore.projections import Projector, builtin_projections, fold

    two = invoke("rebuild", "--workers", "2")
    assert two.exit_code == 0, two.output
    with open_store(store_url) as store:
        whole = fold(builtin_projections(), store.read_all())
        saved = Projector(store, builtin_projections())
        assert {name: saved.get(name) for name in saved.names} == whole
        assert saved.lag() == 0
    named = invoke("rebuild", "coverage", "--workers", "2")
    assert named.exit_code == 2
    assert "--workers" in named.output


def _sample_text() -> str:
    return GIAS_UTF8BOM.read_bytes().decode("utf-8-sig")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _sample_text().splitlines()[0].encode() + b"\r\n", "only a header"),
        (lambda: _sample_text().encode()[:3000], "truncated"),
        (lambda: _sample_text().encode("utf-16"), "UTF-16"),
    ],
    ids=["only-header", "truncated", "utf-16"],
)
def test_more_unreadable_gias_files(invoke, head, tmp_path, make, message):
    path = tmp_path / "schools.csv"
    path.write_bytes(make())
    result = invoke("import", "schools", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing was imported" in result.output
    assert head() == 0


def test_unknown_gias_columns_are_ignored_with_a_warning(invoke, head, tmp_path):
    rows = list(csv.reader(io.StringIO(_sample_text())))
    rows[0].append("Colour")
    for row in rows[1:]:
        row.append("blue")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "schools.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = invoke("import", "schools", str(path))
    assert result.exit_code == 0, result.output
    assert "warning: ignored 1 column(s) hubcore does not know: 'Colour'" in result.output
    assert head() == 38
