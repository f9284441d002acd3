"""Turn what a browser or API client sent (JSON, a form, an uploaded file) into a Document."""

from __future__ import annotations

import hashlib
from typing import Any

from unspun.data import Document
from unspun.errors import BadInput

_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")
_META = ("title", "url", "site", "date")


def pasted_document(text: str, *, title: str | None = None, url: str | None = None,
                    site: str | None = None, date: str | None = None,
                    source: str = "pasted text") -> Document:
    """Make a Document from pasted text (kept as text, never parsed as HTML).

    Raises:
        BadInput: the text is empty or only whitespace.
    """
    from unspun.ingest.base import normalise_newlines, repair_document

    if not text or not text.strip():
        raise BadInput(source, "no text: paste an article or upload a file")
    text = normalise_newlines(text)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    doc = Document(id=f"pasted-{digest}", text=text, title=_clean(title), url=_clean(url),
                   site=_clean(site), date=_clean(date), source=source,
                   meta={"format": "text", "via": "web"})
    repair_document(doc)  # JSON may carry lone surrogates, which nothing can encode
    return doc


def uploaded_document(data: bytes, *, filename: str | None, title: str | None = None) -> Document:
    """Make a Document from an uploaded HTML or text file (HTML goes through extraction).

    Raises:
        BadInput: empty, binary, undecodable or malformed file.
        MissingExtra: HTML extraction needs the ``html`` extra.
    """
    from unspun.ingest.base import repair_document
    from unspun.ingest.html import html_document
    from unspun.ingest.text import text_document

    name = f"upload:{filename or 'file'}"
    if not data:
        raise BadInput(name, "empty file")
    if (filename or "").lower().endswith(_HTML_NAMES):
        doc = html_document(data, source=name)
    else:
        doc = text_document(data, source=name, sniff=True)
    if _clean(title):
        doc.title = _clean(title)
    doc.meta["via"] = "web"
    repair_document(doc)
    return doc


def json_document(payload: Any) -> Document:
    """Make a Document from a JSON body ``{"text": ..., "title": ..., "url": ..., ...}``.

    Raises:
        BadInput: the body is not an object with a string ``text``.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        raise BadInput("request body", 'expected a JSON object like {"text": "...", "title": "..."}')
    meta = {k: payload.get(k) for k in _META}
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            raise BadInput("request body", f"{key!r} must be a string")
    return pasted_document(payload["text"], source="request body", **meta)


def _clean(value: str | None) -> str | None:
    """Strip a form value; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None
