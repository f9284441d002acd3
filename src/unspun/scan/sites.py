"""Per-site scores: how much each site copies, spins and alters, and whom it copies from."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from unspun.scan.lineage import Link
from unspun.scan.records import Pair, Prepared

#: How many top sources a site's row lists.
TOP_SOURCES = 5


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def site_rows(docs: Sequence[Prepared], links: dict[int, Link],
              parent_pairs: dict[int, Pair]) -> list[dict[str, Any]]:
    """One row per site, most articles first.

    Args:
        docs: Every prepared document, indexed by docno.
        links: The lineage link of each document in a cluster.
        parent_pairs: For each copy with a parent, the pair joining it to that parent.

    Returns:
        Rows with ``site``, ``articles``, ``copies``, ``share_copied``, ``spun``,
        ``share_spun``, ``altered_quotes``, ``originals`` (cluster roots), ``top_sources``
        (``{site, copies}``: copies taken from it) and ``median_delay_days`` after the parent.
    """
    stats: dict[str, dict[str, Any]] = {}
    for d in docs:
        s = stats.setdefault(d.site, {"articles": 0, "copies": 0, "spun": 0, "altered": 0,
                                      "originals": 0, "sources": Counter(), "delays": []})
        s["articles"] += 1
        link = links.get(d.docno)
        if link is None:
            continue
        if link.parent is None:
            s["originals"] += 1
            continue
        s["copies"] += 1
        pair = parent_pairs[d.docno]
        s["spun"] += pair.spin > 0
        s["altered"] += pair.altered_quotes > 0
        s["sources"][docs[link.parent].site] += 1
        mine, theirs = _day(d.doc.date), _day(docs[link.parent].doc.date)
        if mine and theirs:
            s["delays"].append((mine - theirs).days)
    rows = []
    for site, s in stats.items():
        n, copies = s["articles"], s["copies"]
        rows.append({
            "site": site, "articles": n, "copies": copies, "share_copied": round(copies / n, 4),
            "spun": s["spun"], "share_spun": round(s["spun"] / copies, 4) if copies else 0.0,
            "altered_quotes": s["altered"], "originals": s["originals"],
            "top_sources": [{"site": k, "copies": v} for k, v in sorted(
                s["sources"].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SOURCES]],
            "median_delay_days": statistics.median(s["delays"]) if s["delays"] else None,
        })
    return sorted(rows, key=lambda r: (-r["articles"], r["site"]))
