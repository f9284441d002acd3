"""Trace CPU of two source trees, interleaved suspect by suspect, on one shared machine.

Each tree runs in its own worker process (the index opened once, 20 suspects traced untimed);
every timed suspect is traced by both, the order flipping each time, so that both see the
same load from other jobs. Reports p50/p95/p99 of ``trace_document`` CPU time per tree, their
ratios, the median per-suspect ratio and each worker's peak RSS::

    .venv/bin/python benchmarks/trace_pair.py --base /work/base/src --new src \\
        --index IX --queries q1m.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

_WARMUP = 20


def worker(index: Path, queries: Path) -> None:
    """Trace the suspect numbered on each stdin line; print its CPU milliseconds."""
    from unspun.data import Document
    from unspun.index import Index
    from unspun.trace import trace_document

    rows = [json.loads(line) for line in queries.read_text().splitlines()]
    ix = Index.open(index)
    for row in rows[:_WARMUP]:
        trace_document(Document(id=row["id"], text=row["text"]), index=ix)
    print("ready", flush=True)
    for line in sys.stdin:
        row = rows[int(line)]
        doc = Document(id=row["id"], text=row["text"])
        start = time.process_time()
        trace_document(doc, index=ix)
        print(round((time.process_time() - start) * 1000, 3), flush=True)
    print(round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, help="the baseline tree's src directory")
    ap.add_argument("--new", type=Path, help="the changed tree's src directory")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.index, args.queries)
        return
    trees = {"base": args.base, "new": args.new}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    procs = {t: subprocess.Popen(
        [sys.executable, __file__, "--worker", "--index", str(args.index), "--queries",
         str(args.queries)], env={**env, "PYTHONPATH": str(src.resolve())},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for t, src in trees.items()}
    for p in procs.values():
        assert p.stdin is not None and p.stdout is not None
        if p.stdout.readline().strip() != "ready":
            sys.exit("a worker failed to start")
    n = len(args.queries.read_text().splitlines())
    ms: dict[str, list[float]] = {t: [] for t in trees}
    for i in range(_WARMUP, n):
        for t in (["base", "new"] if i % 2 else ["new", "base"]):
            p = procs[t]
            p.stdin.write(f"{i}\n")  # type: ignore[union-attr]
            p.stdin.flush()  # type: ignore[union-attr]
            ms[t].append(float(p.stdout.readline()))  # type: ignore[union-attr]
    out: dict[str, object] = {}
    for t, p in procs.items():
        p.stdin.close()  # type: ignore[union-attr]
        rss = float(p.stdout.readline())  # type: ignore[union-attr]
        p.wait()
        arr = np.asarray(ms[t])
        out[t] = {"p50": round(float(np.percentile(arr, 50)), 1),
                  "p95": round(float(np.percentile(arr, 95)), 1),
                  "p99": round(float(np.percentile(arr, 99)), 1), "ru_maxrss_mb": rss}
    base, new = out["base"], out["new"]
    out["ratio"] = {k: round(new[k] / base[k], 3) for k in ("p50", "p95", "p99")}  # type: ignore[index]
    out["median_per_suspect_ratio"] = round(
        float(np.median(np.asarray(ms["new"]) / np.asarray(ms["base"]))), 3)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
