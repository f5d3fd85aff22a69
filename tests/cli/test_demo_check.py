"""``hubcore demo --check``: the headline figures and their realistic ranges."""

from __future__ import annotations

import re


def test_the_default_demo_passes_its_check(invoke, tmp_path):
    result = invoke("demo", "--check", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  ") and ": " in line]
    checked = [line for line in lines if re.search(r"\(\S+ to \S+\) (ok|OUT OF RANGE);", line)]
    assert len(checked) == 5, result.output
    assert all(") ok;" in line for line in checked), result.output
    assert "coverage (D3)" in result.output
    assert "actions completed on time (D5)" in result.output


def test_a_demo_outside_the_ranges_exits_non_zero(invoke, tmp_path):
    # three schools: coverage can only be 0, 33, 67 or 100%, never 85-98%
    result = invoke(
        "demo", "--schools", "3", "--years", "1", "--check", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 1
    assert "OUT OF RANGE" in result.output
    assert "coverage (D3) is outside its realistic range" in result.output
    assert (tmp_path / "out" / "self-evaluation.html").exists()  # the reports are still written
