"""Clean: remove the junk inside an article's text, recording each removal with its reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from unspun.data import CleanResult, Document, Span


@dataclass(slots=True)
class SiteProfile:
    """Lines that recur across many pages of one site, learnt by :func:`learn_site_profile`."""

    lines: dict[str, set[str]] = field(default_factory=dict)  # site -> normalised lines


def learn_site_profile(docs: Iterable[Document], *, min_pages: int = 3,
                       min_share: float = 0.5) -> SiteProfile:
    """STUB (issue 2 replaces this): learn per-site recurring lines."""
    return SiteProfile()


def clean(doc: Document, *, profile: SiteProfile | None = None) -> CleanResult:
    """STUB (issue 2 replaces this): keep the whole text."""
    return CleanResult(doc=doc, kept=[Span(0, len(doc.text))], findings=[], title=doc.title)
