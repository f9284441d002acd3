"""Time ``trace_document`` on 800-word suspects against an index; retrieval timed apart; peak RSS.

First write the suspects (in another process, so the tracing process holds only the index)::

    .venv/bin/python benchmarks/trace_latency.py queries -n 10000 -q 220 --out q.jsonl
    .venv/bin/python benchmarks/trace_latency.py run --index IX --queries q.jsonl --out r.json

``run`` opens the index read-only, traces ``--warmup`` suspects untimed, then times
``trace_document`` on every suspect, as ``unspun trace`` runs it; the retrieval part (clean
and split, grams, ``candidate_docnos``) is timed from the start to when ``candidate_docnos``
returns (it is wrapped; then come fetch, align, explain, judge). It reports
p50/p95/p99 of both (wall clock; and the trace's CPU time, which other jobs on a busy
machine do not inflate), the recall of true sources among retrieved candidates and among the
trace's sources, and the process's peak RSS (``ru_maxrss``, VmHWM) and its file-backed part.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

# As the `unspun` command does (src/unspun/cli/__init__.py): one BLAS thread, set before numpy.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _status() -> dict[str, float]:
    """VmRSS, VmHWM, RssAnon and RssFile of this process in MB."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and mean of ``values`` in milliseconds (values in seconds)."""
    arr = np.asarray(values) * 1000
    return {"p50": round(float(np.percentile(arr, 50)), 1),
            "p95": round(float(np.percentile(arr, 95)), 1),
            "p99": round(float(np.percentile(arr, 99)), 1),
            "mean": round(float(arr.mean()), 1)}


def make_queries(n_indexed: int, count: int, out: Path) -> None:
    """Write ``count`` suspects drawn from the first ``n_indexed`` articles, with truth."""
    from synth import load_pool, suspect

    pool = load_pool()
    with out.open("w") as fh:
        for k in range(count):
            doc, truth = suspect(k, n_indexed, pool)
            fh.write(json.dumps({"id": doc.id, "text": doc.text, "truth": truth}) + "\n")


def run(index_path: Path, queries: Path, warmup: int) -> dict[str, Any]:
    """Trace every suspect in ``queries`` against the index; see the module docstring."""
    from unspun import trace as tracing
    from unspun.data import Document
    from unspun.index import Index

    rows = [json.loads(line) for line in queries.read_text().splitlines()]
    t = time.perf_counter()
    index = Index.open(index_path)
    open_s = time.perf_counter() - t
    rss_open = _status()
    retrieve = tracing.candidate_docnos
    seen: dict[str, Any] = {}

    def timed_retrieve(*args: Any, **kwargs: Any) -> Any:
        """``candidate_docnos`` as the trace calls it; when it returned, and what."""
        seen["docnos"] = docnos = retrieve(*args, **kwargs)
        seen["keys"] = len(args[1].keys)  # (index, grams, settings)
        seen["cpu"], seen["wall"] = time.process_time(), time.perf_counter()
        return docnos

    tracing.candidate_docnos = timed_retrieve  # type: ignore[assignment]

    def trace(row: dict[str, Any]) -> tuple[float, float, float, float, list[str], list[str],
                                            int]:
        doc = Document(id=row["id"], text=row["text"])
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = tracing.trace_document(doc, index=index)
        t2 = time.perf_counter()
        c2 = time.process_time()
        cand_ids = [d.id for d, _ in index.fetch(seen["docnos"]).values()]  # untimed
        return (seen["wall"] - t0, t2 - t0, seen["cpu"] - c0, c2 - c0, cand_ids,
                [s.doc_id for s in result.sources], seen["keys"])

    for row in rows[:warmup]:
        trace(row)
    retrieve_s: list[float] = []
    total_s: list[float] = []
    cpu_s: list[float] = []
    retrieve_cpu_s: list[float] = []
    found = retrieved = truths = false_sources = unrelated = keys = 0
    for row in rows[warmup:]:
        r_s, t_s, rc_s, c_s, cand_ids, source_ids, nkeys = trace(row)
        retrieve_cpu_s.append(rc_s)
        retrieve_s.append(r_s)
        total_s.append(t_s)
        cpu_s.append(c_s)
        keys += nkeys
        truth = set(row["truth"])
        if not truth:
            unrelated += 1
            false_sources += len(source_ids)
        truths += len(truth)
        retrieved += len(truth & set(cand_ids))
        found += len(truth & set(source_ids))
    timed = len(total_s)
    return {
        "index": str(index_path), "documents": len(index), "queries": timed,
        "warmup": warmup, "open_s": round(open_s, 3),
        "query_keys_mean": round(keys / timed, 1),
        "trace_ms": percentiles(total_s), "retrieval_ms": percentiles(retrieve_s),
        "trace_cpu_ms": percentiles(cpu_s), "retrieval_cpu_ms": percentiles(retrieve_cpu_s),
        "retrieval_recall": round(retrieved / truths, 3) if truths else None,
        "trace_source_recall": round(found / truths, 3) if truths else None,
        "unrelated_queries": unrelated, "sources_reported_for_unrelated": false_sources,
        "rss_after_open_mb": rss_open, "rss_end_mb": _status(),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("queries")
    q.add_argument("-n", type=int, required=True, help="articles in the index")
    q.add_argument("-q", type=int, default=220, help="suspects to write")
    q.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("run")
    r.add_argument("--index", type=Path, required=True)
    r.add_argument("--queries", type=Path, required=True)
    r.add_argument("--warmup", type=int, default=20)
    r.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if args.cmd == "queries":
        make_queries(args.n, args.q, args.out)
        return
    result = run(args.index, args.queries, args.warmup)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
