"""End to end: the exact-sentence baseline on a generated bench, and the bench CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from unspun.bench.generate import make_bench
from unspun.cli import cli
from unspun.eval.bench import evaluate


def test_baseline_on_generated_bench(tmp_path: Path) -> None:
    baseline = pytest.importorskip("unspun.eval.baseline")
    make_bench(tmp_path, seed=11, n_suspects=60)
    m = evaluate(tmp_path, baseline.BaselineDetector())
    assert m["attribution.precision.all"] > 0.95
    assert m["attribution.recall.verbatim"] > 0.95
    # Exact matching cannot follow spinning: the benchmark must show it.
    assert m["attribution.recall.spun"] < 0.5 * m["attribution.recall.verbatim"]
    assert m["hard_negative.false_attribution_rate"] == 0.0
    assert m["more_news_trap.rate"] == 0.0


def test_bench_cli_make_and_check(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "b"
    res = runner.invoke(cli, ["bench", "make", "--out", str(out), "--seed", "5",
                              "--n-suspects", "24"])
    assert res.exit_code == 0, res.output
    assert "24 suspects" in res.output and (out / "gold.jsonl").is_file()
    res = runner.invoke(cli, ["bench", "check", str(out)])
    assert res.exit_code == 0 and "every gold span checks out" in res.output


def test_bench_cli_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["bench", "check", str(tmp_path)])
    assert res.exit_code == 2
    assert res.output.strip().startswith("unspun: error: ") and "Traceback" not in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    res = runner.invoke(cli, ["bench", "make", "--out", str(tmp_path / "o"), "--source", str(bad)])
    assert res.exit_code == 2 and "bad.jsonl#line=1" in res.output
