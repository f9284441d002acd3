"""Untrusted text made encodable and inert on a terminal, checked on examples and properties."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.text.safe import json_terminal_safe, repair_surrogates, terminal_safe

ATTACKS = ["\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b]0;owned\x07", "\x1b[8mhidden\x1b[0m",
           "\x9b31m", "back\x08\x08\x08space", "\r\x1b[2K"]


def test_lone_surrogates_are_replaced_and_counted() -> None:
    assert repair_surrogates("plain") == ("plain", 0)
    fixed, n = repair_surrogates("a\ud800b\udfffc\U0001f600")
    assert (fixed, n) == ("a\ufffdb\ufffdc\U0001f600", 2)
    fixed.encode("utf-8")


def test_terminal_escapes_become_visible_characters() -> None:
    for attack in ATTACKS:
        shown = terminal_safe(f"Officials said {attack} it went well.\nNext\tline")
        assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
        assert "\x08" not in shown and "\r" not in shown
        assert shown.endswith("it went well.\nNext\tline")  # newlines and tabs are kept
    assert terminal_safe("\x1b]0;x\x07") == "\u241b]0;x\u2407"


def test_json_stays_the_same_value_without_raw_c1_controls() -> None:
    value = {"text": "a\x9b31m b\x85 c\u2028d\x7f", "title": "ok"}
    dumped = json_terminal_safe(json.dumps(value, ensure_ascii=False))
    assert json.loads(dumped) == value
    assert not any(0x7F <= ord(c) <= 0x9F or c == "\u2028" for c in dumped)


@settings(deadline=None)
@given(st.text())
def test_repair_keeps_length_and_makes_any_text_encodable(text: str) -> None:
    fixed, n = repair_surrogates(text)
    assert len(fixed) == len(text)
    fixed.encode("utf-8")
    assert n == sum(1 for a, b in zip(text, fixed, strict=True) if a != b)


@settings(deadline=None)
@given(st.text())
def test_terminal_safe_leaves_no_control_character(text: str) -> None:
    shown = terminal_safe(text)
    assert len(shown) == len(text)
    assert all(c in "\n\t" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in shown)
    shown.encode("utf-8")


@settings(deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20))
def test_json_terminal_safe_round_trips(value: object) -> None:
    fixed = json.loads(json.dumps(value))  # surrogates and all, as JSON can carry them
    dumped = json_terminal_safe(json.dumps(fixed, ensure_ascii=False))
    assert json.loads(dumped) == fixed
