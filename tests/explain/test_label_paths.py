"""The cheaper paths of the edit labeller give what the plain definitions give."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.config import ExplainConfig
from unspun.explain import labels
from unspun.text.tokens import Token, tokenize, word_forms

# Words that repeat (so a word meets itself after spaces, commas and semicolons), spaces and
# the characters around them, digits, "_", letters beyond ASCII, line breaks.
_PIECES = ["Smith", "smith", "Smiths", "XSmith", "Police", "Of", "of", "The", "A", "USA", "2010",
           "1st", "_", " ", "  ", ",", ";", ".", ":", "\n", "\t", "\xa0", "’", "'", "-", "É",
           "é", "²", "Ⅻ", "東", "x"]
_texts = st.one_of(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
                   st.text(max_size=40))


def _mid_sentence_re(text: str, raw: str) -> bool:
    return re.search(rf"[\w,;] +{re.escape(raw)}\b", text) is not None


@settings(max_examples=600, deadline=None)
@given(_texts, st.sampled_from(["Smith", "Police", "Of", "A", "É", "x", "Smi-th", "It's"]))
def test_mid_sentence_is_the_pattern_search(text: str, raw: str) -> None:
    assert labels._mid_sentence(text, raw) == _mid_sentence_re(text, raw)


def test_mid_sentence_cases() -> None:
    assert labels._mid_sentence("He met Smith. Smith left.", "Smith")
    assert labels._mid_sentence("x,  Smith", "Smith")
    assert not labels._mid_sentence("Smith left. Smithson came.", "Smith")
    assert not labels._mid_sentence(". Smith", "Smith")
    assert not labels._mid_sentence("x\tSmith", "Smith")


def _title_case_plain(line: str, words: tuple[int, int], share: float) -> bool:
    kept = [w for w in word_forms(line) if not w[0].isdigit()]
    if not words[0] <= len(kept) <= words[1]:
        return False
    caps = sum(1 for w in kept if w[0].isupper() or w.lower() in labels._MINOR_WORDS)
    return caps >= share * len(kept)


_HEAD = ["Police", "Arrest", "of", "the", "In", "U.S.", "2010", "1,000", "x", "Men", "a-b",
         "ÉTÉ", "²", " ", " ", "  ", ",", "-", "\t", "\xa0"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_HEAD), max_size=120).map("".join), st.data(),
       st.sampled_from([(4, 25), (1, 3), (2, 12)]))
def test_title_case_reads_long_lines_in_part_with_the_same_answer(
        line: str, data: st.DataObject, words: tuple[int, int]) -> None:
    pad = data.draw(st.sampled_from(["", "Lead.\n", "a b c d\n\n"]))
    text = pad + line + "\nmore"
    start, end = len(pad), len(pad) + len(line)
    assert labels._title_case(text, start, end, words, 0.85) == \
        _title_case_plain(line, words, 0.85)


# One word a side, from contexts where it is and is not a name: pronouns and names, negations,
# contractions, number words, dates, titles, function words, expansions ("US" / "USA").
_WORD_TEXTS = [
    "He said Smith met Jones on Monday. She can't say it's not twenty, they never did.",
    "President Obama told the UN the USA and US spokesman Brown won't go; Russia, Russian.\n"
    "Police Arrest Three Men In Geneva After The Raid",
    "smith met jones on tuesday; he said no one would. It is twenty-one. Nobody cannot go.",
]


def _word_tokens() -> list[tuple[Token, str]]:
    return [(t, text) for text in _WORD_TEXTS for t in tokenize(text) if t.kind == "word"]


@settings(max_examples=800, deadline=None)
@given(st.data())
def test_one_word_for_one_word_is_the_block_label(data: st.DataObject) -> None:
    toks = _word_tokens()
    (a, ta), (b, tb) = data.draw(st.sampled_from(toks)), data.draw(st.sampled_from(toks))
    cfg = data.draw(st.sampled_from([ExplainConfig(), replace(ExplainConfig(),
                                                              title_case_words=(99, 99))]))
    assert labels._classify_words(a, b, ta, tb, cfg) == \
        labels._classify_block([a], [b], ta, tb, cfg)
    assert labels.classify_block([a], [b], ta, tb, cfg) == \
        labels._classify_block([a], [b], ta, tb, cfg)


def test_one_word_labels_cover_each_outcome() -> None:
    cfg = ExplainConfig()
    seen = set()
    for a, ta in _word_tokens():
        for b, tb in _word_tokens():
            got = labels._classify_words(a, b, ta, tb, cfg)
            assert got == labels._classify_block([a], [b], ta, tb, cfg)
            seen.add(got)
    assert {("paraphrase", "pronoun"), ("paraphrase", "contraction"), ("factual", "negation"),
            ("synonym", "expansion"), ("factual", "date"), ("factual", "name"),
            ("synonym", "function-word"), ("synonym", ""), ("cosmetic", "punctuation")} <= seen


# Words a one-word swap meets: aliases ("us", "usa", "uk", "britain"), shared prefixes of two,
# three, four and more letters, apostrophes and hyphens inside and at the front of the letters,
# stop words, one-letter words.
_SWAP_WORDS = ["us", "usa", "america", "uk", "britain", "un", "eu", "uae", "emirates", "u",
               "russia", "russian", "russ", "rus", "ru", "trump", "trumps", "trum", "gov",
               "govern", "government", "can't", "cant", "cease-fire", "ceasefire", "cease",
               "o'neil", "oneil", "o'n", "on", "one", "the", "they", "a", "ab", "abc", "abcd",
               "abce", "abcde", "abcdf", "abcdx", "-ab", "'ab", "ab-", "x", "é", "ée"]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(_SWAP_WORDS) | st.text("abu'-sr", min_size=1, max_size=7),
       st.sampled_from(_SWAP_WORDS) | st.text("abu'-sr", min_size=1, max_size=7))
def test_word_expansion_is_the_phrase_expansion(a: str, b: str) -> None:
    """_word_expansion of two different words gives _expansion of the one-word phrases."""
    if a != b:
        assert labels._word_expansion(a, b) == labels._expansion((a,), (b,))


def test_word_expansion_cases() -> None:
    assert labels._word_expansion("us", "usa") and labels._word_expansion("usa", "us")
    assert labels._word_expansion("britain", "uk")  # an alias: no letter shared
    assert labels._word_expansion("russia", "russian")  # a stem of six, five letters shared
    assert labels._word_expansion("gove", "government")  # a stem of four, all four shared
    assert not labels._word_expansion("govt", "government")
    assert not labels._word_expansion("trump", "biden")
    assert not labels._word_expansion("a", "ab")  # one letter is no stem


_ANY_TEXTS = [*_WORD_TEXTS, "The U.S. paid $1,000 (about 20%) -- and 3 more; Dr. No's men.",
              "Police said: 'No.' They won't, can't, didn't."]


def test_one_token_for_one_token_is_the_block_label() -> None:
    """classify_pair, the edit labeller's path for one token a side, gives classify_block of
    the one-token lists for words, numbers, abbreviations and marks alike."""
    cfg = ExplainConfig()
    toks = [(t, text) for text in _ANY_TEXTS for t in tokenize(text)]
    kinds = set()
    for a, ta in toks:
        for b, tb in toks[::2]:
            kinds.add((a.kind, b.kind))
            assert labels.classify_pair(a, b, ta, tb, cfg) == \
                labels._classify_block([a], [b], ta, tb, cfg)
    assert {("word", "word"), ("num", "word"), ("abbr", "word"), ("punct", "num")} <= kinds
    none = replace(cfg, max_synonym_tokens=0)
    a, b = tokenize("crowd")[0], tokenize("throng")[0]
    assert labels.classify_pair(a, b, "crowd", "throng", none) == \
        labels._classify_block([a], [b], "crowd", "throng", none)
