"""Shortcuts of the trace's hot paths give what the plain computation gives."""

from __future__ import annotations

import numpy as np

from index.corpus import wikinews
from unspun.align.aligner import Candidate, _best_matches, _live, _rarity
from unspun.align.vectors import _classify, bags, class_weights, join_sources, kernel
from unspun.config import AlignConfig
from unspun.data import Document
from unspun.text import split_sentences
from unspun.text.tokens import word_forms


def _candidate(doc: Document) -> Candidate:
    return Candidate(doc, split_sentences(doc.text))


def test_bags_weigh_each_word_by_its_class() -> None:
    cfg = AlignConfig()
    weigh = class_weights(cfg)
    doc = wikinews(1)[0]
    sentences = split_sentences(doc.text)
    for sent, bag in zip(sentences, bags(doc.text, sentences, cfg), strict=True):
        forms = word_forms(doc.text, sent.span.start, sent.span.end)
        expected: dict[str, float] = {}
        for n, raw in enumerate(forms):
            key, cls = _classify(raw, n == 0)
            expected[key] = max(expected.get(key, 0.0), weigh[cls])
        assert bag.weights == expected
        assert list(bag.weights) == list(dict.fromkeys(expected))  # first-seen order
        assert bag.words == len(forms)


def test_ruling_out_candidates_keeps_every_match() -> None:
    cfg = AlignConfig()
    docs = wikinews(12)
    suspect = docs[0]
    sentences = split_sentences(suspect.text)
    # The suspect's own sentences among unrelated candidates: some candidates match, most not.
    cands = [_candidate(d) for d in docs]
    s_bags = bags(suspect.text, sentences, cfg)
    k = kernel(s_bags, join_sources([c.get_source_side(cfg) for c in cands]))
    starts = np.cumsum([0] + [len(c.sentences) for c in cands])
    idf = _rarity(k, starts, cfg)
    live = _live(k, starts, cfg)
    everyone = np.ones(len(cands), dtype=bool)
    assert 0 < live.sum() < live.size
    for i, bag in enumerate(s_bags):
        assert (_best_matches(i, k, bag, starts, idf, live[i], cfg)
                == _best_matches(i, k, bag, starts, idf, everyone, cfg))


def test_a_document_source_side_is_the_source_side_of_its_bags() -> None:
    from unspun.align.vectors import document_source_side, source_side

    cfg = AlignConfig()
    for doc in wikinews(6) + [Document(id="q", text='He said "the talks, the talks," and left.\n'
                                                    "\u201cNo,\u201d said Ann Lee. Talks failed.")]:
        sentences = split_sentences(doc.text)
        want = source_side(bags(doc.text, sentences, cfg))
        got = document_source_side(doc.text, sentences, cfg)
        assert got.keys == want.keys
        for name in ("rows", "weights", "totals"):
            a, b = getattr(got, name), getattr(want, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name


def test_the_kernel_is_the_plain_bag_computation() -> None:
    cfg = AlignConfig(stop_weight=0.0)  # a zero weight: the word is in the bag but not present
    docs = wikinews(5)
    suspect, sources = docs[0], docs[1:] + [docs[0]]
    s_bags = bags(suspect.text, split_sentences(suspect.text), cfg)
    src_bags = [b for d in sources for b in bags(d.text, split_sentences(d.text), cfg)]
    k = kernel(s_bags, join_sources([_candidate(d).get_source_side(cfg) for d in sources]))
    vocab = list(dict.fromkeys(key for bag in s_bags for key in bag.weights))
    for j, src in enumerate(src_bags):
        assert k.b[j].tolist() == [src.weights.get(key, 0.0) for key in vocab]
        for i, bag in enumerate(s_bags):
            shared = sum(w for key, w in bag.weights.items() if src.weights.get(key, 0.0) > 0)
            assert k.contain[i, j] == np.float32(shared / bag.total if bag.total else 0.0)
    assert k.contain.max() == 1.0  # the suspect is among the sources
