"""The PAN-13 quality gate: the unspun detector, as `unspun eval pan13` runs it, meets every floor.

This is the full evaluation (500 alignment pairs and every present document pair), about a minute
on two cores. It runs the command line in a subprocess, exactly as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import SHARED, need_shared
from unspun.eval.harness import FLOORS_FILE, load_floors

PAN13 = SHARED / "data" / "pan13"


@pytest.mark.shared
@pytest.mark.slow
def test_unspun_meets_every_pan13_floor() -> None:
    root = need_shared(PAN13)
    env = {**os.environ, "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-m", "unspun", "eval", "pan13", str(root), "--json"],
                         capture_output=True, text=True, env=env, timeout=1800, check=False)
    report = json.loads(run.stdout)
    assert report["detector"] == "unspun", "eval pan13 must default to the unspun detector"
    assert report["floors_checked"]
    bounds = load_floors(FLOORS_FILE, "pan13", "unspun")
    assert bounds and set(bounds) <= set(report["metrics"]), "a floored metric was not measured"
    assert report["below_floor"] == [], run.stderr[-2000:]
    assert run.returncode == 0, run.stderr[-2000:]
