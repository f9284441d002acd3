"""The aligner's shortcuts give what the plain computation gives.

Three pieces of work are skipped when their result cannot matter: a match's rarity weights
until asked for, the template check of a match that would count for nothing, and the search
for a long sentence's pieces when no neighbouring row could add ``merge_gain``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus import wikinews
from unspun.align import aligner
from unspun.align.aligner import Candidate, _accept, _extra, _Match, align_sentences
from unspun.align.vectors import SentenceBag
from unspun.config import AlignConfig
from unspun.data import Document
from unspun.text import split_sentences


def _accept_plain(matches: list[dict[int, _Match]], s_bags: list[SentenceBag], cfg: AlignConfig,
                  short_line: Callable[[int, int], bool],
                  template: Callable[[int, int, list[int]], bool], borrows: bool) -> dict[int, int]:
    """``_accept`` as it was, with the template checked first for every match."""
    support: dict[int, int] = {}
    strong: set[int] = set()
    extra: set[int] = set()
    for i, per_doc in enumerate(matches):
        words = s_bags[i].words
        for d, m in per_doc.items():
            if m.quote_only or template(i, d, m.rows):
                continue
            if m.merge:
                if m.score >= cfg.strong_score and words >= cfg.strong_single_words:
                    strong.add(d)
                continue
            part = m.covered or m.fragment
            if m.score >= cfg.support_score and not m.fragment:
                support[d] = support.get(d, 0) + 1
            if not part and (
                    (m.score >= cfg.strong_score and words >= cfg.strong_single_words)
                    or (m.rare >= cfg.strong_rare_weight and words >= cfg.strong_min_words
                        and (m.names >= cfg.strong_names or words >= cfg.strong_rare_words)
                        and (m.score >= cfg.support_score
                             or m.rare_plain >= cfg.strong_plain_weight))):
                strong.add(d)
            elif _extra(m, words, cfg) and not short_line(d, m.rows[0]):
                extra.add(d)
    accepted = {d: support.get(d, 0) for d in support.keys() | strong
                if support.get(d, 0) >= cfg.min_doc_sentences or d in strong}
    if accepted or borrows:
        accepted.update((d, support.get(d, 0)) for d in extra - accepted.keys())
    return accepted


@st.composite
def _match(draw: st.DrawFn, d: int) -> _Match:
    rows = draw(st.sampled_from([[0], [1], [0, 1], [2, 4]]))
    m = _Match(d, rows, draw(st.sampled_from([0.3, 0.5, 0.6, 0.75, 0.9, 1.0])), draw(st.booleans()),
               covered=draw(st.booleans()), joined=draw(st.booleans()),
               fragment=draw(st.booleans()))
    m.weighed = (draw(st.sampled_from([0.0, 5.0, 9.0, 13.0, 20.0])),
                 draw(st.sampled_from([0.0, 3.0, 5.0])), draw(st.integers(0, 4)))
    return m


@settings(max_examples=400, deadline=None)
@given(st.data(), st.booleans())
def test_accept_checks_templates_last_with_the_same_outcome(data: st.DataObject,
                                                           borrows: bool) -> None:
    cfg = AlignConfig()
    n = data.draw(st.integers(1, 6))
    matches = [{d: data.draw(_match(d)) for d in data.draw(st.sets(st.integers(0, 3)))}
               for _ in range(n)]
    s_bags = [SentenceBag({}, {}, data.draw(st.sampled_from([3, 8, 12, 20, 40])))
              for _ in range(n)]
    templated = data.draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, 3))))
    short = data.draw(st.sets(st.tuples(st.integers(0, 3), st.integers(0, 4))))
    asked: list[tuple[int, int]] = []

    def template(i: int, d: int, rows: list[int]) -> bool:
        asked.append((i, d))
        return (i, d) in templated

    def short_line(d: int, row: int) -> bool:
        return (d, row) in short

    want = _accept_plain(matches, s_bags, cfg, short_line, lambda i, d, r: (i, d) in templated,
                         borrows)
    assert _accept(matches, s_bags, cfg, short_line, borrows=borrows, template=template) == want
    assert len(asked) <= sum(not m.quote_only for per in matches for m in per.values())


def test_a_match_weighs_its_words_when_first_asked() -> None:
    doc = wikinews(1)[0]
    sentences = split_sentences(doc.text)
    cfg = AlignConfig()
    weighed: list[int] = []
    real = aligner._weigh

    def counting(*args: object) -> tuple[float, float, int]:
        weighed.append(1)
        return real(*args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(aligner, "_weigh", counting)
        traces = align_sentences(doc.text, sentences, [Candidate(doc, sentences)], cfg)
    # The page against itself: every sentence is a near-exact match, which needs no weights
    # to name its source.
    assert all(t.alignment for t in traces if len(t.sentence.text.split()) > 8)
    assert len(weighed) < len(sentences)


def test_skipping_the_piece_search_changes_no_alignment() -> None:
    """Sources cut into pieces (short ``max_chars``) against suspects that keep sentences
    whole: the joins found with and without the shortcut are the same."""
    cfg = AlignConfig()
    docs = wikinews(8)
    joined = 0
    for suspect, source in zip(docs, [docs[0], *docs[:-1]], strict=True):
        s_sents = split_sentences(suspect.text)
        src = Document(id="src", text=source.text)
        cand = [Candidate(src, split_sentences(src.text, max_chars=60))]
        fast = align_sentences(suspect.text, s_sents, cand, cfg)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(aligner, "_MARGIN", 10.0)  # every neighbour may add merge_gain
            cand = [Candidate(src, split_sentences(src.text, max_chars=60))]
            plain = align_sentences(suspect.text, s_sents, cand, cfg)
        assert [t.alignment for t in fast] == [t.alignment for t in plain]
        # A sentence found in two or more pieces (a source span past max_chars) was joined.
        joined += sum(1 for t in fast if t.alignment and t.alignment.kind != "merge"
                      and len(t.alignment.source) > 60)
    assert joined


def test_candidates_used_once_align_as_kept_ones() -> None:
    """Candidates marked ``once`` (a trace's, from the index) go straight into the kernel and
    keep no source half; the alignments are those of candidates that keep theirs."""
    cfg = AlignConfig()
    docs = wikinews(10)
    split = [split_sentences(d.text) for d in docs]
    found = 0
    for n, suspect in enumerate(docs[:4]):
        once = [Candidate(d, s, once=True) for d, s in zip(docs, split, strict=True)]
        kept = [Candidate(d, s) for d, s in zip(docs, split, strict=True)]
        got = align_sentences(suspect.text, split[n], once, cfg)
        want = align_sentences(suspect.text, split[n], kept, cfg)
        assert [(t.alignment, t.order) for t in got] == [(t.alignment, t.order) for t in want]
        assert all(c.src_side is None for c in once)
        assert all(c.src_side is not None for c in kept)
        found += sum(t.alignment is not None for t in got)
    assert found


def _stitched(seed: int) -> tuple[str, list[Candidate]]:
    """A suspect stitched and spun from runs of sentences of several wikinews pages (pairs
    of neighbours fused into one, sentences cut short), and the pages as candidates, half of
    them cut into pieces of at most 90 characters."""
    from random import Random

    from align.builders import spin

    rng = Random(seed)
    docs = wikinews(12)
    parts = []
    for d in rng.sample(docs, 4):
        sents = [s.text for s in split_sentences(d.text) if len(s.text) > 40]
        at = rng.randrange(max(1, len(sents) - 4))
        run = sents[at:at + 4]
        for n, sent in enumerate(run):
            if n == 1 and len(run) > 2:  # two neighbours fused: a merge
                sent = sent.rstrip(".") + ", and " + run[2][0].lower() + run[2][1:]
            elif n == 2:
                continue
            elif n == 3:  # a clause of a sentence: a fragment when it is long
                sent = sent[: len(sent) // (4 if len(sent) > 200 else 2)] + "."
            parts.append(spin(sent, rng.choice([0.0, 0.1, 0.3]), rng))
    rng.shuffle(parts)
    return " ".join(parts), [Candidate(d, split_sentences(d.text, max_chars=90 if n % 2 else 400))
                             for n, d in enumerate(docs)]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([
    AlignConfig(), AlignConfig(min_containment=0.5, merge_reach=0.25, merge_gain=0.125),
    AlignConfig(min_dice=0.5, min_covered=0.5, min_covered_weight=2.0, fragment_containment=0.5),
    AlignConfig(outside_share=0.5, min_outside_weight=2.0, merge_max_gap=3,
                merge_min_part=0.25, quote_share=0.25)]))
def test_all_pairs_at_once_give_each_pairs_matches(seed: int, cfg: AlignConfig) -> None:
    """:func:`_all_best_matches` gives what :func:`_best_matches` gives pair by pair (the same
    matches, in the same order, with the same rarity weights): thresholds that are exact
    binary fractions meet containments equal to them."""
    import numpy as np

    from unspun.align.vectors import bags, kernel, source_side

    text, cands = _stitched(seed)
    sentences = split_sentences(text)
    s_bags = bags(text, sentences, cfg)
    k = kernel(s_bags, source_side([b for c in cands for b in c.get_bags(cfg)]))
    starts = np.array([0, *np.cumsum([len(c.sentences) for c in cands])])
    idf = aligner._rarity(k, starts, cfg)

    def pieces(d: int, j: int) -> list[int]:
        return aligner._pieces(cands[d], j)

    got = aligner._all_best_matches(k, s_bags, starts, idf, cfg, pieces)
    live = aligner._live(k, starts, cfg)
    want = [aligner._best_matches(i, k, s_bags[i], starts, idf, live[i], cfg, pieces)
            for i in range(len(sentences))]
    assert [list(g) for g in got] == [list(w) for w in want]
    assert got == want
