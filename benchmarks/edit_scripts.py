"""Edit scripts over token lists: difflib's SequenceMatcher against rapidfuzz, speed and agreement.

The pairs are real: every copied sentence of a benchmark built by ``unspun bench make``
(gold.jsonl names each suspect sentence's source span), tokenised as the explainer tokenises
them. For each pair both libraries build an edit script over the normalised tokens; the
script reports the median time of ``--runs`` passes over all pairs (CPU time of this
process), the ratio, and how often the two agree (identical opcodes; the same number of
tokens kept equal). Run it under ``nice``: the machine is shared.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/edit_scripts.py BENCH_DIR [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from pathlib import Path

from rapidfuzz.distance import Indel, Levenshtein

from unspun.text.diff import matched, opcodes
from unspun.text.tokens import tokenize

Pair = tuple[list[str], list[str]]


def load_pairs(bench: Path) -> list[Pair]:
    """(suspect tokens, source tokens) of every copied sentence in ``bench``'s gold file."""
    def texts(name: str) -> dict[str, str]:
        with (bench / name).open(encoding="utf-8") as fh:
            return {r["id"]: r["text"] for r in map(json.loads, fh)}

    suspects, refs = texts("suspects.jsonl"), texts("reference.jsonl")
    pairs: list[Pair] = []
    with (bench / "gold.jsonl").open(encoding="utf-8") as fh:
        for gold in map(json.loads, fh):
            text = suspects[gold["id"]]
            for sent in gold.get("sentences", []):
                for src in sent.get("sources", []):
                    if src["source_id"] not in refs:
                        continue
                    a, b = sent["span"]
                    c, d = src["source_span"]
                    pairs.append(([t.norm for t in tokenize(text, a, b)],
                                  [t.norm for t in tokenize(refs[src["source_id"]], c, d)]))
    return pairs


def difflib_opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _kept(ops: Sequence[Sequence[object]]) -> int:
    return sum(int(op[2]) - int(op[1]) for op in ops if op[0] == "equal")  # type: ignore[call-overload]


def timed(fn: Callable[[Sequence[str], Sequence[str]], object], pairs: list[Pair],
          runs: int) -> float:
    """Median CPU seconds of ``runs`` passes of ``fn`` over every pair."""
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        for a, b in pairs:
            fn(a, b)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    pairs = load_pairs(args.bench)
    t_difflib = timed(difflib_opcodes, pairs, args.runs)
    t_unspun = timed(opcodes, pairs, args.runs)
    t_indel = timed(lambda a, b: Indel.opcodes(a, b), pairs, args.runs)
    t_lev = timed(lambda a, b: Levenshtein.opcodes(a, b), pairs, args.runs)
    same = sum(1 for a, b in pairs if [tuple(o) for o in opcodes(a, b)] == difflib_opcodes(a, b))
    fewer = sum(1 for a, b in pairs if _kept(difflib_opcodes(a, b)) < matched(a, b))
    more = sum(1 for a, b in pairs if _kept(difflib_opcodes(a, b)) > matched(a, b))
    print(f"{len(pairs)} pairs, {sum(len(a) for a, _ in pairs)} suspect tokens, "
          f"median of {args.runs} runs (CPU time)")
    print(f"difflib SequenceMatcher.get_opcodes: {t_difflib * 1000:8.1f} ms")
    for name, t in (("unspun.text.diff.opcodes (Indel, joined, slid)", t_unspun),
                    ("rapidfuzz Indel.opcodes alone", t_indel),
                    ("rapidfuzz Levenshtein.opcodes alone", t_lev)):
        print(f"{name}: {t * 1000:8.1f} ms ({t_difflib / t:.1f}x faster)")
    print(f"identical opcodes: {same}/{len(pairs)}; rapidfuzz keeps more tokens equal in {fewer}, "
          f"fewer in {more}")


if __name__ == "__main__":
    main()
