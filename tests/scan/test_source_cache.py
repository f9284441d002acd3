"""Sources kept compact (by word ids alone) and suspects' quotes found once change no pair."""

from __future__ import annotations

import random

import numpy as np

from unspun.align.vectors import bags, compact, join_sources, kernel, source_side, suspect_side
from unspun.bench.sample import load_wikinews
from unspun.scan.compare import NO_DOC, Known, compare_pair
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared
from unspun.scan.stages import SourceCache, compare_batch
from unspun.text.quotes import closed_quotes

from .helpers import prep


def _corpus(n: int = 24, seed: int = 5) -> list[Prepared]:
    """A small planted corpus: originals from Wikinews paragraphs, and reusers that copy a run
    of another document's sentences with a few words swapped (some of them quotes)."""
    rng = random.Random(seed)
    paras = [p for d in load_wikinews()[:60] for p in d.text.split("\n\n")[1:] if len(p) > 200]
    texts: list[str] = []
    for i in range(n):
        own = rng.sample(paras, 3)
        if i >= 4 and rng.random() < 0.6:
            src = texts[rng.randrange(i)].split("\n\n")
            start = rng.randrange(len(src))
            block = [" ".join(w if rng.random() > 0.05 else "marmalade" for w in p.split())
                     for p in src[start : start + 2]]
            own[1:1] = block
        texts.append("\n\n".join(own))
    return prep(texts)


def test_a_compact_source_gives_the_same_kernel() -> None:
    docs = _corpus(6)
    cfg = ScanConfig().align
    a, b, c = (Known.of(d).candidate for d in docs[:3])
    side = suspect_side(a.get_bags(cfg))
    plain_b, plain_c = source_side(b.get_bags(cfg)), source_side(c.get_bags(cfg))
    small_b = compact(source_side(b.get_bags(cfg)))
    assert small_b.keys == [] and small_b.ids is not None and small_b.ids.dtype == np.int32
    for got, want in [(kernel(side, small_b), kernel(side, plain_b)),
                      (kernel(side, join_sources([small_b, plain_c])),
                       kernel(side, join_sources([plain_b, plain_c])))]:
        for name in ("b", "b_tot", "contain", "dice", "contain_out", "covered"):
            assert np.array_equal(getattr(got, name), getattr(want, name)), name


def test_bags_from_quotes_found_before_are_the_same() -> None:
    cfg = ScanConfig().align
    for d in _corpus(8):
        quoted = closed_quotes(d.doc.text, [s.span for s in d.sentences])
        assert bags(d.doc.text, d.sentences, cfg, quoted=quoted) == \
            bags(d.doc.text, d.sentences, cfg)
        known = Known.of(d)
        assert known.bags(cfg) == bags(d.doc.text, d.sentences, cfg)
        assert known._quotes == quoted  # found once, for the bags and the quote matches


def test_every_pair_is_the_same_with_any_cache() -> None:
    """All pairs of a small planted corpus, compared as a worker does (sources kept compact,
    in a cache too small to hold them or large enough), equal pairs compared from scratch."""
    docs = _corpus()
    config = ScanConfig(furniture=False)
    rows = np.array([(a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))])
    fresh = [p for a, b in rows.tolist()
             if (p := compare_pair(docs[a], docs[b], config=config)) is not None]
    assert sum(p.relation == "copy" for p in fresh) >= 5  # the corpus does plant copies
    for limit in (1, 3, 1000):
        cache = SourceCache(limit)
        got = [p for part in np.array_split(rows, 4)
               for p in compare_batch(part, docs, config=config, cache=cache)]
        assert got == fresh, limit


def test_a_cached_source_keeps_no_document_between_pairs() -> None:
    """A worker's store lets old documents go; a cached source must not keep them alive, and
    bound to a fresh copy of its document (as the store loads it again) it compares alike."""
    import pickle

    docs = _corpus(12)
    config = ScanConfig(furniture=False)
    rows = np.array([(a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))])
    cache = SourceCache(1000)
    first = compare_batch(rows, docs, config=config, cache=cache)
    kept = [cache.get(b, docs[b], config.align) for b in range(1, len(docs))]
    for known in kept:
        cache.release(known)
        assert known.doc is NO_DOC and known.candidate.doc is NO_DOC.doc
        assert known.candidate.sentences == []
    copies = [pickle.loads(pickle.dumps(d)) for d in docs]  # the store's later copies
    assert compare_batch(rows, copies, config=config, cache=cache) == first
    assert cache.builds == len(docs) - 1  # every source built once, reused with the copies
