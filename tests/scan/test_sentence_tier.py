"""The sentence candidate tier: related sentences counted by brute force, in any chunking, and
alike through the numpy and DuckDB candidate stages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from unspun.scan import sentence_tier
from unspun.scan.candidates import candidate_pairs, candidate_pairs_duckdb
from unspun.scan.config import ScanConfig
from unspun.scan.sentence_tier import (
    add_sentence_tier,
    pass_stats,
    union_pairs,
    word_sentences,
)

from .helpers import OTHER, prep

SOURCE = ["Mayor Ingrid Halvorsen opened the Tromsø aquarium on Friday.",
          "It cost 41 million kroner, paid by the Nordland county council.",
          "Greenpeace activists protested against the captive seals outside."]
# SOURCE reworded sentence by sentence, with no 4-gram or skeleton gram left in common
REWORDED = ["On Friday the aquarium in Tromsø was inaugurated by Halvorsen, the mayor.",
            "The Nordland council of the county paid its price: 41 million kroner.",
            "Outside, activists from Greenpeace demonstrated over seals kept captive."]


def _tier(**kw: float) -> ScanConfig:
    """The sentence tier with the other tiers off where they would find the same pairs."""
    return ScanConfig(max_df=10, min_grams=2, min_words=0, **kw)  # type: ignore[arg-type]


def _random_docs(seed: int, n: int = 40) -> list:
    rng = np.random.default_rng(seed)
    words = " ".join([*SOURCE, *REWORDED, *OTHER]).replace(".", "").replace(",", "").split()
    return prep([" ".join(" ".join(rng.choice(words, size=8)) + "."
                           for _ in range(int(rng.integers(2, 7)))) for _ in range(n)])


def _brute(docs: list, max_df: int, words: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Each document pair's related sentences on each side, by sets of words."""
    rows = [word_sentences(d) for d in docs]
    df = Counter(w for k, _ in rows for w in set(k.tolist()))
    sents = [[{w for w, t in zip(k.tolist(), s.tolist(), strict=True)
               if t == i and 2 <= df[w] <= max_df} for i in range(len(d.sentences))]
             for (k, s), d in zip(rows, docs, strict=True)]
    out = {}
    for a in range(len(docs)):
        for b in range(a + 1, len(docs)):
            rel = [(i, j) for i, x in enumerate(sents[a]) for j, y in enumerate(sents[b])
                   if len(x & y) >= words]
            if rel:
                out[(a, b)] = (len({i for i, _ in rel}), len({j for _, j in rel}))
    return out


@pytest.mark.parametrize(("max_df", "words"), [(12, 2), (40, 2), (12, 3), (40, 4)])
def test_related_sentences_are_counted_as_by_brute_force(max_df: int, words: int) -> None:
    docs = _random_docs(7)
    want = _brute(docs, max_df, words)
    assert len(want) > 20  # the corpus relates enough pairs to test anything
    got = {(a, b): (x, y)
           for st in pass_stats(docs, _tier(sentence_max_df=max_df, sentence_words=words),
                                n_docs=len(docs))
           for a, b, x, y in zip(st.a.tolist(), st.b.tolist(), st.in_a.tolist(),
                                 st.in_b.tolist(), strict=True)}
    assert got == want


def test_small_chunks_and_passes_give_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _random_docs(3, n=60)
    cfg = _tier(sentence_max_df=30, min_sentences=2, sentence_share=0.3)
    whole = sentence_tier.sentence_tier(docs, cfg, n_docs=len(docs))
    assert len(whole) > 10
    monkeypatch.setattr(sentence_tier, "CHUNK_ROWS", 7)
    monkeypatch.setattr(sentence_tier, "PASS_ROWS", 50)  # many ranges of first documents
    assert sentence_tier.sentence_tier(docs, cfg, n_docs=len(docs)).tolist() == whole.tolist()


@pytest.mark.parametrize("words", [2, 3])
def test_known_pairs_are_left_out_and_added_back_in_order(words: int) -> None:
    docs = _random_docs(3, n=60)
    cfg = _tier(sentence_max_df=30, min_sentences=2, sentence_share=0.3, sentence_words=words)
    alone = sentence_tier.sentence_tier(docs, cfg, n_docs=len(docs))
    known = np.array(sorted({(0, 1), (2, 59), *map(tuple, alone[::3].tolist())}), np.int64)
    rest = sentence_tier.sentence_tier(docs, cfg, n_docs=len(docs), known=known)
    assert not {*map(tuple, rest.tolist())} & {*map(tuple, known.tolist())}
    both = add_sentence_tier(docs, cfg, known, n_docs=len(docs))
    assert [*map(tuple, both.tolist())] == sorted({*map(tuple, known.tolist()),
                                                  *map(tuple, alone.tolist())})
    # so the tier run beside the gram tiers, not told their pairs, gives the same candidates
    assert union_pairs(known, alone, n_docs=len(docs)).tolist() == both.tolist()


def test_a_reworded_short_source_inside_a_long_page_is_a_candidate_through_its_sentences(
) -> None:
    long_page = " ".join([*OTHER, *REWORDED[:2], *OTHER[::-1]])
    docs = prep([" ".join(SOURCE), long_page, OTHER[0]])
    off = _tier(min_sentences=0)
    assert [0, 1] not in candidate_pairs(docs, off).tolist()  # no gram of the source
    # 2 of the source's 3 sentences share 2 rare words each with a sentence of the page
    assert [0, 1] in candidate_pairs(docs, _tier(min_sentences=2)).tolist()
    assert [0, 1] not in candidate_pairs(docs, _tier(min_sentences=3)).tolist()
    assert [0, 1] not in candidate_pairs(docs, _tier(sentence_share=0.7)).tolist()
    assert [0, 1] not in candidate_pairs(docs, _tier(sentence_words=6)).tolist()


def test_rare_words_of_one_sentence_only_make_no_candidate() -> None:
    # the page holds one reworded sentence of the source and the names elsewhere
    page = " ".join([REWORDED[0], *OTHER, "Halvorsen and Greenpeace were not reached."])
    docs = prep([" ".join(SOURCE), page])
    assert sentence_tier.sentence_tier(docs, _tier(), n_docs=2).tolist() == []


def test_numpy_and_duckdb_candidate_stages_agree_with_the_tier() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    docs = _random_docs(11, n=50)
    cfg = ScanConfig(max_df=50, min_grams=2, word_max_df=12, min_words=3,
                     sentence_max_df=30, min_sentences=2, sentence_share=0.3)
    fast = candidate_pairs(docs, cfg)
    assert len(fast) > len(candidate_pairs(docs, ScanConfig(
        max_df=50, min_grams=2, word_max_df=12, min_words=3, min_sentences=0)))
    assert fast.tolist() == candidate_pairs_duckdb(docs, cfg).tolist()


def test_the_scan_adds_the_tier_in_a_second_child_with_the_same_pairs(tmp_path: Path) -> None:
    from unspun.scan import run
    from unspun.scan.checkpoint import Checkpoints

    docs = _random_docs(11, n=50)
    cfg = ScanConfig(max_df=50, min_grams=2, word_max_df=12, min_words=3,
                     sentence_max_df=30, min_sentences=2, sentence_share=0.3)
    want = candidate_pairs(docs, cfg)
    grams = candidate_pairs(docs, cfg, sentences=False)
    assert len(grams) < len(want)
    ck = Checkpoints(tmp_path)
    ck.dir.mkdir(parents=True)
    run._WORK.update(ck=ck, config=cfg, docs=docs)
    try:
        run.save_candidates(ck, cfg)  # two forked children, one after the other
        assert ck.load_array("gram-candidates.npy").tolist() == grams.tolist()
        assert ck.load_array("candidates.npy").tolist() == want.tolist()
        # DuckDB's spill directory, made in the work directory, is gone
        assert sorted(p.name for p in ck.dir.iterdir()) == ["candidates.npy",
                                                            "gram-candidates.npy"]
        # resumed after the first child: the second adds the tier to the stored gram pairs
        ck.path("candidates.npy").unlink()
        ck.save_array("gram-candidates.npy", grams[1:])
        run.save_candidates(ck, cfg)
        assert ck.load_array("candidates.npy").tolist() == add_sentence_tier(
            docs, cfg, grams[1:], n_docs=len(docs)).tolist()
    finally:
        run._WORK.clear()


@pytest.mark.parametrize("pass_rows", [50, 10**9])  # many ranges of first documents, or one
def test_each_range_filtered_as_it_comes_gives_the_rule_over_brute_force_counts(
        monkeypatch: pytest.MonkeyPatch, pass_rows: int) -> None:
    docs = _random_docs(5, n=60)
    cfg = _tier(sentence_max_df=30, min_sentences=2, sentence_share=0.3)
    lengths = [len(d.sentences) for d in docs]
    want = [[a, b] for (a, b), (x, y) in sorted(_brute(docs, 30, 2).items())
            if min(x, y) >= 2
            and (x if lengths[a] <= lengths[b] else y) >= 0.3 * min(lengths[a], lengths[b])]
    assert len(want) > 10
    monkeypatch.setattr(sentence_tier, "PASS_ROWS", pass_rows)
    assert sentence_tier.sentence_tier(docs, cfg, n_docs=len(docs)).tolist() == want
