"""Synonym spinning for the generator: choose table phrases in a sentence and replace them."""

from __future__ import annotations

import re
from functools import lru_cache
from random import Random

from unspun.bench.rewrite import Replacement, overlaps
from unspun.bench.spin_table import SPIN_TABLE
from unspun.text.tokens import is_content, tokenize


def _pattern(keys: list[str], flags: int) -> re.Pattern[str]:
    """One alternation of the keys, longest first, bounded by non-word characters."""
    alts = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w.'-])(?:{alts})(?![\w'-])", flags)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The case-sensitive (names, abbreviations) and case-folded (common words) patterns."""
    exact = [k for k in SPIN_TABLE if not k.islower()]
    folded = [k for k in SPIN_TABLE if k.islower()]
    lower = {k.lower(): k for k in folded}
    return _pattern(exact, 0), _pattern(folded, re.IGNORECASE), lower


def candidates(text: str) -> list[tuple[int, int, str]]:
    """Every table phrase in ``text``: ``(start, end, key)``, longest match first at a place."""
    exact, folded, lower = _patterns()
    found = [(m.start(), m.end(), m.group()) for m in exact.finditer(text)]
    for m in folded.finditer(text):
        word = m.group()
        at_start = m.start() == 0 or text[: m.start()].rstrip().endswith(('"', "'", "("))
        if word.islower() or (at_start and word[:1].isupper() and word[1:].islower()):
            found.append((m.start(), m.end(), lower[word.lower()]))
    return sorted(found)


def _cased(original: str, new: str) -> str:
    """Carry a capital first letter of ``original`` over to ``new``."""
    if original[:1].isupper() and new[:1].islower():
        return new[0].upper() + new[1:]
    return new


def spin_replacements(text: str, rate: float, rng: Random,
                      taken: list[Replacement] | None = None) -> list[Replacement]:
    """Pick synonym replacements for about ``rate`` of the sentence's content words.

    Args:
        text: The source sentence.
        rate: Target share of content words to replace (capped by what the table covers).
        rng: The generator's random source.
        taken: Replacements already chosen in this sentence; new ones never overlap them.

    Returns:
        New replacements of type ``synonym`` (quotes are spun too, as real spinners do).
    """
    chosen = list(taken or [])
    content = sum(1 for t in tokenize(text) if is_content(t))
    want = rate * content
    k = int(want) + (1 if rng.random() < want - int(want) else 0)
    cands = candidates(text)
    rng.shuffle(cands)
    out: list[Replacement] = []
    for start, end, key in cands:
        if len(out) >= k:
            break
        if overlaps(chosen, start, end):
            continue
        new = _cased(text[start:end], rng.choice(SPIN_TABLE[key]))
        rep = Replacement(start, end, new, "synonym", f"{text[start:end]} -> {new}")
        chosen.append(rep)
        out.append(rep)
    return out


def count_content(text: str) -> int:
    """Number of content words in ``text``."""
    return sum(1 for t in tokenize(text) if is_content(t))
