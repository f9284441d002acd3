"""Series templates: texts that differ only in a date (issue 10, false sources on farm test/1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.align.headline import match_headline
from unspun.align.template import _CALENDAR, _same_sketch, _sketch, date_only_difference
from unspun.data import Document


@pytest.mark.parametrize(("a", "b"), [
    ("Wikinews Shorts: April 22, 2007", "Wikinews Shorts: April 15, 2007"),
    ("A compilation of brief news reports for Sunday, April 22, 2007.",
     "A compilation of brief news reports for Saturday, April 21, 2007."),
    ("Weekly round-up, March 2009", "Weekly round-up, June 2011"),
])
def test_a_new_date_in_the_same_words_is_a_template(a: str, b: str) -> None:
    assert date_only_difference(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Wikinews Shorts: April 22, 2007", "Wikinews Shorts: April 22, 2007"),  # a copy
    ("Five people were killed in the blast.", "Seven people were killed in the blast."),
    ("12 people were killed in the blast.", "15 people were killed in the blast."),  # a count
    ("The study was published yesterday.", "The study was published Wednesday."),  # an edit
    ("Storm closes ferry routes on April 22", "Storm closes bridges on April 15"),
    # A piece of a sentence cut at sentence_max_chars: the date is missing, not replaced.
    ("The Post cites officials as claiming that the classified report from May 27.",
     "The Post cites officials as claiming that the classified report from"),
])
def test_other_differences_are_no_template(a: str, b: str) -> None:
    assert not date_only_difference(a, b)


def test_a_series_title_with_another_date_is_no_headline_match() -> None:
    issue = Document(id="shorts-15", title="Wikinews Shorts: April 15, 2007", text="...")
    assert match_headline("Wikinews Shorts: April 22, 2007", None, [issue],
                          min_score=0.6, min_words=3) is None
    assert match_headline("Wikinews Shorts: April 15, 2007", None, [issue],
                          min_score=0.6, min_words=3) is not None


_WORDS = ["April", "22,", "2007", "the", "The", "report", "(from", "May", "—", "-", "x",
          "1st", "Wikinews", "Shorts:", "“quote”", "’", "İstanbul", "a b", "\u00a0", "\n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join),
       st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join))
def test_the_early_sketch_comparison_is_the_sketches_equality(a: str, b: str) -> None:
    """The comparison that stops at the first differing word answers as the sketches do."""
    assert _same_sketch(a, b) == (_sketch(a) == _sketch(b))
    assert _same_sketch(b, a) == (_sketch(a) == _sketch(b))
    assert _same_sketch(a, a)


def _slow_sketch(text: str) -> str:
    """The sketch by its plain rule (no ``isalpha`` short cut): the twin to compare with."""
    edges = "\"'“”‘’()[],.:;!?-–—"
    words = (raw.strip(edges) for raw in text.lower().split())
    return " ".join(w for w in words if w and w not in _CALENDAR
                    and not any(map(str.isdigit, w)))


@pytest.mark.parametrize("text", [
    "x² ab3 Ⅻ x¹ ٣ abc", "April 22, 2007 on Monday", "(May) İstanbul ½ 3rd “quote”",
    "a٣b ١٢ Ⅷ ⅷ ⑤ mañana", "",
])
def test_the_sketch_drops_words_with_any_digit(text: str) -> None:
    """Superscripts and other scripts' digits are digits, Roman numerals letters: the
    letters-only short cut keeps exactly the words the plain rule keeps."""
    assert _sketch(text) == _slow_sketch(text)
    assert _same_sketch(text, text)
    assert _same_sketch(text, text + " ٣") and not _same_sketch(text, text + " z")
