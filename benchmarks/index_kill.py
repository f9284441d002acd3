"""Crash safety: SIGKILL `index add` at random moments, merges included, and check what is left.

Two kinds of kill, alternated:

- ``timed``: ``unspun index add`` as a real process, killed after a random delay;
- ``injected``: a writer that kills itself (SIGKILL) at the k-th call of one step of writing:
  a block write of a batch segment or of a merge, the rename of a file, the write of
  ``index.json`` (unseal and seal), the moment before a transaction commits, or the deletion
  of merged segments. The writer merges with a fan-in of 2, so merges are frequent.

After every kill: the index opens; ``index check`` finds no damage; every document a reader
saw committed before the kill is still there with its exact text; every document is found by
retrieval from its own text. Then the next run continues the same index.

    .venv/bin/python benchmarks/index_kill.py --kills 120 --out benchmarks/work/kills.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import emit  # noqa: E402

from unspun.bench.sample import load_wikinews  # noqa: E402
from unspun.config import RetrievalConfig  # noqa: E402
from unspun.fingerprint import sentence_grams  # noqa: E402
from unspun.index import Index  # noqa: E402
from unspun.index.check import check_index  # noqa: E402
from unspun.index.retrieve import candidate_docnos  # noqa: E402
from unspun.text import split_sentences  # noqa: E402

POINTS = ["batch-block", "merge-block", "rename", "index.json", "before-commit",
          "merge-cleanup"]

_WRITER = r"""
import os, signal, sys
from pathlib import Path
import unspun.index.merge as merge
import unspun.index.segments as segments
import unspun.index.store as store
import unspun.index.opening as opening
from unspun.ingest import iter_documents  # noqa: E402
from unspun.index import Index, add_documents  # noqa: E402

point, k, path, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
merge.MAX_SEGMENTS = 2
calls = [0]
in_merge = [False]

def tick(name):
    if name == point:
        calls[0] += 1
        if calls[0] == k:
            os.kill(os.getpid(), signal.SIGKILL)

def wrap(owner, attr, name, test=lambda: True):
    original = getattr(owner, attr)
    def patched(*a, **kw):
        if test():
            tick(name)
        return original(*a, **kw)
    setattr(owner, attr, patched)

wrap(segments.SegmentWriter, "_write", "merge-block", lambda: in_merge[0])
wrap(segments.SegmentWriter, "_write", "batch-block", lambda: not in_merge[0])
wrap(segments.os, "replace", "rename")
wrap(opening, "write_meta", "index.json")
wrap(store, "write_meta", "index.json")
original_merge = store.Index._merge
def merged(self, old):
    in_merge[0] = True
    try:
        return original_merge(self, old)
    finally:
        in_merge[0] = False
store.Index._merge = merged
wrap(Path, "unlink", "merge-cleanup", lambda: in_merge[0])
original_tx = store.Index._transaction
def transaction(self, work, what, *, undo):
    def then_tick():
        result = work()
        tick("before-commit")
        return result
    return original_tx(self, then_tick, what, undo=undo)
store.Index._transaction = transaction

with Index.create(path) as index:
    add_documents(index, iter_documents([corpus]), batch_size=3)
print("done")
"""


def _committed(db: Path) -> int:
    """Documents committed, read without any lock (0 when not readable yet)."""
    try:
        # Closed here (``with c`` would leave it open until the cyclic GC): an open connection
        # keeps this process's map of the wal-index as a killed writer left it, and verify()'s
        # reader would then skip the recovery of a commit that reached the WAL.
        with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True,
                                                timeout=0.2)) as c:
            return int(c.execute("SELECT count(*) FROM docs").fetchone()[0])
    except sqlite3.Error:
        return 0


def _watch(proc: subprocess.Popen[bytes], db: Path, seen: list[int]) -> None:
    while proc.poll() is None:
        seen[0] = max(seen[0], _committed(db))
        time.sleep(0.003)


def verify(path: Path, texts: dict[str, str], before: set[str], floor: int) -> set[str]:
    """Every property the kill must not break; returns the ids now committed."""
    report = check_index(path)
    assert report.ok, report.problems
    with Index.open(path) as index:
        stored = {d.id: d for d in index.documents()}
        assert len(stored) >= floor, f"{len(stored)} documents, a reader saw {floor}"
        assert before <= stored.keys(), "committed documents were lost"
        for doc in stored.values():
            assert doc.text == texts[doc.id]
            grams = sentence_grams(doc.text, split_sentences(doc.text), index.config,
                                   sample_only=False)
            found = index.fetch(candidate_docnos(index, grams, RetrievalConfig()))
            assert doc.id in {d.id for d, _ in found.values()}, f"{doc.id} not retrievable"
    return set(stored)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=120)
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    docs = load_wikinews()[: args.docs]
    texts = {d.id: d.text for d in docs}
    work = Path(tempfile.mkdtemp(prefix="unspun-kill-"))
    corpus = work / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.text}) + "\n"
                              for d in docs))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    tally: Counter[str] = Counter()
    start = time.monotonic()
    rounds = 0
    path = work / f"ix{rounds}"
    committed: set[str] = set()
    full_run = 3.0  # seconds an unkilled timed run took last
    try:
        while tally["kills"] < args.kills:
            kind = "timed" if tally["runs"] % 2 else "injected"
            if kind == "timed":
                cmd = [sys.executable, "-m", "unspun", "index", "add", str(corpus), "--index",
                       str(path), "--batch-size", "3"]
                delay = rng.uniform(0.2, 1.1) * full_run  # mostly inside the run
            else:
                point = rng.choice(POINTS)
                calls = 2 if point == "index.json" else 12  # unseal and seal: 2 per run
                cmd = [sys.executable, "-c", _WRITER, point, str(rng.randint(1, calls)),
                       str(path), str(corpus)]
                delay = 120.0
            began = time.monotonic()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=env)
            seen = [0]
            watcher = threading.Thread(target=_watch, args=(proc, path / "docs.sqlite", seen))
            watcher.start()
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
            watcher.join()
            tally["runs"] += 1
            killed = proc.returncode == -signal.SIGKILL
            if not killed:
                assert proc.returncode == 0, proc.stderr.read().decode()[-2000:]
                if kind == "timed" and not committed:
                    full_run = time.monotonic() - began
            else:
                tally["kills"] += 1
                tally[f"kills {kind}" + (f" {point}" if kind == "injected" else "")] += 1
            if path.exists() and (path / "index.json").exists():
                committed = verify(path, texts, committed, seen[0])
                tally["verified"] += 1
            if not killed and len(committed) == len(docs):
                rounds += 1  # this index is complete: start another
                shutil.rmtree(path)
                path, committed = work / f"ix{rounds}", set()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {"tally": dict(sorted(tally.items())), "complete_rounds": rounds,
              "documents": len(docs), "seconds": round(time.monotonic() - start, 1)}
    emit(result, args.out)


if __name__ == "__main__":
    main()
