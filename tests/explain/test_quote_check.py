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


_NOTE_PIECES = st.sampled_from(["we", "Win", "U.S.", "u.s", "1,000", "3.5%", "don't", "it\u2019s",
                                "cease-fire", " ", ",", ".", "(", ")", "[", "]", "((", "]]",
                                "(again)", "[the party]", "(a [b] c)", "[x (y) z]", "\n", "'",
                                "\u201c", '"', "caf\u00e9", "\u00c9mile", "Stra\u00dfe", "\u6771",
                                "\u00b2", "-", "x(y)z", "_", "\U0001f600", "a" * 70])


@given(st.lists(_NOTE_PIECES, max_size=40).map("".join), st.data())
def test_compiled_quote_words_and_counts_match_python(text: str, data: st.DataObject) -> None:
    """``_wordkeys.quote_norms`` of a span is ``_text_norms`` of its slice, and
    ``quote_counts`` their number, for any spans (notes cut by a span's ends, nested and
    unclosed marks, every kind of str included)."""
    import pytest

    from unspun import _native
    from unspun.data import Span
    from unspun.explain.quote_check import _text_norms

    if _native.wordkeys is None:
        pytest.skip("the extension is off")
    bounds = st.integers(0, len(text))
    spans = [Span(min(a, b), max(a, b)) for a, b in data.draw(st.lists(st.tuples(bounds, bounds),
                                                                        max_size=6))]
    wanted = [_text_norms(s.of(text)) for s in spans]
    assert [_native.wordkeys.quote_norms(text, s.start, s.end) for s in spans] == wanted
    assert _native.wordkeys.quote_norms(text) == _text_norms(text)
    assert _native.wordkeys.quote_counts(text, spans) == [len(w) for w in wanted]


def test_quote_counts_arguments_are_checked() -> None:
    import pytest

    from unspun import _native
    from unspun.data import Span

    if _native.wordkeys is None:
        pytest.skip("the extension is off")
    with pytest.raises(ValueError):
        _native.wordkeys.quote_counts("abc", [Span(1, 4)])
    with pytest.raises(AttributeError):
        _native.wordkeys.quote_counts("abc", [(0, 1)])
    with pytest.raises(TypeError):
        _native.wordkeys.quote_counts("abc", (Span(0, 1),))
    assert _native.wordkeys.quote_counts("a (b) c [d", [Span(0, 10), Span(2, 4)]) == [3, 1]


@given(_WORDS, st.lists(_WORDS, max_size=8), st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]))
def test_best_counted_is_best(sus: list[str], theirs: list[list[str]], min_share: float) -> None:
    """``_best_counted`` (words made only for quotes whose count passes) chooses as ``_best``,
    and makes the words of no quote it skips for its length."""
    from unspun.explain.quote_check import _best, _best_counted

    texts = [" ".join(w) for w in theirs]
    cache: dict[str, list[str]] = {}
    assert _best_counted(sus, texts, [len(w) for w in theirs], min_share, cache) == _best(
        sus, theirs, min_share)
    assert all(cache[t] and len(cache[t]) / len(sus) >= min_share for t in cache)
