"""``hubcore.build_report`` and ``hubcore.render_report`` give what ``hubcore report`` gives."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import hubcore
from hubcore.cli import cli
from hubcore.errors import HubcoreError, InvalidRequest
from hubcore.reporting import NotRegistered, PluginHost, summary_to_dict
from hubcore.store import open_store

REPORTS = [
    "comparison", "data-return", "data-return-schools", "ofsted", "participation",
    "pupil-voice", "school", "self-evaluation", "trends",
]  # fmt: skip
FORMATS = ["text", "markdown", "json", "csv", "html"]
PER_SCHOOL = {"school"}
"""Reports about one school at a time: built here for the demo's first school."""


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("one-call")
    url = f"sqlite:///{folder / 'hub.sqlite'}"
    args = ["--store", url, "demo", "--schools", "30", "--years", "2", "--out", str(folder)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return url


def _first_school(store_url: str) -> int:
    with open_store(store_url) as store:
        return min(int(s.removeprefix("school-")) for s in store.streams("school-"))


def _urn(store_url: str, name: str) -> dict[str, int]:
    return {"urn": _first_school(store_url)} if name in PER_SCHOOL else {}


def _cli(store_url: str, *args: str) -> bytes:
    if args[0] in PER_SCHOOL:
        args = (*args, "--urn", str(_first_school(store_url)))
    result = CliRunner().invoke(cli, ["--store", store_url, "report", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_every_installed_report_is_one_of_the_first_party_ones():
    assert sorted(info.name for info in PluginHost.default().reporters()) == REPORTS


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_render_report_gives_the_commands_bytes(store_url, tmp_path, name, fmt):
    out = tmp_path / f"{name}.{fmt}"
    _cli(store_url, name, "--format", fmt, "--out", str(out))
    rendered = hubcore.render_report(store_url, name, format=fmt, **_urn(store_url, name))
    assert rendered.encode("utf-8") == out.read_bytes()


@pytest.mark.parametrize("name", REPORTS)
def test_build_report_gives_the_commands_summary(store_url, name):
    shown = json.loads(_cli(store_url, name, "--format", "json"))
    with open_store(store_url) as store:
        summary = hubcore.build_report(store, name, **_urn(store_url, name))
    assert summary_to_dict(summary) == shown
    assert summary.metrics or summary.tables


def test_year_and_schools_reach_the_report(store_url):
    default = hubcore.build_report(store_url, "ofsted")
    earlier = f"{int(default.scope.academic_year[:4]) - 1}/{default.scope.academic_year[2:4]}"
    with open_store(store_url) as store:
        session = hubcore.ReportSession(store)
        urns = sorted(session.projector.get("coverage").open_schools(earlier))[:2]
        one = session.build("ofsted", year=earlier, urn=urns)
    assert one.scope.academic_year == earlier
    assert one.scope.schools == tuple(str(u) for u in urns)
    shown = json.loads(
        _cli(
            store_url,
            "ofsted",
            "--format",
            "json",
            "--year",
            earlier,
            *[a for u in urns for a in ("--urn", str(u))],
        )
    )
    assert summary_to_dict(one) == shown


def test_as_of_is_handed_to_the_report_context(store_url):
    today = datetime.now(UTC).date()
    with open_store(store_url) as store:
        session = hubcore.ReportSession(store)
        context = session.context(as_of=today)
        assert context.as_of == today
        # the log as recorded by the end of today: all of it, folded afresh
        assert context.source is not session.projector
        assert context.get("coverage") == session.projector.get("coverage")
        # before the demo was recorded, the log was empty
        with pytest.raises(HubcoreError, match=r"store was empty on \d{4}-\d\d-\d\d"):
            session.context(as_of=today - timedelta(days=1))


def test_as_of_on_the_command_line_gives_the_calls_report(store_url):
    today = datetime.now(UTC).date().isoformat()
    shown = json.loads(_cli(store_url, "participation", "--format", "json", "--as-of", today))
    summary = hubcore.build_report(store_url, "participation", as_of=date.fromisoformat(today))
    assert summary_to_dict(summary) == shown
    assert shown["caveats"][0].startswith(f"Basis: the log as it stood at the end of {today} (")
    bad = CliRunner().invoke(cli, ["--store", store_url, "report", "ofsted", "--as-of", "31/1"])
    assert bad.exit_code == 2
    assert "expected a date YYYY-MM-DD, got '31/1'" in bad.output


@pytest.mark.parametrize(
    ("kwargs", "error", "needle"),
    [
        ({"year": "2025-26"}, InvalidRequest, "2025-26"),
        ({"urn": "121957"}, InvalidRequest, "'121957'"),
        ({"urn": [True]}, InvalidRequest, "True"),
        ({"as_of": "2025-01-31"}, InvalidRequest, "as_of"),
    ],
)
def test_bad_arguments_are_named(store_url, kwargs, error, needle):
    with pytest.raises(error, match=needle):
        hubcore.build_report(store_url, "ofsted", **kwargs)


def test_unknown_names_are_refused_naming_the_known_ones(store_url):
    with pytest.raises(NotRegistered, match="self-evaluation"):
        hubcore.build_report(store_url, "no-such-report")
    with pytest.raises(NotRegistered, match="markdown"):
        hubcore.render_report(store_url, "ofsted", format="pdf")


def test_an_empty_store_has_no_default_year(tmp_path: Path):
    with pytest.raises(HubcoreError, match="empty"):
        hubcore.build_report(f"sqlite:///{tmp_path / 'empty.sqlite'}", "ofsted")


def test_a_binary_format_is_refused_as_text(store_url):
    from hubcore.reporting import renderer

    @renderer("blob", media_type="application/octet-stream", suffix=".bin")
    def blob(summary: object) -> bytes:
        return b"\xff\xfe\x00"

    class Plugin:
        @staticmethod
        def hubcore_register_renderers(register):
            register(blob)

    host = PluginHost.default()
    host.register(Plugin(), name="blob")
    with pytest.raises(InvalidRequest, match="application/octet-stream"):
        hubcore.render_report(store_url, "ofsted", format="blob", plugins=host)
    with open_store(store_url) as store:
        session = hubcore.ReportSession(store, plugins=host)
        assert session.render(session.build("ofsted"), "blob") == b"\xff\xfe\x00"
