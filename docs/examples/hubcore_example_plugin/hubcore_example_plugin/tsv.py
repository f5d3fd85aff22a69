"""The ``tsv`` output format: the summary's metrics as tab-separated values."""

from __future__ import annotations

from hubcore.reporting import Summary, renderer


def _clean(text: object) -> str:
    return "" if text is None else " ".join(str(text).split())


@renderer("tsv", media_type="text/tab-separated-values", suffix=".tsv")
def tsv(summary: Summary) -> bytes:
    """One line per metric: key, label, value, unit, target, status."""
    lines = ["key\tlabel\tvalue\tunit\ttarget\tstatus"]
    for m in summary.metrics:
        value = f"<{summary.suppression_threshold}" if m.suppressed else m.value
        fields = (m.key, m.label, value, m.unit, m.target, m.status.value)
        lines.append("\t".join(_clean(f) for f in fields))
    return ("\n".join(lines) + "\n").encode("utf-8")
