"""Report cosmetic artefacts in kept text (odd spacing, mixed quote styles); never rewrite them."""

from __future__ import annotations

import bisect
import re

from unspun.data import Finding, Span

# Each pattern starts with a literal so the scan is fast; ``prev`` is what must precede it.
# The last, ``spaced``, says that every match holds a space followed by a space or a mark
# of _SPACE_THEN: a text with none is not scanned for it (those patterns open with " +", so
# they try a match at every space: about half of the cost of cleaning a clean page).
_PATTERNS: list[tuple[str, re.Pattern[str], str, bool]] = [
    # "wouldn't, ' he says": a space between punctuation and the closing quote.
    ("space before closing quote",
     re.compile(r"""[,.!?;:] +['"\u2019\u201d](?=\s|$|[,.;:!?])"""), "", False),
    # "U.S. -Russia": a space inside a hyphenated compound.
    ("space before hyphen", re.compile(r" -(?=[^\W\d_])"), "nonspace", False),
    ("space before punctuation", re.compile(r" +(?:[,;:!?]|\.(?!\.))(?=\s|$)"), "nonspace",
     True),
    ("doubled space", re.compile(r" {2,}(?=\S)"), "nonspace", True),
]
_SPACE_THEN = re.compile(r" [ ,;:!?.]")
_DOUBLE_QUOTES = re.compile(r'["\u201c\u201d]')


def _prev_ok(text: str, start: int, need: str) -> bool:
    """Whether the character before ``start`` is what the pattern needs."""
    if not need:
        return True
    if start == 0:
        return False
    c = text[start - 1]
    return (c.isalnum() or c == "_") if need == "word" else not c.isspace()


def cosmetic_findings(text: str, spans: list[Span], *, limit: int = 100) -> list[Finding]:
    """Findings (``removed=False``) for cosmetic artefacts inside ``spans`` of ``text``.

    Args:
        text: the original document text.
        spans: the kept spans to look in, in text order and not overlapping.
        limit: stop after this many findings (a badly typed page could have thousands).

    Returns:
        Cosmetic findings in text order; each span slices the artefact in ``text``.
    """
    starts = [s.start for s in spans]

    def inside(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, a) - 1
        return i >= 0 and spans[i].start <= a and b <= spans[i].end

    out: list[Finding] = []
    spaced = _SPACE_THEN.search(text) is not None
    for detail, pattern, need, needs_spaced in _PATTERNS:
        if needs_spaced and not spaced:
            continue
        for m in pattern.finditer(text):
            a, b = m.span()
            if _prev_ok(text, a, need) and inside(a, b):
                out.append(Finding("cosmetic", Span(a, b), m.group(), removed=False,
                                   detail=detail))
    if '"' in text and ("\u201c" in text or "\u201d" in text):  # else no line mixes them
        out += _mixed_quotes(text, spans)
    out.sort(key=lambda f: (f.span.start, f.span.end))
    return out[:limit]


def _mixed_quotes(text: str, spans: list[Span]) -> list[Finding]:
    """A finding for each line of ``spans`` with both straight and curly double quotes."""
    out: list[Finding] = []
    for span in spans:
        pos = span.start
        for line in span.of(text).split("\n"):
            marks = set(_DOUBLE_QUOTES.findall(line))
            if '"' in marks and len(marks) > 1:
                body = line.strip()
                s = pos + len(line) - len(line.lstrip())
                out.append(Finding("cosmetic", Span(s, s + len(body)), body, removed=False,
                                   detail="mixed quote styles (straight and curly)"))
            pos += len(line) + 1
    return out
