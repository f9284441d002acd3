"""Loose alignment: shuffled reuse is found by rarity-weighted runs; same-topic text is not."""

from __future__ import annotations

from random import Random

from unspun.bench.sample import load_wikinews
from unspun.config import AlignConfig, PassageConfig, TraceConfig
from unspun.data import Document, Span
from unspun.eval.unspun_detector import UnspunDetector
from unspun.text import split_sentences


def _shuffle_words(sentence: str, rng: Random) -> str:
    """PAN's "random obfuscation" in miniature: shuffle words, drop and replace some."""
    words = [w.strip('.,;:"') for w in sentence.split()]
    kept = [w if rng.random() > 0.3 else "zq" + w[::-1] for w in words if rng.random() > 0.25]
    rng.shuffle(kept)
    return " ".join(kept).capitalize() + "."


def _host(doc: Document, n: int) -> list[str]:
    return [s.text for s in split_sentences(doc.text)][:n]


def test_shuffled_passage_is_found_only_by_the_loose_pass() -> None:
    docs = load_wikinews()
    source, host = docs[10], docs[40]
    rng = Random(3)
    copied = [s.text for s in split_sentences(source.text)][2:7]
    passage = " ".join(_shuffle_words(s, rng) for s in copied)
    suspect = Document("s", " ".join(_host(host, 6)) + "\n\n" + passage + "\n\n"
                       + " ".join(_host(host, 12)[6:]))
    start = suspect.text.index(passage[:30])
    assert any(a.suspect.overlap(_span(start, len(passage)))
               for a in UnspunDetector().align_pair(suspect, source))
    # Without the one-sentence rarity rule (which names a source from one long sentence with
    # rare shared words, and so already sees some shuffled sentences), the strict aligner
    # misses it and the loose pass finds it.
    no_single = AlignConfig(strong_rare_weight=float("inf"))
    found = UnspunDetector(TraceConfig(align=no_single)).align_pair(suspect, source)
    assert found, "shuffled reuse should be detected"
    assert any(a.suspect.overlap(_span(start, len(passage))) for a in found)
    for a in found:
        assert a.suspect.of(suspect.text).strip() and a.source.of(source.text).strip()
    strict = UnspunDetector(TraceConfig(align=no_single,
                                        passages=PassageConfig(loose_fallback=False)))
    assert not strict.align_pair(suspect, source)


def test_independent_articles_on_nearby_topics_are_not_paired() -> None:
    docs = load_wikinews()
    detector = UnspunDetector()
    pairs = [(docs[i], docs[j]) for i, j in ((0, 1), (5, 9), (20, 21), (30, 77), (100, 101))]
    assert not any(detector.align_pair(a, b) for a, b in pairs)


def _span(start: int, length: int) -> Span:
    return Span(start, start + length)
