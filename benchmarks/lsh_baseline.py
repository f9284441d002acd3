"""Reference baseline: datasketch MinHashLSH on word 4-gram shingles against unspun retrieval.

Over the same synthetic articles and the same suspects (see ``trace_latency.py queries``), in
one process: build MinHash LSH indexes (num_perm=128) at two Jaccard thresholds, query every
suspect, and run unspun's retrieval (clean, split, grams, ``candidate_docnos``) on an unspun
index of the same articles. Reports build articles/s, query latency p50/p99, candidates per
query and recall of the true sources among candidates, and unspun/LSH ratios.

    .venv/bin/python benchmarks/lsh_baseline.py -n 10000 --index IX --queries q.jsonl --out r.json

With ``--build-unspun`` the unspun index is built here too (``add_documents``), so both build
rates come from the same run; otherwise ``--index`` must already hold the same ``n`` articles.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import corpus, load_pool  # noqa: E402
from trace_latency import percentiles  # noqa: E402

from unspun.errors import require  # noqa: E402

_WORD = re.compile(r"\w+")
NUM_PERM = 128


def shingles(text: str) -> list[bytes]:
    """Distinct lower-cased word 4-grams of ``text``, as bytes."""
    w = _WORD.findall(text.lower())
    return list({" ".join(w[i:i + 4]).encode() for i in range(len(w) - 3)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--thresholds", default="0.1,0.3")
    ap.add_argument("--build-unspun", action="store_true")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    require("datasketch", "bench")
    import datasketch

    from unspun.config import RetrievalConfig
    from unspun.data import Document
    from unspun.fingerprint import sentence_grams
    from unspun.index import Index, add_documents
    from unspun.index.retrieve import candidate_docnos
    from unspun.trace import _suspect

    docs = list(corpus(args.n, load_pool()))
    result: dict[str, Any] = {"n": args.n, "num_perm": NUM_PERM}
    if args.build_unspun:
        shutil.rmtree(args.index, ignore_errors=True)
        with Index.create(args.index) as ix:
            t, c = time.perf_counter(), time.process_time()
            add_documents(ix, docs)
            result["unspun_build_articles_per_s"] = round(args.n / (time.perf_counter() - t), 1)
            result["unspun_build_articles_per_cpu_s"] = round(
                args.n / (time.process_time() - c), 1)

    thresholds = [float(x) for x in args.thresholds.split(",")]
    lshs = {th: datasketch.MinHashLSH(threshold=th, num_perm=NUM_PERM) for th in thresholds}
    t, c = time.perf_counter(), time.process_time()
    minhash_s = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        m = datasketch.MinHash(num_perm=NUM_PERM)
        m.update_batch(shingles(doc.text))
        minhash_s += time.perf_counter() - t0
        for lsh in lshs.values():
            lsh.insert(doc.id, m, check_duplication=False)
    build_s = time.perf_counter() - t
    build_cpu = time.process_time() - c
    result["lsh_build_articles_per_cpu_s_all_thresholds"] = round(args.n / build_cpu, 1)
    result["lsh_build_articles_per_s_all_thresholds"] = round(args.n / build_s, 1)
    insert_s = (build_s - minhash_s) / len(thresholds)
    result["lsh_build_articles_per_s"] = round(args.n / (minhash_s + insert_s), 1)
    rows = [json.loads(line) for line in args.queries.read_text().splitlines()]
    by_id = {d.id: d for d in docs}
    jaccard = []
    for row in rows:
        sus = set(shingles(row["text"]))
        for sid in row["truth"]:
            src = set(shingles(by_id[sid].text))
            jaccard.append(len(sus & src) / len(sus | src))
    result["true_source_jaccard"] = {
        "p10": round(float(np.percentile(jaccard, 10)), 3),
        "p50": round(float(np.percentile(jaccard, 50)), 3),
        "p90": round(float(np.percentile(jaccard, 90)), 3)}
    del docs, by_id
    index = Index.open(args.index)
    assert len(index) == args.n, f"index holds {len(index)} articles, not {args.n}"
    cfg = RetrievalConfig()
    per: dict[str, dict[str, Any]] = {}
    for name in ["unspun"] + [f"lsh@{th}" for th in thresholds]:
        per[name] = {"latency": [], "cpu": [], "found": 0, "cands": []}
    truths = 0
    for k, row in enumerate(rows):
        truth = set(row["truth"])
        truths += len(truth) if k >= 10 else 0
        doc = Document(id=row["id"], text=row["text"])
        t0, c0 = time.perf_counter(), time.process_time()
        _, sentences = _suspect(doc, None)
        grams = sentence_grams(doc.text, sentences, index.config, sample_only=False)
        docnos = candidate_docnos(index, grams, cfg)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        ids = {d.id for d, _ in index.fetch(docnos).values()}
        if k >= 10:  # the first ten warm up
            per["unspun"]["latency"].append(dt)
            per["unspun"]["cpu"].append(dc)
            per["unspun"]["found"] += len(truth & ids)
            per["unspun"]["cands"].append(len(ids))
        t0, c0 = time.perf_counter(), time.process_time()
        m = datasketch.MinHash(num_perm=NUM_PERM)
        m.update_batch(shingles(doc.text))
        mh_s, mh_c = time.perf_counter() - t0, time.process_time() - c0
        for th, lsh in lshs.items():
            t1, c1 = time.perf_counter(), time.process_time()
            got = set(lsh.query(m))
            dt = mh_s + time.perf_counter() - t1
            dc = mh_c + time.process_time() - c1
            if k >= 10:
                slot = per[f"lsh@{th}"]
                slot["latency"].append(dt)
                slot["cpu"].append(dc)
                slot["found"] += len(truth & got)
                slot["cands"].append(len(got))
    for name, slot in per.items():
        result[name] = {"query_ms": percentiles(slot["latency"]),
                        "query_cpu_ms": percentiles(slot["cpu"]),
                        "recall": round(slot["found"] / truths, 3),
                        "candidates_median": float(np.median(slot["cands"])),
                        "candidates_max": int(max(slot["cands"]))}
    for th in thresholds:
        lsh_name = f"lsh@{th}"
        result[f"ratio_unspun_over_{lsh_name}"] = {
            "query_p50": round(result["unspun"]["query_ms"]["p50"]
                               / result[lsh_name]["query_ms"]["p50"], 2),
            "query_p99": round(result["unspun"]["query_ms"]["p99"]
                               / result[lsh_name]["query_ms"]["p99"], 2),
            "query_cpu_p50": round(result["unspun"]["query_cpu_ms"]["p50"]
                                   / result[lsh_name]["query_cpu_ms"]["p50"], 2),
            "recall": round(result["unspun"]["recall"] / max(result[lsh_name]["recall"], 1e-9),
                            2),
        }
    if "unspun_build_articles_per_s" in result:
        result["ratio_build_unspun_over_lsh"] = round(
            result["unspun_build_articles_per_s"] / result["lsh_build_articles_per_s"], 2)
        result["ratio_build_cpu_unspun_over_lsh_all_thresholds"] = round(
            result["unspun_build_articles_per_cpu_s"]
            / result["lsh_build_articles_per_cpu_s_all_thresholds"], 2)
    result["queries"] = len(rows) - 10
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
