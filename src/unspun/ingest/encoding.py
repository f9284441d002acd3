"""Turn the bytes of a page or text file into text, whatever encoding it was written in."""

from __future__ import annotations

import codecs
import logging
import re

from unspun.errors import BadInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso8859-1", "latin-1", "iso-8859-1", "latin1", "ascii", "us-ascii", "iso8859_1"}

logging.getLogger("charset_normalizer").addHandler(logging.NullHandler())


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` tag declares in the first 4 KB of ``data``, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _clean(text: str) -> bool:
    """True when a decoding produced few control characters (a wrong guess yields many)."""
    if not text:
        return True
    bad = sum(1 for ch in text[:65536] if (ord(ch) < 32 and ch not in "\t\n\r\f\x1b")
              or 0x80 <= ord(ch) < 0xA0 or ch == "\ufffd")
    return bad / min(len(text), 65536) < 0.01


def _try(data: bytes, codec: str | None) -> str | None:
    """``data`` decoded strictly with ``codec``, or None when that fails or looks wrong."""
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if _clean(text) else None


def _guess(data: bytes) -> str | None:
    """Ask charset_normalizer (when installed) for the encoding; prefer cp1252 on a tie."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    matches = list(from_bytes(data[:262144]))
    if not matches:
        return None
    best = matches[0]
    ties = {m.encoding for m in matches
            if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01}
    return "cp1252" if "cp1252" in ties else str(best.encoding)


def decode(data: bytes, *, where: str, declared: str | None = None,
           html: bool = False) -> tuple[str, str]:
    """Decode ``data`` and say which encoding was used.

    Tries, in order: a byte-order mark; the ``declared`` charset (an HTTP header) and, for
    HTML, a ``<meta charset>``; UTF-8; charset_normalizer's guess; windows-1252.

    Args:
        data: the raw bytes.
        where: the file or record, for the error message.
        declared: a charset from outside the bytes (e.g. a WARC record's HTTP header).
        html: also look for a ``<meta charset>`` declaration.

    Returns:
        ``(text, encoding)``.

    Raises:
        BadInput: no encoding decodes the bytes cleanly.
    """
    bom = bom_encoding(data)
    if bom is not None:
        text = _try(data, bom)
        if text is not None:
            return text.lstrip("\ufeff"), bom
    candidates = [_codec(declared)]
    if html:
        candidates.append(_codec(meta_charset(data)))
    candidates.append("utf-8")
    for codec in candidates:
        text = _try(data, codec)
        if text is not None:
            return text, str(codec)
    guess = _codec(_guess(data))
    text = _try(data, guess)
    if text is not None:
        return text, str(guess)
    text = _try(data, "cp1252")
    if text is not None:
        return text, "cp1252"
    raise BadInput(where, "undecodable bytes: not UTF-8, and no other encoding decodes it cleanly")
