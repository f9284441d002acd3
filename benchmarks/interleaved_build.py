"""Build throughput of this tree against a baseline tree in ONE process, batch by batch.

On a shared machine the CPU time of the same work moves by 10-20 % within minutes (other
jobs, and their hyperthreads on the same cores), so two builds run one after the other are
not measured under the same conditions. Here one process builds two indexes of the same
articles, one with each tree's code, alternating whole batches (baseline, current,
baseline, ...), so both see the same load. The baseline tree's package is imported under
another name: pass a copy of its ``src/unspun`` made with ``--make-baseline``::

    .venv/bin/python benchmarks/interleaved_build.py --make-baseline /work/base/src \\
        --pkg /tmp/basepkg
    PYTHONPATH=/tmp/basepkg:src .venv/bin/python benchmarks/interleaved_build.py \\
        --pkg /tmp/basepkg -n 100000 --jsonl synth-1m.jsonl --dir /tmp/ab --out ab.json

Per tree: CPU seconds of prepare (clean, split, fingerprint), commit and tier merges, and
articles per CPU-second over the whole build (the same definition as ``index_build.py
--mode staged``); with ``--compact`` also the final ``compact(force=True)`` of each index,
timed apart, and the rate counting it (as ``index_build.py`` reports it). Reading the file and making the ``Document`` objects are not counted.
The two trees take turns going first in each batch pair.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import re
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

_BASE = "unspun_base"


def make_baseline(src: Path, pkg: Path) -> None:
    """Copy ``src/unspun`` to ``pkg/unspun_base`` with its own imports renamed."""
    dest = pkg / _BASE
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src / "unspun", dest)
    for file in dest.rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"\bfrom unspun\.", f"from {_BASE}.", text)
        text = re.sub(r"\bfrom unspun import", f"from {_BASE} import", text)
        text = re.sub(r"^import unspun\.", f"import {_BASE}.", text, flags=re.MULTILINE)
        text = text.replace('files("unspun.', f'files("{_BASE}.')
        file.write_text(text, encoding="utf-8")


class _Side:
    """One tree's index, fed a batch at a time, with its CPU time split like staged builds."""

    def __init__(self, name: str, package: str, path: Path, batch: int) -> None:
        self.name = name
        self.index_mod: ModuleType = importlib.import_module(f"{package}.index")
        self.data_mod: ModuleType = importlib.import_module(f"{package}.data")
        shutil.rmtree(path, ignore_errors=True)
        self.index = self.index_mod.Index.create(path)
        self.batch = batch
        self.cpu = {"build": 0.0, "commit": 0.0, "merge": 0.0}
        self.added = 0
        commit, compact = self.index.commit_batch, self.index.compact

        def timed_commit(items: list[Any], counts: Any) -> None:
            c = time.process_time()
            commit(items, counts)
            self.cpu["commit"] += time.process_time() - c

        def timed_compact(*, force: bool = False) -> bool:
            c = time.process_time()
            try:
                return bool(compact(force=force))
            finally:
                self.cpu["merge"] += time.process_time() - c

        self.index.commit_batch = timed_commit
        self.index.compact = timed_compact

    def add(self, records: list[dict[str, Any]]) -> None:
        doc = self.data_mod.Document
        docs = [doc(id=o["id"], text=o["text"], title=o["title"], site=o["site"],
                    date=o["date"]) for o in records]
        c = time.process_time()
        stats = self.index_mod.add_documents(self.index, docs, batch_size=self.batch)
        self.cpu["build"] += time.process_time() - c
        self.added += stats.added

    def compact(self) -> None:
        """The final ``compact(force=True)`` (all segments into one), timed apart."""
        merged = self.cpu["merge"]
        self.index.compact(force=True)
        self.cpu["compact"] = self.cpu["merge"] - merged
        self.cpu["merge"] = merged

    def result(self) -> dict[str, float]:
        build = self.cpu["build"]
        prepare = build - self.cpu["commit"] - self.cpu["merge"]
        self.index.close()
        out = {"added": self.added, "build_cpu_s": round(build, 2),
               "prepare_cpu_s": round(prepare, 2), "commit_cpu_s": round(self.cpu["commit"], 2),
               "merge_cpu_s": round(self.cpu["merge"], 2),
               "articles_per_cpu_s": round(self.added / build, 1),
               "prepare_articles_per_cpu_s": round(self.added / prepare, 1)}
        if "compact" in self.cpu:
            out["compact_cpu_s"] = round(self.cpu["compact"], 2)
            out["with_compact_articles_per_cpu_s"] = round(
                self.added / (build + self.cpu["compact"]), 1)
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--make-baseline", type=Path, help="a baseline tree's src/ to copy")
    ap.add_argument("--pkg", type=Path, required=True, help="where unspun_base lives")
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--jsonl", type=Path, help="articles written by synth.py")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--dir", type=Path, help="scratch directory for the two indexes")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compact", action="store_true",
                    help="end each index with compact(force=True), timed apart (trees alternating)")
    args = ap.parse_args()
    if args.make_baseline is not None:
        make_baseline(args.make_baseline, args.pkg)
        return
    if args.jsonl is None or args.dir is None or args.out is None:
        ap.error("--jsonl, --dir and --out are needed to compare")
    sys.path.insert(0, str(args.pkg))
    sides = [_Side("baseline", _BASE, args.dir / "baseline", args.batch),
             _Side("current", "unspun", args.dir / "current", args.batch)]
    # Both packages' modules stay out of every collection: a full collection here would scan
    # twice the objects it scans in a one-tree process (this favours a tree that collects
    # everything, such as main's code: a conservative ratio).
    gc.freeze()
    with open(args.jsonl, encoding="utf-8") as fh:
        done = 0
        while done < args.n:
            records = [json.loads(line) for _, line in
                       zip(range(min(args.batch, args.n - done)), fh, strict=False)]
            if not records:
                break
            for side in sides if (done // args.batch) % 2 == 0 else sides[::-1]:
                side.add(records)
            done += len(records)
            rates = "  ".join(f"{s.name} {s.added / s.cpu['build']:.1f}" for s in sides)
            print(f"{done} articles  {rates} articles/CPU-s", file=sys.stderr, flush=True)
    if args.compact:
        for side in sides if (done // args.batch) % 2 == 0 else sides[::-1]:
            side.compact()
    result: dict[str, Any] = {"n": done, "batch": args.batch}
    for side in sides:
        result[side.name] = side.result()
    result["ratio"] = round(result["current"]["articles_per_cpu_s"]
                            / result["baseline"]["articles_per_cpu_s"], 3)
    if args.compact:
        result["with_compact_ratio"] = round(
            result["current"]["with_compact_articles_per_cpu_s"]
            / result["baseline"]["with_compact_articles_per_cpu_s"], 3)
    result["prepare_ratio"] = round(result["current"]["prepare_articles_per_cpu_s"]
                                    / result["baseline"]["prepare_articles_per_cpu_s"], 3)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
