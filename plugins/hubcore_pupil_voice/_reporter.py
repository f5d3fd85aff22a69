"""The ``pupil-voice`` reporter: what pupils said, and what the hub changed when it asked."""

from __future__ import annotations

import attrs

from hubcore.projections import PupilVoice
from hubcore.reporting import (
    Cell,
    Metric,
    ReportContext,
    Summary,
    Suppressor,
    Table,
    label,
    rag,
    read_model,
)
from hubcore.vocabulary import Phase
from hubcore_pupil_voice._record import PROJECTION_NAME, Consultation, SchoolVoice, VoiceRecord

__all__ = ["RULES", "PupilVoiceReporter"]

RULES: dict[str, str] = {
    "schools-heard": "open schools with any PupilVoiceGathered dated in the year / schools "
    "open during the year",
    "respondents": "the respondents of every PupilVoiceGathered dated in the year, added up",
    "enjoy": "pupils who said they enjoy music / pupils responding: each gathering's "
    "enjoy_pct weighted by its respondents",
    "want-more": "pupils who said they want more music / pupils responding: each gathering's "
    "want_more_pct weighted by its respondents",
    "consultations": "YouthConsultationHeld events of the hub dated in the year",
    "young-people-consulted": "the young_people of the year's youth consultations, added up",
    "changes-agreed": "the changes agreed in the year's youth consultations, added up",
    "consultations-acted-on": "youth consultations in the year that agreed at least one "
    "change / youth consultations in the year",
}
"""Every figure's rule in words, as the report states it (in each metric's note)."""


def _share(weighted: float, respondents: int) -> float | None:
    return None if respondents == 0 else round(weighted / respondents, 1)


def _small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


@attrs.frozen
class PupilVoiceReporter:
    """W1: pupil voice in schools and the hub's youth consultations, year-true."""

    name: str = "pupil-voice"
    title: str = "Pupil voice and youth consultation"
    description: str = (
        "W1: what pupils said (enjoyment, wanting more, themes by count, by phase) and the "
        "hub's record of young people consulted about its own offer and what changed as a "
        "result. Leaves the hub: counts under 5 pupils are suppressed."
    )
    projections: tuple[str, ...] = ("pupil_voice", PROJECTION_NAME)
    threshold: int = 5

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's hub and year; small counts suppressed."""
        year = context.academic_year
        coverage = read_model(context, "pupil_voice", PupilVoice)
        record = read_model(context, PROJECTION_NAME, VoiceRecord)
        hide = Suppressor(self.threshold)
        open_schools = set(coverage.open_schools(year))
        said = {u: v for u, v in record.schools(year).items() if u in open_schools}
        held = record.consultations(context.hub.id, year)

        metrics = [*self._voice(coverage, said, year, hide), *self._consulted(held, hide)]
        tables = [
            self._by_phase(coverage, said, year, hide),
            self._themes(record, said, year, hide),
            self._themes_by_phase(coverage, record, said, year, hide),
            self._consultation_table(held, hide),
            Table(
                name="Changes agreed",
                columns=["date", "consultation", "change agreed"],
                rows=[
                    [c.occurred_on, c.consultation_id, change]
                    for c in held
                    for change in c.changes_agreed
                ],
                caption="What the hub agreed to change after asking young people",
            ),
        ]
        summary = Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=tables,
            caveats=self._caveats(context, said, held, year),
            reporter=self.name,
        )
        return summary.leaving_hub(suppressed=hide.applied, threshold=hide.threshold)

    # -- pieces --------------------------------------------------------------------------

    def _pupils(self, count: int, hide: Suppressor) -> tuple[int | None, bool]:
        """A pupil count as a metric value: (value, suppressed)."""
        if _small(count, hide.threshold):
            hide.applied = True
            return None, True
        return count, False

    def _voice(
        self, coverage: PupilVoice, said: dict[int, SchoolVoice], year: str, hide: Suppressor
    ) -> list[Metric]:
        heard = coverage.schools_with_pupil_voice(year)
        heard_value = None if heard.percent is None else round(heard.percent, 1)
        status, rule = rag(heard_value, 100, amber_within=25)
        respondents = sum(v.respondents for v in said.values())
        shown, hidden = self._pupils(respondents, hide)
        enjoy = sum(v.enjoy_weighted for v in said.values())
        more = sum(v.want_more_weighted for v in said.values())
        gatherings = sum(v.gatherings for v in said.values())
        return [
            Metric(
                key="schools-heard", label="Open schools where pupil voice was gathered (W1)",
                value=heard_value, unit="%", target=100, status=status, rule=rule,
                evidence=int(heard.denominator),
                note=f"{heard.numerator:g} of {heard.denominator:g}: {RULES['schools-heard']}",
            ),
            Metric(
                key="respondents", label="Pupils responding", value=shown if said else None,
                unit="pupils", evidence=gatherings, suppressed=hidden,
                note=RULES["respondents"],
            ),
            Metric(
                key="enjoy", label="Pupils who enjoy music",
                value=None if hidden else _share(enjoy, respondents), unit="%",
                evidence=gatherings, suppressed=hidden, note=RULES["enjoy"],
            ),
            Metric(
                key="want-more", label="Pupils who want more music",
                value=None if hidden else _share(more, respondents), unit="%",
                evidence=gatherings, suppressed=hidden, note=RULES["want-more"],
            ),
        ]  # fmt: skip

    def _consulted(self, held: list[Consultation], hide: Suppressor) -> list[Metric]:
        n = len(held)
        young, hidden = self._pupils(sum(c.young_people for c in held), hide)
        acted = sum(1 for c in held if c.changes_agreed)
        acted_pct = round(100 * acted / n, 1) if n else None
        status, rule = rag(acted_pct, 100, amber_within=50)
        return [
            Metric(
                key="consultations", label="Youth consultations about the hub's offer",
                value=n or None, unit="consultations", evidence=n,
                note=RULES["consultations"],
            ),
            Metric(
                key="young-people-consulted", label="Young people consulted",
                value=young if n else None, unit="young people", evidence=n, suppressed=hidden,
                note=RULES["young-people-consulted"],
            ),
            Metric(
                key="changes-agreed", label="Changes agreed as a result",
                value=sum(len(c.changes_agreed) for c in held) if n else None,
                unit="changes", evidence=n, note=RULES["changes-agreed"],
            ),
            Metric(
                key="consultations-acted-on", label="Consultations that led to a change",
                value=acted_pct, unit="%", target=100, status=status, rule=rule, evidence=n,
                note=f"{acted} of {n}: {RULES['consultations-acted-on']}" if n else
                RULES["consultations-acted-on"],
            ),
        ]  # fmt: skip

    def _by_phase(
        self, coverage: PupilVoice, said: dict[int, SchoolVoice], year: str, hide: Suppressor
    ) -> Table:
        rows: list[list[Cell]] = []
        for phase in coverage.phases(year):
            heard = coverage.schools_with_pupil_voice(year, phase=phase)
            voices = [
                v
                for u, v in said.items()
                if (facts := coverage.school(u, year)) is not None and facts.phase is phase
            ]
            respondents = sum(v.respondents for v in voices)
            small = _small(respondents, hide.threshold)
            enjoy = sum(v.enjoy_weighted for v in voices)
            more = sum(v.want_more_weighted for v in voices)
            rows.append(
                [
                    label(phase), int(heard.numerator), int(heard.denominator),
                    hide(respondents) if voices else None,
                    None if small else _share(enjoy, respondents),
                    None if small else _share(more, respondents),
                ]
            )  # fmt: skip
        units = {
            "schools heard": "schools", "open schools": "schools", "respondents": "pupils",
            "enjoy music": "%", "want more music": "%",
        }  # fmt: skip
        return Table(
            name="By phase",
            columns=["phase", *units],
            rows=rows,
            units=units,
            caption="Pupil voice by the schools' phase in the year; shares weighted by "
            f"respondents, withheld where fewer than {hide.threshold} pupils responded",
        )

    def _themes(
        self, record: VoiceRecord, said: dict[int, SchoolVoice], year: str, hide: Suppressor
    ) -> Table:
        return Table(
            name="Themes",
            columns=["theme", "gatherings", "schools", "respondents"],
            rows=[
                [t.theme, t.gatherings, t.schools, hide(t.respondents)]
                for t in record.themes(year, set(said))
            ],
            units={"gatherings": "gatherings", "schools": "schools", "respondents": "pupils"},
            caption="What pupils raised, by how many gatherings named it (grouped ignoring "
            "case and spacing); respondents are those of the gatherings naming it",
        )

    def _themes_by_phase(
        self,
        coverage: PupilVoice,
        record: VoiceRecord,
        said: dict[int, SchoolVoice],
        year: str,
        hide: Suppressor,
    ) -> Table:
        by_phase: dict[Phase, set[int]] = {}
        for urn in said:
            facts = coverage.school(urn, year)
            if facts is not None:
                by_phase.setdefault(facts.phase, set()).add(urn)
        rows: list[list[Cell]] = [
            [label(phase), t.theme, t.gatherings, t.schools, hide(t.respondents)]
            for phase in coverage.phases(year)
            if phase in by_phase
            for t in record.themes(year, by_phase[phase])
        ]
        return Table(
            name="Themes by phase",
            columns=["phase", "theme", "gatherings", "schools", "respondents"],
            rows=rows,
            units={"gatherings": "gatherings", "schools": "schools", "respondents": "pupils"},
            caption="The themes of each phase's schools, most-named first",
        )

    def _consultation_table(self, held: list[Consultation], hide: Suppressor) -> Table:
        rows: list[list[Cell]] = []
        for c in held:
            groups = [label(g) for g in c.groups if g.value != "other"]
            if c.other_group is not None:
                groups.append(c.other_group)
            rows.append(
                [
                    c.occurred_on, c.consultation_id, label(c.method), "; ".join(groups),
                    hide(c.young_people), len(c.changes_agreed),
                ]
            )  # fmt: skip
        return Table(
            name="Youth consultations",
            columns=["date", "consultation", "method", "groups", "young people", "changes"],
            rows=rows,
            units={"young people": "young people", "changes": "changes"},
            caption="Each time the hub asked young people about its own offer",
        )

    @staticmethod
    def _caveats(
        context: ReportContext,
        said: dict[int, SchoolVoice],
        held: list[Consultation],
        year: str,
    ) -> list[str]:
        caveats = [
            "Enjoyment and wanting more are the shares schools reported for each gathering, "
            "weighted by its respondents; pupils asked twice count twice.",
        ]
        if context.schools != "all":
            caveats.append("The pupil-voice report covers the whole hub: the schools filter "
                           "was ignored.")  # fmt: skip
        if not said:
            caveats.append(f"No pupil voice was gathered in open schools in {year}.")
        if not held:
            caveats.append(f"No youth consultation about the hub's offer is recorded in {year}.")
        return caveats
