"""Where the true sources of the latency queries rank among the retrieved candidates.

Usage::

    PYTHONPATH=src python benchmarks/candidate_ranks.py --index IX --queries q1m.jsonl

Retrieval only (no alignment), as ``trace_latency.py run`` retrieves: for the timed queries
(after ``--warmup``), the share of true sources among the first 4, 8, 16, 24, 32 and 64
candidates that the code on ``PYTHONPATH`` ranks with ``max_candidates`` unbounded, and the
mean number of documents that reach the candidates by either route (before the cut). Run it
with another tree on ``PYTHONPATH`` to compare candidate rankings on the same index; queries
are written by ``trace_latency.py queries`` (a row's ``truth`` lists its sources' ids).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

CUTS = (4, 8, 16, 24, 32, 64)


def ranks(index_path: Path, queries: Path, warmup: int) -> dict[str, Any]:
    from unspun.config import TraceConfig
    from unspun.data import Document
    from unspun.fingerprint import sentence_grams
    from unspun.index import Index
    from unspun.index.retrieve import candidate_docnos
    from unspun.trace import _suspect

    rows = [json.loads(line) for line in queries.read_text().splitlines()][warmup:]
    cfg = TraceConfig()
    unbounded = replace(cfg.retrieval, max_candidates=1 << 30)
    db = sqlite3.connect((index_path / "docs.sqlite").resolve().as_uri() + "?mode=ro", uri=True)
    within = dict.fromkeys(CUTS, 0)
    truths = reached = 0
    with Index.open(index_path) as index:
        for row in rows:
            doc = Document(id=row["id"], text=row["text"])
            _, sentences = _suspect(doc, None, cfg)
            grams = sentence_grams(doc.text, sentences, index.config, sample_only=False)
            ranked = candidate_docnos(index, grams, unbounded)
            reached += len(ranked)
            at = {d: i for i, d in enumerate(ranked)}
            for source in row["truth"]:
                truths += 1
                found = db.execute("SELECT docno FROM docs WHERE id = ?", (source,)).fetchone()
                rank = at.get(found[0]) if found else None
                for cut in CUTS:
                    within[cut] += rank is not None and rank < cut
    return {"index": str(index_path), "queries": len(rows), "true_sources": truths,
            "within": {str(c): round(n / truths, 3) for c, n in within.items()},
            "within_count": {str(c): n for c, n in within.items()},
            "reached_mean": round(reached / len(rows), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--warmup", type=int, default=20)
    args = ap.parse_args()
    print(json.dumps(ranks(args.index, args.queries, args.warmup), indent=2))


if __name__ == "__main__":
    main()
