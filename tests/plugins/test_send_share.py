"""The SEND representation index uses each school's own SEND share (hand-worked history).

Hub ``north-shire``, 2025/26. Participations (choir, one record each) and SEND shares:

| URN    | school         | phase   | SEND share                         | taking part | SEND |
|--------|----------------|---------|------------------------------------|-------------|------|
| 100011 | Alder Primary  | primary | 15% (recorded, SchoolDetailsUpdated) | 100       | 12   |
| 100012 | Birch Primary  | primary | none: the fallback                 | 50          | 5    |
| 100013 | Cedar School   | special | none: a special school counts 100% | 40          | 40   |
| 100014 | Dunmore School | special | 95% (recorded at registration)     | 20          | 18   |

With a fallback of 20%, expected SEND participations = 100*0.15 + 50*0.20 + 40*1.00 +
20*0.95 = 15 + 10 + 40 + 19 = 84, and the hub's index = (75/210) / (84/210) = 75/84 = 0.89
(amber: within 0.2 of 1.0). Against one assumed 20% for every school, as before, it would have
been (75/210) / 0.20 = 1.79: the special schools made SEND look over-represented.
"""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.events import (
    Event,
    HubEstablished,
    ParticipationRecorded,
    SchoolDetailsUpdated,
    SchoolRegistered,
)
from hubcore.projections import ParticipationBreadth, SendRepresentation
from hubcore.reporting import Context, HubInfo, Status
from hubcore.vocabulary import ParticipationProgramme, Phase
from hubcore_participation import NATIONAL_SEND_SHARE, ParticipationReporter

from ._helpers import metric, row, table
from .conftest import projector_for, record

HUB, YEAR = "north-shire", "2025/26"
A, B, C, D = 100011, 100012, 100013, 100014


def _school(urn: int, name: str, phase: Phase, roll: int, send: float | None) -> SchoolRegistered:
    return SchoolRegistered(
        occurred_on=date(2025, 9, 1), urn=urn, name=name, phase=phase, la_code="901",
        pupils_on_roll=roll, disadvantaged_pct=20.0, send_pct=send,
    )  # fmt: skip


def _choir(urn: int, pupils: int, send: int) -> ParticipationRecorded:
    return ParticipationRecorded(
        occurred_on=date(2026, 3, 1), urn=urn, academic_year=YEAR,
        programme=ParticipationProgramme.CHOIR, pupils=pupils, pupil_premium=10, send=send,
    )  # fmt: skip


def history() -> list[Event]:
    return [
        HubEstablished(
            occurred_on=date(2025, 9, 1), hub_id=HUB, name="North Shire Music Hub",
            lead_organisation="North Shire Council", la_codes={"901"},
        ),
        _school(A, "Alder Primary", Phase.PRIMARY, 200, None),
        SchoolDetailsUpdated(occurred_on=date(2026, 1, 15), urn=A, send_pct=15.0),
        _school(B, "Birch Primary", Phase.PRIMARY, 300, None),
        _school(C, "Cedar School", Phase.SPECIAL, 60, None),
        _school(D, "Dunmore School", Phase.SPECIAL, 80, 95.0),
        _choir(A, 100, 12),
        _choir(B, 50, 5),
        _choir(C, 40, 40),
        _choir(D, 20, 18),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def context(host) -> Context:
    projector = projector_for(record(history()), host)
    return Context(source=projector, academic_year=YEAR, hub=HubInfo(HUB, "North Shire"))


def _model(context: Context) -> ParticipationBreadth:
    return context.source.get("participation", ParticipationBreadth)  # type: ignore[no-any-return,union-attr]


def test_the_model_weights_each_schools_own_share(context: Context) -> None:
    send = _model(context).send_representation(YEAR, 0.20)
    assert send == SendRepresentation(
        index=pytest.approx(75 / 84), participations=210, send=75, expected=pytest.approx(84.0),
        own_share=2, special=1, fallback=1, unknown=0,
    )  # fmt: skip


def test_without_a_fallback_the_school_with_no_share_is_left_out(context: Context) -> None:
    send = _model(context).send_representation(YEAR, None)
    # A, C, D only: SEND 70 of 160; expected 15 + 40 + 19 = 74
    assert send.index == pytest.approx(70 / 74)
    assert (send.own_share, send.special, send.fallback, send.unknown) == (2, 1, 0, 1)


def test_by_school_and_phase(context: Context) -> None:
    model = _model(context)
    assert model.send_index(YEAR, 0.2, urn=A) == pytest.approx((12 / 100) / 0.15)
    assert model.send_index(YEAR, 0.2, urn=B) == pytest.approx((5 / 50) / 0.20)
    assert model.send_index(YEAR, 0.2, urn=C) == pytest.approx(1.0)
    assert model.send_index(YEAR, 0.2, urn=D) == pytest.approx((18 / 20) / 0.95)
    # primary: SEND 17 of 150, expected 15 + 10 = 25; special: 58 of 60, expected 40 + 19
    assert model.send_index(YEAR, 0.2, phase=Phase.PRIMARY) == pytest.approx(17 / 25)
    assert model.send_index(YEAR, 0.2, phase=Phase.SPECIAL) == pytest.approx(58 / 59)


def test_a_fallback_that_is_not_a_fraction_is_refused(context: Context) -> None:
    with pytest.raises(ValueError, match="fraction"):
        _model(context).send_representation(YEAR, 18.4)


def test_the_report_states_the_rule_and_names_the_fallback_schools(context: Context) -> None:
    s = ParticipationReporter(send_share=0.2).build(context)
    send = metric(s, "send-index")
    assert (send.value, send.status) == (0.89, Status.AMBER)
    assert "special school without one counts as 100%" in send.note
    assert (
        "Schools taking part: 2 with their own recorded share, 1 special at 100%, 1 using the"
        " national average of 20% (fallback)." in send.note
    )
    assert any(c.startswith("1 schools taking part have no SEND share recorded") for c in s.caveats)
    by_school = {r: row(s, "Participation by school", urn=str(r)) for r in (A, B, C, D)}
    assert [
        (x["SEND index"], x["SEND share"], x["SEND share from"]) for x in by_school.values()
    ] == [
        (0.8, 15.0, "recorded"),
        (0.5, 20.0, "national average (fallback)"),
        (1.0, 100.0, "special school"),
        (0.95, 95.0, "recorded"),
    ]
    phases = {r[0]: r for r in table(s, "Representation by phase").rows}
    assert (phases["primary"][3], phases["special"][3]) == (0.68, 0.98)


def test_the_default_fallback_is_englands_published_share(context: Context) -> None:
    assert NATIONAL_SEND_SHARE == 0.184  # DfE, January 2024
    s = ParticipationReporter().build(context)
    # expected 15 + 50 * 0.184 + 40 + 19 = 83.2: (75/210) / (83.2/210) = 0.901
    assert metric(s, "send-index").value == 0.9
    assert "national average of 18.4% (fallback)" in metric(s, "send-index").note


@pytest.mark.parametrize("share", [18.4, 0, -0.1, 1.5, True, "0.2"])
def test_a_fallback_share_that_is_not_a_fraction_is_refused_naming_it(share: object) -> None:
    with pytest.raises(ValueError, match=r"ParticipationReporter.send_share: a fraction"):
        ParticipationReporter(send_share=share)  # type: ignore[arg-type]
