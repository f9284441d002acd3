"""CPU of a scan's last stages (relate, then write every output) on a finished scan's work
files, for two source trees in one run, alternating.

    python benchmarks/scan_relate.py SCAN OUTDIR --tree main=BASE/src --tree new=src \
        [--repeats 3]

Each run is a fresh process (``PYTHONPATH=TREE``) that loads the prepared documents and the
pairs ``SCAN/work/state.json`` names (not timed: the scan holds them when its workers are
done), then runs :func:`unspun.scan.run.finish` into ``OUTDIR/<tree>-<repeat>``, whose
``work`` links to ``SCAN/work`` (read only). It reports the CPU seconds of ``relate`` and of
``write_outputs`` (``process_time``), the peak resident size of the process, and whether the
outputs match the first tree's byte for byte. Medians per tree, and their ratio, at the end.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

OUTPUTS = ("clusters", "lineage", "sites", "documents", "pairs")
FILES = [f"{t}.{x}" for t in OUTPUTS for x in ("jsonl", "parquet")] + [
    "graph.gexf", "graph.graphml", "report.html"]

_CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from unspun.scan import outputs, run
from unspun.scan.checkpoint import Checkpoints
scan, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True)
os.symlink(scan.resolve() / "work", out / "work")
ck = Checkpoints(out)
state = ck.state()
inp = run.ScanInputs(paths=state["identity"]["paths"], out=out, show_progress=False)
cpu = {}
def timed(name, fn):
    def wrapper(*a, **k):
        t = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            cpu[name] = round(time.process_time() - t, 3)
    return wrapper
run.relate = timed("relate", run.relate)
outputs.write_outputs = timed("write", outputs.write_outputs)
with run.paused_gc():
    t = time.process_time()
    docs = [d for name in state["docs"] for d in ck.load(name)]
    pairs = [p for name in state["pairs"] for p in ck.load(name)]
    cpu["load"] = round(time.process_time() - t, 3)
    t = time.process_time()
    run.finish(inp, docs, pairs, total=state["documents"], skipped=state["skipped"],
               candidates=len(ck.load_array(state["candidates"])), engine="local")
    cpu["finish"] = round(time.process_time() - t, 3)
cpu["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(cpu))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scan", type=Path, help="a finished scan's output directory")
    ap.add_argument("outdir", type=Path, help="where each run writes its outputs")
    ap.add_argument("--tree", action="append", required=True, help="NAME=PATH of a src dir")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--python", default=sys.executable)
    a = ap.parse_args()
    trees = dict(t.split("=", 1) for t in a.tree)
    shutil.rmtree(a.outdir, ignore_errors=True)
    a.outdir.mkdir(parents=True)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    first: Path | None = None
    for rep in range(a.repeats):
        order = list(trees.items()) if rep % 2 == 0 else list(trees.items())[::-1]
        for name, src in order:
            out = a.outdir / f"{name}-{rep}"
            env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
            got = subprocess.run([a.python, "-c", _CHILD, str(a.scan), str(out)], env=env,
                                 check=True, capture_output=True, text=True)
            row = json.loads(got.stdout.strip().splitlines()[-1])
            if first is None:
                first = out
            same = all(filecmp.cmp(first / f, out / f, shallow=False) for f in FILES)
            row["identical"] = same
            runs[name].append(row)
            print(json.dumps({"tree": name, "repeat": rep, **row}), flush=True)
            if rep > 0:
                shutil.rmtree(out)
    med = {name: {k: statistics.median(r[k] for r in rows)
                  for k in ("load", "relate", "write", "finish", "peak_rss_mb")}
           for name, rows in runs.items()}
    names = list(trees)
    print(json.dumps({"medians": med, "ratio_finish": {
        n: round(med[n]["finish"] / med[names[0]]["finish"], 3) for n in names}}))


if __name__ == "__main__":
    main()
