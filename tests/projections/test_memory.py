"""Read models keep each distinct small value once, and leave the collector as they found it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

from hypothesis import given

from hubcore.projections import (
    ConversationCadence,
    InspectionEvidence,
    JudgementProfile,
    _base,
)
from hubcore.vocabulary import Area, Grade

from ._histories import histories
from ._support import D, conv, project, reg


def test_equal_days_and_equal_judgements_are_one_object_each() -> None:
    judged = {Area.ASSESSMENT: Grade.STRONG}
    p = project(
        [
            reg(100001, D(2020, 1, 1)),
            reg(100002, D(2020, 1, 1)),
            conv(100001, D(2024, 10, 1), cid="a", judgements=judged),
            conv(100002, D(2024, 10, 1), cid="b", judgements=dict(judged)),
        ]
    )
    cadence = p.get("cadence", ConversationCadence)._conversations
    assert cadence[100001][0][0] is cadence[100002][0][0]  # the day's ordinal
    rows = p.get("judgements", JudgementProfile)._judged
    assert rows[100001][0][2] is rows[100002][0][2] == {"assessment": "strong"}
    latest = p.get("judgements", JudgementProfile).latest(100002)
    assert latest[Area.ASSESSMENT].grade is Grade.STRONG


@given(histories())
def test_shared_values_still_equal_what_they_were_made_from(events: list[Any]) -> None:
    # queries read shared values, never change them: after folding and asking, every shared
    # mapping and sorted list is still what its key says
    p = project(events)
    evidence = p.get("inspection_evidence", InspectionEvidence)
    judged = p.get("judgements", JudgementProfile)
    for urn in evidence.registered():
        evidence.evidence(urn, "2024/25")
        judged.latest(urn)
    judged.distribution()
    judged.movements()
    for key, mapping in _base._MAPPINGS.items():
        assert mapping == {_base.plain(k): _base.plain(v) for k, v in key}
    for values, ordered in _base._SORTED.items():
        assert ordered == sorted(map(_base.plain, values))
    for day, number in _base._ORDINALS.items():
        assert number == day.toordinal()


# The collector's state is the whole process's (other tests may have frozen objects, as
# the CLI does): these checks run in a fresh interpreter.
_FOLD_SOME = """
import gc
from datetime import date
from hubcore.events import SchoolRegistered
from hubcore.projections import builtin_projections, fold
from hubcore.store import open_store
from hubcore.vocabulary import Phase

def fold_some():
    store = open_store("memory://")
    for i in range(50):
        event = SchoolRegistered(
            occurred_on=date(2020, 1, 1), urn=100001 + i, name="School", phase=Phase.PRIMARY,
            la_code="901", pupils_on_roll=100,
        )
        store.append(event.stream, [event])
    return fold(builtin_projections(), store.read_all())

gc.collect()
"""


def _run(check: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FOLD_SOME + textwrap.dedent(check)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_fold_leaves_its_read_models_old_and_the_collector_as_it_was() -> None:
    _run(
        """
        assert gc.isenabled() and gc.get_freeze_count() == 0
        states = fold_some()
        assert gc.isenabled() and gc.get_freeze_count() == 0
        # the new read models went straight to the oldest generation: no young collection
        # will walk them (one such walk takes about a second for national read models)
        roster = states["coverage"]._roster
        assert any(o is roster for o in gc.get_objects(generation=2))
        gc.disable()
        fold_some()
        assert not gc.isenabled()  # a caller's pause is its own
        """
    )


def test_objects_a_program_froze_stay_frozen() -> None:
    _run(
        """
        kept = [[]]
        gc.freeze()
        fold_some()
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for g in range(3) for o in gc.get_objects(generation=g))
        """
    )
