"""`--engine spark` on local[2] gives the same pairs, clusters and lineage as the local engine."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspun.bench.corpus import make_corpus
from unspun.cli import cli


def _java() -> bool:
    if shutil.which("java") is None:
        return False
    return subprocess.run(["java", "-version"], capture_output=True).returncode == 0


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="pyspark is not installed (pip install 'unspun[spark]')"),
    pytest.mark.skipif(not _java(), reason="no Java runtime (apt-get install default-jre-headless)"),
]


def test_spark_and_local_give_identical_outputs(tmp_path: Path) -> None:
    make_corpus(tmp_path / "bench", seed=5, stories=5)
    corpus = str(tmp_path / "bench" / "corpus.jsonl")
    runner = CliRunner()
    local = runner.invoke(cli, ["scan", corpus, "--out", str(tmp_path / "local"), "--jobs", "2",
                                "--no-parquet"])
    assert local.exit_code == 0, local.output
    spark = runner.invoke(cli, ["scan", corpus, "--out", str(tmp_path / "spark"), "--engine",
                                "spark", "--master", "local[2]", "--no-parquet"])
    assert spark.exit_code == 0, spark.output
    for name in ("pairs", "clusters", "lineage", "sites"):
        left = (tmp_path / "local" / f"{name}.jsonl").read_text(encoding="utf-8")
        right = (tmp_path / "spark" / f"{name}.jsonl").read_text(encoding="utf-8")
        assert left == right, name
    assert (tmp_path / "local" / "pairs.jsonl").stat().st_size > 1000
