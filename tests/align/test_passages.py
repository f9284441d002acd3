"""Passages: runs of aligned sentences become passages whose edges are exact to the token."""

from __future__ import annotations

import pytest

from align.builders import align
from index.corpus import by_id
from unspun.align.passages import passages
from unspun.config import PassageConfig, TraceConfig
from unspun.data import Document, Span
from unspun.text import split_sentences, tokenize
from unspun.trace import align_pair


def _word_span(text: str, span: Span) -> Span:
    """``span`` trimmed to its first and last word token (passages drop edge punctuation)."""
    toks = [t for t in tokenize(text, span.start, span.end) if t.kind != "punct"]
    return Span(toks[0].start, toks[-1].end)


@pytest.fixture(scope="module")
def pair() -> tuple[Document, Document]:
    return by_id("wikinews-airasia"), by_id("wikinews-ahmadinejad")


@pytest.mark.parametrize(("first", "count", "cut_words"), [(4, 5, 0), (8, 3, 3)])
def test_inserted_passage_has_token_exact_edges(pair: tuple[Document, Document], first: int,
                                                count: int, cut_words: int) -> None:
    source, host = pair
    sents = split_sentences(source.text)
    start, end = sents[first].span.start, sents[first + count - 1].span.end
    if cut_words:  # start mid-sentence: drop the first few words of the first sentence
        for _ in range(cut_words):
            start = source.text.index(" ", start) + 1
    passage = source.text[start:end]
    cut = host.text.index("\n\n", len(host.text) // 3)
    lead = host.text[:cut] + "\n\nMeanwhile, officials explained that "
    suspect_text = lead + passage + " Nobody else commented.\n\n" + host.text[cut:]
    suspect = Document(id="suspect", text=suspect_text)
    got = align_pair(suspect, source)
    assert len(got) == 1, got
    al = got[0]
    assert al.kind == "passage" and al.source_id == source.id
    assert al.suspect == _word_span(suspect_text, Span(len(lead), len(lead) + len(passage)))
    assert al.source == _word_span(source.text, Span(start, end))
    assert al.suspect.of(suspect_text) == al.source.of(source.text)


def test_passages_ignore_other_sources_and_short_runs(pair: tuple[Document, Document]) -> None:
    source, host = pair
    sents = split_sentences(source.text)
    text = " ".join(s.text for s in sents[5:8])
    traces = align(text, [source, host])
    assert passages(text, host.text, host.id, traces) == []
    [whole] = passages(text, source.text, source.id, traces)
    assert whole.suspect == _word_span(text, Span(0, len(text)))
    assert passages(text, source.text, source.id, traces, min_chars=len(text) + 1) == []


def test_two_separate_passages_stay_separate(pair: tuple[Document, Document]) -> None:
    source, host = pair
    sents = split_sentences(source.text)
    host_sents = split_sentences(host.text)
    first = " ".join(s.text for s in sents[3:6])
    second = " ".join(s.text for s in sents[14:17])
    filler = " ".join(s.text for s in host_sents[4:10])
    text = "\n\n".join([first, filler, second])
    got = align_pair(Document(id="s", text=text), source,
                     config=TraceConfig(passages=PassageConfig(min_chars=50)))
    assert [a.suspect.of(text) for a in got] == [
        _word_span(text, Span(0, len(first))).of(text),
        _word_span(text, Span(len(text) - len(second), len(text))).of(text)]


def test_words_inside_a_span_are_those_of_the_whole_text() -> None:
    """The loose passages tokenise only around each run: the same tokens as slicing the
    whole text's, whatever the span's edges cut (mid-word, mid-number, punctuation)."""
    from unspun.align.passages import _words, _words_in

    text = ("Officials said 1,000.5 people (U.S. citizens) left Kyiv's centre on Monday; "
            "the cease-fire held.\n\n\u201cWe won't stay,\u201d one said.  Another  ... left")
    whole = _words(text)
    for start in range(0, len(text), 3):
        for end in range(start + 1, len(text) + 1, 7):
            want = [t for t in whole if start <= t.start < end]
            assert _words_in(text, Span(start, end)) == want
