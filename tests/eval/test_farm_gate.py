"""The real tracer on a farm-mode benchmark: every farm metric measured, and the farm floors met.

Built from the test half of the bundled sample, so it runs without ../shared. The farm floors
live in the ``farm`` section of the shipped floors file; they gate on the test half only (the
tracer's thresholds were tuned on the tune half).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from unspun.bench.farm import make_farm
from unspun.eval.bench import evaluate
from unspun.eval.detector import get_detector
from unspun.eval.farm import KINDS
from unspun.eval.harness import FLOORS_FILE, check_floors, load_floors


@pytest.mark.slow
def test_unspun_on_a_farm_bench(tmp_path: Path) -> None:
    make_farm(tmp_path, seed=11, split="test")
    metrics = evaluate(tmp_path, get_detector("unspun"))
    for key in ("all", *KINDS):
        assert 0.0 <= metrics[f"farm.sources.recall.{key}"] <= 1.0
    # today's tracer gives verdicts and quote findings, so these are measured, not missing
    for key in ("farm.verdict.spun.low_rate", "farm.quotes.altered.precision",
                "farm.false_sources.rate"):
        assert not math.isnan(metrics[key]), key
    assert metrics["farm.sources.recall.sentences"] > 0.5  # most two-sentence borrowings found
    bounds = load_floors(FLOORS_FILE, "farm", "unspun")
    assert bounds, "the farm floors are missing"
    failed = [(c.metric, c.value, c.bound) for c in check_floors(metrics, bounds) if not c.ok]
    assert not failed, f"below the farm floors: {failed}"
