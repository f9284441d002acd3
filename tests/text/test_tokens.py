"""Tokenizer: kinds, normalisation, and offsets that always slice the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from unspun.text import tokenize, words
from unspun.text.tokens import is_anchor, is_content, normalize_word, word_forms


def test_kinds_and_norms() -> None:
    text = "The U.S. said 1,000 people don't cease-fire at 3.5% — “Café”!"
    got = [(t.norm, t.kind) for t in tokenize(text)]
    assert ("us", "abbr") in got
    assert ("1000", "num") in got
    assert ("don't", "word") in got
    assert ("cease-fire", "word") in got
    assert ("3.5%", "num") in got
    assert ("cafe", "word") in got  # accents stripped
    assert ('"', "punct") in got  # curly quotes folded
    assert ("—", "punct") in got


def test_curly_apostrophe_matches_straight() -> None:
    assert words("Trump’s don’t") == words("Trump's don't") == ["trump's", "don't"]
    assert normalize_word("ÉLAN") == "elan"


def test_start_end_window_offsets_point_into_whole_text() -> None:
    text = "alpha beta gamma delta"
    toks = tokenize(text, 6, 16)
    assert [t.norm for t in toks] == ["beta", "gamma"]
    assert all(text[t.start:t.end] == t.norm for t in toks)


def test_word_forms_agree_with_tokenize() -> None:
    text = "On Thursday, Trump told CNBC the U.S. had 1,000 troops in Syria's north."
    assert len(word_forms(text)) == len(words(text))


def test_content_and_anchor() -> None:
    text = "Yesterday the Senate voted 52 times"
    toks = {t.norm: t for t in tokenize(text)}
    assert is_content(toks["voted"]) and not is_content(toks["the"])
    assert is_anchor(toks["senate"], text) and is_anchor(toks["52"], text)
    assert not is_anchor(toks["voted"], text)


@given(st.text(alphabet=st.sampled_from(list("aZé'’-.,:;!?\"“”%0123456789 \n\tU.S")),
               max_size=80))
def test_offsets_slice_the_original(text: str) -> None:
    toks = tokenize(text)
    prev = 0
    for t in toks:
        assert 0 <= prev <= t.start < t.end <= len(text)
        assert not text[t.start:t.end].isspace()
        prev = t.end
    # Every non-space character belongs to exactly one token.
    covered = sum(t.end - t.start for t in toks)
    assert covered == sum(1 for c in text if not c.isspace())


@given(st.text(alphabet=st.sampled_from(list("aZé'’-._,:!\"“%0²9 \n\tU.S")), max_size=60),
       st.integers(0, 60), st.integers(0, 60))
def test_tokens_are_the_pattern_matches(text: str, start: int, end: int) -> None:
    """Offsets found by searching forward equal the regex's own match offsets ("_" included)."""
    from unspun.text.tokens import _TOKEN_RE

    start, end = min(start, len(text)), min(max(start, end), len(text))
    want = [(m.start(), m.end(), m.lastgroup) for m in _TOKEN_RE.finditer(text, start, end)]
    assert [(t.start, t.end, t.kind) for t in tokenize(text, start, end)] == want


def test_words_are_the_norms_of_the_word_tokens() -> None:
    from unspun.text.tokens import tokenize, words

    for text in ["\u00b2abc 1,000 U.S. don\u2019t cease-fire [sic] _x_ caf\u00e9 '90s 3.5% x\u00b2",
                 "\u201cWe\u2019ll see,\u201d said Mr. O\u2019Neil (R-Texas) on 10:30 a.m.", "",
                 # digits of other scripts, a roman numeral, folded and final sigma, long s
                 "\u0661\u0662,3 U.S.-led e.g. \u2160X \u039f\u0394\u039f\u03a3 stra\u00dfe \u017fa \u212a."]:
        assert words(text) == [t.norm for t in tokenize(text) if t.kind != "punct"]
