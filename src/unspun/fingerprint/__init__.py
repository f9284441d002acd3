"""Fingerprint: hash word and skeleton n-grams of sentences into 32-bit keys with numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from unspun.config import FingerprintConfig
from unspun.data import Sentence
from unspun.fingerprint.bytetok import hash_set, token_hash, tokenize_sentences
from unspun.text.tokens import STOPWORDS

__all__ = ["SentenceGrams", "document_keys", "ngram_hashes", "sentence_grams", "token_hash"]

_M32 = np.uint64(0xFFFFFFFF)
# Odd 64-bit multipliers, one per position in a gram (and one for the salt).
_POSITION = [np.uint64(m) for m in (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9)]
_STOP_HASHES = hash_set(STOPWORDS)
_WILD = np.uint64(0x2A2A2A2A)  # the wildcard symbol of a content word in a skeleton
_ANCHOR_SALT = np.uint64(0x5BD1E995)


def _mix(x: np.ndarray) -> np.ndarray:
    """Spread the bits of 64-bit lanes and keep the high 32 (a murmur-style finaliser)."""
    x ^= x >> np.uint64(33)
    x *= _POSITION[3]
    x ^= x >> np.uint64(29)
    return x >> np.uint64(32)


def ngram_hashes(token_ids: np.ndarray, n: int, salt: int) -> np.ndarray:
    """Hash every run of ``n`` consecutive token hashes into one 32-bit key.

    Args:
        token_ids: Token hashes (any unsigned or non-negative integers below 2**32).
        n: Gram length.
        salt: Changes every key (the index's hash seed and the gram family).

    Returns:
        ``len(token_ids) - n + 1`` keys (none when fewer tokens), uint32.
    """
    if len(token_ids) < n:
        return np.empty(0, dtype=np.uint32)
    ids = token_ids.astype(np.uint64)
    m = len(ids) - n + 1
    with np.errstate(over="ignore"):
        acc = np.full(m, np.uint64(salt & 0xFFFFFFFF) * _POSITION[-1], dtype=np.uint64)
        for k in range(n):
            mult = _POSITION[k % (len(_POSITION) - 1)] ^ np.uint64(2 * (k // 7))  # stays odd
            acc += ids[k : m + k] * mult
        return _mix(acc).astype(np.uint32)


@dataclass(slots=True)
class SentenceGrams:
    """The grams of a text: ``keys[i]`` came from sentence ``sentence[i]``."""

    keys: np.ndarray  # uint32
    sentence: np.ndarray  # int32


def _family(ids: np.ndarray, owner: np.ndarray, n: int, salt: int,
            anchor: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Grams of one family that stay inside one sentence (and hold an anchor, if asked)."""
    grams = ngram_hashes(ids, n, salt)
    if not len(grams):
        return grams, np.empty(0, np.int32)
    valid = owner[: len(grams)] == owner[n - 1 :]
    if anchor is not None:
        csum = np.concatenate(([0], np.cumsum(anchor, dtype=np.int32)))
        valid &= (csum[n:] - csum[: len(grams)]) > 0
    return grams[valid], owner[: len(grams)][valid]


def _sample(grams: np.ndarray, owner: np.ndarray, modulus: int) -> tuple[np.ndarray, np.ndarray]:
    """The grams an index keeps: hash 0 modulo ``modulus``, plus each sentence's minimum.

    ``owner`` must be non-decreasing (grams in text order).
    """
    if not len(grams):
        return grams, owner
    keep = grams % np.uint32(modulus) == 0
    starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    mins = np.minimum.reduceat(grams, starts)
    return (np.concatenate((grams[keep], mins)),
            np.concatenate((owner[keep], owner[starts])))


def _skeleton(hashes: np.ndarray, owner: np.ndarray, capital: np.ndarray,
              digit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skeleton symbols: function words as they are, names and numbers as anchors, other
    words as one wildcard per run (a capital opening a sentence is no name)."""
    at = np.searchsorted(_STOP_HASHES, hashes).clip(max=len(_STOP_HASHES) - 1)
    stop = _STOP_HASHES[at] == hashes
    opens = np.ones(len(owner), dtype=bool)
    opens[1:] = owner[1:] != owner[:-1]
    anchor = ~stop & (digit | (capital & ~opens))
    wild = ~stop & ~anchor
    sym = np.where(stop, hashes, _WILD)
    sym[anchor] = _mix((hashes[anchor] ^ _ANCHOR_SALT) * _POSITION[0])
    keep = ~(wild & np.concatenate(([False], wild[:-1])) & ~opens)
    return sym[keep], owner[keep], anchor[keep]


def sentence_grams(text: str, sentences: list[Sentence], config: FingerprintConfig,
                   *, sample_only: bool) -> SentenceGrams:
    """Compute the word and skeleton grams of each sentence.

    Args:
        text: The original text the sentences point into.
        sentences: Sentences to fingerprint (for example those that cleaning kept).
        config: Gram sizes, sampling modulus and hash seed.
        sample_only: Keep only the grams an index stores (the sampled ones plus each
            sentence's smallest gram per family); queries pass False and use every gram.

    Returns:
        Keys and, for each key, the index of its sentence in ``sentences``.
    """
    toks = tokenize_sentences([text[s.span.start : s.span.end] for s in sentences])
    sym, sym_owner, anchor = _skeleton(toks.hashes, toks.sentence, toks.capital, toks.digit)
    keys: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for grams, own in (_family(toks.hashes, toks.sentence, config.word_n, config.seed, None),
                       _family(sym, sym_owner, config.skeleton_n, config.seed + 1, anchor)):
        if sample_only:
            grams, own = _sample(grams, own, config.sample)
        keys.append(grams)
        owners.append(own)
    return SentenceGrams(np.concatenate(keys), np.concatenate(owners).astype(np.int32))


def document_keys(text: str, sentences: list[Sentence], config: FingerprintConfig) -> np.ndarray:
    """The distinct keys an index stores for one document, sorted."""
    return np.unique(sentence_grams(text, sentences, config, sample_only=True).keys)
