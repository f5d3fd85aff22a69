"""The ``data-return`` report against the hand-worked history of ``_history.py``."""

from __future__ import annotations

import csv
import io

from hubcore.reporting import render_table_csv

from ._helpers import metric, row, rows, table
from ._history import YEAR, A, B, C, D

# Open schools 2025/26: A, B, C, D (Elm closed in July 2025). Pupils on roll 1,560.


def test_schools_table(run):
    s = run("data-return")
    got = [tuple(r) for r in table(s, "Schools").rows]
    assert got == [
        # engaged: A, B (C disengaged in March); whole-class pupils: A only; CPD: A, C;
        # plan support: A (B has a plan the hub did not support)
        (str(A), "Ashfield Primary", "primary", "y", "y", "y", "y"),
        (str(B), "Brook Primary", "primary", "y", "n", "n", "n"),
        (str(C), "Castle Secondary", "secondary", "n", "n", "y", "n"),
        (str(D), "Dale Special", "special", "n", "n", "n", "n"),
    ]


def _totals(run) -> dict[str, tuple[object, object, object]]:
    return {
        r["figure"]: (r["numerator"], r["denominator"], r["percentage"])
        for r in rows(run("data-return"), "Totals")
    }


def test_school_totals(run):
    t = _totals(run)
    assert t["schools.engaged"] == (2, 4, 50.0)
    assert t["schools.engaged.primary"] == (2, 2, 100.0)
    assert t["schools.engaged.secondary"] == (0, 1, 0.0)
    assert t["schools.engaged.special"] == (0, 1, 0.0)
    assert t["cpd.schools"] == (2, 4, 50.0)
    assert t["plans.hub_supported"] == (1, 4, 25.0)
    assert t["conversations.held"] == (4, None, None)
    assert t["conversations.schools"] == (3, 4, 75.0)  # all but Dale


def test_whole_class_totals(run):
    t = _totals(run)
    assert t["whole_class.pupils"] == (60, 1560, 3.8)
    assert t["whole_class.schools"] == (1, 4, 25.0)
    assert t["whole_class.terms"] == (3, 3, 100.0)  # one 3-term programme
    assert t["whole_class.continuation"] == (7, 50, 14.0)


def test_tuition_by_type_and_key_stage_suppressed(run):
    t = _totals(run)
    # individual KS2 (B): 12 pupils, pp 1, SEND 1, remission 3 -> all three "<5"
    assert t["tuition_individual.ks2.pupils"] == (12, 1560, 0.8)
    assert t["tuition_individual.ks2.pupil_premium"] == ("<5", 12, None)
    assert t["tuition_individual.ks2.send"] == ("<5", 12, None)
    assert t["tuition_individual.ks2.fee_remission"] == ("<5", 12, None)
    # individual KS4 (C): 3 pupils -> "<5", its shares withheld
    assert t["tuition_individual.ks4.pupils"] == ("<5", 1560, None)
    assert t["tuition_individual.ks4.pupil_premium"] == (0, "<5", None)
    # small group KS2 (A): 8 pupils, pp 2, SEND 0, remission 2
    assert t["tuition_small_group.ks2.pupils"] == (8, 1560, 0.5)
    assert t["tuition_small_group.ks2.send"] == (0, 8, 0.0)
    assert t["tuition_small_group.ks2.fee_remission"] == ("<5", 8, None)
    assert not [k for k in t if k.startswith("tuition_large_group")]


def test_ensembles_choirs_and_cpd(run):
    t = _totals(run)
    assert t["ensemble.participations"] == (50, 1560, 3.2)  # B 20 + C 30
    assert t["choir.participations"] == (25, 1560, 1.6)
    assert t["cpd.hours"] == (4.5, None, None)
    assert t["cpd.staff_trained"] == (6, None, None)


def test_headline_and_suppression(run):
    s = run("data-return")
    assert metric(s, "schools-engaged").value == 50.0
    assert metric(s, "open-schools").value == 4
    assert s.leaves_hub
    assert s.suppressed


def test_caveats(run):
    caveats = run("data-return").caveats
    assert f"1 of 4 open schools have no conversation recorded {YEAR}." in caveats
    # 7 participation + 2 training records; A's small group tuition is an estimate from
    # the school's own return
    assert any("of 9 participation and training" in c and "1 are estimates" in c for c in caveats)


def test_csv_is_the_main_format(host, run):
    s = run("data-return")
    text = host.render(s, "csv").decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    cells = {(r["label"], r["column"]): r["value"] for r in records if r["name"] == "Totals"}
    assert cells[("tuition_individual.ks2.pupil_premium", "numerator")] == "<5"
    assert cells[("schools.engaged", "percentage")] == "50.0"
    suppression = [r for r in records if r["section"] == "suppression"]
    assert suppression
    assert suppression[0]["status"] == "applied"
    schools = render_table_csv(table(s, "Schools")).decode("utf-8-sig").splitlines()
    assert schools[0] == "urn,name,phase,engaged,whole-class programme,cpd,plan support"
    assert schools[1] == f"{A},Ashfield Primary,primary,y,y,y,y"


def test_no_pupil_count_under_five_leaks(run):
    for r in rows(run("data-return"), "Totals"):
        for column in ("numerator", "denominator"):
            value = r[column]
            if isinstance(value, int) and r["figure"].split(".")[0].startswith(
                ("tuition", "whole_class.pupils", "ensemble", "choir")
            ):
                assert value == 0 or value >= 5, r
    assert row(run("data-return"), "Totals", figure="whole_class.schools")["numerator"] == 1


def test_hub_wide_reports_ignore_a_schools_filter_and_say_so(run):
    for name in ("data-return", "self-evaluation"):
        s = run(name, schools=(str(A),))
        assert any("schools filter was ignored" in c for c in s.caveats), name
    assert len(table(run("data-return", schools=(str(A),)), "Schools").rows) == 4
