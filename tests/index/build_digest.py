"""A digest of everything an index build stores, for checking that a faster build is the same.

The fixture corpus is the 212 bundled Wikinews articles, the clean golden pages (junk of every
kind) and 400 synthetic articles of ``benchmarks/synth.py``. They are added in small batches,
so tier merges run, then merged into one segment. The digest covers every ``docs`` row (all
columns: stored text, sentence spans, content hash, checksum), the postings of every segment
before the final merge, read in order, and the bytes of the final segment file.

``build_digest.json`` holds the digest computed by the build code it was written with (the
commit named in it). After a change meant to keep the index the same, it must still match;
after a deliberate change to what an index stores, write it again::

    PYTHONPATH=src .venv/bin/python tests/index/build_digest.py --write
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from unspun.bench.sample import load_wikinews
from unspun.data import Document
from unspun.index import Index, add_documents
from unspun.index.segments import Segment

ROOT = Path(__file__).resolve().parents[2]
STORED = Path(__file__).with_name("build_digest.json")
BATCH = 40  # 28 batches: tier-0 merges run during the build


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def fixture_docs() -> list[Document]:
    """The fixture corpus (fresh objects: a build fills in missing titles)."""
    docs = list(load_wikinews())
    for page in sorted((ROOT / "tests" / "golden" / "clean").glob("*.txt")):
        docs.append(Document(id=f"golden-{page.stem}", text=page.read_text(encoding="utf-8"),
                             site="golden.example"))
    synth = _module("synth")
    docs += list(synth.corpus(400, synth.load_pool(), seed=5))
    return docs


def _postings(path: Path) -> bytes:
    """Every segment's postings, segment by segment in commit order, as (key, docno) bytes."""
    out = hashlib.sha256()
    conn = sqlite3.connect(path / "docs.sqlite")
    names = [n for n, in conn.execute("SELECT name FROM segments ORDER BY rowid")]
    conn.close()
    for name in names:
        seg = Segment(path / "seg" / f"{name}.seg", name)
        keys, docs = seg._gather(np.arange(len(seg.firsts)))
        out.update(keys.astype("<u4").tobytes() + docs.astype("<u4").tobytes())
    return out.digest()


def build_digest(path: Path) -> dict[str, str | int]:
    """Build the fixture index at ``path`` (a new directory) and digest what it stores."""
    docs = fixture_docs()
    with Index.create(path) as index:
        stats = add_documents(index, docs, batch_size=BATCH)
        before = _postings(path)
        index.compact(force=True)
    conn = sqlite3.connect(path / "docs.sqlite")
    rows = hashlib.sha256()
    for row in conn.execute("SELECT * FROM docs ORDER BY docno"):
        rows.update(json.dumps([v.hex() if isinstance(v, bytes) else v for v in row]).encode())
    (name,) = conn.execute("SELECT name FROM segments").fetchone()
    conn.close()
    return {"documents": stats.added, "rows": rows.hexdigest(),
            "postings_before_merge": before.hex(),
            "segment": hashlib.sha256((path / "seg" / f"{name}.seg").read_bytes()).hexdigest()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"store the digest in {STORED.name}")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/unspun-build-digest"))
    args = ap.parse_args()
    import shutil

    shutil.rmtree(args.dir, ignore_errors=True)
    digest = build_digest(args.dir)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    print(json.dumps(digest, indent=2))
    if args.write:
        STORED.write_text(json.dumps({"computed_by": commit, **digest}, indent=2) + "\n")


if __name__ == "__main__":
    main()
