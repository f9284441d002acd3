"""CPU of two trees' compiled ``source_hits`` (``unspun._wordkeys``) on a trace's real calls.

The calls are captured from ``--suspects`` traces over the index (the candidates' texts,
their sentence spans, the suspect's columns), then each call is made by both trees' compiled
modules, loaded side by side in this one process, the order flipping call by call, so that
both meet the same load. ``--scrub`` reads 48 MB between calls, as the rest of a trace does
(the form cache is then cold in the CPU's caches, as in a trace). Prints the mean ms a call
of each tree and the median per-call ratio; every call's arrays must be byte-identical::

    PYTHONPATH=src .venv/bin/python benchmarks/source_hits_pair.py --base /work/base/src \\
        --new src --index IX --queries q1m.jsonl --suspects 120 --repeats 3 --scrub
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import statistics
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from unspun.align import vectors
from unspun.data import Document, Sentence, Span
from unspun.index import Index
from unspun.trace import trace_document


def load(src: Path, name: str) -> ModuleType:
    """The tree's compiled _wordkeys under a name of its own (set up as vectors sets it up)."""
    path = next((src / "unspun").glob("_wordkeys*.so"))
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    module.set_lexicon(vectors.STOPWORDS, vectors._classify, sum)
    return module


def capture(index: Path, queries: Path, suspects: int) -> list[tuple[Any, ...]]:
    """The arguments of every source_hits call of the first ``suspects`` traces."""
    calls: list[tuple[Any, ...]] = []
    inner = vectors._source_hits_c
    assert inner is not None, "the extension is not built"

    def record(texts: list[str], sents: list[list[Sentence]], *rest: Any) -> Any:
        copied = [[Sentence(s.index, Span(s.span.start, s.span.end), "") for s in ss]
                  for ss in sents]
        calls.append((list(texts), copied, *rest))
        return inner(texts, sents, *rest)

    vectors._source_hits_c = record
    ix = Index.open(index)
    rows = [json.loads(line) for line in queries.read_text().splitlines()][:suspects]
    for row in rows:
        trace_document(Document(id=row["id"], text=row["text"]), index=ix)
    vectors._source_hits_c = inner
    return calls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True, help="the baseline tree's src")
    ap.add_argument("--new", type=Path, required=True, help="the changed tree's src")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--suspects", type=int, default=120)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scrub", action="store_true", help="48 MB read between calls")
    args = ap.parse_args()
    calls = capture(args.index, args.queries, args.suspects)
    trees = {"base": load(args.base, "hits_base._wordkeys"),
             "new": load(args.new, "hits_new._wordkeys")}
    for call in calls:  # the same arrays from both
        got = [[bytes(b) for b in m.source_hits(*call)] for m in trees.values()]
        assert got[0] == got[1], "the trees' arrays differ"
    scrub = np.ones(6_000_000) if args.scrub else None
    ns: dict[str, list[int]] = {t: [] for t in trees}
    for rep in range(args.repeats):
        for i, call in enumerate(calls):
            for t in (["base", "new"] if (i + rep) % 2 else ["new", "base"]):
                if scrub is not None:
                    scrub.sum()
                start = time.thread_time_ns()
                trees[t].source_hits(*call)
                ns[t].append(time.thread_time_ns() - start)
    ratios = [n / b for n, b in zip(ns["new"], ns["base"], strict=True)]
    chars = statistics.mean(sum(map(len, c[0])) for c in calls)
    print(f"{len(calls)} calls, {chars:,.0f} characters each, {args.repeats} repeats"
          f"{', scrubbed' if args.scrub else ''}")
    for t in trees:
        print(f"{t}: {statistics.mean(ns[t]) / 1e6:.3f} ms a call")
    print(f"median per-call ratio new/base: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
