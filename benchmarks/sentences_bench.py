"""Sentence splitting: unspun's splitter against offset-preserving libraries, quality and speed.

Quality: the hand-annotated paragraphs in tests/fixtures/text/sentences.txt (boundary
precision, recall and F1; share of paragraphs split exactly right). Speed: splitting the text
of the 212 bundled Wikinews articles, median of ``--runs`` passes, characters per second and
the ratio against unspun measured in the same run. pysbd and syntok are optional: install them
into the venv only to run this script (they are not dependencies of unspun).

Usage: .venv/bin/python benchmarks/sentences_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from unspun.bench.sample import load_wikinews
from unspun.text import split_sentences

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "text" / "sentences.txt"
Splitter = Callable[[str], list[tuple[int, int]]]


def annotated_blocks(path: Path = FIXTURE) -> list[list[str]]:
    """The fixture's paragraphs, each a list of its gold sentences (one per line)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def _unspun(text: str) -> list[tuple[int, int]]:
    return [(s.span.start, s.span.end) for s in split_sentences(text)]


def _pysbd() -> Splitter | None:
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [(s.start, s.end) for s in seg.segment(text)]


def _syntok() -> Splitter | None:
    try:
        from syntok import segmenter
    except ImportError:
        return None

    def split(text: str) -> list[tuple[int, int]]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                first, last = sentence[0], sentence[-1]
                out.append((first.offset, last.offset + len(last.value)))
        return out
    return split


def _ends(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Sentence ends inside the text (not the final one), at the last non-space character."""
    ends = {len(text[:e].rstrip()) for _, e in spans}
    ends.discard(len(text.rstrip()))
    return ends


def quality(split: Splitter) -> dict[str, float]:
    """Boundary precision/recall/F1 and exact paragraphs on the annotated fixture."""
    tp = fp = fn = exact = 0
    blocks = annotated_blocks()
    for gold in blocks:
        text = " ".join(gold)
        want, pos = set(), 0
        for sentence in gold[:-1]:
            pos += len(sentence)
            want.add(pos)
            pos += 1
        got = _ends(text, split(text))
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        exact += got == want
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "exact": exact / len(blocks)}


def speed(split: Splitter, texts: list[str], runs: int) -> float:
    """Median characters per second over ``runs`` passes of all texts."""
    chars = sum(len(t) for t in texts)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            split(text)
        times.append(time.perf_counter() - start)
    return chars / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = [d.text for d in load_wikinews()]
    splitters = {"unspun": _unspun, "pysbd": _pysbd(), "syntok": _syntok()}
    base = None
    print(f"fixture: {len(annotated_blocks())} paragraphs; speed: {len(texts)} articles, "
          f"{sum(len(t) for t in texts):,} characters, median of {args.runs}")
    print(f"{'splitter':<8} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'chars/s':>12} {'ratio':>6}")
    for name, split in splitters.items():
        if split is None:
            print(f"{name:<8} not installed")
            continue
        q = quality(split)
        cps = speed(split, texts, args.runs if name == "unspun" else max(1, args.runs // 2))
        base = base or cps
        print(f"{name:<8} {q['precision']:6.3f} {q['recall']:6.3f} {q['f1']:6.3f} "
              f"{q['exact']:6.3f} {cps:12,.0f} {cps / base:6.2f}")


if __name__ == "__main__":
    main()
