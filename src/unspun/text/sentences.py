"""A sentence splitter for news text; every sentence keeps its offsets into the original.

Whether a period after an abbreviation ends a sentence is decided by a learnt Punkt-style
model (:mod:`unspun.text.punkt`), not by a list of the words that may follow it.
"""

from __future__ import annotations

import re
import struct
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import ClassVar, overload

from unspun._native import speedups
from unspun.data import Sentence, Span, sentence_at
from unspun.text.punkt import TITLES, is_abbreviation, load_model

# The compiled twins of _split_region and of the loop that makes its Sentences (None: the
# pure-Python path).
_split_spans = None if speedups is None else speedups.split_spans
_add_sentences = None if speedups is None else speedups.add_sentences
_stored_sentences = None if speedups is None else speedups.stored_sentences
if speedups is not None:
    speedups.set_sentence_types(Span, Sentence)

# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END_RE = re.compile(r"""[.!?]+['"\u2019\u201d)\]]*(?=\s)""")
# The same where no "!" or "?" occurs: a literal first character makes the scan much faster.
_DOT_END_RE = re.compile(r"""\.\.*['"\u2019\u201d)\]]*(?=\s)""")
_PARA_RE = re.compile(r"\n\s*\n|\n(?=\s*[-*\u2022]\s)")
_CLOSERS = "'\"\u2019\u201d)]"
_WORD_RE = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*")
_NEXT_START_RE = re.compile(r"""\s+(['"\u2018\u201c(\[]*)(\S)""")
_OPENERS = "'\"\u2018\u201c(["  # what _NEXT_START_RE skips before the next word
_NEXT_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_model = load_model


def _word_before(text: str, end: int) -> str:
    """The word (or dotted abbreviation) that ends right before an optional period and closing
    quotes at ``end``, looking back at most 40 characters; "" when there is none."""
    lo = max(0, end - 40)
    q = end
    while q > lo and text[q - 1] in _CLOSERS:
        q -= 1
    if q > lo and text[q - 1] == ".":
        q -= 1
    # letters(.letters)* reads the same backwards: match it greedily on the reversed window.
    m = _WORD_RE.match(text[lo:q][::-1])
    return m.group()[::-1] if m else ""


def _is_boundary(text: str, end: int, limit: int) -> bool:
    """Decide whether a terminal mark ending at ``end`` closes a sentence."""
    if end + 1 < limit and text[end] == " " and not text[end + 1].isspace() \
            and text[end + 1] not in _OPENERS:
        nxt_start = end + 1  # the common one space before a plain word: no regex needed
    else:
        nxt = _NEXT_START_RE.match(text, end, limit)
        if nxt is None:
            return True
        nxt_start = nxt.start(2)
    first = text[nxt_start]
    before = text[end - 2] if end >= 2 and text[end - 1] == "." else ""
    if before.islower():
        # The common "…word. Next": the word is what follows the last space, when that is
        # all letters (exactly what _word_before would find), so the rules below reduce to:
        if first.islower() or first in ",;:":
            return False
        lo = max(0, end - 40)
        space = text.rfind(" ", lo, end - 1)
        word = text[space + 1 if space >= 0 else lo : end - 1]
        if word.isalpha():
            if word.lower() not in _model().abbreviations:
                return True
            return _after_abbreviation(word, text, nxt_start)
    elif before.isdecimal():  # "…in 2010. Next": no word before the period
        return not (first.islower() or first in ",;:")
    last = end
    while last > 0 and text[last - 1] in _CLOSERS:
        last -= 1
    if not (last > 0 and text[last - 1] == "."):
        # "!" or "?": a boundary unless a lowercase word continues the sentence.
        return not first.islower()
    if first.islower() or first in ",;:":
        return False
    return _dotted_end(text, end, nxt_start)


def _dotted_end(text: str, end: int, nxt_start: int) -> bool:
    """:func:`_is_boundary`'s last rule, for a stop (maybe before closing quotes) followed
    by a word that may open a sentence: a boundary unless the word before the stop is an
    abbreviation that the next word continues."""
    word = _word_before(text, end)
    if word and is_abbreviation(word, _model().abbreviations):
        return _after_abbreviation(word, text, nxt_start)
    return True


def _after_abbreviation(word: str, text: str, pos: int) -> bool:
    """Whether an abbreviation (``U.S.``, ``No.``, ``Mr.``, an initial) ends its sentence here.

    ``pos`` is where the next word starts (it is not lower case). A number continues ("No. 10",
    "Jan. 15"), a title is followed by its name ("Mr. Smith"), and otherwise the sentence model
    says whether the next word opens a sentence ("U.S. The") or continues a name ("U.N.
    General Assembly", "U.S. Cyber Command").
    """
    first = text[pos]
    if first.isdecimal():
        return False
    if not first.isupper():
        return True
    if word.lower() in TITLES:
        return False
    m = _NEXT_WORD_RE.match(text, pos)
    following = m.group() if m else first
    model = _model()
    if len(word) == 1:  # an initial: only a common word after it opens a sentence ("Plan B.")
        return model.starts_sentence(following) and model.seen_lower(following)
    return model.starts_sentence(following)


def _ends_in(text: str, start: int, end: int) -> list[int]:
    """Where the sentences inside one paragraph ``text[start:end]`` end (but the last).

    The common "…word. Next" (one space, a capital, a plain word before the stop) is decided
    here by :func:`_is_boundary`'s own first rules, without a call per candidate (a fifth of
    the splitter's time went to those calls); every other candidate goes to it.
    """
    plain = text.find("!", start, end) < 0 and text.find("?", start, end) < 0
    out: list[int] = []
    abbreviations = _model().abbreviations
    for m in (_DOT_END_RE if plain else _END_RE).finditer(text, start, end):
        e = m.end()
        if e + 1 < end and e >= 2 and text[e] == " " and text[e - 1] == "." \
                and text[e - 2].islower():
            first = text[e + 1]
            if first.islower() or first in ",;:":
                continue
            if not first.isspace() and first not in _OPENERS:
                space = text.rfind(" ", max(0, e - 40), e - 1)
                word = text[space + 1 if space >= 0 else max(0, e - 40) : e - 1]
                if word.isalpha() and word.lower() not in abbreviations:
                    out.append(e)
                    continue
        if _is_boundary(text, e, end):
            out.append(e)
    return out


def _chunks(text: str, start: int, end: int, max_chars: int | None) -> Iterable[tuple[int, int]]:
    """Cut an over-long sentence at spaces into near-equal pieces of at most ``max_chars``.

    Equal pieces, rather than full pieces and a remainder, so no piece is a stray word or two
    ("reforms.") too short to align on its own.
    """
    while max_chars and end - start > max_chars:
        pieces = -(-(end - start) // max_chars)
        target = start + (end - start) // pieces
        lo, hi = start + max_chars // 3, start + max_chars
        after = text.find(" ", target, hi)
        before = text.rfind(" ", lo, target)
        cut = min((c for c in (before, after) if c >= 0), key=lambda c: abs(c - target),
                  default=-1)
        if cut < 0:
            cut = text.rfind("\n", lo, hi)
        if cut < 0:
            break
        yield start, cut
        start = cut + 1
    yield start, end


def split_sentences(text: str, spans: Iterable[Span] | None = None, *,
                    max_chars: int | None = None) -> list[Sentence]:
    """Split ``text`` (or only the given spans of it) into sentences.

    Paragraph breaks always end a sentence. Leading and trailing whitespace is trimmed from
    each sentence, so ``sentence.span.of(text) == sentence.text`` always holds.

    Args:
        text: The original text.
        spans: Regions of ``text`` to split (for example the spans cleaning kept); all of it
            when omitted.
        max_chars: Cut longer sentences (lists, run-ons, text without punctuation) at spaces
            into pieces of at most this many characters.

    Returns:
        The sentences in text order, numbered from 0.
    """
    regions = [(s.start, s.end) for s in spans] if spans is not None else [(0, len(text))]
    out: list[Sentence] = []
    append = out.append
    longest = max_chars or len(text) + 1
    split = _split_region if _split_spans is None else _split_spans
    abbreviations = _model().abbreviations
    make = _add_sentences
    for r_start, r_end in regions:
        bounds = split(text, r_start, r_end, abbreviations, _after_abbreviation, longest)
        if make is not None:
            # sentence_at for each pair, in C, up to a pair to cut (e < 0) in Python.
            k = make(text, bounds, 0, out)
            while k < len(bounds):
                for a, b in _chunks(text, bounds[k], ~bounds[k + 1], max_chars):
                    _add(out, text, a, b)
                k = make(text, bounds, k + 2, out)
            continue
        it = iter(bounds)
        for s, e in zip(it, it, strict=True):
            if e < 0:  # longer than max_chars: cut at spaces
                for a, b in _chunks(text, s, ~e, max_chars):
                    _add(out, text, a, b)
            else:
                append(sentence_at(len(out), s, e, text[s:e]))
    return out


def _split_region(text: str, r_start: int, r_end: int, abbreviations: frozenset[str],
                  after: Callable[[str, str, int], bool], longest: int) -> list[int]:
    """The sentences of ``text[r_start:r_end]`` as flat ``[start, end, ...]`` pairs: each
    stripped, dropped when it holds no letter or digit, and given as ``(start, ~end)``
    unstripped when longer than ``longest`` (for :func:`_chunks`).

    The pure-Python path, and the reference of its compiled twin ``split_spans``, which
    decides every candidate end as :func:`_is_boundary` does but calls back ``after``
    (:func:`_after_abbreviation`) after an abbreviation; this path takes both arguments
    for the twin's signature and uses the model's abbreviations.
    """
    out: list[int] = []
    para_start = r_start
    breaks = [(m.start(), m.end()) for m in _PARA_RE.finditer(text, r_start, r_end)] \
        if text.find("\n", r_start, r_end) >= 0 else []  # every break holds a newline
    for b_start, b_end in [*breaks, (r_end, r_end)]:
        s0 = para_start
        ends = _ends_in(text, para_start, b_start)
        ends.append(b_start)
        for e0 in ends:
            if e0 - s0 > longest:
                out += (s0, ~e0)
            else:
                raw = text[s0:e0]
                body = raw.strip()
                if body and (body[0].isalnum() or any(c.isalnum() for c in body)):
                    # body[0] is no space: its first occurrence ends the stripped spaces.
                    s = s0 if body is raw else s0 + raw.find(body[0])
                    out += (s, s + len(body))
            s0 = e0
        para_start = b_end
    return out


def _add(out: list[Sentence], text: str, s: int, e: int) -> None:
    """Append ``text[s:e]`` stripped, as the next sentence, when it holds a letter or digit."""
    raw = text[s:e]
    body = raw.strip()
    if body and (body[0].isalnum() or any(c.isalnum() for c in body)):
        s += len(raw) - len(raw.lstrip())
        out.append(sentence_at(len(out), s, s + len(body), body))


def _same_line(a: str, b: str) -> bool:
    """Equal up to whitespace, case and one final full stop (a headline with a stop added)."""
    fa, fb = (" ".join(x.split()).casefold().removesuffix(".") for x in (a, b))
    return fa == fb


def body_sentences(text: str, kept: Iterable[Span], title: str | None, *,
                   max_chars: int) -> list[Sentence]:
    """The sentences of the kept text, without the headline kept once (it is not body text).

    Trace, align and scan all compare these, so a headline is never counted as a copied
    sentence, with or without a full stop added.

    Args:
        text: The original text.
        kept: The spans cleaning kept.
        title: The headline cleaning found, if any.
        max_chars: Cut longer sentences into pieces of at most this many characters.

    Returns:
        The body sentences in text order, numbered from 0.
    """
    sentences = split_sentences(text, kept, max_chars=max_chars)
    if sentences and title and _same_line(sentences[0].text, title):
        return [Sentence(i, s.span, s.text) for i, s in enumerate(sentences[1:])]
    return sentences


def stored_sentences(body: str, spans: bytes) -> list[Sentence]:
    """The sentences of an indexed document at its stored spans (``(start, end)`` pairs of
    native int32, as the index writes them; a whole number of pairs): built in C from the
    bytes when the extension is there (a trace fetches ~2,000), else (or for a span out of
    range, which the C loop refuses) by :func:`sentence_at`, the same objects."""
    if _stored_sentences is not None:
        out: list[Sentence] | None = _stored_sentences(body, spans)
        if out is not None:
            return out
    bounds = array("i", spans).tolist()
    return [sentence_at(i, a, b, body[a:b])
            for i, (a, b) in enumerate(zip(bounds[::2], bounds[1::2], strict=True))]


_PAIR = struct.Struct("=ii")  # one stored span: native int32 start and end (8 bytes)


def stored_sequence(body: str, spans: bytes) -> Sequence[Sentence]:
    """:func:`stored_sentences` made one by one as they are read (a :class:`StoredSentences`,
    compiled when the extension is there: a read is then no Python call)."""
    return StoredSentences(body, spans) if _stored_type is None else _stored_type(body, spans)


class StoredSentences(Sequence[Sentence]):
    """The sentences of an indexed document at its stored spans, each made on first use.

    A trace fetches ~1,800 sentences of its 64 candidates. The aligner reads every span (the
    compiled source halves take :attr:`spans` as they are) but the text and objects of only
    the few sentences it matches: making all of them (a Sentence, a Span, a str and two ints
    each) and freeing them when the trace returned was about 0.9 ms of a 30 ms trace. Each
    sentence is :func:`stored_sentences`'s (:func:`sentence_at` of its span), made once, and
    the sequence equals the list of them.
    """

    __slots__ = ("text", "spans", "_made")
    __hash__: ClassVar[None]  # type: ignore[assignment]

    def __init__(self, text: str, spans: bytes) -> None:
        if len(spans) % _PAIR.size:
            raise ValueError("spans must be pairs of int32")
        self.text = text
        self.spans = spans
        self._made: dict[int, Sentence] = {}

    def __len__(self) -> int:
        return len(self.spans) >> 3

    @overload
    def __getitem__(self, i: int) -> Sentence: ...

    @overload
    def __getitem__(self, i: slice) -> list[Sentence]: ...

    def __getitem__(self, i: int | slice) -> Sentence | list[Sentence]:
        made = self._made.get(i) if type(i) is int else None
        if made is not None:
            return made
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self.spans) >> 3  # not len(self): a Python call
        j = i + n if i < 0 else i
        if not 0 <= j < n:
            raise IndexError("sentence index out of range")
        made = self._made.get(j)
        if made is None:
            a, b = _PAIR.unpack_from(self.spans, _PAIR.size * j)
            made = self._made[j] = sentence_at(j, a, b, self.text[a:b])
        return made

    def __iter__(self) -> Iterator[Sentence]:
        return map(self.__getitem__, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredSentences | list):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"StoredSentences({list(self)!r})"


# The compiled twin of StoredSentences; either kind's ``spans`` is what the compiled source
# halves read (vectors.source_hits).
_stored_type = None if speedups is None else speedups.StoredSentences
if _stored_type is not None:
    StoredSentences.register(_stored_type)
STORED_TYPES: tuple[type, ...] = (StoredSentences,) + (
    () if _stored_type is None else (_stored_type,))
