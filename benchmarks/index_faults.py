"""Fault injection: flip every byte and truncate at every length of every file of a small index.

For each damaged copy it runs ``index check`` (must report the damage) and then opens the index
and traces two suspects (must either fail with a one-line ``BadIndex`` or give exactly the
answer of the undamaged index). Any other exception counts as a traceback.

    .venv/bin/python benchmarks/index_faults.py --out benchmarks/work/faults.json
    .venv/bin/python benchmarks/index_faults.py --sample 200     # a quick subset
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import emit  # noqa: E402

from unspun.bench.sample import load_wikinews  # noqa: E402
from unspun.data import Document  # noqa: E402
from unspun.errors import BadIndex  # noqa: E402
from unspun.index import Index, add_documents  # noqa: E402
from unspun.index.check import check_index  # noqa: E402
from unspun.index.records import read_meta, write_meta  # noqa: E402
from unspun.trace import trace_document  # noqa: E402

CHARS = 700  # characters kept of each article: a small index, so every byte can be tried


def build(path: Path) -> list[Document]:
    """A small sealed index (two segments, one tombstone, 1 KiB pages); returns the suspects."""
    docs = [replace(d, text=d.text[:CHARS], meta={}) for d in load_wikinews()[:4]]
    with Index.create(path) as index:
        add_documents(index, docs[:2], batch_size=2)
        add_documents(index, docs[2:], batch_size=2)
        index.remove([docs[3].id])
    conn = sqlite3.connect(path / "docs.sqlite")
    conn.execute("PRAGMA page_size=1024")
    conn.execute("VACUUM")
    conn.close()
    write_meta(path, {**read_meta(path), "docs": None})  # unseal, then reseal after VACUUM
    Index.open(path, writable=True).close()
    assert check_index(path).ok
    stitched = docs[0].text[:350] + "\n\n" + docs[2].text[200:600]
    return [Document(id="copy", text=docs[1].text), Document(id="stitched", text=stitched)]


def answer(path: Path, suspects: list[Document]) -> str:
    """What open-and-trace answers: the full repr of each trace result."""
    with Index.open(path) as index:
        return "\n".join(repr(trace_document(s, index=index)) for s in suspects)


def cases(root: Path, *, sample: int, seed: int, only: str = "") -> Iterator[tuple[Path, str, int]]:
    """(file, "flip" or "truncate", offset) for every byte of every file (or a sample)."""
    rng = random.Random(seed)
    for file in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "LOCK"):
        if only and only not in file.name:
            continue
        size = file.stat().st_size
        for kind in ("flip", "truncate"):
            offsets = list(range(size))
            if sample and sample < size:
                offsets = sorted(rng.sample(offsets, sample))
            for off in offsets:
                yield file, kind, off


def run_case(file: Path, kind: str, off: int, original: bytes, root: Path,
             suspects: list[Document], baseline: str) -> tuple[str, str]:
    """Damage ``file``, then (check outcome, open-and-trace outcome); restores the file."""
    data = bytearray(original)
    if kind == "flip":
        data[off] ^= (off * 37) % 255 + 1
    else:
        del data[off:]
    file.write_bytes(bytes(data))
    try:
        try:
            found = "detected" if not check_index(root).ok else "missed"
        except Exception as exc:  # noqa: BLE001 (the point is to count them)
            found = f"traceback {exc.__class__.__name__}: {exc}"
        try:
            got = answer(root, suspects)
            traced = "same" if got == baseline else "WRONG"
        except BadIndex:
            traced = "error"
        except Exception as exc:  # noqa: BLE001
            traced = f"traceback {exc.__class__.__name__}: {exc}"
    finally:
        file.write_bytes(original)
    return found, traced


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=0, help="offsets per file and kind (0: all)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--only", default="", help="only files whose name contains this")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="unspun-faults-"))
    start = time.monotonic()
    try:
        root = work / "ix"
        suspects = build(root)
        baseline = answer(root, suspects)
        tally: Counter[str] = Counter()
        bad: list[str] = []
        originals = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        for file, kind, off in cases(root, sample=args.sample, seed=args.seed, only=args.only):
            found, traced = run_case(file, kind, off, originals[file], root, suspects, baseline)
            name = file.relative_to(root).as_posix().split("/")[0]
            tally[f"{name} {kind} cases"] += 1
            tally[f"check {found.split(':')[0]}"] += 1
            tally[f"trace {traced.split(':')[0]}"] += 1
            if found != "detected" or traced.startswith(("WRONG", "traceback")):
                bad.append(f"{file.name} {kind} @{off}: check {found}, trace {traced}")
        assert {p: p.read_bytes() for p in originals} == originals
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bad.sort(key=lambda line: "WRONG" not in line)  # the worst first
    result = {"cases": sum(v for k, v in tally.items() if k.endswith(" cases")),
              "tally": dict(sorted(tally.items())), "failures": len(bad),
              "failure_examples": bad[:60],
              "sizes": {p.name: len(b) for p, b in originals.items()},
              "seconds": round(time.monotonic() - start, 1)}
    emit(result, args.out)


if __name__ == "__main__":
    main()
