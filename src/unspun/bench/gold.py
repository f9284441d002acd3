"""Lay out suspect text from pieces and junk, record the gold, and check every gold span."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspun.bench.rewrite import Junk, Piece
from unspun.errors import BadInput

Block = list[Piece] | Junk


@dataclass(slots=True)
class Suspect:
    """A generated suspect article and its gold annotation (JSON-ready dicts)."""

    id: str
    type: str
    expected_verdict: str
    title: str
    text: str
    sentences: list[dict[str, Any]]
    junk: list[dict[str, Any]]
    edits: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)

    def gold(self) -> dict[str, Any]:
        """The gold.jsonl record."""
        sources = sorted({s["source_id"] for sent in self.sentences for s in sent.get("sources", [])})
        return {"id": self.id, "type": self.type, "expected_verdict": self.expected_verdict,
                "sources": sources, **self.extra, "sentences": self.sentences,
                "junk": self.junk, "edits": self.edits}


def layout(blocks: list[Block]) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]],
                                         list[dict[str, Any]]]:
    """Join blocks into text (blank line between paragraphs, a space between sentences).

    Args:
        blocks: Paragraphs (lists of pieces) and junk lines, in suspect order.

    Returns:
        ``(text, sentences, junk, edits)`` with absolute offsets into ``text``.
    """
    parts: list[str] = []
    sentences: list[dict[str, Any]] = []
    junk: list[dict[str, Any]] = []
    edits: list[dict[str, Any]] = []
    pos = 0

    def emit(chunk: str) -> int:
        nonlocal pos
        start = pos
        parts.append(chunk)
        pos += len(chunk)
        return start

    for n, block in enumerate(b for b in blocks if b):
        if n:
            emit("\n\n")
        if isinstance(block, Junk):
            start = emit(block.text)
            item: dict[str, Any] = {"span": [start, pos], "kind": block.kind}
            if block.refers_to:
                item["refers_to"] = block.refers_to
            junk.append(item)
            edits.append({"type": "junk", "suspect": [start, pos], "source_id": None,
                          "source": None, "old": "", "new": block.text, "detail": block.kind})
            continue
        for i, piece in enumerate(block):
            if i:
                emit(" ")
            start = emit(piece.text)
            sent: dict[str, Any] = {"span": [start, pos]}
            if piece.sources:
                sent["origin"] = "copied"
                sent["sources"] = [{"source_id": d, "source_span": [s, e]}
                                   for d, s, e in piece.sources]
            else:
                sent["origin"] = "original"
            sentences.append(sent)
            for ed in piece.edits:
                edits.append({"type": ed.type, "suspect": [start + ed.start, start + ed.end],
                              "source_id": ed.source_id,
                              "source": list(ed.source) if ed.source else None,
                              "old": ed.old, "new": ed.new, "detail": ed.detail,
                              "in_quote": ed.in_quote})
    return "".join(parts), sentences, junk, edits


def validate(suspect_text: str, gold: Mapping[str, Any], references: Mapping[str, str]) -> None:
    """Check that every span of one gold record slices its texts as recorded.

    Args:
        suspect_text: The suspect's text.
        gold: Its gold record.
        references: Reference texts by id.

    Raises:
        ValueError: Naming the suspect and the first span that does not fit.
    """
    sid = gold["id"]

    def fits(span: list[int], text: str) -> bool:
        return 0 <= span[0] <= span[1] <= len(text)

    for sent in gold["sentences"]:
        s, e = sent["span"]
        if not fits(sent["span"], suspect_text) or not suspect_text[s:e].strip() or (
            suspect_text[s:e] != suspect_text[s:e].strip()
        ):
            raise ValueError(f"{sid}: bad sentence span {sent['span']}")
        for src in sent.get("sources", []):
            ref = references.get(src["source_id"])
            if ref is None or not fits(src["source_span"], ref):
                raise ValueError(f"{sid}: bad source {src}")
        if (sent["origin"] == "copied") != bool(sent.get("sources")):
            raise ValueError(f"{sid}: origin does not match sources at {sent['span']}")
    for item in gold["junk"]:
        if not fits(item["span"], suspect_text):
            raise ValueError(f"{sid}: bad junk span {item['span']}")
        if item.get("refers_to") and item["refers_to"] not in references:
            raise ValueError(f"{sid}: junk refers to unknown {item['refers_to']}")
    for ed in gold["edits"]:
        s, e = ed["suspect"]
        if not fits(ed["suspect"], suspect_text) or suspect_text[s:e] != ed["new"]:
            raise ValueError(f"{sid}: edit {ed['type']} suspect span {ed['suspect']} != new")
        if ed["source"] is not None:
            ref = references.get(ed["source_id"], "")
            a, b = ed["source"]
            if not fits(ed["source"], ref) or ref[a:b] != ed["old"]:
                raise ValueError(f"{sid}: edit {ed['type']} source span {ed['source']} != old")


def check_bench(bench_dir: Path) -> int:
    """Validate every gold record of a benchmark directory against its texts.

    Args:
        bench_dir: A directory written by ``unspun bench make``.

    Returns:
        The number of suspects checked.

    Raises:
        BadInput: When a file is missing or a gold span does not slice its text.
    """
    def rows(name: str) -> list[dict[str, Any]]:
        path = bench_dir / name
        if not path.is_file():
            raise BadInput(str(path), "missing (not a benchmark made by 'unspun bench make'?)")
        try:
            return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip()]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(str(path), f"cannot read: {exc.__class__.__name__}") from exc

    refs = {r["id"]: r["text"] for r in rows("reference.jsonl")}
    suspects = {r["id"]: r["text"] for r in rows("suspects.jsonl")}
    gold = rows("gold.jsonl")
    for g in gold:
        try:
            validate(suspects[g["id"]], g, refs)
        except (KeyError, ValueError) as exc:
            raise BadInput(str(bench_dir / "gold.jsonl"), str(exc)) from exc
    return len(gold)
