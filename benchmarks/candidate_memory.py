"""Peak memory and CPU of the scan's two candidate children, on a finished scan's prepared documents.

    PYTHONPATH=src .venv/bin/python benchmarks/candidate_memory.py \
        --work OUT/work --scratch /tmp/cands [--stage gram|sentence|both] [--json FILE]

Loads the ``prep-*.pkl`` files of ``--work`` into this process (as ``_scan_local`` holds the
prepared documents when the candidate stage starts), then runs the stage's children as the scan
does (``run._in_child``, forked, the cyclic collector paused and the documents frozen) with a
checkpoint directory in ``--scratch``: ``gram`` runs the gram tiers' child, ``sentence`` the
sentence tier's child (on ``--work``'s own ``gram-candidates.npy``, copied), ``both`` one after
the other. For each child it reports the largest RSS sampled every 0.05 s and the child's own
peak (``VmHWM``, which counts the pages it shares with this process), its CPU seconds, and
whether its array is byte-identical to the one in ``--work`` (null when that has none),
with its sha256. Run it with ``PYTHONPATH`` set to
another tree's ``src`` to measure that tree's code on the same documents.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import shutil
import threading
import time
from pathlib import Path


def _rss(pid: int) -> int:
    """Resident bytes of ``pid`` (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--scratch", type=Path, required=True)
    ap.add_argument("--stage", choices=("gram", "sentence", "both"), default="both")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    import unspun
    from unspun.scan import run
    from unspun.scan.checkpoint import Checkpoints
    from unspun.scan.config import ScanConfig

    if args.scratch.exists():
        shutil.rmtree(args.scratch)
    ck = Checkpoints(args.scratch)
    ck.dir.mkdir(parents=True)
    mb = 2**20
    out: dict[str, object] = {"src": str(Path(unspun.__file__).parents[1]),
                              "work": str(args.work)}
    with run.paused_gc():
        t0 = time.perf_counter()
        docs = [d for p in sorted(args.work.glob("prep-*.pkl"))
                for d in pickle.loads(p.read_bytes())]
        out["documents"] = len(docs)
        out["load_s"] = round(time.perf_counter() - t0, 1)
        out["main_rss_mb"] = round(_rss(os.getpid()) / mb)
        run._WORK.update(ck=ck, config=ScanConfig(), docs=docs)
        stages = {"gram": [("gram", run._save_gram_candidates, "gram-candidates.npy")],
                  "sentence": [("sentence", run._save_candidates, "candidates.npy")]}
        todo = stages["gram"] + stages["sentence"] if args.stage == "both" \
            else stages[args.stage]
        if args.stage == "sentence":
            shutil.copy(args.work / "gram-candidates.npy", ck.path("gram-candidates.npy"))
        for name, fn, array in todo:
            hwm = args.scratch / f"hwm-{name}"

            def child(fn=fn, hwm=hwm) -> None:  # type: ignore[no-untyped-def]
                fn()
                with open("/proc/self/status") as fh:
                    hwm.write_text("".join(x for x in fh if x.startswith("VmHWM:")))

            peak = [0]
            stop = threading.Event()

            def sample(peak=peak, stop=stop) -> None:  # type: ignore[no-untyped-def]
                while not stop.wait(0.05):
                    for c in _children(os.getpid()):
                        peak[0] = max(peak[0], _rss(c))

            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            t0 = time.perf_counter()
            run._in_child(child, f"candidate-memory: {name}")
            wall = time.perf_counter() - t0
            stop.set()
            sampler.join()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            stored = args.work / array
            same = ck.path(array).read_bytes() == stored.read_bytes() if stored.exists() \
                else None
            out[name] = {"sampled_peak_rss_mb": round(peak[0] / mb),
                         "vmhwm_mb": round(int(hwm.read_text().split()[1]) / 1024),
                         "cpu_s": round(cpu, 1), "wall_s": round(wall, 1),
                         "identical": same, "sha256": _digest(ck.path(array))}
            print(name, out[name], flush=True)
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
