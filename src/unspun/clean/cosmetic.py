"""Report cosmetic artefacts in kept text (odd spacing, mixed quote styles); never rewrite them."""

from __future__ import annotations

import re

from unspun.data import Finding, Span

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "wouldn't, ' he says": a space between punctuation and the closing quote.
    ("space before closing quote", re.compile(r"""[,.!?;:] +['"\u2019\u201d](?=\s|$|[,.;:!?])""")),
    # "U.S. -Russia": a space inside a hyphenated compound.
    ("space before hyphen", re.compile(r"(?<=\S) -(?=[^\W\d_])")),
    ("space before punctuation", re.compile(r"(?<=\w) +(?:[,;:!?]|\.(?!\.))(?=\s|$)")),
    ("doubled space", re.compile(r"(?<=\S) {2,}(?=\S)")),
]
_STRAIGHT = '"'
_CURLY = ("\u201c", "\u201d")


def cosmetic_findings(text: str, spans: list[Span], *, limit: int = 100) -> list[Finding]:
    """Findings (``removed=False``) for cosmetic artefacts inside ``spans`` of ``text``.

    Args:
        text: the original document text.
        spans: the kept spans to look in.
        limit: stop after this many findings (a badly typed page could have thousands).

    Returns:
        Cosmetic findings in text order; each span slices the artefact in ``text``.
    """
    out: list[Finding] = []
    for span in spans:
        for detail, pattern in _PATTERNS:
            for m in pattern.finditer(text, span.start, span.end):
                out.append(Finding("cosmetic", Span(m.start(), m.end()), m.group(),
                                   removed=False, detail=detail))
        piece = span.of(text)
        line_start = span.start
        for line in piece.split("\n"):
            if _STRAIGHT in line and any(c in line for c in _CURLY):
                lead = len(line) - len(line.lstrip())
                body = line.strip()
                s = line_start + lead
                out.append(Finding("cosmetic", Span(s, s + len(body)), body, removed=False,
                                   detail="mixed quote styles (straight and curly)"))
            line_start += len(line) + 1
    out.sort(key=lambda f: (f.span.start, f.span.end))
    return out[:limit]
