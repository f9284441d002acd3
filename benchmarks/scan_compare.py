"""CPU time of the scan's comparison stage alone, on a finished (or stopped) scan's own work files.

    PYTHONPATH=src .venv/bin/python benchmarks/scan_compare.py OUT --batches 12
    PYTHONPATH=OTHER/src .venv/bin/python benchmarks/scan_compare.py OUT --batches 12  # old code

Loads ``OUT/work/prep-*.pkl`` and ``OUT/work/candidates.npy`` (written by ``unspun scan``),
runs :func:`unspun.scan.stages.compare_batch` over the first ``--batches`` batches of 1,000
candidate pairs in one process, as a comparison worker does (one source cache across
batches), and prints the CPU seconds and a hash of the pickled pairs: two trees that give the
same hash compared every pair alike (the hash is of the pairs' ``repr``, which does
not depend on how a tree pickles them). ``--profile`` adds cProfile's top functions.

A slice from the middle of a large scan, as one of two workers meets it (``--every 2``: every
other batch), its source cache first filled with the sources of that worker's earlier batches
(``--start`` 120 of planted 100k: batches 0, 2, ..., 118), and the builds it then made::

    PYTHONPATH=src .venv/bin/python benchmarks/scan_compare.py OUT --start 120 --batches 8 \
        --every 2 --cache 18000

``--pickled`` reads the documents as a large scan's aligning worker does (a corpus of more than
``LARGE_CORPUS`` documents): unpickled from one :class:`unspun.scan.run.PickledDocs` buffer as
met, the latest ``WORKER_DOCS`` kept (:class:`unspun.scan.run.Unpickled`).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import pickle
import pstats
import time
from pathlib import Path
from typing import Any

import numpy as np

from unspun.scan.config import ScanConfig
from unspun.scan.stages import SourceCache, compare_batch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a scan's output directory (with work/)")
    ap.add_argument("--batches", type=int, default=6)
    ap.add_argument("--batch", type=int, default=1000, help="candidate pairs per batch")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--start", type=int, default=0, help="the first batch compared")
    ap.add_argument("--every", type=int, default=1, help="compare every Nth batch from --start")
    ap.add_argument("--cache", type=int, default=10_000, help="sources in the cache")
    ap.add_argument("--pickled", action="store_true",
                    help="documents unpickled as met, as a large scan's worker reads them")
    a = ap.parse_args()
    work = a.out / "work"
    docs: Any = [d for p in sorted(work.glob("prep-*.pkl")) for d in pickle.loads(p.read_bytes())]
    if a.pickled:
        from unspun.scan.run import WORKER_DOCS, PickledDocs, Unpickled

        docs = Unpickled(PickledDocs(docs), WORKER_DOCS)
    cands = np.load(work / "candidates.npy")
    config, cache = ScanConfig(), SourceCache(a.cache)
    # As a comparison worker runs: the collector paused, the documents frozen, and the young
    # objects collected after each batch (unspun.scan.run.paused_gc).
    gc.disable()
    gc.freeze()
    for n in range(a.start % a.every, a.start, a.every):  # this worker's earlier sources
        for x, b in cands[n * a.batch : (n + 1) * a.batch].tolist():
            if a.pickled:
                docs[x]  # noqa: B018 - the suspect, read as the worker reads it
            known = cache.get(b, docs[b], config.align)
            if hasattr(cache, "release"):  # an older tree's sources keep their documents
                cache.release(known)
    gc.collect(1)
    cache.builds = 0  # counted by this tree's SourceCache (an older one leaves it at 0)
    digest = hashlib.sha256()
    prof = cProfile.Profile() if a.profile else None
    start = time.process_time()
    if prof:
        prof.enable()
    pairs = 0
    for n in range(a.start, a.start + a.batches * a.every, a.every):
        rows = cands[n * a.batch : (n + 1) * a.batch]
        if not len(rows):
            break
        digest.update(repr(compare_batch(rows, docs, config=config, cache=cache)).encode())
        gc.collect(1)
        pairs += len(rows)
    if prof:
        prof.disable()
    built = cache.builds
    print(f"{pairs} pairs {time.process_time() - start:.2f} CPU-s "
          f"{built / max(1, pairs):.3f} source builds a pair digest {digest.hexdigest()[:16]}")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
