"""What a trace's look-ups spend on absent keys, and what the key filters save.

Traces every suspect once, capturing each segment look-up (keys and ``max_df``), then:

* counts, per look-up kind (``max_df``) and suspect, the keys in one block, in two, in
  three or more (never read), between two blocks (nothing read), the absent keys among those
  in one block, and the blocks read only for absent keys (not held by the previous
  look-up's copy);
* replays the captured look-ups ``--repeats`` times on a freshly opened segment, rounds
  alternating: without the filter, with it, and with the absent keys left out (what an exact
  filter would give). Each replay checks that the filter changes no row.

    PYTHONPATH=src .venv/bin/python benchmarks/key_filter.py --index IX --queries q.jsonl

The index's segments need their ``.kf`` filters (``unspun index compact`` writes them).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
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

    import unspun.trace as trace
    from unspun.data import Document
    from unspun.index import Index
    from unspun.index.segments import Segment, _block_span

    calls: list[tuple[str, np.ndarray, int] | None] = []  # None: a new suspect
    lookup = Segment.lookup

    def capture(self: Segment, queries: np.ndarray, max_df: int) -> Any:
        calls.append((self.name, np.array(queries, np.uint32), max_df))
        return lookup(self, queries, max_df)

    Segment.lookup = capture  # type: ignore[method-assign]
    rows = [json.loads(line) for line in args.queries.read_text().splitlines()]
    with Index.open(args.index) as index:
        paths = {s.name: s.path for s in index._segments if isinstance(s, Segment)}
        for row in rows:
            calls.append(None)
            trace.trace_document(Document(id=row["id"], text=row["text"]), index=index)
    Segment.lookup = lookup  # type: ignore[method-assign]

    def fresh(name: str, use: bool) -> Segment:
        seg = Segment(paths[name], name)
        if not use:
            seg.__dict__["key_filter"] = None
        if seg.key_filter is None and use:
            raise SystemExit(f"{paths[name]}: no key filter (run 'unspun index compact')")
        return seg

    counts: Counter[str] = Counter()
    exact: list[tuple[str, np.ndarray, int] | None] = []
    segs = {name: fresh(name, False) for name in paths}
    filters = {name: fresh(name, True).key_filter for name in paths}
    held: dict[str, set[int]] = {}
    for call in calls:
        if call is None:
            exact.append(None)
            continue
        name, queries, max_df = call
        seg = segs[name]
        first, last = _block_span(*seg._bounds[:2], queries)
        span = last - first + 1
        df = seg.lookup(queries, max_df)[2]
        absent = (span == 1) & (df == 0)
        present = (span >= 1) & (span <= 2) & ~absent
        tag = f"max_df {max_df}"
        for what, n in (("keys", len(queries)), ("in one block", (span == 1).sum()),
                        ("in two blocks", (span == 2).sum()), ("in three or more", (span > 2).sum()),
                        ("between two blocks", (span == 0).sum()),
                        ("absent, in one block", absent.sum()),
                        ("absent, in one block, let through by the filter",
                         filters[name].maybe_present(first[absent],  # type: ignore[union-attr]
                                                     queries[absent]).sum())):
            counts[f"{tag}: {what}"] += int(n)
        kept = set(first[present].tolist()) | set(last[present].tolist())
        only = set(first[absent].tolist()) - kept - held.get(name, set())
        counts[f"{tag}: blocks read only for absent keys"] += len(only)
        held[name] = kept | set(first[absent].tolist())
        exact.append((name, queries[~absent], max_df))
    for seg in segs.values():
        seg.close()
    print(f"{len(rows)} suspects; per suspect:")
    for what, n in counts.items():
        print(f"  {what:50s} {n / len(rows):8.1f}")

    def replay(plan: list[tuple[str, np.ndarray, int] | None], use: bool) -> tuple[float, list[Any]]:
        segs = {name: fresh(name, use) for name in paths}
        for seg in segs.values():
            seg.lookup(np.array([1], np.uint32), 1)  # the layout and filter, read once
        out = []
        start = time.process_time()
        for call in plan:
            if call is not None:
                out.append(segs[call[0]].lookup(call[1], call[2]))
        spent = time.process_time() - start
        for seg in segs.values():
            seg.close()
        return 1000 * spent / len(rows), out

    ms: dict[str, list[float]] = {"no filter": [], "key filter": [], "absent keys left out": []}
    for _ in range(args.repeats):
        plain, want = replay(calls, False)
        filtered, got = replay(calls, True)
        for a, b in zip(want, got, strict=True):
            assert all(x.dtype == y.dtype and np.array_equal(x, y) for x, y in zip(a, b, strict=True))
        ms["no filter"].append(plain)
        ms["key filter"].append(filtered)
        ms["absent keys left out"].append(replay(exact, False)[0])
    print("segment look-ups, CPU ms a suspect (min / median):")
    for what, values in ms.items():
        print(f"  {what:22s} {min(values):6.3f} / {float(np.median(values)):6.3f}")


if __name__ == "__main__":
    main()
