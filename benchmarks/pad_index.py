"""Stress tool: pad a real compacted index's postings to the volume of a larger corpus.

When a real build of the target size is out of reach, this writes a copy of a real index whose
one segment holds the real postings plus replicas of them for ``target - documents`` phantom
articles. Replica ``r`` XORs every key with a fixed random 32-bit salt (a bijection, so the
document-frequency distribution is the real one) and shifts document numbers past the real
ones, so phantoms have no stored text: ``fetch`` drops them. Lookups then search, page in and
memory-map postings of the target size, which is what retrieval latency and RSS depend on;
what padding cannot reproduce is a larger corpus's extra near-duplicates (see the docs).
``index.json`` records ``phantoms_from`` so that readers accept postings without documents.

    .venv/bin/python benchmarks/pad_index.py SRC_INDEX DEST --target 1000000
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import uuid
from pathlib import Path

import numpy as np

from unspun.index import Index
from unspun.index.records import read_meta, write_meta
from unspun.index.segments import Segment, write_segment


def pad(src: Path, dest: Path, target: int) -> dict[str, int]:
    """Write the padded copy of ``src`` at ``dest``; returns document and posting counts."""
    with Index.open(src) as index:
        real = len(index)
        assert index.stats()["segments"] == 1, "compact the source with compact(force=True)"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("seg", "LOCK"))
    (dest / "seg").mkdir()
    conn = sqlite3.connect(dest / "docs.sqlite")
    (name,) = conn.execute("SELECT name FROM segments").fetchone()
    keys, docs = Segment(src / "seg" / f"{name}.seg", name).key_range(0, None)
    top = int(docs.max())
    rng = np.random.default_rng(20261127)
    all_keys = [keys]
    all_docs = [docs]
    phantoms = target - real
    r = 1
    while phantoms > 0:
        take = docs <= min(phantoms, top) if phantoms < real else slice(None)
        salt = np.uint32(rng.integers(1, 2**32 - 1))
        all_keys.append(keys[take] ^ salt)
        all_docs.append(docs[take] + np.uint32(r * top))
        phantoms -= real
        r += 1
    info = write_segment(dest / "seg", f"s{uuid.uuid4().hex[:16]}", np.concatenate(all_keys),
                         np.concatenate(all_docs))
    with conn:
        conn.execute("DELETE FROM segments")
        conn.execute("INSERT INTO segments VALUES (?, ?, ?, ?)",
                     (info.name, info.postings, info.size, info.checksum >> 1))
    conn.close()
    write_meta(dest, {**read_meta(dest), "docs": None, "phantoms_from": top + 1})
    Index.open(dest, writable=True).close()  # seal the changed database
    return {"real_documents": real, "padded_to": target, "postings": info.postings}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--target", type=int, default=1_000_000)
    args = ap.parse_args()
    print(pad(args.src, args.dest, args.target))


if __name__ == "__main__":
    main()
