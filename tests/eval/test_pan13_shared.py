"""The harness on the real PAN-13 subset, limited to a few pairs so it stays fast."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SHARED, need_shared
from unspun.cli import cli

PAN13 = SHARED / "data" / "pan13"


@pytest.mark.shared
def test_baseline_on_real_pan13_is_sane(tmp_path: Path) -> None:
    root = need_shared(PAN13)
    result = CliRunner().invoke(cli, ["eval", "pan13", str(root), "--limit", "20", "--jobs", "1",
                                      "--detector", "baseline",
                                      "--json", "--floors", str(tmp_path / "none.json")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    m, counts = report["metrics"], report["counts"]
    assert counts["align.pairs"] == 20 and counts["align.skipped"] == 0
    # Exact sentences are rarely wrong, but miss the edges of every passage.
    assert m["align.precision"] > 0.9
    assert 0.2 < m["align.recall"] < 0.9
    assert m["pairs.recall.no-obfuscation"] > 0.5
    assert m["pairs.fpr.no-plagiarism"] <= 0.1
    assert report["skipped"] == []
