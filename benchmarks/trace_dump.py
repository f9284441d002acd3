"""Trace latency queries or a benchmark's pages; write each ``trace_to_dict`` as a JSON line.

For showing that a speed change keeps the output: run it with two trees and ``cmp`` the files.
``--index`` with ``--queries`` traces each query against a built index; ``--bench`` fits an
index on a ``bench make`` directory's references and traces its pages, as ``eval bench``
does::

    PYTHONPATH=src .venv/bin/python benchmarks/trace_dump.py --index IX --queries q.jsonl --out a.jsonl
    PYTHONPATH=src .venv/bin/python benchmarks/trace_dump.py --bench farm-tune-0 --out b.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path)
    ap.add_argument("--queries", type=Path)
    ap.add_argument("--bench", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if (args.bench is None) == (args.index is None or args.queries is None):
        ap.error("give --bench, or --index with --queries")

    from unspun.data import Document, TraceResult
    from unspun.eval.bench import load_bench
    from unspun.eval.unspun_detector import UnspunDetector
    from unspun.index import Index
    from unspun.report.jsonout import trace_to_dict
    from unspun.trace import trace_document

    results: list[TraceResult] = []
    start = time.process_time()
    if args.bench is not None:
        refs, suspects, _ = load_bench(args.bench)
        detector = UnspunDetector()
        detector.fit(refs)
        results = [detector.trace(s) for s in suspects]
        detector.close()
    else:
        index = Index.open(args.index)
        for line in args.queries.read_text().splitlines():
            row = json.loads(line)
            results.append(trace_document(Document(id=row["id"], text=row["text"]),
                                          index=index))
    with args.out.open("w", encoding="utf-8") as fh:
        for result in results:
            fh.write(json.dumps(trace_to_dict(result), ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(results)} traces, {time.process_time() - start:.1f} CPU-s", file=sys.stderr)


if __name__ == "__main__":
    main()
