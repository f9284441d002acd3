"""Make untrusted text safe to encode and to print: lone surrogates and terminal control codes."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except tab and newline, DEL, and the C1 controls (0x80-0x9f): each can start a
# terminal escape sequence (ESC ] 52 writes the clipboard, ESC ] 0 the window title, CSI 8 m
# hides text) or move the cursor over what was printed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def repair_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogate code points (which no UTF encoding can write) with U+FFFD.

    JSON allows ``"\\ud800"`` and Python decodes it to a str that cannot be encoded, so a
    document carrying one would crash the first time it is written out.

    Args:
        text: Any string.

    Returns:
        The repaired string (the same object when nothing needed repair) and how many code
        points were replaced. Lengths are unchanged, so offsets stay valid.
    """
    if text.isascii():
        return text, 0
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.subn(REPLACEMENT, text)
    return text, 0


def _picture(match: re.Match[str]) -> str:
    """The visible stand-in of one control character (one character wide)."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ESC -> U+241B
    if code == 0x7F:
        return "\u2421"
    return REPLACEMENT


def terminal_safe(text: str) -> str:
    """``text`` with every control character but tab and newline made visible and inert.

    Each control character becomes one printable character (ESC becomes U+241B), so offsets
    into the text still hold; lone surrogates become U+FFFD so the text can be encoded.

    Args:
        text: Article text, a title, a file name: anything that did not come from unspun.

    Returns:
        Text that cannot move the cursor, change the terminal or write the clipboard.
    """
    if text.isprintable():
        return text
    return _CONTROL.sub(_picture, text)


_C1 = re.compile("[\x7f-\x9f\u2028\u2029]")


def json_terminal_safe(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, C1 controls and line
    separators written as ``\\u`` escapes: the same JSON value, but inert on a terminal.

    ``json.dumps`` already escapes the C0 controls; the characters handled here can only occur
    inside JSON strings, where the escape means the same character.
    """
    if json_text.isascii() and "\x7f" not in json_text:
        return json_text
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
