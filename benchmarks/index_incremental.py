"""Add 1% more articles to a copy of a built index: time, and how much of the postings is rewritten.

The index must hold synthetic articles ``0 .. n-1`` (``index_build.py``); this copies it,
adds articles ``n .. n + n/100 - 1`` with ``add_documents`` (as ``unspun index add`` does),
and reports the CPU time, peak RSS, and the bytes of segment files written by the add against
all segment bytes afterwards; ``--repeat R`` does R such adds one after another (a format-3
index rewrote everything once it held more than 8 segments). Run it with either tree first on
``PYTHONPATH``.

    PYTHONPATH=src .venv/bin/python benchmarks/index_incremental.py --index IX -n 100000 \\
        --out r.json
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import corpus, load_pool  # noqa: E402

from unspun.index import Index, add_documents  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("-n", type=int, required=True, help="articles already in the index")
    ap.add_argument("--percent", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=1, help="successive adds of --percent each")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    extra = int(args.n * args.percent / 100)
    pool = load_pool()
    adds = []
    with tempfile.TemporaryDirectory(prefix="unspun-incr-", dir=args.index.parent) as tmp:
        copy = Path(tmp) / "ix"
        shutil.copytree(args.index, copy, ignore=shutil.ignore_patterns("LOCK"))
        for r in range(args.repeat):
            docs = list(corpus(extra, pool, start=args.n + r * extra))
            before = {p.name for p in (copy / "seg").iterdir()}
            cpu, wall = time.process_time(), time.perf_counter()
            with Index.create(copy) as index:
                stats = add_documents(index, docs)
                total = len(index)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            files = list((copy / "seg").iterdir())
            written = sum(p.stat().st_size for p in files if p.name not in before)
            all_bytes = sum(p.stat().st_size for p in files)
            adds.append({"added": stats.added, "documents": total, "cpu_s": round(cpu, 2),
                         "wall_s": round(wall, 2), "segment_bytes_written": written,
                         "segment_bytes_total": all_bytes, "segments": len(files),
                         "rewritten_share": round(written / all_bytes, 4)})
    result = {"index": str(args.index), "before": args.n, "adds": adds,
              "max_rewritten_share": max(a["rewritten_share"] for a in adds),
              "cpu_s_total": round(sum(a["cpu_s"] for a in adds), 2),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
