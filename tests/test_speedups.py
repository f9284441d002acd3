"""The compiled kernels (``unspun._speedups``) give exactly what their pure-Python twins give.

The index must not depend on whether the extension was built, so each kernel is compared
with its twin on random Unicode text built from the characters its rules look at.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun import _native, fingerprint
from unspun.clean import lines, rules
from unspun.config import FingerprintConfig
from unspun.data import Sentence, Span
from unspun.fingerprint import bytetok
from unspun.index import merge, records, segments
from unspun.text import quotes, sentences, tokens
from unspun.text.sentences import split_sentences

speedups = pytest.importorskip("unspun._speedups")
#: Examples per comparison: raise it for a long check (``SPEEDUPS_EXAMPLES=20000 pytest ...``).
_EXAMPLES = int(os.environ.get("SPEEDUPS_EXAMPLES", "400"))
# Tests that call the module itself need the set-up calls its users make on import, which
# UNSPUN_PURE_PYTHON=1 skips.
_set_up = pytest.mark.skipif(_native.speedups is None,
                             reason="the extension is off (UNSPUN_PURE_PYTHON)")


def test_the_extension_is_in_use() -> None:
    """setup.py built it (this machine class has a C compiler), and the modules use it."""
    if os.environ.get("UNSPUN_PURE_PYTHON"):
        pytest.skip("pure Python asked for")
    assert _native.speedups is speedups
    assert bytetok._tokenize_parts is speedups.tokenize_parts
    assert sentences._split_spans is speedups.split_spans
    assert rules._hints_present is speedups.hints_present
    assert quotes._quote_groups is speedups.quote_groups
    assert fingerprint._gram_pairs is speedups.gram_pairs
    assert sentences._add_sentences is speedups.add_sentences
    assert lines._split_lines is speedups.split_lines
    assert segments._encode_blocks is speedups.encode_blocks
    assert segments._decode_blocks is speedups.decode_blocks
    assert merge._merge_runs is speedups.merge_runs
    assert records._span_bytes is speedups.span_bytes


# Pieces the rules look at: marks, closers, openers, joiners, number separators, spaces of
# every kind, bullets, symbols of Latin-1 and General Punctuation, letters beyond ASCII
# (whose lower() is longer, "İ"), numerals that are alphanumeric but no digit ("Ⅻ", "²").
_PIECES = ["word", "Word", "the", "U.S.", "Mr.", "Dr", "No.", "Jan.", "e.g.", "A.", "Plan",
           "B.", "in", "2010", "3.5", "1,000", "10:30", "don't", "cease-fire", "it’s", ".",
           "..", "!", "?", "?!", "'", '"', "’", "”", "‘", "“", ")", "(", "]", "[", ",", ";",
           ":", "-", "*", "•", "_", " ", " ", " ", "  ", "\n", "\n\n", "\n \n", "\t", "\r",
           "\x0b", "\x0c", "\x85", "\xa0", "\u2003", "\u2028", "\u3000", "É", "émile", "Straße",
           "İstanbul", "ΣΟΦΙΑ", "σοφία", "東京", "Ⅻ", "²", "½", "«", "»", "…", "—", "–", "€",
           "©", "😀", "\x00", "x", "Z", "0"]
_texts = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
_any_text = st.one_of(_texts, st.text(max_size=80))


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.lists(st.one_of(_any_text, st.sampled_from(["\ud83d\ude00", "a\udcffb\x00", "\u2018x\u2019"])),
                max_size=6))
def test_tokenize_bytes_matches_numpy(parts: list[str]) -> None:
    raw = bytetok._encode(parts)
    want = bytetok._tokenize_raw(raw, len(parts) + 1 + sum(map(len, parts)))
    got = bytetok.tokenize_sentences(parts)
    assert got.hashes.dtype == want.hashes.dtype and got.sentence.dtype == want.sentence.dtype
    np.testing.assert_array_equal(got.hashes, want.hashes)
    np.testing.assert_array_equal(got.sentence, want.sentence)
    np.testing.assert_array_equal(got.capital, want.capital)
    np.testing.assert_array_equal(got.digit, want.digit)
    # The compiled encoding is _encode's, byte for byte (NULs, curly apostrophes, surrogates).
    assert speedups.tokenize_parts(parts) == speedups.tokenize_bytes(raw)


def test_tokenize_parts_checks_its_argument() -> None:
    with pytest.raises(TypeError):
        speedups.tokenize_parts(("a", "b"))
    with pytest.raises(TypeError):
        speedups.tokenize_parts(["a", b"b"])
    assert bytetok.tokenize_sentences(("It\u2019s", "x")).hashes.tolist() == \
        bytetok.tokenize_sentences(["It's", "x"]).hashes.tolist()


def test_tokenize_bytes_known_tokens() -> None:
    toks = bytetok.tokenize_sentences(["The U.S. paid 1,000", "", "don’t — Émile"])
    assert toks.sentence.tolist() == [0, 0, 0, 0, 2, 2]
    assert toks.capital.tolist() == [True, True, False, False, False, False]
    assert toks.digit.tolist() == [False, False, False, True, False, False]
    assert int(toks.hashes[0]) == bytetok.token_hash("the")
    assert int(toks.hashes[4]) == bytetok.token_hash("don't")


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.data(), st.integers(min_value=1, max_value=50))
def test_split_spans_matches_python(text: str, data: st.DataObject, longest: int) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    abbreviations = sentences._model().abbreviations
    for limit in (longest, len(text) + 1):
        args = (text, start, end, abbreviations, sentences._after_abbreviation, limit)
        assert speedups.split_spans(*args) == sentences._split_region(*args)


def test_split_spans_cases() -> None:
    text = "He met Mr. Smith. The U.S. Army left.\n\n- one item\n- two items! Yes? no."
    got = [s.text for s in split_sentences(text)]
    assert got == ["He met Mr. Smith.", "The U.S. Army left.", "- one item", "- two items!",
                   "Yes? no."]
    # Long sentences come back unstripped with ~end, for _chunks.
    args = ("  abc def.  ", 0, 12, frozenset(), sentences._after_abbreviation, 5)
    assert speedups.split_spans(*args) == sentences._split_region(*args) == [0, ~10]


def test_split_spans_errors_propagate() -> None:
    def boom(*args: object) -> bool:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):  # "A." is an initial
        speedups.split_spans("A. B c", 0, 6, frozenset(), boom, 10)
    with pytest.raises(RuntimeError):  # "mr." is a known abbreviation
        speedups.split_spans("see mr. Brown", 0, 13, frozenset({"mr"}), boom, 10)
    with pytest.raises(RuntimeError):  # a dotted abbreviation before a closing quote
        speedups.split_spans('the "U.S." Army', 0, 15, frozenset(), boom, 10)
    with pytest.raises(ValueError):
        speedups.split_spans("abc", 2, 9, frozenset(), boom, 10)


def test_pure_python_fallback_gives_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Dr. Who said it. In 2010. It rose 3.5%!\n\nNew para…  “Quoted.” End"
    parts = ["Dr. Who said it.", "It’s É 2010"]
    with_c = split_sentences(text, max_chars=12), bytetok.tokenize_sentences(parts)
    monkeypatch.setattr(sentences, "_split_spans", None)
    monkeypatch.setattr(bytetok, "_tokenize_parts", None)
    without = split_sentences(text, max_chars=12), bytetok.tokenize_sentences(parts)
    assert with_c[0] == without[0]
    np.testing.assert_array_equal(with_c[1].hashes, without[1].hashes)


_HINT_PIECES = sorted({h for group in (*rules._LINE_ERROR_BYTES, *rules._STRONG_BYTES,
                                       rules._INLINE_BYTES) for h in group})


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_HINT_PIECES),
                          st.sampled_from(_HINT_PIECES).map(lambda h: h[:-1]),
                          st.binary(max_size=6),
                          st.text(max_size=8).map(lambda t: t.encode("utf-8", "surrogatepass"))),
                max_size=30).map(b"".join))
def test_hints_present_matches_python(data: bytes) -> None:
    assert rules._HINTS.present(data) == rules._HINTS.present_py(data)


def test_hints_present_finds_each_hint() -> None:
    for hint in _HINT_PIECES:
        data = b"xx " + hint + b" yy"
        assert hint in rules._HINTS.present(data)
        assert rules._HINTS.present(data) == rules._HINTS.present_py(data)
    assert rules._HINTS.present(b"") == set()


def test_pure_python_on_request() -> None:
    """UNSPUN_PURE_PYTHON=1 makes every module take its pure-Python path."""
    code = ("from unspun import _native; from unspun.fingerprint import bytetok; "
            "from unspun.text import quotes, sentences; from unspun.clean import rules; "
            "from unspun import fingerprint; "
            "print(_native.speedups, bytetok._tokenize_parts, sentences._split_spans, "
            "rules._hints_present, quotes._quote_groups, fingerprint._gram_pairs, "
            "sentences._add_sentences); from unspun.clean import lines; "
            "print(lines._split_lines, quotes._span_groups)")
    env = {**os.environ, "UNSPUN_PURE_PYTHON": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["None"] * 9


# What the quote pairing looks at: every double mark, what may stand before or after one
# (brackets, dashes, slashes, sentence ends before a capital or an opening mark), letters and
# digits (a span needs one), and every kind of space and line break (paragraphs, blank lines).
_QUOTE_PIECES = ['"', "“", "”", "„", "«", "»", "'", "word", "Word",
                 "He", "said", "5", "x", ".", ",", "!", "?", "…", ";", ":", "(", ")", "[",
                 "]", "{", "}", "-", "–", "—", "/", " ", "  ", "\n", "\n\n",
                 "\n \n", "\t", "\xa0", "\u2003", "\u2028", "\x85", "\r", "É", "é",
                 "²", "Ⅷ", "東", "😀", "_", "\x00"]
_quote_texts = st.one_of(st.lists(st.sampled_from(_QUOTE_PIECES), max_size=60).map("".join),
                         st.text(max_size=60))


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_quote_texts, st.data(), st.booleans())
def test_quote_groups_matches_python(text: str, data: st.DataObject, closed: bool) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=len(text)), max_size=5)))
    # Regions as cleaning's kept spans give them (in order, apart), or overlapping ones.
    regions = [(0, len(text))] if not cuts else list(zip(cuts[::2], cuts[1::2], strict=False))
    if data.draw(st.booleans()) and len(cuts) > 1:
        regions = [(cuts[0], cuts[-1]), (cuts[0], cuts[1])]
    want = quotes._double_quote_groups(text, regions, closed=closed)
    assert quotes.double_quote_groups(text, regions, closed=closed) == want
    if regions:
        lo, hi = regions[0]
        assert quotes.quoted_regions(text, lo, hi, closed=closed) == [
            (s.start, s.end) for g in quotes._double_quote_groups(text, [(lo, hi)], closed=closed)
            for s in g]


def test_quote_groups_cases() -> None:
    text = '"Peace now," he said. "We will. Stay."\n\n"And more\n\n"Still here." Then peace," he said'
    groups = quotes.double_quote_groups(text, [(0, len(text))])
    assert [[s.of(text) for s in g] for g in groups] == [
        ["Peace now,"], ["We will. Stay."], ["And more", "Still here."]]
    assert groups == quotes._double_quote_groups(text, [(0, len(text))])
    # Regions the compiled twin does not take go to the Python code: the same answer.
    assert quotes.double_quote_groups(text, [[0, len(text)]]) == groups  # type: ignore[list-item]
    assert quotes.double_quote_groups(text, [(0, len(text) + 5)]) == \
        quotes._double_quote_groups(text, [(0, len(text) + 5)])
    with pytest.raises(ValueError):
        speedups.quote_groups(text, [(3, 2)], False)
    with pytest.raises(TypeError):
        speedups.quote_groups(text, [(0, "x")], False)


@_set_up
def test_span_groups_are_the_groups_of_the_flat_list() -> None:
    """The compiled assembly makes the groups ``_groups_of`` makes, of real Spans."""
    from unspun.data import Span

    text = '"Peace now," he said. "We will. Stay."\n\n"And more\n\n"Still here." Then'
    flat = speedups.quote_groups(text, [(0, len(text))], False)
    got = speedups.span_groups(flat)
    assert got == quotes._groups_of(flat) and all(type(s) is Span for g in got for s in g)
    assert speedups.span_groups([2, 1, 3, 5, 5, 0]) == [[Span(1, 3), Span(5, 5)], []]
    assert speedups.span_groups([]) == []
    for bad in ([1, 3, 2], [2, 1, 3], [1, -1, 2], [-1]):
        with pytest.raises(ValueError):
            speedups.span_groups(bad)
    with pytest.raises(TypeError):
        speedups.span_groups([1, 0, "x"])


# Sentences of words, stopwords, names and numbers (anchors), and runs of content words
# (one wildcard per run), short enough that many sentences have fewer tokens than a gram.
_GRAM_WORDS = ["the", "of", "and", "said", "he", "Smith", "Paris", "2010", "3.5", "rain",
               "market", "fell", "sharply", "It", "The", "x", "été", "don’t", "U.S."]
_sentences = st.lists(st.sampled_from(_GRAM_WORDS), max_size=14).map(" ".join)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.lists(st.lists(_sentences, max_size=6), max_size=5), st.booleans(),
       st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=7),
       st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=9),
       st.booleans(), st.integers(min_value=0, max_value=2**32))
def test_gram_pairs_matches_numpy(docs: list[list[str]], every: bool, word_n: int,
                                  skeleton_n: int, opening_n: int, sample: int,
                                  skeleton_min: bool, seed: int) -> None:
    config = FingerprintConfig(word_n=word_n, skeleton_n=skeleton_n, sample=sample, seed=seed,
                               skeleton_min=skeleton_min, opening_n=opening_n)
    parts = [p for doc in docs for p in doc]
    doc_of = np.repeat(np.arange(len(docs), dtype=np.uint64), [len(doc) for doc in docs])
    got = fingerprint._pairs(parts, doc_of, config, every=every)
    grams = fingerprint._grams(parts, config, sample_only=not every, openings=not every)
    want = (doc_of[grams.sentence] << np.uint64(32)) | grams.keys.astype(np.uint64)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(fingerprint.sorted_unique(got), fingerprint.sorted_unique(want))


def test_gram_pairs_checks_its_arguments() -> None:
    hashes, sentence, first = speedups.tokenize_parts(["the rain in Spain", "fell"])
    spec = fingerprint._family_spec(2, 1)
    args = [hashes, sentence, first, np.zeros(2, np.uint64).tobytes(), fingerprint._STOP_TABLE,
            spec, spec, spec, 5, False, False, 1]
    assert len(speedups.gram_pairs(*args)) % 8 == 0
    with pytest.raises(ValueError):  # a sentence number beyond the documents' table
        speedups.gram_pairs(*args[:3], np.zeros(1, np.uint64).tobytes(), *args[4:])
    with pytest.raises(ValueError):
        speedups.gram_pairs(*args[:5], (2, 1, (1,)), *args[6:])
    with pytest.raises(ValueError):
        speedups.gram_pairs(*args[:4], b"short", *args[5:])


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text, st.one_of(st.none(), st.integers(min_value=1, max_value=40)), st.data())
def test_add_sentences_matches_python(text: str, max_chars: int | None,
                                      data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(text)))
    spans = [Span(0, cut), Span(cut, len(text))]
    got = split_sentences(text, spans, max_chars=max_chars)
    want = _python_sentences(text, spans, max_chars)
    assert got == want
    assert all(type(s) is Sentence and type(s.span) is Span for s in got)
    assert [s.index for s in got] == list(range(len(got)))


def _python_sentences(text: str, spans: list[Span], max_chars: int | None) -> list[Sentence]:
    make = sentences._add_sentences
    sentences._add_sentences = None
    try:
        return split_sentences(text, spans, max_chars=max_chars)
    finally:
        sentences._add_sentences = make


@_set_up
def test_add_sentences_checks_its_arguments() -> None:
    out: list[Sentence] = []
    assert speedups.add_sentences("abc def", [0, 3, 4, ~7, 4, 7], 0, out) == 2
    assert out == [Sentence(0, Span(0, 3), "abc")]
    assert speedups.add_sentences("abc def", [0, 3, 4, ~7, 4, 7], 4, out) == 6
    assert out[1] == Sentence(1, Span(4, 7), "def")
    assert hash(out[1]) == hash(Sentence(1, Span(4, 7), "def"))
    with pytest.raises(ValueError):
        speedups.add_sentences("abc", [0, 9], 0, [])
    with pytest.raises(ValueError):
        speedups.add_sentences("abc", [0], 0, [])
    with pytest.raises(TypeError):
        speedups.set_sentence_types(int, str)


# Lines as cleaning splits them: blank lines of spaces of every kind, double spaces, capitals
# beyond ASCII (casefolded apart from ASCII: "ß", "İ", "Σ"), curly quotes and guillemets.
_LINE_PIECES = ["word", "Word", "ÉTÉ", "ß", "İ", "Σ", "’", "“", "”", "«", "»", "\u00a0", " ",
                "  ", "\n", "\n\n", "\n \n", "\t", "\r", "\u2028", "\u3000", "\x1c", "x", "."]


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_LINE_PIECES), max_size=40).map("".join),
                 st.text(max_size=60)))
def test_split_lines_matches_python(text: str) -> None:
    got = lines.split_lines(text)
    assert got == lines.split_lines_py(text)
    assert all(type(ln) is lines.Line for ln in got)


@_set_up
def test_split_lines_checks_its_arguments() -> None:
    with pytest.raises(TypeError):
        speedups.split_lines("a  b", False, lambda s: 5, lines._norm)
    with pytest.raises(ZeroDivisionError):
        speedups.split_lines("É", True, lines.fold_whitespace, lambda s: 1 / 0)
    with pytest.raises(TypeError):
        speedups.set_line_type(int)


# What the token pattern looks at: digits of several scripts and the separators between them
# (".", ",", ":", "%"), dotted letters, apostrophes and hyphens inside words, letters that are
# alphanumeric but no digit ("²", "½", "Ⅻ"), "_" and every kind of space (never in a token),
# marks that fold ("“", "’", "«", "′"), combining accents (punctuation to ``re``), letters whose
# lower() is longer ("İ"), lone surrogates.
_TOKEN_PIECES = ["word", "Word", "U.S.", "U.S.A", "e.g.", "a.b", "A.", ".", "..", "1", "10",
                 "1,000", "3.5", "10:30", "20%", "1.", "1,", ",5", "%", "٣٤", "１",
                 "don't", "it’s", "'s", "cease-fire", "-", "--", "'", "’", "‘", "“", "”", "„",
                 "«", "»", "′", "²", "½", "Ⅻ", "_", "a_b", " ", "  ", "\n", "\t", "\xa0",
                 "\u2003", "\u2028", "\x85", "É", "e\u0301", "İ", "İ.Ş.", "ß", "東京", "😀",
                 "\ud800", "!", "?", ";", "(", ")", "—", "€", "\x00", "x", "Z", "0"]
_token_texts = st.one_of(st.lists(st.sampled_from(_TOKEN_PIECES), max_size=50).map("".join),
                         st.text(max_size=60))


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_token_texts, st.data())
def test_compiled_tokenize_matches_python(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    got = tokens.tokenize(text, start, end)
    assert got == tokens._tokenize(text, start, end)
    assert all(type(t) is tokens.Token for t in got)
    assert tokens.tokenize(text) == tokens._tokenize(text)


def test_compiled_tokenize_cases() -> None:
    text = "The U.S.A. paid 1,000.5% for “it’s” ½-price cease-fire_x."
    got = tokens.tokenize(text, 4)
    assert got == tokens._tokenize(text, 4)
    assert [(t.norm, t.kind) for t in got[:4]] == [("usa", "abbr"), ("paid", "word"),
                                                   ("1000.5%", "num"), ("for", "word")]
    assert [t.norm for t in got[4:8]] == ['"', "it's", '"', "1\u20442-price"]  # NFKD of ½
    assert tokens.tokenize(text, 5, 99) == tokens._tokenize(text, 5, 99)  # end clamped
    assert tokens.tokenize(text, 9, 3) == []


_TIES = np.array([0.0, 0.25, 0.3, 0.5, 1.0], dtype=np.float32)  # ties are common


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 4), st.lists(st.integers(1, 6), min_size=1, max_size=6), st.data())
def test_segment_tops_match_numpy(n: int, sizes: list[int], data: st.DataObject) -> None:
    """Each segment's top, the column of its first occurrence and the largest of the other
    columns: the compiled pass gives what the array operations give."""
    from unspun.align import aligner

    m = sum(sizes)
    cells = data.draw(st.lists(st.sampled_from(_TIES.tolist()), min_size=n * m,
                               max_size=n * m))
    x = np.array(cells, dtype=np.float32).reshape(n, m)
    at = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    got = aligner._segment_tops(x, at, np.array(sizes))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(aligner, "_segment_tops_c", None)
        want = aligner._segment_tops(x, at, np.array(sizes))
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == w.shape and g.tobytes() == w.tobytes()
    for i in range(n):
        for d, lo in enumerate(at.tolist()):
            seg = x[i, lo:lo + sizes[d]]
            assert got[1][i, d] == lo + int(seg.argmax())


@_set_up
def test_segment_tops_checks_its_arguments() -> None:
    x = np.zeros((2, 3), dtype=np.float32)
    out = (np.empty((2, 2), dtype=np.float32), np.empty((2, 2), dtype=np.int64),
           np.empty((2, 2), dtype=np.float32))
    with pytest.raises(ValueError):
        speedups.segment_tops(x, np.array([0, 3], dtype=np.int64), *out)  # an empty segment
    with pytest.raises(ValueError):
        speedups.segment_tops(x, np.array([1, 2], dtype=np.int64), *out)  # not from 0
    speedups.segment_tops(x + np.float32([[0, 2, 2], [1, 0, 1]]),
                          np.array([0, 2], dtype=np.int64), *out)
    assert out[0].tolist() == [[2, 2], [1, 1]] and out[1].tolist() == [[1, 2], [0, 2]]
    assert out[2].tolist() == [[0, -1], [0, -1]]


_fields = st.one_of(st.none(), _any_text)


@given(st.integers(-(1 << 63), (1 << 63) - 1), _any_text, _any_text,
       st.lists(_fields, min_size=6, max_size=6), st.binary(max_size=40),
       st.binary(max_size=40), st.one_of(st.none(), st.integers(0, (1 << 63) - 1)),
       st.booleans())
@settings(max_examples=_EXAMPLES)
def test_row_bytes_is_the_json_head_and_the_blobs(docno: int, doc_id: str, digest: str,
                                                  meta: list[str | None], text: bytes,
                                                  sents: bytes, total: int | None,
                                                  with_sum: bool) -> None:
    """A fetch checks each row's sum over ``row_bytes``: it must be the bytes of the Python
    twin (json.dumps's escapes of every character, astral ones as surrogate pairs)."""
    from unspun.index.records import _json_list

    row = (docno, doc_id, digest, *meta, text, sents, *([total] if with_sum else []))
    head = _json_list([docno, doc_id, digest, *meta, len(text), len(sents)])
    assert head == json.dumps([docno, doc_id, digest, *meta, len(text), len(sents)])
    assert speedups.row_bytes(row) == head.encode() + text + sents


@pytest.mark.parametrize("row", [
    (1, "id", "h", None, None, None, None, None, None, b"t", b"s", 1.0),  # a float sum
    (True, "id", "h", None, None, None, None, None, None, b"t", b"s", 1),  # bool docno
    (1 << 64, "id", "h", None, None, None, None, None, None, b"t", b"s", 1),  # too large
    (1, None, "h", None, None, None, None, None, None, b"t", b"s", 1),  # no id
    (1, "id", "h", 3, None, None, None, None, None, b"t", b"s", 1),  # an int title
    (1, "id", "h", None, None, None, None, None, None, "t", b"s", 1),  # a str text
    (1, "id", "h", None, None, None, None, None, None, b"t", memoryview(b"s"), 1),
    (1, "id", "h", None, None, None, None, None, None, b"t"),  # too short
    [1, "id", "h", None, None, None, None, None, None, b"t", b"s", 1],  # not a tuple
])
def test_row_bytes_leaves_unusual_rows_to_python(row: object) -> None:
    """Rows of other types (damage, or rows the index never writes) get None: the Python
    path decides whether they are well formed and hashes them (json.dumps's rules)."""
    assert speedups.row_bytes(row) is None


def test_checked_sum_is_row_sum_or_none_either_way() -> None:
    """``checked_sum`` is ``row_sum`` for a well-formed row and None for another, with the
    compiled helper and without it."""
    from unspun.index import records

    rows = [(7, "a\u00e9\U0001f600\"\\\n\x7f", "h", "t", None, "s", None, None, "{}", b"xy",
             b"\0" * 8, 5),
            (True, "id", "h", None, None, None, None, None, None, b"t", b"s", None),
            (7, "id", "h", 2.5, None, None, None, None, None, b"t", b"s", None),
            (7, "id", "h", None, None, None, None, None, None, "t", b"s", None)]
    want = [records.row_sum(rows[0]), records.row_sum(rows[1]), None, None]
    saved = records._row_bytes
    try:
        for helper in (saved, None):
            records._row_bytes = helper
            assert [records.checked_sum(r) for r in rows] == want
            assert records.row_sum(rows[0]) == want[0]
    finally:
        records._row_bytes = saved
    *fields, text, sents, _ = rows[0]
    assert want[0] == records.checksum(json.dumps([*fields, len(text), len(sents)]).encode()
                                       + text + sents) >> 1


@_set_up
@given(_any_text, st.lists(st.tuples(st.integers(-3, 90), st.integers(-3, 90)), max_size=10))
@settings(max_examples=_EXAMPLES)
def test_stored_sentences_in_c_are_the_python_loop(body: str,
                                                  pairs: list[tuple[int, int]]) -> None:
    """A fetch builds its candidates' sentences from the stored span bytes in one call: the
    objects of the ``sentence_at`` loop, or None (the loop's turn) for a span out of range."""
    from array import array

    from unspun.data import sentence_at

    spans = array("i", [x for pair in pairs for x in pair]).tobytes()
    want = [sentence_at(i, a, b, body[a:b]) for i, (a, b) in enumerate(pairs)]
    got = speedups.stored_sentences(body, spans)
    if all(0 <= a <= b <= len(body) for a, b in pairs):
        assert got == want and all(type(s) is Sentence and type(s.span) is Span for s in got)
        assert [(s.index, s.span.start, s.span.end, s.text) for s in got] == [
            (s.index, s.span.start, s.span.end, s.text) for s in want]
    else:
        assert got is None
    saved = sentences._stored_sentences
    try:
        for helper in (saved, None):
            sentences._stored_sentences = helper
            assert sentences.stored_sentences(body, spans) == want
    finally:
        sentences._stored_sentences = saved


_LAZY_KINDS = [sentences.StoredSentences, speedups.StoredSentences]


@_set_up
@given(_any_text, st.lists(st.tuples(st.integers(-3, 90), st.integers(-3, 90)), max_size=10),
       st.lists(st.integers(-12, 12), max_size=6), st.sampled_from(_LAZY_KINDS))
@settings(max_examples=_EXAMPLES)
def test_stored_sentences_made_on_first_use_are_the_list(body: str,
                                                        pairs: list[tuple[int, int]],
                                                        reads: list[int], kind: Any) -> None:
    """A fetch's sentences are made when read (compiled, and the Python twin): each the
    ``sentence_at`` of its span, out of range too (the same object when read again), in any
    order of reads, and the sequence equals the list."""
    from array import array
    from collections.abc import Sequence

    from unspun.data import sentence_at

    spans = array("i", [x for pair in pairs for x in pair]).tobytes()
    want = [sentence_at(i, a, b, body[a:b]) for i, (a, b) in enumerate(pairs)]
    lazy = kind(body, spans)
    assert isinstance(lazy, Sequence) and isinstance(lazy, sentences.StoredSentences)
    assert lazy.spans == spans and lazy.text is body
    assert len(lazy) == len(want) and bool(lazy) == bool(want)
    for i in reads:
        if -len(want) <= i < len(want):
            assert lazy[i] == want[i] and lazy[i] is lazy[i]
            assert type(lazy[i]) is Sentence and type(lazy[i].span) is Span
        else:
            with pytest.raises(IndexError):
                lazy[i]
    assert lazy == want and want == lazy and list(lazy) == want and (lazy != want) is False
    assert lazy[1:-1] == want[1:-1] and lazy[::-1] == want[::-1] and lazy[5:2] == []
    other = _LAZY_KINDS[1 - _LAZY_KINDS.index(kind)](body, spans)
    assert lazy == other and other == lazy and lazy != tuple(want)
    assert [(s.index, s.span.start, s.span.end, s.text) for s in lazy] == [
        (s.index, s.span.start, s.span.end, s.text) for s in want]
    assert pickle.loads(pickle.dumps(lazy)) == want
    with pytest.raises(TypeError):
        hash(lazy)


@pytest.mark.parametrize("kind", _LAZY_KINDS)
def test_stored_sentences_made_on_first_use_refuse_partial_pairs(kind: Any) -> None:
    with pytest.raises(ValueError):
        kind("abc", b"\0" * 12)
    with pytest.raises(TypeError):
        kind("abc", b"\0" * 8)["0"]


@_set_up
def test_stored_sentences_in_c_refuse_partial_pairs_and_take_any_buffer() -> None:
    from array import array

    with pytest.raises(ValueError):
        speedups.stored_sentences("abc", b"\0" * 12)
    saved = sentences._stored_sentences
    try:
        sentences._stored_sentences = None  # the pure-Python twin refuses them too
        with pytest.raises(ValueError):
            sentences.stored_sentences("abc", b"\0" * 12)
    finally:
        sentences._stored_sentences = saved
    spans = array("i", [0, 1, 1, 3]).tobytes()
    assert [s.text for s in speedups.stored_sentences("a\U0001f600c", memoryview(spans))] == [
        "a", "\U0001f600c"]
    assert speedups.stored_sentences("abc", array("i", [0, 2**31 - 1]).tobytes()) is None
    assert speedups.stored_sentences("abc", b"") == []


# -- segment encoding, decoding and merging (the build's commits and merges) --------------

@contextmanager
def _without(module: ModuleType, name: str) -> Iterator[None]:
    """``module.name`` (a compiled kernel) set to None for a while: its numpy twin runs."""
    kept = getattr(module, name)
    setattr(module, name, None)
    try:
        yield
    finally:
        setattr(module, name, kept)


def _postings(data: st.DataObject) -> tuple[np.ndarray, np.ndarray]:
    """Sorted postings of the shapes that change a block's layout: short and full blocks,
    runs of one key (zero-width groups), keys far apart (wide groups), docnos near 2**32."""
    n = data.draw(st.sampled_from([1, 2, 63, 64, 65, 1023, 1024, 1025, 2049])
                  | st.integers(1, 3000))
    key_top = data.draw(st.sampled_from([1, 3, 1 << 12, 1 << 32]))
    doc_top = data.draw(st.sampled_from([1, 7, 1 << 20, 1 << 32]))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    keys = rng.integers(0, key_top, n, dtype=np.uint64).astype(np.uint32)
    docs = rng.integers(0, doc_top, n, dtype=np.uint64).astype(np.uint32)
    return segments.sort_postings(keys, docs)


@_set_up
@settings(max_examples=min(_EXAMPLES, 200), deadline=None)
@given(st.data())
def test_compiled_encode_is_numpy_encode(data: st.DataObject) -> None:
    """encode_blocks gives the same block bytes and directory columns as the numpy code."""
    keys, docs = _postings(data)
    got_bytes, got = segments.encode(keys, docs)
    with _without(segments, "_encode_blocks"):
        want_bytes, want = segments.encode(keys, docs)
    assert got_bytes == want_bytes
    assert set(got) == set(want)
    for name in want:
        assert np.array_equal(got[name].astype(np.int64), want[name].astype(np.int64)), name


@_set_up
@settings(max_examples=min(_EXAMPLES, 100), deadline=None)
@given(data=st.data())
def test_compiled_gather_and_merge_are_numpy(data: st.DataObject,
                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """decode_blocks reads back what was written, as numpy's _gather reads it, for any run of
    blocks; merge_runs merges ranges of several segments as the sort did, dead docnos out."""
    folder = tmp_path_factory.mktemp("seg")
    segs = []
    for i in range(data.draw(st.integers(1, 4))):
        keys, docs = _postings(data)
        segments.write_segment(folder, f"s{i}", keys, docs)
        segs.append(segments.Segment(folder / f"s{i}.seg", f"s{i}"))
    seg = segs[0]
    blocks = len(seg.firsts)
    first = data.draw(st.integers(0, blocks - 1))
    last = data.draw(st.integers(first + 1, blocks))
    run = np.arange(first, last)
    for lay in (seg._window(first, last, int(seg._layout.ends[first - 1]) if first else 0),
                seg._layout):
        got = seg._gather(run, lay)
        with _without(segments, "_decode_blocks"):
            want = seg._gather(run, lay)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    lo = data.draw(st.integers(0, 1 << 32))
    hi = data.draw(st.none() | st.integers(lo, 1 << 32))
    dead = np.array(sorted(set(data.draw(st.lists(st.integers(0, 8), max_size=4)))), np.uint32)
    got = merge._postings_in(segs, lo, hi, dead)
    with _without(merge, "_merge_runs"), _without(segments, "_decode_blocks"):
        want = merge._postings_in(segs, lo, hi, dead)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    for s in segs:
        s.close()


@_set_up
def test_merge_runs_refuses_a_run_out_of_order() -> None:
    """An input out of order is a ValueError (the merge then sorts, as without the kernel)."""
    ok = (np.array([1, 5], np.uint32), np.array([0, 0], np.uint32))
    with pytest.raises(ValueError, match="out of order"):
        speedups.merge_runs([ok[0], np.array([5, 1], np.uint32)], [ok[1], ok[1]])
    with pytest.raises(ValueError):
        speedups.merge_runs([ok[0]], [np.array([0], np.uint32)])
    keys, docs = speedups.merge_runs([ok[0], np.array([2], np.uint32)],
                                     [ok[1], np.array([9], np.uint32)])
    assert np.frombuffer(keys, np.uint32).tolist() == [1, 2, 5]
    assert np.frombuffer(docs, np.uint32).tolist() == [0, 9, 0]


@_set_up
def test_decode_blocks_refuses_a_directory_that_does_not_fit() -> None:
    """Rows that describe more (or fewer) bytes than given are a ValueError, not a read past
    the buffer."""
    keys, docs = segments.sort_postings(np.arange(3000, dtype=np.uint32) * 7,
                                        np.arange(3000, dtype=np.uint32))
    data, cols = segments.encode(keys, docs)
    lens = np.array([1024, 1024, 952], np.int64)
    args = [cols["firsts"], cols["lasts"], cols["dmin"], cols["key_words"].astype(np.uint16),
            cols["kw"].astype(np.uint8), cols["dw"].astype(np.uint8)]
    k, d = speedups.decode_blocks(data, lens, *args)
    assert np.array_equal(np.frombuffer(k, np.uint32), keys)
    assert np.array_equal(np.frombuffer(d, np.uint32), docs)
    with pytest.raises(ValueError):
        speedups.decode_blocks(data[:-8], lens, *args)
    with pytest.raises(ValueError):
        speedups.decode_blocks(data + bytes(8), lens, *args)
    with pytest.raises(ValueError):
        speedups.decode_blocks(data, np.array([1024, 1024, 2000], np.int64), *args)


@_set_up
@settings(max_examples=_EXAMPLES, deadline=None)
@given(_any_text)
def test_span_bytes_in_c_is_the_array(text: str) -> None:
    """span_bytes from the slots gives array('i')'s bytes; other items go back to Python."""
    found = split_sentences(text)
    want = array("i", [x for s in found for x in (s.span.start, s.span.end)]).tobytes()
    assert speedups.span_bytes(found) == want
    assert records.span_bytes(found) == want
    assert speedups.span_bytes([*found, "not a sentence"]) is None
    big = Sentence(0, Span(0, 1 << 31), "x")
    assert speedups.span_bytes([big]) is None
    with pytest.raises(OverflowError):
        records.span_bytes([big])


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.lists(_sentences, max_size=8), st.booleans(), st.integers(min_value=1, max_value=6),
       st.integers(min_value=1, max_value=7), st.integers(min_value=0, max_value=5),
       st.integers(min_value=1, max_value=9), st.booleans(),
       st.integers(min_value=0, max_value=2**32))
def test_query_grams_are_the_numpy_grams_in_order(parts: list[str], openings: bool, word_n: int,
                                                  skeleton_n: int, opening_n: int, sample: int,
                                                  skeleton_min: bool, seed: int) -> None:
    """A trace's query grams compiled (``gram_pairs``, every gram and the openings) are
    ``_grams``'s arrays element by element: the same keys, sentences, order and dtypes."""
    config = FingerprintConfig(word_n=word_n, skeleton_n=skeleton_n, sample=sample, seed=seed,
                               skeleton_min=skeleton_min, opening_n=opening_n)
    assert fingerprint._gram_pairs is not None
    got = fingerprint._query_grams(parts, config, openings=openings)
    want = fingerprint._grams(parts, config, sample_only=False, openings=openings)
    for a, b in ((got.keys, want.keys), (got.sentence, want.sentence)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    text = " ".join(parts)
    sentences = split_sentences(text)
    np.testing.assert_array_equal(
        fingerprint.sentence_grams(text, sentences, config, sample_only=False).keys,
        fingerprint._grams([s.text for s in sentences], config, sample_only=False).keys)
    np.testing.assert_array_equal(fingerprint.text_grams(parts, config).sentence,
                                  want.sentence if not openings else fingerprint._grams(
                                      parts, config, sample_only=False, openings=False).sentence)
