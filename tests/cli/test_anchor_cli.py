"""``hubcore anchor`` and ``hubcore verify --anchor FILE --key KEY``."""

from __future__ import annotations

from pathlib import Path

import orjson

from .conftest import Invoke, import_sample


def test_anchor_then_verify_and_catch_a_replaced_file(invoke: Invoke, tmp_path: Path) -> None:
    import_sample(invoke)
    key = tmp_path / "keys" / "hub.key"
    key.parent.mkdir()
    made = invoke("anchor", "--key", str(key), "--new-key", "--out", str(tmp_path / "a.json"))
    assert made.exit_code == 0, made.stderr
    statement = orjson.loads((tmp_path / "a.json").read_bytes())
    assert statement["position"] == 38
    ok = invoke("verify", "--anchor", str(tmp_path / "a.json"), "--key", str(key))
    assert ok.exit_code == 0, ok.stderr
    assert "the log extends the anchor signed at position 38" in ok.stdout
    again = invoke("anchor", "--key", str(key), "--new-key")
    assert again.exit_code == 1
    assert "never replaced" in again.stderr
    # a different store file, whose own chain verifies, put in place of the anchored one
    (tmp_path / "hub.sqlite").unlink()
    sample = Path(__file__).parents[1] / "imports" / "data" / "gias_sample_utf8bom.csv"
    other = invoke("import", "schools", str(sample), "--registered-on", "2024-09-02")
    assert other.exit_code == 0, other.stderr
    assert invoke("verify").exit_code == 0
    caught = invoke("verify", "--anchor", str(tmp_path / "a.json"), "--key", str(key), "--json")
    assert caught.exit_code == 1
    result = orjson.loads(caught.stdout)
    assert result["intact"] is False
    assert "anchor check failed" in result["error"]
    alone = invoke("verify", "--anchor", str(tmp_path / "a.json"))
    assert alone.exit_code == 2
    assert "--anchor and --key go together" in alone.stderr
