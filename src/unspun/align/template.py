"""Series templates: two texts that differ only in a date are one formula, not one borrowing.

"Wikinews Shorts: April 22, 2007" is not the headline of "Wikinews Shorts: April 15, 2007",
and "A compilation of brief news reports for Sunday, April 22, 2007." is not copied from the
April 15 issue's opening: a series repeats its title and its formula with a new date.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import zip_longest

from unspun.explain.labels import DATE_WORDS
from unspun.text.diff import opcodes
from unspun.text.tokens import Token, tokenize

#: Month and weekday names. "Yesterday" for "Wednesday" is a copy edited to a new day, not a
#: series' new date, so the relative days do not count.
_CALENDAR = DATE_WORDS - {"yesterday", "today", "tomorrow"}
_EDGES = "\"'“”‘’()[],.:;!?-–—"


def _sketch_words(text: str) -> Iterator[str]:
    """The words of ``text`` other than figures and calendar words, lower-cased, one at a
    time (a cheap necessary condition: two texts that differ only in dates have the same
    words)."""
    for raw in text.lower().split():
        w = raw.strip(_EDGES)
        if w and w not in _CALENDAR and (w.isalpha() or not any(map(str.isdigit, w))):
            yield w


def _sketch(text: str) -> str:
    """The words of :func:`_sketch_words` joined by spaces (words hold no whitespace, so the
    joined form tells lists apart): the reference :func:`_same_sketch` is tested against."""
    return " ".join(_sketch_words(text))


def _same_sketch(a: str, b: str) -> bool:
    """``_sketch(a) == _sketch(b)``, with the words of both looked at only up to the first
    that differs: an aligner asks this of every match it counts, and most of them (a
    rewritten sentence) differ in their first words. Building the whole sketch of the suspect
    sentence first was half of the cost. Words are never empty and hold no whitespace, so
    the joined sketches are equal when the word lists are."""
    return all(x == y for x, y in zip_longest(_sketch_words(a), _sketch_words(b)))


def _dated(words: list[Token], k: int, years: tuple[int, int]) -> bool:
    """Whether word k is part of a date: a month or weekday name, a year, or a number next to
    a month or weekday name ("April 22")."""
    w = words[k]
    if w.norm in _CALENDAR:
        return True
    if w.kind != "num" or not w.norm.isdigit():
        return False
    if len(w.norm) == 4 and years[0] <= int(w.norm) <= years[1]:
        return True
    return any(n.norm in _CALENDAR for n in words[max(k - 1, 0):k] + words[k + 1:k + 2])


def date_only_difference(a: str, b: str, years: tuple[int, int] = (1800, 2100)) -> bool:
    """Whether ``a`` and ``b`` differ, but only in dates (a series template with a new date).

    Case and punctuation do not count; every differing block must put one date for another
    (words on both sides, every one of them part of a date: see :func:`_dated`; ``years``
    bounds a four-digit year). A changed count ("5 killed" for "7 killed") is a changed fact,
    not a new date, and a date only one side has is a sentence cut short ("... the report
    from" for "... the report from May 27."), not a new issue of a series.
    """
    if a == b or not _same_sketch(a, b):
        return False  # cheap answers first: an aligner asks this of every match it counts
    wa = [t for t in tokenize(a) if t.is_word]
    wb = [t for t in tokenize(b) if t.is_word]
    ops = [o for o in opcodes([t.norm for t in wa], [t.norm for t in wb]) if o.tag != "equal"]
    return bool(ops) and all(
        o.tag == "replace" and all(_dated(wa, k, years) for k in range(o.i1, o.i2))
        and all(_dated(wb, k, years) for k in range(o.j1, o.j2)) for o in ops)
