"""A fixed tune/test split of the article pool, by a hash of each article id."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from unspun.bench.sample import load_wikinews, read_wikinews
from unspun.data import Document

Split = Literal["tune", "test", "all"]
SPLITS: tuple[Split, ...] = ("tune", "test", "all")


def split_of(doc_id: str) -> Literal["tune", "test"]:
    """The half an article id belongs to: the low bit of the SHA-256 of the id.

    Args:
        doc_id: The article id.

    Returns:
        ``"tune"`` or ``"test"``, the same for an id on every machine and in every release.
    """
    return "tune" if hashlib.sha256(doc_id.encode("utf-8")).digest()[0] & 1 else "test"


def canonical_ids(docs: Sequence[Document], *, containment: float = 0.2) -> dict[str, str]:
    """Map every article to the smallest id of its near-duplicate group.

    Two articles are near-duplicates when the smaller shares at least ``containment`` of its
    word 5-grams with the other (the sample holds a few stories twice, under two ids).

    Args:
        docs: The article pool.
        containment: Share of shared 5-grams that makes two articles one story.

    Returns:
        ``{id: canonical id}`` for every document.
    """
    grams: dict[str, set[str]] = {}
    for d in docs:
        words = re.findall(r"\w+", d.text.lower())
        grams[d.id] = {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}
    holders: dict[str, list[str]] = {}
    for doc_id, own in grams.items():
        for g in own:
            holders.setdefault(g, []).append(doc_id)
    shared = Counter((a, b) for ids in holders.values() if 1 < len(ids) < 5
                     for a in ids for b in ids if a < b)
    parent = {d.id: d.id for d in docs}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        if n >= containment * max(1, min(len(grams[a]), len(grams[b]))):
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {d.id: root(d.id) for d in docs}


def select(docs: Sequence[Document], split: Split) -> list[Document]:
    """The documents of one half, in their original order.

    A half keeps one article per near-duplicate group (:func:`canonical_ids`), and the group
    goes to the half of its canonical id, so the same story never lands in both halves.
    ``"all"`` is the whole pool as it is (duplicates included, as before the split existed).

    Args:
        docs: The article pool.
        split: ``"tune"`` (for tuning thresholds), ``"test"`` (for gating) or ``"all"``.

    Returns:
        The selected documents.

    Raises:
        ValueError: When ``split`` is not one of :data:`SPLITS`.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    if split == "all":
        return list(docs)
    canon = canonical_ids(docs)
    return [d for d in docs if canon[d.id] == d.id and split_of(d.id) == split]


def ids_hash(ids: Sequence[str]) -> str:
    """A short fingerprint of a set of article ids (order-free), for the manifest.

    Args:
        ids: Article ids.

    Returns:
        The first 16 hex digits of the SHA-256 of the sorted ids, one per line.
    """
    joined = "\n".join(sorted(set(ids))).encode("utf-8")
    return hashlib.sha256(joined).hexdigest()[:16]


def load_split(source: Path | None, split: Split) -> tuple[list[Document], dict[str, Any]]:
    """Load the article pool and keep one half of it, with the manifest fields that say so.

    Args:
        source: A Wikinews-format JSONL; the bundled sample when None.
        split: ``"tune"``, ``"test"`` or ``"all"``.

    Returns:
        The half's documents, and ``{"split", "split_ids_hash", "split_articles"}``.

    Raises:
        BadInput: When ``source`` cannot be read.
    """
    docs = select(read_wikinews(source) if source else load_wikinews(), split)
    return docs, {"split": split, "split_ids_hash": ids_hash([d.id for d in docs]),
                  "split_articles": len(docs)}
