"""Headline reuse: is the suspect's headline the headline of an indexed document?"""

from __future__ import annotations

from unspun.align.template import date_only_difference
from unspun.data import Document, HeadlineMatch, Span
from unspun.text.diff import matched
from unspun.text.tokens import tokenize


def _words(text: str) -> list[str]:
    return [t.norm for t in tokenize(text) if t.kind != "punct"]


def headline_score(a: str, b: str) -> float:
    """Share of the longer headline's words that the two share, in order (case, punctuation
    and a final full stop do not count)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return matched(wa, wb) / max(len(wa), len(wb))


def _first_line(doc: Document) -> str:
    return next((ln.strip() for ln in doc.text.split("\n") if ln.strip()), "")


def match_headline(headline: str, span: Span | None, docs: list[Document], *,
                   min_score: float, min_words: int) -> HeadlineMatch | None:
    """The indexed document whose headline the suspect's headline is, and its carriers.

    A document's headline is its title, or its first line when it has no title. A title that
    differs from the headline only in a date is the same series, not the same story
    ("Wikinews Shorts: April 22, 2007" and "... April 15, 2007"; see
    :func:`~unspun.align.template.date_only_difference`): no match.

    Args:
        headline: The suspect's headline.
        span: Where it stands in the suspect's text, if it does.
        docs: Documents retrieved for the headline.
        min_score: Least :func:`headline_score` for a match.
        min_words: Shorter headlines are not traced (they say too little).

    Returns:
        The best match (ties: the earliest dated, then the smallest id), with every other
        matching document as a carrier; None when none matches.
    """
    if len(_words(headline)) < min_words:
        return None
    scored = []
    for doc in docs:
        title = doc.title or _first_line(doc)
        score = headline_score(headline, title)
        if score >= min_score and not date_only_difference(headline, title):
            scored.append((-score, doc.date or "9999", doc.id, title))
    if not scored:
        return None
    scored.sort()
    best = scored[0]
    return HeadlineMatch(headline, span, best[2], best[3], round(-best[0], 4),
                         [s[2] for s in scored[1:]])
