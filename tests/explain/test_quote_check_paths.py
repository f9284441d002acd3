"""The cheaper paths of the quote checks give what the plain definitions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explain.builders import Pair, make_trace
from unspun.data import Document, Span
from unspun.explain import check_quotes
from unspun.explain.quote_check import (
    QuoteCache,
    _differences,
    _SpanIndex,
    _words,
    quote_sources,
)
from unspun.text.diff import opcodes
from unspun.text.tokens import Token

_SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)).map(
    lambda p: Span(p[0], p[0] + p[1])), max_size=12)


@settings(max_examples=500, deadline=None)
@given(_SPANS, st.booleans(), st.integers(0, 40), st.integers(0, 12))
def test_span_index_finds_each_overlapping_span(spans: list[Span], in_order: bool, lo: int,
                                                width: int) -> None:
    """Bisection finds the spans a test of each one finds, in their order (spans out of
    order, nested, overlapping and empty included)."""
    if in_order:
        spans = sorted(spans)
    hi = lo + width
    want = [n for n, s in enumerate(spans) if max(s.start, lo) < min(s.end, hi)]
    assert _SpanIndex(spans).overlapping(lo, hi) == want


def _diff_plain(sus: list[Token], src: list[Token], sus_text: str,
                src_text: str) -> tuple[int, list[str]]:
    """The changes of one window as first written: the cost and the texts together."""
    from unspun.explain.quote_check import _whole_sentences

    ops = opcodes([t.norm for t in sus], [t.norm for t in src])
    while ops and ops[0][0] == "insert":
        ops = ops[1:]
    while ops and ops[-1][0] == "insert":
        ops = ops[:-1]
    out: list[str] = []
    cost = 0
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        cost += (i2 - i1) + (j2 - j1)
        if i1 == i2 and _whole_sentences(src_text, src[j1].start, src[j2 - 1].end):
            continue
        a = sus_text[sus[i1].start : sus[i2 - 1].end] if i2 > i1 else ""
        b = src_text[src[j1].start : src[j2 - 1].end] if j2 > j1 else ""
        out.append(f"{b or '∅'} → {a or '∅'}")
    return cost, out


def _differences_plain(sus: list[Token], src: list[Token], sus_text: str,
                       src_text: str) -> list[str]:
    """_differences as first written: every window's changes written out, the least kept."""
    best = _diff_plain(sus, src, sus_text, src_text)
    if best[0] and sus:
        starts = [j for j, t in enumerate(src) if t.norm == sus[0].norm]
        ends = [j + 1 for j, t in enumerate(src) if t.norm == sus[-1].norm]
        for a, b in [(a, b) for a in starts for b in ends if b > a][:50]:
            best = min(best, _diff_plain(sus, src[a:b], sus_text, src_text), key=lambda d: d[0])
    return best[1]


_QUOTE = st.lists(st.sampled_from(["we", "We", "win", "lose", "now", "again", "not", ".", "!",
                                   "Yes.", "no,"]), max_size=14).map(" ".join)


@settings(max_examples=600, deadline=None)
@given(_QUOTE, _QUOTE)
def test_differences_rank_windows_by_cost_then_write_the_winner(sus_text: str,
                                                                 src_text: str) -> None:
    sus = _words(sus_text, Span(0, len(sus_text)))
    src = _words(src_text, Span(0, len(src_text)))
    assert _differences(sus, src, sus_text, src_text) == \
        _differences_plain(sus, src, sus_text, src_text)


def test_differences_of_a_quote_cut_short_and_changed() -> None:
    src_text = "We will win. We will win again and again, and we will not stop."
    sus_text = "we will lose again and again"
    sus = _words(sus_text, Span(0, len(sus_text)))
    src = _words(src_text, Span(0, len(src_text)))
    assert _differences(sus, src, sus_text, src_text) == ["win → lose"]
    assert _differences_plain(sus, src, sus_text, src_text) == ["win → lose"]


SOURCE = ('President Donald Trump spoke on Thursday. "The Summit with Russia was a great success," '
          'Trump wrote on Twitter. "We want a strong Russia," Putin said in the video.')
SUSPECT = ('Intro line.\n\n"The Summit with Russian Federation was a great success," Trump wrote.'
           ' "We want a strong Russia," Clinton said in the video.')


def test_quote_cache_shares_changes_with_check_quotes() -> None:
    """check_quotes reads the changes quote_sources worked out (as the trace runs them) and
    finds what it finds with a cache of its own; a caller's list is its own copy."""
    trace = make_trace(SUSPECT, {"src": SOURCE}, [
        Pair('"The Summit with Russian Federation was a great success," Trump wrote.', "src",
             '"The Summit with Russia was a great success," Trump wrote on Twitter.'),
        Pair('"We want a strong Russia," Clinton said in the video.', "src",
             '"We want a strong Russia," Putin said in the video.')])
    alone = check_quotes(trace)
    assert [f.kind for f in alone] == ["altered-quote", "changed-attribution"]
    cache = QuoteCache()
    quotes = cache.quotes(SUSPECT).all()
    sources = quote_sources(SUSPECT, quotes, [[Document("src", SOURCE)]] * len(quotes),
                            min_share=0.5, cache=cache)
    assert sources and cache.changed
    known = dict(cache.changed)
    assert check_quotes(trace, cache=cache) == alone
    assert cache.changed == known  # every change check_quotes needed was there already
    key = next(iter(cache.changed))
    got = cache.changes(SUSPECT, Span(key[1], key[2]), SOURCE, Span(key[4], key[5]))
    got.append("x")
    assert cache.changed[key] == known[key]
