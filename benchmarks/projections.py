"""Benchmark the projections on a national-scale log.

Generates (once, cached under benchmarks/.data/) about 20,000 schools over 5 academic years,
>= 2 million events, appended straight into a SQLite store in time order, one batch per
school and year (domain rules bypassed, validators off). Then prints:

* rebuild throughput of every built-in projection together, one process (events/s), with
  peak RSS at 1M and 2M events;
* catch-up latency after a 100-event append (each run appends 500 events to the cache);
* a partitioned rebuild (``parallel_fold``): 2 processes each folding half the school
  streams, states merged, checked equal to the one-process result, and its speed-up.

The machine may be busy: every figure comes with the CPU time it took.

Run: /work/venv/bin/python benchmarks/projections.py [--schools N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import shutil
import sys
import time
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
from hubcore.projections import Projector, builtin_projections, fold, parallel_fold
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
    tmp = scratch / f"{path.stem}.partial"
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


def _read_only(url: str) -> None:
    with open_store(url) as store:
        started, cpu = time.perf_counter(), time.process_time()
        count = sum(1 for _ in store.read_all())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"plain read_all: {count:,} events in {elapsed:.1f}s = {count / elapsed:,.0f} events/s"
        f" ({count / cpu:,.0f} per CPU-second)"
    )


def _digest(states: dict[str, Any]) -> str:
    """A canonical fingerprint of read models (so the big states need not stay in memory)."""
    digest = hashlib.sha256()
    for name in sorted(states):
        state = states[name]
        data = {f.name: getattr(state, f.name) for f in attrs.fields(type(state))}
        option = orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS
        digest.update(name.encode() + orjson.dumps(data, option=option))
    return digest.hexdigest()


def _rebuild_one_process(url: str) -> tuple[dict[str, Any], float, int]:
    with open_store(url) as store:
        projections = builtin_projections()
        marks: dict[int, tuple[float, float]] = {}

        def records() -> Any:
            for rec in store.read_all():
                if rec.position % 1_000_000 == 0:
                    marks[rec.position] = _rss_mib()
                yield rec

        started, cpu = time.perf_counter(), time.process_time()
        states = fold(projections, records())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        head = store.head()
    for position, (current, peak) in sorted(marks.items()):
        print(f"  RSS at {position:,} events: {current:,.0f} MiB (peak so far {peak:,.0f} MiB)")
    rate = head / elapsed
    verdict = "ok" if rate >= FLOOR_EPS else f"BELOW the {FLOOR_EPS:,} floor"
    print(
        f"  {head:,} events in {elapsed:.1f}s = {rate:,.0f} events/s ({verdict});"
        f" {head / cpu:,.0f} per CPU-second"
    )
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    return states, elapsed, head


def _catch_up_latency(url: str) -> None:
    with open_store(url) as store:
        for projection in builtin_projections():  # start from zero on every run
            store.delete_projection(projection.name)
        projector = Projector(store)
        started = time.perf_counter()
        projector.catch_up()
        print(f"catch-up from zero with checkpoints: {time.perf_counter() - started:.1f}s")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-partitioned", action="store_true")
    parser.add_argument("--skip-catch-up", action="store_true")
    options = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"national-{options.schools}.sqlite"
    if path.exists():
        try:
            open_store(f"sqlite:///{path}").close()
        except HubcoreError as error:  # e.g. an older store format: make it again
            print(f"regenerating: {error}")
            path.unlink()
    if not path.exists():
        generate(path, options.schools)
    url = f"sqlite:///{path}"

    _read_only(url)
    print("rebuild, every built-in projection, one process:")
    states, elapsed, _ = _rebuild_one_process(url)
    expected = _digest(states)
    del states  # fork the workers from a small process

    if not options.skip_partitioned:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, cpu = time.perf_counter(), time.process_time()
        merged, _, read = parallel_fold(url, workers=options.workers)
        part_elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        same = _digest(merged) == expected
        print(
            f"partitioned rebuild, {options.workers} processes: {read:,} events in"
            f" {part_elapsed:.1f}s = {read / part_elapsed:,.0f} events/s,"
            f" x{elapsed / part_elapsed:.2f} the one-process figure; same result: {same}"
        )
        print(f"  CPU: workers {workers_cpu:.1f}s in all, parent (split, merge) {cpu:.1f}s")
        del merged

    if not options.skip_catch_up:
        _catch_up_latency(url)


if __name__ == "__main__":
    main()
