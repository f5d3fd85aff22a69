"""One error hierarchy: every error class lives in hubcore.errors; bad input raises them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import hubcore
import hubcore.errors
from hubcore import calendar, codec
from hubcore.domain import Recorder
from hubcore.events import FrozenDict, SchoolClosed
from hubcore.projections import Projector
from hubcore.store import open_store
from hubcore.vocabulary import grade_rank, label

FIRST_PARTY = ["hubcore", "hubcore_ofsted", "hubcore_self_evaluation", "hubcore_participation"]
FIRST_PARTY.append("hubcore_data_return")
FIRST_PARTY.extend(["hubcore_trends", "hubcore_comparison"])

# Exceptions that never leave the module that raises them: each is caught there and turned
# into a HubcoreError (or, for the CLI's, into an exit status and a message).
INTERNAL = {
    "hubcore.codec._Unsupported": "caught in codec: a type the fast decoder leaves to cattrs",
    "hubcore.imports._cells.CellError": "caught in imports._rows: becomes an ImportFailed row",
    "hubcore.cli._context.UsageProblem": "click's way to exit 2 with a message",
    "hubcore.reporting._guard._CutOff": "raised in a hung plugin call; caught by its guard",
    "hubcore.reporting._guard._Failed": "a guarded plugin call failed; caught by its guard",
}


def _modules() -> list[str]:
    names: list[str] = []
    for top in FIRST_PARTY:
        package = importlib.import_module(top)
        names.append(top)
        path = getattr(package, "__path__", None)
        if path is not None:
            walked = pkgutil.walk_packages(path, prefix=f"{top}.")
            names += [m.name for m in walked if not m.name.endswith(".__main__")]
    return names


def _exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_error_class_is_defined_in_hubcore_errors() -> None:
    found = _exception_classes()
    assert "hubcore.errors.HubcoreError" in found  # the walk does reach the package
    outside = sorted(name for name in found if not name.startswith("hubcore.errors."))
    assert outside == sorted(INTERNAL), (
        "define error classes in hubcore.errors (as HubcoreError subclasses); "
        f"found elsewhere: {sorted(set(outside) - set(INTERNAL))}"
    )


def test_internal_exceptions_are_not_public() -> None:
    for name in INTERNAL:
        module_name, _, attr = name.rpartition(".")
        assert module_name.rsplit(".", 1)[-1].startswith("_") or attr.startswith("_"), name
        public = importlib.import_module(module_name.rsplit(".", 1)[0])
        assert attr not in getattr(public, "__all__", ()), name


def test_every_error_is_a_hubcore_error_exported_from_the_package_root() -> None:
    for name in hubcore.errors.__all__:
        cls = getattr(hubcore.errors, name)
        assert issubclass(cls, hubcore.HubcoreError), name
        assert getattr(hubcore, name) is cls, name
        assert name in hubcore.__all__, name
        assert cls.__doc__, name
    defined = {
        name
        for name, value in vars(hubcore.errors).items()
        if inspect.isclass(value) and issubclass(value, BaseException)
    }
    assert defined == set(hubcore.errors.__all__)


def test_the_old_homes_of_errors_give_the_same_classes() -> None:
    from hubcore import demo, reporting, store

    assert reporting.NameClash is hubcore.errors.NameClash
    assert reporting.NotRegistered is hubcore.errors.NotRegistered
    assert reporting.PluginLoadError is hubcore.errors.PluginLoadError
    assert reporting.SummaryError is hubcore.errors.SummaryError
    assert store.NoTestDatabase is hubcore.errors.NoTestDatabase
    assert demo.DemoParameterError is hubcore.errors.DemoParameterError


_EVENT = SchoolClosed(occurred_on=date(2025, 1, 6), urn=100001, reason="merged")


def _bad_calls(tmp: Path) -> list[tuple[str, Callable[[Any], object]]]:
    return [
        ("open_store(123)", lambda s: open_store(123)),  # type: ignore[arg-type]
        ("open_store bogus", lambda s: open_store("bogus://x")),
        ("open_store a folder", lambda s: open_store(f"sqlite:///{tmp}")),
        ("append a non-event", lambda s: s.append("school-100001", ["x"])),
        ("append to stream 5", lambda s: s.append(5, [_EVENT])),
        ("read_all after='x'", lambda s: list(s.read_all(after="x"))),
        ("read_stream(5)", lambda s: list(s.read_stream(5))),
        ("Recorder(None)", lambda s: Recorder(None)),  # type: ignore[arg-type]
        ("record a text", lambda s: Recorder(s).record("x")),  # type: ignore[arg-type]
        ("Recorder bad clock", lambda s: Recorder(s, clock=lambda: "x").record(_EVENT)),  # type: ignore[arg-type,return-value]
        ("Recorder state of nonsense", lambda s: Recorder(s).state("nonsense")),
        ("Projector of an object", lambda s: Projector(s, [object()])),  # type: ignore[list-item]
        ("Projector(None)", lambda s: Projector(None)),  # type: ignore[arg-type]
        ("Projector save_every=0", lambda s: Projector(s, save_every=0)),
        ("Projector get unknown", lambda s: Projector(s).get("nope")),
        ("decode garbage", lambda s: codec.decode(b"\xff")),
        ("decode None", lambda s: codec.decode(None)),  # type: ignore[arg-type]
        ("encode an object", lambda s: codec.encode(object())),  # type: ignore[arg-type]
        ("build_report unknown", lambda s: hubcore.build_report(s, "nope")),
        ("build_report year=2025", lambda s: hubcore.build_report(s, "ofsted", year=2025)),  # type: ignore[arg-type]
        ("render_report pdf", lambda s: hubcore.render_report(s, "ofsted", format="pdf")),
        ("academic_year_of text", lambda s: calendar.academic_year_of("2025-01-01")),  # type: ignore[arg-type]
        ("term_of None", lambda s: calendar.term_of(None)),  # type: ignore[arg-type]
        ("academic_year_bounds 2025", lambda s: calendar.academic_year_bounds("2025")),
        ("next_academic_year bad", lambda s: calendar.next_academic_year("25/26")),
        ("grade_rank unknown", lambda s: grade_rank("good")),  # type: ignore[arg-type]
        ("label an object", lambda s: label(object())),  # type: ignore[arg-type]
        ("change a FrozenDict", lambda s: FrozenDict({1: 2}).update({1: 3})),
        ("bad event value", lambda s: SchoolClosed(occurred_on="2025-01-06", urn=1, reason="")),  # type: ignore[arg-type]
    ]


_NAMES = [name for name, _ in _bad_calls(Path())]


@pytest.mark.parametrize("case", _NAMES)
def test_bad_input_to_public_entry_points_raises_a_hubcore_error(case: str, tmp_path) -> None:
    call = dict(_bad_calls(tmp_path))[case]
    with open_store("memory://") as store:
        with pytest.raises(Exception) as caught:  # noqa: PT011 -- which type is the point
            call(store)
        error = caught.value
        assert isinstance(error, hubcore.HubcoreError), (
            f"{case}: {type(error).__module__}.{type(error).__name__}: {error}"
        )
        assert str(error)  # says what was wrong
        assert store.head() == 0  # and nothing was written
