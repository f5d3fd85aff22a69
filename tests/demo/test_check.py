"""The demo's headline figures on a small hand-computed history, and the 300-school check."""

from __future__ import annotations

from datetime import date as D

import attrs
import pytest

from hubcore.demo import generate_hub, headline_figures
from hubcore.events import ActionWithdrawn
from hubcore.vocabulary import WithdrawalReason
from projections._support import agree, complete, conv, engage, part, project, reg

Y = "2024/25"
END = D(2025, 8, 31)
START = D(2020, 1, 1)


def _history() -> list:
    return [
        attrs.evolve(reg(100001, START, dpct=20.0), send_pct=10.0),
        attrs.evolve(reg(100002, START, dpct=40.0), send_pct=20.0),
        reg(100003, START, dpct=10.0),
        reg(100004, START, dpct=30.0),  # no SEND share recorded: left out of the SEND index
        engage(100001, D(2024, 9, 5)),
        engage(100002, D(2024, 9, 5)),
        engage(100004, D(2024, 9, 5)),
        # 001 talked in January and agreed September: not overdue on 31 August
        conv(100001, D(2024, 10, 1), cid="c1", next_due_on=D(2025, 1, 10)),
        conv(100001, D(2025, 1, 12), cid="c2", next_due_on=D(2025, 9, 20)),
        # 002's next conversation was due on 1 June and was never held: its grace ended with
        # summer 2 (22 July): overdue
        conv(100002, D(2025, 3, 1), cid="c1", next_due_on=D(2025, 6, 1)),
        # 003 (not engaged) has had no conversation since it joined in 2020: a year later
        # (the hub's default cadence) it was due, so it is overdue; 004's next is due in
        # October
        conv(100004, D(2025, 5, 1), cid="c1", next_due_on=D(2025, 10, 1)),
        agree(100001, D(2024, 10, 1), "a1", due=D(2024, 12, 1)),  # on time
        complete(100001, D(2024, 11, 30), "a1"),
        agree(100001, D(2024, 10, 1), "a2", due=D(2025, 2, 1)),  # withdrawn first: left out
        ActionWithdrawn(
            occurred_on=D(2025, 1, 10), urn=100001, action_id="a2",
            reason=WithdrawalReason.NO_LONGER_NEEDED, note="covered by the new scheme",
        ),
        agree(100001, D(2024, 10, 1), "a3", due=D(2025, 4, 1)),  # never done
        agree(100001, D(2024, 10, 1), "a4", due=D(2025, 5, 1)),  # on time
        complete(100001, D(2025, 4, 20), "a4"),
        # paid tuition: premium 2 + 2 + 3 = 7 against 20 x 20% + 10 x 40% + 10 x 30% = 11;
        # SEND (001 and 002 only) 2 + 1 = 3 against 20 x 10% + 10 x 20% = 4
        part(100001, Y, "tuition_small_group", 20, pupil_premium=2, send=2),
        part(100002, Y, "tuition_small_group", 10, pupil_premium=2, send=1),
        part(100004, Y, "tuition_individual", 10, pupil_premium=3, send=1),
    ]  # fmt: skip


def test_headline_figures_on_a_hand_computed_history() -> None:
    figures = {f.name: f for f in headline_figures(project(_history()), Y, END)}
    coverage = figures["coverage (D3)"]
    assert (coverage.value, coverage.in_range) == (75.0, False)  # 3 of 4, below 85
    overdue = figures["overdue conversations (D4)"]
    assert (overdue.value, overdue.in_range) == (50.0, False)  # 002 and 003: 2 of 4
    on_time = figures["actions completed on time (D5)"]
    assert (on_time.value, on_time.in_range) == (66.7, True)  # a1, a4 of a1, a3, a4
    fsm = figures["disadvantaged representation, paid tuition (W2)"]
    assert (fsm.value, fsm.in_range) == (0.64, True)  # 7 / 11
    send = figures["SEND representation, paid tuition (W2)"]
    assert (send.value, send.in_range) == (0.75, True)  # 3 / 4
    assert "2 of 4 open schools overdue on 2025-08-31" in overdue.detail
    assert send.detail.startswith("3 SEND participations of 30 ")


def test_a_figure_with_no_evidence_is_no_data_and_out_of_range() -> None:
    figures = headline_figures(project(_history()[:4]), Y, END)
    by_name = {f.name: f for f in figures}
    for name in (
        "actions completed on time (D5)",
        "disadvantaged representation, paid tuition (W2)",
        "SEND representation, paid tuition (W2)",
    ):
        assert by_name[name].value is None, name
        assert not by_name[name].in_range


@pytest.mark.parametrize("seed", [1])  # seed 0 is the CLI check (tests/cli)
def test_the_300_school_demo_is_in_its_realistic_ranges(seed: int) -> None:
    today = D(2026, 8, 31)
    figures = headline_figures(project(generate_hub(today=today, seed=seed)), "2025/26", today)
    outside = [(f.name, f.value) for f in figures if not f.in_range]
    assert outside == []
