"""Peak memory of the scan's end stage alone, on a finished scan's own work files.

    PYTHONPATH=src .venv/bin/python benchmarks/scan_end_memory.py SCAN OUT [--no-parquet]
    PYTHONPATH=OTHER/src .venv/bin/python benchmarks/scan_end_memory.py SCAN OUT2  # old code

Loads the prepared documents and the pairs that ``SCAN/work/state.json`` names, as the
scan's main process holds them once its workers are gone, and runs
:func:`unspun.scan.run.finish` into ``OUT`` (``OUT/work`` links to ``SCAN/work``; the
outputs can then be compared with ``cmp``). Prints this process's resident size after each
step and the peak (sampled every 0.05 s, and ``ru_maxrss``), in MB, and the CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import threading
import time
from pathlib import Path

from unspun.scan import run
from unspun.scan.checkpoint import Checkpoints


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scan", type=Path, help="a finished scan's output directory")
    ap.add_argument("out", type=Path, help="where to write the outputs again")
    ap.add_argument("--no-parquet", action="store_true")
    a = ap.parse_args()
    shutil.rmtree(a.out, ignore_errors=True)
    a.out.mkdir(parents=True)
    os.symlink(a.scan.resolve() / "work", a.out / "work")
    ck = Checkpoints(a.out)
    state = ck.state()
    assert state is not None, "no finished scan there"
    inp = run.ScanInputs(paths=state["identity"]["paths"], out=a.out,
                         parquet=not a.no_parquet, show_progress=False)
    peak, stop = [0.0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()
    steps: dict[str, int] = {}
    start = time.process_time()
    with run.paused_gc():
        docs = [d for name in state["docs"] for d in ck.load(name)]
        steps["documents"] = round(_rss_mb())
        pairs = [p for name in state["pairs"] for p in ck.load(name)]
        steps["pairs"] = round(_rss_mb())
        done = run.finish(inp, docs, pairs, total=state["documents"], skipped=state["skipped"],
                          candidates=len(ck.load_array(state["candidates"])), engine="local")
    cpu = time.process_time() - start
    stop.set()
    print(json.dumps({"pairs": done.pairs, "rss_mb_after": steps,
                      "peak_rss_mb": round(max(peak[0], resource.getrusage(
                          resource.RUSAGE_SELF).ru_maxrss / 1024)),
                      "cpu_s": round(cpu, 1)}))


if __name__ == "__main__":
    main()
