"""``hubcore report school``: --urn, --all-schools --out DIR, and the usage errors (exit 2)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hubcore.cli import cli
from hubcore.domain import Recorder
from hubcore.store import open_store

from ._history import TODAY, A, B, C, D, E, history


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('school') / 'hub.sqlite'}"
    with open_store(url) as store:
        Recorder(store, clock=lambda: TODAY).record_many(history())
    return url


def _invoke(store_url: str, *args: str):
    return CliRunner().invoke(cli, ["--store", store_url, "report", "school", *args])


def test_one_schools_pack(store_url):
    result = _invoke(store_url, "--urn", str(A), "--year", "2025/26", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["title"] == "School pack: Ashfield Primary 2025/26"
    assert shown["scope"]["schools"] == [str(A)]


@pytest.mark.parametrize(("fmt", "suffix"), [("html", ".html"), ("json", ".json"), ("csv", ".csv")])
def test_all_schools_writes_one_file_per_open_school(store_url, tmp_path, fmt, suffix):
    out = tmp_path / "packs"
    result = _invoke(
        store_url, "--all-schools", "--year", "2025/26", "--format", fmt, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    # Elm closed before 2025/26: four open schools, four files, nothing half-written
    assert sorted(p.name for p in out.iterdir()) == [f"{u}{suffix}" for u in (A, B, C, D)]
    assert "wrote 4 files" in result.output
    if fmt == "json":
        pack = json.loads((out / f"{B}.json").read_text(encoding="utf-8"))
        assert pack["title"] == "School pack: Brook Primary 2025/26"


def test_all_schools_replaces_files_atomically(store_url, tmp_path):
    out = tmp_path / "packs"
    out.mkdir()
    (out / f"{A}.json").write_text("old")
    (out / "notes.txt").write_text("kept")
    result = _invoke(store_url, "--all-schools", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads((out / f"{A}.json").read_text())["reporter"] == "school"
    assert (out / "notes.txt").read_text() == "kept"
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "about one school at a time: give --urn URN, or --all-schools --out DIR"),
        (("--urn", str(A), "--all-schools", "--out", "x"), "--urn and --all-schools do not go"),
        (("--all-schools",), "--all-schools writes one file per school: give --out DIR"),
        (("--urn", "999999"), "--urn 999999: no school with URN 999999 is registered"),
    ],
)
def test_usage_errors_exit_2_and_say_what(store_url, args, message):
    result = _invoke(store_url, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_all_schools_into_a_file_is_refused(store_url, tmp_path):
    file = tmp_path / "packs.html"
    file.write_text("kept")
    result = _invoke(store_url, "--all-schools", "--out", str(file))
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert file.read_text() == "kept"


def test_a_school_closed_before_the_year_still_has_a_pack(store_url):
    result = _invoke(store_url, "--urn", str(E), "--year", "2025/26", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "not open in 2025/26" in json.loads(result.output)["caveats"][1]


def test_other_reports_take_all_schools_too(store_url, tmp_path):
    out = tmp_path / "ofsted"
    result = CliRunner().invoke(
        cli, ["--store", store_url, "report", "ofsted", "--all-schools", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 4
