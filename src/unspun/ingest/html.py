"""HTML pages: main-content extraction with trafilatura and metadata (title, date, URL, site)."""

from __future__ import annotations

import logging
import re
from typing import Any

from unspun.data import Document
from unspun.errors import BadInput, require
from unspun.ingest.base import doc_id, normalise_newlines, site_of
from unspun.ingest.dateline import dateline_date
from unspun.ingest.encoding import decode

_TAG = re.compile(r"<(!doctype|!--|/?[a-z][a-z0-9]*[\s/>])", re.I)
_HTML_START = re.compile(
    r"\A\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_BLOCKS = "title, h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, dd, dt"
_SPACES = re.compile(r"[ \t\u00a0]+")
_BULLET = re.compile(r"^[ \t]*- ", re.M)
# Dates from the page's metadata (meta tags, <time>, JSON-LD, the URL) only: htmldate's
# extensive search would guess from any year in the text, so a footer's "(c) 2024" became
# 2024-01-01. A dateline in the text is read by dateline_date instead.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML page or has several block tags early on."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return len(re.findall(r"</?(p|div|br|article|section|span|a)\b", head, re.I)) >= 3


def html_document(page: bytes | str, *, source: str, url: str | None = None,
                  charset: str | None = None, fallback_date: str | None = None,
                  id: str | None = None) -> Document:
    """Extract the main text and metadata of one HTML page.

    Paragraphs come out separated by blank lines so that cleaning sees one line per block.

    Args:
        page: the raw bytes (decoded here) or already-decoded text.
        source: where the page was read from, kept on the Document.
        url: the page's address when known from outside (a WARC record); it wins over the
            canonical URL found in the page, which is then kept in ``meta["canonical"]``.
        charset: a charset declared outside the page (an HTTP header).
        fallback_date: used when the page itself carries no date (e.g. the WARC-Date).
        id: the document id; a hash of ``source`` when None.

    Returns:
        The Document; ``meta`` says the format, encoding and extractor used.

    Raises:
        BadInput: undecodable bytes, not HTML at all, or no text found in it.
        MissingExtra: trafilatura is not installed.
    """
    encoding = "str"
    if isinstance(page, bytes):
        page, encoding = decode(page, where=source, declared=charset, html=True)
    if not _TAG.search(page[:65536]):
        raise BadInput(source, "not HTML: no tags found")
    found = _trafilatura(page, url=url)
    text = found.pop("text", "")
    extractor = "trafilatura"
    if not text.strip():
        text, extractor = _fallback_text(page), "selectolax"
    if not text.strip():
        raise BadInput(source, "malformed HTML: no text could be extracted")
    canonical = found.get("url")
    page_url = url or canonical
    meta: dict[str, Any] = {"format": "html", "encoding": encoding, "extractor": extractor}
    if canonical and canonical != page_url:
        meta["canonical"] = canonical
    if found.get("sitename"):
        meta["sitename"] = found["sitename"]
    return Document(
        id=id or doc_id(source),
        text=normalise_newlines(text),
        title=found.get("title") or None,
        url=page_url,
        site=site_of(page_url) or found.get("hostname") or found.get("sitename"),
        date=found.get("date") or dateline_date(text) or fallback_date,
        source=source,
        meta=meta,
    )


def _trafilatura(page: str, *, url: str | None) -> dict[str, Any]:
    """Run trafilatura; return its metadata plus ``text`` with blank lines between blocks."""
    trafilatura = require("trafilatura", "html")
    from trafilatura.xml import xmltotxt

    try:
        result = trafilatura.bare_extraction(  # type: ignore[attr-defined]
            page, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS)
    except Exception:  # trafilatura raises many kinds on broken markup; the fallback copes
        result = None
    if result is None:
        return {}
    blocks = []
    body = getattr(result, "body", None)
    if body is not None:
        for child in body:
            block = xmltotxt(child, include_formatting=False).strip()
            if child.tag == "list":  # one item per line, without trafilatura's "- " bullets
                block = _BULLET.sub("", block)
            if block:
                blocks.append(block)
    text = "\n\n".join(blocks) if blocks else (getattr(result, "text", None) or "")
    fields = ("title", "date", "url", "sitename", "hostname")
    found = {name: getattr(result, name, None) for name in fields}
    found["text"] = text
    return found


def _fallback_text(page: str) -> str:
    """Plain text of the page's block elements with selectolax, when trafilatura finds none."""
    require("selectolax", "html")
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    tree.strip_tags(["script", "style", "noscript", "template", "svg", "nav", "footer"])
    blocks: list[str] = []
    for node in tree.css(_BLOCKS):
        if node.tag == "title":
            continue
        block = _SPACES.sub(" ", node.text(deep=True) or "").strip()
        if block and (not blocks or blocks[-1] != block):
            blocks.append(block)
    if not blocks and tree.body is not None:
        whole = tree.body.text(deep=True, separator="\n") or ""
        blocks = [line.strip() for line in whole.splitlines() if line.strip()]
    return "\n\n".join(blocks)
