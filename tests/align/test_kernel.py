"""The similarity kernel: prebuilt halves (as a corpus scan keeps them) give the same matrices."""

from __future__ import annotations

import numpy as np

from unspun.align.vectors import (
    SentenceBag,
    join_sources,
    kernel,
    source_side,
    suspect_side,
)


def _bag(weights: dict[str, float], outside: dict[str, float] | None = None) -> SentenceBag:
    return SentenceBag(weights, weights if outside is None else outside, len(weights))


SUSPECT = [_bag({"the": 0.25, "minist": 1.0, "said": 1.0, "paris": 1.5}),
           _bag({"talk": 1.0, "collaps": 1.0, "\u00e9lys\u00e9": 1.5}, {"talk": 1.0})]
FIRST = [_bag({"minist": 1.0, "said": 1.0, "london": 1.5}), _bag({"weather": 1.0})]
SECOND = [_bag({"talk": 1.0, "collaps": 1.0, "\u00e9lys\u00e9": 1.5, "the": 0.25})]


def test_contain_is_the_share_of_suspect_weight_the_source_has() -> None:
    k = kernel(SUSPECT, FIRST + SECOND)
    assert np.allclose(k.contain[0], [2.0 / 3.75, 0.0, 0.25 / 3.75])
    assert np.allclose(k.contain[1], [0.0, 0.0, 1.0])
    assert np.allclose(k.contain_out[1], [0.0, 0.0, 1.0])
    assert np.isclose(k.covered[0, 0], 2.0 / 3.5)


def test_prebuilt_and_joined_halves_give_the_same_kernel() -> None:
    direct = kernel(SUSPECT, FIRST + SECOND)
    kept = kernel(suspect_side(SUSPECT), join_sources([source_side(FIRST), source_side(SECOND)]))
    for name in ("a", "a_out", "b", "b_tot", "contain", "dice", "contain_out", "covered"):
        assert np.array_equal(getattr(direct, name), getattr(kept, name)), name


def test_sources_without_shared_words_give_zeros() -> None:
    k = kernel(suspect_side(SUSPECT), source_side([_bag({"unrelated": 1.0})]))
    assert not k.b.any() and not k.contain.any()
