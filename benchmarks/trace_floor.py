"""How close the trace's candidate word work is to its Python floor (CPU ms per suspect).

A trace turns every sentence of its 64 candidates into weighted word keys
(``document_source_side``): the largest step after retrieval. This traces ``-n`` latency
queries, keeps the candidates each one aligned, then times over the same candidates, best of
``--runs`` alternating rounds (warm caches, as in a long-running tracer):

- ``forms``: only the word regex of each candidate sentence (``word_forms``);
- ``forms+keys``: the regex and one dict look-up of each word's key and weight (the cache
  ``_weighed`` keeps), nothing else;
- ``source halves``: the whole ``document_source_side`` of every candidate, joined.

The gap between the last two is all that rewriting the Python around the look-ups can save::

    PYTHONPATH=src .venv/bin/python benchmarks/trace_floor.py --index IX --queries q.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("-n", type=int, default=60, help="suspects traced (the first 20 warm up)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import unspun.trace as trace
    from unspun.align.vectors import (
        _weighed,
        class_weights,
        document_source_side,
        join_sources,
    )
    from unspun.config import AlignConfig
    from unspun.data import Document
    from unspun.index import Index
    from unspun.text.tokens import word_forms

    kept: list[list[Any]] = []
    align = trace.align_sentences

    def keep(text: str, sentences: Any, candidates: Any, config: Any, **kw: Any) -> Any:
        kept.append(candidates)
        return align(text, sentences, candidates, config, **kw)

    trace.align_sentences = keep  # type: ignore[assignment]
    index = Index.open(args.index)
    rows = [json.loads(line) for line in args.queries.read_text().splitlines()][:args.n]
    for row in rows:
        trace.trace_document(Document(id=row["id"], text=row["text"]), index=index)
    timed = kept[min(20, len(kept) // 2):]
    cfg = AlignConfig()
    weigh = class_weights(cfg)

    def forms(cands: list[Any]) -> None:
        for c in cands:
            for s in c.sentences:
                word_forms(c.doc.text, s.span.start, s.span.end)

    def forms_keys(cands: list[Any]) -> None:
        for c in cands:
            for s in c.sentences:
                found = word_forms(c.doc.text, s.span.start, s.span.end)
                if found:
                    _weighed(found, weigh)

    def halves(cands: list[Any]) -> None:
        join_sources([document_source_side(c.doc.text, c.sentences, cfg) for c in cands])

    steps: dict[str, Callable[[list[Any]], None]] = {
        "forms": forms, "forms+keys": forms_keys, "source halves": halves}
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(args.runs + 1):  # the first round fills the caches
        for name, step in steps.items():
            start = time.process_time()
            for cands in timed:
                step(cands)
            best[name] = min(best[name], time.process_time() - start)
    sentences = sum(len(c.sentences) for cands in timed for c in cands) / len(timed)
    words = sum(len(word_forms(c.doc.text, s.span.start, s.span.end))
                for cands in timed for c in cands for s in c.sentences) / len(timed)
    print(f"{len(timed)} suspects: {sentences:.0f} candidate sentences, {words:.0f} words each")
    for name, cpu in best.items():
        print(f"{name:14s} {1000 * cpu / len(timed):6.2f} ms")


if __name__ == "__main__":
    main()
