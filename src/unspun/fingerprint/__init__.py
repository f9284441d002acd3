"""Fingerprint: hash word and skeleton n-grams and sentence openings into 32-bit keys with numpy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from unspun._native import speedups
from unspun.config import FingerprintConfig
from unspun.data import Sentence
from unspun.fingerprint import bytetok
from unspun.fingerprint.bytetok import hash_set, token_hash, tokenize_sentences
from unspun.text.tokens import STOPWORDS

__all__ = ["SentenceGrams", "batch_document_keys", "content_words", "document_keys",
           "ngram_hashes", "run_starts", "sentence_grams", "sorted_unique", "text_grams",
           "token_hash"]

# Odd 64-bit multipliers, one per position in a gram (and one for the salt).
_POSITION = [np.uint64(m) for m in (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9)]
# Stopword test by table: bit 1 for the top 20 bits of each stopword's hash. A few other
# tokens (about 0.015 %) share those bits and count as function words too; index and query
# agree on them, which is all a fingerprint needs.
_STOP_TABLE = np.zeros(1 << 20, dtype=bool)
_STOP_TABLE[hash_set(STOPWORDS) >> np.uint64(12)] = True
_WILD = np.uint64(0x2A2A2A2A)  # the wildcard symbol of a content word in a skeleton
_ANCHOR_SALT = np.uint64(0x5BD1E99500000000)  # anchors live apart from 32-bit word hashes


_M64 = 0xFFFFFFFFFFFFFFFF
_mults: dict[int, list[np.uint64]] = {}
# The compiled twin of _grams' sampled and full keys as batch_document_keys pairs them
# (None: the pure-Python path).
_gram_pairs = None if speedups is None else speedups.gram_pairs


def _multipliers(n: int) -> list[np.uint64]:
    """One odd 64-bit multiplier per position of an ``n``-gram (cached)."""
    mults = _mults.get(n)
    if mults is None:
        mults = [np.uint64(int(_POSITION[k % (len(_POSITION) - 1)]) ^ 2 * (k // 7))
                 for k in range(n)]
        _mults[n] = mults
    return mults


def ngram_hashes(token_ids: np.ndarray, n: int, salt: int, *,
                 at: np.ndarray | None = None) -> np.ndarray:
    """Hash every run of ``n`` consecutive token hashes into one 32-bit key.

    Args:
        token_ids: Token hashes (unsigned integers).
        n: Gram length.
        salt: Changes every key (the index's hash seed and the gram family).
        at: Only the runs starting at these positions (each at most ``len - n``), in order.

    Returns:
        ``len(token_ids) - n + 1`` keys (none when fewer tokens), or one per ``at``, uint32.
    """
    if len(token_ids) < n:
        return np.empty(0, dtype=np.uint32)
    ids = token_ids.astype(np.uint64, copy=False)
    m = len(ids) - n + 1
    mults = _multipliers(n)
    # Unsigned array arithmetic wraps modulo 2**64 silently, as a hash needs.
    acc = (ids[:m] if at is None else ids[at]) * mults[0]
    acc += np.uint64(salt * int(_POSITION[-1]) & _M64)
    for k in range(1, n):
        acc += (ids[k : m + k] if at is None else ids[at + k]) * mults[k]
    acc ^= acc >> np.uint64(31)
    acc *= _POSITION[3]
    acc >>= np.uint64(32)
    return acc.astype(np.uint32)


@dataclass(slots=True)
class SentenceGrams:
    """The grams of a text: ``keys[i]`` came from sentence ``sentence[i]``."""

    keys: np.ndarray  # uint32
    sentence: np.ndarray  # int32


def _family(ids: np.ndarray, owner: np.ndarray, n: int, salt: int,
            anchor: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Grams of one family that stay inside one sentence (and hold an anchor, if asked)."""
    grams = ngram_hashes(ids, n, salt)
    m = len(grams)
    if not m:
        return grams, np.empty(0, np.int32)
    valid = owner[:m] == owner[n - 1 :]
    if anchor is not None:
        csum = np.zeros(len(anchor) + 1, dtype=np.int32)
        np.cumsum(anchor, out=csum[1:])
        valid &= csum[n:] != csum[:m]
    return grams[valid], owner[:m][valid]


def _sample(grams: np.ndarray, owner: np.ndarray, modulus: int,
            minimum: bool) -> tuple[np.ndarray, np.ndarray]:
    """The grams an index keeps: hash 0 modulo ``modulus``, plus (``minimum``) each owner's
    smallest.

    ``owner`` must be non-decreasing (grams in text order).
    """
    keep = grams % np.uint32(modulus) == 0
    if not minimum or not len(grams):
        return grams[keep], owner[keep]
    first = _starts(owner)
    mins = np.minimum.reduceat(grams, first)
    return (np.concatenate((grams[keep], mins)),
            np.concatenate((owner[keep], owner[first])))


def _starts(owner: np.ndarray) -> np.ndarray:
    """Where each run of equal owners starts (``owner`` non-decreasing, not empty)."""
    starts = np.empty(len(owner), dtype=bool)
    starts[0] = True
    np.not_equal(owner[1:], owner[:-1], out=starts[1:])
    return starts.nonzero()[0]


def _openings(hashes: np.ndarray, owner: np.ndarray,
              config: FingerprintConfig) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's opening: one key for its first ``config.opening_n`` words.

    Index and query keep the same one gram per sentence, so an opening matches an opening: a
    farm that borrows a sentence and drops its trailing clause keeps it, where the sampled
    grams and the minima of a long source sentence often fall in the part it dropped.
    """
    n = config.opening_n
    m = len(hashes) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int32)
    # The gram at each sentence's first token, when the sentence has n tokens: the first gram
    # of the sentence that _family keeps, hashed alone (not every gram of the text).
    starts = _starts(owner)
    starts = starts[starts < m]
    starts = starts[owner[starts] == owner[starts + (n - 1)]]
    return ngram_hashes(hashes, n, config.seed + 2, at=starts), owner[starts]


def _skeleton(hashes: np.ndarray, owner: np.ndarray, capital: np.ndarray,
              digit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skeleton symbols: function words as they are, names and numbers as anchors, other
    words as one wildcard per run (a capital opening a sentence is no name)."""
    stop = _STOP_TABLE.take(hashes >> np.uint64(12))
    same = owner[1:] == owner[:-1]  # token i + 1 is in the sentence of token i
    capital[0] = False
    capital[1:] &= same
    anchor = capital
    anchor |= digit
    anchor &= ~stop
    sym = np.where(stop, hashes, _WILD)
    np.copyto(sym, hashes ^ _ANCHOR_SALT, where=anchor)
    wild = ~(stop | anchor)
    keep = np.ones(len(hashes), dtype=bool)
    same &= wild[1:]
    same &= wild[:-1]
    keep[1:] = ~same
    return sym[keep], owner[keep], anchor[keep]


def sentence_grams(text: str, sentences: list[Sentence], config: FingerprintConfig,
                   *, sample_only: bool) -> SentenceGrams:
    """Compute the word and skeleton grams of each sentence.

    Args:
        text: The original text the sentences point into.
        sentences: Sentences to fingerprint (for example those that cleaning kept).
        config: Gram sizes, sampling modulus and hash seed.
        sample_only: Keep only the grams an index stores (the sampled ones, each
            sentence's smallest word gram, and its opening); queries pass False and use every
            word and skeleton gram, and each sentence's opening.

    Returns:
        Keys and, for each key, the index of its sentence in ``sentences``.
    """
    parts = [text[s.span.start : s.span.end] for s in sentences]
    if not sample_only:
        return _query_grams(parts, config, openings=True)
    return _grams(parts, config, sample_only=True)


def content_words(text: str, sentences: list[Sentence]) -> np.ndarray:
    """The distinct hashes (sorted, uint32) of the content words of ``sentences``: every
    token that is not a stopword (as the skeleton grams tell them), numbers included."""
    hashes, _ = content_word_tokens(text, sentences)
    return sorted_unique(hashes).astype(np.uint32)


def content_word_tokens(text: str, sentences: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """The content words of ``sentences`` (as :func:`content_words` tells them) in text
    order, repeats included: their hashes (uint64, 32-bit values) and sentence numbers."""
    toks = tokenize_sentences([text[s.span.start : s.span.end] for s in sentences])
    content = ~_STOP_TABLE.take(toks.hashes >> np.uint64(12))
    return toks.hashes[content], toks.sentence[content]


def _grams(parts: list[str], config: FingerprintConfig, *, sample_only: bool,
           openings: bool = True) -> SentenceGrams:
    """:func:`sentence_grams` over sentence texts; every step works within one sentence."""
    toks = tokenize_sentences(parts)
    if not len(toks.hashes):
        empty = np.empty(0, dtype=np.uint32)
        return SentenceGrams(empty, np.empty(0, dtype=np.int32))
    sym, sym_owner, anchor = _skeleton(toks.hashes, toks.sentence, toks.capital, toks.digit)
    words, word_owner = _family(toks.hashes, toks.sentence, config.word_n, config.seed, None)
    skel, skel_owner = _family(sym, sym_owner, config.skeleton_n, config.seed + 1, anchor)
    if not sample_only:
        keys, owner = np.concatenate((words, skel)), np.concatenate((word_owner, skel_owner))
    elif config.skeleton_min:
        # One pass samples both families: skeleton owners are shifted past every word owner.
        shift = len(parts)
        keys, owner = _sample(np.concatenate((words, skel)),
                              np.concatenate((word_owner, skel_owner + shift)),
                              config.sample, True)
        owner[owner >= shift] -= shift
    else:
        words, word_owner = _sample(words, word_owner, config.sample, True)
        skel, skel_owner = _sample(skel, skel_owner, config.sample, False)
        keys, owner = np.concatenate((words, skel)), np.concatenate((word_owner, skel_owner))
    if openings and config.opening_n:
        grams, owner_ = _openings(toks.hashes, toks.sentence, config)
        keys, owner = np.concatenate((keys, grams)), np.concatenate((owner, owner_))
    return SentenceGrams(keys, owner)


def document_keys(text: str, sentences: list[Sentence], config: FingerprintConfig, *,
                  extras: Sequence[str] = ()) -> np.ndarray:
    """The distinct keys an index stores for one document, sorted (see
    :func:`batch_document_keys`)."""
    return batch_document_keys([(text, sentences)], config, extras=[list(extras)])[0]


def batch_document_keys(docs: list[tuple[str, list[Sentence]]], config: FingerprintConfig, *,
                        extras: list[list[str]] | None = None) -> list[np.ndarray]:
    """The keys an index stores for many documents, in one numpy pass.

    Tokens, grams, sampling and each sentence's minimum never cross a sentence, so the
    sentences of all documents are fingerprinted together and the keys split by document.

    Args:
        docs: Each document's text and the sentences to fingerprint (sampled grams); a
            sentence's ``text`` is its span of the document's text, as the splitter makes it.
        config: Gram sizes, sampling modulus and hash seed.
        extras: For each document, short texts whose **every** gram is stored: its headline
            and its direct quotes, so that a lifted quote or a reused headline, a few grams
            long, is always found again (sampling keeps only one gram in ``config.sample``).

    Returns:
        For each document, its distinct keys, sorted (uint32).
    """
    if not docs:
        return []
    # A sentence's text is its span of the document's text (Sentence's invariant): no slicing.
    parts = [s.text for _, sentences in docs for s in sentences]
    counts = np.fromiter((len(sentences) for _, sentences in docs), dtype=np.int64,
                         count=len(docs))
    doc_of = np.repeat(np.arange(len(docs), dtype=np.uint64), counts)
    # One sort of (document, key) pairs gives every document's distinct keys in order.
    pairs = _pairs(parts, doc_of, config, every=False)
    if extras is not None and any(extras):
        extra_parts = [t for texts in extras for t in texts]
        extra_of = np.repeat(np.arange(len(docs), dtype=np.uint64),
                             [len(texts) for texts in extras])
        pairs = np.concatenate((pairs, _pairs(extra_parts, extra_of, config, every=True)))
    pairs = sorted_unique(pairs)
    ends = np.searchsorted(pairs, np.arange(len(docs) + 1, dtype=np.uint64) << np.uint64(32))
    keys = (pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    bounds = ends.tolist()
    return [keys[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _pairs(parts: list[str], doc_of: np.ndarray, config: FingerprintConfig, *,
           every: bool) -> np.ndarray:
    """``doc_of[sentence] << 32 | key`` for the keys of ``parts`` (uint64, unsorted, repeats
    allowed): the sampled grams, minima and openings an index stores, or with ``every`` every
    word and skeleton gram (:func:`_grams`)."""
    tokenize = bytetok._tokenize_parts
    if _gram_pairs is not None and tokenize is not None and _compiled_config(config):
        hashes, sentence, first = tokenize(parts)
        return np.frombuffer(_gram_pairs(
            hashes, sentence, first, doc_of.tobytes(), _STOP_TABLE,
            _family_spec(config.word_n, config.seed), _family_spec(config.skeleton_n, config.seed + 1),
            _family_spec(config.opening_n, config.seed + 2), config.sample, config.skeleton_min,
            every, int(_POSITION[3])), dtype=np.uint64)
    grams = _grams(parts, config, sample_only=not every, openings=not every)
    return (doc_of[grams.sentence] << np.uint64(32)) | grams.keys.astype(np.uint64)


def _query_grams(parts: list[str], config: FingerprintConfig, *,
                 openings: bool) -> SentenceGrams:
    """``_grams(parts, config, sample_only=False, openings=openings)``: a trace's query.

    Compiled when it can be: ``gram_pairs`` (the index's own compiled grams) gives every
    word and skeleton gram, and the openings, in :func:`_grams`'s order, as (sentence << 32 |
    key) pairs split here. A suspect's ~700 tokens took ~40 numpy calls of a few
    microseconds each (tests/test_speedups.py compares the two arrays element by element).
    """
    tokenize = bytetok._tokenize_parts
    if _gram_pairs is None or tokenize is None or not _compiled_config(config):
        return _grams(parts, config, sample_only=False, openings=openings)
    hashes, sentence, first = tokenize(parts)
    pairs = np.frombuffer(_gram_pairs(
        hashes, sentence, first, np.arange(len(parts), dtype=np.uint64).tobytes(), _STOP_TABLE,
        _family_spec(config.word_n, config.seed), _family_spec(config.skeleton_n, config.seed + 1),
        _family_spec(config.opening_n, config.seed + 2), config.sample, config.skeleton_min,
        2 if openings else 1, int(_POSITION[3])), dtype=np.uint64)
    return SentenceGrams((pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32),
                         (pairs >> np.uint64(32)).astype(np.int32))


def _compiled_config(config: FingerprintConfig) -> bool:
    """Whether ``gram_pairs`` takes ``config``'s gram sizes and sampling modulus."""
    return (max(config.word_n, config.skeleton_n, config.opening_n) <= 32
            and config.word_n >= 1 and config.skeleton_n >= 1 and 1 <= config.sample < 1 << 32)


@lru_cache(maxsize=64)
def _family_spec(n: int, salt: int) -> tuple[int, int, tuple[int, ...]]:
    """A gram family for ``gram_pairs``: its length, the term its salt adds to every gram
    (as :func:`ngram_hashes` adds it) and its multipliers."""
    return n, salt * int(_POSITION[-1]) & _M64, tuple(int(m) for m in _multipliers(n))


def run_starts(*cols: np.ndarray) -> np.ndarray:
    """Start rows of the runs of equal rows in the sorted columns ``cols``."""
    new = np.ones(len(cols[0]), bool)
    new[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in cols])
    return np.flatnonzero(new)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of a 1-d integer array, by one sort (a new array).

    numpy 2.3 and later find unique values with a hash table, then sort them: 40x slower
    than sorting 50,000 64-bit pairs and dropping repeats (measured with numpy 2.4).
    """
    out = np.sort(values)
    if len(out) > 1:
        keep = np.empty(len(out), dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out


def text_grams(texts: list[str], config: FingerprintConfig) -> SentenceGrams:
    """Every gram of each short text (a quote, a headline): the query side of ``extras``."""
    return _query_grams(texts, config, openings=False)
