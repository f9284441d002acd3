"""Split a text into non-blank lines with paragraph numbers, and the line tests cleaning shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from unspun._native import speedups
from unspun.text.tokens import fold_whitespace, word_forms

# Curly quotes, guillemets and no-break spaces, folded by str.replace (faster than translate).
_QUOTES = (("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u2018", "'"), ("\u2019", "'"),
           ("\u00ab", '"'), ("\u00bb", '"'), ("\u00a0", " "))
_TRAILING_CLOSERS = "'\"\u2019\u201d)]\u00bb "
_TERMINAL = ".!?\u2026"
# Attribution: a news sentence reports who said it. Error messages and link headlines do not.
_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|according\s+to|reported|reports|announced"
    r"|warned|warns|added|confirmed|stated)\b", re.IGNORECASE)


@dataclass(slots=True)
class Line:
    """One non-blank line: its stripped offsets into the original text and its paragraph number."""

    index: int  # position among the non-blank lines
    para: int  # paragraphs are separated by blank lines
    start: int
    end: int
    text: str  # the stripped line, exactly ``original[start:end]``
    folded: str  # the words of ``text`` joined by single spaces
    norm: str  # ``folded``, case- and quote-insensitive, for comparing lines


def _fold_quotes(text: str) -> str:
    """Curly quotes and guillemets to straight ones, no-break spaces to spaces."""
    if not text.isascii():
        for curly, plain in _QUOTES:
            if curly in text:
                text = text.replace(curly, plain)
    return text


def normalize_line(text: str) -> str:
    """Casefold, fold curly quotes and collapse whitespace, for comparing lines."""
    return " ".join(_fold_quotes(text).split()).casefold()


# Every whitespace character (str.isspace(), where str.split() cuts) but the space and the
# line break; a test checks the list against str.isspace().
OTHER_SPACES = tuple("\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003"
                     "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_OTHER_ASCII_SPACES = tuple(c for c in OTHER_SPACES if c.isascii())


def _spaces_only(text: str) -> bool:
    """Whether the only whitespace in ``text`` is spaces and line breaks (one search per
    other whitespace character: much cheaper than testing each line's characters)."""
    for c in _OTHER_ASCII_SPACES if text.isascii() else OTHER_SPACES:  # noqa: SIM110 (per doc)
        if c in text:
            return False
    return True


def _norm(folded: str) -> str:
    """A folded line's ``norm`` (see :class:`Line`)."""
    return _fold_quotes(folded).casefold()


def split_lines(text: str) -> list[Line]:
    """Split ``text`` on ``\\n`` into its non-blank lines, stripped, numbering paragraphs."""
    if _split_lines is not None:
        lines: list[Line] = _split_lines(text, _spaces_only(text), fold_whitespace, _norm)
        return lines
    return split_lines_py(text)


def split_lines_py(text: str) -> list[Line]:
    """:func:`split_lines` in Python: the fallback, and the reference of the compiled twin."""
    out: list[Line] = []
    para = 0
    pos = 0
    blank_since_last = False
    # Then a stripped line is already folded unless it holds a double space.
    spaces_only = _spaces_only(text)
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            if blank_since_last and out:
                para += 1
            start = pos + len(raw) - len(raw.lstrip())
            folded = stripped if spaces_only and "  " not in stripped else fold_whitespace(
                stripped)
            # Quote folding never changes where str.split() cuts (it maps spaces to spaces).
            out.append(Line(len(out), para, start, start + len(stripped), stripped, folded,
                            _fold_quotes(folded).casefold()))
            blank_since_last = False
        else:
            blank_since_last = True
        pos += len(raw) + 1
    return out


# The compiled twin of split_lines_py (None: the pure-Python path).
_split_lines = None if speedups is None else speedups.split_lines
if speedups is not None:
    speedups.set_line_type(Line)


def word_list(text: str) -> list[str]:
    """The word, number and abbreviation tokens of ``text``, as written."""
    return word_forms(text)


def word_count(text: str) -> int:
    """How many word, number and abbreviation tokens ``text`` has."""
    return len(word_forms(text))


def ends_with_terminal(text: str) -> bool:
    """True when ``text`` ends with ``.``, ``!``, ``?`` or ``…``, maybe before closing quotes."""
    core = text.rstrip(_TRAILING_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL


def looks_like_sentence(text: str, *, min_words: int = 8) -> bool:
    """True for a line that reads like a full sentence of prose.

    It needs ``min_words`` words, terminal punctuation and at least two lowercase words
    (so a Title Case Headline. with a period is not taken for prose).
    """
    return prose_words(text, word_list(text), min_words=min_words)


def prose_words(text: str, words: list[str], *, min_words: int = 8) -> bool:
    """:func:`looks_like_sentence` for a caller that already has ``word_list(text)``."""
    if len(words) < min_words or not ends_with_terminal(text):
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower >= 2


def attributed_sentence(text: str, *, min_words: int = 5) -> bool:
    """True for a short line that reads as a reported news sentence, not a message or link.

    It needs ``min_words`` words, terminal punctuation, at least three lowercase words and an
    attribution ("officials said", "according to", "police say"): cues such as ``Error:`` or
    ``Watch:`` in front of it do not make it junk.
    """
    words = word_list(text)
    if len(words) < min_words or not ends_with_terminal(text):
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower >= 3 and _ATTRIBUTION_RE.search(text) is not None
