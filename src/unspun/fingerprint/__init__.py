"""Fingerprint: hash word and skeleton n-grams of sentences into 32-bit keys with numpy."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from unspun.config import FingerprintConfig
from unspun.data import Sentence
from unspun.text.tokens import lex, word_forms

_MASK = np.uint64(0xFFFFFFFF)
_WILDCARD = "\x00*"
_token_hashes: dict[str, int] = {}


def token_hash(norm: str) -> int:
    """A stable 32-bit hash of a normalised token (Python's ``hash`` is salted per process)."""
    h = _token_hashes.get(norm)
    if h is None:
        h = zlib.crc32(norm.encode("utf-8"))
        if len(_token_hashes) < 2_000_000:
            _token_hashes[norm] = h
    return h


def _mix(x: np.ndarray) -> np.ndarray:
    """The murmur3 finaliser on uint64 lanes, kept to 32 bits: spreads bits for sampling."""
    x = x & _MASK
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & _MASK
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & _MASK
    x ^= x >> np.uint64(16)
    return x


def ngram_hashes(token_ids: np.ndarray, n: int, salt: int) -> np.ndarray:
    """Hash every run of ``n`` consecutive token hashes into one 32-bit key."""
    if len(token_ids) < n:
        return np.empty(0, dtype=np.uint32)
    ids = token_ids.astype(np.uint64)
    acc = np.full(len(ids) - n + 1, np.uint64(salt), dtype=np.uint64)
    for k in range(n):
        acc = _mix(acc * np.uint64(31) + ids[k : len(ids) - n + 1 + k])
    return acc.astype(np.uint32)


@dataclass(slots=True)
class SentenceGrams:
    """The grams of a text: ``keys[i]`` came from sentence ``sentence[i]``."""

    keys: np.ndarray  # uint32
    sentence: np.ndarray  # int32


_WILD_HASH = token_hash(_WILDCARD)
# raw form -> (word hash, skeleton hash, anchor?) for a form that does not open its sentence.
_forms: dict[str, tuple[int, int, bool]] = {}


def _form(raw: str) -> tuple[int, int, bool]:
    info = _forms.get(raw)
    if info is None:
        lx = lex(raw)
        wh = token_hash(lx.norm)
        if lx.stop:
            info = (wh, wh, False)
        elif lx.kind != "word" or lx.capital:
            info = (wh, token_hash("#" + lx.norm), True)
        else:
            info = (wh, _WILD_HASH, False)
        if len(_forms) < 2_000_000:
            _forms[raw] = info
    return info


def _symbols(forms: list[str], pos: int, word: list[int], word_owner: list[int],
             skel: list[int], skel_owner: list[int], anchor: list[bool]) -> None:
    """Append one sentence's word hashes and skeleton hashes (runs of wildcards collapsed)."""
    last = -1
    for i, raw in enumerate(forms):
        wh, sh, is_anchor = _form(raw)
        word.append(wh)
        if i == 0 and is_anchor and lex(raw).kind == "word":
            sh, is_anchor = _WILD_HASH, False  # a capital opening a sentence is no name
        if sh == _WILD_HASH and last == _WILD_HASH:
            continue
        skel.append(sh)
        anchor.append(is_anchor)
        last = sh
    word_owner.extend([pos] * len(forms))
    skel_owner.extend([pos] * (len(anchor) - len(skel_owner)))


def _family(ids_list: list[int], owner: list[int], n: int, salt: int,
            anchor: list[bool] | None) -> tuple[np.ndarray, np.ndarray]:
    """Grams of one family that stay inside one sentence (and hold an anchor, if asked)."""
    ids = np.asarray(ids_list, dtype=np.uint64)
    grams = ngram_hashes(ids, n, salt)
    if not len(grams):
        return grams, np.empty(0, np.int32)
    own = np.asarray(owner, dtype=np.int32)
    valid = own[: len(grams)] == own[n - 1 :]
    if anchor is not None:
        csum = np.concatenate(([0], np.cumsum(np.asarray(anchor, dtype=np.int32))))
        valid &= (csum[n:] - csum[: len(grams)]) > 0
    return grams[valid], own[: len(grams)][valid]


def _sample(grams: np.ndarray, owner: np.ndarray, modulus: int) -> np.ndarray:
    """Mask of grams an index keeps: hash 0 modulo ``modulus``, plus each sentence's minimum."""
    keep = grams % np.uint32(modulus) == 0
    if len(grams):
        order = np.lexsort((grams, owner))
        first = np.ones(len(order), dtype=bool)
        first[1:] = owner[order][1:] != owner[order][:-1]
        keep[order[first]] = True
    return keep


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
    word: list[int] = []
    word_owner: list[int] = []
    skel: list[int] = []
    skel_owner: list[int] = []
    anchor: list[bool] = []
    for pos, sent in enumerate(sentences):
        forms = word_forms(text, sent.span.start, sent.span.end)
        _symbols(forms, pos, word, word_owner, skel, skel_owner, anchor)
    keys: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for grams, own in (_family(word, word_owner, config.word_n, config.seed, None),
                       _family(skel, skel_owner, config.skeleton_n, config.seed + 1, anchor)):
        if sample_only:
            keep = _sample(grams, own, config.sample)
            grams, own = grams[keep], own[keep]
        keys.append(grams)
        owners.append(own)
    return SentenceGrams(np.concatenate(keys), np.concatenate(owners))


def document_keys(text: str, sentences: list[Sentence], config: FingerprintConfig) -> np.ndarray:
    """The distinct keys an index stores for one document, sorted."""
    return np.unique(sentence_grams(text, sentences, config, sample_only=True).keys)
