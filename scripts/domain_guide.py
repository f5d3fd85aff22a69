"""Writes the generated parts of docs/domain.md from the code, so the guide stays true.

Each part sits between ``<!-- BEGIN generated: NAME -->`` and ``<!-- END generated: NAME -->``:
``events`` (every event type, its stream and fields), ``vocabulary`` (every controlled word
and its label) and ``reports`` (every first-party report and the figures it shows, built on
a small demo hub). ``python scripts/domain_guide.py`` rewrites them; ``--check`` exits 1 if
the page is out of date (tests/test_domain_guide.py runs the same check). The reports part
is built on the demo generator's hub, so that every figure has data and shows its rule: a
change to the demo or to a report can change it; rerun the script then.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path

import attrs

from hubcore import events, vocabulary

PAGE = Path(__file__).parents[1] / "docs" / "domain.md"
REPORTS = (
    "self-evaluation",
    "ofsted",
    "participation",
    "data-return",
    "data-return-schools",
    "pupil-voice",
    "trends",
    "comparison",
    "school",
)
_TODAY = date(2026, 8, 31)


def _prose(doc: str | None) -> str:
    """A docstring's first paragraph as one line of markdown."""
    first = (doc or "").strip().split("\n\n")[0]
    text = " ".join(line.strip() for line in first.splitlines())
    text = re.sub(r":(?:class|func|mod|meth|attr):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _annotation(cls: type, name: str) -> str:
    """A field's type as written in the source (attrs may have resolved ``field.type``)."""
    for klass in cls.__mro__:
        written = vars(klass).get("__annotations__", {}).get(name)
        if written is not None:
            return written if isinstance(written, str) else getattr(written, "__name__", "?")
    return "?"


def _events() -> str:
    out: list[str] = []
    for cls in sorted(events.EVENT_TYPES.values(), key=lambda c: c.event_type):
        stream = "school-<URN>" if issubclass(cls, events.SchoolEvent) else "hub-<hub_id>"
        out += [f"### `{cls.event_type}`", "", _prose(cls.__doc__), ""]
        out += [f"Stream `{stream}`, schema version {cls.schema_version}.", ""]
        out += ["| field | type | when not given |", "|---|---|---|"]
        for field in attrs.fields(cls):
            if field.default is attrs.NOTHING:
                default = "required"
            elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                default = "empty"
            else:
                default = f"`{field.default!r}`"
            out.append(f"| `{field.name}` | `{_cell(_annotation(cls, field.name))}` | {default} |")
        out.append("")
    return "\n".join(out)


def _vocabulary() -> str:
    out: list[str] = []
    for name in vocabulary.__all__:
        enum = getattr(vocabulary, name)
        if not (isinstance(enum, type) and issubclass(enum, StrEnum)):
            continue
        words = ", ".join(f"`{m.value}` ({vocabulary.label(m)})" for m in enum)
        doc = _prose(enum.__doc__) if enum.__doc__ != StrEnum.__doc__ else ""
        out.append(f"- **`{name}`**{': ' + doc if doc else ''} {words}.")
    return "\n".join(out) + "\n"


def _reports() -> str:
    import hubcore
    from hubcore.demo import generate_hub
    from hubcore.store import open_store

    out: list[str] = []
    with open_store("memory://") as store:
        history = generate_hub(schools=12, years=1, end_year="2025/26", today=_TODAY)
        hubcore.Recorder(store, clock=lambda: _TODAY).record_many(list(history))
        session = hubcore.ReportSession(store)
        for name in REPORTS:
            info = session.host.reporter(name)
            # a per-school report is shown for the demo's first school
            urn = min(int(s.removeprefix("school-")) for s in store.streams("school-"))
            summary = session.build(name, urn=urn if info.per_school else None)
            out += [f"### `{name}`: {info.title}", "", info.description, ""]
            out += [f"Read models: {', '.join(f'`{p}`' for p in info.projections)}.", ""]
            if info.per_school:
                tables = "; ".join(_cell(t.name) for t in summary.tables)
                out += [f"One school at a time (`--urn N`); its tables: {tables}.", ""]
                continue
            out += ["| figure | label | unit | target | status rule |", "|---|---|---|---|---|"]
            for metric in summary.metrics:
                rule = re.sub(r" \(value [^)]*\)$", "", metric.rule) or "not judged"
                target = "none" if metric.target is None else f"{metric.target:g}"
                out.append(
                    f"| `{metric.key}` | {_cell(metric.label)} | {_cell(metric.unit)} "
                    f"| {target} | {_cell(rule)} |"
                )
            out.append("")
    return "\n".join(out)


PARTS: dict[str, Callable[[], str]] = {
    "events": _events,
    "vocabulary": _vocabulary,
    "reports": _reports,
}


def render(text: str) -> str:
    """``text`` with every generated part replaced by what the code says now."""
    for name, make in PARTS.items():
        pattern = re.compile(
            rf"(<!-- BEGIN generated: {name} -->\n).*?(<!-- END generated: {name} -->)", re.S
        )
        if not pattern.search(text):
            raise SystemExit(f"{PAGE}: no generated part {name!r}")
        body = make().rstrip("\n") + "\n"
        text = pattern.sub(lambda m, body=body: m.group(1) + "\n" + body + "\n" + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    text = PAGE.read_text(encoding="utf-8")
    fresh = render(text)
    if "--check" in argv:
        if fresh != text:
            print(f"{PAGE} is out of date: run python scripts/domain_guide.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
