"""Find direct quotations in news text, with their speakers, as spans into the original."""

from __future__ import annotations

import re

from unspun.data import Quote, Span
from unspun.text.quotes import ALL_DOUBLE, double_quote_groups, quote_regions, trim
from unspun.text.tokens import SPEAKER_PRONOUNS

_SINGLES = "'\u2018\u2019"
_MAX_SINGLE = 600  # a single-quoted quote longer than this is more likely two apostrophes

_VERBS = (
    r"said|says|say|added|adds|wrote|writes|told|tells|stated|explained|noted|declared|asked|"
    r"replied|tweeted|posted|warned|warning|claimed|claiming|saying|called|insisted|argued|"
    r"continued|concluded|announced|recalled|remarked|stressed|admitted|conceded|stating|"
    r"mentioned|mentioning|asserted|asserting|commented|commenting|noting|adding"
)
_NOT_NAME = (
    r"The|A|An|In|On|At|But|And|Or|If|When|While|As|This|That|These|Those|It|Its|His|Her|"
    r"Their|Our|We|I|You|After|Before|Since|So|Yet|Then|Also|Meanwhile|However|For|From|"
    r"With|Without|Back|According|Asked|Speaking|Later|Earlier|Today|Yesterday|Monday|"
    r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|There|Here|What|Why|How|Who|He|She|"
    r"They|Him|Them"
)
_TOK = rf"(?!(?:{_NOT_NAME})\b)(?:[A-Z][a-z]{{0,2}}\.|[A-Z][\w'\u2019\-]*)"
_NAME = rf"{_TOK}(?:[ \t]+{_TOK}){{0,3}}"
_PRON = r"[Hh]e|[Ss]he|[Tt]hey"
_AFTER = (
    re.compile(rf"^\s*,?\s*(?:{_VERBS})\s+(?P<name>{_NAME})"),
    re.compile(rf"^\s*,?\s*(?P<name>{_NAME}|{_PRON})\s+(?:[\w'\u2019\-]+\s+){{0,3}}?(?:{_VERBS})\b"),
    re.compile(rf"^\s*,?\s*(?i:according)\s+to\s+(?P<name>{_NAME})"),
)
_BEFORE = (
    re.compile(rf"(?i:according)\s+to\s+(?P<name>{_NAME})[^\"\u201c\u201d.!?]{{0,40}}$"),
    re.compile(
        rf"(?P<name>{_TOK}|\b(?:{_PRON}))\s+(?:[a-z][\w'\u2019,\-]*\s+){{0,4}}?(?:{_VERBS})\b"
        rf"[^\"\u201c\u201d.!?]{{0,60}}$"
    ),
)
# A part every match of each _BEFORE pattern ends with (its tail) or holds: where no search
# finds it, no candidate start can match, and none is tried (most quotes' text before them
# has no attribution verb near its end).
_BEFORE_SCREENS = (
    re.compile(r"(?i:according)\s+to\s+"),
    re.compile(rf"(?:{_VERBS})\b[^\"\u201c\u201d.!?]{{0,60}}$"),
)
_LONGEST_VERB = max(map(len, _VERBS.split("|")))
_SUBJECT_BODY = rf"(?P<name>{_NAME})\s+(?:has\s+|had\s+|was\s+|is\s+)?(?:[a-z]+(?:ed|s)|{_VERBS})\b"
_SUBJECT = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<name>{_NAME})[ \t]+"
                      r"(?!(?:of|and|or|the|in|on|for|to|at|from|with)\b)[a-z]+\b")
_CLAUSE_SUBJECT = re.compile(_SUBJECT_BODY)
_PARTICIPLE = re.compile(r",\s*(?:saying|stating|adding|claiming|warning|noting|mentioning|"
                         r"asserting|insisting|arguing|explaining)\b[^\"\u201c\u201d.!?]{0,60}$")
_TRAILING = re.compile(r"(?:\s+(?:on|in)\b.*|['\u2019]s?|\s+(?:Monday|Tuesday|Wednesday|Thursday|"
                       r"Friday|Saturday|Sunday|Twitter|Facebook))+$")
_NAME_START = re.compile(r"(?<![\w\u2019'.\-])(?=\w)")
_CAP_BEFORE = re.compile(rf"(?:^|(?<=\s))(?P<tok>{_TOK})[ \t]+$")
# Capitalised words that belong to an organisation's name, not to a person's.
_ORG_WORDS = frozenset("""Association Department Ministry Party Council Committee Organisation
    Organization Union Agency Office House Court University Division Command Police Service
    Services Group Company Inc Corp Institute Foundation Commission Bureau Army Navy Government
    Administration Times News Post Press Network Club Federation""".split())


def _is_single_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1 : i + 4]
    if not (before.isspace() or before in "([{\u2014-") or not after[:1].isalnum():
        return False
    return re.match(r"\d0s|em\b|til\b|cause\b|n\b", after + " ") is None


def _is_single_close(text: str, i: int, hi: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < hi else " "
    if before.isalpha() and after.isalpha():
        return False  # an apostrophe inside a word: don't, Trump's
    if before.isspace():  # "wouldn't, ' he says": a spaced closing mark after punctuation
        prev = text[:i].rstrip()[-1:]
        return prev in ",.!?" and (after.isspace() or after in ",.;:")
    return after.isspace() or after in ",.;:!?)\u2014-"


def _single_groups(text: str, lo: int, hi: int, taken: list[Span]) -> list[list[Span]]:
    """Single-quoted passages outside the double-quoted ones, each within one paragraph."""
    groups: list[list[Span]] = []
    find = text.find
    # The next ' and the next ‘ (no other character can open a passage), each found by
    # str.find: a regex search for either mark scanned 5 KB texts ~8x slower.
    straight, curly = find("'", lo, hi), find("\u2018", lo, hi)
    i = lo
    while True:
        if 0 <= straight < i:
            straight = find("'", i, hi)
        if 0 <= curly < i:
            curly = find("\u2018", i, hi)
        if straight < 0 and curly < 0:
            return groups
        i = straight if curly < 0 or 0 <= straight < curly else curly
        # The first test of _is_single_open inline: most marks are apostrophes in words.
        if (i == 0 or text[i - 1].isspace() or text[i - 1] in "([{\u2014-") and _is_single_open(
                text, i) and not any(s.start - 1 <= i < s.end + 1 for s in taken):
            limit = min(hi, i + _MAX_SINGLE)
            nl = text.find("\n", i, limit)
            limit = nl if nl >= 0 else limit
            for j in range(i + 1, limit):
                if text[j] in _SINGLES and _is_single_close(text, j, hi):
                    span = trim(text, i + 1, j)
                    if span and " " in span.of(text):
                        groups.append([span])
                        i = j
                    break
        i += 1


def _clean_name(name: str) -> str:
    return _TRAILING.sub("", name.strip()).strip(" ,.")


def _find_speaker(text: str, group: list[Span], lo: int, hi: int) -> tuple[str, Span] | None:
    """The speaker named right after the last part or right before the first part of a quote."""
    close = group[-1].end
    while close < hi and text[close] in " \t":
        close += 1
    if close < hi and text[close] in ALL_DOUBLE + _SINGLES:
        close += 1
    para_end = text.find("\n", close, hi)
    after = text[close : para_end if para_end >= 0 else min(hi, close + 120)][:120]
    ended = group[-1].of(text).rstrip()[-1:] in ".!?" and after.lstrip()[:1].isupper()
    for pat in () if ended else _AFTER:  # "…." He said: a new sentence, not an attribution
        m = pat.match(after)
        if m and _clean_name(m.group("name")):
            s = close + m.start("name")
            name = _clean_name(m.group("name"))
            return name, Span(s, s + len(name))
    open_ = group[0].start
    while open_ > lo and text[open_ - 1] in " \t":
        open_ -= 1
    if open_ > lo and text[open_ - 1] in ALL_DOUBLE + _SINGLES:
        open_ -= 1
    para_start = text.rfind("\n", lo, open_) + 1
    start = max(para_start, open_ - 200, lo)
    before = text[start:open_]
    lead = _PARTICIPLE.search(before)
    if lead:  # "However, La Russa believes …, stating, "…"": the clause's subject speaks
        cut = max(before.rfind(c, 0, lead.start()) for c in ".!?") + 1
        subject = _CLAUSE_SUBJECT.search(before, cut, lead.start())
        if subject and _clean_name(subject.group("name")):
            first = subject.start("name")
            name = _clean_name(subject.group("name"))
            return name, Span(start + first, start + first + len(name))
    # The verb's tail ends at most 61 characters before the end ("$" also matches before a
    # final newline): its search starts where the longest verb ending there would.
    screens = (_BEFORE_SCREENS[0].search(before) is not None,
               _BEFORE_SCREENS[1].search(before, max(0, len(before) - 61 - _LONGEST_VERB))
               is not None)
    if not any(screens):
        return None
    starts = [m.start() for m in _NAME_START.finditer(before)]
    for pat, hope in zip(_BEFORE, screens, strict=True):  # the candidate nearest the quote wins
        if not hope:
            continue
        for pos in reversed(starts):
            m = pat.match(before, pos)
            if m and _clean_name(m.group("name")):
                first, end = m.start("name"), m.start("name") + len(_clean_name(m.group("name")))
                if m.group("name").lower() not in SPEAKER_PRONOUNS:
                    first = _extend_left(before, first, end)
                s = start + first
                return before[first:end], Span(s, start + end)
    return None


def _extend_left(text: str, first: int, end: int) -> int:
    """Grow a name leftwards over capitalised words ("Donald Trump" → "President Donald Trump")."""
    while text.count(" ", first, end) < 3:
        m = _CAP_BEFORE.search(text, 0, first)
        if m is None or m.group("tok") in _ORG_WORDS:
            break
        first = m.start("tok")
    return first


def _resolve(text: str, at: int, named: list[tuple[int, str]], quoted: list[Span]) -> str | None:
    """The subject earlier in the same sentence, else the nearest preceding speaker or subject.

    Words inside a quotation (``quoted``, marks included) are never a subject.
    """
    def outside(pos: int) -> bool:
        return not any(q.start <= pos < q.end for q in quoted)

    sentence_start = max(text.rfind(c, 0, at) for c in ".!?\n") + 1
    local = [m for m in _CLAUSE_SUBJECT.finditer(text, sentence_start, at)
             if _clean_name(m.group("name")) and outside(m.start("name"))]
    if local:
        return _clean_name(local[-1].group("name"))
    best: tuple[int, str] | None = None
    for pos, name in named:
        if pos < at and (best is None or pos > best[0]):
            best = (pos, name)
    window = max(0, at - 600)
    for m in _SUBJECT.finditer(text, window, at):
        name = _clean_name(m.group("name"))
        if name and outside(m.start("name")) and (best is None or m.start() > best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def extract_quotes(text: str, spans: list[Span] | None = None) -> list[Quote]:
    """Find the direct quotations of ``text`` (or only inside ``spans``) and their speakers.

    Handles straight, curly and single quote marks (not apostrophes such as "don't" or
    "'90s") and quotes that run on into the next paragraph (each continuing paragraph opens
    with a quote mark). A pronoun speaker is resolved to the nearest preceding named speaker
    or capitalised subject; unresolved pronouns are kept as they are.

    Args:
        text: The original text.
        spans: Regions to search (for example the spans cleaning kept); all of ``text`` if None.

    Returns:
        Quotes in text order; each span covers the quoted words without the quote marks.
        Parts of one multi-paragraph quote are separate quotes sharing one speaker.
    """
    return LazyQuotes(text, spans).all()


class LazyQuotes:
    """The quotes of :func:`extract_quotes`, whose speakers are found only when asked for.

    Finding a speaker is most of the cost. A named speaker depends only on the text around
    its quote; a pronoun is resolved to the last speaker named before it, so only a quote
    whose speaker is a pronoun needs the speakers of the quotes before it. ``spans`` and
    ``texts`` hold every quote's span and words (a trace reads the words of ~370 quotes of
    the documents retrieved for its quotes, and the speakers of a few).
    """

    def __init__(self, text: str, spans: list[Span] | None = None) -> None:
        self.text = text
        self._regions = quote_regions(text, spans)
        groups = double_quote_groups(text, self._regions)
        taken = [s for g in groups for s in g]
        for lo, hi in self._regions:
            groups += _single_groups(text, lo, hi, taken)
        groups.sort(key=lambda g: g[0].start)
        self._groups = groups
        self.spans = [s for g in groups for s in g]
        self.texts = [text[s.start : s.end] for s in self.spans]
        self._group_of: list[int] | None = None
        self._quoted: list[Span] | None = None
        self._found: dict[int, tuple[str, Span] | None] = {}  # _find_speaker of each group
        self._speakers: dict[int, tuple[str | None, Span | None]] = {}
        self._named: list[tuple[int, str]] = []  # (start, name) of named speakers in order
        self._named_before = [0]  # how many of them the groups before group k name

    @property
    def quotes(self) -> list[Quote]:
        """Every quote without its speaker, in text order."""
        return [Quote(span, t) for span, t in zip(self.spans, self.texts, strict=True)]

    def quote(self, n: int) -> Quote:
        """``quotes[n]`` with its speaker."""
        if self._group_of is None:
            self._group_of = [n for n, g in enumerate(self._groups) for _ in g]
        group = self._group_of[n]
        found = self._speakers.get(group)
        if found is None:
            found = self._speakers[group] = self._speaker(group)
        return Quote(self.spans[n], self.texts[n], *found)

    def all(self) -> list[Quote]:
        """Every quote with its speaker, in text order."""
        return [self.quote(n) for n in range(len(self.spans))]

    def _find(self, group: int) -> tuple[str, Span] | None:
        """:func:`_find_speaker` of a group, found once."""
        if group in self._found:
            return self._found[group]
        g = self._groups[group]
        regions = self._regions
        lo = next(r[0] for r in regions if r[0] <= g[0].start <= r[1])
        hi = next(r[1] for r in regions if r[0] <= g[-1].end <= r[1])
        found = self._found[group] = _find_speaker(self.text, g, lo, hi)
        return found

    def _speaker(self, group: int) -> tuple[str | None, Span | None]:
        found = self._find(group)
        if not found:
            return None, None
        speaker, speaker_span = found
        if speaker.lower() in SPEAKER_PRONOUNS:
            while len(self._named_before) <= group:  # the named speakers of the groups before
                f = self._find(len(self._named_before) - 1)
                if f and f[0].lower() not in SPEAKER_PRONOUNS:
                    self._named.append((f[1].start, f[0]))
                self._named_before.append(len(self._named))
            named = self._named[: self._named_before[group]]
            if self._quoted is None:
                self._quoted = [Span(max(0, s.start - 1), s.end + 1) for s in self.spans]
            speaker = _resolve(self.text, speaker_span.start, named, self._quoted) or speaker
        return speaker, speaker_span
