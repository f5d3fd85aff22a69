"""The ``participation`` reporter: who takes part (W1-W3), with small numbers suppressed."""

from __future__ import annotations

import math

import attrs

from hubcore.projections import (
    REPRESENTATION_FLAG,
    ParticipationBreadth,
    ParticipationTotals,
    PupilVoice,
    Ratio,
    SchoolFacts,
    SchoolToSchool,
    SendRepresentation,
)
from hubcore.reporting import (
    Cell,
    Metric,
    ReportContext,
    Summary,
    Suppressor,
    Table,
    rag,
    read_model,
)
from hubcore.vocabulary import ParticipationProgramme, Phase
from hubcore_participation._sources import PROJECTION_NAME, ParticipationSources

__all__ = [
    "CONTINUATION_TARGET",
    "DEFAULT_SEND_SHARE",
    "NATIONAL_SEND_SHARE",
    "SEND_RULE",
    "ParticipationReporter",
]


NATIONAL_SEND_SHARE = 0.184
"""England's SEND share: 18.4% of pupils had special educational needs in January 2024
(13.6% SEN support, 4.8% an EHC plan; DfE, *Special educational needs in England*)."""

DEFAULT_SEND_SHARE = NATIONAL_SEND_SHARE
"""The fallback SEND share of a school with none recorded that is not a special school."""

SEND_RULE = (
    "SEND representation index = (SEND participations / participations) / the expected "
    "share, the schools' SEND shares weighted by their participations. A school's share is "
    "its own recorded one (DfE SEN statistics); a special school without one counts as 100%; "
    "any other school without one uses the national average, named below as a fallback. "
    "1.0 is proportional; below 0.8 is flagged."
)
"""The SEND index's rule in plain English, as the report states it."""

CONTINUATION_TARGET = 30.0
"""About 30% of whole-class pupils continued nationally (2013/14): the benchmark."""


def _round(value: float | None, digits: int) -> float | None:
    """``value`` rounded; None for no value or a non-finite one (e.g. an index over a
    vanishingly small disadvantaged share)."""
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


@attrs.frozen
class ParticipationReporter:
    """W1-W3: participation and representation, pupil voice and the hub's network."""

    name: str = "participation"
    title: str = "Participation and pupil voice"
    description: str = (
        "W1-W3: participation rate and disadvantaged/SEND representation by school and phase "
        "(index below 0.8 flagged), continuation after whole-class teaching, pupil voice "
        "coverage and the hub's partners. Leaves the hub: counts under 5 are suppressed."
    )
    projections: tuple[str, ...] = (
        "participation",
        "pupil_voice",
        "school_to_school",
        PROJECTION_NAME,
    )
    send_share: float | None = attrs.field(default=DEFAULT_SEND_SHARE)
    """Fallback SEND share (a fraction) for a school with none recorded that is not
    special; None leaves such schools out of the SEND index."""
    threshold: int = 5

    @send_share.validator
    def _check_send_share(self, attribute: attrs.Attribute[float | None], value: object) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1
        ):
            raise ValueError(
                f"ParticipationReporter.send_share: a fraction in (0, 1] (0.184 for 18.4%) or"
                f" None, got {value!r}"
            )

    def build(self, context: ReportContext) -> Summary:
        """The summary for the context's hub and year; suppression applied to counts."""
        year = context.academic_year
        model = read_model(context, "participation", ParticipationBreadth)
        voice = read_model(context, "pupil_voice", PupilVoice)
        network = read_model(context, "school_to_school", SchoolToSchool)
        sources = read_model(context, PROJECTION_NAME, ParticipationSources)
        hide = Suppressor(self.threshold)
        open_schools = model.open_schools(year)
        chosen, caveats = self._chosen(context, open_schools)

        metrics = self._headline(model, year, hide)
        metrics.extend(self._voice_and_network(voice, network, year, context.hub.id, hide))
        # one pass per school: its index and facts serve the flag count, its table row and
        # the caveats
        indices = model.disadvantaged_indices(year, open_schools)
        facts = {u: f for u in open_schools if (f := model.school(u, year)) is not None}
        flagged = [u for u, i in indices.items() if i is not None and i < REPRESENTATION_FLAG]
        with_data = len(model.schools_with_data(year))
        status, rule = rag(
            len(flagged) if with_data else None, 0, amber_within=0.1 * with_data,
            higher_is_better=False,
        )  # fmt: skip
        metrics.append(
            Metric(
                key="schools-under-represented",
                label=f"Schools with disadvantaged representation index below "
                f"{REPRESENTATION_FLAG:g} (W2)",
                value=len(flagged) if with_data else None, unit="schools", target=0,
                status=status, rule=rule, evidence=with_data,
            )
        )  # fmt: skip

        tables = [
            self._by_school(
                model,
                year,
                chosen,
                hide,
                indices=indices,
                known=facts,
                sums=sources.by_school(year),
            ),
            *self._by_phase(model, year, hide),
            self._by_programme(model, year, hide),
            Table(
                name="Partners by kind",
                columns=["kind", "partners"],
                rows=[
                    [k.value, n] for k, n in network.partners_by_kind(context.hub.id, year).items()
                ],
                caption="Music organisations and others in the hub's network (W3)",
            ),
        ]
        caveats.extend(self._caveats(model, sources, year, open_schools, facts))
        summary = Summary(
            title=f"{self.title} {year}",
            scope=context.scope(),
            metrics=metrics,
            tables=tables,
            caveats=caveats,
            reporter=self.name,
        )
        return summary.leaving_hub(suppressed=hide.applied, threshold=hide.threshold)

    # -- pieces --------------------------------------------------------------------------

    @staticmethod
    def _chosen(context: ReportContext, open_schools: list[int]) -> tuple[list[int], list[str]]:
        if context.schools == "all":
            return open_schools, []
        known = set(open_schools)
        chosen: set[int] = set()
        caveats: list[str] = []
        for text in context.schools:
            if text.isascii() and text.isdigit() and int(text) in known:
                chosen.add(int(text))
            else:
                caveats.append(f"{text} is not a school open in {context.academic_year}; left out")
        caveats.append(
            "The schools filter limits the per-school table; other figures are hub-wide."
        )
        return sorted(chosen), caveats

    def _rate(self, ratio: Ratio, hide: Suppressor) -> float | None:
        """A participation rate, withheld when the count behind it is suppressed."""
        if _small(int(ratio.numerator), hide.threshold):
            hide.applied = True
            return None
        return _round(ratio.percent, 1)

    def _index(self, index: float | None, count: int, hide: Suppressor) -> float | None:
        if _small(count, hide.threshold):
            hide.applied = True
            return None
        return _round(index, 2)

    def _headline(self, model: ParticipationBreadth, year: str, hide: Suppressor) -> list[Metric]:
        totals = model.totals(year)
        rate = model.rate(year)
        dindex = model.disadvantaged_index(year)
        send = model.send_representation(year, self.send_share)
        cont = model.continuation(year)
        remission = model.remission_share(year)
        metrics = [
            self._count("participations", "Participations (W2)", totals, hide),
            Metric(
                key="participation-rate", label="Participations per 100 pupils on roll (W2)",
                value=self._rate(rate, hide) if totals.records else None, unit="%",
                evidence=totals.records,
                suppressed=_small(totals.pupils, hide.threshold),
                note=f"over {hide(int(rate.denominator))} pupils on roll in open schools",
            ),
            self._index_metric(
                "disadvantaged-index", "Disadvantaged representation index (W2)", index=dindex,
                count=totals.pupil_premium, evidence=totals.records, hide=hide,
            ),
            self._index_metric(
                "send-index", "SEND representation index (W2)", index=send.index,
                count=send.send, evidence=totals.records, hide=hide,
                note=f"{SEND_RULE} {self._send_bases(send)}",
            ),
            self._share_metric(
                "remission-share", "Fee remission in paid tuition", ratio=remission,
                target=None, amber_within=0, hide=hide,
                note="fee remission / participations in paid tuition",
            ),
            self._share_metric(
                "continuation", "Continuation after whole-class teaching", ratio=cont,
                target=CONTINUATION_TARGET, amber_within=10, hide=hide,
                note="continuing this year / whole-class pupils last year, same schools",
            ),
        ]  # fmt: skip
        return metrics

    def _send_bases(self, send: SendRepresentation) -> str:
        """Where the SEND shares of the schools taking part came from, in words."""
        parts = [f"{send.own_share} with their own recorded share"]
        if send.special:
            parts.append(f"{send.special} special at 100%")
        if send.fallback and self.send_share is not None:
            parts.append(
                f"{send.fallback} using the national average of {100 * self.send_share:g}%"
                " (fallback)"
            )
        if send.unknown:
            parts.append(f"{send.unknown} left out (no share known)")
        return "Schools taking part: " + ", ".join(parts) + "."

    @staticmethod
    def _count(key: str, label: str, totals: ParticipationTotals, hide: Suppressor) -> Metric:
        shown = hide(totals.pupils)
        # no record: no data (never 0 participations)
        value = None if isinstance(shown, str) or not totals.records else shown
        return Metric(
            key=key, label=label, value=value, unit="participations", evidence=totals.records,
            suppressed=value is None and totals.pupils > 0,
        )  # fmt: skip

    def _index_metric(
        self,
        key: str,
        label: str,
        *,
        index: float | None,
        count: int,
        evidence: int,
        hide: Suppressor,
        note: str = "",
    ) -> Metric:
        value = self._index(index, count, hide)
        status, rule = rag(value, 1.0, amber_within=1.0 - REPRESENTATION_FLAG)
        return Metric(
            key=key, label=label, value=value, unit="index", target=1.0, status=status,
            rule=rule, evidence=evidence, suppressed=_small(count, hide.threshold), note=note,
        )  # fmt: skip

    def _share_metric(
        self,
        key: str,
        label: str,
        *,
        ratio: Ratio,
        target: float | None,
        amber_within: float,
        hide: Suppressor,
        note: str = "",
    ) -> Metric:
        suppressed = _small(int(ratio.numerator), hide.threshold)
        # the denominator is a pupil count too: a small one is not given as evidence
        evidence = int(ratio.denominator)
        if _small(evidence, hide.threshold):
            suppressed, evidence = True, 0
        if suppressed:
            hide.applied = True
        value = None if suppressed else _round(ratio.percent, 1)
        status, rule = rag(value, target, amber_within=amber_within)
        return Metric(
            key=key, label=label, value=value, unit="%", target=target, status=status,
            rule=rule, evidence=evidence, suppressed=suppressed, note=note,
        )  # fmt: skip

    def _voice_and_network(
        self, voice: PupilVoice, network: SchoolToSchool, year: str, hub: str, hide: Suppressor
    ) -> list[Metric]:
        schools = voice.schools_with_pupil_voice(year)
        using = voice.evaluations_using_pupil_voice(year)
        s_value = _round(schools.percent, 1)
        u_value = _round(using.percent, 1)
        s_status, s_rule = rag(s_value, 100, amber_within=25)
        u_status, u_rule = rag(u_value, 50, amber_within=20)
        partners = network.partners(hub, year)
        respondents = voice.respondents(year)
        return [
            Metric(
                key="pupil-voice-schools", label="Open schools where pupil voice was gathered (W1)",
                value=s_value, unit="%", target=100, status=s_status, rule=s_rule,
                evidence=int(schools.denominator),
                note=f"{schools.numerator:g} of {schools.denominator:g} open schools",
            ),
            Metric(
                key="pupil-voice-evaluations", label="Impact evaluations using pupil voice (W1)",
                value=u_value, unit="%", target=50, status=u_status, rule=u_rule,
                evidence=int(using.denominator),
            ),
            Metric(
                key="pupil-voice-respondents", label="Pupils responding to pupil voice (W1)",
                value=None if respondents == 0 or _small(respondents, hide.threshold)
                else respondents,
                unit="pupils", suppressed=isinstance(hide(respondents), str),
                evidence=int(schools.numerator),
            ),
            Metric(
                key="partners", label="Partners in the hub's network (W3)", value=len(partners),
                unit="partners",
            ),
            Metric(
                key="school-to-school-pairs", label="School-to-school support pairs (W3)",
                value=len(network.pairs(year)), unit="pairs",
                note=f"{len(network.lead_schools(year))} lead schools",
            ),
        ]  # fmt: skip

    def _by_school(
        self,
        model: ParticipationBreadth,
        year: str,
        urns: list[int],
        hide: Suppressor,
        *,
        indices: dict[int, float | None],
        known: dict[int, SchoolFacts],
        sums: dict[int, tuple[int, int, int]],
    ) -> Table:
        """One row per school; ``indices`` and ``known`` hold the disadvantaged index and the
        roster facts of open schools, ``sums`` the participations, pupil premium and SEND of
        the schools with any record (see :meth:`ParticipationSources.by_school`)."""
        rows: list[tuple[Cell, ...]] = []
        for urn in urns:
            facts = known[urn] if urn in known else model.school(urn, year)
            if facts is None:  # pragma: no cover - open schools are registered
                continue
            pupils, premium, send = sums.get(urn, (0, 0, 0))
            dindex = indices[urn] if urn in indices else model.disadvantaged_index(year, urn=urn)
            # rate of one school from its totals, as the model defines it (participations /
            # its roll), without another pass
            rate = Ratio(pupils, int(facts.pupils_on_roll))
            own = model.send_representation(year, self.send_share, urn=urn)
            sindex = own.index
            share, basis = self._send_share_of(facts)
            rows.append(
                (
                    str(urn),
                    facts.name,
                    facts.phase.value,
                    hide(facts.pupils_on_roll),
                    hide(pupils),
                    hide(premium),
                    hide(send),
                    self._rate(rate, hide),
                    self._index(dindex, premium, hide),
                    self._index(sindex, send, hide),
                    None if dindex is None else dindex < REPRESENTATION_FLAG,
                    share,
                    basis,
                )
            )
        return Table(
            name="Participation by school",
            columns=[
                "urn", "school", "phase", "pupils on roll", "participations", "pupil premium",
                "SEND", "participation rate", "disadvantaged index", "SEND index",
                "under-represented", "SEND share", "SEND share from",
            ],
            rows=rows,
            caption=f"Counts under {hide.threshold} shown as <{hide.threshold}; rates and "
            "indices resting on them are left blank. Under-represented: disadvantaged index "
            f"below {REPRESENTATION_FLAG:g}. SEND share: the share of the school's pupils with "
            "SEN that its SEND index compares with, and where it came from.",
        )  # fmt: skip

    def _send_share_of(self, facts: SchoolFacts) -> tuple[float | None, str | None]:
        """The SEND share (%) a school's SEND index uses, and where it came from."""
        if facts.send_pct is not None:
            return facts.send_pct, "recorded"
        if facts.phase is Phase.SPECIAL:
            return 100.0, "special school"
        if self.send_share is not None:
            return _round(100 * self.send_share, 1), "national average (fallback)"
        return None, None

    def _by_phase(self, model: ParticipationBreadth, year: str, hide: Suppressor) -> list[Table]:
        counts: list[list[Cell]] = []
        shares: list[list[Cell]] = []
        for phase in model.phases(year):
            t = model.totals(year, phase=phase)
            rate = model.rate(year, phase=phase)
            dindex = model.disadvantaged_index(year, phase=phase)
            sindex = model.send_index(year, self.send_share, phase=phase)  # same rule
            counts.append([phase.value, hide(t.pupils), hide(int(rate.denominator))])
            shares.append(
                [
                    phase.value,
                    self._rate(rate, hide),
                    self._index(dindex, t.pupil_premium, hide),
                    self._index(sindex, t.send, hide),
                    None if dindex is None else dindex < REPRESENTATION_FLAG,
                ]
            )
        return [
            Table(
                name="Participation vs school population by phase",
                columns=["phase", "participations", "pupils on roll"],
                rows=counts,
                chart="bar",
                unit="pupils",
                caption="Participations against the pupils on roll of open schools, by phase",
            ),
            Table(
                name="Representation by phase",
                columns=[
                    "phase", "participation rate", "disadvantaged index", "SEND index",
                    "under-represented",
                ],
                rows=shares,
                caption="Rate per 100 pupils on roll; index 1.0 is proportional, below "
                f"{REPRESENTATION_FLAG:g} is flagged",
            ),
        ]  # fmt: skip

    def _by_programme(self, model: ParticipationBreadth, year: str, hide: Suppressor) -> Table:
        rows: list[list[Cell]] = []
        for programme in ParticipationProgramme:
            t: ParticipationTotals = model.totals(year, programme)
            if not t.records:
                continue
            rows.append(
                [
                    programme.value,
                    hide(t.pupils),
                    hide(t.pupil_premium),
                    hide(t.send),
                    hide(t.fee_remission),
                    self._rate(model.rate(year, programme), hide),
                    self._index(model.disadvantaged_index(year, programme), t.pupil_premium, hide),
                ]
            )
        return Table(
            name="Participation by programme",
            columns=[
                "programme", "participations", "pupil premium", "SEND", "fee remission",
                "participation rate", "disadvantaged index",
            ],
            rows=rows,
        )  # fmt: skip

    def _caveats(
        self,
        model: ParticipationBreadth,
        sources: ParticipationSources,
        year: str,
        open_schools: list[int],
        facts: dict[int, SchoolFacts],
    ) -> list[str]:
        send = model.send_representation(year, self.send_share)
        caveats = [
            "Counts are participations, not pupils: one pupil in two ensembles counts twice.",
        ]
        if send.fallback:
            caveats.append(
                f"{send.fallback} schools taking part have no SEND share recorded: the SEND "
                f"index uses the national average of {100 * (self.send_share or 0):g}% for them"
                " (a fallback; import the DfE's SEN statistics with `hubcore import send`)."
            )
        if send.unknown:
            caveats.append(
                f"{send.unknown} schools taking part have no SEND share recorded and are left"
                " out of the SEND index."
            )
        with_data = set(model.schools_with_data(year))
        missing = [u for u in open_schools if u not in with_data]
        if missing:
            caveats.append(
                f"{len(missing)} of {len(open_schools)} open schools have no participation "
                f"recorded for {year}."
            )
        no_fsm = [u for u in open_schools if (f := facts.get(u)) and f.disadvantaged_pct is None]
        if no_fsm:
            caveats.append(
                f"{len(no_fsm)} schools have no disadvantaged percentage and are left out of "
                "the disadvantaged index."
            )
        records, estimated, returned = sources.counts(year, set(open_schools))
        if estimated or returned:
            caveats.append(
                f"Figures include schools' estimates: of {records} participation records for "
                f"{year}, {estimated} are estimates and {returned} came from schools' own returns."
            )
        return caveats
