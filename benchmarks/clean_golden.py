"""Line-level precision and recall of junk removal: golden pages, plus two held-out checks.

1. the hand-labelled golden pages in tests/golden/clean (the quality gate);
2. the 212 bundled Wikinews articles, which have no junk: every removed line is a false one;
3. optionally, suspects made by the benchmark generator (``unspun bench``; labels written by
   another engineer's code): ``--bench DIR`` with DIR holding suspects.jsonl and gold.jsonl.

Usage: .venv/bin/python benchmarks/clean_golden.py [-v] [--bench DIR]
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspun.clean import clean
from unspun.clean.lines import split_lines
from unspun.clean.score import LineScore, removed_lines, score_lines
from unspun.data import Document, Span

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "clean"


@dataclass(slots=True)
class GoldenPage:
    """One golden page: its file and its labels."""

    path: Path
    labels: dict[str, Any]


def golden_pages(root: Path = GOLDEN) -> list[GoldenPage]:
    """Every page (``.txt`` or ``.html``) under ``root`` that has a ``.json`` sidecar."""
    pages = []
    for path in sorted(root.iterdir()):
        side = path.with_suffix(".json")
        if path.suffix in (".txt", ".html") and side.exists():
            pages.append(GoldenPage(path, json.loads(side.read_text(encoding="utf-8"))))
    return pages


def read_page(path: Path) -> Document:
    """Read a golden page through ingest (HTML extraction included) when it is available."""
    try:
        from unspun.ingest import read_document  # type: ignore[attr-defined]
    except ImportError:
        read_document = None
    if read_document is not None:
        return read_document(path)  # type: ignore[no-any-return]
    if path.suffix == ".html":
        raise LookupError("unspun.ingest.read_document is not available yet")
    return Document(id=path.name, text=path.read_text(encoding="utf-8"), source=str(path))


def evaluate(root: Path = GOLDEN, *, verbose: bool = False) -> tuple[LineScore, int, float]:
    """Clean every golden page and sum the line scores; return (score, pages, seconds)."""
    total = LineScore()
    pages = 0
    elapsed = 0.0
    for page in golden_pages(root):
        try:
            doc = read_page(page.path)
        except LookupError as err:
            print(f"skip {page.path.name}: {err}", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        result = clean(doc)
        elapsed += time.perf_counter() - t0
        score = score_lines(result, must_remove=page.labels["must_remove"],
                            must_keep=page.labels.get("must_keep", []))
        pages += 1
        total.add(score)
        if verbose:
            print(f"{page.path.name}: tp={score.tp} fp={score.fp} fn={score.fn} tn={score.tn}")
    return total, pages, elapsed


def wikinews() -> tuple[int, int, list[str], float]:
    """Clean the bundled Wikinews articles: (articles, lines, removed lines, seconds)."""
    from unspun.bench.sample import load_wikinews

    docs = load_wikinews()
    t0 = time.perf_counter()
    results = [clean(d) for d in docs]
    elapsed = time.perf_counter() - t0
    lines = sum(len(removed_lines(r)) for r in results)
    removed = [f"{r.doc.id}: {f.kind}: {f.text[:80]!r}" for r in results for f in r.removed]
    return len(docs), lines, removed, elapsed


def bench_suspects(root: Path) -> LineScore:
    """Score cleaning on generated suspects against the generator's junk spans.

    The generator labels every copy of the headline at the top as junk; cleaning keeps the
    headline once, so the first copy counts as a line to keep.
    """
    score = LineScore()
    golds = [json.loads(x) for x in (root / "gold.jsonl").read_text("utf-8").splitlines()]
    rows = [json.loads(x) for x in (root / "suspects.jsonl").read_text("utf-8").splitlines()]
    for row, gold in zip(rows, golds, strict=True):
        doc = Document(id=row["id"], text=row["text"], title=row.get("title"),
                       url=row.get("url"), site=row.get("site"))
        result = clean(doc)
        junk = [Span(*j["span"]) for j in gold["junk"]]
        headlines = [Span(*j["span"]) for j in gold["junk"] if j["kind"] == "repeated-headline"]
        for ln in split_lines(doc.text):
            span = Span(ln.start, ln.end)
            want = any(span.overlap(j) for j in junk) and not (headlines and span == headlines[0])
            got = not any(span.overlap(k) for k in result.kept)
            score.tp += want and got
            score.fp += got and not want
            score.fn += want and not got
            score.tn += not want and not got
            if want != got:
                score.problems.append(f"{doc.id}: {'removed' if got else 'kept'} {ln.text[:80]!r}")
    return score


def _print(name: str, score: LineScore) -> None:
    print(f"{name}: junk lines={score.tp + score.fn} other lines={score.tn + score.fp} "
          f"tp={score.tp} fp={score.fp} fn={score.fn} tn={score.tn} "
          f"precision={score.precision:.3f} recall={score.recall:.3f}")


def main() -> None:
    verbose = "-v" in sys.argv
    score, pages, elapsed = evaluate(verbose=verbose)
    _print(f"golden ({pages} pages, clean {elapsed * 1000:.1f} ms)", score)
    for problem in score.problems:
        print("  " + problem)
    docs, lines, removed, elapsed = wikinews()
    print(f"wikinews (no junk): articles={docs} lines={lines} removed={len(removed)} "
          f"clean {elapsed * 1000:.0f} ms ({elapsed * 1000 / docs:.2f} ms/article)")
    for line in removed:
        print("  " + line)
    if "--bench" in sys.argv:
        root = Path(sys.argv[sys.argv.index("--bench") + 1])
        bench = bench_suspects(root)
        _print(f"generated suspects ({root})", bench)
        for problem in bench.problems[: 50 if verbose else 10]:
            print("  " + problem)


if __name__ == "__main__":
    main()
