"""The Spark engine: the same pure stage functions as the local engine, over Spark partitions.

Reading and the final relating/writing run on the driver; cleaning, candidate pairs (grams
partitioned by hash, so each gram's rows meet in one partition) and alignment run on the
executors. Both engines therefore give identical pairs, clusters and lineage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np

from unspun.errors import BadInput, require
from unspun.scan.candidates import (
    PairCounts,
    Rows,
    concat_rows,
    doc_totals,
    pair_gram_counts,
    pairs_from_counts,
    raw_rows,
    sort_rows,
    tier_union,
    tiers,
)
from unspun.scan.checkpoint import Checkpoints
from unspun.scan.records import Pair, Prepared
from unspun.scan.run import ScanInputs, ScanRun, finish, first_state, read_stage, start_scan
from unspun.scan.sentence_tier import add_sentence_tier
from unspun.scan.stages import compare_batch, prepare_batch


def _session(master: str) -> Any:
    """A Spark session on ``master`` whose Python workers run this interpreter."""
    require("pyspark", "spark")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    try:
        return (SparkSession.builder.master(master).appName("unspun scan")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.memory", os.environ.get("UNSPUN_SPARK_MEMORY", "2g"))
                .getOrCreate())
    except Exception as exc:  # noqa: BLE001 - Java missing, bad master URL, ...
        raise BadInput(master, f"cannot start Spark ({str(exc).splitlines()[0][:200]})") from None


def _grams_by_bucket(docs: list[Prepared], buckets: int,
                     words: bool) -> Iterator[tuple[int, Rows]]:
    """The gram (or word) rows of a partition's documents, split by gram hash bucket."""
    if not docs:
        return
    rows = raw_rows(docs, words=words)
    bucket = rows.keys % buckets
    for b in np.unique(bucket).tolist():
        sel = bucket == b
        yield b, Rows(*(column[sel] for column in rows))


def scan_spark(inp: ScanInputs, *, master: str = "local[*]", resume: bool = False) -> ScanRun:
    """Scan a corpus with Spark (``--engine spark``) and write every output into ``inp.out``.

    Args:
        inp: Inputs, output directory and settings (``jobs`` is ignored: Spark decides).
        master: The Spark master URL, e.g. ``local[2]`` or ``spark://host:7077``.
        resume: Continue a killed run; finished stages are not redone.

    Returns:
        Counts of what was read, compared and found.

    Raises:
        MissingExtra: pyspark is not installed.
        BadInput: Spark cannot start, or the output directory holds another scan.
    """
    ck = Checkpoints(inp.out)
    start_scan(inp, ck, resume=resume)
    total, skipped = read_stage(inp, ck)
    n_batches: int = ck.load("read.batches")
    spark = _session(master)
    try:
        return _stages(inp, ck, spark.sparkContext, total, skipped, n_batches)
    finally:
        spark.stop()


def _stages(inp: ScanInputs, ck: Checkpoints, sc: Any, total: int,
            skipped: list[tuple[str, str]], n_batches: int) -> ScanRun:
    """Clean, pair and align on the executors, then relate and write on the driver."""
    sc.setLogLevel("ERROR")
    config = inp.config
    parts = max(2, sc.defaultParallelism)
    if not ck.has("spark-prepared.pkl"):
        profile = sc.broadcast(ck.load("profile.pkl"))
        numbered = [x for n in range(n_batches) for x in ck.load(f"docs-{n:05d}.pkl")]
        prepared = sc.parallelize(numbered, parts * 2).mapPartitions(
            lambda b: prepare_batch(b, config=config, profile=profile.value)).collect()
        ck.save("spark-prepared.pkl", prepared)
    docs: list[Prepared] = sorted(ck.load("spark-prepared.pkl"), key=lambda d: d.docno)
    n = len(docs)
    if not ck.has("candidates.npy"):
        buckets = parts * 2

        found = []
        for tier in tiers(config):

            def codes(groups: Any, max_df: int = tier.max_df, share: float = tier.share
                      ) -> Iterator[tuple[PairCounts, np.ndarray | None]]:
                for _, pieces in groups:
                    rows = sort_rows(concat_rows(list(pieces)))
                    # Each document's totals only when the tier asks for a share of them.
                    yield (pair_gram_counts(rows, max_df=max_df, n_docs=n),
                           doc_totals(rows.keys, rows.docnos, max_df=max_df, n_docs=n)
                           if share else None)

            results = (sc.parallelize(docs, parts)
                       .mapPartitions(lambda it, w=tier.words: _grams_by_bucket(list(it),
                                                                                buckets, w))
                       .groupByKey(buckets).mapPartitions(codes).collect())
            totals = (np.sum([t for _, t in results], axis=0) if results else np.zeros(n, np.int64)
                      ) if tier.share else None
            found.append(pairs_from_counts([c for c, _ in results], tier, n_docs=n,
                                           totals=totals))
        # the sentence tier runs on the driver, over every document (as the local engine)
        ck.save_array("candidates.npy", add_sentence_tier(docs, config,
                                                          tier_union(docs, config, found),
                                                          n_docs=n))
    cands = ck.load_array("candidates.npy")
    if not ck.has("spark-pairs.pkl"):
        shared = sc.broadcast({d.docno: d for d in docs})
        chunks = [cands[i : i + 2000] for i in range(0, len(cands), 2000)]
        pairs: list[Pair] = sc.parallelize(chunks, max(1, min(len(chunks), parts * 4))) \
            .flatMap(lambda rows: compare_batch(rows, shared.value, config=config)).collect()
        ck.save("spark-pairs.pkl", pairs)
    pairs = ck.load("spark-pairs.pkl")
    ck.save_state(first_state(inp, total, skipped, ["spark-prepared.pkl"], ["spark-pairs.pkl"]))
    return finish(inp, docs, pairs, total=total, skipped=skipped, candidates=len(cands),
                  engine="spark")
