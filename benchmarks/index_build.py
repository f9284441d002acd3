"""Time index builds on the synthetic corpus: articles/s on one core, postings and disk per article.

Two modes, both in one process (one core):

* ``add``: generate the articles first, then time ``add_documents`` as a user calls it.
* ``staged``: one ``add_documents`` call fed by the generator as it runs, with generation,
  each ``commit_batch`` and each tier merge (``Index.compact`` inside ``add_documents``)
  timed apart (prepare = clean + split + fingerprint is the rest);
  it can copy the index aside at ``--snapshots`` sizes and stop at ``--deadline`` seconds
  (after a whole batch), so one long run also yields the smaller indexes. ``--jsonl`` reads
  articles written by ``synth.py`` instead of generating them (reading is timed apart too).

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import corpus, load_pool  # noqa: E402

from unspun.data import Document  # noqa: E402
from unspun.index import AddStats, Index, Prepared, add_documents  # noqa: E402


def _finish(index: Index, result: dict[str, Any]) -> dict[str, Any]:
    t, c = time.perf_counter(), time.process_time()
    index.compact(force=True)
    result["compact_s"] = round(time.perf_counter() - t, 2)
    result["compact_cpu_s"] = round(time.process_time() - c, 2)
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


class _Deadline(Exception):
    """Raised after a committed batch once ``--deadline`` has passed."""


def _read_jsonl(path: Path, n: int) -> Iterator[Document]:
    """The first ``n`` articles of a file written by ``synth.py`` (read, not generated)."""
    with open(path, encoding="utf-8") as fh:
        for _, line in zip(range(n), fh, strict=False):
            o = json.loads(line)
            yield Document(id=o["id"], text=o["text"], title=o["title"], site=o["site"],
                           date=o["date"])


def build_staged(n: int, path: Path, batch: int, snapshots: set[int],
                 deadline: float | None, jsonl: Path | None = None) -> dict[str, Any]:
    """One ``add_documents`` call with generation and commits timed apart; see the docstring."""
    pool = load_pool() if jsonl is None else None
    stats = AddStats()  # add_documents' own counts, seen at each commit
    # Generating articles and copying snapshots aside are not build time.
    # Commits and tier merges are build time, timed apart from prepare.
    clock = {"gen_s": 0.0, "gen_cpu": 0.0, "snap_s": 0.0, "snap_cpu": 0.0, "commit_s": 0.0,
             "commit_cpu": 0.0, "merge_s": 0.0, "merge_cpu": 0.0}
    start, start_cpu = time.perf_counter(), time.process_time()

    def generated() -> Iterator[Document]:
        docs = corpus(n, pool) if pool is not None else _read_jsonl(jsonl, n)  # type: ignore[arg-type]
        while True:
            t, c = time.perf_counter(), time.process_time()
            doc = next(docs, None)
            clock["gen_s"] += time.perf_counter() - t
            clock["gen_cpu"] += time.process_time() - c
            if doc is None:
                return
            yield doc

    def timing() -> dict[str, float]:
        wall = time.perf_counter() - start - clock["gen_s"] - clock["snap_s"]
        cpu = time.process_time() - start_cpu - clock["gen_cpu"] - clock["snap_cpu"]
        return {"generate_s": clock["gen_s"], "snapshot_s": clock["snap_s"],
                "prepare_s": wall - clock["commit_s"] - clock["merge_s"],
                "commit_s": clock["commit_s"], "merge_s": clock["merge_s"],
                "prepare_cpu_s": cpu - clock["commit_cpu"] - clock["merge_cpu"],
                "commit_cpu_s": clock["commit_cpu"], "merge_cpu_s": clock["merge_cpu"],
                "build_s": wall, "build_cpu_s": cpu}

    with Index.create(path) as index:
        commit, compact = index.commit_batch, index.compact

        def timed_compact(*, force: bool = False) -> bool:
            t, c = time.perf_counter(), time.process_time()
            try:
                return compact(force=force)
            finally:
                clock["merge_s"] += time.perf_counter() - t
                clock["merge_cpu"] += time.process_time() - c

        def timed_commit(items: list[Prepared], counts: AddStats) -> None:
            nonlocal stats
            stats = counts
            t, c = time.perf_counter(), time.process_time()
            commit(items, counts)
            clock["commit_s"] += time.perf_counter() - t
            clock["commit_cpu"] += time.process_time() - c
            now = timing()
            print(f"{counts.added} docs  {time.perf_counter() - start:.0f}s  "
                  f"{counts.added / now['build_cpu_s']:.1f} articles/cpu-s  (prepare "
                  f"{counts.added / now['prepare_cpu_s']:.1f}/cpu-s, commit "
                  f"{counts.added / now['commit_cpu_s']:.0f}/cpu-s, merges "
                  f"{now['merge_cpu_s']:.1f} cpu-s)", file=sys.stderr, flush=True)
            if counts.added in snapshots:
                t, c = time.perf_counter(), time.process_time()
                _snapshot(index, path, counts.added, now)
                clock["snap_s"] += time.perf_counter() - t
                clock["snap_cpu"] += time.process_time() - c
            if deadline is not None and time.perf_counter() - start > deadline:
                raise _Deadline

        index.commit_batch = timed_commit  # type: ignore[method-assign,assignment]
        index.compact = timed_compact  # type: ignore[method-assign]
        try:
            add_documents(index, generated(), batch_size=batch)
            stopped = False
        except _Deadline:
            stopped = True
        timed_compact()  # add_documents ends with it; an early stop skipped it
        now = timing()
        added = stats.added
        result = {
            "mode": "staged", "n": n, "added": added, "stopped_early": stopped,
            **{k: round(v, 2) for k, v in now.items()},
            "articles_per_s": round(added / now["build_s"], 1),
            "articles_per_cpu_s": round(added / now["build_cpu_s"], 1),
            "prepare_articles_per_cpu_s": round(added / now["prepare_cpu_s"], 1),
            "commit_articles_per_cpu_s": round(added / now["commit_cpu_s"], 1),
        }
        del index.compact  # the final compact(force=True) is timed by _finish
        return _finish(index, result)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--mode", choices=["add", "staged"], default="add")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--snapshots", default="", help="comma-separated sizes to copy aside")
    ap.add_argument("--deadline", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--jsonl", type=Path, default=None,
                    help="staged: read the articles from this synth.py output instead")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    shutil.rmtree(args.index, ignore_errors=True)
    if args.mode == "add":
        result = build_add(args.n, args.index, args.batch)
    else:
        sizes = {int(s) for s in args.snapshots.split(",") if s}
        result = build_staged(args.n, args.index, args.batch, sizes, args.deadline, args.jsonl)
    result["index"] = str(args.index)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
