"""`unspun scan --add`: adding documents to a finished scan gives the scan of all of them,
aligning only pairs with a new (or re-cleaned) document, and survives a kill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from unspun.cli import cli
from unspun.scan import run as local

TABLES = ("pairs", "clusters", "lineage", "documents", "sites")


def scan(*args: str) -> Result:
    return CliRunner().invoke(cli, ["scan", *args, "--jobs", "1", "--no-parquet"])


def _stats(out: Path) -> dict:
    return json.loads((out / "scan.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A generated syndication corpus in three parts (three days of crawl)."""
    root = tmp_path_factory.mktemp("add")
    made = CliRunner().invoke(cli, ["bench", "make", "--mode", "corpus", "--stories", "8",
                                    "--seed", "3", "--out", str(root / "bench")])
    assert made.exit_code == 0, made.output
    lines = (root / "bench" / "corpus.jsonl").read_text(encoding="utf-8").splitlines(True)
    cuts = [0, len(lines) * 5 // 8, len(lines) * 7 // 8, len(lines)]
    paths = []
    for i in range(3):
        paths.append(root / f"day{i}.jsonl")
        paths[-1].write_text("".join(lines[cuts[i]:cuts[i + 1]]), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def whole(parts: list[Path]) -> Path:
    out = parts[0].parent / "whole"
    result = scan(*map(str, parts), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def _same_tables(left: Path, right: Path) -> None:
    for name in TABLES:
        assert (left / f"{name}.jsonl").read_text(encoding="utf-8") == \
            (right / f"{name}.jsonl").read_text(encoding="utf-8"), name


def test_two_adds_equal_one_whole_scan_and_reuse_stored_pairs(
        parts: list[Path], whole: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert scan(str(parts[0]), "--out", str(out)).exit_code == 0
    first = _stats(out)
    for n, part in enumerate(parts[1:], 1):
        added = scan(str(part), "--out", str(out), "--add")
        assert added.exit_code == 0, added.output
        assert "reused" in added.stderr
        stats = _stats(out)
        assert stats["generation"] == n and stats["reused"] > 0
        assert stats["aligned"] + stats["reused"] == stats["candidates"]
    _same_tables(whole, out)
    # The last add aligned fewer pairs than a whole scan does: stored ones were reused.
    assert stats["aligned"] < _stats(whole)["candidates"]
    assert first["candidates"] > 0 and _stats(whole)["pairs"] > first["pairs"]


def test_a_killed_add_resumes_and_keeps_its_finished_batches(
        parts: list[Path], whole: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert scan(str(parts[0]), str(parts[1]), "--out", str(out)).exit_code == 0
    monkeypatch.setattr(local, "PAIR_BATCH", 5)
    calls: list[int] = []
    real = local._compare_one

    def killed(number: int) -> int:
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(number)
        return real(number)

    monkeypatch.setattr(local, "_compare_one", killed)
    scan(str(parts[2]), "--out", str(out), "--add")
    assert _stats(out).get("generation") is None  # the stored scan is still the old one
    refused = scan(str(parts[2]), "--out", str(out), "--add")
    assert refused.exit_code == 2 and "--resume" in refused.stderr
    monkeypatch.setattr(local, "_compare_one", real)
    batches = sorted((out / "work" / "add-01").glob("pairs-*.pkl"))
    assert len(batches) == 2
    before = [p.stat().st_mtime_ns for p in batches]
    resumed = scan(str(parts[2]), "--out", str(out), "--add", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert [p.stat().st_mtime_ns for p in batches] == before
    _same_tables(whole, out)
    again = scan(str(parts[2]), "--out", str(out), "--add", "--resume")  # finished: rewrites
    assert again.exit_code == 0 and _stats(out)["generation"] == 1
    _same_tables(whole, out)


def test_add_refuses_what_it_cannot_extend(parts: list[Path], whole: Path,
                                           tmp_path: Path) -> None:
    empty = scan(str(parts[2]), "--out", str(tmp_path / "none"), "--add")
    assert empty.exit_code == 2 and "no finished scan" in empty.stderr
    other = scan(str(parts[2]), "--out", str(whole), "--add", "--no-furniture")
    assert other.exit_code == 2 and "other settings" in other.stderr
    spark = scan(str(parts[2]), "--out", str(whole), "--add", "--engine", "spark")
    assert spark.exit_code == 2 and "local engine" in spark.output
    out = tmp_path / "out"
    assert scan(str(parts[0]), "--out", str(out)).exit_code == 0
    assert scan(str(parts[1]), "--out", str(out), "--add").exit_code == 0
    rescan = scan(str(parts[0]), "--out", str(out), "--resume")
    assert rescan.exit_code == 2 and "--add" in rescan.stderr
    # A scan whose stored pairs were judged under an older checkpoint format is not extended.
    state = out / "work" / "state.json"
    old = {k: v for k, v in json.loads(state.read_text(encoding="utf-8")).items() if k != "format"}
    state.write_text(json.dumps(old), encoding="utf-8")
    stale = scan(str(parts[2]), "--out", str(out), "--add")
    assert stale.exit_code == 2 and "checkpoint format 2" in stale.stderr
