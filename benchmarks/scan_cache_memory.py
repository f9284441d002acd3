"""Memory of a comparison worker's source cache, by replaying its batches' sources (no aligning).

    PYTHONPATH=src .venv/bin/python benchmarks/scan_cache_memory.py OUT --cache 40000 --batches 130
    PYTHONPATH=src .venv/bin/python benchmarks/scan_cache_memory.py OUT --cache 18000 --keep

Loads ``OUT/work/prep-*.pkl`` into a :class:`unspun.scan.run.PickledDocs` store, as a large
scan's parent does, then meets the documents of one worker's batches (0, 2, 4, ...) as
``compare_batch`` does: each suspect and source read from an ``Unpickled`` store of
``WORKER_DOCS``, each source built in a ``SourceCache`` with its quotes and grams, and let go
of its document after its pair (``--keep``: not, as before 2026-12-05). Prints the sources
kept, the builds, and the process's RSS growth over the store.
"""

from __future__ import annotations

import argparse
import gc
import pickle
from pathlib import Path

import numpy as np

from unspun.scan.config import ScanConfig
from unspun.scan.run import WORKER_DOCS, PickledDocs, Unpickled
from unspun.scan.stages import SourceCache


def _rss_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a scan's output directory (with work/)")
    ap.add_argument("--cache", type=int, default=40_000, help="sources in the cache")
    ap.add_argument("--batches", type=int, default=130, help="the worker's batches met")
    ap.add_argument("--batch", type=int, default=1000, help="candidate pairs per batch")
    ap.add_argument("--keep", action="store_true", help="sources keep their documents")
    a = ap.parse_args()
    work = a.out / "work"
    store = PickledDocs(d for p in sorted(work.glob("prep-*.pkl"))
                        for d in pickle.loads(p.read_bytes()))
    cands = np.load(work / "candidates.npy")
    gc.collect()
    start = _rss_mb()
    docs, cache, config = Unpickled(store, WORKER_DOCS), SourceCache(a.cache), ScanConfig()
    for n in range(0, 2 * a.batches, 2):
        for x, y in cands[n * a.batch : (n + 1) * a.batch].tolist():
            docs[x]  # noqa: B018 - the suspect, read as compare_batch reads it
            known = cache.get(y, docs[y], config.align)
            known.quotes(), known.grams(), known.chars()
            if not a.keep:
                cache.release(known)
    gc.collect()
    print(f"cache {a.cache} ({'documents kept' if a.keep else 'documents let go'}): "
          f"{len(cache._items)} sources, {cache.builds} builds, "
          f"RSS +{_rss_mb() - start} MB over the store")


if __name__ == "__main__":
    main()
