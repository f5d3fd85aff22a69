"""Events are frozen values, mapping fields included; rule breaks name type, field and rule."""

from __future__ import annotations

import pickle
from datetime import date, datetime

import attrs
import pytest

from hubcore import InvalidEvent
from hubcore.events import ConversationHeld, FrozenDict, ProvisionReported, SchoolClosed
from hubcore.vocabulary import (
    Area,
    ConversationKind,
    Grade,
    Participant,
)


def conversation(**changes: object) -> ConversationHeld:
    fields: dict[str, object] = {
        "urn": 121519,
        "occurred_on": date(2025, 10, 1),
        "conversation_id": "c-1",
        "kind": ConversationKind.CHALLENGING,
        "participants": {Participant.HEADTEACHER, Participant.HUB_ADVISER},
        "judgements": {Area.LEADERSHIP: Grade.STRONG, Area.ASSESSMENT: Grade.EXPECTED},
    }
    fields.update(changes)
    return ConversationHeld(**fields)  # type: ignore[arg-type]


def test_events_are_frozen_including_their_mappings() -> None:
    event = conversation()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.urn = 100000  # type: ignore[misc]
    with pytest.raises(TypeError, match="immutable"):
        event.judgements[Area.LEADERSHIP] = Grade.EXPECTED  # type: ignore[index]
    with pytest.raises(TypeError, match="immutable"):
        event.judgements.clear()
    assert isinstance(event.judgements, FrozenDict)
    assert event.participants == frozenset({Participant.HEADTEACHER, Participant.HUB_ADVISER})


def test_equal_events_hash_alike_whatever_the_order_given() -> None:
    first = conversation()
    second = conversation(
        judgements={Area.ASSESSMENT: Grade.EXPECTED, Area.LEADERSHIP: Grade.STRONG},
        participants=[Participant.HUB_ADVISER, Participant.HEADTEACHER],
    )
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1
    assert pickle.loads(pickle.dumps(first)) == first


def test_the_caller_keeps_no_handle_on_an_events_mapping() -> None:
    judgements = {Area.LEADERSHIP: Grade.STRONG}
    event = conversation(judgements=judgements)
    judgements[Area.LEADERSHIP] = Grade.URGENT_IMPROVEMENT
    assert event.judgements[Area.LEADERSHIP] is Grade.STRONG


def test_text_is_stripped_and_blank_text_refused() -> None:
    closed = SchoolClosed(urn=121519, occurred_on=date(2025, 9, 1), reason="  merged \n")
    assert closed.reason == "merged"
    with pytest.raises(InvalidEvent, match=r"SchoolClosed\.reason: must not be empty"):
        SchoolClosed(urn=121519, occurred_on=date(2025, 9, 1), reason="   ")


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"urn": 12345}, "urn", "6-digit URN"),
        ({"urn": "121519"}, "urn", "6-digit URN"),
        ({"occurred_on": datetime(2025, 10, 1, 9, 0)}, "occurred_on", "got a datetime"),
        ({"conversation_id": ""}, "conversation_id", "letters, digits"),
        ({"kind": "challengin"}, "kind", "must be one of: supportive, challenging, review"),
        ({"participants": set()}, "participants", "must not be empty"),
        ({"judgements": {Area.LEADERSHIP: "good"}}, "judgements", "must be one of"),
        ({"next_due_on": date(2025, 9, 1)}, "next_due_on", "must be after occurred_on"),
        (
            {"music_taught_weekly_to_all_classes": "yes"},
            "music_taught_weekly_to_all_classes",
            "true or false",
        ),
    ],
)
def test_invalid_values_name_the_event_field_and_rule(
    changes: dict[str, object], field: str, rule: str
) -> None:
    with pytest.raises(InvalidEvent) as caught:
        conversation(**changes)
    assert caught.value.event_type == "ConversationHeld"
    assert caught.value.field == field
    assert rule in caught.value.rule
    assert str(caught.value).startswith(f"ConversationHeld.{field}: ")


def test_cross_field_rule_on_provision() -> None:
    with pytest.raises(InvalidEvent, match="classes_with_weekly_music: must be <= classes_total"):
        ProvisionReported(
            urn=121519,
            occurred_on=date(2025, 10, 1),
            academic_year="2025/26",
            classes_total=7,
            classes_with_weekly_music=8,
            self_evaluation_grade=Grade.EXPECTED,
        )


def test_a_youth_consultation_names_its_other_group_only_when_it_has_one() -> None:
    from hubcore.events import YouthConsultationHeld
    from hubcore.vocabulary import YouthGroup

    given = {
        "hub_id": "north-hub",
        "occurred_on": date(2026, 2, 10),
        "consultation_id": "yc-1",
        "method": "survey",
        "young_people": 40,
    }
    with pytest.raises(InvalidEvent, match="other_group: is required when groups include other"):
        YouthConsultationHeld(**given, groups={"other"})
    with pytest.raises(InvalidEvent, match="other_group: is required when groups include other"):
        YouthConsultationHeld(**given, groups={"send_pupils"}, other_group="Young carers")
    with pytest.raises(InvalidEvent, match="young_people: must be >= 1"):
        YouthConsultationHeld(**{**given, "young_people": 0}, groups={"youth_panel"})
    held = YouthConsultationHeld(
        **given, groups=["other", "send_pupils"], other_group="  Young carers ",
        changes_agreed=["Taster sessions after school"],
    )  # fmt: skip
    assert held.groups == {YouthGroup.OTHER, YouthGroup.SEND_PUPILS}
    assert held.other_group == "Young carers"
    assert held.changes_agreed == ("Taster sessions after school",)
    assert held.stream == "hub-north-hub"


def test_top_level_names_load_on_first_use() -> None:
    import subprocess
    import sys

    code = (
        "import sys, hubcore\n"
        "assert 'hubcore.store' not in sys.modules and 'pluggy' not in sys.modules\n"
        "from hubcore import open_store, Recorder, Projector, hookimpl\n"
        "from hubcore.store import open_store as direct\n"
        "assert open_store is direct\n"
        "with open_store('memory://') as store:\n"
        "    assert Projector(store).catch_up() == 0\n"
        "print(sorted(set(hubcore.__all__) - set(dir(hubcore)) - set(hubcore._LAZY)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
