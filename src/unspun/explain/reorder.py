"""How the suspect reordered the sentences it took from each source (Kendall tau, moved sentences)."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from unspun.data import TraceResult


def kendall_tau(orders: list[int]) -> float:
    """Kendall's tau between positions ``0..n-1`` and ``orders``: 1 in order, -1 reversed.

    Ties (two suspect sentences from one source sentence) count for neither side; fewer
    than two comparable pairs give 1.0.
    """
    concordant = discordant = 0
    for i in range(len(orders)):
        for j in range(i + 1, len(orders)):
            if orders[j] > orders[i]:
                concordant += 1
            elif orders[j] < orders[i]:
                discordant += 1
    total = concordant + discordant
    return (concordant - discordant) / total if total else 1.0


def _kept_in_order(orders: list[int]) -> set[int]:
    """Positions of one longest non-decreasing subsequence of ``orders``."""
    tails: list[int] = []
    tail_pos: list[int] = []
    parent = [-1] * len(orders)
    for pos, value in enumerate(orders):
        k = bisect_left(tails, value + 1)  # non-decreasing: place after equal values
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        parent[pos] = tail_pos[k - 1] if k > 0 else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = parent[pos]
    return keep


def reorder_summary(result: TraceResult) -> dict[str, Any]:
    """Summarise sentence reordering per source.

    Uses ``SentenceTrace.order`` (the matched source sentence's position) of every aligned
    sentence. A sentence is *moved* when it falls outside the longest run of its source's
    sentences that the suspect keeps in source order.

    Args:
        result: A trace whose aligned sentences carry ``order``.

    Returns:
        ``{"score": float, "moved": [suspect sentence index, ...], "per_source": {doc_id:
        {"tau": float, "sentences": int, "moved": [...]}}}`` where ``score`` is the share of
        ordered sentences that were moved (0 = every source kept in order).
    """
    by_source = _by_source(result)
    per_source: dict[str, dict[str, Any]] = {}
    moved_all: list[int] = []
    counted = 0
    for doc_id, items in by_source.items():
        orders = [o for _, o in items]
        keep = _kept_in_order(orders)
        moved = [items[k][0] for k in range(len(items)) if k not in keep]
        per_source[doc_id] = {
            "tau": round(kendall_tau(orders), 4),
            "sentences": len(items),
            "moved": moved,
        }
        moved_all.extend(moved)
        counted += len(items)
    return {
        "score": round(len(moved_all) / counted, 4) if counted else 0.0,
        "moved": sorted(moved_all),
        "per_source": per_source,
    }


def reorder_score(result: TraceResult) -> float:
    """``reorder_summary(result)["score"]`` alone: the share of ordered sentences moved.

    The verdict needs only this; the summary's Kendall tau of each source compares every
    pair of its sentences, which the score does not use (tests/explain/test_reorder.py
    compares the two).
    """
    moved = counted = 0
    for items in _by_source(result).values():
        moved += len(items) - len(_kept_in_order([o for _, o in items]))
        counted += len(items)
    return round(moved / counted, 4) if counted else 0.0


def _by_source(result: TraceResult) -> dict[str, list[tuple[int, int]]]:
    """(suspect sentence index, source order) of each ordered aligned sentence, by source."""
    by_source: dict[str, list[tuple[int, int]]] = {}
    for st in result.sentences:
        if st.alignment is None or st.order is None:
            continue
        by_source.setdefault(st.alignment.source_id, []).append((st.sentence.index, st.order))
    return by_source
