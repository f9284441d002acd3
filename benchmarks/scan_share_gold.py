"""A planted scan's pairs table against the pairs that truly share text (make_synth's share gold).

    python /work/shared/tools/make_synth.py --mode planted --n N --seed 7 --out c.jsonl \\
        --share-gold share.json
    .venv/bin/python benchmarks/scan_share_gold.py OUT share.json [--corpus c.jsonl]

``--share-gold`` lists every pair of articles sharing at least one sentence of common origin
(copied, or copied from a copy). For each relation of ``OUT/pairs.parquet`` this counts the
rows in that list and the rows outside it, and the share of the list the table holds. The
planted generator's "fresh" sentences are word shuffles of a pool of about 5,200 Wikinews
sentences, built to share no 25-character n-gram with one another: rows outside the list are
mostly two shuffles of one pool sentence aligned as bags of words. ``--corpus`` also checks,
on a sample of those rows, whether their two texts share any 25-character n-gram at all.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path


def _grams(text: str, n: int = 25) -> set[str]:
    flat = " ".join(text.split())
    return {flat[i:i + n] for i in range(len(flat) - n + 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a finished scan's output directory")
    ap.add_argument("share_gold", type=Path, help="make_synth.py --share-gold output")
    ap.add_argument("--corpus", type=Path, help="the scanned JSONL, for the n-gram check")
    ap.add_argument("--sample", type=int, default=300)
    a = ap.parse_args()
    import pyarrow.parquet as pq

    gold = {tuple(p) for p in json.loads(a.share_gold.read_text())}
    table = pq.read_table(a.out / "pairs.parquet", columns=["a_id", "b_id", "relation"])
    rows, inside, found = Counter(), Counter(), set()
    outside: list[tuple[str, str]] = []
    for x, y, relation in zip(*(table[c].to_pylist() for c in ("a_id", "b_id", "relation")),
                              strict=True):
        key = (x, y) if x < y else (y, x)
        rows[relation] += 1
        if key in gold:
            inside[relation] += 1
            found.add(key)
        elif relation == "quote-sharing":
            outside.append(key)
    print(f"{a.out.name}: {len(gold)} pairs share text, the table holds {len(found)} "
          f"({len(found) / max(1, len(gold)):.4f})")
    for relation, n in rows.most_common():
        print(f"  {relation:14s} {n:8d} rows, {inside[relation]:8d} sharing text, "
              f"{n - inside[relation]:8d} not")
    if a.corpus and outside:
        picked = random.Random(1).sample(outside, min(a.sample, len(outside)))
        need = {d for pair in picked for d in pair}
        texts = {}
        with a.corpus.open(encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                if doc["id"] in need:
                    texts[doc["id"]] = doc["text"]
        shared = sum(bool(_grams(texts[x]) & _grams(texts[y])) for x, y in picked)
        print(f"  quote-sharing rows not sharing text, sampled {len(picked)}: {shared} share "
              f"any 25-character n-gram")


if __name__ == "__main__":
    main()
