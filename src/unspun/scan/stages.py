"""The stages of a scan as pure functions over batches; every engine calls these same ones."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np

from unspun.align.vectors import compact
from unspun.clean import SiteProfile
from unspun.config import AlignConfig
from unspun.data import Document
from unspun.scan.compare import NO_DOC, Known, TokenCache, compare_pair
from unspun.scan.config import ScanConfig
from unspun.scan.lineage import Link, ancestry, clusters, direction, lineage
from unspun.scan.prepare import prepare_document
from unspun.scan.records import Pair, Prepared


def prepare_batch(batch: Iterable[tuple[int, Document]], *, config: ScanConfig,
                  profile: SiteProfile | None) -> list[Prepared]:
    """Prepare ``(docno, document)`` pairs (see :func:`prepare_document`)."""
    return [prepare_document(doc, docno, config=config, profile=profile) for docno, doc in batch]


class SourceCache:
    """Documents as aligner sources (their half of the kernel, their quotes and grams), kept
    across batches.

    Building a document's sentence bags costs about as much as aligning one pair, and a
    document is the source side of many pairs (about 20 each on the dense benchmark corpus),
    scattered over the batches; so a worker keeps the ``limit`` most recently used ones
    (7.5 KB each on planted 100k, with their quotes and grams). A kept source does not keep
    its document (13 KB unpickled): :meth:`get` binds it to the caller's copy for one pair,
    :meth:`release` lets that go (a worker's store holds only its latest documents).
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._items: OrderedDict[int, Known] = OrderedDict()
        self.tokens = TokenCache()  # the spans edit labelling met, kept likewise
        self.builds = 0  # documents built as sources (a benchmark's count of misses)

    def get(self, n: int, doc: Prepared, config: AlignConfig) -> Known:
        cand = self._items.get(n)
        if cand is None:
            cand = self._items[n] = Known.of(doc)
            self.builds += 1
            compact(cand.candidate.get_source_side(config))
            if len(self._items) > self.limit:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(n)
            cand.bind(doc)
        return cand

    @staticmethod
    def release(cand: Known) -> None:
        """Let go of the document :meth:`get` bound ``cand`` to (its pair is compared)."""
        cand.bind(NO_DOC)


def compare_batch(pairs: np.ndarray, docs: Sequence[Prepared] | dict[int, Prepared], *,
                  config: ScanConfig, cache: SourceCache | None = None) -> list[Pair]:
    """Compare candidate pairs (rows ``(a, b)``, sorted by ``a``), in order; pairs with
    nothing aligned drop out.

    Each ``a`` is built as a suspect (bags and kernel half) once for its run of pairs, each
    ``b`` as a source once per ``cache`` (or per batch without one).
    """
    cache = SourceCache() if cache is None else cache
    out: list[Pair] = []
    suspect: tuple[int, Known] | None = None
    for a, b in pairs.tolist():
        if suspect is None or suspect[0] != a:
            suspect = (a, Known.of(docs[a]))
        doc = docs[b]
        known = cache.get(b, doc, config.align)
        pair = compare_pair(docs[a], doc, config=config, a_known=suspect[1], b_known=known,
                            tokens=cache.tokens)
        cache.release(known)
        if pair is not None:
            out.append(pair)
    return out


def date_of(doc: Document) -> str | None:
    """The document's date as an ISO string, or None when it has none that reads as one."""
    d = (doc.date or "").strip()
    return d if len(d) >= 10 and d[:4].isdigit() and d[4] == "-" else None


@dataclass(slots=True)
class Results:
    """What a scan found across the corpus."""

    pairs: list[Pair]
    clusters: list[list[int]]
    cluster_of: dict[int, int] = field(default_factory=dict)
    links: dict[int, Link] = field(default_factory=dict)
    sources: dict[tuple[int, int], int | None] = field(default_factory=dict)
    parent_pairs: dict[int, Pair] = field(default_factory=dict)


def relate(docs: Sequence[Prepared], pairs: Sequence[Pair]) -> Results:
    """Clusters, lineage and the direction of every copy pair.

    Args:
        docs: Every prepared document, indexed by docno.
        pairs: The compared pairs (any order).

    Returns:
        The results; pairs sorted by ``(a, b)``.
    """
    ordered = sorted(pairs, key=attrgetter("a", "b"))
    groups = clusters(ordered)
    res = Results(ordered, groups)
    dates = {d.docno: date_of(d.doc) for d in docs}
    by_cluster: dict[int, list[Pair]] = {}
    for c, members in enumerate(groups):
        for m in members:
            res.cluster_of[m] = c
    for p in ordered:
        if p.relation == "copy":
            by_cluster.setdefault(res.cluster_of[p.a], []).append(p)
    for c, members in enumerate(groups):
        for link in lineage(c, members, by_cluster.get(c, []), dates):
            res.links[link.docno] = link
    lookup = {(p.a, p.b): p for p in ordered if p.relation == "copy"}
    for link in res.links.values():
        if link.parent is not None:
            key = (min(link.docno, link.parent), max(link.docno, link.parent))
            res.parent_pairs[link.docno] = lookup[key]
    times = ancestry(res.links)
    for p in ordered:
        res.sources[(p.a, p.b)] = direction(p, res.links, dates, times) \
            if p.relation == "copy" else None
    return res
