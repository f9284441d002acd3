"""Tokenise text into words, numbers and punctuation, each with offsets into the original."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from unspun._native import wordkeys

# The one word pattern of unspun: numbers, dotted abbreviations and words. Words keep inner
# apostrophes and hyphens ("don't", "cease-fire"); abbreviations their dots ("U.S.").
_NUM = r"\d+(?:[.,:]\d+)*%?"  # 2016, 1,000, 3.5, 10:30, 20%
_ABBR = r"(?:[^\W\d_]\.){2,}"  # U.S. U.K. e.g.
_WORD = r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*"  # words, don't, cease-fire
_TOKEN_RE = re.compile(rf"(?P<num>{_NUM})|(?P<abbr>{_ABBR})|(?P<word>{_WORD})|(?P<punct>[^\w\s])")
#: The same alternatives without punctuation or groups: the fast path of :func:`word_forms`.
#: Every alternative starts with a word character; the lookahead skips the others at once
#: (about a fifth faster over news text, the same matches).
_WORD_RE = re.compile(rf"(?=\w)(?:{_NUM}|{_ABBR}|{_WORD})")

_QUOTE_MAP = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'",
                            "\u2019": "'", "\u00ab": '"', "\u00bb": '"', "\u2032": "'"})

#: Personal pronouns that stand for a speaker ("he said").
SPEAKER_PRONOUNS: frozenset[str] = frozenset({"he", "she", "they"})
#: Titles and roles written before or instead of a name ("President", "Mr", "spokesman", and
#: their qualifiers "former" and "US"): not part of who someone is, for telling names apart
#: (edit labels) and for comparing speakers (quote checks).
TITLES: frozenset[str] = frozenset(
    """mr mrs ms dr president prime minister sen senator gov governor rep secretary general
    chancellor king queen prince pope judge justice ambassador premier head chief leader
    director spokesman spokeswoman former us""".split()
)

#: English function words: what a spinner leaves alone (after Stamatatos 2011 and DSpin).
STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told according will would may might must shall
    n't not never without against""".split()
)


class Token(NamedTuple):
    """One token: its normalised form, its kind, and its offsets into the original text."""

    norm: str
    kind: str  # "word", "num", "abbr" or "punct"
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.kind != "punct"


_new_tuple = tuple.__new__


def fold_whitespace(text: str) -> str:
    """``" ".join(text.split())``: words separated by single spaces, ends trimmed.

    Every whitespace character but " " is unprintable, so a printable text without a double,
    leading or trailing space is returned as it is, which is much cheaper than the split.
    """
    if "  " not in text and text[:1] != " " and text[-1:] != " " and text.isprintable():
        return text
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """Lowercase, fold curly apostrophes and strip accents, for matching."""
    word = word.translate(_QUOTE_MAP).lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split ``text[start:end]`` into tokens whose offsets point into ``text``.

    Compiled when it can be (``_wordkeys.tokens``, the same tokens: tests/test_wordkeys.py
    and tests/test_speedups.py compare it with :func:`_tokenize`): edit labels tokenise both
    sides of every aligned pair a scan or a trace compares.
    """
    if _tokens is not None and start >= 0:
        return _tokens(text, start, end)  # type: ignore[no-any-return]
    return _tokenize(text, start, end)


def _tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """:func:`tokenize` in Python: the fallback, and the reference of the compiled twin."""
    out: list[Token] = []
    append = out.append
    pos = start
    find = text.find
    groups = _TOKEN_RE.findall(text, start, len(text) if end is None else end)
    for num, abbr, word, punct in groups:
        if word:  # the most common kind first
            raw, kind, norm = word, "word", normalize_word(word)
        elif num:
            raw, kind, norm = num, "num", num.replace(",", "")
        elif abbr:
            raw, kind, norm = abbr, "abbr", abbr.replace(".", "").lower()
        else:
            raw, kind, norm = punct, "punct", punct.translate(_QUOTE_MAP)
        # Only whitespace and "_" lie between tokens and no token holds either, so the next
        # occurrence of the token is where it was matched.
        at = find(raw, pos)
        pos = at + len(raw)
        append(_new_tuple(Token, (norm, kind, at, pos)))  # Token(...) without its __new__
    return out


# The compiled twin of _tokenize (None: the pure-Python path).
_tokens = None if wordkeys is None else wordkeys.tokens
if wordkeys is not None:
    wordkeys.set_token_type(Token, ("num", "abbr", "word", "punct"), normalize_word)


class Lex(NamedTuple):
    """What matching needs to know about one surface form, computed once per form."""

    norm: str
    kind: str  # "word", "num" or "abbr"
    stop: bool
    capital: bool


@lru_cache(maxsize=200_000)
def lex(raw: str) -> Lex:
    """Classify and normalise one surface word form (cached: forms repeat across a corpus)."""
    if raw[0].isdigit():
        return Lex(raw.replace(",", ""), "num", False, False)
    if raw.endswith(".") and len(raw) > 2:
        return Lex(raw.replace(".", "").lower(), "abbr", False, True)
    norm = normalize_word(raw)
    return Lex(norm, "word", norm in STOPWORDS, raw[0].isupper())


def word_forms(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The raw word and number forms of ``text[start:end]``: a fast path with no offsets.

    ``_WORD_RE.findall``, or its compiled twin (about 7x faster over news text; the same
    forms, see tests/test_wordkeys.py).
    """
    if _forms is not None:
        return _forms(text, start, end)
    return _WORD_RE.findall(text, start, len(text) if end is None else end)


_forms = None if wordkeys is None else wordkeys.forms


def words(text: str) -> list[str]:
    """The normalised word and number tokens of ``text`` (punctuation dropped).

    The norms of :func:`tokenize`'s tokens, without building the tokens or finding offsets:
    compiled when it can be (``_wordkeys.norms``, about 3x faster: a trace takes the words
    of ~370 quotes; tests/test_wordkeys.py compares it with :func:`_words`).
    """
    if _norms is not None:
        return _norms(text)  # type: ignore[no-any-return]
    return _words(text)


def _words(text: str) -> list[str]:
    """:func:`words` in Python: :func:`word_forms` finds the same tokens but punctuation, and
    each distinct form's norm is looked up in a dict (one C-level map a text)."""
    global _NORMS
    forms = word_forms(text)
    norms = _NORMS  # replaced, never cleared, when full: another thread may be reading it
    if len(norms) > _NORMS_MAX:
        norms = _NORMS = {}
    for raw in set(forms).difference(norms):
        norms[raw] = _norm_of(raw)
    return list(map(norms.__getitem__, forms))


_NORMS: dict[str, str] = {}
_norms = None if wordkeys is None else wordkeys.norms
_NORMS_MAX = 200_000


def _norm_of(raw: str) -> str:
    """The norm :func:`tokenize` gives the token ``raw``: its alternative of ``_TOKEN_RE`` is
    the number when it opens with a decimal digit (``\\d``), else the abbreviation when it
    ends with a dot (no word or number does), else the word."""
    if raw[0].isdecimal():
        return raw.replace(",", "")
    if raw.endswith("."):
        return raw.replace(".", "").lower()
    return normalize_word(raw)


def is_content(token: Token) -> bool:
    """True for a word a spinner might replace: not a function word, number or symbol."""
    return token.kind == "word" and token.norm not in STOPWORDS


def is_anchor(token: Token, text: str) -> bool:
    """True for a token a spinner rarely touches: a number, or a capitalised name mid-text."""
    if token.kind == "num":
        return True
    if token.kind in ("word", "abbr"):
        first = text[token.start]
        return first.isupper() and token.norm not in STOPWORDS
    return False
