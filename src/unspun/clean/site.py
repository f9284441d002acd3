"""Learn the lines that recur across many pages of one site, so cleaning can drop them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from unspun.clean.lines import looks_like_sentence, split_lines, word_count
from unspun.data import Document
from unspun.ingest.base import site_of


@dataclass(slots=True)
class SiteProfile:
    """Lines that recur across many pages of one site, learnt by :func:`learn_site_profile`.

    ``lines`` maps a site to its boilerplate lines (normalised, see ``normalize_line``);
    ``pages`` maps a site to the number of distinct pages the profile was learnt from.
    """

    lines: dict[str, set[str]] = field(default_factory=dict)  # site -> normalised lines
    pages: dict[str, int] = field(default_factory=dict)
    default_site: str | None = None

    def site_of(self, doc: Document) -> str | None:
        """The site key of ``doc``: its ``site``, else its URL's host, else ``default_site``."""
        return site_key(doc, default=self.default_site)


def site_key(doc: Document, *, default: str | None = None) -> str | None:
    """The site a document belongs to: ``doc.site``, else the host of ``doc.url``."""
    if doc.site:
        return doc.site.lower()
    return site_of(doc.url) or default


def learn_site_profile(docs: Iterable[Document], *, min_pages: int = 3,
                       min_share: float = 0.5, sentence_share: float = 0.9,
                       sentence_words: int = 8,
                       default_site: str | None = None) -> SiteProfile:
    """Learn per-site boilerplate: lines seen on many pages of the same site.

    A line becomes boilerplate for a site when it is on at least ``min_pages`` distinct pages
    and at least ``min_share`` of that site's pages. A line that reads like a real sentence
    (``sentence_words`` words or more, with terminal punctuation) must be on at least
    ``sentence_share`` of the pages, so a sentence is only dropped when it is on almost every
    page. Exact duplicate pages count once, so a story syndicated twice is not boilerplate.

    Args:
        docs: the corpus; documents are grouped by :func:`site_key`.
        min_pages: the fewest pages a boilerplate line must be on.
        min_share: the smallest share of the site's pages it must be on.
        sentence_share: the share needed for a line that looks like a sentence.
        sentence_words: how many words make a line a candidate sentence.
        default_site: the site for documents with neither ``site`` nor ``url``
            (``None`` leaves them out).

    Returns:
        The profile to pass to ``clean(doc, profile=...)``.

    Raises:
        ValueError: if a threshold is out of range.
    """
    if min_pages < 1 or not 0 < min_share <= 1 or not 0 < sentence_share <= 1:
        raise ValueError("need min_pages >= 1 and shares in (0, 1]")
    counts: dict[str, Counter[str]] = {}
    pages: Counter[str] = Counter()
    seen: set[tuple[str, int]] = set()
    for doc in docs:
        site = site_key(doc, default=default_site)
        if site is None:
            continue
        lines = split_lines(doc.text)
        fingerprint = hash(tuple(ln.norm for ln in lines))
        if (site, fingerprint) in seen:
            continue
        seen.add((site, fingerprint))
        pages[site] += 1
        counts.setdefault(site, Counter()).update({ln.norm: ln.text for ln in lines}.keys())
    profile = SiteProfile(pages=dict(pages), default_site=default_site)
    for site, counter in counts.items():
        total = pages[site]
        keep: set[str] = set()
        for norm, n in counter.items():
            if n < min_pages or n / total < min_share or word_count(norm) == 0:
                continue
            if looks_like_sentence(norm, min_words=sentence_words) and n / total < sentence_share:
                continue
            keep.add(norm)
        if keep:
            profile.lines[site] = keep
    return profile
