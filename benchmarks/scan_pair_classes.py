"""Which candidate pairs of a finished scan share grams in one sentence only, and what they became.

    PYTHONPATH=src .venv/bin/python benchmarks/scan_pair_classes.py OUT [--limit N]

Reads ``OUT/work/prep-*.pkl``, ``OUT/work/candidates.npy`` and ``gram-candidates.npy`` (the
gram and word tiers' pairs; the rest came from the sentence tier) and ``OUT/pairs.parquet``,
and counts the candidate pairs by three things: whether the sampled grams the two documents
share all lie in one whole sentence of each ("one") or not ("multi"), the tier ("gram" or
"sentence"), and the pair's relation in the table ("none": nothing aligned). A cheap path for
"one" pairs (they can share one sentence at most, unless the sampling missed the grams of
another) is worth only what those pairs cost; this says how many there are and how many of
them are copies all the same.
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a scan's output directory (with work/)")
    ap.add_argument("--limit", type=int, default=0, help="the first N candidates only")
    a = ap.parse_args()
    import pyarrow.parquet as pq

    work = a.out / "work"
    docs = [d for p in sorted(work.glob("prep-*.pkl")) for d in pickle.loads(p.read_bytes())]
    cands = np.load(work / "candidates.npy")
    if a.limit:
        cands = cands[: a.limit]
    n = len(docs)
    gram = np.load(work / "gram-candidates.npy")
    gram_codes = set((gram[:, 0] * n + gram[:, 1]).tolist())
    t = pq.read_table(a.out / "pairs.parquet", columns=["a", "b", "relation"]).to_pydict()
    relation = {(x, y): r for x, y, r in zip(t["a"], t["b"], t["relation"], strict=True)}
    counts: Counter[tuple[str, str, str]] = Counter()
    for x, y in cands.tolist():
        dx, dy = docs[x], docs[y]
        shared = np.intersect1d(dx.keys, dy.keys)
        ux = np.unique(dx.owners[np.isin(dx.keys, shared)])
        uy = np.unique(dy.owners[np.isin(dy.keys, shared)])
        one = "one" if len(ux) <= 1 and len(uy) <= 1 else "multi"
        tier = "gram" if x * n + y in gram_codes else "sentence"
        counts[one, tier, relation.get((x, y), "none")] += 1
    print(f"{len(cands)} candidates, {len(relation)} pairs")
    for key, c in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{c:8d}  {' '.join(key)}")


if __name__ == "__main__":
    main()
