"""A small history for the export tests."""

from __future__ import annotations

from datetime import date

from hubcore.domain import Recorder
from hubcore.events import SchoolClosed, SchoolEngaged, SchoolRegistered
from hubcore.vocabulary import AgreedByRole, Agreement, Offer, Phase

TODAY = date(2026, 9, 30)


def small_hub(store, *, reason: str = "merged with Brookside") -> None:
    """Two schools registered, one engaged, the other closed for ``reason``."""
    day = date(2025, 9, 1)
    Recorder(store, clock=lambda: TODAY).record_many(
        [
            SchoolRegistered(
                occurred_on=day,
                urn=urn,
                name=name,
                phase=Phase.PRIMARY,
                la_code="901",
                pupils_on_roll=200,
            )
            for urn, name in ((141021, "Brookside Primary"), (141305, "Nordley Infants"))
        ]
        + [
            SchoolEngaged(
                occurred_on=date(2025, 10, 1),
                urn=141021,
                offer=frozenset({Offer.SINGING, Offer.CPD}),
                agreement=Agreement.INFORMAL,
                agreed_by_role=AgreedByRole.HEADTEACHER,
            ),
            SchoolClosed(occurred_on=date(2026, 7, 31), urn=141305, reason=reason),
        ]
    )
