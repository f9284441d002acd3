"""Reorder summary: Kendall tau per source and the sentences moved out of source order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explain.builders import Pair, make_trace
from unspun.explain import kendall_tau, reorder_summary


@pytest.mark.parametrize(("orders", "tau"), [
    ([0, 1, 2, 3], 1.0), ([3, 2, 1, 0], -1.0), ([1, 0, 2, 3], 4 / 6), ([5], 1.0), ([2, 2], 1.0),
])
def test_kendall_tau(orders: list[int], tau: float) -> None:
    assert kendall_tau(orders) == pytest.approx(tau)


def test_reorder_summary_finds_moved_sentence() -> None:
    src_a = "A one. A two. A three. A four."
    src_b = "B one. B two."
    suspect = "A one. A three. B two. A four. A two. B one."
    pairs = [Pair("A one.", "a", "A one.", 0), Pair("A three.", "a", "A three.", 2),
             Pair("B two.", "b", "B two.", 1), Pair("A four.", "a", "A four.", 3),
             Pair("A two.", "a", "A two.", 1), Pair("B one.", "b", "B one.", 0)]
    summary = reorder_summary(make_trace(suspect, {"a": src_a, "b": src_b}, pairs))
    assert summary["per_source"]["a"]["moved"] == [4]
    assert summary["per_source"]["a"]["tau"] == pytest.approx(2 / 6, abs=1e-3)
    assert summary["per_source"]["b"]["tau"] == -1.0
    assert len(summary["per_source"]["b"]["moved"]) == 1
    assert summary["score"] == pytest.approx(2 / 6, abs=1e-3)


def test_in_order_copy_scores_zero() -> None:
    src = "One. Two. Three."
    trace = make_trace(src, {"s": src}, [Pair("One.", "s", "One.", 0),
                                         Pair("Two.", "s", "Two.", 1),
                                         Pair("Three.", "s", "Three.", 2)])
    assert reorder_summary(trace) == {"score": 0.0, "moved": [],
                                      "per_source": {"s": {"tau": 1.0, "sentences": 3,
                                                           "moved": []}}}


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]),
                          st.one_of(st.none(), st.integers(0, 8))), max_size=30))
def test_reorder_score_is_the_summary_score(rows: list[tuple[str | None, int | None]]) -> None:
    """The verdict's score alone equals the full summary's, for any sources, orders, ties,
    unaligned and unordered sentences."""
    from types import SimpleNamespace

    from unspun.explain.reorder import reorder_score

    sentences = [SimpleNamespace(sentence=SimpleNamespace(index=i), order=order,
                                 alignment=None if src is None else SimpleNamespace(source_id=src))
                 for i, (src, order) in enumerate(rows)]
    result = SimpleNamespace(sentences=sentences)
    assert reorder_score(result) == reorder_summary(result)["score"]  # type: ignore[arg-type]
