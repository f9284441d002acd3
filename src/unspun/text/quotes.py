"""Where double-quoted passages are: the one quote-mark pairing of unspun.

The aligner (which words of a sentence are quoted), the index (which quotes to fingerprint
whole), the scan and the quote check (:func:`unspun.explain.extract_quotes`, which adds single
quotes and speakers) all use :func:`double_quote_groups`, so they agree on every quote,
including one that runs on into the next paragraph.
"""

from __future__ import annotations

import re

from unspun._native import speedups
from unspun.data import Sentence, Span, span_at

# The compiled twin of _double_quote_groups (None: the pure-Python path), and of the
# groups' assembly from its flat output.
_quote_groups = None if speedups is None else speedups.quote_groups
_span_groups = None if speedups is None else speedups.span_groups
if speedups is not None:
    speedups.set_sentence_types(Span, Sentence)  # the class span_groups makes

_OPEN_DOUBLE = '"\u201c\u201e\u00ab'
#: Every double quote mark: straight, curly, low and guillemets.
ALL_DOUBLE = '"\u201c\u201d\u201e\u00ab\u00bb'
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-Z\u201c\"])")


def trim(text: str, start: int, end: int) -> Span | None:
    """``text[start:end]`` without surrounding whitespace; None when no letter or digit is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return span_at(start, end) if end > start and (
        text[start].isalnum() or any(c.isalnum() for c in text[start:end])) else None


def _marks(text: str, lo: int, hi: int) -> list[int]:
    """Where the double quote marks of ``text[lo:hi]`` are, in order.

    One ``str.find`` loop per mark character (an ASCII text can hold only ``"``): the same
    positions as a regex scan of the character class, about four times faster.
    """
    out: list[int] = []
    find = text.find
    for mark in ('"' if text.isascii() else ALL_DOUBLE):
        i = find(mark, lo, hi)
        while i >= 0:
            out.append(i)
            i = find(mark, i + 1, hi)
    out.sort()
    return out


def _paragraphs(text: str, regions: list[tuple[int, int]], marks: list[list[int]]
                ) -> list[tuple[int, int, list[int]]]:
    """The non-blank lines of ``regions``, each with its double quote marks (``marks`` holds
    each region's); cleaning may have dropped junk lines between them."""
    out: list[tuple[int, int, list[int]]] = []
    for (lo, hi), found in zip(regions, marks, strict=True):
        k = 0
        a = lo
        while a < hi:
            nl = text.find("\n", a, hi)
            b = nl if nl >= 0 else hi
            if a < b and (not text[a].isspace() or text[a:b].strip()):  # not blank
                first = k
                while k < len(found) and found[k] < b:
                    k += 1
                out.append((a, b, found[first:k]))
            a = b + 1
    return out


def _mark_kind(text: str, i: int, lo: int, hi: int) -> str:
    """Whether the double quote mark at ``i`` opens, closes, or could do either."""
    c = text[i]
    if c in "\u201c\u201e\u00ab":
        return "open"
    if c == "\u00bb":
        return "close"
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    left = before.isspace() or before in "([{\u2014\u2013-/"
    right = after.isspace() or after in ",.;:!?)]}\u2014\u2013-"
    if c == "\u201d":
        return "open" if left and after.isalnum() else "close"
    if left != right:
        return "open" if left else "close"
    return "either"


def _last_sentence_end(text: str, lo: int, hi: int) -> int | None:
    """The end of the last sentence in ``text[lo:hi]`` (after its full stop), if any."""
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(text, lo, hi)]
    return ends[-1] if ends else None


def _flat_groups(text: str, regions: list[tuple[int, int]], closed: bool) -> list[int] | None:
    """The groups of :func:`double_quote_groups` from the compiled twin, flat (each group's
    span count, then its starts and ends); None when it cannot take these arguments."""
    if _quote_groups is None or type(regions) is not list:
        return None
    size = len(text)
    for region in regions:
        if type(region) is not tuple or len(region) != 2 or not 0 <= region[0] <= region[1] <= size:
            return None
    return _quote_groups(text, regions, closed)


def double_quote_groups(text: str, regions: list[tuple[int, int]], *,
                        closed: bool = False) -> list[list[Span]]:
    """Double-quoted passages; a group continues across paragraphs (and dropped junk lines).

    Marks pair up in turn within a paragraph. A quote still open at the end of a paragraph
    continues when the next paragraph opens with a quote mark or first closes one; otherwise
    it ends with its paragraph (a quote the copier cut short). A paragraph whose first mark
    plainly closes a quote after punctuation (``…peace," said Mr. Bush``) quotes from its start.

    With ``closed``, only quotes whose opening and closing marks both lie in ``regions``
    count: a quote cut short, or closed without an opening mark, is left out (for a region
    as short as one sentence, where a missing mark is outside it rather than lost).
    """
    flat = _flat_groups(text, regions, closed)
    if flat is None:
        return _double_quote_groups(text, regions, closed=closed)
    if _span_groups is not None:  # _groups_of compiled (a trace reads ~50 texts' quotes)
        return _span_groups(flat)  # type: ignore[no-any-return]
    return _groups_of(flat)


def _groups_of(flat: list[int]) -> list[list[Span]]:
    """The groups of ``quote_groups``' flat list (each group's span count, then its starts
    and ends): the reference of the compiled ``span_groups``."""
    groups: list[list[Span]] = []
    k = 0
    while k < len(flat):
        n = flat[k]
        groups.append([span_at(flat[j], flat[j + 1]) for j in range(k + 1, k + 1 + 2 * n, 2)])
        k += 1 + 2 * n
    return groups


def _double_quote_groups(text: str, regions: list[tuple[int, int]], *,
                         closed: bool = False) -> list[list[Span]]:
    """:func:`double_quote_groups` in Python: the fallback, and the reference of the compiled
    ``quote_groups``."""
    found = [_marks(text, lo, hi) for lo, hi in regions]
    if not any(found):
        return []
    groups: list[list[Span]] = []
    current: list[Span] = []
    open_at: int | None = None
    opened = False  # the open quote began with a mark that plainly opens
    prev_end = 0

    def add(a: int, b: int) -> None:
        span = trim(text, a, b)
        if span:
            current.append(span)

    for a, b, marks in _paragraphs(text, regions, found):
        kinds = [_mark_kind(text, i, a, b) for i in marks]
        if open_at is not None:
            first = text[a:b].lstrip()[:1]
            if marks and first in _OPEN_DOUBLE and marks[0] == b - len(text[a:b].lstrip()):
                add(open_at, prev_end)  # the quote continues: the paragraph reopens it
                open_at, opened = marks[0] + 1, True
                marks, kinds = marks[1:], kinds[1:]
            elif marks and (kinds[0] == "close" or (kinds[0] == "either" and len(marks) % 2)):
                add(open_at, prev_end)  # the quote runs on into a paragraph that closes it
                open_at, opened = a, True
            else:
                if opened and not closed:
                    add(open_at, prev_end)  # cut short: the quote ends with its paragraph
                if current and opened and not closed:
                    groups.append(current)
                open_at, current = None, []
        for n, (i, kind) in enumerate(zip(marks, kinds, strict=True)):
            cut = _last_sentence_end(text, open_at, i) if kind == "open" and open_at is not None else None
            if open_at is not None and cut is not None:
                if not closed:
                    add(open_at, cut)  # a new quote opens: the open one was cut short
                if current and not closed:
                    groups.append(current)
                open_at, opened, current = i + 1, True, []
            elif open_at is not None:
                add(open_at, i)
                if current:
                    groups.append(current)
                open_at, current = None, []
            elif kind == "close" and not closed:
                if n == 0 and (text[i - 1] in ",.!?\u2026"
                               or text[i - 1].isalpha() and text[i + 1 : i + 2] in (",", ".")):
                    add(a, i)  # the opening mark was lost before this paragraph
                    if current:
                        groups.append(current)
                    current = []
            else:
                open_at, opened = i + 1, kind == "open"
        prev_end = b
    if open_at is not None and opened and not closed:
        add(open_at, prev_end)
        if current:
            groups.append(current)
    return [g for g in groups if any(s.end > s.start for s in g)]


def quote_regions(text: str, spans: list[Span] | None) -> list[tuple[int, int]]:
    """The regions to search: ``spans`` in order, neighbours apart by only whitespace joined.

    Cleaning keeps one span per paragraph, and a quote may run on across paragraphs.
    """
    if spans is None:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    for s in sorted(spans, key=lambda s: s.start):
        if out and not text[out[-1][1] : s.start].strip():  # touching, overlapping or blank gap
            out[-1] = (out[-1][0], max(out[-1][1], s.end))
        else:
            out.append((s.start, s.end))
    return out


def closed_quotes(text: str, spans: list[Span] | None) -> list[tuple[int, int]]:
    """The ``(start, end)`` regions inside closed double quotes over the whole of ``spans``
    (a document's kept sentences), in order: a quote may run over several sentences and on into
    the next paragraph, but a quote cut short or a stray mark counts for nothing."""
    return sorted((q.start, q.end)
                  for g in double_quote_groups(text, quote_regions(text, spans), closed=True)
                  for q in g)


def quoted_regions(text: str, start: int, end: int, *,
                   closed: bool = False) -> list[tuple[int, int]]:
    """The ``(start, end)`` character regions inside double quotes in ``text[start:end]``.

    The flat form of :func:`double_quote_groups` over one region (a quote running on into
    the next paragraph gives one region per paragraph), without the marks.
    """
    flat = _flat_groups(text, [(start, end)], closed)
    if flat is None:
        return [(s.start, s.end)
                for g in _double_quote_groups(text, [(start, end)], closed=closed) for s in g]
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(flat):
        n = flat[k]
        out += zip(flat[k + 1 : k + 1 + 2 * n : 2], flat[k + 2 : k + 2 + 2 * n : 2], strict=True)
        k += 1 + 2 * n
    return out
