"""The read model behind the ``pupil-voice`` report: what pupils said, school by school and
year by year, and the hub's consultations of young people about its own offer.

hubcore's ``PupilVoice`` read model counts gatherings and respondents only, so this plugin
folds what pupils said itself: per school and academic year (of ``occurred_on``, so a
year's figures never move when a later year is recorded), the respondents, their enjoyment
and wanting-more shares weighted by respondents, and the themes named; per hub and year,
every ``YouthConsultationHeld``. It is registered through ``hubcore_register_projections``
as :data:`PROJECTION_NAME`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from hubcore.calendar import academic_year_of
from hubcore.events import PupilVoiceGathered, YouthConsultationHeld
from hubcore.projections import ModelProjection, ReadModel
from hubcore.vocabulary import PupilVoiceMethod, YouthGroup

__all__ = [
    "PROJECTION_NAME",
    "Consultation",
    "SchoolVoice",
    "Theme",
    "VoiceRecord",
    "projection",
    "theme_key",
]

PROJECTION_NAME = "pupil-voice.record"
PROJECTION_VERSION = 1

# the stored row of one school's year: [gatherings, respondents, enjoy-weighted,
# want-more-weighted, {theme key: [first spelling, gatherings, respondents, first date]}]
_TIMES, _RESPONDENTS, _ENJOY, _MORE, _THEMES = range(5)


def theme_key(theme: str) -> str:
    """Themes are grouped ignoring case and spacing: ``" More  Drums"`` and ``"more drums"``
    are one theme."""
    return " ".join(theme.split()).casefold()


@attrs.frozen
class SchoolVoice:
    """One school's pupil voice in a year: how many gatherings and respondents, and the
    respondent-weighted sums of ``enjoy_pct`` and ``want_more_pct`` (divide by
    ``respondents`` for the shares)."""

    gatherings: int
    respondents: int
    enjoy_weighted: float
    want_more_weighted: float


@attrs.frozen
class Theme:
    """A theme pupils named in a year: as first written (the earliest gathering naming it,
    spaces collapsed), how many gatherings named it, in how many schools, and how many
    pupils responded in those gatherings."""

    theme: str
    gatherings: int
    schools: int
    respondents: int


@attrs.frozen
class Consultation:
    """One ``YouthConsultationHeld``, as the report lists it."""

    occurred_on: str
    consultation_id: str
    method: PupilVoiceMethod
    young_people: int
    groups: tuple[YouthGroup, ...]
    other_group: str | None
    changes_agreed: tuple[str, ...]


@attrs.define(eq=True)
class VoiceRecord(ReadModel):
    """What pupils said per school and year, and the hub's youth consultations per year."""

    _HUB_KEYED: ClassVar[frozenset[str]] = frozenset({"_consultations"})

    # urn -> academic year -> the row laid out above
    _said: dict[int, dict[str, list[Any]]] = attrs.field(factory=dict, repr=False)
    # hub id -> academic year -> [[iso date, id, method, young people, [groups], other,
    #                              [changes]], ...] in the order recorded
    _consultations: dict[str, dict[str, list[list[Any]]]] = attrs.field(factory=dict, repr=False)

    def _on_PupilVoiceGathered(self, e: PupilVoiceGathered) -> None:
        year = academic_year_of(e.occurred_on)
        row = self._said.setdefault(e.urn, {}).setdefault(year, [0, 0, 0.0, 0.0, {}])
        row[_TIMES] += 1
        row[_RESPONDENTS] += e.respondents
        row[_ENJOY] += e.enjoy_pct * e.respondents
        row[_MORE] += e.want_more_pct * e.respondents
        themes: dict[str, list[Any]] = row[_THEMES]
        day = e.occurred_on.isoformat()
        for key, spelling in {theme_key(t): t for t in reversed(e.themes)}.items():
            entry = themes.setdefault(key, [spelling, 0, 0, day])
            if day < entry[3]:
                entry[0], entry[3] = spelling, day
            entry[1] += 1
            entry[2] += e.respondents

    def _on_YouthConsultationHeld(self, e: YouthConsultationHeld) -> None:
        year = academic_year_of(e.occurred_on)
        self._consultations.setdefault(e.hub_id, {}).setdefault(year, []).append(
            [
                e.occurred_on.isoformat(),
                e.consultation_id,
                e.method.value,
                e.young_people,
                sorted(g.value for g in e.groups),
                e.other_group,
                list(e.changes_agreed),
            ]
        )

    def schools(self, year: str) -> dict[int, SchoolVoice]:
        """URN -> its pupil voice in ``year``, for the schools that gathered any."""
        return {
            urn: SchoolVoice(row[_TIMES], row[_RESPONDENTS], row[_ENJOY], row[_MORE])
            for urn in sorted(self._said)
            if (row := self._said[urn].get(year)) is not None
        }

    def themes(self, year: str, urns: set[int] | None = None) -> list[Theme]:
        """The themes named in ``year`` (over ``urns``, default every school), most
        gatherings first, then alphabetically."""
        found: dict[str, list[Any]] = {}
        for urn in sorted(self._said):
            row = self._said[urn].get(year)
            if row is None or (urns is not None and urn not in urns):
                continue
            for key, (spelling, times, respondents, day) in row[_THEMES].items():
                entry = found.setdefault(key, [spelling, 0, 0, 0, day])
                if day < entry[4]:
                    entry[0], entry[4] = spelling, day
                entry[1] += times
                entry[2] += 1
                entry[3] += respondents
        themes = [
            Theme(" ".join(spelling.split()), times, schools, n)
            for spelling, times, schools, n, _ in found.values()
        ]
        return sorted(themes, key=lambda t: (-t.gatherings, theme_key(t.theme)))

    def consultations(self, hub_id: str, year: str) -> list[Consultation]:
        """The hub's youth consultations dated in ``year``, by date (then as recorded)."""
        rows = self._consultations.get(hub_id, {}).get(year, [])
        held = [
            Consultation(
                on, cid, PupilVoiceMethod(method), young, tuple(YouthGroup(g) for g in groups),
                other, tuple(changes),
            )
            for on, cid, method, young, groups, other, changes in rows
        ]  # fmt: skip
        return sorted(held, key=lambda c: c.occurred_on)


def projection() -> ModelProjection[VoiceRecord]:
    """A fresh projection of :class:`VoiceRecord`, as the plugin registers it."""
    return ModelProjection(PROJECTION_NAME, PROJECTION_VERSION, VoiceRecord)
