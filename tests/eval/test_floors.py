"""Quality floors: the file parses, bounds are checked both ways, and no floor ever drops.

"Never drops" is checked against the highest floor (lowest ceiling) that any committed version
of the floors file has ever held, so a lowered floor fails on a clean CI checkout too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from unspun.errors import BadInput
from unspun.eval.harness import FLOORS_FILE, check_floors, load_floors

ROOT = Path(__file__).resolve().parents[2]
FLOORS = FLOORS_FILE
#: Every path the floors file has lived at in the repository's history.
HISTORY_PATHS = ("quality-floors.json", "src/unspun/eval/quality-floors.json")
Bounds = dict[tuple[str, str, str], tuple[str, float]]


def _bounds(data: dict[str, Any]) -> Bounds:
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


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def _history() -> list[tuple[str, Bounds]]:
    """``(commit, bounds)`` for every committed version of the floors file, at any path."""
    if shutil.which("git") is None or _git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout: the floors history cannot be read")
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        _git("fetch", "--unshallow", "--quiet")
    log = _git("log", "--format=%H", "--", *HISTORY_PATHS)
    out = []
    for commit in log.stdout.split():
        for path in HISTORY_PATHS:
            shown = _git("show", f"{commit}:{path}")
            if shown.returncode == 0:
                out.append((commit[:10], _bounds(json.loads(shown.stdout))))
    return out


def _best(history: list[tuple[str, Bounds]]) -> dict[tuple[str, str, str], tuple[str, float, str]]:
    """The highest floor and lowest ceiling each bound has held, with the commit that held it."""
    best: dict[tuple[str, str, str], tuple[str, float, str]] = {}
    for commit, bounds in history:
        for key, (kind, value) in bounds.items():
            old = best.get(key)
            if (old is None or (kind == "min" and value > old[1])
                    or (kind == "max" and value < old[1])):
                best[key] = (kind, value, commit)
    return best


def _drops(best: dict[tuple[str, str, str], tuple[str, float, str]], now: Bounds) -> list[str]:
    """Every bound that was removed, changed kind, or is looser than it has ever been."""
    out = []
    for key, (kind, value, commit) in best.items():
        if key not in now:
            out.append(f"{key} was removed (held {value} at {commit})")
            continue
        new_kind, new_value = now[key]
        if new_kind != kind:
            out.append(f"{key} changed from a {kind} to a {new_kind}")
        elif (kind == "min" and new_value < value) or (kind == "max" and new_value > value):
            out.append(f"{key} is {new_value}, but was {value} at {commit}")
    return out


def test_no_floor_is_below_the_best_it_has_ever_been() -> None:
    history = _history()
    assert history, "the floors file has no committed history"
    now = _bounds(json.loads(FLOORS.read_text(encoding="utf-8")))
    assert _drops(_best(history), now) == []


def test_a_lowered_floor_or_raised_ceiling_is_caught() -> None:
    history = [("c1", {("bench", "unspun", "verdict.accuracy"): ("min", 0.9),
                       ("bench", "unspun", "fpr"): ("max", 0.01)}),
               ("c2", {("bench", "unspun", "verdict.accuracy"): ("min", 0.8),
                       ("bench", "unspun", "fpr"): ("max", 0.02)})]
    best = _best(history)
    assert _drops(best, {("bench", "unspun", "verdict.accuracy"): ("min", 0.9),
                         ("bench", "unspun", "fpr"): ("max", 0.01)}) == []
    drops = _drops(best, {("bench", "unspun", "verdict.accuracy"): ("min", 0.85),
                          ("bench", "unspun", "fpr"): ("max", 0.015)})
    assert len(drops) == 2 and "c1" in drops[0]
    assert _drops(best, {}) and "removed" in _drops(best, {})[0]


def test_check_floors_handles_floors_ceilings_and_missing_metrics() -> None:
    checks = check_floors({"a": 0.5, "g": 1.4, "free": 3.0},
                          {"a": 0.6, "g": {"max": 1.3}, "unmeasured": 0.1})
    by_name = {c.metric: c for c in checks}
    assert not by_name["a"].ok and not by_name["g"].ok
    assert by_name["free"].ok
    assert not by_name["unmeasured"].ok and not by_name["unmeasured"].measured
    nan = check_floors({"a": float("nan")}, {"a": 0.1})[0]
    assert not nan.measured and not nan.ok
    only_align = check_floors({}, {"align.p": 0.5, "pairs.r": 0.5}, families=("align.",))
    assert [c.metric for c in only_align] == ["align.p"]
    assert [c.metric for c in checks] == ["a", "g", "free", "unmeasured"]
    assert check_floors({"a": 0.6, "g": 1.3}, {"a": 0.6, "g": {"max": 1.3}})[0].ok


def test_bad_floors_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    assert load_floors(path, "pan13", "baseline") == {}
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInput, match="f.json"):
        load_floors(path, "pan13", "baseline")
