"""Why farm-mode sources are missed: count the missed sources of one kind by cause.

Usage::

    PYTHONPATH=src python benchmarks/farm_misses.py BENCH_DIR [--kind sentence_only] [-v]

``BENCH_DIR`` is written by ``unspun bench make --mode farm``. Every suspect is traced as
``unspun eval bench`` traces it; for each gold source group of ``--kind`` that the trace does
not report, the pipeline is replayed step by step and the first step that loses the source is
counted:

* ``no-sentence``: the borrowed text is not a suspect sentence after cleaning;
* ``not-retrieved``: no carrier shares a gram with the suspect at all;
* ``retrieval-cut``: a carrier shares grams but ranks below the per-sentence or candidate cut;
* ``not-aligned``: retrieved, but no carrier sentence passes containment and Dice;
* ``weak``: aligned, but only as quote-dominated (weak) evidence;
* ``not-accepted``: aligned, but the single sentence is not distinctive enough;
* ``lost``: accepted, but another source explains the sentence better;
* ``other``: reported nowhere for a reason after alignment.

Use it on ``--split tune`` only; gate on ``--split test``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from unspun.align.aligner import (
    Candidate,
    _accept,
    _best_matches,
    _choose,
    _live,
    _pieces,
    _rarity,
    _short_line,
)
from unspun.align.vectors import bags, join_sources, kernel
from unspun.config import TraceConfig
from unspun.eval.bench import load_bench
from unspun.eval.farm import reported
from unspun.fingerprint import sentence_grams
from unspun.index import Index, add_documents
from unspun.index.retrieve import _votes, candidate_docnos
from unspun.trace import _suspect, trace_document


def _gold_spans(g: dict[str, Any], carriers: set[str]) -> list[tuple[int, int]]:
    return [tuple(s["span"]) for s in g["sentences"]
            if any(x["source_id"] in carriers for x in s.get("sources", []))]


def diagnose(bench: Path, kind: str, verbose: bool,
             pool: list[dict[str, Any]] | None = None) -> Counter[str]:
    refs, suspects, gold = load_bench(bench)
    cfg = TraceConfig()
    wide = replace(cfg.retrieval, per_sentence=10_000, max_candidates=100_000)
    causes: Counter[str] = Counter()
    detail: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="farm-misses-") as tmp:
        index = Index.create(Path(tmp) / "index")
        add_documents(index, refs)
        docno = {i: int(n) for n, i in index._conn.execute("SELECT docno, id FROM docs")}
        for doc, g in zip(suspects, gold, strict=True):
            rep = reported(trace_document(doc, index=index, config=cfg))
            found = rep.any
            misses = [sg for sg in g["source_groups"] if sg["kind"] == kind
                      and not set(sg["carriers"]) & found]
            if not misses:
                continue
            cleaned, sentences = _suspect(doc, None, cfg)
            grams = sentence_grams(doc.text, sentences, index.config, sample_only=False)
            docnos = candidate_docnos(index, grams, cfg.retrieval)
            widened = set(candidate_docnos(index, grams, wide))
            fetched = index.fetch(docnos)
            cands = [Candidate(*fetched[d]) for d in docnos]
            s_bags = bags(doc.text, sentences, cfg.align)
            k = kernel(s_bags, join_sources([c.get_source_side(cfg.align) for c in cands]))
            starts = np.cumsum([0] + [len(c.sentences) for c in cands])
            idf = _rarity(k, starts, cfg.align)
            live = _live(k, starts, cfg.align)
            matches = [_best_matches(i, k, s_bags[i], starts, idf, live[i], cfg.align,
                                     lambda d, j, c=cands: _pieces(c[d], j))
                       for i in range(len(sentences))]
            accepted = _accept(matches, s_bags, cfg.align,
                               lambda d, j, c=cands: _short_line(c[d], j, cfg.align.extra_line_words),
                               borrows=bool(rep.headline))
            vdoc, vpart, vhits = _votes(index, grams, cfg.retrieval.max_df)
            if pool is not None:
                gold_groups = {sg["group"] for sg in g["source_groups"]}
                for i, per_doc in enumerate(matches):
                    for d, m in per_doc.items():
                        if m.quote_only or m.merge:
                            continue
                        pool.append({"true": cands[d].doc.id.split("~")[0] in gold_groups,
                                     "accepted": d in accepted, "plain": m.rare_plain,
                                     "support": accepted.get(d, 0),
                                     "score": m.score, "dice": float(k.dice[i, starts[d] + m.rows[0]]),
                                     "rare": m.rare, "names": m.names, "covered": m.covered,
                                     "words": s_bags[i].words, "suspect": doc.id,
                                     "doc": cands[d].doc.id,
                                     "text": doc.text[sentences[i].span.start:sentences[i].span.end]})
            for sg in misses:
                carriers = set(sg["carriers"])
                nos = {docno[c] for c in carriers if c in docno}
                spans = _gold_spans(g, carriers)
                rows = [i for i, s in enumerate(sentences)
                        if any(s.span.start < b and s.span.end > a for a, b in spans)]
                info: dict[str, Any] = {"suspect": doc.id, "group": sg["group"],
                                        "text": [doc.text[a:b] for a, b in spans]}
                if not rows:
                    cause = "no-sentence"
                elif not nos & set(docnos):
                    cause = "retrieval-cut" if nos & widened else "not-retrieved"
                    mask = np.isin(vdoc, list(nos)) & np.isin(vpart, rows)
                    info["hits"] = int(vhits[mask].max()) if mask.any() else 0
                    best = {}
                    for p in rows:
                        m = vpart == p
                        best[p] = sorted(vhits[m].tolist(), reverse=True)[:4]
                    info["top_hits"] = best
                else:
                    ds = [n for n, d in enumerate(docnos) if d in nos]
                    got = [(i, d, matches[i][d]) for i in rows for d in ds if d in matches[i]]
                    lo_hi = [(int(starts[d]), int(starts[d + 1])) for d in ds]
                    info["contain"] = max(float(k.contain[i, lo:hi].max())
                                          for i in rows for lo, hi in lo_hi if hi > lo)
                    info["dice"] = max(float(k.dice[i, lo:hi].max())
                                       for i in rows for lo, hi in lo_hi if hi > lo)
                    info["words"] = max(s_bags[i].words for i in rows)
                    if not got:
                        cause = "not-aligned"
                    elif all(m.quote_only for _, _, m in got):
                        cause = "weak"
                    elif not any(d in accepted for _, d, _ in got):
                        cause = "not-accepted"
                        i, _, m = max(got, key=lambda x: x[2].rare)
                        info.update(score=m.score, rare=m.rare, names=m.names,
                                    covered=m.covered, words=s_bags[i].words)
                    elif all(_choose(matches[i], accepted, cfg.align) is not m
                             for i, _, m in got):
                        cause = "lost"
                    else:
                        cause = "other"
                causes[cause] += 1
                detail.setdefault(cause, []).append(info)
                if verbose:
                    print(cause, json.dumps(info, default=str)[:600])
        index.close()
    for cause, rows_ in sorted(detail.items()):
        for key in ("contain", "rare", "names", "words", "hits"):
            vals = [r[key] for r in rows_ if key in r]
            if vals:
                print(f"  {cause}: median {key} {statistics.median(vals):.2f}", file=sys.stderr)
    return causes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", type=Path)
    ap.add_argument("--kind", default="sentence_only")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--pool", type=Path, help="write every single-sentence match that no "
                    "rule accepted, with its features and whether its source is gold, as JSONL")
    args = ap.parse_args()
    pool: list[dict[str, Any]] | None = [] if args.pool else None
    causes = diagnose(args.bench, args.kind, args.verbose, pool)
    if args.pool and pool is not None:
        args.pool.write_text("".join(json.dumps(r) + "\n" for r in pool))
    print(json.dumps({"kind": args.kind, "missed": sum(causes.values()), **causes}))


if __name__ == "__main__":
    main()
