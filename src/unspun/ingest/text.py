"""Plain-text files and stdin: decode, refuse binary data, and sniff HTML handed in as text."""

from __future__ import annotations

from unspun.data import Document
from unspun.errors import BadInput
from unspun.ingest.base import check_binary, doc_id, normalise_newlines
from unspun.ingest.dateline import dateline_date
from unspun.ingest.encoding import bom_encoding, decode
from unspun.ingest.html import html_document, looks_like_html


def text_document(data: bytes, *, source: str, sniff: bool = False) -> Document:
    """Make a Document from the bytes of a plain-text file (or stdin).

    Args:
        data: the whole file.
        source: where it was read from.
        sniff: hand the bytes to the HTML extractor when they look like an HTML page
            (for stdin and files without a known extension).

    Returns:
        The Document; ``meta["encoding"]`` names the encoding used.

    Raises:
        BadInput: empty, binary, undecodable, or only whitespace.
    """
    if not data:
        raise BadInput(source, "empty file")
    if (bom_encoding(data) or "")[:6] not in ("utf-16", "utf-32"):
        check_binary(data, source)
    text, encoding = decode(data, where=source)
    if sniff and looks_like_html(text):
        return html_document(data, source=source)
    if not text.strip():
        raise BadInput(source, "no text: the file holds only whitespace")
    text = normalise_newlines(text)
    return Document(id=doc_id(source), text=text, source=source, date=dateline_date(text),
                    meta={"format": "text", "encoding": encoding})
