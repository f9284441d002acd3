"""The quality gate: the unspun detector must meet every floor on a generated benchmark.

The benchmark is built from the test half of the bundled Wikinews sample (thresholds were tuned
on the tune half), so this runs without ../shared and gates out of sample. It uses the same
floors file as ``unspun eval bench``; floors may only be raised.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from unspun.bench.generate import make_bench
from unspun.eval.bench import evaluate
from unspun.eval.detector import get_detector
from unspun.eval.harness import FLOORS_FILE, check_floors, load_floors


@pytest.mark.slow
def test_unspun_meets_every_bench_floor(tmp_path: Path) -> None:
    make_bench(tmp_path, seed=11, split="test")
    metrics = evaluate(tmp_path, get_detector("unspun"))
    bounds = load_floors(FLOORS_FILE, "bench", "unspun")
    assert bounds, "the unspun bench floors are missing"
    checks = check_floors(metrics, bounds)
    missing = [c.metric for c in checks if c.bound is not None and not c.measured]
    assert not missing, f"floored metrics not measured: {missing}"
    failed = [(c.metric, round(c.value or 0, 4), c.bound) for c in checks if not c.ok]
    assert not failed, f"below the quality floors: {failed}"
