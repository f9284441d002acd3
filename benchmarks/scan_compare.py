"""CPU time of the scan's comparison stage alone, on a finished (or stopped) scan's own work files.

    PYTHONPATH=src .venv/bin/python benchmarks/scan_compare.py OUT --batches 12
    PYTHONPATH=OTHER/src .venv/bin/python benchmarks/scan_compare.py OUT --batches 12  # old code

Loads ``OUT/work/prep-*.pkl`` and ``OUT/work/candidates.npy`` (written by ``unspun scan``),
runs :func:`unspun.scan.stages.compare_batch` over the first ``--batches`` batches of 1,000
candidate pairs in one process, as a comparison worker does (one source cache across
batches), and prints the CPU seconds and a hash of the pickled pairs: two trees that give the
same hash compared every pair alike (the hash is of the pairs' ``repr``, which does
not depend on how a tree pickles them). ``--profile`` adds cProfile's top functions.
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

import numpy as np

from unspun.scan.config import ScanConfig
from unspun.scan.stages import SourceCache, compare_batch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a scan's output directory (with work/)")
    ap.add_argument("--batches", type=int, default=6)
    ap.add_argument("--batch", type=int, default=1000, help="candidate pairs per batch")
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    work = a.out / "work"
    docs = [d for p in sorted(work.glob("prep-*.pkl")) for d in pickle.loads(p.read_bytes())]
    cands = np.load(work / "candidates.npy")
    config, cache = ScanConfig(), SourceCache(10_000)
    # As a comparison worker runs: the collector paused, the documents frozen, and the young
    # objects collected after each batch (unspun.scan.run.paused_gc).
    gc.disable()
    gc.freeze()
    digest = hashlib.sha256()
    prof = cProfile.Profile() if a.profile else None
    start = time.process_time()
    if prof:
        prof.enable()
    pairs = 0
    for n in range(a.batches):
        rows = cands[n * a.batch : (n + 1) * a.batch]
        if not len(rows):
            break
        digest.update(repr(compare_batch(rows, docs, config=config, cache=cache)).encode())
        gc.collect(1)
        pairs += len(rows)
    if prof:
        prof.disable()
    print(f"{pairs} pairs {time.process_time() - start:.2f} CPU-s "
          f"digest {digest.hexdigest()[:16]}")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
