"""A fixed tune/test split of the article pool, by a hash of each article id."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal

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


def select(docs: Sequence[Document], split: Split) -> list[Document]:
    """The documents of one half (all of them for ``"all"``), in their original order.

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
    return [d for d in docs if split == "all" or split_of(d.id) == split]


def ids_hash(ids: Sequence[str]) -> str:
    """A short fingerprint of a set of article ids (order-free), for the manifest.

    Args:
        ids: Article ids.

    Returns:
        The first 16 hex digits of the SHA-256 of the sorted ids, one per line.
    """
    joined = "\n".join(sorted(set(ids))).encode("utf-8")
    return hashlib.sha256(joined).hexdigest()[:16]
