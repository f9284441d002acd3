"""Quality floors: the file parses, bounds are checked both ways, and no floor ever drops."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from unspun.errors import BadInput
from unspun.eval.harness import check_floors, load_floors

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "quality-floors.json"


def _bounds(data: dict[str, Any]) -> dict[tuple[str, str, str], tuple[str, float]]:
    """Flatten a floors file to {(section, detector, metric): (kind, value)}."""
    out = {}
    for section, detectors in data.items():
        if section.startswith("_"):
            continue
        for detector, metrics in detectors.items():
            for metric, bound in metrics.items():
                if isinstance(bound, dict):
                    kind = "max" if "max" in bound else "min"
                    out[(section, detector, metric)] = (kind, float(bound[kind]))
                else:
                    out[(section, detector, metric)] = ("min", float(bound))
    return out


def test_floors_file_is_well_formed() -> None:
    bounds = _bounds(json.loads(FLOORS.read_text(encoding="utf-8")))
    assert bounds, "quality-floors.json holds no bounds"
    assert all(v >= 0.0 for _, v in bounds.values())
    assert load_floors(FLOORS, "pan13", "baseline")


def test_no_floor_decreased_since_last_commit() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shown = subprocess.run(["git", "show", "HEAD:quality-floors.json"], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    if shown.returncode != 0:
        pytest.skip("quality-floors.json is not committed yet")
    old, new = _bounds(json.loads(shown.stdout)), _bounds(json.loads(FLOORS.read_text()))
    for key, (kind, value) in old.items():
        assert key in new, f"floor {key} was removed"
        new_kind, new_value = new[key]
        assert new_kind == kind, f"floor {key} changed kind"
        if kind == "min":
            assert new_value >= value, f"floor {key} dropped from {value} to {new_value}"
        else:
            assert new_value <= value, f"ceiling {key} rose from {value} to {new_value}"


def test_check_floors_handles_floors_ceilings_and_missing_metrics() -> None:
    checks = check_floors({"a": 0.5, "g": 1.4, "free": 3.0},
                          {"a": 0.6, "g": {"max": 1.3}, "unmeasured": 0.1})
    by_name = {c.metric: c for c in checks}
    assert not by_name["a"].ok and not by_name["g"].ok
    assert by_name["free"].ok and by_name["unmeasured"].ok
    assert [c.metric for c in checks] == ["a", "g", "free", "unmeasured"]
    assert check_floors({"a": 0.6, "g": 1.3}, {"a": 0.6, "g": {"max": 1.3}})[0].ok


def test_bad_floors_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    assert load_floors(path, "pan13", "baseline") == {}
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInput, match="f.json"):
        load_floors(path, "pan13", "baseline")
