"""The compiled word path (``unspun._wordkeys``) gives exactly what the Python gives.

Each comparison runs the same text through :mod:`unspun.align.vectors` twice, once with the
compiled twins and once with them switched off: word forms, bags (inside and outside
quotes), source halves and word ids must be equal, in the same order.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun import _native
from unspun.align import vectors
from unspun.config import AlignConfig
from unspun.data import Sentence, Span
from unspun.text import tokens
from unspun.text.quotes import closed_quotes
from unspun.text.sentences import StoredSentences, split_sentences
from unspun.text.tokens import _WORD_RE

wordkeys = pytest.importorskip("unspun._wordkeys")
_EXAMPLES = int(os.environ.get("SPEEDUPS_EXAMPLES", "400"))
# Tests that call the module itself need the set-up calls its users make on import, which
# UNSPUN_PURE_PYTHON=1 skips.
_set_up = pytest.mark.skipif(_native.wordkeys is None,
                             reason="the extension is off (UNSPUN_PURE_PYTHON)")

# What the word pattern and the keys look at: digits and number separators, dotted
# abbreviations, apostrophes (straight and curly) and hyphens inside words, stop words and
# capitals (first in a sentence or not), stemmed endings ('s, -ing, -ed, -es, -s, too short
# to strip), quotes of every kind, "_", and letters and numerals beyond ASCII (accents that
# NFKD strips, "ß", "İ" whose lower() is longer, "²" and "Ⅻ" that are letters to the
# pattern but digits or numerals to str, decimal digits of other scripts).
_PIECES = ["the", "The", "said", "Said", "He", "he", "word", "Word", "talks", "talking",
           "accused", "accuses", "goes", "bus", "is", "its", "it's", "it’s", "Obama's",
           "don't", "don’t", "n't", "cease-fire", "Cease-Fire", "-", "--", "'", "’", "‘", "“",
           "”", '"', "«", "»", "U.S.", "u.s.", "U.S", "A.B.C.", "e.g.", "Mr.", "No.", "2016",
           "1,000", "3.5", "10:30", "20%", "5.", ",", ".", ":", "%", "1,", "x", "Z", "s", "ing",
           "_", "__init__", "a_b", " ", "  ", "\n", "\t", "\xa0", "!", "?", "(", ")", "É",
           "émile", "Émile", "café", "Straße", "İstanbul", "ΣΟΦΙΑ", "東京", "Ⅻ", "²", "½",
           "٣", "१२", "…", "—", "–", "😀", "a" * 70, "B" * 65 + "s", "7" * 80]
_texts = st.lists(st.sampled_from(_PIECES), max_size=50).map("".join)
_any_text = st.one_of(_texts, _texts.map(lambda t: t.replace(" ", "")), st.text(max_size=60))
_weighs = st.sampled_from([AlignConfig(), AlignConfig(stop_weight=0.0),
                           AlignConfig(stop_weight=2.0, word_weight=0.5, name_weight=-1.0)])


@contextmanager
def _python() -> Iterator[None]:
    """vectors with its compiled twins switched off."""
    saved = vectors._sentence_bag, vectors._source_rows
    vectors._sentence_bag = vectors._source_rows = None
    try:
        yield
    finally:
        vectors._sentence_bag, vectors._source_rows = saved


def _sentences(text: str, cuts: list[int]) -> list[Sentence]:
    """Sentences at ``cuts`` (sorted offsets), gaps and empty ones included."""
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    return [Sentence(i, Span(a, b), text[a:b]) for i, (a, b) in
            enumerate(zip(bounds, bounds[1:], strict=False)) if i % 3 != 2]


def _same_bags(got: list[vectors.SentenceBag], want: list[vectors.SentenceBag]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert list(g.weights.items()) == list(w.weights.items())
        assert list(g.outside.items()) == list(w.outside.items())
        assert (g.outside is g.weights) == (w.outside is w.weights)
        assert (g.words, g.total, g.outside_total) == (w.words, w.total, w.outside_total)


def _same_side(got: vectors.SourceSide, want: vectors.SourceSide) -> None:
    assert got.keys == want.keys
    for a, b in ((got.rows, want.rows), (got.weights, want.weights),
                 (got.totals, want.totals)):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()
        assert a.flags.writeable


def _suspect_side_by_cell(suspect: list[vectors.SentenceBag]) -> vectors.SuspectSide:
    """suspect_side as it was written before, one cell at a time: the reference."""
    vocab: dict[str, int] = {}
    for bag in suspect:
        for key in bag.weights:
            vocab.setdefault(key, len(vocab))
    a = np.zeros((len(suspect), max(1, len(vocab))), dtype=np.float32)
    a_out = np.zeros_like(a)
    for i, bag in enumerate(suspect):
        for key, w in bag.weights.items():
            a[i, vocab[key]] = w
        for key, w in bag.outside.items():
            a_out[i, vocab[key]] = w
    return vectors.SuspectSide(list(vocab), vocab, a, a_out, (a > 0).astype(np.float32),
                               a.sum(axis=1)[:, None], a_out.sum(axis=1)[:, None])


def _same_suspect_side(got: vectors.SuspectSide, want: vectors.SuspectSide) -> None:
    assert got.vocab == want.vocab and list(got.columns.items()) == list(want.columns.items())
    for name in ("a", "a_out", "a_seen", "a_tot", "out_tot"):
        x, y = getattr(got, name), getattr(want, name)
        assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()


def test_the_extension_is_in_use() -> None:
    if os.environ.get("UNSPUN_PURE_PYTHON"):
        pytest.skip("pure Python asked for")
    assert _native.wordkeys is wordkeys
    assert vectors._sentence_bag is wordkeys.sentence_bag
    assert vectors._source_rows is wordkeys.source_rows
    assert tokens._forms is wordkeys.forms
    assert tokens._tokens is wordkeys.tokens


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.data())
def test_forms_match_the_word_pattern(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=-3, max_value=len(text) + 2))
    end = data.draw(st.integers(min_value=-3, max_value=len(text) + 3))
    assert wordkeys.forms(text, start, end) == _WORD_RE.findall(text, start, end)
    assert tokens.word_forms(text, start, end) == _WORD_RE.findall(text, start, end)
    assert tokens.word_forms(text, start) == _WORD_RE.findall(text, start, len(text))
    assert tokens.word_forms(text) == _WORD_RE.findall(text)


def _python_tokenize(text: str, start: int = 0, end: int | None = None) -> list[tokens.Token]:
    saved = tokens._tokens
    tokens._tokens = None
    try:
        return tokens.tokenize(text, start, end)
    finally:
        tokens._tokens = saved


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.data())
def test_tokenize_matches_python(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text) + 2))
    end = data.draw(st.one_of(st.none(), st.integers(min_value=-3, max_value=len(text) + 3)))
    got = tokens.tokenize(text, start, end)
    assert got == _python_tokenize(text, start, end)
    assert all(type(t) is tokens.Token for t in got)
    assert tokens.tokenize(text) == _python_tokenize(text)


@_set_up
@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.data())
def test_norms_match_python(text: str, data: st.DataObject) -> None:
    """``words`` (compiled) gives the Python twin's norms, which are tokenize's but
    punctuation, for the whole text and for a part of it."""
    assert tokens.words(text) == tokens._words(text)
    assert tokens.words(text) == [t.norm for t in _python_tokenize(text) if t.kind != "punct"]
    start = data.draw(st.integers(min_value=0, max_value=len(text) + 2))
    end = data.draw(st.one_of(st.none(), st.integers(min_value=-3, max_value=len(text) + 3)))
    assert wordkeys.norms(text, start, end) == [
        t.norm for t in _python_tokenize(text, start, end) if t.kind != "punct"]


@_set_up
def test_norms_cases() -> None:
    text = "“U.S. don’t” – İSTANBUL’s 1,000.5% café_x «É.Ü.» ′ " + "A" * 70
    assert tokens.words(text) == ["us", "don't", "istanbul's", "1000.5%", "cafe", "x", "éü",
                                  "a" * 70]
    assert tokens.words(text) == tokens._words(text)
    with pytest.raises(ValueError):
        wordkeys.norms(text, -1)
    assert wordkeys.norms(text, 6, 11) == ["don't"]


@_set_up
def test_tokenize_cases() -> None:
    text = "“U.S. don’t” – İSTANBUL’s 1,000.5% café_x «É.Ü.» ′"
    got = tokens.tokenize(text, 0)
    assert got == _python_tokenize(text)
    assert [(t.norm, t.kind) for t in got][:6] == [('"', "punct"), ("us", "abbr"),
                                                   ("don't", "word"), ('"', "punct"),
                                                   ("–", "punct"), ("istanbul's", "word")]
    assert got[1].start == 1 and got[1].end == 5 and got[1].is_word
    with pytest.raises(ValueError):
        wordkeys.tokens(text, -1)
    assert tokens.tokenize(text, -4) == _python_tokenize(text, -4)  # the Python path


def test_forms_over_every_code_point() -> None:
    """Each character alone, after a letter, between digits and after a letter and a dot (and
    tokenized after a letter)."""
    # Planes 0-2 whole (every script, digit and mark); past them, mostly unassigned or CJK
    # letters, every 37th.
    chars = [chr(c) for c in [*range(0x30000), *range(0x30000, sys.maxunicode + 1, 37)]
             if not 0xD800 <= c < 0xE000]
    for pattern in ("{} ", "a{} ", "1{}2 ", "a.{}. ", "x-{} "):
        text = "".join(pattern.format(c) for c in chars)
        assert wordkeys.forms(text, 0, len(text)) == _WORD_RE.findall(text)
        if pattern == "a{} ":  # each character as a token of its own, or part of a word
            assert tokens.tokenize(text) == _python_tokenize(text)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.lists(st.integers(min_value=0, max_value=120), max_size=6), _weighs)
def test_bags_and_sides_match_python(text: str, cuts: list[int], config: AlignConfig) -> None:
    sentences = _sentences(text, cuts)
    got = vectors.bags(text, sentences, config)
    side = vectors.document_source_side(text, sentences, config)
    with _python():
        want = vectors.bags(text, sentences, config)
        want_side = vectors.document_source_side(text, sentences, config)
    _same_bags(got, want)
    _same_suspect_side(vectors.suspect_side(got), _suspect_side_by_cell(want))
    _same_side(side, want_side)
    _same_side(vectors.source_side(got), want_side)
    assert np.array_equal(vectors.word_ids(side.keys), vectors.word_ids(want_side.keys))


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_texts, st.data())
def test_quoted_parts_match_python(text: str, data: st.DataObject) -> None:
    """The part outside quotes, with the quotes found and with arbitrary regions."""
    sentences = split_sentences(text) or _sentences(text, [])
    quoted = closed_quotes(text, [s.span for s in sentences])
    bounds = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=len(text)),
                                       max_size=6)))
    regions = list(zip(bounds[::2], bounds[1::2], strict=False))
    config = AlignConfig()
    for given_regions in (None, regions):
        got = vectors.bags(text, sentences, config, quoted=given_regions)
        with _python():
            want = vectors.bags(text, sentences, config, quoted=given_regions)
        _same_bags(got, want)
        _same_suspect_side(vectors.suspect_side(got), _suspect_side_by_cell(want))
    assert vectors.bags(text, sentences, config) is not None
    assert quoted == closed_quotes(text, [s.span for s in sentences])


def test_known_keys() -> None:
    """The classes and keys a reader would give (and the Python gives)."""
    text = "Talks between the U.S. and Obama's aides, don’t-stop, went on 1,000 times."
    bag = vectors.bags(text, [Sentence(0, Span(0, len(text)), text)], AlignConfig())[0]
    assert bag.weights == {"talk": 1.0, "between": 0.25, "the": 0.25, "us": 1.5, "and": 0.25,
                           "obama": 1.5, "aid": 1.0, "don't-stop": 1.0, "went": 1.0,
                           "on": 0.25, "1000": 1.5, "tim": 1.0}
    assert bag.words == 12
    with _python():
        want = vectors.bags(text, [Sentence(0, Span(0, len(text)), text)], AlignConfig())
    _same_bags([bag], want)


@_set_up
def test_many_forms_and_non_float_weights() -> None:
    """The cache grows past its first table; int weights take the Python path (the same)."""
    words = [f"W{i}x{'s' * (i % 3)}" for i in range(40_000)]
    text = " ".join(words)
    sentences = [Sentence(i, Span(a, a + 600), text[a:a + 600])
                 for i, a in enumerate(range(0, len(text), 600))]
    for config in (AlignConfig(), AlignConfig(stop_weight=0, word_weight=1, name_weight=2)):
        got = vectors.document_source_side(text, sentences, config)
        with _python():
            want = vectors.document_source_side(text, sentences, config)
        _same_side(got, want)
    assert wordkeys.cache_size() >= 20_000


@_set_up
def test_arguments_are_checked() -> None:
    with pytest.raises(TypeError):
        wordkeys.sentence_bag("a b", 0, 3, (1.0, 1.0), [])
    with pytest.raises(TypeError):
        wordkeys.sentence_bag("a b", 0, 3, (1.0, 1.0, 1), [])
    with pytest.raises(TypeError):
        wordkeys.sentence_bag("a b", 0, 3, (1.0, 1.0, 1.0), [(0,)])
    assert wordkeys.sentence_bag("a b", 0, 3, (1.0, 1.0, 1.0), [[0, 1]]) == (
        {"a": 1.0, "b": 1.0}, {"b": 1.0}, 2)
    with pytest.raises(TypeError):
        wordkeys.forms("a b", 0, "3")
    with pytest.raises(AttributeError):
        wordkeys.source_rows("a b", [object()], (1.0, 1.0, 1.0))
    assert wordkeys.sentence_bag("a b", 2, 99, (1.0, 1.0, 1.0), []) == ({"b": 1.0},) * 2 + (1,)


def test_pure_python_on_request() -> None:
    code = ("from unspun import _native; from unspun.align import vectors; "
            "from unspun.text import tokens; "
            "print(_native.wordkeys, vectors._sentence_bag, vectors._source_rows, tokens._forms, "
            "tokens._tokens, tokens._norms)")
    env = {**os.environ, "UNSPUN_PURE_PYTHON": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["None"] * 6


def test_word_pattern_is_the_one_compiled() -> None:
    """The compiled matcher copies this pattern: a change to it must be made in C too."""
    assert _WORD_RE.pattern == (r"(?=\w)(?:\d+(?:[.,:]\d+)*%?|(?:[^\W\d_]\.){2,}|"
                                r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*)")
    assert re.compile(_WORD_RE.pattern).findall("U.S. don’t 1,5%") == ["U.S.", "don’t", "1,5%"]


@contextmanager
def _python_hits() -> Iterator[None]:
    """vectors.source_hits with its compiled twin switched off."""
    saved = vectors._source_hits_c, vectors._source_rows
    vectors._source_hits_c = vectors._source_rows = None
    try:
        yield
    finally:
        vectors._source_hits_c, vectors._source_rows = saved


def _same_arrays(got: tuple[np.ndarray, ...], want: tuple[np.ndarray, ...]) -> None:
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _same_kernel(got: vectors.Kernel, want: vectors.Kernel) -> None:
    for name in ("a", "a_out", "b", "b_tot", "contain", "dice", "contain_out", "covered"):
        x, y = getattr(got, name), getattr(want, name)
        assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes(), name


def _hits_case(suspect: str, texts: list[str], cuts: list[list[int]], config: AlignConfig
               ) -> tuple[vectors.SuspectSide, list[list[Sentence]]]:
    side = vectors.suspect_side(vectors.bags(suspect, _sentences(suspect, []), config))
    return side, [_sentences(t, c) for t, c in zip(texts, cuts, strict=True)]


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.lists(st.tuples(_any_text, st.lists(st.integers(0, 120), max_size=5)),
                           max_size=4), _weighs)
def test_source_hits_match_python_and_the_joined_halves(
        suspect: str, docs: list[tuple[str, list[int]]], config: AlignConfig) -> None:
    """The compiled hits are the Python twin's, and both are the joined source halves
    filtered to the suspect's words; their kernel is the joined halves' kernel."""
    texts = [t for t, _ in docs]
    side, sentences = _hits_case(suspect, texts, [c for _, c in docs], config)
    got = vectors.source_hits(texts, sentences, side, config)
    with _python_hits():
        want = vectors.source_hits(texts, sentences, side, config)
        joined = vectors.join_sources([vectors.document_source_side(t, s, config)
                                       for t, s in zip(texts, sentences, strict=True)]
                                      or [vectors.source_side([])])
    _same_arrays(got, want)
    # an index's documents give their stored spans (no Sentence made): the same arrays
    stored: list[Sequence[Sentence]] = [
        StoredSentences(t, array("i", [x for s in ss for x in (s.span.start, s.span.end)])
                        .tobytes()) for t, ss in zip(texts, sentences, strict=True)]
    _same_arrays(vectors.source_hits(texts, stored, side, config), want)
    with _python_hits():
        _same_arrays(vectors.source_hits(texts, stored, side, config), want)
    cols = np.array([side.columns.get(k, -1) for k in joined.keys], dtype=np.int64)
    keep = cols >= 0
    assert got[0].tolist() == cols[keep].tolist()
    assert got[1].tolist() == joined.rows[keep].tolist()
    assert got[2].tobytes() == joined.weights[keep].tobytes()
    assert got[3].tobytes() == joined.totals.tobytes()
    if len(side.a) and len(joined.totals):
        _same_kernel(vectors.documents_kernel(side, texts, sentences, config),
                     vectors.kernel(side, joined))


def test_source_hits_refuse_partial_span_pairs() -> None:
    """Stored spans are whole int32 pairs: a partial one is refused, not read past."""
    config = AlignConfig()
    side = vectors.suspect_side(vectors.bags("Talks went on.", _sentences("Talks went on.", []),
                                             config))
    with pytest.raises(ValueError):
        vectors._source_hits_c(["Talks went on."], [b"\0" * 12], vectors.class_weights(config),
                               side.columns, side.a.shape[1])


def test_source_hits_of_shared_words() -> None:
    """A suspect sharing words with two documents: each sentence's entries are its distinct
    keys the suspect has (largest weight, first seen first), rows numbered on across them."""
    config = AlignConfig()
    suspect = "The Talks in Geneva went on."
    side = vectors.suspect_side(vectors.bags(suspect, _sentences(suspect, []), config))
    texts = ["Talks talk the THE Geneva. Nothing here", "went to Geneva, talks"]
    sentences = [[Sentence(i, Span(a, b), texts[0][a:b])
                  for i, (a, b) in enumerate([(0, 10), (11, 26), (27, 39)])],
                 [Sentence(0, Span(0, 21), texts[1])]]
    cols, rows, weights, totals = vectors.source_hits(texts, sentences, side, config)
    col = side.columns
    assert cols.tolist() == [col["talk"], col["the"], col["geneva"], col["went"],
                             col["geneva"], col["talk"]]
    assert rows.tolist() == [0, 1, 1, 3, 3, 3]
    assert weights.tolist() == [1.0, 0.25, 1.5, 1.0, 1.5, 1.0]
    # Words the suspect lacks count in their rows' totals ("nothing", "here", "to").
    assert totals.tolist() == [1.0, 1.75, 1.25, 3.75]


@_set_up
def test_source_hits_over_long_sentences_and_a_full_cache() -> None:
    """One sentence of more distinct keys than the cache holds (it starts again midway), its
    first key met again at its end in other forms; and sentences past the one-by-one
    search. The compiled hits equal the Python's."""
    config = AlignConfig()

    def word(i: int) -> str:
        out = "q"
        while i:
            i, r = divmod(i, 26)
            out += chr(97 + r)
        return out

    words = [word(i) for i in range(1, 420_001)]
    huge = "Talks " + " ".join(words) + " talks TALKS talk."
    many = " ".join(f"{word(i)} {word(i % 50)}" for i in range(1, 400)) + "."
    suspect = "Talks " + " ".join(words[::997]) + " " + " ".join(word(i) for i in range(60))
    side = vectors.suspect_side(vectors.bags(suspect, _sentences(suspect, []), config))
    texts = [huge, many]
    sentences = [_sentences(huge, []), _sentences(many, [])]
    got = vectors.source_hits(texts, sentences, side, config)
    with _python_hits():
        want = vectors.source_hits(texts, sentences, side, config)
    _same_arrays(got, want)
    assert got[0].tolist().count(side.columns["talk"]) == 1
    assert len(got[3]) == 2 and wordkeys.cache_size() < 420_000


@_set_up
def test_source_hits_arguments_are_checked() -> None:
    weigh = (0.25, 1.0, 1.5)
    sents = [Sentence(0, Span(0, 3), "a b")]
    with pytest.raises(ValueError):
        wordkeys.source_hits(["a b"], [], weigh, {}, 1)
    with pytest.raises(TypeError):
        wordkeys.source_hits([b"a b"], [sents], weigh, {}, 1)
    with pytest.raises(TypeError):
        wordkeys.source_hits(["a b"], [sents], (1.0, 1.0, 1), {}, 1)
    with pytest.raises(ValueError):
        wordkeys.source_hits(["a b"], [sents], weigh, {"a": 1}, 1)
    with pytest.raises(TypeError):
        wordkeys.source_hits(["a b"], [sents], weigh, {1: 0}, 1)
    with pytest.raises(AttributeError):
        wordkeys.source_hits(["a b"], [[object()]], weigh, {}, 1)
    cols, rows, cells, sums = wordkeys.source_hits(["a b"], [sents], weigh, {"b": 0}, 1)
    assert (bytes(cols), bytes(rows)) == (np.int32(0).tobytes(), np.int32(0).tobytes())
    assert np.frombuffer(sums, dtype=np.float32).tolist() == [1.25]  # "a" is a stop word


def _all_twins_agree(texts: list[str], sentences: list[list[Sentence]], suspect: str,
                     config: AlignConfig) -> None:
    """Bags, source halves and hits of ``texts``: the compiled ones are the Python twin's."""
    side = vectors.suspect_side(vectors.bags(suspect, _sentences(suspect, []), config))
    got = vectors.source_hits(texts, sentences, side, config)
    with _python_hits():
        want = vectors.source_hits(texts, sentences, side, config)
    _same_arrays(got, want)
    for text, sents in zip(texts, sentences, strict=True):
        bags = vectors.bags(text, sents, config)
        half = vectors.document_source_side(text, sents, config)
        with _python():
            _same_bags(bags, vectors.bags(text, sents, config))
            _same_side(half, vectors.document_source_side(text, sents, config))


@_set_up
def test_packed_forms_of_every_length_near_and_far_from_the_end() -> None:
    """Forms of 1 to 18 characters (the cache holds up to 16), capitalised or not, with a
    curly apostrophe, ending their text or not, followed by characters past ASCII that are
    no letters, in texts of one, two and four bytes a character: a form of a one-byte text
    is read 16 bytes at once when 16 remain (the bytes past it masked off), else one by
    one, and either must key it as the Python twin does."""
    config = AlignConfig()
    letters = "talkingsaidwordsqx"
    forms = [w for n in range(1, 19)
             for w in (letters[:n], letters[:n].capitalize(), letters[:n].upper())]
    forms += ["don’t", "Obama’s", "it’s", "a’b", "x’" + "y" * 14, "x’" + "y" * 13]
    tails = ["", "\xa0", "\xa0" + "z" * 20, "«x»", " ×" + "b" * 15, "." * 17, "é" * 3]
    wide = {"one": "", "two": " —", "four": " 😀"}
    texts = [f + tail + extra for f in forms for tail in tails for extra in wide.values()]
    texts += ["".join(f + "\xa0" for f in forms), " ".join(forms) + "—", " ".join(forms)]
    suspect = " ".join(forms[::2])
    sentences = [_sentences(t, [len(t) // 2]) for t in texts]
    _all_twins_agree(texts, sentences, suspect, config)


class _OwnSentence:
    """A sentence of no slots: ``span`` in its instance dict."""

    def __init__(self, span: object) -> None:
        self.span = span


class _LateSpan:
    """A span whose ends are properties (read through getattr)."""

    def __init__(self, start: int, end: int) -> None:
        self._ends = (start, end)

    @property
    def start(self) -> int:
        return self._ends[0]

    @property
    def end(self) -> int:
        return self._ends[1]


class _Shifted(Sentence):
    """A Sentence whose ``span`` is a property over its slot: getattr must win."""

    __slots__ = ()

    @property  # type: ignore[misc]
    def span(self) -> Span:  # type: ignore[override]
        return Span(0, 3)


def _shifted(index: int, start: int, end: int, text: str) -> Sentence:
    """A _Shifted whose slot holds Span(start, end)."""
    sentence = Sentence(index, Span(start, end), text)
    object.__setattr__(sentence, "__class__", _Shifted)
    return sentence


@_set_up
def test_source_hits_read_spans_of_any_kind_of_sentence() -> None:
    """Sentences read from their slots (a dataclass's, one made by sentence_at), from an
    instance dict, through properties, and of a subclass overriding ``span``, mixed in one
    document and from one document to the next: the spans read are the ones getattr gives,
    so the hits are the Python twin's."""
    from unspun.data import sentence_at

    config = AlignConfig()
    text = "Talks went on. The ceasefire held in Geneva. Nothing else said today."
    cuts = [(0, 14), (15, 44), (45, 69)]
    kinds = [lambda i, a, b: Sentence(i, Span(a, b), text[a:b]),
             lambda i, a, b: sentence_at(i, a, b, text[a:b]),
             lambda i, a, b: _OwnSentence(Span(a, b)),
             lambda i, a, b: _OwnSentence(_LateSpan(a, b)),
             lambda i, a, b: _shifted(i, a, b, text[a:b])]
    docs = [[kinds[(d + i) % len(kinds)](i, a, b) for i, (a, b) in enumerate(cuts)]
            for d in range(2 * len(kinds))]
    _all_twins_agree([text] * len(docs), docs, "Talks in Geneva held; nothing said.", config)
    # _Shifted's span is (0, 3) ("Tal"), not its slot's: the rows say so
    side = vectors.suspect_side(vectors.bags("Tal", _sentences("Tal", []), config))
    cols, rows, _, _ = vectors.source_hits([text], [[_shifted(0, 0, 14, text)]], side,
                                           config)
    assert cols.tolist() == [side.columns["tal"]] and rows.tolist() == [0]
    with pytest.raises(AttributeError):
        vectors.source_hits([text], [[_OwnSentence(object())]], side, config)


@_set_up
def test_source_hits_columns_of_one_call_only() -> None:
    """The cache keeps a word's column for the call at hand: across more calls than its
    stamp counts (255), with suspects that give the same words other columns (or none),
    every call's hits are the Python twin's."""
    config = AlignConfig()
    text = "Talks went on in Geneva. The ceasefire held, officials said. Talks resumed."
    sentences = [_sentences(text, [25, 60])]
    suspects = ["Geneva talks went on.", "The ceasefire held in Geneva, officials said.",
                "Nothing in common here.", "Officials said talks resumed."]
    sides = [vectors.suspect_side(vectors.bags(s, _sentences(s, []), config)) for s in suspects]
    with _python_hits():
        want = [vectors.source_hits([text], sentences, side, config) for side in sides]
    for call in range(600):
        k = call % len(sides) if call % 7 else (call // 7) % len(sides)
        _same_arrays(vectors.source_hits([text], sentences, sides[k], config), want[k])
