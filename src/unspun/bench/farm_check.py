"""Check a farm-mode gold record: every span, quote, carrier and headline slices its text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from unspun.bench.gold import validate
from unspun.bench.sample import read_records
from unspun.data import Document
from unspun.errors import BadInput


def _slice(text: str, span: list[int], what: str) -> str:
    s, e = span
    if not 0 <= s <= e <= len(text):
        raise ValueError(f"{what}: span {span} outside the text")
    return text[s:e]


def _carriers(sid: str, used: str, carriers: list[dict[str, Any]],
              refs: Mapping[str, Document]) -> None:
    """Every carrier's span holds the same words as the used carrier's span."""
    texts = []
    for c in carriers:
        if c["source_id"] not in refs:
            raise ValueError(f"{sid}: unknown carrier {c['source_id']}")
        texts.append(_slice(refs[c["source_id"]].text, c["source_span"], f"{sid}: carrier"))
    if len(set(texts)) > 1 or used not in {c["source_id"] for c in carriers}:
        raise ValueError(f"{sid}: carriers of {used} disagree: {texts[:2]}")


def _undo(words: str, at: int, edits: list[dict[str, Any]]) -> str:
    """The quote's words with every edit inside them reverted (``new`` back to ``old``)."""
    inside = [e for e in edits if e["type"] != "junk"
              and at <= e["suspect"][0] and e["suspect"][1] <= at + len(words)]
    for e in sorted(inside, key=lambda e: e["suspect"][0], reverse=True):
        s, t = e["suspect"][0] - at, e["suspect"][1] - at
        words = words[:s] + e["old"] + words[t:]
    return words


def validate_farm(text: str, gold: Mapping[str, Any], refs: Mapping[str, Document]) -> None:
    """Check one farm-mode gold record against the suspect and reference texts.

    Args:
        text: The suspect text.
        gold: Its gold record.
        refs: Reference documents by id.

    Raises:
        ValueError: Naming the suspect and the first thing that does not fit.
    """
    sid = gold["id"]
    validate(text, gold, {k: d.text for k, d in refs.items()})
    for sent in gold["sentences"]:
        if sent.get("sources"):
            _carriers(sid, sent["sources"][0]["source_id"], sent["sources"], refs)
    for q in gold["quotes"]:
        words = _slice(text, q["span"], f"{sid}: quote")
        src = _slice(refs[q["source_id"]].text, q["source_span"], f"{sid}: quote source")
        if _undo(words, q["span"][0], gold["edits"]) != src or len(src.split()) < 6 or (
                (words != src) != q["altered"]):
            raise ValueError(f"{sid}: quote {words!r} vs source {src!r}, altered={q['altered']}")
        _carriers(sid, q["source_id"], q["carriers"], refs)
    for span in gold["headline_spans"]:
        if _slice(text, span, f"{sid}: headline") != gold["title"]:
            raise ValueError(f"{sid}: headline span {span} does not hold the headline")
    h = gold["headline"]
    if h is not None:
        title = refs[h["source_id"]].title or ""
        if h["text"].rstrip(".") != title.rstrip(".") or not gold["headline_spans"]:
            raise ValueError(f"{sid}: headline {h['text']!r} is not {h['source_id']}'s title")
    for junk in gold["junk"]:
        ref = refs.get(junk.get("refers_to") or "")
        line = _slice(text, junk["span"], f"{sid}: furniture")
        if ref is not None and junk["kind"] != "more-news" and line not in ref.text:
            raise ValueError(f"{sid}: {junk['kind']} {line!r} is not in {ref.id}")
    used = sorted(g["used"] for g in gold["source_groups"])
    if used != gold["sources"] or any(g["used"] not in g["carriers"]
                                      for g in gold["source_groups"]):
        raise ValueError(f"{sid}: source groups do not match sources")



def check_farm(bench_dir: Path) -> int:
    """Validate every gold record of a farm-mode benchmark directory against its texts.

    Args:
        bench_dir: A directory written by ``unspun bench make --mode farm``.

    Returns:
        The number of suspects checked.

    Raises:
        BadInput: When a file is missing or malformed, or a gold span does not fit.
    """
    rows = {name: read_records(bench_dir / name) for name in
            ("reference.jsonl", "suspects.jsonl", "gold.jsonl")}
    refs = {r["id"]: Document(id=r["id"], text=r["text"], title=r.get("title"))
            for _, r in rows["reference.jsonl"]}
    texts = {r["id"]: r["text"] for _, r in rows["suspects.jsonl"]}
    for where, g in rows["gold.jsonl"]:
        try:
            validate_farm(texts[g["id"]], g, refs)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput(where, f"gold does not fit: {exc}") from exc
    return len(rows["gold.jsonl"])
