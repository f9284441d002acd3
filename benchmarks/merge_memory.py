"""Peak memory of merging segments: the streaming merge against the old in-memory one.

``make`` writes K segments of random postings (sorted keys, docnos as a real build numbers
them: one range per segment) in both formats: format-4 ``.seg`` files and format-3 ``.npy``
pairs. ``new`` merges the ``.seg`` files with :func:`unspun.index.merge.merge`; ``old`` merges
the ``.npy`` pairs with the format-3 ``merge`` of a baseline tree (run it with that tree's
``src`` on ``PYTHONPATH``). Each prints its CPU time and peak RSS; run each in a fresh process.

    .venv/bin/python benchmarks/merge_memory.py make --postings 40000000 --segments 20 --dir D
    PYTHONPATH=src .venv/bin/python benchmarks/merge_memory.py new --dir D
    PYTHONPATH=/tmp/base/src .venv/bin/python benchmarks/merge_memory.py old --dir D
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np


def make(directory: Path, postings: int, segments: int) -> None:
    from unspun.index.segments import write_segment
    rng = np.random.default_rng(14)
    directory.mkdir(parents=True, exist_ok=True)
    per = postings // segments
    for i in range(segments):
        keys = rng.integers(0, 2**32, per, dtype=np.uint64).astype(np.uint32)
        docs = (i * per // 163 + rng.integers(0, per // 163, per)).astype(np.uint32)
        order = np.lexsort((docs, keys))
        keys, docs = keys[order], docs[order]
        write_segment(directory, f"s{i:04d}", keys, docs)
        np.save(directory / f"s{i:04d}.keys.npy", keys)
        np.save(directory / f"s{i:04d}.docs.npy", docs)


def merge_new(directory: Path) -> int:
    from unspun.index.merge import merge
    from unspun.index.segments import Segment
    segs = [Segment(p, p.stem) for p in sorted(directory.glob("s*.seg"))]
    return merge(segs, directory, "merged", np.empty(0, np.uint32)).postings


def merge_old(directory: Path) -> int:
    from unspun.index.segments import Segment, merge  # a format-3 tree's module
    segs = [Segment.load(directory, p.name.split(".")[0])
            for p in sorted(directory.glob("s*.keys.npy"))]
    out = merge(segs, "mergedold", set())
    out.write(directory)
    return len(out.keys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["make", "new", "old"])
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--postings", type=int, default=40_000_000)
    ap.add_argument("--segments", type=int, default=20)
    args = ap.parse_args()
    if args.mode == "make":
        make(args.dir, args.postings, args.segments)
        return
    cpu, wall = time.process_time(), time.perf_counter()
    n = merge_new(args.dir) if args.mode == "new" else merge_old(args.dir)
    print(json.dumps({"mode": args.mode, "postings": n,
                      "cpu_s": round(time.process_time() - cpu, 2),
                      "wall_s": round(time.perf_counter() - wall, 2),
                      "peak_rss_mb": round(
                          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
