"""Quote integrity when the copy lost its quote marks, brackets editorial notes or cuts sentences."""

from __future__ import annotations

from explain.builders import Pair, make_trace
from unspun.data import Span
from unspun.explain import check_quotes

SOURCE = ('Nasheed spoke on Friday. "Climate change threatens us all. Countries need to pull '
          'together to de-carbonize the world economy. We know it is possible," Nasheed said.')


def test_altered_quote_found_though_the_copy_lost_the_opening_mark() -> None:
    suspect = ("Nasheed spoke on Friday. Countries need to pull together to de-carbonize the "
               "world financial system.")
    sent = "Countries need to pull together to de-carbonize the world financial system."
    trace = make_trace(suspect, {"src": SOURCE}, [Pair(
        sent, "src", "Countries need to pull together to de-carbonize the world economy.")])
    (finding,) = check_quotes(trace)
    assert finding.kind == "altered-quote"
    assert finding.detail == "economy → financial system"
    assert finding.suspect.span.of(suspect) == sent.rstrip(".")
    assert finding.source.speaker == "Nasheed"


def test_unmarked_copy_of_a_quote_unchanged_is_fine() -> None:
    suspect = "Countries need to pull together to de-carbonize the world economy."
    trace = make_trace(suspect, {"src": SOURCE}, [Pair(suspect, "src", suspect)])
    assert check_quotes(trace) == []


def test_change_outside_the_quoted_words_is_not_an_altered_quote() -> None:
    source = 'Smith told reporters on Monday, "We will return to the square."'
    suspect = 'Smith informed journalists on Monday, "We will return to the square."'
    trace = make_trace(suspect, {"src": source}, [Pair(suspect, "src", source)])
    assert check_quotes(trace) == []


def test_editorial_brackets_are_not_the_speakers_words() -> None:
    source = '"We [Malaysia] have an understanding with the authorities there," Kaprawi said.'
    suspect = ('"We (Malaysia) have an understanding with the authorities there [the Maldives],"'
               ' Kaprawi said.')
    trace = make_trace(suspect, {"src": source}, [Pair(suspect, "src", source)])
    assert check_quotes(trace) == []


def test_sentence_left_out_of_a_quote_is_a_cut_not_a_change() -> None:
    source = '"They can chase out the infidels. The cancellation was wise. But they won," he said.'
    suspect = '"They can chase out the infidels. But they won," he said.'
    trace = make_trace(suspect, {"src": source}, [Pair(suspect, "src", source)])
    assert check_quotes(trace) == []


def test_word_changed_in_a_quote_split_by_a_junk_line_is_found() -> None:
    first, junk = '"The time has come for justice.', "More news: Iraqi forces battle on"
    last = 'The winds of alteration blew," said Sentamu.'
    suspect = f"{first}\n\n{junk}\n\n{last}"
    source = '"The time has come for justice. The winds of change blew," said Sentamu.'
    trace = make_trace(suspect, {"src": source}, [Pair(
        last, "src", 'The winds of change blew," said Sentamu.')])
    trace.clean.kept = [Span(0, len(first)), Span(len(suspect) - len(last), len(suspect))]
    (finding,) = check_quotes(trace)
    assert finding.kind == "altered-quote" and "change → alteration" in finding.detail
    assert finding.suspect.speaker == "Sentamu"


def test_quote_words_leave_out_bracketed_notes_only() -> None:
    from unspun.explain.quote_check import _words
    from unspun.text.tokens import tokenize

    for text in ('"We will return to the square, sir."',
                 '"We [Malaysia] have it (for now), U.S. 1,000%," he said.'):
        span = Span(0, len(text))
        notes = [(text.find(c), text.find(d) + 1) for c, d in ("[]", "()") if c in text]
        want = [t for t in tokenize(text) if t.kind != "punct"
                and not any(a <= t.start < b for a, b in notes)]
        assert _words(text, span) == want
    assert [t.norm for t in _words(text, span)] == ["we", "have", "it", "us", "1000%", "he",
                                                     "said"]
