"""Fingerprint keys: stable across processes, sampled subset, per-sentence minimum, spin-proof."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.config import FingerprintConfig
from unspun.fingerprint import (
    _family,
    _openings,
    _starts,
    batch_document_keys,
    document_keys,
    ngram_hashes,
    sentence_grams,
    token_hash,
)
from unspun.fingerprint.bytetok import tokenize_sentences
from unspun.text import split_sentences
from unspun.text.tokens import STOPWORDS

CFG = FingerprintConfig()
TEXT = (
    "President Donald Trump has invited Russian President Vladimir Putin to Washington this "
    "autumn, the White House said on Thursday. Director of National Intelligence Dan Coats "
    "said Thursday he had yet to be briefed on the private session. In Moscow, Putin accused "
    "forces in the United States of trying to undermine the success of his meeting with Trump."
)

_SCRIPT = """
import json, sys
from unspun.config import FingerprintConfig
from unspun.fingerprint import document_keys
from unspun.text import split_sentences
text = sys.stdin.read()
print(json.dumps(document_keys(text, split_sentences(text), FingerprintConfig()).tolist()))
"""


def _keys(text: str, cfg: FingerprintConfig = CFG) -> np.ndarray:
    return document_keys(text, split_sentences(text), cfg)


def _spin(text: str) -> str:
    """Replace every lowercase content word, as an aggressive synonym spinner would."""
    return re.sub(r"\b[a-z]{3,}\b",
                  lambda m: m.group() if m.group() in STOPWORDS else "q" + m.group()[::-1], text)


def test_keys_are_identical_in_another_process_with_another_hash_seed() -> None:
    here = _keys(TEXT).tolist()
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", _SCRIPT], input=TEXT, capture_output=True,
                         text=True, env=env, check=True, timeout=60)
    assert json.loads(out.stdout) == here
    assert here == sorted(set(here)) and len(here) > 5


def test_token_hash_is_stable_case_blind_and_32_bit() -> None:
    assert token_hash("putin") == token_hash("Putin") == token_hash("PUTIN")
    assert token_hash("putin") != token_hash("putins")
    assert 0 <= token_hash("anything") < 2**32
    with pytest.raises(ValueError):
        token_hash("two words")


def test_byte_tokens_join_inner_marks_and_fold_curly_apostrophes() -> None:
    text = "U.S. officials \u201cdon\u2019t\u201d see 1,000 cease-fire\u2014talks\u2026 at 10:30."
    toks = tokenize_sentences([text, "Then 2 more"])
    want = ["u.s", "officials", "don't", "see", "1,000", "cease-fire", "talks", "at", "10:30",
            "then", "2", "more"]
    assert toks.hashes.tolist() == [token_hash(w) for w in want]
    assert toks.sentence.tolist() == [0] * 9 + [1] * 3
    assert toks.capital.tolist() == [True] + [False] * 8 + [True, False, False]
    assert toks.digit.tolist() == [w[0].isdigit() for w in want]


def test_seed_changes_every_key() -> None:
    other = _keys(TEXT, FingerprintConfig(seed=1))
    assert not np.intersect1d(_keys(TEXT), other).size


def test_ngram_hashes_count_and_order_sensitivity() -> None:
    ids = np.array([1, 2, 3, 4, 5], dtype=np.uint64)
    grams = ngram_hashes(ids, 3, 7)
    assert grams.dtype == np.uint32 and len(grams) == 3
    assert not len(ngram_hashes(ids[:2], 3, 7))
    assert ngram_hashes(ids[::-1], 3, 7)[0] != grams[-1]  # order matters


_word = st.sampled_from(
    "the a of Putin Trump said on Thursday 2016 summit talks Russia U.S. meeting with and "
    "he was not Moscow election hacking officials 12 charged".split())
_sentence = st.lists(_word, min_size=1, max_size=18).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=60, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=8))
def test_sampled_keys_are_a_subset_and_every_long_sentence_leaves_a_key(
        sents: list[str]) -> None:
    text = " ".join(sents)
    sentences = split_sentences(text)
    full = sentence_grams(text, sentences, CFG, sample_only=False)
    sampled = sentence_grams(text, sentences, CFG, sample_only=True)
    assert set(sampled.keys.tolist()) <= set(full.keys.tolist())
    assert len(sampled.keys) == len(sampled.sentence)
    again = sentence_grams(text, sentences, CFG, sample_only=True)
    assert np.array_equal(again.keys, sampled.keys)  # deterministic
    # exactly the keys an index stores for the same sentences (a scan's candidate grams)
    assert np.array_equal(np.unique(sampled.keys), document_keys(text, sentences, CFG))
    owners = set(sampled.sentence.tolist())
    for pos, sent in enumerate(sentences):
        n_words = len(re.findall(r"\S+", sent.text))
        if n_words >= CFG.word_n:
            assert pos in owners, sent.text
        if pos not in set(full.sentence.tolist()):
            assert pos not in owners


def test_sampling_keeps_about_one_in_sample() -> None:
    text = " ".join([TEXT] * 1)
    sentences = split_sentences(text)
    full = np.unique(sentence_grams(text, sentences, CFG, sample_only=False).keys)
    kept = _keys(text)
    assert len(kept) < len(full)
    assert np.all(np.isin(kept[kept % CFG.sample == 0], full))


def test_spun_copy_shares_skeleton_grams() -> None:
    spun = _spin(TEXT)
    assert "qnmutua" in spun and "Putin" in spun
    skeleton_only = FingerprintConfig(word_n=10_000, opening_n=0)  # no word grams at all
    original = _keys(TEXT, skeleton_only)
    query = sentence_grams(spun, split_sentences(spun), skeleton_only, sample_only=False).keys
    assert len(original) and np.all(np.isin(original, query))
    # Word grams alone would not survive such a spin.
    words_only = FingerprintConfig(skeleton_n=10_000, opening_n=0)
    w_query = sentence_grams(spun, split_sentences(spun), words_only, sample_only=False).keys
    w_orig = _keys(TEXT, words_only)
    assert np.isin(w_orig, w_query).mean() < 0.5  # only runs of names survive


def test_skeleton_grams_need_an_anchor() -> None:
    # No names or numbers: nothing but wildcards and function words, so no skeleton grams.
    text = "the cat sat on the mat and then it was over for the day and the night."
    skeleton_only = FingerprintConfig(word_n=10_000, opening_n=0)
    assert not len(_keys(text, skeleton_only))
    assert len(_keys(text.replace("cat", "Obama"), skeleton_only))


def test_texts_without_tokens_give_no_keys_and_owners_stay_in_range() -> None:
    for text in ("", "... !!! ??", "\u2014 \u201c \u201d"):
        grams = sentence_grams(text, split_sentences(text), CFG, sample_only=True)
        assert not len(grams.keys) and not len(grams.sentence)
    text = "\u2026 \u2014 " + TEXT + " \x00 Trump\u2019s aides said 12 more talks."
    sentences = split_sentences(text)
    for sample_only in (True, False):
        grams = sentence_grams(text, sentences, CFG, sample_only=sample_only)
        assert len(grams.keys) == len(grams.sentence) > 0
        assert grams.sentence.min() >= 0 and grams.sentence.max() < len(sentences)
        assert grams.keys.dtype == np.uint32 and grams.sentence.dtype == np.int32


def test_batch_keys_equal_each_documents_own_keys() -> None:
    texts = [TEXT, "", "...", "No end", _spin(TEXT), "Caf\u00e9 \u201cnews\u201d \u2014 U.S. 1,000.",
             TEXT.upper(), "A x\x00y z w. Two words here and more of them.\n\nNew paragraph."]
    docs = [(t, split_sentences(t)) for t in texts]
    for cfg in (CFG, FingerprintConfig(seed=3, sample=2)):
        got = batch_document_keys(docs, cfg)
        assert len(got) == len(docs)
        for (text, sentences), keys in zip(docs, got, strict=True):
            assert keys.dtype == np.uint32
            assert keys.tolist() == document_keys(text, sentences, cfg).tolist()
    assert batch_document_keys([], CFG) == []


def test_every_sentence_stores_its_opening_so_a_truncated_borrowing_is_found() -> None:
    """A farm keeps a sentence's opening and drops its trailing clause, spinning a word: the
    sampled grams and minima of the source miss the fragment, its opening key does not."""
    source = ("The rescued members included Bangladeshis and Rohingya, a stateless minority "
              "of Muslims from Myanmar. Officials said more boats were expected.")
    fragment = "The rescued members comprised Bangladeshis and Rohingya."
    before = FingerprintConfig.stored({})
    for cfg, shared in ((before, False), (CFG, True)):
        stored = _keys(source, cfg)
        query = sentence_grams(fragment, split_sentences(fragment), cfg, sample_only=False).keys
        assert bool(np.isin(query, stored).any()) is shared
    # Each sentence of at least opening_n words stores the key of its first opening_n words.
    openings = FingerprintConfig(word_n=10_000, skeleton_n=10_000)
    sentences = split_sentences(source + " Yes. No")
    grams = sentence_grams(source + " Yes. No", sentences, openings, sample_only=True)
    assert grams.sentence.tolist() == [0, 1]
    again = sentence_grams("Officials said so.", split_sentences("Officials said so."), openings,
                           sample_only=True)
    assert again.keys.tolist() == grams.keys[1:].tolist()


@given(st.lists(st.integers(0, 5), max_size=40), st.integers(1, 4))
def test_openings_are_the_first_gram_of_each_sentence(sizes: list[int], n: int) -> None:
    """Opening keys hashed at sentence starts alone equal the first in-sentence gram that the
    whole gram family gives each sentence (how they were computed before)."""
    owner = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    hashes = np.random.default_rng(len(owner)).integers(0, 2**32, len(owner), dtype=np.uint64)
    config = FingerprintConfig(opening_n=n)
    grams, first = _openings(hashes, owner, config)
    all_grams, all_first = _family(hashes, owner, n, config.seed + 2, None)
    keep = _starts(all_first) if len(all_first) else np.empty(0, dtype=np.int64)
    assert grams.dtype == np.uint32 and first.dtype == np.int32
    assert grams.tolist() == all_grams[keep].tolist()
    assert first.tolist() == all_first[keep].tolist()
