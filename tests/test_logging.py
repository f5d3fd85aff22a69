"""Logging: records under ``hubcore.*``; the library configures nothing; ``-v`` shows them."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import hubcore
from hubcore.cli import cli
from hubcore.domain import Recorder
from hubcore.projections import Projector
from hubcore.store import open_store
from hubcore.testing import _fixtures

SRC = Path(__file__).parents[1] / "src" / "hubcore"
GIAS = Path(__file__).parent / "imports" / "data" / "gias_sample_cp1252.csv"


def _hubcore_loggers() -> dict[str, logging.Logger]:
    manager = logging.Logger.manager
    found = {
        name: logger
        for name, logger in manager.loggerDict.items()
        if (name == "hubcore" or name.startswith("hubcore.")) and isinstance(logger, logging.Logger)
    }
    found["hubcore"] = logging.getLogger("hubcore")
    return found


def _use_the_library(tmp_path: Path) -> None:
    history = _fixtures.demo_history()
    with open_store(f"sqlite:///{tmp_path / 'hub.sqlite'}") as store:
        _fixtures.record_history(store, history)
        Recorder(store, clock=lambda: history.today).school(history.urns[0])
        Projector(store).catch_up()
        hubcore.render_report(store, "self-evaluation", format="text")


def test_the_library_logs_under_hubcore_and_configures_no_handler(tmp_path, caplog) -> None:
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    with caplog.at_level(logging.DEBUG, logger="hubcore"):
        caplog.handler.setLevel(logging.DEBUG)
        _use_the_library(tmp_path)
        names = {record.name for record in caplog.records}
    assert {"hubcore.store", "hubcore.projections"} <= names, names
    assert all(name.startswith("hubcore.") for name in names), names
    assert root.handlers == root_handlers  # (caplog's own handler is gone again)
    assert root.level == root_level
    for name, logger in _hubcore_loggers().items():
        assert logger.handlers == [], name
        assert logger.level == logging.NOTSET, name
        assert logger.propagate, name


def test_no_module_of_the_library_configures_logging() -> None:
    configuring = re.compile(r"basicConfig\(|addHandler\(|setLevel\(|dictConfig|fileConfig")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if configuring.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["cli/_logs.py"]  # the CLI's -v, for the command it runs


def test_every_logger_is_named_under_hubcore() -> None:
    named = re.compile(r"getLogger\(([^)]*)\)")
    for path in SRC.rglob("*.py"):
        for argument in named.findall(path.read_text(encoding="utf-8")):
            assert re.fullmatch(r'"hubcore(\.[a-z_.]+)?"|LOGGER', argument), (path, argument)


@pytest.mark.parametrize(
    ("flags", "shown", "hidden"),
    [
        ((), [], ["INFO ", "DEBUG "]),
        (("-v",), ["INFO hubcore.projections: caught up"], ["DEBUG "]),
        (("-vv",), ["DEBUG hubcore.store: opened the sqlite store", "INFO hubcore."], []),
    ],
)
def test_the_cli_shows_the_records_with_v(tmp_path, monkeypatch, flags, shown, hidden) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    runner = CliRunner()
    imported = runner.invoke(cli, ["--store", url, "import", "schools", str(GIAS)])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        cli,
        [*flags, "--store", url, "report", "self-evaluation", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    for text in shown:
        assert text in result.stderr, result.stderr
    for text in hidden:
        assert text not in result.stderr, result.stderr
    assert "INFO" not in result.stdout
    assert "DEBUG" not in result.stdout
    # the command's handler and level are gone once it ends
    assert logging.getLogger("hubcore").handlers == []
    assert logging.getLogger("hubcore").level == logging.NOTSET
