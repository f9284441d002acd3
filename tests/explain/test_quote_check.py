"""Quote integrity: altered words (spin included) and changed speakers between copy and source."""

from __future__ import annotations

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
