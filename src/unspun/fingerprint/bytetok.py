"""Tokenise and hash the words of many sentences at once, with numpy over their UTF-8 bytes.

The index and the query side both fingerprint through here, so what matters is that the same
text always gives the same tokens, not linguistic perfection: a token is a run of letters and
digits (every byte of a non-ASCII letter counts as a letter), joined by an apostrophe or hyphen
between two of them, or by a dot, comma or colon between two letters or two digits ("U.S",
"3.5", "1,000", "10:30"). Curly apostrophes count as straight ones, Latin-1 and
General Punctuation symbols (curly quotes, dashes, ellipses, no-break spaces) separate tokens,
and ASCII letters are lowercased before hashing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from unspun._native import speedups

# The compiled twin of _tokenize_raw after _encode (None: the pure-Python path).
_tokenize_parts = None if speedups is None else speedups.tokenize_parts

_M64 = 0xFFFFFFFFFFFFFFFF
_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 2**64)
_FINAL = np.uint64(0xD6E8FEB86659FD93)

# Byte classes (as a bytes.translate table), and whether a byte is inside a token given the
# classes of the bytes before it, at it and after it (a translate table over the three-class
# code ``(before * 5 + here) * 5 + after``).
_OTHER, _LETTER, _DIGIT, _JOINER, _NUMSEP, _NCLASS = 0, 1, 2, 3, 4, 5
_classes = bytearray(256)
for _c in range(256):
    _ch = chr(_c)
    if _ch.isascii() and _ch.isalpha() or _c >= 0x80:
        _classes[_c] = _LETTER
    elif _ch.isdigit():
        _classes[_c] = _DIGIT
    elif _ch in "'-":
        _classes[_c] = _JOINER
    elif _ch in ".,:":
        _classes[_c] = _NUMSEP
_CLASS = bytes(_classes)
_inside = bytearray(256)
for _p in range(_NCLASS):
    for _n in range(_NCLASS):
        for _h in (_LETTER, _DIGIT):
            _inside[(_p * _NCLASS + _h) * _NCLASS + _n] = 1
        _alnum = _p in (_LETTER, _DIGIT) and _n in (_LETTER, _DIGIT)
        _inside[(_p * _NCLASS + _JOINER) * _NCLASS + _n] = _alnum
        _inside[(_p * _NCLASS + _NUMSEP) * _NCLASS + _n] = _p == _n and _p in (_LETTER, _DIGIT)
_INSIDE = bytes(_inside)
# What the first byte of a token says: 1 an ASCII capital, 2 a digit.
_FIRST = np.zeros(256, dtype=np.uint8)
_FIRST[ord("A") : ord("Z") + 1] = 1
_FIRST[ord("0") : ord("9") + 1] = 2
_LOWER = bytes(range(256)).lower()  # a bytes.translate table: ASCII capitals to lowercase

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
    """Sentences joined by NUL bytes (one before each and one at the end), curly apostrophes
    made straight."""
    joined = "\x00" + "\x00".join(parts) + "\x00"
    if joined.count("\x00") != len(parts) + 1:
        joined = "\x00" + "\x00".join(p.replace("\x00", " ") for p in parts) + "\x00"
    if not joined.isascii():
        joined = joined.replace("\u2019", "'").replace("\u2018", "'")
    return joined.encode("utf-8", "replace")


def _symbols_only(raw: bytes, b: np.ndarray, cls: np.ndarray) -> None:
    """Turn the bytes of Latin-1 and General Punctuation symbols into separators, in place."""
    if b"\xc2" in raw:
        lead = (b[:-1] == 0xC2).nonzero()[0]
        lead = lead[b[lead + 1] < 0xC0]
        cls[lead] = _OTHER
        cls[lead + 1] = _OTHER
    if b"\xe2" in raw:
        lead = (b[:-2] == 0xE2).nonzero()[0]
        lead = lead[(b[lead + 1] & 0xFE) == 0x80]
        cls[lead] = _OTHER
        cls[lead + 1] = _OTHER
        cls[lead + 2] = _OTHER


def tokenize_sentences(parts: list[str]) -> Tokens:
    """Tokenise and hash the texts of several sentences in one pass.

    Args:
        parts: The sentence texts, in order.

    Returns:
        Every token's 32-bit hash, sentence number and first-character flags.
    """
    if _tokenize_parts is not None:
        # The compiled twin encodes the parts itself, as _encode does (no joined str).
        hashes, sentence, first = _tokenize_parts(parts if type(parts) is list else list(parts))
        flags = np.frombuffer(first, dtype=np.uint8)
        return Tokens(hashes=np.frombuffer(hashes, dtype=np.uint64),
                      sentence=np.frombuffer(sentence, dtype=np.int32),
                      capital=flags == 1, digit=flags == 2)
    return _tokenize_raw(_encode(parts), len(parts) + 1 + sum(map(len, parts)))


def _tokenize_raw(raw: bytes, chars: int) -> Tokens:
    """:func:`tokenize_sentences` of the encoded text ``raw`` of ``chars`` characters (with
    its NUL bytes), in numpy: the pure-Python path, and the reference of the compiled one."""
    n = len(raw)
    b = np.frombuffer(raw, dtype=np.uint8)
    cls = np.frombuffer(raw.translate(_CLASS), dtype=np.uint8)
    if n != chars:
        cls = cls.copy()
        _symbols_only(raw, b, cls)
    code = cls[:-2] * np.uint8(_NCLASS)
    code += cls[1:-1]
    code *= np.uint8(_NCLASS)
    code += cls[2:]
    inside = np.zeros(n, dtype=np.uint8)  # the NUL bytes at both ends are never inside
    inside[1:-1] = np.frombuffer(code.tobytes().translate(_INSIDE), dtype=np.uint8)
    bounds = (inside[1:] != inside[:-1]).nonzero()[0]
    bounds += 1
    starts, ends = bounds[0::2], bounds[1::2]
    pw, inv = _powers(n + 1)
    # Unsigned array arithmetic wraps modulo 2**64 silently, as the prefix hashes need.
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    terms = prefix[1:]  # each byte times its power, summed in place: no temporary array
    terms[:] = np.frombuffer(raw.translate(_LOWER), dtype=np.uint8)
    terms *= pw[:n]
    np.cumsum(terms, out=terms)
    h = prefix[ends]
    h -= prefix[starts]
    h *= inv[starts]
    h ^= h >> np.uint64(29)
    h *= _FINAL
    h >>= np.uint64(32)
    first = _FIRST.take(b[starts])
    # Sentence i's tokens lie between NUL byte i and NUL byte i + 1: count them per sentence
    # (a search of the few NULs among the token starts, not of every token among the NULs).
    nul = (b == 0).nonzero()[0]
    sentence = np.repeat(np.arange(len(nul), dtype=np.int32),
                         np.diff(np.searchsorted(starts, nul), append=len(starts)))
    return Tokens(hashes=h, sentence=sentence, capital=first == 1, digit=first == 2)


def token_hash(token: str) -> int:
    """The hash :func:`tokenize_sentences` gives ``token`` (one token, any case)."""
    hashes = tokenize_sentences([token]).hashes
    if len(hashes) != 1:
        raise ValueError(f"not one token: {token!r}")
    return int(hashes[0])


def hash_set(words: frozenset[str] | set[str]) -> np.ndarray:
    """The sorted distinct hashes of some single-token words (for membership tests)."""
    return np.unique(tokenize_sentences(sorted(words)).hashes)
