"""Benchmark the projections on a national-scale log.

Generates (once, cached under benchmarks/.data/, and again whenever the cached file no longer
opens, e.g. after a store format change) about 20,000 schools over 5 academic years,
>= 2 million events, appended straight into a SQLite store in time order, one batch per
school and year (domain rules bypassed, validators off). Then prints:

* rebuild throughput of every built-in projection together, one process (``fold``: every
  read model in memory), with RSS at each million events;
* memory after 1M and 2M events, each in a fresh process: peak RSS, the read models' own
  size (deep size), and the rest, which must not grow with the log;
* the partitioned rebuild (``parallel_fold``, 2 processes, every read model in memory),
  checked equal to the one-process result, and its speed-up over ``fold``;
* the same comparison with saving, as a Projector user gets it: ``catch_up()`` from nothing
  saved (saving once, at the end) against ``rebuild_partitioned()`` (saving once);
* catch-up latency after a 100-event append (each run appends 500 events to the cache).

The machine may be busy (other programs share its 2 cores): every figure comes with the CPU
time it took and the load. ``--trace-memory`` prints, instead, what tracemalloc sees held
at 2M events that was not at 1M, by source line.

Run: /work/venv/bin/python benchmarks/projections.py [--schools N] [--workers N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import orjson

from hubcore.errors import HubcoreError
from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ConversationHeld,
    HubEstablished,
    HubStaffTrained,
    ImpactEvaluated,
    InspectionRecorded,
    MusicDevelopmentPlanRecorded,
    ParticipationRecorded,
    PartnerJoined,
    ProvisionReported,
    PupilVoiceGathered,
    SchoolEngaged,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
)
from hubcore.projections import (
    DEFAULT_SAVE_EVERY,
    Projector,
    builtin_projections,
    fold,
    parallel_fold,
)
from hubcore.store import open_store
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
    DeliveredBy,
    EvaluationMethod,
    Grade,
    ImpactProgramme,
    InspectionFramework,
    Offer,
    Participant,
    ParticipationProgramme,
    PartnerKind,
    Phase,
    PupilVoiceMethod,
    QualityEvidence,
    StaffRole,
    TrainingFormat,
    TrainingTopic,
)

DATA = Path(__file__).parent / ".data"
YEARS = [2020, 2021, 2022, 2023, 2024]
FLOOR_EPS = 50_000
SPEEDUP_TARGET = 1.7
GRADES = list(Grade)
AREAS = list(Area)


def _school_start(rng: random.Random, urn: int) -> list[Any]:
    phase = rng.choices([Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL], [16, 3.5, 1])[0]
    roll = {Phase.PRIMARY: 275, Phase.SECONDARY: 1060, Phase.SPECIAL: 145}[phase]
    return [
        SchoolRegistered(
            occurred_on=date(2019, 6, 1), urn=urn, name=f"School {urn}", phase=phase,
            la_code=f"{800 + urn % 150}", pupils_on_roll=roll,
            disadvantaged_pct=float(rng.randint(10, 47)),
        ),
        SchoolEngaged(
            occurred_on=date(2019, 9, 2), urn=urn, offer={Offer.SINGING, Offer.CPD},
            agreement=Agreement.INFORMAL, agreed_by_role=AgreedByRole.HEADTEACHER,
        ),
    ]  # fmt: skip


def _school_year(rng: random.Random, urn: int, y: int) -> list[Any]:
    """About 20 events of one school in academic year y/y+1."""
    out: list[Any] = []
    year = f"{y}/{(y + 1) % 100:02d}"
    start = date(y, 9, 1)

    def on(days: int, start: date = start) -> date:
        return start + timedelta(days=days)

    for c in range(3):
        out.append(
            ConversationHeld(
                occurred_on=on(20 + 110 * c),
                urn=urn,
                conversation_id=f"c{y}{c}",
                kind=rng.choice(list(ConversationKind)),
                participants={Participant.HEADTEACHER},
                judgements={rng.choice(AREAS): rng.choice(GRADES)},
                music_taught_weekly_to_all_classes=rng.choice([True, False, None]),
                aware_of_subject_guidance=rng.choice([True, None]),
                quality_judged_by={QualityEvidence.LESSON_OBSERVATION},
                next_due_on=on(130 + 110 * c),
            )
        )
    for a in range(2):
        out.append(
            ActionAgreed(
                occurred_on=on(21),
                urn=urn,
                action_id=f"a{y}{a}",
                description="act",
                owner=ActionOwner.SCHOOL,
                due_on=on(100 + a * 60),
            )
        )
    out.append(ActionCompleted(occurred_on=on(90), urn=urn, action_id=f"a{y}0", outcome="ok"))
    out.append(ActionCompleted(occurred_on=on(170), urn=urn, action_id=f"a{y}1", outcome="ok"))
    for t in range(3):
        out.append(
            TrainingDelivered(
                occurred_on=on(30 + 90 * t),
                urn=urn,
                topic=rng.choice(list(TrainingTopic)),
                format=rng.choice(list(TrainingFormat)),
                hours=2.0,
                staff_trained=4,
                delivered_by=DeliveredBy.HUB_STAFF,
            )
        )
    out.append(
        ImpactEvaluated(
            occurred_on=on(300),
            urn=urn,
            evaluation_id=f"e{y}",
            programme=ImpactProgramme.SINGING,
            methods={EvaluationMethod.PUPIL_VOICE},
            pupils_in_scope=60,
            baseline_grade=rng.choice(GRADES),
            current_grade=rng.choice(GRADES),
            summary="s",
        )
    )
    total = rng.randint(4, 14)
    out.append(
        ProvisionReported(
            occurred_on=on(60),
            urn=urn,
            academic_year=year,
            classes_total=total,
            classes_with_weekly_music=rng.randint(total // 2, total),
            minutes_per_week={1: 60, 2: rng.choice([45, 60])},
            self_evaluation_grade=Grade.EXPECTED,
        )
    )
    for programme in (
        ParticipationProgramme.WHOLE_CLASS_ENSEMBLE,
        ParticipationProgramme.TUITION_SMALL_GROUP,
        ParticipationProgramme.CHOIR,
        ParticipationProgramme.ENSEMBLE,
        ParticipationProgramme.SINGING,
        ParticipationProgramme.TUITION_INDIVIDUAL,
    ):
        wcet = programme is ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
        out.append(
            ParticipationRecorded(
                occurred_on=on(200),
                urn=urn,
                academic_year=year,
                programme=programme,
                key_stage=2,
                pupils=30,
                pupil_premium=6,
                send=3,
                fee_remission=2,
                wcet_terms=1 if wcet else None,
                continuing_from_wcet=None if wcet else 3,
            )
        )
    out.append(
        MusicDevelopmentPlanRecorded(
            occurred_on=on(40),
            urn=urn,
            academic_year=year,
            has_plan=rng.random() < 0.5,
            summary_published=rng.random() < 0.3,
            hub_supported=rng.random() < 0.4,
        )
    )
    out.append(
        PupilVoiceGathered(
            occurred_on=on(250),
            urn=urn,
            method=PupilVoiceMethod.SURVEY,
            respondents=30,
            enjoy_pct=80.0,
            want_more_pct=60.0,
        )
    )
    if rng.random() < 0.2:
        out.append(
            InspectionRecorded(occurred_on=on(150), urn=urn, framework=InspectionFramework.EIF_2019)
        )
    if rng.random() < 0.1:
        out.append(
            SchoolToSchoolSupportBrokered(
                occurred_on=on(160), urn=urn, lead_urn=urn + 1, focus=Area.ASSESSMENT
            )
        )
    return out


def _hub_events(hub: int) -> list[Any]:
    hub_id = f"hub-{hub:02d}"
    out: list[Any] = [
        HubEstablished(occurred_on=date(2019, 1, 1), hub_id=hub_id, name="Hub",
                       lead_organisation="LA", la_codes={"901"}),
    ]  # fmt: skip
    for y in YEARS:
        for m in range(12):
            day = date(y, 9, 1) + timedelta(days=30 * m)
            out.append(
                StaffTimeLogged(
                    occurred_on=day,
                    hub_id=hub_id,
                    period_start=day,
                    period_end=day,
                    staff_role=StaffRole.ADVISER,
                    strategic_hours=10.0,
                    teaching_hours=30.0,
                    other_hours=5.0,
                )
            )
        out.append(
            HubStaffTrained(occurred_on=date(y, 10, 1), hub_id=hub_id,
                            topic=TrainingTopic.SINGING, hours=3.0, staff_count=10)
        )  # fmt: skip
        out.append(
            PartnerJoined(occurred_on=date(y, 10, 2), hub_id=hub_id, partner_id=f"p{y}",
                          name="Partner", kind=PartnerKind.ARTS_VENUE)
        )  # fmt: skip
    return out


def generate(path: Path, schools: int) -> None:
    """Write the log once: domain rules bypassed (events built directly), in time order.

    Year by year, each school's events of the year are one batch (~21 events), so every
    school is in the log from the first year on, as in a real national log. Written on
    tmpfs when there is one (each batch is a durable commit: fsync-bound on disk), then
    copied in place.
    """
    rng = random.Random(20260101)
    started = time.perf_counter()
    scratch = Path("/dev/shm") if Path("/dev/shm").is_dir() else path.parent
    tmp = scratch / f"{path.stem}.{os.getpid()}.partial"  # concurrent runs each their own
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    urns = [100000 + i for i in range(schools)]
    try:
        with open_store(f"sqlite:///{tmp}") as store, attrs.validators.disabled():
            for hub in range(43):
                events = _hub_events(hub)
                store.append(events[0].stream, events)
            for urn in urns:
                events = _school_start(rng, urn)
                store.append(events[0].stream, events)
            for y in YEARS:
                for urn in urns:
                    events = _school_year(rng, urn, y)
                    store.append(events[0].stream, events)
                print(f"  generated {y}, {store.head():,} events", file=sys.stderr)
            head = store.head()
        shutil.copyfile(tmp, path.with_suffix(".partial"))
        path.with_suffix(".partial").rename(path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    elapsed = time.perf_counter() - started
    print(f"generated {head:,} events in {elapsed:.0f}s ({head / elapsed:,.0f}/s) -> {path}")


def _rss_mib() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process, MiB."""
    current = peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return current, peak


def _load() -> str:
    """The machine's load (other programs share its cores: every figure is noisy)."""
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


def _busy_seconds() -> float | None:
    """CPU seconds every program on the machine has used since boot (None off Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _read_only(url: str) -> None:
    with open_store(url) as store:
        started, cpu = time.perf_counter(), time.process_time()
        count = sum(1 for _ in store.read_all())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"plain read_all: {count:,} events in {elapsed:.1f}s = {count / elapsed:,.0f} events/s"
        f" ({count / cpu:,.0f} per CPU-second)"
    )


def _state_fields(state: Any) -> list[Any]:
    return [f for f in attrs.fields(type(state)) if not f.metadata.get("cache", False)]


def _digest(states: dict[str, Any]) -> str:
    """A canonical fingerprint of read models (so the big states need not stay in memory)."""
    digest = hashlib.sha256()
    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS
    for name in sorted(states):
        state = states[name]
        data = {f.name: getattr(state, f.name) for f in _state_fields(state)}
        digest.update(name.encode() + orjson.dumps(data, option=option))
    return digest.hexdigest()


def _deep_size(states: dict[str, Any]) -> int:
    """Bytes held by the read models: every object reachable from their state fields,
    counted once, each rounded up to CPython's 16-byte allocation unit."""
    seen: set[int] = set()
    total = 0
    stack: list[Any] = [
        getattr(state, f.name) for state in states.values() for f in _state_fields(state)
    ]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        total += -(-sys.getsizeof(obj) // 16) * 16
        kind = type(obj)
        if kind is dict:
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif kind is list or kind is tuple:
            stack.extend(obj)
    return total


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (its helpers are waited for first)."""
    for thread in threading.enumerate():
        if thread.name.startswith("hubcore-fold-reaper"):
            thread.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _fresh_projector(store: Any) -> Projector:
    for projection in builtin_projections():  # start from nothing saved
        store.delete_projection(projection.name)
    return Projector(store, save_every=10**12)  # one save, at the end


def _timed_run(url: str, mode: str, workers: int, lead_share: float | None) -> None:
    """(In a fresh process, as a user's would be) one timed rebuild; prints a JSON line.

    ``fold``: fold() of the whole log in memory, with RSS at each million events;
    ``parallel``: parallel_fold(), in memory; ``catch-up``: a Projector's catch_up() from
    nothing saved, saving once at the end; ``rebuild-partitioned``: a Projector's
    rebuild_partitioned() from nothing saved (it saves once, at the end).
    """
    marks: dict[int, tuple[float, float]] = {}
    with open_store(url) as store:
        projector = _fresh_projector(store) if mode in ("catch-up", "rebuild-partitioned") else None

        def records() -> Any:
            for rec in store.read_all():
                if rec.position % 1_000_000 == 0:
                    marks[rec.position] = _rss_mib()
                yield rec

        children = _children_cpu()
        busy = _busy_seconds()
        started, cpu = time.perf_counter(), time.process_time()
        if mode == "fold":
            states = fold(builtin_projections(), records())
        elif mode == "parallel":
            states = parallel_fold(url, workers=workers, lead_share=lead_share)[0]
        elif mode == "catch-up" and projector is not None:
            projector.catch_up()
        elif projector is not None:
            projector.rebuild_partitioned(url, workers=workers)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        others_cpu = _children_cpu() - children
        busy_after = _busy_seconds()
        if projector is not None:
            states = {name: projector.get(name) for name in projector.names}
        events = store.head()
    report = {
        "elapsed": elapsed,
        "cpu": cpu,
        "others_cpu": others_cpu,
        "foreign_cpu": (
            None if busy is None or busy_after is None else busy_after - busy - cpu - others_cpu
        ),
        "events": events,
        "marks": sorted(marks.items()),
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "digest": _digest(states),
        "load": _load(),
    }
    print(orjson.dumps(report).decode())


def _in_fresh_process(url: str, *arguments: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--url", url, *arguments],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {arguments} failed:\n{done.stderr}")
    return orjson.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _run(url: str, mode: str, options: argparse.Namespace) -> dict[str, Any]:
    share = [] if options.lead_share is None else ["--lead-share", str(options.lead_share)]
    return _in_fresh_process(url, "--run", mode, "--workers", str(options.workers), *share)


def _foreign(run: dict[str, Any]) -> str:
    """CPU time other programs took during a run (they compete for the same cores)."""
    seconds = run.get("foreign_cpu")
    return "unknown" if seconds is None else f"{max(0.0, seconds):.1f} CPU-s"


def _one_process(url: str, options: argparse.Namespace) -> dict[str, Any]:
    one = _run(url, "fold", options)
    for position, (current, peak) in one["marks"]:
        print(f"  RSS at {position:,} events: {current:,.0f} MiB (peak so far {peak:,.0f} MiB)")
    rate = one["events"] / one["elapsed"]
    verdict = "ok" if rate >= FLOOR_EPS else f"BELOW the {FLOOR_EPS:,} floor"
    print(
        f"  {one['events']:,} events in {one['elapsed']:.1f}s = {rate:,.0f} events/s ({verdict});"
        f" {one['events'] / one['cpu']:,.0f} per CPU-second; other programs meanwhile:"
        f" {_foreign(one)}; {one['load']}"
    )
    print(f"  peak RSS {one['peak']:,.0f} MiB")
    return one


def _measure_memory(url: str, events: int) -> None:
    """(In a fresh process) fold the first ``events`` events; print RSS and model size."""
    with open_store(url) as store:
        states = fold(builtin_projections(), store.read_all(limit=events))
    current, peak = _rss_mib()
    sizes = {name: _deep_size({name: state}) for name, state in states.items()}
    report = {
        "events": events,
        "rss": current,
        "peak": peak,
        "models": _deep_size(states) / 2**20,
        "largest": sorted(sizes.items(), key=lambda item: -item[1])[:3],
    }
    print(orjson.dumps(report).decode())


def _memory_follows_models(url: str, head: int) -> None:
    """Peak RSS and the read models' own size after 1M and 2M events (half the log and all
    of it, if shorter), each measured in a fresh process: what is not read models ("the
    rest": the interpreter, SQLite's page cache, a page of records in flight, allocator
    slack) must not grow with the log."""
    marks = (1_000_000, 2_000_000) if head >= 2_000_000 else (head // 2, head)
    print(f"memory after {marks[0]:,} and {marks[1]:,} events (a fresh process each):")
    rows = [_in_fresh_process(url, "--measure-memory", str(n)) for n in marks]
    for row in rows:
        rest = row["peak"] - row["models"]
        largest = ", ".join(f"{name} {size / 2**20:,.0f}" for name, size in row["largest"])
        print(
            f"  {row['events']:>9,} events: peak RSS {row['peak']:,.0f} MiB = read models"
            f" {row['models']:,.0f} MiB + the rest {rest:,.0f} MiB (largest: {largest})"
        )
    first, second = rows
    grew = second["peak"] - first["peak"]
    models = second["models"] - first["models"]
    rest = grew - models
    flat = abs(rest) <= 0.05 * first["peak"]
    verdict = "flat: memory follows the read models" if flat else "NOT flat"
    print(
        f"  from {marks[0]:,} to {marks[1]:,} events: peak RSS {grew:+,.0f} MiB, read models"
        f" {models:+,.0f} MiB, the rest {rest:+,.0f} MiB ({verdict})"
    )
    under = "under" if second["peak"] < 1024 else "OVER"
    print(f"  peak RSS after {marks[1]:,} events: {second['peak']:,.0f} MiB ({under} 1 GiB)")


def _trace_memory(url: str) -> None:
    """tracemalloc: what was allocated, by source line, still held at 2M vs at 1M events."""
    tracemalloc.start(1)
    snapshots: dict[int, tracemalloc.Snapshot] = {}
    with open_store(url) as store:

        def records() -> Any:
            for rec in store.read_all(limit=2_000_000):
                yield rec
                if rec.position in (1_000_000, 2_000_000):
                    snapshots[rec.position] = tracemalloc.take_snapshot()

        fold(builtin_projections(), records())
    tracemalloc.stop()
    first, second = snapshots[1_000_000], snapshots[2_000_000]
    for position, snapshot in sorted(snapshots.items()):
        total = sum(stat.size for stat in snapshot.statistics("filename"))
        print(f"  traced at {position:,} events: {total / 2**20:,.1f} MiB")
    print("  growth from 1M to 2M events, by source line (top 15):")
    for stat in second.compare_to(first, "lineno")[:15]:
        where = stat.traceback[0]
        name = where.filename.split("/src/")[-1]
        print(
            f"    {stat.size_diff / 2**20:+7.1f} MiB {stat.count_diff:+10,} blocks"
            f"  {name}:{where.lineno}"
        )


def _compare(
    title: str, one: dict[str, Any], split: dict[str, Any], workers: int, target: bool
) -> float:
    """Print a partitioned run against a one-process run; the speed-up."""
    speedup: float = one["elapsed"] / split["elapsed"]
    verdict = ""
    if target:
        ok = speedup >= SPEEDUP_TARGET
        verdict = " (ok)" if ok else f" (BELOW the x{SPEEDUP_TARGET} target)"
    same = split["digest"] == one["digest"]
    print(
        f"  {title}: {split['events']:,} events in {split['elapsed']:.1f}s ="
        f" {split['events'] / split['elapsed']:,.0f} events/s, x{speedup:.2f}{verdict} against"
        f" {one['elapsed']:.1f}s in one process; same result: {same}"
    )
    print(
        f"    CPU: calling process {split['cpu']:.1f}s, the other {workers - 1}"
        f" {split['others_cpu']:.1f}s (one process: {one['cpu']:.1f}s); other programs meanwhile:"
        f" {_foreign(split)} ({_foreign(one)} during the one-process run); {split['load']}"
    )
    return speedup


def _partitioned(url: str, options: argparse.Namespace, one: dict[str, Any]) -> None:
    """parallel_fold against fold() (every read model in memory, nothing saved: the issue's
    figure), then rebuild_partitioned against catch_up() (every read model in memory and
    saved, once, at the end: what a Projector user gets). Each run in a fresh process."""
    workers = options.workers
    print(f"partitioned rebuild, {workers} processes, each run in a fresh process:")
    ratios = []
    for round_ in range(options.repeat):
        first = one if round_ == 0 else _run(url, "fold", options)
        split = _run(url, "parallel", options)
        ratios.append(_compare("parallel_fold() vs fold()", first, split, workers, True))
    if options.repeat > 1:
        shown = ", ".join(f"x{r:.2f}" for r in ratios)
        print(f"  speed-ups: {shown}; median x{statistics.median(ratios):.2f}")
    saved_one = _run(url, "catch-up", options)
    saved_split = _run(url, "rebuild-partitioned", options)
    _compare(
        "rebuild_partitioned() vs catch_up(), both saving", saved_one, saved_split, workers, False
    )


def _catch_up_latency(url: str) -> None:
    with open_store(url) as store:
        for projection in builtin_projections():  # start from zero on every run
            store.delete_projection(projection.name)
        projector = Projector(store)
        started = time.perf_counter()
        projector.catch_up()
        print(
            f"catch-up from zero, saving every {DEFAULT_SAVE_EVERY:,} events:"
            f" {time.perf_counter() - started:.1f}s"
        )
    with open_store(url) as store:
        started = time.perf_counter()
        projector = Projector(store)
        print(f"Projector start (load every saved state): {time.perf_counter() - started:.1f}s")
        timings = []
        for round_ in range(5):
            extra = [
                PupilVoiceGathered(
                    occurred_on=date(2025, 3, 1), urn=100000 + 997 * round_,
                    method=PupilVoiceMethod.SURVEY, respondents=5, enjoy_pct=50.0,
                    want_more_pct=50.0,
                )
                for _ in range(100)
            ]  # fmt: skip
            store.append(extra[0].stream, extra)
            started = time.perf_counter()
            read = projector.catch_up()
            timings.append(1000 * (time.perf_counter() - started))
        shown = ", ".join(f"{t:.0f}" for t in timings)
        print(f"catch-up after a {read}-event append (saved), 5 rounds: {shown} ms")


def _cached_log(schools: int) -> str:
    """The URL of the generated log, made (again) when missing or unreadable."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"national-{schools}.sqlite"
    if path.exists():
        try:
            open_store(f"sqlite:///{path}").close()
        except HubcoreError as error:  # e.g. an older store format: make it again
            print(f"regenerating: {error}")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        generate(path, schools)
    return f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lead-share", type=float, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="partitioned runs against fold()")
    parser.add_argument("--skip-partitioned", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-catch-up", action="store_true")
    parser.add_argument("--trace-memory", action="store_true", help="tracemalloc growth 1M->2M")
    parser.add_argument("--measure-memory", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure_memory is not None:
        _measure_memory(options.url, options.measure_memory)
        return
    if options.run is not None:
        _timed_run(options.url, options.run, options.workers, options.lead_share)
        return
    url = _cached_log(options.schools)
    print(f"machine: {_load()}")
    if options.trace_memory:
        _trace_memory(url)
        return

    _read_only(url)
    print("rebuild, every built-in projection, one process (fold(), in memory, fresh process):")
    one = _one_process(url, options)
    if not options.skip_memory:
        _memory_follows_models(url, one["events"])
    if not options.skip_partitioned:
        _partitioned(url, options, one)
    if not options.skip_catch_up:
        _catch_up_latency(url)


if __name__ == "__main__":
    main()
