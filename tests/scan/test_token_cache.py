"""Edit labels read their tokens through a scan's cache: the same lists, the same edits."""

from __future__ import annotations

from unspun.data import Span
from unspun.explain.edits import edit_script
from unspun.scan.compare import TokenCache
from unspun.text.tokens import tokenize

A = "Officials said the U.S. embassy would reopen on Monday, after 3,000 people left."
B = "Officials stated the US embassy will reopen on Tuesday, after 3,500 people left."


def test_cache_returns_the_tokens_of_the_span() -> None:
    cache = TokenCache(limit=2)
    first = cache(A, 0, len(A))
    assert first == tokenize(A, 0, len(A))
    middle = cache(A, 10, 30)
    assert middle == tokenize(A, 10, 30)
    assert cache(A, 0, len(A)) is first  # kept, and now the most recently used
    cache(B, 0, len(B))  # a third span: the least recently used one goes
    assert cache(A, 0, len(A)) is first
    assert cache(A, 10, 30) is not middle and len(cache._items) == 2


def test_edits_with_the_cache_are_the_same() -> None:
    cache = TokenCache()
    plain = edit_script(A, B, Span(0, len(A)), Span(0, len(B)))
    for _ in range(2):  # a miss, then a hit
        assert edit_script(A, B, Span(0, len(A)), Span(0, len(B)), tokenizer=cache) == plain
    assert {e.op for e in plain} >= {"synonym", "factual"}
