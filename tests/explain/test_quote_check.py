"""Quote integrity: altered words (spin included) and changed speakers between copy and source."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from explain.builders import Pair, make_trace
from unspun.explain import check_quotes

SOURCE = ('President Donald Trump spoke on Thursday. "The Summit with Russia was a great success," '
          'Trump wrote on Twitter. "We want a strong Russia," Putin said in the video.')


def test_spun_quote_is_altered() -> None:
    suspect = 'Intro line.\n\n"The Summit with Russian Federation was a great success," Trump wrote.'
    trace = make_trace(suspect, {"src": SOURCE}, [Pair(
        '"The Summit with Russian Federation was a great success," Trump wrote.', "src",
        '"The Summit with Russia was a great success," Trump wrote on Twitter.')])
    (finding,) = check_quotes(trace)
    assert finding.kind == "altered-quote"
    assert finding.source_id == "src"
    assert "Russia → Russian Federation" in finding.detail
    assert finding.source.text.startswith("The Summit with Russia was")


def test_cosmetic_quote_change_and_same_speaker_are_fine() -> None:
    suspect = '\u201cThe summit with Russia was a great success,\u201d said President Trump.'
    trace = make_trace(suspect, {"src": SOURCE}, [Pair(
        suspect, "src", '"The Summit with Russia was a great success," Trump wrote on Twitter.')])
    assert check_quotes(trace) == []


def test_changed_attribution() -> None:
    suspect = '"We want a strong Russia," Clinton can be heard saying in the video.'
    trace = make_trace(suspect, {"src": SOURCE}, [Pair(
        suspect, "src", '"We want a strong Russia," Putin said in the video.')])
    (finding,) = check_quotes(trace)
    assert finding.kind == "changed-attribution"
    assert finding.suspect.speaker == "Clinton" and finding.source.speaker == "Putin"


def test_truncated_quote_is_not_altered() -> None:
    source = '"We want a strong Russia, a stable Russia," Putin said.'
    suspect = '"We want a strong Russia," Putin said.'
    trace = make_trace(suspect, {"src": source}, [Pair(suspect, "src", source)])
    assert check_quotes(trace) == []


def test_unaligned_sentences_are_ignored() -> None:
    suspect = '"Something new entirely," Smith said.'
    trace = make_trace(suspect, {"src": SOURCE}, [])
    assert check_quotes(trace) == []


def test_quote_words_by_text_are_the_words_of_the_span() -> None:
    from unspun.data import Span
    from unspun.explain.quote_check import _norms, _words

    text = 'He said "we [the party] will (again) win, U.S.-style, by 1,000 votes" and left.'
    start = text.index('"') + 1
    span = Span(start, text.index('"', start))
    assert _norms(span.of(text), {}) == [t.norm for t in _words(text, span)]
    assert "party" not in _norms(span.of(text), {})  # editorial insertions left out


_PIECES = st.sampled_from(["we", "Win", "U.S.", "1,000", "don't", "cease-fire", " ", "  ", ",",
                           ".", "(", ")", "[", "]", "(again)", "[the party]", "\n", "'", "\u2019",
                           "\u201c", '"', "caf\u00e9", "-", "x(y)z", "3.5%", "_"])


@given(st.lists(_PIECES, max_size=30).map("".join), st.integers(0, 5), st.integers(0, 5))
def test_words_between_notes_are_the_span_words_outside_notes(text: str, cut_a: int,
                                                              cut_b: int) -> None:
    """Tokenizing the pieces between the notes gives the span's words that start outside
    them, for any span (a note cut by the span's ends included)."""
    from unspun.data import Span
    from unspun.explain.quote_check import _norms, _words, _words_reference

    span = Span(min(cut_a, len(text)), max(min(cut_a, len(text)), len(text) - cut_b))
    assert _words(text, span) == _words_reference(text, span)
    assert _norms(span.of(text), {}) == [t.norm for t in _words_reference(
        span.of(text), Span(0, len(span)))]


_WORDS = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=9)


@given(_WORDS, st.lists(_WORDS, max_size=8), st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]))
def test_best_skips_only_quotes_that_cannot_win(sus: list[str], theirs: list[list[str]],
                                                min_share: float) -> None:
    """The quotes ``_best`` skips for their length change nothing: it gives the share and
    number a comparison with every quote gives (the first of equals)."""
    from unspun.explain.quote_check import _best
    from unspun.text.diff import matched

    best: tuple[float, int] | None = None
    for n, words in enumerate(theirs):
        if sus and words:
            share = matched(sus, words) / len(sus)
            if share >= min_share and (best is None or share > best[0]):
                best = (share, n)
    assert _best(sus, theirs, min_share) == best
