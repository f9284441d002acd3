"""Candidate ranking: whole-document winners first, then per-sentence winners by the number
of suspect sentences they win."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus import wikinews
from unspun.config import EvidenceConfig, RetrievalConfig
from unspun.data import Document
from unspun.fingerprint import sentence_grams
from unspun.index import Index, add_documents
from unspun.index.retrieve import candidate_docnos, choose_evidence, rank_candidates
from unspun.text import split_sentences

# Only the per-sentence route: no document reaches the whole-document floor.
PER_SENTENCE = RetrievalConfig(min_hits=10**6)


def _rank(rows: list[tuple[int, int, int]], config: RetrievalConfig) -> list[int]:
    doc, part, hits = np.array(rows, dtype=np.int64).reshape(-1, 3).T
    return rank_candidates(doc, part, hits, config)


# (document, suspect sentence, distinct shared grams). Document 1 is spun from sentences 0-2
# of the suspect: 2 grams in each, the most in each. Documents 10-14 each repeat sentence 3
# (6 grams, tied); 10 also shares a gram with sentence 4, whose three best are 20-22 (30 and
# 10 are below them).
FIXTURE = [(1, 0, 2), (1, 1, 2), (1, 2, 2), *[(d, 3, 6) for d in range(10, 15)], (10, 4, 1),
           (20, 4, 5), (21, 4, 4), (22, 4, 4), (30, 4, 1)]


def test_a_document_winning_several_sentences_outranks_one_that_wins_one_strongly() -> None:
    ranked = _rank(FIXTURE, PER_SENTENCE)
    assert ranked[0] == 1  # wins 3 sentences with 2 grams each
    # Then one sentence won each: first 10, which touches two sentences, then by total,
    # then the newest document first (ranking by the best sentence put 1 last).
    assert ranked[1:] == [10, 14, 13, 12, 11, 20, 22, 21]  # 30 is no sentence's winner
    assert _rank(FIXTURE, replace(PER_SENTENCE, max_candidates=2)) == [1, 10]


def test_whole_document_winners_go_first_by_their_total() -> None:
    ranked = _rank(FIXTURE, RetrievalConfig(min_hits=6, min_share=0.0))
    assert ranked[:6] == [10, 1, 14, 13, 12, 11]  # totals 7, then 6 (1 touches 3 sentences)
    assert ranked[6:] == [20, 22, 21]  # per-sentence winners below the floor


def test_ties_at_a_sentence_cut_are_kept_and_min_sentence_hits_applies() -> None:
    rows = [(d, 0, 3) for d in range(1, 6)] + [(9, 0, 2), (9, 1, 1)]
    assert sorted(_rank(rows, replace(PER_SENTENCE, per_sentence=2))) == [1, 2, 3, 4, 5, 9]
    assert _rank(rows, replace(PER_SENTENCE, per_sentence=2, min_sentence_hits=2)) == \
        [5, 4, 3, 2, 1]
    assert _rank([], PER_SENTENCE) == []


def test_the_index_ranks_a_spun_source_above_documents_repeating_one_sentence(
        tmp_path: Path) -> None:
    """End to end: the source of three suspect sentences is the one candidate kept, though
    each of three later documents repeats one of those sentences word for word."""
    source, *filler = wikinews(4)
    sentences = [s.text for s in split_sentences(source.text)[:3]]
    decoys = [Document(id=f"decoy-{k}", text=f"{line} {other.text}")
              for k, (line, other) in enumerate(zip(sentences, filler, strict=True))]
    suspect = " ".join(sentences)
    with Index.create(tmp_path / "ix") as index:
        add_documents(index, [source, *decoys])
        grams = sentence_grams(suspect, split_sentences(suspect), index.config,
                               sample_only=False)
        ranked = candidate_docnos(index, grams, PER_SENTENCE)
        ids = {n: doc.id for n, (doc, _) in index.fetch(ranked).items()}
        assert [ids[n] for n in ranked][0] == source.id
        assert set(ids.values()) == {source.id, *(d.id for d in decoys)}


def _evidence_loop(doc: np.ndarray, part: np.ndarray, hits: np.ndarray, size: np.ndarray,
                   config: EvidenceConfig, parts: int) -> list[list[int]]:
    """The loop :func:`choose_evidence` replaced, kept as its specification."""
    out: list[list[int]] = [[] for _ in range(parts)]
    if not len(doc):
        return out
    keep = hits >= np.minimum(size[part], config.min_hits)
    ranked = sorted(zip((-hits[keep]).tolist(), doc[keep].tolist(), part[keep].tolist(),
                        strict=True))
    chosen: set[int] = set()
    for _, d, p in ranked:
        if d not in chosen and len(chosen) >= config.max_docs:
            continue
        chosen.add(d)
        out[p].append(d)
    return out


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5), st.integers(1, 6)),
                      max_size=80, unique_by=lambda t: (t[0], t[1])),
       sizes=st.lists(st.integers(0, 8), min_size=6, max_size=6),
       min_hits=st.integers(0, 4), max_docs=st.integers(0, 12), extra=st.integers(0, 2))
def test_evidence_choice_is_the_loop_over_sorted_rows(
        pairs: list[tuple[int, int, int]], sizes: list[int], min_hits: int, max_docs: int,
        extra: int) -> None:
    """The numpy choice of quote and headline documents is the old loop's, list by list
    and in order: ties in hits broken by docno, the ``max_docs`` cut by first appearance,
    later rows of chosen documents kept, parts without votes left empty."""
    doc, part, hits = np.array(pairs, dtype=np.int64).reshape(-1, 3).T
    size = np.array(sizes, np.int64)
    config = EvidenceConfig(min_hits=min_hits, max_docs=max_docs)
    parts = 6 + extra
    assert choose_evidence(doc, part, hits, size, config, parts) == _evidence_loop(
        doc, part, hits, size, config, parts)
