"""CPU of a trace's two retrieval steps alone, replayed (mean ms per suspect, min and median).

Traces every suspect once to capture the arguments of ``candidate_docnos`` and
``evidence_docnos``, then replays just those calls ``--repeats`` times, each on a freshly
opened index (so every block is read and verified again; the page cache stays warm), and
reports each step's CPU and the look-ups' CPU within them. Run it for two trees in turn,
several times, to compare them: the whole trace's noise (alignment, fetch) is left out::

    PYTHONPATH=src .venv/bin/python benchmarks/retrieval_replay.py --index IX --queries q.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    import numpy as np

    import unspun.index.retrieve as retrieve
    import unspun.trace as trace
    from unspun.data import Document
    from unspun.index import Index
    from unspun.index.reading import IndexReader

    steps = ("candidate_docnos", "evidence_docnos")
    calls: list[tuple[str, tuple[Any, ...]]] = []
    for name in steps:
        def capture(*a: Any, _inner: Any = getattr(trace, name), _name: str = name) -> Any:
            calls.append((_name, a[1:]))
            return _inner(*a)
        setattr(trace, name, capture)
    index = Index.open(args.index)
    rows = [json.loads(line) for line in args.queries.read_text().splitlines()]
    for row in rows:
        trace.trace_document(Document(id=row["id"], text=row["text"]), index=index)
    index.close()

    looked = [0.0]
    lookup = IndexReader.lookup

    def timed_lookup(self: IndexReader, keys: np.ndarray, *, max_df: int) -> Any:
        start = time.process_time()
        try:
            return lookup(self, keys, max_df=max_df)
        finally:
            looked[0] += time.process_time() - start

    IndexReader.lookup = timed_lookup  # type: ignore[method-assign]
    spent: dict[str, list[float]] = {name: [] for name in (*steps, "look-ups (in both)")}
    for _ in range(args.repeats):
        with Index.open(args.index) as fresh:
            fresh.lookup(np.array([1], np.uint32), max_df=1)  # the layout, built once
            looked[0] = 0.0
            pass_cpu = dict.fromkeys(steps, 0.0)
            for name, a in calls:
                start = time.process_time()
                getattr(retrieve, name)(fresh, *a)
                pass_cpu[name] += time.process_time() - start
        for name in steps:
            spent[name].append(1000 * pass_cpu[name] / len(rows))
        spent["look-ups (in both)"].append(1000 * looked[0] / len(rows))
    for name, ms in spent.items():
        print(f"{name:22s} min {min(ms):5.2f}  median {float(np.median(ms)):5.2f} ms a suspect")


if __name__ == "__main__":
    main()
