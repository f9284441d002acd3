"""Line-level precision and recall of junk removal on the golden pages in tests/golden/clean.

Usage: .venv/bin/python benchmarks/clean_golden.py [-v]
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspun.clean import clean
from unspun.clean.score import LineScore, score_lines
from unspun.data import Document

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


def main() -> None:
    verbose = "-v" in sys.argv
    score, pages, elapsed = evaluate(verbose=verbose)
    print(f"pages={pages} junk lines={score.tp + score.fn} kept lines={score.tn + score.fp}")
    print(f"tp={score.tp} fp={score.fp} fn={score.fn} tn={score.tn}")
    print(f"precision={score.precision:.3f} recall={score.recall:.3f} "
          f"clean time={elapsed * 1000:.1f} ms")
    for problem in score.problems:
        print("  " + problem)


if __name__ == "__main__":
    main()
