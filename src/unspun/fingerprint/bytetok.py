"""Tokenise and hash the words of many sentences at once, with numpy over their UTF-8 bytes.

The index and the query side both fingerprint through here, so what matters is that the same
text always gives the same tokens, not linguistic perfection: a token is a run of letters and
digits (every byte of a non-ASCII letter counts as a letter), joined by an apostrophe or hyphen
between two of them, a dot between two letters or two digits ("U.S", "3.5") and a comma or colon
between two digits ("1,000", "10:30"). Curly apostrophes count as straight ones, Latin-1 and
General Punctuation symbols (curly quotes, dashes, ellipses, no-break spaces) separate tokens,
and ASCII letters are lowercased before hashing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_M64 = 0xFFFFFFFFFFFFFFFF
_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 2**64)
_FINAL = np.uint64(0xD6E8FEB86659FD93)

# Byte classes.
_LETTER, _DIGIT, _APOS, _HYPHEN, _DOT, _NUMSEP = 1, 2, 3, 4, 5, 6
_CLASS = np.zeros(256, dtype=np.uint8)
for _c in range(256):
    _ch = chr(_c)
    if _ch.isascii() and _ch.isalpha() or _c >= 0x80:
        _CLASS[_c] = _LETTER
    elif _ch.isdigit():
        _CLASS[_c] = _DIGIT
_CLASS[ord("'")] = _APOS
_CLASS[ord("-")] = _HYPHEN
_CLASS[ord(".")] = _DOT
_CLASS[ord(",")] = _NUMSEP
_CLASS[ord(":")] = _NUMSEP
_LOWER = np.arange(256, dtype=np.uint64)
_LOWER[ord("A") : ord("Z") + 1] += 32

_pow = np.ones(1, dtype=np.uint64)
_inv = np.ones(1, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Powers of the base and of its inverse modulo 2**64, at least ``n`` of each (cached)."""
    global _pow, _inv
    if len(_pow) < n:
        size = max(n, 2 * len(_pow), 4096)
        with np.errstate(over="ignore"):
            _pow = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64)
            _inv = np.cumprod(np.full(size, _BASE_INV, dtype=np.uint64), dtype=np.uint64)
        _pow = np.concatenate(([np.uint64(1)], _pow[:-1]))
        _inv = np.concatenate(([np.uint64(1)], _inv[:-1]))
    return _pow, _inv


@dataclass(slots=True)
class Tokens:
    """The tokens of a run of sentences, in text order, as parallel arrays."""

    hashes: np.ndarray  # uint64, 32-bit values: hash of the lowercased token
    sentence: np.ndarray  # int32: which sentence each token is in
    capital: np.ndarray  # bool: the token starts with an ASCII capital
    digit: np.ndarray  # bool: the token starts with a digit


def _encode(parts: list[str]) -> bytes:
    """Sentences joined by NUL bytes (one before each), curly apostrophes made straight."""
    joined = "\x00" + "\x00".join(p.replace("\x00", " ") for p in parts)
    if not joined.isascii():
        joined = joined.replace("\u2019", "'").replace("\u2018", "'")
    return joined.encode("utf-8", "replace")


def _symbols_only(b: np.ndarray, cls: np.ndarray) -> None:
    """Turn the bytes of Latin-1 and General Punctuation symbols into separators, in place."""
    lead = np.flatnonzero((b[:-1] == 0xC2) & (b[1:] < 0xC0))
    cls[lead] = 0
    cls[lead + 1] = 0
    lead = np.flatnonzero((b[:-2] == 0xE2) & ((b[1:-1] == 0x80) | (b[1:-1] == 0x81)))
    cls[lead] = 0
    cls[lead + 1] = 0
    cls[lead + 2] = 0


def tokenize_sentences(parts: list[str]) -> Tokens:
    """Tokenise and hash the texts of several sentences in one pass.

    Args:
        parts: The sentence texts, in order.

    Returns:
        Every token's 32-bit hash, sentence number and first-character flags.
    """
    raw = _encode(parts)
    b = np.frombuffer(raw, dtype=np.uint8)
    cls = _CLASS[b]
    if len(raw) != len(parts) + sum(map(len, parts)):
        _symbols_only(b, cls)
    pad = np.zeros(len(b) + 2, dtype=np.uint8)
    pad[1:-1] = cls
    prev, here, nxt = pad[:-2], cls, pad[2:]
    alnum = (here == _LETTER) | (here == _DIGIT)
    prev_l, next_l = prev == _LETTER, nxt == _LETTER
    prev_d, next_d = prev == _DIGIT, nxt == _DIGIT
    prev_an, next_an = prev_l | prev_d, next_l | next_d
    joins = (((here == _APOS) | (here == _HYPHEN)) & prev_an & next_an) \
        | ((here == _DOT) & ((prev_l & next_l) | (prev_d & next_d))) \
        | ((here == _NUMSEP) & prev_d & next_d)
    inside = alnum | joins
    edge = np.empty(len(inside) + 1, dtype=bool)
    edge[0] = inside[0] if len(inside) else False
    edge[1:-1] = inside[1:] != inside[:-1]
    edge[-1] = inside[-1] if len(inside) else False
    bounds = np.flatnonzero(edge)
    starts, ends = bounds[0::2], bounds[1::2]
    pw, inv = _powers(len(b) + 1)
    with np.errstate(over="ignore"):
        prefix = np.empty(len(b) + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(_LOWER[b] * pw[: len(b)], out=prefix[1:])
        h = (prefix[ends] - prefix[starts]) * inv[starts]
        h ^= h >> np.uint64(29)
        h *= _FINAL
    seps = np.flatnonzero(b == 0)
    first = b[starts]
    return Tokens(
        hashes=h >> np.uint64(32),
        sentence=(np.searchsorted(seps, starts) - 1).astype(np.int32),
        capital=(first >= 0x41) & (first <= 0x5A),
        digit=cls[starts] == _DIGIT,
    )


def token_hash(token: str) -> int:
    """The hash :func:`tokenize_sentences` gives ``token`` (one token, any case)."""
    hashes = tokenize_sentences([token]).hashes
    if len(hashes) != 1:
        raise ValueError(f"not one token: {token!r}")
    return int(hashes[0])


def hash_set(words: frozenset[str] | set[str]) -> np.ndarray:
    """The sorted distinct hashes of some single-token words (for membership tests)."""
    return np.unique(tokenize_sentences(sorted(words)).hashes)
