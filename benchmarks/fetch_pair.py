"""CPU of ``Index.fetch`` alone in two source trees, replaying the fetches of real traces.

A trace's fetch is ~4 ms of ~35 (``trace_parts.py``): too little to see in ``trace_pair.py``'s
noise on a shared machine. This script records the ``(docnos, split)`` of every fetch the
latency queries' traces make (``--calls``, written once by the ``--new`` tree if missing),
then two workers (one per tree, the index opened once, every fetch replayed once untimed, the
collector off as in a trace) replay all of them in turns, the order flipping each round::

    .venv/bin/python benchmarks/fetch_pair.py --base /work/base/src --new src \\
        --index IX --queries q1m.jsonl --calls /tmp/fetch-calls.json --rounds 21

Prints each tree's median CPU ms per fetch and the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def record(index_path: Path, queries: Path, calls: Path) -> None:
    """Trace every query, keeping the arguments of each fetch."""
    from unspun import trace
    from unspun.data import Document
    from unspun.index import Index

    seen: list[list[list[int]]] = []
    inner = Index.fetch

    def spy(self: Index, docnos: Any, *, split: Any = None) -> Any:
        docnos = sorted({int(d) for d in docnos})
        seen.append([docnos, sorted(int(d) for d in split or ())])
        return inner(self, docnos, split=split)

    Index.fetch = spy  # type: ignore[method-assign]
    index = Index.open(index_path)
    for line in queries.read_text().splitlines():
        row = json.loads(line)
        trace.trace_document(Document(id=row["id"], text=row["text"]), index=index)
    calls.write_text(json.dumps(seen))


def worker(index_path: Path, calls_path: Path) -> None:
    """Replay every fetch on each stdin line; print the CPU milliseconds per fetch."""
    from unspun.index import Index

    gc.disable()  # a trace fetches with the collector paused
    calls = [(d, set(s)) for d, s in json.loads(calls_path.read_text())]
    index = Index.open(index_path)
    for docnos, split in calls:
        index.fetch(docnos, split=split)
    print("ready", flush=True)
    for _ in sys.stdin:
        start = time.process_time()
        for docnos, split in calls:
            index.fetch(docnos, split=split)
        print((time.process_time() - start) * 1000 / len(calls), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, help="the baseline tree's src directory")
    ap.add_argument("--new", type=Path, help="the changed tree's src directory")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path)
    ap.add_argument("--calls", type=Path, required=True, help="the recorded fetches (JSON)")
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--record", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.index, args.calls)
        return
    if args.record:
        record(args.index, args.queries, args.calls)
        return
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    me = [sys.executable, __file__, "--index", str(args.index), "--calls", str(args.calls)]
    if not args.calls.exists():
        subprocess.run([*me, "--record", "--queries", str(args.queries)], check=True,
                       env={**env, "PYTHONPATH": str(args.new.resolve())})
    trees = {"base": args.base, "new": args.new}
    procs = {t: subprocess.Popen([*me, "--worker"],
                                 env={**env, "PYTHONPATH": str(src.resolve())},
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for t, src in trees.items()}
    for p in procs.values():
        if p.stdout is None or p.stdout.readline().strip() != "ready":
            sys.exit("a worker failed to start")
    ms: dict[str, list[float]] = {t: [] for t in trees}
    for i in range(args.rounds):
        for t in (["base", "new"] if i % 2 else ["new", "base"]):
            p = procs[t]
            p.stdin.write("go\n")  # type: ignore[union-attr]
            p.stdin.flush()  # type: ignore[union-attr]
            ms[t].append(float(p.stdout.readline()))  # type: ignore[union-attr]
    for p in procs.values():
        p.stdin.close()  # type: ignore[union-attr]
        p.wait()
    ratios = [n / b for b, n in zip(ms["base"], ms["new"], strict=True)]
    print(json.dumps({"fetches": len(json.loads(args.calls.read_text())),
                      "base_ms": round(statistics.median(ms["base"]), 3),
                      "new_ms": round(statistics.median(ms["new"]), 3),
                      "median_round_ratio": round(statistics.median(ratios), 3),
                      "rounds": args.rounds}, indent=2))


if __name__ == "__main__":
    main()
