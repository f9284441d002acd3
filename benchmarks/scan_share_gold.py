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
on a sample of those rows, whether their two texts share any 25-character n-gram at all, and
gives the longest run of words in the same order that a row's passages share, for sampled
quote-sharing rows inside the list and outside it (how well a word-order rule could tell
them apart).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

_WORD = re.compile(r"\w+")


def _grams(text: str, n: int = 25) -> set[str]:
    flat = " ".join(text.split())
    return {flat[i:i + n] for i in range(len(flat) - n + 1)}


def _longest_run(a: list[str], b: list[str]) -> int:
    """The longest run of words that ``a`` and ``b`` share in the same order."""
    best, prev = 0, [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


def _row_run(row: dict[str, Any], texts: dict[str, str]) -> int:
    """The longest same-order word run over a pairs row's passages."""
    a, b = texts[row["a_id"]], texts[row["b_id"]]

    def words(text: str, start: int, end: int) -> list[str]:
        return [w.lower() for w in _WORD.findall(text[start:end])]

    return max((_longest_run(words(a, p[0], p[1]), words(b, p[2], p[3]))
                for p in row["passages"]), default=0)


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
    for x, y, relation in zip(*(table[c].to_pylist() for c in ("a_id", "b_id", "relation")),
                              strict=True):
        key = (x, y) if x < y else (y, x)
        rows[relation] += 1
        if key in gold:
            inside[relation] += 1
            found.add(key)
    print(f"{a.out.name}: {len(gold)} pairs share text, the table holds {len(found)} "
          f"({len(found) / max(1, len(gold)):.4f})")
    for relation, n in rows.most_common():
        print(f"  {relation:14s} {n:8d} rows, {inside[relation]:8d} sharing text, "
              f"{n - inside[relation]:8d} not")
    if a.corpus:
        _corpus_checks(a, gold)


def _corpus_checks(a: argparse.Namespace, gold: set[tuple[str, ...]]) -> None:
    """The n-gram check and the word-run distributions of sampled quote-sharing rows."""
    import pyarrow.parquet as pq

    table = pq.read_table(a.out / "pairs.parquet", columns=["a_id", "b_id", "relation",
                                                             "passages"])
    rows: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    for row in table.to_pylist():
        if row["relation"] == "quote-sharing":
            key = tuple(sorted((row["a_id"], row["b_id"])))
            rows[key in gold].append(row)
    rng = random.Random(1)
    picked = {k: rng.sample(v, min(a.sample, len(v))) for k, v in rows.items()}
    need = {r[side] for v in picked.values() for r in v for side in ("a_id", "b_id")}
    texts: dict[str, str] = {}
    with a.corpus.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            if doc["id"] in need:
                texts[doc["id"]] = doc["text"]
    shared = sum(bool(_grams(texts[r["a_id"]]) & _grams(texts[r["b_id"]]))
                 for r in picked[False])
    print(f"  quote-sharing rows not sharing text, sampled {len(picked[False])}: {shared} share "
          f"any 25-character n-gram")
    for inside, label in ((True, "sharing text"), (False, "not sharing text")):
        runs = Counter(min(_row_run(r, texts), 8) for r in picked[inside])
        total = max(1, len(picked[inside]))
        print(f"  longest same-order word run, quote-sharing rows {label} "
              f"({len(picked[inside])} sampled): "
              + " ".join(f"{k}{'+' if k == 8 else ''}:{runs[k] / total:.3f}"
                         for k in sorted(runs)))

if __name__ == "__main__":
    main()
