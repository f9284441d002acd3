"""The HTML report is self-contained, escapes article text and shows every part of a trace."""

from __future__ import annotations

import re

from unspun.data import TraceResult
from unspun.report.html import render_fragment, render_html, safe_url

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def test_report_shows_verdict_sources_changes_and_junk(trace_result: TraceResult) -> None:
    page = render_html(trace_result)
    assert page.startswith("<!DOCTYPE html>")
    assert "Stitched Aggregate" in page or "stitched aggregate" in page
    assert "Smith invites Ivanov to Washington" in page and "55%" in page
    assert 'href="https://wire.example/smith-ivanov"' in page
    assert re.search(r'<mark class="u-k synonym"[^>]*>Russian Federation</mark>', page)
    assert re.search(r'<mark class="u-k synonym"[^>]*>Russia</mark>', page)  # source side
    assert re.search(r'<mark class="u-k factual"[^>]*>40</mark>', page)
    assert re.search(r'<ins class="u-k insert"[^>]*>closed-door</ins>', page)
    assert re.search(r'<del class="u-k delete"[^>]*>on</del>', page)
    assert "Altered quotes (1)" in page and "quoted words changed" in page
    assert "Junk removed (3)" in page and "an error occurred while processing" in page
    assert "No source found" in page


def test_article_text_is_escaped(trace_result: TraceResult) -> None:
    doc = trace_result.doc
    trace_result.sentences[-1].sentence = type(trace_result.sentences[-1].sentence)(
        5, trace_result.sentences[-1].sentence.span, EVIL)
    trace_result.clean.title = EVIL
    doc.url = "javascript:alert(1)"
    trace_result.sources[0].url = "javascript:alert(2)"
    page = render_html(trace_result)
    assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "javascript:" not in page
    # the junk line "<b>[bold]</b>" is shown as text
    assert "&lt;b&gt;[bold]&lt;/b&gt;" in page and "<b>[bold]" not in page


def test_page_is_self_contained(trace_result: TraceResult) -> None:
    page = render_html(trace_result)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'\ssrc=["\']?(?:https?:)?//', page)
    assert page.count("<script>") == 1  # only our hover-linking script
    assert "Content-Security-Policy" in page
    # CSS and JS are inlined verbatim, not HTML-escaped
    assert ".u-bar > span" in page and '[data-k="' in page


def test_fragment_has_no_document_wrapper(trace_result: TraceResult) -> None:
    frag = render_fragment(trace_result)
    assert frag.lstrip().startswith('<div class="unspun-report">')
    assert "<html" not in frag and "<style" not in frag


def test_report_without_verdict_or_sources(trace_result: TraceResult) -> None:
    trace_result.verdict = None
    trace_result.sources = []
    for t in trace_result.sentences:
        t.alignment = None
    page = render_html(trace_result)
    assert "No verdict" in page and "No copied body text found in the index." in page


def test_safe_url() -> None:
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("data:text/html,hi") is None
    assert safe_url(None) is None
