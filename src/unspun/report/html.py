"""Render a trace result as one self-contained HTML page: suspect and sources side by side."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from unspun import __version__
from unspun.data import QuoteFinding, SentenceTrace, TraceResult
from unspun.errors import require
from unspun.report import view
from unspun.report.jsonout import TRACE_SCHEMA
from unspun.report.view import OP_LABELS, Piece


@dataclass(slots=True)
class _Row:
    """One suspect sentence and the source sentence it came from, ready for the template."""

    number: int
    suspect: list[Piece]
    source: list[Piece] = field(default_factory=list)
    source_letter: str | None = None
    source_title: str | None = None
    score: float | None = None
    kind: str | None = None
    quotes: list[QuoteFinding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    quoted_from: list[str] = field(default_factory=list)  # letters, for a quote-only sentence


def render_html(result: TraceResult, *, nonce: str | None = None) -> str:
    """Render a complete, self-contained HTML page for one trace result.

    The page has inline CSS and a few lines of inline JavaScript (hover-linking of changes);
    it loads nothing from the network. Everything taken from articles is HTML-escaped, and
    the page's Content-Security-Policy lets only its own script run (by a nonce).

    Args:
        result: What ``trace`` learned about one suspect article.
        nonce: The script nonce (a server passes the one in its CSP header); a fresh random
            one when None.

    Returns:
        The HTML document as a string.
    """
    title = result.clean.title or result.doc.title or result.doc.id
    return _env().get_template("report.html.j2").render(
        page_title=f"unspun: {title}", css=_markup(report_css()), js=_markup(report_js()),
        body=_markup(render_fragment(result)), nonce=nonce or secrets.token_urlsafe(16),
    )


def render_fragment(result: TraceResult) -> str:
    """Render the report body (no ``<html>``/``<head>``) for embedding in another page.

    The fragment needs the styles from :func:`report_css` and, for hover-linking, the script
    from :func:`report_js`.

    Args:
        result: What ``trace`` learned about one suspect article.

    Returns:
        An HTML fragment (a ``<div class="unspun-report">``) as a string.
    """
    return _env().get_template("_report_body.html.j2").render(**_context(result))


def report_css() -> str:
    """The report's stylesheet."""
    return _env().get_template("report.css").render()


def report_js() -> str:
    """The report's hover-linking script (no network, no ``eval``)."""
    return _env().get_template("report.js").render()


@lru_cache(maxsize=1)
def _env() -> Any:
    """The Jinja2 environment, with autoescaping on for every template."""
    jinja2: Any = require("jinja2", "web")
    env = jinja2.Environment(loader=jinja2.PackageLoader("unspun.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda x: f"{x:.0%}"
    env.filters["safe_url"] = safe_url
    env.filters["humanize"] = lambda s: str(s).replace("_", " ").replace("-", " ")
    return env


def _markup(text: str) -> Any:
    """Mark text we rendered ourselves as safe, so the page template does not escape it twice."""
    markupsafe: Any = require("markupsafe", "web")
    return markupsafe.Markup(text)


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is an http(s) link, else None (no ``javascript:`` hrefs)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _context(result: TraceResult) -> dict[str, Any]:
    """Everything the body template needs, computed once."""
    ids = view.short_ids(result)
    doc = result.doc
    sources = []
    for share in result.sources:
        info = view.source_info(result, share)
        sources.append({
            "letter": ids[share.doc_id], "id": share.doc_id, "share": share.share,
            "sentences": share.sentences, "title": info.name, "url": info.url,
            "site": info.site, "date": info.date,
            "source": info.source if info.title else None,  # else it is the name already
            "carriers": share.also_carried_by,
        })
    verdict = result.verdict
    evidence = []
    if verdict is not None:
        for key, value in verdict.evidence.items():
            evidence.append((key, view.format_evidence(value, ids, key)))
    return {
        "doc": doc, "title": result.clean.title or doc.title or doc.id,
        "doc_url": safe_url(doc.url), "verdict": verdict, "evidence": evidence,
        "traced_share": result.traced_share, "sources": sources,
        "rows": [_row(result, t, ids) for t in result.sentences],
        "junk": result.clean.findings, "quotes": result.quote_findings,
        "counts": view.edit_counts(result.sentences), "labels": OP_LABELS,
        "letters": ids, "version": __version__, "schema": TRACE_SCHEMA,
        "quoted_from": view.quoted_from(result), "headline": result.headline,
    }


def _row(result: TraceResult, trace: SentenceTrace, ids: dict[str, str]) -> _Row:
    """Build the side-by-side row of one suspect sentence."""
    sent = trace.sentence
    al = trace.alignment
    if al is None:
        quoted = [ids.get(d, d) for d in view.sentence_quote_sources(result, sent.span)]
        return _Row(number=sent.index + 1, suspect=[Piece(sent.text)],
                    quotes=[q for q in result.quote_findings if sent.span.overlap(q.suspect.span)],
                    quoted_from=quoted)
    src_doc = result.source_docs.get(al.source_id)
    suspect = view.pieces(result.doc.text, sent.span.start, sent.span.end, al.edits,
                          side="suspect")
    source = ([] if src_doc is None else
              view.pieces(src_doc.text, al.source.start, al.source.end, al.edits, side="source"))
    quotes = [q for q in result.quote_findings if sent.span.overlap(q.suspect.span)]
    counts: dict[str, int] = {}
    for piece in suspect:
        if piece.op is not None:
            counts[piece.op] = counts.get(piece.op, 0) + 1
    return _Row(number=sent.index + 1, suspect=suspect, source=source,
                source_letter=ids.get(al.source_id),
                source_title=(src_doc.title or src_doc.source if src_doc else None)
                or al.source_id,
                score=al.score, kind=al.kind, quotes=quotes, counts=counts)
