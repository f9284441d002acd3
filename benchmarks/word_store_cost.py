"""What storing the candidates' word keys at index time would cost the build (issue 14).

A trace turns each candidate's sentences into word keys and class weights (its source half,
``unspun.align.vectors.document_source_side``). Done at index time instead, that work would
join the build's ``prepare``. On the same articles, in one process: CPU per article of both,
and the size of a per-article store (the article's key list, then one uint16 per unique
sentence word holding its key number and class, then the sentence sizes), raw and zlib::

    PYTHONPATH=src .venv/bin/python benchmarks/word_store_cost.py --jsonl synth-1m.jsonl \
        --skip 200000 -n 3000
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import zlib
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path, required=True, help="a synth.py corpus")
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("-n", type=int, default=3000)
    args = ap.parse_args()

    from unspun.align.vectors import class_weights, document_source_side
    from unspun.config import AlignConfig, FingerprintConfig
    from unspun.data import Document
    from unspun.index import prepare

    with args.jsonl.open() as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, args.skip, args.skip + args.n)]
    docs = [Document(id=r["id"], text=r["text"], title=r.get("title")) for r in rows]
    fcfg, acfg = FingerprintConfig(), AlignConfig()
    for doc in docs[:300]:  # warm the caches both steps keep
        document_source_side(doc.text, prepare(doc, fcfg).sentences, acfg)  # type: ignore[union-attr]
    start = time.process_time()
    prepared = [prepare(doc, fcfg) for doc in docs]
    prepare_s = time.process_time() - start
    start = time.process_time()
    sides = [document_source_side(doc.text, p.sentences, acfg)  # type: ignore[union-attr]
             for doc, p in zip(docs, prepared, strict=True)]
    side_s = time.process_time() - start
    classes = {w: c for c, w in enumerate(class_weights(acfg))}
    raw = packed = entries = 0
    for side in sides:
        vocab = {k: i for i, k in enumerate(dict.fromkeys(side.keys))}
        codes = [vocab[k] * 4 + classes[float(w)] for k, w in zip(side.keys, side.weights, strict=True)]
        sizes = np.bincount(side.rows, minlength=len(side.totals))
        blob = (" ".join(vocab).encode() + np.array(codes, np.uint16).tobytes()
                + sizes.astype(np.uint16).tobytes())
        raw += len(blob)
        packed += len(zlib.compress(blob, 6))
        entries += len(side.keys)
    n = len(docs)
    print(json.dumps({
        "articles": n, "prepare_ms_per_article": round(1000 * prepare_s / n, 3),
        "source_half_ms_per_article": round(1000 * side_s / n, 3),
        "build_cpu_increase": round(side_s / prepare_s, 3),
        "store_bytes_per_article": round(raw / n), "store_zlib_bytes_per_article": round(packed / n),
        "entries_per_article": round(entries / n)}))


if __name__ == "__main__":
    main()
