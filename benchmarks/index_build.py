"""Time index builds on the synthetic corpus: articles/s on one core, postings and disk per article.

Two modes, both in one process (one core):

* ``add``: generate the articles first, then time ``add_documents`` as a user calls it.
* ``staged``: the same loop as ``add_documents`` (``prepare`` each article, ``commit_batch``
  every ``--batch``), timing generation, prepare (clean + split + fingerprint) and commit
  separately; it can copy the index aside at ``--snapshots`` sizes and stop at ``--deadline``
  seconds (after a whole batch), so one long run also yields the smaller indexes.

Rates are given per wall-clock second and per CPU second of the process (``process_time``);
on a shared machine the second is the fair "per core" figure. After the build the index is compacted with ``compact(force=True)`` (timed) and ``stats()``
is recorded. Results go to ``--out`` as JSON; progress goes to stderr.

    .venv/bin/python benchmarks/index_build.py --mode add -n 10000 --index /tmp/ix --out r.json
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import corpus, load_pool  # noqa: E402

from unspun.index import AddStats, Index, add_documents, prepare  # noqa: E402


def _finish(index: Index, result: dict[str, Any]) -> dict[str, Any]:
    t = time.perf_counter()
    index.compact(force=True)
    result["compact_s"] = round(time.perf_counter() - t, 2)
    stats = index.stats()
    docs = stats["documents"]
    result.update(
        documents=docs,
        postings=stats["postings"],
        postings_per_article=round(stats["postings"] / docs, 1),
        postings_bytes_per_article=stats["postings_bytes_per_document"],
        disk_bytes_per_article=round(stats["bytes_on_disk"] / docs, 1),
        bytes_on_disk=stats["bytes_on_disk"],
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    return result


def build_add(n: int, path: Path, batch: int) -> dict[str, Any]:
    """Generate ``n`` articles, then time one ``add_documents`` call over them."""
    docs = list(corpus(n, load_pool()))
    with Index.create(path) as index:
        c = time.process_time()
        t = time.perf_counter()
        stats = add_documents(index, docs, batch_size=batch)
        wall = time.perf_counter() - t
        cpu = time.process_time() - c
        result = {"mode": "add", "n": n, "added": stats.added, "add_s": round(wall, 2),
                  "add_cpu_s": round(cpu, 2), "articles_per_s": round(stats.added / wall, 1),
                  "articles_per_cpu_s": round(stats.added / cpu, 1)}
        return _finish(index, result)


def _snapshot(index: Index, path: Path, size: int, timing: dict[str, float]) -> None:
    dest = path.with_name(f"{path.name}-{size}")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(path, dest, ignore=shutil.ignore_patterns("LOCK"))
    (dest / "build.json").write_text(json.dumps({"documents": size, **timing}, indent=2))


def build_staged(n: int, path: Path, batch: int, snapshots: set[int],
                 deadline: float | None) -> dict[str, Any]:
    """The ``add_documents`` loop with each stage timed; see the module docstring."""
    pool = load_pool()
    stats = AddStats()
    gen_s = prep_s = commit_s = prep_cpu = commit_cpu = 0.0
    start = time.perf_counter()
    with Index.create(path) as index:
        items = []
        docs = corpus(n, pool)
        while True:
            t0 = time.perf_counter()
            doc = next(docs, None)
            t1 = time.perf_counter()
            gen_s += t1 - t0
            if doc is not None:
                c1 = time.process_time()
                item = prepare(doc, index.config)
                prep_cpu += time.process_time() - c1
                prep_s += time.perf_counter() - t1
                if item is not None:
                    items.append(item)
            if items and (len(items) >= batch or doc is None):
                t2, c2 = time.perf_counter(), time.process_time()
                index.commit_batch(items, stats)
                commit_s += time.perf_counter() - t2
                commit_cpu += time.process_time() - c2
                items = []
                timing = {"gen_s": gen_s, "prepare_s": prep_s, "commit_s": commit_s,
                          "prepare_cpu_s": prep_cpu, "commit_cpu_s": commit_cpu,
                          "wall_s": time.perf_counter() - start}
                rate = stats.added / (prep_s + commit_s)
                cpu_rate = stats.added / (prep_cpu + commit_cpu)
                print(f"{stats.added} docs  {timing['wall_s']:.0f}s  {rate:.1f}/s wall  "
                      f"{cpu_rate:.1f}/cpu-s  (prepare {stats.added / prep_cpu:.1f}/cpu-s, "
                      f"commit {stats.added / commit_cpu:.0f}/cpu-s)", file=sys.stderr, flush=True)
                if stats.added in snapshots:
                    _snapshot(index, path, stats.added, timing)
                if deadline is not None and timing["wall_s"] > deadline:
                    break
            if doc is None:
                break
        t3, c3 = time.perf_counter(), time.process_time()
        index.compact()  # as add_documents ends
        commit_s += time.perf_counter() - t3
        commit_cpu += time.process_time() - c3
        built = prep_s + commit_s
        result = {
            "mode": "staged", "n": n, "added": stats.added, "stopped_early": stats.added < n,
            "generate_s": round(gen_s, 2), "prepare_s": round(prep_s, 2),
            "commit_s": round(commit_s, 2),
            "articles_per_s": round(stats.added / built, 1),
            "prepare_articles_per_s": round(stats.added / prep_s, 1),
            "commit_articles_per_s": round(stats.added / commit_s, 1),
            "prepare_cpu_s": round(prep_cpu, 2), "commit_cpu_s": round(commit_cpu, 2),
            "articles_per_cpu_s": round(stats.added / (prep_cpu + commit_cpu), 1),
            "prepare_articles_per_cpu_s": round(stats.added / prep_cpu, 1),
            "commit_articles_per_cpu_s": round(stats.added / commit_cpu, 1),
        }
        return _finish(index, result)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--mode", choices=["add", "staged"], default="add")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--snapshots", default="", help="comma-separated sizes to copy aside")
    ap.add_argument("--deadline", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    shutil.rmtree(args.index, ignore_errors=True)
    if args.mode == "add":
        result = build_add(args.n, args.index, args.batch)
    else:
        sizes = {int(s) for s in args.snapshots.split(",") if s}
        result = build_staged(args.n, args.index, args.batch, sizes, args.deadline)
    result["index"] = str(args.index)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
