"""Sentence splitting on news edge cases, and max_chars chunking."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspun.data import Sentence, Span, sentence_at, span_at
from unspun.text import split_sentences


def _texts(text: str, **kw: int) -> list[str]:
    return [s.text for s in split_sentences(text, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "expected"), [
    ("Dr. Smith met Sen. Jones in Washington. They talked.",
     ["Dr. Smith met Sen. Jones in Washington.", "They talked."]),
    ("Mr Trump spoke. Mr. Putin replied.", ["Mr Trump spoke.", "Mr. Putin replied."]),
    ("Gov. Brown and Rep. Lee agreed. Nobody else did.",
     ["Gov. Brown and Rep. Lee agreed.", "Nobody else did."]),
    ("The U.S. Senate voted on Tuesday. It passed.",
     ["The U.S. Senate voted on Tuesday.", "It passed."]),
    ("He has lived in the U.S. The next day he left.",
     ["He has lived in the U.S.", "The next day he left."]),
    ('She said "we won." Then she left.', ['She said "we won."', "Then she left."]),
    ('"We won." He smiled.', ['"We won."', "He smiled."]),
    ("John F. Kennedy was shot in 1963. Oswald was arrested.",
     ["John F. Kennedy was shot in 1963.", "Oswald was arrested."]),
    ("Growth was 3.5 percent in 2017. Prices rose by 1,200 dollars.",
     ["Growth was 3.5 percent in 2017.", "Prices rose by 1,200 dollars."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("He asked why? and then left.", ["He asked why? and then left."]),
    ("Prices rose. (Officials declined to comment.) Markets fell.",
     ["Prices rose.", "(Officials declined to comment.)", "Markets fell."]),
])
def test_news_edge_cases(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_paragraph_breaks_end_sentences_and_junk_is_dropped() -> None:
    text = "Headline without a period\n\nFirst sentence here. Second one\n\n***\n\nLast."
    assert _texts(text) == ["Headline without a period", "First sentence here.", "Second one",
                            "Last."]


def test_sentences_are_numbered_and_slice_the_original() -> None:
    text = "  One sentence here.   Another one there!\n\n  Third?  "
    sents = split_sentences(text)
    assert [s.index for s in sents] == [0, 1, 2]
    for s in sents:
        assert s.span.of(text) == s.text == s.text.strip()


def test_only_the_given_spans_are_split() -> None:
    text = "Junk line. More junk.\nReal sentence one. Real sentence two."
    start = text.index("Real")
    sents = split_sentences(text, [Span(start, len(text))])
    assert [s.text for s in sents] == ["Real sentence one.", "Real sentence two."]
    assert sents[0].span.start == start


def test_max_chars_cuts_long_runs_at_spaces() -> None:
    text = " ".join(f"word{i}" for i in range(300))  # no punctuation at all
    pieces = split_sentences(text, max_chars=100)
    assert len(pieces) > 10
    assert all(len(s.text) <= 100 for s in pieces)
    assert " ".join(s.text for s in pieces) == text  # cut only at spaces, nothing lost
    assert [s.text for s in split_sentences(text)] == [text]  # no limit: one piece


def test_max_chars_leaves_short_sentences_alone() -> None:
    text = "A short one. Another short one."
    assert _texts(text, max_chars=400) == _texts(text)


def test_unbreakable_token_longer_than_max_chars_is_kept_whole() -> None:
    text = "x" * 250
    assert _texts(text, max_chars=100) == [text]


_news_word = st.sampled_from(["Dr.", "U.S.", "Mr", "said", "the", "Putin", "3.5", "\"We", "won.\"",
                              "Sen.", "F.", "ok.", "Why?", "no!", "and", "(it)", "\n\n", "—"])


@given(st.lists(_news_word, max_size=40), st.sampled_from([None, 30, 80]))
def test_spans_always_slice_the_original(tokens: list[str], max_chars: int | None) -> None:
    text = " ".join(tokens)
    sents = split_sentences(text, max_chars=max_chars)
    prev_end = 0
    for s in sents:
        assert s.span.of(text) == s.text
        assert s.text and not s.text[0].isspace() and not s.text[-1].isspace()
        assert s.span.start >= prev_end
        prev_end = s.span.end


def test_sentence_at_equals_the_checked_constructor() -> None:
    fast, slow = sentence_at(2, 5, 9, "word"), Sentence(2, Span(5, 9), "word")
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert fast.span < Span(5, 10) and len(fast.span) == 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.text = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.span.start = 0  # type: ignore[misc]
    assert type(fast) is Sentence and type(fast.span) is Span
    assert dataclasses.astuple(fast) == (2, (5, 9), "word")


def test_span_at_equals_the_checked_constructor() -> None:
    fast, slow = span_at(3, 7), Span(3, 7)
    assert type(fast) is Span and fast == slow and hash(fast) == hash(slow)
    assert repr(fast) == repr(slow) and len(fast) == 4 and fast.of("abcdefgh") == "defg"
    assert sorted([Span(4, 5), fast, Span(3, 6)]) == [Span(3, 6), fast, Span(4, 5)]
    assert dataclasses.replace(fast, end=9) == Span(3, 9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.end = 0  # type: ignore[misc]
