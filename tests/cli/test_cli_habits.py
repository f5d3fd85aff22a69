"""What a well-kept command line does: read-only commands never create a store, usage errors
exit 2, machine-readable output on request, help that reads as text, a default year that
follows the dates of the work."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from domain._events import conversation, engaged, registered
from hubcore.cli import cli
from hubcore.domain import Recorder
from hubcore.store import open_store
from store._tamper import edited

from .conftest import GIAS_CP1252, import_sample

READ_ONLY = [
    ("verify",),
    ("verify", "--json"),
    ("log",),
    ("log", "--json"),
    ("stats",),
    ("stats", "--json"),
    ("report", "self-evaluation"),
    ("rebuild",),
]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_commands_refuse_a_missing_store_and_create_nothing(tmp_path, args):
    missing = tmp_path / "mistyped.sqlite"
    result = CliRunner().invoke(cli, ["--store", f"sqlite:///{missing}", *args])
    assert result.exit_code == 2, result.output
    assert "no event store at" in result.output
    assert str(missing) in result.output
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["hub.sqlite", "sqlite:/hub.sqlite", "nosuch://hub"])
@pytest.mark.parametrize("args", [*READ_ONLY, ("demo",)], ids=" ".join)
def test_a_store_url_no_backend_knows_is_a_usage_error(tmp_path, monkeypatch, url, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--store", url, *args])
    assert result.exit_code == 2, result.output
    assert "error: --store: " in result.output
    assert url.partition("://")[0] in result.output
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("report", "self-evaluation", "--year", "2025-26"), "2025/26"),
        (("report", "self-evaluation", "--year", "26"), "academic year"),
        (("report", "no-such-report"), "no-such-report"),
        (("report", "ofsted", "--format", "pdf"), "pdf"),
        (("report", "ofsted", "--urn", "abc"), "abc"),
        (("rebuild", "no-such-model"), "no-such-model"),
        (("log", "--since", "yesterday"), "yesterday"),
        (("log", "--limit", "0"), "0"),
    ],
)
def test_usage_errors_exit_2_naming_the_value(invoke, args, needle):
    import_sample(invoke)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert needle in result.output


def test_log_json_is_one_codec_object_a_line(invoke):
    import_sample(invoke)
    lines = invoke("log", "--json", "--limit", "3").output.splitlines()
    assert len(lines) == 3
    rows = [json.loads(line) for line in lines]
    assert [row["position"] for row in rows] == [1, 2, 3]
    for row in rows:
        assert set(row) == {"position", "stream", "version", "event_id", "recorded_at", "event"}
        assert row["event"]["type"] == "SchoolRegistered"
        assert row["stream"] == f"school-{row['event']['urn']}"


def test_stats_json_counts_by_type_and_year(invoke):
    import_sample(invoke)
    stats = json.loads(invoke("stats", "--json").output)
    assert stats["events"] == 38
    assert stats["streams"] == {"total": 38, "school": 38, "hub": 0}
    assert sum(stats["by_type_and_year"]["SchoolRegistered"].values()) == 38
    assert stats["size_bytes"] > 0


def test_verify_json_reports_intact_then_broken(invoke, tmp_path):
    import_sample(invoke)
    good = invoke("verify", "--json")
    assert good.exit_code == 0
    assert json.loads(good.output) == {"intact": True, "verified": 38, "head": 38}
    path = tmp_path / "hub.sqlite"
    edited(path, path, ("UPDATE events SET payload = replace(payload, 'a', 'e')", ()))
    bad = invoke("verify", "--json")
    assert bad.exit_code == 1
    answer = json.loads(bad.stdout)
    assert answer["intact"] is False
    assert "position" in answer["error"]


def _commands(group: click.Group, prefix: str = "hubcore") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = [(prefix, group)]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix} {name}"))
        else:
            found.append((f"{prefix} {name}", command))
    return found


@pytest.mark.parametrize(("path", "command"), _commands(cli), ids=str)
def test_help_text_has_no_raw_markup(path, command):
    ctx = click.Context(command, info_name=path)
    text = command.get_help(ctx)
    assert path.split()[-1] in text
    for markup in ("``", "::", ":class:", ":func:", ":meth:"):
        assert markup not in text, f"{path} --help shows {markup!r}"


def test_default_year_is_that_of_the_latest_day_worked_not_of_the_last_append(
    store_url, invoke
):
    with open_store(store_url) as store:
        Recorder(store, clock=lambda: date(2026, 3, 1)).record_many(
            [
                registered(121957, date(2024, 9, 2)),
                engaged(121957, date(2025, 10, 1)),  # 2025/26
                conversation(121957, date(2024, 11, 5), "c1"),  # 2024/25, appended last
            ]
        )
    result = invoke("report", "self-evaluation", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scope"]["academic_year"] == "2025/26"


def test_report_limited_to_schools(invoke):
    import_sample(invoke)
    result = invoke("report", "ofsted", "--format", "json", "--urn", "121957", "--urn", "1")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["scope"]["schools"] == ["121957", "1"]
    assert any("1 is not a school" in caveat for caveat in summary["caveats"])


def test_write_commands_still_create_a_new_store(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    result = CliRunner().invoke(cli, ["--store", url, "import", "schools", str(GIAS_CP1252)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new.sqlite").exists()
