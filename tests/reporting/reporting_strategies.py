"""Hypothesis strategies for Summary values (used by the reporting tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from hubcore.reporting import Metric, Point, Scope, Section, Series, Status, Summary, Table

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")
optional_text = st.one_of(st.just(""), text)
keys = st.from_regex(r"\A[a-z0-9][a-z0-9_.\-]{0,20}\Z")
numbers = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
)
optional_numbers = st.one_of(st.none(), numbers)
cells = st.one_of(st.none(), st.booleans(), numbers, text, st.sampled_from(["<5", "<10"]))
years = st.integers(min_value=1990, max_value=2100).map(lambda y: f"{y}/{(y + 1) % 100:02d}")


UNJUDGED = [Status.NONE, Status.NO_DATA]


@st.composite
def metrics(draw: st.DrawFn, tables: tuple[str, ...] = ()) -> Metric:
    suppressed = draw(st.booleans())
    value = None if suppressed else draw(optional_numbers)
    judged = suppressed or value is not None
    return Metric(
        key=draw(keys),
        label=draw(text),
        value=value,
        unit=draw(st.sampled_from(["", "%", "schools", "hours", "index", "pupils"])),
        target=draw(optional_numbers),
        status=draw(st.sampled_from(list(Status) if judged else UNJUDGED)),
        evidence_table=draw(st.sampled_from(["", *tables])),
        rule=draw(optional_text),
        evidence=draw(st.integers(min_value=0, max_value=10**6)),
        suppressed=suppressed,
        note=draw(optional_text),
    )


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = draw(st.lists(text, min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)), max_size=5))
    return Table(
        name=draw(text),
        columns=columns,
        rows=rows,
        chart=draw(st.sampled_from([None, "bar"])),
        unit=draw(st.sampled_from(["", "%", "pupils"])),
        caption=draw(optional_text),
        units=draw(
            st.dictionaries(st.sampled_from(columns), st.sampled_from(["", "%", "hours", "index"]))
        ),
    )


@st.composite
def series(draw: st.DrawFn) -> Series:
    points = draw(st.lists(st.builds(Point, text, optional_numbers), max_size=14))
    return Series(
        name=draw(text),
        points=points,
        unit=draw(st.sampled_from(["", "%", "conversations"])),
        target=draw(optional_numbers),
    )


def _unique_by(attr: str):  # type: ignore[no-untyped-def]
    return lambda item: getattr(item, attr)


@st.composite
def sections(draw: st.DrawFn, outer: tuple[str, ...] = ()) -> Section:
    own = draw(st.lists(tables(), max_size=2, unique_by=_unique_by("name")))
    names = (*outer, *(t.name for t in own))
    return Section(
        anchor=draw(keys),
        title=draw(text),
        status=draw(st.sampled_from(list(Status))),
        rule=draw(optional_text),
        note=draw(optional_text),
        metrics=draw(st.lists(metrics(names), max_size=2, unique_by=_unique_by("key"))),
        tables=own,
        series=draw(st.lists(series(), max_size=1)),
        caveats=draw(st.lists(text, max_size=2)),
    )


@st.composite
def summaries(draw: st.DrawFn) -> Summary:
    schools = draw(st.one_of(st.just("all"), st.lists(text, min_size=1, max_size=3)))
    top = draw(st.lists(tables(), max_size=3, unique_by=_unique_by("name")))
    names = tuple(t.name for t in top)
    return Summary(
        title=draw(text),
        reporter=draw(st.one_of(st.just(""), keys)),
        scope=Scope(
            hub_id=draw(text), hub_name=draw(text), academic_year=draw(years), schools=schools
        ),
        metrics=draw(st.lists(metrics(names), max_size=4, unique_by=_unique_by("key"))),
        tables=top,
        sections=draw(st.lists(sections(names), max_size=3, unique_by=_unique_by("anchor"))),
        series=draw(st.lists(series(), max_size=2, unique_by=_unique_by("name"))),
        caveats=draw(st.lists(text, max_size=3)),
        leaves_hub=draw(st.booleans()),
        suppressed=draw(st.booleans()),
        suppression_threshold=draw(st.integers(min_value=1, max_value=20)),
    )
