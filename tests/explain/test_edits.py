"""Edit scripts: labels for each kind of change, and coverage of every token on both sides."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.data import Alignment, Span
from unspun.explain import edit_script, explain_alignment
from unspun.explain.labels import is_expansion
from unspun.text import tokenize


def changes(suspect: str, source: str) -> list[tuple[str, str, str, str]]:
    edits = edit_script(suspect, source, Span(0, len(suspect)), Span(0, len(source)))
    return [(e.op, e.detail, e.suspect_text, e.source_text) for e in edits if e.op != "verbatim"]


@pytest.mark.parametrize(
    ("suspect", "source", "expected"),
    [
        ("the summit with Russian Federation was", "the summit with Russia was",
         ("synonym", "expansion", "Russian Federation", "Russia")),
        ("in the 2016 USA election", "in the 2016 U.S. election",
         ("synonym", "expansion", "USA", "U.S.")),
        ("a vote at the United Nations today", "a vote at the UN today",
         ("synonym", "expansion", "United Nations", "UN")),
        ("pull out of the worldwide accord", "pull out of the international accord",
         ("synonym", "", "worldwide", "international")),
        ("Venezuela needs 100001 rifles", "Venezuela needs 100,000 rifles",
         ("factual", "number", "100001", "100,000")),
        ("12 officials were charged", "13 officials were charged",
         ("factual", "number", "12", "13")),
        ("they met on Monday in Paris", "they met on Tuesday in Paris",
         ("factual", "date", "Monday", "Tuesday")),
        ("the talks with Medvedev went well", "the talks with Putin went well",
         ("factual", "name", "Medvedev", "Putin")),
        ("he said it was not a success", "he said it was a success",
         ("factual", "negation", "not", "")),
        ("the report was released", "the report wasn't released",
         ("factual", "negation", "was", "wasn't")),
        ("two people were hurt", "2 people were hurt",
         ("paraphrase", "number-format", "two", "2")),
        ("we cannot go", "we can't go", ("paraphrase", "contraction", "cannot", "can't")),
        ("it is a good deal", "it's a good deal",
         ("paraphrase", "contraction", "it is", "it's")),
        ("the U.S. said", "the United States of America said",
         ("synonym", "expansion", "U.S.", "United States of America")),
        ("the President met them", "the Head of state met them",
         ("synonym", "", "President", "Head of state")),
        ("before the vote", "prior to the vote", ("synonym", "", "before", "prior to")),
    ],
)
def test_labels(suspect: str, source: str, expected: tuple[str, str, str, str]) -> None:
    assert changes(suspect, source) == [expected]


def test_only_a_pronoun_s_is_read_as_is() -> None:
    """"it's" can only be "it is" or "it has"; "John's" may be a possessive: no contraction."""
    assert changes("that is a risk", "that\u2019s a risk")[0][:2] == ("paraphrase", "contraction")
    assert changes("John is a good man", "John's a good man")[0][1] != "contraction"


def test_cosmetic_quote_style_and_spacing() -> None:
    got = changes("'I said would instead of wouldn't, ' he says",
                  "\u2018I said would instead of wouldn\u2019t,\u2019 he says")
    assert {op for op, *_ in got} == {"cosmetic"}
    assert any("spacing" in detail for _, detail, *_ in got)
    assert any(s == "wouldn't" and b == "wouldn\u2019t" for _, _, s, b in got)


def test_identical_runs_are_one_verbatim_edit_and_spacing_still_counts() -> None:
    text = "The talks in Helsinki lasted four hours, officials said."
    edits = edit_script(text, text, Span(0, len(text)), Span(0, len(text)))
    assert [(e.op, e.suspect_text) for e in edits] == [("verbatim", text)]
    assert changes(text.replace("lasted four", "lasted  four"), text) == []  # amount: no
    assert changes(text.replace("hours,", "hours ,"), text) == [
        ("cosmetic", "spacing", ",", ",")]


def test_verbatim_copy_edit_covers_tokens_only() -> None:
    """Only whitespace and "_" lie outside tokens: a copy's one edit spans its tokens."""
    for text in ("Ministers met on Monday.", "__ Ministers met on Monday __"):
        (edit,) = edit_script(text, text, Span(0, len(text)), Span(0, len(text)))
        toks = tokenize(text)
        assert edit.op == "verbatim"
        assert edit.suspect == Span(toks[0].start, toks[-1].end) == edit.source


def test_case_is_cosmetic() -> None:
    assert changes("the White house said", "the White House said") == [
        ("cosmetic", "case", "house", "House")]


def test_insert_delete_and_moved_words() -> None:
    assert changes("the deal was signed in Paris", "the deal was signed") == [
        ("insert", "", "in Paris", "")]
    assert changes("the deal was signed", "the deal was quietly signed") == [
        ("delete", "", "", "quietly")]
    got = changes("He said the deal was signed quickly by all the parties involved yesterday",
                  "All parties involved signed the agreement rapidly, he said")
    assert {op for op, *_ in got} <= {"paraphrase", "cosmetic", "synonym", "insert", "delete"}
    assert any(op == "paraphrase" for op, *_ in got)


def test_long_rewrite_is_paraphrase() -> None:
    got = changes("officials from both countries voiced deep concern about rising prices today",
                  "officials from both countries complained bitterly regarding escalating costs "
                  "and wages today")
    assert [op for op, *_ in got] == ["paraphrase"]


def test_sentence_initial_name_change_is_factual_in_context() -> None:
    suspect = "Medvedev met Trump. Later, Medvedev left."
    source = "Putin met Trump. Later, Putin left."
    al = Alignment(Span(0, 19), "s", Span(0, 16), 0.8)
    edits = explain_alignment(suspect, source, al)
    assert [(e.op, e.detail) for e in edits if e.op != "verbatim"] == [("factual", "name")]


def test_offsets_point_into_full_texts() -> None:
    suspect = "Headline\n\nThe 2016 USA election was close."
    source = "Intro. The 2016 U.S. election was close. More."
    al = Alignment(Span(10, len(suspect)), "s", Span(7, 40), 0.9)
    for e in explain_alignment(suspect, source, al):
        assert e.suspect.of(suspect) == e.suspect_text
        assert e.source.of(source) == e.source_text
        assert al.suspect.start <= e.suspect.start <= e.suspect.end <= al.suspect.end


@pytest.mark.parametrize(("a", "b", "same"), [
    ("russia", "russian federation", True), ("us", "usa", True), ("usa", "united states", True),
    ("un", "united nations", True), ("trump", "donald trump", True), ("putin", "medvedev", False),
    ("iran", "iraq", False), ("austria", "australia", False), ("moscow", "russia", False),
])
def test_is_expansion(a: str, b: str, same: bool) -> None:
    assert is_expansion(a.split(), b.split()) is same


_WORDS = ["Russia", "Russian", "Federation", "USA", "U.S.", "said", "the", "12", "13", "not",
          "Monday", "wasn't", ",", "\"", "\u201c", "'", "world", "worldwide", "deal", "Putin"]
_sentences = st.lists(st.sampled_from(_WORDS), max_size=25).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(suspect=_sentences, source=_sentences, pad_a=st.text(max_size=5),
       pad_b=st.text(max_size=5))
def test_edits_cover_every_token_once(suspect: str, source: str, pad_a: str, pad_b: str) -> None:
    sus_text = pad_a + " " + suspect + " " + pad_a
    src_text = pad_b + " " + source + " " + pad_b
    a0, b0 = len(pad_a) + 1, len(pad_b) + 1
    al = Alignment(Span(a0, a0 + len(suspect)), "s", Span(b0, b0 + len(source)), 0.5)
    edits = explain_alignment(sus_text, src_text, al)
    sus_covered, src_covered = [], []
    for e in edits:
        assert e.suspect.of(sus_text) == e.suspect_text
        assert e.source.of(src_text) == e.source_text
        sus_covered += tokenize(sus_text, e.suspect.start, e.suspect.end)
        src_covered += tokenize(src_text, e.source.start, e.source.end)
    assert sus_covered == tokenize(sus_text, al.suspect.start, al.suspect.end)
    assert src_covered == tokenize(src_text, al.source.start, al.source.end)


def test_acronym_plus_a_word_is_an_expansion_not_a_new_name() -> None:
    from unspun.explain.labels import is_expansion

    assert is_expansion(["european", "union"], ["eu", "bloc"])
    assert is_expansion(["un", "organization"], ["united", "nations"])
    assert not is_expansion(["european", "union"], ["fuad", "basya"])
    assert not is_expansion(["eu"], ["ecb", "bank"])


@pytest.mark.parametrize(("words", "canon", "how"), [
    ("it's twenty-one", ["it", "is", "20", "1"], "number-format"),
    ("two can't", ["2", "can", "not"], "number-format"),
    ("can't two", ["can", "not", "2"], "number-format"),
    ("they're here", ["they", "are", "here"], "contraction"),
    ("plain words", ["plain", "words"], ""),
])
def test_canonical_rewrites_and_says_what_it_rewrote(words: str, canon: list[str],
                                                     how: str) -> None:
    """A number word anywhere makes it "number-format", before any contraction."""
    from unspun.explain.labels import canonical
    from unspun.text.tokens import tokenize

    assert canonical(tokenize(words)) == (canon, how)
