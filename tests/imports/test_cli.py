"""``hubcore import KIND FILE`` from the command line, on a real SQLite store."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from hubcore.cli import cli
from hubcore.store import open_store

from ._files import EXAMPLES, REGISTER_HEADER, csv_bytes, register_row


@pytest.fixture
def hub(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--store", url, "import", *args], catch_exceptions=False)

    run.url = url  # type: ignore[attr-defined]
    result = run("schools", str(EXAMPLES / "schools.csv"), "--registered-on", "2025-09-01")
    assert result.exit_code == 0, result.output
    return run


def head(url: str) -> int:
    with open_store(url) as store:
        return store.head()


def test_the_loop_of_a_hubs_year_imports_every_sample(hub):
    outputs = [
        hub("registers", str(EXAMPLES / "registers.csv")),
        hub("training", str(EXAMPLES / "training.csv")),
        hub("survey", str(EXAMPLES / "survey.csv")),
        hub(
            "registers",
            "--map",
            str(EXAMPLES / "registers-map.toml"),
            str(EXAMPLES / "registers-own-columns.csv"),
        ),
    ]
    assert [r.exit_code for r in outputs] == [0, 0, 0, 0]
    assert "appended 15: 15 ParticipationRecorded" in outputs[0].output
    assert "appended 10: 10 TrainingDelivered" in outputs[1].output
    assert "6 MusicDevelopmentPlanRecorded, 6 ProvisionReported" in outputs[2].output
    assert head(hub.url) == 8 + 15 + 10 + 12 + 2
    again = hub("registers", str(EXAMPLES / "registers.csv"))
    assert "appended 0: nothing new" in again.output
    assert "already in the store (imported before): 15" in again.output


def test_the_dfe_sen_statistics_import_from_the_command_line(hub):
    before = head(hub.url)
    result = hub("send", str(EXAMPLES / "send.csv"))
    assert result.exit_code == 0, result.output
    assert "appended 8: 8 SchoolDetailsUpdated" in result.output
    assert "skipped 1: school not registered in this store" in result.output
    assert head(hub.url) == before + 8


def test_send_stats_is_the_same_import_as_send(hub):
    before = head(hub.url)
    result = hub("send-stats", str(EXAMPLES / "send.csv"))
    assert result.exit_code == 0, result.output
    assert "appended 8: 8 SchoolDetailsUpdated" in result.output
    again = hub("send", str(EXAMPLES / "send.csv"))
    assert "appended 0: nothing new" in again.output
    assert head(hub.url) == before + 8


def test_check_writes_nothing(hub):
    before = head(hub.url)
    result = hub("training", "--check", str(EXAMPLES / "training.csv"))
    assert result.exit_code == 0
    assert "would append 10" in result.output
    assert "nothing was written" in result.output
    assert head(hub.url) == before


def test_every_problem_is_printed_and_the_exit_code_is_1(hub, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([REGISTER_HEADER, register_row(pupils="=1+1"), register_row(141000)]))
    before = head(hub.url)
    result = hub("registers", str(bad))
    assert result.exit_code == 1
    assert "2 problem(s); nothing was imported" in result.output
    assert "line 2, Pupils: is a formula" in result.output
    assert "line 3, URN: URN 141000 is not a registered school" in result.output
    assert head(hub.url) == before


def test_a_bad_mapping_file_and_sheet_are_reported(hub, tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nnope = "x"\n')
    result = hub("registers", "--map", str(mapping), str(EXAMPLES / "registers.csv"))
    assert result.exit_code == 1
    assert "columns.nope" in result.output
    result = hub("registers", "--sheet", "One", str(EXAMPLES / "registers.csv"))
    assert result.exit_code == 1
    assert "only for .xlsx" in result.output


def test_events_and_schools_take_check_too(hub, tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"type": "SchoolClosed", "occurred_on": "2026-07-31", "urn": 141021, "reason": "merged"}\n'
    )
    before = head(hub.url)
    checked = hub("events", "--check", str(events))
    assert checked.exit_code == 0
    assert "would append 1: 1 SchoolClosed" in checked.output
    assert head(hub.url) == before
    assert "appended 1" in hub("events", str(events)).output
    assert "already in the store (imported before): 1" in hub("events", str(events)).output
    schools = hub("schools", "--check", str(EXAMPLES / "schools.csv"))
    assert "would append 0" in schools.output
