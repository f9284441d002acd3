"""The compiled kernel (``kernel_fill``) gives exactly the matrices numpy gives, or declines.

A corpus scan's pairs and scores must not depend on whether the extension was built: the
compiled sums equal BLAS's only when every weight and sum is exact in float32, so with any
other weights it must hand the work back to numpy.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.align import vectors
from unspun.align.vectors import SentenceBag, compact, kernel, source_side, suspect_side

speedups = pytest.importorskip("unspun._speedups")

_FIELDS = ("a", "a_out", "b", "b_tot", "contain", "dice", "contain_out", "covered")
_WORDS = [f"w{n}" for n in range(12)]


def _bag(data: st.DataObject, weights: list[float]) -> SentenceBag:
    keys = data.draw(st.lists(st.sampled_from(_WORDS), unique=True, max_size=8))
    w = {k: data.draw(st.sampled_from(weights)) for k in keys}
    quoted = data.draw(st.sets(st.sampled_from(keys))) if keys else set()
    outside = w if not quoted else {k: v for k, v in w.items() if k not in quoted}
    return SentenceBag(w, outside, len(keys))


def _both(monkeypatch: pytest.MonkeyPatch, suspect: list[SentenceBag],
          source: list[SentenceBag], ids: bool) -> tuple[vectors.Kernel, vectors.Kernel]:
    def side() -> vectors.SourceSide:
        s = source_side(source)
        return compact(s) if ids else s

    fast = kernel(suspect_side(suspect), side())
    with monkeypatch.context() as m:
        m.setattr(vectors, "_kernel_fill", None)
        plain = kernel(suspect_side(suspect), side())
    return fast, plain


def _same(fast: vectors.Kernel, plain: vectors.Kernel) -> None:
    for name in _FIELDS:
        x, y = getattr(fast, name), getattr(plain, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert x.tobytes() == y.tobytes(), name


@settings(max_examples=300, deadline=None)
@given(st.data(), st.booleans(),
       st.sampled_from([[0.0, 0.25, 1.0, 1.5], [0.125, 2.0, 3.75], [0.1, 0.3, 1.0]]))
def test_kernel_fill_gives_the_numpy_kernel(data: st.DataObject, ids: bool,
                                            weights: list[float]) -> None:
    """Bit for bit, with the scan's word ids or the trace's keys, with exact weights (the
    compiled sums) and inexact ones (numpy's, after the compiled kernel declines)."""
    suspect = data.draw(st.lists(st.builds(lambda: _bag(data, weights)), min_size=1,
                                 max_size=5))
    source = data.draw(st.lists(st.builds(lambda: _bag(data, weights)), min_size=1,
                                max_size=5))
    with pytest.MonkeyPatch.context() as mp:
        _same(*_both(mp, suspect, source, ids))


def _args(n: int, m: int, v: int, w: list[float]) -> list[np.ndarray | None]:
    a = np.ones((n, v), dtype=np.float32)
    return [a, a.copy(), a.sum(axis=1)[:, None], a.sum(axis=1)[:, None],
            np.arange(len(w), dtype=np.int64) % v, np.zeros(len(w), dtype=np.int16),
            np.array(w, dtype=np.float32), np.array([sum(w)], dtype=np.float32), None,
            np.zeros((m, v), dtype=np.float32), *np.zeros((4, n, m), dtype=np.float32)]


def test_kernel_fill_declines_inexact_weights_and_sums() -> None:
    assert speedups.kernel_fill(*_args(2, 1, 3, [1.0, 0.5])) is True
    assert speedups.kernel_fill(*_args(2, 1, 3, [1.0, 0.1])) is False  # not k / 1024
    assert speedups.kernel_fill(*_args(2, 1, 3, [9000.0])) is False  # a sum past 2^13
    args = _args(2, 1, 3, [1.0])
    args[2] = np.array([[np.inf], [3.0]], dtype=np.float32)  # a suspect weight not finite
    assert speedups.kernel_fill(*args) is False
    args = _args(2, 1, 3, [1.0, 1.0])
    args[0] = args[1] = np.full((2, 3), 5000.0, dtype=np.float32)  # exact weights, but one
    args[2] = args[3] = args[0].sum(axis=1)[:, None]  # pair's matched sum past 2^13
    assert speedups.kernel_fill(*args) is False
    args[0] = args[1] = np.full((2, 3), 4000.0, dtype=np.float32)  # 8000: exact
    args[2] = args[3] = args[0].sum(axis=1)[:, None]
    assert speedups.kernel_fill(*args) is True
    assert args[10].tolist() == [[float(np.float32(8000) / np.float32(12000))]] * 2


def test_kernel_fill_checks_its_arguments() -> None:
    args = _args(2, 1, 3, [1.0])
    args[5] = np.zeros(1, dtype=np.uint16)  # rows must be signed
    with pytest.raises(ValueError):
        speedups.kernel_fill(*args)
    args = _args(2, 1, 3, [1.0])
    args[5] = np.array([4], dtype=np.int16)  # a row past the source's
    with pytest.raises(ValueError):
        speedups.kernel_fill(*args)
    args = _args(2, 1, 3, [1.0])
    args[9] = np.zeros((1, 2), dtype=np.float32)  # b of the wrong width
    with pytest.raises(ValueError):
        speedups.kernel_fill(*args)
    args = _args(2, 1, 3, [1.0])
    args[8] = np.zeros(4, dtype=np.int64)  # a column table of int32
    with pytest.raises(ValueError):
        speedups.kernel_fill(*args)


def test_the_column_table_follows_the_suspect() -> None:
    """Refilled for each suspect, with the last one's words forgotten; an id past the
    table (a word met after it was filled) is no word of the suspect."""
    one = suspect_side([SentenceBag({"tablex1": 1.0, "tablex2": 1.5}, {}, 2)])
    two = suspect_side([SentenceBag({"tablex3": 1.0}, {}, 1)])
    ids = vectors.word_ids(["tablex1", "tablex2", "tablex3"]).tolist()
    table = vectors._column_table(one)
    assert table[ids].tolist() == [0, 1, -1]
    table = vectors._column_table(two)
    assert table[ids].tolist() == [-1, -1, 0]
    assert (table == -1).sum() == len(table) - 1
    late = compact(source_side([SentenceBag({"tablex3": 1.0, "tablex-late": 1.0}, {}, 2)]))
    k = kernel(two, late)
    assert k.b.tolist() == [[1.0]] and k.contain.tolist() == [[1.0]]


def test_the_kernel_uses_the_extension() -> None:
    """Built in place (as the test machines build it), the kernel calls it."""
    import os

    if os.environ.get("UNSPUN_PURE_PYTHON"):
        pytest.skip("pure Python asked for")
    assert vectors._kernel_fill is speedups.kernel_fill
