"""CPU time of each step of ``trace_document`` over latency queries (mean ms per suspect).

Each step the trace calls (retrieval, fetch, alignment and its kernel, quote sources, source
shares, explanations, judge) is wrapped to add up its process CPU time; the first
``--warmup`` suspects are not counted. Nested steps count in their parents too (the kernel
and the candidates' source halves inside alignment)::

    PYTHONPATH=src .venv/bin/python benchmarks/trace_parts.py --index IX --queries q.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

_TRACE_STEPS = ("candidate_docnos", "evidence_docnos", "align_sentences", "source_shares",
                "quote_sources", "match_headline", "explain_alignment", "check_quotes", "judge",
                # the steps between them: the suspect cleaned and split, its quotes and
                # headline, its grams, the fetched documents made candidates
                "_suspect", "sentence_grams", "text_grams", "index_candidates")


def _timed(owner: Any, name: str, label: str, spent: Counter[str]) -> None:
    """Replace ``owner.name`` by a wrapper adding its CPU time to ``spent[label]``."""
    inner: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--warmup", type=int, default=20)
    args = ap.parse_args()

    import unspun.trace as trace
    from unspun.align import aligner
    from unspun.config import TraceConfig
    from unspun.data import Document
    from unspun.index import Index

    spent: Counter[str] = Counter()
    for name in _TRACE_STEPS:
        _timed(trace, name, name, spent)
    _timed(aligner, "kernel", "kernel (in align_sentences)", spent)
    _timed(aligner.Candidate, "get_source_side", "source halves (in align_sentences)", spent)
    if hasattr(aligner, "documents_kernel"):  # a trace's candidates straight into the kernel
        _timed(aligner, "documents_kernel", "candidates' kernel (in align_sentences)", spent)
    _timed(Index, "fetch", "fetch", spent)
    _timed(trace._Evidence, "of", "_Evidence.of", spent)
    _timed(TraceConfig, "to_dict", "TraceConfig.to_dict (the run record)", spent)
    index = Index.open(args.index)
    rows = [json.loads(line) for line in args.queries.read_text().splitlines()]
    totals: list[float] = []
    for n, row in enumerate(rows):
        if n == args.warmup:
            spent.clear()
            totals.clear()
        start = time.process_time()
        trace.trace_document(Document(id=row["id"], text=row["text"]), index=index)
        totals.append(time.process_time() - start)
    whole = sum(totals)
    print(f"trace CPU mean {1000 * whole / len(totals):.1f} ms over {len(totals)} suspects")
    nested = sum(cpu for label, cpu in spent.items() if "(in " not in label)
    spent["(not in any step above)"] = whole - nested
    for label, cpu in spent.most_common():
        print(f"{label:36s} {1000 * cpu / len(totals):6.2f} ms {100 * cpu / whole:5.1f} %")


if __name__ == "__main__":
    main()
