"""Memory of the scan's aligning stage, by resuming a finished scan with some pair batches gone.

    .venv/bin/python benchmarks/scan_align_memory.py SCAN OUT --drop 100 [--src OTHER/src]

Links ``SCAN/work``'s batch files into ``OUT/work`` (without ``state.json`` and without the
first ``--drop`` pair batches), runs ``unspun scan --resume`` of ``--src`` in a fresh process
(so it aligns only those batches, then relates and writes everything) and samples its
process tree every 0.2 s (``scan_bench._tree_memory``): the largest sums of RSS and of PSS
while workers run (the aligning stage) and the main process's largest RSS alone (the end
stage), in MB. The outputs in ``OUT`` can then be compared with ``cmp``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from scan_bench import _tree_memory

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scan", type=Path, help="a finished scan's output directory")
    ap.add_argument("out", type=Path)
    ap.add_argument("--drop", type=int, default=100, help="pair batches to align again")
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    a = ap.parse_args()
    work = a.scan.resolve() / "work"
    shutil.rmtree(a.out, ignore_errors=True)
    (a.out / "work").mkdir(parents=True)
    for f in work.iterdir():
        if f.name == "state.json" or (f.name.startswith("pairs-")
                                      and int(f.name[6:11]) < a.drop):
            continue
        if f.suffix in (".pkl", ".npy"):
            os.symlink(f, a.out / "work" / f.name)
        else:
            shutil.copy(f, a.out / "work" / f.name)
    paths = json.loads((work / "run.json").read_text())["paths"]
    env = {**os.environ, "PYTHONPATH": str(a.src)}
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "unspun", "scan", *paths, "--out",
                             str(a.out), "--resume"], env=env, stdout=subprocess.DEVNULL)
    mb = 2**20
    align_rss = align_pss = main_rss = 0
    while proc.poll() is None:
        per: dict[int, int] = {}
        rss, pss = _tree_memory(proc.pid, per)
        if len(per) > 1:
            align_rss, align_pss = max(align_rss, rss), max(align_pss, pss)
        else:
            main_rss = max(main_rss, rss)
        time.sleep(0.2)
    print(json.dumps({"exit": proc.returncode, "wall_s": round(time.time() - start),
                      "aligning_rss_sum_mb": align_rss // mb,
                      "aligning_pss_sum_mb": align_pss // mb, "main_alone_rss_mb": main_rss // mb}))


if __name__ == "__main__":
    main()
