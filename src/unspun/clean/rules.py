"""The line rules of cleaning: server errors, link lines and boilerplate, as compiled patterns.

Each rule is general (a cue and a shape, never a string copied from one page) and returns a
short ``detail`` naming what matched, or ``None``. Regexes are compiled once, at import.
"""

from __future__ import annotations

import re
import re._constants as re_constants
import re._parser as re_parser
from collections.abc import Callable
from dataclasses import dataclass
from typing import AnyStr

import numpy as np

from unspun._native import speedups
from unspun.clean.lines import (
    attributed_sentence,
    looks_like_sentence,
    prose_words,
    word_count,
    word_list,
)
from unspun.config import CleanConfig
from unspun.text.tokens import word_forms

# The compiled twin of _HintScan.present_py (None: the pure-Python path).
_hints_present = None if speedups is None else speedups.hints_present

_I = re.IGNORECASE
#: The defaults of the keyword arguments below (``clean`` passes its own config's values).
_DEFAULTS = CleanConfig()

# Bullets, arrows and brackets a cue may be wrapped in: "» Read more", "[Related]", "(Photo: AP)".
_LEAD = r"^[\s\-\u2013\u2014\u2022\u00b7*>\u00bb\u203a|\[(#~]*"
# What may separate a cue from the headline it points to.
_SEP = r"(?:\s*[:|\u00bb\u203a>]+\s*|\s+[\-\u2013\u2014]+\s+|\s*(?:\.{3}|\u2026)\s*)"
_TAIL = r"\s*[:.\u2026\u00bb\u203a>!\-]*\s*[\])]?\s*$"

# ---------------------------------------------------------------------------- server errors
_SSI = r"\[an error occurred while processing (?:this|the) directive\]"
_TEMPLATE = (
    r"\{\{\{?[^{}]*\}\}\}?|\{%.*?%\}|\{#.*?#\}"  # Jinja, Liquid, Django, Handlebars
    r"|%%[A-Za-z_][A-Za-z0-9_]*%%"  # %%AUTHOR%%
    r"|(?-i:__[A-Z][A-Z0-9_]+__)"  # __TITLE__
    r"|(?-i:\[\[\s*(?:[a-z_][a-z0-9_.]*|[A-Z_][A-Z0-9_]+)\s*\]\])"  # [[author]], not [[Moscow]]
    r"|\$\{[^{}\s]{1,40}\}"  # ${title}
    r"|(?-i:\$[a-z_][a-z0-9_]*\b(?:->\w+|\[['\"]?\w+['\"]?\])*)"  # $title, $row['x'], not $5
    r"|<\?(?:php|=).*?\?>"  # leaked PHP
)
INLINE_ERROR_RE = re.compile(rf"(?P<ssi>{_SSI})|(?P<template>{_TEMPLATE})", _I)
# Every match of INLINE_ERROR_RE holds one of these (looked for in lower-cased text: plain
# substring tests are much faster than a regex with no literal prefix). "%%" and "<?", not
# "%" and "<": every "%" of a match is in "%%" or after a "{", every "<" starts "<?".
_INLINE_HINTS = ("{", "%%", "$", "<?", "__", "[[", "[an error")

_LINE_ERRORS: list[tuple[str, str, re.Pattern[str]]] = [
    ("PHP error", ":", re.compile(
        r"^\W*(?:<b>)?(?:PHP\s+)?(?:warning|notice|fatal\s+error|parse\s+error|deprecated"
        r"|strict\s+standards|(?:catchable|recoverable)\s+fatal\s+error)(?:</b>)?\s*:.*?"
        r"(?:\bon\s+line\s+(?:<b>)?\d+|\bin\s+(?:<b>)?(?:/|[a-z]:\\)\S+)", _I)),
    ("database error", "sql database", re.compile(
        r"you\s+have\s+an\s+error\s+in\s+your\s+sql\s+syntax"
        r"|error\s+establishing\s+a\s+database\s+connection|\bmysqli?_[a-z_]+\(\)"
        r"|not\s+a\s+valid\s+mysql|\bsqlstate\[", _I)),
    ("uncaught exception", "uncaught traceback stack", re.compile(
        r"^\W*(?:uncaught\s+(?:exception|error|typeerror|referenceerror)\b"
        r"|traceback\s+\(most\s+recent\s+call\s+last\)|stack\s+trace\s*:)", _I)),
    ("HTTP error page", "", re.compile(
        r"^\W*(?:(?:http\s+)?error\s*[45]\d\d\b.{0,60}"
        r"|[45]\d\d\W+(?:error|not\s+found|forbidden|internal\s+server\s+error|bad\s+gateway"
        r"|service\s+(?:temporarily\s+)?unavailable|gateway\s+time-?out|bad\s+request"
        r"|unauthorized)\b.{0,60}"
        r"|(?:page|file|document|article)\s+not\s+found\W*"
        r"|the\s+requested\s+url\s+\S*\s*was\s+not\s+found\s+on\s+this\s+server.*)$", _I)),
    ("empty value", "", re.compile(
        r"^\W*(?:undefined|nan|null|\[object\s+object\]|#(?:name\?|value!|ref!|n/a|div/0!))\W*$",
        _I)),
    ("error message", "error", re.compile(r"^\W*error\s*:.{0,80}$", _I)),
]


def _finder(pattern: re.Pattern[str]) -> Callable[[str], re.Match[str] | None]:
    """``pattern.search``, or ``pattern.match`` when every match starts at the text's start
    (a leading ``^`` outside any alternative, without MULTILINE): the same answer, where a
    search tries every position of a long line first (up to 3x the cost, measured)."""
    first = list(re_parser.parse(pattern.pattern, pattern.flags))[:1]
    anchored = first == [(re_constants.AT, re_constants.AT_BEGINNING)]
    return pattern.match if anchored and not pattern.flags & re.MULTILINE else pattern.search


# Each rule with its cue words and its finder. Not a dict keyed by pattern: hashing a
# compiled pattern hashes its whole program (up to 2.3 us for "HTTP error page"), and that
# lookup ran for every line of every document (about 2 % of an index build, py-spy).
_LINE_ERROR_HINTS: list[tuple[str, tuple[str, ...], Callable[[str], re.Match[str] | None]]] = [
    (detail, tuple(hints.split()), _finder(pattern)) for detail, hints, pattern in _LINE_ERRORS]


def _has_hint(low: AnyStr, hints: tuple[AnyStr, ...]) -> bool:
    """Whether any of ``hints`` occurs in ``low`` (a plain loop: cheaper than ``any``)."""
    for hint in hints:  # noqa: SIM110 (a generator costs more on every line)
        if hint in low:
            return True
    return False


def server_error_line(text: str, low: str | None = None, cues: Cues | None = None) -> str | None:
    """Name the server or template error that makes up the whole line, if any.

    ``low`` is the line lower-cased or casefolded (cue words are looked for in it), and
    ``cues`` limits the rules tried to those of :meth:`Cues.of` its document.
    """
    rules = (cues or EVERY_CUE).server
    if low is None and len(rules) > len(_UNHINTED):
        low = text.lower()
    for detail, hints, find in rules:
        if (not hints or _has_hint(low or "", hints)) and find(text):
            if detail in ("error message", "HTTP error page") and (
                    looks_like_sentence(text) or attributed_sentence(text)):
                continue
            return detail
    return None


def inline_errors(text: str, low: str | None = None, cues: Cues | None = None
                  ) -> list[tuple[int, int, str]]:
    """SSI errors and unfilled template placeholders inside a line: (start, end, detail).

    ``low`` and ``cues`` are as for :func:`server_error_line`.
    """
    out: list[tuple[int, int, str]] = []
    if (cues is not None and not cues.inline) or not _has_hint(low or text.lower(), _INLINE_HINTS):
        return out
    for m in INLINE_ERROR_RE.finditer(text):
        detail = "SSI error" if m.lastgroup == "ssi" else "unfilled template placeholder"
        out.append((m.start(), m.end(), detail))
    return out


# ------------------------------------------------------------------------------- link lines
_LINK_CUES = (
    r"more\s+(?:news|stories|articles|headlines|coverage|on\s+this\s+(?:story|topic))"
    r"|read\s+(?:more|also|next|this|the\s+full\s+(?:story|article))|also\s+read|also\s+see"
    r"|see\s+also"
    r"|related(?:\s+(?:news|articles?|posts?|stories|story|content|coverage|links?|topics?"
    r"|reading|items?|videos?|searches))?"
    r"|recommended(?:\s+(?:for\s+you|stories|articles|reading|videos?))?"
    r"|you\s+(?:may|might|could)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)"
    r"|(?:also\s+)?trending(?:\s+(?:now|news|stories|today))?"
    r"|most\s+(?:popular|read|viewed|shared|commented)|popular\s+(?:posts|stories|articles|now)"
    r"|top\s+stories|latest\s+(?:news|stories|posts|headlines)|editor'?s'?\s+picks?"
    r"|don'?t\s+miss|must\s+read|(?:previous|next)\s+(?:article|post|story)"
    r"|continue\s+reading|keep\s+reading|click\s+here\s+to\s+read(?:\s+more)?"
)
_LINK_RE = re.compile(rf"{_LEAD}(?P<cue>{_LINK_CUES})(?:{_TAIL}|{_SEP}(?P<rest>\S.*))$", _I)
_MEDIA_RE = re.compile(rf"{_LEAD}(?P<cue>watch|listen|video|photos|gallery)\s*:\s*(?P<rest>\S.*)$",
                       _I)
_MORE_FROM_RE = re.compile(rf"{_LEAD}(?P<cue>more\s+from)\s+\S+(?:\s+\S+){{0,3}}{_TAIL}", _I)


_NAV_WORDS = frozenset({"newer", "older", "previous", "next", "prev", "post", "posts", "home",
                        "article", "articles", "page", "story", "back", "to", "top"})

_NAV_CUES = ("newer", "older", "prev", "next")  # a navigation line holds one of these


def link_line(text: str, *, max_words: int = _DEFAULTS.max_link_words, low: str | None = None,
              max_chars: int = _DEFAULTS.max_short_chars) -> str | None:
    """Name the cue of a "More news: …" / "Related" / "Read more" line, if this is one.

    A cue must lead the line; what follows it (a headline) must not be a full sentence, and
    the line holds at most ``max_words`` words and ``max_chars`` characters. ``low`` is the
    line lower-cased or casefolded, when the caller has it.
    """
    if len(text) > max_chars:
        return None
    if low is None:
        low = text.lower()
    words = [w.lower() for w in word_list(text)] if _has_hint(low, _NAV_CUES) else []
    if 2 <= len(words) <= 8 and all(w in _NAV_WORDS for w in words) and any(
        w in ("newer", "older", "previous", "next", "prev") for w in words
    ):
        return "navigation"
    m = _LINK_RE.match(text) or _MEDIA_RE.match(text) or _MORE_FROM_RE.match(text)
    if m is None or word_count(text) > max_words:
        return None
    rest = m.groupdict().get("rest")
    if rest and (looks_like_sentence(rest) or attributed_sentence(rest)):
        return None
    return " ".join(m.group("cue").split()).lower()


# ----------------------------------------------------------------------------- boilerplate
# Specific enough to remove even a line that reads like a sentence.
_STRONG_BOILER: list[tuple[str, str, re.Pattern[str]]] = [
    ("cookie notice", "cookie continu", re.compile(
        r"\bwe\s+use\s+cookies|\b(?:this|our)\s+(?:web)?site\s+uses\s+cookies"
        r"|\buse\s+of\s+cookies\b|\bby\s+continuing\s+to\s+(?:use|browse)\b"
        r"|\baccept\s+(?:all\s+)?cookies\b"
        r"|\bif\s+you\s+continue\s+(?:to\s+use|using|browsing)\s+(?:this|our)\s+(?:web)?site", _I)),
    ("newsletter", "newsletter inbox mail", re.compile(
        r"\b(?:sign\s+up|subscribe)\s+(?:to|for)\s+(?:our|the)\s+(?:[\w-]+\s+){0,3}newsletters?"
        r"|\bdelivered\s+(?:straight\s+|directly\s+)?to\s+your\s+inbox"
        r"|\byour\s+e-?mail\s+address\s+will\s+not\s+be\s+published", _I)),
    ("copyright", "reserved broadcast", re.compile(
        r"\ball\s+rights\s+reserved\b|\bmay\s+not\s+be\s+(?:published|reproduced|copied),?\s+"
        r"broadcast", _I)),
    ("affiliate notice", "affiliate", re.compile(
        r"\b(?:this|the)\s+(?:article|post|page|story)\s+(?:contains|may\s+contain)\s+"
        r"affiliate\s+links", _I)),
]

# Only for short lines that are not sentences: the cue leads the line.
_WEAK_BOILER: list[tuple[str, re.Pattern[str]]] = [
    ("advertising", re.compile(
        rf"{_LEAD}(?:advertisements?|advertising|advert|ads?|sponsored(?:\s+(?:content|links?"
        rf"|posts?|stories))?|paid\s+(?:content|post|partner)|promoted(?:\s+content)?"
        rf"|story\s+continues\s+below(?:\s+advertisement)?|scroll\s+(?:down\s+)?to\s+continue"
        rf"(?:\s+reading)?|ad\s+feedback){_TAIL}", _I)),
    ("advertising script", re.compile(
        r"adsbygoogle|googletag\.|document\.write\(|\bwindow\.\w+\s*=", _I)),
    ("share/follow", re.compile(
        rf"{_LEAD}(?:share\s+(?:this|on|via|the\s+story|article|your\s+thoughts)\b"
        rf"|click\s+(?:here|to)\b|(?:follow|like|find|join)\s+us\b|subscribe\b|sign\s+up\b"
        rf"|follow\s+(?:@\w+|[\w.]+\s+on\s+(?:twitter|x|facebook|instagram|threads|bluesky))"
        rf"|send\s+(?:us\s+)?(?:your\s+)?(?:news\s+)?(?:tips|story\s+ideas)\b"
        rf"|listen\s+to\s+this\s+(?:article|story)|(?:print|email)\s+this\s+(?:article|page|story)"
        rf"|(?:get|receive)\s+(?:our|the)\s+(?:latest|daily|free|weekly|newsletter)"
        rf"|newsletter\b|enter\s+your\s+e-?mail|download\s+(?:our|the)\s+app)", _I)),
    ("photo credit", re.compile(
        rf"{_LEAD}(?:(?:photo|image|picture|photograph|video|graphic)s?(?:\s+credits?)?\s*:"
        rf"|credits?\s*:|(?:photo|image)\s+(?:by|courtesy)\b|file\s+photo\b|image\s+copyright\b)"
        r"|\b(?:getty\s+images|afp\s+photo|ap\s+photo|shutterstock|reuters/\w+)\b", _I)),
    ("copyright", re.compile(r"\u00a9|^\W*(?:\(c\)|copyright\b)", _I)),
    ("page furniture", re.compile(
        rf"{_LEAD}(?:(?:tags?|labels?|topics)\s*:|filed\s+under\b|posted\s+(?:in|by|on|at)\b"
        rf"|categor(?:y|ies)\s*:|\d+\s*(?:-\s*)?min(?:ute)?s?\s+read{_TAIL}|reply{_TAIL}"
        rf"|report\s+(?:abuse|this\s+comment)|(?:log|sign)\s+in\s+to\s+(?:comment|reply|post)"
        rf"|powered\s+by\b|(?:image|photo|video|media)\s+caption\b|media\s+playback\b"
        rf"|your\s+browser\s+does\s+not\s+support|this\s+video\s+is\s+(?:not\s+)?available"
        rf"|leave\s+a\s+(?:comment|reply)|\d+\s+comments?{_TAIL}|comments?\s*(?:\(\d+\))?{_TAIL}"
        rf"|loading\.*{_TAIL}|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top"
        rf"|(?:accept|reject|manage)\s+(?:all\s+)?cookies|cookie\s+(?:policy|settings"
        rf"|preferences|notice)|privacy\s+policy|terms\s+(?:of\s+(?:use|service)|and\s+"
        rf"conditions)|please\s+enable\s+javascript|javascript\s+is\s+(?:disabled|required))",
        _I)),
]

_WEAK_FIND = [(detail, _finder(pattern)) for detail, pattern in _WEAK_BOILER]

_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])['\"\u2019\u201d)\]]*\s+")


_STRONG_HINTS = [(detail, tuple(hints.split()), pattern) for detail, hints, pattern in _STRONG_BOILER]


def _strong(text: str, low: str | None = None, cues: Cues | None = None) -> str | None:
    """The strong boilerplate pattern ``text`` matches, if any."""
    rules = (cues or EVERY_CUE).strong
    if not rules:
        return None
    if low is None:
        low = text.lower()
    for detail, hints, pattern in rules:
        if _has_hint(low, hints) and pattern.search(text):
            return detail
    return None


_SHARE_WORDS = frozenset({
    "share", "shares", "shared", "this", "on", "via", "tweet", "email", "e-mail", "mail",
    "print", "facebook", "twitter", "whatsapp", "linkedin", "pinterest", "reddit", "telegram",
    "messenger", "pin", "copy", "link", "save", "flipboard", "x", "google", "comment",
    "comments", "and", "or", "sms",
})


#: Where :func:`_words_of_short_line` first tries to decide, in characters (about ten words).
_HEAD_CHARS = 60


def _words_of_short_line(text: str, max_words: int) -> list[str] | None:
    """``word_list(text)``, or None when the line has more than ``max_words`` words or reads as
    prose (:func:`prose_words`).

    Words never span a space, so the words before a space are the first words of the line,
    and both tests can only turn true as words are added: the words of the first
    ``_HEAD_CHARS`` characters often decide (a sentence of prose), and the rest is read only
    when they do not.
    """
    cut = text.find(" ", _HEAD_CHARS)
    found = word_forms(text, 0, cut) if cut > 0 else word_forms(text)
    if cut > 0 and not (len(found) > max_words or prose_words(text, found)):
        found += word_forms(text, cut)
    if len(found) > max_words or prose_words(text, found):
        return None
    return found


def boilerplate_line(text: str, *, max_words: int = _DEFAULTS.max_boilerplate_words,
                     max_strong_words: int = _DEFAULTS.max_strong_words,
                     max_chars: int = _DEFAULTS.max_short_chars,
                     low: str | None = None, cues: Cues | None = None) -> str | None:
    """Name the share/subscribe/advertising/cookie/credit boilerplate the line is, if any.

    The strong patterns (cookie notices, newsletter boxes, "All rights reserved") apply to
    lines of up to ``max_strong_words`` words, even sentences; a longer line is article text
    with boilerplate glued on, and is kept. The weak cues apply to short non-sentences only
    (at most ``max_words`` words and ``max_chars`` characters).
    ``low`` and ``cues`` are as for :func:`server_error_line`.
    """
    detail = _strong(text, low, cues) if len(text) <= 12 * max_strong_words else None
    if detail is not None and word_count(text) <= max_strong_words and all(
        _strong(piece) or not looks_like_sentence(piece) for piece in _SENTENCE_END.split(text)
    ):
        return detail  # every sentence of the line is boilerplate or a mere fragment
    if len(text) > max_chars:
        return None
    found = _words_of_short_line(text, max_words)
    if found is None:
        return None
    words = [w.lower() for w in found if not w.isdigit()]
    if words and all(w in _SHARE_WORDS for w in words) and any(
        w not in ("this", "on", "via", "and", "or", "x", "copy", "link", "save") for w in words
    ):
        return "share bar"
    for detail, find in _WEAK_FIND:
        if find(text):
            return detail
    return None


def _encoded(hints: tuple[str, ...]) -> tuple[bytes, ...]:
    """Hints as UTF-8 bytes, for :meth:`Cues.of`."""
    return tuple(hint.encode() for hint in hints)


_LINE_ERROR_BYTES = [_encoded(hints) for _, hints, _ in _LINE_ERROR_HINTS]
_STRONG_BYTES = [_encoded(hints) for _, hints, _ in _STRONG_HINTS]
_INLINE_BYTES = _encoded(_INLINE_HINTS)
_UNHINTED = tuple(item for item in _LINE_ERROR_HINTS if not item[1])
# English letters from the most to the least frequent: a hint is looked up by its rarest
# four letters (see _HintScan).
_LETTER_RANK = {c: i for i, c in enumerate(b"etaoinsrhldcumfpgwybvkxjqz")}
_GRAM_MULT = np.uint32(0x9E3779B1)


class _HintScan:
    """Which of many hints occur in a text's UTF-8 bytes, in one pass for all the long ones.

    Searching the bytes once per hint costs about 2 microseconds per hint on a news page.
    Hints of four bytes or more are instead found through one window of four bytes each
    (its rarest letters): the text's four-byte windows are hashed into a 64 Ki-entry table
    with numpy, and only positions whose window hashes like a hint's are compared. Short
    hints are searched for directly, behind a test for their first byte (cheap for "[" or
    "_"). The answer is exact: the hints present, no more, no fewer.
    """

    def __init__(self, hints: set[bytes]) -> None:
        # A short hint's first byte is looked for first when it is no letter ("[", "_").
        self.short = [(h, b"" if h[:1].isalpha() else h[:1])
                      for h in sorted(h for h in hints if len(h) < 4)]
        self.grams: dict[int, list[tuple[bytes, int]]] = {}
        for hint in sorted(h for h in hints if len(h) >= 4):
            at = max(range(len(hint) - 3), key=lambda k: sum(
                _LETTER_RANK.get(c, len(_LETTER_RANK)) for c in hint[k : k + 4]))
            gram = int.from_bytes(hint[at : at + 4], "little")
            self.grams.setdefault(gram, []).append((hint, at))
        self.table = np.zeros(1 << 16, dtype=bool)
        self.table[self._hash(np.array(sorted(self.grams), dtype=np.uint32))] = True
        # The same search for the compiled twin: (hint, probe) and (hint, at, window).
        self.native = (tuple(self.short), tuple((h, at, g) for g, group in self.grams.items()
                                                for h, at in group), self.table.tobytes())

    @staticmethod
    def _hash(windows: np.ndarray) -> np.ndarray:
        h = windows * _GRAM_MULT
        h >>= np.uint32(16)
        return h

    def present(self, data: bytes) -> set[bytes]:
        """The hints that occur in ``data``."""
        if _hints_present is not None:
            short, long, table = self.native
            return _hints_present(data, short, long, table)
        return self.present_py(data)

    def present_py(self, data: bytes) -> set[bytes]:
        """:meth:`present` in Python and numpy: the fallback, and the reference of
        ``hints_present``."""
        found = {h for h, probe in self.short if probe in data and h in data}
        if len(data) < 4:
            return found
        windows = np.ndarray((len(data) - 3,), dtype="<u4", buffer=data, strides=(1,))
        for i in self.table.take(self._hash(windows)).nonzero()[0].tolist():
            for hint, at in self.grams.get(int(windows[i]), ()):
                if i >= at and data.startswith(hint, i - at):
                    found.add(hint)
        return found


_HINTS = _HintScan({h for group in (*_LINE_ERROR_BYTES, *_STRONG_BYTES, _INLINE_BYTES)
                    for h in group})


@dataclass(frozen=True, slots=True)
class Cues:
    """The rules worth trying on the lines of one document: those whose cue words occur in it.

    A rule with cue words can only match a line holding one of them, so a document scanned
    once spares every line the rules whose cues it lacks (most news pages lack most cues).
    """

    server: tuple[tuple[str, tuple[str, ...], Callable[[str], re.Match[str] | None]], ...]
    strong: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]
    inline: bool

    @classmethod
    def of(cls, low: str) -> Cues:
        """The cues of a document, from its text lower-cased or casefolded (lines may be
        joined and their whitespace collapsed)."""
        # The hints are looked for in UTF-8 bytes: the same hits (UTF-8 is self-synchronising),
        # about twice as fast as in a str that holds characters beyond Latin-1 (most pages).
        found = frozenset(_HINTS.present(low.encode("utf-8", "surrogatepass")))
        # The cues depend on the hints found alone, and few sets of hints occur: each set's
        # cues are made once (the frozen dataclass and its tuples cost more than the scan).
        cues = _CUES_OF.get(found)
        if cues is None:
            cues = cls(
                tuple(r for r, b in zip(_LINE_ERROR_HINTS, _LINE_ERROR_BYTES, strict=True)
                      if not b or not found.isdisjoint(b)),
                tuple(r for r, b in zip(_STRONG_HINTS, _STRONG_BYTES, strict=True)
                      if not found.isdisjoint(b)),
                not found.isdisjoint(_INLINE_BYTES),
            )
            if len(_CUES_OF) < 4096:
                _CUES_OF[found] = cues
        return cues


_CUES_OF: dict[frozenset[bytes], Cues] = {}


EVERY_CUE = Cues(tuple(_LINE_ERROR_HINTS), tuple(_STRONG_HINTS), True)
