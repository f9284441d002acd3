"""The speaker finder's screens skip only candidate starts that cannot match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.explain import quotes
from unspun.explain.quotes import LazyQuotes

# Attribution words, names, pronouns, the marks the patterns stop at, and fillers long enough
# to put a verb just inside or just outside the 60 characters before a quote.
_PIECES = ["said", "says", "mentioning", "told", "According", "according", "ACCORDING", "to",
           "Smith", "John Smith", "Mrs. Brown", "he", "She", "they", "The", "police",
           "officials", "reporters", ",", ".", "!", "?", "\u201c", "\u201d", "\n", "  ", "\t",
           "on Monday", "x" * 20, "y" * 45, "in a long statement about the harbour",
           '"The port is closed for now,"', "\u201cWe will rebuild,\u201d",
           "'not so fast,'", '"It is over."']
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40).map(" ".join)


def _speakers(text: str) -> list[tuple[str | None, tuple[int, int] | None]]:
    lazy = LazyQuotes(text)
    return [(q.speaker, None if q.speaker_span is None else (q.speaker_span.start,
                                                            q.speaker_span.end))
            for q in lazy.all()]


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_screened_speakers_are_the_unscreened_ones(text: str) -> None:
    """Every quote's speaker is the same with the screens as with screens that pass every
    text (each candidate start tried by both patterns, as before the screens)."""
    assert _speakers(text) == _unscreened_speakers(text)


def _unscreened_speakers(text: str) -> list[tuple[str | None, tuple[int, int] | None]]:
    """:func:`_speakers` with screens that pass every text."""
    saved = quotes._BEFORE_SCREENS, quotes._LONGEST_VERB
    quotes._BEFORE_SCREENS = (re.compile(""), re.compile(""))
    quotes._LONGEST_VERB = len(text)
    try:
        return _speakers(text)
    finally:
        quotes._BEFORE_SCREENS, quotes._LONGEST_VERB = saved


@pytest.mark.parametrize("gap", [55, 56, 57, 58, 59, 60, 61, 62, 63])
def test_a_verb_at_the_edge_of_the_window(gap: int) -> None:
    """A verb whose tail to the quote is about 60 characters: found exactly when the
    pattern finds it."""
    for verb in ("said", "mentioning"):
        text = f"Smith {verb}{' ' * gap}\u201cWe will rebuild the harbour,\u201d and left."
        assert _speakers(text) == _unscreened_speakers(text)
