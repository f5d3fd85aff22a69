"""Benchmark the projections on a national-scale log.

Generates (once, cached under benchmarks/.data/) about 20,000 schools over 5 academic years,
>= 2 million events, appended straight into a SQLite store in one batch per school stream
(domain rules bypassed, validators off). Then prints:

* rebuild throughput of every built-in projection together, one process (events/s), with
  peak RSS at 1M and 2M events;
* catch-up latency after a 100-event append (each run appends 100 events to the cache);
* a partitioned rebuild: 2 processes each folding half the school streams, states merged,
  checked equal to the one-process result, and its speed-up.

Run: /work/venv/bin/python benchmarks/projections.py [--schools N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

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
from hubcore.projections import Projector, builtin_projections, fold
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


def _school_events(rng: random.Random, urn: int) -> list[Any]:
    phase = rng.choices([Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL], [16, 3.5, 1])[0]
    roll = {Phase.PRIMARY: 275, Phase.SECONDARY: 1060, Phase.SPECIAL: 145}[phase]
    out: list[Any] = [
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
    for y in YEARS:
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
                InspectionRecorded(
                    occurred_on=on(150), urn=urn, framework=InspectionFramework.EIF_2019
                )
            )
        if rng.random() < 0.1:
            out.append(
                SchoolToSchoolSupportBrokered(
                    occurred_on=on(160), urn=urn, lead_urn=urn + 1, focus=Area.ASSESSMENT
                )
            )
    return out  # about 20 a year: 100 a school over 5 years


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
    """Write the log once (domain rules bypassed: events built directly, one batch a stream)."""
    rng = random.Random(20260101)
    started = time.perf_counter()
    tmp = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    with open_store(f"sqlite:///{tmp}") as store, attrs.validators.disabled():
        for hub in range(43):
            events = _hub_events(hub)
            store.append(events[0].stream, events)
        for i in range(schools):
            events = _school_events(rng, 100000 + i)
            store.append(events[0].stream, events)
            if i % 2000 == 0:
                print(f"  generated {i} schools, {store.head():,} events", file=sys.stderr)
        head = store.head()
    tmp.rename(path)
    print(f"generated {head:,} events in {time.perf_counter() - started:.0f}s -> {path}")


def _rss_mib() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process, MiB."""
    current = peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return current, peak


def _rebuild_one_process(url: str) -> tuple[dict[str, Any], float, int]:
    with open_store(url) as store:
        projections = builtin_projections()
        marks: dict[int, tuple[float, float]] = {}

        def records() -> Any:
            for rec in store.read_all():
                if rec.position in (1_000_000, 2_000_000):
                    marks[rec.position] = _rss_mib()
                yield rec

        started = time.perf_counter()
        states = fold(projections, records())
        elapsed = time.perf_counter() - started
        head = store.head()
    for position, (current, peak) in sorted(marks.items()):
        print(f"  RSS at {position:,} events: {current:,.0f} MiB (peak so far {peak:,.0f} MiB)")
    return states, elapsed, head


def _fold_partition(args: tuple[str, list[str]]) -> tuple[dict[str, bytes], int]:
    url, streams = args
    projections = builtin_projections()
    count = 0
    with open_store(url) as store:

        def records() -> Any:
            nonlocal count
            for stream in streams:
                for rec in store.read_stream(stream):
                    count += 1
                    yield rec

        states = fold(projections, records())
    return {p.name: p.dump(states[p.name]) for p in projections}, count


def _rebuild_partitioned(url: str, workers: int) -> tuple[dict[str, Any], float]:
    with open_store(url) as store:
        streams = store.streams()
    parts: list[list[str]] = [[] for _ in range(workers)]
    for i, stream in enumerate(streams):
        parts[i % workers].append(stream)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_fold_partition, [(url, part) for part in parts])
    projections = builtin_projections()
    merged = {
        p.name: p.merge([p.load(dumped[p.name]) for dumped, _ in results]) for p in projections
    }
    return merged, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--skip-partitioned", action="store_true")
    options = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"national-{options.schools}.sqlite"
    if not path.exists():
        generate(path, options.schools)
    url = f"sqlite:///{path}"

    print("rebuild, every built-in projection, one process:")
    states, elapsed, head = _rebuild_one_process(url)
    rate = head / elapsed
    verdict = "ok" if rate >= FLOOR_EPS else f"BELOW the {FLOOR_EPS:,} floor"
    print(f"  {head:,} events in {elapsed:.1f}s = {rate:,.0f} events/s ({verdict})")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")

    if not options.skip_partitioned:
        merged, part_elapsed = _rebuild_partitioned(url, 2)
        same = all(merged[name] == states[name] for name in states)
        print(
            f"partitioned rebuild, 2 processes: {part_elapsed:.1f}s = "
            f"{head / part_elapsed:,.0f} events/s, x{elapsed / part_elapsed:.2f}"
            f" the one-process figure; same result: {same}"
        )
    del states

    with open_store(url) as store:
        for projection in builtin_projections():  # start from zero on every run
            store.delete_projection(projection.name)
        projector = Projector(store)
        started = time.perf_counter()
        projector.catch_up()
        print(f"catch-up from zero with checkpoints: {time.perf_counter() - started:.1f}s")
        extra = [
            PupilVoiceGathered(
                occurred_on=date(2025, 3, 1), urn=100000, method=PupilVoiceMethod.SURVEY,
                respondents=5, enjoy_pct=50.0, want_more_pct=50.0,
            )
            for _ in range(100)
        ]  # fmt: skip
        store.append(extra[0].stream, extra)
        started = time.perf_counter()
        read = projector.catch_up()
        print(
            f"catch-up after a {read}-event append: {1000 * (time.perf_counter() - started):.0f} ms"
        )


if __name__ == "__main__":
    main()
