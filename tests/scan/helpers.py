"""Small corpora for the scan tests, written as JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from unspun.bench.sample import load_wikinews
from unspun.data import Document
from unspun.scan.config import ScanConfig
from unspun.scan.prepare import prepare_document
from unspun.scan.records import Pair, Prepared

#: Three sentences on unrelated topics, sharing no gram with the tests' stories.
OTHER = ["A violinist from Lyon won the international competition held in the old opera house.",
         "Heavy rain flooded several roads in the northern districts overnight, police said.",
         "The museum will reopen its modern art wing next spring after two years of repairs."]


def prep(texts: list[str]) -> list[Prepared]:
    """Each text as a prepared document numbered by its place (no furniture removal)."""
    cfg = ScanConfig(furniture=False)
    return [prepare_document(Document(f"d{i}", t), i, config=cfg) for i, t in enumerate(texts)]


def write_docs(path: Path, docs: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    return path


def body(n: int, *, paragraphs: int = 4) -> str:
    """The first paragraphs of Wikinews article ``n`` (no date line)."""
    paras = [p for p in load_wikinews()[n].text.split("\n\n")[1:] if p.strip()]
    return "\n\n".join(paras[:paragraphs])


def pair(a: int, b: int, *, swaps: list[tuple[int, int, str, str]] | None = None,
         share_a: float = 1.0, share_b: float = 1.0, sentences: int = 10) -> Pair:
    """A copy pair with the given swaps and shares (placeholder passages spanning offsets
    0-999 of both documents)."""
    from unspun.scan.records import Passage

    return Pair(a, b, "copy", [Passage(0, 1000, 0, 1000, 1.0, False)] * sentences, share_a, share_b,
                sentences, 0, {}, list(swaps or []), 0)
