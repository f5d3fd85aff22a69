"""The ``training-hours`` report: CPD hours by topic for a hub and year (duty D6)."""

from __future__ import annotations

from typing import Any

from hubcore.reporting import Metric, ReportContext, Summary, Table, rag


class TrainingHoursReporter:
    """Hours of training delivered to schools, by topic, against a hub-chosen target."""

    name = "training-hours"
    title = "Training hours by topic"
    description = "CPD hours and staff trained, by topic, for one academic year (D6)."
    projections = ("training",)

    def __init__(self, target_hours: float = 500.0) -> None:
        self.target_hours = target_hours

    def build(self, context: ReportContext) -> Summary:
        """Read the ``training`` read model; return data only (no formatting here)."""
        ledger: Any = context.get("training")
        by_topic = ledger.by_topic(context.academic_year)
        rows = [
            (str(topic), totals.hours, totals.staff_trained)
            for topic, totals in sorted(by_topic.items(), key=lambda kv: -kv[1].hours)
        ]
        hours = sum(row[1] for row in rows)
        staff = sum(row[2] for row in rows)
        status, rule = rag(hours, self.target_hours, amber_within=self.target_hours * 0.2)
        return Summary(
            title=f"{self.title}, {context.academic_year}",
            scope=context.scope(),
            metrics=[
                Metric(
                    key="training-hours",
                    label="Training hours delivered to schools",
                    value=hours,
                    unit="hours",
                    target=self.target_hours,
                    status=status,
                    rule=rule,
                    evidence=sum(t.sessions for t in by_topic.values()),
                ),
                Metric(key="staff-trained", label="School staff trained", value=staff),
            ],
            tables=[
                Table(
                    name="Hours by topic",
                    columns=["topic", "hours", "staff trained"],
                    rows=rows,
                    chart="bar",
                )
            ],
            caveats=["Staff are counted once per session: one teacher at two sessions is two."],
        )
